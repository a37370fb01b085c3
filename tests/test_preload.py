"""A full build with a store loads each article graph into the new store as it is emitted (kg.store.PreLoad),
then puts in again the graphs the union check changed: the store must be the one a load after the build gives,
and a build that stops half-way must leave no new store behind. The incremental state is written into the new
store's folder while it loads (kg.incremental.FullState) and comes into place with it, or not at all."""
import sqlite3

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import kg.pipeline
from kg.cli import app
from kg.pipeline import build_graph, write_outputs
from kg.pipeline import StagedOutput
from kg.store import STATE_FILE, PreLoad, open_store, store_lock
from tests.helpers import SEEDS

runner = CliRunner()

ARTICLE = """Cakupan JKN Kabupaten Blitar Terus Naik

BLITAR | warta.id - Kepala Dinas Kesehatan Pemkab Blitar, Budi Santoso, mengatakan per 1 {month} 2025 sebanyak
1.100.000 jiwa atau 98,50 persen penduduk Kabupaten Blitar telah terdaftar sebagai peserta JKN.

Editor : Redaksi
"""


@pytest.fixture
def two_dates(tmp_path):
    """Two articles giving one measurement two dates: each graph conforms, their union does not, so the union
    check leaves the measurement out of both graphs after they were emitted (and loaded)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for month in ("Januari", "Maret"):
        (folder / f"jkn_{month.lower()}.txt").write_text(ARTICLE.format(month=month), encoding="utf-8")
    return folder


def contents(store: ox.Store) -> tuple[set, set]:
    return set(store), set(store.named_graphs())


def siblings(folder):
    return sorted(p.name for p in folder.iterdir() if ".new-" in p.name or ".old-" in p.name)


@pytest.mark.parametrize("workers", [1, 2])
def test_preload_gives_the_store_a_load_after_the_build_gives(tmp_path, two_dates, workers):
    plain = build_graph([two_dates], workers=workers)
    assert plain.report.left_out, "the union check must change graphs that were loaded already"
    write_outputs(plain, tmp_path / "a.nt", tmp_path / "a")
    with store_lock(tmp_path / "b") as lock:
        early = build_graph([two_dates], workers=workers, preload=lock)
        assert early.preload is not None and early.preload.changed
        write_outputs(early, tmp_path / "b.nt", tmp_path / "b", lock=lock)
    assert (tmp_path / "a.nt").read_bytes() == (tmp_path / "b.nt").read_bytes()
    a, b = contents(open_store(tmp_path / "a")), contents(open_store(tmp_path / "b"))
    assert a == b
    assert not any("98.5" in str(q.object) for q in open_store(tmp_path / "b").quads_for_pattern(
        None, None, None, ox.DefaultGraph())), "the measurement left out is not in the union either"
    assert siblings(tmp_path) == []


def test_preload_a_graph_left_empty_is_no_graph_of_the_store(tmp_path):
    """A graph the union check empties is gone from the store, as it is from a load of the build's N-Quads."""
    text = {0: b'<http://ex/a> <http://ex/p> "1" .\n', 1: b'<http://ex/b> <http://ex/p> "2" .\n'}
    with store_lock(tmp_path / "s") as lock:
        early = PreLoad(lock, lambda start, size: text[start][:size])
        early.add(0, len(text[0]), "<http://ex/g0>")
        early.add(1, len(text[1]), "<http://ex/g1>")
        early.changed = {"<http://ex/g0>": b""}
        early.complete()
        assert set(early.store.named_graphs()) == {ox.NamedNode("http://ex/g1")}
        assert [q.subject.value for q in early.store] == ["http://ex/b"]
        early.discard()
    assert siblings(tmp_path) == []


