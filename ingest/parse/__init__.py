"""Parsers: one library file -> its un-merged Records.

    parse_file(path)            dispatch by extension and content -> ParsedFile(records, warnings):
      .pdf / .docx              report.parse_pdf / report.parse_docx (one full-text record)
      .csv                      csv_catalog.parse_csv (title-less rows skipped with a warning)
      .json                     catalog.parse_json (an array of objects)
      .jsonl / .ndjson          beir (objects with `_id` and `text`) or catalog.parse_jsonl
      anything else (text)      listing.parse_listing (seeds 000, 002-004) or
                                record_page.parse_record_page (seed 001), else a report
                                (.txt, .md, .html: report.parse_text_report / parse_html_report)
    parse_path(path)            parse_file(path).records
    iter_library_files(paths)   the files under the given files and folders

Text files are UTF-8 (with or without a byte-order mark); a CSV, .txt or .md file that is not
UTF-8 is read as Windows-1252 (Latin-1 where that has no character). Every failure is a
`ParseError` naming the file and what was expected; a file of a format that is no library
format (an image, a spreadsheet) is a `SkippedFile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.parse.beir import is_beir, parse_beir_items
from ingest.parse.catalog import parse_json, parse_jsonl
from ingest.parse.common import html_to_text
from ingest.parse.csv_catalog import parse_csv
from ingest.parse.listing import looks_like_listing, parse_listing
from ingest.parse.record_page import looks_like_record_page, parse_record_page
from ingest.parse.report import parse_docx, parse_html_report, parse_pdf, parse_text_report
from kernel.errors import ParseError
from kernel.jsonl import read_jsonl
from kernel.models import Record

__all__ = [
    "ParseError",
    "ParsedFile",
    "SkippedFile",
    "iter_library_files",
    "parse_file",
    "parse_path",
    "read_text",
]

EXPECTED = (
    "not a library listing, catalog or report: expected a PDF, a Word .docx, a text, Markdown or "
    "HTML report or page, a .csv/.json/.jsonl catalog or a BEIR corpus.jsonl"
)
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
LEGACY_ENCODING_SUFFIXES = {".csv", ".tsv", ".txt", ".text", ".md", ".markdown"}
NOT_LIBRARY_SUFFIXES = {
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".webp",
    ".svg",
    ".ico",
    ".heic",
    ".zip",
    ".gz",
    ".tgz",
    ".bz2",
    ".xz",
    ".7z",
    ".rar",
    ".tar",
    ".xls",
    ".xlsx",
    ".ods",
    ".doc",
    ".odt",
    ".rtf",
    ".ppt",
    ".pptx",
    ".odp",
    ".pages",
    ".key",
    ".numbers",
    ".mp3",
    ".mp4",
    ".wav",
    ".mov",
    ".avi",
    ".exe",
    ".dll",
    ".so",
    ".pyc",
    ".db",
    ".sqlite",
    ".sqlite3",
}
_SAVE_AS = {
    ".xls": "save it as CSV",
    ".xlsx": "save it as CSV",
    ".ods": "save it as CSV",
    ".doc": "save it as .docx",
    ".odt": "save it as .docx",
    ".rtf": "save it as .docx",
    ".tif": "run OCR on it and save a PDF",
    ".tiff": "run OCR on it and save a PDF",
}


class SkippedFile(ParseError):
    """A file of a format that is no library format (an image, an archive, a spreadsheet)."""


@dataclass
class ParsedFile:
    """What one file gave: its un-merged records and warnings about rows that were skipped."""

    records: list[Record]
    warnings: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    """The file's text; ParseError when it is missing, binary, undecodable or empty.

    UTF-8 (a byte-order mark is dropped); a CSV, .txt or .md file that is not UTF-8 is read as
    Windows-1252, or Latin-1 when it holds a byte Windows-1252 leaves undefined."""
    data = _read_bytes(path)
    if b"\x00" in data:
        raise ParseError(path, f"binary file (it contains NUL bytes); {EXPECTED}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if path.suffix.casefold() not in LEGACY_ENCODING_SUFFIXES:
            raise ParseError(
                path,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); {EXPECTED}",
            ) from exc
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if not text.strip():
        raise ParseError(path, f"empty file; {EXPECTED}")
    return text


def _read_bytes(path: Path, size: int = -1) -> bytes:
    """The file's bytes (its first `size` with `size` >= 0); ParseError when it cannot be read."""
    try:
        with path.open("rb") as file:
            return file.read(size)
    except FileNotFoundError as exc:
        raise ParseError(path, "file not found") from exc
    except IsADirectoryError as exc:
        raise ParseError(path, "a folder, expected a file") from exc
    except OSError as exc:
        raise ParseError(path, f"cannot be read ({exc.strerror or exc})") from exc


