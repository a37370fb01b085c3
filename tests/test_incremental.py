"""Incremental builds: extraction results are kept by content hash (kg.pipeline._extract_cached), so a
rebuild after one article changed reads only that article, and gives the bytes of a fresh full build."""
from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

import kg.pipeline
from kg.cli import app

from tests.helpers import SHARED, kg_after

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


# ------------------------------------------------- incremental builds: only what changed, the bytes of a full build

@pytest.fixture
def full_builds(monkeypatch):
    """The number of full builds (kg.pipeline.build_graph calls) the CLI made."""
    calls = []
    real = kg.pipeline.build_graph

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(kg.pipeline, "build_graph", counting)
    return calls


def _exports(store, tmp_path, name):
    """The store as `kg export` writes it: its named graphs (.nq) and its default graph, the union (.nt)."""
    out = []
    for ext in ("nq", "nt"):
        path = tmp_path / f"{name}.{ext}"
        result = runner.invoke(app, ["export", "--store", str(store), "-o", str(path)])
        assert result.exit_code == 0, result.output
        out.append(path.read_bytes())
    return out


def _same_as_full(corpus, tmp_path, store, output, ext):
    """OUTPUT and STORE equal a fresh full build of CORPUS (no cache, new store), byte for byte."""
    import os
    saved = os.environ.get("KABAR_KG_EXTRACT_CACHE")
    os.environ["KABAR_KG_EXTRACT_CACHE"] = "off"
    try:
        fresh = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
        full = _build(corpus, tmp_path / f"full.{ext}", fresh)
    finally:
        os.environ["KABAR_KG_EXTRACT_CACHE"] = saved or ""
    assert output.read_bytes() == full
    assert _exports(store, tmp_path, "inc") == _exports(fresh, tmp_path, "full")


def _award(body_award: str, person: str) -> str:
    return (f"Pemkab Bogor Raih Penghargaan\n\nRabu, 28 Januari 2026 | 09:41 WIB\n\nBOGOR | Warta.id - "
            f"Pemkab Bogor meraih {body_award} dari BPJS Kesehatan. Piala diterima oleh Bupati Bogor {person}. "
            "Kepala Dinas Kesehatan (Dinkes) Kabupaten Bogor Fusia Meidiawaty hadir.\n")


@pytest.mark.parametrize("ext", ["nq", "nt", "ttl"])
def test_incremental_change_add_and_remove_equal_a_full_build(corpus, tmp_path, monkeypatch, counted_reads,
                                                              full_builds, ext):
    """.nt and .nq outputs are patched (the changed blocks replaced in the previous output), the others
    written whole from the store; all equal a full build."""
    import kg.export
    exports = []
    real_export = kg.export.export_store
    monkeypatch.setattr(kg.export, "export_store", lambda *a, **k: (exports.append(a), real_export(*a, **k)))
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    out, store = tmp_path / f"out.{ext}", tmp_path / "store"
    _build(corpus, out, store)
    assert len(full_builds) == 1 and (store / "kabar-incremental.sqlite").is_file()
    files = sorted(corpus.glob("*.txt"))
    steps = [
        lambda: files[2].write_text(files[2].read_text(encoding="utf-8") +
                                    "\nBupati Bogor Rudy Susmanto mengatakan program itu berlanjut.\n", encoding="utf-8"),
        lambda: (corpus / "zz_baru.txt").write_text(_award("UHC Awards 2026", "Rudy Susmanto"), encoding="utf-8"),
        lambda: files[5].unlink(),
        lambda: (corpus / "zz_baru.txt").unlink(),
    ]
    for step in steps:
        step()
        counted_reads.clear()
        full, exported = len(full_builds), len(exports)
        _build(corpus, out, store)
        assert len(full_builds) == full, "the rebuild was a full build"
        assert len(exports) == exported + (ext == "ttl"), "the output was written whole"
        assert len(counted_reads) <= 1
        _same_as_full(corpus, tmp_path, store, out, ext)


