"""The embedded store (pyoxigraph on disk, one named graph per article plus one for the ontology),
in-memory stores for RDF files, and SPARQL over both."""
from __future__ import annotations

import fcntl
import io
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from .errors import GraphInputError, KgError, QueryError
from .rdf import ONTOLOGY_GRAPH as ONTOLOGY_IRI
from .resources import ONTOLOGY_FILE, QUERIES_DIR

DEFAULT_STORE = Path(".kabar")
ONTOLOGY_GRAPH = str(ONTOLOGY_IRI)   # as pyoxigraph names it


def _sibling(directory: Path, suffix: str) -> Path:
    """A hidden path beside DIRECTORY: .kabar -> .kabar.lock, store -> .store.lock."""
    name = directory.name if directory.name.startswith(".") else f".{directory.name}"
    return directory.parent / f"{name}.{suffix}"


def _recover(directory: Path) -> None:
    """Finish or undo a swap that a killed build left half done: put the previous store back if the new
    one never arrived, and remove left-over half-written stores."""
    prefix = _sibling(directory, "")
    for p in sorted(directory.parent.glob(prefix.name + "old-*")):
        if not directory.exists():
            os.rename(p, directory)
        else:
            shutil.rmtree(p, ignore_errors=True)
    for p in directory.parent.glob(prefix.name + "new-*"):
        shutil.rmtree(p, ignore_errors=True)


@contextmanager
def store_lock(directory: Path) -> Iterator[None]:
    """Hold DIRECTORY's write lock; a second writer is refused at once with a clear message."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _sibling(directory, "lock")
    with open(lock_path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KgError(f"{directory}: another kg build is writing this store; "
                          "wait for it to finish or use --store for another one") from None
        try:
            _recover(directory)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_store(nquads: bytes, union: bytes, directory: Path, with_ontology: bool = True) -> int:
    """Replace the store at DIRECTORY by the article graphs NQUADS, their UNION (N-Triples) as the default
    graph, and the ontology graph; return the number of quads in the named graphs.

    The default graph is the set union of the article graphs: SPARQL without GRAPH reads each triple once
    (a union of named graphs would repeat a triple once per article that states it).

    The new store is written beside the old one and swapped in by renaming, so a build that fails or is
    killed leaves the previous store as it was. The store holds exactly the articles of this build."""
    with store_lock(directory):
        fresh = _sibling(directory, f"new-{os.getpid()}")
        old = _sibling(directory, f"old-{os.getpid()}")
        shutil.rmtree(fresh, ignore_errors=True)
        try:
            store = ox.Store(str(fresh))
            store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS)
            store.bulk_load(input=union, format=ox.RdfFormat.N_TRIPLES)
            if with_ontology:
                store.extend(ontology_quads())
            store.flush()
            count = sum(1 for q in store if isinstance(q.graph_name, ox.NamedNode))
            del store
            if directory.exists():
                os.rename(directory, old)
            os.rename(fresh, directory)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            if old.exists() and not directory.exists():
                os.rename(old, directory)
            raise
        shutil.rmtree(old, ignore_errors=True)
    return count


def to_ox(term):
    """The pyoxigraph term for an rdflib term (blank nodes keep their label)."""
    from rdflib import BNode, Literal as RLiteral, URIRef
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def ontology_quads() -> list:
    """The ontology as quads of its named graph, with canonical blank-node labels (OWL lists and axioms),
    so that two builds give byte-for-byte the same store."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph
    g = to_canonical_graph(Graph().parse(ONTOLOGY_FILE, format="turtle"))
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in g]


def open_store(directory: Path) -> ox.Store:
    """Open the store at DIRECTORY for reading."""
    if not directory.is_dir():
        raise GraphInputError(f"{directory}: no store here; build one with `kg build PATH --store {directory}`")
    try:
        return ox.Store.read_only(str(directory))
    except OSError as exc:
        raise GraphInputError(f"{directory}: cannot open the store: {exc}") from exc


def open_source(path: Path) -> ox.Store:
    """A store directory, or an RDF file loaded into memory."""
    return open_store(path) if path.is_dir() else read_rdf_file(path)


