"""The named queries on small hand-written graphs: one row per person, agreement or figure, lists that
never multiply (no parties x signatories, no offices x bodies), and the same answers in a store that
has a default graph (a kg store) as in an N-Quads file queried as the union of its graphs; and the fast
forms of the queries (each property read in a sub-select, required patterns before OPTIONALs) give the
same rows, in the same order, as the plain forms they replaced."""
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
id:municipality-a kg:province id:province-jt .
id:municipality-c rdfs:label "Kota C"@id ; kg:province id:province-unnamed .
id:province-jt a kg:Province ; rdfs:label "Jawa Timur"@id .
id:province-x a kg:Province ; rdfs:label "Provinsi X"@id .

id:agreement-1 a kg:Agreement ; rdfs:label "MoU JKN"@id ; kg:date "2025-01-02"^^xsd:date ;
    kg:party id:agency-pemkab-a , id:agency-bpjs ; kg:signatory id:person-budi , id:person-sri .
id:agreement-2 a kg:Agreement ; rdfs:label "PKS"@id ; kg:party id:agency-bpjs .

id:award-1 a kg:Award ; rdfs:label "Piala Adipura"@id ; kg:recipient id:agency-pemkab-a ;
    kg:date "2024-06-02"^^xsd:date .
id:award-2 a kg:Award ; rdfs:label "UHC Awards"@id ; kg:recipient id:municipality-b ;
    kg:conferredBy id:agency-bpjs ; kg:category "Madya" .
id:award-3 a kg:Award ; rdfs:label "Anugerah Provinsi"@id ; kg:recipient id:province-x ;
    kg:date "2024-02-01"^^xsd:date , "2024-01-01"^^xsd:date .
id:award-4 a kg:Award ; rdfs:label "Piala C"@id ; kg:recipient id:municipality-c .

# offices: a namesake person node holds the same office in the same body (one row, its articles counted
# once); a membership without evidence is not listed
id:person-budi-2 a kg:Person ; rdfs:label "Budi Santoso"@id .
id:mem-1 a kg:Membership ; kg:member id:person-budi ; kg:role "Bupati" ; kg:organization id:agency-pemkab-a ;
    kg:evidence id:ev-1 , id:ev-2 .
id:mem-2 a kg:Membership ; kg:member id:person-budi ; kg:role "Ketua Tim Penggerak" ;
    kg:organization id:agency-tp-pkk ; kg:evidence id:ev-3 .
id:mem-3 a kg:Membership ; kg:member id:person-budi-2 ; kg:role "Bupati" ; kg:organization id:agency-pemkab-a ;
    kg:evidence id:ev-4 .
id:mem-4 a kg:Membership ; kg:member id:person-sri ; kg:role "Kepala" ; kg:organization id:agency-bpjs .
id:ev-1 kg:inArticle id:article-1 .
id:ev-2 kg:inArticle id:article-2 .
id:ev-3 kg:inArticle id:article-1 .
id:ev-4 kg:inArticle id:article-2 .

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
        ["Kota B", "UHC Awards", "BPJS Kesehatan", None, "Madya"],
        ["Kota C", "Piala C", None, None, None],
        ["Provinsi X", "Anugerah Provinsi", None, "2024-01-01", None],
        ["Provinsi X", "Anugerah Provinsi", None, "2024-02-01", None]]


def test_awards_by_province_gives_the_province_of_each_recipient(store):
    # Kota B has no province (left out); Kota C's province has no name; a province is its own province
    assert rows(store, "awards-by-province") == [
        [None, "Kota C", "Piala C", None, None],
        ["Jawa Timur", "Kabupaten A", "Piala Adipura", None, "2024-06-02"],
        ["Provinsi X", "Provinsi X", "Anugerah Provinsi", None, "2024-01-01"],
        ["Provinsi X", "Provinsi X", "Anugerah Provinsi", None, "2024-02-01"]]


def test_offices_one_row_per_office_and_body_with_its_articles_counted_once(store):
    assert rows(store, "offices") == [["Budi Santoso", "Bupati", "Pemerintah Kabupaten A", "2"],
                                      ["Budi Santoso", "Ketua Tim Penggerak", "TP PKK Kabupaten A", "1"]]


def test_jkn_coverage_reads_only_the_two_jkn_indicators(store):
    assert rows(store, "jkn-coverage") == [["Kabupaten A", "jkn_coverage_percent", "98.5", "2025-11-01"],
                                           ["Kabupaten A", "jkn_participants", "163342", None]]


