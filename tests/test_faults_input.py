"""Bad input files, hostile text, atomic writes and idempotence (docs/RELIABILITY.md)."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset
from typer.testing import CliRunner

from kg.cli import app
from kg.store import open_store, store_lock
from tests.helpers import SEEDS, SHARED

runner = CliRunner()
GOOD = "000_c0579e94ec1dab6c.txt"
GOOD_LABEL = '"Pemerintah Kota Blitar"@id'


def corpus_with(tmp_path: Path, name: str, payload: bytes | None) -> Path:
    """A folder with one good seed article and one more file NAME holding PAYLOAD."""
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    shutil.copy(SEEDS / GOOD, folder / GOOD)
    if payload is not None:
        (folder / name).write_bytes(payload)
    return folder


def build(tmp_path: Path, *paths: Path, fmt: str = "nt", extra: tuple[str, ...] = ()):
    out = tmp_path / f"kg.{fmt}"
    result = runner.invoke(app, ["build", *map(str, paths), "-o", str(out), "--store", str(tmp_path / "store"), *extra])
    return result, out


def assert_good_article_built(out: Path) -> None:
    assert GOOD_LABEL in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ bad files: skipped with a message

@pytest.mark.parametrize("name, payload, message", [
    ("kosong.txt", b"", "kosong.txt: empty file, expected an article"),
    ("spasi.txt", b"  \n\t\n", "spasi.txt: empty file, expected an article"),
    ("gambar.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "gambar.txt: binary file (NUL bytes), expected UTF-8 text"),
])
def test_faults_bad_file_is_skipped_and_named(tmp_path, name, payload, message):
    result, out = build(tmp_path, corpus_with(tmp_path, name, payload))
    assert result.exit_code == 4
    assert message in result.output and "skipped 1" in result.output
    assert_good_article_built(out)


def test_faults_huge_file_is_skipped_without_being_read(tmp_path):
    folder = corpus_with(tmp_path, "dump.txt", None)
    with open(folder / "dump.txt", "wb") as fh:      # 100 MB, sparse: cheap to make
        fh.truncate(100_000_000)
    result, out = build(tmp_path, folder)
    assert result.exit_code == 4 and "dump.txt: 100.0 MB is too large for one article" in result.output
    assert_good_article_built(out)


def test_faults_unreadable_file_is_skipped(tmp_path, monkeypatch):
    folder = corpus_with(tmp_path, "rahasia.txt", b"MALANG | a.id - Isi.")
    real = os.open
    def fake_open(path, flags, *args, **kwargs):   # as root, chmod 000 still reads: simulate a user account
        if Path(path).name == "rahasia.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", fake_open)
    result, out = build(tmp_path, folder)
    assert result.exit_code == 4 and "rahasia.txt: permission denied" in result.output
    assert_good_article_built(out)


def test_faults_missing_path_is_skipped_and_the_rest_built(tmp_path):
    folder = corpus_with(tmp_path, "x", None)
    result, out = build(tmp_path, folder / GOOD, tmp_path / "hilang.txt")
    assert result.exit_code == 4 and "hilang.txt: no such file" in result.output
    assert_good_article_built(out)


def test_faults_same_article_twice_is_read_once(tmp_path):
    folder = corpus_with(tmp_path, "salinan.txt", (SEEDS / GOOD).read_bytes())
    result, out = build(tmp_path, folder)
    assert result.exit_code == 4 and "salinan.txt: same text as 000_c0579e94ec1dab6c.txt; read once" in result.output
    assert "/article/salinan" not in out.read_text(encoding="utf-8")
    assert_good_article_built(out)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig"])
def test_faults_other_encodings_and_bom_are_read_not_skipped(tmp_path, encoding):
    quote = "«Kami bangga»" if encoding == "latin-1" else "“Kami bangga,”"   # latin-1 has no curly quotes
    text = f"MALANG | warta.id - Pemkot Malang menerima Piala Adipura 2024. {quote} kata Budi Santoso, pemilik café.\r\n"
    result, out = build(tmp_path, corpus_with(tmp_path, "lain.txt", text.encode(encoding)))
    assert result.exit_code == 0, result.output
    content = out.read_text(encoding="utf-8")
    assert '"Pemerintah Kota Malang"@id' in content and quote in content and "café" in content
    assert "\r" not in content


def test_faults_no_dateline_is_a_warning_and_the_article_is_read(tmp_path):
    result, out = build(tmp_path, corpus_with(tmp_path, "tanpa.txt", b"Pemkab Ngawi membuka posko kesehatan baru.\n"))
    assert result.exit_code == 0
    assert "tanpa.txt:1: no dateline found" in result.output
    assert '"Pemerintah Kabupaten Ngawi"@id' in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ hostile text

HOSTILE = (
    'SURABAYA | x.id - Wali Kota Madiun Budi "Bos" <Santoso> hadir. Kepala Dinkes Pemkot Madiun, Ani\\Wati, '
    'berkata "<script>alert(1)</script>" dan \u202eRTL\u202c \u200fmark. Kontrol \x07\x1b[31m merah.\n'
    'Kalimat dengan tanda } ; """ \'\'\' <http://evil/> . dan DROP ALL ; INSERT DATA { <a> <b> <c> }.\n'
    + "Token" + "x" * 200_000 + " selesai.\n")


