"""The library API of `import kg` (kg/api.py): str or Path everywhere, rows a notebook can use."""
from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

import kg
from kg.errors import GraphInputError, KgError, QueryError
from tests.helpers import ROOT, SEEDS

AWARDS = """SELECT ?award ?date ?recipient WHERE {
  ?a a kg:Award ; rdfs:label ?award ; kg:recipient/rdfs:label ?recipient . OPTIONAL { ?a kg:date ?date } }"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api")
    result = kg.build(str(SEEDS), output=str(tmp / "seeds.ttl"), store=tmp / "store")
    return result, tmp


def test_import_kg_is_cheap_and_names_the_api():
    code = ("import sys, kg; heavy = [m for m in ('rdflib', 'pyoxigraph', 'pyshacl', 'typer') if m in sys.modules];"
            "print(heavy); print(all(callable(getattr(kg, n)) for n in kg.__all__ if n != '__version__'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["[]", "True"]


def test_build_takes_str_or_path_and_writes_output_and_store(built):
    result, tmp = built
    assert len(result.articles) == 2 and result.report.conforms
    assert (tmp / "seeds.ttl").stat().st_size > 0 and (tmp / "store").is_dir()
    again = kg.build([SEEDS / "000_c0579e94ec1dab6c.txt"])      # a list of Paths, nothing written
    assert len(again.articles) == 1


def test_build_of_nothing_readable_is_a_kg_error(tmp_path):
    (tmp_path / "kosong.txt").write_text("", encoding="utf-8")
    with pytest.raises(KgError, match="no readable article"):
        kg.build(tmp_path, store=tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_build_of_nothing_readable_with_an_output_leaves_no_new_store(tmp_path):
    """With an output and a store, kg.build loads the graphs into a new store as they are emitted: a build
    that writes nothing removes it."""
    (tmp_path / "kosong.txt").write_text("", encoding="utf-8")
    with pytest.raises(KgError, match="no readable article"):
        kg.build(tmp_path, output=tmp_path / "kg.nt", store=tmp_path / "store")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.lock", "kosong.txt"]


@pytest.mark.parametrize("source", ["result", "store-str", "store-path", "ttl-file", "open-store", "rdflib"])
def test_query_answers_the_same_rows_from_every_kind_of_source(built, source):
    result, tmp = built
    src = {"result": result, "store-str": str(tmp / "store"), "store-path": tmp / "store",
           "ttl-file": str(tmp / "seeds.ttl"), "open-store": kg.open_store(tmp / "store"),
           "rdflib": Graph().parse(tmp / "seeds.ttl")}[source]
    rows = kg.query(src, AWARDS)
    assert rows.variables == ["award", "date", "recipient"]
    assert sorted((r["award"], r["date"], r["recipient"]) for r in rows) == [
        ("Opini Kualitas Tertinggi", datetime.date(2026, 1, 30), "Kota Blitar"),
        ("UHC Awards 2026", datetime.date(2026, 1, 30), "Kota Blitar")]


def test_query_gives_typed_values_bools_and_graphs(built):
    result, _ = built
    values = kg.query(result, "SELECT ?v WHERE { ?m a kg:Measurement ; kg:value ?v }")
    assert sorted(r["v"] for r in values) == [100, 163342] and all(type(r["v"]) is int for r in values)
    assert kg.query(result, "ASK { ?m a kg:Municipality }") is True
    g = kg.query(result, "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a kg:Municipality ; rdfs:label ?l }")
    assert isinstance(g, Graph) and len(g) == 1


def test_query_refuses_updates_and_names_a_missing_store(tmp_path):
    with pytest.raises(QueryError, match="not a query|update"):
        kg.query(tmp_path, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(GraphInputError, match="no store here"):
        kg.query(tmp_path / "nowhere", "SELECT * WHERE { ?s ?p ?o }")


def test_rows_become_a_dataframe_and_records(built):
    pd = pytest.importorskip("pandas")
    result, _ = built
    frame = kg.query(result, AWARDS).to_dataframe()
    assert isinstance(frame, pd.DataFrame) and list(frame.columns) == ["award", "date", "recipient"]
    assert len(frame) == 2 and set(frame["recipient"]) == {"Kota Blitar"}
    empty = kg.query(result, "SELECT ?x ?y WHERE { ?x a kg:Nothing ; rdfs:label ?y }")
    assert list(empty.to_dataframe().columns) == ["x", "y"] and empty.records() == []


def test_to_dataframe_without_pandas_says_what_to_install(built, monkeypatch):
    result, _ = built
    monkeypatch.setitem(sys.modules, "pandas", None)      # import pandas now raises ImportError
    with pytest.raises(KgError, match="pip install pandas"):
        kg.query(result, AWARDS).to_dataframe()


def test_export_from_a_store_and_from_a_build(built, tmp_path):
    result, tmp = built
    assert kg.export(str(tmp / "store"), str(tmp_path / "a.nq")) == tmp_path / "a.nq"
    kg.export(result, tmp_path / "b.jsonld")
    kg.export(tmp / "store", tmp_path / "c.out", format="ttl")
    assert len(Graph().parse(tmp_path / "c.out", format="turtle")) > 0
    assert json.loads((tmp_path / "b.jsonld").read_text(encoding="utf-8"))
    import kg.export as module                     # the module kg.export still works as a module
    assert module.format_for(Path("x.ttl")) == "turtle"
    with pytest.raises(KgError, match="unknown export format"):
        kg.export(result, tmp_path / "d.csv")


def test_open_store_of_a_missing_folder_says_how_to_build_one(tmp_path):
    with pytest.raises(GraphInputError, match="kg build"):
        kg.open_store(tmp_path / "none")


def test_fact_tables_and_write_tables_from_a_build_or_a_store(built, tmp_path):
    result, tmp = built
    tables = kg.fact_tables(result)
    awards = sorted(r["award"] for r in tables["awards"])
    assert awards == ["Opini Kualitas Tertinggi", "UHC Awards 2026"]
    assert tables["awards"].variables[-5:] == ["article_title", "article_url", "article_file", "evidence",
                                               "evidence_iri"]
    written = kg.write_tables(str(tmp / "store"), str(tmp_path / "t"), parquet=False)
    assert sorted(written) == sorted(tables) and all(files[0].is_file() for files in written.values())
