"""Write a graph or dataset to a file whose format follows its extension, atomically."""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KgError
from .places import REFERENCE_PLACES_GRAPH
from .resources import ONTOLOGY_GRAPH

if TYPE_CHECKING:
    from rdflib import Dataset, Graph   # imported where they are used: writing lines needs no rdflib

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
    from rdflib import Dataset
    from .rdf import union_graph
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
    from rdflib import Dataset, Graph
    from .rdf import bind_prefixes
    fmt = format_for(path)
    if isinstance(data, Graph) and not isinstance(data, Dataset):
        bind_prefixes(data)
    write_atomic(path, serialize(data, fmt))


STORE_FORMATS = {"ttl": ".ttl", "nt": ".nt", "nq": ".nq", "trig": ".trig", "jsonld": ".jsonld", "xml": ".rdf"}


def named_graphs(ext: str) -> bool:
    """Whether the format of extension EXT holds the named graphs (else the union of the article graphs)."""
    return FORMATS[ext][1]


class _KeptLabels(dict):
    """The blank nodes rdflib's N-Quads parser makes, keeping the labels they have in the lines (its own are
    random: the ontology's OWL lists would be written with new labels on every export)."""

    def get(self, label, default=None):
        from rdflib import BNode
        return super().get(label) or self.setdefault(label, BNode(label))


def convert_lines(source: Path, target: Path, ext: str, done: list[int] | None = None) -> None:
    """Write TARGET in the format of extension EXT from SOURCE, line-based RDF written by kg: N-Quads graph by
    graph with sorted lines for the formats with named graphs (named_graphs), else the N-Triples of the union,
    sorted. N-Quads and N-Triples are SOURCE itself (copied unless it is TARGET); Turtle, TriG and RDF/XML
    stream through Oxigraph's parser and writer in that order (no quad is looked at in Python); JSON-LD
    is compacted with the project's context (kg/data/kabar-kg.context.jsonld) in memory. DONE[0] counts the
    quads converted (read by another thread for progress)."""
    import pyoxigraph as ox
    from .iris import PREFIXES
    if ext in (".nq", ".nt"):
        if Path(source) != Path(target):
            shutil.copyfile(source, target)
        return
    if ext == ".jsonld":
        from rdflib import Dataset
        ds = Dataset()
        ds.parse(source=str(source), format="nquads", bnode_context=_KeptLabels())
        Path(target).write_bytes(serialize(ds, "json-ld"))
        return
    fmt_in = ox.RdfFormat.N_QUADS if named_graphs(ext) else ox.RdfFormat.N_TRIPLES
    fmt_out = {".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE}.get(ext, ox.RdfFormat.RDF_XML)
    quads = ox.parse(path=str(source), format=fmt_in)
    if done is not None:
        quads = _counted(quads, done)
    ox.serialize(quads, str(target), fmt_out, prefixes=PREFIXES)


def _counted(quads, done: list[int]):
    for i, q in enumerate(quads, start=1):
        if not i & 0x3FFF:
            done[0] = i
        yield q


def _sorted_lines(data: bytes) -> bytes:
    lines = data.splitlines()
    lines.sort()
    return b"\n".join(lines) + b"\n" if lines else b""


_REFERENCE_ONLY = f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  GRAPH <{REFERENCE_PLACES_GRAPH}> {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{REFERENCE_PLACES_GRAPH}>) }}
}}"""


def _without_reference_only(store, text: bytes) -> bytes:
    """TEXT (the default graph's sorted N-Triples lines) without the triples only the reference places graph
    states (kg.places): what is left is the union of the article graphs (each triple of the reference graph
    is looked up by its bound terms in the other graphs: a few thousand index lookups)."""
    import pyoxigraph as ox
    only = set(ox.serialize(store.query(_REFERENCE_ONLY), format=ox.RdfFormat.N_TRIPLES).splitlines())
    if not only:
        return text
    return b"".join(line + b"\n" for line in text.splitlines() if line not in only)


def export_store(store, path: Path, fmt: str | None = None, articles_only: bool = False) -> None:
    """Write the store to PATH, in the bytes kg build writes for the same graphs (convert_lines). N-Quads,
    TriG and JSON-LD hold the named graphs (articles and ontology) graph by graph, N-Triples, Turtle and
    RDF/XML the union of the article graphs (the store's default graph). Each graph is read from the store
    by Oxigraph (Store.dump) and its lines sorted; only JSON-LD is built in memory whole. ARTICLES_ONLY
    leaves out the ontology graph and the reference places (kg.places): their graph, and in the union the
    triples no article graph states."""
    import pyoxigraph as ox
    ext = STORE_FORMATS.get(fmt, f".{fmt}") if fmt else path.suffix.lower()
    if ext not in FORMATS:
        raise KgError(f"unknown export format {fmt or path.suffix!r}; use one of {', '.join(STORE_FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    lines = tmp if ext in (".nq", ".nt") else tmp + ".lines"
    try:
        with open(lines, "wb") as fh:
            if named_graphs(ext):
                graphs = sorted(str(g) for g in store.named_graphs() if isinstance(g, ox.NamedNode)
                                and not (articles_only and g.value in (ONTOLOGY_GRAPH, REFERENCE_PLACES_GRAPH)))
                for g in graphs:   # str(NamedNode) is the N-Triples term
                    text = _sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g[1:-1])))
                    fh.write(text.replace(b" .\n", f" {g} .\n".encode("utf-8")))   # " .\n" ends lines only
            else:
                text = _sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
                fh.write(_without_reference_only(store, text) if articles_only else text)
        convert_lines(Path(lines), Path(tmp), ext)
        os.chmod(tmp, _umask_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        if lines != tmp:
            Path(lines).unlink(missing_ok=True)


class _CallableModule(sys.modules[__name__].__class__):
    """This module is also the function kg.export(source, output, format=None) of the library API (kg.api):
    `kg.export` names both, since importing a submodule makes it an attribute of its package."""

    def __call__(self, source, output, format: str | None = None) -> Path:
        from .api import export
        return export(source, output, format)


sys.modules[__name__].__class__ = _CallableModule
