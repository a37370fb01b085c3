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
