"""Hybrid retrieval: dense (the store's Chroma index) plus BM25, fused, grouped by record.

Dense search scores chunks and a record's dense score is its best chunk's cosine (plus
`chunk_bonus` times its second best: 0 by default, as any bonus lowered nDCG@10 on SciFact).
BM25 scores whole records (title twice, then abstract; `vectorstore/bm25.py`). The two
record-level score lists are then fused:

- `zscore` (default): each method's scores are standardised over the candidate records
  (mean 0, standard deviation 1) and combined as `w * dense + (1 - w) * bm25`;
- `minmax`: the same convex combination of min-max normalised scores;
- `rrf`: reciprocal rank fusion, `sum 1 / (rrf_k + rank)`.

Tuned on SciFact train (809 judged queries, 5,183 abstracts in 12,218 chunks of <= 200 word
pieces with their title; nDCG@10 / Recall@100): dense 0.658 / 0.932, BM25 0.687 / 0.925, RRF
(k=60) 0.704 / 0.955, min-max 0.719 / 0.951, z-score 0.733 / 0.951 (weight 0.4: 0.735 / 0.947;
0.6: 0.727 / 0.958). A second-chunk bonus of 0.1 cost 0.013, of 0.3 0.040; fetching 300 or 600
dense chunks instead of 200 changed nothing.
On the product's own index (`assistant eval beir`, ingest's chunking, 13,319 chunks): dense
0.684 / 0.928; with BM25 over chunks (k1 1.2, b 0.75) BM25 0.693 / 0.930 and hybrid z-score
0.734 / 0.950 at weight 0.5. Now, BM25 over records (k1 0.9, b 0.75, title twice) and weight
0.4: BM25 0.698 / 0.927, hybrid 0.742 / 0.955.

Tried on that index with an offline harness (exact cosines instead of HNSW, within 0.001 of the
real command), hybrid nDCG@10 / Recall@100 at weight 0.4 unless said:
- helped: BM25 over records instead of chunks +0.004 (k1 1.2, b 0.75: 0.736 -> 0.740); k1 0.9
  a further +0.0015 to +0.003 (b 0.4, 0.6, 0.75 within 0.001 of one another); dense weight 0.4
  instead of 0.5 +0.0015 to +0.004 (0.35 and 0.45 are lower). The title twice: no change on
  SciFact, kept because every chunk used to repeat the title and it decides near-ties on the
  sample library; b 0.75 rather than 0.4 for the same reason (short records keep their edge).
- did not (within 0.004 of the chosen setting, or worse): BM25+, BM25L, Robertson, ATIRE (on
  chunks); k1 0.7 to 2.0; English stop words only, or the short English list; one-letter tokens;
  no stemming (-0.015); word bigrams added (-0.004 to -0.005); per-term maxima over a record's
  chunks (0.739); a record's dense score from the mean of its chunk vectors (-0.004), max + mean
  (up to +0.004 with chunk BM25, nothing with record BM25); a title-only vector (-0.003); dense
  pseudo-relevance feedback (query + mean of the top 3 to 10 records' vectors: nDCG -0.003 to
  +0.001, Recall@100 +0.005 to +0.012, for a second dense query); RM3 expansion of the BM25
  query from the top 3 to 10 records (-0.001 to -0.025, Recall@100 up to +0.017); z-scores over
  the whole corpus or its top 1,000 (they need every record's cosine; +-0.001 with record BM25);
  powers, logs or exponentials of either score; confidence-weighted fusion (the top score's z or
  gap: up to +0.004 with chunk BM25); exact cosines for BM25-only candidates instead of the lowest
  cosine seen (+-0.001); a logistic combination of five such signals (2-fold cross-validation
  0.740 to 0.742). Sentence-pair chunks (title + two sentences, 46,872 vectors, a re-ingest)
  lifted dense to 0.703 / 0.940 and hybrid to 0.747 / 0.956: the one larger gain left, at the
  cost of re-embedding and 3.5 times the vectors. Recall@100 0.97 was reached by nothing tried:
even the union of dense top-100 and BM25 top-100 records (168 on average) holds only 0.967 of
the judged records, so no reordering of these candidates can reach it.
Tried on 2026-11-26, same harness: tokens for hyphenated compounds ("il6" beside "il", "6"),
Greek letters spelled out, one-digit tokens (-0.001 to -0.003); smoothing each record's fused
score with its 3 to 10 nearest records' (+0.003 at best, noise-sized); a precision head (fused top
10) with a recall tail interleaving dense and BM25 lists (Recall@100 at most 0.963). Deeper pools
hold more (union of both top-200s: 0.985 of judged records) but no fusion ranks them into the top
100. Everything stacked (chunk and sentence-pair dense, BM25, a dense PRF query, neighbour
smoothing; weights tuned on all of train) reaches 0.750 / 0.966, and 0.746 when the weights are
chosen on one half of the queries and measured on the other (2-fold): the target sits at the
ceiling of this model and these signals, with 3.5 times the vectors and two dense queries.

Filters are applied through the catalog: the records that match become the `record_ids` of the
dense query and a mask on BM25.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

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


class Retriever:
    """Searches one store; keeps the catalog, the chunk map and the BM25 index in memory."""

    def __init__(
        self,
        store,
        embedder,
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
        self._allowed_cache: dict = {}
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
        self, dense: dict, bm25: dict[str, float], bm25_scores: np.ndarray | None
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
        return dict(zip(ids, fused.tolist()))

    def with_params(self, **changes) -> Retriever:
        """A retriever sharing this one's indexes with other fusion settings (for tuning)."""
        other = object.__new__(Retriever)
        other.__dict__.update(self.__dict__)
        other.params = replace(self.params, **changes)
        return other


def _group(
    rows: Iterable[tuple[str, float, str]], bonus: float, known: dict
) -> dict[str, tuple[float, float, str]]:
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
