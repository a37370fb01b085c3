"""Faults while loading into a server: down, slow, 4xx/5xx, authentication rejected (docs/RELIABILITY.md).

A small HTTP server on a loopback port plays the misbehaving store; tests/test_store_server.py covers
the real Oxigraph server being stopped and restarted midway."""
from __future__ import annotations

import logging
import socket
import threading
import time

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KgError
from kg.load import LoadError, load_store
from kg.store import open_store, store_graphs, write_store
from tests.helpers import LocalServer, free_port

runner = CliRunner()
SECRET = "s3cr3t-p4ss"


class Stub(LocalServer):
    """Answers PUT/POST with the statuses in SCRIPT (then 204), optionally slowly; records requests.
    LOCATION and RETRY_AFTER, when set, are sent as headers."""

    methods = ("PUT", "POST")
    location: str | None = None
    retry_after: str | None = None

    def __init__(self, script=(), delay: float = 0.0) -> None:
        self.script, self.delay = list(script), delay
        super().__init__()

    def answer(self, request):
        if self.delay:
            time.sleep(self.delay)
        status, answer = self.respond(request.method, request.path, request.body)
        headers = {name: value for name, value in (("Location", self.location), ("Retry-After", self.retry_after))
                   if value is not None}
        if answer:
            headers["Content-Type"] = "application/sparql-results+json"
        return status, answer, headers

    def respond(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        return (self.script.pop(0) if self.script else 204), b""


@pytest.fixture(scope="module")
def store(tmp_path_factory, seeds_build):
    directory = tmp_path_factory.mktemp("load") / "kabar"
    write_store(seeds_build.nquads, seeds_build.union_ntriples, directory)
    store_dir.path = directory
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
    port = free_port()
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
    assert all("graph=https%3A%2F%2Fw3id.org%2Fkabar-kg%2F" in r[1] and "no_transaction" in r[1]
               for r in s.requests)
    u = stub()
    load_store(store, update_endpoint=u.url + "/update", sleep=no_sleep)
    assert all(r[3].startswith(b"DROP SILENT GRAPH <https://w3id.org/kabar-kg/") for r in u.requests)


def store_dir(store):
    """The directory of the module's store (for the CLI)."""
    return store_dir.path


# ------------------------------------------------------------------ servers that misbehave below HTTP

class RawServer:
    """A loopback server that reads one request per connection and answers with ANSWER(conn, request):
    trickled, cut or non-HTTP answers that http.server cannot produce. Records the raw requests."""

    def __init__(self, answer) -> None:
        self.answer, self.requests = answer, []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(20)
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while len(body) < length:
                    body += conn.recv(65536)
                self.requests.append(head + b"\r\n\r\n" + body)
                self.answer(conn, head + b"\r\n\r\n" + body)
            except OSError:
                pass

    def close(self) -> None:
        self.sock.close()


def trickle_body(conn, request):
    """A 200 whose body comes one byte every 0.2 s (for at most 15 s, so a missing deadline fails the
    test instead of hanging it)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
    for _ in range(75):
        conn.sendall(b".")
        time.sleep(0.2)


def trickle_headers(conn, request):
    """Headers one byte every 0.2 s, never ending within 15 s."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    for _ in range(75):
        conn.sendall(b"a")
        time.sleep(0.2)


def cut_body(conn, request):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")


def not_http(conn, request):
    """An SSH server's banner, then the connection closed."""
    conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")


def not_http_lines(conn, request):
    conn.sendall(b"220 mail.example ESMTP\r\n\r\n")


def echo_request(conn, request):
    """A broken proxy that sends the request back, Authorization header included."""
    conn.sendall(request)


def echo_in_400(conn, request):
    """A server that quotes the credentials it refused, then the request, in its error page."""
    head = request.partition(b"\r\n\r\n")[0]
    auth = [line for line in head.split(b"\r\n") if line.lower().startswith(b"authorization:")]
    body = b"bad request from " + b"".join(auth) + b"; you sent:\n" + head
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: %d\r\n\r\n" % len(body) + body)


def no_answer(conn, request):
    conn.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def raw():
    servers = []
    def make(answer):
        servers.append(RawServer(answer))
        return servers[-1]
    yield make
    for s in servers:
        s.close()


@pytest.mark.parametrize("answer, message", [
    (trickle_body, r"no complete answer within 1 s, after 2 tries"),
    (trickle_headers, r"no complete answer within 1 s, after 2 tries"),
])
def test_faults_load_trickling_server_is_held_to_the_overall_deadline(store, raw, answer, message):
    s = raw(answer)
    started = time.monotonic()
    with pytest.raises(LoadError, match=message) as error:
        load_store(store, endpoint=s.url + "/store", retries=1, timeout=1, sleep=no_sleep)
    assert time.monotonic() - started < 10          # about 2 s; without the deadline about 30 s
    assert str(error.value).startswith(s.url + "/store (https://w3id.org/kabar-kg/")
    assert len(s.requests) == 2


@pytest.mark.parametrize("answer, message", [
    (cut_body, "the connection closed before the answer was complete"),
    (not_http, "the server closed the connection without an HTTP answer"),
    (not_http_lines, "the answer is not valid HTTP"),
    (no_answer, "the server closed the connection without an HTTP answer"),
])
def test_faults_load_broken_answers_are_retried_then_a_clear_error(store, raw, answer, message):
    s = raw(answer)
    with pytest.raises(LoadError, match=f"{message}, after 3 tries"):
        load_store(store, endpoint=s.url + "/store", retries=2, sleep=no_sleep)
    assert len(s.requests) == 3


def test_faults_load_broken_answer_through_the_cli_is_one_line_without_traceback(store, raw):
    s = raw(cut_body)
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", s.url + "/store",
                                 "--retries", "1"])
    assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"kg: retry 1/1 for https://w3id.org/kabar-kg/" in result.output   # shown without -v
    assert "kg: error: " + s.url + "/store (" in result.output


