"""The build under faults: the store folder, output and store written together, the write lock, article
IRIs, one bad article, special files, UTF-16, and byte-identical output whatever the hash seed
(docs/RELIABILITY.md)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import kg.pipeline
from kg.articles import read_capped
from kg.cli import app
from kg.errors import ArticleError
from kg.pipeline import StagedOutput, build_graph
from kg.store import MARKER, open_store, store_lock
from tests.helpers import ROOT, SEEDS

runner = CliRunner()
GOOD = "000_c0579e94ec1dab6c.txt"
GOOD_LABEL = '"Pemerintah Kota Blitar"@id'
KG = str(Path(sys.executable).parent / "kg")
PLACES = ["Malang", "Madiun", "Kediri", "Batu", "Probolinggo", "Pasuruan", "Mojokerto", "Surabaya"]


def article(place: str, extra: str = "") -> str:
    """A short article about PLACE (each place gives a different text)."""
    return (f"{place.upper()} | warta.id - Pemkot {place} menerima Piala Adipura 2024 dari Kementerian "
            f"Lingkungan Hidup, Senin (5/2/2024). {extra}\n")


def seed_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    shutil.copy(SEEDS / GOOD, folder / GOOD)
    return folder


def build(tmp_path: Path, *paths: Path, out: Path | None = None, store: Path | None = None, extra=()):
    out = out or tmp_path / "kg.nt"
    store = store or tmp_path / "store"
    result = runner.invoke(app, ["build", *map(str, paths), "-o", str(out), "--store", str(store), *extra])
    return result, out


def leftovers(folder: Path) -> list[str]:
    """Temporary things a build may leave beside its output or store."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(".kg-build-") or p.name.endswith(".part") or re.search(r"\.(new|old|swap)-\d+$", p.name))


def graphs_of(nq: Path) -> set[str]:
    return {q.graph_name.value for q in ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS)}


# ------------------------------------------------------------------ --store is never a folder kg did not make

def test_faults_store_folder_with_user_files_is_refused_and_kept(tmp_path):
    docs = tmp_path / "dokumen"
    docs.mkdir()
    (docs / "laporan.docx").write_bytes(b"penting")
    result, out = build(tmp_path, seed_corpus(tmp_path), store=docs)
    assert result.exit_code == 2
    assert f"{docs}: a folder that is not a Kabar KG store (it holds laporan.docx)" in result.output
    assert (docs / "laporan.docx").read_bytes() == b"penting" and sorted(os.listdir(docs)) == ["laporan.docx"]
    assert not out.exists()


def test_faults_store_is_the_input_folder_refused_and_articles_kept(tmp_path):
    folder = seed_corpus(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result, _ = build(tmp_path, folder, store=folder)
    assert result.exit_code == 2 and "not a Kabar KG store" in result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_faults_store_that_is_a_file_is_refused_and_not_hidden(tmp_path):
    target = tmp_path / "catatan.txt"
    target.write_text("jangan dihapus", encoding="utf-8")
    result, _ = build(tmp_path, seed_corpus(tmp_path), store=target)
    assert result.exit_code == 2 and f"{target}: exists and is not a folder" in result.output
    assert target.read_text(encoding="utf-8") == "jangan dihapus"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles", "catatan.txt"]


def test_faults_store_is_marked_and_a_marked_store_with_foreign_files_is_refused(tmp_path):
    store = tmp_path / "store"
    store.mkdir()                                   # an empty folder is fine
    result, out = build(tmp_path, seed_corpus(tmp_path), store=store)
    assert result.exit_code == 0, result.output
    marker = json.loads((store / MARKER).read_text(encoding="utf-8"))
    assert marker["format"] == "kabar-kg-store" and marker["version"] == 1
    assert runner.invoke(app, ["build", str(tmp_path / "articles"), "-o", str(out), "--store", str(store)]).exit_code == 0
    (store / "catatan.txt").write_text("milik saya", encoding="utf-8")
    result, _ = build(tmp_path, tmp_path / "articles", store=store)
    assert result.exit_code == 2 and "also holds files Kabar KG did not write (catatan.txt)" in result.output
    assert (store / "catatan.txt").read_text(encoding="utf-8") == "milik saya"


def test_faults_unmarked_store_of_an_earlier_version_is_replaced(tmp_path):
    folder = seed_corpus(tmp_path)
    result, _ = build(tmp_path, folder)
    (tmp_path / "store" / MARKER).unlink()          # what earlier versions left: RocksDB files only
    (folder / "baru.txt").write_text(article("Malang"), encoding="utf-8")
    result, out = build(tmp_path, folder)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "store" / MARKER).is_file()
    assert "Pemerintah Kota Malang" in out.read_text(encoding="utf-8")


