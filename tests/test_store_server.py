"""The embedded store, exports from it, and loading into a real Oxigraph server on a loopback port."""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KgError
from kg.export import export_store
from kg.load import LoadError, load_store
from kg.serve import oxigraph_binary
from kg.places import REFERENCE_PLACES_GRAPH
from kg.store import ONTOLOGY_GRAPH, open_store, store_graphs, write_store
from tests.helpers import SEEDS, free_port

runner = CliRunner()


class OxigraphServer:
    """A real `oxigraph serve` process on 127.0.0.1, stopped by the test."""

    def __init__(self, location: Path) -> None:
        self.location, self.port = location, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> "OxigraphServer":
        self.process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).read()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def quads(self) -> list:
        request = urllib.request.Request(self.url + "/store", headers={"Accept": "application/n-quads"})
        data = urllib.request.urlopen(request, timeout=30).read()
        return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


@pytest.fixture
def server(tmp_path):
    s = OxigraphServer(tmp_path / "server").start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory, seeds_build):
    directory = tmp_path_factory.mktemp("store") / "kabar"
    write_store(seeds_build.nquads, seeds_build.union_ntriples, directory)
    return directory


def store_quads(directory: Path) -> set:
    """The quads of the store's named graphs (the default graph is their union, derived)."""
    return {q for q in open_store(directory) if isinstance(q.graph_name, ox.NamedNode)}


