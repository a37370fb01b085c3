"""Run the stages in order: read -> mentions -> facts -> resolve -> RDF -> validate."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from rdflib import Dataset

from .articles import Article, find_article_files, read_article
from .errors import ArticleError
from .facts import extract_facts
from .lexicon import Lexicon, load_lexicon
from .mentions import find_mentions
from .rdf import to_dataset
from .resolve import KnowledgeBase, resolve_entities
from .validate import Report, prune_invalid

log = logging.getLogger("kg")


@dataclass
class BuildResult:
    dataset: Dataset                     # what is written: conforms to the shapes
    kb: KnowledgeBase
    report: Report                       # the violations found before the offending nodes were left out
    skipped: list[str] = field(default_factory=list)   # one message per article file that was not read

    @property
    def articles(self) -> list[Article]:
        return self.kb.articles


def build_graph(paths: Iterable[Path], lexicon: Lexicon | None = None,
                progress: Callable[[int, int, str], None] | None = None) -> BuildResult:
    """Return the validated dataset built from the article files under PATHS.

    Unreadable articles are skipped and listed in BuildResult.skipped; nodes that violate a shape are left
    out (with every link to them) and listed in BuildResult.report."""
    lexicon = lexicon or load_lexicon()
    files = find_article_files(paths)
    per_article, skipped = [], []
    for i, path in enumerate(files, start=1):
        if progress:
            progress(i, len(files), str(path))
        try:
            article = read_article(path, lexicon)
        except ArticleError as exc:
            skipped.append(str(exc))
            log.warning("%s", exc)
            continue
        per_article.append(extract_facts(find_mentions(article, lexicon)))
    kb = resolve_entities(per_article, lexicon)
    dataset = to_dataset(kb, lexicon)
    dataset, report = prune_invalid(dataset, kb, lexicon)
    return BuildResult(dataset, kb, report, skipped)
