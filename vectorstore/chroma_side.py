"""The Chroma side of the store: the client (embedded or server), the collection, dense queries,
and how Chroma's failures become `StoreError` / `StoreUnavailable`. `Store` mixes this in."""

from __future__ import annotations

import errno
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kernel.errors import StoreError, StoreUnavailable
from kernel.models import FACETS, Chunk, Record

REBUILD_HINT = "run `assistant ingest --rebuild` to rebuild it"
SMALL_FILTER = 300
"""Record-id sets up to this size are filtered inside Chroma with `where`; larger ones by a deeper
query."""


def chunk_metadata(chunk: Chunk, record: Record) -> dict[str, Any]:
    """Chroma metadata of a chunk: where it sits, and its record's filterable fields."""
    meta: dict[str, Any] = {
        "record_id": chunk.record_id,
        "index": chunk.index,
        "start": chunk.start,
        "end": chunk.end,
    }
    if chunk.location:
        meta["location"] = chunk.location
    if record.year is not None:
        meta["year"] = int(record.year)
    for key in FACETS:
        values = getattr(record, key)
        if values:
            meta[key] = "|".join(values)
    return meta


def not_writable(data_dir: Path, exc: BaseException) -> StoreError:
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        reason = f"a file is in the way where a folder is expected ({exc.filename or data_dir})"
    else:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return StoreError(f"data directory {data_dir} is not writable: {reason}")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def is_write_failure(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
        errno.ENOSPC,
        errno.EDQUOT,
        errno.ENOTDIR,
        errno.EEXIST,
    ):
        return True
    text = str(exc).casefold()
    return any(
        s in text
        for s in (
            "readonly",
            "read-only",
            "read only",
            "disk is full",
            "no space",
            "unable to open",
            "permission denied",
            "disk i/o",
            "not a directory",
        )
    )


