"""The JSON-LD context (kg/data/kabar-kg.context.jsonld) names the terms, so exported JSON-LD reads like
plain JSON (ids, types, labels, dates and numbers as JSON values) and still round-trips exactly."""
from __future__ import annotations

import json
from decimal import Decimal

from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from kg.export import write_graph
from kg.rdf import union_graph
from kg.store import answer_query

KG = Namespace("https://w3id.org/kabar-kg/ontology#")


def _nodes(doc: dict) -> list[dict]:
    """The nodes of every named graph (a document of one named graph is that graph itself)."""
    graphs = [doc] if "id" in doc else doc["graph"]
    return [n for g in graphs for n in g.get("graph", [])]


def test_exported_json_ld_reads_like_plain_json(seeds_build, tmp_path):
    path = tmp_path / "kg.jsonld"
    write_graph(seeds_build.dataset, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"]["@vocab"] == "https://w3id.org/kabar-kg/ontology#"
    nodes = _nodes(doc)
    award = next(n for n in nodes if n.get("label") == "UHC Awards 2026")
    assert award["type"] == "Award" and award["date"] == "2026-01-30"
    assert award["recipient"] == "https://w3id.org/kabar-kg/id/municipality/3572-kota-blitar"
    assert all(isinstance(e, str) and "#char=" in e for e in award["evidence"])
    values = sorted(n["value"] for n in nodes if n.get("type") == "Measurement")
    assert values == [100, 163342]
    evidence = next(n for n in nodes if n.get("type") == "Evidence")
    assert isinstance(evidence["startOffset"], int) and isinstance(evidence["text"], str)
    assert not any(k.startswith("@") or ":" in k for n in nodes if n.get("type") != "Indicator" for k in n)


def test_decimals_and_plain_labels_keep_their_types_through_pyld(tmp_path):
    from pyld import jsonld
    ds = Dataset()
    g = ds.graph(URIRef("https://w3id.org/kabar-kg/id/graph/x"))
    m, i = URIRef("https://w3id.org/kabar-kg/id/measurement/x"), URIRef("https://w3id.org/kabar-kg/id/indicator/x")
    g.add((m, RDF.type, KG.Measurement))
    g.add((m, KG.value, Literal(format(Decimal("88.81"), "f"), datatype=XSD.decimal)))
    g.add((m, KG.indicator, i))
    g.add((i, RDFS.label, Literal("ombudsman_compliance_score")))      # no language: not the "label" term
    path = tmp_path / "x.jsonld"
    write_graph(ds, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    measurement = next(n for n in _nodes(doc) if n.get("type") == "Measurement")
    assert measurement["decimalValue"] == "88.81"
    ds2 = Dataset()
    ds2.parse(data=jsonld.to_rdf(doc, {"format": "application/n-quads"}), format="nquads")
    assert isomorphic(union_graph(ds2), union_graph(ds))


def test_a_document_naming_the_context_by_its_iri_is_read_without_the_network(seeds_build, tmp_path):
    path = tmp_path / "kg.jsonld"
    write_graph(seeds_build.dataset, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["@context"] = "https://w3id.org/kabar-kg/context.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    answer = answer_query(path, "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/kabar-kg/ontology#Award> ; "
                                "<https://w3id.org/kabar-kg/ontology#date> ?d }", "csv")
    assert answer.splitlines()[1] == "2"
