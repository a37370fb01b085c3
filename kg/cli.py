"""The `kg` command: a thin layer over the library (kg.pipeline, kg.validate, kg.store, kg.ontology).

Exit codes (scripts can rely on them):
  kg build           0 built completely; 1 written, but nodes that violated a shape were left out
                     (with --strict: nothing written); 4 written, but some article files were skipped;
                     5 both; 2 error, nothing written
  kg validate        0 conforms; 1 violations; 2 unreadable input
  kg check-ontology  0 consistent; 1 inconsistent; 2 error
  kg query           0 answered; 2 bad query, unreadable graph, damaged store or timeout; 130 Ctrl-C
  kg export          0 written; 2 error (no store, damaged store, cannot write), nothing written
  kg tables          0 written; 2 error (no store, damaged store, cannot write, --parquet without pyarrow)
  kg load            0 loaded (and verified, or said to be unverified); 2 error (server unreachable after
                     retries, refused, redirected elsewhere, holds other counts than sent, bad arguments,
                     damaged store)
  kg serve           130 stopped with Ctrl-C (or SIGTERM); 2 no store, damaged store, port taken; with
                     --allow-service, the Oxigraph server's own exit code
  kg explore         0 stopped with Ctrl-C; 2 no store, or the port is taken
"""
from __future__ import annotations

import fcntl
import functools
import logging
import os
import shutil
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import KgError
from .resources import SHAPES_FILE
from .store import DEFAULT_STORE

