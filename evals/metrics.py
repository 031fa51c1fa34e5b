"""Metrics of one answer against its question, and their aggregate over a question set.

Retrieval (against the gold records, from the answer's retrieved order):
    recall@k    share of gold records among the first k retrieved
    mrr         1 / rank of the first gold record (0 when none is retrieved)
    ndcg@10     binary (or graded) discounted cumulative gain, normalised by the ideal order

Citations:
    citation_validity     share of citations naming a catalog record with its exact title and year
    fabricated, wrong_year, inexact_title, missing_year   counts (see `evals.citations_parse`)
    citation_support      share of (sentence, cited record) pairs in which the record alone supports
                          the sentence (the judge's verdict)
    citation_recall       ALCE (Gao et al. 2023): share of the answer's sentences whose citations
                          jointly support them (a sentence without citations counts as unsupported)
    citation_precision    ALCE: share of citations that are needed: a citation of a sentence whose
                          citations jointly support it counts unless it does not support the
                          sentence alone AND the other citations still support it without it
    gold_citation_recall  share of the gold records that the answer cites
    abstention            1 when an unanswerable question got no source and an answerable one was
                          answered with at least one source, else 0
    filter_compliance     share of cited records that satisfy the question's filters

Every per-question value is None when it does not apply (no citations, no gold, no filters);
`aggregate` averages each metric over the questions where it applies (macro average), and sums
the counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

__all__ = [
    "RATE_METRICS",
    "QuestionScore",
    "aggregate",
    "alce",
    "ndcg_at_k",
    "recall_at_k",
    "reciprocal_rank",
]

KS = (1, 3, 5, 10)
RATE_METRICS = (
    "recall@1",
    "recall@3",
    "recall@5",
    "recall@10",
    "mrr",
    "ndcg@10",
    "citation_validity",
    "citation_support",
    "citation_recall",
    "citation_precision",
    "gold_citation_recall",
    "abstention",
    "filter_compliance",
)
COUNT_METRICS = ("citations", "fabricated", "wrong_year", "inexact_title", "missing_year")
SPLIT_METRICS = ("correct_abstention", "false_abstention")
"""Abstention by side: `correct_abstention` the share of unanswerable questions answered with no
citation, `false_abstention` the share of answerable ones refused or answered without a citation
(`abstention` mixes both sides)."""

Judge = Callable[[Sequence[tuple[str, Sequence[str]]]], list[bool]]
"""Verdicts for (sentence, texts) items: do the texts (jointly) support the sentence?"""


# --------------------------------------------------------------------------- retrieval
def recall_at_k(ranked: Sequence[str], gold: Iterable[str], k: int) -> float:
    gold = set(gold)
    if not gold:
        raise ValueError("recall needs at least one gold id")
    return len(gold & set(ranked[:k])) / len(gold)


def reciprocal_rank(ranked: Sequence[str], gold: Iterable[str], k: int | None = None) -> float:
    gold = set(gold)
    for rank, rid in enumerate(ranked[:k] if k else ranked, start=1):
        if rid in gold:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(
    ranked: Sequence[str], gold: Iterable[str] | Mapping[str, float], k: int = 10
) -> float:
    """nDCG@k with gains `2^rel - 1` (binary gold: 1 per relevant id), as in BEIR / trec_eval."""
    gains = dict(gold) if isinstance(gold, Mapping) else {g: 1.0 for g in gold}
    seen: set[str] = set()
    dcg = 0.0
    for i, rid in enumerate(ranked[:k]):
        if rid in gains and rid not in seen:
            seen.add(rid)
            dcg += (2 ** gains[rid] - 1) / math.log2(i + 2)
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


# --------------------------------------------------------------------------- ALCE
@dataclass
class AlceResult:
    recall: float | None
    precision: float | None
    support: float | None
    """Share of (sentence, cited record) pairs the record alone supports."""
    sentences: list[dict] = field(default_factory=list)


def alce(
    sentence_records: Sequence[tuple[str, Sequence[str]]], texts: Mapping[str, str], judge: Judge
) -> AlceResult:
    """ALCE citation recall and precision (and pairwise support) of one answer.

    `sentence_records`: (sentence, record ids it cites) for every sentence that should be
    supported; `texts`: record id -> the text that may support it (title, year, abstract).
    """
    if not sentence_records:
        return AlceResult(None, None, None)
    checks: dict[tuple[str, tuple[str, ...]], int] = {}
    items: list[tuple[str, list[str]]] = []

    def need(sentence: str, ids: Sequence[str]) -> int:
        key = (sentence, tuple(sorted(ids)))
        if key not in checks:
            checks[key] = len(items)
            items.append((sentence, [texts[i] for i in key[1] if i in texts]))
        return checks[key]

    plans = []
    for sentence, ids in sentence_records:
        ids = [i for i in dict.fromkeys(ids) if i in texts]
        joint = need(sentence, ids) if ids else None
        alone = {i: need(sentence, [i]) for i in ids}
        without = {i: need(sentence, [j for j in ids if j != i]) for i in ids if len(ids) > 1}
        plans.append((sentence, ids, joint, alone, without))
    verdicts = judge(items) if items else []

    supported = precise = n_citations = pairs = pairs_ok = 0
    details = []
    for sentence, ids, joint, alone, without in plans:
        ok = bool(joint is not None and verdicts[joint])
        supported += ok
        n_citations += len(ids)
        for i in ids:
            alone_ok = bool(verdicts[alone[i]])
            pairs += 1
            pairs_ok += alone_ok
            if ok and (alone_ok or len(ids) == 1 or not verdicts[without[i]]):
                precise += 1
        details.append({"sentence": sentence, "records": list(ids), "supported": ok})
    return AlceResult(
        recall=supported / len(plans),
        precision=precise / n_citations if n_citations else None,
        support=pairs_ok / pairs if pairs else None,
        sentences=details,
    )


# --------------------------------------------------------------------------- per question
@dataclass
class QuestionScore:
    """All metrics of one answer; None where a metric does not apply."""

    id: str
    question: str
    answerable: bool
    abstained: bool
    answer: str = ""
    gold: list[str] = field(default_factory=list)
    cited: list[str] = field(default_factory=list)
    retrieved: list[str] | None = None
    metrics: dict[str, float | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    sentences: list[dict] = field(default_factory=list)
    follow_up_of: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


def score_question(
    *,
    qid: str,
    question: str,
    gold: Sequence[str],
    answerable: bool,
    abstained: bool,
    citations: Sequence,  # ParsedCitation-like: .record_id, .status, .claimed_title, .claimed_year
    sentence_records: Sequence[tuple[str, Sequence[str]]],
    retrieved: Sequence[str] | None,
    texts: Mapping[str, str],
    judge: Judge | None,
    matches_filters: Callable[[str], bool] | None = None,
    answer: str = "",
    names: Mapping[str, str] | None = None,
) -> QuestionScore:
    """Score one answer (see the module docstring for each metric); `names` labels records in
    problems."""
    names = names or {}
    m: dict[str, float | None] = dict.fromkeys(RATE_METRICS)
    counts = {k: 0 for k in COUNT_METRICS}
    problems: list[str] = []
    cited = list(dict.fromkeys(c.record_id for c in citations if c.record_id))

    if answerable and gold and retrieved is not None:
        for k in KS:
            m[f"recall@{k}"] = recall_at_k(retrieved, gold, k)
        m["mrr"] = reciprocal_rank(retrieved, gold)
        m["ndcg@10"] = ndcg_at_k(retrieved, gold, 10)

    counts["citations"] = len(citations)
    for c in citations:
        if c.status in counts:
            counts[c.status] += 1
        if c.status != "valid":
            problems.append(
                f"{c.status.replace('_', ' ')}: {c.claimed_title!r} ({c.claimed_year or 'no year'})"
            )
    if citations:
        m["citation_validity"] = sum(c.status == "valid" for c in citations) / len(citations)

    sentences: list[dict] = []
    if judge is not None and cited and not abstained:
        result = alce(sentence_records, texts, judge)
        m["citation_recall"], m["citation_precision"], m["citation_support"] = (
            result.recall,
            result.precision,
            result.support,
        )
        sentences = result.sentences
        unsupported = [s["sentence"] for s in sentences if not s["supported"]]
        if unsupported:
            problems.append(f"{len(unsupported)} sentence(s) not supported by their citations")

    if answerable and gold:
        m["gold_citation_recall"] = len(set(gold) & set(cited)) / len(set(gold))
        missed = [g for g in gold if g not in cited]
        if missed:
            problems.append("gold not cited: " + "; ".join(names.get(g, g) for g in missed))

    if answerable:
        m["abstention"] = 1.0 if (cited and not abstained) else 0.0
        if not m["abstention"]:
            problems.append("refused or cited nothing, but the library answers it")
    else:
        m["abstention"] = 1.0 if not citations else 0.0
        if citations:
            problems.append("unanswerable, but the answer cites sources")

    if matches_filters is not None and cited:
        ok = [rid for rid in cited if matches_filters(rid)]
        m["filter_compliance"] = len(ok) / len(cited)
        if len(ok) < len(cited):
            problems.append(
                "cited outside the filters: "
                + "; ".join(names.get(r, r) for r in cited if r not in ok)
            )

    return QuestionScore(
        id=qid,
        question=question,
        answerable=answerable,
        abstained=abstained,
        answer=answer,
        gold=list(gold),
        cited=cited,
        retrieved=list(retrieved) if retrieved is not None else None,
        metrics=m,
        counts=counts,
        problems=problems,
        citations=[c.to_json() if hasattr(c, "to_json") else dict(c) for c in citations],
        sentences=sentences,
    )


def aggregate(scores: Sequence[QuestionScore]) -> dict[str, float | int | None]:
    """Macro averages of the rate metrics over the questions where they apply; summed counts."""
    out: dict[str, float | int | None] = {
        "questions": len(scores),
        "answerable": sum(s.answerable for s in scores),
        "unanswerable": sum(not s.answerable for s in scores),
    }
    for name in RATE_METRICS:
        values = [s.metrics.get(name) for s in scores if s.metrics.get(name) is not None]
        out[name] = round(sum(values) / len(values), 4) if values else None
    for name in COUNT_METRICS:
        out[name] = sum(s.counts.get(name, 0) for s in scores)
    unanswerable = [s.metrics.get("abstention") for s in scores if not s.answerable]
    answerable = [s.metrics.get("abstention") for s in scores if s.answerable]
    out["correct_abstention"] = (
        round(sum(unanswerable) / len(unanswerable), 4) if unanswerable else None
    )
    out["false_abstention"] = (
        round(1 - sum(answerable) / len(answerable), 4) if answerable else None
    )
    return out
