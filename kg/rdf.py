"""Map resolved entities and facts to RDF: the only place IRIs are minted.

Provenance: every article has its own named graph (<.../id/graph/SEGMENT>, see article_segment) holding the triples read from
it, and every node points with kg:evidence to the sentences (character spans of the article text) that
support it. The union of the graphs is the knowledge graph.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .articles import Article
from .facts import Evidence, Fact
from .lexicon import Lexicon
from .resolve import KnowledgeBase, Node
from .resources import ID_BASE, ONTOLOGY_GRAPH as ONTOLOGY_GRAPH_IRI
from .textutil import slug

KG = Namespace("https://w3id.org/kabar-kg/ontology#")
ID = Namespace(ID_BASE)
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
LANG = "id"
ONTOLOGY_GRAPH = URIRef(ONTOLOGY_GRAPH_IRI)

PREFIXES = {"kg": KG, "kgid": ID, "rdfs": RDFS, "skos": SKOS, "xsd": XSD, "prov": PROV, "dcterms": DCTERMS,
            "schema": SCHEMA, "wd": WD, "owl": OWL}


def bind_prefixes(g: Graph) -> Graph:
    for p, ns in PREFIXES.items():
        g.bind(p, ns, override=True)
    return g


def node_iri(key: str, lexicon: Lexicon) -> URIRef:
    """Return the IRI of an entity key: stable, readable, and the same for the same key in every build."""
    kind, _, rest = key.partition(":")
    if kind == "municipality":
        r = lexicon.regencies[rest]
        return ID[f"municipality/{rest}-{slug(r.label)}"]
    if kind == "province":
        return ID[f"province/{rest}-{slug(lexicon.provinces[rest].label)}"]
    if kind == "localgov":
        return ID[f"agency/government-{rest}"]
    if kind == "agency":
        unit, _, code = rest.partition("@")
        return ID[f"agency/{code}/{unit}"] if code else ID["agency/" + "/".join(slug(p) for p in unit.split("/"))]
    if kind == "person":
        return ID[f"person/{slug(rest)}"]
    if kind == "award":
        family, year, area = rest.split(":", 2)
        return ID[f"award/{family}-{year or 'undated'}/{area.replace(':', '-')}"]
    if kind == "agreement":
        agreement_kind, _, parties = rest.partition(":")
        digest = hashlib.sha1(parties.encode("utf-8")).hexdigest()[:12]
        return ID[f"agreement/{agreement_kind}-{digest}"]
    if kind == "measurement":
        area, indicator, value = rest.rsplit(":", 2)
        return ID[f"measurement/{area.replace(':', '-')}/{indicator}/{slug(value.replace('.', '_'))}"]
    return ID[f"entity/{slug(key)}"]


_KIND_TYPES = {"municipality": "Municipality", "province": "Province", "agency": "Agency", "person": "Person",
               "award": "Award", "agreement": "Agreement", "measurement": "Measurement"}


def node_type(iri: str) -> str | None:
    """The class (its local name) of the node whose IRI node_iri minted, read back from the IRI (the first
    segment after ID says it: a local government is an agency); None for any other IRI."""
    base = str(ID)
    return _KIND_TYPES.get(iri[len(base):].split("/", 1)[0]) if iri.startswith(base) else None


PLAIN_SOURCE = re.compile(r"([a-z0-9]+(?:[-_.][a-z0-9]+)*)\.txt")


def article_segment(source: str) -> str:
    """The IRI segment of the article read from SOURCE (its path in the folder given, see
    kg.articles.article_sources): unique per source and the same on every machine.

    A plain file name (lower-case letters, digits, single - _ . between them, .txt, at most 80 characters)
    is its own segment: "dev_01_bogor-uhc-2026.txt" -> "dev_01_bogor-uhc-2026". Any other source is the
    slug of its path plus "--" and a hash of the path: "a/Berita 1.txt" -> "a-berita-1--3f0c5e1d2a9b".
    A plain segment never holds "--", so the two kinds never meet."""
    plain = PLAIN_SOURCE.fullmatch(source)
    if plain and len(plain[1]) <= 80:
        return plain[1]
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:12]   # any lone surrogate
    stem = source[:-4] if source.endswith(".txt") else source
    return f"{slug(stem)[:60].rstrip('-')}--{digest}"


def article_iri(article: Article) -> URIRef:
    return ID[f"article/{article_segment(article.source)}"]


def graph_iri(article: Article) -> URIRef:
    return ID[f"graph/{article_segment(article.source)}"]


def evidence_iri(ev: Evidence, articles: dict[str, Article]) -> URIRef:
    return URIRef(f"{article_iri(articles[ev.article])}#char={ev.start},{ev.end}")


def indicator_iri(name: str) -> URIRef:
    return ID[f"indicator/{slug(name).replace('-', '_')}"]


@dataclass(frozen=True)
class Membership:
    """An office a person holds in a body, as one article states it (kg:Membership)."""
    person: str          # entity keys
    role: str            # the office written out, as kg:position
    body: str
    evidence: Evidence


def memberships(facts: list[Fact]) -> list[Membership]:
    """A person's offices paired with their bodies: a position and an affiliation of one person stated in one
    sentence (kg.relations.offices reads them from one mention), in the order of FACTS."""
    bodies = {(f.subject, f.evidence): f.object for f in facts if f.predicate == "affiliation" and f.is_link}
    return [Membership(f.subject, str(f.object), bodies[(f.subject, f.evidence)], f.evidence) for f in facts
            if f.predicate == "position" and (f.subject, f.evidence) in bodies]


def membership_iri(m: Membership, lexicon: Lexicon) -> URIRef:
    """<.../id/membership/PERSON/ROLE--BODY>: the same office in the same body is one node in every article."""
    person = str(node_iri(m.person, lexicon)).rsplit("/", 1)[1]
    body = str(node_iri(m.body, lexicon))[len(str(ID)):].replace("/", "-")
    return ID[f"membership/{person}/{slug(m.role)}--{body}"]


def membership_label(m: Membership, nodes: dict[str, Node]) -> str:
    return f"{m.role}, {nodes[m.body].label}"


def decimal_lexical(value: Decimal) -> str:
    """VALUE written as Oxigraph writes an xsd:decimal it stores (no exponent, no trailing zeros after the
    point, no point without digits after it, no minus zero): 91.0 -> 91, 0.50 -> 0.5. The output is written
    from these lines and `kg export` from the store, so both must write a number alike; two articles
    giving 91 and 91.0 state one triple."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def literal(value) -> Literal:
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return Literal(decimal_lexical(value), datatype=XSD.decimal)   # never "1E+16"
    return Literal(_clean(str(value)), lang=LANG)