app = typer.Typer(help="Build a validated knowledge graph of Indonesian public administration from news articles.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

LEFT_OUT, ERROR, SKIPPED = 1, 2, 4
INTERRUPTED = 130   # 128 + SIGINT, as shells report a command stopped by Ctrl-C


def _fail(message: str, code: int = ERROR) -> None:
    typer.echo(f"kg: error: {message}", err=True)
    raise typer.Exit(code)


def _read_graph(path: Path) -> "rdflib.Graph":  # noqa: F821 - imported by kg.validate when read
    """Parse an RDF file for validation or reasoning, naming the file and the problem on failure."""
    from .validate import read_graph
    return read_graph(path)


def _keeping_patterns(command):
    """COMMAND run in kg.caches.kept_patterns: the regular expressions it compiles (those of the stages' modules,
    imported in it, too) come from the extraction cache folder and are kept there."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        from .caches import cache_dir, kept_patterns
        with kept_patterns(cache_dir()):
            return command(*args, **kwargs)
    return run


@app.command()
@_keeping_patterns
def build(
    paths: Annotated[Optional[list[str]], typer.Argument(
        metavar="PATHS_OR_URLS", show_default=False,
        help="What to read: article text files (*.txt), saved web pages (*.html, *.htm), JSON Lines corpora "
             "(*.jsonl, one article per line), folders holding any of these, and http(s) URLs of pages.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the graph; the format follows "
                                         "the extension: .ttl .nt .nq .trig .jsonld .rdf")] = Path("out/kg.ttl"),
    store: Annotated[Path, typer.Option("--store", help="The embedded store to replace with this build "
                                        "(one named graph per article).")] = DEFAULT_STORE,
    no_store: Annotated[bool, typer.Option("--no-store", help="Write only OUTPUT, not the store.")] = False,
    strict: Annotated[bool, typer.Option(help="Write nothing when any node violates a shape.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    workers: Annotated[int, typer.Option("--workers", "-j", min=1, help="Processes reading and validating "
                                         "articles (the output does not depend on it).")] = 1,
    urls: Annotated[Optional[Path], typer.Option("--urls", help="A file of page URLs to fetch and read, one a "
                                                 "line (# comments and blank lines ignored).")] = None,
    fetch_timeout: Annotated[float, typer.Option(min=0.001, help="Seconds allowed for fetching each page.")] = 30.0,
    fetch_retries: Annotated[int, typer.Option(min=0, help="Retries per page after a network error, a timeout "
                                               "or a 408/429/5xx answer.")] = 2,
    cluster: Annotated[Optional[str], typer.Option("--cluster", metavar="ADDRESS", help="Read, extract and "
                       "validate on a Dask cluster: the scheduler's address (tcp://HOST:8786) or local:N for N "
                       "worker processes on this machine. Writes N-Quads partitions to --parts, and OUTPUT and "
                       "the store only when --output or --store is given; the graph is the same as without "
                       "it. PATHS may then be fsspec URLs (s3://, gs://, hdfs://: install the backend, e.g. "
                       "s3fs, on every machine); local paths must be the same on every worker.")] = None,
    parts: Annotated[Optional[str], typer.Option("--parts", metavar="DIR", help="With --cluster: the folder (or "
                     "fsspec URL) of the partition files part-00000.nq, ... (default: the folder 'parts' beside "
                     "OUTPUT); `kg load --bulk DIR` sends them to a server.")] = None,
    ctx: typer.Context = None,
) -> None:
    """Build the knowledge graph from the articles in PATHS_OR_URLS (and --urls), validate it, write it to
    OUTPUT and to the embedded store (which then holds exactly these articles). It reads article text files
    (*.txt), saved web pages (*.html, *.htm: main text, title, date, site and URL; menus, related articles,
    share buttons and comments left out), JSON Lines corpora (*.jsonl: one JSON object a line with url,
    title, published or date, text or html, and source or site) and pages fetched from http(s) URLs; a
    folder may mix them."""
    from contextlib import ExitStack, nullcontext
    from .export import format_for
    from .pipeline import build_graph, check_output_target, write_outputs
    from .sources import KINDS_READ, Fetcher, read_url_list, shown as shown_url
    from .store import store_lock
    stage = "starting"
    write_output = True
    if cluster is not None or parts is not None:   # kg.cluster: the output and the store only when asked
        sources = {name: ctx.get_parameter_source(name) if ctx is not None else None for name in ("output", "store")}
        given = {name for name, source in sources.items() if source is not None and source.name != "DEFAULT"}
        if cluster is None:
            _fail("--parts goes with --cluster ADDRESS (the partitions are what a cluster build writes)")
        if workers > 1:
            _fail("give --cluster or --workers, not both (the cluster's workers do the work)")
        write_output = "output" in given
        no_store = no_store or "store" not in given
        parts = parts or str(output.parent / "parts")
    try:
        if write_output:
            format_for(output)
            check_output_target(output, None if no_store else store)
        if cluster is not None:
            from .cluster import check_parts_target
            check_parts_target(parts)
        paths = [*(paths or []), *(read_url_list(urls) if urls else [])]   # kg.sources: URLs given among them
        if not paths:
            _fail(f"nothing to read: give files, folders or URLs (kg build reads {KINDS_READ})")
        fetcher = Fetcher(timeout=fetch_timeout, retries=fetch_retries)
        logging.getLogger("httpx").setLevel(logging.WARNING)   # its request lines would repeat each URL

        from .progress import PhaseProgress

        # the store's write lock is taken before any article is read: a second build is refused at once
        with (nullcontext() if no_store else store_lock(store)) as lock, PhaseProgress(quiet) as shown, \
                ExitStack() as cleanup:
            stage = "building the graph"
            started_ns = time.time_ns()   # before any article file is read (kg.incremental.file_stat)
            from .pipeline import _code_fingerprint
            _code_fingerprint()   # the code as the build begins: the state says so, were kg edited meanwhile
            shown.begin("loading the lexicons, finding the article files")
            result = None
            if cluster is None and not no_store:   # kg.incremental: only what changed, or None for a full build
                from .incremental import build_incremental
                result = build_incremental(paths, output, lock, progress=shown, strict=strict)
            incremental = result is not None
            if incremental:   # its output and store are in place already
                quads_in_store = result.quads_in_store
            elif cluster is None:
                result = build_graph(paths, progress=shown, workers=workers, fetcher=fetcher, keep_facts=not no_store,
                                     preload=None if no_store else lock)
                if result.preload is not None:   # the new store it loads: removed unless written (write_outputs)
                    cleanup.callback(result.preload.discard)
            else:
                from .cluster import cluster_build, connect, partition_size
                with connect(cluster) as client:
                    result = cluster_build(client, paths, progress=shown, fetcher=fetcher)
                    per_part = partition_size(client, len(result.triples))
            shown.end()
            if not result.articles:
                for msg in result.skipped:
                    typer.echo(f"kg: skipped {msg}", err=True)
                named = ", ".join(shown_url(str(p)) for p in paths[:3]) + (f" and {len(paths) - 3} more"
                                                                       if len(paths) > 3 else "")
                _fail(f"no readable article found in {named} (kg build reads {KINDS_READ})")
            for msg in result.skipped:
                typer.echo(f"kg: skipped {msg}", err=True)
            for msg in result.warnings:
                typer.echo(f"kg: warning: {msg}", err=True)
            for v in result.report.violations:
                typer.echo(f"kg: left out {v.describe()}", err=True)
            if strict and not result.report.conforms:
                _fail(f"{len(result.report.left_out)} node(s) violate the shapes; --strict: nothing written", LEFT_OUT)
            stage = "writing the output and the store"
            if incremental:
                pass
            elif cluster is None:
                from .incremental import FullState
                # what the next build needs to redo only what changed (kg.incremental): written as the store loads
                state = None if no_store else FullState(paths, result, started_ns)
                quads_in_store = write_outputs(result, output, None if no_store else store, lock=lock, progress=shown,
                                               state=state)
                if state is not None:
                    state.place(lock.directory, output, quads_in_store)
                shown.end()
            else:   # the partitions are the N-Quads output cut between graphs (kg.cluster.write_partitions)
                import tempfile
                from .cluster import write_partitions
                shown.begin(f"writing the partitions to {parts}" + ("" if no_store else f" and the store {store}"))
                with tempfile.TemporaryDirectory(prefix="kg-cluster-") as tmp:
                    nquads = output if write_output and output.suffix.lower() == ".nq" else Path(tmp) / "kg.nq"
                    quads_in_store = write_outputs(result, nquads, None if no_store else store, lock=lock, progress=shown)
                    written = write_partitions(nquads, parts, per_part)
                if write_output and nquads != output:
                    shown.begin(f"writing {output}")
                    write_outputs(result, output, None, progress=shown)
                shown.end()
    except KgError as exc:
        _fail(str(exc))
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:   # noqa: BLE001 - a bug: one line for the user, the traceback with -v
        logging.getLogger("kg").info("%s", traceback.format_exc().rstrip())
        _fail(f"internal error while {stage}: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}; "
              "nothing written (run with -v for the traceback)")
    if not quiet:
        from .iris import node_type   # the nodes left out are not in the output: not counted (their IRIs say their class)
        counts = Counter(result.node_types)
        counts.subtract(node_type(iri) for iri in result.report.left_out)
        order = ["Municipality", "Province", "Agency", "Person", "Award", "Agreement", "Measurement"]
        typer.echo(f"read {len(result.articles)} article(s)" + (f", skipped {len(result.skipped)}" if result.skipped else ""))
        for msg in result.skipped:
            typer.echo(f"  skipped {msg}")
        typer.echo("entities: " + ", ".join(f"{counts.get(t, 0)} {t}" for t in order))
        status = "conforms" if result.report.conforms else f"conforms after leaving out {len(result.report.left_out)} node(s)"
        typer.echo(f"{len(result)} quads in {len(result.articles)} article graph(s); SHACL: {status}")
        if cluster is not None:
            typer.echo(f"wrote {len(written)} partition(s) to {parts}")
        if write_output:
            typer.echo(f"wrote {output}" + (f" and the store {store} ({quads_in_store} quads with the ontology "
                                             "and the reference places)" if quads_in_store is not None else ""))
        elif quads_in_store is not None:
            typer.echo(f"wrote the store {store} ({quads_in_store} quads with the ontology and the reference places)")
    code = (LEFT_OUT if not result.report.conforms else 0) | (SKIPPED if result.skipped else 0)
    raise typer.Exit(code)


@app.command()
def validate(
    graph: Annotated[Path, typer.Argument(help="An RDF file (.ttl .nt .nq .trig .jsonld .rdf).")],
) -> None:
    """Validate GRAPH against the SHACL shapes: exit 0 conforms, 1 violations, 2 unreadable input."""
    from .validate import validate_graph
    try:
        report = validate_graph(_read_graph(graph))
    except KgError as exc:
        _fail(str(exc))
    if report.conforms:
        typer.echo(f"{graph}: conforms to {SHAPES_FILE.name}")
        raise typer.Exit(0)
    for v in report.violations:
        typer.echo(v.describe())
    typer.echo(f"{graph}: {len(report.violations)} violation(s)", err=True)
    raise typer.Exit(1)


@app.command()
def query(
    source_or_query: Annotated[Optional[str], typer.Argument(metavar="[SOURCE]", help="A store directory or an "
                               "RDF file (default: the store .kabar).")] = None,
    sparql: Annotated[Optional[str], typer.Argument(help="The SPARQL query text; - reads it from standard "
                                                    "input.")] = None,
    query_file: Annotated[Optional[Path], typer.Option("--query-file", "-f", help="Read the query from a file.")] = None,
    named: Annotated[Optional[str], typer.Option("--named", "-n", help="Run a query from queries/ by name.")] = None,
    store: Annotated[Path, typer.Option("--store", help="The store queried when no SOURCE is given.")] = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv, json, xml; for CONSTRUCT/DESCRIBE: "
                                     "ttl, nt, xml, jsonld.")] = "table",
    timeout: Annotated[Optional[float], typer.Option("--timeout", metavar="SECONDS", help="Give up after this "
                                                     "many seconds (exit 2).")] = None,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Let the query call other SPARQL "
                                                "servers (SERVICE); refused by default.")] = False,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the store or an RDF file and print the answer.

    `kg query --named officials`, `kg query out/kg.ttl 'SELECT ...'`, `kg query 'ASK { ?s ?p ?o }'`,
    `kg query - < q.rq`. Ctrl-C stops any query (exit 130)."""
    from .store import answer_query, read_named_query
    source: Path = store
    if source_or_query is not None:
        if sparql is None and (source_or_query == "-" or not Path(source_or_query).exists()) \
                and not (query_file or named):
            sparql = source_or_query      # only a query (or - for standard input): run it on the store
        else:
            source = Path(source_or_query)
    given = [x for x in (sparql, query_file, named) if x]
    if len(given) != 1:
        _fail("give exactly one of: a query text, --query-file FILE, --named NAME")
    if timeout is not None and not timeout > 0:
        _fail(f"--timeout must be a number of seconds above 0, not {timeout:g}")
    try:
        if query_file:
            if not query_file.is_file():
                raise KgError(f"{query_file}: no such file")
            text = query_file.read_text(encoding="utf-8")
        elif named:
            text = read_named_query(named)
        elif sparql == "-":
            text = sys.stdin.read()
            if not text.strip():
                raise KgError("-: no query on standard input")
        else:
            text = sparql
        width = shutil.get_terminal_size().columns if fmt == "table" and sys.stdout.isatty() else None
        sys.stdout.write(answer_query(source, text, fmt, timeout, allow_service, width))
    except KgError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", INTERRUPTED)


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    fmt: Annotated[Optional[str], typer.Option("--format", help="ttl, jsonld, nt, nq, trig or xml "
                                               "(default: from the extension of OUTPUT).")] = None,
    store: Annotated[Path, typer.Option("--store", help="The store to export.")] = DEFAULT_STORE,
) -> None:
    """Export the store (all article graphs and the ontology graph) to a file."""
    from .export import export_store
    from .store import open_store, reading_store
    try:
        with reading_store(store):
            export_store(open_store(store), output, fmt)
    except KgError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or output}: cannot write ({exc.strerror or exc})")
    typer.echo(f"wrote {output}")


