"""A build keeps its emitted article graphs in one unlinked temporary file (kg.spool), not in memory: each
graph reads as the dict of subject -> lines it replaces, a change moves it into memory, and nothing is
left behind."""
from __future__ import annotations

import errno
import os
import pickle
import tempfile

import pytest

from kg.errors import KgError
from kg.pipeline import build_graph, write_outputs
from kg.spool import Spool, SpooledGraph, keys_of, line_count, packed, packed_terms, pick, raw, text, whole
from kg.validate import by_subject
from tests.helpers import SEEDS

LINES = [
    '<https://x.test/b> <https://x.test/p> "dua" .',
    '<https://x.test/a> <https://x.test/p> "satu" .',
    '<https://x.test/a> <http://www.w3.org/2000/01/rdf-schema#label> "Kota Āmbon — ✓"@id .',
    '_:b10 <https://x.test/p> <https://x.test/a> .',
    '_:b1 <https://x.test/p> <https://x.test/b> .',
]


def spooled(lines=LINES) -> tuple[dict[str, str], SpooledGraph]:
    chunks = by_subject(lines)
    spool = Spool()
    spool.add(*packed({"<https://x.test/z>": "something before\n"}))
    return chunks, spool.add(*packed(chunks))


def test_a_spooled_graph_reads_as_the_dict_it_replaces():
    chunks, graph = spooled()
    assert list(graph) == list(chunks) == sorted(chunks)
    assert dict(graph) == chunks and dict(graph.items()) == chunks and list(graph.values()) == list(chunks.values())
    assert len(graph) == len(chunks) and line_count(graph) == line_count(chunks) == len(LINES)
    for subject, chunk in chunks.items():
        assert subject in graph and graph[subject] == chunk and raw(graph, subject) == chunk.encode("utf-8")
    assert "<https://x.test/c>" not in graph and 3 not in graph
    with pytest.raises(KeyError):
        graph["<https://x.test/c>"]
    assert text(graph) == text(chunks) == "".join(chunks[s] for s in sorted(chunks)).encode("utf-8")
    assert whole(graph) == whole(chunks) == text(chunks).decode("utf-8")
    wanted = ["_:b10", "<https://x.test/c>", "<https://x.test/b>"]
    assert pick(graph, wanted) == pick(chunks, wanted) == {s: chunks[s] for s in ("_:b10", "<https://x.test/b>")}


def test_digests_compare_the_lines_read_and_nothing_else():
    """Two graphs describing a subject with the same lines on the predicates read have equal keys (digests
    of a spooled graph; nothing is read), and different keys when one of those lines differs."""
    read = frozenset({"<https://x.test/p>"})
    a = by_subject(['<https://x.test/a> <https://x.test/p> "1" .', '<https://x.test/a> <https://x.test/q> "x" .'])
    b = by_subject(['<https://x.test/a> <https://x.test/p> "1" .', '<https://x.test/a> <https://x.test/q> "y" .'])
    c = by_subject(['<https://x.test/a> <https://x.test/p> "2" .', '<https://x.test/a> <https://x.test/q> "x" .'])
    spool = Spool()
    ka, kb, kc = (keys_of(spool.add(*packed(g, read)), ["<https://x.test/a>", "<https://x.test/z>"]) for g in (a, b, c))
    assert list(ka) == ["<https://x.test/a>"] and ka == kb != kc
    assert keys_of(a, ["<https://x.test/a>"]) != keys_of(b, ["<https://x.test/a>"])   # in memory: the lines
    whole_a, whole_b = (keys_of(spool.add(*packed(g)), ["<https://x.test/a>"]) for g in (a, b))
    assert whole_a != whole_b   # no predicates named: every line counts



