"""Read facts from an article's mentions: who governs what, who holds which office, awards, agreements
and measurements. Each relation family has its own module; each entity and fact keeps the sentence it
came from (its Evidence).

See ../shared/corpus/ANNOTATION.md for what counts as a fact; the section named in a docstring is the
rule that function follows.
"""
from __future__ import annotations

from ..mentions import Doc
from .agreements import read_agreements
from .awards import read_awards
from .context import ArticleFacts, Context, Entity, Evidence, Fact, area_of, implied_entity
from .entities import read_entities, read_office_places
from .measurements import read_measurements
from .offices import read_persons

__all__ = ["ArticleFacts", "Entity", "Evidence", "Fact", "area_of", "extract_facts", "implied_entity"]

READERS = (read_entities, read_office_places, read_persons, read_awards, read_agreements, read_measurements)


def extract_facts(doc: Doc) -> ArticleFacts:
    """Return the entities and facts of one article."""
    r = Context(doc)
    for read in READERS:
        read(r)
    return r.out
