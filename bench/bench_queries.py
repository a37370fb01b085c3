"""Benchmark the queries on a built store: every named query in queries/ and the selective examples.

    python bench/bench_queries.py STORE [--runs 10] [--repeats 3] [--place "Kota Padang Panjang"]
        [--person "Agus Santoso"] [--award LABEL] [--province IRI] [--only TEXT] [--csv DIR]

STORE is a store built by `kg build ... --store STORE` (for 1M+ triples: `python bench/synth.py DIR
--articles 8000` then `kg build DIR --store STORE`, once; bench/bench_store.py does both). Each query
is timed as `kg query` runs it (kg.store.run_query: the query, and the rows converted to Python), RUNS
times after one warm-up run; that is repeated REPEATS times (each repeat opens the store afresh) and the
report gives, per query, the median over the repeats of the p50 and of the p95 latency. Prints a
Markdown table with the command line; BENCHMARKS.md keeps the last one.

The selective examples are the questions about one thing that the README and BENCHMARKS.md show (the
awards of one place, the offices of one person, the sentences behind one place's awards), with the value bound in a
triple pattern, plus the same question written with a FILTER, to show why the shipped queries avoid it.
The README's own selective examples are timed as the README writes them (the evidence of one award, bound
by its label; the kabupaten/kota of one province in the reference-places graph).

--csv DIR writes every named query's whole answer as DIR/NAME.csv (as `kg query --named NAME --format csv`
writes it) and times nothing: run it before and after a change of the queries and compare the files.
"""
from __future__ import annotations

import argparse
import platform
import shlex
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg.store import named_queries, open_store, run_query  # noqa: E402

