"""Hand scores of answers: items to score, a SQLite store under the data dir, CSV export.

An item is a question, an answer (from this assistant or any other system) and its numbered
sources. `load_jsonl(path)` reads answers from any system, one JSON object a line with at least
"question" and "answer" ("id" optional; "citations" as in `ask --json` optional, otherwise the
sources are read from the answer). Given the catalog, every citation the answer makes, "[n]"
with a reference list, "Title (Year)" or author-year "(Smith & Jones, 2019)", is found by the
parser `assistant eval` uses (`evals.citations_parse.parse_answer`) and judged against the catalog:
valid, wrong year or not in the library (`FoundCitation`). Items are shuffled with a fixed seed
and carry no system name, so evaluators score blind.

`ScoreStore(data_dir / "scores.sqlite")` keeps every score (rating 1-5, one mark per cited
source, a note); it survives restarts and exports as CSV, whose `citations` column spells each
citation, what the catalog says of it and the evaluator's mark ("[1] Bigio & Vogelstein, 2019 —
valid: Understanding Human Trafficking In Conflict (2019) — marked supported").
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kernel.errors import ParseError, StoreError
from kernel.jsonl import read_jsonl

if TYPE_CHECKING:
    from evals.citations_parse import Catalog

__all__ = [
    "CSV_COLUMNS",
    "MARKS",
    "STATUS_LABELS",
    "FoundCitation",
    "ScoreItem",
    "ScoreStore",
    "item_from_answer",
    "load_jsonl",
    "match_citations",
    "readable_marks",
    "readable_time",
]

MARKS = ("supported", "not supported", "wrong title or year")
CSV_COLUMNS = [
    "score_id",
    "scored_at",
    "item_id",
    "origin",
    "question",
    "answer",
    "sources",
    "rating",
    "citation_marks",
    "citations",
    "note",
    "evaluator",
]
STATUS_LABELS = {
    "valid": "valid",
    "inexact_title": "valid (title written differently)",
    "wrong_year": "wrong year",
    "missing_year": "no year given",
    "fabricated": "not in the library",
}
"""What an evaluator reads for each status of `evals.citations_parse`."""
_REFERENCE = re.compile(r"^\s*(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s+(.+?)\s*$")
_MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS scores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scored_at TEXT NOT NULL,
    item_id TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL DEFAULT '[]',
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    citation_marks TEXT NOT NULL DEFAULT '{}',
    note TEXT NOT NULL DEFAULT '',
    evaluator TEXT NOT NULL DEFAULT ''
)
"""


