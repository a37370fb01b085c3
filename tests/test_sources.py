"""Inputs besides text files (kg/sources.py): saved web pages, JSON Lines corpora, URLs, and folders mixing them.

Pages and corpora are made by the tests, with the clutter real news pages carry (menus, related-article
lists, share widgets, comment forms, sidebars); URLs are served from 127.0.0.1 by a server the tests start.
Nothing here reaches the internet."""
from __future__ import annotations

import html
import json
import os
import socket
import time
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS
from typer.testing import CliRunner

from kg import sources
from kg.articles import read_article
from kg.cli import app
from kg.pipeline import build_graph
from kg.rdf import KG, SCHEMA, union_graph
from kg.sources import Fetcher, FetchError, Item, item_article, read_items
from tests.helpers import SHARED, LocalServer

runner = CliRunner()
DEV = SHARED / "corpus" / "dev"

# what a news site puts around an article: none of it may reach the graph
CLUTTER = ["Beranda", "Indeks Berita", "Cari berita", "Bagikan", "Facebook", "WhatsApp", "Salin Tautan",
           "Berita Terkait", "Bupati Sleman Resmikan Jembatan", "Wali Kota Semarang Terima Penghargaan",
           "Pemkab Kudus Raih Predikat WTP", "Tinggalkan Komentar", "Alamat email Anda",
           "Kirim Komentar", "Kota Magelang", "Terpopuler", "Gubernur Jawa Timur Lantik", "Kota Bandung Raih",
           "Hak cipta", "Pedoman Media Siber", "BACA JUGA", "ADVERTISEMENT", "Telegram"]


