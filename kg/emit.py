"""Write the article graphs as N-Triples text straight from the resolved entities (no rdflib objects).

The triples are exactly those of kg.rdf.article_graphs (tests/test_emit.py compares the two as sets of
terms): the same IRIs (kg.iris.node_iri and friends), the same literal cleaning (kg.iris._clean), and
N-Triples escaping of literals and IRIs. An article graph is a dict of N-Triples lines ("S P O .", no
line break; an ordered set), keyed by the article's source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from .facts import Fact
from .iris import (DCTERMS, KG, LANG, PROV, RDF, RDFS, SCHEMA, SKOS, WD, XSD, _clean, article_iri, graph_iri,
                   indicator_iri, node_iri, text_sha256)
from .iris import decimal_lexical, membership_iri, membership_label, memberships
from .lexicon import Lexicon
from .resolve import KnowledgeBase, Node, node_iris

# the escapes of Oxigraph's N-Triples writer, so a line written here is the line the store gives back
_LIT_ESCAPES = str.maketrans({**{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
                              **{"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                                 "\b": "\\b", "\f": "\\f"}})
# characters N-Triples does not allow raw in an IRI (written as \uXXXX, which stands for the same IRI)
_IRI_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x21), *map(ord, '<>"{}|^`\\')]}
# whether a text holds any character of those tables: str.translate looks every character up in a dict,
# a regular expression finds none much faster, and most texts have none
_LIT_SPECIAL = re.compile('[\x00-\x1f\x7f"\\\\]')
_IRI_SPECIAL = re.compile('[\x00-\x20<>"{}|^`\\\\]')


def iri(value: str) -> str:
    return f"<{value.translate(_IRI_ESCAPES) if _IRI_SPECIAL.search(value) else value}>"


def _as_is(text: str) -> bool:
    """Whether TEXT needs no cleaning (kg.iris._clean) nor escaping as a literal's body: every character that
    either changes, but the quote and the backslash, is one str.isprintable refuses (controls, line and
    paragraph separators, surrogates, noncharacters; tests/test_emit.py checks every code point). Scans in C,
    several times faster than the regular expressions' searches."""
    return text.isprintable() and '"' not in text and "\\" not in text


def _string(text: str) -> str:
    if _as_is(text):
        return f'"{text}"'
    return '"' + (text.translate(_LIT_ESCAPES) if _LIT_SPECIAL.search(text) else text) + '"'


def _text(text: str) -> str:
    """_string(_clean(TEXT)): TEXT cleaned (kg.iris._clean) and escaped as a literal's body; most texts need
    neither (_as_is)."""
    return f'"{text}"' if _as_is(text) else _string(_clean(text))


def _lang(text: str) -> str:
    """lang_literal(_clean(TEXT))."""
    return f"{_text(text)}@{LANG}"


def lang_literal(text: str) -> str:
    return f"{_string(text)}@{LANG}"


def plain_literal(text: str) -> str:
    return _string(text)


def typed_literal(lexical: str, datatype: str) -> str:
    return f"{_string(lexical)}^^<{datatype}>"


_T_TYPE, _T_LABEL, _T_ALT = iri(RDF.type), iri(RDFS.label), iri(SKOS.altLabel)
_XSD_INTEGER, _XSD_DECIMAL, _XSD_DATE, _XSD_BOOLEAN = XSD.integer, XSD.decimal, XSD.date, XSD.boolean


def _put(graph: dict, s: str, p: str, o: str) -> None:
    graph[f"{s} {p} {o} ."] = (s, p)


@cache
def _kg(name: str) -> str:
    return iri(KG[name])


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
        return typed_literal(decimal_lexical(value), _XSD_DECIMAL)
    return _lang(str(value))


def _node(out: dict, node: Node, s: str, lexicon: Lexicon) -> None:
    _put(out, s, _T_TYPE, _kg(node.type))
    _put(out, s, _T_LABEL, _lang(node.label))
    for alias in sorted(node.aliases):
        _put(out, s, _T_ALT, _lang(alias))
    kind, _, code = node.key.partition(":")
    if kind in ("municipality", "province"):
        _put(out, s, _kg("officialCode"), plain_literal(code if kind == "province" else lexicon.regencies[code].code))
        qid = lexicon.regencies[code].qid if kind == "municipality" else lexicon.provinces[code].qid
        if qid:
            _put(out, s, iri(SCHEMA.sameAs), iri(WD[qid]))
        if kind == "municipality":
            r = lexicon.regencies[code]
            _put(out, s, _kg("municipalityKind"), plain_literal(r.kind))
            _put(out, s, _kg("province"), iri(node_iri(f"province:{r.province}", lexicon)))