def parse_path(path: Path) -> list[Record]:
    """The un-merged records of one file, each with `sources=(file name,)`."""
    return parse_file(path).records


def parse_file(path: Path) -> ParsedFile:
    """The un-merged records of one file and the warnings about rows it skipped."""
    path = Path(path)
    suffix = path.suffix.casefold()
    if suffix in NOT_LIBRARY_SUFFIXES:
        hint = f" ({_SAVE_AS[suffix]} to ingest it)" if suffix in _SAVE_AS else ""
        raise SkippedFile(path, f"a {suffix} file is not a library format{hint}")
    # The first bytes: a PDF by content, and an unreadable file is a ParseError like any other.
    head = b"" if suffix in {".txt", ".csv", ".json"} else _read_bytes(path, 5)
    if suffix == ".pdf" or head == b"%PDF-":
        return ParsedFile([parse_pdf(path)])
    if suffix == ".docx":
        return ParsedFile([parse_docx(path)])
    text = read_text(path)
    if suffix in {".csv", ".tsv"}:
        warnings: list[str] = []
        return ParsedFile(parse_csv(path, text, warnings), warnings)
    return ParsedFile(_parse_text(path, text, suffix))


def _parse_text(path: Path, text: str, suffix: str) -> list[Record]:
    if suffix == ".json":
        return parse_json(path, text)
    if suffix in {".jsonl", ".ndjson"}:
        return _parse_jsonl(path, text)
    stripped = text.lstrip()
    markup = None
    if suffix in HTML_SUFFIXES or stripped[:1] == "<":
        markup, text = text, html_to_text(text)
    elif stripped[:1] == "[":
        return parse_json(path, text)
    elif stripped[:1] == "{":
        return _parse_jsonl(path, text)
    lines = text.splitlines()
    if looks_like_listing(lines):
        return parse_listing(path, text)
    if looks_like_record_page(lines):
        return parse_record_page(path, text)
    if markup is not None:
        return [parse_html_report(path, markup)]
    if suffix in {".txt", ".text", ".md", ".markdown", ""}:
        return [parse_text_report(path, text)]
    raise ParseError(
        path,
        f"{EXPECTED}; a {suffix} file is read as a report only when named .txt, .md or .html",
    )


def _parse_jsonl(path: Path, text: str) -> list[Record]:
    items = read_jsonl(path, text.splitlines(), objects=False)
    if items and is_beir(items[0][1]):
        return parse_beir_items(path, items)
    return parse_jsonl(path, text)


def iter_library_files(paths: Sequence[Path]) -> list[Path]:
    """Files under the given files and folders (recursively), sorted, hidden ones skipped."""
    found: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise ParseError(
                path, "no such file or folder; expected a library file or a folder of them"
            )
        if path.is_file():
            found.add(path)
            continue
        for child in path.rglob("*"):
            relative = child.relative_to(path)
            if child.is_file() and not any(part.startswith(".") for part in relative.parts):
                found.add(child)
    return sorted(found)
