"""Send the store to a SPARQL 1.1 server: one named graph per article, each replaced (never appended).

Through the Graph Store HTTP Protocol (PUT ENDPOINT?graph=IRI), or SPARQL Update (DROP SILENT GRAPH then
INSERT DATA, in one request per graph) for stores without the protocol. Credentials come from the
environment only: KABAR_KG_TOKEN (bearer), or KABAR_KG_USER and KABAR_KG_PASSWORD (basic).
Network errors, timeouts and 5xx answers are retried with exponential backoff; because each graph is
replaced whole, re-running an interrupted load ends with exactly the same server content."""
from __future__ import annotations

import base64
import logging
import threading
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import pyoxigraph as ox

from .errors import KgError
from .store import store_graphs

log = logging.getLogger("kg")
RETRYABLE = {408, 425, 429, 500, 502, 503, 504}


class LoadError(KgError):
    """The server refused the data or could not be reached after retrying."""


@dataclass
class LoadReport:
    graphs: int = 0
    triples: int = 0
    bytes: int = 0
    retries: int = 0
    seconds: float = 0.0


def _auth_header() -> dict[str, str]:
    token = os.environ.get("KABAR_KG_TOKEN")
    if token:
        return {"Authorization": f"Bearer {token}"}
    user, password = os.environ.get("KABAR_KG_USER"), os.environ.get("KABAR_KG_PASSWORD")
    if user is not None and password is not None:
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
    return {}


def safe_url(url: str) -> str:
    """URL without any user:password part, for messages."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


def _send(method: str, url: str, body: bytes | None, content_type: str | None, report: LoadReport,
          retries: int, backoff: float, timeout: float, sleep: Callable[[float], None]) -> None:
    headers = {**_auth_header(), **({"Content-Type": content_type} if content_type else {})}
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
                return
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").strip()
            if exc.code in (401, 403):
                raise LoadError(f"{safe_url(url)}: authentication rejected (HTTP {exc.code}); "
                                "check KABAR_KG_TOKEN or KABAR_KG_USER/KABAR_KG_PASSWORD") from None
            if exc.code not in RETRYABLE or attempt == retries:
                raise LoadError(f"{safe_url(url)}: the server answered HTTP {exc.code} {exc.reason}"
                                + (f": {detail}" if detail else "")) from None
            why = f"HTTP {exc.code}"
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if attempt == retries:
                raise LoadError(f"{safe_url(url)}: cannot reach the server after {retries + 1} tries ({reason})") from None
            why = str(reason)
        wait = backoff * (2 ** attempt)
        report.retries += 1   # an int += is atomic enough under the GIL for a counter
        log.warning("%s: %s; retrying in %.1f s", safe_url(url), why, wait)
        sleep(wait)


def _with_params(url: str, params: dict[str, str]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    encoded = "&".join(f"{urllib.parse.quote(k, safe='')}" + (f"={urllib.parse.quote(v, safe='')}" if v else "")
                       for k, v in query)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, encoded, parts.fragment))


def load_store(store: ox.Store, endpoint: str | None = None, update_endpoint: str | None = None,
               params: dict[str, str] | None = None, retries: int = 5, backoff: float = 0.5,
               timeout: float = 60.0, progress: Callable[[int, int, str], None] | None = None,
               sleep: Callable[[float], None] = time.sleep, concurrency: int = 1) -> LoadReport:
    """Send every named graph of STORE to the server; see the module docstring."""
    if bool(endpoint) == bool(update_endpoint):
        raise KgError("give exactly one of --endpoint (Graph Store Protocol) or --update-endpoint (SPARQL Update)")
    url = endpoint or update_endpoint
    parts = urllib.parse.urlsplit(url)
    if parts.username or parts.password:
        raise KgError(f"{safe_url(url)}: credentials in the URL are not accepted (they would show in shell "
                      "history and process lists); set KABAR_KG_USER and KABAR_KG_PASSWORD, or KABAR_KG_TOKEN")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise KgError(f"{safe_url(url)}: expected an http:// or https:// endpoint URL")
    report = LoadReport()
    start = time.perf_counter()
    graphs = store_graphs(store)
    lock = threading.Lock()

    def send_graph(graph: str) -> None:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        if endpoint:
            url = _with_params(endpoint, {"graph": graph, **(params or {})})
            _send("PUT", url, data, "application/n-triples", report, retries, backoff, timeout, sleep)
        else:
            update = f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n".encode() + data + b"}}"
            _send("POST", _with_params(update_endpoint, params or {}), update, "application/sparql-update",
                  report, retries, backoff, timeout, sleep)
        with lock:
            report.graphs += 1
            report.triples += data.count(b"\n")
            report.bytes += len(data)
            if progress:
                progress(report.graphs, len(graphs), graph)

    if concurrency <= 1:
        for graph in graphs:
            send_graph(graph)
    else:   # each graph is replaced whole and independently, so they may travel in parallel
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for future in [pool.submit(send_graph, g) for g in graphs]:
                future.result()
    report.seconds = time.perf_counter() - start
    return report