def test_faults_hostile_text_gives_valid_iris_and_parsable_output_in_every_format(tmp_path):
    folder = corpus_with(tmp_path, "jahat.txt", HOSTILE.encode("utf-8"))
    for fmt, parser in (("nt", "nt"), ("nq", "nquads"), ("ttl", "turtle"), ("trig", "trig"), ("jsonld", "json-ld"),
                        ("rdf", "xml")):
        result, out = build(tmp_path, folder, fmt=fmt)
        assert result.exit_code == 0, result.output
        ds = Dataset()
        ds.parse(out, format=parser)           # rdflib reads it back
        ox_fmt = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
                  "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "rdf": ox.RdfFormat.RDF_XML}[fmt]
        quads = list(ox.parse(path=str(out), format=ox_fmt))   # and so does pyoxigraph
        assert len(quads) == len(ds) or fmt in ("nt", "ttl", "rdf")
        for s, p, o, _ in ds.quads((None, None, None, None)):
            for term in (s, p, o):
                if term.__class__.__name__ == "URIRef":
                    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*", str(term)), term
    assert runner.invoke(app, ["validate", str(tmp_path / "kg.nt")]).exit_code == 0


def test_faults_hostile_labels_are_stored_as_data_and_queries_stay_safe(tmp_path):
    folder = corpus_with(tmp_path, "jahat.txt", HOSTILE.encode("utf-8"))
    build(tmp_path, folder)
    store = open_store(tmp_path / "store")
    before = len(store)
    result = runner.invoke(app, ["query", "--store", str(tmp_path / "store"), "--named", "officials", "--format", "csv"])
    assert result.exit_code == 0 and "Budi" in result.output
    assert len(open_store(tmp_path / "store")) == before


# ------------------------------------------------------------------ nothing half-written

def test_faults_failing_store_write_keeps_the_previous_store_and_output(tmp_path, monkeypatch):
    folder = corpus_with(tmp_path, "x", None)
    result, out = build(tmp_path, folder)
    assert result.exit_code == 0
    old_output, old_quads = out.read_bytes(), set(open_store(tmp_path / "store"))
    (folder / "baru.txt").write_text("MALANG | a.id - Pemkot Malang menerima Piala Adipura 2024.", encoding="utf-8")
    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(ox.Store, "flush", broken)
    result, _ = build(tmp_path, folder)
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert "the previous output and store are kept" in result.output
    assert out.read_bytes() == old_output
    assert set(open_store(tmp_path / "store")) == old_quads
    assert not [p for p in tmp_path.iterdir() if ".new-" in p.name or p.name.endswith(".part")]


def test_faults_killed_build_leaves_previous_output_and_store(tmp_path):
    folder = corpus_with(tmp_path, "x", None)
    result, out = build(tmp_path, folder)
    old_output, old_quads = out.read_bytes(), set(open_store(tmp_path / "store"))
    big = tmp_path / "big"
    subprocess.run([sys.executable, str(Path(__file__).resolve().parent.parent / "bench" / "synth.py"), str(big),
                    "--articles", "400"], check=True, capture_output=True)
    process = subprocess.Popen([str(Path(sys.executable).parent / "kg"), "build", str(big), "-o", str(out),
                                "--store", str(tmp_path / "store")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert out.read_bytes() == old_output
    assert set(open_store(tmp_path / "store")) == old_quads


def test_faults_interrupted_swap_is_recovered(tmp_path):
    folder = corpus_with(tmp_path, "x", None)
    build(tmp_path, folder)
    quads = set(open_store(tmp_path / "store"))
    os.rename(tmp_path / "store", tmp_path / ".store.old-4242")   # killed between the two renames
    (tmp_path / ".store.new-4242").mkdir()                          # and a half-written new store
    with store_lock(tmp_path / "store"):
        pass
    assert set(open_store(tmp_path / "store")) == quads
    assert not (tmp_path / ".store.new-4242").exists()


def test_faults_two_builds_on_one_store_are_refused(tmp_path):
    folder = corpus_with(tmp_path, "x", None)
    with store_lock(tmp_path / "store"):
        result, out = build(tmp_path, folder)
    assert result.exit_code == 2 and "another kg build is writing this store" in result.output
    assert not out.exists()


# ------------------------------------------------------------------ idempotence

@pytest.mark.parametrize("fmt", ["nq", "ttl", "jsonld"])
def test_faults_same_input_same_bytes_whatever_order_or_workers(tmp_path, fmt):
    """The dev corpus built from its files in order with one worker, in reverse order with two, and as a folder
    with two: the same bytes, in each output format (one test per format, so that a parallel run spreads them)."""
    dev = SHARED / "corpus" / "dev"
    if not dev.is_dir():
        pytest.skip("shared/corpus/dev not found")
    files = sorted(dev.glob("*.txt"))
    blobs = []
    for label, args in (("one", ["-j", "1", *map(str, files)]), ("two", ["-j", "2", *map(str, reversed(files))]),
                        ("folder", ["-j", "2", str(dev)])):
        out = tmp_path / f"{label}.{fmt}"
        result = runner.invoke(app, ["build", *args, "-o", str(out), "--store", str(tmp_path / f"s-{label}")])
        assert result.exit_code == 0, result.output
        blobs.append(out.read_bytes())
    assert blobs[0] == blobs[1] == blobs[2]
