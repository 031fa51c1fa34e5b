"""Hybrid retrieval: dense (the store's Chroma index) plus BM25, fused, grouped by record.

Dense search scores chunks and a record's dense score is its best chunk's cosine (plus
`chunk_bonus` times its second best: 0 by default, as any bonus lowered nDCG@10 on SciFact).
BM25 scores whole records (title twice, then abstract; `vectorstore/bm25.py`). The two
record-level score lists are then fused:

- `zscore` (default): each method's scores are standardised over the candidate records
  (mean 0, standard deviation 1) and combined as `w * dense + (1 - w) * bm25`;
- `minmax`: the same convex combination of min-max normalised scores;
- `rrf`: reciprocal rank fusion, `sum 1 / (rrf_k + rank)`.

Chosen on SciFact train (809 judged queries; nDCG@10 / Recall@100 on the product's own index,
`assistant eval beir`): z-score fusion at dense weight 0.4 over BM25 on whole records (k1 0.9,
b 0.75, title twice), no second-chunk bonus: dense 0.684 / 0.928, BM25 0.698 / 0.927, hybrid
0.742 / 0.955. What else was tried, and why it was not kept, is in
docs/retrieval-experiments.md.

Filters are applied through the catalog: the records that match become the `record_ids` of the
dense query and a mask on BM25.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from kernel.models import Chunk, Record

from .models import Filters, Hit

MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class RetrievalParams:
    """Fusion settings (defaults tuned on SciFact train)."""

    fusion: str = "zscore"
    dense_weight: float = 0.4
    rrf_k: int = 60
    chunk_bonus: float = 0.0
    depth: int = 100
    """Dense chunks and BM25 records fetched before fusion (at least twice k)."""


class ChunkStore(Protocol):
    """What the retriever reads from a store (`vectorstore.store.Store`, or a test's fake)."""

    @property
    def generation(self) -> object: ...

    def records(self) -> Iterable[Record]: ...

    def chunks(self) -> Iterable[Chunk]: ...

    def query_dense(
        self,
        vector: Sequence[float] | np.ndarray,
        n: int,
        record_ids: Collection[str] | None = None,
    ) -> list[tuple[Chunk, float]]: ...


class QueryEncoder(Protocol):
    """What the retriever asks of an embedder (`vectorstore.embedding.Embedder`)."""

    def encode_query(self, text: str) -> np.ndarray: ...


class Retriever:
    """Searches one store; keeps the catalog, the chunk map and the BM25 index in memory."""

    def __init__(
        self,
        store: ChunkStore,
        embedder: QueryEncoder,
        params: RetrievalParams | None = None,
        *,
        bm25_dir: Path | None = None,
    ) -> None:
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
        self._allowed_cache: dict[Filters, frozenset[str]] = {}
        self.chunks_by_id: dict[str, Chunk] = {c.id: c for c in chunks}
        self._chunks_of: dict[str, list[Chunk]] = {}
        for c in chunks:
            self._chunks_of.setdefault(c.record_id, []).append(c)
        folder = self._bm25_dir or (
            Path(getattr(getattr(self.store, "settings", None), "data_dir", ".")) / "bm25"
        )
        index = BM25Index.for_store(self.store, folder, records)
        # BM25 positions may follow a saved order: map each to its record position (-1: unknown).
        self._bm25_record = np.array([position.get(rid, -1) for rid in index.ids], dtype=np.int64)
        self._bm25_at = {rid: i for i, rid in enumerate(index.ids)}
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

    def search(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        mode: str = "hybrid",
        depth: int | None = None,
        words: str = "",
        within: set[str] | frozenset[str] | None = None,
    ) -> list[Hit]:
        """The `k` best records for `query`, best first, each represented by its best chunk (the
        dense search's, else the one sharing most query words). `words` are more words to search
        with (a Spanish question's English glossary terms); each hit's `dense_score`, which the
        relevance gate reads, stays the cosine of `query` alone (one more dense query, over the
        hits' records only). `within` limits the search to those record ids as well."""
        if mode not in MODES:
            raise ValueError(f"retrieval mode must be one of {', '.join(MODES)}, found {mode!r}")
        if not query.strip() or k <= 0 or not self.record_ids:
            return []
        allowed = self.allowed_ids(filters)
        if within is not None:
            allowed = set(within) if allowed is None else allowed & set(within)
        if allowed is not None and not allowed:
            return []
        depth = max(depth or self.params.depth, 2 * k)
        lexical = f"{query} {words}" if words else query
        dense = self._dense(lexical, depth, allowed) if mode in ("hybrid", "dense") else {}
        bm25, bm25_scores = (
            self._bm25(lexical, allowed, depth) if mode in ("hybrid", "bm25") else ({}, None)
        )
        if mode == "dense":
            fused = {rid: s for rid, (s, _, _) in dense.items()}
        elif mode == "bm25":
            fused = bm25
        else:
            fused = self._fuse(dense, bm25, bm25_scores)
        ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        hits = []
        for rank, (rid, score) in enumerate(ranked, start=1):
            d, b = dense.get(rid), self._bm25_score(bm25_scores, rid)
            chunk_text = d[2] if d else self._best_chunk(rid, lexical)
            hits.append(
                Hit(
                    record=self.records_by_id[rid],
                    score=float(score),
                    chunk_text=chunk_text,
                    dense_score=d[1] if d else None,
                    bm25_score=b if b > 0 else None,
                    rank=rank,
                )
            )
        if words and hits and mode != "bm25":
            ids = {h.record.id for h in hits}
            asked = self._dense(
                query, sum(len(self._chunks_of.get(rid, ())) for rid in ids) or 1, ids
            )
            hits = [
                replace(h, dense_score=asked[h.record.id][1] if h.record.id in asked else None)
                for h in hits
            ]
        return hits

    def _dense(
        self, query: str, depth: int, allowed: set[str] | None
    ) -> dict[str, tuple[float, float, str]]:
        """record id -> (record score, best chunk cosine, best chunk text)."""
        vector = self.embedder.encode_query(query)
        record_ids = (
            sorted(allowed) if allowed is not None and len(allowed) < len(self.record_ids) else None
        )
        results = self.store.query_dense(vector, depth, record_ids=record_ids)
        return _group(
            ((c.record_id, float(s), c.text) for c, s in results),
            self.params.chunk_bonus,
            self.records_by_id,
        )

    def _bm25(
        self, query: str, allowed: set[str] | None, depth: int
    ) -> tuple[dict[str, float], np.ndarray | None]:
        """(record id -> BM25 score of the `depth` best matching records, every indexed record's
        score for `_bm25_score`; None when no record matches).

        Only the best `depth` are sorted (argpartition first): at 100,000 records a full sort
        costs more than the rest of the search."""
        scores = self.bm25.scores(query)
        if not len(scores) or not scores.any():
            return {}, None
        valid = (scores > 0) & (self._bm25_record >= 0)
        if allowed is not None:
            mask = np.zeros(len(self.record_ids) + 1, dtype=bool)
            mask[[self._position[rid] for rid in allowed if rid in self._position]] = True
            valid &= mask[self._bm25_record]
        idx = np.flatnonzero(valid)
        if not len(idx):
            return {}, None
        if len(idx) > depth:
            idx = idx[np.argpartition(-scores[idx], depth - 1)[:depth]]
        top = idx[np.argsort(-scores[idx], kind="stable")]
        return {self.bm25.ids[i]: float(scores[i]) for i in top}, scores

    def _bm25_score(self, scores: np.ndarray | None, rid: str) -> float:
        """A record's BM25 score (0 when it matches no query word)."""
        i = self._bm25_at.get(rid)
        return 0.0 if scores is None or i is None else float(scores[i])

    def _best_chunk(self, rid: str, query: str) -> str:
        """The record's chunk sharing the most distinct query words (the first on ties)."""
        chunks = self._chunks_of.get(rid, [])
        if len(chunks) < 2:
            return chunks[0].text if chunks else ""
        from kernel.text import tokenize

        words = set(tokenize(query))
        return max(chunks, key=lambda c: len(words.intersection(tokenize(c.text)))).text

    def _fuse(
        self,
        dense: dict[str, tuple[float, float, str]],
        bm25: dict[str, float],
        bm25_scores: np.ndarray | None,
    ) -> dict[str, float]:
        """Fused scores of the dense candidates and BM25's top records (BM25 scores of all)."""
        p = self.params
        candidates = set(dense) | set(bm25)
        if not candidates:
            return {}
        if p.fusion == "rrf":
            out = dict.fromkeys(candidates, 0.0)
            for scores in ({r: v[0] for r, v in dense.items()}, bm25):
                ordered = sorted(scores, key=lambda rid: -scores[rid])
                for rank, rid in enumerate(ordered, start=1):
                    out[rid] += 1.0 / (p.rrf_k + rank)
            return out
        ids = sorted(candidates)
        d = _fill([dense[r][0] if r in dense else None for r in ids])
        b = np.array([self._bm25_score(bm25_scores, r) for r in ids], dtype=np.float64)
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
        return dict(zip(ids, fused.tolist(), strict=True))

    def with_params(self, **changes: Any) -> Retriever:
        """A retriever sharing this one's indexes with other fusion settings (for tuning)."""
        other = object.__new__(Retriever)
        other.__dict__.update(self.__dict__)
        other.params = replace(self.params, **changes)
        return other


def _group(
    rows: Iterable[tuple[str, float, str]], bonus: float, known: dict[str, Record]
) -> dict[str, tuple[float, float, str]]:
    """Chunk rows -> record id -> (max + bonus * second best, max, best chunk text)."""
    best: dict[str, list[Any]] = {}
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
    return {
        rid: (e[0] + bonus * (e[1] if e[1] is not None and e[1] > 0 else 0.0), e[0], e[2])
        for rid, e in best.items()
    }


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