@app.command()
def load(
    endpoint: Annotated[Optional[str], typer.Option("--endpoint", help="Graph Store Protocol URL, e.g. "
                                                    "http://127.0.0.1:7878/store")] = None,
    update_endpoint: Annotated[Optional[str], typer.Option("--update-endpoint", help="SPARQL Update URL, for "
                                                           "stores without the Graph Store Protocol.")] = None,
    query_endpoint: Annotated[Optional[str], typer.Option("--query-endpoint", help="SPARQL query URL used to "
                                                          "check what the server holds after the load (derived "
                                                          "for Oxigraph, Fuseki and GraphDB).")] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", help="Extra URL parameter KEY or KEY=VALUE "
                                                       "(e.g. no_transaction for Oxigraph).")] = None,
    store: Annotated[Path, typer.Option("--store", help="The store to send.")] = DEFAULT_STORE,
    retries: Annotated[int, typer.Option(min=0, help="Retries per request on network errors, timeouts, "
                                         "broken answers and 408/425/429/5xx.")] = 5,
    timeout: Annotated[float, typer.Option(min=0.001, help="Seconds allowed for each request as a whole "
                                           "(connecting, sending, and reading the whole answer).")] = 60.0,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests sent in parallel: graphs, or with --bulk the "
                                             "bulk requests (partition files, or slices of the store's graphs); "
                                             "2 roughly doubles Oxigraph's bulk load speed.")] = 1,
    bulk: Annotated[bool, typer.Option("--bulk", help="First load: send the graphs the server does not hold "
                                       "yet as one N-Quads POST (with Oxigraph add --param no_transaction); "
                                       "graphs it holds are still replaced one by one.")] = False,
    parts: Annotated[Optional[list[Path]], typer.Argument(metavar="PARTS", show_default=False, help="Send "
                     "these N-Quads partition files (or folders of part-*.nq, as written by kg build --cluster) "
                     "instead of the store; each article graph is still replaced whole.")] = None,
    location: Annotated[Optional[Path], typer.Option("--location", help="With PARTS: load them into this Oxigraph "
                        "data folder (a stopped server's --location) with `oxigraph load`, replacing their graphs "
                        "there, instead of sending them to a server.")] = None,
) -> None:
    """Send every named graph of the store (or of the partition files PARTS) to a SPARQL server, replacing
    each graph there, then check the server's triple count of each graph against what was sent. With
    --bulk, the graphs the server does not hold yet travel as one N-Quads POST (Oxigraph's POST /store);
    with PARTS and --location, they are loaded offline with `oxigraph load`.

    Credentials come from the environment: KABAR_KG_TOKEN (bearer) or KABAR_KG_USER and
    KABAR_KG_PASSWORD (basic); they are never printed. Redirects to another server are not followed."""
    from .load import (StoreReadError, UnverifiedError, check_endpoint, load_store, query_endpoint_for, shown,
                       verify_load)
    from .store import open_store
    logging.getLogger("httpx").setLevel(logging.WARNING)   # its request lines show query strings; ours do not
    params = dict((p.split("=", 1) + [""])[:2] for p in (param or []))

    from .progress import PhaseProgress
    bars = PhaseProgress()

    def progress(i: int, n: int, graph: str) -> None:
        bars(i, n, graph, "sending graphs")

    def on_retry(attempt: int, most: int, what: str, why: str, wait: float) -> None:
        typer.echo(f"kg: retry {attempt}/{most} for {what} after {why} (waiting {wait:.1f} s)", err=True)

    from contextlib import ExitStack
    stack = ExitStack()
    try:
        if query_endpoint:
            check_endpoint(query_endpoint, "--query-endpoint")    # refuse a bad URL before sending anything
        if location is not None and not parts:
            raise KgError("--location loads partition files: give PARTS (kg load --bulk out/parts --location DIR)")
        report = None
        if parts and bulk and endpoint and not update_endpoint and location is None:   # the files as they are
            from .cluster import load_partitions
            with bars:
                report = load_partitions(parts, endpoint, params, query_endpoint=query_endpoint, retries=retries,
                                         timeout=timeout, progress=progress, on_retry=on_retry,
                                         concurrency=concurrency)
        elif parts:   # through a temporary store: the same per-graph replace and check
            import tempfile
            import time
            from .cluster import load_location, parts_store
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-parts-"))
            source = parts_store(parts, Path(tmp) / "store")
            if location is not None:
                if endpoint or update_endpoint:
                    raise KgError("give --location (a stopped server's data folder) or --endpoint, not both")
                started = time.perf_counter()
                counts = load_location(parts, source, location)
                seconds = time.perf_counter() - started
                triples = sum(counts.values())
                typer.echo(f"loaded {len(counts)} graph(s), {triples} triples into {location} with oxigraph load "
                           f"in {seconds:.1f} s ({triples / seconds if seconds else 0:,.0f} triples/s); verified: "
                           "it holds the same triple counts")
                return
        else:
            try:
                source = open_store(store)
            except RuntimeError as exc:    # RocksDB reports a damaged store as RuntimeError
                raise StoreReadError(f"cannot open the store, it is damaged ({str(exc).splitlines()[0][:200]}); "
                                     f"rebuild it with `kg build ARTICLES --store {store}`") from None
        if report is None:
            with bars:
                report = load_store(source, endpoint, update_endpoint, params, retries=retries, timeout=timeout,
                                    progress=progress, concurrency=concurrency, on_retry=on_retry, bulk=bulk,
                                    query_endpoint=query_endpoint)
        rate = report.triples / report.seconds if report.seconds else 0
        requests = "one bulk request" if report.bulk_requests == 1 else f"{report.bulk_requests} bulk requests"
        how = f" ({report.bulk_graphs} in {requests})" if bulk else ""
        summary = (f"loaded {report.graphs} graph(s){how}, {report.triples} triples in {report.seconds:.1f} s "
                   f"({rate:,.0f} triples/s, {report.retries} retries)")
        check = query_endpoint or query_endpoint_for(endpoint or update_endpoint)
        if check is None:
            typer.echo(f"{summary}; unverified")
            typer.echo("kg: warning: the load is unverified: no query endpoint is known for this server; "
                       "give --query-endpoint URL to check what it holds", err=True)
            return
        try:
            checked = verify_load(report, check, retries=retries, timeout=timeout, on_retry=on_retry)
        except UnverifiedError as exc:
            if query_endpoint:
                raise
            typer.echo(f"{summary}; unverified")
            typer.echo(f"kg: warning: the load is unverified: {exc}; give --query-endpoint URL to check "
                       "what the server holds", err=True)
            return
        typer.echo(f"{summary}; verified: the server holds the same triple counts in {checked} graph(s) "
                   f"({shown(check)})")
    except StoreReadError as exc:
        _fail(f"{store}: {exc}".replace("--store DIR", f"--store {store}"))
    except KgError as exc:
        _fail(str(exc))
    finally:
        stack.close()


