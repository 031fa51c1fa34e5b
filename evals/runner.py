"""Question sets in, scored answers out: ask the assistant, or score answers from any system.

Question set (JSONL, one object a line):

    {"id": "q01", "question": "...", "gold": ["a catalog title or record id", ...],
     "filters": {"year_from": 2019, "regions": ["Asia"], ...},  # optional: what it restricts
     "apply_filters": false,  # optional: pass `filters` to the assistant as explicit filters
                              # (as the UI does)
     "unanswerable": false, "follow_up_of": "q00", "notes": "..."}

Gold titles are resolved to record ids through the catalog at run time (tolerantly), so the set
survives re-ingestion. A follow-up is asked with the conversation that leads to it as history.
Retrieval metrics use the answer's retrieved order (`Answer.hits`); a listing answer, which has
no hits, is ranked by its cited order; answers without `retrieved` get no retrieval metrics.

Answers (JSONL, for `--answers`): `{"id", "answer": "free text"}` (citations parsed from the
text), or structured: `{"id", "answer", "citations": [{"n", "record_id"?, "title", "year"}],
"abstained"?, "retrieved"?: [ids or titles, best first]}` (the `ask --json` shape plus an id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kernel.errors import ConfigError, ParseError
from kernel.jsonl import read_jsonl
from kernel.models import FACETS, Record

if TYPE_CHECKING:
    from assistant.models import Filters
    from assistant.service import Assistant

from .citations_parse import (
    MARKERS,
    Catalog,
    ParsedCitation,
    expand_markers,
    judge_citation,
    parse_answer,
)
from .metrics import (
    COUNT_METRICS,
    RATE_METRICS,
    SPLIT_METRICS,
    QuestionScore,
    aggregate,
    score_question,
)

__all__ = [
    "EvalResult",
    "Gate",
    "Question",
    "answers_from_assistant",
    "check_gates",
    "load_answers",
    "load_questions",
    "parse_gate",
    "score_answers",
]

FILTER_KEYS = ("year_from", "year_to", *FACETS)


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    gold: tuple[str, ...] = ()
    filters: dict[str, Any] = field(default_factory=dict)
    apply_filters: bool = False
    unanswerable: bool = False
    follow_up_of: str | None = None
    notes: str = ""

    def filters_object(self) -> Filters:
        from assistant.models import Filters

        f = self.filters
        return Filters(
            year_from=f.get("year_from"),
            year_to=f.get("year_to"),
            **{k: tuple(f.get(k) or ()) for k in FACETS},
        )


def _jsonl(path: Path, what: str) -> list[tuple[int, dict[str, Any]]]:
    items = read_jsonl(path, what=what, comments=True)
    if not items:
        raise ParseError(path, f"expected {what}, found none")
    return items


def load_questions(path: Path) -> list[Question]:
    """The question set; ParseError naming the line for a missing field, a duplicate id or a bad
    follow-up."""
    questions: list[Question] = []
    seen: set[str] = set()
    for line_no, item in _jsonl(path, "questions"):
        qid, text = str(item.get("id", "")).strip(), item.get("question")
        if not qid or not isinstance(text, str) or not text.strip():
            raise ParseError(path, f"line {line_no}: expected non-empty 'id' and 'question'")
        if qid in seen:
            raise ParseError(path, f"line {line_no}: duplicate question id {qid!r}")
        gold = item.get("gold") or []
        if isinstance(gold, str):
            gold = [gold]
        unanswerable = bool(item.get("unanswerable", False))
        if not gold and not unanswerable:
            raise ParseError(
                path, f"line {line_no} ({qid}): expected 'gold' records, or \"unanswerable\": true"
            )
        filters = item.get("filters") or {}
        unknown = set(filters) - set(FILTER_KEYS)
        if unknown:
            raise ParseError(
                path,
                f"line {line_no} ({qid}): unknown filter keys {sorted(unknown)}; "
                f"expected {FILTER_KEYS}",
            )
        parent = item.get("follow_up_of")
        if parent is not None and parent not in seen:
            raise ParseError(
                path, f"line {line_no} ({qid}): follow_up_of {parent!r} names no earlier question"
            )
        seen.add(qid)
        questions.append(
            Question(
                qid,
                text.strip(),
                tuple(map(str, gold)),
                dict(filters),
                bool(item.get("apply_filters", False)),
                unanswerable,
                parent,
                str(item.get("notes", "")),
            )
        )
    return questions


def resolve_gold(
    questions: Sequence[Question], catalog: Catalog, path: Path | str = "questions"
) -> dict[str, list[str]]:
    """Question id -> gold record ids; a gold that names no record is an error in the set."""
    out: dict[str, list[str]] = {}
    for q in questions:
        ids = [r.id for r in catalog.resolve_all(q.gold, path, f"question {q.id}: gold")]
        out[q.id] = list(dict.fromkeys(ids))
    return out


# --------------------------------------------------------------------------- answers
def load_answers(path: Path) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = {}
    for line_no, item in _jsonl(path, "answers"):
        qid = str(item.get("id", "")).strip()
        if not qid or not isinstance(item.get("answer", item.get("text")), str):
            raise ParseError(path, f"line {line_no}: expected 'id' and 'answer' (a string)")
        answers[qid] = item
    return answers


def answers_from_assistant(
    assistant: Assistant,
    questions: Sequence[Question],
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Ask every question (follow-ups with their conversation as history); structured answer
    dicts."""
    out: dict[str, dict[str, Any]] = {}
    by_id = {q.id: q for q in questions}
    for i, q in enumerate(questions, start=1):
        history: list[tuple[str, str]] = []
        parent = q.follow_up_of
        while parent is not None:
            history.insert(0, (by_id[parent].question, out[parent]["answer"]))
            parent = by_id[parent].follow_up_of
        filters = q.filters_object() if q.apply_filters else None
        answer = assistant.ask(q.question, filters=filters, history=history)
        item = answer.to_json()
        item["id"] = q.id
        item["retrieved"] = [h.record.id for h in answer.hits]
        out[q.id] = item
        if progress:
            progress(i, len(questions), q.id)
    return out