def test_faults_load_retries_are_shown_without_verbose(store, stub):
    s = stub(script=[503, 503])
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", s.url + "/store"])
    retries = [ln for ln in result.output.splitlines() if ln.startswith("kg: retry")]
    assert retries[0].startswith("kg: retry 1/5 for https://w3id.org/kabar-kg/")
    assert "after HTTP 503" in retries[0] and retries[1].startswith("kg: retry 2/5 for ")


def test_faults_load_retry_after_is_honoured(store, stub):
    s = stub(script=[429])
    s.retry_after = "3"
    waits = []
    load_store(store, endpoint=s.url + "/store", sleep=waits.append)
    assert waits == [3.0]


# ------------------------------------------------------------------ redirects and loads that did not store

class Redirector(Stub):
    """Answers every request with STATUS and a Location header."""

    def __init__(self, status: int, location: str) -> None:
        super().__init__(script=[status] * 1000)
        self.location = location


@pytest.fixture
def redirector(stub):
    made = []
    def make(status, location):
        made.append(Redirector(status, location))
        return made[-1]
    yield make
    for r in made:
        r.close()


def test_faults_load_redirect_to_another_origin_is_not_followed(store, stub, redirector, monkeypatch):
    monkeypatch.setenv("KABAR_KG_TOKEN", SECRET)
    elsewhere = stub()
    r = redirector(307, elsewhere.url + "/store")
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", r.url + "/store"])
    assert result.exit_code == 2 and "loaded" not in result.output
    assert f"the server redirected to {elsewhere.url}/store (HTTP 307); not followed" in result.output
    assert not elsewhere.requests                       # neither the data nor the token went there
    assert SECRET not in result.output


def test_faults_load_same_origin_redirect_is_followed_with_the_body(store, stub):
    s = stub(script=[308])
    s.location = "/store2"
    report = load_store(store, endpoint=s.url + "/store", sleep=no_sleep)
    assert report.graphs == len(store_graphs(store))
    assert s.requests[1][0] == "PUT" and s.requests[1][1].startswith("/store2") and s.requests[1][3]


