"""Page citations: does the page a citation names hold the sentence the answer quotes from it?

    python -m evals.pages [--questions evals/questions/reports.jsonl] [--json]

The eval library is made here, from text: a four-page PDF (written with fpdf2, from the [test]
extra), a Word .docx with sections and a .txt report whose pages are separated by form feeds
(`write_reports`). It is ingested into a temporary index with the product's pipeline, every
question of the set is asked, and two metrics are reported:

    page_support   of every (answer sentence, report citation) pair, the share where the quoted
                   sentence stands on one of the pages or sections the citation names (read from
                   the stored record's own text, never from the answer);
    gold_location  of the questions, the share whose citation of the gold record names the gold
                   page or section.

A question line: {"id", "question", "gold": title, "gold_location": "p. 3" | "§ Findings"}.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kernel.jsonl import read_jsonl

__all__ = ["PDF_PAGES", "PageScore", "page_support", "run", "score_answer", "write_reports"]

QUESTIONS = Path(__file__).resolve().parent / "questions" / "reports.jsonl"
PDF_TITLE = "Labour Exploitation in Conflict-Affected Fisheries"
PDF_PAGES = (
    f"{PDF_TITLE}\n\nPublished June 2020\n\n"
    "This study follows migrant crews recruited for fishing fleets operating near conflict zones. "
    "Recruiters in border towns promised wages that were never paid once the vessels left port.",
    "Recruitment\n\n"
    "Brokers charged each fisher a fee equal to four months of wages before departure. "
    "Fishers who could not repay the fee were transferred between vessels without consent.",
    "Conditions at sea\n\n"
    "Crew members worked twenty-hour shifts during the peak season on distant-water trawlers. "
    "Captains kept the identity documents of the crew in a locked safe on the bridge.",
    "Recommendations\n\n"
    "Port authorities should inspect crew lists against contracts whenever a vessel returns. "
    "Flag states should share vessel inspection records with the countries that send workers.",
)
DOCX_TITLE = "Shelter Services for Survivors of Trafficking"
DOCX_SECTIONS = (
    ("Methods", "We interviewed the staff of twelve shelters across three regions in 2021."),
    (
        "Findings",
        "Shelters with trauma-informed staff kept survivors in support programmes for longer.",
    ),
    (
        "Funding",
        "Most shelters relied on short grants that ended before survivors finished vocational "
        "training.",
    ),
)
TEXT_TITLE = "Garment Workshop Inspection Notes"
TEXT_PAGES = (
    f"{TEXT_TITLE}\n\nInspectors found that most garment workshops kept no written contracts.",
    "The notes recommend unannounced inspections of workshops at night.",
)


def write_reports(folder: Path) -> list[Path]:
    """The eval library: the PDF, the .docx and the .txt report, written into `folder`."""
    try:
        from fpdf import FPDF
    except ImportError as exc:  # pragma: no cover - in the [test] extra
        raise SystemExit(
            "the page evaluation writes its PDF with fpdf2: pip install -e '.[test]'"
        ) from exc
    import docx

    folder.mkdir(parents=True, exist_ok=True)
    pdf = FPDF()
    pdf.set_title(PDF_TITLE)
    pdf.set_font("Helvetica", size=11)
    for text in PDF_PAGES:
        pdf.add_page()
        pdf.multi_cell(0, 7, text)
    pdf.output(str(folder / "fisheries.pdf"))
    document = docx.Document()
    document.add_heading(DOCX_TITLE, 0)
    document.add_paragraph("Copyright 2022 Example Foundation")
    for heading, text in DOCX_SECTIONS:
        document.add_heading(heading, 1)
        document.add_paragraph(text)
    document.save(str(folder / "shelters.docx"))
    (folder / "workshops.txt").write_text("\f".join(TEXT_PAGES), encoding="utf-8")
    return [folder / "fisheries.pdf", folder / "shelters.docx", folder / "workshops.txt"]


@dataclass
class PageScore:
    """One answer: its report citations' (sentence, citation) pairs and whether each page holds the
    quote."""

    id: str
    question: str
    pairs: int
    supported: int
    gold_location: bool | None
    cited: list[str]


def _core(sentence: str) -> str:
    from assistant.guard import strip_markers

    return strip_markers(sentence).strip().strip("\"“”'‘’«»").strip()


def _on_pages(record: Any, locations: Sequence[str], sentence: str) -> bool:
    words = sentence.rstrip(".…").split()
    if not words:
        return False
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    for location in locations:
        span = record.location_span(location)
        if span and pattern.search(record.abstract[span[0] : span[1]]):
            return True
    return False


def score_answer(item: dict, answer: Any) -> PageScore:
    """Check every sentence that cites a report against the pages its citation names."""
    by_n = {c.n: c for c in answer.citations}
    pairs = supported = 0
    for verdict in answer.verdicts:
        sentence = _core(verdict.sentence)
        for n in verdict.markers:
            citation = by_n.get(n)
            if citation is None or not citation.record.locations or not sentence:
                continue
            pairs += 1
            supported += _on_pages(citation.record, citation.locations, sentence)
    gold = [c for c in answer.citations if c.record.title == item["gold"]]
    gold_ok = (
        bool(gold) and item["gold_location"] in gold[0].locations
        if "gold_location" in item
        else None
    )
    return PageScore(
        item["id"], item["question"], pairs, supported, gold_ok, [c.label for c in answer.citations]
    )


def page_support(scores: Sequence[PageScore]) -> dict[str, Any]:
    pairs = sum(s.pairs for s in scores)
    golds = [s.gold_location for s in scores if s.gold_location is not None]
    return {
        "questions": len(scores),
        "pairs": pairs,
        "page_support": round(sum(s.supported for s in scores) / pairs, 3) if pairs else None,
        "gold_location": round(sum(golds) / len(golds), 3) if golds else None,
    }


def load_questions(path: Path = QUESTIONS) -> list[dict]:
    return [item for _, item in read_jsonl(path, what="questions")]


def run(
    questions: Sequence[dict], embedder: Any = None, work: Path | None = None
) -> dict[str, Any]:
    """Write the eval library, ingest it into a temporary index, ask every question, score the
    pages."""
    from assistant.service import Assistant
    from ingest.pipeline import ingest
    from kernel.settings import Settings

    folder = Path(work or tempfile.mkdtemp(prefix="eval-pages-"))
    try:
        files = write_reports(folder / "library")
        settings = Settings(data_dir=folder / "index")
        report = ingest(settings, files, embedder=embedder, quiet=True)
        if report.errors:
            raise SystemExit(f"the eval library did not ingest: {report.errors}")
        assistant = Assistant.from_settings(settings, embedder=embedder)
        scores = [score_answer(item, assistant.ask(item["question"])) for item in questions]
        return {**page_support(scores), "per_question": [asdict(s) for s in scores]}
    finally:
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    parser = argparse.ArgumentParser(
        prog="python -m evals.pages", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    result = run(load_questions(args.questions))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(
            f"page_support {result['page_support']} over {result['pairs']} cited sentences; "
            f"gold_location {result['gold_location']} over {result['questions']} questions"
        )


if __name__ == "__main__":
    main()
