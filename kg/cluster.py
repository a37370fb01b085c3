"""Build on a Dask distributed cluster (`kg build --cluster ADDRESS`): the same graph as kg.pipeline.build_graph,
byte for byte, with the per-article work done by the cluster's workers.

The build is a map over articles and a keyed merge. The article files are cut into partitions (runs of
files in key order); each partition is read and its facts extracted on a worker (kg.pipeline._facts_of
through the extraction cache of the worker's machine); the client gathers the facts, drops duplicates and
resolves entities (kg.resolve, keyed by official codes, lexicon keys and names: the cheap part); each
partition then receives the slice of the resolved table its articles need (kg.emit.EmitTable) and its
workers emit and validate the article graphs; the client gathers them, validates their union and leaves
out the offending nodes (kg.validate.prune_chunks) as a local build does. The result is written as N-Quads
partitions, OUT/part-00000.nq, ...: the N-Quads output of kg.pipeline.write_outputs cut between article
graphs, so that their concatenation is byte for byte the `kg build -o kg.nq` file of a local build; plus
the usual output file and store when asked.

Inputs and the partition folder may be any fsspec URL (s3://, gs://, hdfs://, file://...): workers on
other machines read the articles themselves, and fsspec needs the backend of the scheme (s3fs, gcsfs...)
installed on the client and on every worker. Local paths are read exactly as by a local build; they must
be on storage every worker sees at the same path (the same machine, or a shared file system).

A worker lost mid-build loses nothing: Dask computes its partitions again on another worker. A partition
whose task fails (a worker killed by one article several times over, say) is read again one article per
task, and only the articles that fail again are reported as skipped, with their file, as a local build
reports an article it cannot read."""
from __future__ import annotations

import logging
import os
import posixpath
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .articles import MAX_ARTICLE_BYTES, Source, article_sources, as_utf8, decode, parse_article
from .emit import EmitTable, emit_table, graph_names
from .errors import ArticleError, KgError
from .facts import ArticleFacts
from .lexicon import load_lexicon
from .caches import cache_dir
from .pipeline import (BuildResult, Skip, _collect, _drop_duplicates, _extract_cached, _facts_of, _item_facts,
                       emit_validated, receive_emitted)
from .resolve import KnowledgeBase, Node, resolve_entities
from .sources import Fetcher, kind_of, read_items, split_inputs
from .spool import Spool
from .validate import prune_chunks

log = logging.getLogger("kg")

LOCAL_PREFIX = "local:"
PART_NAME = "part-{:05d}.nq"
PART_PATTERN = re.compile(r"part-\d{5,}\.nq")
MAX_PARTITION = 512          # articles per partition at most
PARTITIONS_PER_WORKER = 4    # at least this many partitions per worker, so that a slow one does not hold the build
CONNECT_TIMEOUT = "30s"     # for reaching a scheduler
_REMOTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")

Progress = Callable[[int, int, str, str], None]   # (i, n, what, phase)


# ------------------------------------------------------------------ the cluster


