"""The store the explorer reads: opened read-only, and opened again when `kg build` has swapped in a new
one, with a search index built once per store generation."""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

import pyoxigraph as ox

from ..errors import KgError
from ..store import MARKER, damaged_store_error, no_store_error
from .search import SearchIndex, build_index

log = logging.getLogger("kg")
T = TypeVar("T")


class StoreUnavailable(KgError):
    """No store at the path (not built yet, or a build is swapping it in right now)."""


@dataclass(frozen=True)
class Generation:
    """One build of the store as the explorer sees it: the open store and its search index."""
    store: ox.Store
    index: SearchIndex
    marker: tuple[int, ...]
    opened: float


def directory_marker(directory: Path) -> tuple[int, ...]:
    """What identifies one build's store: `kg build` writes the new store beside the old one, with a fresh
    marker file in it, and renames it into place, so a new build is a new directory (another inode, a new
    change time) holding a new marker."""
    st = os.stat(directory)
    try:
        m = os.stat(directory / MARKER)
        mark = (m.st_ino, m.st_mtime_ns)
    except FileNotFoundError:
        mark = (0, 0)
    return (st.st_dev, st.st_ino, st.st_ctime_ns) + mark


class StoreSource:
    """The current store at DIRECTORY: `current()` reopens it (read-only, so a build can run meanwhile)
    whenever the directory was replaced since the last call."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._generation: Generation | None = None

    def current(self) -> Generation:
        """The generation for the store now at the directory (opened, and indexed, on first use)."""
        try:
            marker = directory_marker(self.directory)
        except FileNotFoundError:
            marker = self._wait_for_swap()
        gen = self._generation
        if gen is not None and gen.marker == marker:
            return gen
        with self._lock:
            gen = self._generation
            if gen is not None and gen.marker == marker:
                return gen
            self._generation = gen = self._open(marker)
            return gen

    def _wait_for_swap(self) -> tuple[int, ...]:
        # between its two renames a build leaves no directory for an instant: look again briefly
        for _ in range(20):
            time.sleep(0.05)
            try:
                return directory_marker(self.directory)
            except FileNotFoundError:
                continue
        raise StoreUnavailable(str(no_store_error(self.directory)))

    def _open(self, marker: tuple[int, ...]) -> Generation:
        t = time.perf_counter()
        if not any(self.directory.iterdir()):
            raise StoreUnavailable(str(no_store_error(self.directory)))
        try:
            store = ox.Store.read_only(str(self.directory))
        except (OSError, RuntimeError) as exc:   # RocksDB: "Corruption: ...", "IO error: ..."
            raise StoreUnavailable(str(damaged_store_error(self.directory, exc, opening=True))) from None
        index = build_index(store)
        log.info("explorer: opened %s (%d names indexed in %.2f s)", self.directory, len(index),
                 time.perf_counter() - t)
        return Generation(store, index, marker, time.time())

    def read(self, work: Callable[[Generation], T]) -> T:
        """WORK(generation), done again on a freshly opened store if the store was swapped away under it
        (its files are deleted by the build that replaced it)."""
        gen = self.current()
        try:
            return work(gen)
        except (OSError, RuntimeError) as exc:
            try:
                changed = directory_marker(self.directory) != gen.marker
            except FileNotFoundError:
                changed = True
            if not changed:
                raise StoreUnavailable(str(damaged_store_error(self.directory, exc))) from None
            log.info("explorer: the store was replaced while reading; reading the new one")
            return work(self.current())
