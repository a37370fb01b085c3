from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.export import serialize
from kg.pipeline import build_graph
from kg.rdf import ID, KG, union_graph

BLITAR = URIRef("https://w3id.org/kabar-kg/id/municipality/3572-kota-blitar")


def test_rdf_iris_come_from_official_codes(seeds_build):
    g = union_graph(seeds_build.dataset)
    assert (BLITAR, RDF.type, KG.Municipality) in g
    assert (BLITAR, KG.officialCode, Literal("3572")) in g
    assert (BLITAR, KG.province, ID["province/35-jawa-timur"]) in g


def test_rdf_labels_are_language_tagged(seeds_build):
    g = union_graph(seeds_build.dataset)
    assert g.value(BLITAR, RDFS.label) == Literal("Kota Blitar", lang="id")


def test_rdf_dates_and_numbers_are_typed(seeds_build):
    g = union_graph(seeds_build.dataset)
    dates = {o for o in g.objects(None, KG.date)}
    values = {o for o in g.objects(None, KG.value)}
    assert dates and all(d.datatype == XSD.date for d in dates)
    assert Literal(163342, datatype=XSD.integer) in values


def test_rdf_one_named_graph_per_article_with_evidence(seeds_build):
    graphs = {str(g.identifier) for g in seeds_build.dataset.graphs() if len(g)}
    assert {"https://w3id.org/kabar-kg/id/graph/000_c0579e94ec1dab6c",
            "https://w3id.org/kabar-kg/id/graph/002_8465883fa85a0744"} <= graphs
    g = union_graph(seeds_build.dataset)
    ev = next(g.objects(BLITAR, KG.evidence))
    assert (ev, RDF.type, KG.Evidence) in g and g.value(ev, KG.inArticle) is not None


def test_rdf_same_input_gives_identical_bytes(tmp_path):
    from tests.helpers import SEEDS
    a = build_graph([SEEDS])
    files = sorted(SEEDS.glob("*.txt"), reverse=True)
    b = build_graph(files)
    for fmt in ("turtle", "nt", "nquads"):
        assert serialize(a.dataset, fmt) == serialize(b.dataset, fmt)


def test_rdf_node_type_reads_the_class_back_from_every_iri_minted(seeds_build):
    """node_type(IRI) is the class of the node node_iri minted IRI for: every key kind of the seeds' nodes (a local
    government is an agency); an IRI node_iri does not mint gives None."""
    from kg.lexicon import load_lexicon
    from kg.iris import node_iri, node_type
    lexicon = load_lexicon()
    kinds = set()
    for node in seeds_build.kb.nodes.values():
        assert node_type(str(node_iri(node.key, lexicon))) == node.type, node.key
        kinds.add(node.key.split(":", 1)[0])
    assert {"municipality", "province", "localgov", "agency", "person", "award", "agreement", "measurement"} <= kinds
    assert node_type(str(ID["membership/x/y--z"])) is None
    assert node_type("https://example.org/agency/x") is None