def same_content(server_quads: list, directory: Path) -> bool:
    """The server holds exactly the store's quads: equal quad by quad where no blank node is involved,
    and the (ontology) quads with blank nodes equal up to the relabelling every server does."""
    ours = list(store_quads(directory))
    def split(quads):
        plain = {q for q in quads if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}
        return plain, [q for q in quads if q not in plain]
    (a_plain, a_blank), (b_plain, b_blank) = split(server_quads), split(ours)
    if a_plain != b_plain or len(server_quads) != len(ours):
        return False
    as_graph = lambda qs: Graph().parse(data="\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in qs), format="nt")
    return isomorphic(as_graph(a_blank), as_graph(b_blank))


# ------------------------------------------------------------------ the embedded store

def test_store_has_one_graph_per_article_and_the_ontology(seeds_store):
    graphs = store_graphs(open_store(seeds_store))
    assert ONTOLOGY_GRAPH in graphs and REFERENCE_PLACES_GRAPH in graphs
    assert {g for g in graphs if g not in (ONTOLOGY_GRAPH, REFERENCE_PLACES_GRAPH)} == {
        "https://w3id.org/kabar-kg/id/graph/000_c0579e94ec1dab6c",
        "https://w3id.org/kabar-kg/id/graph/002_8465883fa85a0744"}


def test_store_build_twice_leaves_the_same_store(tmp_path):
    store = tmp_path / "kabar"
    args = ["build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "--store", str(store), "-q"]
    assert runner.invoke(app, args).exit_code == 0
    first = store_quads(store)
    assert runner.invoke(app, args).exit_code == 0
    second = store_quads(store)
    assert len(first) == len(second) and first == second


def test_store_removing_an_article_removes_its_facts_not_shared_entities(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    store = tmp_path / "kabar"
    args = ["build", str(articles), "-o", str(tmp_path / "kg.ttl"), "--store", str(store), "-q"]
    runner.invoke(app, args)
    (articles / "002_8465883fa85a0744.txt").unlink()
    assert runner.invoke(app, args).exit_code == 0
    s = open_store(store)
    ask = lambda q: bool(s.query(q))
    assert not ask("ASK { ?a a <https://w3id.org/kabar-kg/ontology#Agreement> }")
    assert ask('ASK { ?m <http://www.w3.org/2000/01/rdf-schema#label> "Kota Blitar"@id }')


def test_store_second_writer_is_refused(tmp_path, seeds_build):
    from kg.store import store_lock
    with store_lock(tmp_path / "kabar"):
        with pytest.raises(KgError, match="another kg build is writing"):
            write_store(seeds_build.nquads, seeds_build.union_ntriples, tmp_path / "kabar")


def test_store_query_from_the_cli(seeds_store):
    result = runner.invoke(app, ["query", "--store", str(seeds_store), "--named", "officials", "--format", "csv"])
    assert result.exit_code == 0
    assert sorted(result.output.splitlines()[1:]) == [
        "Elim Tyu Samba,Wakil Wali Kota,Pemerintah Kota Blitar",
        "Tutus Novita Dewi,Kepala,BPJS Kesehatan Cabang Kediri"]


# ------------------------------------------------------------------ exports, read back by another parser

def union_of(store_dir: Path) -> Graph:
    ds = Dataset()
    named = [q for q in open_store(store_dir) if isinstance(q.graph_name, ox.NamedNode)]
    ds.parse(data=ox.serialize(named, format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def default_graph_of(store_dir: Path) -> Graph:
    data = open_store(store_dir).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data.decode("utf-8"), format="nt")


@pytest.mark.parametrize("fmt, rdflib_format", [("nt", "nt"), ("ttl", "turtle"), ("xml", "xml"),
                                                 ("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_store_export_read_back_by_rdflib(seeds_store, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"kg.{fmt}"
    export_store(open_store(seeds_store), out, fmt)
    ds = Dataset()
    ds.parse(out, format=rdflib_format)
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    # triple formats hold the union of the article graphs; dataset formats every named graph
    expected = default_graph_of(seeds_store) if fmt in ("nt", "ttl", "xml") else union_of(seeds_store)
    assert isomorphic(g, expected)


def test_store_default_graph_is_the_union_of_the_article_graphs(seeds_store):
    store = open_store(seeds_store)
    articles = {(q.subject, q.predicate, q.object) for q in store
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != ONTOLOGY_GRAPH}
    default = [(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    assert len(default) == len(set(default)) and set(default) == articles


def test_store_jsonld_export_read_by_pyoxigraph_and_pyld(seeds_store, tmp_path):
    from pyld import jsonld
    out = tmp_path / "kg.jsonld"
    export_store(open_store(seeds_store), out, "jsonld")
    back = list(ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD))
    assert same_content(back, seeds_store)
    nquads = jsonld.to_rdf(json.loads(out.read_text(encoding="utf-8")), {"format": "application/n-quads"})
    assert same_content(list(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)), seeds_store)


# ------------------------------------------------------------------ loading into a real server

def test_load_into_oxigraph_holds_exactly_the_store(server, seeds_store):
    report = load_store(open_store(seeds_store), endpoint=server.url + "/store")
    assert report.graphs == 4   # two articles, the ontology, the reference places
    assert same_content(server.quads(), seeds_store)
    load_store(open_store(seeds_store), endpoint=server.url + "/store", params={"no_transaction": ""})
    assert same_content(server.quads(), seeds_store)     # replaced, never appended twice


def test_load_in_parallel_gives_the_same_content(server, seeds_store):
    report = load_store(open_store(seeds_store), endpoint=server.url + "/store", concurrency=3)
    assert report.graphs == 4   # two articles, the ontology, the reference places and same_content(server.quads(), seeds_store)


def test_load_through_sparql_update_gives_the_same_content(server, seeds_store):
    load_store(open_store(seeds_store), update_endpoint=server.url + "/update")
    assert same_content(server.quads(), seeds_store)


def test_load_interrupted_by_a_server_stop_then_rerun_converges(server, seeds_store):
    def stop_after_first(i, n, graph):
        if i == 1:
            server.stop()
    with pytest.raises(LoadError, match="cannot reach the server"):
        load_store(open_store(seeds_store), endpoint=server.url + "/store", retries=1, backoff=0.05,
                   progress=stop_after_first)
    server.start()
    assert not same_content(server.quads(), seeds_store)
    load_store(open_store(seeds_store), endpoint=server.url + "/store")
    assert same_content(server.quads(), seeds_store)


def test_load_retries_through_a_server_restart(server, seeds_store):
    def restart_during_load(i, n, graph):
        if i == 1:
            server.stop()
            threading.Timer(1.0, server.start).start()
    report = load_store(open_store(seeds_store), endpoint=server.url + "/store", retries=8, backoff=0.2,
                        progress=restart_during_load)
    assert report.retries >= 1
    deadline = time.monotonic() + 20
    while server.process.poll() is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert same_content(server.quads(), seeds_store)


def test_load_cli_reports_throughput_and_keeps_credentials_secret(server, seeds_store, monkeypatch):
    monkeypatch.setenv("KABAR_KG_TOKEN", "s3cr3t-token")
    result = runner.invoke(app, ["load", "--store", str(seeds_store), "--endpoint", server.url + "/store"])
    assert result.exit_code == 0 and "loaded 4 graph(s)" in result.output
    assert "s3cr3t" not in result.output
    assert same_content(server.quads(), seeds_store)


def test_load_needs_exactly_one_endpoint(seeds_store):
    result = runner.invoke(app, ["load", "--store", str(seeds_store)])
    assert result.exit_code == 2 and "exactly one of --endpoint" in result.output


# ------------------------------------------------------------------ kg serve

def test_serve_answers_sparql_and_is_read_only(seeds_store, tmp_path):
    copy = tmp_path / "served"
    shutil.copytree(seeds_store, copy)
    port = free_port()
    process = subprocess.Popen(["kg", "serve", "--store", str(copy), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               executable=str(Path(oxigraph_binary()).parent / "kg"))
    try:
        first_line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first_line
        url = f"http://127.0.0.1:{port}/query?query=" + urllib.request.quote(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/kabar-kg/ontology#Award> }")
        deadline, answer = time.monotonic() + 20, None
        while answer is None and time.monotonic() < deadline:
            try:
                request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
                answer = json.loads(urllib.request.urlopen(request, timeout=2).read())
            except OSError:
                time.sleep(0.1)
        assert answer["results"]["bindings"][0]["n"]["value"] == "2"
        update = urllib.request.Request(f"http://127.0.0.1:{port}/update", data=b"CLEAR ALL", method="POST",
                                        headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(update, timeout=5)
    finally:
        process.terminate()
        process.wait(timeout=10)
