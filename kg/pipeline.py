"""Run the stages in order: read -> mentions -> facts -> resolve -> RDF -> validate."""
from __future__ import annotations

import fcntl
import gc
import glob
import hashlib
import io
import os
import pickle
import re
import shutil
import stat
import logging
import tempfile
import traceback
import multiprocessing as mp
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from contextlib import contextmanager, nullcontext
from functools import cache, cached_property, partial

from .articles import Article, Source, article_sources, read_article
from .caches import cache_dir
from .errors import ArticleError, KgError
from .facts import ArticleFacts, extract_facts
from .lexicon import Lexicon, load_lexicon
from .mentions import find_mentions
from .emit import EmitTable, article_terms, emit_table, graph_names
from .iris import article_segment
from .resolve import KnowledgeBase, resolve_entities
from .spool import Spool, in_graph, is_spooled, line_count, packed_terms, raw as raw_chunk, text as graph_text
from .sources import Fetcher, Item, item_article, kind_of, read_items, split_inputs
from .validate import Report, counted_lines, prune_chunks, validate_ntriples

if TYPE_CHECKING:
    from rdflib import Dataset, Graph   # imported where they are used: a build needs no rdflib

log = logging.getLogger("kg")


@dataclass
class BuildResult:
    triples: dict[str, dict[str, str]]   # one graph per article (by file name), its N-Triples by subject
                                         # (kg.validate.by_subject: each subject's lines sorted); conforms to
                                         # the shapes. A build's are kg.spool.SpooledGraphs (kept in a
                                         # temporary file, read as such dicts)
    kb: KnowledgeBase
    report: Report                       # the violations found before the offending nodes were left out
    skipped: list[str] = field(default_factory=list)   # one message per article file that was not read
    warnings: list[str] = field(default_factory=list)  # read, but something was odd ("no dateline")
    names: dict[str, str] = field(default_factory=dict)   # the graph IRI term of each article
    per_article: list = field(default_factory=list, repr=False)   # the ArticleFacts read (kg.incremental's state)
    preload: object = field(default=None, repr=False, compare=False)   # kg.store.PreLoad: the graphs loaded
                                         # into the new store as they were emitted (build_graph's PRELOAD)
    parsed: bool = field(default=False, repr=False, compare=False)   # every line of TRIPLES was parsed strictly
                                         # (build_graph's workers: emit_validated) and every name is an IRI:
                                         # the store loads them without checking again (kg.store.write_store)

    @property
    def articles(self) -> list[Article]:
        return self.kb.articles

    @property
    def node_types(self) -> Counter:
        """Class -> its nodes (those the union check left out included)."""
        return Counter(n.type for n in self.kb.nodes.values())

    def write_nquads(self, fh, progress: Callable[..., None] | None = None) -> int:
        """Write all article graphs as N-Quads to the binary file FH, graph by graph in the order of their
        IRIs, each graph's lines sorted (its subjects in order, each subject's lines sorted: see
        kg.validate.by_subject); return the number of quads. PROGRESS(i, source) after each graph."""
        count = 0
        for i, source in enumerate(sorted(self.triples, key=self.names.__getitem__), start=1):
            if progress is not None:
                progress(i, source)
            data = graph_text(self.triples[source])
            count += data.count(b"\n")
            fh.write(in_graph(data, self.names[source]))
        return count

    def write_ntriples(self, fh, progress: Callable[..., None] | None = None) -> int:
        """Write the union of the article graphs as N-Triples to the binary file FH, every triple once, the
        lines sorted (subject by subject: a subject term is never a prefix of another's line); return the
        number of triples. PROGRESS(i, n) as the N subjects are written."""
        where: dict[str, object] = {}   # subject -> the graph describing it, or a list of the graphs
        for chunks in self.triples.values():
            for subject in chunks:
                found = where.setdefault(subject, chunks)
                if found is not chunks:
                    if isinstance(found, list):
                        found.append(chunks)
                    else:
                        where[subject] = [found, chunks]
        count, out = 0, []
        subjects = sorted(where)
        for j, subject in enumerate(subjects, start=1):
            found = where.pop(subject)
            if isinstance(found, list):
                lines = sorted({ln for chunks in found for ln in raw_chunk(chunks, subject).splitlines()})
                out.append(b"\n".join(lines) + b"\n")
            else:
                out.append(raw_chunk(found, subject))
            if len(out) >= 4096:
                data = b"".join(out)
                count += data.count(b"\n")
                fh.write(data)
                out.clear()
                if progress is not None:
                    progress(j, len(subjects))
        data = b"".join(out)
        count += data.count(b"\n")
        fh.write(data)
        if progress is not None:
            progress(len(subjects), len(subjects))
        return count

    @cached_property
    def nquads(self) -> bytes:
        """All article graphs as N-Quads (see write_nquads)."""
        buf = io.BytesIO()
        self.write_nquads(buf)
        return buf.getvalue()

    @cached_property
    def union_ntriples(self) -> bytes:
        """The union of the article graphs as N-Triples, every triple once (sorted)."""
        buf = io.BytesIO()
        self.write_ntriples(buf)
        return buf.getvalue()

    @cached_property
    def graphs(self) -> dict[str, Graph]:
        """The article graphs as rdflib Graphs (parsed on demand, for tests and small builds)."""
        from rdflib import Graph
        out = {}
        for source, chunks in self.triples.items():
            g = Graph(identifier=self.names[source][1:-1])
            g.parse(data="".join(chunks.values()), format="nt")
            out[source] = g
        return out

    @cached_property
    def dataset(self) -> Dataset:
        """The article graphs as an rdflib Dataset (built on demand; the store is faster for large builds)."""
        from .rdf import dataset_of
        return dataset_of(self.graphs)

    def __len__(self) -> int:
        return sum(line_count(chunks) for chunks in self.triples.values())


