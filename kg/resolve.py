"""Resolve entities across articles: one node per real-world entity, keyed by what it is
(official codes for places and governments, the lexicon for national bodies, the name otherwise)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

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
    iris: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # entity key -> its IRI (kg.iris.node_iri), once someone has made them all (node_iris)


def node_iris(kb: KnowledgeBase, lexicon: Lexicon) -> dict[str, str]:
    """The IRI of each node of KB by its key, made once per knowledge base (kept in KB.iris; made again if
    its nodes changed): emitting the graphs and reporting the nodes left out both need them."""
    if kb.iris.keys() != kb.nodes.keys():
        from .iris import node_iri
        kb.iris = {key: node_iri(key, lexicon) for key in kb.nodes}
    return kb.iris


def resolve_entities(per_article: list[ArticleFacts], lexicon: Lexicon,
                     progress: Callable[[int, str], None] | None = None) -> KnowledgeBase:
    """Merge what the articles say into one node per key; the preferred label is the lexicon's name,
    else the name in the first article by file name (so the result does not depend on input order).
    PROGRESS(i, source) is told after each article."""
    per_article = sorted(per_article, key=lambda a: a.article.source)
    nodes: dict[str, Node] = {}
    facts: list[Fact] = []
    # each node's evidence once, by its fields as a tuple (hashed in C; a frozen dataclass's __hash__ is a
    # Python call): a node named in thousands of articles stays linear
    evidence_seen: dict[str, set[tuple]] = {}
    for i, af in enumerate(per_article, start=1):
        for e in af.entities.values():
            node = nodes.get(e.key)
            if node is None:
                implied = implied_entity(e.key, lexicon)
                node = nodes[e.key] = Node(e.key, e.type, implied[1] if implied else e.name)
                seen = evidence_seen[e.key] = set()
            else:
                seen = evidence_seen[e.key]
            node.aliases |= e.aliases
            node.aliases.add(e.name)
            for ev in e.evidence:
                k = (ev.article, ev.start, ev.end, ev.text)
                if k not in seen:
                    seen.add(k)
                    node.evidence.append(ev)
        facts += af.facts
        if progress is not None:
            progress(i, af.article.source)
    for node in nodes.values():
        node.aliases = {a for a in node.aliases if a and a.strip() and a != node.label}
    known = set(nodes)
    facts = [f for f in facts if f.subject in known and (not f.is_link or f.object in known)]
    return KnowledgeBase(nodes, facts, [af.article for af in per_article])
