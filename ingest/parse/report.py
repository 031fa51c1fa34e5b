"""Full-text reports: PDF, Word (.docx), plain text, Markdown and HTML files become one record each.

    title      the document's own metadata title (PDF /Title, .docx core properties, HTML <title>),
               else its first heading or first short line, else the file name
    year       a year the first page states (FIRST_PAGE_YEAR rules: "© 2019", "Published March
               2019", a line that is only "March 2019" or "2019"), else unknown ("n.d."); file
               dates (creation, modification) say when the file was made, not published, and are
               never used. A sidecar catalog row (ingest/sidecar.py) overrides title and year.
    text       the whole text becomes the record's `abstract` (spaces collapsed, paragraphs
               kept) and
    locations  where each page ("p. 3": PDF pages, form feeds in a .txt) or section ("§ Findings":
               .docx and Markdown headings) starts in it, so chunks and citations keep their page.

A PDF whose pages hold no text (a scan without a text layer) is a `ParseError` saying so.
PDFs are read with pypdf (BSD licence); Word files with python-docx.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingest.parse.common import html_to_text, make_record
from kernel.errors import ParseError
from kernel.models import Record

__all__ = [
    "FIRST_PAGE_YEAR",
    "parse_docx",
    "parse_html_report",
    "parse_pdf",
    "parse_text_report",
    "year_from_first_page",
]

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_Y = r"((?:19|20)\d{2})(?!\d)"

FIRST_PAGE_YEAR: list[tuple[str, re.Pattern[str], str]] = [
    # (rule, pattern over the first page's lines, an example line it reads)
    (
        "copyright",
        re.compile(rf"(?:©|\(c\)|copyright)\s*(?:{_MONTHS})?\s*{_Y}", re.I),
        "© 2019 United Nations",
    ),
    (
        "published",
        re.compile(
            rf"\b(?:published|publication date|issued|released)\b[^0-9\n]{{0,30}}"
            rf"(?:\d{{1,2}}\s+)?(?:(?:{_MONTHS})\.?\s+)?(?:\d{{1,2}},?\s+)?{_Y}",
            re.I,
        ),
        "Published in March 2019",
    ),
    (
        "date line",
        re.compile(
            rf"^\s*(?:\d{{1,2}}\s+)?(?:(?:{_MONTHS})\.?\s+)?(?:\d{{1,2}},?\s+)?{_Y}\s*$", re.I
        ),
        "March 2019",
    ),
]
"""Rules tried in order on the first page; the first that matches gives the year."""

_JUNK_TITLES = re.compile(
    r"^(untitled|microsoft word\b.*|document\d*|title|.*\.(docx?|pdf|txt|rtf|odt))$", re.I
)


def year_from_first_page(text: str) -> int | None:
    """The year the first page states (see FIRST_PAGE_YEAR), else None."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:60]
    for _, pattern, _ in FIRST_PAGE_YEAR:
        for line in lines:
            match = pattern.search(line)
            if match:
                return int(match.group(1))
    return None


def _good_title(value: Any) -> str | None:
    text = " ".join(str(value or "").split())
    if len(text) < 3 or len(text) > 250 or _JUNK_TITLES.match(text):
        return None
    return text


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return _good_title(line) if len(line) <= 150 and len(line.split()) >= 2 else None
    return None


def _is_heading(line: str, following: str) -> bool:
    """A short line without end punctuation before a line that starts a sentence ("Findings" above
    "Inspectors boarded..."): PDF text layers rarely mark headings with a blank line."""
    words = line.split()
    return (
        0 < len(words) <= HEADING_WORDS
        and line[0].isupper()
        and line[-1] not in ".,;:!?-–—"
        and following[:1].isupper()
    )


HEADING_WORDS = 8


def _tidy(text: str) -> str:
    """Spaces collapsed within lines; blank lines (paragraph breaks) kept, at most one in a row; a
    heading line set apart by a blank line, so it is not read into the sentence after it."""
    lines = [" ".join(line.split()) for line in text.replace("\f", "\n").splitlines()]
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 < len(lines) and lines[i + 1] and _is_heading(line, lines[i + 1]):
            out.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _record(
    path: Path,
    parts: Iterable[tuple[str | None, str]],
    *,
    title: str | None,
    year: int | None,
    authors: Iterable[str] = (),
    fmt: str,
    extra: dict[str, Any] | None = None,
) -> Record:
    """A record whose abstract is the parts' texts (paragraphs kept apart by blank lines, so a
    heading is not read into the sentence after it), each (label, text) part a location."""
    text, locations = "", []
    for label, part in parts:
        part = _tidy(part)
        if not part:
            continue
        if text:
            text += "\n\n"
        if label and (not locations or locations[-1][1] != label):
            locations.append((len(text), label))
        text += part
    record = make_record(
        path,
        title=title or path.stem.replace("_", " ").strip() or path.name,
        year=year,
        authors=authors,
        metadata={"format": fmt, "file": path.name, **(extra or {})},
    )
    return replace(record, abstract=text, locations=tuple(locations))


