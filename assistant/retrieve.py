"""Hybrid retrieval: dense (the store's Chroma index) plus BM25, fused, grouped by record.

Each method first scores chunks; a record's score under a method is its best chunk's score
(plus `chunk_bonus` times its second best: 0 by default, as any bonus lowered nDCG@10 on SciFact).
The two record-level score lists are then fused:

- `zscore` (default): each method's scores are standardised over the candidate records
  (mean 0, standard deviation 1) and combined as `w * dense + (1 - w) * bm25`;
- `minmax`: the same convex combination of min-max normalised scores;
- `rrf`: reciprocal rank fusion, `sum 1 / (rrf_k + rank)`.

Tuned on SciFact train (809 judged queries, 5,183 abstracts in 12,218 chunks of <= 200 word
pieces with their title; nDCG@10 / Recall@100): dense 0.658 / 0.932, BM25 0.687 / 0.925, RRF
(k=60) 0.704 / 0.955, min-max 0.719 / 0.951, z-score 0.733 / 0.951 (weight 0.4: 0.735 / 0.947;
0.6: 0.727 / 0.958). A second-chunk bonus of 0.1 cost 0.013, of 0.3 0.040; fetching 300 or 600
dense chunks instead of 200 changed nothing; BM25 over whole records instead of chunks +0.003.
On the product's own index (`assistant eval beir`, ingest's chunking): dense 0.684 / 0.928,
BM25 0.693 / 0.930, hybrid z-score 0.734 / 0.950 (weight 0.6: 0.732 / 0.957; 0.7: 0.724 / 0.958). Filters are applied through the
catalog: the records that match become the `record_ids` of the dense query and a mask on BM25.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

import numpy as np

from vectorstore.models import Chunk, Record

from .models import Filters, Hit

MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class RetrievalParams:
    """Fusion settings (defaults tuned on SciFact train)."""

    fusion: str = "zscore"
    dense_weight: float = 0.5
    rrf_k: int = 60
    chunk_bonus: float = 0.0
    depth: int = 100
    """Chunks fetched from each method before fusion (at least twice k)."""


class Retriever:
    """Searches one store; keeps the catalog, the chunk map and the BM25 index in memory."""

    def __init__(self, store, embedder, params: RetrievalParams | None = None, *, bm25_dir: Path | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.params = params or RetrievalParams()
        self._bm25_dir = bm25_dir
        self.generation: str | None = None
        self.refresh(force=True)

    # -- catalog state -----------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Reload the catalog, chunk map and BM25 index when the store changed. True if reloaded."""
        generation = str(self.store.generation)
        if not force and generation == self.generation:
            return False
        from vectorstore.bm25 import BM25Index

        records = list(self.store.records())
        chunks = list(self.store.chunks())
        self.records_by_id: dict[str, Record] = {r.id: r for r in records}
        self.record_ids: list[str] = [r.id for r in records]
        position = {rid: i for i, rid in enumerate(self.record_ids)}
        self._position = position
        self._allowed_cache: dict = {}
        self.chunks_by_id: dict[str, Chunk] = {c.id: c for c in chunks}
        folder = self._bm25_dir or (Path(getattr(getattr(self.store, "settings", None), "data_dir", ".")) / "bm25")
        index = BM25Index.for_store(self.store, folder, chunks)
        # BM25 positions may follow a saved order: map each to its record position.
        self._bm25_chunks = [self.chunks_by_id.get(cid) for cid in index.chunk_ids]
        self._bm25_record = np.array(
            [position.get(c.record_id, -1) if c is not None else -1 for c in self._bm25_chunks], dtype=np.int64)
        # Each record's BM25 positions, contiguous: _by_record[_record_start[p]:_record_start[p + 1]].
        self._by_record = np.argsort(self._bm25_record, kind="stable")
        self._record_start = np.searchsorted(self._bm25_record[self._by_record], np.arange(len(records) + 1))
        self.bm25 = index
        self.generation = generation
        return True

    def allowed_ids(self, filters: Filters | None) -> set[str] | None:
        """Record ids matching `filters`; None means every record."""
        if filters is None or filters.is_empty():
            return None
        cached = self._allowed_cache.get(filters)
        if cached is None:
            if len(self._allowed_cache) > 256:
                self._allowed_cache.clear()
            cached = frozenset(rid for rid, r in self.records_by_id.items() if filters.matches(r))
            self._allowed_cache[filters] = cached
        return set(cached)

    # -- search ------------------------------------------------------------------------------

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               depth: int | None = None) -> list[Hit]:
        """The `k` best records for `query`, best first, each represented by its best chunk."""
        if mode not in MODES:
            raise ValueError(f"retrieval mode must be one of {', '.join(MODES)}, found {mode!r}")
        if not query.strip() or k <= 0 or not self.record_ids:
            return []
        allowed = self.allowed_ids(filters)
        if allowed is not None and not allowed:
            return []
        depth = max(depth or self.params.depth, 2 * k)
        dense = self._dense(query, depth, allowed) if mode in ("hybrid", "dense") else {}
        bm25, bm25_scores = self._bm25(query, allowed, depth) if mode in ("hybrid", "bm25") else ({}, None)
        if mode == "dense":
            fused = {rid: s for rid, (s, _, _) in dense.items()}
        elif mode == "bm25":
            fused = {rid: s for rid, (s, _, _) in _top(bm25, depth).items()}
        else:
            fused = self._fuse(dense, bm25, bm25_scores, set(_top(bm25, depth)))
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        hits = []
        for rank, (rid, score) in enumerate(ranked, start=1):
            d, b = dense.get(rid), bm25.get(rid)
            chunk_text = (d[2] if d else None) or (b[2] if b else "")
            hits.append(Hit(record=self.records_by_id[rid], score=float(score), chunk_text=chunk_text,
                            dense_score=d[1] if d else None, bm25_score=b[1] if b else None, rank=rank))
        return hits

    def _dense(self, query: str, depth: int, allowed: set[str] | None) -> dict[str, tuple[float, float, str]]:
        """record id -> (record score, best chunk cosine, best chunk text)."""
        vector = self.embedder.encode_query(query)
        record_ids = sorted(allowed) if allowed is not None and len(allowed) < len(self.record_ids) else None
        results = self.store.query_dense(vector, depth, record_ids=record_ids)
        return _group(((c.record_id, float(s), c.text) for c, s in results), self.params.chunk_bonus,
                      self.records_by_id)

    def _bm25(self, query: str, allowed: set[str] | None, depth: int) -> tuple[dict, np.ndarray | None]:
        """(record id -> (score, best chunk score, best chunk text) for the records of the best
        chunks, every chunk's BM25 score for `_record_max`; None when no chunk matches).

        Only the `4 * depth` best chunks are sorted (argpartition first): at 100,000 records a
        full sort and per-record maxima over every matching chunk cost more than the rest of
        the search."""
        scores = self.bm25.scores(query)
        if not len(scores) or not scores.any():
            return {}, None
        records = self._bm25_record
        valid = (scores > 0) & (records >= 0)
        if allowed is not None:
            mask = np.zeros(len(self.record_ids) + 1, dtype=bool)
            mask[[self._position[rid] for rid in allowed if rid in self._position]] = True
            valid &= mask[records]
        idx = np.flatnonzero(valid)
        if not len(idx):
            return {}, None
        n = 4 * depth
        if len(idx) > n:
            idx = idx[np.argpartition(-scores[idx], n - 1)[:n]]
        top = idx[np.argsort(-scores[idx], kind="stable")]
        rows = [(self._bm25_chunks[i].record_id, float(scores[i]), self._bm25_chunks[i].text) for i in top]
        return _group(rows, self.params.chunk_bonus, self.records_by_id), scores

    def _record_max(self, scores: np.ndarray | None, rid: str) -> float:
        """A record's best chunk BM25 score (0 when none of its chunks matches)."""
        p = self._position.get(rid)
        if scores is None or p is None:
            return 0.0
        chunks = self._by_record[self._record_start[p]:self._record_start[p + 1]]
        return float(scores[chunks].max()) if len(chunks) else 0.0

    def _fuse(self, dense: dict, bm25: dict, bm25_scores: np.ndarray | None, bm25_top: set[str]) -> dict[str, float]:
        """Fused scores of the dense candidates and BM25's top records (BM25 scores of all)."""
        p = self.params
        candidates = set(dense) | bm25_top
        if not candidates:
            return {}
        if p.fusion == "rrf":
            out = dict.fromkeys(candidates, 0.0)
            for scores in (dense, {r: bm25[r] for r in bm25_top}):
                ordered = sorted(scores, key=lambda rid: -scores[rid][0])
                for rank, rid in enumerate(ordered, start=1):
                    out[rid] += 1.0 / (p.rrf_k + rank)
            return out
        ids = sorted(candidates)
        d = _fill([dense[r][0] if r in dense else None for r in ids])
        b = np.array([bm25[r][0] if r in bm25 else self._record_max(bm25_scores, r) for r in ids], dtype=np.float64)
        if p.fusion == "minmax":
            dn, bn = _minmax(d), _minmax(b)
        elif p.fusion == "zscore":
            dn, bn = _zscore(d), _zscore(b)
        else:
            raise ValueError(f"fusion must be zscore, minmax or rrf, found {p.fusion!r}")
        if not bm25:
            bn = np.zeros_like(bn)
        if not dense:
            dn = np.zeros_like(dn)
        fused = p.dense_weight * dn + (1.0 - p.dense_weight) * bn
        return dict(zip(ids, fused.tolist()))

    def with_params(self, **changes) -> "Retriever":
        """A retriever sharing this one's indexes with other fusion settings (for tuning)."""
        other = object.__new__(Retriever)
        other.__dict__.update(self.__dict__)
        other.params = replace(self.params, **changes)
        return other


