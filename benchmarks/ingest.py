"""How much the ingest pipeline adds to the embedding model's own cost, per embedding backend.

    python -m benchmarks.ingest --corpus ../shared/datasets/scifact/corpus.jsonl --limit 300 --json

Each backend (`--backends`, default torch,onnx,onnx-int8) is measured in the same run, one after
the other, with every core (as ingest runs); `backends.<name>` holds its figures and
`raw_speedup_vs_torch` compares the encode rates (target for onnx-int8: >= 2x on 2 cores).
The load average is taken at the end of each backend's runs (`load_avg_1m`).

raw    = the model's `encode()` on exactly the texts the pipeline embeds (the chunk texts it
         produces for these documents), same process, same batch size, warm model;
ingest = the whole pipeline (parse, merge, hash, chunk, embed, write catalog + Chroma) into a
         fresh temporary index.
Runs alternate raw/ingest order (raw first, then ingest first, ...) and report medians, so that
neither side benefits from going second. Target: ratio = ingest/raw docs per second >= 0.85.
On a shared, loaded machine the two timings are noisy; `pipeline_overhead_seconds` (the same
pipeline with an encoder that costs nothing) and `ratio_from_overhead` = raw / (raw + overhead)
are steadier.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import _util

BACKENDS = ("torch", "onnx", "onnx-int8")


def _subset(corpus: Path, limit: int, folder: Path) -> Path:
    """The first `limit` documents of the corpus, as a file of the same format."""
    out = folder / f"corpus-{limit}{corpus.suffix}"
    with corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n >= limit:
                break
            dst.write(line)
    return out


def _pipeline_texts(path: Path, settings: Any, embedder: Any) -> tuple[int, list[str]]:
    from ingest.chunk import chunk_record
    from ingest.merge import merge_records
    from ingest.parse import parse_path

    records = merge_records(parse_path(path)).records
    texts = [
        c.text
        for r in records
        for c in chunk_record(r, embedder, settings.chunk_tokens, settings.chunk_overlap)
    ]
    return len(records), texts


class _FreeEncoder:
    """The real tokenizer (chunking is part of the pipeline) with random unit vectors instead of the
    model."""

    def __init__(self, embedder: Any) -> None:
        self.tokenizer, self.max_tokens, self.name = (
            embedder.tokenizer,
            embedder.max_tokens,
            embedder.name,
        )
        self.count_tokens = embedder.count_tokens
        self.dimension = embedder.dimension

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False):
        import numpy as np

        vectors = (
            np.random.default_rng(0).normal(size=(len(texts), self.dimension)).astype(np.float32)
        )
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _one_backend(subset: Path, work: Path, backend: str, repeats: int) -> dict[str, Any]:
    from ingest.pipeline import ingest
    from kernel.settings import Settings
    from vectorstore.embedding import Embedder

    settings = Settings(data_dir=work / f"warm-{backend}", embedding_backend=backend)
    load_began = time.perf_counter()
    embedder = Embedder.from_settings(settings, bulk=True)
    load_s = time.perf_counter() - load_began
    docs, texts = _pipeline_texts(subset, settings, embedder)
    embedder.encode(texts[:64], batch_size=settings.embed_batch_size)  # warm-up
    raw_s: list[float] = []
    ingest_s: list[float] = []
    chunks = 0

    def raw() -> None:
        with _util.timed(raw_s):
            embedder.encode(texts, batch_size=settings.embed_batch_size)

    def pipeline(i: int) -> None:
        nonlocal chunks
        run_settings = settings.model_copy(update={"data_dir": work / f"index-{backend}-{i}"})
        with _util.timed(ingest_s):
            report = ingest(run_settings, [subset], embedder=embedder, quiet=True)
        if report.errors or report.added != docs:
            raise SystemExit(f"ingest went wrong: {report.to_json()}")
        chunks = report.chunks_embedded

    for i in range(repeats):
        order = (raw, partial(pipeline, i)) if i % 2 == 0 else (partial(pipeline, i), raw)
        for step in order:
            step()
        _util.log(
            f"{backend} run {i + 1}/{repeats}: raw {raw_s[-1]:.1f} s, ingest {ingest_s[-1]:.1f} s"
        )
    # The pipeline's own cost, without the model's: the same run with an encoder that costs nothing.
    overhead_s: list[float] = []
    with _util.timed(overhead_s):
        ingest(
            settings.model_copy(update={"data_dir": work / f"overhead-{backend}"}),
            [subset],
            embedder=_FreeEncoder(embedder),
            quiet=True,
        )
    raw_rate = docs / _util.median(raw_s)
    ingest_rate = docs / _util.median(ingest_s)
    return {
        "raw_encode_docs_per_s": round(raw_rate, 2),
        "ingest_docs_per_s": round(ingest_rate, 2),
        "ratio": round(ingest_rate / raw_rate, 3),
        "docs": docs,
        "texts_embedded": len(texts),
        "chunks_written": chunks,
        "model_load_s": round(load_s, 2),
        "pipeline_overhead_seconds": round(overhead_s[0], 2),
        "ratio_from_overhead": round(
            _util.median(raw_s) / (_util.median(raw_s) + overhead_s[0]), 3
        ),
        "raw_seconds": [round(s, 2) for s in raw_s],
        "ingest_seconds": [round(s, 2) for s in ingest_s],
        **_util.machine(),
    }


def run(
    corpus: Path, limit: int, repeats: int, backends: Sequence[str] = BACKENDS
) -> dict[str, Any]:
    from kernel.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        subset = _subset(corpus, limit, work)
        results = {backend: _one_backend(subset, work, backend, repeats) for backend in backends}
        out: dict[str, Any] = {"backends": results}
        if "torch" in results:
            torch_rate = results["torch"]["raw_encode_docs_per_s"]
            out["raw_speedup_vs_torch"] = {
                b: round(r["raw_encode_docs_per_s"] / torch_rate, 2)
                for b, r in results.items()
                if b != "torch"
            }
        out.update(batch_size=Settings().embed_batch_size, repeats=repeats, corpus=str(corpus))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = _util.parser("ingest", __doc__)
    parser.add_argument(
        "--corpus", type=Path, required=True, help="a BEIR corpus.jsonl or any library file"
    )
    parser.add_argument(
        "--limit", type=int, default=300, help="documents taken from the start of the corpus"
    )
    parser.add_argument(
        "--repeats", type=int, default=2, help="raw/ingest pairs, alternating which goes first"
    )
    parser.add_argument(
        "--backends",
        default=",".join(BACKENDS),
        help="embedding backends to measure side by side (comma-separated)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if not backends or set(backends) - set(BACKENDS):
        parser.error(f"--backends: choose from {', '.join(BACKENDS)}")
    if not args.corpus.is_file():
        parser.error(f"--corpus: no such file {args.corpus}")
    if args.limit < 1 or args.repeats < 1:
        parser.error("--limit and --repeats must be at least 1")
    _util.emit(run(args.corpus, args.limit, args.repeats, backends), args.json)


if __name__ == "__main__":
    main()
