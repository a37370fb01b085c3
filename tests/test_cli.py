import json
import shutil
from collections import Counter

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.helpers import SEEDS, kg_after

runner = CliRunner()


def test_cli_build_writes_the_graph_and_a_summary(tmp_path):
    out = tmp_path / "kg.ttl"
    result = runner.invoke(app, ["build", str(SEEDS), "--output", str(out), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "read 2 article(s)" in result.output and f"wrote {out}" in result.output
    assert out.stat().st_size > 0


def test_cli_build_skips_an_unreadable_file_and_says_so(tmp_path):
    (tmp_path / "a.txt").write_text((SEEDS / "000_c0579e94ec1dab6c.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "kosong.txt").write_text("", encoding="utf-8")
    out = tmp_path / "kg.nt"
    result = runner.invoke(app, ["build", str(tmp_path), "-o", str(out), "--no-store"])
    assert result.exit_code == 4
    assert "kosong.txt: empty file" in result.output and out.exists()


def test_cli_build_with_no_article_is_an_error_and_writes_nothing(tmp_path):
    (tmp_path / "kosong.txt").write_text("", encoding="utf-8")
    out = tmp_path / "kg.ttl"
    result = runner.invoke(app, ["build", str(tmp_path), "-o", str(out), "--store", str(tmp_path / "store")])
    assert result.exit_code == 2 and "no readable article" in result.output and not out.exists()
    assert not (tmp_path / "store").exists()


def test_cli_build_missing_path_alone_is_an_error(tmp_path):
    result = runner.invoke(app, ["build", str(tmp_path / "nope"), "-o", str(tmp_path / "kg.ttl"), "--no-store"])
    assert result.exit_code == 2 and "nope: no such file" in result.output


def test_cli_validate_exit_codes(tmp_path, seeds_ttl):
    assert runner.invoke(app, ["validate", str(seeds_ttl)]).exit_code == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix kg: <https://w3id.org/kabar-kg/ontology#> . <https://e.org/p> a kg:Person .", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1 and "rdfs:label" in result.output
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 2 and "broken.ttl" in result.output


def test_cli_query_named_as_csv(seeds_ttl):
    result = runner.invoke(app, ["query", str(seeds_ttl), "--named", "officials", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "person,position,body"


def test_cli_query_text_and_file(tmp_path, seeds_ttl):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a a <https://w3id.org/kabar-kg/ontology#Award> }"
    result = runner.invoke(app, ["query", str(seeds_ttl), q, "--format", "json"])
    assert json.loads(result.output)["results"]["bindings"][0]["n"]["value"] == "2"
    f = tmp_path / "q.rq"
    f.write_text(q, encoding="utf-8")
    assert "2" in runner.invoke(app, ["query", str(seeds_ttl), "--query-file", str(f)]).output


def test_cli_query_bad_sparql_exits_2(seeds_ttl):
    result = runner.invoke(app, ["query", str(seeds_ttl), "SELECT WHERE"])
    assert result.exit_code == 2 and "SPARQL" in result.output


def test_cli_lists_named_queries():
    result = runner.invoke(app, ["queries"])
    assert "awards-by-municipality" in result.output and "jkn-coverage" in result.output


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_cli_check_ontology_exit_codes(tmp_path, seeds_ttl):
    assert runner.invoke(app, ["check-ontology", str(seeds_ttl)]).exit_code == 0
    bad = tmp_path / "bad.nt"
    bad.write_text("<https://e.org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kabar-kg/ontology#Person> .\n"
                   "<https://e.org/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/kabar-kg/ontology#Agency> .\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["check-ontology", str(bad)])
    assert result.exit_code == 1 and "inconsistent" in result.output


def test_cli_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    for cmd in ("build", "validate", "query", "check-ontology"):
        assert cmd in result.output


STRICTER = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/kabar-kg/ontology#> .
<https://example.org/PersonNeedsOffice> a sh:NodeShape ; sh:targetClass kg:Person ;
    sh:property [ sh:path kg:position ; sh:minCount 1 ; sh:message "a person needs an office" ] .
"""


@pytest.fixture
def stricter_shapes(monkeypatch):
    """Shapes under which the seeds' resident (a person without an office) violates."""
    from rdflib import Graph
    import kg.validate
    import shacl
    g = kg.validate.shapes_graph() + Graph().parse(data=STRICTER, format="turtle")
    fast = shacl.Shapes.from_turtle(g.serialize(format="turtle"))   # the build's engine reads the same shapes
    monkeypatch.setattr(kg.validate, "shapes_graph", lambda: g)
    monkeypatch.setattr(kg.validate, "fast_shapes", lambda: fast)


def test_cli_build_leaves_out_a_violating_node_and_says_where_it_came_from(tmp_path, stricter_shapes):
    out = tmp_path / "kg.nt"
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(out), "--no-store"])
    assert result.exit_code == 1
    assert "left out Endang: kg:position: a person needs an office [000_c0579e94ec1dab6c.txt:" in result.output
    assert out.exists() and "person/endang" not in out.read_text(encoding="utf-8")
    # the summary counts the nodes the output holds: not the one left out
    typed = Counter(line.split()[2].rsplit("#", 1)[1][:-1] for line in out.read_text(encoding="utf-8").splitlines()
                    if line.split()[1] == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
                    and line.split()[2].startswith("<https://w3id.org/kabar-kg/ontology#"))
    summary = next(line for line in result.output.splitlines() if line.startswith("entities: "))
    said = {kind: int(n) for n, kind in (part.split() for part in summary[len("entities: "):].split(", "))}
    assert said == {kind: typed[kind] for kind in said} and said["Person"] > 0


def test_cli_build_strict_writes_nothing_on_a_violation(tmp_path, stricter_shapes):
    out = tmp_path / "kg.nt"
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(out), "--store", str(tmp_path / "store"), "--strict"])
    assert result.exit_code == 1 and "--strict: nothing written" in result.output
    assert not out.exists() and not (tmp_path / "store").exists()


def test_cli_query_describe_gives_rdf(seeds_ttl):
    result = runner.invoke(app, ["query", str(seeds_ttl),
                                 "DESCRIBE <https://w3id.org/kabar-kg/id/person/elim-tyu-samba>", "--format", "nt"])
    assert result.exit_code == 0 and '"Wakil Wali Kota"@id' in result.output


def test_cli_query_reads_the_query_from_standard_input(seeds_ttl):
    ask = "ASK { ?a a <https://w3id.org/kabar-kg/ontology#Award> }"
    result = runner.invoke(app, ["query", str(seeds_ttl), "-"], input=ask)
    assert result.exit_code == 0 and result.output.strip() == "true", result.output
    result = runner.invoke(app, ["query", str(seeds_ttl), "-", "--format", "json"], input=ask)
    assert result.exit_code == 0 and '"boolean":true' in result.output.replace(" ", ""), result.output
    empty = runner.invoke(app, ["query", str(seeds_ttl), "-"], input="")
    assert empty.exit_code == 2 and "no query on standard input" in empty.output


def test_cli_query_starts_without_the_build_machinery(tmp_path):
    """`kg query` (and --help) import neither rdflib nor the extraction modules: they took 0.4 s of its start."""
    import subprocess
    import sys
    probe = ("import sys; from typer.testing import CliRunner; from kg.cli import app; "
             "r = CliRunner().invoke(app, ['query', sys.argv[1], 'ASK { ?s ?p ?o }']); "
             "print(r.exit_code, r.output.strip(), *sorted(m for m in sys.modules "
             "if m.split('.')[0] == 'rdflib' or m.startswith(('kg.relations', 'kg.mentions', 'kg.pipeline'))))")
    graph = tmp_path / "g.nt"
    graph.write_text('<https://example.org/a> <https://example.org/b> "c" .\n', encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", probe, str(graph)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "true"], out.stdout


_CLEARED = ("class Cleared:\n    def __del__(self):\n        sys.stderr.write('cleared by Python\\'s end\\n')\n"
            "import atexit, builtins\nbuiltins.cleared = Cleared()\n")


def test_cli_kg_ends_without_pythons_clearing_and_keeps_its_exit_code_and_exit_functions(tmp_path):
    ran = tmp_path / "ran"
    setup = _CLEARED + f"atexit.register(lambda: open({str(ran)!r}, 'w').write('ran'))"
    done = kg_after(setup, "build", str(SEEDS), "-o", str(tmp_path / "kg.nt"), "--store", str(tmp_path / "store"))
    assert done.returncode == 0, done.stderr
    assert ran.read_text() == "ran" and (tmp_path / "kg.nt").stat().st_size > 0
    assert "cleared by Python's end" not in done.stderr   # the quick end: no clearing of modules and builtins
    failed = kg_after(setup, "build", str(tmp_path / "nope"), "-o", str(tmp_path / "x.nt"), "--no-store")
    assert failed.returncode == 2 and "kg: error:" in failed.stderr
    assert "cleared by Python's end" not in failed.stderr


def test_cli_kg_leaves_the_end_to_python_when_a_file_is_open_for_writing_or_a_thread_runs(tmp_path):
    kept, late = tmp_path / "kept", tmp_path / "late"
    setup = _CLEARED + f"left_open = open({str(kept)!r}, 'w')\nleft_open.write('buffered, written at the end')"
    done = kg_after(setup, "--help")
    assert done.returncode == 0 and kept.read_text() == "buffered, written at the end"
    assert "cleared by Python's end" in done.stderr
    setup = ("import threading, time\n"
             f"threading.Thread(target=lambda: (time.sleep(0.5), open({str(late)!r}, 'w').write('late'))).start()")
    done = kg_after(setup, "--help")
    assert done.returncode == 0 and late.read_text() == "late"
