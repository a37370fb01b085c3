"""The `kg` command: a thin layer over the library (kg.pipeline, kg.validate, kg.store, kg.ontology).

Exit codes (scripts can rely on them):
  kg build           0 built completely; 1 written, but nodes that violated a shape were left out
                     (with --strict: nothing written); 4 written, but some article files were skipped;
                     5 both; 2 error, nothing written
  kg validate        0 conforms; 1 violations; 2 unreadable input
  kg check-ontology  0 consistent; 1 inconsistent; 2 error
  kg query           0 answered; 2 bad query or unreadable graph
  kg export          0 written; 2 error, nothing written
  kg load            0 loaded (and verified, or said to be unverified); 2 error (server unreachable after
                     retries, refused, redirected elsewhere, holds other counts than sent, bad arguments,
                     damaged store)
  kg serve           the server's own exit code
"""
from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer
from rdflib import Graph

from .errors import GraphInputError, KgError
from .export import FORMATS, format_for
from .pipeline import build_graph, write_outputs
from .resources import SHAPES_FILE
from .rdf import union_graph
from .store import DEFAULT_STORE

app = typer.Typer(help="Build a validated knowledge graph of Indonesian public administration from news articles.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

LEFT_OUT, ERROR, SKIPPED = 1, 2, 4


def _fail(message: str, code: int = ERROR) -> None:
    typer.echo(f"kg: error: {message}", err=True)
    raise typer.Exit(code)


def _read_graph(path: Path) -> Graph:
    """Parse an RDF file for validation or reasoning, naming the file and the problem on failure."""
    if not path.is_file():
        raise GraphInputError(f"{path}: no such file")
    fmt = FORMATS.get(path.suffix.lower(), (None,))[0]
    if fmt is None:
        raise GraphInputError(f"{path}: unknown RDF format {path.suffix!r}; expected one of {', '.join(sorted(FORMATS))}")
    from rdflib import Dataset
    ds = Dataset(default_union=True)
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise GraphInputError(f"{path}: not readable as {fmt}: {str(exc).splitlines()[0][:300]}") from exc
    return union_graph(ds)


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Article files (*.txt) or folders to scan for them.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the graph; the format follows "
                                         "the extension: .ttl .nt .nq .trig .jsonld .rdf")] = Path("out/kg.ttl"),
    store: Annotated[Path, typer.Option("--store", help="The embedded store to replace with this build "
                                        "(one named graph per article).")] = DEFAULT_STORE,
    no_store: Annotated[bool, typer.Option("--no-store", help="Write only OUTPUT, not the store.")] = False,
    strict: Annotated[bool, typer.Option(help="Write nothing when any node violates a shape.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    workers: Annotated[int, typer.Option("--workers", "-j", min=1, help="Processes reading and validating "
                                         "articles (the output does not depend on it).")] = 1,
) -> None:
    """Build the knowledge graph from the articles under PATHS, validate it, write it to OUTPUT and to
    the embedded store (which then holds exactly these articles)."""
    try:
        format_for(output)

        def progress(i: int, n: int, name: str) -> None:
            if not quiet and n >= 50 and (i % 100 == 0 or i == n):
                typer.echo(f"  [{i}/{n}] {name}", err=True)

        result = build_graph(paths, progress=progress, workers=workers)
        if not result.articles:
            for msg in result.skipped:
                typer.echo(f"kg: skipped {msg}", err=True)
            _fail("no readable article found under " + ", ".join(map(str, paths)))
        for msg in result.skipped:
            typer.echo(f"kg: skipped {msg}", err=True)
        for msg in result.warnings:
            typer.echo(f"kg: warning: {msg}", err=True)
        for v in result.report.violations:
            typer.echo(f"kg: left out {v.describe()}", err=True)
        if strict and not result.report.conforms:
            _fail(f"{len(result.report.left_out)} node(s) violate the shapes; --strict: nothing written", LEFT_OUT)
        quads_in_store = write_outputs(result, output, None if no_store else store)
    except KgError as exc:
        _fail(str(exc))
    if not quiet:
        counts = Counter(n.type for n in result.kb.nodes.values()
                         if n.key not in set(result.report.left_out))
        order = ["Municipality", "Province", "Agency", "Person", "Award", "Agreement", "Measurement"]
        typer.echo(f"read {len(result.articles)} article(s)" + (f", skipped {len(result.skipped)}" if result.skipped else ""))
        for msg in result.skipped:
            typer.echo(f"  skipped {msg}")
        typer.echo("entities: " + ", ".join(f"{counts.get(t, 0)} {t}" for t in order))
        status = "conforms" if result.report.conforms else f"conforms after leaving out {len(result.report.left_out)} node(s)"
        typer.echo(f"{len(result)} quads in {len(result.articles)} article graph(s); SHACL: {status}")
        typer.echo(f"wrote {output}" + (f" and the store {store} ({quads_in_store} quads with the ontology)"
                                         if quads_in_store is not None else ""))
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
    sparql: Annotated[Optional[str], typer.Argument(help="The SPARQL query text.")] = None,
    query_file: Annotated[Optional[Path], typer.Option("--query-file", "-f", help="Read the query from a file.")] = None,
    named: Annotated[Optional[str], typer.Option("--named", "-n", help="Run a query from queries/ by name.")] = None,
    store: Annotated[Path, typer.Option("--store", help="The store queried when no SOURCE is given.")] = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv, json, xml; for CONSTRUCT/DESCRIBE: "
                                     "ttl, nt, xml, jsonld.")] = "table",
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the store or an RDF file and print the answer.

    `kg query --named officials`, `kg query out/kg.ttl 'SELECT ...'`, `kg query 'ASK { ?s ?p ?o }'`."""
    from .store import open_source, read_named_query, run_query
    source: Path = store
    if source_or_query is not None:
        if sparql is None and not Path(source_or_query).exists() and not (query_file or named):
            sparql = source_or_query      # only a query: run it on the store
        else:
            source = Path(source_or_query)
    given = [x for x in (sparql, query_file, named) if x]
    if len(given) != 1:
        _fail("give exactly one of: a query text, --query-file FILE, --named NAME")
    try:
        if query_file:
            if not query_file.is_file():
                raise KgError(f"{query_file}: no such file")
            text = query_file.read_text(encoding="utf-8")
        elif named:
            text = read_named_query(named)
        else:
            text = sparql
        result = run_query(open_source(source), text)
        sys.stdout.write(result.serialize(fmt))
    except KgError as exc:
        _fail(str(exc))


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    fmt: Annotated[Optional[str], typer.Option("--format", help="ttl, jsonld, nt, nq, trig or xml "
                                               "(default: from the extension of OUTPUT).")] = None,
    store: Annotated[Path, typer.Option("--store", help="The store to export.")] = DEFAULT_STORE,
) -> None:
    """Export the store (all article graphs and the ontology graph) to a file."""
    from .export import export_store
    from .store import open_store
    try:
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
    concurrency: Annotated[int, typer.Option(min=1, help="Graphs sent in parallel.")] = 1,
    bulk: Annotated[bool, typer.Option("--bulk", help="First load: send the graphs the server does not hold "
                                       "yet as one N-Quads POST (with Oxigraph add --param no_transaction); "
                                       "graphs it holds are still replaced one by one.")] = False,
) -> None:
    """Send every named graph of the store to a SPARQL server, replacing each graph there, then check
    the server's triple count of each graph against the store.

    Credentials come from the environment: KABAR_KG_TOKEN (bearer) or KABAR_KG_USER and
    KABAR_KG_PASSWORD (basic); they are never printed. Redirects to another server are not followed."""
    from .load import (StoreReadError, UnverifiedError, check_endpoint, load_store, query_endpoint_for, shown,
                       verify_load)
    from .store import open_store
    logging.getLogger("httpx").setLevel(logging.WARNING)   # its request lines show query strings; ours do not
    params = dict((p.split("=", 1) + [""])[:2] for p in (param or []))

    def progress(i: int, n: int, graph: str) -> None:
        if n >= 50 and (i % 100 == 0 or i == n):
            typer.echo(f"  [{i}/{n}] {graph}", err=True)

    def on_retry(attempt: int, most: int, what: str, why: str, wait: float) -> None:
        typer.echo(f"kg: retry {attempt}/{most} for {what} after {why} (waiting {wait:.1f} s)", err=True)

    try:
        if query_endpoint:
            check_endpoint(query_endpoint, "--query-endpoint")    # refuse a bad URL before sending anything
        try:
            source = open_store(store)
        except RuntimeError as exc:    # RocksDB reports a damaged store as RuntimeError
            raise StoreReadError(f"cannot open the store, it is damaged ({str(exc).splitlines()[0][:200]}); "
                                 f"rebuild it with `kg build ARTICLES --store {store}`") from None
        report = load_store(source, endpoint, update_endpoint, params, retries=retries, timeout=timeout,
                            progress=progress, concurrency=concurrency, on_retry=on_retry, bulk=bulk,
                            query_endpoint=query_endpoint)
        rate = report.triples / report.seconds if report.seconds else 0
        how = f" ({report.bulk_graphs} in one bulk request)" if bulk else ""
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


@app.command()
def serve(
    store: Annotated[Path, typer.Option("--store", help="The store to serve.")] = DEFAULT_STORE,
    port: Annotated[int, typer.Option(help="TCP port on 127.0.0.1.")] = 7878,
    host: Annotated[str, typer.Option(help="Address to bind (the loopback address unless you mean it).")] = "127.0.0.1",
    write: Annotated[bool, typer.Option("--write", help="Accept SPARQL Update and Graph Store writes.")] = False,
) -> None:
    """Serve the store as a SPARQL endpoint with the Oxigraph server and its query UI (read-only by default)."""
    from .serve import serve as run_server
    if not store.is_dir():
        _fail(f"{store}: no store here; build one with `kg build PATH --store {store}`")
    typer.echo(f"Open http://{host}:{port}/ for the query UI; SPARQL endpoint http://{host}:{port}/query"
               f"{'' if write else ' (read-only)'}. Stop with Ctrl-C.")
    try:
        raise typer.Exit(run_server(store, host, port, write))
    except KgError as exc:
        _fail(str(exc))


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
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="kg: %(message)s", stream=sys.stderr)
