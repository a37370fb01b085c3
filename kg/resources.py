"""Where the project's ontology, shapes and named queries live, and the IRI of the graph a store holds the
ontology in (here, so that reading a store needs neither rdflib nor kg.rdf).

In a checkout (and an editable install) they are ontology/, shapes/ and queries/ at the top of the
repository; an installed wheel carries copies of them as package data in kg/data/ontology,
kg/data/shapes and kg/data/queries (setup.py copies them there when the wheel is built)."""
from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
RESOURCE_DIRS = ("ontology", "shapes", "queries")


def resource_dir(name: str) -> Path:
    """The folder NAME (one of RESOURCE_DIRS): the package's copy when installed, else the checkout's."""
    packaged = PACKAGE / "data" / name
    return packaged if packaged.is_dir() else ROOT / name


ID_BASE = "https://w3id.org/kabar-kg/id/"   # the graph's own IRIs (kg.iris.ID)
ONTOLOGY_GRAPH = ID_BASE + "graph/ontology"   # the named graph that holds the ontology in a store

ONTOLOGY_FILE = resource_dir("ontology") / "kabar-kg.ttl"
SHAPES_FILE = resource_dir("shapes") / "kabar-kg.shapes.ttl"
QUERIES_DIR = resource_dir("queries")
