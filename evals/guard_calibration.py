"""How well the citation guard catches invented sources and claims: precision and recall on
hand-labelled LLM-style sentences (`evals/calibration/guard_sentences.jsonl`).

Each sentence is checked by the real guard (`assistant.guard.check_citations`) as if an LLM had
written it with the listed catalog records as its numbered sources, against the whole sample
catalog. A sentence counts as flagged when any of its verdicts has a problem. Positives are the
sentences labelled fabricated, contradicted or unsupported; precision and recall of flagging are
reported per split (`dev`: rules and word lists were chosen looking at it; `test`: not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kernel.errors import ParseError
from kernel.jsonl import read_rows

__all__ = ["GUARD_SENTENCES", "LabelledSentence", "guard_report", "load_sentences"]

GUARD_SENTENCES = Path(__file__).resolve().parent / "calibration" / "guard_sentences.jsonl"
LABELS = ("supported", "fabricated", "contradicted", "unsupported")


@dataclass(frozen=True)
class LabelledSentence:
    id: str
    split: str
    text: str
    sources: tuple[str, ...]
    label: str
    kind: str = ""

    @property
    def positive(self) -> bool:
        return self.label != "supported"


def load_sentences(path: Path = GUARD_SENTENCES) -> list[LabelledSentence]:
    """{"id", "split" (dev/test), "text", "sources" (catalog titles), "label", "kind"?} a line."""
    out = []
    rows = read_rows(
        path,
        lambda item: LabelledSentence(
            str(item["id"]),
            str(item["split"]),
            str(item["text"]),
            tuple(item["sources"]),
            str(item["label"]),
            str(item.get("kind", "")),
        ),
        what="labelled sentences",
        fields="id, split, text, sources, label",
    )
    for line_no, row in rows:
        if row.label not in LABELS or row.split not in ("dev", "test"):
            raise ParseError(
                path,
                f"line {line_no}: label must be one of {', '.join(LABELS)} and split dev or test, "
                f"found {row.label!r} and {row.split!r}",
            )
        out.append(row)
    return out


def _figures(rows: Sequence[LabelledSentence], flagged: Sequence[bool]) -> dict[str, Any]:
    tp = sum(f and r.positive for r, f in zip(rows, flagged, strict=True))
    fp = sum(f and not r.positive for r, f in zip(rows, flagged, strict=True))
    fn = sum((not f) and r.positive for r, f in zip(rows, flagged, strict=True))
    return {
        "sentences": len(rows),
        "positives": tp + fn,
        "flagged": tp + fp,
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
    }


def guard_report(rows: Sequence[LabelledSentence], catalog: Any, scorer: Any) -> dict[str, Any]:
    """Precision and recall of the guard's flags on each split, recall by kind, and the errors."""
    from assistant.guard import check_citations
    from assistant.models import Hit

    flagged, problems = [], []
    for row in rows:
        records = catalog.resolve_all(row.sources, GUARD_SENTENCES, f"sentence {row.id}: source")
        result = check_citations(row.text, [Hit(r, 1.0) for r in records], scorer, catalog=catalog)
        found = [v.problem for v in result.verdicts if v.problem]
        flagged.append(bool(found))
        problems.append(found)
    report: dict[str, Any] = {}
    for split in ("dev", "test"):
        chosen = [(r, f) for r, f in zip(rows, flagged, strict=True) if r.split == split]
        report[split] = _figures([r for r, _ in chosen], [f for _, f in chosen])
    by_label: dict[str, list[bool]] = {}
    for r, f in zip(rows, flagged, strict=True):
        by_label.setdefault(r.label, []).append(f)
    report["flagged_share_by_label"] = {
        k: round(sum(v) / len(v), 4) for k, v in sorted(by_label.items())
    }
    report["errors"] = [
        {
            "id": r.id,
            "split": r.split,
            "label": r.label,
            "kind": r.kind,
            "text": r.text,
            "problems": p,
        }
        for r, f, p in zip(rows, flagged, problems, strict=True)
        if f != r.positive
    ]
    return report
