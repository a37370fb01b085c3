import json

import pytest

from kg.errors import QueryError
from kg.store import read_rdf_file, named_queries, read_named_query, run_query


@pytest.fixture(scope="module")
def store(seeds_ttl):
    return read_rdf_file(seeds_ttl)


def test_store_named_query_awards_by_municipality(store):
    rows = run_query(store, read_named_query("awards-by-municipality")).rows
    assert sorted(rows) == sorted([
        ["Kota Blitar", "Opini Kualitas Tertinggi", "Ombudsman Republik Indonesia", "2026-01-30", "Zona Hijau"],
        ["Kota Blitar", "UHC Awards 2026", None, "2026-01-30", None],
    ])


def test_store_named_query_agreements(store):
    (row,) = run_query(store, read_named_query("agreements")).rows
    agreement, date, parties, signatories = row
    assert (agreement, date) == ("MoU Jaminan Kesehatan Nasional", "2025-11-17")
    assert set(parties.split(" | ")) == {"Pemerintah Kota Blitar", "BPJS Kesehatan Cabang Kediri"}
    assert not signatories


def test_store_named_query_officials(store):
    rows = run_query(store, read_named_query("officials")).rows
    assert sorted(rows) == [["Elim Tyu Samba", "Wakil Wali Kota", "Pemerintah Kota Blitar"],
                            ["Tutus Novita Dewi", "Kepala", "BPJS Kesehatan Cabang Kediri"]]


def test_store_named_query_jkn_coverage(store):
    rows = run_query(store, read_named_query("jkn-coverage")).rows
    assert rows == [["Kota Blitar", "jkn_coverage_percent", "100", "2025-11-01"],
                    ["Kota Blitar", "jkn_participants", "163342", "2025-11-01"]]


def test_store_every_named_query_runs(store):
    assert set(named_queries()) == {"awards-by-municipality", "awards-by-province", "agreements", "officials",
                                    "offices", "jkn-coverage"}


def test_store_ask_and_construct(store):
    ask = run_query(store, "ASK { ?s a <https://w3id.org/kabar-kg/ontology#Award> }")
    assert ask.boolean is True and json.loads(ask.serialize("json"))["boolean"] is True
    graph = run_query(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/kabar-kg/ontology#Province> ; ?p ?o }")
    assert "35-jawa-timur" in graph.serialize("nt")


def test_store_results_formats(store):
    result = run_query(store, read_named_query("officials"))
    assert result.serialize("csv").splitlines()[0] == "person,position,body"
    assert result.serialize("tsv").splitlines()[0] == "?person\t?position\t?body"
    assert len(json.loads(result.serialize("json"))["results"]["bindings"]) == 2
    assert "(2 rows)" in result.serialize("table")


def test_store_bad_query_is_a_readable_error(store):
    with pytest.raises(QueryError, match="syntax"):
        run_query(store, "SELEC ?x WHERE {}")
