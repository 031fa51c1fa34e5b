"""Repository record pages (seed 001): one record as key/value lines.

    <title>
    <citation line>
    Document type:
    <value>
      • Sub-type Workshop paper
        Author Cockayne, James
        Walker, Summer                 a line without a known key continues the previous key
        Title ...
        Publication Date 2016-09-08    the year comes from here, never from the event date
        Abstract ...

"Last, First" author names become "First Last". Lines of other sections (attached files,
versions, statistics) are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.parse.common import make_record, parse_year
from kernel.errors import ParseError
from kernel.models import Record

# Longest first, so "Title of Event" is not read as "Title".
KEYS = sorted(
    [
        "Title",
        "Author",
        "Publication Date",
        "Place of Publication",
        "Publisher",
        "Pages",
        "Title of Event",
        "Date of Event",
        "Place of Event",
        "Language",
        "Abstract",
        "UNBIS Thesaurus",
        "Keyword",
        "Copyright Holder",
        "Copyright Year",
        "Copyright type",
        "ISBN",
        "Sub-type",
        "Document type",
        "Editor",
        "Series",
        "DOI",
        "Volume",
        "Issue",
    ],
    key=len,
    reverse=True,
)
_KEY = re.compile(
    r"^(" + "|".join(re.escape(k) for k in KEYS) + r")(?::|\s)\s*(.*)$", re.IGNORECASE
)
_BULLET = re.compile(r"^[•\-*]\s*")
_CANON = {k.casefold(): k for k in KEYS}


def _fields(lines: list[str]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for raw in lines[1:]:
        text = raw.strip()
        if not text:
            continue
        bulleted = bool(_BULLET.match(text))
        text = _BULLET.sub("", text)
        match = _KEY.match(text + " ")
        if match:
            current = _CANON[match.group(1).casefold()]
            values = fields.setdefault(current, [])
            if match.group(2).strip():
                values.append(match.group(2).strip())
        elif bulleted:
            current = None  # a new section (attached files, versions, ...) that we do not read
        elif current is not None:
            fields[current].append(text)
    return fields


def looks_like_record_page(lines: list[str]) -> bool:
    keys = {
        m.group(1).casefold()
        for m in (_KEY.match(_BULLET.sub("", line.strip())) for line in lines)
        if m
    }
    return "title" in keys and bool(keys & {"author", "publication date", "abstract"})


def flip_name(name: str) -> str:
    """ "Cockayne, James" -> "James Cockayne"; other forms unchanged."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    return name.strip()


def parse_record_page(path: Path, text: str) -> list[Record]:
    lines = text.splitlines()
    fields = _fields(lines)
    first = next((line.strip() for line in lines if line.strip()), "")
    title = " ".join(fields.get("Title", [])[:1]) or first
    if not title:
        raise ParseError(path, "expected a record page with a Title line, found none")
    dates = fields.get("Publication Date", [])
    year = parse_year(dates[0], path, "Publication Date") if dates else None
    metadata: dict[str, object] = {"format": "record-page", "line": 1}
    for key, values in fields.items():
        if key not in {"Title", "Author", "Abstract"}:
            metadata[key.casefold().replace(" ", "_").replace("-", "_")] = (
                values[0] if len(values) == 1 else values
            )
    return [
        make_record(
            path,
            title=title,
            abstract=" ".join(fields.get("Abstract", [])),
            year=year,
            authors=[flip_name(a) for a in fields.get("Author", [])],
            metadata=metadata,
        )
    ]