PACKED_CASES = {
    "mixed": LINES,
    "prefixes": ['<https://x.test/a> <https://x.test/p> "1" .', '<https://x.test/a#char=1,2> <https://x.test/p> "2" .',
                 '<https://x.test/a#char=1,2> <https://x.test/q> "3" .', '<https://x.test/ab> <https://x.test/q> "4" .',
                 '<https://x.test/a> <https://x.test/q> "ö 5" .', '_:b1 <https://x.test/q> "6" .',
                 '_:b12 <https://x.test/p> "7" .'],
    "no line read first": ['<https://x.test/a> <https://x.test/q> "x" .', '<https://x.test/b> <https://x.test/p> "y" .',
                           '<https://x.test/c> <https://x.test/q> "z" .', '<https://x.test/d> <https://x.test/p> "ü" .'],
    "one subject": ['<https://x.test/a> <https://x.test/q> "x" .'],
    # a control character right after another subject's text: the lines sort otherwise than the subjects
    "control": ['<https://x.test/a <https://x.test/p> "1" .', '<https://x.test/a\x01 <https://x.test/p> "2" .'],
    "empty": [],
}


@pytest.mark.parametrize("lines", PACKED_CASES.values(), ids=PACKED_CASES)
@pytest.mark.parametrize("read", [None, frozenset({"<https://x.test/p>"}), frozenset()], ids=["all", "p", "none"])
def test_packed_terms_is_packed_of_the_lines_by_subject(lines, read):
    """What a worker sends of a graph, made in one pass over its lines, is what packing its lines grouped by
    subject gives: the same text, subjects, ends (bytes, with non-ASCII lines) and digests of the lines read."""
    terms = {ln: tuple(ln.split(" ", 2)[:2]) for ln in reversed(lines)}   # as kg.emit.article_terms gives them
    got, want = packed_terms(terms, read), packed(by_subject(lines), read)
    assert got == want
    graph = Spool().add(*got)
    assert dict(graph) == by_subject(lines) and graph.lines == len(lines)


def test_changing_a_spooled_graph_moves_it_into_memory_and_keeps_the_rest():
    chunks, graph = spooled()
    del graph["_:b1"]
    graph["<https://x.test/a>"] = chunks["<https://x.test/a>"].splitlines(keepends=True)[0]
    del chunks["_:b1"]
    chunks["<https://x.test/a>"] = chunks["<https://x.test/a>"].splitlines(keepends=True)[0]
    assert dict(graph) == chunks and line_count(graph) == len(LINES) - 2
    assert text(graph) == text(chunks) and raw(graph, "_:b10") == chunks["_:b10"].encode("utf-8")


def test_a_spooled_graph_pickles_as_a_dict():
    chunks, graph = spooled()
    copy = pickle.loads(pickle.dumps(graph))
    assert type(copy) is dict and copy == chunks


def test_a_build_spools_its_graphs_in_a_file_that_has_no_name(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = build_graph([SEEDS])
    assert result.triples and all(isinstance(g, SpooledGraph) for g in result.triples.values())
    assert os.listdir(tmp_path) == []   # unlinked from the start: a killed build leaves nothing
    write_outputs(result, tmp_path / "out" / "kg.nq", None)
    quads = (tmp_path / "out" / "kg.nq").read_bytes()
    assert quads.count(b"\n") == len(result) > 0


def test_a_full_temporary_folder_stops_the_build_and_says_where(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def no_room(fd, data, offset):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "pwrite", no_room)
    with pytest.raises(KgError, match=rf"{tmp_path}: cannot write the build's temporary file \(No space left "
                                      r"on device\); set TMPDIR to a folder with room; nothing written"):
        build_graph([SEEDS])


def test_the_union_check_reads_no_spooled_subject_whose_counted_lines_agree(lexicon, monkeypatch):
    """A town named by 20 spooled graphs, each with evidence of its own article (its chunks all differ,
    its counted lines do not): the union check compares digests and reads none of them."""
    from tests.test_union_check import PROV, TOWN, _KIND, article, chunks, check
    _KIND[0] = "spooled"
    try:
        graphs = {f"a{i}": chunks(TOWN + PROV + article(i) + f"ex:m kg:evidence ex:e{i} .\n") for i in range(20)}
    finally:
        _KIND[0] = "in memory"
    reads = []
    real = SpooledGraph.pick
    monkeypatch.setattr(SpooledGraph, "pick", lambda self, subjects: reads.append(list(subjects)) or real(self, subjects))
    assert check(graphs, lexicon).conforms
    assert reads == []
