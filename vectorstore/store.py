"""The store: a SQLite catalog (records, chunks) next to a Chroma collection (the vectors).

    data_dir/catalog.sqlite   records as JSON, chunks with their text and page ("p. 12", NULL for
                              catalog records), content hashes, a state column (ok / pending /
                              delete) and a meta table (generation, model)
    data_dir/chroma/          the embedded Chroma index (or a `chroma run` server when
                              settings.chroma_host is set; the catalog stays in data_dir)

Crash safety. Every write is three steps:
    1. one SQLite transaction writes the new records and chunks as `pending` (with their
       vectors) and marks replaced or removed ones `delete`;
    2. Chroma: delete the `delete` chunk ids, upsert the `pending` chunks (batches <= 5000);
    3. one SQLite transaction drops the `delete` rows and marks the `pending` ones `ok`.
Both Chroma operations are idempotent, so pending work left by a crash (`kill -9` at any
moment) is redone by the next writer, or by any `Store.open` when no ingest is running. The
catalog and Chroma are checked against each other at open: a missing or corrupt catalog next
to an intact index, or the reverse, is a `StoreError` saying how to rebuild.

Older catalogs. A catalog saved before chunks kept their page lacks `chunks.location`: it is
added (an empty column: those chunks come from catalog records, which have no pages) the first
time the catalog is opened where it can be written; a read-only copy is read as it is.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kernel.cache import PerGeneration
from kernel.errors import StoreError
from kernel.models import Chunk, Record

from .chroma_side import REBUILD_HINT, ChromaSide, chunk_metadata, is_write_failure, not_writable
from .onnx_backend import vector_family

if TYPE_CHECKING:  # pragma: no cover
    from kernel.settings import Settings

__all__ = ["Store", "CATALOG_FILE", "CHROMA_DIR", "REBUILD_HINT", "chunk_metadata"]

CATALOG_FILE = "catalog.sqlite"
CHROMA_DIR = "chroma"
LOCK_FILE = "ingest.lock"
CHROMA_BATCH = 5000
"""Ids per Chroma call; Chroma 1.5 accepts at most 5,461."""
MODEL_ALIASES = {
    "all-MiniLM-L6-v2",
    "sentence-transformers/all-MiniLM-L6-v2",
    "bundled:all-MiniLM-L6-v2",
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY, data TEXT NOT NULL, hash TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'ok');
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, record_id TEXT NOT NULL, idx INTEGER NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, end_ INTEGER NOT NULL, vector BLOB, state TEXT NOT NULL DEFAULT 'ok',
    location TEXT);
CREATE INDEX IF NOT EXISTS chunks_by_record ON chunks(record_id);
CREATE INDEX IF NOT EXISTS chunks_not_ok ON chunks(state) WHERE state != 'ok';
CREATE INDEX IF NOT EXISTS records_not_ok ON records(state) WHERE state != 'ok';
"""


def _same_model(a: str, b: str) -> bool:
    return a == b or (a in MODEL_ALIASES and b in MODEL_ALIASES)


