"""Oxigraph's own cost for a build's store: what loading the quads of a built store and compacting it costs,
with none of kg's work around it. It bounds how fast any `kg build` with the store can be on this machine.

    nice python bench/bench_store_floor.py [--articles 4000] [--runs 5] [--work DIR]

Builds ARTICLES synthetic articles (bench/synth.py) once with `kg build -j 2` (the extraction cache off), dumps
the store's named graphs (N-Quads) and its default graph (N-Triples), then RUNS times loads both into a fresh
on-disk store in one process the way `kg build` does (kg.store._load_both: chunks of whole lines, the two
loads in two threads, lenient) and compacts it (Store.optimize). Reports the medians of wall and CPU (the
process's, with Oxigraph's and RocksDB's threads), and what they imply for a build: its store holds
everything the articles resolve to, so the load cannot start before the last article is read and the
entities are resolved. With R1 the 1-worker reading time and S the store's part after it (at least this
floor), a second worker gains (R1 + S) / (R1 / 2 + S) at most, and the articles per second stay under
ARTICLES / (R1 / 2 + S); both at once need S <= ARTICLES / (2.5 x the articles per second).
Prints a Markdown report with the command line that made it.
"""
from __future__ import annotations

import argparse
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import build, synth  # noqa: E402
from kg.store import _load_both  # noqa: E402


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def dumps(store_dir: Path, work: Path) -> tuple[Path, Path]:
    """The named graphs' quads and the default graph's triples of the store at STORE_DIR, as files."""
    store = ox.Store.read_only(str(store_dir))
    everything, union = work / "all.nq", work / "union.nt"
    store.dump(output=str(everything), format=ox.RdfFormat.N_QUADS)
    store.dump(output=str(union), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    default = set(union.read_bytes().splitlines(keepends=True))
    named = work / "named.nq"
    with open(everything, "rb") as src, open(named, "wb") as out:
        out.writelines(line for line in src if line not in default)   # a default-graph line has no graph
    everything.unlink()
    return named, union


def load_once(named: Path, union: Path, where: Path) -> dict:
    shutil.rmtree(where, ignore_errors=True)
    t0, c0 = time.perf_counter(), cpu()
    store = ox.Store(str(where))
    _load_both(store, named, union, lenient=True)
    store.flush()
    t1, c1 = time.perf_counter(), cpu()
    store.optimize()
    t2, c2 = time.perf_counter(), cpu()
    quads = len(store)
    del store
    shutil.rmtree(where, ignore_errors=True)
    return {"load": t1 - t0, "load_cpu": c1 - c0, "compact": t2 - t1, "compact_cpu": c2 - c1, "quads": quads}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-floor-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = synth(work / f"c{args.articles}", args.articles)
    built = build(corpus, work, 2, store="floor-store")
    named, union = dumps(work / "floor-store", work)
    runs = [load_once(named, union, work / "floor-fresh") for _ in range(args.runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("load", "load_cpu", "compact", "compact_cpu")}
    s = med["load"] + med["compact"]
    n = args.articles
    print(f"Command: python bench/bench_store_floor.py {' '.join(argv if argv is not None else sys.argv[1:])}")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, pyoxigraph {ox.__version__}")
    print()
    print(f"{n} synthetic articles, built once with 2 workers in {built['wall']:.1f} s; "
          f"{runs[0]['quads']:,} quads in the store; {args.runs} loads into a fresh store:")
    print()
    print("| run | load wall s | load CPU s | compaction wall s | compaction CPU s |")
    print("|---:|---:|---:|---:|---:|")
    for i, r in enumerate(runs, 1):
        print(f"| {i} | {r['load']:.2f} | {r['load_cpu']:.2f} | {r['compact']:.2f} | {r['compact_cpu']:.2f} |")
    print(f"| median | {med['load']:.2f} | {med['load_cpu']:.2f} | {med['compact']:.2f} | {med['compact_cpu']:.2f} |")
    print()
    print(f"store floor S = {s:.2f} s wall ({1000 * s / n:.2f} ms per article), "
          f"{med['load_cpu'] + med['compact_cpu']:.2f} s CPU ({1000 * (med['load_cpu'] + med['compact_cpu']) / n:.2f} "
          f"ms per article)")
    print(f"- a build with the store, extraction free: at most {n / s:.0f} articles/s")
    for target in (300,):
        budget = n / target - s
        print(f"- {target} articles/s leaves {budget:.2f} s for everything before the store's load "
              f"(R1/2 <= {budget:.2f} s, so R1 <= {2 * budget:.2f} s: "
              f"{1000 * 2 * budget / n:.2f} ms per article with 1 worker)" if budget > 0 else
              f"- {target} articles/s is out of reach: the store alone takes {s:.2f} s > {n / target:.2f} s")
    print(f"- a second worker gains >= 1.6x only if R1 >= 3 S = {3 * s:.2f} s "
          f"({1000 * 3 * s / n:.2f} ms per article with 1 worker)")
    both = n / (2.5 * 300)
    print(f"- both 300 articles/s and 1.6x need R1/2 + S <= {n / 300:.2f} s with R1 >= 3 S, so S <= "
          f"{both:.2f} s: {'possible' if s <= both else 'not possible'} with this floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
