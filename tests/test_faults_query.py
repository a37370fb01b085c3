"""Reading, querying, exporting and serving without surprises: no network while reading local files, no
"conforms" for an empty file, queries that stop (timeout, Ctrl-C), SERVICE only when asked for, damaged
stores named as such (docs/RELIABILITY.md)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import GraphInputError
from kg.jsonld import CONTEXT_IRI
from kg.sparql import check_query
from kg.store import open_store, write_store
from tests.helpers import LocalServer, free_port

runner = CliRunner()
KG = [sys.executable, "-m", "kg"]
ROOT = Path(__file__).resolve().parent.parent
EXPENSIVE = {   # a cross product of the seeds graph with itself four times: minutes of work
    "aggregate": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "solutions": "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
                 "FILTER(STRLEN(CONCAT(STR(?a), STR(?d), STR(?g), STR(?j))) < 0) }",
}


class Recorder(LocalServer):
    """An HTTP server on a loopback port that records every request it gets; it answers GET with a
    JSON-LD context and POST with one SPARQL solution, so that a fetch, if one happens, succeeds."""

    methods = ("GET", "POST")

    def answer(self, request):
        if request.method == "GET":
            body, kind = {"@context": {"name": "http://schema.org/name"}}, "application/ld+json"
        else:
            body, kind = {"head": {"vars": ["s"]}, "results": {"bindings": [
                {"s": {"type": "uri", "value": "http://example.org/from-the-remote"}}]}}, "application/sparql-results+json"
        return 200, json.dumps(body).encode(), {"Content-Type": kind}


@pytest.fixture
def recorder():
    r = Recorder()
    yield r
    r.close()


@pytest.fixture
def blackhole():
    """A loopback port that accepts connections and never answers: a fetch from it would wait forever."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory, seeds_build):
    directory = tmp_path_factory.mktemp("store") / "kabar"
    write_store(seeds_build.nquads, seeds_build.union_ntriples, directory)
    return directory