def test_preload_is_removed_when_the_build_fails_after_it_began(tmp_path, two_dates, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the union check failed")
    monkeypatch.setattr(kg.pipeline, "prune_chunks", broken)
    with store_lock(tmp_path / "store") as lock:
        with pytest.raises(RuntimeError):
            build_graph([two_dates], preload=lock)
        assert siblings(tmp_path) == []


def test_preload_is_removed_by_a_strict_build_that_writes_nothing(tmp_path, two_dates):
    out = tmp_path / "kg.nt"
    result = runner.invoke(app, ["build", str(two_dates), "-o", str(out), "--store", str(tmp_path / "store"), "--strict"])
    assert result.exit_code == 1 and "--strict: nothing written" in result.output
    assert not out.exists() and not (tmp_path / "store").exists() and siblings(tmp_path) == []


def test_preload_of_a_build_without_store_writing_is_removed(tmp_path):
    """write_outputs to no store (or another one) removes the new store the build loaded."""
    with store_lock(tmp_path / "store") as lock:
        result = build_graph([SEEDS], preload=lock)
        write_outputs(result, tmp_path / "kg.nt", None)
        assert siblings(tmp_path) == [] and not (tmp_path / "store").exists()


def test_state_written_as_the_store_loads_makes_the_next_build_incremental(tmp_path, two_dates, monkeypatch):
    full = []
    real = kg.pipeline.build_graph
    monkeypatch.setattr(kg.pipeline, "build_graph", lambda *a, **k: full.append(a) or real(*a, **k))
    out, store = tmp_path / "kg.nt", tmp_path / "store"
    first = runner.invoke(app, ["build", str(two_dates), "-o", str(out), "--store", str(store), "-q"])
    assert first.exit_code == 1, first.output   # nodes left out
    assert (store / STATE_FILE).is_file() and not (store / (STATE_FILE + ".part")).exists()
    db = sqlite3.connect(store / STATE_FILE)
    meta = dict(db.execute("SELECT name, value FROM meta"))
    db.close()
    assert int(meta["extra_quads"]) > 0 and str(out) in meta["output"]
    again = runner.invoke(app, ["build", str(two_dates), "-o", str(out), "--store", str(store), "-q"])
    assert again.exit_code == 1 and len(full) == 1, "the second build was a full one"
    assert siblings(tmp_path) == []


def test_state_that_cannot_be_written_leaves_none_and_the_build_succeeds(tmp_path, monkeypatch):
    import kg.incremental

    def broken(*args):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(kg.incremental, "_put_article", broken)
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", str(SEEDS), "-o", str(tmp_path / "kg.nt"), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    assert set(open_store(store)) and not [p.name for p in store.iterdir() if p.name.startswith(STATE_FILE)]


def test_state_of_a_build_whose_swap_fails_is_not_the_stores(tmp_path, two_dates, monkeypatch):
    """The new state goes with the new store: when the output cannot be put in place, the previous store comes
    back with its own state, unchanged."""
    out, store = tmp_path / "kg.nt", tmp_path / "store"
    runner.invoke(app, ["build", str(SEEDS), "-o", str(out), "--store", str(store), "-q"])
    state = (store / STATE_FILE).read_bytes()

    def refused(self):
        raise OSError(5, "Input/output error", str(self.path))
    monkeypatch.setattr(StagedOutput, "commit", refused)
    result = runner.invoke(app, ["build", str(two_dates), "-o", str(out), "--store", str(store), "-q"])
    assert result.exit_code == 2
    assert (store / STATE_FILE).read_bytes() == state and siblings(tmp_path) == []


def test_summary_counts_the_output_nodes_in_full_and_incremental_builds(tmp_path, two_dates, monkeypatch):
    """The "entities:" line counts the nodes the output holds (the measurements left out are not), after a full build
    and after an incremental one (which reads the node counts from its state)."""
    full = []
    real = kg.pipeline.build_graph
    monkeypatch.setattr(kg.pipeline, "build_graph", lambda *a, **k: full.append(a) or real(*a, **k))
    out, store = tmp_path / "kg.nt", tmp_path / "store"

    def entities(result) -> dict[str, int]:
        line = next(ln for ln in result.output.splitlines() if ln.startswith("entities: "))
        return {kind: int(n) for n, kind in (part.split() for part in line[len("entities: "):].split(", "))}

    def typed(kinds) -> dict[str, int]:   # the nodes of each class in the output
        text = out.read_text(encoding="utf-8")
        return {kind: text.count(f"> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                                 f"<https://w3id.org/kabar-kg/ontology#{kind}> .") for kind in kinds}

    first = runner.invoke(app, ["build", str(two_dates), "-o", str(out), "--store", str(store)])
    assert first.exit_code == 1 and "leaving out 2 node(s)" in first.output, first.output   # two measurements
    assert entities(first) == typed(entities(first)) and entities(first)["Municipality"] == 1, first.output
    seed = sorted(SEEDS.glob("*.txt"))[0]   # an article that has nothing to do with the measurements left out
    (two_dates / seed.name).write_bytes(seed.read_bytes())
    again = runner.invoke(app, ["build", str(two_dates), "-o", str(out), "--store", str(store)])
    assert again.exit_code == 1 and len(full) == 1, "the second build was a full one"
    assert entities(again) == typed(entities(again)) and entities(again) != entities(first), again.output
