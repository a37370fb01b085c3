"""Send the store to a SPARQL 1.1 server: one named graph per article, each replaced (never appended).

Through the Graph Store HTTP Protocol (PUT ENDPOINT?graph=IRI), or SPARQL Update (DROP SILENT GRAPH then
INSERT DATA, in one request per graph) for stores without the protocol. Credentials come from the
environment only: KABAR_KG_TOKEN (bearer), or KABAR_KG_USER and KABAR_KG_PASSWORD (basic); no message
or log line shows them, nor the user information of a URL.

Only a 2xx answer counts as stored. A redirect is followed only to the same origin (scheme, host, port),
so credentials never travel to another server; any other 3xx fails the load. Each request has an overall
deadline (a server that trickles its answer cannot hold the load); network errors, broken answers,
deadlines and 408/425/429/5xx are retried with exponential backoff. Because each graph is replaced
whole, re-running an interrupted load ends with exactly the same server content. `verify_load` then asks
the server's SPARQL query endpoint how many triples each graph holds and compares with what was sent.

A first load can go in bulk (`kg load --bulk`): one N-Quads POST of every graph the server does not hold
yet, streamed from the store; graphs it holds are replaced one by one as above (see load_store)."""
from __future__ import annotations

import base64
import json
import logging
import os
import re
import socket
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterator, TypeVar

import httpx
import pyoxigraph as ox

from . import __version__
from .errors import KgError
from .store import store_graphs

log = logging.getLogger("kg")
T = TypeVar("T")
RETRYABLE = {408, 425, 429, 500, 502, 503, 504}
FOLLOWED = {301, 302, 307, 308}     # same-origin redirects re-sent with the same method and body
MAX_REDIRECTS = 5
MAX_WAIT = 60.0                     # seconds: the longest Retry-After honoured
ANSWER_KEPT = 16 << 20              # bytes of an answer kept (SPARQL results); the rest is read and dropped
VERIFY_BATCH = 200                  # graphs per count query

OnRetry = Callable[[int, int, str, str, float], None]   # (attempt, retries, what, why, wait)


class LoadError(KgError):
    """The server refused the data, could not be reached after retrying, or does not hold what was sent."""


class UnverifiedError(LoadError):
    """The query endpoint could not tell what the server holds (absent, refused, not SPARQL results)."""


class StoreReadError(KgError):
    """The store to send cannot be read: it is damaged."""


@dataclass
class LoadReport:
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    retries: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)   # triples sent, per graph IRI
    bulk_graphs: int = 0                                     # of GRAPHS, sent in bulk requests
    bulk_requests: int = 0                                   # N-Quads POSTs the server accepted


# ------------------------------------------------------------------ credentials

@dataclass(frozen=True)
class Credentials:
    headers: dict[str, str]
    secrets: tuple[str, ...] = ()

    def scrub(self, text: str) -> str:
        """TEXT with every secret (and its encoded form) replaced by ***, for anything a server echoes."""
        for secret in self.secrets:
            if len(secret) >= 4:
                text = text.replace(secret, "***")
        return text


def _bad_chars(value: str, allowed: Callable[[str], bool]) -> bool:
    return any(not allowed(c) for c in value)