def rdflib_term(term) -> str:
    """An rdflib term as an N-Triples term (the spelling of this module)."""
    from rdflib import BNode, Literal   # only for rdflib's terms: a build needs no rdflib
    if isinstance(term, Literal):
        if term.language:
            return f"{_string(str(term))}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{_string(str(term))}^^<{term.datatype}>"
        return _string(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return iri(str(term))


_T_ARTICLE, _T_SOURCE, _T_TITLE, _T_PUBLISHER = (_kg("Article"), _kg("sourceFile"), iri(DCTERMS.title),
                                                 _kg("publisherName"))
_T_DATELINE, _T_ISSUED, _T_URL, _T_SHA = (_kg("dateline"), iri(DCTERMS.issued), iri(SCHEMA.url),
                                          _kg("textSha256"))


def _article(out: dict, a: str, article) -> None:
    """The article node's triples, A its IRI term: those of kg.rdf.article_statements (the one place that
    says what an Article holds; tests/test_emit.py compares the two), written out here without rdflib
    terms (a dozen of them per article cost as much as all its evidence lines)."""
    _put(out, a, _T_TYPE, _T_ARTICLE)
    _put(out, a, _T_LABEL, _lang(article.title or article.source))
    _put(out, a, _T_SOURCE, _text(article.source))
    if article.title:
        _put(out, a, _T_TITLE, _lang(article.title))
    if article.publisher:
        _put(out, a, _T_PUBLISHER, _text(article.publisher))
    if article.place:
        _put(out, a, _T_DATELINE, _text(article.place))
    if article.published:
        _put(out, a, _T_ISSUED, literal(article.published))
    if article.url:
        _put(out, a, _T_URL, iri(article.url))
    _put(out, a, _T_SHA, plain_literal(text_sha256(article.text)))


def _fact(out: dict, fact: Fact, iris: dict[str, str]) -> None:
    s = iris[fact.subject]
    p = _kg(fact.predicate)
    if fact.is_link:
        o = iris[fact.object]
    elif fact.predicate == "indicator":
        o = iri(indicator_iri(str(fact.object)))
        _put(out, o, _T_TYPE, _kg("Indicator"))
        _put(out, o, _T_LABEL, _text(str(fact.object)))
    elif fact.predicate in ("position", "category"):
        o = _lang(str(fact.object))
    else:
        o = literal(fact.object)
    _put(out, s, p, o)


@dataclass
class EmitTable:
    """What emitting one article's graph needs from the resolved knowledge base: built once by the main
    process (a keyed pass over the nodes and facts), read by the workers it forks."""
    kb: KnowledgeBase
    lexicon: Lexicon
    iris: dict[str, str]                        # entity key -> IRI term
    articles: dict[str, object]                 # source -> Article
    nodes: dict[str, list[tuple[Node, list]]]   # source -> [(node, its evidence in that article)]
    facts: dict[str, list[Fact]]                # source -> facts read from it
    described: dict[str, tuple[tuple[str, tuple[str, str]], ...]] = field(default_factory=dict, repr=False)
    # node key -> the lines describing it (_node), each with its subject and predicate: the same in every
    # article that names it, so each process emitting from this table writes them once
    offices: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)
    # (person, role, body) -> the IRI term of that office (kg.iris.membership_iri), made once per process


def emit_table(kb: KnowledgeBase, lexicon: Lexicon) -> EmitTable:
    articles = {a.source: a for a in kb.articles}
    nodes: dict[str, list] = {source: [] for source in articles}
    for node in kb.nodes.values():
        by_article: dict[str, list] = {}
        for ev in node.evidence:
            by_article.setdefault(ev.article, []).append(ev)
        for source, evidence in by_article.items():
            nodes[source].append((node, evidence))
    facts: dict[str, list] = {source: [] for source in articles}
    for fact in kb.facts:
        facts[fact.evidence.article].append(fact)
    return EmitTable(kb, lexicon, {key: iri(value) for key, value in node_iris(kb, lexicon).items()}, articles, nodes,
                     facts)


_T_EVIDENCE, _T_IN, _T_START, _T_END = _kg("evidence"), _kg("inArticle"), _kg("startOffset"), _kg("endOffset")
_T_VALUE, _T_EV_CLASS = iri(PROV.value), _kg("Evidence")


def article_lines(table: EmitTable, source: str) -> dict[str, None]:
    """The graph of the article read from SOURCE, as N-Triples lines (an ordered set, each line once):
    the article, every node it names (typed and labelled, so the graph can be validated on its own),
    the evidence spans and the facts read from it."""
    return dict.fromkeys(article_terms(table, source))


