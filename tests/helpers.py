"""Helpers for the tests: articles from text, and the shared scorer."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from kg.articles import parse_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def make_article(body: str, title: str | None = None, dateline: str = "SURABAYA | contoh.id - ",
                 source: str = "test.txt"):
    """An Article from a body text, with a dateline so the reader finds where the body starts."""
    text = (f"{title}\n\n" if title else "") + dateline + body
    return parse_article(text, source)


def load_scorer():
    """The project's scorer, ../shared/eval/score.py (skips the test when shared/ is not beside the repo)."""
    path = SHARED / "eval" / "score.py"
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} not found: CI must have shared/ beside the clone")
        pytest.skip(f"{path} not found")
    spec = importlib.util.spec_from_file_location("kabar_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
