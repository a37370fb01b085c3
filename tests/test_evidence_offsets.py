"""Evidence offsets index the article text as Kabar KG reads it, as the ontology states at kg:startOffset:
kg.articles.read_article(path).text for a text file, kg.sources.item_article(item, lexicon).text for a page
or record; text[start:end] is the evidence sentence (prov:value) and the IRI's #char=START,END."""
from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import PROV, RDFS
from typer.testing import CliRunner

from kg.articles import read_article
from kg.cli import app
from kg.resources import ONTOLOGY_FILE
from kg.sources import item_article, read_items
from tests.helpers import SEEDS

KG = Namespace("https://w3id.org/kabar-kg/ontology#")
runner = CliRunner()


def _evidence(graph_file: Path) -> list[tuple[str, int, int, str, str]]:
    """(source file, start, end, prov:value, IRI) of every evidence span in the graph."""
    g = Graph().parse(graph_file)
    out = []
    for e in g.subjects(KG.startOffset, None):
        article = g.value(e, KG.inArticle)
        out.append((str(g.value(article, KG.sourceFile)), int(g.value(e, KG.startOffset)),
                    int(g.value(e, KG.endOffset)), str(g.value(e, PROV.value)), str(e)))
    return out


def _build(folder: Path, tmp_path: Path) -> Path:
    out = tmp_path / "kg.ttl"
    done = runner.invoke(app, ["build", str(folder), "-o", str(out), "--no-store", "-q"])
    assert done.exit_code == 0, done.output
    return out


def _check(spans, texts: dict[str, str]) -> None:
    assert spans
    for source, start, end, value, iri in spans:
        assert texts[source][start:end] == value, (source, start, end)
        assert re.search(r"#char=(\d+),(\d+)$", iri).groups() == (str(start), str(end))


def test_evidence_offsets_slice_the_sentence_out_of_the_text_as_read(tmp_path):
    """A file with a byte order mark, CR LF line ends, a title, a dateline, indented lines and a 'Baca
    juga' line: the offsets are not those of the file, but of read_article's text."""
    folder = tmp_path / "in"
    folder.mkdir()
    seed = (SEEDS / "000_c0579e94ec1dab6c.txt").read_text(encoding="utf-8")
    lines = seed.split("\n")
    messy = "\r\n".join(["  " + ln if i % 3 == 0 else ln for i, ln in enumerate(lines)][:4]
                        + ["Baca Juga: Blitar Menenun Kebhinnekaan di Jalan Sehat"] + lines[4:])
    (folder / "berita.txt").write_bytes(b"\xef\xbb\xbf" + messy.encode("utf-8"))
    other = SEEDS / "002_8465883fa85a0744.txt"
    (folder / other.name).write_bytes(other.read_bytes())
    spans = _evidence(_build(folder, tmp_path))
    texts = {p.name: read_article(p).text for p in folder.iterdir()}
    _check(spans, texts)
    raw = (folder / "berita.txt").read_bytes().decode("utf-8-sig")
    mine = [s for s in spans if s[0] == "berita.txt"]
    assert mine and {s[0] for s in spans} == {"berita.txt", other.name}
    assert any(raw[start:end] != value for _, start, end, value, _ in mine)   # not the file's offsets


def test_evidence_offsets_of_a_web_page_index_its_text_as_read(tmp_path, lexicon):
    folder = tmp_path / "in"
    folder.mkdir()
    body = "".join(f"<p>{ln}</p>\n" for ln in (SEEDS / "000_c0579e94ec1dab6c.txt").read_text(encoding="utf-8")
                   .split("\n")[2:] if ln.strip())
    (folder / "halaman.html").write_text(
        "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>Kota Blitar Raih Dua Penghargaan"
        "</title></head><body><nav><a href='/'>Beranda</a> <a href='/x'>Nasional</a></nav><article>"
        f"<h1>Kota Blitar Raih Dua Penghargaan</h1>\n{body}</article>"
        "<aside><h3>Berita Terkait</h3><ul><li><a href='/y'>Bupati Kediri tinjau jalan</a></li></ul></aside>"
        "</body></html>", encoding="utf-8")
    spans = _evidence(_build(folder, tmp_path))
    (item,) = list(read_items([folder]))
    _check(spans, {item.source: item_article(item, lexicon).text})


def test_evidence_offsets_the_ontology_says_which_text_they_index():
    g = Graph().parse(ONTOLOGY_FILE)
    comment = str(g.value(URIRef(KG.startOffset), RDFS.comment))
    for words in ("Unicode code points", "not in the bytes or lines of the source file", "trafilatura",
                  "kg.articles.read_article(path).text", "kg.sources.item_article(item, lexicon).text"):
        assert words in comment
    assert "kg:startOffset" in str(g.value(URIRef(KG.Evidence), RDFS.comment))