_LINE_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
# control characters other than tab and line feed, DEL and the C1 controls
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# what is not a character: lone surrogates (they cannot be encoded) and the noncharacters
# (U+FDD0..U+FDEF, U+FFFE and U+FFFF of every plane; XML refuses U+FFFE and U+FFFF)
_NOT_CHARACTERS = re.compile("[\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]")

# any character _clean changes (those of the three above)
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + _NOT_CHARACTERS.pattern[1:])


def _clean(text: str) -> str:
    """Return TEXT as a literal every output format can hold, one character for one, so that evidence
    offsets stay valid: a line break (NEL, U+2028, U+2029) becomes "\\n", any other control character a
    space, and a lone surrogate or a noncharacter U+FFFD."""
    if not _UNCLEAN.search(text):   # most texts: nothing to change (one scan in C, no copies)
        return text
    return _NOT_CHARACTERS.sub("\ufffd", _CONTROLS.sub(" ", text.translate(_LINE_BREAKS)))


def _add_node(g: Graph, node: Node, iri: URIRef, lexicon: Lexicon) -> None:
    g.add((iri, RDF.type, KG[node.type]))
    g.add((iri, RDFS.label, Literal(_clean(node.label), lang=LANG)))
    for alias in sorted(node.aliases):
        g.add((iri, SKOS.altLabel, Literal(_clean(alias), lang=LANG)))
    kind, _, code = node.key.partition(":")
    if kind in ("municipality", "province"):
        g.add((iri, KG.officialCode, Literal(code if kind == "province" else lexicon.regencies[code].code)))
        qid = lexicon.regencies[code].qid if kind == "municipality" else lexicon.provinces[code].qid
        if qid:
            g.add((iri, SCHEMA.sameAs, WD[qid]))
        if kind == "municipality":
            r = lexicon.regencies[code]
            g.add((iri, KG.municipalityKind, Literal(r.kind)))
            # the province is linked by its IRI; it is described (typed, labelled) where an article names it,
            # and in the store's reference places (kg.places)
            g.add((iri, KG.province, node_iri(f"province:{r.province}", lexicon)))


def _add_article(g: Graph, article: Article) -> None:
    for t in article_statements(article):
        g.add(t)