def _group(rows: Iterable[tuple[str, float, str]], bonus: float, known: dict) -> dict[str, tuple[float, float, str]]:
    """Chunk rows -> record id -> (max + bonus * second best, max, best chunk text)."""
    best: dict[str, list] = {}
    for rid, score, text in rows:
        if rid not in known:
            continue
        entry = best.get(rid)
        if entry is None:
            best[rid] = [score, None, text]
        elif score > entry[0]:
            entry[1], entry[0], entry[2] = entry[0], score, text
        elif entry[1] is None or score > entry[1]:
            entry[1] = score
    return {rid: (e[0] + bonus * (e[1] if e[1] is not None and e[1] > 0 else 0.0), e[0], e[2])
            for rid, e in best.items()}


def _top(scores: dict[str, tuple[float, float, str]], n: int) -> dict[str, tuple[float, float, str]]:
    if len(scores) <= n:
        return scores
    keep = sorted(scores, key=lambda rid: -scores[rid][0])[:n]
    return {rid: scores[rid] for rid in keep}


def _fill(values: list[float | None]) -> np.ndarray:
    """Records the dense search did not reach get the lowest dense score seen."""
    seen = [v for v in values if v is not None]
    floor = min(seen) if seen else 0.0
    return np.array([floor if v is None else v for v in values], dtype=np.float64)


def _zscore(x: np.ndarray) -> np.ndarray:
    std = x.std()
    return (x - x.mean()) / std if std > 1e-12 else np.zeros_like(x)


def _minmax(x: np.ndarray) -> np.ndarray:
    span = x.max() - x.min()
    return (x - x.min()) / span if span > 1e-12 else np.zeros_like(x)
