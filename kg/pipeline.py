"""Run the stages in order: read -> mentions -> facts -> resolve -> RDF -> validate."""
from __future__ import annotations

import hashlib
import logging
import tempfile
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from functools import cached_property

from rdflib import Dataset, Graph

from .articles import Article, find_article_files, read_article
from .errors import ArticleError, KgError
from .facts import ArticleFacts, extract_facts
from .lexicon import Lexicon, load_lexicon
from .mentions import find_mentions
from .rdf import article_graphs, dataset_of, to_nquads
from .resolve import KnowledgeBase, resolve_entities
from .sources import Fetcher, Item, item_article, kind_of, read_items, split_inputs
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


def _read_one(path: Path) -> ArticleFacts | str:
    """Extract one article (runs in a worker process); an unreadable file gives its error message."""
    lexicon = load_lexicon()
    try:
        article = read_article(path, lexicon)
    except ArticleError as exc:
        return str(exc)
    return extract_facts(find_mentions(article, lexicon))


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


def build_graph(paths: Iterable[Path | str], lexicon: Lexicon | None = None,
                progress: Callable[[int, int, str], None] | None = None, workers: int = 1,
                urls: Iterable[str] = (), fetcher: Fetcher | None = None) -> BuildResult:
    """Return the validated article graphs built from the article files under PATHS (text files, web pages,
    JSON Lines corpora: see kg.sources) and the pages at URLS (http(s) URLs among PATHS count too; FETCHER
    says how they are fetched).

    Unreadable articles are skipped and listed in BuildResult.skipped; nodes that violate a shape are left
    out (with every link to them) and listed in BuildResult.report. WORKERS > 1 reads and validates
    articles in that many processes; the result is the same whatever their number."""
    lexicon = lexicon or load_lexicon()
    paths, urls = split_inputs(paths, urls)
    files = [f for f in find_article_files(paths) if not kind_of(f)]   # pages and JSON Lines: kg.sources
    per_article, skipped = [], []
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            results = pool.map(_read_one, files, chunksize=max(1, min(32, len(files) // (workers * 4) or 1)))
            for i, (path, result) in enumerate(zip(files, results), start=1):
                if progress:
                    progress(i, len(files), str(path))
                _collect(result, per_article, skipped)
    else:
        for i, path in enumerate(files, start=1):
            if progress:
                progress(i, len(files), str(path))
            try:
                article = read_article(path, lexicon)
            except ArticleError as exc:
                _collect(str(exc), per_article, skipped)
                continue
            per_article.append(extract_facts(find_mentions(article, lexicon)))
    for result in _read_items(read_items(paths, urls, fetcher, progress), lexicon, workers):
        _collect(result, per_article, skipped)
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


def _item_facts(item: Item, lexicon: Lexicon | None = None) -> ArticleFacts | str:
    """Read and extract one web page or JSON Lines record (kg.sources); one that holds no article gives its
    message. Runs in a worker process when LEXICON is None."""
    lexicon = load_lexicon() if lexicon is None else lexicon
    try:
        article = item_article(item, lexicon)
    except ArticleError as exc:
        return str(exc)
    return extract_facts(find_mentions(article, lexicon))


def _read_items(items: Iterable[Item | str], lexicon: Lexicon, workers: int) -> Iterable[ArticleFacts | str]:
    """_item_facts of ITEMS in their order (a message stays a message), in WORKERS processes with only a few
    items in flight: a JSON Lines file of any size is never held whole."""
    if workers <= 1:
        for item in items:
            yield item if isinstance(item, str) else _item_facts(item, lexicon)
        return
    from collections import deque
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
        pending: deque = deque()
        for item in items:
            pending.append(item if isinstance(item, str) else pool.submit(_item_facts, item))
            while len(pending) > workers * 8 or (pending and isinstance(pending[0], str)):
                head = pending.popleft()
                yield head if isinstance(head, str) else head.result()
        for head in pending:
            yield head if isinstance(head, str) else head.result()


def _collect(result: ArticleFacts | str, per_article: list, skipped: list) -> None:
    if isinstance(result, str):
        skipped.append(result)
        log.warning("%s", result)
    else:
        per_article.append(result)


def _drop_duplicates(per_article: list[ArticleFacts], skipped: list[str]) -> list[ArticleFacts]:
    """The same article under two file names is read once (the first name wins) and the other reported."""
    seen: dict[str, str] = {}
    kept = []
    for af in sorted(per_article, key=lambda a: a.article.source):
        digest = hashlib.sha256(" ".join(af.article.text.split()).encode("utf-8")).hexdigest()
        if digest in seen:
            skipped.append(f"{af.article.path or af.article.source}: same text as {seen[digest]}; read once")
            continue
        seen[digest] = af.article.source
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