def credentials() -> Credentials:
    """The Authorization header from the environment. A token is stripped of surrounding whitespace (a
    token file saved on Windows ends in CR LF); a value that still holds a control character is refused
    with a message that names the variable, never the value."""
    token = os.environ.get("KABAR_KG_TOKEN")
    if token is not None and token.strip():
        token = token.strip()
        if _bad_chars(token, lambda c: "\x21" <= c <= "\x7e"):
            raise KgError("KABAR_KG_TOKEN holds a space, a control character or a non-ASCII character "
                          "(the value is not shown); a bearer token is printable ASCII")
        return Credentials({"Authorization": f"Bearer {token}"}, (token,))
    user, password = os.environ.get("KABAR_KG_USER"), os.environ.get("KABAR_KG_PASSWORD")
    if user is None and password is None:
        return Credentials({})
    if user is None or password is None:
        raise KgError("set both KABAR_KG_USER and KABAR_KG_PASSWORD for basic authentication "
                      f"(only {'KABAR_KG_USER' if password is None else 'KABAR_KG_PASSWORD'} is set)")
    user, password = user.strip("\r\n"), password.strip("\r\n")   # a line ending from a file
    printable = lambda c: c >= " " and not ("\x7f" <= c <= "\x9f")
    for name, value in (("KABAR_KG_USER", user), ("KABAR_KG_PASSWORD", password)):
        if _bad_chars(value, printable):
            raise KgError(f"{name} holds a control character (the value is not shown)")
    if ":" in user:
        raise KgError("KABAR_KG_USER holds ':', which basic authentication cannot carry")
    encoded = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    return Credentials({"Authorization": f"Basic {encoded}"}, (password, encoded))


# ------------------------------------------------------------------ URLs, shown without secrets

_HOST = re.compile(r"(?:[\w.~-]+|\[[0-9A-Fa-f:.]+\])(?::\d*)?")


def _userinfo(url: str) -> tuple[int, int]:
    """(start, end) of the user information of URL ('user:password@'), or (-1, -1).

    A password may hold '#', '?' or '/', which a URL parser takes for the end of the host, so any '@'
    ends user information, unless a '/' before it follows a well-formed host (an '@' in the path)."""
    start = url.find("://")
    start = start + 3 if start >= 0 else 0
    at = url.rfind("@", start)
    if at < 0:
        return -1, -1
    authority = re.split(r"[/?#]", url[start:], maxsplit=1)[0]
    if "/" in url[start:at] and _HOST.fullmatch(authority):
        return -1, -1
    return start, at + 1


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


def _without_userinfo(url: str) -> str:
    start, end = _userinfo(url)
    return url[:start] + "***@" + url[end:] if start >= 0 else url


def redact(url: str) -> str:
    """URL with its user information replaced by ***."""
    return _printable(_without_userinfo(url))


def shown(url: str) -> str:
    """URL for messages: no user information, no query string (parameters may hold keys), no fragment."""
    return _printable(re.split(r"[?#]", _without_userinfo(url), maxsplit=1)[0])


