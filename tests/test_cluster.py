"""`kg build --cluster` on a real Dask LocalCluster of 2 worker processes: the same bytes as a local build,
a worker killed mid-build, unreadable articles reported with their file, partitions, and `kg load --bulk
PARTS` into a real Oxigraph server and an offline location."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.cluster import cluster_build, partitions_of
from kg.pipeline import build_graph
from tests.helpers import SEEDS
from tests.test_store_server import OxigraphServer

distributed = pytest.importorskip("distributed")
runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seed articles and 40 synthetic ones (bench/synth.py), in one folder."""
    root = tmp_path_factory.mktemp("cluster-corpus")
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(root / "synth"), "--articles", "40"],
                   check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    shutil.copytree(SEEDS, root / "seeds")
    return root


@pytest.fixture(scope="module")
def local_nq(corpus, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("local") / "kg.nq"
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "--no-store", "-q"])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def scheduler(client) -> str:
    return client.scheduler.address


def merged(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("part-*.nq")))


def test_a_cluster_build_writes_the_bytes_of_a_local_build(client, corpus, local_nq, tmp_path):
    out = tmp_path / "kg.nq"
    result = runner.invoke(app, ["build", str(corpus), "--cluster", scheduler(client), "-o", str(out),
                                 "--parts", str(tmp_path / "parts"), "--no-store"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == local_nq
    parts = sorted((tmp_path / "parts").glob("part-*.nq"))
    assert len(parts) > 2 and merged(tmp_path / "parts") == local_nq
    # each article graph lies whole in one partition
    graphs = [{line.rsplit(b" ", 2)[-2] for line in p.read_bytes().splitlines()} for p in parts]
    assert sum(len(g) for g in graphs) == len(set().union(*graphs)) == 42
    assert f"wrote {len(parts)} partition(s)" in result.output


def test_other_formats_and_the_store_are_those_of_a_local_build(client, corpus, tmp_path):
    local = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "local.ttl"), "--store",
                                str(tmp_path / "local-store"), "-q"])
    assert local.exit_code == 0, local.output
    result = runner.invoke(app, ["build", str(corpus), "--cluster", scheduler(client), "-o", str(tmp_path / "c.ttl"),
                                 "--store", str(tmp_path / "c-store"), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.ttl").read_bytes() == (tmp_path / "local.ttl").read_bytes()
    assert (tmp_path / "parts").is_dir()   # default: beside the output
    a, b = ox.Store.read_only(str(tmp_path / "local-store")), ox.Store.read_only(str(tmp_path / "c-store"))
    assert sorted(map(str, a)) == sorted(map(str, b))


def test_without_output_or_store_only_the_partitions_are_written(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", str(SEEDS), "--cluster", scheduler(client)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out" / "parts").iterdir()) == ["part-00000.nq", "part-00001.nq"]
    assert not (tmp_path / "out" / "kg.ttl").exists() and not (tmp_path / ".kabar").exists()


def test_a_rebuild_leaves_no_partition_of_the_earlier_build(client, corpus, tmp_path):
    parts = tmp_path / "parts"
    assert runner.invoke(app, ["build", str(corpus), "--cluster", scheduler(client), "--parts", str(parts)]).exit_code == 0
    assert len(list(parts.glob("part-*.nq"))) > 2
    result = runner.invoke(app, ["build", str(SEEDS), "--cluster", scheduler(client), "--parts", str(parts)])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(parts)) == ["part-00000.nq", "part-00001.nq"]


