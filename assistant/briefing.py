"""Briefing notes for trainers: a topic in, a cited note out (Markdown, DOCX, RIS bibliography).

`build_briefing(assistant, topic, filters=None)` asks the assistant about the topic and, when the
library holds something on it, draws on every relevant record, not only the answer's few:

- sources: the records the answer cites, then the records filed under a category the topic
  names ("child soldiers": every record in Child Soldiers; "trafficking of children" names
  Child Trafficking, not the wider Trafficking), then those whose title or abstract mentions the
  topic's distinctive words, then the other retrieved records that passed the relevance gate;
  at most `MAX_SOURCES`, all within the answer's filters;
- key points: the answer's cited sentences (a sentence the citation guard flagged keeps a
  visible "check" remark), and for each other source the abstract sentence closest to the topic,
  quoted verbatim; grouped by theme (`assistant/themes.py`) and numbered in reading order;
- evidence: per source, where it comes from and the abstract's context around its key point
  (the sentences next to it), never the key point again;
- bibliography: exactly the cited records, each "Authors (Year). Title. Library category: X."
  from the catalog ("n.d." when it has no year);
- caveats: the answer's warnings (a place no record mentions, filters dropped), printed under
  the title so that a general note is not handed out as one about that place.

When the library holds nothing on the topic the note is `empty`: no key points, a `notice`
saying so, and nothing to download (the app and `assistant brief --out` refuse to write it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.citations import (
    bibliography_parts,
    bibliography_ris,
    citation_label,
    problem_label,
    sentence_verdicts,
)
from assistant.guard import is_label, strip_markers
from assistant.models import Answer, Citation, Filters
from assistant.notices import sentence
from assistant.themes import OTHER, THEMES, theme_of
from kernel.errors import QuestionError
from kernel.models import Record
from kernel.text import content_words, sentence_spans, singular, word_key

if TYPE_CHECKING:  # pragma: no cover
    from assistant.service import Assistant

__all__ = [
    "BriefingNote",
    "EvidenceItem",
    "KeyPoint",
    "build_briefing",
    "note_from_answer",
    "plural",
    "topic_categories",
]

EXCERPT_WORDS = 60
"""Words of context the evidence section quotes per source (whole sentences, cut with … past
this)."""
MAX_SOURCES = 15
"""Records one note draws on (a broad topic would otherwise list most of the library)."""
COMMON_SHARE = 0.5
"""A topic word held by at least this share of the records ("trafficking") does not pick records."""
_QUOTABLE_WORDS = (6, 80)


_MD_INLINE = re.compile(r"([\\`*_\[\]|~$])|&(?=#?\w+;)|<(?=[A-Za-z/!?])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def _md(text: str) -> str:
    """Text that Markdown (and the HTML it may hold) shows literally, written for people reading the
    .md file too: a plain "&" stays "&" (not "&amp;"); only what could start an entity, a tag,
    emphasis, a link, code or a line-leading mark is backslash-escaped."""
    text = _MD_INLINE.sub(lambda m: "\\" + m.group(0), str(text))
    return _MD_LINE_START.sub(
        lambda m: (
            f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}"
            if m.group(2)[0].isdigit()
            else f"{m.group(1)}\\{m.group(2)}"
        ),
        text,
    )


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 key point", "2 key points"."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


@dataclass(frozen=True)
class KeyPoint:
    text: str
    """The sentence without markers, as the record's abstract (or the answer) has it."""
    citations: tuple[int, ...]
    """Bibliography numbers it cites."""
    check: str | None = None
    """The citation guard's remark when it flagged the sentence."""
    theme: str = OTHER
    """The theme it is listed under (`assistant.themes`)."""


@dataclass(frozen=True)
class EvidenceItem:
    citation: Citation
    excerpt: str
    """Context from the record's abstract around its key points (never a key point itself)."""