@contextmanager
def connect(address: str) -> Iterator[object]:
    """A dask.distributed Client of the scheduler at ADDRESS ("tcp://host:8786"), or of a LocalCluster of N
    worker processes for "local:N"; closed (and the local cluster stopped) on leaving."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:   # pragma: no cover - a dependency of the package
        raise KgError(f"--cluster needs dask.distributed ({exc}); pip install 'dask[distributed]'") from exc
    if not log.isEnabledFor(logging.INFO):   # its lines (workers starting, restarted, closing) only with -v
        logging.getLogger("distributed").setLevel(logging.ERROR)
    cluster = None
    if address.startswith(LOCAL_PREFIX):
        count = address[len(LOCAL_PREFIX):]
        if not count.isdigit() or not 1 <= int(count) <= 1024:
            raise KgError(f"--cluster {address}: give local:N with N the number of worker processes (1 to 1024), "
                          "or the scheduler's address (tcp://HOST:8786)")
        try:
            cluster = LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.CRITICAL)   # any free port; no shutdown noise
            client = Client(cluster)
        except Exception as exc:   # noqa: BLE001 - ports, fork limits, memory: one line for the user
            if cluster is not None:
                cluster.close()
            raise KgError(f"--cluster {address}: cannot start the local cluster ({type(exc).__name__}: "
                          f"{' '.join(str(exc).split())[:200]})") from exc
    else:
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT)
        except Exception as exc:   # noqa: BLE001 - OSError, TimeoutError, ValueError for a bad address
            raise KgError(f"--cluster {address}: cannot reach the Dask scheduler ({type(exc).__name__}: "
                          f"{' '.join(str(exc).split())[:200]}); start one with `dask scheduler` and workers "
                          "with `dask worker ADDRESS`, or give local:N") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _worker_count(client) -> int:
    try:
        return max(1, len(client.scheduler_info()["workers"]))
    except Exception:   # noqa: BLE001 - only a hint for the partition size
        return 1


def partitions_of(items: list, workers: int) -> list[list]:
    """ITEMS cut into runs in their order: at least PARTITIONS_PER_WORKER per worker, at most MAX_PARTITION each."""
    if not items:
        return []
    size = max(1, min(MAX_PARTITION, -(-len(items) // (workers * PARTITIONS_PER_WORKER))))
    return [items[i:i + size] for i in range(0, len(items), size)]


# ------------------------------------------------------------------ fsspec inputs


def is_remote(path: str | os.PathLike) -> bool:
    """Whether PATH is an fsspec URL read through fsspec (any scheme but http(s), which kg.sources fetches)."""
    m = _REMOTE.match(str(path)) if isinstance(path, str) else None
    return bool(m) and m.group(1).lower() not in ("http", "https")


def _filesystem(url: str):
    """fsspec's file system and path of URL; a KgError naming the backend to install when it is missing."""
    import fsspec
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        scheme = url.split("://", 1)[0]
        raise KgError(f"{url}: {scheme}:// paths need fsspec's backend for {scheme} installed on this machine and on "
                      f"every worker (e.g. pip install s3fs for s3://, gcsfs for gs://): {exc}") from exc


@dataclass(frozen=True)
class RemoteSource:
    url: str        # the file to read, an fsspec URL
    key: str        # its name in the graph, as kg.articles.Source.key


def remote_sources(urls: Iterable[str]) -> tuple[list[RemoteSource], list[str]]:
    """The article files (*.txt) named by the fsspec URLS, keyed as kg.articles.article_sources keys local files
    (a file by its name, a file in a folder by its path under it); and a message for each URL that names
    nothing readable here."""
    found, skipped = [], []
    for url in urls:
        fs, root = _filesystem(url)
        protocol = url.split("://", 1)[0]
        try:
            if fs.isdir(root):
                names = sorted(p for p in fs.find(root) if p.endswith(".txt"))
                base = root.rstrip("/")
                found += [RemoteSource(f"{protocol}://{p}", posixpath.relpath(p, base)) for p in names]
            elif fs.exists(root):
                if kind_of(Path(root)):
                    skipped.append(f"{url}: pages and JSON Lines are read from local paths only; give *.txt "
                                   "article files here")
                else:
                    found.append(RemoteSource(url, posixpath.basename(root)))
            else:
                skipped.append(f"{url}: no such file")
        except OSError as exc:
            raise KgError(f"{url}: cannot list ({exc})") from exc
    return sorted(found, key=lambda s: (s.key, s.url)), skipped


def _read_remote(source: RemoteSource, lexicon):
    def read():
        import fsspec
        try:
            with fsspec.open(source.url, "rb") as fh:
                data = fh.read(MAX_ARTICLE_BYTES + 1)
        except FileNotFoundError as exc:
            raise ArticleError(f"{source.url}: no such file") from exc
        except IsADirectoryError as exc:
            raise ArticleError(f"{source.url}: is a directory, expected an article file") from exc
        except (OSError, ImportError, ValueError) as exc:
            raise ArticleError(f"{source.url}: cannot read ({exc})") from exc
        if len(data) > MAX_ARTICLE_BYTES:
            raise ArticleError(f"{source.url}: more than {MAX_ARTICLE_BYTES / 1e6:.0f} MB is too large for one "
                               "article; split it into one file per article")
        article = parse_article(decode(as_utf8(data, source.url), source.url), source.url, lexicon)
        return replace(article, source=source.key)
    return _facts_of(read, source.url, lexicon)