def test_fsspec_urls_are_read_on_the_workers(client, corpus, local_nq, tmp_path):
    out = tmp_path / "kg.nq"
    result = runner.invoke(app, ["build", f"file://{corpus}", "--cluster", scheduler(client), "-o", str(out),
                                 "--parts", f"file://{tmp_path}/parts", "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == local_nq == merged(tmp_path / "parts")


def test_a_scheme_without_its_backend_names_what_to_install(client, tmp_path):
    result = runner.invoke(app, ["build", "s3://some-bucket/news", "--cluster", scheduler(client),
                                 "--parts", str(tmp_path / "parts")])
    assert result.exit_code == 2
    assert "s3fs" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["build", str(SEEDS), "--cluster", scheduler(client), "--parts", "s3://b/parts",
                                 "-o", str(tmp_path / "kg.ttl")])
    assert result.exit_code == 2 and "s3fs" in result.output
    assert not (tmp_path / "kg.ttl").exists()   # refused before anything was built


def kill_a_busy_worker(client) -> int:
    """SIGKILL the process of a worker that is running a task now; its pid."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        busy = [w for w, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            return pid
        time.sleep(0.01)
    raise AssertionError("no worker was busy")


def _slow_tasks(seconds: float) -> None:
    """In a worker process: make each partition task take SECONDS longer (so that a worker is surely busy
    when the test looks for one). Tasks name their function by reference, so the patched attribute of
    kg.cluster is what the worker runs; a restarted worker process runs the plain functions."""
    import kg.cluster as cluster
    for name in ("extract_partition", "emit_partition"):
        plain = getattr(getattr(cluster, name), "plain", getattr(cluster, name))

        def slow(*args, _plain=plain, **kwargs):
            time.sleep(seconds)
            return _plain(*args, **kwargs)
        slow.plain = plain
        setattr(cluster, name, slow if seconds else plain)


def test_a_worker_killed_mid_build_changes_nothing(client, corpus, local_nq, tmp_path):
    killed: dict[str, int] = {}

    def progress(i: int, n: int, what: str, phase: str) -> None:
        # once in the reading phase and once in the emitting phase, after the first partition is done
        for name in ("reading", "writing RDF"):
            if phase.startswith(name) and name not in killed and i < n:
                killed[name] = kill_a_busy_worker(client)

    client.run(_slow_tasks, 0.3)
    assert all(client.run(lambda: hasattr(__import__("kg.cluster").cluster.emit_partition, "plain")).values())
    try:
        result = cluster_build(client, [corpus], progress=progress)
    finally:
        client.run(_slow_tasks, 0)
    assert set(killed) == {"reading", "writing RDF"}
    client.wait_for_workers(2, timeout=60)   # the nannies started new worker processes
    assert not set(killed.values()) & set(client.run(os.getpid).values())
    out = tmp_path / "kg.nq"
    from kg.pipeline import write_outputs
    write_outputs(result, out, None)
    assert out.read_bytes() == local_nq


def test_unreadable_articles_are_reported_with_their_file_as_by_a_local_build(client, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 200)
    (corpus / "empty.txt").write_bytes(b"")
    os.mkfifo(corpus / "pipe.txt")   # a worker must not wait for a writer
    (corpus / "copy.txt").write_bytes((SEEDS / "000_c0579e94ec1dab6c.txt").read_bytes())
    local = build_graph([corpus])
    result = cluster_build(client, [corpus])
    assert result.skipped == local.skipped and len(result.skipped) == 4
    for name in ("binary.txt", "empty.txt", "pipe.txt", "copy.txt"):
        assert any(str(corpus / name) in msg for msg in result.skipped), name
    assert result.nquads == local.nquads
    cli = runner.invoke(app, ["build", str(corpus), "--cluster", scheduler(client), "--parts", str(tmp_path / "p")])
    assert cli.exit_code == 4   # written, with articles skipped: as a local build
    assert f"kg: skipped {corpus / 'binary.txt'}" in cli.output


def test_partitions_cut_in_order_with_work_for_every_worker():
    items = list(range(100))
    parts = partitions_of(items, 2)
    assert [x for p in parts for x in p] == items and len(parts) >= 8
    assert max(map(len, partitions_of(list(range(10_000)), 2))) == 512
    assert partitions_of([], 3) == []


def test_cli_refuses_bad_cluster_arguments(tmp_path):
    result = runner.invoke(app, ["build", str(SEEDS), "--cluster", "local:many"])
    assert result.exit_code == 2 and "local:N" in result.output
    result = runner.invoke(app, ["build", str(SEEDS), "--parts", str(tmp_path / "p")])
    assert result.exit_code == 2 and "--cluster" in result.output
    result = runner.invoke(app, ["build", str(SEEDS), "--cluster", "local:2", "-j", "2"])
    assert result.exit_code == 2 and "not both" in result.output
    (tmp_path / "file").write_text("x")
    result = runner.invoke(app, ["build", str(SEEDS), "--cluster", "local:1", "--parts", str(tmp_path / "file")])
    assert result.exit_code == 2 and "is a file" in result.output


def test_an_unreachable_scheduler_is_one_line(monkeypatch):
    from kg import cluster
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "2s")
    result = runner.invoke(app, ["build", str(SEEDS), "--cluster", "tcp://127.0.0.1:9", "-q"])
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output and "Traceback" not in result.output


def test_help_explains_cluster_parts_and_bulk_partitions():
    build = runner.invoke(app, ["build", "--help"], terminal_width=200).output
    assert "--cluster" in build and "local:N" in build and "--parts" in build and "fsspec" in build
    load = runner.invoke(app, ["load", "--help"], terminal_width=200).output
    assert "PARTS" in load and "--location" in load and "oxigraph load" in load


# ------------------------------------------------------------------ kg load --bulk PARTS


@pytest.fixture(scope="module")
def parts(client, corpus, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("parts") / "parts"
    result = runner.invoke(app, ["build", str(corpus), "--cluster", scheduler(client), "--parts", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def server_quads(server: OxigraphServer) -> set[str]:
    return {str(q) for q in server.quads() if isinstance(q.graph_name, ox.NamedNode)}


def part_quads(folder: Path) -> set[str]:
    return {str(q) for q in ox.parse(merged(folder), format=ox.RdfFormat.N_QUADS)}


def test_load_bulk_partitions_into_a_real_oxigraph_server(parts, tmp_path):
    server = OxigraphServer(tmp_path / "server").start()
    try:
        result = runner.invoke(app, ["load", "--bulk", str(parts), "--endpoint", server.url + "/store",
                                     "--param", "no_transaction", "--concurrency", "2"])   # two files at once
        assert result.exit_code == 0, result.output
        assert re.search(r"42 in \d+ bulk requests", result.output) and "verified" in result.output
        assert server_quads(server) == part_quads(parts)
        # an incremental load: a graph the server holds is replaced, not added to
        first = sorted(parts.glob("part-*.nq"))[0]
        line = first.read_bytes().splitlines()[0]
        graph = line.rsplit(b" ", 2)[-2].decode()[1:-1]
        stale = f'<https://w3id.org/kabar-kg/id/stale> <http://www.w3.org/2000/01/rdf-schema#label> "old" <{graph}> .\n'
        import urllib.request
        urllib.request.urlopen(urllib.request.Request(server.url + "/store", data=stale.encode(), method="POST",
                                                      headers={"Content-Type": "application/n-quads"}), timeout=30)
        assert server_quads(server) != part_quads(parts)
        result = runner.invoke(app, ["load", "--bulk", str(first), "--endpoint", server.url + "/store"])
        assert result.exit_code == 0, result.output
        assert server_quads(server) == part_quads(parts)
    finally:
        server.stop()


def test_load_bulk_of_one_output_file_sends_pieces_of_whole_lines_at_once(local_nq, tmp_path):
    out = tmp_path / "kg.nq"
    out.write_bytes(local_nq)
    server = OxigraphServer(tmp_path / "server").start()
    try:
        result = runner.invoke(app, ["load", "--bulk", str(out), "--endpoint", server.url + "/store",
                                     "--param", "no_transaction", "--concurrency", "3"])
        assert result.exit_code == 0, result.output
        assert "in 3 bulk requests" in result.output and "verified" in result.output
        assert server_quads(server) == {str(q) for q in ox.parse(local_nq, format=ox.RdfFormat.N_QUADS)}
    finally:
        server.stop()


def test_line_ranges_cover_the_file_and_cut_only_after_line_ends(tmp_path):
    from kg.cluster import _line_ranges
    f = tmp_path / "x.nq"
    f.write_bytes(b"".join(b"<s%d> <p> <o> <g> .\n" % i * (1 + i % 7) for i in range(50)))
    data = f.read_bytes()
    for n in (1, 2, 3, 7, 1000):
        ranges = _line_ranges(f, n)
        assert 1 <= len(ranges) <= n and ranges[0][0] == 0 and ranges[-1][1] == len(data)
        assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))            # no gap, no overlap
        assert all(data[start:end].endswith(b"\n") for start, end in ranges)    # whole lines only
    assert len(_line_ranges(f, 3)) == 3


def test_load_partitions_offline_with_oxigraph_load(parts, tmp_path):
    location = tmp_path / "location"
    for _ in range(2):   # a second load replaces the graphs: the same content
        result = runner.invoke(app, ["load", "--bulk", str(parts), "--location", str(location)])
        assert result.exit_code == 0, result.output
        assert "with oxigraph load" in result.output and "verified" in result.output
        assert {str(q) for q in ox.Store.read_only(str(location))} == part_quads(parts)


def test_load_partitions_names_a_bad_file(tmp_path):
    bad = tmp_path / "part-00000.nq"
    bad.write_text("<a> <b> <c> <http://g> .\nnot n-quads\n")
    result = runner.invoke(app, ["load", "--bulk", str(tmp_path), "--location", str(tmp_path / "loc")])
    assert result.exit_code == 2
    assert str(bad) in result.output and "line" in result.output
    result = runner.invoke(app, ["load", "--bulk", str(tmp_path), "--endpoint", "http://127.0.0.1:9/store"])
    assert result.exit_code == 2   # refused before any request (nothing listens on port 9)
    assert str(bad) in result.output and "line" in result.output and "127.0.0.1:9" not in result.output
    result = runner.invoke(app, ["load", "--bulk", str(tmp_path / "none"), "--endpoint", "http://127.0.0.1:9/store"])
    assert result.exit_code == 2 and "no such file or folder" in result.output
    result = runner.invoke(app, ["load", "--location", str(tmp_path / "loc")])
    assert result.exit_code == 2 and "PARTS" in result.output


def test_pages_and_json_lines_records_are_read_on_the_cluster_as_locally(client, tmp_path):
    import json
    corpus = tmp_path / "mixed"
    shutil.copytree(SEEDS, corpus)
    first, second = sorted(SEEDS.glob("*.txt"))
    records = [json.dumps({"url": "https://example.id/a", "title": "A", "published": "2025-01-02",
                           "text": first.read_text()[200:]}), "{not json",
               json.dumps({"url": "https://example.id/b", "title": "B", "text": second.read_text()[100:]})]
    (corpus / "corpus.jsonl").write_text("\n".join(records) + "\n")
    body = second.read_text()[300:].replace("\n\n", "</p><p>")
    (corpus / "page.html").write_text(f"<html><head><title>Berita</title></head><body><article><p>{body}</p>"
                                      "</article></body></html>")
    local = build_graph([corpus])
    result = cluster_build(client, [corpus])
    assert len(result.articles) == 5
    assert result.skipped == local.skipped == [f"{corpus / 'corpus.jsonl'}:2: not valid JSON (Expecting property "
                                               "name enclosed in double quotes at column 2); line skipped"]
    assert result.nquads == local.nquads


def test_load_refuses_the_same_graph_in_two_partition_files(parts, tmp_path):
    shutil.copytree(parts, tmp_path / "again")
    result = runner.invoke(app, ["load", "--bulk", str(parts), str(tmp_path / "again"), "--endpoint",
                                 "http://127.0.0.1:9/store"])
    assert result.exit_code == 2
    assert "is also in" in result.output and "give the partitions of one build" in result.output


def test_a_failing_partition_loses_only_the_article_that_fails(client, corpus, tmp_path):
    """A task that fails outright (not an unreadable article: say a worker's memory error on one article)
    fails its partition; the partition is read again one article per task and only that article is lost,
    reported with its file. The fault is injected in the real worker processes."""
    bad = f"file://{corpus}/synth/synth_000007.txt"

    def inject(url):
        import kg.cluster as c
        real = c._read_remote

        def failing(source, lexicon):
            if source.url == url:
                raise MemoryError("cannot allocate")
            return real(source, lexicon)
        failing.real = real
        c._read_remote = failing

    def restore():
        import kg.cluster as c
        c._read_remote = getattr(c._read_remote, "real", c._read_remote)

    client.wait_for_workers(2, timeout=60)
    client.run(inject, bad)
    try:
        result = cluster_build(client, [f"file://{corpus}"])
    finally:
        client.run(restore)
    assert result.skipped == [f"{bad}: not read: its task failed on the cluster (MemoryError: cannot allocate)"]
    without = tmp_path / "without"
    shutil.copytree(corpus, without)
    (without / "synth" / "synth_000007.txt").unlink()
    assert result.nquads == build_graph([without]).nquads
