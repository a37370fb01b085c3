"""Resolve entities across articles: one node per real-world entity, keyed by what it is
(official codes for places and governments, the lexicon for national bodies, the name otherwise)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .articles import Article
from .facts import ArticleFacts, Evidence, Fact, implied_entity
from .lexicon import Lexicon


@dataclass
class Node:
    key: str
    type: str
    label: str
    aliases: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class KnowledgeBase:
    """Resolved nodes, the facts about them (each with its article's evidence) and the articles read."""
    nodes: dict[str, Node]
    facts: list[Fact]
    articles: list[Article]


def resolve_entities(per_article: list[ArticleFacts], lexicon: Lexicon) -> KnowledgeBase:
    """Merge what the articles say into one node per key; the preferred label is the lexicon's name,
    else the name in the first article by file name (so the result does not depend on input order)."""
    per_article = sorted(per_article, key=lambda a: a.article.source)
    nodes: dict[str, Node] = {}
    facts: list[Fact] = []
    evidence_seen: dict[str, set[Evidence]] = {}   # a node named in thousands of articles stays linear
    for af in per_article:
        for e in af.entities.values():
            node = nodes.get(e.key)
            if node is None:
                implied = implied_entity(e.key, lexicon)
                node = nodes[e.key] = Node(e.key, e.type, implied[1] if implied else e.name)
            node.aliases |= e.aliases | {e.name}
            seen = evidence_seen.setdefault(e.key, set(node.evidence))
            node.evidence += [ev for ev in e.evidence if ev not in seen]
            seen.update(e.evidence)
        facts += af.facts
    for node in nodes.values():
        node.aliases = {a for a in node.aliases if a and a.strip() and a != node.label}
    known = set(nodes)
    facts = [f for f in facts if f.subject in known and (not f.is_link or f.object in known)]
    return KnowledgeBase(nodes, facts, [af.article for af in per_article])
