"""Map resolved entities and facts to rdflib graphs (tests, small builds, `kg validate`'s reference path and
the exports that need rdflib): the same IRIs and literals kg.iris mints as text, as rdflib terms. A build
writes its lines without rdflib (kg.emit, from kg.iris).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from . import iris
from .articles import Article
from .facts import Evidence, Fact
from .iris import LANG, Membership, _clean, decimal_lexical, membership_label, memberships, text_sha256
from .lexicon import Lexicon
from .resolve import KnowledgeBase, Node
from .resources import ONTOLOGY_GRAPH as ONTOLOGY_GRAPH_IRI

KG = Namespace(str(iris.KG))
ID = Namespace(str(iris.ID))
SCHEMA = Namespace(str(iris.SCHEMA))
WD = Namespace(str(iris.WD))
ONTOLOGY_GRAPH = URIRef(ONTOLOGY_GRAPH_IRI)

PREFIXES = {prefix: Namespace(namespace) for prefix, namespace in iris.PREFIXES.items()}


def bind_prefixes(g: Graph) -> Graph:
    for p, ns in PREFIXES.items():
        g.bind(p, ns, override=True)
    return g


def node_iri(key: str, lexicon: Lexicon) -> URIRef:
    return URIRef(iris.node_iri(key, lexicon))


def article_iri(article: Article) -> URIRef:
    return URIRef(iris.article_iri(article))


def graph_iri(article: Article) -> URIRef:
    return URIRef(iris.graph_iri(article))


def evidence_iri(ev: Evidence, articles: dict[str, Article]) -> URIRef:
    return URIRef(iris.evidence_iri(ev, articles))


def indicator_iri(name: str) -> URIRef:
    return URIRef(iris.indicator_iri(name))


def membership_iri(m: Membership, lexicon: Lexicon) -> URIRef:
    return URIRef(iris.membership_iri(m, lexicon))


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
