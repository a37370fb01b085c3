"""The emission phase's batches (kg.pipeline._chunks): every article once and in order, batches that shrink
towards the end so the workers finish together, and a few articles still spread over the workers."""
from __future__ import annotations

import pytest

from kg.pipeline import _chunks


@pytest.mark.parametrize("n, workers", [(0, 2), (1, 1), (1, 2), (5, 2), (50, 2), (161, 2), (2000, 1), (2000, 2), (4001, 2)])
def test_batches_hold_every_item_once_in_order(n, workers):
    batches = _chunks(list(range(n)), workers)
    assert [i for batch in batches for i in batch] == list(range(n))
    assert all(0 < len(batch) <= 64 for batch in batches)
    assert [len(b) for b in batches[:-1]] == sorted((len(b) for b in batches[:-1]), reverse=True)


@pytest.mark.parametrize("n", [2000, 4001, 10_000])
def test_the_last_batches_are_small_so_the_workers_finish_together(n):
    batches = _chunks(list(range(n)), 2)
    assert len(batches[0]) == 64
    assert all(len(batch) <= 8 for batch in batches[-4:])


def test_a_few_articles_still_go_to_every_worker():
    assert len(_chunks(list(range(5)), 2)) >= 2
    assert len(_chunks(list(range(50)), 2)) >= 4
