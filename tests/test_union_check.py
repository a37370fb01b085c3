"""The union check of kg build (kg.validate.prune_chunks through _shared_union): after every article graph
conforms on its own, the nodes described in several graphs are checked in their union, where only a count
(sh:maxCount) can newly break. What is validated there: each line once, and only the nodes whose lines read
by those counts differ beyond what any single graph holds. These tests watch what reaches the validator and
compare what the check finds with pySHACL on the whole union."""
from __future__ import annotations

import pytest
from rdflib import Graph

import kg.validate
from kg.resolve import KnowledgeBase, Node, node_iris
from kg.spool import Spool, packed
from kg.validate import by_subject, counted_lines, prune_chunks, validate_ntriples
from tests.test_fast_validate import ART, EV, MEAS, PREFIXES, PROV, TOWN, _reference

AGENCY_GOV = 'ex:g a kg:Agency ; rdfs:label "Pemkot A"@id ; kg:governs ex:m .\n'
AWARD = 'ex:w a kg:Award ; rdfs:label "Adipura"@id ; kg:recipient ex:m ; kg:date "2024-01-01"^^xsd:date .\n'
DATE = 'ex:x kg:date "2024-01-01"^^xsd:date .\n'


def article(i: int) -> str:
    """An article ex:a<I> with an evidence span ex:e<I> in it (nodes of their own graph only)."""
    return (ART.replace("ex:a ", f"ex:a{i} ").replace("a.txt", f"a{i}.txt")
            + EV.split("\n")[0].replace("ex:e ", f"ex:e{i} ").replace("ex:a ", f"ex:a{i} ") + "\n")


_KIND = ["in memory"]


@pytest.fixture(autouse=True, params=["in memory", "spooled"])
def graph_kind(request):
    """Each test runs on graphs held as dicts and on graphs in a kg.spool (a build's), whose union check
    compares digests of the counted lines instead of the lines."""
    _KIND[0] = request.param
    yield request.param
    _KIND[0] = "in memory"


def chunks(turtle: str) -> dict[str, str]:
    lines = Graph().parse(data=PREFIXES + turtle, format="turtle").serialize(format="nt").strip().splitlines()
    graph = by_subject(line for line in lines if line.strip())
    if _KIND[0] == "spooled":
        return Spool().add(*packed(graph, counted_lines()))
    return graph


@pytest.fixture
def validated(monkeypatch):
    """The texts the union check hands to the validator (kg.validate._validate_with_components)."""
    texts: list[str] = []
    real = kg.validate._validate_with_components

    def spy(text):
        texts.append(text)
        return real(text)
    monkeypatch.setattr(kg.validate, "_validate_with_components", spy)
    return texts


def check(graphs: dict[str, dict[str, str]], lexicon):
    assert all(not validate_ntriples("".join(c.values())) for c in graphs.values()), "a graph fails on its own"
    return prune_chunks(graphs, KnowledgeBase({}, [], []), lexicon)


def test_union_check_a_node_many_graphs_describe_alike_is_not_validated_again(lexicon, validated):
    """40 articles name one town (and its province) with the same description: in the old check its type,
    label, code and province were validated 40 times over; no count can break, so nothing is validated."""
    graphs = {f"a{i}": chunks(TOWN + PROV + article(i)) for i in range(40)}
    report = check(graphs, lexicon)
    assert report.conforms and not report.left_out
    assert validated == []


def test_union_check_lines_no_count_reads_do_not_make_a_node_validated(lexicon, validated):
    """The town is described in every graph with evidence of that article: its chunks differ, the lines
    its counts read (type, label, code, province) do not."""
    graphs = {f"a{i}": chunks(TOWN + PROV + article(i) + f"ex:m kg:evidence ex:e{i} .\n") for i in range(10)}
    assert len({g["<http://example.org/m>"] for g in graphs.values()}) == 10
    assert check(graphs, lexicon).conforms
    assert validated == []


def test_union_check_a_graph_holding_every_counted_line_of_a_node_is_enough(lexicon, validated):
    """One graph gives the measurement its date, another none: the union holds what the first holds, which
    conformed; nothing to validate. pySHACL agrees the union conforms."""
    a, b = TOWN + MEAS + DATE + article(1), TOWN + MEAS + article(2)
    assert check({"a": chunks(a), "b": chunks(b)}, lexicon).conforms
    assert validated == []
    assert not _reference(Graph().parse(data=PREFIXES + a + b, format="turtle"))