@app.command()
def serve(
    store: Annotated[Path, typer.Option("--store", help="The store to serve.")] = DEFAULT_STORE,
    port: Annotated[int, typer.Option(help="TCP port on 127.0.0.1.")] = 7878,
    host: Annotated[str, typer.Option(help="Address to bind (the loopback address unless you mean it).")] = "127.0.0.1",
    oxigraph: Annotated[bool, typer.Option("--oxigraph", help="Serve with the Oxigraph server and its query UI "
                                           "(Graph Store Protocol too) instead of the explorer.")] = False,
    write: Annotated[bool, typer.Option("--write", help="Accept SPARQL Update and Graph Store writes (Oxigraph "
                                        "server).")] = False,
    allow_service: Annotated[bool, typer.Option("--allow-service", help="Let queries make the server call other "
                                                "servers (SERVICE, LOAD); refused by default (Oxigraph server).")] = False,
) -> None:
    """Serve the store: the explorer (search, entity pages with evidence, graph, reports, SPARQL page) and a
    read-only SPARQL endpoint at /query; with --oxigraph, --write or --allow-service, the Oxigraph server."""
    from .store import open_store
    try:
        open_store(store)     # a missing or damaged store is reported here, not by the server
    except KgError as exc:
        _fail(str(exc))
    if not (oxigraph or write or allow_service):
        typer.echo(f"Open http://{host}:{port}/ for the explorer; SPARQL endpoint http://{host}:{port}/query "
                   f"(read-only; SERVICE disabled). Stop with Ctrl-C.")
        _run_explorer(store, host, port)
        raise typer.Exit(130)     # uvicorn returns after Ctrl-C or SIGTERM
    from .serve import serve as run_server
    typer.echo(f"Open http://{host}:{port}/ for the query UI; SPARQL endpoint http://{host}:{port}/query"
               f"{'' if write else ' (read-only)'}"
               f"{'' if allow_service else '; SERVICE disabled'}. Stop with Ctrl-C.")
    try:
        raise typer.Exit(run_server(store, host, port, write, allow_service))
    except KgError as exc:
        _fail(str(exc))