# ------------------------------------------------------------------ the fast forms answer as the plain ones

PLAIN = {   # the queries as written before each property was read in a sub-select (slow on 1M triples)
    "offices": """SELECT ?person ?office ?body (COUNT(DISTINCT ?article) AS ?articles) WHERE {
  ?m a kg:Membership ; kg:member ?p ; kg:role ?office ; kg:organization ?b ; kg:evidence ?e .
  ?e kg:inArticle ?article . ?p rdfs:label ?person . ?b rdfs:label ?body . }
GROUP BY ?person ?office ?body ORDER BY ?person ?office ?body""",
    "jkn-coverage": """SELECT DISTINCT ?area ?indicator ?value ?date WHERE {
  { ?m kg:indicator ind:jkn_coverage_percent . ind:jkn_coverage_percent rdfs:label ?indicator }
  UNION { ?m kg:indicator ind:jkn_participants . ind:jkn_participants rdfs:label ?indicator }
  ?m a kg:Measurement ; kg:area ?a ; kg:value ?value . ?a rdfs:label ?area . OPTIONAL { ?m kg:date ?date } }
ORDER BY ?area ?indicator ?date""",
    "awards-by-municipality": """SELECT DISTINCT ?area ?award ?conferredBy ?date ?category WHERE {
  ?a a kg:Award .
  { ?a kg:recipient ?r . ?r kg:governs ?place } UNION { ?a kg:recipient ?place . FILTER NOT EXISTS { ?place kg:governs ?any } }
  ?place rdfs:label ?area . ?a rdfs:label ?award .
  OPTIONAL { ?a kg:conferredBy ?body . ?body rdfs:label ?conferredBy }
  OPTIONAL { ?a kg:date ?date } OPTIONAL { ?a kg:category ?category } }
ORDER BY ?area ?date ?award""",
    "awards-by-province": """SELECT DISTINCT ?province ?area ?award ?conferredBy ?date WHERE {
  ?a a kg:Award .
  { ?a kg:recipient ?r . ?r kg:governs ?place } UNION { ?a kg:recipient ?place . FILTER NOT EXISTS { ?place kg:governs ?any } }
  { ?place kg:province ?p } UNION { ?place a kg:Province . BIND(?place AS ?p) }
  OPTIONAL { ?p rdfs:label ?province }
  ?place rdfs:label ?area . ?a rdfs:label ?award .
  OPTIONAL { ?a kg:conferredBy ?body . ?body rdfs:label ?conferredBy } OPTIONAL { ?a kg:date ?date } }
ORDER BY ?province ?area ?date ?award""",
    "officials": """SELECT ?person ?position ?body WHERE {
  { SELECT ?p (GROUP_CONCAT(DISTINCT ?office; SEPARATOR=" | ") AS ?position)
    WHERE { ?p a kg:Person ; kg:position ?office } GROUP BY ?p }
  ?p rdfs:label ?person .
  OPTIONAL { SELECT ?p (GROUP_CONCAT(DISTINCT ?bodyName; SEPARATOR=" | ") AS ?body)
             WHERE { ?p a kg:Person ; kg:affiliation ?b . ?b rdfs:label ?bodyName } GROUP BY ?p } }
ORDER BY ?body ?person""",
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_fast_form_of_a_named_query_gives_the_plain_forms_rows(store, name):
    fast = run_query(store, read_named_query(name))
    plain = run_query(store, PREFIXES.replace("@prefix", "PREFIX").replace(" .\n", "\n") + PLAIN[name])
    assert fast.rows and fast.variables == plain.variables
    assert fast.rows == plain.rows


def test_fast_forms_read_properties_in_sub_selects():
    """The shape that makes them fast on 1M triples: the reports read each property in a sub-select (one
    pass, joined by hashing), and no required pattern follows an OPTIONAL (it paired every award with
    every label: awards-by-province ran for minutes)."""
    import re
    for name in PLAIN:
        text = read_named_query(name)
        assert "{ SELECT ?" in text, name
        where = text[text.index("WHERE {"):]
        optional = where.find("OPTIONAL")
        after = where[optional:].splitlines()[1:] if optional >= 0 else []
        assert all(re.match(r"\s*(OPTIONAL|}|GROUP BY|ORDER BY|WHERE)", line) for line in after if line.strip()), name


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
