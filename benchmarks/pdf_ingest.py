"""PDF ingest speed in pages per second: reading the text layer alone, and the whole pipeline.

    python -m benchmarks.pdf_ingest --pages 100 --json

A PDF of `--pages` pages is written (fpdf2, from the [test] extra) with about 300 words a page
taken from the sample library's abstracts, then
    parse    = pypdf reads every page's text and the report record is built (`parse_path`);
    ingest   = the whole pipeline into a fresh temporary index: parse, chunk, embed with the
               bundled model, write catalog + Chroma (the model dominates).
Both are medians over `--repeats` runs; a warm model is loaded once before timing.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import _util

ROOT = Path(__file__).resolve().parent.parent


def _page_texts(pages: int, words: int = 300) -> list[str]:
    from ingest.parse import iter_library_files, parse_path

    pool: list[str] = []
    for path in iter_library_files([ROOT / "data" / "library"]):
        pool += " ".join(r.abstract for r in parse_path(path)).split()
    text = []
    for page in range(pages):
        start = (page * words) % max(1, len(pool) - words)
        text.append(" ".join(pool[start : start + words]))
    return text


def make_pdf(path: Path, pages: int) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for text in _page_texts(pages):
        pdf.add_page()
        pdf.multi_cell(0, 5, text.encode("latin-1", "replace").decode("latin-1"))
    pdf.output(str(path))
    return path


def run(pages: int, repeats: int) -> dict[str, Any]:
    from ingest.parse import parse_path
    from ingest.pipeline import ingest
    from kernel.settings import Settings
    from vectorstore.embedding import Embedder

    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        pdf = make_pdf(work / "report.pdf", pages)
        parse_s: list[float] = []
        ingest_s: list[float] = []
        for _ in range(repeats):
            with _util.timed(parse_s):
                [record] = parse_path(pdf)
        settings = Settings(data_dir=work / "warm")
        embedder = Embedder.from_settings(settings, bulk=True)
        embedder.encode(["warm up"] * 8)
        chunks = 0
        for i in range(repeats):
            with _util.timed(ingest_s):
                report = ingest(
                    Settings(data_dir=work / f"index-{i}"), [pdf], embedder=embedder, quiet=True
                )
            if report.errors or report.added != 1:
                raise SystemExit(f"ingest went wrong: {report.to_json()}")
            chunks = report.chunks_embedded
            _util.log(
                f"run {i + 1}/{repeats}: parse {parse_s[i]:.2f} s, ingest {ingest_s[-1]:.1f} s"
            )
        return {
            "pages": pages,
            "pages_read": len(record.locations),
            "words": len(record.abstract.split()),
            "parse_pages_per_s": round(pages / _util.median(parse_s), 1),
            "ingest_pages_per_s": round(pages / _util.median(ingest_s), 2),
            "chunks": chunks,
            "parse_seconds": [round(s, 3) for s in parse_s],
            "ingest_seconds": [round(s, 2) for s in ingest_s],
            "pdf_bytes": pdf.stat().st_size,
            **_util.machine(),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = _util.parser("pdf_ingest", __doc__)
    parser.add_argument("--pages", type=int, default=100, help="pages of the generated PDF")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each measurement")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    if args.pages < 1 or args.repeats < 1:
        parser.error("--pages and --repeats must be at least 1")
    _util.emit(run(args.pages, args.repeats), args.json)


if __name__ == "__main__":
    main()
