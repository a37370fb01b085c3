"""Helpers for the tests: articles from text, the shared scorer, and a local HTTP server that records what
it gets."""
from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import textwrap
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple

import pytest

from kg.articles import parse_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def make_article(body: str, title: str | None = None, dateline: str = "SURABAYA | contoh.id - ",
                 source: str = "test.txt"):
    """An Article from a body text, with a dateline so the reader finds where the body starts."""
    text = (f"{title}\n\n" if title else "") + dateline + body
    return parse_article(text, source)


def kg_after(setup: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `kg ARGS` as the console script does (kg.cli.run) in a child Python, after SETUP's lines (patches,
    hooks; dedented); its environment is this process's."""
    code = f"import sys\n{textwrap.dedent(setup)}\nsys.argv = ['kg', *{list(args)!r}]\nimport kg.cli\nkg.cli.run()\n"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def load_scorer():
    """The project's scorer, ../shared/eval/score.py (skips the test when shared/ is not beside the repo)."""
    path = SHARED / "eval" / "score.py"
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} not found: CI must have shared/ beside the clone")
        pytest.skip(f"{path} not found")
    spec = importlib.util.spec_from_file_location("kabar_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    """A port of 127.0.0.1 that nothing listens on (free when this returns)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Request(NamedTuple):
    """A request a LocalServer got."""
    method: str
    path: str
    headers: Message     # looked up by any case: headers["content-type"]
    body: bytes
    chunks: int      # the chunks of a chunked body (Transfer-Encoding: chunked), else 0


class LocalServer:
    """An HTTP server on a free port of 127.0.0.1, serving from a thread, for tests that must not reach the
    internet: it reads each request whole (a chunked body too), records it in .requests, and sends what
    answer(request) returns. Subclasses answer; the default is 204 with no body."""

    methods: tuple[str, ...] = ("GET", "POST", "PUT", "DELETE")   # others are refused (501), not recorded
    daemon_threads = False   # True: close() does not wait for requests still being answered

    def __init__(self) -> None:
        self.requests: list[Request] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                body, chunks = _request_body(self)
                request = Request(self.command, self.path, self.headers, body, chunks)
                owner.requests.append(request)
                status, data, headers = owner.answer(request)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):   # the client gave up (a timeout test)
                    pass
            def log_message(self, *args) -> None:
                pass

        for method in self.methods:
            setattr(Handler, f"do_{method}", Handler._handle)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = self.daemon_threads
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, request: Request) -> tuple[int, bytes, dict[str, str]]:
        """(status, body, headers) for REQUEST."""
        return 204, b"", {}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _request_body(handler: BaseHTTPRequestHandler) -> tuple[bytes, int]:
    """The body of the request HANDLER is reading, and its number of chunks when it is chunked."""
    if handler.headers.get("Transfer-Encoding") != "chunked":
        return handler.rfile.read(int(handler.headers.get("Content-Length") or 0)), 0
    body, chunks = b"", 0
    while (size := int(handler.rfile.readline().strip(), 16)):
        body += handler.rfile.read(size)
        handler.rfile.readline()
        chunks += 1
    handler.rfile.readline()
    return body, chunks


def token_features(tokens: list[str], i: int, lexicon) -> list[str]:
    """The CRF features of token I, made token by token: what kg.ner.sentence_features must give for each."""
    from kg.ner import SENTENCE_END, _shape, _word_sets
    sets = _word_sets(lexicon)
    w = tokens[i]
    lw = w.lower()
    f = ["bias", f"w={lw}", f"s2={lw[-2:]}", f"s3={lw[-3:]}", f"s4={lw[-4:]}", f"p2={lw[:2]}", f"p3={lw[:3]}", f"p4={lw[:4]}", f"s5={lw[-5:]}",
         f"shape={_shape(w)}", f"title={w[:1].isupper()}", f"upper={w.isupper()}", f"digit={w.isdigit()}",
         f"len={min(len(w), 8)}", f"first={i == 0}",
         f"title_inside={w[:1].isupper() and i > 0 and tokens[i - 1] not in SENTENCE_END}"]
    if i > 0:
        f.append(f"bigram={tokens[i - 1].lower()}|{lw}")
    if i + 1 < len(tokens):
        f.append(f"bigram+={lw}|{tokens[i + 1].lower()}")
    for name, words in sets.items():
        if lw.rstrip(".") in words:
            f += [f"in_{name}", f"in_{name}&title={w[:1].isupper()}"]
    for d in (-2, -1, 1, 2):
        j = i + d
        if 0 <= j < len(tokens):
            o = tokens[j]
            lo = o.lower()
            f += [f"{d}:w={lo}", f"{d}:title={o[:1].isupper()}"]
            for name, words in sets.items():
                if lo.rstrip(".") in words:
                    f.append(f"{d}:in_{name}")
        else:
            f.append(f"{d}:edge")
    return f
