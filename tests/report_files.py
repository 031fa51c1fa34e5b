"""Report files the tests make themselves: a two-page PDF (written with fpdf2), a scanned PDF
without a text layer, a Word .docx with headings, and a Markdown report with sections."""

from __future__ import annotations

from pathlib import Path

PDF_TITLE = "Forced Labour in Fishing Fleets"
PDF_PAGE_1 = (
    "Forced Labour in Fishing Fleets\n\nPublished March 2019\n\n"
    "This report examines the recruitment of migrant fishers in Southeast Asia. "
    "Brokers charged fishers recruitment fees that created debt bondage on distant-water vessels."
)
PDF_PAGE_2 = (
    "Findings\n\nInspectors boarded forty vessels in the port of Songkhla during 2018. "
    "Crew members reported passports confiscated by captains on most vessels inspected."
)
DOCX_TITLE = "Shelter Services for Survivors"
DOCX_METHODS = "We interviewed the staff of twelve shelters across three regions."
DOCX_FINDING = (
    "Shelters with trauma-informed staff reported higher retention of survivors in "
    "support programmes."
)


def make_pdf(
    path: Path, pages: tuple[str, ...] = (PDF_PAGE_1, PDF_PAGE_2), title: str | None = None
) -> Path:
    """A PDF with one page per text (a real text layer, as a word processor exports it)."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def make_scanned_pdf(path: Path) -> Path:
    """Two pages holding only a picture (a scan): no text layer."""
    from fpdf import FPDF
    from PIL import Image

    picture = path.with_suffix(".png")
    Image.new("L", (60, 80), color=200).save(picture)
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(str(picture), x=10, y=10, w=100)
    pdf.output(str(path))
    picture.unlink()
    return path


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(DOCX_TITLE, 0)
    document.add_paragraph("Copyright 2021 Example Foundation")
    document.add_heading("Methods", 1)
    document.add_paragraph(DOCX_METHODS)
    document.add_heading("Findings", 1)
    document.add_paragraph(DOCX_FINDING)
    document.save(str(path))
    return path
