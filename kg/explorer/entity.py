"""What the explorer shows about one entity: its names and identifiers, every fact about it with the sentence
and article it was read from, and its neighbourhood as a graph. Every read is a bound triple pattern."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..places import REFERENCE_PLACES_GRAPH
from ..rdf import ID, KG
from .search import RDF_TYPE, RDFS_LABEL, SKOS_ALT

DEFAULT = ox.DefaultGraph()
XSD = "http://www.w3.org/2001/XMLSchema#"
KGNS, IDNS = str(KG), str(ID)
EVIDENCE = ox.NamedNode(KG["evidence"])
IN_ARTICLE = ox.NamedNode(KG["inArticle"])
PROV_VALUE = ox.NamedNode("http://www.w3.org/ns/prov#value")
SOURCE_FILE = ox.NamedNode(KG["sourceFile"])
ISSUED = ox.NamedNode("http://purl.org/dc/terms/issued")
TITLE = ox.NamedNode("http://purl.org/dc/terms/title")
PUBLISHER = ox.NamedNode(KG["publisherName"])
OFFICIAL_CODE = ox.NamedNode(KG["officialCode"])
SAME_AS = ox.NamedNode("https://schema.org/sameAs")
# where an article's web address would be, if the corpus gives one
URL_PROPERTIES = [ox.NamedNode(u) for u in ("https://schema.org/url", KG["url"], "http://purl.org/dc/terms/source")]
ONTOLOGY_GRAPH = ox.NamedNode(ID["graph/ontology"])
PLACES_GRAPH = ox.NamedNode(REFERENCE_PLACES_GRAPH)   # the gazetteer's places: no article, no evidence
# shown in the page's header, not as facts
HEADER_PROPERTIES = {RDF_TYPE, RDFS_LABEL, SKOS_ALT, EVIDENCE, OFFICIAL_CODE, SAME_AS}
# facts about places taken from the gazetteer (kg/lexicons/regencies.csv), not read from a sentence
REFERENCE_PROPERTIES = {ox.NamedNode(KG["municipalityKind"]), ox.NamedNode(KG["province"])}
# the links the graph view draws (evidence and typing are provenance and schema, not neighbours)
NOT_DRAWN = {RDF_TYPE, EVIDENCE, IN_ARTICLE}
MAX_NEIGHBOURS = 80
CHAR_SPAN = re.compile(r"#char=(\d+),(\d+)$")
MAX_FACTS = 50           # per property and direction: a national body is party to thousands of agreements
MAX_ARTICLES = 3         # evidence shown per fact; the count of the others is given


@dataclass(frozen=True)
class Value:
    """A term shown to a reader: a label (and its entity's page) for an IRI, the text for a literal."""
    text: str
    iri: str | None = None
    kind: str = ""          # "date", "number", "" for text, or the entity's type


@dataclass(frozen=True)
class Article:
    iri: str
    title: str
    source_file: str
    url: str | None
    issued: str | None
    publisher: str | None


@dataclass(frozen=True)
class Sentence:
    """An evidence sentence, cut into pieces: (text, highlighted?)."""
    pieces: tuple[tuple[str, bool], ...]
    article: Article

    @property
    def text(self) -> str:
        return "".join(p for p, _ in self.pieces)


@dataclass(frozen=True)
class Fact:
    """One statement about the entity: SUBJECT PREDICATE OBJECT, where one side is the entity."""
    predicate: str          # the property's label ("recipient", "party", ...)
    subject: Value
    object: Value
    incoming: bool          # the entity is the object
    date: str | None        # the date of the other side (an award's, a measurement's), when it has one
    evidence: tuple[Sentence, ...]
    more_articles: int = 0  # articles stating it whose sentence is not shown


@dataclass
class Entity:
    iri: str
    label: str
    types: list[str]
    aliases: list[str]
    official_code: str | None
    wikidata: list[str]
    reference: list[tuple[str, Value]] = field(default_factory=list)   # gazetteer facts: kind, province
    facts: list[Fact] = field(default_factory=list)
    measurements: list[dict] = field(default_factory=list)
    left_out: list[tuple[str, int, str]] = field(default_factory=list)   # (property, facts not shown, SPARQL for all)


def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


class Reader:
    """Bound-pattern reads on one store generation, with labels cached per request."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._labels: dict[str, str] = {}
        self._articles: dict[str, Article] = {}

    def objects(self, s, p, graph=DEFAULT) -> list:
        return [q.object for q in self.store.quads_for_pattern(s, p, None, graph)]

    def first(self, s, p, graph=DEFAULT) -> str | None:
        values = sorted(o.value for o in self.objects(s, p, graph))
        return values[0] if values else None

    def label(self, iri: str) -> str:
        if iri not in self._labels:
            node = ox.NamedNode(iri)
            label = self.first(node, RDFS_LABEL) or self.first(node, RDFS_LABEL, ONTOLOGY_GRAPH)
            self._labels[iri] = label or local_name(iri)
        return self._labels[iri]

    def fact_properties(self) -> list:
        """The properties the ontology declares, but those shown in a page's header (kg:evidence...)."""
        found = set()
        for kind in ("ObjectProperty", "DatatypeProperty"):
            owl = ox.NamedNode("http://www.w3.org/2002/07/owl#" + kind)
            found |= {q.subject for q in self.store.quads_for_pattern(None, RDF_TYPE, owl, ONTOLOGY_GRAPH)
                      if isinstance(q.subject, ox.NamedNode)}
        return sorted(found - HEADER_PROPERTIES - {IN_ARTICLE}, key=lambda p: p.value)

    def property_label(self, iri: str) -> str:
        """The ontology's English label of a property (`recipient`), else its local name."""
        node = ox.NamedNode(iri)
        labels = [q.object for q in self.store.quads_for_pattern(node, RDFS_LABEL, None, ONTOLOGY_GRAPH)]
        english = [o.value for o in labels if isinstance(o, ox.Literal) and o.language == "en"]
        return (sorted(english) or sorted(o.value for o in labels) or [local_name(iri)])[0]

    def type_of(self, node) -> str:
        types = sorted(local_name(o.value) for o in self.objects(node, RDF_TYPE) if o.value.startswith(KGNS))
        return types[0] if types else ""

    def value(self, term) -> Value:
        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype else ""
            if dt == XSD + "date" or dt == XSD + "dateTime":
                return Value(term.value, kind="date")
            if dt in (XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float"):
                return Value(format_number(term.value), kind="number")
            return Value(term.value)
        if isinstance(term, ox.NamedNode):
            return Value(self.label(term.value), term.value, self.type_of(term))
        return Value(str(term))

    def names(self, node) -> list[str]:
        return [o.value for o in self.objects(node, RDFS_LABEL) + self.objects(node, SKOS_ALT)]

    def article(self, iri: str) -> Article:
        if iri not in self._articles:
            about: dict[str, list[str]] = {}          # an article has a few triples: read them at once
            for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, DEFAULT):
                about.setdefault(q.predicate.value, []).append(q.object.value)
            get = lambda p: min(about.get(p.value, [None]), key=lambda v: v or "")  # noqa: E731
            url = next((v for p in URL_PROPERTIES for v in [get(p)] if v), None)
            source = get(SOURCE_FILE) or local_name(iri)
            self._articles[iri] = Article(iri, get(TITLE) or get(RDFS_LABEL) or source, source, url, get(ISSUED),
                                          get(PUBLISHER))
        return self._articles[iri]

    def evidence_of(self, node, graph) -> list[tuple[int, str]]:
        """(start offset, evidence IRI) of NODE's evidence in one article GRAPH, in text order; the offset
        is read from the IRI (`.../article/STEM#char=START,END`, RFC 5147)."""
        out = []
        for ev in self.objects(node, EVIDENCE, graph):
            m = CHAR_SPAN.search(ev.value)
            out.append((int(m.group(1)) if m else 0, ev.value))
        return sorted(out)

    def sentence(self, evidence: str, graph) -> str:
        return self.first(ox.NamedNode(evidence), PROV_VALUE, graph) or ""

    def evidence(self, s, p, o, names: list[str]) -> tuple[tuple[Sentence, ...], int]:
        """The sentences a statement was read from, in at most MAX_ARTICLES articles, and the number of other
        articles stating it: in each article graph, the first evidence the subject and the object share, else
        the subject's first evidence naming the object, else the subject's first."""
        found = []
        graphs = sorted({q.graph_name.value for q in self.store.quads_for_pattern(s, p, o, None)
                         if isinstance(q.graph_name, ox.NamedNode)
                         and q.graph_name not in (ONTOLOGY_GRAPH, PLACES_GRAPH)})
        for g in graphs[:MAX_ARTICLES]:
            graph = ox.NamedNode(g)
            mine = self.evidence_of(s, graph)
            if not mine:
                continue
            chosen = None
            if isinstance(o, ox.NamedNode):
                theirs = {e.value for e in self.objects(o, EVIDENCE, graph)}
                chosen = next((ev for _, ev in mine if ev in theirs), None)
                wanted = [n.casefold() for n in self.names(o)] if chosen is None else []
            else:
                wanted = [o.value.casefold()] if isinstance(o, ox.Literal) else []
            texts = {}
            if chosen is None and wanted:
                texts = {ev: self.sentence(ev, graph) for _, ev in mine}
                chosen = next((ev for _, ev in mine if any(n in texts[ev].casefold() for n in wanted)), None)
            chosen = chosen or mine[0][1]
            text = texts.get(chosen) or self.sentence(chosen, graph)
            if text:
                found.append(Sentence(highlight(text, names), self.article(chosen.split("#", 1)[0])))
        return tuple(found), max(0, len(graphs) - MAX_ARTICLES)


def format_number(text: str) -> str:
    """'163342' -> '163,342'; '99.40' stays with its digits."""
    whole, dot, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    if whole.isdigit():
        whole = f"{int(whole):,}"
    return sign + whole + dot + frac


def number_forms(text: str) -> list[str]:
    """How a number is written in the news: '163342' -> ['163342', '163.342']; '99.4' -> [.., '99,4']."""
    whole, dot, frac = text.partition(".")
    if not whole.lstrip("-").isdigit():
        return [text]
    indonesian = f"{int(whole):,}".replace(",", ".") + ("," + frac if dot else "")
    return [text, indonesian]


def highlight(text: str, names: list[str]) -> tuple[tuple[str, bool], ...]:
    """TEXT cut into pieces, the NAMES found in it (case-insensitive, longest first) marked."""
    names = sorted({n for n in names if len(n) >= 2}, key=len, reverse=True)
    if not names:
        return ((text, False),)
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    pieces, at = [], 0
    for m in pattern.finditer(text):
        if m.start() > at:
            pieces.append((text[at:m.start()], False))
        pieces.append((m.group(0), True))
        at = m.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return tuple(pieces)


DATE = ox.NamedNode(KG["date"])
AREA, INDICATOR, VALUE = (ox.NamedNode(KG[n]) for n in ("area", "indicator", "value"))


def read_entity(store: ox.Store, iri: str) -> Entity | None:
    """The entity at IRI with every fact about it (None when the store does not describe it)."""
    r = Reader(store)
    node = ox.NamedNode(iri)
    types = sorted({local_name(o.value) for o in r.objects(node, RDF_TYPE) if o.value.startswith(KGNS)})
    labels = sorted(o.value for o in r.objects(node, RDFS_LABEL))
    if not types and not labels:
        return None
    label = labels[0] if labels else local_name(iri)
    aliases = sorted({o.value for o in r.objects(node, SKOS_ALT)} | set(labels[1:]) - {label})
    entity = Entity(iri, label, types, aliases, r.first(node, OFFICIAL_CODE),
                    sorted(o.value for o in r.objects(node, SAME_AS) if "wikidata.org" in o.value))
    names = [label] + aliases
    me = Value(label, iri, types[0] if types else "")
    shown: dict[tuple[str, bool], int] = {}

    def room(predicate, incoming: bool) -> bool:
        key = (predicate.value, incoming)
        shown[key] = shown.get(key, 0) + 1
        return shown[key] <= MAX_FACTS

    # an entity named in thousands of articles has thousands of kg:evidence links: only the ontology's
    # properties are read (all of them, if the store has no ontology graph)
    properties = r.fact_properties()
    if properties:
        outgoing = [q for p in properties for q in store.quads_for_pattern(node, p, None, DEFAULT)]
    else:
        outgoing = [q for q in store.quads_for_pattern(node, None, None, DEFAULT) if q.predicate not in HEADER_PROPERTIES]
    for q in sorted(outgoing, key=lambda q: (q.predicate.value, str(q.object))):
        other = r.value(q.object)
        if q.predicate in REFERENCE_PROPERTIES:
            entity.reference.append((r.property_label(q.predicate.value), other))
            continue
        if not room(q.predicate, False):
            continue
        other_names = r.names(q.object) if isinstance(q.object, ox.NamedNode) else [q.object.value]
        date = r.first(q.object, DATE) if isinstance(q.object, ox.NamedNode) else None
        evidence, more = r.evidence(node, q.predicate, q.object, names + other_names)
        entity.facts.append(Fact(r.property_label(q.predicate.value), me, other, False, date, evidence, more))
    incoming = [q for q in store.quads_for_pattern(None, None, node, DEFAULT)
                if q.predicate not in HEADER_PROPERTIES and isinstance(q.subject, ox.NamedNode)]
    for q in sorted(incoming, key=lambda q: (q.predicate.value, q.subject.value)):
        if not room(q.predicate, True):
            continue
        if q.predicate == AREA:
            entity.measurements.append(read_measurement(r, q.subject, names))
            continue
        evidence, more = r.evidence(q.subject, q.predicate, node, names + r.names(q.subject))
        entity.facts.append(Fact(r.property_label(q.predicate.value), r.value(q.subject), me, True,
                                 r.first(q.subject, DATE), evidence, more))
    for (p, incoming), n in sorted(shown.items()):
        if n > MAX_FACTS:
            pattern = f"?other <{p}> <{iri}>" if incoming else f"<{iri}> <{p}> ?other"
            query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                     f"SELECT DISTINCT ?other ?label WHERE {{\n  {pattern} .\n  OPTIONAL {{ ?other rdfs:label ?label }}\n}}")
            entity.left_out.append((r.property_label(p), n - MAX_FACTS, query))
    entity.measurements.sort(key=lambda m: (m["indicator"], m["date"] or "", m["value"]))
    return entity