@dataclass(frozen=True)
class Skip:
    """An article file that was not read: the message for the user, and a traceback for -v."""
    message: str
    detail: str = ""


def _extract(source: Source, lexicon: Lexicon) -> ArticleFacts | Skip:
    """Read and extract one article file (see _facts_of)."""
    return _facts_of(lambda: read_article(source.path, lexicon, source=source.key), str(source.path), lexicon)


def _facts_of(read: Callable[[], Article], where: str, lexicon: Lexicon) -> ArticleFacts | Skip:
    """Read one article with READ and extract its facts. An article that cannot be read gives its message;
    any other exception (a bug met by one article's text) skips that article only, never the corpus."""
    stage = "reading"
    try:
        article = read()
        stage = "finding mentions"
        doc = find_mentions(article, lexicon)
        stage = "extracting facts"
        return extract_facts(doc)
    except ArticleError as exc:
        return Skip(str(exc))
    except Exception as exc:   # noqa: BLE001 - one article's bug must not cost the corpus
        message = " ".join(str(exc).split())[:300]
        return Skip(f"{where}: internal error while {stage}: {type(exc).__name__}: {message}",
                    traceback.format_exc())


@cache
def _code_fingerprint() -> bytes:
    """A digest of what extraction depends on besides the article: this package's code and data."""
    import sys
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(sys.version.encode())
    for f in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix not in (".pyc",) and "__pycache__" not in p.parts):
        h.update(str(f.relative_to(root)).encode("utf-8", "surrogatepass") + b"\0")
        h.update(f.read_bytes())
    return h.digest()


def _cache_key(source: Source) -> str | None:
    """The cache key of SOURCE: its bytes, its key and path, and the code. None when it cannot be read
    as an article file (then it is read the ordinary way, which reports why)."""
    from .articles import MAX_ARTICLE_BYTES, read_capped
    try:
        data = read_capped(source.path, MAX_ARTICLE_BYTES)
    except (OSError, ArticleError):
        return None
    h = hashlib.sha256(_code_fingerprint())
    for part in (source.key, str(source.path)):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    h.update(data)
    return h.hexdigest()


def _extract_cached(source: Source, lexicon: Lexicon, folder: Path | None, keyed: bool = False) -> ArticleFacts | Skip:
    """_extract, whose result for the same bytes (same key and path, same code) is kept in FOLDER. KEYED
    without FOLDER: the result's content key is read all the same (kg.incremental's state keeps it), from
    the bytes before they are read for the facts (a file changed meanwhile is read again by the next build)."""
    key = _cache_key(source) if folder is not None or keyed else None
    if key is None:
        return _extract(source, lexicon)
    entry = None if folder is None else folder / key[:2] / f"{key}.pickle"
    if entry is not None:
        try:
            with open(entry, "rb") as fh:
                found = pickle.load(fh)
            if isinstance(found, ArticleFacts):
                found.content = key
                return found
        except FileNotFoundError:
            pass
        except Exception:   # noqa: BLE001 - a damaged entry is read again
            log.info("%s: damaged extraction cache entry, read again", entry)
    result = _extract(source, lexicon)
    if isinstance(result, ArticleFacts):
        result.content = key   # kept by kg.incremental's state: the file need not be hashed again
        if entry is not None:
            try:
                entry.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=entry.parent)
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, entry)
            except OSError as exc:   # a cache that cannot be written costs time, never the build
                log.info("extraction cache not written (%s)", exc)
    return result


def _read_one(source: Source, folder: Path | None = None, keyed: bool = False) -> ArticleFacts | Skip:
    """_extract_cached in a worker process."""
    return _extract_cached(source, load_lexicon(), folder, keyed)


