"""Any Unicode in an article: every output format is written and reads back (issue 8, docs/RELIABILITY.md).

A single U+2028, U+2029 or NEL (U+0085, or byte 0x85 of a Windows-1252 file read as Latin-1) in a
sentence used to split an N-Triples line, so that the whole build stopped with a parser traceback."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef
from typer.testing import CliRunner

from kg.articles import parse_article, read_article
from kg.cli import app
from kg.facts import extract_facts
from kg.lexicon import load_lexicon
from kg.mentions import find_mentions
from kg.export import export_store
from kg.pipeline import BuildResult
from kg.emit import article_triples, graph_names
from kg.resolve import resolve_entities
from kg.validate import by_subject, prune_chunks

LEX = load_lexicon()
PROV_VALUE = URIRef("http://www.w3.org/ns/prov#value")
FORMATS = {  # extension -> (rdflib format, pyoxigraph format, holds named graphs)
    ".ttl": ("turtle", ox.RdfFormat.TURTLE, False),
    ".nt": ("nt", ox.RdfFormat.N_TRIPLES, False),
    ".nq": ("nquads", ox.RdfFormat.N_QUADS, True),
    ".trig": ("trig", ox.RdfFormat.TRIG, True),
    ".jsonld": ("json-ld", ox.RdfFormat.JSON_LD, True),
    ".rdf": ("xml", ox.RdfFormat.RDF_XML, False),
}
# line and paragraph separators, NEL and the other C1 controls, C0 controls, DEL, lone surrogates,
# noncharacters (U+FDD0.., U+FFFE/U+FFFF of planes 0, 1 and 16), a BOM, bidi marks, and what the
# formats escape
AWKWARD = ["\u2028", "\u2029", "\x85", "\x80", "\x81", "\x9d", "\x9f", "\x00", "\x08", "\x0b", "\x0c", "\r",
           "\x1c", "\x1e", "\x1f", "\x7f", "\ud800", "\udbff", "\udc00", "\udfff", "\ufdd0", "\ufdef", "\ufffe",
           "\uffff", "\U0001fffe", "\U0010ffff", "\ufeff", "\u200f", "\u202e", "\ufffd", "\t", "\\", '"', "'",
           "<", ">", "&", "]]>", '"""', "@", "\U0001f600"]
any_char = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
awkward_text = st.lists(st.one_of(st.sampled_from(AWKWARD), any_char), min_size=1, max_size=4).map("".join)


def body(a: str, b: str, c: str, d: str) -> str:
    """An article whose sentences name a mayor, an award and a figure, with A..D inside those sentences."""
    return (f"Wali Kota Blitar Budi Santoso{a} meraih UHC Awards 2026 di Jakarta{b}, Senin (3/2/2026). "
            f"Cakupan JKN Kota Blitar mencapai 98,5 persen{c} penduduk, ujar Budi Santoso{d}.")


def write_every_format(result: BuildResult, folder: Path) -> dict[str, Path]:
    """Write RESULT in every format as `kg build` does (its N-Quads loaded into a store, which exports each
    format), from a store in memory: a store on disk takes 0.3 s to open and close."""
    store = ox.Store()
    store.bulk_load(input=result.nquads, format=ox.RdfFormat.N_QUADS)
    store.bulk_load(input=result.union_ntriples, format=ox.RdfFormat.N_TRIPLES)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for ext in FORMATS:
        export_store(store, folder / f"kg{ext}", articles_only=True)
        written[ext] = folder / f"kg{ext}"
    return written


def read_back(path: Path) -> tuple[set[str], dict[str, str]]:
    """The triples of PATH as read by pyoxigraph (N-Triples lines), and its evidence texts as read by rdflib
    (evidence IRI -> prov:value); both parsers must read every format."""
    rdflib_format, ox_format, named = FORMATS[path.suffix]
    triples = {f"{q.subject} {q.predicate} {q.object}" for q in ox.parse(path=str(path), format=ox_format)}
    data = Dataset() if named else Graph()
    data.parse(str(path), format=rdflib_format)
    triples_rdflib = data.quads((None, PROV_VALUE, None, None)) if named else \
        ((s, p, o, None) for s, p, o in data.triples((None, PROV_VALUE, None)))
    return triples, {str(s): str(o) for s, _, o, _ in triples_rdflib}


def check_every_format(result: BuildResult, folder: Path) -> dict[str, str]:
    """Write RESULT in every format; each reads back with rdflib and pyoxigraph to the same triples, and each
    evidence text is as long as the span its IRI names (characters were replaced, never dropped)."""
    seen = {ext: read_back(path) for ext, path in write_every_format(result, folder).items()}
    triples, evidence = seen[".nt"]
    assert evidence, "the article should give evidence sentences"
    for ext, (t, e) in seen.items():
        assert t == triples, f"{ext} reads back to other triples than .nt"
        assert e == evidence, f"{ext} reads back to other evidence texts than .nt"
    for iri, text in evidence.items():
        start, end = map(int, re.search(r"#char=(\d+),(\d+)$", iri).groups())
        assert len(text) == end - start, (iri, text)
    return evidence


