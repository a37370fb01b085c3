"""Shared fixtures: the lexicon, a helper that turns text into an Article, and the seeds' build."""
from __future__ import annotations


import pytest

from kg.lexicon import load_lexicon
from kg.pipeline import build_graph

from tests.helpers import SEEDS


@pytest.fixture(autouse=True, scope="session")
def _no_extraction_cache():
    """Builds in tests read every article (tests/test_incremental.py turns the cache on where it tests it)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("KABAR_KG_EXTRACT_CACHE", "off")
    yield
    mp.undo()


@pytest.fixture(scope="session")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="session")
def seeds_build():
    return build_graph([SEEDS])


@pytest.fixture(scope="session")
def seeds_ttl(tmp_path_factory, seeds_build):
    from kg.export import write_graph
    path = tmp_path_factory.mktemp("seeds") / "seeds.ttl"
    write_graph(seeds_build.dataset, path)
    return path
