"""Store faults: a damaged catalog or index is named with the way to repair it; an unwritable or
full data dir is a clear error at ingest with nothing half written."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import ingest
from kernel.errors import StoreError
from kernel.settings import Settings
from vectorstore.store import Store

ROOT = Path(__file__).resolve().parent.parent
HINT = "run `assistant ingest --rebuild` to rebuild it"


class ToyEmbedder:
    """Deterministic vectors without the model (these tests are about the files, not the
    vectors)."""

    name = "bundled:all-MiniLM-L6-v2"
    dimension = 8
    max_tokens = 256

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def encode(self, texts, batch_size=32, progress=False):
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, sum(map(ord, text)) % self.dimension] = 1.0
        return out


@pytest.fixture
def small_index(tmp_path) -> tuple[Settings, Path]:
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text(
        "".join(
            json.dumps({"title": f"Study {i}", "abstract": f"Findings {i}."}) + "\n"
            for i in range(5)
        ),
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "index")
    ingest(settings, [catalog], embedder=ToyEmbedder(), quiet=True)
    return settings, catalog


def _open_error(settings: Settings) -> str:
    with pytest.raises(StoreError) as info:
        Store.open(settings)
    message = str(info.value)
    assert "\n" not in message and HINT in message
    return message


def test_faults__missing_catalog_next_to_an_intact_index(small_index):
    settings, _ = small_index
    (settings.data_dir / "catalog.sqlite").unlink()
    message = _open_error(settings)
    assert "catalog.sqlite is missing" in message and "5 vectors" in message


def test_faults__corrupt_catalog_next_to_an_intact_index(small_index):
    settings, _ = small_index
    (settings.data_dir / "catalog.sqlite").write_bytes(b"this is not a database" * 100)
    message = _open_error(settings)
    assert str(settings.data_dir / "catalog.sqlite") in message and "corrupt" in message


def test_faults__index_folder_gone_next_to_an_intact_catalog(small_index):
    settings, _ = small_index
    shutil.rmtree(settings.data_dir / "chroma")
    message = _open_error(settings)
    assert (
        f"index folder {settings.data_dir / 'chroma'} is missing" in message
        and "5 chunks" in message
    )


def test_faults__index_with_fewer_vectors_than_the_catalog_has_chunks(small_index):
    settings, _ = small_index
    with Store.open(settings) as store:
        victim = store.chunks()[0].id
        store._col.delete(ids=[victim])
    message = _open_error(settings)
    assert "holds 4 vectors" in message and "lists 5 chunks" in message


def test_faults__rebuild_repairs_a_corrupt_catalog(small_index):
    settings, catalog = small_index
    (settings.data_dir / "catalog.sqlite").write_bytes(b"garbage")
    with pytest.raises(StoreError, match="corrupt"):
        ingest(settings, [catalog], embedder=ToyEmbedder(), quiet=True)
    report = ingest(settings, [catalog], embedder=ToyEmbedder(), rebuild=True, quiet=True)
    assert report.added == 5
    assert Store.open(settings).stats() == {"records": 5, "chunks": 5, "vectors": 5}


def test_faults__the_cli_says_it_in_one_line(small_index):
    settings, _ = small_index
    shutil.rmtree(settings.data_dir / "chroma")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
    env["ASSISTANT_DATA_DIR"] = str(settings.data_dir)
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "stats"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and HINT in proc.stderr


def test_faults__a_file_where_the_data_dir_should_be_is_a_clear_error(tmp_path, small_index):
    _, catalog = small_index
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    for data_dir in (blocker, blocker / "index"):
        with pytest.raises(StoreError, match=rf"data directory {data_dir} is not writable"):
            ingest(Settings(data_dir=data_dir), [catalog], embedder=ToyEmbedder(), quiet=True)
    assert blocker.read_text() == "a file, not a folder"


def test_faults__a_full_disk_at_the_catalog_writes_nothing(tmp_path, small_index, monkeypatch):
    _, catalog = small_index
    data_dir = tmp_path / "full"

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(sqlite3, "connect", full)
    with pytest.raises(StoreError, match=r"is not writable: database or disk is full"):
        ingest(Settings(data_dir=data_dir), [catalog], embedder=ToyEmbedder(), quiet=True)
    assert not (data_dir / "catalog.sqlite").exists() and not (data_dir / "chroma").exists()


def test_faults__a_full_disk_at_the_vector_write_is_finished_by_the_next_run(
    small_index, monkeypatch, tmp_path
):
    settings, catalog = small_index
    from chromadb.api.models.Collection import Collection

    more = tmp_path / "more.jsonl"
    more.write_text(
        "".join(
            json.dumps({"title": f"Later study {i}", "abstract": "More."}) + "\n" for i in range(3)
        )
    )

    def no_space(self, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Collection, "upsert", no_space)
    with pytest.raises(StoreError, match=r"not writable: No space left on device"):
        ingest(settings, [catalog, more], embedder=ToyEmbedder(), quiet=True)
    assert Store.open(settings).stats()["vectors"] == 5, (
        "while the disk is full, readers still answer"
    )
    monkeypatch.undo()
    report = ingest(settings, [catalog, more], embedder=ToyEmbedder(), quiet=True)
    assert report.errors == [] and report.unchanged == 8
    stats = Store.open(settings).stats()
    assert stats == {"records": 8, "chunks": 8, "vectors": 8}
