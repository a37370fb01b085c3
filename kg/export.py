"""Write a graph or dataset to a file whose format follows its extension, atomically."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import KgError
from .rdf import ONTOLOGY_GRAPH, bind_prefixes, union_graph

FORMATS = {  # extension -> (rdflib format, needs named graphs)
    ".ttl": ("turtle", False),
    ".nt": ("nt", False),
    ".nq": ("nquads", True),
    ".trig": ("trig", True),
    ".jsonld": ("json-ld", True),
    ".rdf": ("xml", False),
    ".xml": ("xml", False),
    ".owl": ("xml", False),
}
CONTEXT_FILE = "kabar-kg.context.jsonld"


def jsonld_context() -> dict:
    """The JSON-LD context the project publishes (kg/data/kabar-kg.context.jsonld)."""
    text = (resources.files("kg") / "data" / CONTEXT_FILE).read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def _sorted_nodes(doc):
    """JSON-LD with every unordered array sorted (@list arrays keep their order), so the same
    graph always gives the same bytes (rdflib walks Python sets, whose order changes between runs)."""
    if isinstance(doc, dict):   # an @list is ordered: keep it, sort inside its items only
        return {k: ([_sorted_nodes(x) for x in v] if k == "@list" else _sorted_nodes(v)) for k, v in doc.items()}
    if isinstance(doc, list):
        items = [_sorted_nodes(v) for v in doc]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return doc


def format_for(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()][0]
    except KeyError:
        raise KgError(f"{path}: unknown output format {path.suffix!r}; "
                      f"use one of {', '.join(sorted(FORMATS))}") from None


def serialize(data: Dataset | Graph, fmt: str) -> bytes:
    """Return DATA in FMT; line formats are sorted so the same graph always gives the same bytes."""
    if isinstance(data, Dataset) and fmt in ("turtle", "nt", "xml"):
        data = union_graph(data)
    if fmt == "json-ld":
        out = data.serialize(format="json-ld", context=jsonld_context(), auto_compact=True, sort_keys=True,
                             use_native_types=True)   # integers and booleans as JSON numbers and true/false
        out = json.dumps(_sorted_nodes(json.loads(out)), indent=2, sort_keys=True, ensure_ascii=False)
    else:
        out = data.serialize(format=fmt)
    text = out if isinstance(out, str) else out.decode("utf-8")
    if fmt in ("nt", "nquads"):
        lines = sorted({ln for ln in text.splitlines() if ln.strip()})
        text = "\n".join(lines) + "\n"
    return text.encode("utf-8")


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, payload: bytes) -> None:
    """Write PAYLOAD to PATH through a temporary file, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_graph(data: Dataset | Graph, path: Path) -> None:
    """Write DATA to PATH in the format its extension names (.ttl .nt .nq .trig .jsonld .rdf)."""
    fmt = format_for(path)
    if isinstance(data, Graph) and not isinstance(data, Dataset):
        bind_prefixes(data)
    write_atomic(path, serialize(data, fmt))


STORE_FORMATS = {"ttl": ".ttl", "nt": ".nt", "nq": ".nq", "trig": ".trig", "jsonld": ".jsonld", "xml": ".rdf"}


def _in_ontology(quad) -> bool:
    return getattr(quad.graph_name, "value", "") == str(ONTOLOGY_GRAPH)


def export_store(store, path: Path, fmt: str | None = None, articles_only: bool = False) -> None:
    """Write the store to PATH. N-Quads and TriG hold the named graphs (articles and ontology), N-Triples,
    Turtle and RDF/XML the union of the article graphs (the store's default graph); all of them stream from
    the store, so a large store need not fit in memory. JSON-LD holds the named graphs compacted with the
    project's context (kg/data/kabar-kg.context.jsonld) and is built in memory. An on-disk store is read
    in key order, so the same content always gives the same bytes. ARTICLES_ONLY leaves out the
    ontology graph."""
    import pyoxigraph as ox
    from .rdf import PREFIXES
    ext = STORE_FORMATS.get(fmt, f".{fmt}") if fmt else path.suffix.lower()
    if ext not in FORMATS:
        raise KgError(f"unknown export format {fmt or path.suffix!r}; use one of {', '.join(STORE_FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    try:
        def named(q) -> bool:   # the default graph is derived (the union); the ontology is optional
            return isinstance(q.graph_name, ox.NamedNode) and not (articles_only and _in_ontology(q))
        if ext in (".nq", ".trig"):
            fmt_ox = ox.RdfFormat.N_QUADS if ext == ".nq" else ox.RdfFormat.TRIG
            kwargs = {"prefixes": prefixes} if ext == ".trig" else {}
            ox.serialize((q for q in store if named(q)), tmp, fmt_ox, **kwargs)
        elif ext in (".nt", ".ttl", ".rdf", ".xml"):
            fmt_ox = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}.get(ext, ox.RdfFormat.RDF_XML)
            kwargs = {} if ext == ".nt" else {"prefixes": prefixes}
            store.dump(tmp, fmt_ox, from_graph=ox.DefaultGraph(), **kwargs)
        else:
            ds = Dataset()
            quads = [q for q in store if named(q)]
            ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
            Path(tmp).write_bytes(serialize(ds, "json-ld"))
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _CallableModule(sys.modules[__name__].__class__):
    """This module is also the function kg.export(source, output, format=None) of the library API (kg.api):
    `kg.export` names both, since importing a submodule makes it an attribute of its package."""

    def __call__(self, source, output, format: str | None = None) -> Path:
        from .api import export
        return export(source, output, format)


sys.modules[__name__].__class__ = _CallableModule
