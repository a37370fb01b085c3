"""Run the stages in order: read -> mentions -> facts -> resolve -> RDF -> validate."""
from __future__ import annotations

import hashlib
import logging
import tempfile
import traceback
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from functools import cached_property

from rdflib import Dataset, Graph

from .articles import Article, Source, article_sources, read_article
from .errors import ArticleError, KgError
from .facts import ArticleFacts, extract_facts
from .lexicon import Lexicon, load_lexicon
from .mentions import find_mentions
from .rdf import article_graphs, article_segment, dataset_of, to_nquads
from .resolve import KnowledgeBase, resolve_entities
from .validate import Report, prune_invalid, validate_graph

log = logging.getLogger("kg")


@dataclass
class BuildResult:
    graphs: dict[str, Graph]             # one graph per article (by file name); conforms to the shapes
    kb: KnowledgeBase
    report: Report                       # the violations found before the offending nodes were left out
    skipped: list[str] = field(default_factory=list)   # one message per article file that was not read
    warnings: list[str] = field(default_factory=list)  # read, but something was odd ("no dateline")

    @property
    def articles(self) -> list[Article]:
        return self.kb.articles

    @cached_property
    def _serialised(self) -> tuple[bytes, bytes]:
        return to_nquads(self.graphs)

    @property
    def nquads(self) -> bytes:
        """All article graphs as N-Quads."""
        return self._serialised[0]

    @property
    def union_ntriples(self) -> bytes:
        """The union of the article graphs as N-Triples, every triple once."""
        return self._serialised[1]

    @cached_property
    def dataset(self) -> Dataset:
        """The article graphs as an rdflib Dataset (built on demand; the store is faster for large builds)."""
        return dataset_of(self.graphs)

    def __len__(self) -> int:
        return sum(len(g) for g in self.graphs.values())


@dataclass(frozen=True)
class Skip:
    """An article file that was not read: the message for the user, and a traceback for -v."""
    message: str
    detail: str = ""


def _extract(source: Source, lexicon: Lexicon) -> ArticleFacts | Skip:
    """Read and extract one article. A file that cannot be read gives its message; any other exception
    (a bug met by one article's text) skips that article only, never the corpus."""
    stage = "reading"
    try:
        article = read_article(source.path, lexicon, source=source.key)
        stage = "finding mentions"
        doc = find_mentions(article, lexicon)
        stage = "extracting facts"
        return extract_facts(doc)
    except ArticleError as exc:
        return Skip(str(exc))
    except Exception as exc:   # noqa: BLE001 - one article's bug must not cost the corpus
        message = " ".join(str(exc).split())[:300]
        return Skip(f"{source.path}: internal error while {stage}: {type(exc).__name__}: {message}",
                    traceback.format_exc())


def _read_one(source: Source) -> ArticleFacts | Skip:
    """_extract in a worker process."""
    return _extract(source, load_lexicon())


def _validate_many(items: list[tuple[str, str, bytes]]) -> list[tuple[str, list]]:
    """Validate article graphs given as (source, graph IRI, N-Triples) in a worker process."""
    out = []
    for source, iri, nt in items:
        g = Graph(identifier=iri)
        g.parse(data=nt.decode("utf-8"), format="nt")
        out.append((source, validate_graph(g).violations))
    return out


def _chunks(items: list, n: int) -> list[list]:
    size = max(1, min(64, len(items) // (n * 4) or 1))
    return [items[i:i + size] for i in range(0, len(items), size)]


def build_graph(paths: Iterable[Path], lexicon: Lexicon | None = None,
                progress: Callable[[int, int, str], None] | None = None, workers: int = 1) -> BuildResult:
    """Return the validated article graphs built from the article files under PATHS.

    Unreadable articles are skipped and listed in BuildResult.skipped; nodes that violate a shape are left
    out (with every link to them) and listed in BuildResult.report. WORKERS > 1 reads and validates
    articles in that many processes; the result is the same whatever their number."""
    lexicon = lexicon or load_lexicon()
    files = article_sources(paths)
    per_article, skipped = [], []
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            results = pool.map(_read_one, files, chunksize=max(1, min(32, len(files) // (workers * 4) or 1)))
            for i, (source, result) in enumerate(zip(files, results), start=1):
                if progress:
                    progress(i, len(files), str(source.path))
                _collect(result, per_article, skipped)
    else:
        for i, source in enumerate(files, start=1):
            if progress:
                progress(i, len(files), str(source.path))
            _collect(_extract(source, lexicon), per_article, skipped)
    per_article = _drop_duplicates(per_article, skipped)
    warnings = [w for af in per_article for w in af.article.warnings]
    kb = resolve_entities(per_article, lexicon)
    graphs = article_graphs(kb, lexicon)
    first_pass = None
    if workers > 1 and len(graphs) > 1:
        items = [(src, str(g.identifier), g.serialize(format="nt").encode("utf-8")) for src, g in sorted(graphs.items())]
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            first_pass = dict(r for batch in pool.map(_validate_many, _chunks(items, workers)) for r in batch)
    report = prune_invalid(graphs, kb, lexicon, first_pass=first_pass)
    return BuildResult(graphs, kb, report, skipped, warnings)


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


def write_outputs(result: BuildResult, output: Path, store: Path | None) -> int | None:
    """Write OUTPUT (its format from its extension) and, unless STORE is None, replace that store by this
    build; return the store's quad count. Both are written beside the old ones and renamed into place."""
    from .export import export_store, format_for
    from .store import open_store, write_store
    format_for(output)
    try:
        if store is None:   # the output is still streamed from an on-disk store, for byte-identical files
            with tempfile.TemporaryDirectory(prefix="kg-build-") as tmp:
                write_store(result.nquads, result.union_ntriples, Path(tmp) / "store", with_ontology=False)
                export_store(open_store(Path(tmp) / "store"), output, articles_only=True)
            return None
        count = write_store(result.nquads, result.union_ntriples, store)
        export_store(open_store(store), output, articles_only=True)
        return count
    except OSError as exc:
        where = exc.filename or store or output
        raise KgError(f"{where}: cannot write ({exc.strerror or exc}); the previous output and store are kept") from exc