def check_endpoint(url: str, option: str) -> str:
    """URL, if it is an http(s) URL without credentials; otherwise a KgError that shows it redacted."""
    if _userinfo(url)[0] >= 0:
        raise KgError(f"{option} {redact(url)}: credentials in the URL are not accepted (they would show in "
                      "shell history and process lists); set KABAR_KG_USER and KABAR_KG_PASSWORD, "
                      "or KABAR_KG_TOKEN")
    if _bad_chars(url, lambda c: c > " " and c != "\x7f"):
        raise KgError(f"{option} {shown(url)}: the URL holds a space or a control character")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port    # raises on a port that is not a number
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL):
        raise KgError(f"{option} {shown(url)}: not a valid URL (check the host and the port)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KgError(f"{option} {shown(url)}: expected an http:// or https:// URL")
    return url


def _origin(url: str) -> tuple[str, str, int]:
    u = httpx.URL(url)
    return u.scheme, u.host.lower(), u.port or (443 if u.scheme == "https" else 80)


def query_endpoint_for(url: str) -> str | None:
    """The SPARQL query endpoint beside a store or update endpoint, when the server is a known kind:
    Oxigraph (/store, /update -> /query), Fuseki (/DATASET/data, /DATASET/update -> /DATASET/query),
    GraphDB (/repositories/REPO/rdf-graphs/service, /repositories/REPO/statements -> /repositories/REPO)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    graphdb = re.fullmatch(r"(.*/repositories/[^/]+)/(?:rdf-graphs/service|statements)", path)
    head, _, last = path.rpartition("/")
    if graphdb:
        path = graphdb.group(1)
    elif last in ("store", "data", "update"):
        path = f"{head}/query"
    else:
        return None
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    encoded = "&".join(f"{urllib.parse.quote(k, safe='')}" + (f"={urllib.parse.quote(v, safe='')}" if v else "")
                       for k, v in query)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, encoded, parts.fragment))


# ------------------------------------------------------------------ one request, with an overall deadline

class _Deadline:
    """Ends a request that is not complete after SECONDS by shutting its socket down: httpx timeouts
    bound each read and write, not a server that trickles a byte a second."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.expired = seconds, False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: learn the socket of the connection as soon as it exists."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            with self._lock:
                self._sock = stream.get_extra_info("socket") if stream is not None else None
                if self.expired:
                    self._shutdown()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> "_Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


@dataclass
class _Answer:
    status: int
    headers: httpx.Headers
    body: bytes


class _Failed(Exception):
    """One try failed; REASON is safe to show (never a server's raw protocol bytes)."""

    def __init__(self, reason: str, retry: bool = True, unreachable: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.retry, self.unreachable = reason, retry, unreachable


def _reason(exc: Exception, timeout: float) -> _Failed:
    """A fixed phrase for a transport error: protocol errors quote the server's bytes, which may echo
    the request (and its Authorization header), so their text is never shown."""
    if isinstance(exc, httpx.ConnectTimeout):
        return _Failed(f"no connection within {timeout:g} s", unreachable=True)
    if isinstance(exc, httpx.ConnectError):
        return _Failed(_os_reason(exc) or "connection failed", unreachable=True)
    if isinstance(exc, httpx.TimeoutException):
        return _Failed(f"no complete answer within {timeout:g} s")
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc).lower()
        if "without sending a response" in text:
            return _Failed("the server closed the connection without an HTTP answer")
        if "complete message body" in text or "incomplete" in text:
            return _Failed("the connection closed before the answer was complete")
        return _Failed("the answer is not valid HTTP")
    if isinstance(exc, httpx.DecodingError):
        return _Failed("the answer could not be decoded")
    if isinstance(exc, (httpx.LocalProtocolError, httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return _Failed("the request could not be formed (check the URL and the --param values)", retry=False)
    if isinstance(exc, httpx.NetworkError):
        return _Failed(f"the connection broke ({_os_reason(exc) or type(exc).__name__})")
    return _Failed(f"the request failed ({type(exc).__name__})")


def _os_reason(exc: BaseException) -> str:
    """The operating system's words for the error under EXC (e.g. 'Connection refused'), if any."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.strerror:
            return exc.strerror
        exc = exc.__cause__ or exc.__context__
    return ""


Body = bytes | Callable[[], Iterator[bytes]] | None   # bytes, or a fresh stream of chunks per attempt


def _exchange(client: httpx.Client, method: str, url: str, body: Body, headers: dict[str, str],
              timeout: float) -> _Answer:
    """One request and its whole answer within TIMEOUT seconds, or _Failed."""
    content = body() if callable(body) else body
    with _Deadline(timeout) as deadline:
        try:
            with client.stream(method, url, content=content, headers=headers,
                               extensions={"trace": deadline.trace}) as response:
                kept = bytearray()
                for chunk in response.iter_bytes():
                    if len(kept) < ANSWER_KEPT:
                        kept += chunk[:ANSWER_KEPT - len(kept)]
                    if deadline.expired:
                        raise _Failed(f"no complete answer within {timeout:g} s")
                return _Answer(response.status_code, response.headers, bytes(kept))
        except (_Failed, KgError):   # KgError: the streamed body could not be read from the store
            raise
        except Exception as exc:   # httpx and the socket layer raise many types; each gets a plain phrase
            if deadline.expired:
                raise _Failed(f"no complete answer within {timeout:g} s") from None
            raise _reason(exc, timeout) from None


# ------------------------------------------------------------------ retries, redirects, statuses

class _Client:
    """Sends requests with credentials, retries and the rules above; shared by the load's threads."""

    def __init__(self, creds: Credentials, retries: int, backoff: float, timeout: float,
                 sleep: Callable[[float], None], on_retry: OnRetry | None, report: LoadReport | None) -> None:
        self.creds, self.retries, self.backoff, self.timeout = creds, retries, backoff, timeout
        self.sleep, self.on_retry, self.report = sleep, on_retry, report
        self.stop = threading.Event()
        # a fresh connection per request, so that the deadline always knows the socket to shut
        self.http = httpx.Client(follow_redirects=False, timeout=httpx.Timeout(timeout),
                                 limits=httpx.Limits(max_keepalive_connections=0),
                                 headers={"User-Agent": f"kabar-kg/{__version__}"})

    def close(self) -> None:
        self.http.close()

    def send(self, method: str, url: str, body: Body, headers: dict[str, str], what: str,
             timeout: float | None = None) -> _Answer:
        """The 2xx answer to METHOD URL, or LoadError; WHAT names the graph or query in messages. A callable
        BODY gives a fresh stream of chunks for each attempt; TIMEOUT replaces the client's deadline."""
        headers = {**headers, **self.creds.headers}
        attempt = hops = 0
        while True:
            started = time.monotonic()
            try:
                answer = _exchange(self.http, method, url, body, headers, timeout or self.timeout)
            except _Failed as failed:
                if not failed.retry or attempt == self.retries:
                    tries = f" after {attempt + 1} tries" if attempt else ""
                    problem = (f"cannot reach the server{tries} ({failed.reason})" if failed.unreachable
                               else f"{failed.reason}{',' if tries else ''}{tries}")
                    raise LoadError(self.creds.scrub(f"{shown(url)} ({what}): {problem}"))
                why, wait = failed.reason, self.backoff * 2 ** attempt
            else:
                log.info("%s %s (%s): HTTP %d in %.2f s", method, shown(url), what, answer.status,
                         time.monotonic() - started)
                if 200 <= answer.status < 300:
                    return answer
                if 300 <= answer.status < 400:
                    url = self._redirect(url, answer, what, hops)
                    hops += 1
                    continue
                self._refuse(url, answer, what, final=answer.status not in RETRYABLE or attempt == self.retries)
                why, wait = f"HTTP {answer.status}", self._wait(answer, attempt)
            if self.stop.is_set():
                raise LoadError(f"{shown(url)} ({what}): stopped after another request failed")
            attempt += 1
            if self.report is not None:
                self.report.retries += 1   # an int += is atomic enough under the GIL for a counter
            if self.on_retry:
                self.on_retry(attempt, self.retries, what, why, wait)
            else:
                log.warning("retry %d/%d for %s after %s", attempt, self.retries, what, why)
            self.sleep(wait)

    def _wait(self, answer: _Answer, attempt: int) -> float:
        """Backoff, or the server's Retry-After in seconds when it asks for longer (at most MAX_WAIT)."""
        wait = self.backoff * 2 ** attempt
        after = answer.headers.get("Retry-After", "").strip()
        if after.isdigit():
            wait = max(wait, min(float(after), MAX_WAIT))
        return wait

    def _redirect(self, url: str, answer: _Answer, what: str, hops: int) -> str:
        """The URL to re-send to, for a same-origin redirect that keeps method and body; else LoadError."""
        location = answer.headers.get("Location", "")
        try:
            target = str(httpx.URL(url).join(location)) if location else ""
            same = bool(target) and _origin(target) == _origin(url)
        except (httpx.InvalidURL, ValueError, TypeError):
            target, same = "", False
        to = f" to {shown(target)}" if target else ""
        if not same or answer.status not in FOLLOWED:
            hint = "; if that server is the right one, give it as the endpoint" if target and not same else ""
            raise LoadError(self.creds.scrub(
                f"{shown(url)} ({what}): the server redirected{to} (HTTP {answer.status}); not followed, so that "
                f"neither the data nor the credentials go where they were not sent: not stored{hint}"))
        if hops >= MAX_REDIRECTS:
            raise LoadError(f"{shown(url)} ({what}): more than {MAX_REDIRECTS} redirects")
        log.info("%s: redirected%s (HTTP %d), same origin: followed", shown(url), to, answer.status)
        return target

    def _refuse(self, url: str, answer: _Answer, what: str, final: bool) -> None:
        """LoadError for a 4xx/5xx answer that is not retried (or retried no more)."""
        if answer.status in (401, 403):
            raise LoadError(f"{shown(url)}: authentication rejected (HTTP {answer.status}); "
                            "check KABAR_KG_TOKEN or KABAR_KG_USER/KABAR_KG_PASSWORD")
        if not final:
            return
        text = self.creds.scrub(answer.body[:4096].decode("utf-8", "replace"))   # scrubbed before it is cut
        detail = " ".join("".join(c if c.isprintable() else " " for c in text).split())[:300]
        phrase = httpx.codes.get_reason_phrase(answer.status)
        raise LoadError(f"{shown(url)} ({what}): the server answered HTTP {answer.status} {phrase}"
                        + (f": {detail}" if detail else ""))


# ------------------------------------------------------------------ the load and its check

def _read_store(read: Callable[[], object]):
    try:
        return read()
    except (RuntimeError, OSError) as exc:   # RocksDB reports corruption as RuntimeError
        first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise StoreReadError(f"cannot read the store, it is damaged ({first}); rebuild it with "
                             "`kg build ARTICLES --store DIR`") from None


def load_store(store: ox.Store, endpoint: str | None = None, update_endpoint: str | None = None,
               params: dict[str, str] | None = None, retries: int = 5, backoff: float = 0.5,
               timeout: float = 60.0, progress: Callable[[int, int, str], None] | None = None,
               sleep: Callable[[float], None] = time.sleep, concurrency: int = 1,
               on_retry: OnRetry | None = None, bulk: bool = False,
               query_endpoint: str | None = None) -> LoadReport:
    """Send every named graph of STORE to the server; see the module docstring. TIMEOUT bounds each
    request as a whole; ON_RETRY hears of each retry (else it is logged as a warning).

    BULK (a first load): the graphs the server does not hold yet travel as one N-Quads POST to ENDPOINT
    (streamed from the store, never built whole in memory), which adds them; the graphs it already holds
    are replaced one by one as without BULK, and so are graphs with blank nodes (the ontology's), since
    a repeated POST would add their blank nodes twice. QUERY_ENDPOINT (default: derived from ENDPOINT)
    tells which graphs the server holds. A retried or re-run bulk load adds the same triples again, which
    changes nothing, so it converges like the per-graph load."""
    if bool(endpoint) == bool(update_endpoint):
        raise KgError("give exactly one of --endpoint (Graph Store Protocol) or --update-endpoint (SPARQL Update)")
    url = check_endpoint(endpoint or update_endpoint, "--endpoint" if endpoint else "--update-endpoint")
    if timeout <= 0:
        raise KgError("--timeout must be a positive number of seconds")
    if bulk and not endpoint:
        raise KgError("--bulk sends N-Quads through the Graph Store Protocol: give --endpoint, not --update-endpoint")
    check = (query_endpoint or query_endpoint_for(url)) if bulk else None
    if bulk and check is None:
        raise KgError(f"--bulk needs the server's SPARQL query endpoint to see which graphs it already holds "
                      f"(they are replaced one by one), and none is known for {shown(url)}: give --query-endpoint URL")
    if check:
        check_endpoint(check, "--query-endpoint")
    creds = credentials()
    report = LoadReport()
    start = time.perf_counter()
    graphs = _read_store(lambda: store_graphs(store))
    total = len(graphs)
    lock = threading.Lock()
    client = _Client(creds, retries, backoff, timeout, sleep, on_retry, report)
    if bulk:
        try:
            held = _held_graphs(client, check, graphs)
            separate = _send_bulk(client, store, _with_params(url, params or {}), [g for g in graphs if g not in held],
                                  report, progress, total, concurrency)
        except BaseException:
            client.close()
            raise
        report.bulk_graphs = report.graphs
        graphs = sorted(held | separate)

    def send_graph(graph: str) -> None:
        if client.stop.is_set():
            return
        data = _read_store(lambda: store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)))
        if endpoint:
            client.send("PUT", _with_params(url, {"graph": graph, **(params or {})}), data,
                        {"Content-Type": "application/n-triples"}, graph)
        else:
            update = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n".encode() + data + b"}}"
            client.send("POST", _with_params(url, params or {}), update,
                        {"Content-Type": "application/sparql-update"}, graph)
        with lock:
            report.graphs += 1
            report.counts[graph] = data.count(b"\n")
            report.triples += report.counts[graph]
            report.bytes += len(data)
            if progress:
                progress(report.graphs, total, graph)

    try:   # each graph is replaced whole and independently, so they may travel in parallel
        _in_parallel(client, send_graph, graphs, concurrency)
    finally:
        client.close()
    report.seconds = time.perf_counter() - start
    return report


