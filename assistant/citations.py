"""Rendering an Answer: every title and year comes from the catalog record, never from answer text.

- `with_locations(answer)`: each citation of a full-text report gets its page or section
  ("p. 12", "pp. 3, 12"): where the report's own text holds the sentences the answer quotes, else
  where the retrieved passage starts. It is looked up in the catalog, never read from answer text.
- `render_text(answer)`: for the terminal — the answer text, then "Sources:" with one
  "[n] Title (Year)" line per citation (", p. 12" added for a report's page), then "Checks:"
  listing the sentences the guard flagged.
- `render_markdown(answer)`: for the web UI — the answer with its `[n]` markers, then a
  numbered reference list of exactly the cited records. Everything that comes from records
  (the quoted answer text, titles) is escaped with `escape_markdown`, so Markdown or HTML in
  the library is shown as text, never interpreted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.guard import MARKER_RE, markers_of, strip_markers
from assistant.models import Answer, Citation, SentenceVerdict
from kernel.models import Record
from kernel.text import split_sentences

__all__ = [
    "bibliography_entry",
    "bibliography_parts",
    "bibliography_ris",
    "citation_label",
    "escape_markdown",
    "problem_label",
    "reference_label",
    "render_markdown",
    "render_text",
    "ris_entry",
    "sentence_verdicts",
    "with_locations",
]

_PROBLEMS = {
    "uncited": "cites no source",
    "unsupported": "not supported by the sources it cites",
    "removed-marker": "its citation pointed to no source and was removed",
    "contradicted": (
        "contradicts the source it cites (a negation, an opposite, a number or a name differs)"
    ),
    "unknown-source": "names a source the library does not hold; the reference was removed",
    "wrong-year": "gave a wrong year for a source; the catalog's title and year replace it",
    "unretrieved-source": "names a record that was not among this answer's sources",
}
_MD_INLINE = re.compile(r"([\\`*_\[\]|~$])")
_MD_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|>|[+\-=](?=[\s+\-=]|$)|\d+[.)](?=\s|$))", re.MULTILINE
)
_ENTITY = re.compile(r"&(?=#?\w+;)")


def reference_label(record: Record) -> str:
    """ "Title (Year)" from the catalog, "n.d." for an unknown year."""
    return f"{record.title} ({record.year_label})"


def citation_label(citation: Citation) -> str:
    """ "Title (Year)" from the catalog, then ", p. 12" (or ", § Findings") for a report's page."""
    return reference_label(citation.record) + (
        f", {citation.location}" if citation.location else ""
    )


def sentence_verdicts(answer: Answer) -> Sequence[SentenceVerdict]:
    """The guard's verdicts, or (an answer the guard did not check) each sentence with its
    markers."""
    return answer.verdicts or [
        SentenceVerdict(s, markers_of(s)) for s in split_sentences(answer.text)
    ]


def quoted_sentences(answer: Answer, n: int) -> list[str]:
    """The answer's sentences that cite source `n`, without markers or quotation marks."""
    out = []
    for verdict in sentence_verdicts(answer):
        if n in verdict.markers:
            core = strip_markers(verdict.sentence).strip().strip("\"“”'‘’«»").strip()
            if core:
                out.append(core)
    return out


def with_locations(answer: Answer) -> Answer:
    """The answer with each report citation's pages or sections set (see the module doc)."""
    if not any(c.record.locations for c in answer.citations):
        return answer
    chunks = {h.record.id: h.chunk_text for h in answer.hits}
    cited = []
    for citation in answer.citations:
        record, found = citation.record, []
        if record.locations:
            for sentence in quoted_sentences(answer, citation.n):
                location = record.locate(sentence) or record.locate(sentence.rstrip(".…"))
                if location and location not in found:
                    found.append(location)
            if not found and chunks.get(record.id):
                title, _, piece = chunks[record.id].partition("\n")
                location = record.locate(piece or title)
                found = [location] if location else []
        cited.append(replace(citation, locations=tuple(found)))
    return answer.with_(citations=tuple(cited))


def bibliography_parts(record: Record) -> tuple[str, str, str]:
    """(before, title, after) of `bibliography_entry`, so that a renderer can set the title apart
    (italic in the Markdown and DOCX notes)."""
    title = record.title.strip().rstrip(".")
    if record.authors:
        before, after = f"{'; '.join(record.authors)} ({record.year_label}). ", "."
    else:
        before, after = "", f" ({record.year_label})."
    if record.categories:
        label = "Library categories" if len(record.categories) > 1 else "Library category"
        after += f" {label}: {', '.join(record.categories)}."
    return before, title, after


