"""Small helpers every parser shares: years, value lists, records of one source."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kernel.errors import ParseError
from kernel.models import Record, record_id_for_title

_YEAR = re.compile(r"^\s*(\d{4})(?!\d)")
# A year as people write it in a catalog cell: "c. 2015", "ca 2015", "circa 2015", "~2015",
# "[2015]", "2015?", "2015-16", "2015/16". The four digits are the year; the cell is kept as
# written.
_FUZZY_YEAR = re.compile(
    r"^\s*(?:(?:c|ca|circa|approx|approximately)\.?\s*|~\s*)?\[?\s*(\d{4})(?!\d)", re.IGNORECASE
)
_NO_YEAR = {"", "n.d.", "nd", "n.d", "none", "null", "unknown", "-"}


def parse_year(value: Any, path: Path, where: str) -> int | None:
    """A year from `2016`, `"2016"`, `"2016-09-08"`, `"c. 2015"`, `"2015-16"`, `"2015?"`; None for
    empty/"n.d."; else ParseError. (`year_as_written` says when the cell was more than the year.)"""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ParseError(path, f"{where}: expected a year such as 2016, found {value!r}")
        return None
    if isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    else:
        text = str(value).strip()
        if text.casefold() in _NO_YEAR:
            return None
        match = _YEAR.match(text) or _FUZZY_YEAR.match(text)
        if not match:
            raise ParseError(path, f"{where}: expected a year such as 2016, found {text!r}")
        year = int(match.group(1))
    if not 1000 <= year <= 2999:
        raise ParseError(path, f"{where}: expected a four-digit year, found {value!r}")
    return year


def year_as_written(value: Any, year: int | None) -> str | None:
    """The original cell when it said more than the four-digit year ("c. 2015"), else None."""
    if year is None or value is None or isinstance(value, (int, float)):
        return None
    text = " ".join(str(value).split())
    return None if text == str(year) else text


def split_values(value: Any) -> tuple[str, ...]:
    """A list, or a ';'-separated string, as a tuple of stripped, non-empty strings."""
    if value is None:
        return ()
    items: Iterable[Any] = value if isinstance(value, (list, tuple)) else str(value).split(";")
    return dedupe(str(item).strip() for item in items if item is not None)


def dedupe(values: Iterable[str]) -> tuple[str, ...]:
    """Order-preserving, case-insensitive de-duplication that drops empty values."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        value = " ".join(value.split())
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return tuple(out)


def make_record(
    path: Path,
    *,
    title: str,
    record_id: str | None = None,
    abstract: str = "",
    year: int | None = None,
    authors: Iterable[str] = (),
    countries: Iterable[str] = (),
    regions: Iterable[str] = (),
    categories: Iterable[str] = (),
    metadata: dict[str, Any] | None = None,
) -> Record:
    """One un-merged record seen in `path`; the id comes from the title unless given."""
    title = " ".join(title.split())
    return Record(
        id=record_id if record_id is not None else record_id_for_title(title),
        title=title,
        abstract=" ".join(abstract.split()),
        year=year,
        authors=dedupe(authors),
        countries=dedupe(countries),
        regions=dedupe(regions),
        categories=dedupe(categories),
        sources=(path.name,),
        metadata=dict(metadata or {}),
    )


_BLANK_TAGS = {"article", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "section"}
_LINE_TAGS = {
    "address",
    "aside",
    "blockquote",
    "body",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "form",
    "header",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
_HIDDEN_TAGS = {"head", "script", "style", "noscript", "template"}


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, laid out like the text pages: headings (a page heading,
    record titles) and sections stand between blank lines; other blocks are single lines."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.newlines = 2  # trailing line breaks emitted so far
            self.hidden = 0

        def _break(self, tag: str) -> None:
            wanted = 2 if tag in _BLANK_TAGS else 1 if tag in _LINE_TAGS else 0
            if wanted > self.newlines:
                self.parts.append("\n" * (wanted - self.newlines))
                self.newlines = wanted

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in _HIDDEN_TAGS:
                self.hidden += 1
            else:
                self._break(tag)

        def handle_endtag(self, tag: str) -> None:
            if tag in _HIDDEN_TAGS:
                self.hidden = max(0, self.hidden - 1)
            else:
                self._break(tag)

        def handle_data(self, data: str) -> None:
            if self.hidden or not data.strip():
                return
            lead = " " if data[:1].isspace() and not self.newlines else ""
            self.parts.append(lead + " ".join(data.split()) + (" " if data[-1:].isspace() else ""))
            self.newlines = 0

    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return "\n".join(lines).strip() + "\n"