class Store(ChromaSide):
    """The catalog and the vectors of one library. Open it with `Store.open(settings)`."""

    def __init__(self, settings: Settings, *, write: bool = False) -> None:
        self.settings = settings
        self.data_dir = Path(settings.data_dir)
        self.catalog_path = self.data_dir / CATALOG_FILE
        self.chroma_path = self.data_dir / CHROMA_DIR
        self.write_mode = write
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._client: Any = None
        self._col: Any = None
        self._lock_fd: int | None = None
        self._kept = PerGeneration()
        self._location = (
            "location"  # "NULL" on a read-only catalog saved before chunks kept their page
        )

    # -- opening --------------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings, *, write: bool = False, rebuild: bool = False) -> Store:
        """Open the store of `settings.data_dir` (and the Chroma server when configured).

        Readers (`write=False`) create nothing. Writers create the data dir, hold the ingest
        lock until `close()`, and redo pending work first. `rebuild=True` (implies write)
        deletes the catalog and the collection and starts empty.
        """
        store = cls(settings, write=write or rebuild)
        try:
            if store.write_mode:
                store._prepare_dir()
                store._acquire_lock()
                if (
                    settings.chroma_host
                ):  # an unreachable server fails before the catalog is touched
                    store._client = store._make_client()
                if rebuild:
                    store._wipe()
            store._connect_catalog(create=store.write_mode)
            store._check_model()
            store._connect_chroma(create=store.write_mode)
            store._recover_and_check()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        """Where the vectors live, for messages."""
        if self.settings.chroma_host:
            return f"Chroma server {self.settings.chroma_host}:{self.settings.chroma_port}"
        return str(self.chroma_path)

    def _prepare_dir(self) -> None:
        probe = self.data_dir / f".write-probe-{os.getpid()}"
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with open(probe, "wb") as fh:
                fh.write(b"\0" * 4096)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise not_writable(self.data_dir, exc) from exc
        finally:
            try:
                probe.unlink()
            except OSError:
                pass

    def _acquire_lock(self, blocking: bool = False) -> bool:
        try:
            fd = os.open(self.data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if not blocking and not self.write_mode:
                return False
            raise not_writable(self.data_dir, exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK) and not self.write_mode:
                return False
            raise StoreError(
                f"another ingest is writing to {self.data_dir}; wait for it to finish"
            ) from exc
        self._lock_fd = fd
        return True

    def _wipe(self) -> None:
        """--rebuild: the catalog, the collection and derived indexes go; ingest starts afresh."""
        try:
            for name in (
                CATALOG_FILE,
                CATALOG_FILE + "-journal",
                CATALOG_FILE + "-wal",
                CATALOG_FILE + "-shm",
            ):
                (self.data_dir / name).unlink(missing_ok=True)
            shutil.rmtree(self.data_dir / "bm25", ignore_errors=True)
        except OSError as exc:
            raise not_writable(self.data_dir, exc) from exc
        if self.settings.chroma_host:
            client = self._make_client()
            try:
                client.delete_collection(self.settings.collection)
            except Exception:  # noqa: BLE001 - absent already
                pass
        else:
            self._forget_chroma_clients()
            shutil.rmtree(self.chroma_path, ignore_errors=True)

    @staticmethod
    def _forget_chroma_clients() -> None:
        try:
            from chromadb.api.client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
        except Exception:  # noqa: BLE001 - an internal API; only matters within one process
            pass

    def _connect_catalog(self, create: bool) -> None:
        if not create and not self.catalog_path.exists():
            return
        if self.catalog_path.is_dir():
            raise StoreError(
                f"catalog {self.catalog_path} is a folder, expected a SQLite file; {REBUILD_HINT}"
            )
        try:
            db = sqlite3.connect(
                self.catalog_path, timeout=30, check_same_thread=False, isolation_level=None
            )
        except sqlite3.Error as exc:
            if create:
                raise not_writable(self.data_dir, exc) from exc
            raise StoreError(
                f"catalog {self.catalog_path} cannot be opened ({exc}); {REBUILD_HINT}"
            ) from exc
        try:
            tables = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if create and not {"meta", "records", "chunks"} <= tables:
                if tables and not {"meta", "records", "chunks"} & tables:
                    raise StoreError(
                        f"catalog {self.catalog_path} is a SQLite file of another program; "
                        f"{REBUILD_HINT}"
                    )
                db.executescript(SCHEMA)
            elif not {"meta", "records", "chunks"} <= tables:
                raise StoreError(
                    f"catalog {self.catalog_path} lacks the catalog tables; {REBUILD_HINT}"
                )
            db.execute("SELECT count(*) FROM records").fetchone()
            self._migrate(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            if create and isinstance(exc, sqlite3.OperationalError) and is_write_failure(exc):
                raise not_writable(self.data_dir, exc) from exc
            raise StoreError(
                f"catalog {self.catalog_path} is corrupt or not a catalog ({exc}); {REBUILD_HINT}"
            ) from exc
        except StoreError:
            db.close()
            raise
        self._db = db

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Add `chunks.location` to a catalog saved before chunks kept their page (see the module
        doc)."""
        columns = {row[1] for row in db.execute("PRAGMA table_info(chunks)")}
        if "location" in columns:
            return
        try:
            db.execute("ALTER TABLE chunks ADD COLUMN location TEXT")
        except sqlite3.OperationalError as exc:
            if self.write_mode:
                raise
            if not is_write_failure(exc) and "locked" not in str(exc).casefold():
                raise
            self._location = "NULL"  # a read-only copy: its chunks have no pages anyway

    def _check_model(self) -> None:
        name = self._meta("model")
        wanted = str(self.settings.embedding_model)
        if name is not None and not _same_model(name, wanted):
            raise StoreError(
                f"the index in {self.data_dir} was built with the embedding model {name!r} "
                f"but the settings ask for {wanted!r}; "
                "run `assistant ingest --rebuild` to rebuild it with the new model"
            )
        # indexes from before the backends were torch-built
        built = self._meta("backend") or "torch"
        backend = str(self.settings.embedding_backend)
        if name is not None and vector_family(built) != vector_family(backend):
            raise StoreError(
                f"the index in {self.data_dir} was embedded with the {built} backend "
                f"but the settings ask for {backend}, whose vectors differ; "
                f"run `assistant ingest --rebuild` to re-embed it, or set "
                f"ASSISTANT_EMBEDDING_BACKEND={built}"
            )

    def _recover_and_check(self) -> None:
        if self._db is None:
            vectors = self._col.count() if self._col is not None else 0
            if vectors:
                raise StoreError(
                    f"catalog {self.catalog_path} is missing but the index {self.where} holds "
                    f"{vectors} vectors; {REBUILD_HINT}"
                )
            return
        # A reader checks only while no ingest holds the lock (a running ingest keeps both sides in
        # step); on a read-only copy nobody can be writing, so it checks without the lock.
        writable = os.access(self.data_dir, os.W_OK)
        locked_here = not self.write_mode and writable and self._acquire_lock(blocking=False)
        if not self.write_mode and writable and not locked_here:
            return
        try:
            if self._has_pending():
                if not (self.write_mode or locked_here):
                    return  # pending work on a read-only copy: answer from what is there
                self.write_mode, was = True, self.write_mode
                try:
                    self._redo()
                except StoreError:
                    if was:
                        raise
                    # a reader cannot finish it now (disk still full?): answer from what is there
                    return
                finally:
                    self.write_mode = was
            self._check_counts()
        finally:
            if locked_here:
                self.close_lock()

    def _check_counts(self) -> None:
        chunks = self._count("chunks")
        if self._col is None:
            if chunks:
                what = (
                    f"the collection {self.settings.collection!r} is missing on the {self.where}"
                    if self.settings.chroma_host
                    else f"the index folder {self.chroma_path} is missing"
                )
                raise StoreError(
                    f"{what} but catalog {self.catalog_path} lists {chunks} chunks; {REBUILD_HINT}"
                )
            return
        vectors = self._safe_count()
        if vectors != chunks:
            raise StoreError(
                f"the index {self.where} holds {vectors} vectors "
                f"but catalog {self.catalog_path} lists {chunks} chunks; {REBUILD_HINT}"
            )

    def close_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- reading --------------------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        if self._db is None:
            return None
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _ensure_db(self) -> bool:
        """Readers opened before the first ingest pick the catalog up once it exists."""
        if self._db is None and self.catalog_path.exists():
            with self._lock:
                if self._db is None:
                    self._connect_catalog(create=False)
                    if self._col is None:
                        self._connect_chroma(create=False)
        return self._db is not None

    @property
    def generation(self) -> str:
        """Changes on every write; derived indexes (BM25) are stamped with it."""
        if not self._ensure_db():
            return "empty"
        try:
            return self._meta("generation") or "0"
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"catalog {self.catalog_path} cannot be read ({exc}); {REBUILD_HINT}"
            ) from exc

    def _cached(self, key: str, build):
        return self._kept.get(key, self.generation, build)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        if not self._ensure_db():
            return []
        try:
            with self._lock:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"catalog {self.catalog_path} cannot be read ({exc}); {REBUILD_HINT}"
            ) from exc

    def _count(self, table: str) -> int:
        return (
            int(self._rows(f"SELECT count(*) FROM {table} WHERE state != 'delete'")[0][0])
            if self._db
            else 0
        )

    def _has_pending(self) -> bool:
        return bool(
            self._rows(
                "SELECT 1 FROM chunks WHERE state != 'ok' UNION ALL "
                "SELECT 1 FROM records WHERE state != 'ok' LIMIT 1"
            )
        )

    def records(self) -> list[Record]:
        """Every record of the catalog, sorted by title."""

        def build() -> list[Record]:
            recs = [
                Record.from_dict(json.loads(row[0]))
                for row in self._rows("SELECT data FROM records WHERE state != 'delete'")
            ]
            recs.sort(key=lambda r: (r.title.casefold(), r.id))
            return recs

        return list(self._cached("records", build))

    def get(self, record_id: str) -> Record | None:
        rows = self._rows("SELECT data FROM records WHERE id=? AND state != 'delete'", (record_id,))
        return Record.from_dict(json.loads(rows[0][0])) if rows else None

    def hashes(self) -> dict[str, str]:
        """record id -> the content hash it was embedded from."""
        return dict(self._rows("SELECT id, hash FROM records WHERE state != 'delete'"))

    def chunks(self) -> list[Chunk]:
        """Every chunk, grouped by record, in order."""
        rows = self._rows(
            f"SELECT id, record_id, idx, text, start, end_, {self._location} FROM chunks "
            "WHERE state != 'delete' ORDER BY record_id, idx"
        )
        return [
            Chunk(
                id=r[0], record_id=r[1], index=r[2], text=r[3], start=r[4], end=r[5], location=r[6]
            )
            for r in rows
        ]

    def stats(self) -> dict[str, int]:
        """{"records", "chunks", "vectors"} (vectors as Chroma counts them)."""
        self._ensure_db()
        return {
            "records": self._count("records"),
            "chunks": self._count("chunks"),
            "vectors": self._safe_count(),
        }

    # -- writing --------------------------------------------------------------------------------

    @contextmanager
    def _writing(self, doing: str) -> Iterator[None]:
        if not self.write_mode or self._db is None:
            raise StoreError(
                f"the store at {self.data_dir} was opened for reading; "
                f"open it with write=True to {doing}"
            )
        try:
            with self._lock:
                yield
        except sqlite3.OperationalError as exc:
            if is_write_failure(exc):
                raise not_writable(self.data_dir, exc) from exc
            raise StoreError(f"catalog {self.catalog_path}: cannot {doing} ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"catalog {self.catalog_path} is corrupt ({exc}); {REBUILD_HINT}"
            ) from exc
        except OSError as exc:
            raise not_writable(self.data_dir, exc) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', ?)", (uuid.uuid4().hex,)
        )
        db.execute("COMMIT")

    def apply(
        self,
        records: Sequence[Record],
        chunks_by_record: Mapping[str, Sequence[Chunk]],
        vectors_by_record: Mapping[str, np.ndarray],
        *,
        hashes: Mapping[str, str] | None = None,
        delete_ids: Iterable[str] = (),
    ) -> None:
        """Write records with their chunks and vectors (replacing older chunks), and delete records,
        crash-safely."""
        delete_ids = list(delete_ids)
        with self._writing("write records"):
            rows = []
            dimension = None
            for record in records:
                chunks = chunks_by_record.get(record.id, ())
                vectors = np.asarray(
                    vectors_by_record.get(record.id, np.zeros((0, 0))), dtype=np.float32
                )
                if len(chunks) != len(vectors):
                    raise ValueError(
                        f"record {record.id}: {len(chunks)} chunks but {len(vectors)} vectors"
                    )
                if len(vectors):
                    dimension = dimension or vectors.shape[1]
                    if vectors.shape[1] != dimension:
                        raise ValueError(
                            f"record {record.id}: vectors of dimension {vectors.shape[1]}, "
                            f"expected {dimension}"
                        )
                rows.append((record, chunks, vectors))
            self._check_dimension(dimension)
            with self._transaction() as db:
                if dimension is not None and self._meta("model") is None:
                    db.executemany(
                        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                        [
                            ("model", str(self.settings.embedding_model)),
                            ("dimension", str(dimension)),
                            ("backend", str(self.settings.embedding_backend)),
                        ],
                    )
                for record, chunks, vectors in rows:
                    db.execute(
                        "UPDATE chunks SET state='delete', vector=NULL WHERE record_id=?",
                        (record.id,),
                    )
                    db.executemany(
                        "INSERT OR REPLACE INTO chunks"
                        "(id, record_id, idx, text, start, end_, vector, state, location) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
                        [
                            (
                                c.id,
                                record.id,
                                c.index,
                                c.text,
                                c.start,
                                c.end,
                                v.tobytes(),
                                c.location,
                            )
                            for c, v in zip(chunks, vectors, strict=True)
                        ],
                    )
                    digest = (hashes or {}).get(record.id) or record.content_hash()
                    db.execute(
                        "INSERT OR REPLACE INTO records(id, data, hash, state) "
                        "VALUES (?, ?, ?, 'pending')",
                        (record.id, json.dumps(record.to_dict(), ensure_ascii=False), digest),
                    )
                for rid in delete_ids:
                    db.execute(
                        "UPDATE chunks SET state='delete', vector=NULL WHERE record_id=?", (rid,)
                    )
                    db.execute("UPDATE records SET state='delete' WHERE id=?", (rid,))
            self._redo()

    def update_records(self, records: Sequence[Record]) -> None:
        """Replace catalog data that is not embedded (sources, metadata); chunks and vectors
        stay."""
        if not records:
            return
        with self._writing("update records"), self._transaction() as db:
            db.executemany(
                "UPDATE records SET data=? WHERE id=?",
                [(json.dumps(r.to_dict(), ensure_ascii=False), r.id) for r in records],
            )

    def delete(self, record_ids: Iterable[str]) -> None:
        """Remove records with their chunks and vectors."""
        ids = list(record_ids)
        if ids:
            self.apply([], {}, {}, delete_ids=ids)

    def _check_dimension(self, dimension: int | None) -> None:
        stored = self._meta("dimension")
        if dimension is not None and stored is not None and int(stored) != dimension:
            raise StoreError(
                f"the index in {self.data_dir} holds {stored}-dimensional vectors "
                f"but the model gives {dimension}; run `assistant ingest --rebuild` to rebuild it"
            )

    def _redo(self) -> None:
        """Finish pending work: Chroma deletes and upserts, then mark the catalog rows ok."""
        with self._writing("finish pending writes"):
            if self._col is None:
                self._client = self._client or self._make_client()
                self._col = self._get_collection(True)
            gone = [
                row[0] for row in self._db.execute("SELECT id FROM chunks WHERE state='delete'")
            ]
            for start in range(0, len(gone), CHROMA_BATCH):
                self._chroma_call(
                    "delete vectors", self._col.delete, ids=gone[start : start + CHROMA_BATCH]
                )
            records: dict[str, Record] = {}
            cursor = self._db.execute(
                "SELECT c.id, c.record_id, c.idx, c.text, c.start, c.end_, c.vector, r.data, "
                "c.location FROM chunks c "
                "JOIN records r ON r.id = c.record_id WHERE c.state='pending' ORDER BY c.rowid"
            )
            while True:
                batch = cursor.fetchmany(CHROMA_BATCH)
                if not batch:
                    break
                ids, docs, metas, vectors = [], [], [], []
                for cid, rid, idx, text, start, end, blob, data, location in batch:
                    record = records.get(rid) or records.setdefault(
                        rid, Record.from_dict(json.loads(data))
                    )
                    chunk = Chunk(cid, rid, idx, text, start, end, location)
                    ids.append(cid)
                    docs.append(text)
                    metas.append(chunk_metadata(chunk, record))
                    vectors.append(np.frombuffer(blob, dtype=np.float32))
                self._chroma_call(
                    "write vectors",
                    self._col.upsert,
                    ids=ids,
                    embeddings=np.stack(vectors),
                    documents=docs,
                    metadatas=metas,
                )
            with self._transaction() as db:
                db.execute("DELETE FROM chunks WHERE state='delete'")
                db.execute("DELETE FROM records WHERE state='delete'")
                db.execute("UPDATE chunks SET state='ok', vector=NULL WHERE state='pending'")
                db.execute("UPDATE records SET state='ok' WHERE state='pending'")