@pytest.mark.parametrize("status", [303, 304, 300])
def test_faults_load_other_3xx_fail(store, stub, status):
    s = stub(script=[status])
    s.location = "/elsewhere"
    with pytest.raises(LoadError, match=f"redirected.*HTTP {status}.*not followed.*not stored"):
        load_store(store, endpoint=s.url + "/store", sleep=no_sleep)


class Memory(Stub):
    """A server that keeps PUT graphs (their triple counts) and answers the count query on /query; LOSE
    makes it accept PUTs with 204 and store nothing (a proxy that swallows writes)."""

    def __init__(self, lose: bool = False) -> None:
        self.lose, self.held = lose, {}
        super().__init__()

    def respond(self, method: str, path: str, body: bytes) -> tuple[int, bytes]:
        import json
        import re
        import urllib.parse
        if path.startswith("/query"):
            asked = re.findall(r"<([^>]+)>", body.decode())
            rows = [{"g": {"type": "uri", "value": g}, "n": {"type": "literal", "value": str(self.held[g])}}
                    for g in asked if g in self.held]
            return 200, json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": rows}}).encode()
        if not self.lose:
            if method == "PUT":
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)["graph"][0]
                self.held[graph] = body.count(b"\n")
            else:
                graph = re.search(rb"GRAPH <([^>]+)> ;", body).group(1).decode()
                self.held[graph] = body.count(b"\n") - 2   # the DROP and INSERT lines
        return 204, b""


def test_faults_load_that_stored_nothing_is_a_failure(store, monkeypatch):
    m = Memory(lose=True)
    try:
        result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", m.url + "/store"])
    finally:
        m.close()
    assert result.exit_code == 2
    assert f"{m.url}/query: the server does not hold what was sent: 4 of 4 graph(s) differ" in result.output
    assert "loaded" not in result.output


def test_faults_load_counts_checked_on_the_query_endpoint(store):
    m = Memory()
    try:
        result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", m.url + "/store"])
    finally:
        m.close()
    assert result.exit_code == 0, result.output
    assert "loaded 4 graph(s)" in result.output and "verified" in result.output and "unverified" not in result.output
    assert sum(m.held.values()) == int(result.output.split(", ")[1].split()[0])


def test_faults_load_without_a_known_query_endpoint_says_unverified(store, stub):
    s = stub()
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", s.url + "/graphs"])
    assert result.exit_code == 0 and "loaded 4 graph(s)" in result.output
    assert "kg: warning: the load is unverified: no query endpoint is known" in result.output
    s2 = stub()    # a derived /query that does not answer SPARQL results
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", s2.url + "/store"])
    assert result.exit_code == 0 and "unverified" in result.output and "not SPARQL JSON results" in result.output
    s3 = stub()    # given explicitly, an endpoint that cannot answer is an error
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", s3.url + "/store",
                                 "--query-endpoint", s3.url + "/sparql"])
    assert result.exit_code == 2 and "not SPARQL JSON results" in result.output


# ------------------------------------------------------------------ credentials: checked, never shown

def test_faults_load_token_saved_on_windows_is_stripped(store, stub, monkeypatch):
    s = stub()
    monkeypatch.setenv("KABAR_KG_TOKEN", f" {SECRET}\r\n")
    load_store(store, endpoint=s.url + "/store", sleep=no_sleep)
    assert all(r[2]["Authorization"] == f"Bearer {SECRET}" for r in s.requests)


@pytest.mark.parametrize("variable, value", [("KABAR_KG_TOKEN", f"{SECRET}\rX"), ("KABAR_KG_TOKEN", f"a{SECRET}\n b"),
                                             ("KABAR_KG_TOKEN", f"{SECRET}é"), ("KABAR_KG_PASSWORD", f"{SECRET}\x1b[0m")])
