"""References an LLM writes into its text ("Title (Year)", "Author (Year)", "(Author, Year)")
checked against the catalog with the parser `assistant eval` uses (`assistant.references`).

`rewrite_references(text, catalog, retrieved_ids, source_texts)` returns the text with

    a reference to no record            removed, "(unknown source removed)" left in its place
    a record with the wrong year        replaced by the catalog's label "Title (Year)"
    a record named inexactly            replaced by the catalog's label (no problem)
    a record that was not retrieved     replaced by the catalog's label, reported

and a `BadReference` (its span in the new text, the problem, a one-line warning) for each
reference that is not a retrieved record with its catalog year. A reference that the cited
sources themselves contain (a quotation of an abstract that names another report) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from assistant.citations import reference_label
from assistant.references import Catalog, Reference, find_references
from kernel.text import word_key

__all__ = ["REMOVED", "BadReference", "rewrite_references"]

REMOVED = "(unknown source removed)"


@dataclass(frozen=True)
class BadReference:
    """A reference the guard removed or corrected: its span in the rewritten text and why."""

    start: int
    end: int
    problem: str  # "unknown-source", "wrong-year", "unretrieved-source"
    warning: str


def _judged(
    ref: Reference, catalog: Catalog, retrieved: Collection[str]
) -> tuple[str | None, str | None, str]:
    """(problem, catalog label or None, warning) of one reference."""
    c = ref.citation
    written = (
        " ".join(f"{c.claimed_title} ({c.claimed_year})".split())
        if c.claimed_year
        else c.claimed_title
    )
    record = catalog.get(c.record_id) if c.record_id else None
    if record is None:
        return (
            "unknown-source",
            None,
            f"removed reference “{written}”: no record in the library has that title or author",
        )
    label = reference_label(record)
    if c.status == "wrong_year":
        return (
            "wrong-year",
            label,
            f"replaced “{written}” with the catalog's “{label}”: "
            f"the record's year is {record.year_label}",
        )
    if record.id not in retrieved:
        return (
            "unretrieved-source",
            label,
            f"“{label}” is in the library but was not among this answer's sources",
        )
    return None, label, ""


def rewrite_references(
    text: str, catalog: Catalog, retrieved_ids: Collection[str], source_texts: Sequence[str] = ()
) -> tuple[str, list[BadReference], list[tuple[int, int]]]:
    """The text with its references resolved against the catalog, the bad ones (see the module
    doc), and the spans of all references in the new text (they name sources, they claim
    nothing)."""
    quoted = " ".join(word_key(t) for t in source_texts if t)

    def in_source(m: re.Match) -> bool:
        """The parenthesis and the words before it are the cited source's own (a quotation)."""
        window = word_key(text[max(0, m.start() - 60) : m.end()]).split(" ", 1)[-1]
        return bool(window) and window in quoted

    groups: dict[tuple[int, int], list[Reference]] = {}
    for ref in find_references(text, catalog, skip=in_source):
        written = word_key(text[ref.start : ref.end])
        if written and written in quoted:
            continue  # the source itself says it
        groups.setdefault(ref.paren, []).append(ref)

    edits: list[
        tuple[int, int, str, str | None, str]
    ] = []  # (start, end, replacement, problem, warning)
    for paren, refs in sorted(groups.items()):
        judged = [(ref, *_judged(ref, catalog, retrieved_ids)) for ref in refs]
        if (
            len(refs) == 1 and refs[0].start < paren[0]
        ):  # narrative: "Title (Year)", "Author (Year)"
            ref, problem, label, warning = judged[0]
            if problem is None and ref.citation.valid:
                edits.append((ref.start, ref.end, text[ref.start : ref.end], None, ""))
                continue
            edits.append((ref.start, ref.end, label or REMOVED, problem, warning))
            continue
        if all(problem is None and ref.citation.valid for ref, problem, _, _ in judged):
            edits.append((paren[0], paren[1], text[paren[0] : paren[1]], None, ""))
            continue
        parts = []
        for ref, problem, label, _ in judged:
            if label is None:
                continue
            c = ref.citation
            if problem is None and c.valid:
                parts.append(f"{c.claimed_title}, {c.claimed_year}")
            else:
                title, year = label.rsplit(" (", 1)
                parts.append(f"{title}, {year.rstrip(')')}")
        replacement = f"({'; '.join(parts)})" if parts else REMOVED
        problems = [(p, w) for _, p, _, w in judged if p]
        worst = problems[0] if problems else (None, "")
        edits.append((paren[0], paren[1], replacement, worst[0], "; ".join(w for _, w in problems)))

    out, bad, spans, cursor, shift = [], [], [], 0, 0
    for start, end, replacement, problem, warning in edits:
        if start < cursor:
            continue  # overlapping references: the first one wins
        out.append(text[cursor:start])
        new_start = start + shift
        out.append(replacement)
        shift += len(replacement) - (end - start)
        cursor = end
        spans.append((new_start, new_start + len(replacement)))
        if problem:
            bad.append(BadReference(new_start, new_start + len(replacement), problem, warning))
    out.append(text[cursor:])
    return "".join(out), bad, spans