_TABLE: EmitTable | None = None   # set by the main process before it forks the emitting workers


def emit_validated(table: EmitTable, sources: list[str]) -> list[tuple[str, bytes, tuple, object, bytes, list]]:
    """Emit from TABLE and validate the graphs of the articles read from SOURCES, in their order: (source,
    its N-Triples as kg.spool.packed_terms gives them: text, subjects, their ends, digests; violations).
    Run by the build's workers (_emit_many) and the cluster's tasks; the main process spools the text
    (receive_emitted)."""
    out = []
    read = counted_lines()   # what the union check compares of each subject (kg.validate._shared_counts)
    for source in sources:
        text, subjects, ends, digests = packed_terms(article_terms(table, source), read)
        out.append((source, text, subjects, ends, digests, validate_ntriples(text)))
    return out


def receive_emitted(batch: list, spool: Spool, graphs: dict, first_pass: dict, early=None,
                    names: dict[str, str] | None = None) -> None:
    """Put each graph of BATCH (from emit_validated) in SPOOL: GRAPHS[source] is then a kg.spool.SpooledGraph
    and FIRST_PASS[source] its violations. EARLY (a kg.store.PreLoad) loads it as the graph NAMES[source]."""
    for source, text, subjects, ends, digests, violations in batch:
        at = spool.size
        graphs[source] = spool.add(text, subjects, ends, digests)
        first_pass[source] = violations
        if early is not None:
            early.add(at, len(text), names[source])


def _emit_many(sources: list[str]) -> list[tuple[str, bytes, tuple, object, bytes, list]]:
    """emit_validated from the table the main process set before forking (_TABLE)."""
    return emit_validated(_TABLE, sources)