def test_faults_oxigraph_store_not_made_by_kabar_is_refused_and_kept(tmp_path):
    other = tmp_path / "lain"
    s = ox.Store(str(other))
    s.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"), ox.Literal("c"),
                  ox.NamedNode("http://example.org/graph")))
    s.flush()
    del s
    result, _ = build(tmp_path, seed_corpus(tmp_path), store=other)
    assert result.exit_code == 2 and f"{other}: an Oxigraph store that Kabar KG did not make" in result.output
    assert len(open_store(other)) == 1


def test_faults_store_through_a_symbolic_link_keeps_the_link(tmp_path):
    (tmp_path / "disk").mkdir()
    link = tmp_path / "store"
    link.symlink_to(tmp_path / "disk" / "simpan")
    result, _ = build(tmp_path, seed_corpus(tmp_path), store=link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and (tmp_path / "disk" / "simpan" / MARKER).is_file()
    assert len(open_store(link)) > 0


# ------------------------------------------------------------------ output and store: both or neither

@pytest.fixture
def built(tmp_path):
    """A corpus built once (output and store), then a new article added: what the next build would change."""
    folder = seed_corpus(tmp_path)
    result, out = build(tmp_path, folder)
    assert result.exit_code == 0
    (folder / "baru.txt").write_text(article("Malang"), encoding="utf-8")
    return folder, out, out.read_bytes(), set(open_store(tmp_path / "store"))


def test_faults_output_that_is_a_directory_keeps_the_previous_store(tmp_path, built):
    folder, _, _, quads = built
    target = tmp_path / "hasil.nt"
    target.mkdir()
    result, _ = build(tmp_path, folder, out=target)
    assert result.exit_code == 2 and f"{target}: is a directory" in result.output
    assert set(open_store(tmp_path / "store")) == quads
    assert not leftovers(tmp_path)


def test_faults_output_name_too_long_keeps_the_previous_store(tmp_path, built):
    folder, _, _, quads = built
    target = tmp_path / ("h" * 300 + ".nt")
    result, _ = build(tmp_path, folder, out=target)
    assert result.exit_code == 2 and "file name too long" in result.output and str(target) in result.output
    assert set(open_store(tmp_path / "store")) == quads
    assert not leftovers(tmp_path)


@pytest.mark.parametrize("way", ["full", "incremental"])
def test_faults_disk_full_while_writing_the_output_keeps_store_and_output(tmp_path, built, monkeypatch, way):
    folder, out, old_output, quads = built
    def full(self, fh, **kwargs):
        fh.write(b"<a> <b> ")                      # half written, then the disk is full
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("kg.pipeline.BuildResult.write_ntriples", full)
    if way == "full":                              # no incremental state: a full build writes the output
        (tmp_path / "store" / "kabar-incremental.sqlite").unlink()
    else:                                          # the previous output patched (kg.incremental)
        def patch(old, new, *args):
            with open(new, "wb") as fh:
                full(None, fh)
        monkeypatch.setattr("kg.incremental.patch_output", patch)    # .nq: graph blocks
        monkeypatch.setattr("kg.incremental.patch_lines", patch)     # .nt: lines
    result, _ = build(tmp_path, folder, out=out)
    assert result.exit_code == 2
    assert f"{out}: cannot write (No space left on device); the previous output and store are kept" in result.output
    assert ".part" not in result.output and ".kg-build" not in result.output
    assert out.read_bytes() == old_output and set(open_store(tmp_path / "store")) == quads
    assert not leftovers(tmp_path)


def test_faults_disk_full_in_the_temporary_folder_keeps_store_and_output(tmp_path, built, monkeypatch):
    """A full build keeps the emitted article graphs in an unlinked temporary file (kg.spool): when the
    temporary folder is full, the build stops naming that folder and TMPDIR, exit 2, and the previous
    output and store stay; the temporary folder is left empty."""
    import tempfile
    folder, out, old_output, quads = built
    (tmp_path / "store" / "kabar-incremental.sqlite").unlink()   # a full build
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))

    def full(fd, data, offset):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("kg.spool.os.pwrite", full)
    result, _ = build(tmp_path, folder, out=out)
    assert result.exit_code == 2, result.output
    assert (f"{temp}: cannot write the build's temporary file (No space left on device); set TMPDIR to a "
            "folder with room; nothing written") in " ".join(result.output.split())
    assert out.read_bytes() == old_output and set(open_store(tmp_path / "store")) == quads
    assert not leftovers(tmp_path) and list(temp.iterdir()) == []


