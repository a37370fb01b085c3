"""The direct N-Triples emitter (kg.emit) gives the triples of the rdflib path (kg.rdf.article_graphs),
compared as sets of quads parsed by pyoxigraph, for the seeds and the dev corpus; and awkward literals."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.articles import article_sources
from kg.emit import article_triples, graph_names, literal, nquads
from kg.pipeline import _drop_duplicates, _extract
from kg.iris import _clean
from kg.rdf import article_graphs, literal as rdflib_literal
from kg.resolve import resolve_entities

from tests.helpers import SEEDS, SHARED


def _quads(data: bytes) -> set:
    return set(ox.parse(data, ox.RdfFormat.N_QUADS))


def _rdflib_nquads(graphs) -> bytes:
    return "".join(line[:-2] + f" <{g.identifier}> .\n" for g in graphs.values()
                   for line in g.serialize(format="nt").splitlines() if line.endswith(" .")).encode("utf-8")


@pytest.mark.parametrize("corpus", [SEEDS, SHARED / "corpus" / "dev"], ids=["seeds", "dev"])
def test_emit_gives_the_quads_of_the_rdflib_path(corpus, lexicon):
    per_article = [r for r in (_extract(s, lexicon) for s in article_sources([corpus])) if hasattr(r, "facts")]
    kb = resolve_entities(_drop_duplicates(per_article, []), lexicon)
    emitted, union, count = nquads(article_triples(kb, lexicon), graph_names(kb))
    reference = _quads(_rdflib_nquads(article_graphs(kb, lexicon)))
    assert len(reference) > 200
    assert _quads(emitted) == reference
    assert count == len(reference)
    spo = lambda quads: {(q.subject, q.predicate, q.object) for q in quads}
    assert spo(ox.parse(union, ox.RdfFormat.N_TRIPLES)) == spo(reference)


@pytest.mark.parametrize("value", ['say "hi"\\ \\n', "tab\tline\nreturn\r end", "nel\x85 ls\u2028 ctl\x01 \x7f",
                                   "lone \ud800 nonchar \ufffe", "émoji 🎉", "", date(2025, 3, 10), 7, -3,
                                   Decimal("1.50"), Decimal("1E+16"), 0.1, True])
def test_emit_literal_reads_back_as_the_rdflib_literal(value):
    term = literal(value)
    got = next(iter(ox.parse(f"<http://a> <http://b> {term} .\n".encode("utf-8"), ox.RdfFormat.N_TRIPLES))).object
    g = Graph()
    g.add((URIRef("http://a"), URIRef("http://b"), rdflib_literal(value)))
    want = next(iter(ox.parse(g.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES))).object
    assert got == want


def test_emit_refuses_non_finite_numbers():
    with pytest.raises(ValueError):
        literal(Decimal("NaN"))
    with pytest.raises(ValueError):
        literal(float("inf"))


def test_emit_quad_count_is_the_stores(seeds_build, tmp_path):
    """The count kg build prints is counted while writing; it equals what the store holds."""
    from kg.places import reference_place_lines
    from kg.store import ontology_quads, write_store
    import io
    buf = io.BytesIO()
    written = seeds_build.write_nquads(buf)
    counted = write_store(buf.getvalue(), seeds_build.union_ntriples, tmp_path / "a", quads=written)
    recounted = write_store(seeds_build.nquads, seeds_build.union_ntriples, tmp_path / "b")
    assert counted == recounted == written + len(set(ontology_quads())) + len(reference_place_lines())
    assert written == len(seeds_build) == len(_quads(seeds_build.nquads))


def test_store_loaded_in_small_chunks_is_the_same_store(seeds_build, tmp_path, monkeypatch):
    """write_store bulk-loads in chunks of whole lines (flat memory); the store is the same as one load."""
    import kg.store
    from kg.store import open_store, write_store
    whole = write_store(seeds_build.nquads, seeds_build.union_ntriples, tmp_path / "whole")
    monkeypatch.setattr(kg.store, "BULK_CHUNK", 1000)
    chunked = write_store(seeds_build.nquads, seeds_build.union_ntriples, tmp_path / "chunked")
    assert whole == chunked
    assert open_store(tmp_path / "whole").dump(format=ox.RdfFormat.N_QUADS) == \
        open_store(tmp_path / "chunked").dump(format=ox.RdfFormat.N_QUADS)


def test_emitted_literals_are_escaped_as_oxigraph_writes_them():
    """The output is written from the emitted lines and `kg export` from the store: the same bytes only if
    both escape a literal alike."""
    import pyoxigraph as ox
    from kg.emit import plain_literal
    text = "a\tb\x01c\x7fd\x08e\x0cf\u2028 \\ \" \n \r é"
    assert plain_literal(text) == str(ox.Literal(text))


def test_emitted_decimals_are_written_as_oxigraph_writes_them():
    """A figure read as 91.0 is stored by Oxigraph as "91": the emitted line must say the same, or the output
    file and `kg export` differ (and 91 and 91.0 from two articles would be two lines of one triple)."""
    from decimal import Decimal
    import pyoxigraph as ox
    from kg.emit import literal
    decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    for text in ("91.0", "91", "0.50", "-0.0", "1000", "1E+3", "-12.340", "0.000001", "123456789.123456789"):
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                          ox.Literal(format(Decimal(text), "f"), datatype=decimal)))   # the plain digits
        stored = next(iter(store)).object
        assert literal(Decimal(text)) == str(stored), text


def test_emit_writes_a_span_several_nodes_share_as_the_rdflib_path_does(lexicon):
    """One sentence names a town, a body and a person, and states the person's office (a membership): one
    evidence span for all four, its lines written once; a span with the same offsets but another text (as
    a reader could give) keeps its own kg:value line. The same triples as kg.rdf.article_graphs, in the
    order the first mention gives them."""
    from kg.articles import Article
    from kg.relations.context import ArticleFacts, Entity, Evidence, Fact
    text = "Wali Kota Madiun Maidi meresmikan kantor Dinas Kesehatan Kota Madiun."
    ev = Evidence("a.txt", 0, len(text), text)
    other = Evidence("a.txt", 0, len(text), text.upper())
    article = Article("a.txt", "Judul", "MADIUN", None, date(2025, 3, 10), text)
    entities = {
        "municipality:3577": Entity("municipality:3577", "Municipality", "Kota Madiun", evidence=[ev, other]),
        "agency:dinas-kesehatan@3577": Entity("agency:dinas-kesehatan@3577", "Agency", "Dinas Kesehatan", evidence=[ev]),
        "person:maidi": Entity("person:maidi", "Person", "Maidi", evidence=[ev])}
    facts = [Fact("person:maidi", "position", "Wali Kota", ev),
             Fact("person:maidi", "affiliation", "municipality:3577", ev, is_link=True)]
    kb = resolve_entities([ArticleFacts(article, entities, facts)], lexicon)
    lines = article_triples(kb, lexicon)["a.txt"]
    span = [line for line in lines if line.startswith("<https://w3id.org/kabar-kg/id/article/a#char=0,")]
    assert sum(line.split(" ", 2)[1].endswith("#inArticle>") for line in span) == 1
    assert sum("prov#value>" in line for line in span) == 2
    assert sum("#evidence> <https://w3id.org/kabar-kg/id/article/a#char=0," in line for line in lines) == 4
    emitted, _, _ = nquads({"a.txt": lines}, graph_names(kb))
    assert _quads(emitted) == _quads(_rdflib_nquads(article_graphs(kb, lexicon)))


@pytest.mark.parametrize("fields", [
    dict(title=None, place=None, publisher=None, published=None, url=None),
    dict(title='Judul "kutipan"\x85 baris\tbaru', place="BLITAR\u2028", publisher="B-news.id ✓",
         published=date(2025, 3, 10), url="https://contoh.id/berita/1?a=b&c=%20d"),
], ids=["bare", "every field"])
def test_emit_writes_the_article_node_as_article_statements_says(fields):
    """The article node's lines, written without rdflib terms, are those of kg.rdf.article_statements (the
    one place saying what an Article holds), in its order."""
    from kg.articles import Article
    from kg.emit import _article, iri, rdflib_term
    from kg.rdf import article_iri, article_statements
    article = Article("a/Berita 1.txt", text="Isi berita\x00 dengan ü.", **fields)
    out: dict[str, None] = {}
    _article(out, iri(str(article_iri(article))), article)
    assert list(out) == [f"{rdflib_term(s)} {rdflib_term(p)} {rdflib_term(o)} ." for s, p, o in article_statements(article)]


@pytest.mark.parametrize("corpus", [SEEDS, SHARED / "corpus" / "dev"], ids=["seeds", "dev"])
def test_emitted_terms_are_those_of_each_line_and_pack_as_the_lines_do(corpus, lexicon):
    """kg.emit.article_terms gives each line with its own subject and predicate (what the line reads as),
    and what a worker sends of each graph from them (kg.spool.packed_terms) is what packing its lines
    grouped by subject gives."""
    from kg.emit import article_lines, article_terms, emit_table
    from kg.spool import packed, packed_terms
    from kg.validate import by_subject, counted_lines
    per_article = [r for r in (_extract(s, lexicon) for s in article_sources([corpus])) if hasattr(r, "facts")]
    table = emit_table(resolve_entities(_drop_duplicates(per_article, []), lexicon), lexicon)
    read = counted_lines()
    for source in table.articles:
        terms = article_terms(table, source)
        assert all(tuple(line.split(" ", 2)[:2]) == st for line, st in terms.items())
        assert list(terms) == list(article_lines(table, source))
        assert packed_terms(terms, read) == packed(by_subject(terms), read)
        assert packed_terms(terms) == packed(by_subject(terms))


def test_a_printable_text_is_one_no_literal_cleans_or_escapes_but_for_quote_and_backslash():
    """kg.emit writes a printable text (str.isprintable) without a quote or a backslash as it is: no code
    point str.isprintable accepts is one kg.rdf._clean changes or a literal escapes, but those two."""
    from kg.emit import _LIT_ESCAPES, _LIT_SPECIAL, _lang, _string, _text
    from kg.iris import _UNCLEAN
    printable = "".join(ch for ch in map(chr, range(0x110000)) if ch.isprintable())
    assert len(printable) > 100_000
    assert _UNCLEAN.search(printable) is None
    assert sorted(_LIT_SPECIAL.findall(printable)) == ['"', "\\"]
    for text in ['kata "kutip"', "garis\\miring", "tab\tbaru\nNEL\x85 LS\u2028 \ud800 \ufffe \x7f", "biasa ü —", ""]:
        assert _string(text) == '"' + text.translate(_LIT_ESCAPES) + '"'
        assert _text(text) == '"' + _clean(text).translate(_LIT_ESCAPES) + '"'
        assert _lang(text) == _text(text) + "@id"
