"""SPARQL results as CSV and TSV keep every row as wide as its header, whatever the values hold: evidence
IRIs with commas (#char=2963,3107), literals with commas, double quotes and line breaks, blank nodes,
unbound variables. Read back with Python's csv module, as a spreadsheet or pandas would."""
from __future__ import annotations

import csv
import io

import pyoxigraph as ox
from typer.testing import CliRunner

from kg.cli import app
from kg.store import run_query

runner = CliRunner()
EVIDENCE = """PREFIX kg: <https://w3id.org/kabar-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?evidence ?sentence ?start ?missing WHERE {
  ?evidence a kg:Evidence ; prov:value ?sentence ; kg:startOffset ?start }"""


def _rows(text: str, **kwargs) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), **kwargs))


def test_kg_query_csv_of_evidence_iris_reads_back_row_for_row(seeds_ttl):
    result = runner.invoke(app, ["query", str(seeds_ttl), EVIDENCE, "--format", "csv"])
    assert result.exit_code == 0, result.output
    header, *rows = _rows(result.stdout)
    assert header == ["evidence", "sentence", "start", "missing"] and len(rows) > 10
    assert all(len(r) == len(header) for r in rows)
    assert any(r[0].endswith("#char=2963,3107") for r in rows)
    for iri, sentence, start, missing in rows:
        assert iri.split("#char=")[1].split(",")[0] == start and sentence and missing == ""


def test_csv_quotes_commas_quotes_and_line_breaks_and_writes_blank_nodes():
    store = ox.Store()
    s, p = ox.NamedNode("https://example.org/a#char=1,2"), ox.NamedNode("https://example.org/p")
    tricky = 'kata "kutip", koma\r\ndan baris baru'
    store.add(ox.Quad(s, p, ox.Literal(tricky)))
    store.add(ox.Quad(s, p, ox.BlankNode("b1")))
    answer = run_query(store, "SELECT ?s ?o ?none WHERE { ?s ?p ?o }").serialize("csv")
    header, *rows = _rows(answer)
    assert header == ["s", "o", "none"]
    assert sorted(rows) == sorted([["https://example.org/a#char=1,2", tricky, ""],
                                   ["https://example.org/a#char=1,2", "_:b1", ""]])
    assert answer.endswith("\r\n") and answer.startswith("s,o,none\r\n")


def test_tsv_rows_are_as_wide_as_the_header(seeds_ttl):
    result = runner.invoke(app, ["query", str(seeds_ttl), EVIDENCE, "--format", "tsv"])
    assert result.exit_code == 0, result.output
    header, *rows = _rows(result.stdout, delimiter="\t", quoting=csv.QUOTE_NONE)
    assert header == ["?evidence", "?sentence", "?start", "?missing"]
    assert rows and all(len(r) == len(header) for r in rows)
    assert any(r[0].endswith('#char=2963,3107>') for r in rows)