def kg(*args: str, timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real `kg` in a child process (with a bound on the wait: a hang fails the test)."""
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd or ROOT)


def assert_clean_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception     # no traceback
    for f in fragments:
        assert f in result.output, result.output


# ------------------------------------------------------------------ no network while reading local files

def remote_documents(url: str) -> dict[str, dict]:
    """JSON-LD documents that name a context by URL in each place JSON-LD 1.1 allows one."""
    node = {"@id": "http://example.org/a", "name": "A"}
    return {
        "top": {"@context": f"{url}/top.jsonld", **node},
        "list": {"@context": [{"kg": "https://w3id.org/kabar-kg/ontology#"}, f"{url}/list.jsonld"], **node},
        "nested": {"@context": {"knows": "http://example.org/knows"}, "@id": "http://example.org/b",
                   "knows": {"@context": f"{url}/nested.jsonld", **node}},
        "scoped": {"@context": {"knows": {"@id": "http://example.org/knows", "@context": f"{url}/scoped.jsonld"}},
                   "@id": "http://example.org/b", "knows": node},
        "import": {"@context": {"@version": 1.1, "@import": f"{url}/import.jsonld"}, **node},
        "graph": {"@context": {"knows": "http://example.org/knows"},
                  "@graph": [{"@context": f"{url}/graph.jsonld", **node}]},
    }


@pytest.mark.parametrize("where", ["top", "list", "nested", "scoped", "import", "graph"])
def test_faults_remote_jsonld_context_is_refused_never_fetched(tmp_path, recorder, where):
    path = tmp_path / f"{where}.jsonld"
    path.write_text(json.dumps(remote_documents(recorder.url)[where]), encoding="utf-8")
    for args in (["validate", str(path)], ["query", str(path), "ASK { ?s ?p ?o }"]):
        result = runner.invoke(app, args)
        assert_clean_error(result, f"{path}: refers to the JSON-LD context '{recorder.url}/", "not fetched")
    assert recorder.requests == []


def test_faults_remote_context_that_would_hang_is_refused_at_once(tmp_path, blackhole):
    """A context on a server that never answers, or on an address nothing routes to: no wait at all."""
    for i, url in enumerate([f"{blackhole}/ctx.jsonld", "http://10.255.255.1/ctx.jsonld"]):
        path = tmp_path / f"hang{i}.jsonld"
        path.write_text(json.dumps({"@context": url, "@id": "http://example.org/a"}), encoding="utf-8")
        for command in (["validate", str(path)], ["query", str(path), "ASK { ?s ?p ?o }"]):
            started = time.monotonic()
            done = kg(*command, timeout=60)
            assert done.returncode == 2 and "not fetched" in done.stderr, done.stderr
            assert "Traceback" not in done.stderr
            assert time.monotonic() - started < 30    # seconds, not a wait on the network


def test_faults_our_context_by_its_iri_is_read_locally(tmp_path, recorder):
    path = tmp_path / "budi.jsonld"
    path.write_text(json.dumps({"@context": CONTEXT_IRI, "@id": "kgid:person/budi", "@type": "kg:Person",
                                "rdfs:label": {"@value": "Budi", "@language": "id"}}), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and "conforms" in result.output, result.output
    result = runner.invoke(app, ["query", str(path), "ASK { <https://w3id.org/kabar-kg/id/person/budi> "
                                 "a <https://w3id.org/kabar-kg/ontology#Person> }"])
    assert result.exit_code == 0 and result.output.strip() == "true", result.output
    assert recorder.requests == []


def test_faults_other_formats_fetch_nothing(tmp_path, recorder):
    """External entities and DTDs in RDF/XML, owl:imports and sh:shapesGraph in Turtle: never followed."""
    rdfxml = tmp_path / "entity.rdf"
    rdfxml.write_text(f'''<?xml version="1.0"?>
<!DOCTYPE rdf:RDF SYSTEM "{recorder.url}/doctype.dtd" [
  <!ENTITY remote SYSTEM "{recorder.url}/entity.txt">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>&remote;</ex:p></rdf:Description>
</rdf:RDF>
''', encoding="utf-8")
    turtle = tmp_path / "imports.ttl"
    turtle.write_text(f"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
<http://example.org/o> a owl:Ontology ; owl:imports <{recorder.url}/imported.ttl> ;
    sh:shapesGraph <{recorder.url}/shapes.ttl> .
""", encoding="utf-8")
    for path in (rdfxml, turtle):
        for args in (["validate", str(path)], ["query", str(path), "ASK { ?s ?p ?o }"]):
            result = runner.invoke(app, args)
            assert result.exit_code in (0, 2) and isinstance(result.exception, (SystemExit, type(None))), result.output
    assert recorder.requests == []


# ------------------------------------------------------------------ a file with no triples does not conform