@pytest.mark.parametrize("failing", ["article graphs", "union"])
def test_faults_disk_full_in_one_of_the_two_store_loads_stops_the_other_and_keeps_both(tmp_path, built, monkeypatch,
                                                                                       failing):
    """The article graphs and their union load at the same time (kg.store._load_both): when one load fails
    on its first chunk, the other one (and the threads writing its chunks) stops too, nothing hangs, the
    store's error is reported, and the previous output and store stay."""
    import threading
    import kg.store
    folder, out, old_output, quads = built
    (tmp_path / "store" / "kabar-incremental.sqlite").unlink()   # a full build
    monkeypatch.setattr(kg.store, "BULK_CHUNK", 400)   # many small chunks: the other load is still waiting
    real = kg.store._bulk_load
    fmt = ox.RdfFormat.N_QUADS if failing == "article graphs" else ox.RdfFormat.N_TRIPLES

    def full(store, data, f, progress=None, lenient=False):
        if f == fmt:
            for _ in data:   # one chunk taken, then the disk is full
                raise OSError(28, "No space left on device")
        return real(store, data, f, progress, lenient)
    monkeypatch.setattr(kg.store, "_bulk_load", full)
    done = []
    thread = threading.Thread(target=lambda: done.append(build(tmp_path, folder, out=out)[0]), daemon=True)
    thread.start()
    thread.join(120)
    assert done, "the build hung after one of the two loads failed"
    assert done[0].exit_code == 2, done[0].output
    assert "cannot write the store (No space left on device); the previous output and store are kept" in done[0].output
    assert out.read_bytes() == old_output and set(open_store(tmp_path / "store")) == quads
    assert not leftovers(tmp_path)
    assert not [t for t in threading.enumerate() if t.name.startswith(("kg-output", "kg-union-load"))]


def test_faults_output_that_cannot_be_put_in_place_brings_the_previous_store_back(tmp_path, built, monkeypatch):
    folder, out, old_output, quads = built
    def refused(self):
        raise OSError(5, "Input/output error", str(self.path))
    monkeypatch.setattr(StagedOutput, "commit", refused)
    result, _ = build(tmp_path, folder, out=out)
    assert result.exit_code == 2 and f"{out}: cannot write (Input/output error)" in result.output
    assert out.read_bytes() == old_output and set(open_store(tmp_path / "store")) == quads
    assert not leftovers(tmp_path)


def run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


