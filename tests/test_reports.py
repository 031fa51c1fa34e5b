"""Full-text reports (PDF, Word, text, Markdown, HTML) become records that keep their pages."""

from __future__ import annotations

import pytest
from report_files import (
    DOCX_FINDING,
    DOCX_METHODS,
    DOCX_TITLE,
    PDF_PAGE_2,
    PDF_TITLE,
    make_docx,
    make_pdf,
    make_scanned_pdf,
)

from ingest.chunk import chunk_record
from ingest.parse import ParseError, SkippedFile, parse_file, parse_path
from ingest.parse.report import FIRST_PAGE_YEAR, year_from_first_page
from ingest.sidecar import apply_sidecars


def _words(text: str) -> int:
    return len(text.split())


def test_pdf__two_pages_become_one_record_whose_text_keeps_each_page(tmp_path):
    [record] = parse_path(make_pdf(tmp_path / "fishing.pdf"))
    assert (record.title, record.year, record.sources) == (PDF_TITLE, 2019, ("fishing.pdf",))
    assert [label for _, label in record.locations] == ["p. 1", "p. 2"]
    assert "Findings\n\nInspectors boarded" in record.abstract, (
        "a PDF heading is not read into the next sentence"
    )
    assert (
        record.locate(
            "Crew members reported passports confiscated by captains on most vessels inspected."
        )
        == "p. 2"
    )
    assert record.locate("Brokers charged fishers recruitment fees") == "p. 1"
    start, end = record.location_span("p. 2")
    assert "Songkhla" in record.abstract[start:end] and "Brokers" not in record.abstract[start:end]


def test_pdf__metadata_title_wins_over_the_first_line(tmp_path):
    [record] = parse_path(make_pdf(tmp_path / "x.pdf", title="Debt Bondage at Sea: A Field Study"))
    assert record.title == "Debt Bondage at Sea: A Field Study"


def test_pdf__without_title_or_year_falls_back_to_file_name_and_nd(tmp_path):
    [record] = parse_path(make_pdf(tmp_path / "field_notes.pdf", pages=("x", "Short.")))
    assert (record.title, record.year_label) == ("field notes", "n.d.")


def test_pdf__a_scan_without_text_layer_is_reported_by_name(tmp_path):
    path = make_scanned_pdf(tmp_path / "scanned-report.pdf")
    with pytest.raises(ParseError) as info:
        parse_path(path)
    assert str(info.value).startswith(f"{path}: scanned PDF with no text layer (2 pages")
    assert "OCR" in str(info.value)


def test_docx__headings_become_sections_and_title_year_come_from_the_document(tmp_path):
    [record] = parse_path(make_docx(tmp_path / "shelters.docx"))
    assert (record.title, record.year) == (DOCX_TITLE, 2021)
    assert record.locate(DOCX_FINDING) == "§ Findings"
    assert record.locate(DOCX_METHODS) == "§ Methods"
    assert "Findings\n\n" + DOCX_FINDING in record.abstract, (
        "a heading is not read into the next sentence"
    )


