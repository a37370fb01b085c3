"""The main process of a build runs without full garbage collections (kg.pipeline.few_full_collections):
they scanned millions of objects, serially. Workers collect as usual, and everything is restored after."""
from __future__ import annotations

import gc

from kg.pipeline import _FULL_EVERY, build_graph, write_outputs
from tests.helpers import SEEDS


def test_no_full_collection_while_building_and_thresholds_restored_after(tmp_path):
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    seen: list[tuple[str, int, int]] = []

    def progress(i, n, item, phase="reading"):
        seen.append((phase, gc.get_threshold()[2], gc.get_freeze_count()))

    result = build_graph([SEEDS], progress=progress)
    built = list(seen)
    write_outputs(result, tmp_path / "kg.nt", tmp_path / "store", progress=progress)
    assert {phase for phase, _, _ in seen} >= {"reading", "writing RDF and validating",
                                              "loading the article graphs and their union into the store"}
    assert all(threshold == _FULL_EVERY for _, threshold, _ in seen), seen
    assert all(count > 0 for _, _, count in built), built   # the lexicons frozen while the graph is built
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_workers_collect_as_usual(tmp_path):
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp
    from kg.pipeline import _worker_gc, few_full_collections
    normal = gc.get_threshold()
    with few_full_collections():
        with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"), initializer=_worker_gc) as pool:
            assert pool.submit(gc.get_threshold).result() == normal
        assert gc.get_threshold()[2] == _FULL_EVERY
    assert gc.get_threshold() == normal


def _tracked_and_frozen() -> tuple[int, int]:
    return len(gc.get_objects()), gc.get_freeze_count()


def test_workers_never_scan_what_they_inherit():
    """A worker forked from a main process holding many objects (the resolved knowledge base) freezes them:
    its collections scan only what it makes (a full collection scanned the whole inherited heap and copied
    every page of it into the worker)."""
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing as mp
    from kg.pipeline import _worker_gc, few_full_collections
    inherited = [[i] for i in range(200_000)]   # lists: tracked by the collector (dicts of numbers are not)
    with few_full_collections():
        with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"), initializer=_worker_gc) as pool:
            tracked, frozen = pool.submit(_tracked_and_frozen).result()
    assert frozen >= len(inherited)
    assert tracked < len(inherited) // 10