@dataclass(frozen=True)
class FoundCitation:
    """One citation found in an answer and what the catalog says of it."""

    n: int
    claimed: str
    """As the answer wrote it: "Bigio & Vogelstein, 2019", "Title (2016)", "[3] Title (2016)"."""
    status: str
    """A key of `STATUS_LABELS`."""
    record: Any = None
    """The catalog `Record` it names (None when it names none)."""

    @property
    def verdict(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def label(self) -> str:
        """ "Bigio & Vogelstein, 2019 — valid: Understanding Human Trafficking In Conflict
        (2019)"."""
        if self.record is None:
            return f"{self.claimed} — {self.verdict}"
        return f"{self.claimed} — {self.verdict}: {self.record.title} ({self.record.year_label})"


def match_citations(text: str, records: Sequence[Any]) -> tuple[FoundCitation, ...]:
    """Every citation of a free-text answer, judged against the catalog by the parser `assistant
    eval` uses; numbered by their `[n]` marker, the others after the markers in order of
    appearance."""
    from evals.citations_parse import Catalog

    return _judged(text, Catalog(records))


def _judged(text: str, catalog: Catalog) -> tuple[FoundCitation, ...]:
    """`match_citations` against a `Catalog` built once for many answers."""
    from evals.citations_parse import parse_answer

    parsed = parse_answer(text or "", catalog)
    taken = {c.marker for c in parsed.citations if c.marker is not None}
    next_n = max(taken, default=0) + 1
    found: list[FoundCitation] = []
    for c in parsed.citations:
        year = f", {c.claimed_year}" if c.claimed_year else ""
        if c.marker is not None:
            n = c.marker
            claimed = f"[{n}] {c.claimed_title}" + (
                f" ({c.claimed_year})" if c.claimed_year else ""
            )
            if c.claimed_title == f"[{n}]":
                claimed = f"[{n}] (no reference line for this marker)"
        else:
            n, next_n = next_n, next_n + 1
            claimed = f"{c.claimed_title}{year}"
        found.append(
            FoundCitation(n, claimed, c.status, catalog.get(c.record_id) if c.record_id else None)
        )
    return tuple(sorted(found, key=lambda f: f.n))


@dataclass(frozen=True)
class ScoreItem:
    """One answer to score. `origin` (e.g. the JSONL file) is stored but never shown."""

    id: str
    question: str
    answer: str
    sources: tuple[tuple[int, str], ...] = ()
    origin: str = ""
    details: dict[str, Any] = field(default_factory=dict, compare=False)
    found: tuple[FoundCitation, ...] = field(default=(), compare=False)
    """The citations matched against the catalog (empty when no catalog was at hand)."""


def item_from_answer(answer) -> ScoreItem:
    """An item from this assistant's `Answer`."""
    digest = hashlib.sha1(f"{answer.question}\n{answer.text}".encode()).hexdigest()[:10]
    return ScoreItem(
        id=f"assistant-{digest}",
        question=answer.question,
        answer=answer.text,
        sources=tuple((c.n, c.label) for c in answer.citations),
        origin="assistant",
        found=tuple(FoundCitation(c.n, c.label, "valid", c.record) for c in answer.citations),
    )


def _sources_from_text(text: str) -> tuple[tuple[int, str], ...]:
    """Numbered reference lines ("[1] Title (2016)", "1. Title (2016)") the text's markers point
    at."""
    cited = {int(n) for m in _MARKER.finditer(text) for n in re.findall(r"\d+", m.group(1))}
    found: dict[int, str] = {}
    for line in text.splitlines():
        match = _REFERENCE.match(line)
        if match:
            n = int(match.group(1) or match.group(2))
            if n not in found and (match.group(1) or n in cited):
                found[n] = match.group(3).strip()
    for n in sorted(cited - set(found)):
        found[n] = "(no reference line for this marker)"
    return tuple(sorted(found.items()))


def _sources_from_json(citations: Any) -> tuple[tuple[int, str], ...]:
    out = []
    for i, c in enumerate(citations or (), start=1):
        if isinstance(c, dict):
            year = c.get("year")
            label = f"{c.get('title', '?')} ({year if year is not None else 'n.d.'})"
            out.append((int(c.get("n", i)), label))
        else:
            out.append((i, str(c)))
    return tuple(out)


def load_jsonl(
    path: str | Path, seed: int = 13, records: Sequence[Any] | None = None
) -> list[ScoreItem]:
    """Answers from any system, shuffled with a fixed seed; raises `ParseError` naming the line.
    With the catalog's `records`, each answer's citations are found and judged
    (`match_citations`)."""
    from evals.citations_parse import Catalog

    path = Path(path)
    catalog = Catalog(records) if records else None
    items: list[ScoreItem] = []
    for number, data in read_jsonl(path, what="answers", objects=False):
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("question"), str)
            or not isinstance(data.get("answer"), str)
        ):
            raise ParseError(
                path,
                f'line {number}: expected an object with string fields "question" and "answer"',
            )
        found: tuple[FoundCitation, ...] = ()
        if data.get("citations"):
            sources = _sources_from_json(data["citations"])
        else:
            found = _judged(data["answer"], catalog) if catalog is not None else ()
            sources = tuple((f.n, f.label) for f in found) or _sources_from_text(data["answer"])
        items.append(
            ScoreItem(
                id=str(data.get("id") or f"line-{number}"),
                question=data["question"],
                answer=data["answer"],
                sources=sources,
                origin=path.name,
                found=found,
            )
        )
    if not items:
        raise ParseError(
            path, "expected at least one JSON line with a question and an answer, found none"
        )
    random.Random(seed).shuffle(items)
    return items


