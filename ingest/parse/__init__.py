"""Parsers: one library file -> its un-merged Records.

    parse_path(path)            dispatch by extension and content:
      .csv                      catalog.parse_csv
      .json                     catalog.parse_json (an array of objects)
      .jsonl / .ndjson          beir (objects with `_id` and `text`) or catalog.parse_jsonl
      anything else (text)      listing.parse_listing (seeds 000, 002-004) or
                                record_page.parse_record_page (seed 001)
    iter_library_files(paths)   the files under the given files and folders

Every failure is a `ParseError` naming the file and what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from vectorstore.errors import ParseError
from vectorstore.models import Record

from ingest.parse.beir import is_beir, parse_beir_items
from ingest.parse.catalog import load_jsonl, parse_csv, parse_json, parse_jsonl
from ingest.parse.common import html_to_text
from ingest.parse.listing import looks_like_listing, parse_listing
from ingest.parse.record_page import looks_like_record_page, parse_record_page

__all__ = ["ParseError", "iter_library_files", "parse_path", "read_text"]

EXPECTED = (
    "expected a UTF-8 text page (a listing page or a repository record page), "
    "a .csv/.json/.jsonl catalog or a BEIR corpus.jsonl"
)
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def read_text(path: Path) -> str:
    """The file's text; ParseError when it is missing, binary, not UTF-8 or empty."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ParseError(path, "file not found") from exc
    except OSError as exc:
        raise ParseError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if b"\x00" in data:
        raise ParseError(path, f"binary file (it contains NUL bytes); {EXPECTED}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); {EXPECTED}"
        ) from exc
    if not text.strip():
        raise ParseError(path, f"empty file; {EXPECTED}")
    return text


def parse_path(path: Path) -> list[Record]:
    """The un-merged records of one file, each with `sources=(file name,)`."""
    path = Path(path)
    text = read_text(path)
    suffix = path.suffix.casefold()
    if suffix == ".csv":
        return parse_csv(path, text)
    if suffix == ".json":
        return parse_json(path, text)
    if suffix in {".jsonl", ".ndjson"}:
        return _parse_jsonl(path, text)
    stripped = text.lstrip()
    if suffix in HTML_SUFFIXES or stripped[:1] == "<":
        text = html_to_text(text)
    elif stripped[:1] == "[":
        return parse_json(path, text)
    elif stripped[:1] == "{":
        return _parse_jsonl(path, text)
    lines = text.splitlines()
    if looks_like_listing(lines):
        return parse_listing(path, text)
    if looks_like_record_page(lines):
        return parse_record_page(path, text)
    raise ParseError(
        path,
        "unknown layout: expected a listing page ('Skip to main content', a heading, then "
        "title/abstract blocks), a repository record page (Title, Author, Publication Date lines) "
        "or a .csv/.json/.jsonl catalog",
    )


def _parse_jsonl(path: Path, text: str) -> list[Record]:
    items = load_jsonl(path, text)
    if items and is_beir(items[0][1]):
        return parse_beir_items(path, items)
    return parse_jsonl(path, text)


def iter_library_files(paths: Sequence[Path]) -> list[Path]:
    """Files under the given files and folders (recursively), sorted, hidden ones skipped."""
    found: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise ParseError(path, "no such file or folder; expected a library file or a folder of them")
        if path.is_file():
            found.add(path)
            continue
        for child in path.rglob("*"):
            relative = child.relative_to(path)
            if child.is_file() and not any(part.startswith(".") for part in relative.parts):
                found.add(child)
    return sorted(found)
