"""The graph of the seed articles, scored by ../shared/eval/score.py against the seeds' gold."""
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


def test_score_dev_corpus_entity_f1_085_and_fact_f1_070(tmp_path):
    """Issue 3's bar on the 20 dev articles (../shared/corpus/dev), which no rule names."""
    from kg.export import write_graph
    from kg.pipeline import build_graph
    dev = SHARED / "corpus" / "dev"
    load_scorer()   # skips (or fails in CI) when shared/ is missing
    out = tmp_path / "dev.ttl"
    write_graph(build_graph([dev]).dataset, out)
    rows = score(out, dev)
    assert rows["entity:ALL"]["f1"] >= 0.85, rows["entity:ALL"]
    assert rows["fact:ALL"]["f1"] >= 0.70, rows["fact:ALL"]
