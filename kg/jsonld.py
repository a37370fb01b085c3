"""JSON-LD documents read without the network: the project's own context is known by its IRI and filled in
from kg/data; any other context given by reference (a URL or a relative path) is refused, never fetched.

A JSON-LD file may name its context by URL (`"@context": "https://..."`, also inside node objects, scoped
term definitions and `@import`); rdflib would fetch such a URL with no timeout while "reading a local file".
See JSON-LD 1.1, section 4.1 "Advanced Context Usage" and 4.1.10 "Imported Contexts"."""
from __future__ import annotations

import json
from pathlib import Path

from .errors import GraphInputError
from .export import jsonld_context

CONTEXT_IRI = "https://w3id.org/kabar-kg/context.jsonld"   # kg/data/kabar-kg.context.jsonld


def _local_context(ref: object, path: Path) -> object:
    """The context REF stands for: an embedded context as it is, ours by value; any other reference refused."""
    if isinstance(ref, str):
        if ref.rstrip("#") == CONTEXT_IRI:
            return jsonld_context()
        raise GraphInputError(f"{path}: refers to the JSON-LD context {ref[:200]!r}, which is not fetched "
                              f"(Kabar KG reads local files without the network and knows only its own "
                              f"context {CONTEXT_IRI}); embed that context in the file")
    if isinstance(ref, list):
        return [_local_context(r, path) for r in ref]
    if isinstance(ref, dict):
        ctx = {k: _localize(v, path) for k, v in ref.items() if k != "@import"}
        if "@import" in ref:   # JSON-LD 1.1: a context that extends another one, named by IRI
            imported = _local_context(ref["@import"], path)
            if not isinstance(imported, dict):
                raise GraphInputError(f"{path}: @import must name a context")
            ctx = {**imported, **ctx}
        return ctx
    return ref     # null resets the context


def _localize(node: object, path: Path) -> object:
    """NODE with every @context in it (at any depth) replaced by a context given by value."""
    if isinstance(node, list):
        return [_localize(v, path) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _local_context(value, path)
        elif key == "@value":          # a JSON literal is data, not JSON-LD
            out[key] = value
        else:
            out[key] = _localize(value, path)
    return out


def read_jsonld(path: Path) -> object:
    """The JSON-LD document at PATH with all its contexts given by value, so that no parser fetches one."""
    try:
        doc = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise GraphInputError(f"{path}: no such file") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise GraphInputError(f"{path}: not readable as JSON-LD: {str(exc)[:300]}") from None
    except OSError as exc:
        raise GraphInputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return _localize(doc, path)
