"""Write the article graphs as N-Triples text straight from the resolved entities (no rdflib objects).

The triples are exactly those of kg.rdf.article_graphs (tests/test_emit.py compares the two as sets of
terms): the same IRIs (kg.rdf.node_iri and friends), the same literal cleaning (kg.rdf._clean), and
N-Triples escaping of literals and IRIs. A triple is a tuple of three N-Triples terms; an article graph
is a dict of them (an ordered set), keyed by the article's source.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from .facts import Fact
from .lexicon import Lexicon
from .rdf import (DCTERMS, ID, KG, LANG, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD, _clean, article_iri, evidence_iri,
                  graph_iri, indicator_iri, node_iri)
from .resolve import KnowledgeBase, Node

Triple = tuple[str, str, str]

_LIT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
# characters N-Triples does not allow raw in an IRI (written as \uXXXX, which stands for the same IRI)
_IRI_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x21), *map(ord, '<>"{}|^`\\')]}


def iri(value: str) -> str:
    return f"<{value.translate(_IRI_ESCAPES)}>"


def _string(text: str) -> str:
    return '"' + text.translate(_LIT_ESCAPES) + '"'


def lang_literal(text: str) -> str:
    return f"{_string(text)}@{LANG}"


def plain_literal(text: str) -> str:
    return _string(text)


def typed_literal(lexical: str, datatype: str) -> str:
    return f"{_string(lexical)}^^<{datatype}>"


_T_TYPE, _T_LABEL, _T_ALT = iri(str(RDF.type)), iri(str(RDFS.label)), iri(str(SKOS.altLabel))
_XSD_INTEGER, _XSD_DECIMAL, _XSD_DATE, _XSD_BOOLEAN = (str(XSD.integer), str(XSD.decimal), str(XSD.date),
                                                      str(XSD.boolean))


def _kg(name: str) -> str:
    return iri(str(KG[name]))


def literal(value) -> str:
    """kg.rdf.literal as an N-Triples term."""
    if isinstance(value, date):
        return typed_literal(value.isoformat(), _XSD_DATE)
    if isinstance(value, bool):
        return typed_literal("true" if value else "false", _XSD_BOOLEAN)
    if isinstance(value, int):
        return typed_literal(str(value), _XSD_INTEGER)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return typed_literal(format(value, "f"), _XSD_DECIMAL)
    return lang_literal(_clean(str(value)))


def _node(out: dict, node: Node, s: str, lexicon: Lexicon) -> None:
    out[(s, _T_TYPE, _kg(node.type))] = None
    out[(s, _T_LABEL, lang_literal(_clean(node.label)))] = None
    for alias in sorted(node.aliases):
        out[(s, _T_ALT, lang_literal(_clean(alias)))] = None
    kind, _, code = node.key.partition(":")
    if kind in ("municipality", "province"):
        out[(s, _kg("officialCode"), plain_literal(code if kind == "province" else lexicon.regencies[code].code))] = None
        qid = lexicon.regencies[code].qid if kind == "municipality" else lexicon.provinces[code].qid
        if qid:
            out[(s, iri(str(SCHEMA.sameAs)), iri(str(WD[qid])))] = None
        if kind == "municipality":
            r = lexicon.regencies[code]
            out[(s, _kg("municipalityKind"), plain_literal(r.kind))] = None
            out[(s, _kg("province"), iri(str(node_iri(f"province:{r.province}", lexicon))))] = None


def _article(out: dict, article) -> None:
    a = iri(str(article_iri(article)))
    out[(a, _T_TYPE, _kg("Article"))] = None
    out[(a, _T_LABEL, lang_literal(_clean(article.title or article.source)))] = None
    out[(a, _kg("sourceFile"), plain_literal(_clean(article.source)))] = None
    if article.title:
        out[(a, iri(str(DCTERMS.title)), lang_literal(_clean(article.title)))] = None
    if article.publisher:
        out[(a, _kg("publisherName"), plain_literal(_clean(article.publisher)))] = None
    if article.place:
        out[(a, _kg("dateline"), plain_literal(_clean(article.place)))] = None
    if article.published:
        out[(a, iri(str(DCTERMS.issued)), literal(article.published))] = None


def _fact(out: dict, fact: Fact, iris: dict[str, str]) -> None:
    s = iris[fact.subject]
    p = _kg(fact.predicate)
    if fact.is_link:
        o = iris[fact.object]
    elif fact.predicate == "indicator":
        o = iri(str(indicator_iri(str(fact.object))))
        out[(o, _T_TYPE, _kg("Indicator"))] = None
        out[(o, _T_LABEL, plain_literal(_clean(str(fact.object))))] = None
    elif fact.predicate in ("position", "category"):
        o = lang_literal(_clean(str(fact.object)))
    else:
        o = literal(fact.object)
    out[(s, p, o)] = None


def article_triples(kb: KnowledgeBase, lexicon: Lexicon) -> dict[str, dict[Triple, None]]:
    """One graph per article (by source), as N-Triples terms: the triples of kg.rdf.article_graphs."""
    articles = {a.source: a for a in kb.articles}
    graphs: dict[str, dict[Triple, None]] = {a.source: {} for a in kb.articles}
    iris = {key: iri(str(node_iri(key, lexicon))) for key in kb.nodes}
    for source, article in articles.items():
        _article(graphs[source], article)
    t_evidence, t_in, t_start, t_end = _kg("evidence"), _kg("inArticle"), _kg("startOffset"), _kg("endOffset")
    t_value, t_ev_class = iri(str(PROV.value)), _kg("Evidence")
    article_terms = {s: iri(str(article_iri(a))) for s, a in articles.items()}
    for key, node in kb.nodes.items():
        for source in sorted({ev.article for ev in node.evidence}):
            _node(graphs[source], node, iris[key], lexicon)
        for ev in node.evidence:
            e = iri(str(evidence_iri(ev, articles)))
            g = graphs[ev.article]
            g[(iris[key], t_evidence, e)] = None
            g[(e, _T_TYPE, t_ev_class)] = None
            g[(e, t_in, article_terms[ev.article])] = None
            g[(e, t_start, typed_literal(str(ev.start), _XSD_INTEGER))] = None
            g[(e, t_end, typed_literal(str(ev.end), _XSD_INTEGER))] = None
            g[(e, t_value, lang_literal(_clean(ev.text)))] = None
    for fact in kb.facts:
        _fact(graphs[fact.evidence.article], fact, iris)
    return graphs


def graph_names(kb: KnowledgeBase) -> dict[str, str]:
    """The graph IRI term of each article, by source."""
    return {a.source: iri(str(graph_iri(a))) for a in kb.articles}


def ntriples(triples) -> str:
    """TRIPLES as N-Triples text, in the order given."""
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples)


def nquads(graphs: dict[str, dict[Triple, None]], names: dict[str, str]) -> tuple[bytes, bytes, int]:
    """The article graphs as N-Quads (by source, then in emission order), their union as sorted N-Triples
    with every triple once, and the number of quads written."""
    quads, union, count = [], set(), 0
    for source in sorted(graphs):
        name = names[source]
        for s, p, o in graphs[source]:
            line = f"{s} {p} {o}"
            quads.append(f"{line} {name} .\n")
            union.add(line + " .")
        count += len(graphs[source])
    return "".join(quads).encode("utf-8"), ("\n".join(sorted(union)) + "\n").encode("utf-8"), count
