"""Reports (the named queries in queries/ as readable tables and CSV) and the read-only SPARQL endpoint's
checks: a query, never an update, and no calls to other servers (SERVICE)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import QueryError
from ..rdf import PREFIXES
from ..sparql import keywords
from ..store import _is_storage_error, named_queries
from .entity import Reader, Value

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def check_read_only_query(text: str) -> None:
    """Raise QueryError unless TEXT is a query (SELECT, ASK, CONSTRUCT, DESCRIBE) calling no other server."""
    words = keywords(text)    # the bare words: not those in strings, IRIs, comments, prefixed names
    first = next((w for w in words if w not in ("BASE", "PREFIX")), "")
    if first in UPDATE_WORDS:
        raise QueryError(f"not a query: {first} is SPARQL Update, and the explorer only reads")
    if "SERVICE" in words:
        raise QueryError("the query calls another server (SERVICE), which the explorer does not do")


def prefix_block() -> str:
    """The project's prefixes as SPARQL PREFIX lines."""
    names = dict(PREFIXES, rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(names.items()))


@dataclass(frozen=True)
class Report:
    name: str
    title: str          # the query's first comment line
    text: str


def reports() -> dict[str, Report]:
    out = {}
    for name, path in named_queries().items():
        text = path.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("# ").strip())
        out[name] = Report(name, " ".join(comments), text)
    return out


@dataclass
class Table:
    variables: list[str]
    rows: list[list[Value | None]]


def _read_only_query(store: ox.Store, query: str):
    """STORE's pyoxigraph result for QUERY, which must only read; its errors as QueryError (a storage error
    passes through: the store was swapped away or is damaged, which kg.explorer.source handles)."""
    check_read_only_query(query)
    try:
        return store.query(query)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except OSError as exc:
        if _is_storage_error(exc):
            raise
        raise QueryError(f"query failed: {exc}") from None


def run_select(store: ox.Store, query: str) -> Table | bool:
    """A SELECT's answers with readable values (labels for IRIs, dates as dates), or an ASK's boolean.
    The results are read whole in this thread (pyoxigraph results stay in the thread that made them)."""
    result = _read_only_query(store, query)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("the explorer shows SELECT and ASK answers; use /query for CONSTRUCT and DESCRIBE")
    r = Reader(store)
    variables = [v.value for v in result.variables]
    rows = [[None if sol[v] is None else r.value(sol[v]) for v in variables] for sol in result]
    return Table(variables, rows)


def table_csv(table: Table) -> str:
    """TABLE as CSV with the values a reader sees (labels, dates), one header line."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(table.variables)
    for row in table.rows:
        w.writerow(["" if v is None else v.text.replace(",", "") if v.kind == "number" else v.text for v in row])
    return out.getvalue()


RESULT_TYPES = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                "application/json": ox.QueryResultsFormat.JSON,
                "application/sparql-results+xml": ox.QueryResultsFormat.XML,
                "text/csv": ox.QueryResultsFormat.CSV,
                "text/tab-separated-values": ox.QueryResultsFormat.TSV}
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
               "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}


def answer_protocol(store: ox.Store, query: str, accept: str) -> tuple[bytes, str]:
    """The answer to QUERY in the SPARQL 1.1 protocol: (body, media type) chosen by ACCEPT."""
    result = _read_only_query(store, query)
    wanted = [part.split(";")[0].strip() for part in accept.split(",")]
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        media = next((m for m in wanted if m in RESULT_TYPES), "application/sparql-results+json")
        return result.serialize(format=RESULT_TYPES[media]), media
    media = next((m for m in wanted if m in GRAPH_TYPES), "text/turtle")
    out = io.BytesIO()
    ox.serialize(result, out, GRAPH_TYPES[media])
    return out.getvalue(), media
