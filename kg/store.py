"""Load graphs into pyoxigraph and run SPARQL on them."""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import GraphInputError, QueryError
from .resources import QUERIES_DIR

RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
               ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML}
RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
                 "jsonld": ox.RdfFormat.JSON_LD}


def load_store(path: Path) -> ox.Store:
    """Return an in-memory store holding the RDF file at PATH (format from its extension)."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphInputError(f"{path}: unknown RDF format {path.suffix!r}; expected one of "
                              f"{', '.join(sorted(RDF_FORMATS))}")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except FileNotFoundError:
        raise GraphInputError(f"{path}: no such file") from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphInputError(f"{path}: cannot read as {fmt.name}: {exc}") from exc
    return store


def named_queries() -> dict[str, Path]:
    """The queries shipped in queries/, by name ("awards-by-municipality")."""
    return {p.stem: p for p in sorted(QUERIES_DIR.glob("*.rq"))}


def read_named_query(name: str) -> str:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries) or 'none'}")
    return queries[name].read_text(encoding="utf-8")


@dataclass
class QueryResult:
    kind: str                       # "select" | "ask" | "graph"
    variables: list[str]
    rows: list[list[str | None]]    # SELECT rows, values as plain strings
    boolean: bool | None
    raw: object                     # the pyoxigraph result (graph results), or a callable giving a fresh one

    def serialize(self, fmt: str) -> str:
        """The result as text: "table", or a SPARQL results format (csv tsv json xml) for SELECT/ASK,
        or an RDF format (ttl nt xml jsonld) for CONSTRUCT/DESCRIBE."""
        if self.kind == "graph":
            rdf = GRAPH_FORMATS.get("ttl" if fmt == "table" else fmt)
            if rdf is None:
                raise QueryError(f"graph results are written as {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
            out = io.BytesIO()
            ox.serialize(self.raw, out, rdf)
            return out.getvalue().decode("utf-8")
        if fmt == "table":
            return format_table(self.variables, self.rows) if self.kind == "select" else \
                ("true" if self.boolean else "false") + "\n"
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"unknown result format {fmt!r}; use table, {', '.join(RESULT_FORMATS)}")
        fresh = self.raw() if callable(self.raw) else self.raw   # a pyoxigraph result is read only once
        return fresh.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")


def _plain(term) -> str | None:
    if term is None:
        return None
    return term.value if hasattr(term, "value") else str(term)


def run_query(store: ox.Store, query: str) -> QueryResult:
    """Run a SPARQL query over all graphs of STORE (their union is the default graph)."""
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc
    def again():
        return store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", [], [], bool(result), again)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[_plain(sol[v]) for v in variables] for sol in result]
        return QueryResult("select", variables, rows, None, again)
    return QueryResult("graph", [], [], None, list(result))


def format_table(variables: list[str], rows: list[list[str | None]]) -> str:
    """A plain-text table with a header line, like a terminal SQL client prints."""
    cells = [[("" if v is None else str(v)).replace("\n", " ") for v in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