def news_page(title: str, paragraphs: list[str], *, url: str | None = "https://warta.example/2026/03/12/berita",
              site: str = "Warta Contoh", published: str | None = "2026-03-12T09:41:00+07:00",
              canonical: bool = True) -> str:
    """A news page as a CMS writes it: head metadata, menu, breadcrumb, share buttons, the article,
    tags, related articles, a comment form with a comment, a sidebar and a footer."""
    esc = html.escape
    head = [f"<title>{esc(title)} | {site}</title>", f'<meta property="og:title" content="{esc(title)}">',
            f'<meta property="og:site_name" content="{site}">']
    if url:
        head.append(f'<meta property="og:url" content="{url}">')
        if canonical:
            head.append(f'<link rel="canonical" href="{url}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    paras = [f"<p>{esc(p)}</p>" for p in paragraphs]
    # inside the article body too: a "read also" link, a share bar, an advert, a box of related stories
    paras.insert(1, '<p><strong>BACA JUGA:</strong> <a href="/a4">Wali Kota Semarang Terima Penghargaan '
                    'Kota Layak Anak 2024</a></p>')
    body = "\n".join(['<div class="sharethis-inline">Bagikan ke WhatsApp Facebook Telegram</div>',
                      '<div class="ads">ADVERTISEMENT</div>', *paras,
                      '<div class="related-inline"><span>Berita Terkait</span><ul><li><a href="/a5">Kota '
                      'Bandung Raih Adipura 2024</a></li></ul></div>'])
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
{chr(10).join(head)}
<script>window.dataLayer = [{{"page": "artikel"}}];</script>
</head><body>
<header><nav class="menu"><ul><li><a href="/">Beranda</a></li><li><a href="/nasional">Nasional</a></li>
<li><a href="/daerah">Daerah</a></li><li><a href="/indeks">Indeks Berita</a></li></ul></nav>
<form class="search"><input name="q" placeholder="Cari berita..."></form></header>
<div class="breadcrumb"><a href="/">Beranda</a> &raquo; <a href="/daerah">Daerah</a></div>
<main><article class="post">
<h1 class="entry-title">{esc(title)}</h1>
<div class="meta">Oleh <a href="/penulis/dwi">Dwi Hartanto</a></div>
<div class="share"><span>Bagikan:</span> <a href="https://facebook.com/sharer">Facebook</a>
<a href="https://twitter.com/share">Twitter</a> <a href="https://wa.me/?text=x">WhatsApp</a> <a href="#">Salin Tautan</a></div>
<div class="entry-content">
{body}
</div>
<div class="tags">Tag: <a href="/tag/pemda">Pemda</a></div>
</article>
<section class="related"><h3>Berita Terkait</h3><ul>
<li><a href="/a1">Bupati Sleman Resmikan Jembatan Baru di Kecamatan Depok</a></li>
<li><a href="/a2">Wali Kota Semarang Terima Penghargaan Kota Layak Anak 2024</a></li>
<li><a href="/a3">Pemkab Kudus Raih Predikat WTP Kesembilan Kali</a></li></ul></section>
<section id="comments"><h3>Tinggalkan Komentar</h3>
<form class="comment-form"><p>Alamat email Anda tidak akan dipublikasikan.</p><textarea name="comment"></textarea>
<input name="author" placeholder="Nama"><button>Kirim Komentar</button></form>
<div class="comment"><b>Budi</b>: Selamat untuk Kota Magelang yang juga meraih Adipura Kencana!</div></section>
</main>
<aside class="sidebar"><h3>Terpopuler</h3><ol><li><a href="/p1">Gubernur Jawa Timur Lantik Pj Bupati Probolinggo</a></li>
<li><a href="/p2">Kota Bandung Raih Adipura 2024</a></li></ol></aside>
<footer><p>&copy; 2026 {site}. Hak cipta dilindungi.</p><a href="/pedoman">Pedoman Media Siber</a></footer>
</body></html>"""


TITLE = "Kota Blitar Raih Penghargaan UHC Awards 2026"
BODY = ["BLITAR | warta.example - Pemerintah Kota Blitar menerima penghargaan Universal Health Coverage (UHC) "
        "Awards 2026 dari Pemerintah Pusat di Jakarta, Selasa (10/3/2026).",
        "Wali Kota Blitar Syauqul Muhibbin mengatakan cakupan kepesertaan JKN di Kota Blitar telah mencapai "
        "98,5 persen dari jumlah penduduk.",
        "Penghargaan itu diserahkan Menteri Koordinator Bidang Pembangunan Manusia dan Kebudayaan."]


def labels(g) -> set[str]:
    from rdflib.namespace import RDFS
    return {str(o) for o in g.objects(None, RDFS.label)}


def dev_parts(name: str) -> tuple[str, list[str], date | None]:
    """The title, paragraphs and publication date of a dev article, as its text file gives them."""
    lines = [ln.strip() for ln in (DEV / name).read_text(encoding="utf-8").split("\n")]
    article = read_article(DEV / name)
    rest = [ln for ln in lines if ln]
    title = rest[0] if article.title == rest[0] else None
    return title, rest[1:] if title else rest, article.published


def facts_of(result) -> set:
    """The triples of a build that do not name an article: entities, facts and what evidence says,
    with each evidence node replaced by its sentence."""
    g = union_graph(result.dataset)
    evidence_text = {s: str(o) for s, o in g.subject_objects(URIRef("http://www.w3.org/ns/prov#value"))}
    out = set()
    for s, p, o in g:
        if "/article/" in s:
            continue
        out.add((s, p, Literal(evidence_text[o]) if o in evidence_text else o))
    return out


# ------------------------------------------------------------------ web pages

def test_sources_page_keeps_the_article_and_drops_the_page_clutter(tmp_path, lexicon):
    page = tmp_path / "berita.html"
    page.write_text(news_page(TITLE, BODY), encoding="utf-8")
    article = item_article(next(read_items([page])), lexicon)
    assert article.title == TITLE
    assert article.published == date(2026, 3, 12)
    assert article.url == "https://warta.example/2026/03/12/berita"
    assert article.place == "BLITAR" and article.publisher == "warta.example"
    assert "cakupan kepesertaan JKN di Kota Blitar telah mencapai 98,5 persen" in article.text
    assert article.text.count(TITLE) == 1
    for clutter in CLUTTER:
        assert clutter not in article.text, clutter
    assert not article.warnings


def test_sources_page_clutter_never_becomes_an_entity(tmp_path):
    (tmp_path / "berita.html").write_text(news_page(TITLE, BODY), encoding="utf-8")
    result = build_graph([tmp_path])
    g = union_graph(result.dataset)
    found = labels(g)
    assert "Kota Blitar" in found
    for name in ("Kota Magelang", "Kabupaten Sleman", "Kota Semarang", "Kabupaten Kudus", "Kota Bandung",
                 "Kabupaten Probolinggo"):
        assert name not in found, name
    article = next(g.subjects(KG.sourceFile, Literal("berita.html")))
    assert g.value(article, SCHEMA.url) == URIRef("https://warta.example/2026/03/12/berita")
    assert g.value(article, DCTERMS.issued) == Literal(date(2026, 3, 12))
    assert g.value(article, DCTERMS.title) == Literal(TITLE, lang="id")


def test_sources_page_without_dateline_takes_site_and_url_from_its_metadata(tmp_path, lexicon):
    body = [p.split(" - ", 1)[-1] for p in BODY]          # no "BLITAR | warta.example -"
    page = tmp_path / "b.htm"
    page.write_text(news_page(TITLE, body, canonical=False, site="Warta Contoh"), encoding="windows-1252")
    article = item_article(next(read_items([page])), lexicon)
    assert article.publisher == "Warta Contoh" and article.place is None
    assert article.url == "https://warta.example/2026/03/12/berita"      # og:url without a canonical link
    assert not article.warnings            # a page's date and site make up for the missing dateline


def test_sources_page_saved_whole_by_a_browser_keeps_the_url_it_was_saved_from(tmp_path, lexicon):
    page = tmp_path / "disimpan.html"
    page.write_text("<!-- saved from url=(0033)https://warta.example/berita/77 -->\n"
                    + news_page(TITLE, BODY, url=None), encoding="utf-8")
    article = item_article(next(read_items([page])), lexicon)
    assert article.url == "https://warta.example/berita/77" and article.source == "disimpan.html"


def test_sources_page_evidence_offsets_index_the_text_as_read(tmp_path):
    (tmp_path / "berita.html").write_text(news_page(TITLE, BODY), encoding="utf-8")
    result = build_graph([tmp_path])
    (article,) = result.articles
    evidence = [ev for node in result.kb.nodes.values() for ev in node.evidence]
    assert evidence
    for ev in evidence:
        assert article.text[ev.start:ev.end] == ev.text


def test_sources_page_reading_fetches_nothing(tmp_path, lexicon, monkeypatch):
    """trafilatura and htmldate read the page as given: any network use would fail here."""
    def no_network(*args, **kwargs):
        raise AssertionError("a page reader tried to open a connection")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    page = tmp_path / "berita.html"
    page.write_text(news_page(TITLE, BODY, url="https://warta.example/berita?id=5"), encoding="utf-8")
    assert "Kota Blitar" in item_article(next(read_items([page])), lexicon).text


def test_sources_page_without_article_text_is_skipped_and_named(tmp_path):
    (tmp_path / "kosong.html").write_text("<html><head><title>x</title></head><body><nav>Beranda</nav></body></html>",
                                          encoding="utf-8")
    (tmp_path / "berita.html").write_text(news_page(TITLE, BODY), encoding="utf-8")
    result = runner.invoke(app, ["build", str(tmp_path), "-o", str(tmp_path / "kg.nt"), "--no-store"])
    assert result.exit_code == 4, result.output
    assert "kosong.html: no article text found in the web page" in result.output
    assert "read 1 article(s)" in result.output


@pytest.mark.parametrize("name", ["dev_02_salatiga-adipura.txt", "dev_09_lampung-barat-kejari-mou.txt",
                                  "dev_18_jateng-swasti-saba-2025.txt"])
@pytest.mark.parametrize("kind", ["html", "jsonl"])
def test_sources_dev_article_as_page_or_record_gives_the_facts_of_its_text_file(tmp_path, name, kind):
    if not (DEV / name).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{DEV / name} not found: CI must have shared/ beside the clone")
        pytest.skip(f"{DEV / name} not found")
    title, paragraphs, published = dev_parts(name)
    folder = tmp_path / kind
    folder.mkdir()
    if kind == "html":
        # htmldate trusts a date in the URL first, so this one has none
        (folder / "page.html").write_text(news_page(title or "", paragraphs, url=f"https://warta.example/{name}",
                                                    published=published and published.isoformat()), encoding="utf-8")
    else:
        record = {"url": "https://warta.example/a/1", "title": title, "text": "\n".join(paragraphs),
                  "published": published and published.isoformat()}
        (folder / "c.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    from_text = build_graph([DEV / name])
    from_kind = build_graph([folder])
    assert not from_kind.skipped
    assert facts_of(from_kind) == facts_of(from_text)
    a, b = from_kind.articles[0], from_text.articles[0]
    assert (a.title, a.published, a.place, a.publisher) == (b.title, b.published, b.place, b.publisher)


# ------------------------------------------------------------------ JSON Lines

def write_jsonl(path: Path, lines: list) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


GOOD_RECORD = {"url": "https://warta.example/2026/blitar", "title": TITLE, "published": "2026-03-12T09:41:00+07:00",
               "text": "\n".join(BODY), "site": "Warta Contoh"}


def test_sources_jsonl_bad_lines_are_named_by_line_and_the_others_built(tmp_path):
    corpus = write_jsonl(tmp_path / "korpus.jsonl", [
        GOOD_RECORD,
        "{not json",
        "",
        ["a", "list"],
        {"url": "https://warta.example/x", "title": "Tanpa isi"},
        {"title": 5, "text": "Isi."},
        {"title": "Berita kedua", "date": "Kamis, 12 Maret 2026",
         "text": "SURABAYA | contoh.id - Pemerintah Kota Surabaya meresmikan posko pelayanan BPJS Kesehatan."},
        {"url": "https://warta.example/2026/blitar", "text": "Teks lain dengan URL yang sama."},
    ])
    result = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "kg.nt"), "--no-store"])
    assert result.exit_code == 4, result.output
    for message in (f"{corpus}:2: not valid JSON", f"{corpus}:4: a list where a JSON object (one article) was expected",
                    f"{corpus}:5: no 'text' or 'html' field with the article",
                    f"{corpus}:6: field 'title' is a int, expected a string",
                    f"{corpus}:8: same URL as {corpus}:1; read once"):
        assert message in result.output, message
    assert "read 2 article(s), skipped 5" in result.output
    ds = Dataset()
    ds.parse(tmp_path / "kg.nt", format="nt")
    g = union_graph(ds)
    first = next(g.subjects(SCHEMA.url, URIRef("https://warta.example/2026/blitar")))
    assert g.value(first, KG.sourceFile) == Literal("https://warta.example/2026/blitar")
    assert g.value(first, DCTERMS.issued) == Literal(date(2026, 3, 12))
    assert g.value(first, KG.publisherName) == Literal("warta.example")     # the dateline's site
    second = next(g.subjects(KG.sourceFile, Literal("korpus.jsonl#L7")))    # no URL: file and line
    assert g.value(second, DCTERMS.issued) == Literal(date(2026, 3, 12))
    assert g.value(second, SCHEMA.url) is None
    assert {"Kota Blitar", "Kota Surabaya"} <= labels(g)


def test_sources_jsonl_record_repeating_a_text_file_is_named_by_its_line(tmp_path):
    (tmp_path / "a.txt").write_text("\n\n".join([TITLE, *BODY]), encoding="utf-8")
    write_jsonl(tmp_path / "c.jsonl", [{"title": TITLE, "text": "\n".join(BODY)}])
    result = build_graph([tmp_path])
    assert result.skipped == ["c.jsonl#L1: same text as a.txt; read once"]


def test_sources_jsonl_record_with_html_is_read_as_a_page(tmp_path, lexicon):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"html": news_page(TITLE, BODY), "source": "https://warta.example/s"}])
    (item,) = read_items([corpus])
    article = item_article(item, lexicon)
    assert item.source == "https://warta.example/s"        # trafilatura's JSON names the URL "source"
    assert article.url == "https://warta.example/2026/03/12/berita"   # the page's canonical link
    assert article.title == TITLE and "Berita Terkait" not in article.text


def test_sources_jsonl_odd_date_is_a_warning_not_a_skip(tmp_path, lexicon):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{**GOOD_RECORD, "published": "kemarin sore"}])
    article = item_article(next(read_items([corpus])), lexicon)
    assert article.published is None and "Kota Blitar" in article.text
    assert f"{corpus}:1: 'kemarin sore' is not a date; read without it" in article.warnings


def test_sources_jsonl_record_without_dateline_date_or_site_is_warned_about_by_its_line(tmp_path, lexicon):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "Pemerintah Kota Blitar menerima penghargaan dari pusat."}])
    article = item_article(next(read_items([corpus])), lexicon)
    assert article.warnings == (f"{corpus}:1: no dateline found (expected 'CITY | site.id -' or 'City, site.com —'); "
                                "read without place and publisher",)


def test_sources_url_credentials_never_reach_the_graph(tmp_path, lexicon):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{**GOOD_RECORD, "url": "https://user:rahasia@warta.example/a b"}])
    (item,) = read_items([corpus])
    article = item_article(item, lexicon)
    assert item.source == article.url == "https://warta.example/a%20b"


def test_sources_jsonl_is_read_line_by_line(tmp_path):
    """A 60 MB corpus is read with a few MB of memory: the file is never held whole."""
    corpus = tmp_path / "besar.jsonl"
    line = (json.dumps({**GOOD_RECORD, "url": None, "text": GOOD_RECORD["text"] + " " + "x" * 6000}) + "\n").encode()
    with corpus.open("wb") as fh:
        for _ in range(60_000_000 // len(line)):
            fh.write(line)
    tracemalloc.start()
    try:
        count = sum(1 for item in read_items([corpus]) if isinstance(item, Item))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 60_000_000 // len(line)
    assert peak < 5_000_000, peak


def test_sources_jsonl_overlong_line_is_skipped_and_the_next_read(tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "MAX_LINE_BYTES", 1000)
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"text": "y" * 5000}, GOOD_RECORD])
    items = list(read_items([corpus]))
    assert items[0] == f"{corpus}:1: line longer than 1 kB; line skipped"
    assert isinstance(items[1], Item) and items[1].where == f"{corpus}:2"


# ------------------------------------------------------------------ a folder of every kind

def test_sources_folder_mixes_text_pages_and_corpora(tmp_path):
    folder = tmp_path / "berita"
    (folder / "web").mkdir(parents=True)
    (folder / "teks.txt").write_text("SURABAYA | contoh.id - Pemerintah Kota Surabaya meresmikan posko BPJS.",
                                     encoding="utf-8")
    (folder / "web" / "blitar.html").write_text(news_page(TITLE, BODY), encoding="utf-8")
    write_jsonl(folder / "korpus.jsonl", [
        {"title": "Madiun", "text": "MADIUN | contoh.id - Pemerintah Kota Madiun menerima penghargaan Adipura."}])
    (folder / "catatan.md").write_text("bukan berita", encoding="utf-8")     # not a kind kg reads: left alone
    args = ["build", str(folder), "-o", str(tmp_path / "kg1.nq"), "--store", str(tmp_path / "s1")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "read 3 article(s)" in result.output
    ds = Dataset()
    ds.parse(tmp_path / "kg1.nq", format="nquads")
    g = union_graph(ds)
    assert {str(o) for o in g.objects(None, KG.sourceFile)} == {"teks.txt", "web/blitar.html", "korpus.jsonl#L1"}
    assert len({str(c) for _, _, _, c in ds.quads()}) == 3               # one named graph per article
    assert {"Kota Surabaya", "Kota Blitar", "Kota Madiun"} <= labels(g)
    # the same build with two worker processes writes the same bytes
    args2 = ["build", str(folder), "-o", str(tmp_path / "kg2.nq"), "--store", str(tmp_path / "s2"), "-j", "2"]
    assert runner.invoke(app, args2).exit_code == 0
    assert (tmp_path / "kg1.nq").read_bytes() == (tmp_path / "kg2.nq").read_bytes()


def test_sources_same_name_in_two_folders_are_two_articles(tmp_path):
    for folder, city in (("a", "Surabaya"), ("b", "Madiun")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "berita.html").write_text(news_page(
            city, [f"{city.upper()} | contoh.id - Pemerintah Kota {city} menerima penghargaan Adipura."], url=None),
            encoding="utf-8")
    result = build_graph([tmp_path / "a", tmp_path / "b"])
    assert not result.skipped
    assert sorted(a.source for a in result.articles) == [f"{tmp_path}/a/berita.html", f"{tmp_path}/b/berita.html"]


def test_sources_help_and_nothing_to_read_name_the_kinds_read(tmp_path):
    help_text = " ".join(runner.invoke(app, ["build", "--help"], terminal_width=200).output.split())
    for kind in ("*.txt", "*.html", "*.htm", "*.jsonl", "URLs", "--urls"):
        assert kind in help_text, kind
    result = runner.invoke(app, ["build", "--no-store"])
    assert result.exit_code == 2 and "nothing to read" in result.output and "*.jsonl" in result.output
    (tmp_path / "kosong").mkdir()
    result = runner.invoke(app, ["build", str(tmp_path / "kosong"), "--no-store", "-o", str(tmp_path / "kg.nt")])
    assert result.exit_code == 2
    assert "no readable article found in" in result.output and "saved web pages (*.html, *.htm)" in result.output


# ------------------------------------------------------------------ URLs, served from 127.0.0.1

class Site(LocalServer):
    """The news site the URL tests fetch from, on 127.0.0.1: pages by path, a redirect, a slow page, a page
    busy once, a PDF; records each request (its User-Agent, how often a path was asked for)."""

    methods = ("GET",)
    daemon_threads = True    # the slow page may still be answering when the tests end

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def answer(self, request):
        def page(status: int, body: str, ctype: str = "text/html; charset=utf-8"):
            return status, body.encode("utf-8"), {"Content-Type": ctype}
        path = request.path
        if path == "/berita/blitar":
            return page(200, news_page(TITLE, BODY, url="https://warta.example/2026/03/12/berita"))
        if path == "/lama":
            return 301, b"", {"Location": "/berita/madiun"}
        if path == "/berita/madiun":
            return page(200, news_page("Madiun", ["MADIUN | contoh.id - Pemerintah Kota Madiun menerima penghargaan "
                                                  "Adipura dari Kementerian Lingkungan Hidup."], url=None))
        if path == "/lambat":
            time.sleep(3)
            return page(200, news_page(TITLE, BODY))
        if path == "/sibuk":         # busy once, then answers
            if self.hits(path) == 1:
                return page(503, "sibuk")
            return page(200, news_page("Surabaya", ["SURABAYA | contoh.id - Pemerintah Kota Surabaya meresmikan "
                                                    "posko BPJS Kesehatan."], url=None))
        if path == "/laporan.pdf":
            return page(200, "%PDF-1.4", "application/pdf")
        return page(404, "tidak ada")


@pytest.fixture(scope="module")
def site():
    server = Site()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_sources_url_page_is_fetched_politely_and_read(site, lexicon):
    body, final = Fetcher(timeout=5, retries=0).fetch(f"{site.url}/berita/blitar")
    assert final == f"{site.url}/berita/blitar" and b"Kota Blitar" in body
    assert site.requests[-1].headers["User-Agent"].startswith("kabar-kg/")


def test_sources_url_redirect_is_followed_and_the_final_url_kept(site, lexicon):
    (item,) = read_items([], [f"{site.url}/lama"], Fetcher(timeout=5, retries=0))
    article = item_article(item, lexicon)
    assert item.source == f"{site.url}/lama"                   # its name: the URL as given
    assert article.url == f"{site.url}/berita/madiun"          # no canonical link: the URL it was read from
    assert "Kota Madiun" in article.text


def test_sources_url_404_is_a_clear_error_without_retries(site):
    before = site.hits("/tidak-ada")
    with pytest.raises(FetchError, match=r"/tidak-ada: cannot fetch: HTTP 404 Not Found"):
        Fetcher(timeout=5, retries=3, backoff=0).fetch(f"{site.url}/tidak-ada")
    assert site.hits("/tidak-ada") == before + 1


def test_sources_url_slow_server_times_out_within_the_bound(site):
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"/lambat: cannot fetch: timed out after 0.5 s \(2 tries\)"):
        Fetcher(timeout=0.5, retries=1, backoff=0.1).fetch(f"{site.url}/lambat")
    assert time.monotonic() - start < 5      # two tries of 0.5 s and a 0.1 s pause, not the 3 s answer


def test_sources_url_busy_server_is_tried_again(site):
    body, _ = Fetcher(timeout=5, retries=2, backoff=0.05).fetch(f"{site.url}/sibuk")
    assert b"Kota Surabaya" in body and site.hits("/sibuk") == 2


def test_sources_url_not_a_page_and_bad_urls_are_refused(site):
    with pytest.raises(FetchError, match="not a web page \\(content type application/pdf\\)"):
        Fetcher(timeout=5, retries=0).fetch(f"{site.url}/laporan.pdf")
    with pytest.raises(FetchError, match=r"^http://127.0.0.1:9/x: cannot fetch: network error"):
        Fetcher(timeout=2, retries=0).fetch("http://rahasia:sandi@127.0.0.1:9/x")   # nothing listens on port 9


def test_sources_build_from_urls_and_url_file(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# berita hari ini\n{site.url}/lama\n\n{site.url}/tidak-ada\n", encoding="utf-8")
    out = tmp_path / "kg.nt"
    result = runner.invoke(app, ["build", f"{site.url}/berita/blitar", "--urls", str(listing), "-o", str(out),
                                 "--no-store", "--fetch-timeout", "5", "--fetch-retries", "0"])
    assert result.exit_code == 4, result.output
    assert f"{site.url}/tidak-ada: cannot fetch: HTTP 404 Not Found" in result.output
    assert "read 2 article(s), skipped 1" in result.output
    ds = Dataset()
    ds.parse(out, format="nt")
    g = union_graph(ds)
    blitar = next(g.subjects(KG.sourceFile, Literal(f"{site.url}/berita/blitar")))
    assert g.value(blitar, SCHEMA.url) == URIRef("https://warta.example/2026/03/12/berita")   # canonical
    assert {"Kota Blitar", "Kota Madiun"} <= labels(g)


def test_sources_url_file_with_a_bad_line_is_refused_before_fetching(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("https://warta.example/a\nwarta.example/b\n", encoding="utf-8")
    result = runner.invoke(app, ["build", "--urls", str(listing), "--no-store", "-o", str(tmp_path / "kg.nt")])
    assert result.exit_code == 2
    assert f"{listing}:2: not an http(s) URL: 'warta.example/b'" in result.output


def test_sources_url_helpers():
    assert sources.shown("https://u:p@warta.example:8080/a?b=1") == "https://warta.example:8080/a?b=1"
    assert sources.clean_url("/a b/\"c\"", "https://warta.example/x/") == "https://warta.example/a%20b/%22c%22"
    assert sources.clean_url("javascript:alert(1)") is None
    assert sources._page_url("https://warta.example/", "https://warta.example/2026/a") == "https://warta.example/2026/a"


def test_sources_pages_and_text_files_are_listed_and_keyed_alike(tmp_path):
    """One listing for every input kind (kg.articles.article_sources): a page and a text file at the same
    places get the same keys, also when two folders given hold the same relative path."""
    from kg.articles import article_sources
    for root in ("satu", "dua"):
        for name in ("berita/a.txt", "berita/a.html", "b.jsonl", "c.md"):
            (tmp_path / root / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / root / name).write_text("x", encoding="utf-8")
    args = [tmp_path / "satu", tmp_path / "dua", tmp_path / "satu" / "b.jsonl"]
    texts = [s.key for s in article_sources(args)]
    pages = [key for _, key in sources.find_input_files(args)]
    assert texts == [f"{tmp_path}/dua/berita/a.txt", f"{tmp_path}/satu/berita/a.txt", "b.jsonl"]
    assert pages == [f"{tmp_path}/dua/b.jsonl", f"{tmp_path}/dua/berita/a.html", f"{tmp_path}/satu/b.jsonl",
                     f"{tmp_path}/satu/berita/a.html"]
