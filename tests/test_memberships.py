"""Offices as nodes (kg:Membership, W3C ORG org:Membership): each office a person holds is paired with the body
it belongs to and the sentence that says so, while kg:position and kg:affiliation stay on the person."""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.store import read_rdf_file, run_query

runner = CliRunner()
PREFIXES = """PREFIX kg: <https://w3id.org/kabar-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
# invented articles: one person, Bupati of one regency in one, head of a provincial office in the other
BUPATI = """Bupati Banyuwangi Buka Rapat Kesehatan

BANYUWANGI | contoh.id - Bupati Banyuwangi Ipuk Fiestiandani membuka rapat koordinasi pelayanan kesehatan di Pendopo Sabha Swagata Blambangan, Senin (12/1/2026).
Menurut Ipuk Fiestiandani, seluruh warga Kabupaten Banyuwangi sudah terdaftar dalam program JKN.
"""
DINAS = """Rapat Dinas Kesehatan Jawa Timur

SURABAYA | contoh.id - Kepala Dinas Kesehatan Provinsi Jawa Timur Ipuk Fiestiandani memimpin rapat evaluasi di Surabaya, Selasa (13/1/2026).
Ipuk Fiestiandani meminta seluruh rumah sakit meningkatkan layanan.
"""
AGAIN = """Bupati Banyuwangi Tinjau Puskesmas

BANYUWANGI | contoh.id - Bupati Banyuwangi Ipuk Fiestiandani meninjau Puskesmas Sobo, Rabu (14/1/2026).
"""
NO_BODY = """Rapat Dua Kabupaten

JEMBER | contoh.id - Bupati Ipuk Fiestiandani memimpin rapat bersama Pemerintah Kabupaten Jember dan Pemerintah Kabupaten Banyuwangi di Jember, Selasa (13/1/2026).
"""


def _build(tmp_path: Path, articles: dict[str, str], output: str = "kg.nt"):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / output   # .nt: the union, each triple once; .nq: the article graphs
    done = runner.invoke(app, ["build", str(folder), "-o", str(out), "--no-store"])
    assert done.exit_code == 0, done.output
    assert "SHACL: conforms" in done.output
    return read_rdf_file(out)


OFFICES = PREFIXES + """SELECT ?person ?role ?body ?sentence WHERE {
  ?m a kg:Membership ; kg:member ?p ; kg:role ?role ; kg:organization ?b ; kg:evidence ?e .
  ?p rdfs:label ?person . ?b rdfs:label ?body . ?e prov:value ?sentence }"""


def test_memberships_pair_each_office_with_its_body(tmp_path):
    store = _build(tmp_path, {"a.txt": BUPATI, "b.txt": DINAS})
    rows = run_query(store, OFFICES).rows
    pairs = sorted((person, role, body) for person, role, body, _ in rows)
    assert pairs == [("Ipuk Fiestiandani", "Bupati", "Pemerintah Kabupaten Banyuwangi"),
                     ("Ipuk Fiestiandani", "Kepala", "Dinas Kesehatan Jawa Timur")]
    sentences = {role: sentence for _, role, _, sentence in rows}
    assert sentences["Bupati"].startswith("Bupati Banyuwangi Ipuk Fiestiandani membuka")
    assert sentences["Kepala"].startswith("Kepala Dinas Kesehatan Provinsi Jawa Timur Ipuk")
    # the person keeps both offices and both bodies, unpaired, as before
    person = run_query(store, PREFIXES + """SELECT ?position ?body WHERE { ?p a kg:Person ; kg:position ?position ;
        kg:affiliation ?b . ?b rdfs:label ?body }""").rows
    assert len(person) == 4   # two offices x two bodies: what the memberships disambiguate


def test_memberships_lie_in_the_graph_of_the_article_that_states_them(tmp_path):
    store = _build(tmp_path, {"a.txt": BUPATI, "b.txt": DINAS}, "kg.nq")
    rows = run_query(store, PREFIXES + """SELECT ?g ?role ?article WHERE { GRAPH ?g {
        ?m a kg:Membership ; kg:role ?role ; kg:evidence ?e . ?e kg:inArticle ?article } }""").rows
    assert sorted((g.rsplit("/", 1)[1], role, a.rsplit("/", 1)[1]) for g, role, a in rows) == [
        ("a", "Bupati", "a"), ("b", "Kepala", "b")]


def test_memberships_the_same_office_in_two_articles_is_one_node(tmp_path):
    store = _build(tmp_path, {"a.txt": BUPATI, "c.txt": AGAIN})
    rows = run_query(store, PREFIXES + """SELECT ?m ?e WHERE { ?m a kg:Membership ; kg:evidence ?e }""").rows
    assert len({m for m, _ in rows}) == 1 and len(rows) == 2
    assert {e.split("#")[0].rsplit("/", 1)[1] for _, e in rows} == {"a", "c"}


def test_memberships_need_a_body(tmp_path):
    """An office the article does not tie to a body stays a kg:position only."""
    store = _build(tmp_path, {"d.txt": NO_BODY})
    positions = run_query(store, PREFIXES + "SELECT ?o WHERE { ?p kg:position ?o }").rows
    assert positions == [["Bupati"]]   # of one of two regencies: which one, the article does not say
    assert not run_query(store, PREFIXES + "ASK { ?m a kg:Membership }").boolean


def test_memberships_without_a_member_violate_the_shapes():
    from kg.validate import validate_ntriples
    m = "<https://w3id.org/kabar-kg/id/membership/x/bupati--agency-government-3510>"
    kg = "https://w3id.org/kabar-kg/ontology#"
    text = (f'{m} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{kg}Membership> .\n'
            f'{m} <{kg}role> "Bupati"@id .\n')
    paths = sorted(v.path for v in validate_ntriples(text))
    assert paths == ["kg:evidence", "kg:member", "kg:organization"]


def test_memberships_named_query_offices_gives_one_row_per_office(tmp_path):
    from kg.store import read_named_query
    store = _build(tmp_path, {"a.txt": BUPATI, "b.txt": DINAS, "c.txt": AGAIN})
    rows = run_query(store, read_named_query("offices")).rows
    assert rows == [["Ipuk Fiestiandani", "Bupati", "Pemerintah Kabupaten Banyuwangi", "2"],
                    ["Ipuk Fiestiandani", "Kepala", "Dinas Kesehatan Jawa Timur", "1"]]