def test_incremental_renamed_shared_entity_changes_the_other_articles_graphs(tmp_path, monkeypatch, full_builds):
    """The label of a node is the name in the first article (by file name) naming it: when that article
    names it otherwise, every article graph naming the node changes, and so does the union."""
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.txt").write_text(_award("UHC Awards 2026", "Rudy Susmanto"), encoding="utf-8")
    for name in ("b.txt", "c.txt"):
        (corpus / name).write_text(_award("Universal Health Coverage (UHC) Awards 2026", "Rudy Susmanto")
                                   + ("Acara itu ramai.\n" if name == "b.txt" else "Semua tamu senang.\n"),
                                   encoding="utf-8")
    out, store = tmp_path / "out.nq", tmp_path / "store"
    _build(corpus, out, store)
    before = out.read_text(encoding="utf-8")
    assert '"UHC Awards 2026"@id' in before
    (corpus / "a.txt").write_text(_award("Universal Health Coverage (UHC) Awards 2026", "Rudy Susmanto"),
                                  encoding="utf-8")
    _build(corpus, out, store)
    assert len(full_builds) == 1, "the rebuild was a full build"
    after = out.read_text(encoding="utf-8")
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    graph_b = [ln for ln in after.splitlines() if "/graph/b>" in ln and f"{label} \"Universal Health" in ln]
    assert graph_b, "b's graph holds the award's new label"
    _same_as_full(corpus, tmp_path, store, out, "nq")
    (corpus / "a.txt").unlink()                    # the label now comes from b.txt; a's aliases go
    _build(corpus, out, store)
    assert len(full_builds) == 2, "the rebuild was a full build"
    _same_as_full(corpus, tmp_path, store, out, "nq")


def test_incremental_failure_midway_keeps_the_previous_store_and_output(corpus, tmp_path, monkeypatch, full_builds):
    import kg.incremental
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    out, store = tmp_path / "out.nq", tmp_path / "store"
    _build(corpus, out, store)
    old_output, old_store = out.read_bytes(), _exports(store, tmp_path, "old")
    changed = sorted(corpus.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n", encoding="utf-8")
    real = kg.incremental._update_state

    def failing(*args):   # the graphs of the new store are replaced: then a bug
        real(*args)
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(kg.incremental, "_update_state", failing)
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(store), "-q"])
    assert result.exit_code == 2 and "disk on fire" in result.output and "Traceback" not in result.output
    assert out.read_bytes() == old_output and _exports(store, tmp_path, "after") == old_store
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".store.")) == [".store.lock"]
    monkeypatch.setattr(kg.incremental, "_update_state", real)
    _build(corpus, out, store)
    assert len(full_builds) == 1, "the rebuild was a full build"
    _same_as_full(corpus, tmp_path, store, out, "nq")


@pytest.mark.parametrize("point", ["store", "output"])
def test_incremental_build_killed_keeps_the_previous_store_and_output(corpus, tmp_path, monkeypatch, point):
    """SIGKILL while the new store is written, or after it was swapped in and before the output was: the
    previous store and output stay (the next writer undoes the swap), and the next build is right."""
    from kg.store import store_lock
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    out, store = tmp_path / "out.nq", tmp_path / "store"
    _build(corpus, out, store)
    old_output, old_store = out.read_bytes(), _exports(store, tmp_path, "old")
    changed = sorted(corpus.glob("*.txt"))[6]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n", encoding="utf-8")
    patch = ("kg.incremental._update_state = lambda *a: os.kill(os.getpid(), signal.SIGKILL)" if point == "store"
             else "StagedOutput.commit = lambda self: os.kill(os.getpid(), signal.SIGKILL)")
    killed = kg_after(f"import os, signal\nimport kg.incremental\nfrom kg.pipeline import StagedOutput\n{patch}",
                      "build", str(corpus), "-o", str(out), "--store", str(store), "-q")
    assert killed.returncode == -9, killed.stderr
    assert out.read_bytes() == old_output
    with store_lock(store):                          # the next writer recovers
        pass
    assert _exports(store, tmp_path, "after") == old_store
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".store.")) == [".store.lock"]
    _build(corpus, out, store)
    _same_as_full(corpus, tmp_path, store, out, "nq")