def test_faults_load_bad_credentials_are_refused_without_echo(store, stub, monkeypatch, variable, value):
    s = stub()
    monkeypatch.setenv("KABAR_KG_USER", "admin")
    monkeypatch.setenv(variable, value)
    if variable == "KABAR_KG_PASSWORD":
        monkeypatch.delenv("KABAR_KG_TOKEN", raising=False)
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", s.url + "/store"])
    assert result.exit_code == 2 and f"kg: error: {variable} holds" in result.output
    assert SECRET not in result.output and "Traceback" not in result.output and not s.requests


def test_faults_load_half_of_basic_credentials_is_an_error(store, stub, monkeypatch):
    monkeypatch.setenv("KABAR_KG_USER", "admin")
    monkeypatch.delenv("KABAR_KG_PASSWORD", raising=False)
    with pytest.raises(KgError, match="set both KABAR_KG_USER and KABAR_KG_PASSWORD"):
        load_store(store, endpoint=stub().url + "/store", sleep=no_sleep)


@pytest.mark.parametrize("userinfo", [f"admin:{SECRET}#x", f"admin:p#{SECRET}", f"admin:{SECRET}?q",
                                      f"admin:a/{SECRET}", f"{SECRET}#tok", f"admin:{SECRET}"])
def test_faults_load_url_with_credentials_is_refused_and_redacted(store, userinfo):
    for option in ("--endpoint", "--update-endpoint", "--query-endpoint"):
        args = ["load", "--store", str(store_dir(store)), option, f"http://{userinfo}@127.0.0.1:9/store"]
        if option == "--query-endpoint":
            args += ["--endpoint", "http://127.0.0.1:9/store"]
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert SECRET not in result.output
    assert "http://***@127.0.0.1:9/store: credentials in the URL are not accepted" in \
        runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint",
                            f"http://{userinfo}@127.0.0.1:9/store"]).output


@pytest.mark.parametrize("url, message", [("http://127.0.0.1:99999/store", "not a valid URL"),
                                          ("http://127.0.0.1:port/store", "not a valid URL"),
                                          ("http://[::1/store", "not a valid URL"),
                                          ("ftp://127.0.0.1/store", "expected an http:// or https:// URL"),
                                          ("http://127.0.0.1/st ore", "space or a control character")])
def test_faults_load_bad_urls_are_one_line_errors(store, url, message):
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", url])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


CANARY = "CANARY-9f3b2c71"


def canary_paths(stub, raw, redirector):
    """(name, endpoint URL, extra arguments; "--update-endpoint" first for that protocol) for every way a
    load can go: success, each error kind, retries."""
    ok = Memory()
    other = stub()
    echo = raw(echo_in_400)
    return echo, [
        ("success", ok.url + "/store", []),
        ("update-success", ok.url + "/update", ["--update-endpoint"]),
        ("retries-then-success", stub(script=[503, 502]).url + "/store", []),
        ("gives-up", stub(script=[500] * 10).url + "/store", ["--retries", "1"]),
        ("auth-rejected", stub(script=[401]).url + "/store", []),
        ("4xx", stub(script=[400]).url + "/store", []),
        ("echo-in-400", echo.url + "/store", []),
        ("echo-as-answer", raw(echo_request).url + "/store", ["--retries", "1"]),
        ("not-http", raw(not_http).url + "/store", ["--retries", "1"]),
        ("cut-body", raw(cut_body).url + "/store", ["--retries", "1"]),
        ("trickle", raw(trickle_body).url + "/store", ["--retries", "1", "--timeout", "0.5"]),
        ("redirect-elsewhere", redirector(307, other.url + "/store").url + "/store", []),
        ("stored-nothing", Memory(lose=True).url + "/store", []),
        ("unreachable", f"http://127.0.0.1:{free_port()}/store", ["--retries", "1"]),
        ("url-credentials", f"http://admin:{CANARY}#?@127.0.0.1:9/store", []),
        ("url-credentials-query", "http://127.0.0.1:9/store", ["--query-endpoint", f"http://u:{CANARY}@h/q"]),
    ]


