"""The embedded store (pyoxigraph on disk, one named graph per article plus one for the ontology),
in-memory stores for RDF files, and SPARQL over both."""
from __future__ import annotations

import fcntl
import io
import json
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
from .sparql import check_query, run_with_deadline
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


def no_store_error(directory: Path) -> GraphInputError:
    return GraphInputError(f"{directory}: no store here; build one with `kg build PATH --store {directory}`")


def damaged_store_error(directory: Path, exc: BaseException, opening: bool = False) -> GraphInputError:
    """The error for a store that RocksDB cannot open or read: which store, RocksDB's reason, and what to
    do (the same words as `kg load`)."""
    reason = " ".join(str(exc).split())[:300] or type(exc).__name__
    return GraphInputError(f"{directory}: cannot {'open' if opening else 'read'} the store, it is damaged "
                           f"({reason}); rebuild it with `kg build ARTICLES --store {directory}`")


def open_store(directory: Path) -> ox.Store:
    """Open the store at DIRECTORY for reading; a missing or damaged store is a GraphInputError that says
    to build (or rebuild) it. Reads may still find damage later: wrap them in `reading_store`."""
    if not directory.is_dir() or not any(directory.iterdir()):
        raise no_store_error(directory)
    try:
        return ox.Store.read_only(str(directory))
    except (OSError, RuntimeError) as exc:   # RocksDB: "Corruption: ...", "IO error: ..."
        raise damaged_store_error(directory, exc, opening=True) from exc


def _is_storage_error(exc: BaseException) -> bool:
    """Whether EXC comes from RocksDB (pyoxigraph raises RuntimeError, or OSError with RocksDB's status)."""
    return isinstance(exc, RuntimeError) or str(exc).startswith(("Corruption:", "IO error:"))


@contextmanager
def reading_store(directory: Path | None) -> Iterator[None]:
    """Turn damage that RocksDB finds while the store at DIRECTORY is read (a block checksum mismatch in
    the middle of a query or an export) into a clear error; DIRECTORY None reads an in-memory store."""
    try:
        yield
    except (OSError, RuntimeError) as exc:
        if directory is None or not _is_storage_error(exc):
            raise
        raise damaged_store_error(directory, exc) from exc


def open_source(path: Path) -> ox.Store:
    """A store directory, or an RDF file loaded into memory."""
    if path.is_dir():
        return open_store(path)
    if not path.exists() and path.suffix.lower() not in RDF_FORMATS:
        raise no_store_error(path)
    return read_rdf_file(path)


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
    if path.exists() and not path.is_file():     # a FIFO or a device would block or never end
        raise GraphInputError(f"{path}: not a regular file")
    store = ox.Store()
    try:
        if fmt == ox.RdfFormat.JSON_LD:           # contexts given by value: nothing is fetched (kg.jsonld)
            from .jsonld import read_jsonld
            store.bulk_load(input=json.dumps(read_jsonld(path)).encode("utf-8"), format=fmt,
                            base_iri=path.absolute().as_uri())
        else:
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


def run_query(store: ox.Store, query: str, allow_service: bool = False) -> QueryResult:
    """Run a SPARQL query on STORE: its default graph (a kg store's union of the article graphs), or the
    union of its named graphs when it has no default graph (an .nq or .trig file).

    An update is refused, and so is a query that calls another server (SERVICE) unless ALLOW_SERVICE.
    Errors from RocksDB pass through (see `reading_store`)."""
    check_query(query, allow_service)
    union = not _has_default_graph(store)
    def again():
        return store.query(query, use_default_graph_as_union=union)
    try:
        result = again()
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", [], [], bool(result), again)
        if isinstance(result, ox.QuerySolutions):      # solutions are computed while they are read
            variables = [v.value for v in result.variables]
            rows = [[_plain(sol[v]) for v in variables] for sol in result]
            return QueryResult("select", variables, rows, None, again)
        return QueryResult("graph", [], [], None, list(result))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:   # a SERVICE call that failed, or the store (left to reading_store)
        if _is_storage_error(exc):
            raise
        raise QueryError(f"query failed: {_redacted(exc)}") from exc


def _redacted(exc: BaseException) -> str:
    """EXC's message on one line, without any password in a URL it names (a SERVICE endpoint)."""
    return re.sub(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@", r"\1***@", " ".join(str(exc).split()))[:300]


def answer_query(source: Path, query: str, fmt: str = "table", timeout: float | None = None,
                 allow_service: bool = False) -> str:
    """The answer to QUERY on SOURCE (a store directory or an RDF file) as text in FMT (see
    QueryResult.serialize). Reading SOURCE, running the query and writing the answer all count towards
    TIMEOUT seconds (QueryTimeout), and Ctrl-C stops them at once (KeyboardInterrupt)."""
    check_query(query, allow_service)
    def work() -> str:
        store = open_source(source)
        with reading_store(source if source.is_dir() else None):
            result = run_query(store, query, allow_service)
            try:
                return result.serialize(fmt)
            except OSError as exc:
                if _is_storage_error(exc):
                    raise
                raise QueryError(f"query failed: {_redacted(exc)}") from exc
    return run_with_deadline(work, timeout)


def format_table(variables: list[str], rows: list[list[str | None]]) -> str:
    """A plain-text table with a header line, like a terminal SQL client prints."""
    cells = [[("" if v is None else str(v)).replace("\n", " ") for v in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
