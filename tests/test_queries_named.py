"""The named queries on small hand-written graphs: one row per person, agreement or figure, lists that
never multiply (no parties x signatories, no offices x bodies), and the same answers in a store that
has a default graph (a kg store) as in an N-Quads file queried as the union of its graphs."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.store import read_named_query, read_rdf_file, run_query

PREFIXES = """@prefix kg: <https://w3id.org/kabar-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/kabar-kg/id/> .
@prefix ind: <https://w3id.org/kabar-kg/id/indicator/> .
"""

GRAPH = PREFIXES + """
id:person-budi a kg:Person ; rdfs:label "Budi Santoso"@id ;
    kg:position "Bupati" , "Ketua Tim Penggerak" ;
    kg:affiliation id:agency-pemkab-a , id:agency-tp-pkk .
id:person-sri a kg:Person ; rdfs:label "Sri Wijaya"@id ; kg:position "Kepala" .
id:person-noof a kg:Person ; rdfs:label "Tanpa Jabatan"@id ; kg:affiliation id:agency-pemkab-a .
id:agency-pemkab-a rdfs:label "Pemerintah Kabupaten A"@id ; kg:governs id:municipality-a .
id:agency-tp-pkk rdfs:label "TP PKK Kabupaten A"@id .
id:agency-bpjs rdfs:label "BPJS Kesehatan"@id .
id:municipality-a rdfs:label "Kabupaten A"@id .
id:municipality-b rdfs:label "Kota B"@id .

id:agreement-1 a kg:Agreement ; rdfs:label "MoU JKN"@id ; kg:date "2025-01-02"^^xsd:date ;
    kg:party id:agency-pemkab-a , id:agency-bpjs ; kg:signatory id:person-budi , id:person-sri .
id:agreement-2 a kg:Agreement ; rdfs:label "PKS"@id ; kg:party id:agency-bpjs .

id:award-1 a kg:Award ; rdfs:label "Piala Adipura"@id ; kg:recipient id:agency-pemkab-a ;
    kg:date "2024-06-02"^^xsd:date .
id:award-2 a kg:Award ; rdfs:label "UHC Awards"@id ; kg:recipient id:municipality-b ;
    kg:conferredBy id:agency-bpjs ; kg:category "Madya" .

ind:jkn_coverage_percent rdfs:label "jkn_coverage_percent" .
ind:jkn_participants rdfs:label "jkn_participants" .
ind:poverty_rate rdfs:label "poverty_rate" .
id:m-1 a kg:Measurement ; kg:area id:municipality-a ; kg:indicator ind:jkn_coverage_percent ;
    kg:value 98.5 ; kg:date "2025-11-01"^^xsd:date .
id:m-2 a kg:Measurement ; kg:area id:municipality-a ; kg:indicator ind:jkn_participants ;
    kg:value 163342 .
id:m-3 a kg:Measurement ; kg:area id:municipality-a ; kg:indicator ind:poverty_rate ; kg:value 9.1 .
"""


@pytest.fixture(scope="module", params=["ttl", "nq"])
def store(request, tmp_path_factory):
    """The graph as a file with a default graph (like a store's union), and as one named graph."""
    folder = tmp_path_factory.mktemp("queries")
    if request.param == "ttl":
        path = folder / "g.ttl"
        path.write_text(GRAPH, encoding="utf-8")
    else:
        from rdflib import Dataset, URIRef
        ds = Dataset()
        ds.graph(URIRef("https://w3id.org/kabar-kg/id/graph/x")).parse(data=GRAPH, format="turtle")
        path = folder / "g.nq"
        ds.serialize(path, format="nquads")
    return read_rdf_file(Path(path))


def rows(store, name: str) -> list[list]:
    return run_query(store, read_named_query(name)).rows


def split(value: str | None) -> set[str]:
    return set(value.split(" | ")) if value else set()


def test_officials_one_row_per_person_with_offices_and_bodies_listed(store):
    result = {r[0]: (split(r[1]), split(r[2])) for r in rows(store, "officials")}
    assert len(rows(store, "officials")) == 2            # one row each; a person without an office is not listed
    assert result == {"Budi Santoso": ({"Bupati", "Ketua Tim Penggerak"},
                                       {"Pemerintah Kabupaten A", "TP PKK Kabupaten A"}),
                      "Sri Wijaya": ({"Kepala"}, set())}


def test_officials_sorted_by_body_then_person(store):
    assert [r[0] for r in rows(store, "officials")] == ["Sri Wijaya", "Budi Santoso"]   # no body first


def test_agreements_list_each_party_and_signatory_once(store):
    (first, second) = rows(store, "agreements")
    assert second[:2] == ["MoU JKN", "2025-01-02"]
    assert sorted(second[2].split(" | ")) == ["BPJS Kesehatan", "Pemerintah Kabupaten A"]
    assert sorted(second[3].split(" | ")) == ["Budi Santoso", "Sri Wijaya"]
    assert first == ["PKS", None, "BPJS Kesehatan", None]   # no date sorts first


def test_awards_by_municipality_shows_a_local_government_as_its_area(store):
    assert rows(store, "awards-by-municipality") == [
        ["Kabupaten A", "Piala Adipura", None, "2024-06-02", None],
        ["Kota B", "UHC Awards", "BPJS Kesehatan", None, "Madya"]]


def test_jkn_coverage_reads_only_the_two_jkn_indicators(store):
    assert rows(store, "jkn-coverage") == [["Kabupaten A", "jkn_coverage_percent", "98.5", "2025-11-01"],
                                           ["Kabupaten A", "jkn_participants", "163342", None]]


# ------------------------------------------------------------------ ORDER BY done in Python, as the engine does

HOSTILE = PREFIXES + """
id:x1 rdfs:label "zebra"@id ; kg:date "2024-01-02"^^xsd:date ; kg:value 100 .
id:x2 rdfs:label "Zebra, \\"kutip\\"\\nbaris"@id ; kg:date "2023-12-31"^^xsd:date ; kg:value 99 .
id:x3 rdfs:label "Émile\\tTab"@id ; kg:value 1000 .
id:x4 rdfs:label "ábc & <xml>"@id ; kg:date "2025-06-01"^^xsd:date ; kg:value 5.5 .
id:x5 rdfs:label "Ａ fullwidth"@id ; kg:value -3 .
id:x6 kg:value 7 .
"""
QUERY = PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") + """
SELECT ?x ?label ?date ?value WHERE { ?x kg:value ?value OPTIONAL { ?x rdfs:label ?label } OPTIONAL { ?x kg:date ?date } }
ORDER BY """


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("order") / "h.ttl"
    path.write_text(HOSTILE, encoding="utf-8")
    return read_rdf_file(path)


@pytest.mark.parametrize("order", ["?label", "?date ?label", "?x", "?value", "?date ?value"])
def test_order_by_gives_the_engines_order_and_its_serializations(hostile, order):
    import pyoxigraph as ox
    ours = run_query(hostile, QUERY + order)
    engine = lambda: hostile.query(QUERY + order)
    assert ours.rows == [[None if t is None else t.value for t in sol] for sol in engine()]
    for fmt, ox_format in [("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV),
                           ("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML)]:
        assert ours.serialize(fmt) == engine().serialize(format=ox_format).decode("utf-8"), fmt


def test_order_by_a_query_without_rows_or_with_limit(hostile):
    assert run_query(hostile, QUERY.replace("kg:value ?value", "kg:nothing ?value") + "?label").rows == []
    limited = run_query(hostile, QUERY + "?value LIMIT 2").rows     # not at the end: the engine sorts
    assert [r[3] for r in limited] == ["-3", "5.5"]