def test_incremental_stale_or_damaged_state_gives_a_full_build(corpus, tmp_path, monkeypatch, full_builds, caplog):
    import logging
    import kg.incremental
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    out, store = tmp_path / "out.nq", tmp_path / "store"
    _build(corpus, out, store)
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n", encoding="utf-8")
    real = kg.incremental.fingerprint
    monkeypatch.setattr(kg.incremental, "fingerprint", lambda: "another code or lexicon")   # as after an upgrade
    with caplog.at_level(logging.INFO, logger="kg"):
        _build(corpus, out, store)
    assert len(full_builds) == 2
    assert "full build: the code, lexicons, shapes or ontology changed" in caplog.text
    _same_as_full(corpus, tmp_path, store, out, "nq")
    monkeypatch.setattr(kg.incremental, "fingerprint", real)
    _build(corpus, out, store)                      # a full build wrote a state of the current code
    assert len(full_builds) == 4
    (store / "kabar-incremental.sqlite").write_bytes(b"not a database" * 100)
    changed.write_text(changed.read_text(encoding="utf-8") + "\nWali Kota Bogor Dedie A. Rachim hadir.\n", encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="kg"):
        _build(corpus, out, store)
    assert len(full_builds) == 5 and "full build: the incremental state is damaged" in caplog.text
    _same_as_full(corpus, tmp_path, store, out, "nq")
    changed.write_text(changed.read_text(encoding="utf-8") + "\nIa hadir.\n", encoding="utf-8")
    _build(corpus, out, store, "--no-store")        # options: no store, no state; the store is not touched
    full = len(full_builds)
    _build(corpus, out, store)
    assert len(full_builds) == full                 # the state was rewritten by the last full build


def test_incremental_patch_output_replaces_adds_and_removes_blocks_in_order(tmp_path):
    """The output patch puts each changed block where a full build writes it (blocks in the order of their
    terms, kg.pipeline.BuildResult.write_ntriples / write_nquads): replaced, added first, between and last,
    removed; the rest copied as it was."""
    from kg.incremental import patch_output
    lines = {t: f"<{t}> <p> \"{t}\" .\n<{t}> <q> <x> .\n".encode() for t in ("b", "d", "d/e", "f")}
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_bytes(b"".join(lines[t] for t in sorted(lines, key=lambda t: f"<{t}>")))
    changed = {b"<a>": b"<a> <p> <z> .\n", b"<d>": b"<d> <p> <y> .\n", b"<c>": b"<c> <p> <z> .\n",
               b"<d/e>": b"", b"<g>": b"<g> <p> <z> .\n"}
    patch_output(old, new, "subject", changed)
    want = {**{f"<{t}>".encode(): v for t, v in lines.items()}, **changed}
    assert new.read_bytes() == b"".join(want[t] for t in sorted(want))
    quads = b"".join(f"<s> <p> <o> <{g}> .\n".encode() for g in ("g1", "g2", "g3"))
    old.write_bytes(quads)
    patch_output(old, new, "graph", {b"<g2>": b"<s> <p> <n> <g2> .\n", b"<g0>": b""})
    assert new.read_bytes() == quads.replace(b"<o> <g2>", b"<n> <g2>")


def test_incremental_patch_lines_removes_and_inserts_lines_in_order(tmp_path):
    """The N-Triples output is patched line by line (the union's lines the build lost and gained): a line
    removed, lines inserted first, between, beside a removed one and last, a line added that the output holds
    already kept once; a line to remove that the output lacks gives the whole output instead (Fallback)."""
    import random
    from kg.incremental import Fallback, patch_lines
    lines = sorted(f"<s{i % 7}> <p{i % 3}> \"{i}\" ." for i in range(60))
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")
    rng = random.Random(7)
    remove = set(rng.sample(lines, 12)) | {lines[0], lines[-1]}
    add = {"<a> <p> <o> .", "<s3> <p1> \"x\" .", "<z> <p> <o> .", "<s9> <p> \"é\" .", lines[5]} - remove
    patch_lines(old, new, remove, add)
    assert new.read_text(encoding="utf-8") == "".join(ln + "\n" for ln in sorted((set(lines) - remove) | add))
    patch_lines(old, new, set(), set())
    assert new.read_bytes() == old.read_bytes()
    with pytest.raises(Fallback):
        patch_lines(old, new, {"<s1> <p0> \"not there\" ."}, set())


def _jkn(day: str, person: str, office: str) -> str:
    """An article giving Kabupaten Flores Timur's JKN coverage 93,65 persen as of DAY."""
    return ("Pemkab Flores Timur Raih predikat Zona Hijau 2025\n\n"
            "FLORES TIMUR | warta.id - Pemerintah Kabupaten (Pemkab) Flores Timur meraih predikat Zona Hijau 2025 "
            f"dari Ombudsman RI.\n\nKepala {office} Pemkab Flores Timur. {person}. mengatakan per {day} sebanyak "
            "447.112 jiwa atau 93,65 persen penduduk Kabupaten Flores Timur telah terdaftar sebagai peserta JKN.\n")


