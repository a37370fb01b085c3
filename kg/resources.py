"""Where the project's ontology and shapes live: ontology/ and shapes/ at the top of the checkout."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "kabar-kg.ttl"
SHAPES_FILE = ROOT / "shapes" / "kabar-kg.shapes.ttl"
QUERIES_DIR = ROOT / "queries"
