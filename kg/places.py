"""The reference places: the 38 provinces and 514 kabupaten/kota of the gazetteer the resolver uses
(kg/lexicons/provinces.csv and regencies.csv, see kg/lexicons/SOURCES.md), as a named graph of their own.

Each place has the IRI, type, preferred label, Kemendagri code (kg:officialCode), Wikidata item
(schema:sameAs) and, for a kabupaten/kota, its kind and province (kg:province) that an article graph gives
it when it names the place (the same triples, written by kg.emit), so that a place named in an article and
its reference entry are one node with one label. The store holds them in REFERENCE_PLACES_GRAPH and in its
default graph (kg.store.write_store), so that any query finds the name of a province no article names;
the output file of `kg build` holds the articles only.
"""
from __future__ import annotations

import pyoxigraph as ox

from .lexicon import Lexicon, load_lexicon

# outside .../id/graph/, where article graphs are named after their files: no article can take this name
REFERENCE_PLACES_GRAPH = "https://w3id.org/kabar-kg/graph/reference-places"
SOURCES = ("https://github.com/cahyadsn/wilayah", "https://github.com/soluvas/opendata")


def reference_place_lines(lexicon: Lexicon | None = None) -> list[str]:
    """The reference places as N-Triples lines (sorted, each once): every province and kabupaten/kota of
    LEXICON (default: the package's), and the graph's own description (its sources)."""
    from .emit import _node, _put, iri, lang_literal
    from .relations import implied_entity
    from .resolve import Node
    from .iris import DCTERMS, RDFS, node_iri
    lexicon = lexicon or load_lexicon()
    out: dict[str, None] = {}
    keys = [f"province:{code}" for code in sorted(lexicon.provinces)] + \
           [f"municipality:{code}" for code in sorted(lexicon.regencies)]
    for key in keys:
        type_, label, _ = implied_entity(key, lexicon)
        _node(out, Node(key, type_, label), iri(node_iri(key, lexicon)), lexicon)
    graph = iri(REFERENCE_PLACES_GRAPH)
    _put(out, graph, iri(RDFS.label), lang_literal("Provinsi dan kabupaten/kota Indonesia (Kemendagri)"))
    for source in SOURCES:
        _put(out, graph, iri(DCTERMS.source), iri(source))
    return sorted(out)


def add_reference_places(store: ox.Store, lexicon: Lexicon | None = None) -> int:
    """Add the reference places to STORE (bulk-loaded: no write-ahead log): their named graph, and the
    default graph when STORE has one (a kg store's default graph is the union of its graphs); return the
    number of quads added to the named graph."""
    lines = reference_place_lines(lexicon)
    name = f" <{REFERENCE_PLACES_GRAPH}> .\n"
    data = "".join(line[:-2] + name for line in lines)
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        data += "\n".join(lines) + "\n"
    store.bulk_load(input=data.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return len(lines)
