"""Check a graph against the OWL ontology with a real reasoner (HermiT, through owlready2)."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from .errors import KgError
from .resources import ONTOLOGY_FILE

log = logging.getLogger("kg")

# HermiT knows the OWL 2 datatype map, which has no xsd:date; such values are handed to it as
# plain strings (their lexical form is kept), so the check is about classes and links, not dates.
UNSUPPORTED_DATATYPES = {XSD.date, XSD.gYear, XSD.gYearMonth}


@dataclass(frozen=True)
class ConsistencyResult:
    consistent: bool
    message: str


def ontology_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


def _for_reasoner(data: Graph) -> Graph:
    g = ontology_graph()
    for s, p, o in data:
        if isinstance(o, Literal) and o.datatype in UNSUPPORTED_DATATYPES:
            o = Literal(str(o), datatype=XSD.string)
        g.add((s, p, o))
    return g


def check_consistency(data: Graph | None = None) -> ConsistencyResult:
    """Return whether the ontology, together with DATA, is consistent according to HermiT."""
    if shutil.which("java") is None:
        raise KgError("java not found: the HermiT reasoner needs a Java runtime (17 works)")
    import owlready2
    from owlready2.base import OwlReadyInconsistentOntologyError

    merged = _for_reasoner(data if data is not None else Graph())
    with tempfile.TemporaryDirectory(prefix="kg-owl-") as tmp:
        nt = Path(tmp) / "graph.nt"
        # owlready2 reads N-Triples made by rdflib; it silently loads nothing from Turtle
        merged.serialize(nt, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(nt.as_uri()).load(format="ntriples")
        cwd = os.getcwd()
        try:
            os.chdir(tmp)  # HermiT writes scratch files in the working directory
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except OwlReadyInconsistentOntologyError:
            return ConsistencyResult(False, "inconsistent: the ontology and the graph contradict each other")
        except owlready2.OwlReadyJavaError as exc:
            raise KgError(f"the HermiT reasoner failed: {str(exc).strip().splitlines()[-1][:300]}") from exc
        finally:
            os.chdir(cwd)
        unsat = list(world.inconsistent_classes())
        if unsat:
            names = ", ".join(sorted(str(c) for c in unsat))
            return ConsistencyResult(False, f"unsatisfiable classes: {names}")
    return ConsistencyResult(True, f"consistent ({len(merged)} triples checked by HermiT)")