@pytest.mark.parametrize("name, content", [
    ("kosong.ttl", ""),
    ("prefixes-only.ttl", "@prefix kg: <https://w3id.org/kabar-kg/ontology#> .\n# truncated here\n"),
    ("kosong.nt", "\n"),
    ("kosong.nq", ""),
    ("kosong.jsonld", "{}"),
    ("kosong.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'),
])
def test_faults_validate_file_without_triples_is_an_error(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert_clean_error(runner.invoke(app, ["validate", str(path)]), f"{path}: holds no triples")


def test_faults_validate_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipa.ttl"
    os.mkfifo(fifo)
    assert_clean_error(runner.invoke(app, ["validate", str(fifo)]), f"{fifo}: not a regular file")
    assert_clean_error(runner.invoke(app, ["query", str(fifo), "ASK { ?s ?p ?o }"]), f"{fifo}: not a regular file")


# ------------------------------------------------------------------ queries stop: timeout and Ctrl-C

@pytest.mark.parametrize("kind", sorted(EXPENSIVE))
def test_faults_query_timeout_stops_an_expensive_query(seeds_ttl, seeds_store, kind):
    for source in (seeds_ttl, seeds_store):
        started = time.monotonic()
        done = kg("query", str(source), EXPENSIVE[kind], "--timeout", "1", timeout=120)
        assert done.returncode == 2, done.stderr
        assert "kg: error: query timed out after 1 s" in done.stderr and "Traceback" not in done.stderr
        assert time.monotonic() - started < 60


def test_faults_query_timeout_must_be_positive(seeds_ttl):
    assert_clean_error(runner.invoke(app, ["query", str(seeds_ttl), "ASK { ?s ?p ?o }", "--timeout", "0"]),
                       "--timeout must be a number of seconds above 0")


@pytest.mark.parametrize("kind", sorted(EXPENSIVE))
def test_faults_ctrl_c_stops_a_running_query(seeds_store, kind):
    process = subprocess.Popen([*KG, "-v", "query", "--store", str(seeds_store), EXPENSIVE[kind]], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    guard = threading.Timer(120, process.kill)     # a bound on every wait below
    guard.start()
    try:
        started = process.stderr.readline()        # kg -v says when the query starts
        assert "running the query" in started, started
        time.sleep(1.5)                            # deep in the query now
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        guard.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err
    assert "kg: error: interrupted" in err and "Traceback" not in err


# ------------------------------------------------------------------ SERVICE only when asked for

@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}/sparql> {{ ?s ?p ?o }} }}",
    "PREFIX s: <http://example.org/> SELECT ?s WHERE {{ OPTIONAL {{ ?x s:p ?y }} SERVICE\n<{url}/sparql> {{ ?s s:p ?o }} }}",
])
def test_faults_query_service_is_refused_unless_allowed(seeds_ttl, recorder, template):
    query = template.format(url=recorder.url)
    assert_clean_error(runner.invoke(app, ["query", str(seeds_ttl), query]),
                       "the query calls another server (SERVICE), which is disabled; add --allow-service")
    assert recorder.requests == []
    result = runner.invoke(app, ["query", str(seeds_ttl), query, "--allow-service", "--format", "csv"])
    assert result.exit_code == 0 and "http://example.org/from-the-remote" in result.output, result.output
    assert recorder.requests and recorder.requests[0].method == "POST" and recorder.requests[0].path.startswith("/sparql")


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?service ?p "SERVICE" } LIMIT 1',
    "PREFIX service: <http://example.org/service#> ASK { ?s service:SERVICE ?o }",
    "ASK { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://example.org/>",
    "ASK { ?s <http://example.org/\\u0041/SERVICE> ?o }",
    "SELECT ?x WHERE { BIND(\"\"\"a 'service' \\\" SERVICE\"\"\" AS ?x) }",
])
def test_faults_query_the_word_service_as_data_is_not_refused(seeds_ttl, query):
    check_query(query)     # raises on a SERVICE clause
    result = runner.invoke(app, ["query", str(seeds_ttl), query])
    assert result.exit_code == 0, result.output


def test_faults_query_escaped_service_keyword_calls_no_one(seeds_ttl, recorder):
    query = "SELECT * WHERE { \\u0053ERVICE <%s/sparql> { ?s ?p ?o } }" % recorder.url
    assert_clean_error(runner.invoke(app, ["query", str(seeds_ttl), query, "--allow-service"]), "SPARQL syntax error")
    assert recorder.requests == []