def _chunks(items: list, n: int, most: int = 64) -> list[list]:
    """ITEMS in order, cut into batches for N workers: at most MOST items each, and each a quarter of an N-th
    of what is left, so the batches shrink towards the end and the workers finish together (equal batches
    of 64 left one worker alone with the last for ~20 ms of a one-second phase); at least 8 items each, or a
    quarter of an N-th of them all when that is fewer (a few articles still go to every worker)."""
    least = max(1, min(8, len(items) // (n * 4)))
    out, at = [], 0
    while at < len(items):
        size = max(least, min(most, (len(items) - at) // (n * 4)))
        out.append(items[at:at + size])
        at += size
    return out


def build_graph(paths: Iterable[Path | str], lexicon: Lexicon | None = None,
                progress: Callable[[int, int, str], None] | None = None, workers: int = 1,
                urls: Iterable[str] = (), fetcher: Fetcher | None = None, keep_facts: bool = False,
                preload=None) -> BuildResult:
    """Return the validated article graphs built from the article files under PATHS (text files, web pages,
    JSON Lines corpora: see kg.sources) and the pages at URLS (http(s) URLs among PATHS count too; FETCHER
    says how they are fetched).

    Unreadable articles are skipped and listed in BuildResult.skipped; nodes that violate a shape are left
    out (with every link to them) and listed in BuildResult.report. WORKERS > 1 reads and validates
    articles in that many processes; the result is the same whatever their number. KEEP_FACTS keeps the
    facts read in BuildResult.per_article (for kg.incremental's state). PRELOAD (a kg.store.StoreLock
    held by the caller): the graphs are loaded into a new store beside that one as they are emitted
    (kg.store.PreLoad, in BuildResult.preload: write_outputs finishes it; the caller discards it when it
    writes no store)."""
    with few_full_collections():
        return _build_graph(paths, lexicon, progress, workers, urls, fetcher, keep_facts, preload)


def _build_graph(paths, lexicon, progress, workers, urls, fetcher, keep_facts, preload) -> BuildResult:
    folder = cache_dir() if lexicon is None else None   # a lexicon of the caller's: never cached
    lexicon = lexicon or load_lexicon()
    gc.freeze()   # the lexicons: never scanned again by a collection, here or in the workers forked from here
    say = phased(progress)
    paths, urls = split_inputs(paths, urls)
    files = [s for s in article_sources(paths) if not kind_of(s.path)]   # pages and JSON Lines: kg.sources
    per_article, skipped = [], []
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"), initializer=_reader) as pool:
            results = pool.map(partial(_read_one, folder=folder, keyed=keep_facts), files, chunksize=max(1, min(32, len(files) // (workers * 4) or 1)))
            for i, (source, result) in enumerate(zip(files, results), start=1):
                if progress:
                    progress(i, len(files), str(source.path))
                _collect(result, per_article, skipped)
    else:
        for i, source in enumerate(files, start=1):
            if progress:
                progress(i, len(files), str(source.path))
            _collect(_extract_cached(source, lexicon, folder, keep_facts), per_article, skipped)
    for result in _read_items(read_items(paths, urls, fetcher, progress), lexicon, workers):
        _collect(result, per_article, skipped)
    per_article = _drop_duplicates(per_article, skipped)
    warnings = [w for af in per_article for w in af.article.warnings]
    kb = resolve_entities(per_article, lexicon, progress=ticker(say, "resolving entities", len(per_article)))
    kept_facts = per_article if keep_facts else []
    del per_article
    global _TABLE
    _TABLE = emit_table(kb, lexicon)
    spool = Spool()   # the emitted graphs: in a temporary file, not in memory (kg.spool)
    graphs: dict = {}
    first_pass: dict = {}
    names = graph_names(kb)
    _check_names(names)
    early = None
    try:
        sources = sorted(_TABLE.articles)
        tick = ticker(say, "writing RDF and validating", len(sources))
        tick(0)
        batches = _chunks(sources, workers)
        if workers > 1 and len(sources) > 1:   # forked now, the workers share the resolved table
            with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"), initializer=_worker_gc) as pool:
                emitted = pool.map(_emit_many, batches)   # the workers are forked: no thread of the store's in them
                early = _preload(preload, spool)
                for batch in emitted:
                    receive_emitted(batch, spool, graphs, first_pass, early, names)
                    tick(len(graphs), batch[-1][0])
        else:
            early = _preload(preload, spool)
            for batch in batches:
                receive_emitted(_emit_many(batch), spool, graphs, first_pass, early, names)
                tick(len(graphs), batch[-1][0])
        _TABLE = None   # not needed by the union check: its memory goes now
        tick = ticker(say, "checking the union", 1)
        tick(0)
        report = prune_chunks(graphs, kb, lexicon, first_pass=first_pass)
        tick(1)
        if early is not None:   # the few graphs the union check changed: loaded again as they are now
            early.changed = {names[s]: graph_text(g) for s, g in graphs.items() if not is_spooled(g)}
    except BaseException:
        if early is not None:
            early.discard()
        raise
    finally:
        _TABLE = None
    return BuildResult(graphs, kb, report, skipped, warnings, names, per_article=kept_facts, preload=early,
                       parsed=True)


def _check_names(names: dict[str, str]) -> None:
    """Refuse a graph name (an IRI term, by source) that is not an IRI: the store loads the graphs without
    checking their IRIs again (BuildResult.parsed), and the names are not in the graphs' lines."""
    import pyoxigraph as ox
    for source, name in names.items():
        try:
            ox.NamedNode(name[1:-1])
        except ValueError as exc:
            raise KgError(f"{source}: its graph name {name} is not an IRI ({exc})") from None


def _preload(lock, spool: Spool):
    """A kg.store.PreLoad into a new store beside LOCK's (None: none) reading the graphs from SPOOL (each
    parsed strictly by the workers as they validated it: loaded without checking again)."""
    if lock is None:
        return None
    from .store import PreLoad
    return PreLoad(lock, spool.read, lenient=True)


_FULL_EVERY = 1 << 30   # gen-1 collections between full ones while a build runs: never


@contextmanager
def few_full_collections():
    """No full (generation 2) garbage collection in this process while the block runs, and what exists when
    it starts frozen (gc.freeze). The main process of a build holds millions of objects (the facts read,
    the resolved nodes, the lines of every graph): each full collection scans them all, and they made
    about 1 ms of CPU per article, serial, the second worker waiting. The young generations are still
    collected; what the build leaves is collected as usual after it. Worker processes collect as usual
    (_worker_gc)."""
    old = gc.get_threshold()
    frozen = gc.get_freeze_count()
    gc.set_threshold(old[0], old[1], _FULL_EVERY)
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if not frozen:   # an outer block unfreezes
            gc.unfreeze()


def _reader() -> None:
    """In a worker process that reads articles: _worker_gc, and the patterns it compiles kept when it exits
    (kg.caches.kept_by_worker)."""
    from .caches import kept_by_worker
    _worker_gc()
    kept_by_worker()


def _worker_gc() -> None:
    """In a worker process: garbage collection as usual again (few_full_collections is the main process's)
    for what the worker makes, and everything it inherited at the fork frozen (gc.freeze), so its collections
    never scan that: the emitting workers are forked from a main process holding the resolved knowledge base
    and its emission table (kg.emit.EmitTable), hundreds of thousands of objects. A full collection scanned
    them all (0.2 s of CPU per worker at 2,000 articles) and wrote into each object's header, copying every
    page of them into the worker (copy-on-write)."""
    gc.freeze()
    threshold = gc.get_threshold()
    if threshold[2] == _FULL_EVERY:
        gc.set_threshold(threshold[0], threshold[1], 10)


def phased(progress: Callable[..., None] | None) -> Callable[..., None] | None:
    """PROGRESS as a callback REPORT(i, n, item, phase=...) (see kg.progress): a callback that takes no
    `phase` hears of the reading phase only, as it always did."""
    if progress is None:
        return None
    import inspect
    try:
        params = inspect.signature(progress).parameters.values()
    except (TypeError, ValueError):
        params = ()
    if any(p.name == "phase" or p.kind is p.VAR_KEYWORD for p in params):
        return progress
    return lambda i, n, item, phase="reading": progress(i, n, item) if phase == "reading" else None


def ticker(report: Callable[..., None] | None, phase: str, n: int) -> Callable[..., None]:
    """TICK(i, item="") telling REPORT that I of N items of PHASE are done, about 200 times over the phase."""
    step = max(1, n // 200)

    def tick(i: int, item: str = "") -> None:
        if report is not None and (i % step == 0 or i >= n):
            report(i, n, item, phase=phase)
    return tick


def _item_facts(item: Item, lexicon: Lexicon | None = None) -> ArticleFacts | Skip:
    """Read and extract one web page or JSON Lines record (kg.sources; see _facts_of). Runs in a worker
    process when LEXICON is None."""
    lexicon = load_lexicon() if lexicon is None else lexicon
    return _facts_of(lambda: item_article(item, lexicon), item.where, lexicon)


def _read_items(items: Iterable[Item | str], lexicon: Lexicon, workers: int) -> Iterable[ArticleFacts | Skip]:
    """_item_facts of ITEMS in their order (a message stays a message), in WORKERS processes with only a few
    items in flight: a JSON Lines file of any size is never held whole."""
    if workers <= 1:
        for item in items:
            yield Skip(item) if isinstance(item, str) else _item_facts(item, lexicon)
        return
    from collections import deque
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"), initializer=_worker_gc) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(item if isinstance(item, str) else pool.submit(_item_facts, item))
            while len(pending) > workers * 8 or (pending and isinstance(pending[0], str)):
                head = pending.popleft()
                yield Skip(head) if isinstance(head, str) else head.result()
        for head in pending:
            yield Skip(head) if isinstance(head, str) else head.result()


def _collect(result: ArticleFacts | Skip, per_article: list, skipped: list) -> None:
    if isinstance(result, Skip):
        skipped.append(result.message)
        log.warning("%s", result.message)
        if result.detail:
            log.info("%s", result.detail.rstrip())   # the traceback, shown with -v
    else:
        per_article.append(result)


def _drop_duplicates(per_article: list[ArticleFacts], skipped: list[str]) -> list[ArticleFacts]:
    """The same article under two file names is read once (the first name wins) and the other reported.
    Two sources whose graph IRIs meet (a crafted hash collision) are reported too: never merged."""
    seen: dict[str, str] = {}
    iris: dict[str, str] = {}
    kept = []
    for af in sorted(per_article, key=lambda a: a.article.source):
        digest = hashlib.sha256(" ".join(af.article.text.split()).encode("utf-8")).hexdigest()
        where = af.article.path or af.article.source
        if digest in seen:
            skipped.append(f"{where}: same text as {seen[digest]}; read once")
            continue
        segment = article_segment(af.article.source)
        if segment in iris:
            skipped.append(f"{where}: its graph IRI .../graph/{segment} is that of {iris[segment]}; rename one of them")
            continue
        seen[digest] = iris[segment] = af.article.source
        kept.append(af)
    return kept


STAGE_PREFIX = ".kg-build-"          # a hidden folder beside the output, where a build writes it first
STAGE_LOCK = "kabar-build.lock"      # held by the build writing in that folder while it runs


def _clean_stale_stages(folder: Path, output: Path) -> None:
    """Remove what killed builds left beside OUTPUT: staging folders whose build is gone (their lock is
    free), and the temporary files (.NAME.XXXXXXXX.part) that earlier versions wrote the output through."""
    for stage in folder.glob(STAGE_PREFIX + "*"):
        lock = stage / STAGE_LOCK
        if stage.is_symlink() or not lock.is_file():
            continue
        try:
            with open(lock, "a") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)   # a running build holds it: not stale
        except OSError:
            continue
        shutil.rmtree(stage, ignore_errors=True)
    legacy = re.compile(rf"\.{re.escape(output.name)}\.[a-z0-9_]{{8}}\.part")
    for part in folder.glob(f".{glob.escape(output.name)}.*.part"):
        if legacy.fullmatch(part.name) and part.is_file() and not part.is_symlink():
            part.unlink(missing_ok=True)


DEFER_BYTES = 64 << 20   # a replaced output this large is freed after the build, by a process of its own


class StagedOutput:
    """OUTPUT written first in a staging folder beside it (.kg-build-XXXXXXXX, locked while this build
    runs) and renamed into place by commit(): never half a file, and no temporary name in messages.

    DEFER: what the new output replaces is freed by a process of its own once this build is done (close()),
    when it is a file of DEFER_BYTES or more. Freeing a file's blocks takes time: 0.2-0.26 s of wall for the
    210 MB N-Triples of 10,000 articles on a disk mounted with discard (BENCHMARKS.md, tenth round), a fifth
    of a one-article rebuild. commit() then gives it a second name in the staging folder first, so that the
    rename into place only drops a name; take() moves the previous store there too. A kill at any point leaves
    a staging folder that the next build writing beside OUTPUT removes (_clean_stale_stages)."""

    def __init__(self, output: Path, defer: bool = False) -> None:
        self.output = output
        folder = output.parent
        folder.mkdir(parents=True, exist_ok=True)
        _clean_stale_stages(folder, output)
        self.folder = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=folder))
        self._lock = open(self.folder / STAGE_LOCK, "w")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.path = self.folder / f"out{output.suffix.lower()}"
        self.defer = defer
        self.deferred: list[Path] = []   # what close() leaves to the process of its own

    def commit(self) -> None:
        if self.defer:
            self._set_aside()
        os.replace(self.path, self.output)

    def _set_aside(self) -> None:
        """Give the output about to be replaced a second name in the staging folder, when it is a file (not a
        link) of DEFER_BYTES or more."""
        try:
            st = os.lstat(self.output)
            if stat.S_ISREG(st.st_mode) and st.st_size >= DEFER_BYTES:
                aside = self.folder / "replaced"
                os.link(self.output, aside, follow_symlinks=False)
                self.deferred.append(aside)
        except OSError:   # no output yet, or no second name here: freed as it is replaced
            pass

    def take(self, folder: Path) -> bool:
        """Move FOLDER (the previous store, which nothing needs any more) into the staging folder, to be removed
        with the replaced output; False (left where it is) unless an output was set aside, or when it cannot be
        moved there (another file system)."""
        if not self.deferred:
            return False
        try:
            moved = self.folder / "previous-store"
            os.rename(folder, moved)
        except OSError:
            return False
        self.deferred.append(moved)
        return True

    def close(self) -> None:
        self._lock.close()
        if not (self.deferred and _remove_later(self.folder, self.deferred)):
            shutil.rmtree(self.folder, ignore_errors=True)


def _remove_later(folder: Path, first: list[Path]) -> bool:
    """Start removing the staging FOLDER, the paths FIRST in it first (its lock last, so that a removal cut
    short leaves a folder that _clean_stale_stages recognises), in a process this one does not wait for:
    /bin/sh starts rm in the background and returns. Return whether it started."""
    script = 'rm -rf -- "$@"; rm -rf -- "$0"'
    try:
        pid = os.posix_spawn("/bin/sh", ["sh", "-c", f"({script}) </dev/null >/dev/null 2>&1 &",
                                         str(folder), *map(str, first)], os.environ)
        _, status = os.waitpid(pid, 0)
    except OSError:
        return False
    return os.waitstatus_to_exitcode(status) == 0


def _name_max(folder: Path) -> int:
    """The longest file name (in bytes) the file system under FOLDER takes (its nearest existing ancestor's)."""
    for f in (folder, *folder.parents):
        try:
            if f.is_dir():
                return os.pathconf(f, "PC_NAME_MAX")
        except (OSError, ValueError):
            continue
    return 255


def check_output_target(output: Path, store: Path | None) -> None:
    """Refuse an OUTPUT that cannot be written before anything is built or replaced."""
    longest = _name_max(output.parent)
    for part in output.parts:
        if len(os.fsencode(part)) > longest:
            raise KgError(f"{output}: file name too long ({len(os.fsencode(part))} bytes in one name; "
                          f"at most {longest} here)")
    try:
        os.stat(output)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise KgError(f"{output}: cannot write ({exc.strerror or exc})") from exc
    if output.is_dir():
        raise KgError(f"{output}: is a directory; --output names the file to write (e.g. {output / 'kg.ttl'})")
    for parent in output.parents:
        if parent.exists():
            if not parent.is_dir():
                raise KgError(f"{output}: cannot write: {parent} is not a folder")
            break
    if store is not None:
        real_store = os.path.realpath(store)
        real_out = os.path.realpath(output)
        if real_out == real_store or real_out.startswith(real_store.rstrip(os.sep) + os.sep):
            raise KgError(f"{output}: the output cannot be the store {store} or lie inside it (the store "
                          "folder is replaced by each build)")


class _Stopped(Exception):
    """The store stopped taking chunks (it failed): the thread writing them stops too."""


class _ChunkSink:
    """A binary file for BuildResult.write_nquads / write_ntriples: what is written goes to FH (unless None)
    and, unless QUEUE is None, to QUEUE in chunks of about a quarter of kg.store.BULK_CHUNK bytes of whole
    lines (each write ends a line), each as (chunk, done, total) for the progress of the load. STOP ends the
    wait for room in QUEUE. Three chunks live at once in each of the two loads (the article graphs and
    their union load at the same time: one loading, one queued, one being written), so they are a quarter
    of a chunk read from a file: about the same memory as one load of 8 MB chunks (4 MB chunks load at
    the same CPU cost)."""

    def __init__(self, fh, queue, stop) -> None:
        from .store import BULK_CHUNK
        self.fh, self.queue, self.stop, self.limit = fh, queue, stop, BULK_CHUNK // 4
        self.parts: list[bytes] = []
        self.size = 0
        self.done, self.total = 0, 1

    def progress(self, i: int, n: int | str = 0) -> None:
        self.done, self.total = i, (n if isinstance(n, int) and n else self.total)

    def write(self, data: bytes) -> None:
        if self.fh is not None:
            self.fh.write(data)
        if self.queue is not None:
            self.parts.append(data)
            self.size += len(data)
            if self.size >= self.limit:
                self._put((b"".join(self.parts), self.done, self.total))
                self.parts, self.size = [], 0

    def close(self) -> None:
        if self.queue is not None:
            if self.parts:
                self._put((b"".join(self.parts), self.total, self.total))
            self._put(None)

    def _put(self, item) -> None:
        import queue
        while True:
            try:
                self.queue.put(item, timeout=0.2)
                return
            except queue.Full:
                if self.stop.is_set():
                    raise _Stopped() from None


def write_outputs(result: BuildResult, output: Path, store: Path | None, lock=None,
                  progress: Callable[..., None] | None = None, state=None) -> int | None:
    """Write OUTPUT (its format from its extension) and, unless STORE is None, replace that store by this
    build; return the store's quad count. Both are written beside the old ones and put in place only when
    both are complete: when either cannot be written, the previous output and store are kept. LOCK is the
    store's write lock when the caller holds it already (kg.store.store_lock).

    The output is written from the build's lines (BuildResult.write_nquads / write_ntriples), never read
    back from the store, so it is the same bytes with or without one (--no-store builds none). With a
    store, two threads write those lines (the article graphs, their union; and the output) while the store
    bulk-loads both at once, chunk by chunk (Oxigraph loads without holding the GIL, so the two loads use
    both cores), and an output in another format is converted from them while the store finishes.
    PROGRESS(i, n, item, phase=...) is told how each phase goes (kg.progress). STATE (a
    kg.incremental.FullState): written into the new store's folder while the store loads, when the build
    loaded its graphs early (BuildResult.preload); the caller places it after."""
    try:
        with few_full_collections():
            return _write_outputs(result, output, store, lock, progress, state)
    finally:
        if result.preload is not None:   # taken over by write_store, else removed
            result.preload.discard()


def _write_outputs(result: BuildResult, output: Path, store: Path | None, lock,
                   progress: Callable[..., None] | None, state) -> int | None:
    import concurrent.futures as cf
    import queue
    import threading
    from .export import convert_lines, format_for, named_graphs
    from .store import write_store
    format_for(output)
    check_output_target(output, store)
    ext = output.suffix.lower()
    say = phased(progress)
    named = named_graphs(ext)

    def cannot_write(exc: OSError) -> KgError:   # errors name the user's path, never the staging file
        return KgError(f"{output}: cannot write ({exc.strerror or exc}); the previous output and store are kept")

    try:
        staged = StagedOutput(output)
    except OSError as exc:
        raise cannot_write(exc) from exc
    # the lines go to the output file (or the file it is converted from) and to the store
    quads_file = (staged.path if ext == ".nq" else staged.folder / "graphs.nq") if named else None
    union_file = None if named else (staged.path if ext == ".nt" else staged.folder / "union.nt")
    to_store = store is not None
    early = result.preload   # the article graphs are in the new store already (for the store LOCK holds)
    if early is not None and (not to_store or lock is None or lock.directory != early.directory):
        early = None
    # the chunks each of the store's two loads takes (none for the article graphs loaded already)
    quads_q = queue.Queue(maxsize=1) if to_store and early is None else None
    union_q = queue.Queue(maxsize=1) if to_store else None
    stop = threading.Event()
    counts = {"quads": 0, "triples": 0}
    converted_quads = [0]

    loading = "loading the article graphs and their union into the store"
    shares = {"quads": 0.0 if early is None else 1.0, "triples": 0.0}   # how much of each the store has loaded (0..1)
    told = threading.Lock()

    def write(kind: str, file: Path | None, q) -> None:
        """Write the lines of KIND (the article graphs' quads or their union's triples) to FILE and Q, then
        convert the output from FILE if it is made from them; on failure, the store's queues hear of it.
        The two kinds are written by two threads at once, each feeding one of the store's two loads."""
        try:
            with (open(file, "wb") if file is not None else nullcontext()) as fh:
                sink = _ChunkSink(fh, q, stop)
                if kind == "quads":
                    tick = ticker(None if to_store else say, "writing the article graphs (N-Quads)", len(result.triples))
                    counts[kind] = result.write_nquads(sink, progress=lambda i, item: (sink.progress(i, len(result.triples)), tick(i, item)))
                else:
                    counts[kind] = result.write_ntriples(sink, progress=lambda i, n: (sink.progress(i, n), ticker(
                        None if to_store else say, "writing their union (N-Triples)", n)(i)))
                sink.close()
            if ext not in (".nq", ".nt") and (kind == "quads") == bool(named):
                convert_lines(file, staged.path, ext, converted_quads)
        except _Stopped:
            return
        except BaseException as exc:
            failure = cannot_write(exc) if isinstance(exc, OSError) else exc
            for other in (quads_q, union_q):
                if other is not None:
                    try:
                        other.put_nowait(failure)
                    except queue.Full:   # the store is busy with a chunk: one more slot after it
                        try:
                            other.put(failure, timeout=5)
                        except queue.Full:
                            pass
            stop.set()   # the other kind's writing stops too (and its load, if it did not hear of FAILURE)
            raise failure from exc

    def drain(q, kind: str):
        """The chunks the writing thread puts in Q, for the store's bulk load (in the thread loading KIND)."""
        n = max(1, len(result.triples))
        while True:
            try:
                item = q.get(timeout=0.2)
            except queue.Empty:
                if stop.is_set():   # the other load failed (kg.store._load_both raises its error)
                    raise _Stopped() from None
                continue
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            chunk, done, total = item
            yield chunk
            if say is not None:   # a chunk is 4 MB: each is told, as the share of both loads done
                with told:
                    shares[kind] = done / max(1, total)
                    say(min(n, int(n * (shares["quads"] + shares["triples"]) / 2)), n, "", phase=loading)

    pool = cf.ThreadPoolExecutor(max_workers=3, thread_name_prefix="kg-output")
    try:
        writing = [pool.submit(write, kind, file, q) for kind, file, q in
                   (("quads", quads_file, quads_q), ("triples", union_file, union_q)) if file is not None or q is not None]
        # the incremental state, into the new store's folder (it is swapped in with the store)
        side = pool.submit(state.write_into, early.fresh) if state is not None and early is not None else None
        if side is not None:   # the new store is removed only once it is no longer written
            early.beside.append(side)

        def finished(_store=None) -> None:   # the output is complete before the store is swapped in
            if to_store and say is not None:   # the store has loaded everything
                say(max(1, len(result.triples)), max(1, len(result.triples)), "", phase=loading)
            total = None
            while True:
                try:
                    for w in writing:
                        w.result(timeout=0.25)
                    break
                except cf.TimeoutError:
                    if converted_quads[0] or total is not None:
                        total = counts["quads"] if named else counts["triples"]
                        ticker(say, f"writing {output.name}", total)(converted_quads[0])
            if ext not in (".nq", ".nt"):
                total = counts["quads"] if named else counts["triples"]
                ticker(say, f"writing {output.name}", total)(total)
            if side is not None:
                side.result()

        def commit() -> None:
            try:
                staged.commit()
            except OSError as exc:
                raise cannot_write(exc) from exc

        if not to_store:
            finished()
            commit()
            return None
        compacted = "compacting the store (merging its files, for fast queries)"
        try:
            if say is not None:
                say(0, max(1, len(result.triples)), "", phase=loading)
            try:
                count = write_store(None if early is not None else drain(quads_q, "quads"), drain(union_q, "triples"),
                                    store, lock=lock, prepare=finished, staged=staged.path, commit=commit,
                                    quads=len(result) if early is not None else lambda: counts["quads"],
                                    abort=stop.set, early=early, lenient=result.parsed,
                                    compacting=None if say is None else lambda: say(0, 1, "", phase=compacted))
            except _Stopped:   # the writing failed: its error
                for w in writing:
                    w.result()
                raise
            if say is not None:
                say(1, 1, "", phase=compacted)
            return count
        except OSError as exc:
            where = exc.filename or store
            raise KgError(f"{where}: cannot write ({exc.strerror or exc}); the previous output and store are "
                          "kept") from exc
    finally:
        stop.set()
        pool.shutdown(wait=True)   # the writing thread ends before its folder goes
        staged.close()
