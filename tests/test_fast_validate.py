"""The build's SHACL engine (the Rust `shacl` package, kg.validate.validate_ntriples) against the reference
(pySHACL, kg.validate.validate_graph): one deliberately violating graph per constraint kind used in
shapes/, ill-typed literals and non-finite numbers included; and the union check of kg build, which
finds what no single article graph shows."""
from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.pipeline import build_graph
from kg.resources import SHAPES_FILE
from kg.validate import fast_results, validate_graph, validate_ntriples

PREFIXES = """@prefix kg: <https://w3id.org/kabar-kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <http://example.org/> . @prefix p: <https://w3id.org/kabar-kg/id/province/> .
"""
TOWN = 'ex:m a kg:Municipality ; rdfs:label "Kota A"@id ; kg:officialCode "3577" ; kg:province p:35-jawa-timur .\n'
PROV = 'ex:q a kg:Province ; rdfs:label "Jawa Timur"@id ; kg:officialCode "35" .\n'
AGENCY = 'ex:g a kg:Agency ; rdfs:label "Dinas"@id .\n'
PERSON = 'ex:p a kg:Person ; rdfs:label "Budi"@id .\n'
ART = 'ex:a a kg:Article ; rdfs:label "A"@id ; kg:sourceFile "a.txt" .\n'
IND = 'ex:i a kg:Indicator ; rdfs:label "x" .\n'
MEAS = 'ex:x a kg:Measurement ; kg:area ex:m ; kg:indicator ex:i ; kg:value 5 .\n' + TOWN + IND
EV = 'ex:e a kg:Evidence ; kg:inArticle ex:a ; kg:startOffset 1 ; kg:endOffset 2 ; prov:value "t"@id .\n' + ART