def test_incremental_after_nodes_were_left_out(corpus, tmp_path, monkeypatch, full_builds, caplog):
    """Two articles give one measurement two dates: the union breaks sh:maxCount 1 and the node is left out
    with its links. A change elsewhere is incremental and keeps that report; a change to one of those two
    articles reaches across articles: a full build."""
    import logging
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    (corpus / "jkn_a.txt").write_text(_jkn("1 Mei 2025", "Citra Lubis", "Dinas Sosial (Dinsos)"), encoding="utf-8")
    (corpus / "jkn_b.txt").write_text(_jkn("1 September 2025", "Rina Halim", "Dinas Kesehatan (Dinkes)"),
                                      encoding="utf-8")
    out, store = tmp_path / "out.nt", tmp_path / "store"
    first = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(store), "-q"])
    assert first.exit_code == 1 and "kg: left out" in first.output and "93.65" in first.output
    changed = sorted(corpus.glob("dev_*.txt"))[4]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n", encoding="utf-8")
    again = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(store), "-q"])
    assert len(full_builds) == 1, "the rebuild was a full build"
    assert again.exit_code == 1 and again.output == first.output
    _same_as_full(corpus, tmp_path, store, out, "nt")
    before = out.read_bytes()                     # --strict writes nothing when a node is left out: a full build decides
    changed.write_text(changed.read_text(encoding="utf-8") + "\nWakil Bupati Bogor hadir.\n", encoding="utf-8")
    full = len(full_builds)
    strict = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(store), "-q", "--strict"])
    assert len(full_builds) == full + 1 and strict.exit_code == 1 and "--strict: nothing written" in strict.output
    assert out.read_bytes() == before
    (corpus / "jkn_b.txt").write_text(_jkn("1 Mei 2025", "Rina Halim", "Dinas Kesehatan (Dinkes)"), encoding="utf-8")
    full = len(full_builds)
    with caplog.at_level(logging.INFO, logger="kg"):
        last = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(store), "-q"])
    assert len(full_builds) == full + 1 and "jkn_b.txt: names a node the shapes left out" in caplog.text
    assert last.exit_code == 0, last.output      # one date now: nothing left out
    _same_as_full(corpus, tmp_path, store, out, "nt")


@pytest.fixture
def hashed(monkeypatch):
    """The sources whose bytes were hashed (kg.pipeline._cache_key calls), by key."""
    calls = []
    real = kg.pipeline._cache_key

    def counting(source):
        calls.append(source.key)
        return real(source)
    monkeypatch.setattr(kg.pipeline, "_cache_key", counting)
    return calls


def test_incremental_unchanged_files_are_not_hashed_again(corpus, tmp_path, monkeypatch, counted_reads, hashed,
                                                          full_builds):
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("kg.incremental.SETTLE_NS", 0)   # the files were written a moment ago
    _build(corpus, tmp_path / "out.nt", tmp_path / "store")
    changed = sorted(corpus.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n",
                       encoding="utf-8")
    hashed.clear()
    counted_reads.clear()
    _build(corpus, tmp_path / "out.nt", tmp_path / "store")
    assert len(full_builds) == 1                      # the rebuild was incremental
    assert set(hashed) == {changed.name}              # the seven others: their stats were those recorded
    assert counted_reads == [changed.name]
    hashed.clear()
    _build(corpus, tmp_path / "out.nt", tmp_path / "store")
    assert hashed == []                               # its new stat was recorded by the rebuild
    _same_as_full(corpus, tmp_path, tmp_path / "store", tmp_path / "out.nt", "nt")


@pytest.mark.parametrize("how", ["same size, mtime set back", "replaced by rename, mtime set back", "touched"])
def test_incremental_content_change_is_seen_when_size_and_mtime_are_kept(corpus, tmp_path, monkeypatch,
                                                                          counted_reads, hashed, how):
    """What an editor, `cp -p` or `rsync -t` may do: the bytes change, the size and the modification time stay
    (set back with os.utime). The change time (ctime) moves, which no user tool can set: the file is hashed and
    read again. A file only touched is hashed again, and not read (its content key is the same)."""
    import os
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("kg.incremental.SETTLE_NS", 0)
    _build(corpus, tmp_path / "out.nq", tmp_path / "store")
    victim = sorted(corpus.glob("*.txt"))[4]
    before = os.stat(victim)
    data = victim.read_bytes()
    if how == "touched":
        os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
        new = data
    else:
        new = data.replace(b"2025", b"2024", 1) if b"2025" in data else data.replace(b"a", b"o", 1)
        assert new != data and len(new) == len(data)
        if how.startswith("replaced"):
            (corpus / "tmp.part").write_bytes(new)
            os.replace(corpus / "tmp.part", victim)
        else:
            victim.write_bytes(new)
        os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(victim)
    assert (after.st_size, after.st_mtime_ns) == ((before.st_size, before.st_mtime_ns) if how != "touched"
                                                  else (before.st_size, before.st_mtime_ns + 1_000_000_000))
    hashed.clear()
    counted_reads.clear()
    _build(corpus, tmp_path / "out.nq", tmp_path / "store")
    assert set(hashed) == {victim.name}
    assert counted_reads == ([] if how == "touched" else [victim.name])
    _same_as_full(corpus, tmp_path, tmp_path / "store", tmp_path / "out.nq", "nq")


