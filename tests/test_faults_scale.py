"""Extraction time grows with the text, not with its square (issue 8, docs/RELIABILITY.md).

Before, every recogniser scanned all mentions (or the whole text) for each candidate: a 300 KB file of
concatenated articles took > 30 s, 1.5 MB > 300 s, and an 18 KB paragraph of capitalised words 26 s.
The bounds below are generous wall-clock limits that prove "seconds, not minutes"; they are not timings."""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.articles import parse_article
from kg.cli import app
from kg.facts import extract_facts
from kg.lexicon import load_lexicon
from kg.mentions import find_mentions
from tests.helpers import SHARED

DEV = SHARED / "corpus" / "dev"
LEX = load_lexicon()


def news_text(size: int) -> str:
    """SIZE bytes of news: the dev articles one after the other, as a scraper's dump would hold them."""
    bodies = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    if not bodies:
        pytest.skip(f"{DEV} not found")
    out, total, i = [], 0, 0
    while total < size:
        out.append(bodies[i % len(bodies)])
        total += len(bodies[i % len(bodies)].encode("utf-8")) + 2
        i += 1
    return "\n\n".join(out)


def test_scale_one_megabyte_of_news_builds_in_seconds(tmp_path):
    """Typically 35-50 s on 2 cores (the SHACL validation of the one large article graph is half of it);
    was more than 5 minutes (1.5 MB: more than 300 s)."""
    folder = tmp_path / "dump"
    folder.mkdir()
    (folder / "dump.txt").write_text(news_text(1_000_000), encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(app, ["build", str(folder), "-o", str(tmp_path / "kg.nq"),
                                      "--store", str(tmp_path / "store")])
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kg.nq").stat().st_size > 1_000_000
    assert elapsed < 120, f"1 MB of news took {elapsed:.0f} s"


def test_scale_a_paragraph_of_capitalised_words_is_read_in_seconds():
    """18 KB of capitalised names, offices and places without a sentence end: typically 1.5 s; was 28 s."""
    rng = random.Random(8)
    words = ["Kota", "Blitar", "Budi", "Santoso", "Pemerintah", "Dinas", "Kesehatan", "Jawa", "Timur", "Wali",
             "Kepala", "Bupati", "Menteri", "Rudy", "Sri", "Lestari", "Agus", "Bogor", "BPJS", "Kabupaten", "Ujar"]
    paragraph = " ".join(rng.choice(words) for _ in range(3000))[:18_000]
    article = parse_article("BLITAR | B-news.id - " + paragraph, "caps.txt", LEX)
    started = time.monotonic()
    doc = find_mentions(article, LEX)
    extract_facts(doc)
    elapsed = time.monotonic() - started
    assert len(doc.mentions) > 1000
    assert elapsed < 10, f"the paragraph took {elapsed:.1f} s"


def test_scale_reading_time_grows_linearly():
    """Four times the text takes well under sixteen times as long (a quadratic reading would)."""
    def seconds(size: int) -> float:
        article = parse_article(news_text(size), "dump.txt", LEX)
        started = time.monotonic()
        extract_facts(find_mentions(article, LEX))
        return time.monotonic() - started
    seconds(20_000)   # warm the lexicon's patterns
    small, large = seconds(50_000), seconds(200_000)
    assert large < 8 * small + 1, f"50 KB: {small:.1f} s, 200 KB: {large:.1f} s"