def parse_pdf(path: Path) -> Record:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise ParseError(path, "reading PDFs needs pypdf: pip install pypdf") from exc
    import logging

    logging.getLogger("pypdf").setLevel(
        logging.ERROR
    )  # malformed-but-readable files warn on every page
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(
                path, "the PDF is password-protected; save an unprotected copy and ingest that"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except ParseError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ParseError(
            path, f"not a readable PDF ({type(exc).__name__}: {str(exc)[:120]})"
        ) from exc
    if not pages:
        raise ParseError(path, "the PDF has no pages")
    if not any(p.strip() for p in pages):
        raise ParseError(
            path,
            f"scanned PDF with no text layer ({len(pages)} page{'s' if len(pages) != 1 else ''}, "
            "no text to read); run OCR on it (e.g. ocrmypdf) and ingest the result",
        )
    first = next(p for p in pages if p.strip())
    title = _good_title(info.get("/Title")) or _first_line_title(first)
    authors = [
        a.strip() for a in re.split(r";|\band\b", str(info.get("/Author") or "")) if a.strip()
    ]
    empty = [str(i) for i, p in enumerate(pages, start=1) if not p.strip()]
    extra = {"pages": len(pages), **({"pages_without_text": ", ".join(empty)} if empty else {})}
    return _record(
        path,
        ((f"p. {i}", p) for i, p in enumerate(pages, start=1)),
        title=title,
        year=year_from_first_page(first),
        authors=authors,
        fmt="pdf",
        extra=extra,
    )


def parse_docx(path: Path) -> Record:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise ParseError(
            path, "reading Word files needs python-docx: pip install python-docx"
        ) from exc
    import zipfile

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ParseError(
            path, "not a readable Word .docx file (an old .doc must be saved as .docx first)"
        ) from exc
    parts: list[tuple[str | None, str]] = []
    section: str | None = None
    heading_title = None
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style == "Title" and heading_title is None:
            heading_title = text
            continue
        if style.startswith("Heading"):
            heading_title = heading_title or text
            section = f"§ {' '.join(text.split())[:80]}"
        parts.append((section, text))
    if not parts:
        raise ParseError(path, "the Word file holds no text")
    props = document.core_properties
    title = _good_title(props.title) or _good_title(heading_title) or _first_line_title(parts[0][1])
    first_page = "\n".join(text for _, text in parts[:30])
    authors = [a.strip() for a in re.split(r";", props.author or "") if a.strip()]
    return _record(
        path, parts, title=title, year=year_from_first_page(first_page), authors=authors, fmt="docx"
    )


_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")


def parse_text_report(path: Path, text: str) -> Record:
    """A .txt (form feeds separate pages) or Markdown (# headings start sections) report."""
    markdown = path.suffix.casefold() in {".md", ".markdown"}
    parts: list[tuple[str | None, str]] = []
    title = None
    if markdown:
        section, lines = None, []
        for line in text.splitlines():
            heading = _MD_HEADING.match(line)
            if heading:
                parts.append((section, "\n".join(lines)))
                lines = []
                name = heading.group(2).strip()
                if heading.group(1) == "#" and title is None:
                    title = _good_title(name)
                section = f"§ {name[:80]}"
            lines.append(heading.group(2) if heading else line)
        parts.append((section, "\n".join(lines)))
    elif "\f" in text:
        parts = [(f"p. {i}", page) for i, page in enumerate(text.split("\f"), start=1)]
    else:
        parts = [(None, text)]
    first = next((p for _, p in parts if p.strip()), text)
    title = title or _first_line_title(first)
    return _record(
        path,
        parts,
        title=title,
        year=year_from_first_page(first),
        fmt="markdown" if markdown else "text",
    )


def parse_html_report(path: Path, markup: str) -> Record:
    """An HTML report: <title> (else its first line) as the title, the visible text as one part."""
    match = re.search(r"<title[^>]*>(.*?)</title>", markup, re.I | re.S)
    import html

    title = _good_title(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))) if match else None
    text = html_to_text(markup)
    return _record(
        path,
        [(None, text)],
        title=title or _first_line_title(text),
        year=year_from_first_page(text),
        fmt="html",
    )
