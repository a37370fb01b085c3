"""The explorer's application (kg/explorer/) through Starlette's test client on a store of the seeds:
search, entity pages, the graph API, reports and CSV, the read-only SPARQL endpoint, and store swaps.
tests/test_explorer_browser.py drives the same pages in a real browser."""
from __future__ import annotations

import csv
import io
import shutil
import warnings

import pytest
from typer.testing import CliRunner

from kg.cli import app as cli
from kg.pipeline import write_outputs
from tests.explorer_support import BLITAR, kg_build, new_articles

warnings.filterwarnings("ignore", message=".*httpx.*")
from starlette.testclient import TestClient  # noqa: E402

from kg.explorer import create_app  # noqa: E402

PEMKOT = "https://w3id.org/kabar-kg/id/agency/government-3572"
MOU = "https://w3id.org/kabar-kg/id/agreement/mou-74ed1ead5c8a"


@pytest.fixture(scope="module")
def store(tmp_path_factory, seeds_build):
    directory = tmp_path_factory.mktemp("explorer") / "store"
    write_outputs(seeds_build, directory.parent / "seeds.ttl", directory)
    return directory


@pytest.fixture(scope="module")
def client(store):
    return TestClient(create_app(store))


@pytest.mark.parametrize("query, first", [
    ("Kota Blitar", "Kota Blitar"),
    ("kota blitar", "Kota Blitar"),
    ("KOTA BLITAR", "Kota Blitar"),
    ("blitar", "Kota Blitar"),                                  # a place before its government
    ("Pemkot Blitar", "Pemerintah Kota Blitar"),                # abbreviation written out
    ("pemerintah kota (pemkot) blitar", "Pemerintah Kota Blitar"),
    ("Jatim", "Jawa Timur"),                                    # province alias from the lexicon
    ("ombudsman ri", "Ombudsman Republik Indonesia"),
    ("Badan Penyelenggara Jaminan Sosial", "BPJS Kesehatan"),   # words written as their initials
    ("badan penyelenggara jaminan sosial kesehatan", "BPJS Kesehatan"),   # a lexicon alias
    ("bpjs kes cab kediri", "BPJS Kesehatan Cabang Kediri"),    # prefixes of words
    ("tutus", "Tutus Novita Dewi"),
    ("MoU JKN", "MoU Jaminan Kesehatan Nasional"),
    ("uhc awards", "UHC Awards 2026"),
])
def test_explorer_search_tolerates_case_abbreviations_and_aliases(client, query, first):
    hits = client.get("/api/search", params={"q": query}).json()
    assert hits and hits[0]["label"] == first, hits


def test_explorer_search_finds_nothing_for_an_unknown_name(client):
    assert client.get("/api/search", params={"q": "Kabupaten Sleman"}).json() == []
    page = client.get("/search", params={"q": "Kabupaten Sleman"})
    assert page.status_code == 200 and "Nothing in the store is named like" in page.text


def test_explorer_entity_page_shows_place_codes_and_evidence(client):
    page = client.get("/id/municipality/3572-kota-blitar")
    assert page.status_code == 200
    html = page.text
    assert "3572" in html and 'href="http://www.wikidata.org/entity/Q11441"' in html
    assert "Borong Dua Penghargaan Nasional: <mark>Kota Blitar</mark> Raih <mark>UHC Awards 2026</mark>" in html
    assert "000_c0579e94ec1dab6c.txt" in html
    # the participants figure, its date, and its sentence with the figure as written there
    assert "163,342" in html and "2025-11-01" in html and "<mark>163.342</mark>" in html
    assert "^^" not in html


def test_explorer_entity_page_of_a_person_shows_the_office_and_its_sentence(client):
    html = client.get("/id/person/elim-tyu-samba").text
    assert "Wakil Wali Kota" in html and 'href="/id/agency/government-3572"' in html
    assert "<mark>Elim Tyu Samba</mark>" in html


def test_explorer_unknown_entity_is_not_found(client):
    page = client.get("/id/person/nobody-at-all")
    assert page.status_code == 404 and "has nothing about" in page.text


def test_explorer_graph_api_gives_neighbours_to_expand(client):
    data = client.get("/api/graph", params={"iri": BLITAR}).json()
    ids = {n["data"]["id"] for n in data["nodes"]}
    assert {BLITAR, PEMKOT, "https://w3id.org/kabar-kg/id/province/35-jawa-timur"} <= ids and MOU not in ids
    assert {(e["data"]["source"], e["data"]["label"]) for e in data["edges"]} >= {(PEMKOT, "governs")}
    more = client.get("/api/graph", params={"iri": PEMKOT}).json()
    assert MOU in {n["data"]["id"] for n in more["nodes"]}
    assert all(n["data"]["page"].startswith("/id/") for n in more["nodes"])


