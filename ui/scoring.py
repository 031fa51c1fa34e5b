"""Hand scores of answers: items to score, a SQLite store under the data dir, CSV export.

An item is a question, an answer (from this assistant or any other system) and its numbered
sources. `load_jsonl(path)` reads answers from any system, one JSON object a line with at least
"question" and "answer" ("id" optional; "citations" as in `ask --json` optional, otherwise the
sources are read from the answer's "[n] Title (Year)" reference lines). Items are shuffled with
a fixed seed and carry no system name, so evaluators score blind.

`ScoreStore(data_dir / "scores.sqlite")` keeps every score (rating 1-5, one mark per cited
source, a note); it survives restarts and exports as CSV.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

from vectorstore.errors import ParseError, StoreError

__all__ = ["CSV_COLUMNS", "MARKS", "ScoreItem", "ScoreStore", "item_from_answer", "load_jsonl"]

MARKS = ("supported", "not supported", "wrong title or year")
CSV_COLUMNS = ["score_id", "scored_at", "item_id", "origin", "question", "answer", "sources", "rating",
               "citation_marks", "note", "evaluator"]
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
class ScoreItem:
    """One answer to score. `origin` (e.g. the JSONL file) is stored but never shown."""

    id: str
    question: str
    answer: str
    sources: tuple[tuple[int, str], ...] = ()
    origin: str = ""
    details: dict[str, Any] = field(default_factory=dict, compare=False)


def item_from_answer(answer) -> ScoreItem:
    """An item from this assistant's `Answer`."""
    digest = hashlib.sha1(f"{answer.question}\n{answer.text}".encode("utf-8")).hexdigest()[:10]
    return ScoreItem(id=f"assistant-{digest}", question=answer.question, answer=answer.text,
                     sources=tuple((c.n, c.label) for c in answer.citations), origin="assistant")


def _sources_from_text(text: str) -> tuple[tuple[int, str], ...]:
    """Numbered reference lines ("[1] Title (2016)", "1. Title (2016)") the text's markers point at."""
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


def load_jsonl(path: str | Path, seed: int = 13) -> list[ScoreItem]:
    """Answers from any system, shuffled with a fixed seed; raises `ParseError` naming the line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(path, f"cannot read a UTF-8 JSONL file: {exc}") from exc
    items: list[ScoreItem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError(path, f"line {number}: expected a JSON object, found invalid JSON ({exc.msg})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("question"), str) \
                or not isinstance(data.get("answer"), str):
            raise ParseError(path, f"line {number}: expected an object with string fields \"question\" and \"answer\"")
        sources = _sources_from_json(data["citations"]) if data.get("citations") else _sources_from_text(data["answer"])
        items.append(ScoreItem(id=str(data.get("id") or f"line-{number}"), question=data["question"],
                               answer=data["answer"], sources=sources, origin=path.name))
    if not items:
        raise ParseError(path, "expected at least one JSON line with a question and an answer, found none")
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
    def for_settings(cls, settings) -> "ScoreStore":
        return cls(Path(settings.data_dir) / "scores.sqlite")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.row_factory = sqlite3.Row
        return db

    def add(self, item: ScoreItem, rating: int, marks: dict[int, str] | None = None, note: str = "",
            evaluator: str = "") -> int:
        """Store one score; returns its id. Raises `StoreError` for a rating outside 1-5 or an unknown mark."""
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            raise StoreError(f"a rating must be a whole number from 1 to 5, found {rating!r}") from None
        if not 1 <= rating <= 5:
            raise StoreError(f"a rating must be from 1 to 5, found {rating}")
        marks = {int(k): v for k, v in (marks or {}).items() if v}
        bad = {k: v for k, v in marks.items() if v not in MARKS}
        if bad:
            raise StoreError(f"a citation mark must be one of {', '.join(MARKS)}; found {bad}")
        row = (datetime.now(timezone.utc).isoformat(timespec="seconds"), item.id, item.origin, item.question,
               item.answer, json.dumps([f"[{n}] {label}" for n, label in item.sources], ensure_ascii=False),
               rating, json.dumps({str(k): v for k, v in sorted(marks.items())}, ensure_ascii=False),
               note or "", evaluator or "")
        try:
            with self._lock, self._connect() as db:
                cursor = db.execute(
                    "INSERT INTO scores (scored_at, item_id, origin, question, answer, sources, rating,"
                    " citation_marks, note, evaluator) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
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
        return [{"score_id": r["id"], **{k: r[k] for k in CSV_COLUMNS[1:]}} for r in found]

    def export_csv(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(self.rows())
        return path


def marks_from_values(sources: Sequence[tuple[int, str]], values: Sequence[str | None]) -> dict[int, str]:
    """Pair the UI's per-source radio values with the source numbers."""
    return {n: v for (n, _), v in zip(sources, values) if v}