def _is_not_found(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".casefold()
    return "notfound" in text.replace(" ", "") or "does not exist" in text or "not found" in text


def _is_connection_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".casefold()
    return any(
        s in text
        for s in (
            "connect",
            "connection",
            "timeout",
            "timed out",
            "refused",
            "unreachable",
            "remoteprotocol",
            "server disconnected",
        )
    )


class ChromaSide:
    """Chroma access for `Store` (which provides settings, data_dir, the catalog and the caches)."""

    def _make_client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self.settings.chroma_host:
            headers = {}
            if self.settings.chroma_auth_token:
                headers["Authorization"] = f"Bearer {self.settings.chroma_auth_token}"
            try:
                return chromadb.HttpClient(
                    host=self.settings.chroma_host,
                    port=int(self.settings.chroma_port),
                    headers=headers or None,
                    settings=chroma_settings,
                )
            except Exception as exc:  # noqa: BLE001 - chromadb raises ValueError and others
                raise StoreUnavailable(f"cannot reach the {self.where}: {_one_line(exc)}") from exc
        try:
            return chromadb.PersistentClient(path=str(self.chroma_path), settings=chroma_settings)
        except Exception as exc:  # noqa: BLE001
            if self.write_mode and is_write_failure(exc):
                raise not_writable(self.data_dir, exc) from exc
            raise StoreError(
                f"the Chroma index {self.chroma_path} cannot be opened ({_one_line(exc)}); "
                f"{REBUILD_HINT}"
            ) from exc

    def _connect_chroma(self, create: bool) -> None:
        if not self.settings.chroma_host and not (self.chroma_path / "chroma.sqlite3").exists():
            if not create or (self._db is not None and self._count("chunks")):
                # nothing to open (a missing index next to a catalog is reported by the check)
                return
        self._client = self._client or self._make_client()
        self._col = self._get_collection(create)

    def _get_collection(self, create: bool) -> Any:
        name = self.settings.collection
        try:
            if create:
                return self._client.get_or_create_collection(
                    name, metadata={"hnsw:space": "cosine"}, embedding_function=None
                )
            return self._client.get_collection(name, embedding_function=None)
        except Exception as exc:  # noqa: BLE001
            if not create and _is_not_found(exc):
                return None
            raise self._chroma_error(exc, "open the collection") from exc

    def _chroma_error(self, exc: BaseException, doing: str) -> StoreError:
        if self.settings.chroma_host and _is_connection_error(exc):
            return StoreUnavailable(f"cannot reach the {self.where} to {doing}: {_one_line(exc)}")
        if self.write_mode and is_write_failure(exc):
            return not_writable(self.data_dir, exc)
        return StoreError(f"the {self.where} failed to {doing}: {_one_line(exc)}")

    def _safe_count(self) -> int:
        if self._col is None:
            return 0
        try:
            return int(self._col.count())
        except Exception as exc:  # noqa: BLE001
            raise self._chroma_error(exc, "count the vectors") from exc

    def query_dense(
        self,
        vector: Sequence[float] | np.ndarray,
        n: int,
        record_ids: Collection[str] | None = None,
    ) -> list[tuple[Chunk, float]]:
        """The `n` chunks nearest to `vector` (cosine similarity, best first), optionally only of
        `record_ids`."""
        self._ensure_db()
        if self._col is None and self.settings.chroma_host and self._db is not None:
            self._client = self._client or self._make_client()
            self._col = self._get_collection(False)
        if self._col is None or n <= 0:
            return []
        total = self._cached("vectors", self._safe_count)
        if not total:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if record_ids is None:
            return self._query(query, min(n, total), None)
        wanted = set(record_ids)
        if not wanted:
            return []
        if len(wanted) <= SMALL_FILTER:
            return self._query(query, min(n, total), {"record_id": {"$in": sorted(wanted)}})
        records = max(1, self._cached("record_count", lambda: self._count("records")))
        share = min(1.0, len(wanted) / records)
        depth = min(total, max(n, int(n / share * 2) + n))
        owner = self._cached("owners", lambda: dict(self._rows("SELECT id, record_id FROM chunks")))
        ranked = [
            (cid, sim) for cid, sim in self._query_ids(query, depth) if owner.get(cid) in wanted
        ]
        if len(ranked) >= min(n, total) or depth >= total:
            ranked = ranked[:n]
            by_id = self._chunks_by_id([cid for cid, _ in ranked])
            return [(by_id[cid], sim) for cid, sim in ranked if cid in by_id]
        return self._query(query, min(n, total), {"record_id": {"$in": sorted(wanted)}})

    def _query_ids(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """A deep unfiltered query that fetches ids and distances only (no documents)."""
        try:
            res = self._col.query(query_embeddings=[vector], n_results=n, include=["distances"])
        except Exception as exc:  # noqa: BLE001
            if self.settings.chroma_host:
                self._col = None
            raise self._chroma_error(exc, "search") from exc
        return [
            (cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)
        ]

    def _chunks_by_id(self, ids: Sequence[str]) -> dict[str, Chunk]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._rows(
            f"SELECT id, record_id, idx, text, start, end_, {self._location} FROM chunks "
            f"WHERE id IN ({marks})",
            list(ids),
        )
        return {
            r[0]: Chunk(
                id=r[0], record_id=r[1], index=r[2], text=r[3], start=r[4], end=r[5], location=r[6]
            )
            for r in rows
        }

    def _query(self, vector: np.ndarray, n: int, where: dict | None) -> list[tuple[Chunk, float]]:
        try:
            res = self._col.query(
                query_embeddings=[vector],
                n_results=n,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
        except Exception as exc:  # noqa: BLE001
            if self.settings.chroma_host:
                self._col = None  # fetched again at the next call, when the server may be back
            raise self._chroma_error(exc, "search") from exc
        out = []
        for cid, doc, meta, dist in zip(
            res["ids"][0],
            res["documents"][0],
            res["metadatas"][0],
            res["distances"][0],
            strict=True,
        ):
            meta = meta or {}
            chunk = Chunk(
                id=cid,
                record_id=str(meta.get("record_id", "")),
                index=int(meta.get("index", 0)),
                text=doc or "",
                start=int(meta.get("start", 0)),
                end=int(meta.get("end", 0)),
                location=meta.get("location") or None,
            )
            out.append((chunk, 1.0 - float(dist)))
        return out

    def _chroma_call(self, doing: str, fn, **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except Exception as exc:  # noqa: BLE001
            raise self._chroma_error(exc, doing) from exc
