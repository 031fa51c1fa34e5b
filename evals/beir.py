"""Retrieval benchmark on a BEIR-layout folder, with the product's own ingest and Retriever.

    folder/corpus.jsonl     {"_id", "title", "text"} a line (parsed by `ingest.parse`)
    folder/queries.jsonl    {"_id", "text"} a line
    folder/qrels/*.tsv      query-id, corpus-id, score (a header line is skipped)

The corpus is ingested into its own index, `DATA_DIR/beir-<folder name>`, and reused while the
corpus file and the embedding model are unchanged (a stamp file records them). Each mode
(dense, bm25, hybrid) retrieves 100 records per query; reported per mode: nDCG@10 (graded,
`2^rel - 1` gains, as BEIR/pytrec_eval), Recall@10, Recall@100 and MRR@10, averaged over the
queries that have judgments.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kernel.errors import ParseError
from kernel.jsonl import read_rows

from .metrics import ndcg_at_k, reciprocal_rank

__all__ = ["default_qrels", "load_qrels", "load_queries", "run_beir", "score_run"]

STAMP = "beir-source.json"


def default_qrels(folder: Path) -> Path:
    for name in ("test.tsv", "train.tsv"):
        path = Path(folder) / "qrels" / name
        if path.is_file():
            return path
    raise ParseError(
        Path(folder) / "qrels",
        "expected qrels/test.tsv or qrels/train.tsv (query-id, corpus-id, score)",
    )


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query id -> {document id: relevance > 0}."""
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.reader(fh, delimiter="\t"), start=1):
            if not row or not "".join(row).strip():
                continue
            if len(row) < 3:
                raise ParseError(
                    path, f"line {line_no}: expected query-id, corpus-id and score, found {row!r}"
                )
            try:
                score = int(float(row[2]))
            except ValueError:
                if line_no == 1:
                    continue  # the header
                raise ParseError(
                    path, f"line {line_no}: expected a numeric score, found {row[2]!r}"
                ) from None
            if score > 0:
                qrels.setdefault(row[0].strip(), {})[row[1].strip()] = score
    if not qrels:
        raise ParseError(path, "expected relevance judgments, found none")
    return qrels


def load_queries(path: Path) -> dict[str, str]:
    rows = read_rows(
        path,
        lambda item: (str(item["_id"]), str(item["text"])),
        what="queries",
        fields="'_id' and 'text'",
    )
    return dict(row for _, row in rows)


def score_run(ranked: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    """Mean nDCG@10, Recall@10, Recall@100 and MRR@10 of ranked document ids per query."""
    totals = {"ndcg@10": 0.0, "recall@10": 0.0, "recall@100": 0.0, "mrr@10": 0.0}
    for qid, docs in ranked.items():
        rel = qrels[qid]
        relevant = set(rel)
        totals["ndcg@10"] += ndcg_at_k(docs, rel, 10)
        totals["recall@10"] += len(relevant & set(docs[:10])) / len(relevant)
        totals["recall@100"] += len(relevant & set(docs[:100])) / len(relevant)
        totals["mrr@10"] += reciprocal_rank(docs, relevant, 10)
    n = max(len(ranked), 1)
    return {k: round(v / n, 4) for k, v in totals.items()}


def _stamp(corpus: Path, model: str) -> dict[str, Any]:
    stat = corpus.stat()
    return {
        "corpus": str(corpus.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "model": model,
    }


def open_index(folder: Path, settings, embedder=None, note: Callable[[str], None] = lambda m: None):
    """(Retriever, number of documents) over the folder's corpus, ingesting it when needed."""
    from assistant.retrieve import Retriever
    from ingest.pipeline import ingest
    from vectorstore.store import Store

    corpus = Path(folder) / "corpus.jsonl"
    if not corpus.is_file():
        raise ParseError(corpus, "file not found; expected a BEIR corpus.jsonl")
    from vectorstore.onnx_backend import vector_family

    backend = str(settings.embedding_backend)
    suffix = (
        "" if vector_family(backend) == "fp32" else f"-{vector_family(backend)}"
    )  # int8 vectors: own index
    index_dir = Path(settings.data_dir) / f"beir-{Path(folder).resolve().name}{suffix}"
    bsettings = settings.model_copy(update={"data_dir": index_dir, "collection": "beir"})
    if embedder is None:
        from vectorstore.embedding import Embedder

        embedder = Embedder.from_settings(settings, bulk=True)
    stamp_path = index_dir / STAMP
    wanted = _stamp(corpus, settings.embedding_model)
    try:
        reusable = json.loads(stamp_path.read_text(encoding="utf-8")) == wanted
    except (OSError, json.JSONDecodeError):
        reusable = False
    store = Store.open(bsettings) if reusable else None
    if store is None or not store.stats().get("records"):
        note(f"ingesting {corpus} into {index_dir} (once; reused afterwards)")
        report = ingest(bsettings, [corpus], embedder=embedder, prune=True, quiet=True)
        if getattr(report, "errors", None):
            raise ParseError(corpus, "; ".join(report.errors[:3]))
        stamp_path.write_text(json.dumps(wanted), encoding="utf-8")
        store = Store.open(bsettings)
    else:
        note(f"reusing the index in {index_dir}")
    retriever = Retriever(store, embedder, bm25_dir=index_dir / "bm25")
    return retriever, len(retriever.record_ids)


def run_beir(
    folder: Path,
    settings,
    *,
    qrels: Path | None = None,
    limit_queries: int | None = None,
    modes: Sequence[str] = ("dense", "bm25", "hybrid"),
    embedder=None,
    retriever=None,
    note: Callable[[str], None] = lambda m: None,
) -> dict[str, dict[str, float]]:
    """{mode: {ndcg@10, recall@10, recall@100, mrr@10, queries}} for the folder's judged queries."""
    folder = Path(folder)
    qrels_path = Path(qrels) if qrels else default_qrels(folder)
    judgments = load_qrels(qrels_path)
    queries = load_queries(folder / "queries.jsonl")
    missing = [q for q in judgments if q not in queries]
    if missing:
        raise ParseError(
            folder / "queries.jsonl",
            f"{len(missing)} judged queries are missing, e.g. {missing[0]!r}",
        )
    qids = list(judgments)[:limit_queries] if limit_queries else list(judgments)
    if retriever is None:
        retriever, _ = open_index(folder, settings, embedder, note)
    results: dict[str, dict[str, float]] = {}
    for mode in modes:
        ranked = {
            qid: [h.record.id for h in retriever.search(queries[qid], k=100, mode=mode)]
            for qid in qids
        }
        results[mode] = {**score_run(ranked, judgments), "queries": len(qids)}
        note(
            f"{mode}: nDCG@10 {results[mode]['ndcg@10']:.4f} "
            f"on {len(qids)} queries ({qrels_path.name})"
        )
    return results
