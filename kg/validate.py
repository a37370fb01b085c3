"""Validate graphs with the SHACL shapes in shapes/, and leave out nodes that violate them.

Two engines read the same shapes: pySHACL (validate_graph, the reference, used by `kg validate`) and the
Rust engine of the `shacl` package (validate_ntriples, used by `kg build` on every article graph and on
their union). tests/test_validate.py runs one deliberately violating graph per constraint kind through
both and requires the same (focus node, path, constraint component) results."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import GraphInputError
from .iris import OWL, RDFS, Vocabulary
from .lexicon import Lexicon
from .resources import SHAPES_FILE
from .spool import keys_of, pick, whole
from .resolve import KnowledgeBase, node_iris

if TYPE_CHECKING:
    from rdflib import Graph   # imported where it is used: a build validates without rdflib

SH = Vocabulary("http://www.w3.org/ns/shacl#")


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
def fast_shapes():
    """The shapes for the Rust engine (package `shacl`), compiled once per process."""
    import shacl
    return shacl.Shapes.from_turtle(SHAPES_FILE.read_text(encoding="utf-8"))


def _unterm(term: str | None) -> str:
    """The plain text of an N-Triples term as pySHACL's str() gives it: an IRI without <>, a blank node
    with its label, a literal's lexical form."""
    if not term:
        return ""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    if term.startswith("_:"):
        return term[2:]
    return term


@dataclass(frozen=True)
class FastResult:
    """One result of the Rust engine, in the terms the Violation uses."""
    focus: str          # IRI (or blank-node label)
    path: str           # full IRI of the property ("" for none)
    component: str      # e.g. "MinCountConstraintComponent"
    message: str
    value: str          # the N-Triples term of the offending value ("" for none)
    value_plain: str


def fast_results(ntriples: bytes | str) -> list[FastResult]:
    """Validate the N-Triples NTRIPLES with the Rust engine; one FastResult per result, sorted."""
    text = ntriples.decode("utf-8") if isinstance(ntriples, bytes) else ntriples
    report = fast_shapes().validate_text(text, format="ntriples")
    if report.conforms:
        return []
    return sorted({FastResult(_unterm(r.focus_node), _unterm(r.path), r.component.rsplit("#", 1)[-1],
                              r.message or "", r.value or "", r.value_plain or "") for r in report.results},
                  key=lambda r: (r.focus, r.path, r.component, r.value))


_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _labels(ntriples: str, focus: set[str]) -> dict[str, str]:
    """The first rdfs:label (lexical form) of each IRI in FOCUS, read from N-Triples lines."""
    import pyoxigraph as ox
    wanted = {f"<{f}>" for f in focus}
    lines = [ln for ln in ntriples.splitlines() if ln.split(" ", 1)[0] in wanted and f" {_LABEL} " in ln]
    out: dict[str, str] = {}
    for t in ox.parse(("\n".join(lines) + "\n").encode("utf-8"), ox.RdfFormat.N_TRIPLES):
        out.setdefault(t.subject.value, t.object.value)
    return out


def _validate_with_components(ntriples: str) -> list[tuple[Violation, str]]:
    results = fast_results(ntriples)
    labels = _labels(ntriples, {r.focus for r in results}) if results else {}
    return [(Violation(r.focus, labels.get(r.focus, ""), _short(r.path) if r.path else "", r.message,
                       r.value_plain), r.component) for r in results]


def validate_ntriples(ntriples: bytes | str) -> list[Violation]:
    """The violations of the N-Triples NTRIPLES, as validate_graph reports them, found by the Rust engine."""
    results = fast_results(ntriples)
    if not results:
        return []
    text = ntriples.decode("utf-8") if isinstance(ntriples, bytes) else ntriples
    labels = _labels(text, {r.focus for r in results})
    return [Violation(r.focus, labels.get(r.focus, ""), _short(r.path) if r.path else "", r.message,
                      r.value_plain) for r in results]


