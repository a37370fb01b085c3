"""Incremental builds: extraction results are kept by content hash (kg.pipeline._extract_cached), so a
rebuild after one article changed reads only that article, and gives the bytes of a fresh full build."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

import kg.pipeline
from kg.cli import app

from tests.helpers import SHARED

runner = CliRunner()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for f in sorted((SHARED / "corpus" / "dev").glob("*.txt"))[:8]:
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture
def counted_reads(monkeypatch):
    reads = []
    real = kg.pipeline._extract

    def counting(source, lexicon):
        reads.append(source.key)
        return real(source, lexicon)
    monkeypatch.setattr(kg.pipeline, "_extract", counting)
    return reads


def _build(corpus, out, store, *extra):
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(store), "-q", *extra])
    assert result.exit_code in (0, 1), result.output
    return out.read_bytes()


def _dump(store):
    import pyoxigraph as ox
    from kg.store import open_store
    return open_store(store).dump(format=ox.RdfFormat.N_QUADS)


@pytest.mark.parametrize("ext", ["nq", "ttl"])
def test_incremental_rebuild_reads_the_changed_article_only_and_equals_a_full_build(
        corpus, tmp_path, monkeypatch, counted_reads, ext):
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    _build(corpus, tmp_path / f"first.{ext}", tmp_path / "store")
    assert len(counted_reads) == 8
    changed = sorted(corpus.glob("*.txt"))[3]
    changed.write_text(changed.read_text(encoding="utf-8").replace("persen", "persen,", 1)
                       + "\nBupati Bogor Rudy Susmanto mengatakan program itu berlanjut.\n", encoding="utf-8")
    counted_reads.clear()
    rebuilt = _build(corpus, tmp_path / f"again.{ext}", tmp_path / "store")
    assert counted_reads == [changed.name]
    rebuilt_store = _dump(tmp_path / "store")
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", "off")
    counted_reads.clear()
    full = _build(corpus, tmp_path / f"full.{ext}", tmp_path / "fresh")
    assert len(counted_reads) == 8
    assert rebuilt == full
    assert rebuilt_store == _dump(tmp_path / "fresh")


def test_incremental_cache_with_workers_and_a_damaged_entry(corpus, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(cache))
    first = _build(corpus, tmp_path / "a.nt", tmp_path / "store", "-j", "2")
    entries = sorted(cache.rglob("*.pickle"))
    assert len(entries) == 8
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(b"")
    assert _build(corpus, tmp_path / "b.nt", tmp_path / "store", "-j", "2") == first
    assert _build(corpus, tmp_path / "c.nt", tmp_path / "store") == first


def test_incremental_cache_that_cannot_be_written_costs_nothing_but_time(corpus, tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(blocker))
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(blocker / "sub"))
    got = _build(corpus, tmp_path / "a.nt", tmp_path / "store")
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", "off")
    assert got == _build(corpus, tmp_path / "b.nt", tmp_path / "store2")