def article_terms(table: EmitTable, source: str) -> dict[str, tuple[str, str]]:
    """article_lines, each line mapped to its subject and predicate terms (kg.spool.packed_terms groups
    and filters the lines by them: no line is split again)."""
    out: dict[str, tuple[str, str]] = {}
    article = table.articles[source]
    a = iri(article_iri(article))
    _article(out, a, article)
    spans: dict[tuple, str] = {}   # the evidence spans written: (start, end, text) -> IRI term
    for node, evidence in table.nodes[source]:
        s = table.iris[node.key]
        lines = table.described.get(node.key)
        if lines is None:
            described: dict[str, tuple[str, str]] = {}
            _node(described, node, s, table.lexicon)
            lines = table.described[node.key] = tuple(described.items())
        out.update(lines)
        for ev in evidence:
            _evidence(out, s, a, ev, spans)
    for fact in table.facts[source]:
        _fact(out, fact, table.iris)
    _memberships(out, table, source, a, spans)
    return out


def _evidence(out: dict, s: str, a: str, ev, spans: dict[tuple, str]) -> None:
    """S kg:evidence the span EV of the article A (an IRI term), and the span's own lines unless SPANS (its
    article's, by start, end and text) has them already: a sentence naming five nodes is one span, its
    lines written once (the graph holds each line once anyway). Written out here, the commonest lines of a
    graph: the span's IRI is A's with `#char=START,END` (characters no IRI escapes, so A's escaped IRI
    serves), the offsets are integers (digits no literal escapes)."""
    key = (ev.start, ev.end, ev.text)
    e = spans.get(key)
    if e is not None:
        out[f"{s} {_T_EVIDENCE} {e} ."] = (s, _T_EVIDENCE)
        return
    e = spans[key] = f"{a[:-1]}#char={ev.start},{ev.end}>"
    out[f"{s} {_T_EVIDENCE} {e} ."] = (s, _T_EVIDENCE)
    out[f"{e} {_T_TYPE} {_T_EV_CLASS} ."] = (e, _T_TYPE)
    out[f"{e} {_T_IN} {a} ."] = (e, _T_IN)
    out[f'{e} {_T_START} "{ev.start:d}"^^<{_XSD_INTEGER}> .'] = (e, _T_START)
    out[f'{e} {_T_END} "{ev.end:d}"^^<{_XSD_INTEGER}> .'] = (e, _T_END)
    out[f"{e} {_T_VALUE} {_lang(ev.text)} ."] = (e, _T_VALUE)


def _memberships(out: dict, table: EmitTable, source: str, a: str, spans: dict[tuple, str]) -> None:
    """The offices the article A (its IRI term) states, each paired with its body (kg.iris.memberships):
    kg:Membership nodes."""
    found = memberships(table.facts[source])
    # the body is named in the article stating the office; the table slices a cluster sends have no kb
    nodes = {node.key: node for node, _ in table.nodes[source]} if found else {}
    for m in found:
        s = table.offices.get((m.person, m.role, m.body))
        if s is None:
            s = table.offices[(m.person, m.role, m.body)] = iri(membership_iri(m, table.lexicon))
        _put(out, s, _T_TYPE, _kg("Membership"))
        _put(out, s, _T_LABEL, _lang(membership_label(m, nodes if m.body in nodes else table.kb.nodes)))
        _put(out, s, _kg("member"), table.iris[m.person])
        _put(out, s, _kg("role"), _lang(m.role))
        _put(out, s, _kg("organization"), table.iris[m.body])
        _evidence(out, s, a, m.evidence, spans)


def article_triples(kb: KnowledgeBase, lexicon: Lexicon) -> dict[str, dict[str, None]]:
    """One graph per article (by source) as N-Triples lines: the triples of kg.rdf.article_graphs."""
    table = emit_table(kb, lexicon)
    return {source: article_lines(table, source) for source in table.articles}


def graph_names(kb: KnowledgeBase) -> dict[str, str]:
    """The graph IRI term of each article, by source."""
    return {a.source: iri(graph_iri(a)) for a in kb.articles}


def ntriples(lines) -> str:
    """N-Triples lines as a document."""
    return "\n".join(lines) + "\n" if lines else ""


def nquads(graphs: dict[str, dict[str, None]], names: dict[str, str]) -> tuple[bytes, bytes, int]:
    """The article graphs as N-Quads (by source, then in emission order), their union as N-Triples with
    every triple once (sorted), and the number of quads written."""
    quads, union, count = [], {}, 0
    for source in sorted(graphs):
        tail = f" {names[source]} .\n"
        lines = graphs[source]
        quads.append("".join([line[:-1] + tail[1:] for line in lines]))
        union.update(lines)
        count += len(lines)
    return "".join(quads).encode("utf-8"), ntriples(sorted(union)).encode("utf-8"), count