@cache
def shapes_graph() -> Graph:
    """The shapes, parsed once per process."""
    from rdflib import Graph
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
    from pyshacl import validate   # imported here: a build validates with the Rust engine (fast_shapes)
    from rdflib import Literal
    from rdflib.namespace import RDF, RDFS, SH
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


def prune_invalid(graphs: dict[str, Graph], kb: KnowledgeBase, lexicon: Lexicon, rounds: int = 5) -> Report:
    """prune_triples for rdflib graphs (changed in place)."""
    from rdflib import URIRef
    from .emit import rdflib_term
    triples = {source: dict.fromkeys(f"{rdflib_term(s)} {rdflib_term(p)} {rdflib_term(o)} ." for s, p, o in g)
               for source, g in graphs.items()}
    report = prune_triples(triples, kb, lexicon, rounds=rounds)
    for node in map(URIRef, report.left_out):
        for g in graphs.values():
            for t in list(g.triples((node, None, None))) + list(g.triples((None, None, node))):
                g.remove(t)
    return report


def by_subject(lines) -> dict[str, str]:
    """N-Triples LINES (no line breaks) grouped by subject: subject term -> its lines as a document, the
    lines sorted (and the subjects in order), so that a graph is written sorted by joining its chunks."""
    chunks: dict[str, list[str]] = {}
    for line in sorted(lines):
        chunks.setdefault(line.split(" ", 1)[0], []).append(line)
    return {subject: "\n".join(group) + "\n" for subject, group in chunks.items()}


def prune_triples(graphs: dict, kb: KnowledgeBase, lexicon: Lexicon, rounds: int = 5,
                  first_pass: dict[str, list[Violation]] | None = None) -> Report:
    """prune_chunks for graphs given as N-Triples lines (kg.emit.article_triples), changed in place."""
    chunked = {source: by_subject(g) for source, g in graphs.items()}
    report = prune_chunks(chunked, kb, lexicon, rounds, first_pass)
    for source, chunks in chunked.items():
        kept = {line for chunk in chunks.values() for line in chunk.splitlines()}
        for line in [t for t in graphs[source] if t not in kept]:
            del graphs[source][line]
    return report