def _structured(
    item: Mapping[str, Any], text: str, catalog: Catalog
) -> tuple[list[ParsedCitation], list[tuple[str, list[str]]]]:
    """Citations given as objects, checked against the catalog; sentences mapped through `[n]`."""
    from .citations_parse import is_label, statement_spans

    citations: list[ParsedCitation] = []
    by_n: dict[int, ParsedCitation] = {}
    for k, c in enumerate(item.get("citations") or [], start=1):
        c = c if isinstance(c, Mapping) else {"title": str(c)}
        title = str(c.get("title") or "")
        if "year" in c:
            year = c.get("year")
            token = "n.d." if year in (None, "", "n.d.") else str(year)
        else:
            token = None
        rid = c.get("record_id") or c.get("id")
        record = catalog.get(str(rid)) if rid else None
        if rid and record is None:
            parsed = ParsedCitation(title or str(rid), token, None, "fabricated", c.get("n", k))
        else:
            parsed = judge_citation(catalog, title, token, marker=c.get("n", k), record=record)
        citations.append(parsed)
        by_n[int(c.get("n", k))] = parsed
    sentences = []
    for a, b in statement_spans(text):
        sentence = text[a:b]
        ids = []
        for m in MARKERS.finditer(sentence):
            for n in expand_markers(m.group(1)):
                c = by_n.get(n)
                if c is None:
                    c = by_n[n] = ParsedCitation(f"[{n}]", None, None, "fabricated", n)
                    citations.append(c)
                if c.record_id:
                    ids.append(c.record_id)
        if not is_label(sentence):
            sentences.append((sentence, list(dict.fromkeys(ids))))
    return citations, sentences


# --------------------------------------------------------------------------- scoring
@dataclass
class EvalResult:
    overall: dict[str, Any]
    questions: list[QuestionScore]
    judge: str | None
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "judge": self.judge,
            "source": self.source,
            "questions": [q.to_json() for q in self.questions],
        }


