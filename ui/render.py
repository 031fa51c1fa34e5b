"""HTML/Markdown for the web UI. Everything that comes from records or users is made inert.

`inert(text)` encodes every character HTML or Markdown would act on as a numeric entity, so an
abstract holding `<script>`, `<img src=...>`, `![x](https://...)` or a bare URL is shown as
text in both contexts (a Markdown paragraph and a raw HTML block): nothing runs, nothing loads,
no link is made. The chat message of an answer is:

    answer text with [n] markers (flagged sentences marked ⚠, never hidden)
    notices: filters read from the question, warnings, an empty result
    <div class="sources"> one <details> per citation: "[n] Title (Year)" that opens to the
    authors, country and region, category and the abstract with the sentences the answer used
    highlighted (<mark>)

The HTML block never contains a blank line, so Markdown does not resume inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.citations import (
    bibliography_entry,
    citation_label,
    problem_label,
    quoted_sentences,
    render_markdown,
)
from assistant.guard import MARKER_RE
from assistant.models import Answer, Citation, Filters, SentenceVerdict
from assistant.notices import render as render_notice
from kernel.models import FACETS, Record
from kernel.text import sentence_spans, similarity, word_key

__all__ = [
    "answer_api_markdown",
    "answer_body",
    "answer_message",
    "conversation_markdown",
    "error_message",
    "field_html",
    "filter_scope",
    "filter_scope_text",
    "filters_notice",
    "highlight_abstract",
    "inert",
    "partial_message",
    "sources_html",
    "used_sentences",
]

_INERT = {c: f"&#{ord(c)};" for c in "&<>\"'`*_[](){}!#|\\~$:=+-.@^%"}
_INERT_RE = re.compile("[" + re.escape("".join(_INERT)) + "]")


def inert(text: str, newlines: str = "<br>") -> str:
    """Text shown literally in Markdown and in HTML; line breaks become `newlines`."""
    out = _INERT_RE.sub(lambda m: _INERT[m.group(0)], str(text))
    out = out.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"\n+", newlines, out) if newlines is not None else out


def _inert_keep_markers(text: str) -> str:
    """Inert text with its `[n]` markers kept as visible markers."""
    out, last = [], 0
    for match in MARKER_RE.finditer(text):
        out.append(inert(text[last : match.start()], newlines=None))
        out.append(f'{match.group(1)}<span class="cite">[{match.group(2)}]</span>')
        last = match.end()
    out.append(inert(text[last:], newlines=None))
    return "".join(out)


def answer_body(text: str, verdicts: Sequence[SentenceVerdict]) -> str:
    """The answer text as Markdown paragraphs; sentences the guard flagged are marked."""
    flagged = [v for v in verdicts if v.problem]
    pieces, cursor = [], 0
    for verdict in flagged:
        start = text.find(verdict.sentence, cursor)
        if start < 0:
            continue
        end = start + len(verdict.sentence)
        pieces.append(_inert_keep_markers(text[cursor:start]))
        label = inert(problem_label(verdict), newlines=" ")
        pieces.append(
            f'<mark class="flagged" title="{label}">⚠ {_inert_keep_markers(text[start:end])}'
            f" <small>({label})</small></mark>"
        )
        cursor = end
    pieces.append(_inert_keep_markers(text[cursor:]))
    body = "".join(pieces).strip()
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    return "\n".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)


def partial_message(text: str) -> str:
    """A streaming answer so far (no sources yet)."""
    return answer_body(text, ()) + '\n\n<span class="pending">Checking citations…</span>'


def used_sentences(answer: Answer, n: int) -> list[str]:
    """The answer's sentences that cite source `n`, without markers or quotation marks."""
    return quoted_sentences(answer, n)


def _is_used(sentence: str, used: Iterable[str]) -> bool:
    key = word_key(sentence)
    if not key:
        return False
    for text in used:
        other = word_key(text)
        if not other:
            continue
        if other in key or key in other:
            return True
        if similarity(key, other) >= 0.85:
            return True
    return False


def highlight_abstract(abstract: str, used: Sequence[str]) -> str:
    """The abstract as inert HTML, with the sentences the answer used in <mark>."""
    if not abstract.strip():
        return "<em>No abstract in the catalog.</em>"
    parts, cursor = [], 0
    for start, end in sentence_spans(abstract, lines=False):
        parts.append(inert(abstract[cursor:start]))
        sentence = abstract[start:end]
        if used and _is_used(sentence, used):
            parts.append(f'<mark class="used">{inert(sentence)}</mark>')
        else:
            parts.append(inert(sentence))
        cursor = end
    parts.append(inert(abstract[cursor:]))
    return "".join(parts)


def field_html(label: str, values: Sequence[str]) -> str:
    shown = (
        inert("; ".join(values), newlines=" ")
        if values
        else '<span class="none">not recorded</span>'
    )
    return f'<div class="field"><span class="label">{label}</span> {shown}</div>'


def source_details(answer: Answer, citation: Citation) -> str:
    """One numbered source: "[n] Title (Year)" that opens to its catalog fields and abstract."""
    record = citation.record
    used = used_sentences(answer, citation.n)
    spans = [(loc, record.location_span(loc)) for loc in citation.locations]
    if any(
        span for _, span in spans
    ):  # a report: the cited pages (or sections), not the whole book
        abstract = "".join(
            f'<div class="page-label">{inert(loc, " ")} of the report</div>'
            + highlight_abstract(record.abstract[span[0] : span[1]], used)
            for loc, span in spans
            if span
        )
    else:
        abstract = highlight_abstract(record.abstract, used)
    note = ' <span class="used-note">quoted in the answer</span>' if "<mark" in abstract else ""
    return (
        '<details class="source">'
        f'<summary><span class="num">[{citation.n}]</span> '
        f"{inert(citation_label(citation), newlines=' ')}{note}</summary>"
        '<div class="source-body">'
        + field_html("Authors", record.authors)
        + field_html("Country", record.countries)
        + field_html("Region", record.regions)
        + field_html("Category", record.categories)
        + f'<div class="abstract">{abstract}</div>'
        "</div></details>"
    )


