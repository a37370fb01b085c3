"""`kg load --bulk`: a first load as one N-Quads request into a real Oxigraph server, per-graph replace
for the graphs the server already holds, and the same checks as the per-graph load."""
from __future__ import annotations

import threading
import time
import urllib.request

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KgError
from kg.load import LoadError, load_store
from kg.store import ONTOLOGY_GRAPH, open_store
from tests.helpers import SEEDS, LocalServer
from tests.test_store_server import OxigraphServer, same_content

runner = CliRunner()
ARTICLE = "https://w3id.org/kabar-kg/id/graph/000_c0579e94ec1dab6c"


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory):
    work = tmp_path_factory.mktemp("bulk")
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(work / "kg.nq"), "--store", str(work / "kabar"), "-q"])
    assert result.exit_code == 0, result.output
    return work / "kabar"


@pytest.fixture
def server(tmp_path):
    s = OxigraphServer(tmp_path / "server").start()
    yield s
    s.stop()


def put_graph(server: OxigraphServer, graph: str, ntriples: bytes) -> None:
    request = urllib.request.Request(f"{server.url}/store?graph={graph}", data=ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request, timeout=30).read()


def test_load_bulk_into_an_empty_server_holds_exactly_the_store(server, seeds_store):
    report = load_store(open_store(seeds_store), endpoint=server.url + "/store", bulk=True,
                        params={"no_transaction": ""})
    # the two article graphs and the reference places in the one request; the ontology (blank nodes)
    # replaced on its own
    assert (report.graphs, report.bulk_graphs) == (4, 3)
    assert report.triples == sum(report.counts.values()) == len(store_named_quads(seeds_store))
    assert same_content(server.quads(), seeds_store)


def test_load_bulk_with_concurrency_sends_slices_of_the_graphs_at_once(server, seeds_store):
    report = load_store(open_store(seeds_store), endpoint=server.url + "/store", bulk=True, concurrency=2,
                        params={"no_transaction": ""})
    assert (report.graphs, report.bulk_graphs, report.bulk_requests) == (4, 3, 2)
    assert same_content(server.quads(), seeds_store)


def store_named_quads(directory) -> list:
    return [q for q in open_store(directory) if isinstance(q.graph_name, ox.NamedNode)]


def test_load_bulk_replaces_graphs_the_server_already_holds(server, seeds_store):
    stale = b'<https://w3id.org/kabar-kg/id/stale> <http://www.w3.org/2000/01/rdf-schema#label> "old" .\n'
    put_graph(server, ARTICLE, stale)
    report = load_store(open_store(seeds_store), endpoint=server.url + "/store", bulk=True)
    assert report.bulk_graphs == 2            # only the graphs the server did not hold (article, places)
    assert same_content(server.quads(), seeds_store)   # the stale triple is gone: replaced, not added to
    again = load_store(open_store(seeds_store), endpoint=server.url + "/store", bulk=True)
    assert again.bulk_graphs == 0 and same_content(server.quads(), seeds_store)


def test_load_bulk_is_retried_through_a_server_restart_and_converges(server, seeds_store):
    stopped = []

    def restart_during_bulk(i, n, graph):
        if not stopped:     # while the request streams its first graph
            stopped.append(graph)
            server.stop()
            threading.Timer(1.0, server.start).start()
    report = load_store(open_store(seeds_store), endpoint=server.url + "/store", bulk=True, retries=8,
                        backoff=0.2, progress=restart_during_bulk)
    assert stopped and report.retries >= 1
    deadline = time.monotonic() + 20
    while server.process.poll() is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert same_content(server.quads(), seeds_store)     # a replayed stream: nothing counted or added twice
    assert report.triples == len(store_named_quads(seeds_store))


def test_load_bulk_interrupted_then_rerun_converges(server, seeds_store):
    def stop(i, n, graph):
        server.stop()
    with pytest.raises(LoadError, match="cannot reach the server"):
        load_store(open_store(seeds_store), endpoint=server.url + "/store", bulk=True, retries=1, backoff=0.05,
                   progress=stop)
    server.start()
    result = runner.invoke(app, ["load", "--store", str(seeds_store), "--endpoint", server.url + "/store", "--bulk",
                                 "--param", "no_transaction"])
    assert result.exit_code == 0, result.output
    assert "loaded 4 graph(s) (3 in one bulk request)" in result.output
    assert "verified: the server holds the same triple counts in 4 graph(s)" in result.output
    assert same_content(server.quads(), seeds_store)


