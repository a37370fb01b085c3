"""Run the stages in order: read -> mentions -> facts -> resolve -> RDF -> validate."""
from __future__ import annotations

import fcntl
import glob
import hashlib
import io
import os
import pickle
import re
import shutil
import logging
import tempfile
import traceback
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from functools import cache, cached_property, partial

from rdflib import Dataset, Graph

from .articles import Article, Source, article_sources, read_article
from .errors import ArticleError, KgError
from .facts import ArticleFacts, extract_facts
from .lexicon import Lexicon, load_lexicon
from .mentions import find_mentions
from .emit import EmitTable, article_lines, emit_table, graph_names
from .rdf import article_segment, dataset_of
from .resolve import KnowledgeBase, resolve_entities
from .sources import Fetcher, Item, item_article, kind_of, read_items, split_inputs
from .validate import Report, by_subject, prune_chunks, validate_ntriples

log = logging.getLogger("kg")


@dataclass
class BuildResult:
    triples: dict[str, dict[str, str]]   # one graph per article (by file name), its N-Triples by subject
                                         # (kg.validate.by_subject); conforms to the shapes
    kb: KnowledgeBase
    report: Report                       # the violations found before the offending nodes were left out
    skipped: list[str] = field(default_factory=list)   # one message per article file that was not read
    warnings: list[str] = field(default_factory=list)  # read, but something was odd ("no dateline")
    names: dict[str, str] = field(default_factory=dict)   # the graph IRI term of each article
    per_article: list = field(default_factory=list, repr=False)   # the ArticleFacts read (kg.incremental's state)

    @property
    def articles(self) -> list[Article]:
        return self.kb.articles

    def write_nquads(self, fh) -> int:
        """Write all article graphs as N-Quads to the binary file FH; return the number of quads."""
        count = 0
        for source in sorted(self.triples):
            text = "".join(self.triples[source].values())
            count += text.count("\n")
            fh.write(text.replace(" .\n", f" {self.names[source]} .\n").encode("utf-8"))
        return count

    def write_ntriples(self, fh) -> None:
        """Write the triples of all article graphs as N-Triples to FH, a triple once per graph stating it
        (a store keeps each once: that is their union)."""
        for source in sorted(self.triples):
            fh.write("".join(self.triples[source].values()).encode("utf-8"))

    @cached_property
    def nquads(self) -> bytes:
        """All article graphs as N-Quads."""
        buf = io.BytesIO()
        self.write_nquads(buf)
        return buf.getvalue()

    @cached_property
    def union_ntriples(self) -> bytes:
        """The union of the article graphs as N-Triples, every triple once (sorted)."""
        lines = {ln for chunks in self.triples.values() for chunk in chunks.values() for ln in chunk.splitlines()}
        return ("\n".join(sorted(lines)) + "\n").encode("utf-8")

    @cached_property
    def graphs(self) -> dict[str, Graph]:
        """The article graphs as rdflib Graphs (parsed on demand, for tests and small builds)."""
        out = {}
        for source, chunks in self.triples.items():
            g = Graph(identifier=self.names[source][1:-1])
            g.parse(data="".join(chunks.values()), format="nt")
            out[source] = g
        return out

    @cached_property
    def dataset(self) -> Dataset:
        """The article graphs as an rdflib Dataset (built on demand; the store is faster for large builds)."""
        return dataset_of(self.graphs)

    def __len__(self) -> int:
        return sum(chunk.count("\n") for chunks in self.triples.values() for chunk in chunks.values())


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


CACHE_ENV = "KABAR_KG_EXTRACT_CACHE"   # the extraction cache folder, or "off"


def cache_dir() -> Path | None:
    """Where extraction results are kept between builds (None: not kept): $KABAR_KG_EXTRACT_CACHE, else
    extract/ in the project's cache folder ($KABAR_KG_CACHE or ~/.cache/kabar-kg, see kg.ner)."""
    value = os.environ.get(CACHE_ENV, "")
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    from .ner import _cache_dir
    return _cache_dir() / "extract"


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


def _extract_cached(source: Source, lexicon: Lexicon, folder: Path | None) -> ArticleFacts | Skip:
    """_extract, whose result for the same bytes (same key and path, same code) is kept in FOLDER."""
    key = _cache_key(source) if folder is not None else None
    if key is None:
        return _extract(source, lexicon)
    entry = folder / key[:2] / f"{key}.pickle"
    try:
        with open(entry, "rb") as fh:
            found = pickle.load(fh)
        if isinstance(found, ArticleFacts):
            return found
    except FileNotFoundError:
        pass
    except Exception:   # noqa: BLE001 - a damaged entry is read again
        log.info("%s: damaged extraction cache entry, read again", entry)
    result = _extract(source, lexicon)
    if isinstance(result, ArticleFacts):
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", dir=entry.parent)
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except OSError as exc:   # a cache that cannot be written costs time, never the build
            log.info("extraction cache not written (%s)", exc)
    return result


def _read_one(source: Source, folder: Path | None = None) -> ArticleFacts | Skip:
    """_extract (through the cache in FOLDER) in a worker process."""
    return _extract_cached(source, load_lexicon(), folder)


_TABLE: EmitTable | None = None   # set by the main process before it forks the emitting workers


def _emit_many(sources: list[str]) -> list[tuple[str, dict[str, str], list]]:
    """Emit and validate the graphs of the articles read from SOURCES: (source, N-Triples by subject,
    violations)."""
    out = []
    for source in sources:
        chunks = by_subject(article_lines(_TABLE, source))
        out.append((source, chunks, validate_ntriples("".join(chunks.values()))))
    return out


