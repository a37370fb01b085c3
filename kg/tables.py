"""Spreadsheet tables of a store: municipalities, agencies, officials, awards, agreements and measurements,
one row per fact and article, each with the sentence that states it and the article's URL (schema:url,
when the source had one) and file (kg:sourceFile).

Every table is answered by SPARQL over the article graphs (GRAPH ?g: a fact belongs to the article that
states it), with the type bound in the first triple pattern and no FILTER or ORDER BY in the store; the
evidence sentences come from one more query per type, and rows are matched and sorted here in Python.
The evidence of a row is the subject's sentence in that article that names the most of the row's values
(the earliest such sentence on a tie)."""
from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .places import REFERENCE_PLACES_GRAPH

PREFIXES = """PREFIX kg: <https://w3id.org/kabar-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
ARTICLE_COLUMNS = ["article_title", "article_url", "article_file", "evidence", "evidence_iri"]


@dataclass(frozen=True)
class Table:
    name: str
    kind: str              # the class of the row's subject (kg:Award ...): whose evidence the row cites
    columns: list[str]     # the columns the query gives, in order, before the article columns
    where: str             # the SPARQL pattern inside GRAPH ?g, binding ?s and the columns
    joined: tuple = ()     # columns that hold several values: one row per subject, values joined by " | "
    anywhere: str = ""     # a pattern read from the whole graph, not only the article's (a province's name)


TABLES = [
    Table("municipalities", "Municipality", ["municipality", "kind", "official_code", "province", "wikidata"], """
      ?s a kg:Municipality ; rdfs:label ?municipality .
      OPTIONAL { ?s kg:municipalityKind ?kind }
      OPTIONAL { ?s kg:officialCode ?official_code }
      OPTIONAL { ?s kg:province ?p }
      OPTIONAL { ?s schema:sameAs ?wikidata }""", anywhere="OPTIONAL { ?p rdfs:label ?province }"),
    Table("agencies", "Agency", ["agency", "part_of", "governs"], """
      ?s a kg:Agency ; rdfs:label ?agency .
      OPTIONAL { ?s kg:subOrganizationOf ?up . ?up rdfs:label ?part_of }
      OPTIONAL { ?s kg:governs ?m . ?m rdfs:label ?governs }"""),
    Table("officials", "Person", ["person", "position", "body"], """
      ?s a kg:Person ; rdfs:label ?person ; kg:position ?position .
      OPTIONAL { ?s kg:affiliation ?b . ?b rdfs:label ?body }"""),
    Table("awards", "Award", ["award", "category", "date", "recipient", "conferred_by"], """
      ?s a kg:Award ; rdfs:label ?award .
      OPTIONAL { ?s kg:category ?category }
      OPTIONAL { ?s kg:date ?date }
      OPTIONAL { ?s kg:recipient ?r . ?r rdfs:label ?recipient }
      OPTIONAL { ?s kg:conferredBy ?c . ?c rdfs:label ?conferred_by }"""),
    Table("agreements", "Agreement", ["agreement", "date", "parties", "signatories"], """
      ?s a kg:Agreement ; rdfs:label ?agreement .
      OPTIONAL { ?s kg:date ?date }
      OPTIONAL { ?s kg:party ?p . ?p rdfs:label ?parties }
      OPTIONAL { ?s kg:signatory ?x . ?x rdfs:label ?signatories }""", joined=("parties", "signatories")),
    Table("measurements", "Measurement", ["area", "indicator", "value", "date"], """
      ?s a kg:Measurement .
      OPTIONAL { ?s kg:area ?a . ?a rdfs:label ?area }
      OPTIONAL { ?s kg:indicator ?i . ?i rdfs:label ?indicator }
      OPTIONAL { ?s kg:value ?value }
      OPTIONAL { ?s kg:date ?date }"""),
]
TABLE_NAMES = [t.name for t in TABLES]


def _text(term) -> str:
    return "" if term is None else term.value


def _select(store: ox.Store, query: str) -> list[list]:
    union = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
    answer = store.query(PREFIXES + query, use_default_graph_as_union=union)
    names = [v.value for v in answer.variables]
    return [[s[n] for n in names] for s in answer]


def _articles(store: ox.Store) -> dict[str, tuple[str, str, str]]:
    """Article IRI -> (title, URL, file)."""
    out = {}
    for a, title, url, file in _select(store, """SELECT ?a ?title ?url ?file WHERE {
          ?a a kg:Article ; kg:sourceFile ?file .
          OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?a schema:url ?url } }"""):
        out.setdefault(a.value, (_text(title), _text(url), _text(file)))
    return out


def _per_article(store: ox.Store) -> bool:
    """Whether STORE keeps one named graph per article (a kg store, .nq, .trig), so that a fact can be read
    with the article that states it; a plain graph (.ttl, .nt) has only their union."""
    from .resources import ONTOLOGY_GRAPH
    return any(isinstance(g, ox.NamedNode) and g.value != ONTOLOGY_GRAPH for g in store.named_graphs())


def _in_graph(pattern: str, per_article: bool) -> str:
    return f"GRAPH ?g {{ {pattern} }}" if per_article else f"{{ {pattern} }} BIND(\"\" AS ?g)"


def _evidence(store: ox.Store, kind: str, per_article: bool) -> dict[tuple[str, str], list[tuple]]:
    """(node IRI, graph IRI) -> the node's evidence in that article (in the whole graph when not
    PER_ARTICLE) as (start offset, sentence, evidence IRI, article IRI)."""
    out: dict[tuple[str, str], list] = {}
    pattern = f"?s a kg:{kind} ; kg:evidence ?ev . ?ev kg:startOffset ?start ; prov:value ?text ; kg:inArticle ?a"
    for g, s, ev, start, text, a in _select(store, f"SELECT ?g ?s ?ev ?start ?text ?a WHERE {{ "
                                                   f"{_in_graph(pattern, per_article)} }}"):
        out.setdefault((s.value, _text(g)), []).append((int(start.value), text.value, ev.value, a.value))
    return out


def _best(spans: list[tuple], values: list[str]) -> tuple[str, str, str]:
    """The span that names the most of VALUES (the earliest on a tie): (sentence, evidence IRI, article)."""
    if not spans:
        return "", "", ""
    wanted = [v.casefold() for v in values if v and not v.startswith(("http://", "https://"))]
    best = min(spans, key=lambda sp: (-sum(v in sp[1].casefold() for v in wanted), sp[0], sp[3]))
    return best[1], best[2], best[3]


def table_rows(store: ox.Store, table: Table, articles: dict | None = None,
               per_article: bool | None = None) -> list[list[str]]:
    """The rows of TABLE (columns: table.columns + ARTICLE_COLUMNS), sorted."""
    articles = _articles(store) if articles is None else articles
    per_article = _per_article(store) if per_article is None else per_article
    evidence = _evidence(store, table.kind, per_article)
    names = ["g", "s", *table.columns]
    found = _select(store, f"SELECT {' '.join('?' + n for n in names)} WHERE {{ "
                           f"{_in_graph(table.where, per_article)} {table.anywhere} }}")
    rows: dict[tuple, list] = {}
    for sol in found:
        g, s, *values = [_text(t) for t in sol]
        if g == REFERENCE_PLACES_GRAPH:   # the gazetteer, not an article: no fact was read there
            continue
        if table.joined:   # one row per subject and article: the several values joined
            key = (g, s)
            row = rows.setdefault(key, [set() if c in table.joined else v for c, v in zip(table.columns, values)])
            for i, c in enumerate(table.columns):
                if c in table.joined and values[i]:
                    row[i].add(values[i])
        else:
            rows.setdefault((g, s, *values), values)
    out = []
    for key, values in rows.items():
        g, s = key[0], key[1]
        values = [" | ".join(sorted(v)) if isinstance(v, set) else v for v in values]
        sentence, iri, article = _best(evidence.get((s, g), []), values)
        title, url, file = articles.get(article, ("", "", ""))
        out.append(values + [title, url, file, sentence, iri])
    return sorted(out)


def fact_tables(store: ox.Store, names: list[str] | None = None) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Table name -> (header, rows) for the tables NAMES (default: all of TABLE_NAMES)."""
    articles, per_article = _articles(store), _per_article(store)
    return {t.name: (t.columns + ARTICLE_COLUMNS, table_rows(store, t, articles, per_article))
            for t in TABLES if names is None or t.name in names}


