"""Briefing notes for trainers: a topic in, a cited note out (Markdown or DOCX).

`build_briefing(assistant, topic, filters=None)` asks the assistant about the topic and turns the
answer into a `BriefingNote`:

- title: "Briefing note: <topic>";
- key points: each cited sentence of the answer with its `[n]` markers (a sentence the citation
  guard flagged keeps a visible "check" remark; connecting labels are dropped);
- evidence: per cited record, where it comes from (country, region, category) and a short
  excerpt of its abstract;
- bibliography: exactly the records the key points cite, numbered as cited, each "Authors
  (Year). Title. Categories." from the catalog;
- caveats: the answer's warnings (a place no record mentions, filters dropped), printed under
  the title so that a general note is not handed out as one about that place.

When the library holds nothing on the topic the note has no key points and its `notice` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from assistant.citations import bibliography_entry, bibliography_ris, citation_label, escape_markdown, problem_label
from assistant.guard import MARKER_RE, is_label, split_sentences, strip_markers
from assistant.models import Answer, Citation, Filters, SentenceVerdict
from vectorstore.errors import QuestionError

if TYPE_CHECKING:  # pragma: no cover
    from assistant.service import Assistant

__all__ = ["BriefingNote", "EvidenceItem", "KeyPoint", "build_briefing", "note_from_answer"]

EXCERPT_WORDS = 60


@dataclass(frozen=True)
class KeyPoint:
    text: str
    """The sentence without markers."""
    citations: tuple[int, ...]
    """Bibliography numbers it cites."""
    check: str | None = None
    """The citation guard's remark when it flagged the sentence."""