def _run_explorer(store: Path, host: str, port: int) -> None:
    import uvicorn
    from .explorer import create_app
    try:
        uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
    except SystemExit as exc:          # uvicorn exits 1 when the port is taken, after saying so
        _fail(f"cannot serve on {host}:{port} (is the port taken?)", ERROR if exc.code else 0)


@app.command()
def explore(
    store: Annotated[Path, typer.Option("--store", help="The store to explore.")] = DEFAULT_STORE,
    port: Annotated[int, typer.Option(help="TCP port on 127.0.0.1.")] = 8000,
    host: Annotated[str, typer.Option(help="Address to bind (the loopback address unless you mean it).")] = "127.0.0.1",
) -> None:
    """Serve the explorer: search, entity pages with the evidence of every fact, a neighbourhood graph,
    reports from queries/ with CSV, and a SPARQL page. Read-only; it always shows the store's latest build."""
    if not store.is_dir():
        _fail(f"{store}: no store here; build one with `kg build PATH --store {store}`")
    typer.echo(f"Open http://{host}:{port}/ to explore {store} (read-only; SPARQL endpoint "
               f"http://{host}:{port}/query). Stop with Ctrl-C.")
    _run_explorer(store, host, port)


@app.command()
def tables(
    output: Annotated[Path, typer.Option("--output", "-o", help="The folder to write the tables into.")],
    source: Annotated[Optional[Path], typer.Argument(metavar="SOURCE", help="A store directory or an RDF "
                      "file (default: the store .kabar).")] = None,
    store: Annotated[Path, typer.Option("--store", help="The store read when no SOURCE is given.")] = DEFAULT_STORE,
    parquet: Annotated[Optional[bool], typer.Option("--parquet/--no-parquet", help="Also write Parquet "
                       "(default: when pyarrow is installed).")] = None,
) -> None:
    """Write spreadsheet-ready tables (CSV, and Parquet with pyarrow) of municipalities, agencies, officials,
    awards, agreements and measurements: one row per fact and article, with the evidence sentence and the
    article's URL or file."""
    from .store import open_source, reading_store
    from .tables import count_rows, write_tables
    from .progress import PhaseProgress
    where = source or store
    try:
        with reading_store(where if where.is_dir() else None), PhaseProgress() as shown:
            shown.begin(f"reading {where}")
            opened = open_source(where)
            written = write_tables(opened, output, parquet=parquet,
                                   progress=lambda name, i, n: shown(i, n, name, "writing tables"))
    except KgError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"{exc.filename or output}: cannot write ({exc.strerror or exc})")
    for name, files in written.items():
        typer.echo(f"{name:15} {count_rows(files[0]):>7} row(s)  " + "  ".join(str(f) for f in files))