def test_incremental_stat_of_a_file_changed_in_the_last_moments_is_not_trusted(corpus, tmp_path, monkeypatch,
                                                                               hashed):
    """A stat taken within SETTLE_NS of the file's last change is not recorded (a write in the same tick of
    a coarse file-system clock could keep its times): every file is hashed by the next build, until then."""
    import os
    import time
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("kg.incremental.SETTLE_NS", 3600 * 10**9)   # files changed within the hour are recent
    _build(corpus, tmp_path / "out.nt", tmp_path / "store")
    hashed.clear()
    _build(corpus, tmp_path / "out.nt", tmp_path / "store")
    assert sorted(hashed) == sorted(f.name for f in corpus.glob("*.txt"))
    from kg.incremental import file_stat
    f = sorted(corpus.glob("*.txt"))[0]
    assert file_stat(f, time.time_ns()) is None
    monkeypatch.setattr("kg.incremental.SETTLE_NS", 0)
    assert file_stat(f, time.time_ns())[0] == os.stat(f).st_size
    assert file_stat(corpus, time.time_ns()) is None                 # a folder: not a regular file
    assert file_stat(corpus / "missing.txt", time.time_ns()) is None


def test_incremental_union_check_finds_a_node_two_graphs_now_describe(corpus, tmp_path, monkeypatch, full_builds,
                                                                      caplog):
    """An added article gives a measurement another article states a second date: the node is described in
    two article graphs (asked of the named graphs' index, kg.incremental._article_graphs), the union breaks
    sh:maxCount 1, and a full build leaves the node out, as a fresh full build does."""
    import logging
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    (corpus / "jkn_a.txt").write_text(_jkn("1 Mei 2025", "Citra Lubis", "Dinas Sosial (Dinsos)"), encoding="utf-8")
    out, store = tmp_path / "out.nt", tmp_path / "store"
    assert runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(store), "-q"]).exit_code == 0
    (corpus / "jkn_b.txt").write_text(_jkn("1 September 2025", "Rina Halim", "Dinas Kesehatan (Dinkes)"),
                                      encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="kg"):
        again = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--store", str(store), "-q"])
    assert len(full_builds) == 2 and "the union of the article graphs violates the shapes" in caplog.text
    assert again.exit_code == 1 and "kg: left out" in again.output
    _same_as_full(corpus, tmp_path, store, out, "nt")


def test_incremental_an_article_changed_while_the_build_reads_it_is_read_again_by_the_next(
        corpus, tmp_path, monkeypatch):
    """With the extraction cache off, the content key the state keeps is read before the article's facts
    (in the worker that reads it): an article changed right after it was read, while the build goes on, is
    read again by the next build, which gives the bytes of a fresh full build. (Read at the end of the
    build, the key would be the new text's while the facts are the old one's: the next build would keep
    them.)"""
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", "off")
    changed = sorted(corpus.glob("*.txt"))[3]
    reads, done = [], []
    real = kg.pipeline._extract

    def read_then_change(source, lexicon):
        result = real(source, lexicon)
        reads.append(source.key)
        if source.path == changed and not done:   # in the first build: changed once read
            done.append(source.key)
            changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto "
                               "mengatakan program itu berlanjut.\n", encoding="utf-8")
        return result
    monkeypatch.setattr(kg.pipeline, "_extract", read_then_change)
    _build(corpus, tmp_path / "first.nt", tmp_path / "store")
    assert len(reads) == 8
    reads.clear()
    again = _build(corpus, tmp_path / "first.nt", tmp_path / "store")
    assert reads == [changed.name]
    assert again == _build(corpus, tmp_path / "full.nt", tmp_path / "store-full", "--no-store")


# ------------------------------------------------------------------------------- compiled patterns kept (kg.caches)

