import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.export import write_graph
from kg.rdf import union_graph

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
           ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML}


def via_oxigraph(path, fmt) -> Graph:
    """Read PATH with pyoxigraph (a second parser) and hand its triples to rdflib as N-Triples."""
    store = ox.Store()
    store.load(path=str(path), format=fmt)
    quads = ox.serialize(store, format=ox.RdfFormat.N_QUADS)
    ds = Dataset()
    ds.parse(data=quads.decode("utf-8"), format="nquads")
    return union_graph(ds)


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_export_round_trips_through_a_second_parser(seeds_build, tmp_path, ext):
    path = tmp_path / f"kg{ext}"
    write_graph(seeds_build.dataset, path)
    assert isomorphic(via_oxigraph(path, FORMATS[ext]), union_graph(seeds_build.dataset))


@pytest.mark.parametrize("ext", [".nq", ".trig", ".jsonld"])
def test_export_keeps_one_named_graph_per_article(seeds_build, tmp_path, ext):
    path = tmp_path / f"kg{ext}"
    write_graph(seeds_build.dataset, path)
    store = ox.Store()
    store.load(path=str(path), format=FORMATS[ext])
    assert {g.value for g in store.named_graphs()} >= {
        "https://w3id.org/kabar-kg/id/graph/000_c0579e94ec1dab6c",
        "https://w3id.org/kabar-kg/id/graph/002_8465883fa85a0744"}


def test_export_jsonld_is_compact_and_expands_with_pyld(seeds_build, tmp_path):
    from pyld import jsonld
    path = tmp_path / "kg.jsonld"
    write_graph(seeds_build.dataset, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"]["kg"] == "https://w3id.org/kabar-kg/ontology#"
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    ds = Dataset()
    ds.parse(data=nquads, format="nquads")
    assert isomorphic(union_graph(ds), union_graph(seeds_build.dataset))


def test_export_unknown_extension_is_refused(seeds_build, tmp_path):
    from kg.errors import KgError
    with pytest.raises(KgError, match="unknown output format"):
        write_graph(seeds_build.dataset, tmp_path / "kg.docx")
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------ the build's output, with and without a store

BUILD_FORMATS = [".nt", ".nq", ".ttl", ".trig", ".jsonld"]


@pytest.fixture(scope="module")
def built_outputs(seeds_build, tmp_path_factory):
    """The seeds written by write_outputs in every format, with a store and with --no-store (no store opened:
    pyoxigraph's Store refuses to be made)."""
    from kg.pipeline import write_outputs
    folder = tmp_path_factory.mktemp("outputs")
    out = {}
    for ext in BUILD_FORMATS:
        write_outputs(seeds_build, folder / f"with{ext}", folder / "store")
        out[ext, "store"] = (folder / f"with{ext}").read_bytes()
    mp = pytest.MonkeyPatch()
    def no_store(*args, **kwargs):
        raise AssertionError("a build without a store opened a store")
    mp.setattr(ox, "Store", no_store)
    try:
        for ext in BUILD_FORMATS:
            write_outputs(seeds_build, folder / f"without{ext}", None)
            out[ext, "none"] = (folder / f"without{ext}").read_bytes()
    finally:
        mp.undo()
    return out, folder / "store"


@pytest.mark.parametrize("ext", BUILD_FORMATS)
def test_build_output_is_the_same_bytes_without_a_store_and_from_kg_export(built_outputs, tmp_path, ext):
    from kg.export import export_store
    from kg.store import open_store
    out, store = built_outputs
    assert out[ext, "store"] == out[ext, "none"]
    export_store(open_store(store), tmp_path / f"exported{ext}", articles_only=True)
    assert (tmp_path / f"exported{ext}").read_bytes() == out[ext, "store"]


def test_build_output_lines_are_sorted_graph_by_graph(seeds_build, built_outputs):
    out, _ = built_outputs
    nt = out[".nt", "store"].decode("utf-8").splitlines()
    assert nt == sorted(set(nt)) and set(nt) == set(seeds_build.union_ntriples.decode("utf-8").splitlines())
    nq = out[".nq", "store"].decode("utf-8").splitlines()
    graphs = [ln.rsplit(" ", 2)[1] for ln in nq]
    assert graphs == sorted(graphs) and len(set(graphs)) == len(seeds_build.triples)
    for g in set(graphs):
        lines = [ln for ln in nq if ln.endswith(f" {g} .")]
        assert lines == sorted(lines)
    assert len(nq) == len(seeds_build)


def test_export_of_a_whole_store_to_jsonld_is_the_same_bytes_every_time(built_outputs, tmp_path):
    """The ontology's graph holds blank nodes (its OWL lists): they keep the store's labels (canonical, made by
    kg.store.ontology_quads), where rdflib's parser would give them new random ones on every export."""
    from kg.export import export_store
    from kg.store import open_store
    _, store = built_outputs
    export_store(open_store(store), tmp_path / "one.jsonld")
    export_store(open_store(store), tmp_path / "two.jsonld")
    one = (tmp_path / "one.jsonld").read_bytes()
    assert b'"_:' in one and one == (tmp_path / "two.jsonld").read_bytes()