def test_union_check_two_dates_from_two_articles_are_caught_and_validated_once(lexicon, validated):
    """A third graph gives the measurement another date: it is validated (its lines only, each once, though
    30 graphs state most of them) and left out with every link to it."""
    graphs = {f"a{i}": chunks(TOWN + MEAS + DATE + article(i)) for i in range(30)}
    graphs["z"] = chunks(TOWN + MEAS + DATE.replace("01-01", "02-01") + article(99))
    report = check(graphs, lexicon)
    assert not report.conforms
    assert [(v.focus, v.path) for v in report.violations] == [("http://example.org/x", "kg:date")]
    assert report.left_out == ["http://example.org/x"]
    assert len(validated) == 1
    lines = validated[0].splitlines()
    assert len(lines) == len(set(lines))
    assert {line.split(" ", 1)[0] for line in lines} == {"<http://example.org/x>"}
    assert sum("#date>" in line for line in lines) == 2
    left = "".join(chunk for g in graphs.values() for chunk in g.values())
    assert "<http://example.org/x>" not in left and "<http://example.org/m>" in left


def test_union_check_counts_once_then_only_the_graphs_that_lost_lines(lexicon, monkeypatch):
    """After the measurement dated twice is left out, the graphs that held it are validated again on their
    own; the union is not: it lost lines only, and no count breaks by losing values."""
    calls = []
    real = kg.validate._shared_union
    monkeypatch.setattr(kg.validate, "_shared_union", lambda *a: calls.append(1) or real(*a))
    mine = []
    validate = kg.validate.validate_ntriples
    monkeypatch.setattr(kg.validate, "validate_ntriples", lambda text: mine.append(text) or validate(text))
    graphs = {f"a{i}": chunks(TOWN + MEAS + DATE + article(i)) for i in range(5)}
    graphs["z"] = chunks(TOWN + MEAS + DATE.replace("01-01", "02-01") + article(99))
    graphs["other"] = chunks(TOWN + article(7))
    report = prune_chunks(graphs, KnowledgeBase({}, [], []), lexicon)
    assert report.left_out == ["http://example.org/x"]
    assert len(calls) == 1
    assert len(mine) == 7 + 6   # the seven graphs in the first round; then the six that held the measurement


def test_union_check_a_property_counted_on_other_classes_only_is_not_validated(lexicon, validated):
    """Two articles date one award differently: kg:date is counted on measurements (sh:maxCount 1), not on
    awards, so the union conforms (pySHACL agrees) and the award is not validated."""
    a, b = TOWN + AWARD + article(1), TOWN + AWARD.replace("01-01", "03-01") + article(2)
    assert check({"a": chunks(a), "b": chunks(b)}, lexicon).conforms
    assert validated == []
    assert not _reference(Graph().parse(data=PREFIXES + a + b, format="turtle"))


CROSS = {   # name -> (two graphs, each conforming on its own)
    "same-town": (TOWN + PROV, TOWN + PROV),
    "town-two-provinces": (TOWN, TOWN.replace("35-jawa-timur", "35-jatim")),
    "town-two-labels": (TOWN, TOWN.replace("Kota A", "Kota B")),
    "measurement-two-dates": (TOWN + MEAS + DATE, TOWN + MEAS + DATE.replace("01-01", "02-01")),
    "measurement-two-values": (TOWN + MEAS, TOWN + MEAS.replace("kg:value 5", "kg:value 6")),
    "measurement-date-once": (TOWN + MEAS + DATE, TOWN + MEAS),
    "award-two-dates": (TOWN + AWARD, TOWN + AWARD.replace("01-01", "03-01")),
    "agency-governs-two": (TOWN + AGENCY_GOV, PROV + AGENCY_GOV.replace("ex:m", "ex:q")),
    "article-two-files": (ART, ART.replace("a.txt", "b.txt")),
    "agency-typed-twice": (TOWN + AGENCY_GOV, TOWN + AGENCY_GOV + "ex:g a kg:Person .\n"),
    # typed differently: as a person it governs the province (uncounted), as an agency it governs two places
    "typed-otherwise-governs-two": (TOWN + AGENCY_GOV, PROV + 'ex:g a kg:Person ; rdfs:label "Pemkot A"@id ; '
                                                             'kg:governs ex:q .\n'),
}


@pytest.mark.parametrize("name", sorted(CROSS))
def test_union_check_finds_the_counts_pyshacl_finds_on_the_whole_union(name, lexicon):
    a, b = CROSS[name]
    reference = {f for f, _, c in _reference(Graph().parse(data=PREFIXES + a + b, format="turtle"))
                 if c == "MaxCountConstraintComponent"}
    graphs = {"a": chunks(a + article(1)), "b": chunks(b + article(2))}
    if any(validate_ntriples("".join(c.values())) for c in graphs.values()):
        pytest.fail(f"{name}: a graph fails on its own")
    report = prune_chunks(graphs, KnowledgeBase({}, [], []), lexicon)
    first = {v.focus for v in report.violations if not v.article}
    assert first == reference
    assert bool(reference) == (name not in ("same-town", "measurement-date-once", "award-two-dates",
                                             "agency-typed-twice"))