# ------------------------------------------------------------------ the tasks (run on the workers)


def extract_partition(sources: list) -> list[ArticleFacts | Skip]:
    """Read and extract the articles of one partition, in its order (a task)."""
    lexicon, folder = load_lexicon(), cache_dir()
    out = []
    for s in sources:
        if isinstance(s, Source):
            out.append(_extract_cached(s, lexicon, folder))
        elif isinstance(s, RemoteSource):
            out.append(_read_remote(s, lexicon))
        else:   # a page or a JSON Lines record (kg.sources.Item), read by the client
            out.append(_item_facts(s, lexicon))
    return out


def emit_partition(table: EmitTable) -> list[tuple[str, bytes, tuple, object, bytes, list]]:
    """Emit and validate the graphs of the articles of one partition's TABLE (see table_slice), in key order,
    as kg.pipeline._emit_many (a task): see kg.pipeline.emit_validated."""
    table.lexicon = load_lexicon()
    return emit_validated(table, sorted(table.articles))


def table_slice(table: EmitTable, sources: list[str]) -> EmitTable:
    """What emitting SOURCES needs from TABLE: their articles, nodes (without the evidence of other articles,
    which emitting does not read), facts and IRIs. The lexicon is the worker's own (the same files)."""
    nodes = {s: [(Node(n.key, n.type, n.label, n.aliases), ev) for n, ev in table.nodes[s]] for s in sources}
    facts = {s: table.facts[s] for s in sources}
    keys = {n.key for s in sources for n, _ in nodes[s]}
    keys |= {k for s in sources for f in facts[s] for k in ((f.subject, f.object) if f.is_link else (f.subject,))}
    return EmitTable(None, None, {k: table.iris[k] for k in keys}, {s: table.articles[s] for s in sources},
                     nodes, facts)


# ------------------------------------------------------------------ the build (on the client)


def _run(client, fn, partitions: list, progress: Progress | None, phase: str) -> list:
    """FN over PARTITIONS on the cluster; the results in partition order, and the exception for a partition
    whose task failed (after Dask's own retries on lost workers). The partitions travel in the tasks (not
    scattered): the scheduler keeps them, so a task lost with its worker can run again elsewhere. Only a few
    tasks per worker are in flight, so the scheduler never holds the whole corpus's partitions at once
    (and no single submission is large)."""
    from distributed import as_completed
    if not partitions:
        return []
    results: list = [None] * len(partitions)
    index: dict = {}
    todo = iter(enumerate(partitions))
    running = as_completed()

    def submit() -> None:
        for i, part in todo:
            future = client.submit(fn, part, pure=False)
            index[future.key] = i
            running.add(future)
            return

    for _ in range(max(4, 2 * _worker_count(client))):
        submit()
    done = 0
    for future in running:
        i = index.pop(future.key)
        try:
            results[i] = future.result()
        except Exception as exc:   # noqa: BLE001 - KilledWorker, or a bug met by one partition
            results[i] = exc
        future.release()
        done += 1
        if progress:
            progress(done, len(partitions), f"partition {i + 1}", phase)
        submit()
    return results


def _where(s) -> str:
    return s.url if isinstance(s, RemoteSource) else str(s.path) if isinstance(s, Source) else s.where


def _extract_all(client, partitions: list, progress: Progress | None) -> list[ArticleFacts | Skip]:
    results = _run(client, extract_partition, partitions, progress, "reading on the cluster")
    out = []
    for part, result in zip(partitions, results):
        if not isinstance(result, BaseException):
            out += result
            continue
        log.warning("cluster: a partition of %d article(s) failed (%s: %s); reading them one by one",
                    len(part), type(result).__name__, result)
        singles = _run(client, extract_partition, [[s] for s in part], None, "")
        for s, single in zip(part, singles):
            if isinstance(single, BaseException):
                why = " ".join(str(single).split())[:300]
                out.append(Skip(f"{_where(s)}: not read: its task failed on the cluster ({type(single).__name__}: "
                                f"{why})"))
            else:
                out += single
    return out


ITEM_BATCH = 64   # pages or JSON Lines records per task


