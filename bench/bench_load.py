"""Benchmark `kg load --bulk` into a real Oxigraph server: triples per second for a first load.

    python bench/bench_load.py STORE [--runs 3] [--setups bulk-no-transaction,bulk-no-transaction-2,bulk,per-graph]

STORE is a store built by `kg build ... --store STORE` (bench/bench_store.py builds a synthetic one).
Each run starts `oxigraph serve` on a free loopback port with a fresh location, loads the store with
kg.load.load_store (what `kg load` runs) and checks the server's triple count of every graph with
kg.load.verify_load, then stops the server. The report gives the median of the runs, for
each setup: `--bulk --param no_transaction` (bulk-no-transaction, the recommended first load), the same
with `--concurrency 2` (bulk-no-transaction-2: two slices of the graphs sent at once), `--bulk`
alone (bulk), and the per-graph replace with `--concurrency 4` (per-graph, slow) for comparison. The
load time is what `kg load` reports (finding the graphs the server holds, then sending); the check is
timed apart.
"""
from __future__ import annotations

import argparse
import platform
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import start_server  # noqa: E402
from kg.load import load_store, verify_load  # noqa: E402
from kg.store import open_store  # noqa: E402


def timed_load(work: Path, load) -> tuple[int, int, float, float]:
    """(graphs, triples, load seconds, check seconds) of LOAD(server URL) -> LoadReport into a fresh server."""
    server_dir = work / "server"
    shutil.rmtree(server_dir, ignore_errors=True)
    process, url = start_server(server_dir)
    try:
        report = load(url)
        t = time.perf_counter()
        verify_load(report, url + "/query", timeout=600)
        check = time.perf_counter() - t
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(server_dir, ignore_errors=True)
    return report.graphs, report.triples, report.seconds, check


def one_run(store_dir: Path, work: Path, **options) -> tuple[int, int, float, float]:
    """(graphs, triples, load seconds, check seconds) for one load of the store into a fresh server."""
    return timed_load(work, lambda url: load_store(open_store(store_dir), endpoint=url + "/store", **options))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--setups", default="bulk-no-transaction,bulk-no-transaction-2",
                    help="comma-separated: bulk-no-transaction, bulk-no-transaction-2 (two requests at once), bulk, "
                         "per-graph (default: the first two)")
    ap.add_argument("--work", type=Path, default=None, help="folder for the servers' data (default: temporary)")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
    work.mkdir(parents=True, exist_ok=True)
    known = {"bulk-no-transaction": ("`kg load --bulk --param no_transaction`",
                                     dict(bulk=True, params={"no_transaction": ""}, timeout=600)),
             "bulk-no-transaction-2": ("`kg load --bulk --param no_transaction --concurrency 2`",
                                       dict(bulk=True, params={"no_transaction": ""}, timeout=600, concurrency=2)),
             "bulk": ("`kg load --bulk`", dict(bulk=True, timeout=600)),
             "per-graph": ("`kg load --concurrency 4` (per-graph replace)", dict(concurrency=4))}
    names = [n.strip() for n in args.setups.split(",") if n.strip()]
    if not names or any(n not in known for n in names):
        ap.error(f"--setups: choose from {', '.join(known)}")
    setups = [known[n] for n in names]
    command = " ".join(shlex.quote(a) for a in ["python", "bench/bench_load.py", *(argv or sys.argv[1:])])
    lines = [f"```console\n$ {command}\n```", "",
             f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
             f"{__import__('os').cpu_count()} cores; median of {args.runs} runs, each into a fresh `oxigraph serve`", "",
             f"load average {__import__('os').getloadavg()[0]:.1f} at the start", "",
             "| load | graphs | triples | load (s) | triples/s | count check (s) | runs (s) |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for label, options in setups:
        runs = [one_run(args.store, work, **options) for _ in range(args.runs)]
        graphs, triples = runs[0][0], runs[0][1]
        seconds = statistics.median(r[2] for r in runs)
        check = statistics.median(r[3] for r in runs)
        lines.append(f"| {label} | {graphs:,} | {triples:,} | {seconds:.1f} | {triples / seconds:,.0f} | {check:.1f} | "
                     + ", ".join(f"{r[2]:.1f}" for r in runs) + " |")
        print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
