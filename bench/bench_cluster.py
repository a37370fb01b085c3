"""Benchmark `kg build --cluster local:2` against a local build, and `kg load --bulk PARTS` into a real Oxigraph server.

    python bench/bench_cluster.py [--articles 20000] [--runs 3] [--setups local-1,local-2,cluster-2] [--work DIR]

Writes a synthetic corpus (bench/synth.py, seed 7) of ARTICLES articles, then for each setup runs the
command a user would, RUNS times, with the extraction cache off:

    local-N     kg build CORPUS -o OUT/kg.nq --no-store -j N -q
    cluster-N   kg build CORPUS --cluster local:N -o OUT/kg.nq --parts OUT/parts -q

(the wall time includes starting the LocalCluster's worker processes), checks that every output is byte
for byte the first one (and the partitions, concatenated, too), and reports articles/s (median). Then it
loads the partitions of the cluster build into a fresh `oxigraph serve` on a loopback port with what
`kg load --bulk OUT/parts --param no_transaction --concurrency N` runs, for N = 1 and 2 by default
(kg.cluster.load_partitions: each file parsed once to check it and count its graphs, then POSTed as it
is, N files at once) and reports triples/s as `kg load` prints them (parsing and sending), the count
check timed apart.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_load import timed_load  # noqa: E402
from kg.cluster import load_partitions  # noqa: E402

KG = str(Path(sys.executable).parent / "kg")


def build(setup: str, corpus: Path, out: Path) -> float:
    kind, n = setup.rsplit("-", 1)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if kind == "local":
        cmd = [KG, "build", str(corpus), "-o", str(out / "kg.nq"), "--no-store", "-j", n, "-q"]
    else:
        cmd = [KG, "build", str(corpus), "--cluster", f"local:{n}", "-o", str(out / "kg.nq"), "--parts",
               str(out / "parts"), "-q"]
    env = {**os.environ, "KABAR_KG_EXTRACT_CACHE": "off"}
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode not in (0, 1, 4, 5):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def load_parts(parts: Path, work: Path, concurrency: int) -> tuple[int, int, float, float]:
    """(graphs, triples, load s, check s) of one bulk load of PARTS into a fresh server."""
    return timed_load(work, lambda url: load_partitions([parts], url + "/store", {"no_transaction": ""},
                                                        timeout=600, concurrency=concurrency))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--setups", default="local-1,local-2,cluster-2")
    ap.add_argument("--load-runs", type=int, default=None, help="bulk loads (default: --runs)")
    ap.add_argument("--load-concurrency", default="1,2", help="comma-separated --concurrency values of the bulk "
                    "loads (files sent at once)")
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-cluster-"))
    corpus = work / f"corpus-{args.articles}"
    if not corpus.is_dir():
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(corpus), "--articles", str(args.articles)],
                       check=True, env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at the start", flush=True)
    print("| setup | articles | wall s (median) | articles/s | runs (s) |\n|---|---:|---:|---:|---|", flush=True)
    reference = None
    for setup in filter(None, args.setups.split(",")):   # --setups '': only the bulk load of WORK/cluster-*/parts
        times = []
        for _ in range(args.runs):
            out = work / setup
            times.append(build(setup, corpus, out))
            data = (out / "kg.nq").read_bytes()
            reference = reference if reference is not None else data
            if data != reference:
                raise SystemExit(f"{setup}: the output differs from the first build's")
            if (out / "parts").is_dir():
                merged = b"".join(p.read_bytes() for p in sorted((out / "parts").glob("part-*.nq")))
                if merged != reference:
                    raise SystemExit(f"{setup}: the partitions differ from the first build's output")
        med = statistics.median(times)
        print(f"| {setup} | {args.articles:,} | {med:.1f} | {args.articles / med:,.0f} | "
              f"{', '.join(f'{t:.1f}' for t in times)} |", flush=True)
    parts = next((p for p in sorted(work.glob("cluster-*/parts")) if p.is_dir()), None)
    if parts is None:
        return 0
    print(f"\nbulk load of {parts} (`kg load --bulk PARTS --param no_transaction --concurrency N`), load average "
          f"{os.getloadavg()[0]:.1f}:", flush=True)
    print("| --concurrency | graphs | triples | load s (median) | triples/s | check s | load runs (s) |\n"
          "|---:|---:|---:|---:|---:|---:|---|", flush=True)
    for concurrency in (int(c) for c in args.load_concurrency.split(",")):
        runs = [load_parts(parts, work, concurrency) for _ in range(args.load_runs or args.runs)]
        graphs, triples = runs[0][:2]
        load = statistics.median(r[2] for r in runs)
        check = statistics.median(r[3] for r in runs)
        print(f"| {concurrency} | {graphs:,} | {triples:,} | {load:.1f} | {triples / load:,.0f} | {check:.1f} | "
              f"{', '.join(f'{r[2]:.1f}' for r in runs)} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