def test_text_report__form_feeds_are_pages_and_the_first_line_is_the_title(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(
        "Labour inspection notes\n\nMost garment workshops kept no written contracts.\f"
        "The notes recommend unannounced inspections at night.\n",
        encoding="utf-8",
    )
    [record] = parse_path(path)
    assert (record.title, record.year_label) == ("Labour inspection notes", "n.d.")
    assert record.locate("The notes recommend unannounced inspections at night.") == "p. 2"


def test_markdown_and_html_reports_parse(tmp_path):
    md = tmp_path / "brief.md"
    md.write_text(
        "# Labour Migration Brief\n\n© 2020 Example\n\n## Recruitment\n\nFees were charged.\n",
        encoding="utf-8",
    )
    [record] = parse_path(md)
    assert (record.title, record.year, record.locate("Fees were charged.")) == (
        "Labour Migration Brief",
        2020,
        "§ Recruitment",
    )
    html = tmp_path / "page.html"
    html.write_text(
        "<html><head><title>Online Exploitation Review</title></head><body><h1>Review</h1>"
        "<p>Published 2022.</p><p>Platforms removed few adverts.</p></body></html>",
        encoding="utf-8",
    )
    [record] = parse_path(html)
    assert (record.title, record.year) == ("Online Exploitation Review", 2022)
    assert "Platforms removed few adverts." in record.abstract


def test_a_non_library_file_is_skipped_and_an_unknown_format_rejected_in_plain_words(tmp_path):
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n")
    with pytest.raises(SkippedFile, match="not a library format"):
        parse_file(picture)
    log = tmp_path / "run.log"
    log.write_text("started\n")
    with pytest.raises(ParseError, match="not a library listing, catalog or report"):
        parse_file(log)


@pytest.mark.parametrize(("rule", "pattern", "example"), FIRST_PAGE_YEAR)
def test_first_page_year_rules_read_their_examples(rule, pattern, example):
    assert pattern.search(example), rule
    assert year_from_first_page(f"Some Title\n{example}\n") == 2019


def test_first_page_year__a_year_inside_a_sentence_is_not_the_publication_year():
    assert year_from_first_page("A Report\nIn 2015 the law changed and 300 cases followed.") is None


def test_sidecar_row_gives_title_year_and_authors_and_is_not_a_record_of_its_own(tmp_path):
    make_pdf(tmp_path / "fishing.pdf")
    sidecar = tmp_path / "catalog.csv"
    sidecar.write_text(
        "title,year,author,file\nDebt at Sea,c. 2018,Jane Doe,fishing.pdf\n"
        "Other Row,2017,,missing.pdf\n",
        encoding="utf-8",
    )
    parsed = parse_path(tmp_path / "fishing.pdf") + parse_path(sidecar)
    records, warnings = apply_sidecars(parsed)
    assert sorted(r.title for r in records) == ["Debt at Sea", "Other Row"]
    report = next(r for r in records if r.title == "Debt at Sea")
    assert (report.year, report.authors, report.metadata["year_as_written"]) == (
        2018,
        ("Jane Doe",),
        "c. 2018",
    )
    assert report.locate(PDF_PAGE_2.split("\n\n")[1].split(". ")[1]) == "p. 2", (
        "the report keeps its pages"
    )
    assert set(report.sources) == {"fishing.pdf", "catalog.csv"}
    assert len(warnings) == 1 and "missing.pdf" in warnings[0] and "line 3" in warnings[0]


def test_chunks_of_a_report_keep_the_page_they_start_on(tmp_path):
    [record] = parse_path(make_pdf(tmp_path / "fishing.pdf"))
    chunks = chunk_record(record, _words, max_tokens=24, overlap=0)
    assert len(chunks) > 2
    assert chunks[0].location == "p. 1" and chunks[-1].location == "p. 2"
    for chunk in chunks:
        piece = chunk.text.partition("\n")[2]
        assert record.location_at(record.abstract.index(piece)) == chunk.location
        page_start, page_end = record.location_span(chunk.location)
        assert page_start <= chunk.start < chunk.end <= page_end, (
            "a chunk never straddles two pages"
        )


def test_a_short_report_still_gets_one_chunk_per_page(tmp_path):
    [record] = parse_path(make_pdf(tmp_path / "fishing.pdf"))
    chunks = chunk_record(record, _words, max_tokens=200, overlap=40)
    assert [c.location for c in chunks] == ["p. 1", "p. 2"]


def test_a_long_report_is_quoted_from_the_pages_around_its_retrieved_chunk():
    from dataclasses import replace

    from assistant.answer import QUOTABLE_CHARS, quotable_text
    from assistant.models import Hit
    from kernel.models import Record

    pages = [f"Page {n} says fact number {n}. " * 80 for n in range(1, 31)]
    text, locations = "", []
    for n, page in enumerate(pages, start=1):
        locations.append((len(text), f"p. {n}"))
        text += page.strip() + "\n\n"
    record = replace(
        Record(id="r-1", title="Long"), abstract=text.strip(), locations=tuple(locations)
    )
    assert len(record.abstract) > QUOTABLE_CHARS
    quotable = quotable_text(
        Hit(record=record, score=1.0, chunk_text="Long\nPage 10 says fact number 10.")
    )
    assert (
        "fact number 9." in quotable
        and "fact number 10." in quotable
        and "fact number 11." in quotable
    )
    assert "fact number 8." not in quotable and "fact number 12." not in quotable
    short = replace(record, abstract=pages[0], locations=((0, "p. 1"),))
    assert quotable_text(Hit(record=short, score=1.0, chunk_text="Long\nPage 1")) == pages[0]