def sources_html(answer: Answer) -> str:
    """The numbered sources of an answer as one HTML block (no blank lines)."""
    if not answer.citations:
        return ""
    items = "".join(source_details(answer, c) for c in answer.citations)
    count = len(answer.citations)
    if answer.mode == "listing":
        head = (
            f"Records ({count}) "
            "<small>open a record to see its authors, places and abstract</small>"
        )
    else:
        head = (
            f"Sources ({count}) <small>open a source to see its abstract; "
            "highlighted sentences are quoted in the answer</small>"
        )
    return f'<div class="sources"><div class="sources-head">{head}</div>{items}</div>'


def filter_scope(answer: Answer) -> tuple[Filters, Filters]:
    """(read from the question, set in the Filters panel): the filters an answer searched with.

    The answer records the filters it used (`filters`) and those read from its question
    (`inferred_filters`); where the two differ, the panel's value won."""
    merged, read = answer.filters, answer.inferred_filters
    panel = Filters(
        year_from=merged.year_from if merged.year_from != read.year_from else None,
        year_to=merged.year_to if merged.year_to != read.year_to else None,
        **{f: getattr(merged, f) if getattr(merged, f) != getattr(read, f) else () for f in FACETS},
    )
    question = Filters(
        year_from=read.year_from if merged.year_from == read.year_from else None,
        year_to=read.year_to if merged.year_to == read.year_to else None,
        **{f: getattr(read, f) if getattr(merged, f) == getattr(read, f) else () for f in FACETS},
    )
    return question, panel


def _scope_parts(answer: Answer, describe, you: str = "the") -> list[str]:
    """Each filter set of the answer, described and said where it came from."""
    question, panel = filter_scope(answer)
    parts = []
    if not question.is_empty():
        parts.append(f"{describe(question)} (read from {you} question, for this question only)")
    if not panel.is_empty():
        parts.append(f"{describe(panel)} (set in the Filters panel)")
    return parts


def filter_scope_text(answer: Answer) -> str:
    """ "Searched only records matching …" in words, or "" for an answer over the whole library."""
    parts = _scope_parts(answer, Filters.describe)
    return f"Searched only records matching {' and '.join(parts)}." if parts else ""


def filters_notice(answer: Answer) -> str:
    """The filters an answer searched with, shown above it (nothing for the whole library)."""
    parts = _scope_parts(answer, lambda f: f"<b>{inert(f.describe(), ' ')}</b>", you="your")
    if not parts:
        return ""
    return f'<div class="notice scope">Searched only records matching {" and ".join(parts)}.</div>'


def _warnings(answer: Answer) -> str:
    if not answer.notices:
        return ""
    warnings = (render_notice(n, answer.language) for n in answer.notices)
    items = "".join(f"<li>{inert(w, ' ')}</li>" for w in warnings)
    return f'<div class="notice warning"><ul>{items}</ul></div>'


def answer_message(answer: Answer) -> str:
    """The whole chat message for a finished answer: the filters it searched with come first."""
    body = answer_body(answer.text, answer.verdicts)
    if answer.abstained:
        body = f'<div class="notice empty">{inert(answer.text)}</div>'
    elif answer.mode == "listing" and answer.citations:
        # The listed records are the numbered sources below: the list is shown once, there.
        body = answer_body(answer.text.strip().splitlines()[0], ())
    blocks = [filters_notice(answer), body, _warnings(answer), sources_html(answer)]
    return "\n\n".join(b for b in blocks if b)


def error_message(message: str) -> str:
    """An error shown in the chat: one clear line, never a traceback."""
    return f'<div class="notice error"><b>Could not answer:</b> {inert(message, " ")}</div>'


def answer_api_markdown(answer: Answer) -> str:
    """The `/ask` endpoint's Markdown: the answer with [n] markers and its numbered source list."""
    text = render_markdown(answer)
    if not answer.inferred_filters.is_empty():
        text += f"\n\n_Filters read from the question: {answer.inferred_filters.describe()}_"
    return text


def _records_cited(answers: Sequence[Answer]) -> list[Record]:
    seen: dict[str, Record] = {}
    for answer in answers:
        for citation in answer.citations:
            seen.setdefault(citation.record.id, citation.record)
    return list(seen.values())


def conversation_markdown(turns: Sequence[tuple[str, Answer]]) -> str:
    """A conversation as Markdown: each question and answer, then one bibliography of every cited
    record."""
    from assistant.citations import escape_markdown

    lines = ["# Conversation with the evidence assistant", ""]
    for i, (question, answer) in enumerate(turns, start=1):
        lines += [f"## {i}. {escape_markdown(question)}", ""]
        scope = filter_scope_text(answer)
        if scope:
            lines += [f"_{escape_markdown(scope)}_", ""]
        lines += [render_markdown(answer), ""]
    records = _records_cited([a for _, a in turns])
    lines += ["## Bibliography", ""]
    if records:
        lines += [
            f"- {escape_markdown(bibliography_entry(r))}"
            for r in sorted(records, key=lambda r: r.title.casefold())
        ]
    else:
        lines.append("No source was cited.")
    return "\n".join(lines).rstrip() + "\n"
