"""Instructions per article of the extraction (kg.pipeline._extract), counted by valgrind's cachegrind:
the same count for the same code and input whatever else the machine runs, where CPU time on a shared
machine scatters by ±25 % from run to run.

    python bench/bench_instructions.py [CORPUS ...] [--passes 2]
    python bench/bench_instructions.py --build DIR [--workers 2]

For each CORPUS (default: the dev corpus), a child process extracts every article once (the warm-up:
lexicon, patterns, tagger) and then PASSES more times, under cachegrind; the same child with no pass
after the warm-up is subtracted, and the difference divided by PASSES × articles. PYTHONHASHSEED=0 and
the extraction cache off. With --build, a whole `kg build DIR -o out.nt --store STORE -j WORKERS` instead
(in a temporary folder): the instructions of every process (the main one with its threads, the store's
among them, and the workers it forks), summed, per article. Needs valgrind (Debian's package). Prints a
Markdown table with the command.
"""
from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys
from pathlib import Path
from kg.articles import article_sources
from kg.lexicon import load_lexicon
from kg.pipeline import _extract
sources = article_sources([Path(sys.argv[1])])
lexicon = load_lexicon()
for _ in range(1 + int(sys.argv[2])):
    for source in sources:
        _extract(source, lexicon)
print(len(sources))
"""

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _counted(args: list[str]) -> subprocess.CompletedProcess:
    """ARGS (cachegrind's output file, then the command) run under cachegrind with this tree's kg, hash seed 0
    and the extraction cache off."""
    env = dict(os.environ, PYTHONHASHSEED="0", KABAR_KG_EXTRACT_CACHE="off", PYTHONPATH=str(ROOT))
    return subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def instructions(corpus: Path, passes: int) -> tuple[int, int]:
    """(instructions, articles) of a child extracting CORPUS once and then PASSES more times."""
    out = _counted(["--cachegrind-out-file=/dev/null", sys.executable, "-c", CHILD, str(corpus), str(passes)])
    if out.returncode != 0:
        raise SystemExit(f"the extraction failed ({out.returncode}):\n{out.stderr[-2000:]}")
    refs = _REFS.search(out.stderr)
    if refs is None:
        raise SystemExit(f"valgrind printed no instruction count:\n{out.stderr[-2000:]}")
    return int(refs.group(1).replace(",", "")), int(out.stdout.split()[-1])


def per_article(corpus: Path, passes: int) -> tuple[float, int]:
    """(millions of instructions per article, articles) of extracting CORPUS, warm-up left out."""
    base, n = instructions(corpus, 0)
    total, _ = instructions(corpus, passes)
    if n == 0:
        raise SystemExit(f"{corpus}: no article files to extract")
    return (total - base) / (passes * n) / 1e6, n


def whole_build(corpus: Path, workers: int) -> tuple[dict[int, int], int]:
    """(instructions of each process by its pid, articles read) of a whole kg build of CORPUS with the store."""
    with tempfile.TemporaryDirectory(prefix="kg-instructions-") as tmp:
        out = _counted([f"--cachegrind-out-file={tmp}/cg.%p", sys.executable, "-m", "kg", "build", str(corpus),
                        "-o", f"{tmp}/out.nt", "--store", f"{tmp}/store", "-j", str(workers)])
        if out.returncode not in (0, 1):   # 1: built, with nodes left out
            raise SystemExit(f"kg build failed ({out.returncode}):\n{out.stderr[-2000:]}")
        counts = {int(f.suffix[1:]): int(line.split()[1]) for f in Path(tmp).glob("cg.*")
                  for line in f.read_text().splitlines() if line.startswith("summary:")}
    read = re.search(r"read (\d+) article", out.stdout + out.stderr)
    if read is None:
        raise SystemExit(f"kg build said nothing of the articles read:\n{out.stdout[-2000:]}")
    return counts, int(read.group(1))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpora", nargs="*", type=Path, default=[ROOT.parent / "shared" / "corpus" / "dev"])
    ap.add_argument("--passes", type=int, default=2, help="passes counted after the warm-up (default 2)")
    ap.add_argument("--build", type=Path, help="count a whole kg build of this folder instead")
    ap.add_argument("--workers", type=int, default=2, help="the build's workers (default 2)")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (apt-get install valgrind)")
    print("```console\n$ python bench/bench_instructions.py " + shlex.join(sys.argv[1:]) + "\n```\n")
    if args.build is not None:
        counts, n = whole_build(args.build, args.workers)
        print("| corpus | articles | processes | M instructions per article | of which the main process |\n"
              "|---|---:|---:|---:|---:|")
        print(f"| {args.build} | {n} | {len(counts)} | {sum(counts.values()) / n / 1e6:.2f} | "
              f"{counts[min(counts)] / n / 1e6:.2f} |")   # the first process started: the main one
        return 0
    print("| corpus | articles | M instructions per article |\n|---|---:|---:|")
    for corpus in args.corpora:
        millions, n = per_article(corpus, args.passes)
        print(f"| {corpus} | {n} | {millions:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