def test_faults_staging_left_by_a_killed_build_is_removed_by_the_next(tmp_path, built):
    folder, out, _, _ = built
    killed = run_python(f"""
        import os, signal
        from pathlib import Path
        from kg.pipeline import StagedOutput
        staged = StagedOutput(Path({str(out)!r}))
        staged.path.write_bytes(b"<a> <b> ")           # half the output, then SIGKILL
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    assert killed.returncode == -9
    legacy = tmp_path / f".{out.name}.ab12cd34.part"   # what earlier versions left
    legacy.write_bytes(b"<a> <b> ")
    assert len(leftovers(tmp_path)) == 2
    live = StagedOutput(tmp_path / "lain.nt")          # a build still running beside: its folder stays
    try:
        result, _ = build(tmp_path, folder, out=out)
        assert result.exit_code == 0, result.output
        assert leftovers(tmp_path) == [live.folder.name]
    finally:
        live.close()
    assert not leftovers(tmp_path)


def test_faults_build_killed_between_store_and_output_swap_is_undone(tmp_path, built):
    folder, out, old_output, quads = built
    killed = run_python(f"""
        import os, signal
        from kg.cli import app
        from kg.pipeline import StagedOutput
        StagedOutput.commit = lambda self: os.kill(os.getpid(), signal.SIGKILL)   # the store is swapped in
        app(["build", {str(folder)!r}, "-o", {str(out)!r}, "--store", {str(tmp_path / "store")!r}, "-q"])
    """)
    assert killed.returncode == -9, killed.stderr
    assert out.read_bytes() == old_output
    with store_lock(tmp_path / "store"):               # the next writer finds the journal and undoes the swap
        pass
    assert set(open_store(tmp_path / "store")) == quads
    result, _ = build(tmp_path, folder, out=out)
    assert result.exit_code == 0 and not leftovers(tmp_path)
    assert "Pemerintah Kota Malang" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ the write lock, with two real processes

def test_faults_second_build_is_refused_while_the_first_reads_articles(tmp_path):
    folder = seed_corpus(tmp_path)
    ready, go = tmp_path / "ready", tmp_path / "go"
    first = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from pathlib import Path
        import kg.pipeline
        from kg.cli import app
        real = kg.pipeline.article_sources
        def held_up(paths):        # the first build holds the lock while it is still reading articles
            Path({str(ready)!r}).touch()
            deadline = time.time() + 60
            while not Path({str(go)!r}).exists() and time.time() < deadline:
                time.sleep(0.05)
            return real(paths)
        kg.pipeline.article_sources = held_up
        app(["build", {str(folder)!r}, "-o", {str(tmp_path / "first.nt")!r}, "--store", {str(tmp_path / "store")!r}, "-q"])
    """)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while not ready.exists() and time.time() < deadline and first.poll() is None:
            time.sleep(0.05)
        assert ready.exists(), first.communicate()
        second = subprocess.run([KG, "build", str(SEEDS), "-o", str(tmp_path / "second.nt"), "--store",
                                 str(tmp_path / "store")], capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert f"{tmp_path / 'store'}: another kg build is writing this store" in second.stderr
        assert not (tmp_path / "second.nt").exists()
    finally:
        go.touch()
        _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert {g.value for g in open_store(tmp_path / "store").named_graphs()} == {
        "https://w3id.org/kabar-kg/id/graph/000_c0579e94ec1dab6c", "https://w3id.org/kabar-kg/id/graph/ontology",
        "https://w3id.org/kabar-kg/graph/reference-places"}


# ------------------------------------------------------------------ one graph per source, stable IRIs

COLLIDING = ["a/berita.txt", "b/berita.txt", "berita-" + "x" * 80 + "-satu.txt", "berita-" + "x" * 80 + "-dua.txt",
             "берита.txt", "新聞.txt", "Berita 1.txt", "berita-1.txt"]


def colliding_corpus(root: Path) -> Path:
    for name, place in zip(COLLIDING, PLACES):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(article(place), encoding="utf-8")
    return root


def test_faults_sources_whose_slugs_collide_get_their_own_graphs(tmp_path):
    folder = colliding_corpus(tmp_path / "korpus")
    out = tmp_path / "kg.nq"
    result = runner.invoke(app, ["build", str(folder), "-o", str(out), "--no-store"])
    assert result.exit_code == 0, result.output
    graphs = graphs_of(out)
    assert len(graphs) == len(COLLIDING)
    text = out.read_text(encoding="utf-8")
    for name, place in zip(COLLIDING, PLACES):
        assert f'"Pemerintah Kota {place}"@id' in text
        assert f'<https://w3id.org/kabar-kg/ontology#sourceFile> "{name}"' in text
    assert "https://w3id.org/kabar-kg/id/graph/berita-1>" in text          # a plain name stays as it is
    assert re.search(r"/graph/a-berita--[0-9a-f]{12}>", text)                # others: path slug--hash
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


def test_faults_article_iris_do_not_depend_on_where_the_corpus_lies(tmp_path):
    one = colliding_corpus(tmp_path / "satu")
    two = colliding_corpus(tmp_path / "di" / "tempat" / "lain")
    outs = []
    for folder in (one, two):
        out = tmp_path / f"{folder.name}.nq"
        assert runner.invoke(app, ["build", str(folder), "-o", str(out), "--no-store"]).exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_faults_same_relative_path_under_two_arguments_stays_two_articles(tmp_path):
    for folder, place in (("x", "Malang"), ("y", "Madiun")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "berita.txt").write_text(article(place), encoding="utf-8")
    out = tmp_path / "kg.nq"
    for args in ([str(tmp_path / "x"), str(tmp_path / "y")], [str(tmp_path / "x" / "berita.txt"), str(tmp_path / "y" / "berita.txt")]):
        result = runner.invoke(app, ["build", *args, "-o", str(out), "--no-store"])
        assert result.exit_code == 0, result.output
        assert len(graphs_of(out)) == 2


def test_faults_simple_file_names_keep_readable_iris(seeds_build):
    assert {str(g.identifier) for g in seeds_build.graphs.values()} == {
        "https://w3id.org/kabar-kg/id/graph/000_c0579e94ec1dab6c", "https://w3id.org/kabar-kg/id/graph/002_8465883fa85a0744"}


# ------------------------------------------------------------------ one bad article never costs the others

def test_faults_internal_error_in_one_article_skips_only_that_article(tmp_path, monkeypatch):
    folder = seed_corpus(tmp_path)
    (folder / "rusak.txt").write_text(article("Malang"), encoding="utf-8")
    real = kg.pipeline.extract_facts
    def buggy(doc):
        if doc.article.source == "rusak.txt":
            raise RuntimeError("indeks di luar batas\ndi baris kedua")
        return real(doc)
    monkeypatch.setattr(kg.pipeline, "extract_facts", buggy)
    for workers in ("1", "2"):
        result, out = build(tmp_path, folder, extra=("-j", workers))
        assert result.exit_code == 4, result.output
        assert (f"kg: skipped {folder / 'rusak.txt'}: internal error while extracting facts: "
                "RuntimeError: indeks di luar batas di baris kedua") in result.output
        assert "Traceback" not in result.output
        assert GOOD_LABEL in out.read_text(encoding="utf-8") and "Kota Malang" not in out.read_text(encoding="utf-8")
    verbose = run_python(f"""
        import kg.pipeline
        from kg.cli import app
        def buggy(doc):
            raise RuntimeError("indeks di luar batas")
        kg.pipeline.extract_facts = buggy
        app(["-v", "build", {str(folder / "rusak.txt")!r}, {str(folder / GOOD)!r}, "-o", {str(tmp_path / "v.nt")!r}, "--no-store"])
    """)
    assert verbose.returncode == 2          # every article fails: nothing to write
    assert "Traceback (most recent call last)" in verbose.stderr and "in buggy" in verbose.stderr


def test_faults_internal_error_while_finding_mentions_in_the_library(monkeypatch):
    real = kg.pipeline.find_mentions
    def buggy(article, lexicon):
        if article.source == "002_8465883fa85a0744.txt":
            raise KeyError("kabupaten")
        return real(article, lexicon)
    monkeypatch.setattr(kg.pipeline, "find_mentions", buggy)
    result = build_graph([SEEDS])
    assert [a.source for a in result.articles] == [GOOD]
    assert result.skipped == [f"{SEEDS / '002_8465883fa85a0744.txt'}: internal error while finding mentions: KeyError: 'kabupaten'"]


def test_faults_internal_error_after_extraction_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("tidak terduga")
    monkeypatch.setattr(kg.pipeline, "resolve_entities", broken)
    result, out = build(tmp_path, seed_corpus(tmp_path))
    assert result.exit_code == 2
    assert "kg: error: internal error while building the graph: ValueError: tidak terduga" in result.output
    assert "Traceback" not in result.output and not out.exists()


# ------------------------------------------------------------------ FIFOs, devices, and the size cap

def test_faults_fifo_and_dev_zero_are_skipped_not_read(tmp_path):
    folder = seed_corpus(tmp_path)
    os.mkfifo(folder / "pipa.txt")                       # found in a folder
    os.mkfifo(tmp_path / "argumen.txt")                  # given as an argument
    args = [KG, "build", str(folder), str(tmp_path / "argumen.txt"), "/dev/zero", "-o", str(tmp_path / "kg.nt"),
            "--store", str(tmp_path / "store")]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)   # a regression fails, not hangs
    assert result.returncode == 4, result.stderr
    assert f"kg: skipped {folder / 'pipa.txt'}: is a FIFO (named pipe), expected an article file" in result.stderr
    assert f"kg: skipped {tmp_path / 'argumen.txt'}: is a FIFO (named pipe)" in result.stderr
    assert "kg: skipped /dev/zero: is a character device, expected an article file" in result.stderr
    assert GOOD_LABEL in (tmp_path / "kg.nt").read_text(encoding="utf-8")


