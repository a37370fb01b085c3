"""`pip install .` (not editable): the wheel carries the ontology, the shapes and the named queries, and the
installed `kg` builds and queries without the checkout. The wheel is built offline (no build isolation:
setuptools and wheel come from the test extras) from a copy of the sources, into a fresh venv that borrows
the test environment's dependencies through a .pth line (the editable install's own .pth is not read)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, SEEDS

SOURCES = ["kg", "ontology", "shapes", "queries", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md"]


def _run(*args, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("wheel")
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheels")
    done = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                "--no-index", "-w", out, src, cwd=src)
    assert done.returncode == 0, done.stderr[-2000:]
    return next(out.glob("kabar_kg-*.whl"))


def test_the_wheel_carries_the_ontology_the_shapes_and_the_named_queries(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kg/data/ontology/kabar-kg.ttl" in names and "kg/data/shapes/kabar-kg.shapes.ttl" in names
    assert {f"kg/data/queries/{p.name}" for p in (ROOT / "queries").glob("*.rq")} <= names
    assert "kg/data/kabar-kg.context.jsonld" in names


def test_a_non_editable_install_builds_the_seeds_and_runs_a_named_query(wheel, tmp_path):
    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path).returncode == 0
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp_path).stdout.strip())
    (site / "kabar_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index",
                wheel, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    where = _run(python, "-c", "import kg, kg.resources as r; print(kg.__file__); print(r.QUERIES_DIR)", cwd=tmp_path)
    module, queries = where.stdout.split()
    assert Path(module).is_relative_to(venv) and Path(queries).is_relative_to(venv), where.stdout

    work = tmp_path / "work"       # outside the checkout: nothing can come from it
    work.mkdir()
    kg = venv / "bin" / "kg"
    built = _run(kg, "build", SEEDS, "--output", "out/seeds.ttl", cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "SHACL: conforms" in built.stdout and (work / ".kabar").is_dir()
    listed = _run(kg, "queries", cwd=work)
    assert listed.returncode == 0 and "officials" in listed.stdout
    answered = _run(kg, "query", "--named", "officials", "--format", "csv", cwd=work)
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.splitlines()[0].split(",") == ["person", "position", "body"]
    assert len(answered.stdout.splitlines()) > 1
