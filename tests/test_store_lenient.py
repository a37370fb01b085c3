"""A build's store loads the article graphs and their union without Oxigraph checking their IRIs and
language tags again (bulk_load's lenient mode, about a tenth of the load's CPU): the build's workers parse
every graph's bytes strictly as they validate them (kg.validate.validate_ntriples), and the graph names,
which are not in the graphs' lines, are checked on their own. The store must be the one a strict load gives,
and what the strict parse refuses must still stop the build."""
import pyoxigraph as ox
import pytest

import kg.pipeline
import kg.store
from kg.errors import KgError
from kg.pipeline import build_graph, emit_validated, write_outputs
from kg.store import PreLoad, open_store, store_lock, write_store
from kg.validate import validate_ntriples
from tests.helpers import SEEDS


def dump(store: ox.Store) -> list[bytes]:
    return sorted(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())


def test_a_lenient_load_gives_the_store_a_strict_load_gives(tmp_path, seeds_build):
    strict = write_store(seeds_build.nquads, seeds_build.union_ntriples, tmp_path / "strict")
    lenient = write_store(seeds_build.nquads, seeds_build.union_ntriples, tmp_path / "lenient", lenient=True)
    assert strict == lenient
    a, b = open_store(tmp_path / "strict"), open_store(tmp_path / "lenient")
    assert dump(a) == dump(b)
    assert sorted(map(str, a.named_graphs())) == sorted(map(str, b.named_graphs()))


@pytest.mark.parametrize("line", [
    '<http://ex/a b> <http://ex/p> "1" .',          # a space in an IRI
    '<ex:a> <http://ex/p> "1"@-id .',                # an ill-formed language tag
    '<a> <http://ex/p> "1" .',                       # a relative IRI
    '<http://ex/{a}> <http://ex/p> "1" .',           # a character IRIs may not hold
])
def test_the_workers_parse_what_the_store_does_not_check_again(line):
    """The premise of the lenient load: what Oxigraph's strict parser refuses, the validator's parse of the
    same bytes refuses too (a build stops there, before the store sees the graph)."""
    with pytest.raises(SyntaxError):
        ox.Store().bulk_load(input=(line + "\n").encode(), format=ox.RdfFormat.N_TRIPLES)
    with pytest.raises(ValueError):
        validate_ntriples((line + "\n").encode())


def test_every_graph_a_build_spools_is_validated_from_its_bytes(monkeypatch):
    """emit_validated validates the very bytes it returns for the spool (and so for the store)."""
    seen = []
    real = kg.pipeline.validate_ntriples
    monkeypatch.setattr(kg.pipeline, "validate_ntriples", lambda text: (seen.append(text), real(text))[1])
    result = build_graph([SEEDS])
    table = kg.pipeline.emit_table(result.kb, kg.pipeline.load_lexicon())
    sources = sorted(table.articles)
    seen.clear()
    out = emit_validated(table, sources)
    assert [text for _, text, *_ in out] == seen and len(seen) == len(sources)


def test_a_build_loads_leniently_and_gives_the_store_a_strict_load_gives(tmp_path, monkeypatch):
    calls = []
    real = kg.store._bulk_load

    def recording(store, data, fmt, progress=None, lenient=False):
        calls.append((fmt, lenient))
        return real(store, data, fmt, progress, lenient)

    plain = build_graph([SEEDS])
    assert plain.parsed
    write_store(plain.nquads, plain.union_ntriples, tmp_path / "strict")
    monkeypatch.setattr(kg.store, "_bulk_load", recording)
    with store_lock(tmp_path / "built") as lock:
        result = build_graph([SEEDS], workers=2, preload=lock)
        write_outputs(result, tmp_path / "out.nt", tmp_path / "built", lock=lock)
    assert {fmt for fmt, _ in calls} == {ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES}
    assert all(lenient for _, lenient in calls), "the article graphs and their union load leniently"
    assert dump(open_store(tmp_path / "built")) == dump(open_store(tmp_path / "strict"))


def test_a_graph_name_that_is_no_iri_stops_the_build(monkeypatch):
    """The graph names are not in the graphs' lines: they are checked before anything is loaded."""
    real = kg.pipeline.graph_names
    monkeypatch.setattr(kg.pipeline, "graph_names",
                        lambda kb: {s: n.replace("/graph/", "/graph /") for s, n in real(kb).items()})
    with pytest.raises(KgError, match="is not an IRI"):
        build_graph([SEEDS])


def test_a_lenient_preload_refuses_a_graph_name_that_is_no_iri(tmp_path):
    text = b'<http://ex/a> <http://ex/p> "1" .\n'
    with store_lock(tmp_path / "s") as lock:
        early = PreLoad(lock, lambda start, size: text[start:start + size], lenient=True)
        try:
            with pytest.raises(ValueError):
                early.add(0, len(text), "<http://ex/g 0>")
            early.add(0, len(text), "<http://ex/g0>")
            early.complete()
            assert [q.graph_name.value for q in early.store] == ["http://ex/g0"]
        finally:
            early.discard()
