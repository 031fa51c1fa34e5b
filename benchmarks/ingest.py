"""How much the ingest pipeline adds to the embedding model's own cost.

    python -m benchmarks.ingest --corpus ../shared/datasets/scifact/corpus.jsonl --limit 300 --json

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

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import _util


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
    texts = [c.text for r in records for c in chunk_record(r, embedder, settings.chunk_tokens, settings.chunk_overlap)]
    return len(records), texts


class _FreeEncoder:
    """The real tokenizer (chunking is part of the pipeline) with random unit vectors instead of the model."""

    def __init__(self, embedder: Any) -> None:
        self.tokenizer, self.max_tokens, self.name = embedder.tokenizer, embedder.max_tokens, embedder.name
        self.count_tokens = embedder.count_tokens
        self.dimension = embedder.dimension

    def encode(self, texts: list[str], batch_size: int = 32, progress: bool = False):
        import numpy as np

        vectors = np.random.default_rng(0).normal(size=(len(texts), self.dimension)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def run(corpus: Path, limit: int, repeats: int) -> dict[str, Any]:
    from assistant.settings import Settings
    from ingest.pipeline import ingest
    from vectorstore.embedding import Embedder

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        subset = _subset(corpus, limit, work)
        settings = Settings(data_dir=work / "warm")
        embedder = Embedder.from_settings(settings, bulk=True)
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
            run_settings = Settings(data_dir=work / f"index-{i}")
            with _util.timed(ingest_s):
                report = ingest(run_settings, [subset], embedder=embedder, quiet=True)
            if report.errors or report.added != docs:
                raise SystemExit(f"ingest went wrong: {report.to_json()}")
            chunks = report.chunks_embedded

        for i in range(repeats):
            order = (raw, lambda: pipeline(i)) if i % 2 == 0 else (lambda: pipeline(i), raw)
            for step in order:
                step()
            _util.log(f"run {i + 1}/{repeats}: raw {raw_s[-1]:.1f} s, ingest {ingest_s[-1]:.1f} s")
        # The pipeline's own cost, without the model's: the same run with an encoder that costs nothing.
        overhead_s: list[float] = []
        with _util.timed(overhead_s):
            ingest(Settings(data_dir=work / "overhead"), [subset], embedder=_FreeEncoder(embedder), quiet=True)
        raw_rate = docs / _util.median(raw_s)
        ingest_rate = docs / _util.median(ingest_s)
        return {
            "raw_encode_docs_per_s": round(raw_rate, 2),
            "ingest_docs_per_s": round(ingest_rate, 2),
            "ratio": round(ingest_rate / raw_rate, 3),
            "docs": docs,
            "texts_embedded": len(texts),
            "chunks_written": chunks,
            "batch_size": settings.embed_batch_size,
            "repeats": repeats,
            "pipeline_overhead_seconds": round(overhead_s[0], 2),
            "ratio_from_overhead": round(_util.median(raw_s) / (_util.median(raw_s) + overhead_s[0]), 3),
            "raw_seconds": [round(s, 2) for s in raw_s],
            "ingest_seconds": [round(s, 2) for s in ingest_s],
            "corpus": str(corpus),
            **_util.machine(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    _util.start()
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a BEIR corpus.jsonl or any library file")
    parser.add_argument("--limit", type=int, default=300, help="documents taken from the start of the corpus")
    parser.add_argument("--repeats", type=int, default=2, help="raw/ingest pairs, alternating which goes first")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        parser.error(f"--corpus: no such file {args.corpus}")
    if args.limit < 1 or args.repeats < 1:
        parser.error("--limit and --repeats must be at least 1")
    _util.emit(run(args.corpus, args.limit, args.repeats), args.json)


if __name__ == "__main__":
    main()