@pytest.mark.parametrize("auth", ["token-crlf", "basic"])
def test_faults_load_canary_secret_never_appears_in_any_output(store, stub, raw, redirector, monkeypatch,
                                                                caplog, auth):
    import base64
    if auth == "token-crlf":
        monkeypatch.setenv("KABAR_KG_TOKEN", CANARY + "\r\n")
        sent = f"Bearer {CANARY}".encode()
    else:
        monkeypatch.delenv("KABAR_KG_TOKEN", raising=False)
        monkeypatch.setenv("KABAR_KG_USER", "admin")
        monkeypatch.setenv("KABAR_KG_PASSWORD", CANARY)
        sent = b"Basic " + base64.b64encode(f"admin:{CANARY}".encode())
    caplog.set_level(logging.DEBUG)
    echo, paths = canary_paths(stub, raw, redirector)
    for name, url, extra in paths:
        option = "--update-endpoint" if extra[:1] == ["--update-endpoint"] else "--endpoint"
        extra = [e for e in extra if e != "--update-endpoint"]
        result = runner.invoke(app, ["-v", "load", "--store", str(store_dir(store)), option, url] + extra)
        assert "Traceback" not in result.output, name
        assert CANARY not in result.output, name
        assert result.exit_code == (0 if "success" in name else 2), (name, result.output)
        if name == "retries-then-success":
            assert "kg: retry 2/5 for " in result.output
    assert CANARY not in caplog.text and "HTTP 401" in caplog.text     # -v lines were captured
    assert any(sent in r for r in echo.requests)    # the secret went out and came back: it was scrubbed