PREFIXES = """PREFIX kg:   <https://w3id.org/kabar-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


README_PROVINCE = "https://w3id.org/kabar-kg/id/province/35-jawa-timur"


def selective(place: str, person: str, award: str = "Opini Kualitas Tertinggi",
              province: str = README_PROVINCE) -> dict[str, str]:
    """The selective examples, about PLACE, PERSON, AWARD and PROVINCE (labels as the store writes them;
    PROVINCE an IRI)."""
    lit = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"@id'
    return {
        f"awards of {place} (label bound)": PREFIXES + f"""SELECT DISTINCT ?award ?date WHERE {{
  ?m rdfs:label {lit(place)} .
  ?a kg:recipient ?m ; rdfs:label ?award . OPTIONAL {{ ?a kg:date ?date }} }}""",
        f"awards of {place} (local government bound)": PREFIXES + f"""SELECT DISTINCT ?award ?date WHERE {{
  ?m rdfs:label {lit(place)} .
  {{ ?a kg:recipient ?m }} UNION {{ ?g kg:governs ?m . ?a kg:recipient ?g }}
  ?a rdfs:label ?award . OPTIONAL {{ ?a kg:date ?date }} }}""",
        f"offices of {person}": PREFIXES + f"""SELECT ?position ?body WHERE {{
  ?p rdfs:label {lit(person)} ; kg:position ?position .
  OPTIONAL {{ ?p kg:affiliation/rdfs:label ?body }} }}""",
        f"evidence of the awards of {place}": PREFIXES + f"""SELECT ?award ?article ?sentence WHERE {{
  ?m rdfs:label {lit(place)} .
  {{ ?a kg:recipient ?m }} UNION {{ ?g kg:governs ?m . ?a kg:recipient ?g }}
  ?a rdfs:label ?award ; kg:evidence ?e .
  ?e kg:inArticle/kg:sourceFile ?article ; prov:value ?sentence .
}} ORDER BY ?award ?sentence""",
        f"README: evidence of the award {award} (label bound)": PREFIXES + f"""SELECT ?article ?sentence WHERE {{
  ?a rdfs:label {lit(award)} ; kg:evidence ?e .
  ?e kg:inArticle/kg:sourceFile ?article ; prov:value ?sentence .
}} ORDER BY ?sentence""",
        "README: kabupaten/kota of one province (reference places, LIMIT 3)": PREFIXES + f"""SELECT ?code ?name ?wikidata WHERE {{ GRAPH <https://w3id.org/kabar-kg/graph/reference-places> {{
  ?m kg:province <{province}> ; kg:officialCode ?code ;
     rdfs:label ?name ; <https://schema.org/sameAs> ?wikidata }} }} ORDER BY ?code LIMIT 3""",
        "old README evidence example (every award, ORDER BY, LIMIT 2)": PREFIXES + """SELECT ?award ?article ?sentence WHERE {
  ?a a kg:Award ; rdfs:label ?award ; kg:evidence ?e .
  ?e kg:inArticle/kg:sourceFile ?article ; prov:value ?sentence .
} ORDER BY ?award ?sentence LIMIT 2""",
        f"awards of {place} (FILTER, not shipped)": PREFIXES + f"""SELECT DISTINCT ?award ?date WHERE {{
  ?m rdfs:label ?name . FILTER(STR(?name) = {lit(place)[:-3]})
  ?a kg:recipient ?m ; rdfs:label ?award . OPTIONAL {{ ?a kg:date ?date }} }}""",
    }


def time_query(store, text: str, runs: int) -> tuple[int, list[float], list[float]]:
    """Row count, wall-clock and CPU milliseconds of each run (CPU: of this process, which runs the query;
    on a machine shared with other work it shows the cost apart from waiting for a core)."""
    rows = len(run_query(store, text).rows)   # warm-up, and the row count
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        run_query(store, text)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return rows, times, cpu


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def write_csv(directory: Path, out: Path, only: list[str] | None) -> int:
    """Write the answer of each named query on the store at DIRECTORY to OUT/NAME.csv."""
    store = open_store(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, path in named_queries().items():
        if only and not any(o in name for o in only):
            continue
        result = run_query(store, path.read_text(encoding="utf-8"))
        (out / f"{name}.csv").write_text(result.serialize("csv"), encoding="utf-8")
        print(f"{name}: {len(result.rows):,} rows -> {out / (name + '.csv')}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--runs", type=int, default=10, help="timed runs per query and repeat (after one warm-up)")
    ap.add_argument("--repeats", type=int, default=3, help="repeats; the report gives their medians")
    ap.add_argument("--place", default="Kota Padang Panjang")
    ap.add_argument("--person", default="Agus Santoso")
    ap.add_argument("--award", default="Opini Kualitas Tertinggi", help="award label of the README evidence example")
    ap.add_argument("--province", default=README_PROVINCE, help="province IRI of the README reference-places example")
    ap.add_argument("--only", action="append", help="time only the queries whose name holds this text")
    ap.add_argument("--csv", type=Path, metavar="DIR", help="write each named query's answer to DIR/NAME.csv; time nothing")
    args = ap.parse_args(argv)
    if args.csv:
        return write_csv(args.store, args.csv, args.only)
    load_before = __import__("os").getloadavg()[0]
    store = open_store(args.store)
    queries = {name: path.read_text(encoding="utf-8") for name, path in named_queries().items()}
    examples = selective(args.place, args.person, args.award, args.province)
    every = {**queries, **examples}
    if args.only:
        every = {k: v for k, v in every.items() if any(o in k for o in args.only)}
    results: dict[str, tuple[int, list[float], list[float], list[float]]] = {}
    for _ in range(args.repeats):
        store = open_store(args.store)
        for name, text in every.items():
            rows, times, cpu = time_query(store, text, args.runs)
            _, p50s, p95s, cpu50s = results.setdefault(name, (rows, [], [], []))
            p50s.append(percentile(times, 0.5))
            p95s.append(percentile(times, 0.95))
            cpu50s.append(percentile(cpu, 0.5))
    load_after = __import__("os").getloadavg()[0]
    triples = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
    command = " ".join(shlex.quote(a) for a in ["python", "bench/bench_queries.py", *(argv or sys.argv[1:])])
    lines = [f"```console\n$ {command}\n```", "",
             f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
             f"{__import__('os').cpu_count()} cores; store: {triples:,} quads (named graphs and default graph); "
             f"{args.runs} runs after a warm-up, median of {args.repeats} repeats; load average {load_before:.1f} before, "
             f"{load_after:.1f} after", "",
             "| query | rows | p50 (ms) | p95 (ms) | CPU p50 (ms) |", "|---|---:|---:|---:|---:|"]
    for name, (rows, p50s, p95s, cpu50s) in results.items():
        lines.append(f"| {name} | {rows:,} | {statistics.median(p50s):.1f} | {statistics.median(p95s):.1f} | "
                     f"{statistics.median(cpu50s):.1f} |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
