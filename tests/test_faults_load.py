"""Faults while loading into a server: down, slow, 4xx/5xx, authentication rejected (docs/RELIABILITY.md).

A small HTTP server on a loopback port plays the misbehaving store; tests/test_store_server.py covers
the real Oxigraph server being stopped and restarted midway."""
from __future__ import annotations

import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.load import LoadError, load_store
from kg.store import open_store, store_graphs, write_store

runner = CliRunner()
SECRET = "s3cr3t-p4ss"


class Stub:
    """Answers PUT/POST with the statuses in SCRIPT (then 204), optionally slowly; records requests."""

    def __init__(self, script=(), delay: float = 0.0) -> None:
        self.script, self.delay = list(script), delay
        self.requests: list[tuple[str, str, dict, bytes]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                stub.requests.append((self.command, self.path, dict(self.headers), body))
                if stub.delay:
                    time.sleep(stub.delay)
                status = stub.script.pop(0) if stub.script else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            do_PUT = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def store(tmp_path_factory, seeds_build):
    directory = tmp_path_factory.mktemp("load") / "kabar"
    write_store(seeds_build.nquads, seeds_build.union_ntriples, directory)
    return open_store(directory)


@pytest.fixture
def stub():
    stubs = []
    def make(*args, **kwargs):
        stubs.append(Stub(*args, **kwargs))
        return stubs[-1]
    yield make
    for s in stubs:
        s.close()


def no_sleep(_seconds):
    pass


def test_faults_load_5xx_is_retried_then_succeeds(store, stub):
    s = stub(script=[503, 500])
    report = load_store(store, endpoint=s.url + "/store", sleep=no_sleep)
    assert report.retries == 2 and report.graphs == len(store_graphs(store))
    assert len(s.requests) == report.graphs + 2


def test_faults_load_gives_up_after_the_retries_with_a_clear_message(store, stub):
    s = stub(script=[502] * 10)
    with pytest.raises(LoadError, match=r"answered HTTP 502"):
        load_store(store, endpoint=s.url + "/store", retries=2, sleep=no_sleep)
    assert len(s.requests) == 3


def test_faults_load_4xx_is_not_retried(store, stub):
    s = stub(script=[400])
    with pytest.raises(LoadError, match="HTTP 400"):
        load_store(store, endpoint=s.url + "/store", sleep=no_sleep)
    assert len(s.requests) == 1


def test_faults_load_auth_rejected_names_the_variables_not_the_secret(store, stub, monkeypatch, caplog):
    s = stub(script=[401])
    monkeypatch.setenv("KABAR_KG_USER", "admin")
    monkeypatch.setenv("KABAR_KG_PASSWORD", SECRET)
    caplog.set_level(logging.DEBUG)
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", s.url + "/store"])
    assert result.exit_code == 2
    assert "authentication rejected (HTTP 401)" in result.output and "KABAR_KG_USER" in result.output
    assert SECRET not in result.output and SECRET not in caplog.text
    assert s.requests[0][2]["Authorization"].startswith("Basic ")


def test_faults_load_credentials_on_the_command_line_are_refused(store, stub):
    s = stub()
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint",
                                 f"http://admin:{SECRET}@127.0.0.1:{s.url.rsplit(':', 1)[1]}/store"])
    assert result.exit_code == 2 and "credentials in the URL are not accepted" in result.output
    assert SECRET not in result.output and not s.requests


def test_faults_load_bearer_token_is_sent_and_never_printed(store, stub, monkeypatch, caplog):
    s = stub(script=[503])
    monkeypatch.setenv("KABAR_KG_TOKEN", SECRET)
    caplog.set_level(logging.DEBUG)
    report = load_store(store, endpoint=s.url + "/store", sleep=no_sleep)
    assert report.retries == 1
    assert all(r[2]["Authorization"] == f"Bearer {SECRET}" for r in s.requests)
    assert SECRET not in caplog.text


def test_faults_load_server_down_is_a_clear_error(store):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]      # a port nobody listens on once closed
    with pytest.raises(LoadError, match=r"cannot reach the server after 3 tries"):
        load_store(store, endpoint=f"http://127.0.0.1:{port}/store", retries=2, sleep=no_sleep)


def test_faults_load_slow_server_times_out_and_is_retried(store, stub):
    s = stub(delay=0.6)
    with pytest.raises(LoadError, match=r"no complete answer within 0.2 s, after 2 tries"):
        load_store(store, endpoint=s.url + "/store", retries=1, timeout=0.2, sleep=no_sleep)
    s.delay = 0.0
    report = load_store(store, endpoint=s.url + "/store", timeout=5, sleep=no_sleep)
    assert report.graphs == len(store_graphs(store))


def test_faults_load_sends_each_graph_whole_and_replaced(store, stub):
    s = stub()
    load_store(store, endpoint=s.url + "/store", params={"no_transaction": ""}, sleep=no_sleep)
    methods = {r[0] for r in s.requests}
    assert methods == {"PUT"}
    assert all("graph=https%3A%2F%2Fw3id.org%2Fkabar-kg%2Fid%2Fgraph%2F" in r[1] and "no_transaction" in r[1]
               for r in s.requests)
    u = stub()
    load_store(store, update_endpoint=u.url + "/update", sleep=no_sleep)
    assert all(r[3].startswith(b"DROP SILENT GRAPH <https://w3id.org/kabar-kg/id/graph/") for r in u.requests)


def store_dir(store):
    """The directory of the module's store (for the CLI)."""
    return store_dir.path


@pytest.fixture(autouse=True, scope="module")
def _remember_store_dir(tmp_path_factory, store):
    store_dir.path = next(p for p in tmp_path_factory.getbasetemp().rglob("kabar") if p.is_dir())
