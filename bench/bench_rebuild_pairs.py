"""Compare two installs of `kg` on the one-article rebuild, side by side: alternating pairs on one corpus.

    nice python bench/bench_rebuild_pairs.py CORPUS KG_A KG_B [--pairs 8] [--work DIR] [--article NAME]

KG_A and KG_B are `kg` commands (say the `.venv/bin/kg` of two work trees). Each gets its own store, output
and extraction cache under WORK, and one full build of CORPUS first (which fills its cache and its
incremental state). Then, PAIRS times: one line is appended to the article NAME (default: the middle file)
and both rebuild, A then B, each as `kg build CORPUS -o OUT.nt --store STORE -q`. A shared machine's load
moves both alike within a pair, so the medians of the pairs and of their differences compare the two; after
every pair the two outputs must be the same bytes. CORPUS is changed (lines appended): use a copy.
Prints a Markdown report with the command line that made it.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def rebuild(kg: str, corpus: Path, work: Path, name: str) -> tuple[float, float]:
    """One `kg build` process of CORPUS into NAME's store and output under WORK: (wall s, CPU s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, KABAR_KG_EXTRACT_CACHE=str(work / f"cache-{name}"))
    started = time.perf_counter()
    proc = subprocess.run([kg, "build", str(corpus), "-o", str(work / f"{name}.nt"), "--store",
                           str(work / f"store-{name}"), "-q"], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):   # 1: some nodes left out (reported), the output is written
        raise SystemExit(f"{kg} build failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("kg_a")
    ap.add_argument("kg_b")
    ap.add_argument("--pairs", type=int, default=8)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-rebuild-pairs"))
    ap.add_argument("--article", help="the file changed before each pair (default: the middle one)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    files = sorted(args.corpus.glob("*.txt"))
    changed = args.corpus / args.article if args.article else files[len(files) // 2]
    kgs = {"a": args.kg_a, "b": args.kg_b}
    for name, kg in kgs.items():   # the full builds (cache and incremental state), not timed
        rebuild(kg, args.corpus, args.work, name)
    times: dict[str, list[tuple[float, float]]] = {"a": [], "b": []}
    for i in range(args.pairs):
        with open(changed, "a", encoding="utf-8") as fh:
            fh.write(f"\nTambahan kalimat nomor {i} {time.time_ns()}.\n")
        for name, kg in kgs.items():
            times[name].append(rebuild(kg, args.corpus, args.work, name))
        if (args.work / "a.nt").read_bytes() != (args.work / "b.nt").read_bytes():
            raise SystemExit(f"pair {i + 1}: the two outputs differ")
    print(f"command: python bench/bench_rebuild_pairs.py {' '.join(sys.argv[1:])}")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at the end; {len(files)} articles, {changed.name} changed\n")
    print(f"| | wall s ({args.pairs} runs) | median wall s | median CPU s |")
    print("|---|---|---:|---:|")
    for name, kg in kgs.items():
        walls = [w for w, _ in times[name]]
        print(f"| {name}: `{kg}` | {' '.join(f'{w:.2f}' for w in walls)} | {statistics.median(walls):.2f} | "
              f"{statistics.median(c for _, c in times[name]):.2f} |")
    gains = [a[0] - b[0] for a, b in zip(times["a"], times["b"])]
    print(f"\nmedian of the pairs' differences (a - b): {statistics.median(gains):.2f} s; "
          f"b at or under 2 s in {sum(w <= 2 for w, _ in times['b'])} of {args.pairs}; outputs the same bytes "
          f"after every pair")


if __name__ == "__main__":
    main()