def bibliography_entry(record: Record) -> str:
    """ "Authors (Year). Title. Library category: X." — authors and categories omitted when unknown;
    the category is labelled so that it does not read as the end of the title."""
    return "".join(bibliography_parts(record))


def ris_entry(record: Record) -> str:
    """One record as a RIS reference (Zotero, EndNote, Mendeley import it): type report, the
    catalog's title, authors, year (no PY line when undated), categories as keywords, places in a
    note, the abstract and the record id. Values are kept on one line each."""

    def line(tag: str, value: str) -> str:
        return f"{tag}  - {' '.join(str(value).split())}"

    lines = [line("TY", "RPRT"), line("TI", record.title.strip())]
    lines += [line("AU", a) for a in record.authors]
    if record.year is not None:
        lines.append(line("PY", record.year))
    lines += [line("KW", k) for k in record.categories]
    places = [*record.countries, *(r for r in record.regions if r not in record.countries)]
    if places:
        lines.append(line("N1", "Places: " + "; ".join(places)))
    if record.year is None:
        lines.append(line("N1", "Year: n.d. (the catalog gives none)"))
    if record.abstract:
        lines.append(line("AB", record.abstract))
    lines += [line("ID", record.id), "ER  - "]
    return "\n".join(lines)


def bibliography_ris(records: Sequence[Record]) -> str:
    """The records as one RIS file, in the order given."""
    return "\n\n".join(ris_entry(r) for r in records) + ("\n" if records else "")


def problem_label(verdict: SentenceVerdict) -> str:
    return _PROBLEMS.get(verdict.problem or "", verdict.problem or "")


def escape_markdown(text: str) -> str:
    """Text that Markdown and HTML show literally: emphasis, links, code, tables, math and
    HTML tags are made inert; line-leading list, heading and quote marks are escaped.

    Only what Markdown would act on is escaped, so the file also reads as plain text: a bare
    "&" stays "&" (only an entity-like "&amp;" is escaped), and "-" only where it would start a
    list ("- item"), not in "-based"."""
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark = match.group(1), match.group(2)
    if mark[0].isdigit():  # "1." starts an ordered list: escape its dot
        return f"{indent}{mark[:-1]}\\{mark[-1]}"
    return f"{indent}\\{mark}"


def _escape_answer(text: str) -> str:
    """Escape everything except the `[n]` citation markers."""
    out, last = [], 0
    for match in MARKER_RE.finditer(text):
        out.append(escape_markdown(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(escape_markdown(text[last:]))
    return "".join(out)


def _flagged(answer: Answer) -> list[SentenceVerdict]:
    return [v for v in answer.verdicts if v.problem]


def _snippet(sentence: str, limit: int = 90) -> str:
    text = " ".join(MARKER_RE.sub("", sentence).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_text(answer: Answer) -> str:
    """The answer for a terminal: text, blank line, "Sources:" and "[n] Title (Year)" lines,
    then "Checks:" with each flagged sentence and its problem. A listing's lines are its sources:
    its first line, then the sources once (as in `render_markdown`)."""
    text = answer.text.strip()
    if answer.mode == "listing" and answer.citations:
        text = text.splitlines()[0]
    parts = [text]
    if answer.citations:
        lines = ["Sources:"] + [f"[{c.n}] {citation_label(c)}" for c in answer.citations]
        parts.append("\n".join(lines))
    flagged = _flagged(answer)
    if flagged:
        lines = ["Checks:"] + [f'! "{_snippet(v.sentence)}": {problem_label(v)}' for v in flagged]
        parts.append("\n".join(lines))
    return "\n\n".join(p for p in parts if p) + "\n"


def render_markdown(answer: Answer) -> str:
    """The answer as Markdown: escaped text with `[n]` markers, then the numbered list of
    exactly the cited records ("Title (Year)"), then any flagged sentences."""
    text = answer.text.strip()
    if answer.mode == "listing" and answer.citations:
        # A listing's lines are its numbered sources: say its first line, then list them once.
        text = text.splitlines()[0]
    parts = [_escape_answer(text)]
    if answer.citations:
        lines = ["**Sources**", ""] + [
            f"{c.n}. {escape_markdown(citation_label(c))}" for c in answer.citations
        ]
        parts.append("\n".join(lines))
    flagged = _flagged(answer)
    if flagged:
        lines = ["**Checks**", ""] + [
            f"- “{escape_markdown(_snippet(v.sentence))}”: {problem_label(v)}" for v in flagged
        ]
        parts.append("\n".join(lines))
    return "\n\n".join(p for p in parts if p)