class ScoreStore:
    """Scores in SQLite; safe to use from the UI's worker threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the score store {self.path}: {exc}") from exc

    @classmethod
    def for_settings(cls, settings) -> ScoreStore:
        return cls(Path(settings.data_dir) / "scores.sqlite")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def add(
        self,
        item: ScoreItem,
        rating: int,
        marks: dict[int, str] | None = None,
        note: str = "",
        evaluator: str = "",
    ) -> int:
        """Store one score; returns its id. Raises `StoreError` for a rating outside 1-5 or an
        unknown mark."""
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            raise StoreError(
                f"a rating must be a whole number from 1 to 5, found {rating!r}"
            ) from None
        if not 1 <= rating <= 5:
            raise StoreError(f"a rating must be from 1 to 5, found {rating}")
        marks = {int(k): v for k, v in (marks or {}).items() if v}
        bad = {k: v for k, v in marks.items() if v not in MARKS}
        if bad:
            raise StoreError(f"a citation mark must be one of {', '.join(MARKS)}; found {bad}")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            item.id,
            item.origin,
            item.question,
            item.answer,
            json.dumps([f"[{n}] {label}" for n, label in item.sources], ensure_ascii=False),
            rating,
            json.dumps({str(k): v for k, v in sorted(marks.items())}, ensure_ascii=False),
            note or "",
            evaluator or "",
        )
        try:
            with self._lock, self._connect() as db:
                cursor = db.execute(
                    "INSERT INTO scores (scored_at, item_id, origin, question, answer, sources,"
                    " rating, citation_marks, note, evaluator)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                return int(cursor.lastrowid)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write to the score store {self.path}: {exc}") from exc

    def rows(self) -> list[dict[str, Any]]:
        """Every score, oldest first, with the CSV columns."""
        try:
            with self._lock, self._connect() as db:
                found = db.execute("SELECT * FROM scores ORDER BY id").fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot read the score store {self.path}: {exc}") from exc
        out = []
        for r in found:
            row = {"score_id": r["id"], **{k: r[k] for k in CSV_COLUMNS[1:] if k != "citations"}}
            row["citations"] = readable_marks(row["sources"], row["citation_marks"])
            out.append(row)
        return out

    def export_csv(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(self.rows())
        return path


def readable_marks(sources_json: str, marks_json: str) -> str:
    """The citations of a stored score as lines people read: "[1] Title (2016) — marked supported"
    ("not marked" when the evaluator left it; "no citation found" when the answer had none)."""
    try:
        sources = [str(s) for s in json.loads(sources_json or "[]")]
        marks = {str(k): str(v) for k, v in json.loads(marks_json or "{}").items()}
    except (ValueError, AttributeError):
        return ""
    if not sources:
        return (
            "no citation found"
            if not marks
            else "; ".join(f"[{k}] marked {v}" for k, v in marks.items())
        )
    lines = []
    for label in sources:
        number = re.match(r"\[(\d+)\]", label)
        mark = marks.get(number.group(1)) if number else None
        lines.append(f"{label} — {'marked ' + mark if mark else 'not marked'}")
    return "\n".join(lines)


def readable_time(stamp: str) -> str:
    """ "2026-12-06 00:38 UTC" from a stored ISO time."""
    try:
        when = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp or "")
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def marks_from_values(
    sources: Sequence[tuple[int, str]], values: Sequence[str | None]
) -> dict[int, str]:
    """Pair the UI's per-source radio values with the source numbers (there are `MAX_MARKS`
    radios, and fewer sources: the extra values are dropped)."""
    return {n: v for (n, _), v in zip(sources, values, strict=False) if v}