def _extract_items(client, items: Iterable, workers: int) -> Iterator[ArticleFacts | Skip]:
    """extract_partition over the pages and JSON Lines records ITEMS (kg.sources.read_items: an Item, or a
    message where one could not be read) in batches, in their order, with only a few batches in flight: a
    JSON Lines corpus of any size is never held whole."""
    from collections import deque
    pending: deque = deque()   # a message, or (future, its batch)
    batch: list = []

    def submit() -> None:
        if batch:
            pending.append((client.submit(extract_partition, list(batch), pure=False), list(batch)))
            batch.clear()

    def first() -> list:
        head = pending.popleft()
        if isinstance(head, str):
            return [Skip(head)]
        future, part = head
        try:
            return future.result()
        except Exception:   # noqa: BLE001 - as _extract_all: read again one by one, report what fails again
            return _extract_all(client, [part], None)
        finally:
            future.release()

    for item in items:
        if isinstance(item, str):
            submit()
            pending.append(item)
        else:
            batch.append(item)
            if len(batch) >= ITEM_BATCH:
                submit()
        while len(pending) > workers * PARTITIONS_PER_WORKER:
            yield from first()
    submit()
    while pending:
        yield from first()


def cluster_build(client, paths: Iterable[str | os.PathLike], progress: Progress | None = None,
                  urls: Iterable[str] = (), fetcher: Fetcher | None = None) -> BuildResult:
    """kg.pipeline.build_graph on the cluster of CLIENT (a dask.distributed Client): the same BuildResult.
    PATHS may hold fsspec URLs (see the module docstring)."""
    lexicon = load_lexicon()
    paths = list(paths)
    remote = [str(p) for p in paths if is_remote(p)]
    local, urls = split_inputs([p for p in paths if not is_remote(p)], urls)
    files = [s for s in article_sources(local) if not kind_of(s.path)]   # pages and JSON Lines: kg.sources
    found, skipped_remote = remote_sources(remote)
    workers = _worker_count(client)
    per_article: list[ArticleFacts] = []
    skipped: list[str] = []
    for result in _extract_all(client, partitions_of([*files, *found], workers), progress):
        _collect(result, per_article, skipped)
    for msg in skipped_remote:
        _collect(Skip(msg), per_article, skipped)
    for result in _extract_items(client, read_items(local, urls, fetcher), workers):
        _collect(result, per_article, skipped)
    per_article = _drop_duplicates(per_article, skipped)
    warnings = [w for af in per_article for w in af.article.warnings]
    if progress:
        progress(1, 1, "the keyed merge", "resolving entities")
    kb: KnowledgeBase = resolve_entities(per_article, lexicon)
    table = emit_table(kb, lexicon)
    parts = partitions_of(sorted(table.articles), workers)
    results = _run(client, emit_partition, [table_slice(table, p) for p in parts], progress,
                   "writing RDF and validating on the cluster")
    del table
    graphs, first_pass = {}, {}
    spool = Spool()   # the emitted graphs: in a temporary file, not in memory (kg.spool)
    for i, part in enumerate(parts):
        result, results[i] = results[i], None   # spooled: no longer held here
        if isinstance(result, BaseException):
            raise KgError(f"the cluster could not emit the graphs of {len(part)} article(s) ({part[0]} ...): "
                          f"{type(result).__name__}: {' '.join(str(result).split())[:300]}; nothing written")
        receive_emitted(result, spool, graphs, first_pass)
    report = prune_chunks(graphs, kb, lexicon, first_pass=first_pass)
    return BuildResult(graphs, kb, report, skipped, warnings, graph_names(kb))


# ------------------------------------------------------------------ the partitions