def test_faults_size_cap_is_enforced_while_reading_not_from_st_size(tmp_path, monkeypatch):
    big = tmp_path / "besar.txt"
    big.write_bytes(b"a" * 5000)
    real_fstat, real_read = os.fstat, os.read
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    taken = []
    def counting_read(fd, n):
        data = real_read(fd, n)
        taken.append(len(data))
        return data
    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(ArticleError, match="besar.txt: more than"):
        read_capped(big, max_bytes=1000)                 # the size on disk says 10 bytes; it is 5000
    assert sum(taken) == 1001
    assert read_capped(big, max_bytes=5000) == b"a" * 5000


# ------------------------------------------------------------------ UTF-16

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_faults_utf16_text_is_read_not_called_binary(tmp_path, encoding):
    folder = seed_corpus(tmp_path)
    (folder / "lebar.txt").write_bytes(article("Malang", "“Kami bangga,” kata Budi Santoso, pemilik café.").encode(encoding))
    result, out = build(tmp_path, folder)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert '"Pemerintah Kota Malang"@id' in text and "café" in text


def test_faults_broken_utf16_is_reported_as_utf16(tmp_path):
    folder = seed_corpus(tmp_path)
    (folder / "patah.txt").write_bytes(b"\xff\xfe" + article("Malang").encode("utf-16-le") + b"\x00\xd8")
    result, _ = build(tmp_path, folder)
    assert result.exit_code == 4 and "patah.txt: looks like UTF-16 text but is not valid UTF-16" in result.output


