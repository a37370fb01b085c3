"""Serve the store over HTTP with the Oxigraph server (from the `oxigraph` package): a SPARQL endpoint
and its query UI, read-only by default, bound to the loopback address."""
from __future__ import annotations

import shutil
import subprocess
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
    cmd = [oxigraph_binary(), mode, "--location", str(store), "--bind", f"{host}:{port}"]
    if not writable:
        cmd.append("--union-default-graph")
    return cmd


def serve(store: Path, host: str = "127.0.0.1", port: int = 7878, writable: bool = False) -> int:
    """Run the server in the foreground until it stops (Ctrl-C); return its exit code."""
    if not store.is_dir():
        raise KgError(f"{store}: no store here; build one with `kg build PATH --store {store}`")
    process = subprocess.Popen(server_command(store, host, port, writable))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()