def write_partitions(nquads: Path, folder: str | os.PathLike, per_part: int) -> list[str]:
    """Split the N-Quads file NQUADS (the output of kg.pipeline.write_outputs: each graph's quads together, in
    the store's order) into FOLDER/part-00000.nq, ... of PER_PART graphs each (a local path or an fsspec URL),
    and return their paths: their concatenation in name order is NQUADS byte for byte, and each article graph
    lies whole in one partition (so `kg load --bulk` replaces it whole). Each file is written under a hidden
    name and renamed when complete, and the partition files of an earlier build that this one does not
    write are removed: FOLDER then holds exactly this build."""
    url = str(folder)
    fs, root = _filesystem(url) if is_remote(url) else _filesystem(os.path.abspath(url))
    written: list[str] = []
    try:
        if fs.exists(root) and not fs.isdir(root):
            raise KgError(f"{url}: is a file; --parts names the folder of the partition files")
        fs.makedirs(root, exist_ok=True)
        out, graphs, last = None, 0, None

        def finish() -> None:
            out.close()
            name = posixpath.join(root, PART_NAME.format(len(written)))
            fs.mv(posixpath.join(root, "." + PART_NAME.format(len(written)) + ".tmp"), name)
            written.append(name)

        with open(nquads, "rb") as fh:
            for line in fh:
                graph = line.rsplit(b" ", 2)[-2]   # "S P O G .": IRIs hold no space, literals come before G
                if graph != last:
                    last = graph
                    if out is not None and graphs == per_part:
                        finish()
                        out = None
                    if out is None:
                        out, graphs = fs.open(posixpath.join(root, "." + PART_NAME.format(len(written)) + ".tmp"),
                                              "wb"), 0
                    graphs += 1
                out.write(line)
        if out is not None:
            finish()
        keep = set(written)
        for old in fs.ls(root, detail=False):
            if PART_PATTERN.fullmatch(posixpath.basename(old)) and old not in keep:
                fs.rm(old)
    except OSError as exc:
        raise KgError(f"{url}: cannot write the partitions ({exc.strerror or exc})") from exc
    return written


