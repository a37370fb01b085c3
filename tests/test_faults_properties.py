"""Property-based tests: for any text, no crash, and the graph produced always conforms to the shapes."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.articles import Article, parse_article
from kg.dates import find_dates
from kg.errors import ArticleError
from kg.facts import extract_facts
from kg.lexicon import load_lexicon
from kg.mentions import find_mentions
from kg.numbers import find_numbers, parse_number
from kg.rdf import article_graphs
from kg.resolve import resolve_entities
from kg.validate import prune_invalid, validate_graph

LEX = load_lexicon()
FRAGMENTS = [
    "Pemerintah Kota (Pemkot) Madiun", "Pemkab Ngawi", "Kota Blitar", "Kabupaten Bogor", "Jawa Timur", "BPJS Kesehatan",
    "BPJS Kesehatan Cabang Kediri", "Kepala Dinas Kesehatan (Dinkes) Pemkot Madiun, Sri Lestari,", "Wali Kota Madiun",
    "Wakil Bupati", "Menteri Kesehatan", "meraih", "UHC Awards 2025", "Piala Adipura", "kategori Madya", "dari",
    "nota kesepahaman (MoU)", "antara", "dan", "ditandatangani", "Senin (3/2/2025)", "per 1 Mei 2025", "sebanyak",
    "120.500 jiwa", "atau", "98,5 persen", "penduduk", "peserta JKN", "ujar", "Budi Santoso", "(45)", ",", ".", "\n",
    "Baca Juga:", "Editor :", "\"", "<", ">", "\\", "\u200f", "\x07", "}", "Rp 2,5 miliar", "nilai 91,25", "kemarin",
]
text_pieces = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_properties_reader_reads_any_text_or_says_why(text):
    try:
        article = parse_article(text, "x.txt", LEX)
    except ArticleError as exc:
        assert str(exc).startswith("x.txt")
    else:
        assert isinstance(article, Article) and article.text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1))))
def test_properties_dates_never_crash_and_stay_in_their_text(text, reference):
    for d in find_dates(text, LEX, reference):
        assert 0 <= d.start < d.end <= len(text)
        assert 1900 <= d.value.year <= 2100


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_properties_thousands_dots_round_trip(n):
    written = f"{n:,}".replace(",", ".")
    assert parse_number(written) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_properties_decimal_comma_round_trip(whole, cents):
    assert parse_number(f"{whole},{cents:02d}") == Decimal(f"{whole}.{cents:02d}")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_properties_numbers_never_crash(text):
    for n in find_numbers(text):
        assert 0 <= n.start < n.end <= len(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_pieces, text_pieces)
def test_properties_pipeline_output_always_conforms(first, second):
    per_article = []
    for i, pieces in enumerate((first, second)):
        raw = "MADIUN | contoh.id - " + " ".join(pieces)
        try:
            article = parse_article(raw, f"a{i}.txt", LEX)
        except ArticleError:
            continue
        per_article.append(extract_facts(find_mentions(article, LEX)))
    kb = resolve_entities(per_article, LEX)
    graphs = article_graphs(kb, LEX)
    prune_invalid(graphs, kb, LEX)
    for g in graphs.values():
        assert validate_graph(g).conforms
        Graph().parse(data=g.serialize(format="nt"), format="nt")
