import pytest
from rdflib import Graph

from kg.validate import validate_graph

PREFIXES = """
@prefix kg: <https://w3id.org/kabar-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""


def graph(ttl: str) -> Graph:
    return Graph().parse(data=PREFIXES + ttl, format="turtle")


def test_validate_person_without_name_names_the_property():
    report = validate_graph(graph("ex:p a kg:Person ."))
    assert not report.conforms
    assert any(v.path == "rdfs:label" for v in report.violations)


def test_validate_agreement_needs_two_parties():
    report = validate_graph(graph("""
        ex:a a kg:Agreement ; rdfs:label "MoU"@id ; kg:party ex:b .
        ex:b a kg:Agency ; rdfs:label "Pemkot X"@id ."""))
    assert [v.path for v in report.violations] == ["kg:party"]


def test_validate_award_needs_a_recipient_and_a_typed_date():
    report = validate_graph(graph('ex:w a kg:Award ; rdfs:label "Piala"@id ; kg:date "kemarin" .'))
    assert {v.path for v in report.violations} == {"kg:recipient", "kg:date"}


def test_validate_measurement_value_is_numeric():
    report = validate_graph(graph("""
        ex:m a kg:Measurement ; kg:area ex:k ; kg:indicator ex:i ; kg:value "banyak" .
        ex:i a kg:Indicator .
        ex:k a kg:Province ; rdfs:label "Bali"@id ; kg:officialCode "51" ."""))
    assert [v.path for v in report.violations] == ["kg:value"]


@pytest.mark.parametrize("value", ['"Infinity"^^xsd:decimal', '"-INF"^^xsd:decimal', '"NaN"^^xsd:decimal',
                                   '"INF"^^xsd:double', '"1e3"^^xsd:double', '"12"'])
def test_validate_measurement_value_is_finite_digits(value):
    """rdflib reads "Infinity"^^xsd:decimal as a well-formed decimal, so the datatype alone let it conform."""
    report = validate_graph(graph(f"""
        ex:m a kg:Measurement ; kg:area ex:k ; kg:indicator ex:i ; kg:value {value} .
        ex:i a kg:Indicator .
        ex:k a kg:Province ; rdfs:label "Bali"@id ; kg:officialCode "51" ."""))
    assert not report.conforms
    assert {v.path for v in report.violations} == {"kg:value"}


@pytest.mark.parametrize("value", ['"12345678901234567"^^xsd:integer', '"98.5"^^xsd:decimal', '"0"^^xsd:integer'])
def test_validate_measurement_value_in_digits_conforms(value):
    report = validate_graph(graph(f"""
        ex:m a kg:Measurement ; kg:area ex:k ; kg:indicator ex:i ; kg:value {value} .
        ex:i a kg:Indicator .
        ex:k a kg:Province ; rdfs:label "Bali"@id ; kg:officialCode "51" ."""))
    assert report.conforms, [v.message for v in report.violations]


def test_validate_link_to_the_wrong_class_is_reported():
    report = validate_graph(graph("""
        ex:p a kg:Person ; rdfs:label "A"@id ; kg:affiliation ex:q .
        ex:q a kg:Person ; rdfs:label "B"@id ."""))
    assert [v.path for v in report.violations] == ["kg:affiliation"]


def test_validate_the_seeds_graph_conforms(seeds_build):
    from kg.rdf import union_graph
    assert validate_graph(union_graph(seeds_build.dataset)).conforms
    assert seeds_build.report.conforms and not seeds_build.report.left_out


def test_validate_build_leaves_out_a_violating_node_and_its_links(lexicon):
    from kg.facts import ArticleFacts, Entity, Evidence, Fact
    from kg.rdf import article_graphs, dataset_of, union_graph
    from kg.resolve import resolve_entities
    from kg.validate import prune_invalid
    from tests.helpers import make_article
    article = make_article("Isi.")
    ev = Evidence(article.source, 0, 4, "Isi.")
    af = ArticleFacts(article)
    af.entities["agreement:mou:x"] = Entity("agreement:mou:x", "Agreement", "MoU", evidence=[ev])
    af.entities["localgov:3577"] = Entity("localgov:3577", "Agency", "Pemerintah Kota Madiun", evidence=[ev])
    af.facts.append(Fact("agreement:mou:x", "party", "localgov:3577", ev, True))
    kb = resolve_entities([af], lexicon)
    graphs = article_graphs(kb, lexicon)
    report = prune_invalid(graphs, kb, lexicon)
    ds = dataset_of(graphs)
    assert not report.conforms
    v = report.violations[0]
    assert (v.label, v.path, v.article) == ("MoU", "kg:party", "test.txt")
    g = union_graph(ds)
    assert not [t for t in g if "agreement" in str(t[0]) or "agreement" in str(t[2])]
    assert len(g) > 0
