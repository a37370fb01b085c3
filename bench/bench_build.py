"""Benchmark `kg build`: articles per second end to end (validation and the store included) at 1 and 2
workers, the main process's time per phase, extraction time per article (dev corpus and synthetic articles),
peak memory, and a rebuild after one article changed.

    nice python bench/bench_build.py [--articles 4000] [--big 10000] [--extract 300] [--runs 3] [--work DIR] [--skip ...]

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


def dev_extraction(runs: int, corpus: Path | None = None) -> float:
    """Median over RUNS of the mean CPU ms per article to read and extract CORPUS (default: the dev corpus), in one
    process, after one run that loads the lexicon and builds its patterns."""
    sys.path.insert(0, str(ROOT))
    from kg.articles import article_sources
    from kg.lexicon import load_lexicon
    from kg.pipeline import _extract
    lexicon = load_lexicon()
    folder = corpus or ROOT.parent / "shared" / "corpus" / "dev"
    sources = article_sources([folder])
    if not sources:
        raise SystemExit(f"{folder}: no article files to extract")
    for s in sources[:5]:   # warm up: patterns built, tagger model loaded
        _extract(s, lexicon)
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


STAGES_CODE = """
import json, os, sys, tempfile, time
from pathlib import Path
from kg.pipeline import build_graph, write_outputs
times, current = {}, [None, time.process_time(), time.perf_counter()]
def progress(i, n, item, phase="reading"):
    if phase != current[0]:
        mark(phase)
def mark(phase):
    cpu, wall = time.process_time(), time.perf_counter()
    if current[0] is not None:
        t = times.setdefault(current[0], [0.0, 0.0])
        t[0] += cpu - current[1]; t[1] += wall - current[2]
    current[:] = [phase, cpu, wall]
from contextlib import nullcontext
from kg.incremental import FullState
from kg.store import store_lock
mark("starting (lexicons, finding files)")
with tempfile.TemporaryDirectory(prefix="kg-stages-", dir=sys.argv[3]) as tmp:
    work = Path(tmp)
    store = None if sys.argv[5] == "none" else work / "store"
    with (nullcontext() if store is None else store_lock(store)) as lock:   # as kg build: graphs loaded early
        result = build_graph([Path(sys.argv[1])], workers=int(sys.argv[2]), progress=progress,
                             keep_facts=store is not None, preload=lock)
        mark("what remains of the build (after its last phase)")
        state = None if store is None else FullState([Path(sys.argv[1])], result, None)
        count = write_outputs(result, work / ("out." + sys.argv[4]), store, lock=lock, progress=progress, state=state)
        mark("placing the incremental state")
        if state is not None:
            state.place(lock.directory, None, count)
    mark("end")
def background_cpu():   # RocksDB's threads (compactions, flushes) of this process: the store's share that
    total = 0.0         # no phase shows (they run through all of them), from /proc (Linux); None elsewhere
    try:
        for tid in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{tid}/comm") as fh:
                if not fh.read().startswith("rocksdb"):
                    continue
            with open(f"/proc/self/task/{tid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None
    return total
print(json.dumps({"articles": len(result.articles), "times": times, "rocksdb": background_cpu()}))
"""


def stages(corpus: Path, work: Path, workers: int, fmt: str = "nt", store: bool = True) -> dict:
    """CPU (process_time of the main process: the serial part) and wall seconds of each phase of one build
    (build_graph and write_outputs as kg build runs them), in a fresh process, extraction cache off."""
    import json
    env = dict(os.environ, KABAR_KG_EXTRACT_CACHE="off")
    out = subprocess.run([sys.executable, "-c", STAGES_CODE, str(corpus), str(workers), str(work), fmt,
                          "store" if store else "none"], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.splitlines()[-1])


def print_stages(corpus: Path, work: Path, n: int) -> None:
    runs = {w: stages(corpus, work, w) for w in (1, 2)}
    print(f"main process per phase, {n} articles, output .nt and the store (ms per article; CPU is the main "
          f"process's own, wall includes waiting for the workers):\n")
    print("| phase | CPU, 1 worker | wall, 1 worker | CPU, 2 workers | wall, 2 workers |")
    print("|---|---:|---:|---:|---:|")
    phases = list(dict.fromkeys(p for r in runs.values() for p in r["times"]))
    for phase in phases:
        cells = []
        for w in (1, 2):
            cpu, wall = runs[w]["times"].get(phase, [0.0, 0.0])
            cells += [f"{cpu * 1000 / n:.2f}", f"{wall * 1000 / n:.2f}"]
        print(f"| {phase} | " + " | ".join(cells) + " |")
    for w in (1, 2):
        serial = sum(c for p, (c, _) in runs[w]["times"].items() if p != "reading")
        print(f"\n{w} worker(s): main-process CPU after reading {serial * 1000 / n:.2f} ms per article", end="")
        if runs[w].get("rocksdb") is not None:   # counted in the phases' CPU above, wherever it ran
            print(f", of which RocksDB's background threads (compactions) {runs[w]['rocksdb'] * 1000 / n:.2f}", end="")
    print("\n")
    print_bound(runs, n)


def print_bound(runs: dict, n: int) -> None:
    """What a second worker can gain, from the phases' wall times (ms per article): R, the reading phase
    (the extraction: the workers' part), and A, every other phase (the start, resolution, emission and
    validation, the store's load and compaction, the output). With one worker the store already loads on
    the second core while the graphs are emitted, so A is about the same with one worker or two (both
    cores are busy in it either way), and two workers can at best halve R: with A as measured, the second
    worker's gain is at most (R1 + A1) / (R1 / 2 + A2), and no extraction, however fast, brings a build
    above 1000 / A2 articles/s. (A model of single runs: the medians of whole builds scatter around it.)"""
    def split(w: int) -> tuple[float, float]:
        walls = {p: wall * 1000 / n for p, (_, wall) in runs[w]["times"].items()}
        reading = walls.get("reading", 0.0)
        return reading, sum(walls.values()) - reading
    (r1, a1), (r2, a2) = split(1), split(2)
    print(f"reading R and every other phase A (wall ms per article): 1 worker R {r1:.2f}, A {a1:.2f}; 2 workers R "
          f"{r2:.2f}, A {a2:.2f}. The second worker's gain if it halves R and A "
          f"stays as measured, (R1 + A1) / (R1/2 + A2): {(r1 + a1) / (r1 / 2 + a2):.2f}x; articles/s with 2 workers "
          f"were extraction free, 1000 / A2: {1000 / a2:.0f}\n", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--big", type=int, default=10000)
    ap.add_argument("--small", type=int, default=2000, help="second corpus size for memory growth per article")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--extract", type=int, default=300, help="synthetic articles for the extraction time (dev step)")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--skip", nargs="*", default=[], choices=["speed", "stages", "dev", "memory", "incremental"])
    ap.add_argument("--stages", type=int, default=2000, help="corpus size for the per-phase times")
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
    if "stages" not in args.skip:
        print_stages(synth(work / f"corpus-{args.stages}", args.stages), work, args.stages)
    if "dev" not in args.skip:
        print(f"dev-corpus extraction: {dev_extraction(args.runs):.2f} ms CPU per article (median of {args.runs})",
              flush=True)
        extract = synth(work / f"corpus-{args.extract}", args.extract)
        print(f"synthetic extraction ({args.extract} articles): {dev_extraction(args.runs, extract):.2f} ms CPU per "
              f"article (median of {args.runs})\n", flush=True)
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