def test_faults_load_canary_never_on_the_real_terminal_with_verbose(store, raw, stub):
    """The same through a real process: everything it writes to stdout and stderr with -v."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    kg = Path(sys.executable).parent / "kg"
    m = Memory()
    try:
        for url, extra in [(m.url + "/store", []), (raw(echo_in_400).url + "/store", []),
                           (stub(script=[503]).url + "/store", ["--retries", "1"]),
                           (raw(echo_request).url + "/store", ["--retries", "0"])]:
            env = {**os.environ, "KABAR_KG_TOKEN": CANARY + "\r\n"}
            done = subprocess.run([str(kg), "-v", "load", "--store", str(store_dir(store)), "--endpoint", url,
                                   *extra], env=env, capture_output=True, text=True, timeout=60)
            assert CANARY not in done.stdout + done.stderr
            assert "Traceback" not in done.stderr
            assert done.stderr.startswith("kg: ")       # -v logs reached the terminal
    finally:
        m.close()


# ------------------------------------------------------------------ a damaged store

def damaged_copy(tmp_path, where: str):
    """A copy of the module's store with bytes overwritten in its table files: their properties block
    (the store does not open) or their first data block (it opens, reading fails)."""
    import shutil
    copy = tmp_path / "damaged"
    shutil.copytree(store_dir.path, copy)
    for sst in sorted(copy.glob("*.sst")):
        data = bytearray(sst.read_bytes())
        span = slice(20, 40) if where == "data" else slice(len(data) - 400, len(data) - 60)
        data[span] = b"X" * len(data[span])
        sst.write_bytes(bytes(data))
    return copy


@pytest.mark.parametrize("where", ["data", "tail"])
def test_faults_load_damaged_store_says_rebuild(tmp_path, stub, where):
    s = stub()
    copy = damaged_copy(tmp_path, where)
    result = runner.invoke(app, ["load", "--store", str(copy), "--endpoint", s.url + "/store"])
    assert result.exit_code == 2, result.output
    assert f"kg: error: {copy}: cannot" in result.output and "damaged" in result.output
    assert f"rebuild it with `kg build ARTICLES --store {copy}`" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, RuntimeError)


# ------------------------------------------------------------------ against a real Oxigraph server

@pytest.fixture
def oxigraph(tmp_path):
    from tests.test_store_server import OxigraphServer
    server = OxigraphServer(tmp_path / "server").start()
    yield server
    server.stop()


@pytest.mark.parametrize("option, path", [("--endpoint", "/store"), ("--update-endpoint", "/update")])
def test_faults_load_into_oxigraph_is_verified_by_its_counts(store, oxigraph, option, path):
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), option, oxigraph.url + path])
    assert result.exit_code == 0, result.output
    assert f"verified: the server holds the same triple counts in 4 graph(s) ({oxigraph.url}/query)" in result.output
    assert len(oxigraph.quads()) == sum(1 for q in store if q.graph_name != ox.DefaultGraph())


def test_faults_load_redirect_in_front_of_oxigraph_stores_nothing_and_says_so(store, oxigraph, redirector,
                                                                              monkeypatch):
    """The reported case: a front that redirects writes to the real server on another port."""
    monkeypatch.setenv("KABAR_KG_TOKEN", SECRET)
    front = redirector(307, oxigraph.url + "/store")
    result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", front.url + "/store"])
    assert result.exit_code == 2 and "loaded" not in result.output
    assert "not followed" in result.output and not oxigraph.quads()


def test_faults_load_swallowed_writes_are_caught_by_the_real_query_endpoint(store, oxigraph):
    lost = Memory(lose=True)
    try:
        result = runner.invoke(app, ["load", "--store", str(store_dir(store)), "--endpoint", lost.url + "/store",
                                     "--query-endpoint", oxigraph.url + "/query"])
    finally:
        lost.close()
    assert result.exit_code == 2
    assert f"{oxigraph.url}/query: the server does not hold what was sent: 4 of 4 graph(s) differ" in result.output


@pytest.mark.parametrize("endpoint, query", [
    ("http://127.0.0.1:7878/store", "http://127.0.0.1:7878/query"),
    ("http://127.0.0.1:7878/update", "http://127.0.0.1:7878/query"),
    ("http://localhost:3030/kabar/data?x=1", "http://localhost:3030/kabar/query"),
    ("https://db.example/repositories/kabar/rdf-graphs/service", "https://db.example/repositories/kabar"),
    ("https://db.example/repositories/kabar/statements", "https://db.example/repositories/kabar"),
    ("https://db.example/graphs", None)])
def test_faults_load_query_endpoint_derived_for_known_servers(endpoint, query):
    from kg.load import query_endpoint_for
    assert query_endpoint_for(endpoint) == query


@pytest.mark.parametrize("url, expected", [
    (f"http://admin:{SECRET}@h:1/store", "http://***@h:1/store"),
    (f"http://admin:p#{SECRET}@h/store", "http://***@h/store"),
    (f"http://admin:{SECRET}?@h/store?graph=x", "http://***@h/store"),
    (f"http://admin:a/{SECRET}@h/store", "http://***@h/store"),
    (f"http://{SECRET}#@h/store", "http://***@h/store"),
    ("http://h:1/store?key=abc#frag", "http://h:1/store"),
    ("http://h/people/a@b", "http://h/people/a@b"),          # an '@' in the path is not user information
    ("http://h/st\nore", "http://h/st?ore")])
def test_faults_load_urls_are_shown_without_secrets(url, expected):
    from kg.load import shown
    assert shown(url) == expected


def test_faults_load_secret_cut_by_the_shown_excerpt_is_not_shown_in_part(store, raw, monkeypatch):
    """A server's error text is shown up to 300 characters: a secret across that cut shows no prefix."""
    def echo_across_the_cut(conn, request):
        head = request.partition(b"\r\n\r\n")[0]
        auth = next(line for line in head.split(b"\r\n") if line.lower().startswith(b"authorization:"))
        body = b"x" * (294 - len(b"Authorization: Bearer ")) + auth     # the token starts 6 before the cut
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    monkeypatch.setenv("KABAR_KG_TOKEN", CANARY)
    s = raw(echo_across_the_cut)
    with pytest.raises(LoadError, match="HTTP 400") as error:
        load_store(store, endpoint=s.url + "/store", sleep=no_sleep)
    assert "Bearer ***" in str(error.value) and CANARY[:5] not in str(error.value)
