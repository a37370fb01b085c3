"""Shared by the explorer tests: stores built with the real `kg build`, a real `kg explore` server on a
free loopback port, and an article the seeds do not have (for rebuilds)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers import SEEDS, free_port

KG = str(Path(sys.executable).parent / "kg")
BLITAR = "https://w3id.org/kabar-kg/id/municipality/3572-kota-blitar"
SLEMAN_ARTICLE = """Kabupaten Sleman Raih Penghargaan UHC Awards 2026

SLEMAN | contoh.id - Pemerintah Kabupaten (Pemkab) Sleman meraih penghargaan UHC Awards 2026 dari BPJS \
Kesehatan, Selasa (27/1/2026).

Bupati Sleman Harda Kiswaya mengatakan penghargaan itu hasil kerja bersama seluruh perangkat daerah.
"""


def kg_build(store: Path, *inputs: Path) -> None:
    """Build INPUTS into STORE with the real command (the store is swapped in by renaming)."""
    out = store.parent / f"{store.name}.ttl"
    done = subprocess.run([KG, "build", *map(str, inputs), "--output", str(out), "--store", str(store), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def seeds_store(tmp: Path) -> Path:
    store = tmp / "store"
    kg_build(store, SEEDS)
    return store


def new_articles(tmp: Path) -> Path:
    """A folder with one seed article and the Sleman article: Sleman comes, the MoU article goes."""
    folder = tmp / "articles-2"
    folder.mkdir()
    shutil.copy(SEEDS / "000_c0579e94ec1dab6c.txt", folder)
    (folder / "sleman.txt").write_text(SLEMAN_ARTICLE, encoding="utf-8")
    return folder


class Explorer:
    """`kg explore` running as a process of its own, as a user starts it."""

    def __init__(self, store: Path):
        self.store, self.port = store, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Explorer":
        self.process = subprocess.Popen([KG, "explore", "--store", str(self.store), "--port", str(self.port)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"kg explore exited: {self.process.stdout.read()}")
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).read()
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError("kg explore did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