def score_answers(
    questions: Sequence[Question],
    answers: Mapping[str, Mapping[str, Any]],
    catalog: Catalog,
    judge: Any = None,
    source: str = "answers",
    path: Path | str = "questions",
) -> EvalResult:
    """Score each question's answer; a question without an answer counts as a refusal."""
    from .judge import record_text

    gold = resolve_gold(questions, catalog, path)
    texts = {r.id: record_text(r) for r in catalog.records}
    names = {r.id: f"{r.title[:60]} ({r.year_label})" for r in catalog.records}
    scores = []
    for q in questions:
        item = answers.get(q.id) or {"answer": "", "citations": [], "abstained": True}
        text = str(item.get("answer", item.get("text", "")) or "")
        if "citations" in item:
            citations, sentences = _structured(item, text, catalog)
        else:
            parsed = parse_answer(text, catalog)
            citations, sentences = parsed.citations, parsed.sentence_records
        retrieved = None
        if item.get("retrieved") is not None:
            retrieved = [
                r.id for r in (catalog.resolve(str(x)) for x in item["retrieved"]) if r is not None
            ]
            if not retrieved:  # no hits (a listing answer): the cited order stands in
                retrieved = list(dict.fromkeys(c.record_id for c in citations if c.record_id))
        abstained = bool(item.get("abstained", False)) or not any(c.record_id for c in citations)
        filters = q.filters_object() if q.filters else None
        matches = (
            (lambda rid, f=filters: f.matches(catalog.get(rid)))
            if filters and not filters.is_empty()
            else None
        )
        score = score_question(
            qid=q.id,
            question=q.question,
            gold=gold[q.id],
            answerable=not q.unanswerable,
            abstained=abstained,
            citations=citations,
            sentence_records=sentences,
            retrieved=retrieved,
            texts=texts,
            judge=judge,
            matches_filters=matches,
            answer=text,
            names=names,
        )
        score.follow_up_of = q.follow_up_of
        if q.id not in answers:
            score.problems.insert(0, "no answer given")
        scores.append(score)
    overall = aggregate(scores)
    return EvalResult(overall, scores, getattr(judge, "name", None) if judge else None, source)


# --------------------------------------------------------------------------- gates
@dataclass(frozen=True)
class Gate:
    """`metric` must be at least `minimum` ("m=v"), or at most it when `maximum` ("m<=v"); `split`
    names the question file (its stem, "test" for test.jsonl) it applies to, "" every file."""

    metric: str
    minimum: float
    maximum: bool = False
    split: str = ""

    def __str__(self) -> str:
        where = f"{self.split}:" if self.split else ""
        return f"{where}{self.metric}{'<=' if self.maximum else '='}{self.minimum:g}"


def metric_name(name: str) -> str:
    key = name.strip().lower().replace("-", "_").replace("_at_", "@")
    known = RATE_METRICS + COUNT_METRICS + SPLIT_METRICS
    if key not in known:
        raise ConfigError(f"unknown metric {name!r}; expected one of {', '.join(known)}")
    return key


def parse_gate(text: str) -> Gate:
    """ "citation_validity=1.0", "test:false_abstention<=0.05" -> Gate; ConfigError saying what was
    expected."""
    name, sep, value = text.partition("=")
    if not sep:
        raise ConfigError(
            f"expected [SPLIT:]METRIC=VALUE or METRIC<=VALUE for a gate, found {text!r}"
        )
    split, _, name = name.rpartition(":")
    maximum = name.endswith("<")
    try:
        minimum = float(value)
    except ValueError as exc:
        raise ConfigError(f"expected a number after '=' in gate {text!r}") from exc
    return Gate(metric_name(name.rstrip("<")), minimum, maximum, split.strip())


def check_gates(overall: Mapping[str, Any], gates: Iterable[Gate], split: str = "") -> list[str]:
    """Descriptions of the failed gates (empty when all pass); an unmeasured metric fails. With
    `split`, only the gates for every file or for that one apply, and failures name it."""
    failed = []
    where = f"{split}: " if split else ""
    for gate in gates:
        if gate.split and gate.split != split:
            continue
        value = overall.get(gate.metric)
        if value is None:
            failed.append(f"{where}{gate.metric} was not measured (needs {gate.minimum})")
        elif gate.maximum and value > gate.minimum:
            failed.append(f"{where}{gate.metric} {value:.4g} > {gate.minimum:g}")
        elif not gate.maximum and value < gate.minimum:
            failed.append(f"{where}{gate.metric} {value:.4g} < {gate.minimum:g}")
    return failed


def catalog_from_paths(paths: Sequence[Path]) -> Catalog:
    """A catalog parsed and merged from library files (no index needed)."""
    from ingest import iter_library_files, merge_records, parse_path

    records: list[Record] = []
    for p in iter_library_files(list(paths)):
        records.extend(parse_path(p))
    return Catalog(merge_records(records).records)