STRANGER = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix kg: <https://w3id.org/kabar-kg/ontology#> .
@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
TARGETS = {   # shapes that target nodes otherwise than by their own types: every counted property counts
    "subjects-of": "ex:S a sh:NodeShape ; sh:targetSubjectsOf kg:date ; sh:property [ sh:path kg:date ; sh:maxCount 1 ] .",
    "target-node": "ex:S a sh:NodeShape ; sh:targetNode ex:w ; sh:property [ sh:path kg:date ; sh:maxCount 1 ] .",
    "shape-is-class": "ex:S a sh:NodeShape, rdfs:Class ; sh:property [ sh:path kg:date ; sh:maxCount 1 ] .",
    "nested": "ex:S a sh:NodeShape ; sh:targetClass kg:Award ; sh:node ex:T . "
              "ex:T a sh:NodeShape ; sh:property [ sh:path kg:date ; sh:maxCount 1 ] .",
    "subclass-counted": "ex:S a sh:NodeShape ; sh:targetClass kg:Award ; "
                        "sh:property [ sh:path rdfs:subClassOf ; sh:maxCount 1 ] .",
}


@pytest.fixture
def shapes_plus(monkeypatch):
    """Replace the shapes by ours plus the Turtle given (the counted properties are read again)."""
    import pyoxigraph as ox

    def use(turtle: str) -> None:
        extra = tuple((str(t.subject), str(t.predicate), str(t.object))
                      for t in ox.parse((STRANGER + turtle).encode(), ox.RdfFormat.TURTLE))
        triples = kg.validate._shape_triples() + extra
        monkeypatch.setattr(kg.validate, "_shape_triples", lambda: triples)
        kg.validate._counted_by_class.cache_clear()
        kg.validate._counted_paths.cache_clear()
    yield use
    kg.validate._counted_by_class.cache_clear()
    kg.validate._counted_paths.cache_clear()


def test_union_check_reads_the_counts_by_class_from_the_shapes():
    """As the shapes say (the file read by Oxigraph's parser, as pySHACL's rdflib graph gives them too)."""
    from rdflib.namespace import SH
    from kg.validate import shapes_graph
    shapes = shapes_graph()
    assert kg.validate._counted_paths() == {f"<{shapes.value(ps, SH.path)}>" for ps in shapes.subjects(SH.maxCount, None)}
    expected: dict[str, set[str]] = {}
    for shape, c in shapes.subject_objects(SH.targetClass):
        expected.setdefault(f"<{c}>", set()).update(f"<{shapes.value(ps, SH.path)}>" for ps in shapes.objects(shape, SH.property)
                                                     if shapes.value(ps, SH.maxCount) is not None)
    assert kg.validate._counted_by_class() == {c: paths for c, paths in expected.items() if paths}
    by_class = kg.validate._counted_by_class()
    kgo = "https://w3id.org/kabar-kg/ontology#"
    assert by_class[f"<{kgo}Measurement>"] >= {f"<{kgo}date>", f"<{kgo}value>"}
    assert f"<{kgo}date>" not in by_class[f"<{kgo}Award>"]
    assert frozenset().union(*by_class.values()) == kg.validate._counted_paths()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_union_check_validates_every_counted_property_when_shapes_target_otherwise(name, shapes_plus, lexicon,
                                                                                     validated):
    """With such a shape, a count on any node may read any counted property: the award dated twice is
    validated (the Rust engine still reads our shapes file; what matters here is what it is given)."""
    shapes_plus(TARGETS[name])
    assert kg.validate._counted_by_class() is None
    assert kg.validate._counted_paths() is not None
    a, b = TOWN + AWARD + article(1), TOWN + AWARD.replace("01-01", "03-01") + article(2)
    check({"a": chunks(a), "b": chunks(b)}, lexicon)
    assert len(validated) == 1 and "<http://example.org/w>" in validated[0]


def test_node_iris_are_made_again_when_the_nodes_change(lexicon):
    kb = KnowledgeBase({"person:budi": Node("person:budi", "Person", "Budi")}, [], [])
    first = node_iris(kb, lexicon)
    assert first == {"person:budi": "https://w3id.org/kabar-kg/id/person/budi"}
    assert node_iris(kb, lexicon) is first
    kb.nodes["person:sri"] = Node("person:sri", "Person", "Sri")
    assert set(node_iris(kb, lexicon)) == {"person:budi", "person:sri"}


def test_union_check_of_shapes_comparing_values_validates_whole_descriptions(shapes_plus):
    """With a constraint that compares values (here sh:uniqueLang) the union's check is the fallback: all
    the triples of the shared nodes (evidence links included), and any result counts."""
    shapes_plus("ex:S a sh:NodeShape ; sh:targetClass kg:Municipality ; "
                "sh:property [ sh:path rdfs:label ; sh:uniqueLang true ] .")
    assert kg.validate._counted_paths() is None and kg.validate._counted_by_class() is None
    graphs = {f"a{i}": chunks(TOWN + article(i) + f"ex:m kg:evidence ex:e{i} .\n") for i in range(2)}
    text, focus, counts_only = kg.validate._shared_union(graphs)
    assert not counts_only and focus == {"http://example.org/m"}
    assert "<http://example.org/e0>" in text and "<http://example.org/e1>" in text