BULK_CHUNK = 1 << 20        # bytes per chunk of the streamed bulk request
BULK_GRAPHS_PER_TIMEOUT = 100   # the bulk request may take --timeout per this many graphs


def _held_graphs(client: _Client, query_url: str, graphs: list[str]) -> set[str]:
    """The GRAPHS that the server behind QUERY_URL holds at least one triple of."""
    held: set[str] = set()
    for i in range(0, len(graphs), VERIFY_BATCH):
        values = " ".join(str(ox.NamedNode(g)) for g in graphs[i:i + VERIFY_BATCH])
        query = f"SELECT ?g WHERE {{ VALUES ?g {{ {values} }} FILTER EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
        answer = client.send("POST", query_url, query.encode("utf-8"),
                             {"Content-Type": "application/sparql-query",
                              "Accept": "application/sparql-results+json"}, "the query for graphs already there")
        try:
            held.update(row["g"]["value"] for row in json.loads(answer.body)["results"]["bindings"])
        except (ValueError, KeyError, TypeError):
            raise LoadError(f"{shown(query_url)}: the answer to the query for graphs already there is not "
                            f"SPARQL JSON results (HTTP {answer.status}); give --query-endpoint URL") from None
    return held


def _send_bulk(client: _Client, store: ox.Store, url: str, graphs: list[str], report: LoadReport,
               progress: Callable[[int, int, str], None] | None, total: int, concurrency: int = 1) -> set[str]:
    """POST GRAPHS to URL as N-Quads streamed from STORE, in CONCURRENCY requests sent in parallel (each a
    contiguous slice of GRAPHS); return the graphs left out (those holding blank nodes) for the per-graph
    replace. Each request's counts go to REPORT once the server said yes to it."""
    lock = threading.Lock()
    separate: set[str] = set()
    n = max(1, min(concurrency, len(graphs)))
    step = -(-len(graphs) // n) if graphs else 0
    slices = [graphs[i:i + step] for i in range(0, len(graphs), step)] if graphs else []
    done = [0] * len(slices)   # graphs read by each request's current attempt, for PROGRESS

    def send_slice(job: tuple[int, list[str]]) -> None:
        index, part = job
        sent: dict[str, int] = {}
        left: set[str] = set()
        size = [0]

        def chunks() -> Iterator[bytes]:   # called afresh for each attempt
            sent.clear()
            left.clear()
            size[0] = 0
            done[index] = 0
            buffer: list[bytes] = []
            buffered = 0
            for graph in part:
                if client.stop.is_set():
                    raise LoadError(f"bulk load of {len(part)} graph(s): stopped after another request failed")
                data = _read_store(lambda: store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)))
                if b"_:" in data:   # maybe a blank node (or "_:" in a literal): replaced on its own
                    left.add(graph)
                else:
                    # an N-Triples line ends in " .\n" and nowhere else (a literal's line break is written \n)
                    quads = data.replace(b" .\n", f" {ox.NamedNode(graph)} .\n".encode())
                    sent[graph] = data.count(b"\n")
                    size[0] += len(quads)
                    buffer.append(quads)
                    buffered += len(quads)
                if progress:
                    with lock:
                        done[index] += 1
                        progress(sum(done), total, graph)
                if buffered >= BULK_CHUNK:
                    yield b"".join(buffer)
                    buffer, buffered = [], 0
            if buffer:
                yield b"".join(buffer)

        deadline = client.timeout * max(1, -(-len(part) // BULK_GRAPHS_PER_TIMEOUT))
        client.send("POST", url, chunks, {"Content-Type": "application/n-quads"},
                    f"bulk load of {len(part)} graph(s)", timeout=deadline)
        with lock:
            report.bulk_requests += 1
            report.counts.update(sent)
            report.graphs += len(sent)
            report.triples += sum(sent.values())
            report.bytes += size[0]
            separate.update(left)

    _in_parallel(client, send_slice, list(enumerate(slices)), n)
    return separate


def _in_parallel(client: _Client, work: Callable[[T], None], items: list[T], concurrency: int) -> None:
    """WORK(item) for each of ITEMS, CONCURRENCY at a time; the first error stops the others (after their
    current request) and is raised once all have ended."""
    if concurrency <= 1:
        for item in items:
            work(item)
        return
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(work, item) for item in items]
        first_error = None
        for future in futures:
            try:
                future.result()
            except BaseException as exc:
                client.stop.set()
                first_error = first_error or exc
        if first_error is not None:
            raise first_error


def verify_load(report: LoadReport, query_endpoint: str, retries: int = 5, backoff: float = 0.5,
                timeout: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                on_retry: OnRetry | None = None) -> int:
    """Ask QUERY_ENDPOINT how many triples each graph of REPORT holds; return the number of graphs
    checked. LoadError when a count differs from what was sent (the load did not store);
    UnverifiedError when the endpoint cannot answer the question."""
    url = check_endpoint(query_endpoint, "--query-endpoint")
    client = _Client(credentials(), retries, backoff, timeout, sleep, on_retry, None)
    held: dict[str, int] = {}
    graphs = sorted(report.counts)
    try:
        for i in range(0, len(graphs), VERIFY_BATCH):
            batch = graphs[i:i + VERIFY_BATCH]
            values = " ".join(str(ox.NamedNode(g)) for g in batch)
            query = (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
                     "GROUP BY ?g")
            try:
                answer = client.send("POST", url, query.encode("utf-8"),
                                     {"Content-Type": "application/sparql-query",
                                      "Accept": "application/sparql-results+json"}, "the count query")
            except LoadError as exc:
                raise UnverifiedError(str(exc)) from None
            held.update(_counts(answer, url, client.creds))
    finally:
        client.close()
    wrong = [(g, report.counts[g], held.get(g, 0)) for g in graphs if held.get(g, 0) != report.counts[g]]
    if wrong:
        g, sent, there = wrong[0]
        raise LoadError(f"{shown(url)}: the server does not hold what was sent: {len(wrong)} of {len(graphs)} "
                        f"graph(s) differ (e.g. {g}: {there} triple(s) there, {sent} sent); the load failed")
    return len(graphs)


def _counts(answer: _Answer, url: str, creds: Credentials) -> dict[str, int]:
    """Graph IRI -> triple count from SPARQL JSON results, or UnverifiedError."""
    try:
        rows = json.loads(answer.body)["results"]["bindings"]
        return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
    except (ValueError, KeyError, TypeError):
        kind = _printable(creds.scrub(answer.headers.get("Content-Type", "no content type")).split(";")[0])[:60]
        raise UnverifiedError(f"{shown(url)}: the answer to the count query is not SPARQL JSON results "
                              f"(HTTP {answer.status}, {kind})") from None