def article_statements(article: Article) -> list[tuple]:
    """The triples describing ARTICLE (rdflib terms): what an Article node holds."""
    a = article_iri(article)
    out = [(a, RDF.type, KG.Article),
           (a, RDFS.label, Literal(_clean(article.title or article.source), lang=LANG)),
           (a, KG.sourceFile, Literal(_clean(article.source)))]
    if article.title:
        out.append((a, DCTERMS.title, Literal(_clean(article.title), lang=LANG)))
    if article.publisher:
        out.append((a, KG.publisherName, Literal(_clean(article.publisher))))
    if article.place:
        out.append((a, KG.dateline, Literal(_clean(article.place))))
    if article.published:
        out.append((a, DCTERMS.issued, literal(article.published)))
    if article.url:    # an http(s) IRI, cleaned by kg.sources.clean_url
        out.append((a, SCHEMA.url, URIRef(article.url)))
    out.append((a, KG.textSha256, Literal(text_sha256(article.text))))
    return out


def text_sha256(text: str) -> str:
    """The SHA-256 (hex) of an article's text as read, UTF-8: the text evidence offsets index (kg:textSha256),
    so a citation can be checked against the text it points into."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _add_fact(g: Graph, fact: Fact, kb_iri, lexicon: Lexicon) -> None:
    s = kb_iri(fact.subject)
    p = KG[fact.predicate]
    if fact.is_link:
        o = kb_iri(fact.object)
    elif fact.predicate == "indicator":
        o = indicator_iri(str(fact.object))
        g.add((o, RDF.type, KG.Indicator))
        g.add((o, RDFS.label, Literal(_clean(str(fact.object)))))
    elif fact.predicate in ("position", "category"):
        o = Literal(_clean(str(fact.object)), lang=LANG)
    else:
        o = literal(fact.object)
    g.add((s, p, o))


def article_graphs(kb: KnowledgeBase, lexicon: Lexicon) -> dict[str, Graph]:
    """Return one graph per article (by source file name), named <.../id/graph/SEGMENT>.

    Each article graph types and labels every node it links to, so it can be validated on its own."""
    articles = {a.source: a for a in kb.articles}
    graphs = {a.source: Graph(identifier=graph_iri(a)) for a in kb.articles}
    iris = {key: node_iri(key, lexicon) for key in kb.nodes}
    for source, article in articles.items():
        _add_article(graphs[source], article)
    for key, node in kb.nodes.items():
        for source in sorted({ev.article for ev in node.evidence}):
            _add_node(graphs[source], node, iris[key], lexicon)
        for ev in node.evidence:
            e = evidence_iri(ev, articles)
            g = graphs[ev.article]
            g.add((iris[key], KG.evidence, e))
            g.add((e, RDF.type, KG.Evidence))
            g.add((e, KG.inArticle, article_iri(articles[ev.article])))
            g.add((e, KG.startOffset, Literal(ev.start, datatype=XSD.integer)))
            g.add((e, KG.endOffset, Literal(ev.end, datatype=XSD.integer)))
            g.add((e, PROV.value, Literal(_clean(ev.text), lang=LANG)))
    for fact in kb.facts:
        _add_fact(graphs[fact.evidence.article], fact, iris.__getitem__, lexicon)
    for m in memberships(kb.facts):
        _add_membership(graphs[m.evidence.article], m, kb, iris, articles, lexicon)
    return graphs


def _add_membership(g: Graph, m: Membership, kb: KnowledgeBase, iris: dict, articles: dict, lexicon: Lexicon) -> None:
    s, e = membership_iri(m, lexicon), evidence_iri(m.evidence, articles)
    g.add((s, RDF.type, KG.Membership))
    g.add((s, RDFS.label, Literal(_clean(membership_label(m, kb.nodes)), lang=LANG)))
    g.add((s, KG.member, iris[m.person]))
    g.add((s, KG.role, Literal(_clean(m.role), lang=LANG)))
    g.add((s, KG.organization, iris[m.body]))
    g.add((s, KG.evidence, e))
    g.add((e, RDF.type, KG.Evidence))
    g.add((e, KG.inArticle, article_iri(articles[m.evidence.article])))
    g.add((e, KG.startOffset, Literal(m.evidence.start, datatype=XSD.integer)))
    g.add((e, KG.endOffset, Literal(m.evidence.end, datatype=XSD.integer)))
    g.add((e, PROV.value, Literal(_clean(m.evidence.text), lang=LANG)))


def dataset_of(graphs: dict[str, Graph]) -> Dataset:
    ds = Dataset()
    bind_prefixes(ds)
    for source in sorted(graphs):
        target = ds.graph(graphs[source].identifier)
        for t in graphs[source]:
            target.add(t)
    return ds


def union_graph(ds: Dataset) -> Graph:
    """Return all triples of the dataset's graphs as one Graph (what a .ttl file holds)."""
    g = bind_prefixes(Graph())
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g
