"""Serve the store over HTTP with the Oxigraph server (from the `oxigraph` package): a SPARQL endpoint
and its query UI, read-only by default, bound to the loopback address."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .errors import KgError


def oxigraph_binary() -> str:
    """The `oxigraph` server program installed with the project (next to this Python, or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise KgError("the oxigraph server is not installed; `pip install oxigraph` (a project dependency)")
    return found


def server_command(store: Path, host: str, port: int, writable: bool) -> list[str]:
    mode = "serve" if writable else "serve-read-only"
    # the store's default graph already is the union of the article graphs: SPARQL without GRAPH reads it
    return [oxigraph_binary(), mode, "--location", str(store), "--bind", f"{host}:{port}"]


def serve(store: Path, host: str = "127.0.0.1", port: int = 7878, writable: bool = False) -> int:
    """Replace this process by the server (so Ctrl-C and kill reach it directly, and no server is left
    running without its parent); returns only if the server cannot be started."""
    if not store.is_dir():
        raise KgError(f"{store}: no store here; build one with `kg build PATH --store {store}`")
    cmd = server_command(store, host, port, writable)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execv(cmd[0], cmd)
    except OSError as exc:
        raise KgError(f"cannot start {cmd[0]}: {exc.strerror}") from exc
    return 1
