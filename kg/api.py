"""The library in a few calls, for notebooks and scripts (re-exported by `import kg`):

    >>> import kg
    >>> result = kg.build("seeds")                      # doctest: +SKIP
    >>> rows = kg.query(result, "SELECT ?name WHERE { ?m a kg:Municipality ; rdfs:label ?name }")  # doctest: +SKIP
    >>> rows.to_dataframe()                              # doctest: +SKIP

Every path may be a `str` or a `pathlib.Path`. These are thin wrappers over kg.pipeline, kg.store,
kg.export and kg.tables; errors are KgError subclasses with a message that names the file."""
from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Union

from .errors import KgError

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Graph
    from .pipeline import BuildResult

PathLike = Union[str, "os.PathLike[str]"]
DEFAULT_STORE = ".kabar"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                    "positiveInteger", "nonPositiveInteger", "negativeInteger",
                                    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}
# the prefixes of the project's graphs, declared for every query given to kg.query (a query may redeclare them)
_PREFIXES = {
    "kg": "https://w3id.org/kabar-kg/ontology#", "kgid": "https://w3id.org/kabar-kg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": _XSD, "schema": "https://schema.org/", "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#", "org": "http://www.w3.org/ns/org#",
}


def _paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


class Rows(list):
    """The answer to a SELECT query: a list of dicts (variable -> Python value, None when unbound), in the
    order of the query's solutions. IRIs are strings; literals become int, float, bool, datetime.date or
    datetime.datetime by their datatype, other literals strings. `variables` names the columns."""

    def __init__(self, variables: list[str], rows: Iterable[dict]) -> None:
        super().__init__(rows)
        self.variables = list(variables)

    def records(self) -> list[dict]:
        """The rows as plain dicts (what pandas.DataFrame.from_records, csv.DictWriter and json take)."""
        return [dict(r) for r in self]

    def to_dataframe(self):
        """The rows as a pandas DataFrame with one column per variable (pandas is imported only here)."""
        try:
            import pandas as pd
        except ImportError:
            raise KgError("to_dataframe needs pandas: pip install pandas (or use .records())") from None
        return pd.DataFrame.from_records(self.records(), columns=self.variables)

    def __repr__(self) -> str:
        return f"Rows({len(self)} row(s) of {', '.join(self.variables) or 'no variable'})"


def to_python(term: object) -> object:
    """A pyoxigraph term as a Python value (see Rows)."""
    import pyoxigraph as ox
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        dt, value = term.datatype.value, term.value
        try:
            if dt in _INTEGERS:
                return int(value)
            if dt in _FLOATS:
                return float(value)
            if dt == f"{_XSD}boolean":
                return value.strip() in ("true", "1")
            if dt == f"{_XSD}date":
                return _dt.date.fromisoformat(value)
            if dt == f"{_XSD}dateTime":
                return _dt.datetime.fromisoformat(value)
        except ValueError:   # a lexical form Python does not read (a date with a zone): the text as written
            return value
        return value
    return str(term)


def _memory_store(result: "BuildResult") -> "ox.Store":
    """An in-memory store of a build: its article graphs, and their union as the default graph."""
    import pyoxigraph as ox
    store = ox.Store()
    store.bulk_load(input=result.nquads, format=ox.RdfFormat.N_QUADS)
    store.bulk_load(input=result.union_ntriples, format=ox.RdfFormat.N_TRIPLES)
    return store