def test_load_bulk_needs_the_graph_store_protocol_and_a_query_endpoint(seeds_store, server):
    result = runner.invoke(app, ["load", "--store", str(seeds_store), "--update-endpoint", server.url + "/update",
                                 "--bulk"])
    assert result.exit_code == 2 and "--bulk sends N-Quads through the Graph Store Protocol" in result.output
    result = runner.invoke(app, ["load", "--store", str(seeds_store), "--endpoint", server.url + "/graphs", "--bulk"])
    assert result.exit_code == 2 and "give --query-endpoint URL" in result.output
    assert server.quads() == []          # refused before anything was sent
    with pytest.raises(KgError, match="--query-endpoint"):
        load_store(open_store(seeds_store), endpoint=server.url + "/store", bulk=True,
                   query_endpoint="ftp://127.0.0.1/query")


class ChunkedStub(LocalServer):
    """Reads chunked request bodies; answers the bulk POSTs with the statuses in SCRIPT (then 204), PUTs
    with 204, and the query for graphs already there with no rows. Records (method, path, headers, body,
    number of chunks)."""

    methods = ("POST", "PUT")

    def __init__(self, script=()) -> None:
        self.script = list(script)
        super().__init__()

    def answer(self, request):
        if request.path.startswith("/query"):
            return 200, b'{"head":{"vars":["g"]},"results":{"bindings":[]}}', {}
        if request.method == "POST":
            return (self.script.pop(0) if self.script else 204), b"", {}
        return 204, b"", {}


def test_load_bulk_streams_the_body_in_chunks_and_replays_it_whole_on_a_retry(seeds_store, monkeypatch):
    import kg.load
    monkeypatch.setattr(kg.load, "BULK_CHUNK", 1)     # one chunk per graph
    stub = ChunkedStub(script=[503])
    try:
        report = load_store(open_store(seeds_store), endpoint=stub.url + "/store", bulk=True,
                            params={"no_transaction": ""}, sleep=lambda s: None)
    finally:
        stub.close()
    posts = [r for r in stub.requests if r[0] == "POST" and r[1].startswith("/store")]
    assert len(posts) == 2 and report.retries == 1
    assert posts[0][1] == "/store?no_transaction" and posts[0][2]["Content-Type"] == "application/n-quads"
    assert posts[0][3] == posts[1][3] and posts[1][4] == 3          # the same body, streamed, again
    sent = list(ox.parse(posts[1][3], format=ox.RdfFormat.N_QUADS))
    ours = [q for q in store_named_quads(seeds_store) if q.graph_name.value != ONTOLOGY_GRAPH]
    assert sorted(map(str, sent)) == sorted(map(str, ours))
    assert report.triples == len(sent) + sum(1 for q in store_named_quads(seeds_store)
                                             if q.graph_name.value == ONTOLOGY_GRAPH)
    assert [r[1].split("?")[0] for r in stub.requests if r[0] == "PUT"] == ["/store"]   # the ontology alone


def test_load_bulk_in_parallel_requests_sends_each_graph_once(seeds_store):
    stub = ChunkedStub()
    try:
        report = load_store(open_store(seeds_store), endpoint=stub.url + "/store", bulk=True, concurrency=2)
    finally:
        stub.close()
    bodies = [r[3] for r in stub.requests if r[0] == "POST" and r[1].startswith("/store")]
    assert len(bodies) == report.bulk_requests == 2
    sent = [sorted({q.graph_name.value for q in ox.parse(b, format=ox.RdfFormat.N_QUADS)}) for b in bodies]
    assert all(sent) and not set(sent[0]) & set(sent[1])      # disjoint slices, none empty
    ours = [q for q in store_named_quads(seeds_store) if q.graph_name.value != ONTOLOGY_GRAPH]
    assert sorted(str(q) for b in bodies for q in ox.parse(b, format=ox.RdfFormat.N_QUADS)) == sorted(map(str, ours))


def test_load_bulk_in_parallel_stops_on_a_refused_request_and_says_why(seeds_store):
    stub = ChunkedStub(script=[400, 400])
    try:
        with pytest.raises(LoadError, match="HTTP 400"):
            load_store(open_store(seeds_store), endpoint=stub.url + "/store", bulk=True, concurrency=2,
                       sleep=lambda s: None)
    finally:
        stub.close()
    assert not [r for r in stub.requests if r[0] == "PUT"]     # nothing replaced after the failure
