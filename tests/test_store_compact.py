"""A build leaves its store compacted (kg.store.compact). Every bulk load ingests files whose keys overlap
the whole store; RocksDB merges them in the background, and a store closed before the merges are done keeps
its overlapping files for good (kg query opens it read-only, which never merges): each lookup then reads a
dozen files or more, and later read-write opens (an incremental build) pay the merges again."""
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import kg.store
from kg.cli import app
from kg.store import open_store
from tests.helpers import SEEDS

runner = CliRunner()


def table_files(store: Path) -> set[str]:
    return {f for f in os.listdir(store) if f.endswith(".sst")}


def build(tmp_path: Path, *extra: str) -> Path:
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "out.nt"), "--store", str(store),
                                 "-q", *extra])
    assert result.exit_code == 0, result.output
    return store


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_build_leaves_nothing_for_a_compaction_to_do(tmp_path, monkeypatch, workers):
    """Many small loads (as a large corpus gives), then the build: a full compaction of the store it leaves
    changes no file."""
    monkeypatch.setattr(kg.store, "BULK_CHUNK", 2000)   # about one bulk load per article graph
    store = build(tmp_path, "--workers", workers)
    before = table_files(store)
    compacted = ox.Store(str(store))
    compacted.optimize()
    del compacted
    assert table_files(store) == before


def test_the_store_is_compacted_once_everything_is_in_it(tmp_path, monkeypatch):
    """The compaction is the last write: the ontology and the reference places are in the store by then."""
    seen = []
    real = kg.store.compact

    def compact(store: ox.Store, where, starting=None) -> bool:
        seen.append(len(store))
        return real(store, where, starting)
    monkeypatch.setattr(kg.store, "compact", compact)
    store = build(tmp_path)
    assert seen == [len(open_store(store))]


def test_a_store_written_without_the_ontology_is_compacted_too(tmp_path, seeds_build, monkeypatch):
    seen = []
    monkeypatch.setattr(kg.store, "compact", lambda store, where, starting=None: seen.append(len(store)))
    count = kg.store.write_store(seeds_build.nquads, seeds_build.union_ntriples, tmp_path / "s", with_ontology=False)
    assert seen and seen[-1] == len(open_store(tmp_path / "s")) and count == len(seeds_build)


class FullDisk:
    """A store whose compaction fails as on a full disk (RocksDB writes the merged files first)."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def optimize(self) -> None:
        raise OSError("IO error: No space left on device: While appending to file: 000123.sst")


def test_a_compaction_that_fails_leaves_the_store_complete_and_the_build_goes_on(tmp_path, monkeypatch, caplog):
    normal = build(tmp_path / "normal")
    real = kg.store.compact
    monkeypatch.setattr(kg.store, "compact", lambda store, where, starting=None: real(FullDisk(store), where, starting))
    store = tmp_path / "full" / "store"
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "full" / "out.nt"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert f"{store}: the store is complete but not compacted (IO error: No space left on device" in caplog.text
    assert set(open_store(store)) == set(open_store(normal))
    assert (tmp_path / "full" / "out.nt").read_bytes() == (tmp_path / "normal" / "out.nt").read_bytes()
