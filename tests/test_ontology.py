import shutil

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.ontology import check_consistency, ontology_graph
from kg.rdf import KG, union_graph

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


def test_ontology_declares_the_core_vocabulary():
    g = ontology_graph()
    for c in ("Municipality", "Province", "Agency", "Person", "Award", "Agreement", "Article", "Measurement"):
        assert (KG[c], RDF.type, OWL.Class) in g
        assert {l.language for l in g.objects(KG[c], RDFS.label)} == {"en", "id"}
    for p in ("governs", "subOrganizationOf", "position", "affiliation", "recipient", "conferredBy", "category",
              "date", "party", "signatory", "area", "indicator", "value"):
        assert set(g.objects(KG[p], RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}


def test_ontology_with_the_seeds_graph_is_consistent(seeds_build):
    assert check_consistency(union_graph(seeds_build.dataset)).consistent


def test_ontology_person_that_is_an_agency_is_inconsistent(seeds_build):
    g = Graph()
    x = URIRef("https://example.org/x")
    g.add((x, RDF.type, KG.Person))
    g.add((x, RDF.type, KG.Agency))
    result = check_consistency(g + union_graph(seeds_build.dataset))
    assert not result.consistent
