"""Structured catalogs: CSV (header row; see csv_catalog.py), JSON (an array of objects) and JSONL
(one object a line).

Known keys (case-insensitive; singular or plural; spaces, dashes and underscores alike):
`id`, `title`, `abstract` (or `summary`, `description`), `year`, `author(s)`, `country/countries`,
`region(s)`, `category/categories`. List values may be JSON lists or ';'-separated strings.
A `file` column names a report file (PDF, Word, text) that the row describes (see
ingest/sidecar.py). A year cell such as "c. 2015" gives 2015, the cell kept as `year_as_written` in
the metadata. Every other key is kept in the record's metadata. The id is the row's `id` when
present, else the id derived from the title.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ingest.parse.common import make_record, parse_year, split_values, year_as_written
from kernel.errors import ParseError
from kernel.jsonl import read_jsonl
from kernel.models import FACET_NAMES, Record

__all__ = ["MissingTitle", "column_key", "parse_json", "parse_jsonl", "record_from_mapping"]


class MissingTitle(ParseError):
    """A catalog row or object without a title (a CSV skips the row; JSON rejects the file)."""


ALIASES = {
    "id": "id",
    "title": "title",
    "abstract": "abstract",
    "summary": "abstract",
    "description": "abstract",
    "year": "year",
    **FACET_NAMES,
    "file": "file",
    "filename": "file",
    "file_name": "file",
}
EXPECTED = (
    "objects with at least a 'title' "
    "(and optionally abstract, year, authors, country, region, category)"
)


def column_key(name: str) -> str:
    return "_".join(str(name).strip().casefold().replace("-", " ").split())


def record_from_mapping(
    path: Path, row: dict[str, Any], where: str, fmt: str, line: int | None
) -> Record:
    """One catalog row/object as a Record; ParseError when it has no title."""
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for name, value in row.items():
        if name is None:  # csv: more cells than header columns
            extra["_extra_cells"] = value
            continue
        field = ALIASES.get(column_key(name))
        if field is None:
            if value not in (None, "", [], {}):
                extra[str(name)] = value
        elif field in known and known[field] not in (None, "", []):
            if value not in (None, "", [], {}):
                extra[str(name)] = value
        else:
            known[field] = value
    title = known.get("title")
    if not isinstance(title, str) or not title.strip():
        raise MissingTitle(path, f"{where}: expected a non-empty 'title', found {title!r}")
    abstract = known.get("abstract") or ""
    if not isinstance(abstract, str):
        raise ParseError(
            path, f"{where}: expected 'abstract' to be text, found {type(abstract).__name__}"
        )
    record_id = known.get("id")
    record_id = str(record_id).strip() if record_id not in (None, "") else None
    year = parse_year(known.get("year"), path, f"{where} 'year'")
    written = year_as_written(known.get("year"), year)
    named_file = str(known.get("file") or "").strip()
    metadata = {
        "format": fmt,
        **({"line": line} if line is not None else {}),
        **({"year_as_written": written} if written else {}),
        **({"file": named_file} if named_file else {}),
        **extra,
    }
    return make_record(
        path,
        title=title,
        record_id=record_id,
        abstract=abstract,
        year=year,
        authors=split_values(known.get("authors")),
        countries=split_values(known.get("countries")),
        regions=split_values(known.get("regions")),
        categories=split_values(known.get("categories")),
        metadata=metadata,
    )


def _objects(path: Path, items: Iterable[tuple[int, Any]], fmt: str) -> list[Record]:
    records = []
    for line, item in items:
        where = f"line {line}" if fmt == "jsonl" else f"item {line}"
        if not isinstance(item, dict):
            raise ParseError(path, f"{where}: expected {EXPECTED}, found {type(item).__name__}")
        records.append(
            record_from_mapping(path, item, where, fmt, line if fmt == "jsonl" else None)
        )
    if not records:
        raise ParseError(path, f"expected {EXPECTED}, found none")
    return records


def parse_json(path: Path, text: str) -> list[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            path, f"expected a JSON array of records, found invalid JSON ({exc})"
        ) from exc
    if not isinstance(data, list):
        raise ParseError(
            path, f"expected a JSON array of records, found a JSON {type(data).__name__}"
        )
    return _objects(path, ((i + 1, item) for i, item in enumerate(data)), "json")


def parse_jsonl(path: Path, text: str) -> list[Record]:
    return _objects(path, read_jsonl(path, text.splitlines(), objects=False), "jsonl")