def read_measurement(r: Reader, m, names: list[str]) -> dict:
    """A measurement of a place as a table row: indicator, value, date, evidence."""
    indicator = next(iter(r.objects(m, INDICATOR)), None)
    value = next(iter(r.objects(m, VALUE)), None)
    value_text = r.value(value).text if value is not None else ""
    evidence, more = r.evidence(m, AREA, None, names + (number_forms(value.value) if value is not None else []))
    return {"iri": m.value, "indicator": r.label(indicator.value) if indicator is not None else "",
            "value": value_text, "date": r.first(m, DATE), "evidence": evidence, "more": more}


def neighbourhood(store: ox.Store, iri: str) -> dict:
    """The entity at IRI and its direct links (both directions) as Cytoscape elements:
    {"nodes": [{"data": {id, label, type}}], "edges": [{"data": {id, source, target, label}}]}."""
    r = Reader(store)
    node = ox.NamedNode(iri)
    nodes: dict[str, dict] = {iri: {"data": {"id": iri, "label": r.label(iri), "type": r.type_of(node)}}}
    edges: dict[str, dict] = {}

    def link(s: str, p: str, o: str) -> None:
        for x in (s, o):
            if x not in nodes:
                nodes[x] = {"data": {"id": x, "label": r.label(x), "type": r.type_of(ox.NamedNode(x))}}
        edge_id = f"{s} {p} {o}"
        edges[edge_id] = {"data": {"id": edge_id, "source": s, "target": o, "label": r.property_label(p)}}

    out = [q for q in store.quads_for_pattern(node, None, None, DEFAULT)
           if isinstance(q.object, ox.NamedNode) and q.predicate not in NOT_DRAWN and q.predicate != SAME_AS]
    inc = [q for q in store.quads_for_pattern(None, None, node, DEFAULT)
           if isinstance(q.subject, ox.NamedNode) and q.predicate not in NOT_DRAWN]
    for q in (out + inc)[:MAX_NEIGHBOURS]:
        link(q.subject.value, q.predicate.value, q.object.value)
    return {"nodes": list(nodes.values()), "edges": list(edges.values()),
            "truncated": len(out) + len(inc) > MAX_NEIGHBOURS}


def entity_path(iri: str) -> str:
    """The explorer's address of an entity page: /id/... for the project's IRIs, else /entity?iri=..."""
    from urllib.parse import quote
    if iri.startswith(IDNS):
        return "/id/" + quote(iri[len(IDNS):], safe="/-_.~")
    return "/entity?iri=" + quote(iri, safe="")
