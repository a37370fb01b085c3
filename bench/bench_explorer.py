"""Benchmark the explorer: latency of search and entity pages over HTTP on a large store.

    python bench/bench_explorer.py --store DIR [--runs 5] [--sample 40]
    python bench/bench_explorer.py --articles 7500 --work DIR      # build the synthetic store first

Starts `kg explore` on the store (read-only) on a free loopback port, times the first page (opening the
store and building the search index), then loads search pages and entity pages for a sample of entities
of every type (drawn with a fixed seed) RUNS times each and reports p50, p95 and the slowest, as Markdown.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from kg.explorer.entity import entity_path  # noqa: E402
from kg.explorer.search import ENTITY_TYPES, RDF_TYPE, RDFS_LABEL  # noqa: E402
from kg.rdf import KG  # noqa: E402

KG_BIN = str(Path(sys.executable).parent / "kg")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_entities(store_dir: Path, per_type: int, seed: int) -> list[tuple[str, str, str]]:
    """(type, iri, label) of PER_TYPE entities of each type, drawn with SEED (bound patterns only)."""
    store = ox.Store.read_only(str(store_dir))
    rng = random.Random(seed)
    out = []
    for type_ in ENTITY_TYPES:
        iris = sorted(q.subject.value for q in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(KG[type_]),
                                                                        ox.DefaultGraph()))
        for iri in rng.sample(iris, min(per_type, len(iris))):
            labels = sorted(q.object.value for q in store.quads_for_pattern(ox.NamedNode(iri), RDFS_LABEL, None,
                                                                            ox.DefaultGraph()))
            out.append((type_, iri, labels[0] if labels else ""))
    del store
    return out


def timed_get(url: str) -> tuple[float, int, int]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as answer:
        body = answer.read()
        status = answer.status
    return (time.perf_counter() - t) * 1000, status, len(body)


def row(name: str, times: list[float]) -> str:
    return (f"| {name} | {len(times)} | {percentile(times, 0.5):.1f} | {percentile(times, 0.95):.1f} | "
            f"{max(times):.1f} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, help="an existing store (read only; never written)")
    ap.add_argument("--articles", type=int, default=7500, help="synthetic articles when building a store")
    ap.add_argument("--work", type=Path, help="where to build the synthetic store when --store is not given")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sample", type=int, default=20, help="entities of each type")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--heavy", nargs="*", default=["BPJS Kesehatan", "Ombudsman Republik Indonesia",
                                                   "Kementerian Lingkungan Hidup dan Kehutanan"],
                    help="names of entities with the most links (national bodies), timed on their own")
    args = ap.parse_args(argv)
    store_dir = args.store
    if store_dir is None:
        if args.work is None:
            ap.error("give --store DIR, or --work DIR to build a synthetic store there")
        import synth
        corpus, store_dir = args.work / "corpus", args.work / "store"
        if not store_dir.is_dir():
            synth.main([str(corpus), "--articles", str(args.articles)])
            subprocess.run([KG_BIN, "build", str(corpus), "--output", str(args.work / "kg.nq"), "--store",
                            str(store_dir), "--workers", "2", "-q"], check=True)
    store = ox.Store.read_only(str(store_dir))
    quads = len(store)
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    del store
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"store: {store_dir}: {quads:,} quads, default graph (union of the articles) {default:,} triples")

    entities = sample_entities(store_dir, args.sample, args.seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([KG_BIN, "explore", "--store", str(store_dir), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        t = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(base + "/static/explorer.css", timeout=2).read()
                break
            except OSError:
                if time.perf_counter() - t > 120:
                    raise SystemExit("kg explore did not start")
                time.sleep(0.05)
        started = time.perf_counter() - t
        first, _, _ = timed_get(base + "/")         # opens the store and builds the search index
        print(f"server up in {started:.1f} s; first page (opening the store, indexing names) {first / 1000:.2f} s")

        searches: dict[str, list[float]] = {}
        pages: dict[str, list[float]] = {}
        sizes: list[int] = []
        for _ in range(args.runs):
            for type_, iri, label in entities:
                words = label.split()
                for query in (label, " ".join(words[:2]).lower()):
                    ms, status, _ = timed_get(base + "/search?q=" + urllib.parse.quote(query))
                    assert status == 200
                    searches.setdefault(type_, []).append(ms)
                ms, status, size = timed_get(base + entity_path(iri))
                assert status == 200
                pages.setdefault(type_, []).append(ms)
                sizes.append(size)
        heavy: list[float] = []
        for name in args.heavy:
            with urllib.request.urlopen(base + "/api/search?q=" + urllib.parse.quote(name)) as answer:
                hits = __import__("json").loads(answer.read())
            if hits:
                for _ in range(args.runs):
                    heavy.append(timed_get(base + hits[0]["page"])[0])
        print()
        print(f"{len(entities)} entities ({args.sample} per type), {args.runs} runs; two searches per entity "
              "(its whole label, and its first two words in lower case); milliseconds per page over HTTP")
        print()
        print("| page | loads | p50 (ms) | p95 (ms) | max (ms) |")
        print("|---|---:|---:|---:|---:|")
        print(row("search, all", [x for v in searches.values() for x in v]))
        print(row("entity page, all", [x for v in pages.values() for x in v]))
        for type_ in ENTITY_TYPES:
            if type_ in pages:
                print(row(f"entity page, {type_}", pages[type_]))
        if heavy:
            print(row(f"entity page, {', '.join(args.heavy)}", heavy))
        print(f"\nentity pages: median size {sorted(sizes)[len(sizes) // 2] / 1024:.0f} KiB, "
              f"largest {max(sizes) / 1024:.0f} KiB")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
