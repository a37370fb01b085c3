"""Validate graphs with the SHACL shapes in shapes/ (pySHACL), and leave out nodes that violate them."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from .errors import GraphInputError
from .lexicon import Lexicon
from .rdf import node_iri
from .resources import SHAPES_FILE
from .resolve import KnowledgeBase

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str          # the node's IRI
    label: str          # its name, if it has one
    path: str           # the property
    message: str        # what was expected
    value: str          # the offending value, if any
    article: str = ""   # where the node was read
    sentence: str = ""

    def describe(self) -> str:
        where = f" [{self.article}: \"{self.sentence[:120]}\"]" if self.article else ""
        value = f" (found {self.value})" if self.value else ""
        return f"{self.label or self.focus}: {self.path}: {self.message}{value}{where}"


@dataclass
class Report:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)   # IRIs of the nodes removed from the output


@cache
def shapes_graph() -> Graph:
    """The shapes, parsed once per process."""
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    return g


def _short(term) -> str:
    text = str(term)
    for ns, p in (("https://w3id.org/kabar-kg/ontology#", "kg:"), (str(RDFS), "rdfs:"),
                  ("http://www.w3.org/2004/02/skos/core#", "skos:"), ("http://purl.org/dc/terms/", "dcterms:")):
        if text.startswith(ns):
            return p + text[len(ns):]
    return text


def read_graph(path: Path) -> Graph:
    """Return the triples of the RDF file at PATH (all its graphs in one), for validation or reasoning.

    Nothing is fetched: a JSON-LD context is read from kg/data or refused (kg.jsonld). A file that holds
    no triples is an error, so that an empty or truncated export does not "conform"."""
    from rdflib import Dataset
    from .export import FORMATS
    from .jsonld import read_jsonld
    from .rdf import union_graph
    if not path.is_file():
        raise GraphInputError(f"{path}: {'not a regular file' if path.exists() else 'no such file'}")
    fmt = FORMATS.get(path.suffix.lower(), (None,))[0]
    if fmt is None:
        raise GraphInputError(f"{path}: unknown RDF format {path.suffix!r}; expected one of {', '.join(sorted(FORMATS))}")
    ds = Dataset(default_union=True)
    try:
        if fmt == "json-ld":
            ds.parse(data=read_jsonld(path), format=fmt, publicID=path.absolute().as_uri())
        else:
            ds.parse(path, format=fmt)
    except GraphInputError:
        raise
    except Exception as exc:  # rdflib raises many parser-specific types
        raise GraphInputError(f"{path}: not readable as {fmt}: {str(exc).splitlines()[0][:300]}") from exc
    graph = union_graph(ds)
    if len(graph) == 0:
        raise GraphInputError(f"{path}: holds no triples")
    return graph


def validate_graph(data: Graph) -> Report:
    """Return whether DATA conforms to the shapes, with one Violation per result."""
    conforms, results, _ = validate(data, shacl_graph=shapes_graph(), inference="none",
                                    allow_warnings=True, advanced=False, inplace=True)
    violations = []
    for r in sorted(set(results.subjects(RDF.type, SH.ValidationResult)), key=str):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        label = data.value(focus, RDFS.label)
        value = results.value(r, SH.value)
        violations.append(Violation(str(focus), str(label) if label else "", _short(path) if path else "",
                                    str(results.value(r, SH.resultMessage) or ""),
                                    str(value) if value is not None and not isinstance(value, Literal) or value else ""))
    return Report(bool(conforms), violations)


def prune_invalid(graphs: dict[str, Graph], kb: KnowledgeBase, lexicon: Lexicon,
                  rounds: int = 5, first_pass: dict[str, list[Violation]] | None = None) -> Report:
    """Validate each article graph on its own and leave out every node that violates a shape, with every
    triple linking to it, from all graphs (in place). Return a Report naming each such node with the
    article and sentence it was read from.

    Validating graph by graph is complete: an article graph types and labels every node it links to
    (kg.rdf.article_graphs), and a node's label is the same in every graph."""
    evidence = {str(node_iri(k, lexicon)): n.evidence for k, n in kb.nodes.items()}
    report = Report(True)
    todo = sorted(graphs)
    for _ in range(rounds):
        bad: set[URIRef] = set()
        for source in todo:
            if first_pass is not None:   # the first round was run by worker processes
                violations = first_pass[source]
            else:
                violations = validate_graph(graphs[source]).violations
            if not violations:
                continue
            report.conforms = False
            for v in violations:
                ev = evidence.get(v.focus, [])
                report.violations.append(Violation(v.focus, v.label, v.path, v.message, v.value,
                                                   ev[0].article if ev else source, ev[0].text if ev else ""))
                bad.add(URIRef(v.focus))
        first_pass = None
        if not bad:
            return report
        todo = []
        for source, g in graphs.items():
            touched = False
            for node in bad:
                for t in list(g.triples((node, None, None))) + list(g.triples((None, None, node))):
                    g.remove(t)
                    touched = True
            if touched:
                todo.append(source)
        report.left_out.extend(sorted(str(n) for n in bad))
    raise RuntimeError("the graph still violates the shapes after leaving out the offending nodes")
