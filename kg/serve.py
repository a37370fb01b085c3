"""Serve the store over HTTP with the Oxigraph server (from the `oxigraph` package): a SPARQL endpoint
and its query UI, read-only by default, bound to the loopback address.

The Oxigraph server evaluates SERVICE (and, when writable, LOAD) by calling the URL a query names, and has
no switch to turn that off (`oxigraph serve-read-only --help`, version 0.5). So unless SERVICE is allowed,
the server listens on a private loopback port behind a small front that passes every request on and
answers a SPARQL request calling another server with HTTP 403 itself."""
from __future__ import annotations

import ctypes
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .errors import KgError
from .sparql import keywords

MAX_BODY = 128 * 1024 * 1024          # the Oxigraph server's own limit on a SPARQL body
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade"}
CALLS_OUT = {"SERVICE", "LOAD"}        # SPARQL that makes the server fetch a URL
SPARQL_BODIES = {"application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded"}


def oxigraph_binary() -> str:
    """The `oxigraph` server program installed with the project (next to this Python, or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise KgError("the oxigraph server is not installed; `pip install oxigraph` (a project dependency)")
    return found


def server_command(store: Path, host: str, port: int, writable: bool) -> list[str]:
    mode = "serve" if writable else "serve-read-only"
    # the store's default graph already is the union of the article graphs: SPARQL without GRAPH reads it
    return [oxigraph_binary(), mode, "--location", str(store), "--bind", f"{host}:{port}"]


def sparql_texts(method: str, target: str, content_type: str, body: bytes) -> list[str]:
    """The SPARQL query and update texts a request to the server carries (SPARQL 1.1 Protocol, 2.1 and
    2.2): in the URL's query or update parameter, a form body, or a body of type sparql-query/update."""
    texts = []
    for key, values in urllib.parse.parse_qs(urllib.parse.urlsplit(target).query).items():
        if key in ("query", "update"):
            texts.extend(values)
    kind = content_type.split(";")[0].strip().lower()
    if method == "POST" and kind in ("application/sparql-query", "application/sparql-update"):
        texts.append(body.decode("utf-8", errors="replace"))
    elif method == "POST" and kind == "application/x-www-form-urlencoded":
        for key, values in urllib.parse.parse_qs(body.decode("utf-8", errors="replace")).items():
            if key in ("query", "update"):
                texts.extend(values)
    return texts


def calls_out(texts: list[str]) -> str | None:
    """The first keyword in TEXTS that makes the server fetch a URL (SERVICE, LOAD), if any."""
    for text in texts:
        found = CALLS_OUT.intersection(keywords(text))
        if found:
            return sorted(found)[-1]
    return None


def _limited(stream, length: int):
    """The next LENGTH bytes of STREAM, in pieces."""
    while length > 0:
        piece = stream.read(min(length, 65536))
        if not piece:
            return
        length -= len(piece)
        yield piece


