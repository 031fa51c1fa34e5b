"""Support judges: does a text (a cited record) support a sentence of an answer?

- `OfflineJudge` (the default): the citation guard's `SupportScorer` (an exact or near-exact
  quotation scores 1.0, otherwise the best cosine similarity, all-MiniLM-L6-v2, between the
  sentence and the abstract's sentences and sentence pairs) against the guard's calibrated
  `DEFAULT_THRESHOLD`. It is a *proxy* for entailment: it rewards topical closeness and cannot
  see a wrong number or a negation; `assistant eval judge` measures its accuracy on the
  hand-labelled pairs of `evals/calibration/support_pairs.jsonl`.
- `LLMJudge` (when `settings.llm` is set): asks the configured model "does the source support
  the claim?" and reads a yes/no answer.

A judge is called with a batch of (sentence, texts) items and returns one bool per item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kernel.errors import ParseError
from kernel.jsonl import read_rows
from kernel.models import Record

__all__ = [
    "CALIBRATION_PAIRS",
    "LLMJudge",
    "OfflineJudge",
    "calibration_report",
    "load_pairs",
    "record_text",
]

CALIBRATION_PAIRS = Path(__file__).resolve().parent / "calibration" / "support_pairs.jsonl"


def record_text(record: Record) -> str:
    """What a citation of `record` may be supported by: "Title (Year). Abstract"."""
    return f"{record.title} ({record.year_label}). {record.abstract}".strip()


class OfflineJudge:
    """The guard's similarity scorer with its calibrated threshold (an entailment proxy)."""

    name = "offline similarity (proxy)"

    def __init__(self, scorer: Any, threshold: float | None = None) -> None:
        from assistant.guard import DEFAULT_THRESHOLD

        self.scorer = scorer
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold

    @classmethod
    def from_embedder(cls, embedder: Any, threshold: float | None = None) -> OfflineJudge:
        from assistant.guard import SupportScorer

        return cls(SupportScorer(embedder), threshold)

    def scores(self, items: Sequence[tuple[str, Sequence[str]]]) -> list[float]:
        items = [(s, [t for t in texts if t]) for s, texts in items]
        if hasattr(self.scorer, "score_many"):
            return [float(x) for x in self.scorer.score_many(items)]
        return [float(self.scorer.score(s, t)) for s, t in items]

    def __call__(self, items: Sequence[tuple[str, Sequence[str]]]) -> list[bool]:
        return [score >= self.threshold for score in self.scores(items)]


_YES = re.compile(r"^\W*(yes|supported|true)\b", re.I)
PROMPT = """You check citations. Read the source, then the claim.
Answer "yes" if the source supports the claim (states it or directly implies it), "no" otherwise.
Answer with one word: yes or no.

<source>
{source}
</source>

Claim: {claim}"""


class LLMJudge:
    """The configured LLM as an entailment judge (yes/no per claim)."""

    name = "llm"

    def __init__(self, llm: Any) -> None:
        self.llm = llm

    @classmethod
    def from_settings(cls, settings: Any) -> LLMJudge:
        from assistant.llm import build_llm

        judge = cls(build_llm(settings))
        judge.name = f"llm ({settings.llm_model})"
        return judge

    def verdict(self, sentence: str, texts: Sequence[str]) -> bool:
        from llama_index.core.llms import ChatMessage, MessageRole

        from kernel.errors import LLMError

        source = "\n\n".join(" ".join(t.split())[:2500] for t in texts if t)
        if not source:
            return False
        message = ChatMessage(
            role=MessageRole.USER,
            content=PROMPT.format(source=source, claim=" ".join(sentence.split())),
        )
        try:
            response = self.llm.chat([message])
        except Exception as exc:  # noqa: BLE001 - any adapter failure
            raise LLMError(
                f"the LLM judge failed ({type(exc).__name__}): {str(exc)[:200]}"
            ) from exc
        return bool(_YES.match(response.message.content or ""))

    def __call__(self, items: Sequence[tuple[str, Sequence[str]]]) -> list[bool]:
        return [self.verdict(s, t) for s, t in items]


# --------------------------------------------------------------------------- calibration
@dataclass(frozen=True)
class Pair:
    sentence: str
    title: str
    supported: bool
    kind: str = ""


def load_pairs(path: Path = CALIBRATION_PAIRS) -> list[Pair]:
    """Hand-labelled pairs: {"sentence", "title" (a catalog title), "supported", "kind"?} a line."""
    rows = read_rows(
        path,
        lambda item: Pair(
            item["sentence"], item["title"], bool(item["supported"]), item.get("kind", "")
        ),
        what="labelled pairs",
        fields="sentence, title and supported",
    )
    return [pair for _, pair in rows]


def calibration_report(pairs: Sequence[Pair], catalog: Any, judge: Any) -> dict:
    """The judge's accuracy on the labelled pairs (and, for a scoring judge, the best threshold
    there)."""
    texts = []
    for p in pairs:
        record = catalog.resolve(p.title)
        if record is None:
            raise ParseError(
                CALIBRATION_PAIRS, f"pair {p.sentence[:40]!r}: no catalog record titled {p.title!r}"
            )
        texts.append(record_text(record))
    items = [(p.sentence, [t]) for p, t in zip(pairs, texts, strict=True)]
    labels = [p.supported for p in pairs]
    report: dict = {
        "judge": judge.name,
        "pairs": len(pairs),
        "supported_pairs": sum(labels),
        "unsupported_pairs": len(labels) - sum(labels),
    }
    scores = judge.scores(items) if hasattr(judge, "scores") else None
    verdicts = [s >= judge.threshold for s in scores] if scores is not None else judge(items)
    tp = sum(v and y for v, y in zip(verdicts, labels, strict=True))
    fp = sum(v and not y for v, y in zip(verdicts, labels, strict=True))
    fn = sum((not v) and y for v, y in zip(verdicts, labels, strict=True))
    report.update(
        accuracy=round(
            sum(v == y for v, y in zip(verdicts, labels, strict=True)) / max(len(labels), 1), 4
        ),
        precision=round(tp / (tp + fp), 4) if tp + fp else None,
        recall=round(tp / (tp + fn), 4) if tp + fn else None,
        errors=[
            {
                "sentence": p.sentence,
                "title": p.title,
                "supported": p.supported,
                "kind": p.kind,
                **({"score": round(s, 3)} if scores is not None else {}),
            }
            for p, v, s in zip(pairs, verdicts, scores or [None] * len(pairs), strict=True)
            if v != p.supported
        ],
    )
    if scores is not None:
        from assistant.guard import calibrate

        best, accuracy = calibrate(scores, labels)
        report.update(
            threshold=judge.threshold,
            best_threshold_here=best,
            best_accuracy_here=round(accuracy, 4),
        )
        by_kind: dict[str, list[float]] = {}
        for p, s in zip(pairs, scores, strict=True):
            by_kind.setdefault(
                p.kind or ("supported" if p.supported else "unsupported"), []
            ).append(s)
        report["score_range_by_kind"] = {
            k: [round(min(v), 3), round(max(v), 3)] for k, v in sorted(by_kind.items())
        }
    return report