def build_in_memory(raw: str, source: str) -> BuildResult:
    article = parse_article(raw, source, LEX)
    kb = resolve_entities([extract_facts(find_mentions(article, LEX))], LEX)
    graphs = {source: by_subject(lines) for source, lines in article_triples(kb, LEX).items()}
    return BuildResult(graphs, kb, prune_chunks(graphs, kb, LEX), names=graph_names(kb))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(awkward_text, awkward_text, awkward_text, awkward_text, awkward_text, awkward_text)
def test_unicode_any_code_point_gives_every_format_readable(tmp_path_factory, title, a, b, c, d, name):
    """Typically 0.3 s an example (six formats written through a temporary store and read twice)."""
    raw = f"Judul {title} Berita\n\nBLITAR | B-news.id - " + body(a, b, c, d)
    result = build_in_memory(raw, "berita-" + name.replace("/", "-") + ".txt")
    text = result.articles[0].text
    evidence = check_every_format(result, tmp_path_factory.mktemp("fmt"))
    for iri, value in evidence.items():   # the same characters where nothing had to be replaced
        start, end = map(int, re.search(r"#char=(\d+),(\d+)$", iri).groups())
        assert all(x == y or x in " \n\ufffd" for x, y in zip(value, text[start:end]))


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separator_in_a_sentence_is_a_line_break(tmp_path, separator):
    raw = "BLITAR | B-news.id - " + body(separator, "", separator, "")
    article = parse_article(raw, "x.txt", LEX)
    assert separator not in article.text and "Santoso\n\nmeraih" in article.text
    evidence = check_every_format(build_in_memory(raw, "x.txt"), tmp_path)
    assert any(t.startswith("Cakupan JKN Kota Blitar mencapai 98,5 persen") for t in evidence.values())


runner = CliRunner()


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_unicode_separators_and_a_latin1_nel_byte_build_in_every_format(tmp_path, ext):
    """The issue's files: U+2028/U+2029/U+0085 in UTF-8 sentences, and a Latin-1 file holding byte 0x85
    next to 0x81 (a byte Windows-1252 leaves undefined, which made the reader fall back to Latin-1)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "utf8.txt").write_bytes(("BLITAR | B-news.id - " + body("\u2028", "\u2029", "\x85", "")).encode("utf-8"))
    latin = ("MADIUN | warta.id - Wali Kota Madiun Maidi menerima Piala Adipura 2024\x85 \x81 di Jakarta. "
             "Cakupan JKN Kota Madiun mencapai 99,1 persen penduduk\x85 ujar Maidi.")
    (folder / "latin1.txt").write_bytes(latin.encode("latin-1"))
    out = tmp_path / f"kg{ext}"
    result = runner.invoke(app, ["build", str(folder), "-o", str(out), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    triples, evidence = read_back(out)
    texts = sorted(evidence.values())
    assert any("Piala Adipura 2024\u2026" in t for t in texts), texts   # 0x85 is "…" as Windows-1252 has it
    assert any(t.startswith("Cakupan JKN Kota Blitar mencapai 98,5 persen") for t in texts), texts
    assert not any(ch in t for t in texts for ch in "\u2028\u2029\x85\x81")


def test_unicode_windows_1252_bytes_are_read_as_browsers_do(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"MALANG | warta.id - Kata \x93Kami\x94 dan \x85 lalu \x81 serta \x9d.\r\nBaris\x0ckedua.")
    text = read_article(path, LEX).text
    assert "\u201cKami\u201d dan \u2026 lalu \x81 serta \x9d." in text
    assert "Baris\n\nkedua." in text   # a form feed is a line break


def test_unicode_file_name_with_undecodable_bytes_is_written_readably(tmp_path):
    """A file name that is not UTF-8 (byte 0xFF) reaches Python with a lone surrogate; kg:sourceFile holds
    U+FFFD in its place, and every format is written."""
    folder = tmp_path / "articles"
    folder.mkdir()
    name = os.fsdecode(b"berita-\xff.txt")
    (folder / name).write_bytes(("BLITAR | B-news.id - " + body("", "", "", "")).encode("utf-8"))
    for ext in (".nq", ".rdf", ".jsonld"):
        out = tmp_path / f"kg{ext}"
        result = runner.invoke(app, ["build", str(folder), "-o", str(out), "--store", str(tmp_path / "store")])
        assert result.exit_code == 0, result.output
        triples, _ = read_back(out)
        assert any("sourceFile" in t and "berita-\ufffd.txt" in t for t in triples), ext