def _chunks(items: list, n: int) -> list[list]:
    size = max(1, min(64, len(items) // (n * 4) or 1))
    return [items[i:i + size] for i in range(0, len(items), size)]


def build_graph(paths: Iterable[Path | str], lexicon: Lexicon | None = None,
                progress: Callable[[int, int, str], None] | None = None, workers: int = 1,
                urls: Iterable[str] = (), fetcher: Fetcher | None = None) -> BuildResult:
    """Return the validated article graphs built from the article files under PATHS (text files, web pages,
    JSON Lines corpora: see kg.sources) and the pages at URLS (http(s) URLs among PATHS count too; FETCHER
    says how they are fetched).

    Unreadable articles are skipped and listed in BuildResult.skipped; nodes that violate a shape are left
    out (with every link to them) and listed in BuildResult.report. WORKERS > 1 reads and validates
    articles in that many processes; the result is the same whatever their number."""
    folder = cache_dir() if lexicon is None else None   # a lexicon of the caller's: never cached
    lexicon = lexicon or load_lexicon()
    paths, urls = split_inputs(paths, urls)
    files = [s for s in article_sources(paths) if not kind_of(s.path)]   # pages and JSON Lines: kg.sources
    per_article, skipped = [], []
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            results = pool.map(partial(_read_one, folder=folder), files, chunksize=max(1, min(32, len(files) // (workers * 4) or 1)))
            for i, (source, result) in enumerate(zip(files, results), start=1):
                if progress:
                    progress(i, len(files), str(source.path))
                _collect(result, per_article, skipped)
    else:
        for i, source in enumerate(files, start=1):
            if progress:
                progress(i, len(files), str(source.path))
            _collect(_extract_cached(source, lexicon, folder), per_article, skipped)
    for result in _read_items(read_items(paths, urls, fetcher, progress), lexicon, workers):
        _collect(result, per_article, skipped)
    per_article = _drop_duplicates(per_article, skipped)
    warnings = [w for af in per_article for w in af.article.warnings]
    kb = resolve_entities(per_article, lexicon)
    global _TABLE
    _TABLE = emit_table(kb, lexicon)
    try:
        sources = sorted(_TABLE.articles)
        if workers > 1 and len(sources) > 1:   # forked now, the workers share the resolved table
            with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
                emitted = [r for batch in pool.map(_emit_many, _chunks(sources, workers)) for r in batch]
        else:
            emitted = _emit_many(sources)
    finally:
        _TABLE = None
    graphs = {source: chunks for source, chunks, _ in emitted}
    first_pass = {source: violations for source, _, violations in emitted}
    del emitted
    report = prune_chunks(graphs, kb, lexicon, first_pass=first_pass)
    return BuildResult(graphs, kb, report, skipped, warnings, graph_names(kb), per_article=per_article)


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
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
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


class StagedOutput:
    """OUTPUT written first in a staging folder beside it (.kg-build-XXXXXXXX, locked while this build
    runs) and renamed into place by commit(): never half a file, and no temporary name in messages."""

    def __init__(self, output: Path) -> None:
        self.output = output
        folder = output.parent
        folder.mkdir(parents=True, exist_ok=True)
        _clean_stale_stages(folder, output)
        self.folder = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=folder))
        self._lock = open(self.folder / STAGE_LOCK, "w")
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self.path = self.folder / f"out{output.suffix.lower()}"

    def commit(self) -> None:
        os.replace(self.path, self.output)

    def close(self) -> None:
        self._lock.close()
        shutil.rmtree(self.folder, ignore_errors=True)


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


def write_outputs(result: BuildResult, output: Path, store: Path | None, lock=None) -> int | None:
    """Write OUTPUT (its format from its extension) and, unless STORE is None, replace that store by this
    build; return the store's quad count. Both are written beside the old ones and put in place only when
    both are complete: when either cannot be written, the previous output and store are kept. LOCK is the
    store's write lock when the caller holds it already (kg.store.store_lock)."""
    from .export import export_store, format_for
    from .store import write_store
    format_for(output)
    check_output_target(output, store)

    def export(st) -> None:   # errors name the user's path, never the staging file
        try:
            export_store(st, staged.path, articles_only=True)
        except OSError as exc:
            raise KgError(f"{output}: cannot write ({exc.strerror or exc}); the previous output and store "
                          "are kept") from exc

    def commit() -> None:
        try:
            staged.commit()
        except OSError as exc:
            raise KgError(f"{output}: cannot write ({exc.strerror or exc}); the previous output and store "
                          "are kept") from exc

    try:
        staged = StagedOutput(output)
    except OSError as exc:
        raise KgError(f"{output}: cannot write ({exc.strerror or exc}); the previous output and store "
                      "are kept") from exc
    try:
        # the graphs go to the store through files in the staging folder, not through memory
        quads_file, triples_file = staged.folder / "graphs.nq", staged.folder / "union.nt"
        with open(quads_file, "wb") as fh:
            count = result.write_nquads(fh)
        with open(triples_file, "wb") as fh:
            result.write_ntriples(fh)
        with open(quads_file, "rb") as quads, open(triples_file, "rb") as triples:
            if store is None:   # the output is still streamed from an on-disk store, for byte-identical files
                with tempfile.TemporaryDirectory(prefix="kg-build-") as tmp:
                    write_store(quads, triples, Path(tmp) / "store", with_ontology=False, prepare=export,
                                commit=commit, quads=count)
                return None
            return write_store(quads, triples, store, lock=lock, prepare=export, staged=staged.path,
                               commit=commit, quads=count)
    except OSError as exc:
        where = exc.filename or store or output
        raise KgError(f"{where}: cannot write ({exc.strerror or exc}); the previous output and store are kept") from exc
    finally:
        staged.close()