def test_explorer_report_shows_labels_and_dates_and_gives_csv(client):
    page = client.get("/reports/agreements")
    assert page.status_code == 200
    assert "MoU Jaminan Kesehatan Nasional" in page.text and "2025-11-17" in page.text
    assert "XMLSchema" not in page.text
    answer = client.get("/reports/agreements.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="agreements.csv"' in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["agreement", "date", "parties", "signatories"] and len(rows) == 2
    assert rows[1][:2] == ["MoU Jaminan Kesehatan Nasional", "2025-11-17"]
    assert set(rows[1][2].split(" | ")) == {"BPJS Kesehatan Cabang Kediri", "Pemerintah Kota Blitar"}   # any order


def test_explorer_unknown_report_names_the_known_ones(client):
    page = client.get("/reports/no-such-report")
    assert page.status_code == 404 and "officials" in page.text


def test_explorer_sparql_page_has_prefixes_and_named_queries(client):
    html = client.get("/sparql").text
    assert "PREFIX kg: &lt;https://w3id.org/kabar-kg/ontology#&gt;" in html
    assert '<option value="awards-by-municipality">' in html
    named = client.get("/sparql", params={"named": "officials"}).text
    assert "kg:position" in named


SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
UPDATE = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"


@pytest.mark.parametrize("how", ["get", "form", "direct"])
@pytest.mark.parametrize("text", [SERVICE, UPDATE, "prefix ex: <http://x/> service <http://x/> {}"])
def test_explorer_endpoint_refuses_updates_and_service(client, store, how, text):
    if how == "get":
        answer = client.get("/query", params={"query": text})
    elif how == "form":
        answer = client.post("/query", data={"query": text})
    else:
        answer = client.post("/query", content=text, headers={"content-type": "application/sparql-query"})
    assert answer.status_code == 403, answer.text
    assert "SERVICE" in answer.text or "Update" in answer.text


def test_explorer_endpoint_refuses_the_update_protocol(client):
    assert client.post("/query", data={"update": UPDATE}).status_code == 403
    assert client.post("/query", content=UPDATE,
                       headers={"content-type": "application/sparql-update"}).status_code == 403
    assert client.post("/sparql", data={"query": UPDATE}).status_code == 400


def test_explorer_endpoint_answers_queries_naming_service_as_data(client):
    q = 'SELECT ?x WHERE { BIND("SERVICE and INSERT are words" AS ?x) }'
    answer = client.get("/query", params={"query": q}, headers={"accept": "text/csv"})
    assert answer.status_code == 200 and answer.text.splitlines()[1] == "SERVICE and INSERT are words"
    ask = client.post("/query", content="ASK { ?s a <https://w3id.org/kabar-kg/ontology#Award> }",
                      headers={"content-type": "application/sparql-query"})
    assert ask.json()["boolean"] is True


def test_explorer_sparql_syntax_error_is_a_readable_page(client):
    page = client.post("/sparql", data={"query": "SELEC ?x"})
    assert page.status_code == 400 and "SPARQL syntax error" in page.text and "Traceback" not in page.text


def test_explorer_follows_a_rebuilt_store(tmp_path, seeds_build):
    store = tmp_path / "store"
    write_outputs(seeds_build, tmp_path / "seeds.ttl", store)
    client = TestClient(create_app(store))
    assert client.get("/api/search", params={"q": "sleman"}).json() == []
    assert client.get("/id/agreement/mou-74ed1ead5c8a").status_code == 200
    articles = new_articles(tmp_path)
    kg_build(store, articles)                                 # swapped in by renaming, as users build
    assert [h["label"] for h in client.get("/api/search", params={"q": "sleman"}).json()][:1] == ["Kabupaten Sleman"]
    assert client.get("/id/agreement/mou-74ed1ead5c8a").status_code == 404
    shutil.rmtree(store)                                      # gone: a readable page, not a traceback
    page = client.get("/")
    assert page.status_code == 503 and "no store here" in page.text
    kg_build(store, articles)
    assert client.get("/").status_code == 200


def test_explorer_command_refuses_a_missing_store(tmp_path):
    result = CliRunner().invoke(cli, ["explore", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2 and "no store here" in result.output


def test_explorer_entity_page_caps_facts_and_links_to_the_rest(client, monkeypatch):
    import kg.explorer.entity as entity
    monkeypatch.setattr(entity, "MAX_FACTS", 1)       # a national body is party to thousands of agreements
    monkeypatch.setattr(entity, "MAX_ARTICLES", 1)
    html = client.get("/id/municipality/3572-kota-blitar").text
    assert html.count('<tr class="fact">') == 2          # one "recipient" (of 2), one "governs"
    assert "1 more “recipient” fact not shown" in html and "and 1 more article" in html
    link = html.split('1 more “recipient” fact not shown: <a href="', 1)[1].split('"', 1)[0]
    listed = client.get(link.replace("&amp;", "&")).text
    assert "UHC Awards 2026" in listed and "Opini Kualitas Tertinggi" in listed


def test_explorer_query_past_its_deadline_is_answered_at_once(client, monkeypatch):
    import kg.explorer.app as app_module
    monkeypatch.setattr(app_module, "QUERY_TIMEOUT", 0.2)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"   # 257^3 rows to count
    answer = client.get("/query", params={"query": slow})
    assert answer.status_code == 503 and "timed out after 0.2 s" in answer.text
    page = client.post("/sparql", data={"query": slow})
    assert page.status_code == 400 and "timed out" in page.text
