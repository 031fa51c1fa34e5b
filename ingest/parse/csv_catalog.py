"""CSV catalogs as people export them: any of three delimiters, three encodings, untidy years.

delimiter   `,`, `;` or tab: the one whose header row has a `title` column (and the most
            columns); an Excel `sep=;` first line is obeyed
encoding    UTF-8 (with or without a byte-order mark), else Windows-1252 (a superset of
            Latin-1 for text), else Latin-1 (decided in ingest/parse/__init__.py)
rows        a row with more or fewer cells than the header, or a quote that is never closed,
            is a `ParseError` naming its line (never a silent merge of two rows); a quoted
            cell that runs across lines which read like rows of their own is taken for a
            missing closing quote; a row without a title is skipped with a warning naming its
            line while the other rows are ingested
"""

from __future__ import annotations

import csv
from pathlib import Path

from ingest.parse.catalog import MissingTitle, column_key, record_from_mapping
from ingest.parse.common import parse_year
from kernel.errors import ParseError
from kernel.models import Record

__all__ = ["parse_csv"]

DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _cells(line: str, delimiter: str) -> list[str] | None:
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error:
        return None


def _delimiter(path: Path, header: str) -> str:
    best, best_columns = None, 0
    for delimiter in DELIMITERS:
        cells = _cells(header, delimiter) or []
        if "title" in {column_key(c) for c in cells} and len(cells) > best_columns:
            best, best_columns = delimiter, len(cells)
    if best is None:
        raise ParseError(
            path,
            "expected a CSV header row with a 'title' column (cells separated by commas, "
            f"semicolons or tabs), found {header.strip()[:120]!r}",
        )
    return best


def _looks_like_row(line: str, delimiter: str, header: list[str]) -> bool:
    """A physical line that parses on its own into a full row (with a year where the header has
    one)."""
    cells = _cells(line, delimiter)
    if cells is None or len(cells) != len(header) or len(header) < 2:
        return False
    keys = [column_key(h) for h in header]
    if "year" in keys:
        cell = cells[keys.index("year")].strip()
        try:
            return not cell or parse_year(cell, Path(""), "") is not None
        except ParseError:
            return False
    return True


def parse_csv(path: Path, text: str, warnings: list[str] | None = None) -> list[Record]:
    """The rows of a CSV catalog as records; title-less rows are skipped and named in `warnings`."""
    raw = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(raw) if line.strip()), None)
    if first is None:
        raise ParseError(
            path, "expected a CSV header row with a 'title' column, found an empty file"
        )
    delimiter = None
    if raw[first].strip().casefold().startswith("sep=") and len(raw[first].strip()) == 5:
        delimiter = raw[first].strip()[4]
        first += 1
    lines = raw[first:]
    if not lines:
        raise ParseError(path, "expected a CSV header row with a 'title' column, found none")
    delimiter = delimiter or _delimiter(path, lines[0])
    name = DELIMITERS.get(delimiter, repr(delimiter))
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ParseError(
            path, f"line {first + 1}: expected a CSV header row, found malformed data ({exc})"
        ) from exc
    if "title" not in {column_key(c) for c in header}:
        raise ParseError(
            path, f"expected a CSV header row with a 'title' column, found columns {header}"
        )
    records: list[Record] = []
    skipped = 0
    done = reader.line_num
    while True:
        start = first + done + 1  # the file's line number where this row starts
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ParseError(
                path,
                f"line {start}: malformed CSV row ({exc}); a quote opened in this row "
                "probably has no closing quote",
            ) from exc
        end = first + reader.line_num
        done = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and not any(c.strip() for c in row[len(header) :]):
            row = row[: len(header)]  # trailing empty cells, as spreadsheets export them
        if len(row) != len(header):
            raise ParseError(
                path,
                f"line {start}: expected {len(header)} cells separated by {name} "
                f"(like the header), found {len(row)}; check that row's quotes and {name}",
            )
        if end > start:
            for number in range(start + 1, end + 1):
                if _looks_like_row(raw[number - 1], delimiter, header):
                    raise ParseError(
                        path,
                        f"line {start}: a quoted cell opened in this row runs on to line {end}, "
                        f"taking in line {number}, which reads like a row of its own; "
                        "a closing quote is probably missing",
                    )
        where = f"line {start}" if end == start else f"row on lines {start}-{end}"
        try:
            records.append(
                record_from_mapping(path, dict(zip(header, row, strict=True)), where, "csv", start)
            )
        except MissingTitle:
            skipped += 1
            if warnings is not None:
                warnings.append(
                    f"{path}: line {start}: row has no title; skipped (the other rows are ingested)"
                )
    if not records:
        what = f"{skipped} row{'s' if skipped != 1 else ''} without a title" if skipped else "none"
        raise ParseError(
            path, f"expected at least one CSV row with a title after the header, found {what}"
        )
    return records
