"""Progress and -v: every phase of a build is shown (a rich bar with ETA on a terminal, plain lines
elsewhere) and logged with -v; tables and bars in a terminal fit its width."""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from kg.progress import PhaseProgress
from kg.store import fit_widths, format_table
from tests.helpers import ROOT, SEEDS

KG = [sys.executable, "-m", "kg"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]|\x1b\][^\x07]*\x07")
PHASES = ["loading the lexicons", "reading", "resolving entities", "writing RDF and validating", "checking the union",
          "loading the article graphs and their union into the store", "writing kg.ttl",
          "compacting the store (merging its files, for fast queries)"]


def _in_terminal(args: list[str], columns: int, cwd: Path) -> str:
    """Run ARGS with stdout and stderr on a pseudo-terminal COLUMNS wide; return what it printed."""
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "40", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, cwd=cwd, env=env)
    os.close(slave)
    out = b""
    poll = select.poll()   # not select.select: it fails on descriptors above 1023 (earlier tests may open many)
    poll.register(master, select.POLLIN)
    while True:
        if not poll.poll(120_000):
            proc.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:     # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 0, out.decode("utf-8", "replace")[-2000:]
    return out.decode("utf-8", "replace")


def _lines(text: str) -> list[str]:
    return [ln for ln in re.split(r"\r\n|\r|\n", ANSI.sub("", text)) if ln.strip()]


def test_verbose_build_logs_every_phase_and_its_time(tmp_path):
    done = subprocess.run([*KG, "-v", "build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "--store",
                           str(tmp_path / "store")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for phase in PHASES:
        assert re.search(rf"kg: {re.escape(phase)}.*: done in \d+\.\d s", done.stderr), (phase, done.stderr)
    assert done.stdout.startswith("read 2 article(s)")      # progress and logs never reach stdout


def test_a_build_in_a_terminal_shows_a_bar_with_an_eta_for_every_phase_within_its_width(tmp_path):
    out = _in_terminal([*KG, "build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "--store",
                        str(tmp_path / "store")], 72, tmp_path)
    lines = _lines(out)
    for phase in PHASES:
        assert any(phase in ln and "ETA" in ln for ln in lines), (phase, lines)
    bars = [ln for ln in lines if "ETA" in ln]
    assert all(len(ln) <= 72 for ln in bars), [ln for ln in bars if len(ln) > 72]
    assert "SHACL: conforms" in out


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_counts_every_phase_to_its_end(tmp_path, workers):
    """Each phase of build_graph and write_outputs reports counted progress that ends at its total, in order;
    a callback without `phase` hears of reading only."""
    from kg.pipeline import build_graph, write_outputs
    heard: list[tuple[str, int, int]] = []
    result = build_graph([SEEDS], workers=workers, progress=lambda i, n, item, phase="reading": heard.append((phase, i, n)))
    write_outputs(result, tmp_path / "kg.ttl", tmp_path / "store",
                  progress=lambda i, n, item, phase: heard.append((phase, i, n)))
    phases = list(dict.fromkeys(phase for phase, _, _ in heard))
    assert phases == ["reading", "resolving entities", "writing RDF and validating", "checking the union",
                      "loading the article graphs and their union into the store",
                      "writing kg.ttl", "compacting the store (merging its files, for fast queries)"]
    for phase in phases:
        counts = [(i, n) for p, i, n in heard if p == phase]
        assert counts[-1][0] == counts[-1][1] > 0, (phase, counts)           # counted, and ends at its total
        assert [i for i, _ in counts] == sorted(i for i, _ in counts), (phase, counts)
    old_style: list[tuple[int, int]] = []
    build_graph([SEEDS], progress=lambda i, n, item: old_style.append((i, n)))
    assert old_style == [(1, 2), (2, 2)]


def test_a_build_without_a_store_reports_no_store_phase(tmp_path):
    from kg.pipeline import build_graph, write_outputs
    heard = []
    write_outputs(build_graph([SEEDS]), tmp_path / "kg.nt", None, progress=lambda i, n, item, phase: heard.append(phase))
    assert list(dict.fromkeys(heard)) == ["writing their union (N-Triples)"]


def test_without_a_terminal_progress_is_plain_lines_per_phase(capsys):
    with PhaseProgress() as shown:
        for i in range(1, 121):
            shown(i, 120, f"a{i}.txt")
        for i in range(1, 61):
            shown(i, 60, f"g{i}", "validating")
    err = capsys.readouterr().err.splitlines()
    assert err == ["  reading [100/120] a100.txt", "  reading [120/120] a120.txt", "  validating [60/60] g60"]


def test_quiet_progress_prints_nothing(capsys):
    with PhaseProgress(quiet=True) as shown:
        shown.begin("writing")
        for i in range(1, 201):
            shown(i, 200, "x")
    assert capsys.readouterr().err == ""


def test_query_tables_fit_the_terminal_and_are_whole_in_a_pipe(tmp_path):
    long = "Menteri Koordinator Bidang Pemberdayaan Masyarakat dan Kebudayaan Republik Indonesia"
    rows = [["Abdul Muhaimin Iskandar", long, None], ["X", "Kepala", "BPJS Kesehatan Cabang Kediri"]]
    fitted = format_table(["person", "position", "body"], rows, width=60).splitlines()
    assert all(len(ln) <= 60 for ln in fitted) and "…" in fitted[2]
    assert long in format_table(["person", "position", "body"], rows)       # no width: nothing cut
    assert fit_widths([3, 4], 80) == [3, 4] and sum(fit_widths([50, 50, 50], 64)) + 4 <= 64
    subprocess.run([*KG, "build", str(SEEDS), "-o", str(tmp_path / "kg.ttl"), "--store", str(tmp_path / "store"),
                    "-q"], cwd=ROOT, check=True, timeout=300)
    query = ("SELECT ?evidence ?sentence WHERE { ?e a <https://w3id.org/kabar-kg/ontology#Evidence> ; "
             "<http://www.w3.org/ns/prov#value> ?sentence . BIND(STR(?e) AS ?evidence) }")
    out = _in_terminal([*KG, "query", "--store", str(tmp_path / "store"), query], 70, tmp_path)
    lines = _lines(out)
    assert len(lines) > 10 and all(len(ln) <= 70 for ln in lines)
    piped = subprocess.run([*KG, "query", "--store", str(tmp_path / "store"), query], cwd=tmp_path,
                           capture_output=True, text=True, timeout=120).stdout
    assert max(len(ln) for ln in piped.splitlines()) > 100     # a pipe gets the whole values