def store_graphs(store: ox.Store) -> list[str]:
    """The named graphs of STORE, sorted: one per article, and the ontology's."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))

RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
               ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML}
RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
                 "jsonld": ox.RdfFormat.JSON_LD}


def read_rdf_file(path: Path) -> ox.Store:
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


def _has_default_graph(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


XSD = "http://www.w3.org/2001/XMLSchema#"
_TRAILING_ORDER = re.compile(r"\bORDER\s+BY((?:\s+\?[A-Za-z_][A-Za-z0-9_]*)+)\s*\Z", re.IGNORECASE)
_PLAIN_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}\Z")


def _sorted(solutions: list[tuple], columns: list[int]) -> list[tuple] | None:
    """SOLUTIONS in the order SPARQL's ORDER BY gives on COLUMNS, or None when a column holds values whose
    SPARQL order Python would not reproduce exactly. Accepted: unbound (first), and in each column one
    kind of value only: IRIs, strings of one language (or none), or dates without a time zone (their
    text order is their date order); each compared by code point, as the engine does. Ties, which SPARQL
    leaves in any order, are broken by the other columns."""
    kinds: list[str | None] = [None] * len(columns)
    keyed = []
    for sol in solutions:
        key = []
        for j, i in enumerate(columns):
            term = sol[i]
            if term is None:
                key.append((0, ""))
                continue
            if type(term) is ox.NamedNode:
                kind = "iri"
            elif type(term) is ox.Literal:
                kind = term.language
                if kind is None:
                    kind = term.datatype.value
                    if kind != XSD + "string" and not (kind == XSD + "date" and _PLAIN_DATE.match(term.value)):
                        return None
            else:
                return None
            if kinds[j] != kind:
                if kinds[j] is not None:
                    return None
                kinds[j] = kind
            key.append((1, term.value))
        keyed.append((tuple(key), sol))
    keyed.sort(key=lambda pair: pair[0])
    rest = [i for i in range(len(solutions[0]) if solutions else 0) if i not in columns]
    tie_key = lambda sol: tuple((0, "") if sol[i] is None else (1, str(sol[i])) for i in rest)
    out: list[tuple] = []
    start = 0
    for k in range(1, len(keyed) + 1):
        if k == len(keyed) or keyed[k][0] != keyed[start][0]:
            run = [sol for _, sol in keyed[start:k]]
            out.extend(sorted(run, key=tie_key) if len(run) > 1 else run)
            start = k
    return out


def _values_query(variables: list[str], solutions: list[tuple]) -> str:
    """A query whose answer is SOLUTIONS in their order (no blank nodes), for the results serializers."""
    names = " ".join(f"?{v}" for v in variables)
    rows = "\n".join("(" + " ".join("UNDEF" if t is None else str(t) for t in sol) + ")" for sol in solutions)
    return f"SELECT {names} WHERE {{ VALUES ({names}) {{\n{rows}\n}} }}"


def without_order(query: str) -> tuple[str, list[str] | None]:
    """QUERY without the ORDER BY over plain variables it ends in, and those variables; else (QUERY, None)."""
    order = _TRAILING_ORDER.search(query)
    return (query[:order.start()], [v[1:] for v in order.group(1).split()]) if order else (query, None)


def sorted_solutions(result: ox.QuerySolutions, sort_by: list[str] | None, again):
    """(variables, solutions as tuples of terms, a callable giving a pyoxigraph result of them in order):
    RESULT's solutions sorted here by SORT_BY, or, when Python cannot give the engine's order, those of
    AGAIN() (the query with its ORDER BY, sorted by the engine)."""
    variables = [v.value for v in result.variables]
    solutions = [tuple(sol) for sol in result]
    if not sort_by:
        return variables, solutions, again
    ordered = _sorted(solutions, [variables.index(v) for v in sort_by]) if set(sort_by) <= set(variables) else None
    if ordered is None:
        return variables, [tuple(sol) for sol in again()], again
    def raw():   # only for the csv/tsv/json/xml writers
        if any(type(t) is ox.BlankNode for sol in ordered for t in sol):   # VALUES cannot hold them
            return again()
        return ox.Store().query(_values_query(variables, ordered))
    return variables, ordered, raw


def run_query(store: ox.Store, query: str) -> QueryResult:
    """Run a SPARQL query on STORE: its default graph (a kg store's union of the article graphs), or the
    union of its named graphs when it has no default graph (an .nq or .trig file).

    A SELECT that ends in ORDER BY over projected variables is sorted here, after the query: the on-disk
    store compares terms by reading their text from disk at every comparison, which made sorting 10,000
    rows cost a second. The order is the engine's (see _sorted; anything else is sorted by the engine)."""
    union = not _has_default_graph(store)
    bare, sort_by = without_order(query)
    def ask(text: str):
        try:
            return store.query(text, use_default_graph_as_union=union)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc
    def again():
        return ask(query)
    result = ask(bare)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", [], [], bool(result), again)
    if isinstance(result, ox.QuerySolutions):
        variables, solutions, raw = sorted_solutions(result, sort_by, again)
        rows = [[_plain(t) for t in sol] for sol in solutions]
        return QueryResult("select", variables, rows, None, raw)
    return QueryResult("graph", [], [], None, list(result))


def format_table(variables: list[str], rows: list[list[str | None]]) -> str:
    """A plain-text table with a header line, like a terminal SQL client prints."""
    cells = [[("" if v is None else str(v)).replace("\n", " ") for v in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
