"""Write a graph or dataset to a file whose format follows its extension, atomically."""
from __future__ import annotations

import json
import os
import tempfile
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import KgError
from .rdf import bind_prefixes, union_graph

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
        out = data.serialize(format="json-ld", context=jsonld_context(), auto_compact=True, sort_keys=True)
    else:
        out = data.serialize(format=fmt)
    text = out if isinstance(out, str) else out.decode("utf-8")
    if fmt in ("nt", "nquads"):
        lines = sorted({ln for ln in text.splitlines() if ln.strip()})
        text = "\n".join(lines) + "\n"
    return text.encode("utf-8")


def write_atomic(path: Path, payload: bytes) -> None:
    """Write PAYLOAD to PATH through a temporary file, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
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
