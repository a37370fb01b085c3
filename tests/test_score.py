"""The graph of the seed articles, scored by ../shared/eval/score.py against the seeds' gold."""
import subprocess
import sys
from pathlib import Path

from tests.helpers import SHARED, load_scorer


def score(graph_path, gold_dir):
    scorer = load_scorer()
    gold = scorer.Gold()
    for p in sorted(gold_dir.glob("*.gold.json")):
        gold.load(p)
    gold.finish()
    return scorer.Scorer(gold, scorer.load_graph(graph_path)).run()


def test_score_seeds_entity_f1_is_perfect_and_facts_at_least_095(seeds_ttl):
    rows = score(seeds_ttl, SHARED / "corpus" / "seeds")
    assert rows["entity:ALL"]["f1"] == 1.0, rows
    assert rows["fact:ALL"]["f1"] >= 0.95, rows


def test_score_dev_corpus_entity_f1_093_and_fact_f1_085(tmp_path):
    """Issue 9's bar on the 52 dev articles (../shared/corpus/dev), which no rule names."""
    from kg.export import write_graph
    from kg.pipeline import build_graph
    dev = SHARED / "corpus" / "dev"
    load_scorer()   # skips (or fails in CI) when shared/ is missing
    out = tmp_path / "dev.ttl"
    write_graph(build_graph([dev]).dataset, out)
    rows = score(out, dev)
    assert rows["entity:ALL"]["f1"] >= 0.93, rows["entity:ALL"]
    assert rows["fact:ALL"]["f1"] >= 0.85, rows["fact:ALL"]


def test_score_blind_corpus_entity_f1_090_and_fact_f1_080():
    """Issue 9's bar on the blind corpus: ../shared/eval/blind.py builds it with this checkout's `kg` and
    prints only the totals (the articles are never read here); it exits 1 below the thresholds."""
    script = SHARED / "eval" / "blind.py"
    load_scorer()
    kg = Path(sys.executable).with_name("kg")
    done = subprocess.run([sys.executable, str(script), "--kg", str(kg), "--min-entity-f1", "0.90",
                           "--min-fact-f1", "0.80"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-600:] + done.stderr[-600:]


def test_score_invented_corpus_entity_f1_092_and_fact_f1_086(tmp_path):
    """The 48 invented articles of tests/corpus/invented (written to the annotation rules by people who never
    read the extractor): a floor under the extractor's reach beyond the dev corpus (0.940 / 0.886 when set)."""
    from kg.export import write_graph
    from kg.pipeline import build_graph
    corpus = Path(__file__).parent / "corpus" / "invented"
    load_scorer()
    out = tmp_path / "invented.ttl"
    write_graph(build_graph([corpus]).dataset, out)
    rows = score(out, corpus)
    assert rows["entity:ALL"]["f1"] >= 0.92, rows["entity:ALL"]
    assert rows["fact:ALL"]["f1"] >= 0.86, rows["fact:ALL"]
