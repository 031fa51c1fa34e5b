"""The ingest / records / stats commands as a user runs them, including `kill -9` mid-ingest."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "trafficking conflict survivors armed groups exploitation labour children protection shelter "
    "law "
    "enforcement referral migration border displacement camp recruitment sexual violence evidence "
    "prosecution victims identification assistance humanitarian response policy report"
).split()


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
    env.update({"ASSISTANT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)})
    return env


def _run(
    args: list[str], data_dir: Path, offline: bool = False, **kw
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "assistant", *args]
    if (
        offline
        and shutil.which("unshare")
        and subprocess.run(["unshare", "-n", "true"]).returncode == 0
    ):
        cmd = ["unshare", "-n", *cmd]  # no network at all: proves the command is offline
    return subprocess.run(
        cmd, cwd=ROOT, env=_env(data_dir), capture_output=True, text=True, timeout=600, **kw
    )


def _catalog_rows(path: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
        try:
            return db.execute("SELECT count(*) FROM records").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_records_and_stats__json_shapes_offline(sample_copy):
    records = _run(["records", "--json"], sample_copy, offline=True)
    assert records.returncode == 0, records.stderr
    data = json.loads(records.stdout)
    assert len(data) == 35
    assert all(
        set(r)
        == {"id", "title", "year", "authors", "countries", "regions", "categories", "sources"}
        for r in data
    )
    assert [r["title"].casefold() for r in data] == sorted(r["title"].casefold() for r in data)
    assert sum(r["year"] is None for r in data) >= 1
    stats = _run(["stats", "--json"], sample_copy, offline=True)
    assert stats.returncode == 0, stats.stderr
    counts = json.loads(stats.stdout)
    assert set(counts) == {"records", "chunks", "vectors"}
    assert counts["records"] == 35 and counts["vectors"] == counts["chunks"] >= 35
    table = _run(["records"], sample_copy)
    lines = table.stdout.splitlines()
    for record in data:
        assert (
            f"{record['title']} ({record['year'] if record['year'] is not None else 'n.d.'})"
            in lines
        )


@pytest.mark.slow
def test_ingest__killed_mid_run_then_rerun_leaves_each_record_once_and_vectors_equal_chunks(
    tmp_path,
):
    rng = random.Random(7)
    catalog = tmp_path / "catalog.jsonl"
    with catalog.open("w", encoding="utf-8") as fh:
        for i in range(300):
            abstract = " ".join(rng.choice(WORDS) for _ in range(40)) + "."
            fh.write(
                json.dumps(
                    {"title": f"Synthetic study {i}", "abstract": abstract, "year": 2000 + i % 20}
                )
                + "\n"
            )
    data_dir = tmp_path / "index"
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", "--quiet", str(catalog)],
        cwd=ROOT,
        env=_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while (
            _catalog_rows(data_dir / "catalog.sqlite") == 0
            and proc.poll() is None
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)  # mid-run: the first batch is written, the rest is not
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert 0 < _catalog_rows(data_dir / "catalog.sqlite") < 300

    rerun = _run(["ingest", "--quiet", "--json", str(catalog)], data_dir)
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert (
        report["records"] == 300
        and report["added"] + report["unchanged"] + report["updated"] == 300
    )
    assert report["unchanged"] > 0, "work done before the kill is kept"
    from kernel.settings import Settings
    from vectorstore.store import Store

    store = Store.open(Settings(data_dir=data_dir))
    stats = store.stats()
    assert stats["records"] == 300 and stats["vectors"] == stats["chunks"]
    ids = [r.id for r in store.records()]
    assert len(ids) == len(set(ids)) == 300
    assert len({c.id for c in store.chunks()}) == stats["chunks"]


@pytest.mark.slow
def test_ingest__a_broken_file_exits_1_and_names_it_while_the_rest_is_ingested(
    sample_copy, tmp_path
):
    broken = tmp_path / "broken.bin"
    broken.write_bytes(b"\x00\x01\x02")
    result = _run(["ingest", "--quiet", str(ROOT / "data" / "library"), str(broken)], sample_copy)
    assert result.returncode == 1
    assert "broken.bin" in result.stderr and "Traceback" not in result.stderr
    assert "35 unchanged" in result.stdout
    assert json.loads(_run(["stats", "--json"], sample_copy).stdout)["records"] == 35


def test_stats__on_an_empty_data_dir_counts_zero_and_creates_nothing(tmp_path):
    result = _run(["stats", "--json"], tmp_path / "nothing-here")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"records": 0, "chunks": 0, "vectors": 0}
    assert not (tmp_path / "nothing-here").exists()
