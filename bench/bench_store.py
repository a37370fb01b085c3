"""Benchmark the store: build a synthetic corpus into it, time the named queries, load it into Oxigraph.

    python bench/bench_store.py [--articles 7500] [--runs 20] [--workers 2] [--work DIR]

Steps (each timed): write the synthetic corpus (bench/synth.py), `kg build` it into an on-disk store,
run every query in queries/ RUNS times on the store (after one warm-up run) and report p50/p95 latency,
then start a real `oxigraph serve` on a free loopback port and `kg load` the store into it through the
Graph Store Protocol, with and without `?no_transaction`, reporting triples per second.
Prints a Markdown report; BENCHMARKS.md keeps the last one with the command that made it.
"""
from __future__ import annotations

import argparse
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from kg.load import load_store  # noqa: E402
from kg.serve import oxigraph_binary  # noqa: E402
from kg.store import named_queries, open_store, run_query  # noqa: E402
import synth  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/", timeout=1).read()
            return process, url
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("oxigraph server did not start")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=7500)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    ap.add_argument("--reuse", action="store_true", help="use the store already built in --work")
    ap.add_argument("--concurrency", type=int, default=4, help="parallel requests in the concurrent load run")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    corpus, store_dir = work / "corpus", work / "store"
    lines = [f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
             f"{__import__('os').cpu_count()} cores"]

    if not (args.reuse and store_dir.is_dir()):
        shutil.rmtree(corpus, ignore_errors=True)
        t = time.perf_counter()
        synth.main([str(corpus), "--articles", str(args.articles)])
        lines.append(f"synthetic corpus: {args.articles} articles written in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        kg = Path(sys.executable).parent / "kg"
        subprocess.run([str(kg), "build", str(corpus), "--output", str(work / "kg.nq"), "--store", str(store_dir),
                        "--workers", str(args.workers), "--quiet"], check=True)
        build_s = time.perf_counter() - t
        lines.append(f"kg build: {args.articles} articles in {build_s:.1f} s "
                     f"({args.articles / build_s:.0f} articles/s, {args.workers} workers)")
    store = open_store(store_dir)
    quads = sum(1 for q in store if isinstance(q.graph_name, ox.NamedNode))
    union = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    lines.append(f"store: {quads:,} quads in {len(list(store.named_graphs())):,} named graphs; "
                 f"default graph (their union) {union:,} triples")

    lines += ["", "| query | rows | p50 (ms) | p95 (ms) |", "|---|---:|---:|---:|"]
    for name, path in named_queries().items():
        text = path.read_text(encoding="utf-8")
        rows = len(run_query(store, text).rows)   # warm-up, and the row count
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            run_query(store, text)
            times.append((time.perf_counter() - t) * 1000)
        lines.append(f"| {name} | {rows:,} | {percentile(times, 0.5):.1f} | {percentile(times, 0.95):.1f} |")

    lines += ["", "| load into Oxigraph (Graph Store Protocol) | graphs | triples | seconds | triples/s |",
              "|---|---:|---:|---:|---:|"]
    runs = (("PUT ?graph=..., one at a time", {}, 1),
            ("PUT ?graph=...&no_transaction, one at a time", {"no_transaction": ""}, 1),
            (f"PUT ?graph=..., {args.concurrency} in parallel", {}, args.concurrency))
    for i, (label, params, concurrency) in enumerate(runs):
        server_dir = work / f"server-{i}"
        shutil.rmtree(server_dir, ignore_errors=True)
        process, url = start_server(server_dir)
        try:
            report = load_store(store, endpoint=url + "/store", params=params, concurrency=concurrency)
        finally:
            process.terminate()
            process.wait()
        lines.append(f"| {label} | {report.graphs:,} | {report.triples:,} | {report.seconds:.1f} | "
                     f"{report.triples / report.seconds:,.0f} |")
    print("\n".join(lines))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