def test_faults_query_service_to_a_bad_endpoint_is_a_clean_error(seeds_ttl, blackhole):
    closed = f"http://127.0.0.1:{free_port()}"          # a port with nothing listening
    for url in (closed, "http://user:s3cret@127.0.0.1:9/sparql"):
        result = runner.invoke(app, ["query", str(seeds_ttl), "--allow-service",
                                     f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"])
        assert_clean_error(result, "kg: error: query failed: ")
        assert "s3cret" not in result.output
    done = kg("query", str(seeds_ttl), "--allow-service", "--timeout", "2",      # a server that never answers
              f"SELECT * WHERE {{ SERVICE <{blackhole}/sparql> {{ ?s ?p ?o }} }}", timeout=60)
    assert done.returncode == 2 and "query timed out after 2 s" in done.stderr, done.stderr


def kabar_serve(store: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([*KG, "serve", "--store", str(store), "--port", str(port), *extra], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=2).read()
            return process, url
        except OSError:
            assert process.poll() is None, process.communicate()
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("kg serve did not start")


def sparql_request(url: str, query: str, how: str) -> tuple[int, bytes]:
    """Send QUERY to the server at URL (GET, form POST or direct POST, SPARQL 1.1 Protocol 2.1)."""
    accept = {"Accept": "application/sparql-results+json"}
    if how == "get":
        request = urllib.request.Request(f"{url}/query?query={urllib.parse.quote(query)}", headers=accept)
    elif how == "form":
        request = urllib.request.Request(f"{url}/query", data=urllib.parse.urlencode({"query": query}).encode(),
                                         headers={**accept, "Content-Type": "application/x-www-form-urlencoded"})
    else:
        request = urllib.request.Request(f"{url}/query", data=query.encode(),
                                         headers={**accept, "Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def backend_processes(store: Path) -> list[int]:
    """The pids of oxigraph servers serving STORE."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"oxigraph" in part for part in cmdline[:1]) and str(store).encode() in cmdline:
            found.append(int(entry.name))
    return found


def test_faults_serve_explorer_refuses_service_and_stops_with_ctrl_c(seeds_store, tmp_path, recorder):
    """The default `kg serve` is the explorer, whose /query endpoint only reads and calls no one."""
    copy = tmp_path / "served"
    shutil.copytree(seeds_store, copy)
    process, url = kabar_serve(copy)
    try:
        service = f"SELECT * WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?o }} }}"
        for how in ("get", "form", "post"):
            status, body = sparql_request(url, service, how)
            assert status == 403 and b"SERVICE" in body, (how, status, body)
        status, body = sparql_request(url, "SELECT (COUNT(*) AS ?n) WHERE { ?a a "
                                      "<https://w3id.org/kabar-kg/ontology#Award> }", "post")
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"
        assert recorder.requests == [] and backend_processes(copy) == []
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_faults_serve_refuses_service_and_stops_with_ctrl_c(seeds_store, tmp_path, recorder):
    copy = tmp_path / "served"
    shutil.copytree(seeds_store, copy)
    process, url = kabar_serve(copy, "--oxigraph")
    try:
        service = f"SELECT * WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?o }} }}"
        for how in ("get", "form", "post"):
            status, body = sparql_request(url, service, how)
            assert status == 403 and b"SERVICE is disabled on this server" in body, (how, status, body)
        status, body = sparql_request(url, "SELECT (COUNT(*) AS ?n) WHERE { ?a a "
                                      "<https://w3id.org/kabar-kg/ontology#Award> }", "post")
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "2"
        assert recorder.requests == []
        assert backend_processes(copy)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    deadline = time.monotonic() + 10
    while backend_processes(copy) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert backend_processes(copy) == []


def test_faults_serve_allow_service_lets_the_server_call_out(seeds_store, tmp_path, recorder):
    copy = tmp_path / "served"
    shutil.copytree(seeds_store, copy)
    process, url = kabar_serve(copy, "--allow-service")
    try:
        status, body = sparql_request(url, f"SELECT * WHERE {{ SERVICE <{recorder.url}/sparql> {{ ?s ?p ?o }} }}",
                                      "post")
        assert status == 200 and b"from-the-remote" in body
        assert recorder.requests
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_faults_serve_write_refuses_load_and_passes_data_on(seeds_store, tmp_path, recorder):
    copy = tmp_path / "served"
    shutil.copytree(seeds_store, copy)
    process, url = kabar_serve(copy, "--write")
    try:
        load = urllib.request.Request(f"{url}/update", data=f"LOAD <{recorder.url}/data.ttl>".encode(),
                                      headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(load, timeout=30)
        assert refused.value.code == 403 and b"LOAD is disabled" in refused.value.read()
        assert recorder.requests == []
        data = "".join(f'<http://example.org/s{i}> <http://example.org/p> "{"x" * 100} {i}" .\n' for i in range(20000))
        put = urllib.request.Request(f"{url}/store?graph=http://example.org/g", data=data.encode(), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        assert urllib.request.urlopen(put, timeout=60).status in (201, 204)
        status, body = sparql_request(url, "SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/g> { ?s ?p ?o } }",
                                      "form")
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "20000"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_faults_serve_killed_takes_the_server_with_it(seeds_store, tmp_path):
    copy = tmp_path / "served"
    shutil.copytree(seeds_store, copy)
    process, _ = kabar_serve(copy, "--oxigraph")
    assert backend_processes(copy)
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while backend_processes(copy) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert backend_processes(copy) == []


# ------------------------------------------------------------------ damaged and missing stores

def damage(store: Path, how: str) -> None:
    if how == "manifest":        # RocksDB's list of files: the store cannot be opened
        (manifest,) = store.glob("MANIFEST-*")
        manifest.write_bytes(b"")
    else:                        # a data block of every table with data (the store holds the reference
        for table in store.glob("*.sst"):   # places too): opens, then fails while read
            data = bytearray(table.read_bytes())
            if len(data) < 4096:     # a table this small is mostly its metadata, read when the store opens
                continue
            for i in range(16, 400):
                data[i] ^= 0x5A
            table.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["manifest", "data-block"])
def test_faults_damaged_store_says_rebuild(seeds_store, tmp_path, how):
    store = tmp_path / "kabar"
    shutil.copytree(seeds_store, store)
    damage(store, how)
    for args in (["query", "--store", str(store), "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
                 ["query", str(store), "--named", "officials"],
                 ["export", "--store", str(store), "-o", str(tmp_path / "out.nq")],
                 ["export", "--store", str(store), "-o", str(tmp_path / "out.ttl")]):
        verb = "open" if how == "manifest" else "read"
        assert_clean_error(runner.invoke(app, args), f"{store}: cannot {verb} the store, it is damaged (Corruption: ",
                           f"rebuild it with `kg build ARTICLES --store {store}`")
    assert [p.name for p in tmp_path.iterdir()] == ["kabar"]      # nothing half-written
    if how == "manifest":
        with pytest.raises(GraphInputError, match="cannot open the store, it is damaged"):
            open_store(store)


def test_faults_damaged_store_is_refused_by_serve(seeds_store, tmp_path):
    store = tmp_path / "kabar"
    shutil.copytree(seeds_store, store)
    damage(store, "manifest")
    assert_clean_error(runner.invoke(app, ["serve", "--store", str(store)]), "cannot open the store, it is damaged")


def test_faults_query_without_a_store_says_how_to_build_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_clean_error(runner.invoke(app, ["query", "ASK { ?s ?p ?o }"]),
                       ".kabar: no store here; build one with `kg build PATH --store .kabar`")
    (tmp_path / "empty").mkdir()
    assert_clean_error(runner.invoke(app, ["query", "--store", "empty", "ASK { ?s ?p ?o }"]),
                       "empty: no store here")
    assert_clean_error(runner.invoke(app, ["export", "-o", "x.nq"]), ".kabar: no store here")


# ------------------------------------------------------------------ kg query only reads

@pytest.mark.parametrize("update, word", [
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }", "INSERT"),
    ("PREFIX kg: <https://w3id.org/kabar-kg/ontology#>\nDELETE WHERE { ?s a kg:Award }", "DELETE"),
    ("# wipe\nBASE <http://example.org/> CLEAR ALL", "CLEAR"),
    ("LOAD <{url}/data.ttl>", "LOAD"),
])
def test_faults_query_refuses_an_update(seeds_store, recorder, update, word):
    result = runner.invoke(app, ["query", "--store", str(seeds_store), update.replace("{url}", recorder.url)])
    assert_clean_error(result, f"not a query: {word} is SPARQL Update")
    assert recorder.requests == []
    count = runner.invoke(app, ["query", "--store", str(seeds_store), "ASK { ?s a "
                                "<https://w3id.org/kabar-kg/ontology#Award> }"])
    assert count.output.strip() == "true"