# name -> (Turtle of a graph breaking one constraint, the component that must be reported)
CASES = {
    "label-missing": ('ex:n a kg:Person .', "MinCountConstraintComponent"),
    "label-twice": ('ex:n a kg:Person ; rdfs:label "A"@id, "B"@id .', "MaxCountConstraintComponent"),
    "label-not-lang": ('ex:n a kg:Person ; rdfs:label "A" .', "DatatypeConstraintComponent"),
    "label-empty": ('ex:n a kg:Agency ; rdfs:label ""@id .', "MinLengthConstraintComponent"),
    "altlabel-typed": ('ex:n a kg:Award ; rdfs:label "A"@id ; skos:altLabel 5 .', "DatatypeConstraintComponent"),
    "evidence-class": ('ex:n a kg:Person ; rdfs:label "A"@id ; kg:evidence ex:a .\n' + ART, "ClassConstraintComponent"),
    "code-pattern": (TOWN.replace('"3577"', '"35a7"'), "PatternConstraintComponent"),
    "code-missing": ('ex:m a kg:Municipality ; rdfs:label "A"@id ; kg:province p:35-jawa-timur .', "MinCountConstraintComponent"),
    "province-literal": (TOWN.replace("p:35-jawa-timur", '"35"'), "NodeKindConstraintComponent"),
    "province-pattern": (TOWN.replace("p:35-jawa-timur", "ex:elsewhere"), "PatternConstraintComponent"),
    "province-twice": (TOWN.replace("p:35-jawa-timur", "p:35-jawa-timur, p:36-banten"), "MaxCountConstraintComponent"),
    "kind-in": (TOWN + 'ex:m kg:municipalityKind "desa" .', "InConstraintComponent"),
    "province-code": ('ex:q a kg:Province ; rdfs:label "A"@id ; kg:officialCode "355" .', "PatternConstraintComponent"),
    "governs-or": (AGENCY + PERSON + 'ex:g kg:governs ex:p .', "OrConstraintComponent"),
    "governs-twice": (AGENCY + TOWN + PROV + 'ex:g kg:governs ex:m, ex:q .', "MaxCountConstraintComponent"),
    "suborg-class": (AGENCY + PERSON + 'ex:g kg:subOrganizationOf ex:p .', "ClassConstraintComponent"),
    "position-short": (PERSON + 'ex:p kg:position "a"@id .', "MinLengthConstraintComponent"),
    "position-plain": (PERSON + 'ex:p kg:position "Bupati" .', "DatatypeConstraintComponent"),
    "affiliation-or": (PERSON + ART + 'ex:p kg:affiliation ex:a .', "OrConstraintComponent"),
    "recipient-missing": ('ex:w a kg:Award ; rdfs:label "A"@id .', "MinCountConstraintComponent"),
    "award-date-ill-typed": ('ex:w a kg:Award ; rdfs:label "A"@id ; kg:recipient ex:m ; kg:date "2024-13-45"^^xsd:date .\n'
                             + TOWN, "DatatypeConstraintComponent"),
    "award-category-plain": ('ex:w a kg:Award ; rdfs:label "A"@id ; kg:recipient ex:m ; kg:category "Utama" .\n' + TOWN,
                             "DatatypeConstraintComponent"),
    "conferred-class": ('ex:w a kg:Award ; rdfs:label "A"@id ; kg:recipient ex:m ; kg:conferredBy ex:m .\n' + TOWN,
                        "ClassConstraintComponent"),
    "parties-one": ('ex:k a kg:Agreement ; rdfs:label "A"@id ; kg:party ex:g .\n' + AGENCY, "MinCountConstraintComponent"),
    "signatory-class": ('ex:k a kg:Agreement ; rdfs:label "A"@id ; kg:party ex:g, ex:h ; kg:signatory ex:g .\n' + AGENCY
                        + 'ex:h a kg:Agency ; rdfs:label "B"@id .', "ClassConstraintComponent"),
    "agreement-date-string": ('ex:k a kg:Agreement ; rdfs:label "A"@id ; kg:party ex:g, ex:h ; kg:date "2024-01-01" .\n'
                              + AGENCY + 'ex:h a kg:Agency ; rdfs:label "B"@id .', "DatatypeConstraintComponent"),
    "value-nan": (MEAS.replace("kg:value 5", 'kg:value "NaN"^^xsd:double'), "OrConstraintComponent"),
    "value-inf-decimal": (MEAS.replace("kg:value 5", 'kg:value "INF"^^xsd:decimal'), "OrConstraintComponent"),
    "value-exponent": (MEAS.replace("kg:value 5", 'kg:value "1.0E16"^^xsd:double'), "OrConstraintComponent"),
    "value-ill-typed-integer": (MEAS.replace("kg:value 5", 'kg:value "1.5"^^xsd:integer'), "OrConstraintComponent"),
    "value-missing": (MEAS.replace(" ; kg:value 5", ""), "MinCountConstraintComponent"),
    "area-or": (MEAS.replace("kg:area ex:m", "kg:area ex:i"), "OrConstraintComponent"),
    "indicator-class": (MEAS.replace("kg:indicator ex:i", "kg:indicator ex:m"), "ClassConstraintComponent"),
    "indicator-twice": (MEAS.replace("kg:indicator ex:i", "kg:indicator ex:i, ex:j") + 'ex:j a kg:Indicator .',
                        "MaxCountConstraintComponent"),
    "measurement-two-dates": (MEAS + 'ex:x kg:date "2024-01-01"^^xsd:date, "2024-02-01"^^xsd:date .',
                              "MaxCountConstraintComponent"),
    "source-file-twice": (ART + 'ex:a kg:sourceFile "b.txt" .', "MaxCountConstraintComponent"),
    "source-file-lang": ('ex:a a kg:Article ; rdfs:label "A"@id ; kg:sourceFile "a.txt"@id .', "DatatypeConstraintComponent"),
    "issued-ill-typed": (ART + 'ex:a dcterms:issued "10 Maret 2025"^^xsd:date .', "DatatypeConstraintComponent"),
    "in-article-missing": ('ex:e a kg:Evidence ; kg:startOffset 1 ; kg:endOffset 2 .', "MinCountConstraintComponent"),
    "in-article-class": (EV.replace("kg:inArticle ex:a", "kg:inArticle ex:e"), "ClassConstraintComponent"),
    "offset-negative": (EV.replace("kg:startOffset 1", "kg:startOffset -1"), "MinInclusiveConstraintComponent"),
    "offset-decimal": (EV.replace("kg:endOffset 2", "kg:endOffset 2.5"), "DatatypeConstraintComponent"),
    "offset-nan": (EV.replace("kg:endOffset 2", 'kg:endOffset "NaN"^^xsd:double'), "DatatypeConstraintComponent"),
    "offset-ill-typed": (EV.replace("kg:startOffset 1", 'kg:startOffset "x"^^xsd:integer'), "DatatypeConstraintComponent"),
}


def _reference(graph: Graph) -> set[tuple[str, str, str]]:
    from pyshacl import validate
    from kg.validate import shapes_graph
    _, results, _ = validate(graph, shacl_graph=shapes_graph(), inference="none", allow_warnings=True,
                             advanced=False)
    out = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(r, SH.resultPath)
        out.add((str(results.value(r, SH.focusNode)), str(path) if path else "",
                 str(results.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]))
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_fast_validate_gives_the_results_of_pyshacl(name):
    turtle, component = CASES[name]
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    expected = _reference(graph)
    got = {(r.focus, r.path, r.component) for r in fast_results(graph.serialize(format="nt"))}
    assert component in {c for _, _, c in expected}, f"{name}: the reference does not report {component}"
    assert got == expected