_PATTERNS = [   # groups, names, flags, classes, look-arounds, repeats, a trie of names (kg.textutil.alternation)
    r"(?P<kind>Kota|Kabupaten)\s+(?P<place>[A-Z]\w+(?:\s+[A-Z]\w+)?)",
    r"(?i)\bpemkab\b[^#.]{0,80}\b(?:menanggung|membayar)",
    r"(\d(?<!\w\d)\d?)\s+((?:sep(?:t(?:ember)?)?|des(?:ember)?))\s*(\d{4})?",
    r"(?<![\w-])(?:Wali\s+Kota|Wakil\s+Bupati|Bupati)(?![\w-])",
    r"^(?:\s*(\w+)\s*\.)?\s*(\w+)$",
]
_TEXTS = ["Kota Blitar dan Kabupaten Tulungagung", "PEMKAB Bogor akan menanggung iuran", "per 1 september 2024",
          "Wakil Bupati Blitar", "x. y", "tidak ada"]


def _matches(pattern):
    return [[(m.span(), m.groups(), m.groupdict()) for m in pattern.finditer(t)] for t in _TEXTS]


def _fresh(i: int, pattern: str) -> str:
    return pattern + f"(?#kept {i} {id(_fresh)})"   # a text re's own cache has not seen


def test_incremental_kept_patterns_compile_as_python_does(tmp_path, monkeypatch):
    """What kg.caches.kept_patterns keeps gives the engine's own compiled pattern: the same matches, groups and
    flags, without parsing the pattern again; re compiles as before outside the block."""
    monkeypatch.setattr("kg.caches.SAVE_COST", 0.0)   # (a few small patterns: written all the same)
    import re
    from re import _compiler, _parser
    import kg.caches
    texts = [_fresh(i, p) for i, p in enumerate(_PATTERNS)]
    expected = [re.compile(t) for t in texts]
    ordinary = _compiler.compile
    re.purge()
    with kg.caches.kept_patterns(tmp_path) as on:
        assert on and _compiler.compile is not ordinary
        first = [re.compile(t) for t in texts]
    assert _compiler.compile is ordinary
    assert len(list(tmp_path.glob("patterns-*.regex"))) == 1
    re.purge()

    def no_parsing(*args):
        raise AssertionError("parsed again")
    monkeypatch.setattr(_parser, "parse", no_parsing)
    with kg.caches.kept_patterns(tmp_path):
        again = [re.compile(t) for t in texts]
    monkeypatch.undo()
    for want, *got in zip(expected, first, again):
        for g in got:
            assert (g.pattern, g.flags, g.groups, dict(g.groupindex)) == (want.pattern, want.flags, want.groups,
                                                                          dict(want.groupindex))
            assert _matches(g) == _matches(want)


def test_incremental_kept_patterns_keep_what_textutil_reads_of_them(tmp_path, monkeypatch):
    """What kg.textutil reads of a pattern with the engine's parser (opening texts, required texts, the opening
    finder) is kept with the compiled patterns: a later block gives the same values without parsing."""
    monkeypatch.setattr("kg.caches.SAVE_COST", 0.0)   # (a few small patterns: written all the same)
    import re
    from re import _parser
    import kg.caches
    from kg import textutil

    def read(text):
        p = re.compile(text)
        finder = textutil.opening_finder(p)
        return (textutil.opening_texts(p), textutil.lower_opening_texts(p), textutil.required_texts(p),
                textutil.required_lower_texts(p), finder.pattern if finder else None)
    texts = [_fresh(20 + i, p) for i, p in enumerate(_PATTERNS)]
    expected = [read(t) for t in texts]
    re.purge()
    with kg.caches.kept_patterns(tmp_path):
        assert [read(t) for t in texts] == expected
    re.purge()

    def no_parsing(*args):
        raise AssertionError("parsed again")
    monkeypatch.setattr(_parser, "parse", no_parsing)
    with kg.caches.kept_patterns(tmp_path):
        again = [read(t) for t in texts]
    monkeypatch.undo()
    assert again == expected


