"""Find mentions in an Article: places, governments, agencies, offices, persons, awards, agreements.

Every recogniser is a language pattern plus a lexicon (kg/lexicons/); none names a particular article.
They run in a fixed order, each skipping text an earlier one has taken, so that the longer, more
specific reading wins: "BPJS Kesehatan Cabang Kediri" before "Kediri", "Wakil Wali Kota Blitar"
before "Kota Blitar", "Dinas Kesehatan Pemkab Bogor" before "Pemkab Bogor".
"""
from __future__ import annotations

from ..articles import Article
from ..lexicon import Lexicon
from .base import Doc, Mention
from .bodies import attach_units, find_national_agencies, find_pattern_agencies
from .events import find_agreements, find_awards
from .persons import (find_leaders, find_offices, find_pairs, find_residents, find_reverse_offices, find_speakers,
                      find_tagged_persons, merge_partial_names)
from .places import find_bare_places, find_local_governments, find_municipalities, find_provinces

__all__ = ["Doc", "Mention", "find_mentions"]


def find_mentions(article: Article, lexicon: Lexicon) -> Doc:
    """Return the article as a Doc holding its mentions, in text order."""
    doc = Doc(article, lexicon)
    find_national_agencies(doc)
    find_awards(doc)
    find_local_governments(doc)
    find_pattern_agencies(doc)
    find_offices(doc)
    find_municipalities(doc)
    find_provinces(doc)
    find_agreements(doc)
    find_reverse_offices(doc)
    find_leaders(doc)
    find_pairs(doc)
    find_residents(doc)
    find_speakers(doc)
    find_tagged_persons(doc)
    merge_partial_names(doc)
    find_bare_places(doc)
    attach_units(doc)
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
    return doc