def test_fast_validate_cases_cover_every_constraint_kind_in_the_shapes():
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    used = {str(p).rsplit("#", 1)[-1] for p in shapes.predicates() if str(p).startswith(str(SH))}
    kinds = {k[0].upper() + k[1:] + "ConstraintComponent" for k in used} & {
        "ClassConstraintComponent", "DatatypeConstraintComponent", "InConstraintComponent", "MaxCountConstraintComponent",
        "MinCountConstraintComponent", "MinInclusiveConstraintComponent", "MinLengthConstraintComponent",
        "NodeKindConstraintComponent", "OrConstraintComponent", "PatternConstraintComponent"}
    assert len(kinds) >= 10
    assert kinds <= {component for _, component in CASES.values()}


def test_fast_validate_violations_read_like_the_reference():
    turtle = PERSON + 'ex:p kg:position "a"@id .'
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    fast = validate_ntriples(graph.serialize(format="nt"))
    slow = validate_graph(graph).violations
    assert [(v.focus, v.label, v.path, v.message, v.value) for v in fast] == \
           [(v.focus, v.label, v.path, v.message, v.value) for v in slow]
    assert fast[0].label == "Budi" and fast[0].value == "a"


HEAD = "MADIUN | contoh.id - Senin, 10 Maret 2025\n\n"


def test_union_check_leaves_out_a_measurement_two_articles_date_differently(tmp_path):
    """Each article graph conforms; their union gives one measurement two dates (sh:maxCount 1)."""
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Data JKN\n\n" + HEAD + "Data kepesertaan dihimpun per 1 Februari 2025. "
                                  "Di Kota Madiun kepesertaan 99,10 persen.\n", encoding="utf-8")
    (corpus / "b.txt").write_text("Data JKN lagi\n\n" + HEAD + "Data kepesertaan dihimpun per 1 Januari 2025. "
                                  "Di Kota Madiun kepesertaan 99,10 persen.\n", encoding="utf-8")
    one = build_graph([corpus / "a.txt"])
    assert any("/measurement/" in k for k in map(str, one.graphs["a.txt"].subjects())), "no measurement read"
    assert one.report.conforms
    result = build_graph([corpus])
    assert not result.report.conforms
    bad = [v for v in result.report.violations if "/measurement/" in v.focus]
    assert bad and bad[0].path == "kg:date" and bad[0].article in ("a.txt", "b.txt")
    assert any("/measurement/" in n for n in result.report.left_out)
    assert b"/measurement/" not in result.union_ntriples
    assert not validate_ntriples(result.union_ntriples)
    assert validate_graph(Graph().parse(data=result.union_ntriples, format="nt")).conforms


def test_union_check_of_crafted_graphs_matches_the_reference_on_the_whole_union(lexicon):
    """Two graphs that conform on their own: a town given two provinces and an article given two source
    files across them. The build's union check (only subjects in both graphs, only counts) finds exactly
    what pySHACL finds on the whole union."""
    from kg.resolve import KnowledgeBase
    from kg.validate import by_subject, prune_chunks
    a = Graph().parse(data=PREFIXES + TOWN + PROV + ART + EV, format="turtle")
    b = Graph().parse(data=PREFIXES + TOWN.replace("35-jawa-timur", "35-jatim") + PROV
                      + ART.replace("a.txt", "b.txt"), format="turtle")
    graphs = {name: by_subject(g.serialize(format="nt").strip().splitlines()) for name, g in (("a", a), ("b", b))}
    assert all(not validate_ntriples("".join(c.values())) for c in graphs.values())
    reference = _reference(a + b)
    assert {(f, c) for f, _, c in reference} == {("http://example.org/m", "MaxCountConstraintComponent"),
                                                  ("http://example.org/a", "MaxCountConstraintComponent")}
    report = prune_chunks(graphs, KnowledgeBase({}, [], []), lexicon)
    first_round = report.violations[:2]
    assert {(v.focus, v.path) for v in first_round} == {(f, p.replace(
        "https://w3id.org/kabar-kg/ontology#", "kg:")) for f, p, _ in reference}
    # then the evidence span in the left-out article lost its article: it goes too, in the next round
    assert report.left_out == ["http://example.org/a", "http://example.org/m", "http://example.org/e"]
    left = "".join(chunk for c in graphs.values() for chunk in c.values())
    assert "example.org/m>" not in left and "example.org/a>" not in left and "example.org/q>" in left
