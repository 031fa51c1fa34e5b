"""One reader of JSON Lines files: every question set, answer file, catalog and calibration set.

`read_jsonl` skips blank lines (and `//` comment lines when asked) and raises `ParseError` naming
the file and the line, so a bad line reads the same wherever it is met; `read_rows` also builds
each line's object and says which fields a line that cannot be built lacks.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from kernel.errors import ParseError

__all__ = ["JSONLineError", "loads_line", "read_jsonl", "read_rows", "read_text"]

T = TypeVar("T")


class JSONLineError(ValueError):
    """One line of a JSONL file is not JSON (or not an object); the message names the line."""


def read_text(path: str | Path, what: str) -> str:
    """The UTF-8 text of `path`; `ParseError` saying what was expected when it cannot be read."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ParseError(path, f"file not found; expected a JSONL file of {what}") from exc
    except UnicodeDecodeError as exc:
        raise ParseError(
            path, f"not UTF-8 text (a binary file?); expected a JSONL file of {what}"
        ) from exc
    except OSError as exc:
        raise ParseError(
            path, f"cannot read it ({exc.strerror or exc}); expected a JSONL file of {what}"
        ) from exc


def read_jsonl(
    path: str | Path,
    lines: Iterable[str] | None = None,
    *,
    what: str = "JSON objects",
    objects: bool = True,
    comments: bool = False,
) -> list[tuple[int, Any]]:
    """(line number, value) for each non-blank line of `path` (or of `lines`, read from it).

    With `objects`, a value that is not a JSON object is a `ParseError` too; with `comments`, lines
    starting with `//` are skipped.
    """
    if lines is None:
        lines = read_text(path, what).splitlines()
    items: list[tuple[int, Any]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or (comments and stripped.startswith("//")):
            continue
        try:
            items.append((number, loads_line(line, number, objects=objects)))
        except JSONLineError as exc:
            raise ParseError(path, str(exc)) from exc
    return items


def read_rows(
    path: str | Path, build: Callable[[dict[str, Any]], T], *, what: str, fields: str
) -> list[tuple[int, T]]:
    """(line number, `build(object)`) for each JSON object of `path`; a line `build` cannot read
    (a missing field: `KeyError`, a wrong type: `TypeError`) is a `ParseError` saying it expected
    "a JSON object with `fields`"."""
    rows = []
    for number, item in read_jsonl(path, what=what):
        try:
            rows.append((number, build(item)))
        except (KeyError, TypeError) as exc:
            raise ParseError(
                path, f"line {number}: expected a JSON object with {fields} ({exc})"
            ) from exc
    return rows


def loads_line(line: str, number: int, *, objects: bool = True) -> Any:
    """The JSON value of line `number`; `JSONLineError` ("line 3: expected ...") when it is not
    JSON, or with `objects` not a JSON object."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise JSONLineError(
            f"line {number}: expected a JSON object, found invalid JSON ({exc.msg})"
        ) from exc
    if objects and not isinstance(value, dict):
        raise JSONLineError(f"line {number}: expected a JSON object, found {type(value).__name__}")
    return value