def _rdflib_store(data: "Graph") -> "ox.Store":
    import pyoxigraph as ox
    from rdflib import Dataset
    store = ox.Store()
    if isinstance(data, Dataset):
        store.bulk_load(input=data.serialize(format="nquads").encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    else:
        store.bulk_load(input=data.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _source_store(source) -> tuple["ox.Store", Path | None]:
    """SOURCE as a pyoxigraph store, and the store folder it was opened from (None: in memory)."""
    import pyoxigraph as ox
    from rdflib import Graph
    from .pipeline import BuildResult
    from .store import open_source
    if isinstance(source, ox.Store):
        return source, None
    if isinstance(source, BuildResult):
        return _memory_store(source), None
    if isinstance(source, Graph):
        return _rdflib_store(source), None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return open_source(path), path if path.is_dir() else None
    raise TypeError(f"kg: cannot query a {type(source).__name__}; give a store folder or an RDF file "
                    "(str or Path), a build result, a pyoxigraph Store or an rdflib Graph")


def _with_prefixes(sparql: str) -> str:
    """SPARQL with the project's prefixes declared before it (a query's own PREFIX lines still win)."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in _PREFIXES.items()) + sparql


def build(paths: PathLike | Iterable[PathLike], output: PathLike | None = None, store: PathLike | None = None,
          *, workers: int = 1, progress: Callable[..., None] | None = None) -> "BuildResult":
    """Build and validate the knowledge graph of the articles under PATHS (files or folders).

    With OUTPUT, write the graph there (format from the extension: .ttl .nt .nq .trig .jsonld .rdf); with
    STORE, replace that embedded store by this build (what `kg build` does). Returns the BuildResult:
    `.graphs` (one rdflib Graph per article), `.dataset`, `.articles`, `.report` (what SHACL left out),
    `.skipped` (unreadable files, with the reason). Raises KgError when no article can be read."""
    from contextlib import nullcontext
    from .pipeline import build_graph, check_output_target, write_outputs
    from .store import store_lock, write_store
    sources = _paths(paths)
    out = Path(output) if output is not None else None
    folder = Path(store) if store is not None else None
    if out is not None:
        from .export import format_for
        format_for(out)
        check_output_target(out, folder)
    with (store_lock(folder) if folder is not None else nullcontext()) as lock:
        # with an output and a store, the graphs load into the new store as they are emitted (as kg build)
        result = build_graph(sources, progress=progress, workers=workers, preload=lock if out is not None else None)
        try:
            if not result.articles:
                raise KgError("no readable article found under " + ", ".join(map(str, sources))
                              + "".join(f"; skipped {m}" for m in result.skipped[:3]))
            if out is not None:
                write_outputs(result, out, folder, lock=lock)
            elif folder is not None:
                write_store(result.nquads, result.union_ntriples, folder, lock=lock)
        finally:
            if result.preload is not None:   # written by write_outputs, else removed
                result.preload.discard()
    return result


def query(source, sparql: str, *, timeout: float | None = None, allow_service: bool = False):
    """Run SPARQL on SOURCE: a store folder or an RDF file (str or Path), a BuildResult, a pyoxigraph Store
    or an rdflib Graph. The prefixes kg, kgid, rdf, rdfs, xsd, schema, prov, skos, dcterms, owl and org are
    declared. Returns Rows for SELECT (`.to_dataframe()`), a bool for ASK, an rdflib Graph for CONSTRUCT
    and DESCRIBE. Raises QueryError (bad query, an update, SERVICE unless ALLOW_SERVICE, or past TIMEOUT
    seconds) or GraphInputError (no store, unreadable file)."""
    import pyoxigraph as ox
    from .sparql import check_query, run_with_deadline
    from .store import _has_default_graph, reading_store
    check_query(sparql, allow_service)
    text = _with_prefixes(sparql)

    def work():
        store, folder = _source_store(source)
        with reading_store(folder):
            try:
                answer = store.query(text, use_default_graph_as_union=not _has_default_graph(store))
            except SyntaxError as exc:
                from .errors import QueryError
                raise QueryError(f"SPARQL syntax error: {exc}") from exc
            if isinstance(answer, ox.QueryBoolean):
                return bool(answer)
            if isinstance(answer, ox.QuerySolutions):
                names = [v.value for v in answer.variables]
                return Rows(names, ({n: to_python(s[n]) for n in names} for s in answer))
            from rdflib import Graph
            nt = ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)
            return Graph().parse(data=nt.decode("utf-8"), format="nt")
    return run_with_deadline(work, timeout)


def export(source, output: PathLike, format: str | None = None) -> Path:
    """Write SOURCE (a store folder or RDF file as str or Path, a BuildResult or a pyoxigraph Store) to
    OUTPUT, atomically, in FORMAT (ttl, nt, nq, trig, jsonld, xml; default: from OUTPUT's extension).
    Returns OUTPUT as a Path."""
    import pyoxigraph as ox
    from .export import export_store
    from .pipeline import BuildResult
    from .store import reading_store
    target = Path(output)
    if isinstance(source, BuildResult):
        export_store(_memory_store(source), target, format, articles_only=True)
        return target
    store, folder = (source, None) if isinstance(source, ox.Store) else _source_store(source)
    with reading_store(folder):
        export_store(store, target, format)
    return target


def open_store(path: PathLike = DEFAULT_STORE) -> "ox.Store":
    """Open the embedded store that `kg build` wrote (default .kabar) read-only, as a pyoxigraph Store.
    A missing or damaged store raises GraphInputError saying how to build it."""
    from .store import open_store as _open
    return _open(Path(path))


def write_tables(source=DEFAULT_STORE, output: PathLike = "tables", *,
                 parquet: bool | None = None) -> dict[str, list[Path]]:
    """Write the spreadsheet tables of SOURCE (see kg.tables) into the folder OUTPUT as CSV (and Parquet
    when PARQUET, or by default when pyarrow is installed); returns the files written, by table name."""
    from .tables import write_tables as _write
    store, folder = _source_store(source)
    from .store import reading_store
    with reading_store(folder):
        return _write(store, Path(output), parquet=parquet)


def fact_tables(source=DEFAULT_STORE) -> dict[str, Rows]:
    """The spreadsheet tables of SOURCE (see kg.tables) as Rows, by table name."""
    from .tables import fact_tables as _tables
    store, folder = _source_store(source)
    from .store import reading_store
    with reading_store(folder):
        return {name: Rows(cols, (dict(zip(cols, r)) for r in rows)) for name, (cols, rows) in _tables(store).items()}
