"""Query latency: retrieval and full no-LLM answers, warm, over at least 200 queries.

    python -m benchmarks.query --corpus ../shared/datasets/scifact/corpus.jsonl \
        --queries ../shared/datasets/scifact/queries.jsonl --json

Builds the index under data/bench/<dataset>/ the first time (embedding SciFact takes minutes)
and reuses it afterwards. Prints {"retrieve_p50_ms", "retrieve_p95_ms", "answer_p50_ms",
"answer_p95_ms", ...}. Targets on 2 cores: retrieval p50 <= 40 ms, answer p50 <= 150 ms.

`query_encode_ms` times the query vector alone on each embedding backend side by side
(`--backends`, default torch,onnx,onnx-int8; one thread each, as answering runs), with the load
average after each; target <= 6 ms. `--encode-only` prints just that, without building or
opening an index. Retrieval and answers use the configured backend (ASSISTANT_EMBEDDING_BACKEND).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kernel.jsonl import read_jsonl

ROOT = Path(__file__).resolve().parent.parent


def _percentile(values: list[float], q: float) -> float:
    import numpy as np

    return round(float(np.percentile(values, q)), 1) if values else 0.0


def _queries(path: Path, n: int) -> list[str]:
    texts = (item.get("text") or item.get("question") or "" for _, item in read_jsonl(path))
    return [text for text in texts if text.strip()][:n]


def encode_times(queries: list[str], backends: list[str], warmup: int = 10) -> dict[str, dict]:
    """{backend: {p50_ms, p95_ms, mean_ms, model_load_s, load_avg_1m}} for encoding each query
    alone."""
    import os

    from vectorstore.embedding import Embedder

    out = {}
    for backend in backends:
        t0 = time.perf_counter()
        embedder = Embedder.load(threads=1, backend=backend)
        load_s = time.perf_counter() - t0
        for q in queries[:warmup]:
            embedder.encode_query(q)
        times = []
        for q in queries[warmup:]:
            t0 = time.perf_counter()
            embedder.encode_query(q)
            times.append((time.perf_counter() - t0) * 1000)
        out[backend] = {
            "p50_ms": _percentile(times, 50),
            "p95_ms": _percentile(times, 95),
            "mean_ms": round(sum(times) / len(times), 2) if times else 0.0,
            "model_load_s": round(load_s, 2),
            "load_avg_1m": round(os.getloadavg()[0], 2),
        }
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.query", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--corpus", type=Path, required=True, help="BEIR corpus.jsonl (or any library path)."
    )
    parser.add_argument(
        "--queries", type=Path, required=True, help="JSONL queries with a 'text' field."
    )
    parser.add_argument(
        "--data-dir", type=Path, help="Index folder (default data/bench/<dataset>)."
    )
    parser.add_argument(
        "-n", "--count", type=int, default=300, help="Queries to time (at least 200)."
    )
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--backends",
        default="torch,onnx,onnx-int8",
        help="Embedding backends whose query encoding is timed side by side.",
    )
    parser.add_argument(
        "--encode-only", action="store_true", help="Time query encoding only (no index)."
    )
    parser.add_argument("--json", action="store_true", help="Print only the JSON result.")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]

    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    if args.encode_only:
        encode = encode_times(
            _queries(args.queries, args.count + args.warmup), backends, args.warmup
        )
        print(json.dumps({"query_encode_ms": encode}, indent=None if args.json else 2))
        return {"query_encode_ms": encode}
    from assistant.service import Assistant
    from kernel.settings import Settings
    from vectorstore.embedding import Embedder
    from vectorstore.store import Store

    data_dir = args.data_dir or ROOT / "data" / "bench" / args.corpus.resolve().parent.name
    settings = Settings(data_dir=data_dir)
    embedder = Embedder.from_settings(settings)
    store = Store.open(settings)
    built = False
    if not store.stats().get("records"):
        from ingest.pipeline import ingest

        t0 = time.perf_counter()
        ingest(settings, [args.corpus], embedder=embedder, quiet=args.json)
        built = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    assistant = Assistant.from_settings(settings, embedder=embedder)
    open_s = round(time.perf_counter() - t0, 2)
    queries = _queries(args.queries, args.count + args.warmup)
    warm, timed = queries[: args.warmup], queries[args.warmup :]
    for q in warm:
        assistant.ask(q)
    retrieve_ms, answer_ms, abstained = [], [], 0
    for q in timed:
        t0 = time.perf_counter()
        assistant.retriever.search(q, k=settings.top_k)
        retrieve_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        answer = assistant.ask(q)
        answer_ms.append((time.perf_counter() - t0) * 1000)
        abstained += answer.abstained
    result = {
        "retrieve_p50_ms": _percentile(retrieve_ms, 50),
        "retrieve_p95_ms": _percentile(retrieve_ms, 95),
        "answer_p50_ms": _percentile(answer_ms, 50),
        "answer_p95_ms": _percentile(answer_ms, 95),
        "queries": len(timed),
        "abstained": abstained,
        "records": store.stats().get("records"),
        "index_built_s": built,
        "assistant_open_s": open_s,
        "backend": settings.embedding_backend.value,
        "query_encode_ms": encode_times(queries, backends, args.warmup),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