@pytest.mark.parametrize("damage", ["file", "code"])
def test_incremental_kept_patterns_damaged_are_compiled_again(tmp_path, monkeypatch, damage):
    """A damaged file of kept patterns, or code the engine refuses, costs a compilation, never a wrong pattern;
    the file is written anew."""
    monkeypatch.setattr("kg.caches.SAVE_COST", 0.0)   # (a few small patterns: written all the same)
    import pickle
    import re
    import kg.caches
    texts = [_fresh(10 + i, p) for i, p in enumerate(_PATTERNS)]
    expected = [re.compile(t) for t in texts]
    re.purge()
    with kg.caches.kept_patterns(tmp_path):
        [re.compile(t) for t in texts]
    [kept] = tmp_path.glob("patterns-*.regex")
    if damage == "file":
        kept.write_bytes(b"not a pickle")
    else:
        entries, values = pickle.loads(kept.read_bytes())
        for key, (flags, code, *rest) in entries.items():
            entries[key] = (flags, code[: len(code) // 2], *rest)   # cut short: _sre refuses it
        kept.write_bytes(pickle.dumps((entries, values)))
    re.purge()
    with kg.caches.kept_patterns(tmp_path):
        again = [re.compile(t) for t in texts]
    assert [_matches(g) for g in again] == [_matches(w) for w in expected]
    assert len(pickle.loads(kept.read_bytes())[0]) >= len(texts)


def test_incremental_kept_patterns_off_without_a_cache_folder(tmp_path):
    """KABAR_KG_EXTRACT_CACHE=off (kg.caches.cache_dir None): nothing is kept, re is left alone."""
    from re import _compiler
    import kg.caches
    ordinary = _compiler.compile
    with kg.caches.kept_patterns(None) as on:
        assert not on and _compiler.compile is ordinary


# ------------------------------------------------------------- the previous output freed after the rebuild (DEFER_BYTES)

def _leftovers(folder):
    import re
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(".kg-build-") or re.search(r"\.(new|old|swap)-\d+$", p.name))


def _gone_soon(folder, seconds=30.0):
    import time
    deadline = time.monotonic() + seconds
    while _leftovers(folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _leftovers(folder)


def test_incremental_large_previous_output_and_store_are_freed_after_the_build(corpus, tmp_path, monkeypatch):
    """A rebuild whose previous output is large (kg.pipeline.DEFER_BYTES, 0 here) gives it a second name in the
    staging folder before renaming the new one into place, moves the previous store there after the swap, and
    leaves removing that folder to a process of its own: the output and store are those of a full build at
    once, and nothing is left behind."""
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(kg.pipeline, "DEFER_BYTES", 0)
    out, store = tmp_path / "out.nt", tmp_path / "store"
    _build(corpus, out, store)
    later = []
    real = kg.pipeline._remove_later

    def recording(folder, first):
        later.append([p.relative_to(folder).as_posix() for p in first])
        assert all(p.exists() for p in first)
        return real(folder, first)
    monkeypatch.setattr(kg.pipeline, "_remove_later", recording)
    for i, changed in enumerate(sorted(corpus.glob("*.txt"))[2:4]):
        changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n",
                           encoding="utf-8")
        previous = out.stat().st_ino
        _build(corpus, out, store)
        assert later[i] == ["replaced", "previous-store"] and out.stat().st_ino != previous
        assert _gone_soon(tmp_path) == []
    _same_as_full(corpus, tmp_path, store, out, "nt")


def test_incremental_small_previous_output_is_freed_at_once(corpus, tmp_path, monkeypatch):
    """Below DEFER_BYTES (the tests' outputs) the staging folder and the previous store go before kg build ends."""
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(kg.pipeline, "_remove_later", lambda *a: pytest.fail("removed in the background"))
    out, store = tmp_path / "out.nt", tmp_path / "store"
    _build(corpus, out, store)
    changed = sorted(corpus.glob("*.txt"))[5]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n", encoding="utf-8")
    _build(corpus, out, store)
    assert _leftovers(tmp_path) == []


def test_incremental_killed_after_the_previous_output_was_set_aside(corpus, tmp_path, monkeypatch):
    """SIGKILL once the previous (large) output has its second name and before the new one is renamed into place:
    the previous output and store stay, and the next build is right and removes what the killed one left."""
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    out, store = tmp_path / "out.nt", tmp_path / "store"
    _build(corpus, out, store)
    old_output, old_store = out.read_bytes(), _exports(store, tmp_path, "old")
    changed = sorted(corpus.glob("*.txt"))[4]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n", encoding="utf-8")
    killed = kg_after("""
        import os, signal
        import kg.pipeline
        kg.pipeline.DEFER_BYTES = 0
        real = kg.pipeline.StagedOutput._set_aside
        def set_aside_then_die(self):
            real(self)
            assert self.deferred
            os.kill(os.getpid(), signal.SIGKILL)
        kg.pipeline.StagedOutput._set_aside = set_aside_then_die
    """, "build", str(corpus), "-o", str(out), "--store", str(store), "-q")
    assert killed.returncode == -9, killed.stderr
    assert out.read_bytes() == old_output
    assert _leftovers(tmp_path)   # the staging folder (with the second name) and the swap's siblings
    from kg.store import store_lock
    with store_lock(store):      # the next writer recovers
        pass
    assert _exports(store, tmp_path, "after") == old_store
    _build(corpus, out, store)
    assert _leftovers(tmp_path) == []
    _same_as_full(corpus, tmp_path, store, out, "nt")


def test_incremental_full_build_workers_keep_the_patterns_they_compiled(corpus, tmp_path, monkeypatch):
    """The workers that read the articles of a full build (-j 2) keep the patterns they compiled when they exit
    (kg.caches.kept_by_worker): a new process reading one article then parses few patterns; with nothing kept
    it parses hundreds."""
    import os
    import subprocess
    import sys
    import textwrap
    from tests.helpers import ROOT
    cache = tmp_path / "cache"
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(cache))
    built = subprocess.run([sys.executable, "-c", "import sys; from kg.cli import app; app(sys.argv[1:])", "build",
                            str(corpus), "-o", str(tmp_path / "out.nt"), "--store", str(tmp_path / "store"), "-q",
                            "-j", "2"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert built.returncode in (0, 1), built.stderr   # (a fresh process: this one compiled the patterns already)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from re import _parser
        import kg.caches
        parsed = []
        real = _parser.parse
        _parser.parse = lambda *a: parsed.append(a) or real(*a)
        with kg.caches.kept_patterns(Path({str(cache)!r})):
            from kg.articles import article_sources
            from kg.lexicon import load_lexicon
            from kg.pipeline import _extract
            _extract(article_sources([Path({str(sorted(corpus.glob('*.txt'))[5])!r})])[0], load_lexicon())
        print(len(parsed))
    """)
    counts = []
    for folder in (cache, tmp_path / "empty"):
        folder.mkdir(exist_ok=True)
        run = subprocess.run([sys.executable, "-c", script.replace(str(cache), str(folder))], cwd=ROOT,
                             capture_output=True, text=True, timeout=120, env=dict(os.environ, PYTHONHASHSEED="0"))
        assert run.returncode == 0, run.stderr
        counts.append(int(run.stdout.split()[-1]))
    kept, none = counts
    assert none > 200 and kept < none / 4, counts


def test_incremental_kept_patterns_are_not_written_for_a_few_cheap_ones(tmp_path):
    """A process that compiled only a few cheap patterns anew (an article's own words) leaves the file as it is:
    writing it costs more than they do (kg.caches.SAVE_COST)."""
    import re
    import kg.caches
    with kg.caches.kept_patterns(tmp_path):
        re.compile(_fresh(30, r"\bkata\b"))
    assert not list(tmp_path.glob("patterns-*.regex"))


def test_incremental_kept_patterns_a_bad_pattern_fails_as_re_says(tmp_path):
    """A pattern the parser refuses raises the re.error re gives, with the patterns kept or not."""
    import re
    import kg.caches
    bad = _fresh(40, "(?P<x>a") + "("

    def error():
        with pytest.raises(re.error) as caught:
            re.compile(bad)
        return str(caught.value)
    expected = error()
    with kg.caches.kept_patterns(tmp_path):
        assert error() == expected


def test_incremental_rebuild_of_lines_imports_no_rdflib(corpus, tmp_path, monkeypatch):
    """A one-article rebuild writing .nt or .nq needs no rdflib (0.13 s to import): it reads, emits and
    validates as text (kg.iris, kg.emit, the Rust engine), and the store does the rest."""
    monkeypatch.setenv("KABAR_KG_EXTRACT_CACHE", str(tmp_path / "cache"))
    out, store = tmp_path / "out.nq", tmp_path / "store"
    _build(corpus, out, store)
    changed = sorted(corpus.glob("*.txt"))[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBupati Bogor Rudy Susmanto hadir.\n", encoding="utf-8")
    rebuilt = kg_after("""
        import kg.incremental
        built = kg.incremental.build_incremental
        def watched(*args, **kwargs):
            result = built(*args, **kwargs)
            print("rebuilt", "with rdflib" if "rdflib" in sys.modules else "without rdflib", file=sys.stderr)
            return result
        kg.incremental.build_incremental = watched
    """, "build", str(corpus), "-o", str(out), "--store", str(store), "-q")
    assert rebuilt.returncode in (0, 1), rebuilt.stderr
    assert "rebuilt without rdflib" in rebuilt.stderr
    _same_as_full(corpus, tmp_path, store, out, "nq")