@app.command("queries")
def list_queries() -> None:
    """List the named queries in queries/ (run one with `kg query GRAPH --named NAME`)."""
    from .store import named_queries
    for name, path in named_queries().items():
        first = next((ln.lstrip("# ").strip() for ln in path.read_text(encoding="utf-8").splitlines()
                      if ln.startswith("#")), "")
        typer.echo(f"{name:28} {first}")


@app.command("check-ontology")
def check_ontology(
    graph: Annotated[Optional[Path], typer.Argument(help="An RDF file to check with the ontology (optional).")] = None,
) -> None:
    """Run the HermiT reasoner on the ontology (and GRAPH): exit 0 consistent, 1 inconsistent, 2 error."""
    from .ontology import check_consistency
    try:
        data = _read_graph(graph) if graph else None
        result = check_consistency(data)
    except KgError as exc:
        _fail(str(exc))
    typer.echo(("" if graph is None else f"{graph}: ") + result.message)
    raise typer.Exit(0 if result.consistent else 1)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    from .progress import StderrHandler
    handler = StderrHandler()
    handler.setFormatter(logging.Formatter("kg: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, handlers=[handler])


def run() -> None:
    """The `kg` command (the console script and `python -m kg`): the app, then a quick end when that is sure
    to keep everything. Once a command has answered, Python's own end (clearing each module and freeing each
    object one by one) changes nothing a user keeps, and after a one-article rebuild at 10,000 articles it
    took 0.3 s: a sixth of the rebuild."""
    try:
        app(prog_name="kg")
    except SystemExit as stop:
        code = 0 if stop.code is None else stop.code
        if isinstance(code, int) and _nothing_left_running():
            _end_now(code)
        raise


def _nothing_left_running() -> bool:
    """Whether Python's end has nothing left to finish: no thread but daemons, no child process, and no
    file open for writing but the standard streams and unnamed files (a Python file left open may hold what
    only its finalizer writes; an open store holds its files that way too; a file with no name, such as a
    build's spool, is gone at the end either way)."""
    import stat
    import threading
    if any(t is not threading.current_thread() and not t.daemon for t in threading.enumerate()):
        return False
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None and multiprocessing.active_children():
        return False
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:   # no /proc: not sure, so Python ends as usual
        return False
    for fd in fds:
        if fd <= 2:
            continue
        try:
            writable = (fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE) != os.O_RDONLY
            if writable and (named := os.fstat(fd)).st_nlink and stat.S_ISREG(named.st_mode):
                return False
        except OSError:   # the listing's own descriptor, closed since
            continue
    return True


def _end_now(code: int) -> None:
    """End the process as Python's end would, without its clearing: the exit functions (logging's
    flush, multiprocessing's finalizers), then the standard streams. A stream that cannot be written
    (a closed pipe) leaves the end to Python, which reports it as it always has."""
    import atexit
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)   # CPython's own call at its end
    if run_exit_functions is None:
        return
    run_exit_functions()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