def has_parquet() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _write_atomic(path: Path, write: Callable[[str], None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_csv(path: str, header: list[str], rows: list[list[str]]) -> None:
    # UTF-8 with a byte order mark, so that spreadsheets read the Indonesian text right; RFC 4180 quoting
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_parquet(path: str, header: list[str], rows: list[list[str]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    columns = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    pq.write_table(pa.table(columns, schema=pa.schema([(n, pa.string()) for n in header])), path)


def write_tables(store: ox.Store, output: Path, parquet: bool | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> dict[str, list[Path]]:
    """Write every table to OUTPUT/NAME.csv (and NAME.parquet when PARQUET; by default when pyarrow is
    installed), each file through a temporary name; returns the files by table name. PROGRESS(name, i, n)
    is called as each table is done."""
    if parquet and not has_parquet():
        from .errors import KgError
        raise KgError("Parquet needs pyarrow: pip install pyarrow (the CSV tables need nothing more)")
    parquet = has_parquet() if parquet is None else parquet
    output.mkdir(parents=True, exist_ok=True)
    articles, per_article = _articles(store), _per_article(store)
    written: dict[str, list[Path]] = {}
    for i, table in enumerate(TABLES, start=1):
        header, rows = table.columns + ARTICLE_COLUMNS, table_rows(store, table, articles, per_article)
        files = [output / f"{table.name}.csv"]
        _write_atomic(files[0], lambda p: _write_csv(p, header, rows))
        if parquet:
            files.append(output / f"{table.name}.parquet")
            _write_atomic(files[1], lambda p: _write_parquet(p, header, rows))
        written[table.name] = files
        if progress:
            progress(table.name, i, len(TABLES))
    return written


def count_rows(path: Path) -> int:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1