def _front_handler(backend: tuple[str, int]) -> type[BaseHTTPRequestHandler]:
    class Front(BaseHTTPRequestHandler):
        """Passes each request on to the Oxigraph server, unless it asks that server to call another one."""
        protocol_version = "HTTP/1.0"     # one request per connection: the answer ends when it closes

        def log_message(self, format: str, *args) -> None:   # the server's access log is not needed
            pass

        def _refuse(self, status: int, message: str) -> None:
            data = (message + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _pass_on(self) -> None:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                return self._refuse(411, "send the request with a Content-Length")
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                return self._refuse(400, "bad Content-Length")
            content_type = self.headers.get("Content-Type", "")
            if content_type.split(";")[0].strip().lower() in SPARQL_BODIES:   # read it to look inside
                if length > MAX_BODY:
                    return self._refuse(413, f"the request body is larger than {MAX_BODY} bytes")
                body = self.rfile.read(length) if length > 0 else b""
            else:      # RDF data for the Graph Store (with --write) is passed on as it comes
                body = _limited(self.rfile, length) if length > 0 else b""
            keyword = calls_out(sparql_texts(self.command, self.path, content_type,
                                             body if isinstance(body, bytes) else b""))
            if keyword:
                return self._refuse(403, f"{keyword} is disabled on this server: it would make the server call "
                                         f"another one; start it with `kg serve --allow-service` to allow it")
            # the Host header is passed on, so that URLs the server writes name this front, not its port
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            connection = http.client.HTTPConnection(*backend, timeout=None)
            try:
                connection.request(self.command, self.path, body=body if length > 0 else None, headers=headers)
                answer = connection.getresponse()
                self.send_response_only(answer.status, answer.reason)
                for key, value in answer.getheaders():
                    if key.lower() not in HOP_BY_HOP | {"content-length"}:
                        self.send_header(key, value)
                self.send_header("Connection", "close")
                self.end_headers()
                while chunk := answer.read1(65536) if hasattr(answer, "read1") else answer.read(65536):
                    self.wfile.write(chunk)
            except OSError:
                self.close_connection = True
            finally:
                connection.close()

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _pass_on

    return Front


def _free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: ask Linux to stop it when kg ends, however kg ends (PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _relay_messages(stream) -> None:
    """Pass the server's messages on to stderr, but not its private address (users open the front's)."""
    for line in stream:
        if not line.startswith(b"Listening for requests at"):
            sys.stderr.buffer.write(line)
            sys.stderr.flush()


def _start_backend(store: Path, writable: bool, deadline: float = 30) -> tuple[subprocess.Popen, int]:
    """Start the Oxigraph server on a free loopback port and wait until it answers."""
    port = _free_loopback_port()
    cmd = server_command(store, "127.0.0.1", port, writable)
    try:
        process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_die_with_parent,
                                   start_new_session=True)   # Ctrl-C reaches kg, which stops the server
    except OSError as exc:
        raise KgError(f"cannot start {cmd[0]}: {exc.strerror}") from exc
    threading.Thread(target=_relay_messages, args=(process.stderr,), daemon=True).start()
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise KgError(f"the oxigraph server stopped at once (exit {process.returncode}); see its message above")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise KgError(f"the oxigraph server did not start within {deadline:g} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(store: Path, host: str = "127.0.0.1", port: int = 7878, writable: bool = False,
          allow_service: bool = False) -> int:
    """Serve STORE until Ctrl-C or SIGTERM; return the exit code (130 after Ctrl-C).

    With ALLOW_SERVICE, this process is replaced by the Oxigraph server (so Ctrl-C and kill reach it
    directly); returns only if it cannot be started. Otherwise the server runs behind a front that refuses
    SERVICE (and LOAD) and is stopped with kg (also when kg is killed)."""
    if not store.is_dir():
        raise KgError(f"{store}: no store here; build one with `kg build PATH --store {store}`")
    if allow_service:
        cmd = server_command(store, host, port, writable)
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            os.execv(cmd[0], cmd)
        except OSError as exc:
            raise KgError(f"cannot start {cmd[0]}: {exc.strerror}") from exc
        return 1
    try:
        front = ThreadingHTTPServer((host, port), _front_handler(("127.0.0.1", 0)))
    except OSError as exc:
        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    front.daemon_threads = True
    process, backend_port = _start_backend(store, writable)
    front.RequestHandlerClass = _front_handler(("127.0.0.1", backend_port))

    def stop(signum, frame):   # SIGTERM ends kg like Ctrl-C, so the server is stopped too
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    watcher = threading.Thread(target=lambda: (process.wait(), front.shutdown()), daemon=True)
    watcher.start()            # the server stopping on its own ends kg too
    try:
        front.serve_forever()
    except KeyboardInterrupt:
        return 130
    finally:
        front.server_close()
        _stop(process)
    return process.returncode or 1