def partition_files(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The N-Quads files named by PATHS: files as given, and the part-*.nq (else *.nq) files of folders, in
    name order."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(q for q in p.iterdir() if PART_PATTERN.fullmatch(q.name) and q.is_file())
            files = files or sorted(q for q in p.glob("*.nq") if q.is_file())
            if not files:
                raise KgError(f"{p}: no partition files (part-00000.nq, ...) in this folder")
            out += files
        elif p.exists():
            out.append(p)
        else:
            raise KgError(f"{p}: no such file or folder")
    return out


def partition_size(client, graphs: int) -> int:
    """Article graphs per partition file for a build of GRAPHS graphs on CLIENT's cluster (as partitions_of)."""
    return max(1, min(MAX_PARTITION, -(-graphs // (_worker_count(client) * PARTITIONS_PER_WORKER))))


def check_parts_target(folder: str | os.PathLike) -> None:
    """Refuse a partition folder that cannot be written before anything is built."""
    url = str(folder)
    fs, root = _filesystem(url) if is_remote(url) else _filesystem(os.path.abspath(url))
    try:
        if fs.exists(root) and not fs.isdir(root):
            raise KgError(f"{url}: is a file; --parts names the folder of the partition files")
    except OSError as exc:
        raise KgError(f"{url}: cannot write the partitions ({exc.strerror or exc})") from exc


def parts_store(paths: Iterable[str | os.PathLike], directory: Path):
    """An Oxigraph store in DIRECTORY (a new folder) holding the named graphs of the partition files named by
    PATHS (see partition_files), for kg.load.load_store: the per-graph replace, the bulk POST and the check
    of what the server holds then work as for the store of a build. A file that is not N-Quads is refused
    with its name and line."""
    import pyoxigraph as ox
    store = ox.Store(str(directory))
    for f in partition_files(paths):
        try:
            with open(f, "rb") as fh:
                while lines := fh.readlines(16 << 20):
                    store.bulk_load(input=b"".join(lines), format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            raise KgError(f"{f}: not an N-Quads partition file ({' '.join(str(exc).split())[:200]})") from None
        except OSError as exc:
            raise KgError(f"{f}: cannot read ({exc.strerror or exc})") from exc
    if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        raise KgError(f"{', '.join(map(str, paths))}: the partition files hold triples outside any named graph; "
                      "kg load sends one graph per article (N-Quads with a graph on every line)")
    return store


def load_location(paths: Iterable[str | os.PathLike], store, location: Path) -> dict[str, int]:
    """Load the partition files named by PATHS (their graphs are those of STORE, see parts_store) into the
    Oxigraph data folder LOCATION (a server's --location, with the server stopped) with `oxigraph load`, each
    graph replacing the graph of that name there; return the triple count of each graph, checked against
    LOCATION afterwards. Re-running an interrupted load ends with the same content."""
    import subprocess
    import pyoxigraph as ox
    from .serve import oxigraph_binary
    from .store import store_graphs
    graphs = store_graphs(store)
    counts = {g: sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(g))) for g in graphs}
    binary = oxigraph_binary()
    try:
        target = ox.Store(str(location))
    except OSError as exc:
        raise KgError(f"{location}: cannot open the Oxigraph data folder ({' '.join(str(exc).split())[:200]}); "
                      "stop the server using it, or send to its --endpoint instead") from None
    try:
        for g in graphs:   # replace: what the location holds of these graphs goes first
            if target.contains_named_graph(ox.NamedNode(g)):
                target.remove_graph(ox.NamedNode(g))
        target.flush()
    finally:
        del target
    files = [str(f) for f in partition_files(paths)]
    done = subprocess.run([binary, "load", "--location", str(location), "--format", "application/n-quads",
                           "--file", *files], capture_output=True, text=True)
    if done.returncode != 0:
        why = " ".join((done.stderr or done.stdout).split())[-300:]
        raise KgError(f"{location}: oxigraph load failed (exit {done.returncode}: {why})")
    target = ox.Store.read_only(str(location))
    try:
        wrong = [g for g in graphs if sum(1 for _ in target.quads_for_pattern(None, None, None, ox.NamedNode(g)))
                 != counts[g]]
    finally:
        del target
    if wrong:
        raise KgError(f"{location}: holds other triple counts than the partitions for {len(wrong)} graph(s) "
                      f"(e.g. {wrong[0]}); the load failed")
    return counts


def _line_ranges(path: Path, n: int) -> list[tuple[int, int]]:
    """At most N byte ranges (start, end) of about equal size that cover PATH and cut it only after a line end."""
    size = path.stat().st_size
    cuts = [0]
    with open(path, "rb") as fh:
        for k in range(1, n):
            fh.seek(max(cuts[-1], size * k // n))
            fh.readline()            # on to the end of the line the cut falls in
            if cuts[-1] < fh.tell() < size:
                cuts.append(fh.tell())
    return list(zip(cuts, cuts[1:] + [size]))


def load_partitions(paths: Iterable[str | os.PathLike], endpoint: str, params: dict[str, str] | None = None,
                    query_endpoint: str | None = None, retries: int = 5, timeout: float = 60.0,
                    progress: Callable[[int, int, str], None] | None = None, on_retry=None, concurrency: int = 1):
    """`kg load --bulk PARTS --endpoint URL`: send the partition files named by PATHS straight to the Graph
    Store endpoint (Oxigraph's POST /store with N-Quads), each file as it is, streamed from disk; return the
    kg.load.LoadReport for kg.load.verify_load. Every file is parsed first (one that is not N-Quads is refused
    with its name and line before anything is sent). The graphs the server holds already, and graphs with
    blank nodes, are replaced one by one (PUT ?graph=IRI), so an incremental load replaces the articles it
    holds; a graph in two of the files is refused. CONCURRENCY requests travel at once (Oxigraph loads
    concurrent requests on several cores): files, or pieces of whole lines of them when there are fewer files. Retried or re-run, the load converges as kg.load's does."""
    import time
    import pyoxigraph as ox
    import threading
    from .load import (BULK_CHUNK, LoadReport, _Client, _held_graphs, _in_parallel, _with_params, check_endpoint,
                       credentials, query_endpoint_for, shown)
    url = check_endpoint(endpoint, "--endpoint")
    check = query_endpoint or query_endpoint_for(url)
    if check is None:
        raise KgError(f"--bulk needs the server's SPARQL query endpoint to see which graphs it already holds "
                      f"(they are replaced one by one), and none is known for {shown(url)}: give --query-endpoint URL")
    check_endpoint(check, "--query-endpoint")
    if timeout <= 0:
        raise KgError("--timeout must be a positive number of seconds")
    files = partition_files(paths)
    where: dict[str, Path] = {}
    contents: list[dict[str, int]] = []
    separate: set[str] = set()   # graphs with blank nodes: a repeated POST would add them twice
    for f in files:
        counts: dict[str, int] = {}
        try:
            for q in ox.parse(path=str(f), format=ox.RdfFormat.N_QUADS):
                if not isinstance(q.graph_name, ox.NamedNode):
                    raise KgError(f"{f}: holds triples outside any named graph; kg load sends one graph per "
                                  "article (N-Quads with a graph on every line)")
                g = q.graph_name.value
                counts[g] = counts.get(g, 0) + 1
                if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                    separate.add(g)
        except SyntaxError as exc:
            raise KgError(f"{f}: not an N-Quads partition file ({' '.join(str(exc).split())[:200]})") from None
        except OSError as exc:
            raise KgError(f"{f}: cannot read ({exc.strerror or exc})") from exc
        for g in counts:
            if g in where:
                raise KgError(f"{f}: the graph <{g}> is also in {where[g]}; give the partitions of one build")
            where[g] = f
        contents.append(counts)
    report = LoadReport()
    start = time.perf_counter()
    client = _Client(credentials(), retries, 0.5, timeout, time.sleep, on_retry, report)
    post_url = _with_params(url, params or {})
    try:
        held = _held_graphs(client, check, sorted(where))
        lock = threading.Lock()
        jobs: list[tuple[Path, dict[str, int], int, int]] = []   # (file, its counts, byte range)
        pieces: dict[Path, int] = {}
        for f, counts in zip(files, contents):
            whole = any(g in held or g in separate for g in counts)
            n = 1 if whole or concurrency <= len(files) else -(-concurrency // len(files))
            ranges = [(0, -1)] if whole else _line_ranges(f, n)
            pieces[f] = len(ranges)
            jobs += [(f, counts, start, end) for start, end in ranges]

        def send_piece(job: tuple[Path, dict[str, int], int, int]) -> None:
            f, counts, start, end = job
            replaced = [g for g in counts if g in held or g in separate]
            deadline = timeout * max(1, -(-len(counts) // 100))
            if not replaced:   # a range of whole lines: graphs cut in two are added to, never replaced
                def chunks() -> Iterator[bytes]:   # afresh for each attempt
                    with open(f, "rb") as fh:
                        fh.seek(start)
                        left = end - start
                        while left > 0 and (chunk := fh.read(min(BULK_CHUNK, left))):
                            left -= len(chunk)
                            yield chunk
                client.send("POST", post_url, chunks, {"Content-Type": "application/n-quads"},
                            f"bulk load of {f}" + (f" (bytes {start}-{end - 1})" if pieces[f] > 1 else ""),
                            timeout=deadline)
                added, posts = counts, 1
            else:   # rare (an incremental load): the file is read whole, its graphs sorted out
                quads = list(ox.parse(path=str(f), format=ox.RdfFormat.N_QUADS))
                kept = set(replaced)
                rest = [q for q in quads if q.graph_name.value not in kept]
                posts = 1 if rest else 0
                if rest:
                    client.send("POST", post_url, ox.serialize(rest, format=ox.RdfFormat.N_QUADS),
                                {"Content-Type": "application/n-quads"}, f"bulk load of {f}", timeout=deadline)
                for g in replaced:
                    data = ox.serialize([q.triple for q in quads if q.graph_name.value == g],
                                        format=ox.RdfFormat.N_TRIPLES)
                    client.send("PUT", _with_params(url, {"graph": g, **(params or {})}), data,
                                {"Content-Type": "application/n-triples"}, g)
                added = {g: n for g, n in counts.items() if g not in kept}
            with lock:
                report.bulk_requests += posts
                pieces[f] -= 1
                if pieces[f]:
                    return   # the file counts once all its pieces are in
                report.counts.update(counts)
                report.graphs += len(counts)
                report.bulk_graphs += len(added)
                report.triples += sum(counts.values())
                report.bytes += f.stat().st_size
                if progress:
                    progress(report.graphs, len(where), str(f))

        # the files hold disjoint graphs (checked above), and a piece of a file only adds triples without
        # blank nodes (a file with any is sent whole), so the pieces may travel in parallel
        _in_parallel(client, send_piece, jobs, concurrency)
    finally:
        client.close()
    report.seconds = time.perf_counter() - start
    return report