@dataclass(frozen=True)
class EvidenceItem:
    citation: Citation
    excerpt: str


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

    def to_markdown(self) -> str:
        md = escape_markdown
        lines = [f"# {md(self.title)}", "",
                 f"_Prepared {self.created.isoformat()} from the library's records; "
                 f"{len(self.bibliography)} source{'s' if len(self.bibliography) != 1 else ''} cited._", ""]
        if not self.filters.is_empty():
            lines += [f"_Records limited to: {md(self.filters.describe())}._", ""]
        lines += [f"_Note: {md(c)}_" for c in self.caveats] + ([""] if self.caveats else [])
        if self.notice:
            lines += [md(self.notice), ""]
        if self.key_points:
            lines += ["## Key points", ""]
            for point in self.key_points:
                check = f" _(check: {md(point.check)})_" if point.check else ""
                lines.append(f"- {md(point.text)} {_markers(point.citations)}{check}")
            lines.append("")
        if self.evidence:
            lines += ["## Evidence", ""]
            for item in self.evidence:
                rec = item.citation.record
                lines.append(f"**[{item.citation.n}] {md(citation_label(item.citation))}**{md(_origin(rec))}  ")
                lines.append(f"> {md(item.excerpt)}" if item.excerpt else "> (no abstract in the catalog)")
                lines.append("")
        lines += ["## Bibliography", ""]
        if self.bibliography:
            lines += [f"{c.n}. {md(bibliography_entry(c.record))}" for c in self.bibliography]
        else:
            lines.append("No source was cited.")
        return "\n".join(lines).rstrip() + "\n"

    FORMATS = (".md", ".docx", ".ris")
    """What `save` writes, by the file's suffix: the note as Markdown or DOCX, its bibliography as RIS."""

    def save(self, path: str | Path) -> Path:
        """Write the note to `path` in the format its suffix names (`FORMATS`), making its folder."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in self.FORMATS:
            raise ValueError(f"expected a file ending in {', '.join(self.FORMATS)}, found {path.name!r}")
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
        meta = doc.add_paragraph(f"Prepared {self.created.isoformat()} from the library's records; "
                                 f"{len(self.bibliography)} source{'s' if len(self.bibliography) != 1 else ''} cited.")
        meta.runs[0].italic = True
        if not self.filters.is_empty():
            doc.add_paragraph(f"Records limited to: {self.filters.describe()}.").runs[0].italic = True
        for caveat in self.caveats:
            doc.add_paragraph(f"Note: {caveat}").runs[0].italic = True
        if self.notice:
            doc.add_paragraph(self.notice)
        if self.key_points:
            doc.add_heading("Key points", level=1)
            for point in self.key_points:
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
                quote = doc.add_paragraph(item.excerpt or "(no abstract in the catalog)", style="Quote")
                quote.paragraph_format.space_after = Pt(6)
        doc.add_heading("Bibliography", level=1)
        if self.bibliography:
            for c in self.bibliography:
                doc.add_paragraph(f"[{c.n}] {bibliography_entry(c.record)}")
        else:
            doc.add_paragraph("No source was cited.")
        path.parent.mkdir(parents=True, exist_ok=True)
        doc.save(str(path))
        return path


def _markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _origin(record) -> str:
    parts = [", ".join(record.countries), ", ".join(record.regions), ", ".join(record.categories)]
    parts = [p for p in dict.fromkeys(parts) if p]
    return f" — {'; '.join(parts)}" if parts else ""


def _excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    out: list[str] = []
    for sentence in split_sentences(" ".join(text.split()), lines=False):
        out.append(sentence)
        if sum(len(s.split()) for s in out) >= words // 2:
            break
    excerpt = " ".join(out)
    tokens = excerpt.split()
    return excerpt if len(tokens) <= words else " ".join(tokens[:words]) + " …"


def _verdicts(answer: Answer) -> Sequence[SentenceVerdict]:
    if answer.verdicts:
        return answer.verdicts
    return [SentenceVerdict(s, tuple(int(x) for m in MARKER_RE.finditer(s) for x in re.findall(r"\d+", m.group(2))))
            for s in split_sentences(answer.text)]


def note_from_answer(topic: str, answer: Answer) -> BriefingNote:
    """The note for an answer: cited sentences become key points, renumbered in order of citation."""
    title = f"Briefing note: {topic.strip()}"
    by_n = {c.n: c for c in answer.citations}
    renumber: dict[int, int] = {}
    points: list[KeyPoint] = []
    if not answer.abstained:
        for verdict in _verdicts(answer):
            numbers = [n for n in verdict.markers if n in by_n]
            text = strip_markers(verdict.sentence).strip()
            if not numbers or not text or is_label(verdict.sentence):
                continue
            for n in numbers:
                renumber.setdefault(n, len(renumber) + 1)
            check = problem_label(verdict) if verdict.problem else None
            points.append(KeyPoint(text=text, citations=tuple(dict.fromkeys(renumber[n] for n in numbers)),
                                   check=check))
    bibliography = tuple(Citation(new, by_n[old].record, by_n[old].locations)
                         for old, new in sorted(renumber.items(), key=lambda kv: kv[1]))
    evidence = tuple(EvidenceItem(c, _excerpt(_cited_text(c))) for c in bibliography)
    notice = ""
    if not points:
        notice = answer.text.strip() if answer.abstained else "The library holds no cited evidence on this topic."
    return BriefingNote(topic=topic.strip(), title=title, key_points=tuple(points), evidence=evidence,
                        bibliography=bibliography, notice=notice, filters=answer.filters,
                        caveats=tuple(_sentence(w) for w in answer.warnings) if points else ())


def _cited_text(citation: Citation) -> str:
    """The abstract, or for a report the text of the cited pages (its whole text would be a book)."""
    spans = [s for s in (citation.record.location_span(loc) for loc in citation.locations) if s]
    return "\n\n".join(citation.record.abstract[a:b] for a, b in spans) if spans else citation.record.abstract


def _sentence(warning: str) -> str:
    warning = warning.strip()
    return warning[:1].upper() + warning[1:] + ("" if warning.endswith((".", "!", "?")) else ".")


def build_briefing(assistant: "Assistant", topic: str, filters: Filters | None = None,
                   infer: bool = True) -> BriefingNote:
    """Ask the assistant about `topic` and write the note. Raises `QuestionError` for an empty topic."""
    if not isinstance(topic, str) or not topic.strip():
        raise QuestionError("the briefing topic is empty: name a topic, e.g. \"trafficking of children in armed conflict\"")
    answer = assistant.ask(topic.strip(), filters=filters, infer=infer)
    return note_from_answer(topic, answer)
