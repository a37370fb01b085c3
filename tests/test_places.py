"""The reference places (kg.places): all 38 provinces and 514 kabupaten/kota, with labels, Kemendagri codes,
Wikidata items and province links, in a named graph of their own in the store (and in its default graph,
so that queries find the names of provinces no article names); the output file of `kg build` holds the
articles only."""
from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.places import REFERENCE_PLACES_GRAPH, reference_place_lines
from kg.store import open_store, read_named_query, read_rdf_file, run_query
from tests.helpers import SEEDS

runner = CliRunner()
KG = "https://w3id.org/kabar-kg/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
CODE, PROVINCE = ox.NamedNode(KG + "officialCode"), ox.NamedNode(KG + "province")
SAME_AS = ox.NamedNode("https://schema.org/sameAs")
PLACES = ox.NamedNode(REFERENCE_PLACES_GRAPH)


def _build(folder: Path, tmp: Path, output: str = "kg.nt") -> Path:
    done = runner.invoke(app, ["build", str(folder), "-o", str(tmp / output), "--store", str(tmp / "store"), "-q"])
    assert done.exit_code == 0, done.output
    return tmp / "store"


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory) -> Path:
    return _build(SEEDS, tmp_path_factory.mktemp("places"))


def _objects(store, s, p, graph) -> list:
    return [q.object for q in store.quads_for_pattern(s, p, None, graph)]


def test_places_graph_holds_every_province_and_kabupaten_kota(seeds_store):
    store = open_store(seeds_store)
    for graph in (PLACES, ox.DefaultGraph()):   # the default graph too: plain queries see the places
        provinces = [q.subject for q in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(KG + "Province"), graph)]
        municipalities = [q.subject for q in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(KG + "Municipality"),
                                                                     graph)]
        assert len(set(provinces)) == 38 and len(set(municipalities)) == 514
        for p in provinces:
            (label,), (code,), (wd,) = (_objects(store, p, x, graph) for x in (LABEL, CODE, SAME_AS))
            assert label.language == "id" and label.value and len(code.value) == 2
            assert wd.value.startswith("http://www.wikidata.org/entity/Q")
        for m in municipalities:
            (label,), (code,), (wd,), (province,) = (_objects(store, m, x, graph) for x in (LABEL, CODE, SAME_AS, PROVINCE))
            assert label.value.startswith(("Kota ", "Kabupaten ")) and len(code.value) == 4
            assert province in provinces and code.value[:2] == _objects(store, province, CODE, graph)[0].value
    blitar = ox.NamedNode("https://w3id.org/kabar-kg/id/municipality/3505-kabupaten-blitar")   # named by no seed
    assert _objects(store, blitar, LABEL, PLACES) == [ox.Literal("Kabupaten Blitar", language="id")]


def test_places_are_the_nodes_articles_give_one_label_each(seeds_store):
    """A place an article names and its reference entry are one node (same IRI) with one label."""
    store = open_store(seeds_store)
    kota = ox.NamedNode("https://w3id.org/kabar-kg/id/municipality/3572-kota-blitar")
    assert ox.Quad(kota, RDF_TYPE, ox.NamedNode(KG + "Municipality"), PLACES) in store
    assert any(q.graph_name.value.endswith("/graph/000_c0579e94ec1dab6c")
               for q in store.quads_for_pattern(kota, LABEL, None, None) if isinstance(q.graph_name, ox.NamedNode))
    for type_ in ("Municipality", "Province"):
        for q in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(KG + type_), ox.DefaultGraph()):
            assert len(_objects(store, q.subject, LABEL, ox.DefaultGraph())) == 1, q.subject


def test_places_graph_conforms_to_the_shapes():
    from kg.validate import validate_ntriples
    assert validate_ntriples("\n".join(reference_place_lines()) + "\n") == []


def _awards_by_province(store: Path) -> list[list]:
    return run_query(open_store(store), read_named_query("awards-by-province")).rows


def test_places_awards_by_province_has_every_province_name_on_seeds(seeds_store):
    rows = _awards_by_province(seeds_store)
    assert rows and all(r[0] == "Jawa Timur" for r in rows)
    assert sorted(r[2] for r in rows) == ["Opini Kualitas Tertinggi", "UHC Awards 2026"]


def test_places_awards_by_province_names_a_province_no_article_names(tmp_path):
    """The award article without its one mention of Jawa Timur: the province's name comes from the places."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = (SEEDS / "000_c0579e94ec1dab6c.txt").read_text(encoding="utf-8")
    assert "di Jawa Timur" in text
    (folder / "award.txt").write_text(text.replace("di Jawa Timur", "di tanah air"), encoding="utf-8")
    store = _build(folder, tmp_path)
    rows = _awards_by_province(store)
    assert rows and [r[0] for r in rows] == ["Jawa Timur"] * len(rows)
    # the article graph does not name the province: the name is the reference graph's alone
    out = read_rdf_file(tmp_path / "kg.nt")
    assert not run_query(out, f"ASK {{ ?p a <{KG}Province> }}").boolean
    assert [r[0] for r in run_query(out, read_named_query("awards-by-province")).rows] == [None] * len(rows)


def test_places_output_file_holds_the_articles_only(seeds_store, tmp_path):
    """The output of kg build (what the scorer reads) has only the places the articles name."""
    _build(SEEDS, tmp_path, "kg.nt")
    text = (tmp_path / "kg.nt").read_text(encoding="utf-8")
    assert REFERENCE_PLACES_GRAPH not in text and "3505-kabupaten-blitar" not in text
    out = read_rdf_file(tmp_path / "kg.nt")
    assert run_query(out, f"SELECT ?m WHERE {{ ?m a <{KG}Municipality> }}").rows == [
        ["https://w3id.org/kabar-kg/id/municipality/3572-kota-blitar"]]
    nq = tmp_path / "kg.nq"
    assert runner.invoke(app, ["build", str(SEEDS), "-o", str(nq), "--no-store", "-q"]).exit_code == 0
    assert REFERENCE_PLACES_GRAPH not in nq.read_text(encoding="utf-8")


def test_places_export_of_the_store_keeps_their_graph(seeds_store, tmp_path):
    done = runner.invoke(app, ["export", "--store", str(seeds_store), "-o", str(tmp_path / "all.nq")])
    assert done.exit_code == 0, done.output
    quads = list(ox.parse(path=str(tmp_path / "all.nq"), format=ox.RdfFormat.N_QUADS))
    assert sum(1 for q in quads if q.graph_name == PLACES) == len(reference_place_lines())


def test_places_tables_leave_out_the_gazetteer_and_name_the_province(seeds_store, tmp_path):
    done = runner.invoke(app, ["tables", "--store", str(seeds_store), "-o", str(tmp_path), "--no-parquet"])
    assert done.exit_code == 0, done.output
    with open(tmp_path / "municipalities.csv", encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    # Kota Blitar in each seed article; one of them does not name Jawa Timur
    assert [r[0] for r in rows] == ["Kota Blitar", "Kota Blitar"]
    assert [r[header.index("province")] for r in rows] == ["Jawa Timur", "Jawa Timur"]
    assert all(r[header.index("article_file")] for r in rows)


def test_places_search_in_the_explorer_finds_only_places_articles_name(seeds_store):
    from kg.explorer.search import build_index
    index = build_index(open_store(seeds_store))
    assert [h.label for h in index.search("blitar") if h.type == "Municipality"] == ["Kota Blitar"]
    assert index.search("sleman") == []