@dataclass(frozen=True)
class BriefingNote:
    topic: str
    title: str
    key_points: tuple[KeyPoint, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    bibliography: tuple[Citation, ...] = ()
    notice: str = ""
    filters: Filters = field(default_factory=Filters)
    caveats: tuple[str, ...] = ()
    """The answer's warnings, as sentences ("No record in the library mentions Syria, ...")."""
    created: date = field(default_factory=date.today)

    @property
    def empty(self) -> bool:
        return not self.key_points

    @property
    def summary(self) -> str:
        """ "9 key points from 9 sources" (the notice when the note is empty)."""
        if self.empty:
            return self.notice
        points, sources = len(self.key_points), len(self.bibliography)
        return f"{plural(points, 'key point')} from {plural(sources, 'source')}"

    def themes(self) -> list[tuple[str, list[KeyPoint]]]:
        """The key points grouped by theme, in the note's order."""
        groups: dict[str, list[KeyPoint]] = {}
        for point in self.key_points:
            groups.setdefault(point.theme, []).append(point)
        return list(groups.items())

    def to_markdown(self) -> str:
        md = _md
        lines = [
            f"# {md(self.title)}",
            "",
            f"_Prepared {self.created.isoformat()} from the library's records; "
            f"{plural(len(self.bibliography), 'source')} cited._",
            "",
        ]
        if not self.filters.is_empty():
            lines += [f"_Records limited to: {md(self.filters.describe())}._", ""]
        lines += [f"_Note: {md(c)}_" for c in self.caveats] + ([""] if self.caveats else [])
        if self.notice:
            lines += [md(self.notice), ""]
        if self.key_points:
            lines += ["## Key points", ""]
            for theme, points in self.themes():
                lines += [f"### {md(theme)}", ""]
                for point in points:
                    check = f" _(check: {md(point.check)})_" if point.check else ""
                    lines.append(f"- {md(point.text)} {_markers(point.citations)}{check}")
                lines.append("")
        if self.evidence:
            lines += ["## Evidence", "", "_What each source says around its key point._", ""]
            for item in self.evidence:
                rec = item.citation.record
                lines.append(
                    f"**[{item.citation.n}] {md(citation_label(item.citation))}**"
                    f"{md(_origin(rec))}  "
                )
                lines.append(f"> {md(item.excerpt)}" if item.excerpt else f"> _{_no_context(rec)}_")
                lines.append("")
        lines += ["## Bibliography", ""]
        if self.bibliography:
            for c in self.bibliography:
                before, title, after = bibliography_parts(c.record)
                lines.append(f"{c.n}. {md(before)}_{md(title)}_{md(after)}")
        else:
            lines.append("No source was cited.")
        return "\n".join(lines).rstrip() + "\n"

    FORMATS = (".md", ".docx", ".ris")
    """What `save` writes, by the file's suffix: the note as Markdown or DOCX, its bibliography as
    RIS."""

    def save(self, path: str | Path) -> Path:
        """Write the note to `path` in the format its suffix names (`FORMATS`), making its
        folder."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in self.FORMATS:
            raise ValueError(
                f"expected a file ending in {', '.join(self.FORMATS)}, found {path.name!r}"
            )
        if suffix == ".docx":
            return self.to_docx(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_ris() if suffix == ".ris" else self.to_markdown(), encoding="utf-8")
        return path

    def to_ris(self) -> str:
        """The bibliography as RIS, for reference managers (Zotero, EndNote, Mendeley)."""
        return bibliography_ris([c.record for c in self.bibliography])

    def to_docx(self, path: str | Path) -> Path:
        from docx import Document
        from docx.shared import Pt

        path = Path(path)
        doc = Document()
        doc.core_properties.title = self.title
        doc.add_heading(self.title, level=0)
        meta = doc.add_paragraph(
            f"Prepared {self.created.isoformat()} from the library's records; "
            f"{plural(len(self.bibliography), 'source')} cited."
        )
        meta.runs[0].italic = True
        if not self.filters.is_empty():
            doc.add_paragraph(f"Records limited to: {self.filters.describe()}.").runs[
                0
            ].italic = True
        for caveat in self.caveats:
            doc.add_paragraph(f"Note: {caveat}").runs[0].italic = True
        if self.notice:
            doc.add_paragraph(self.notice)
        if self.key_points:
            doc.add_heading("Key points", level=1)
            for theme, points in self.themes():
                doc.add_heading(theme, level=2)
                for point in points:
                    para = doc.add_paragraph(style="List Bullet")
                    para.add_run(f"{point.text} {_markers(point.citations)}")
                    if point.check:
                        para.add_run(f" (check: {point.check})").italic = True
        if self.evidence:
            doc.add_heading("Evidence", level=1)
            for item in self.evidence:
                rec = item.citation.record
                para = doc.add_paragraph()
                para.add_run(f"[{item.citation.n}] {citation_label(item.citation)}").bold = True
                para.add_run(_origin(rec))
                quote = doc.add_paragraph(item.excerpt or _no_context(rec), style="Quote")
                quote.paragraph_format.space_after = Pt(6)
        doc.add_heading("Bibliography", level=1)
        if self.bibliography:
            for c in self.bibliography:
                before, title, after = bibliography_parts(c.record)
                para = doc.add_paragraph(f"[{c.n}] {before}")
                para.add_run(title).italic = True
                para.add_run(after)
        else:
            doc.add_paragraph("No source was cited.")
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
        return path


def _markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _origin(record) -> str:
    """ " — Region: Worldwide; Category: Child Soldiers" (places and categories labelled)."""
    places = list(dict.fromkeys([*record.countries, *record.regions]))
    parts = []
    if places:
        parts.append(f"{'Places' if len(places) > 1 else 'Place'}: {', '.join(places)}")
    if record.categories:
        label = "Categories" if len(record.categories) > 1 else "Category"
        parts.append(f"{label}: {', '.join(record.categories)}")
    return f" — {'; '.join(parts)}" if parts else ""


def _no_context(record) -> str:
    return (
        "(the abstract says no more than its key point)"
        if record.abstract.strip()
        else "(no abstract in the catalog)"
    )


def _sentences(record: Record) -> list[str]:
    """The abstract's sentences, whitespace collapsed, otherwise verbatim (dashes and all)."""
    abstract = record.abstract or ""
    return [" ".join(abstract[a:b].split()) for a, b in sentence_spans(abstract, lines=False)]


def _context(record: Record, used: Iterable[str], words: int = EXCERPT_WORDS) -> str:
    """The abstract's sentences next to the used ones (after first, then before), in abstract order,
    up to `words` words; the used sentences themselves are never repeated."""
    sentences = _sentences(record)
    used_keys = {word_key(u) for u in used}
    at = [
        i
        for i, s in enumerate(sentences)
        if word_key(s) in used_keys or any(k and k in word_key(s) for k in used_keys)
    ]
    order: list[int] = []
    if at:
        for step in range(1, len(sentences)):
            for i in (at[-1] + step, at[0] - step):
                if 0 <= i < len(sentences) and i not in at and i not in order:
                    order.append(i)
    else:
        order = list(range(len(sentences)))
    taken: list[int] = []
    count = 0
    for i in order:
        if count >= words // 2:
            break
        taken.append(i)
        count += len(sentences[i].split())
    if not taken:
        return ""
    taken.sort()
    pieces, previous = [], None
    for i in taken:
        if previous is not None and i != previous + 1:
            pieces.append("…")
        pieces.append(sentences[i])
        previous = i
    if at and taken[0] > at[0] + 1 or (not at and taken[0] > 0):
        pieces.insert(0, "…")
    excerpt = " ".join(pieces)
    tokens = excerpt.split()
    return excerpt if len(tokens) <= words else " ".join(tokens[:words]) + " …"


def _stems(text: str) -> set[str]:
    out = set()
    for word in content_words(text):
        if word.endswith("ren") and len(word) > 5:  # children -> child
            word = word[:-3]
        out.add(singular(word))
    return out


def topic_categories(topic: str, categories: Iterable[str]) -> list[str]:
    """The catalog categories a topic names: all of a category's words are in the topic ("child
    soldiers" names Child Soldiers); a category whose words another named category includes is
    dropped as too wide ("trafficking of children" names Child Trafficking, not Trafficking)."""
    words = _stems(topic)
    stems = {c: _stems(c) for c in categories}
    named = [c for c, s in stems.items() if s and s <= words]
    return [c for c in named if not any(stems[c] < stems[o] for o in named)]


def _mentioning(assistant, topic: str, pool: Sequence[Record]) -> list[Record]:
    """Records whose title or abstract holds every distinctive word of the topic (words most records
    hold do not count; with none left, nothing is picked this way)."""
    from assistant.service import mentions

    bm25 = getattr(getattr(assistant, "retriever", None), "bm25", None)
    if bm25 is None:
        return []
    distinctive = [w for w in content_words(topic) if 0.0 < bm25.share(w) < COMMON_SHARE]
    return [r for r in pool if distinctive and mentions(r, distinctive)] if distinctive else []


def relevant_records(assistant, topic: str, answer: Answer) -> list[Record]:
    """Every record a note on `topic` draws on, most relevant first (see the module docstring)."""
    if answer.abstained or not answer.citations:
        return []
    pool = [r for r in assistant.records() if answer.filters.matches(r)]
    categories = set(topic_categories(topic, {c for r in pool for c in r.categories}))
    ordered = [c.record for c in answer.citations]
    ordered += [r for r in pool if categories & set(r.categories)]
    ordered += _mentioning(assistant, topic, pool)
    ordered += [h.record for h in answer.hits]
    unique = list({r.id: r for r in ordered}.values())
    return unique[:MAX_SOURCES]


def _best_sentences(assistant, topic: str, records: Sequence[Record]) -> dict[str, str]:
    """record id -> the abstract sentence closest to the topic (the model's cosine; word overlap
    when the assistant has no embedding model)."""
    candidates: list[tuple[str, str]] = []
    for record in records:
        quotable = [
            s
            for s in _sentences(record)
            if _QUOTABLE_WORDS[0] <= len(s.split()) <= _QUOTABLE_WORDS[1] and not s.endswith(":")
        ]
        candidates += [(record.id, s) for s in (quotable or _sentences(record)[:1])]
    if not candidates:
        return {}
    embedder = getattr(assistant, "embedder", None)
    if embedder is not None:
        vectors = embedder.encode([topic] + [" ".join(s.split()[:40]) for _, s in candidates])
        scores = [float(v @ vectors[0]) for v in vectors[1:]]
    else:
        wanted = _stems(topic)
        scores = [len(wanted & _stems(s)) / (1 + len(s.split())) ** 0.5 for _, s in candidates]
    best: dict[str, tuple[float, str]] = {}
    for (record_id, text), score in zip(candidates, scores, strict=True):
        if record_id not in best or score > best[record_id][0]:
            best[record_id] = (score, text)
    return {k: v[1] for k, v in best.items()}


def _answer_points(answer: Answer) -> list[tuple[str, list[Record], str | None]]:
    """(sentence, records it cites, guard remark) for each cited sentence of the answer."""
    by_n = {c.n: c.record for c in answer.citations}
    out = []
    for verdict in sentence_verdicts(answer):
        numbers = [n for n in verdict.markers if n in by_n]
        text = strip_markers(verdict.sentence).strip()
        if not numbers or not text or is_label(verdict.sentence):
            continue
        out.append(
            (
                text,
                [by_n[n] for n in dict.fromkeys(numbers)],
                problem_label(verdict) if verdict.problem else None,
            )
        )
    return out


def note_from_answer(
    topic: str, answer: Answer, extra: Sequence[tuple[str, Record]] = ()
) -> BriefingNote:
    """The note for an answer (its cited sentences) plus `extra` (sentence, record) key points;
    points are grouped by theme and the sources numbered in reading order."""
    title = f"Briefing note: {topic.strip()}"
    raw = [] if answer.abstained else _answer_points(answer)
    raw += [(text, [record], None) for text, record in extra]
    order = {theme.name: i for i, theme in enumerate(THEMES)}
    themed = [
        (theme_of(text), i, text, records, check) for i, (text, records, check) in enumerate(raw)
    ]
    themed.sort(key=lambda t: (order.get(t[0], len(order)), t[1]))
    numbers: dict[str, int] = {}
    records_by_id: dict[str, Record] = {}
    used: dict[str, list[str]] = {}
    points: list[KeyPoint] = []
    for theme, _, text, records, check in themed:
        for record in records:
            numbers.setdefault(record.id, len(numbers) + 1)
            records_by_id[record.id] = record
            used.setdefault(record.id, []).append(text)
        points.append(
            KeyPoint(
                text=text,
                citations=tuple(dict.fromkeys(numbers[r.id] for r in records)),
                check=check,
                theme=theme,
            )
        )
    pages = {c.record.id: c.locations for c in answer.citations}
    bibliography = tuple(
        Citation(n, records_by_id[rid], pages.get(rid, ())) for rid, n in numbers.items()
    )
    evidence = tuple(EvidenceItem(c, _context(c.record, used[c.record.id])) for c in bibliography)
    notice = ""
    if not points:
        notice = (
            answer.text.strip()
            if answer.abstained
            else "The library holds no cited evidence on this topic."
        )
    return BriefingNote(
        topic=topic.strip(),
        title=title,
        key_points=tuple(points),
        evidence=evidence,
        bibliography=bibliography,
        notice=notice,
        filters=answer.filters,
        caveats=tuple(sentence(n, answer.language) for n in answer.notices) if points else (),
    )


def build_briefing(
    assistant: Assistant, topic: str, filters: Filters | None = None, infer: bool = True
) -> BriefingNote:
    """Ask the assistant about `topic` and write the note from every relevant record. Raises
    `QuestionError` for an empty topic."""
    if not isinstance(topic, str) or not topic.strip():
        raise QuestionError(
            "the briefing topic is empty: name a topic, "
            'e.g. "trafficking of children in armed conflict"'
        )
    topic = topic.strip()
    answer = assistant.ask(topic, filters=filters, infer=infer)
    if answer.mode == "listing":  # "what do you have on X?": the listed records are the sources
        answer = answer.with_(verdicts=(), text="")
        records = [c.record for c in answer.citations]
        cited: set[str] = set()
    else:
        records = relevant_records(assistant, topic, answer)
        cited = {r.id for _, rs, _ in _answer_points(answer) for r in rs}
    rest = [r for r in records if r.id not in cited]
    best = _best_sentences(assistant, topic, rest)
    extra = [(best[r.id], r) for r in rest if r.id in best]
    return note_from_answer(topic, answer, extra)