# ------------------------------------------------------------------ byte-identical whatever the hash seed

def test_faults_same_bytes_under_every_python_hash_seed(tmp_path):
    folder = seed_corpus(tmp_path)
    shutil.copy(SEEDS / "002_8465883fa85a0744.txt", folder)
    # equal-length short names of one person that overlap in the text: once taken in set order
    (folder / "nama.txt").write_text("BLITAR | contoh.id - Wali Kota Blitar Budi Ani Budi membuka acara di Kota "
                                     "Blitar, Senin (5/1/2026).\n\nMenurut warga, Ani Budi Ani hadir bersama "
                                     "keluarga.\n", encoding="utf-8")
    colliding_corpus(folder / "lain")
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        from kg.pipeline import build_graph, write_outputs
        result = build_graph([Path(sys.argv[1])])
        for ext in ("nq", "ttl"):
            write_outputs(result, Path(sys.argv[2]) / f"kg.{ext}", None)
    """)
    blobs = {}
    for seed in ("0", "1", "2", "3"):
        out = tmp_path / f"seed-{seed}"
        out.mkdir()
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", script, str(folder), str(out)], cwd=ROOT, env=env, check=True,
                       timeout=300, capture_output=True)
        blobs[seed] = ((out / "kg.nq").read_bytes(), (out / "kg.ttl").read_bytes())
    assert b"/person/budi-ani-budi>" in blobs["0"][0]
    assert len(set(blobs.values())) == 1
