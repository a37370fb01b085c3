"""Benchmark `kg build`: articles per second end to end (validation and the store included) at 1 and 2
workers, dev-corpus extraction time per article, peak memory, and a rebuild after one article changed.

    nice python bench/bench_build.py [--articles 4000] [--big 10000] [--runs 3] [--work DIR] [--skip ...]

Every build is a separate `kg build CORPUS -o out.nt --store STORE -j N -q` process; times are wall-clock
medians of RUNS runs, with the CPU seconds (user + system of the build and its workers) beside them,
since a shared machine's load changes wall-clock times more than CPU times. Peak RSS is the largest
process's (ru_maxrss of the children). The extraction cache is off (KABAR_KG_EXTRACT_CACHE=off) except in the
incremental step, which builds the big corpus once (filling the cache), changes one article, rebuilds,
and compares the output with a fresh full build byte for byte.
Prints a Markdown report with the command line that made it.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]


def synth(folder: Path, n: int) -> Path:
    if not (folder.is_dir() and len(list(folder.glob("*.txt"))) == n):
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(folder), "--articles", str(n)],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def build(corpus: Path, work: Path, workers: int, cache: str = "off", out: str = "out.nt", store: str = "store",
          keep: bool = False) -> dict:
    """One `kg build` process: wall seconds, CPU seconds, peak RSS (MB) of its largest process. The store
    is removed first unless KEEP (an incremental rebuild continues it)."""
    store = work / store
    if not keep:
        shutil.rmtree(store, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, KABAR_KG_EXTRACT_CACHE=cache)
    t = time.perf_counter()
    proc = subprocess.run([*KG, "build", str(corpus), "-o", str(work / out), "--store", str(store), "-j",
                           str(workers), "-q"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):   # 1: some nodes left out (reported), the output is written
        raise SystemExit(f"kg build failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss": after.ru_maxrss / 1024}


def rss_of(corpus: Path, work: Path, workers: int) -> float:
    """Peak RSS (MB) of one build, in a fresh child so ru_maxrss is its own."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import bench_build as b, json; from pathlib import Path; "
            f"print(json.dumps(b.build(Path({str(corpus)!r}), Path({str(work)!r}), {workers})))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    import json
    return json.loads(out.splitlines()[-1])["rss"]


def dev_extraction(runs: int) -> float:
    """Median over RUNS of the mean ms per article to read and extract the dev corpus (one process)."""
    sys.path.insert(0, str(ROOT))
    from kg.articles import article_sources
    from kg.lexicon import load_lexicon
    from kg.pipeline import _extract
    lexicon = load_lexicon()
    sources = article_sources([ROOT.parent / "shared" / "corpus" / "dev"])
    times = []
    for _ in range(runs):
        t = time.process_time()
        for s in sources:
            _extract(s, lexicon)
        times.append((time.process_time() - t) * 1000 / len(sources))
    return statistics.median(times)


def incremental(corpus: Path, work: Path, runs: int) -> None:
    """A full build of CORPUS (filling the extraction cache and keeping the incremental state in the store),
    then RUNS rebuilds each after one article changed (another change each time), in the same store; the
    last rebuild's output and store are compared with a fresh full build's, byte for byte."""
    n = len(list(corpus.glob("*.txt")))
    cache = work / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    first = build(corpus, work, 2, cache=str(cache), out="incremental.nt", store="incremental-store")
    victim = sorted(corpus.glob("*.txt"))[n // 2]
    original = victim.read_bytes()
    times = []
    try:
        for run in range(runs):
            victim.write_bytes(original.replace(b"persen", b"persen.", 1) + f"\nTambahan kalimat {run}.\n".encode())
            times.append(build(corpus, work, 2, cache=str(cache), out="incremental.nt", store="incremental-store",
                               keep=True))
        full = build(corpus, work, 2, out="full.nt", store="full-store")
        same = (work / "incremental.nt").read_bytes() == (work / "full.nt").read_bytes()
        exports = []
        for store in ("incremental-store", "full-store"):
            subprocess.run([*KG, "export", "--store", str(work / store), "-o", str(work / f"{store}.nq")], cwd=ROOT,
                           check=True, stdout=subprocess.DEVNULL)
            exports.append((work / f"{store}.nq").read_bytes())
    finally:
        victim.write_bytes(original)
    wall = statistics.median(t["wall"] for t in times)
    cpu = statistics.median(t["cpu"] for t in times)
    each = ", ".join(f"{t['wall']:.2f}" for t in times)
    print(f"one changed article in {n}: first build {first['wall']:.1f} s; rebuild {wall:.2f} s wall, {cpu:.2f} s CPU "
          f"(median of {runs}: {each}); full build without the cache "
          f"{full['wall']:.1f} s; output identical to the full build: {same}; store (kg export .nq) identical: "
          f"{exports[0] == exports[1]}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--big", type=int, default=10000)
    ap.add_argument("--small", type=int, default=2000, help="second corpus size for memory growth per article")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--skip", nargs="*", default=[], choices=["speed", "dev", "memory", "incremental"])
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-build-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"command: python bench/bench_build.py {' '.join(argv if argv is not None else sys.argv[1:])}")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start\n")
    if "speed" not in args.skip:
        corpus = synth(work / f"corpus-{args.articles}", args.articles)
        print(f"| workers | runs | wall s (median) | articles/s | CPU s (median) | CPU ms/article |")
        print("|---:|---:|---:|---:|---:|---:|")
        medians = {}
        for workers in (1, 2):
            runs = [build(corpus, work, workers) for _ in range(args.runs)]
            wall = statistics.median(r["wall"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            medians[workers] = wall
            print(f"| {workers} | {args.runs} | {wall:.1f} | {args.articles / wall:.0f} | {cpu:.1f} | "
                  f"{cpu * 1000 / args.articles:.1f} |", flush=True)
        print(f"\nsecond worker: {medians[1] / medians[2]:.2f}x (wall-clock medians)\n")
    if "dev" not in args.skip:
        print(f"dev-corpus extraction: {dev_extraction(args.runs):.2f} ms CPU per article (median of {args.runs})\n",
              flush=True)
    if "memory" not in args.skip:
        small, big = synth(work / f"corpus-{args.small}", args.small), synth(work / f"corpus-{args.big}", args.big)
        r_small, r_big = rss_of(small, work, 2), rss_of(big, work, 2)
        print(f"peak RSS (largest process, 2 workers): {r_small:.0f} MB for {args.small} articles, {r_big:.0f} MB "
              f"for {args.big}; growth {(r_big - r_small) * 1024 / (args.big - args.small):.1f} KB per article\n",
              flush=True)
    if "incremental" not in args.skip:
        for n in sorted({args.small, args.big}):
            incremental(synth(work / f"corpus-{n}", n), work, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