# constraints that compare a node's values with each other or with other properties: with these, the
# union can break in more ways than by holding more values, and the whole shared part is validated
_PAIRWISE = {"qualifiedMaxCount", "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "closed"}


@cache
def _shape_triples() -> tuple[tuple[str, str, str], ...]:
    """The triples of the shapes file as N-Triples terms, read as the build's engine reads it (the text, by
    Oxigraph's parser: a build has no use for the rdflib graph of the shapes, several times slower to make)."""
    import pyoxigraph as ox
    return tuple((str(t.subject), str(t.predicate), str(t.object))
                 for t in ox.parse(SHAPES_FILE.read_bytes(), ox.RdfFormat.TURTLE))


_SH = f"<{SH}"
_SH_PATH, _SH_MAX = f"<{SH.path}>", f"<{SH.maxCount}>"


def _pairwise(triples) -> bool:
    return any(p.startswith(_SH) and p[len(_SH):-1] in _PAIRWISE for _, p, _ in triples)


def _paths(triples) -> dict[str, str]:
    """The sh:path of each shape that has one (the first, as rdflib's Graph.value gives one)."""
    paths: dict[str, str] = {}
    for s, p, o in triples:
        if p == _SH_PATH:
            paths.setdefault(s, o)
    return paths


@cache
def _counted_paths() -> frozenset[str] | None:
    """The N-Triples terms of the properties that have sh:maxCount in the shapes, or None when the shapes
    use a constraint that compares values (_PAIRWISE)."""
    triples = _shape_triples()
    if _pairwise(triples):
        return None
    paths = _paths(triples)
    return frozenset(paths[s] for s, p, _ in triples if p == _SH_MAX and paths.get(s, "").startswith("<"))


@cache
def _counted_by_class() -> dict[str, frozenset[str]] | None:
    """The properties whose values the shapes count (sh:maxCount) on a node of each class (N-Triples terms),
    or None when a node could be targeted otherwise than by its own types through sh:targetClass (other
    targets, a shape that is a class itself, a count nested in another shape, rdfs:subClassOf counted),
    and then every counted property counts on every node."""
    triples = _shape_triples()
    if _pairwise(triples):
        return None
    others = {f"<{t}>" for t in (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)}
    classes = {f"<{t}>" for t in (RDFS.Class, OWL.Class)}
    if any(p in others or (p == _TYPE and o in classes) for _, p, o in triples):
        return None
    paths = _paths(triples)
    owners: dict[str, list[str]] = {}   # property shape -> the shapes naming it with sh:property
    targets: dict[str, list[str]] = {}  # shape -> its sh:targetClass
    pointed: set[str] = set()           # every term some triple has as object
    for s, p, o in triples:
        pointed.add(o)
        if p == f"<{SH.property}>":
            owners.setdefault(o, []).append(s)
        elif p == f"<{SH.targetClass}>":
            targets.setdefault(s, []).append(o)
    by_class: dict[str, set[str]] = {}
    for ps in dict.fromkeys(s for s, p, _ in triples if p == _SH_MAX):
        path = paths.get(ps, "")
        if not path.startswith("<"):
            continue   # as _counted_paths: counted on no node
        if path == f"<{RDFS.subClassOf}>" or not owners.get(ps) or ps in targets:
            return None
        for shape in owners[ps]:
            if shape in pointed:
                return None   # a shape other shapes point to (sh:node, sh:or ...): it applies beyond its targets
            for c in targets.get(shape, ()):
                by_class.setdefault(c, set()).add(path)
    return {c: frozenset(paths) for c, paths in by_class.items()}


def counted_lines() -> frozenset[str] | None:
    """The predicates (N-Triples terms) of the lines that the union check reads of a shared subject when
    only counts can break (the counted properties and rdf:type), or None when it reads every line."""
    counted = _counted_paths()
    return None if counted is None else counted | {_TYPE}


def _shared_union(graphs: dict[str, dict[str, str]], memo: dict | None = None) -> tuple[str, set[str], bool]:
    """The part of the union of GRAPHS where a violation can show that no single graph shows; the subjects
    whose results count there; and whether only sh:maxCount results count. MEMO (kept by the caller from
    one round to the next) holds what was found of the shared subjects' chunks.

    Only subjects described in two graphs or more can break in the union (a node described in one graph
    has its whole description there; shapes follow properties forwards; a resolved node has one type in
    every graph). Each of their values was checked in its own graph, and types are never taken away, so
    what can newly break is a count: sh:maxCount (sh:minCount only gains). Their triples on properties
    with sh:maxCount and their types (their counted lines) are validated, and only sh:maxCount results
    count. When the shapes use a constraint that compares values (_PAIRWISE), all their triples and the
    types of the nodes they point to are validated instead.

    With counts only, each line is given once, and a shared subject S is validated only when no single graph
    holds all of S's read lines that the graphs hold together: S's type lines and its lines on the
    properties that a shape targeting one of those types counts (_counted_by_class; every counted property
    when the shapes do not say so by class alone). Why nothing is missed: a sh:maxCount result on focus
    node S and path P depends on S's types (which shapes target S: the shapes target classes, and the text
    holds no rdfs:subClassOf, a property they do not count), on whether one of the shapes targeting them
    counts P, and on the number of distinct values of P at S; on nothing else in the graph. The text
    validated is read as an RDF graph, a set: a line given twice is one triple, so giving it once is the
    same graph. Say some graph G holds every read line of S that any graph holds (G's read lines are a
    subset of the union's, so it holds them all exactly when it holds as many). Then S has in G exactly
    its types in the union, so the same shapes target S in G and in the union and count the same
    properties P, and S has in G the values on each such P it has in the union. G's own graph, which
    conforms, gives S those types and values (and more lines, which these counts do not read), so S
    meets every sh:maxCount there, and in the union too. Leaving S's lines out of the text changes no
    other node's result, since each node's counts read its own lines only. A subject validated keeps all
    its counted lines in the text (its label among them, which the report names it by)."""
    counts = Counter(chain.from_iterable(graphs.values()))   # graphs per subject (counted in C)
    shared = {s for s, n in counts.items() if n > 1}
    if not shared:
        return "", set(), True
    kept = counted_lines()   # what the workers' digests read too (kg.spool.packed)
    if kept is not None:
        return _shared_counts(graphs, shared, kept, {} if memo is None else memo)
    where: dict[str, list[str]] = {}
    for source, chunks in graphs.items():
        for subject in chunks:
            where.setdefault(subject, []).append(source)
    parts, objects = [], set()
    for subject in sorted(shared):
        for source in where[subject]:
            chunk = graphs[source][subject]
            parts.append(chunk)
            objects.update(line.rsplit(" ", 2)[1] for line in chunk.splitlines())
    for o in sorted(objects - shared):
        typed = f"{o} {_TYPE} "
        for source in where.get(o, ()):
            parts.extend(ln + "\n" for ln in graphs[source][o].splitlines() if ln.startswith(typed))
    return "".join(parts), {_unterm(s) for s in shared}, False


def _shared_counts(graphs: dict[str, dict[str, str]], shared: set[str], kept: frozenset[str],
                   memo: dict[tuple[str, ...], bool]) -> tuple[str, set[str], bool]:
    """_shared_union when only counts can break: the counted lines (on the properties KEPT) of the SHARED
    subjects whose read lines no single graph holds all of. MEMO: a subject's distinct chunks -> whether
    they are."""
    by_class = _counted_by_class()
    # subject -> {a key of one way the graphs describe it (kg.spool.keys_of): the first graph doing so}
    variants: dict[str, dict] = {s: {} for s in shared}
    for chunks in graphs.values():
        for subject, key in keys_of(chunks, shared.intersection(chunks)).items():
            variants[subject].setdefault(key, chunks)
    wanted: dict[int, tuple[dict, list[str]]] = {}   # the chunks to read, graph by graph (one read each)
    for subject, found in variants.items():
        if len(found) > 1:
            for chunks in found.values():
                wanted.setdefault(id(chunks), (chunks, []))[1].append(subject)
    read = {(id(chunks), s): chunk for chunks, subjects in wanted.values()
            for s, chunk in pick(chunks, subjects).items()}
    parts, focus = [], set()
    for subject in sorted(shared):
        found = variants[subject]
        if len(found) == 1:   # described alike in every graph
            continue
        chunks = tuple(dict.fromkeys(read[id(g), subject] for g in found.values()))   # in the order of the graphs
        if len(chunks) == 1:
            continue
        validate = memo.get(chunks)
        if validate is None:
            validate = memo[chunks] = not _one_holds_all(chunks, kept, by_class)
        if validate:   # its counted lines, in the order of the graphs, each once
            parts.append("\n".join(dict.fromkeys(chain.from_iterable(_counted(c, kept) for c in chunks))) + "\n")
            focus.add(_unterm(subject))
    return "".join(parts), focus, True


def _counted(chunk: str, kept: frozenset[str]) -> list[str]:
    """The lines of CHUNK on the properties KEPT. A chunk's lines end with a line break each (and hold none:
    N-Triples escapes it)."""
    return [ln for ln in chunk[:-1].split("\n") if ln.split(" ", 2)[1] in kept]


def _one_holds_all(chunks: tuple[str, ...], kept: frozenset[str], by_class: dict[str, frozenset[str]] | None
                   ) -> bool:
    """Whether one of CHUNKS (one subject's, from different graphs) holds every read line the others hold:
    its type lines and its lines on the properties counted on its types (BY_CLASS; with None, every
    property KEPT). Each distinct line is looked at once (a node named in 500 articles has 500 chunks, most
    of their lines alike), and each chunk searched for those lines."""
    lines = set("".join(chunks).split("\n"))
    lines.discard("")
    read = [ln for ln in lines if ln.split(" ", 2)[1] in kept]
    if by_class is not None:
        paths = {_TYPE}.union(*(by_class.get(ln.split(" ", 2)[2][:-2], ()) for ln in read
                                if ln.split(" ", 2)[1] == _TYPE))
        read = [ln for ln in read if ln.split(" ", 2)[1] in paths]
    lines_in = [(ln + "\n", "\n" + ln + "\n") for ln in read]   # a whole line: first, or after a line break
    return any(all(chunk.startswith(first) or after in chunk for first, after in lines_in) for chunk in chunks)


def prune_chunks(graphs: dict[str, dict[str, str]], kb: KnowledgeBase, lexicon: Lexicon, rounds: int = 5,
                 first_pass: dict[str, list[Violation]] | None = None) -> Report:
    """Validate each article graph (by source: its N-Triples grouped by subject, see by_subject) on its own,
    then their union, and leave out every node that violates a shape, with every triple linking to it,
    from all graphs (in place). Return a Report naming each such node with the article and sentence it
    was read from.

    An article graph types and labels every node it links to (kg.emit.article_lines), so most
    violations show in the article's own graph. Some show only in the union, the graph users query: two
    articles giving one measurement two dates break `sh:maxCount 1` there, though each article graph
    conforms. Such a node is left out and reported like any other. FIRST_PASS holds the violations of
    each article graph when worker processes found them already."""
    from .emit import iri
    evidence: dict[str, list] = {}   # by node IRI, made when the first violation is recorded
    report = Report(True)
    todo = sorted(graphs)
    memo: dict[tuple[str, ...], bool] = {}   # _shared_union's, from one round to the next
    counted_once = False   # whether the union's counts were checked (and their offenders left out)

    def record(violations: list[Violation], source: str, bad: set[str]) -> None:
        report.conforms = False
        if not evidence:
            iris = node_iris(kb, lexicon)
            evidence.update((iris[k], n.evidence) for k, n in kb.nodes.items())
        for v in violations:
            ev = evidence.get(v.focus, [])
            report.violations.append(Violation(v.focus, v.label, v.path, v.message, v.value,
                                               ev[0].article if ev else source, ev[0].text if ev else ""))
            bad.add(v.focus)

    for _ in range(rounds * 2):
        bad: set[str] = set()
        for source in todo:
            if first_pass is not None:
                violations = first_pass[source]
            else:
                violations = validate_ntriples("".join(graphs[source].values()))
            if violations:
                record(violations, source, bad)
        first_pass = None
        if not bad:   # every article graph conforms: now their union
            if counted_once:
                # only counts could break there, and every node breaking one was left out: the graphs have
                # lost lines since, so each node has the same types or fewer (fewer shapes target it) and
                # the same values or fewer on each property; no count breaks that did not
                return report
            text, focus, counts_only = _shared_union(graphs, memo)
            violations = [v for v, component in _validate_with_components(text) if v.focus in focus and
                          (component == "MaxCountConstraintComponent" or not counts_only)] if text else []
            if not violations:
                return report
            record(violations, "", bad)
            counted_once = counts_only
        terms = {iri(n) for n in bad}
        mentions = re.compile("|".join(map(re.escape, sorted(terms)))).search
        todo = []
        for source, chunks in graphs.items():
            if not mentions(whole(chunks)):   # most graphs name no left-out node (a scan in C)
                continue
            touched = False
            for subject in list(chunks):
                chunk = chunks[subject]
                if subject in terms:
                    del chunks[subject]
                    touched = True
                elif mentions(chunk):
                    kept = [ln for ln in chunk.splitlines() if ln.rsplit(" ", 2)[1] not in terms]
                    if len(kept) < chunk.count("\n"):
                        touched = True
                        if kept:
                            chunks[subject] = "\n".join(kept) + "\n"
                        else:
                            del chunks[subject]
            if touched:
                todo.append(source)
        report.left_out.extend(sorted(bad))
    raise RuntimeError("the graph still violates the shapes after leaving out the offending nodes")
