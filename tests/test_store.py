"""The store on its own (no model): catalog + Chroma round trip, filters, batching, crash
recovery."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kernel.errors import StoreError
from kernel.models import Chunk, Record
from kernel.settings import Settings
from vectorstore.store import CHROMA_BATCH, Store

DIM = 8


def _record(i: int, **kw) -> Record:
    return Record(
        id=f"r-{i:04d}", title=kw.pop("title", f"Title {i:04d}"), abstract=f"Abstract {i}.", **kw
    )


def _chunks(record: Record, n: int = 2) -> list[Chunk]:
    return [
        Chunk(
            id=f"{record.id}:{k}",
            record_id=record.id,
            index=k,
            text=f"{record.title}\npart {k}",
            start=k,
            end=k + 1,
        )
        for k in range(n)
    ]


def _vectors(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _write(store: Store, records: list[Record], n: int = 2, seed: int = 0) -> dict[str, np.ndarray]:
    chunks = {r.id: _chunks(r, n) for r in records}
    vectors = {r.id: _vectors(n, seed + i) for i, r in enumerate(records)}
    store.apply(records, chunks, vectors)
    return vectors


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "index")


def test_store__round_trip_keeps_records_sorted_and_counts_agree(settings):
    records = [
        _record(2, title="beta"),
        _record(1, title="Alpha", year=2019, regions=("Africa", "Asia")),
    ]
    with Store.open(settings, write=True) as store:
        before = store.generation
        _write(store, records)
        assert store.generation != before, "every write changes the generation"
    store = Store.open(settings)
    assert [r.title for r in store.records()] == ["Alpha", "beta"]
    assert store.get("r-0001") == records[1]
    assert store.get("r-9999") is None
    assert [c.id for c in store.chunks()] == ["r-0001:0", "r-0001:1", "r-0002:0", "r-0002:1"]
    assert store.stats() == {"records": 2, "chunks": 4, "vectors": 4}


def test_store__chroma_metadata_carries_filterable_fields(settings):
    record = _record(1, year=2019, regions=("Africa", "Asia"), authors=("A. Author",))
    with Store.open(settings, write=True) as store:
        _write(store, [record, _record(2)])
        got = store._col.get(ids=["r-0001:0", "r-0002:0"], include=["metadatas"])
    metas = dict(zip(got["ids"], got["metadatas"], strict=True))
    assert metas["r-0001:0"]["year"] == 2019
    assert metas["r-0001:0"]["regions"] == "Africa|Asia"
    assert metas["r-0001:0"]["authors"] == "A. Author"
    assert metas["r-0001:0"]["record_id"] == "r-0001"
    assert "year" not in metas["r-0002:0"], "an unknown year is omitted, never invented"


def test_store__query_dense_is_cosine_best_first_and_honours_record_ids(settings):
    records = [_record(i) for i in range(400)]
    with Store.open(settings, write=True) as store:
        vectors = _write(store, records, n=1)
    store = Store.open(settings)
    target = vectors["r-0007"][0]
    hits = store.query_dense(target, 5)
    assert hits[0][0].record_id == "r-0007" and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert hits[0][0].text == "Title 0007\npart 0"
    small = {"r-0001", "r-0002", "r-0003"}  # filtered inside Chroma
    assert {c.record_id for c, _ in store.query_dense(target, 5, record_ids=small)} == small
    large = {r.id for r in records[:350]} - {"r-0007"}  # filtered from a deeper query
    got = store.query_dense(target, 10, record_ids=large)
    assert len(got) == 10 and all(c.record_id in large for c, _ in got)
    assert store.query_dense(target, 5, record_ids=[]) == []


def test_store__changed_record_replaces_its_chunks_and_delete_removes_them(settings):
    with Store.open(settings, write=True) as store:
        _write(store, [_record(1), _record(2)], n=3)
        _write(store, [_record(1, title="Title 0001 revised")], n=1, seed=9)
        assert [c.id for c in store.chunks() if c.record_id == "r-0001"] == ["r-0001:0"]
        assert store.stats() == {"records": 2, "chunks": 4, "vectors": 4}
        store.delete(["r-0002"])
        assert store.stats() == {"records": 1, "chunks": 1, "vectors": 1}
        assert store.get("r-0001").title == "Title 0001 revised"


def test_store__writes_are_batched_within_chromas_per_call_limit(settings, monkeypatch):
    records = [
        _record(i) for i in range(CHROMA_BATCH // 2 + 10)
    ]  # 2 chunks each: more than one call
    with Store.open(settings, write=True) as store:
        sizes = []
        real = store._col.upsert
        monkeypatch.setattr(
            store._col, "upsert", lambda **kw: (sizes.append(len(kw["ids"])), real(**kw))[1]
        )
        _write(store, records)
        assert max(sizes) <= CHROMA_BATCH and sum(sizes) == 2 * len(records) and len(sizes) == 2
        assert store.stats()["vectors"] == 2 * len(records)


@pytest.mark.parametrize(
    "crash_at", ["before_chroma", "between_delete_and_upsert", "before_marking_ok"]
)
def test_store__a_write_interrupted_anywhere_is_finished_at_next_open(
    settings, monkeypatch, crash_at
):
    with Store.open(settings, write=True) as store:
        _write(store, [_record(1), _record(2)], n=2)
    store = Store.open(settings, write=True)

    class Crash(BaseException):
        pass

    if crash_at == "before_chroma":
        monkeypatch.setattr(store, "_redo", lambda: (_ for _ in ()).throw(Crash()))
    elif crash_at == "between_delete_and_upsert":
        monkeypatch.setattr(store._col, "upsert", lambda **kw: (_ for _ in ()).throw(Crash()))
    else:
        real = store._transaction
        calls = []

        def transaction():
            calls.append(1)
            if len(calls) == 2:  # the final "mark ok" transaction
                raise Crash()
            return real()

        monkeypatch.setattr(store, "_transaction", transaction)
    with pytest.raises(Crash):
        _write(store, [_record(1, title="New title"), _record(3)], n=3, seed=5)
    store._db.close()
    store.close_lock()
    monkeypatch.undo()

    reopened = Store.open(settings)  # a reader finishes the pending work when no ingest is running
    assert reopened.stats() == {"records": 3, "chunks": 8, "vectors": 8}
    assert reopened.get("r-0001").title == "New title"
    assert sorted(c.id for c in reopened.chunks())[:3] == ["r-0001:0", "r-0001:1", "r-0001:2"]


def test_store__a_different_embedding_model_needs_a_rebuild(settings, tmp_path):
    with Store.open(settings, write=True) as store:
        _write(store, [_record(1)])
    other = Settings(data_dir=settings.data_dir, embedding_model=str(tmp_path / "other-model"))
    with pytest.raises(StoreError, match=r"built with the embedding model .*--rebuild"):
        Store.open(other)


def test_store__a_reader_of_an_empty_data_dir_creates_nothing(settings):
    store = Store.open(settings)
    assert store.records() == [] and store.stats() == {"records": 0, "chunks": 0, "vectors": 0}
    assert store.query_dense(np.ones(DIM), 3) == []
    assert not settings.data_dir.exists()


def test_store__reader_sees_a_later_ingest_through_the_generation(settings):
    reader = Store.open(settings)
    assert reader.generation == "empty"
    with Store.open(settings, write=True) as writer:
        _write(writer, [_record(1)])
    assert reader.generation not in ("empty", "0")
    assert [r.id for r in reader.records()] == ["r-0001"]
    assert reader.stats()["vectors"] == 2


def test_store__records_are_stored_as_json(settings):
    with Store.open(settings, write=True) as store:
        _write(store, [_record(1, year=2001)])
        data = json.loads(store._db.execute("SELECT data FROM records").fetchone()[0])
    assert data["year"] == 2001 and data["title"] == "Title 0001"


def test_store__a_reader_trusts_a_running_ingest_and_checks_once_it_is_done(settings):
    with Store.open(settings, write=True) as writer:
        _write(writer, [_record(1), _record(2)])
        writer._col.delete(ids=["r-0001:0"])  # as if caught between two steps of a write
        assert Store.open(settings).stats()["records"] == 2, (
            "no false alarm while an ingest holds the lock"
        )
    with pytest.raises(StoreError, match="holds 3 vectors but catalog .* lists 4 chunks"):
        Store.open(settings)
