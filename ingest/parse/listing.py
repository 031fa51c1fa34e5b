"""Listing pages: a page heading, then one block per record.

    Skip to main content
    <blank>
    <page heading>                     the category of the page
    <blank>
    <title>
    <blank>
    <abstract>                         one line
    <author>...                        pages without fields (seed 000): names right after the
                                       abstract
    Country / Region / Authors / Year / Category
    <value>...                         pages with fields (seeds 002-004): each header, then value
                                       lines

Every record of a page belongs to the page's category (the heading): an empty or absent
`Category` field means the heading; a non-empty one is added to it.
"""

from __future__ import annotations

from pathlib import Path

from ingest.parse.common import make_record, parse_year
from kernel.errors import ParseError
from kernel.models import FACET_NAMES, Record

SKIP_LINE = "skip to main content"
HEADERS = {**FACET_NAMES, "year": "year"}


def _paragraphs(lines: list[str], start: int) -> list[list[tuple[int, str]]]:
    """Blank-line separated groups of (line number, text), from index `start`."""
    groups: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if text:
            current.append((index + 1, text))
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _is_header(text: str) -> bool:
    return text.casefold() in HEADERS


def has_field_headers(lines: list[str]) -> bool:
    """True when a `Year` header is followed by a year line somewhere (a fields listing)."""
    for index, line in enumerate(lines[:-1]):
        if line.strip().casefold() == "year" and lines[index + 1].strip()[:4].isdigit():
            return True
    return False


def _skip_line(lines: list[str]) -> int | None:
    """Index of the "Skip to main content" line among the first lines of the page, if any."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()][:10]
    return next((i for i in nonblank if lines[i].strip().casefold() == SKIP_LINE), None)


def looks_like_listing(lines: list[str]) -> bool:
    return _skip_line(lines) is not None or has_field_headers(lines)


def parse_listing(path: Path, text: str) -> list[Record]:
    lines = text.splitlines()
    heading: str | None = None
    start = 0
    skip = _skip_line(lines)
    if skip is not None:
        after = [i for i in range(skip + 1, len(lines)) if lines[i].strip()]
        if not after:
            raise ParseError(
                path, "expected a page heading after 'Skip to main content', found nothing"
            )
        heading = lines[after[0]].strip()
        start = after[0] + 1
    groups = _paragraphs(lines, start)
    records: list[Record] = []
    index = 0
    while index < len(groups):
        title_group = groups[index]
        index += 1
        line_no, title = title_group[0]
        if _is_header(title):
            raise ParseError(
                path, f"line {line_no}: expected a record title, found the field header {title!r}"
            )
        body: list[tuple[int, str]] = list(title_group[1:])
        if not body and index < len(groups) and not _is_header(groups[index][0][1]):
            body = list(groups[index])
            index += 1
        # Field blocks set apart by blank lines still belong to this record.
        while index < len(groups) and _is_header(groups[index][0][1]):
            body.extend(groups[index])
            index += 1
        records.append(_record(path, title, line_no, body, heading))
    if not records:
        raise ParseError(path, "expected title/abstract blocks after the page heading, found none")
    return records


def _record(
    path: Path, title: str, line_no: int, body: list[tuple[int, str]], heading: str | None
) -> Record:
    abstract = ""
    rest = body
    if body and not _is_header(body[0][1]):
        abstract, rest = body[0][1], body[1:]
    authors: list[str] = []
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for _, text in rest:
        if _is_header(text):
            current = HEADERS[text.casefold()]
            fields.setdefault(current, [])
        elif current is None:
            authors.append(text)  # pages without fields: names right after the abstract
        else:
            fields[current].append(text)
    year_values = fields.get("year", [])
    if len(year_values) > 1:
        raise ParseError(
            path, f"line {line_no}: expected one year for {title!r}, found {year_values}"
        )
    year = parse_year(year_values[0], path, f"record at line {line_no}") if year_values else None
    categories = ([heading] if heading else []) + fields.get("categories", [])
    metadata = {
        "format": "listing-fields" if fields else "listing",
        "line": line_no,
        "page_heading": heading,
    }
    return make_record(
        path,
        title=title,
        abstract=abstract,
        year=year,
        authors=authors + fields.get("authors", []),
        countries=fields.get("countries", []),
        regions=fields.get("regions", []),
        categories=categories,
        metadata=metadata,
    )
