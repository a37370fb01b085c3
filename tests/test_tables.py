"""`kg tables`: spreadsheet-ready CSV of the facts, one row per fact and article, with the evidence
sentence and the article's URL or file; read back with Python's csv module."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.tables import ARTICLE_COLUMNS, TABLE_NAMES, TABLES
from tests.helpers import SEEDS

runner = CliRunner()
ARTICLE = "https://w3id.org/kabar-kg/id/article/002_8465883fa85a0744"
GRAPH = "https://w3id.org/kabar-kg/id/graph/002_8465883fa85a0744"


def _read(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("tables")
    done = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp / "seeds.nq"), "--store", str(tmp / "store")])
    assert done.exit_code == 0, done.output
    return tmp / "store"


def test_every_table_is_written_and_every_row_is_as_wide_as_its_header(store, tmp_path):
    done = runner.invoke(app, ["tables", "--store", str(store), "--output", str(tmp_path / "t"), "--no-parquet"])
    assert done.exit_code == 0, done.output
    for table in TABLES:
        rows = _read(tmp_path / "t" / f"{table.name}.csv")
        assert rows[0] == table.columns + ARTICLE_COLUMNS
        assert len(rows) > 1, table.name
        assert all(len(r) == len(rows[0]) for r in rows), table.name
        assert f"{table.name}" in done.output
    assert sorted(p.stem for p in (tmp_path / "t").iterdir()) == sorted(TABLE_NAMES)


def test_a_row_cites_the_sentence_that_states_the_fact_and_its_article(store, tmp_path):
    runner.invoke(app, ["tables", "--store", str(store), "-o", str(tmp_path), "--no-parquet"])
    header, *rows = _read(tmp_path / "awards.csv")
    awards = {r[0]: dict(zip(header, r)) for r in rows}
    uhc = awards["UHC Awards 2026"]
    assert uhc["recipient"] == "Kota Blitar" and uhc["date"] == "2026-01-30"
    assert uhc["article_file"] == "000_c0579e94ec1dab6c.txt" and "UHC Awards 2026" in uhc["evidence"]
    assert uhc["evidence_iri"].startswith("https://w3id.org/kabar-kg/id/article/000_c0579e94ec1dab6c#char=")
    header, *rows = _read(tmp_path / "agreements.csv")
    mou = dict(zip(header, rows[0]))
    assert mou["parties"] == "BPJS Kesehatan Cabang Kediri | Pemerintah Kota Blitar" and mou["date"] == "2025-11-17"
    header, *rows = _read(tmp_path / "measurements.csv")
    values = sorted((r[header.index("indicator")], r[header.index("value")]) for r in rows)
    assert values == [("jkn_coverage_percent", "100"), ("jkn_participants", "163342")]
    assert all("163.342" in r[header.index("evidence")] for r in rows)


def test_the_article_url_is_given_when_the_graph_has_one(store, tmp_path):
    nq = tmp_path / "with-url.nq"
    done = runner.invoke(app, ["export", "--store", str(store), "-o", str(nq)])
    assert done.exit_code == 0, done.output
    with open(nq, "a", encoding="utf-8") as fh:
        fh.write(f'<{ARTICLE}> <https://schema.org/url> "https://b-news.id/berita/mou-jkn"^^'
                 f'<http://www.w3.org/2001/XMLSchema#anyURI> <{GRAPH}> .\n')
    done = runner.invoke(app, ["tables", str(nq), "-o", str(tmp_path / "t"), "--no-parquet"])
    assert done.exit_code == 0, done.output
    header, *rows = _read(tmp_path / "t" / "agreements.csv")
    assert [r[header.index("article_url")] for r in rows] == ["https://b-news.id/berita/mou-jkn"]
    header, *rows = _read(tmp_path / "t" / "awards.csv")
    assert {r[header.index("article_url")] for r in rows} == {""}     # the other article has none


def test_a_plain_graph_file_still_gives_the_facts_with_their_articles(store, tmp_path):
    ttl = tmp_path / "seeds.ttl"
    runner.invoke(app, ["export", "--store", str(store), "-o", str(ttl)])
    done = runner.invoke(app, ["tables", str(ttl), "-o", str(tmp_path / "t"), "--no-parquet"])
    assert done.exit_code == 0, done.output
    header, *rows = _read(tmp_path / "t" / "officials.csv")
    people = {r[0]: dict(zip(header, r)) for r in rows}
    assert people["Tutus Novita Dewi"]["body"] == "BPJS Kesehatan Cabang Kediri"
    assert people["Tutus Novita Dewi"]["article_file"] == "002_8465883fa85a0744.txt"


def test_tables_without_a_store_say_how_to_build_one(tmp_path):
    done = runner.invoke(app, ["tables", "--store", str(tmp_path / "none"), "-o", str(tmp_path / "t")])
    assert done.exit_code == 2 and "no store here" in done.output and not (tmp_path / "t").exists()


def test_parquet_is_written_with_pyarrow_and_refused_clearly_without(store, tmp_path):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        done = runner.invoke(app, ["tables", "--store", str(store), "-o", str(tmp_path), "--parquet"])
        assert done.exit_code == 2 and "pip install pyarrow" in done.output
        return
    done = runner.invoke(app, ["tables", "--store", str(store), "-o", str(tmp_path), "--parquet"])
    assert done.exit_code == 0, done.output
    assert pq.read_table(tmp_path / "awards.parquet").num_rows == len(_read(tmp_path / "awards.csv")) - 1
