"""The Briefing note and Scoring tabs.

Briefing: a topic becomes a `BriefingNote` (assistant/briefing.py), previewed and offered as
Markdown and DOCX downloads, its bibliography as RIS for reference managers. Scoring: an item
(the last chat answer, a fresh question to the assistant, or a JSONL of answers from any system
shown blind) is rated 1-5, each citation marked, a note added; scores go to the SQLite
`ScoreStore` and the CSV download is refreshed after every save.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.models import Answer
from kernel.errors import AssistantError

from . import render
from .scoring import (
    MARKS,
    FoundCitation,
    ScoreItem,
    ScoreStore,
    item_from_answer,
    load_jsonl,
    marks_from_values,
    readable_marks,
    readable_time,
)
from .views_chat import ANSWERS
from .widgets import hint

MAX_MARKS = 10
"""Citations an evaluator marks one by one (listings may cite more; the rest are not marked)."""


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug[:50] or "briefing"


class ToolsController:
    """Briefing and scoring behaviour, independent of Gradio."""

    def __init__(self, assistant, store: ScoreStore, export_dir: Path) -> None:
        self.assistant = assistant
        self.store = store
        self.export_dir = Path(export_dir)

    # -- briefing ----------------------------------------------------------------------------

    def briefing(self, topic: str):
        from assistant.briefing import build_briefing

        note = build_briefing(self.assistant, topic)
        if note.empty:
            return note, None, None, None
        self.export_dir.mkdir(parents=True, exist_ok=True)
        base = self.export_dir / f"briefing-{_slug(note.topic)}"
        md_path, docx_path, ris_path = (
            note.save(base.with_suffix(s)) for s in (".md", ".docx", ".ris")
        )
        return note, md_path, docx_path, ris_path

    # -- scoring -----------------------------------------------------------------------------

    def item_for_question(self, question: str) -> tuple[ScoreItem, Answer]:
        answer = self.assistant.ask(question)
        return item_from_answer(answer), answer

    def export_csv(self) -> Path:
        return self.store.export_csv(self.export_dir / "scores.csv")


def found_html(found: Sequence[FoundCitation]) -> str:
    """The citations found in another system's answer, each with the catalog's verdict; a citation
    of a catalog record opens to that record's abstract, to judge whether it supports the answer."""
    if not found:
        return (
            '<div class="sources"><div class="sources-head">Citations found (0)</div>'
            '<div class="notice empty">No citation of a title, an author and year, '
            "or a numbered reference was found in this answer.</div></div>"
        )
    rows = []
    for f in found:
        badge = (
            f'<span class="verdict verdict-{f.status.replace("_", "-")}">'
            f"{render.inert(f.verdict, ' ')}</span>"
        )
        claimed = (
            f'<span class="num">[{f.n}]</span> '
            f"{render.inert(f.claimed.removeprefix(f'[{f.n}] '), ' ')} {badge}"
        )
        if f.record is None:
            rows.append(f'<div class="found none">{claimed}</div>')
            continue
        rec = f.record
        rows.append(
            f'<details class="source found"><summary>{claimed}'
            ' <span class="catalog">catalog: '
            f"{render.inert(f'{rec.title} ({rec.year_label})', ' ')}</span></summary>"
            '<div class="source-body"><div class="abstract">'
            f"{render.highlight_abstract(rec.abstract, ())}</div>"
            "</div></details>"
        )
    return (
        f'<div class="sources"><div class="sources-head">Citations found ({len(found)}) '
        "<small>matched against the catalog; open one to read the record's abstract</small></div>"
        + "".join(rows)
        + "</div>"
    )


def item_html(item: ScoreItem | None, answer: Answer | None = None) -> str:
    """The item to score: the question, the answer and its sources (inert)."""
    if item is None:
        return (
            '<div class="notice">No answer to score yet: ask a question, '
            "use the last chat answer, or load a JSONL file.</div>"
        )
    head = (
        '<div class="score-q"><span class="label">Question</span> '
        f"{render.inert(item.question)}</div>"
    )
    if answer is not None:
        body = render.answer_message(answer)
    else:
        body = render.answer_body(item.answer, ())  # the chat's renderer, no verdicts
        if item.found or item.origin != "assistant" and not item.sources:
            body += "\n\n" + found_html(item.found)
        elif item.sources:
            rows = "".join(
                f'<li><span class="num">[{n}]</span> {render.inert(label, " ")}</li>'
                for n, label in item.sources
            )
            body += (
                '\n\n<div class="sources">'
                f'<div class="sources-head">Sources ({len(item.sources)})</div>'
                f'<ul class="plain">{rows}</ul></div>'
            )
    return f'{head}\n\n<div class="score-a"><span class="label">Answer</span></div>\n\n{body}'


def tools_tabs(ctrl: ToolsController, chat_turns):
    """Build the Briefing and Scoring tabs inside the current Blocks."""
    import gradio as gr

    # -- briefing ------------------------------------------------------------------------------
    with gr.Tab("Briefing note", id="briefing", elem_id="tab-briefing"):
        hint(
            "Turn a topic into a briefing note for a training session: key points, each cited; "
            "a short evidence section; and a bibliography of exactly the cited records."
        )
        with gr.Row(equal_height=True):
            topic = gr.Textbox(
                label="Topic",
                placeholder="e.g. trafficking of children in armed conflict",
                scale=4,
                elem_id="briefing-topic",
                submit_btn=False,
            )
            make = gr.Button(
                "Write briefing note", variant="primary", scale=1, elem_id="briefing-make"
            )
        with gr.Row():
            md_btn = gr.DownloadButton(
                "Download Markdown", visible=False, size="sm", elem_id="briefing-md"
            )
            docx_btn = gr.DownloadButton(
                "Download DOCX", visible=False, size="sm", elem_id="briefing-docx"
            )
            ris_btn = gr.DownloadButton(
                "Bibliography (RIS)", visible=False, size="sm", elem_id="briefing-ris"
            )
        status_b = gr.HTML("", elem_id="briefing-status")
        preview = gr.Markdown(
            "",
            elem_id="briefing-preview",
            sanitize_html=True,
            latex_delimiters=[],
            elem_classes=["note-preview"],
        )

        def write_note(text: str):
            hidden = gr.update(visible=False)
            try:
                note, md_path, docx_path, ris_path = ctrl.briefing(text)
            except AssistantError as exc:
                return (render.error_message(str(exc)), "", hidden, hidden, hidden)
            if note.empty:  # nothing to hand out: say why, offer no download
                return (
                    '<div class="notice empty">No briefing note: '
                    f"{render.inert(note.notice)}</div>",
                    "",
                    hidden,
                    hidden,
                    hidden,
                )
            status = f'<div class="notice">{render.inert(note.summary)}.</div>'
            return (
                status,
                note.to_markdown(),
                gr.update(value=str(md_path), visible=True),
                gr.update(value=str(docx_path), visible=True),
                gr.update(value=str(ris_path), visible=bool(note.bibliography)),
            )

        b_outputs = [status_b, preview, md_btn, docx_btn, ris_btn]
        make.click(write_note, [topic], b_outputs, api_name="briefing", concurrency_id=ANSWERS)
        topic.submit(write_note, [topic], b_outputs, api_name=False, concurrency_id=ANSWERS)

    # -- scoring -------------------------------------------------------------------------------
    with gr.Tab("Scoring", id="scoring", elem_id="tab-scoring"):
        items = gr.State([])
        answers = gr.State({})
        index = gr.State(0)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                with gr.Row(equal_height=True):
                    s_question = gr.Textbox(
                        label="Question for the assistant", scale=4, elem_id="score-question"
                    )
                    s_ask = gr.Button("Get answer", scale=1, elem_id="score-ask")
                with gr.Row():
                    s_last = gr.Button(
                        "Score the last chat answer", size="sm", elem_id="score-last"
                    )
                    s_file = gr.UploadButton(
                        "Load answers (JSONL)",
                        file_types=[".jsonl", ".json"],
                        size="sm",
                        elem_id="score-upload",
                    )
                    s_prev = gr.Button("◀ Previous", size="sm", elem_id="score-prev")
                    s_next = gr.Button("Next ▶", size="sm", elem_id="score-next")
                s_pos = gr.HTML("", elem_id="score-position")
                s_item = gr.HTML(item_html(None), elem_id="score-item", elem_classes=["score-item"])
            with gr.Column(scale=2, min_width=280, elem_id="score-form"):
                rating = gr.Radio(
                    ["1", "2", "3", "4", "5"],
                    label="Rating (1 = poor, 5 = excellent)",
                    elem_id="score-rating",
                )
                marks = [
                    gr.Radio(
                        list(MARKS),
                        label=f"[{n}]",
                        visible=False,
                        elem_id=f"score-mark-{n}",
                        elem_classes=["mark"],
                    )
                    for n in range(1, MAX_MARKS + 1)
                ]
                evaluator = gr.Textbox(
                    label="Evaluator (optional)", max_lines=1, elem_id="score-evaluator"
                )
                note = gr.Textbox(label="Note", lines=3, elem_id="score-note")
                save = gr.Button("Save score", variant="primary", elem_id="score-save")
                s_status = gr.HTML("", elem_id="score-status")
                csv_btn = gr.DownloadButton("Download scores (CSV)", size="sm", elem_id="score-csv")
        table = gr.Dataframe(
            headers=["#", "scored at", "question", "rating", "citations", "note"],
            interactive=False,
            wrap=True,
            label="Scores so far",
            elem_id="score-table",
            max_height=300,
            column_widths=["48px", "200px", "30%", "72px", "22%", "20%"],
        )

        def show(item_list: list[ScoreItem], i: int, answer_map: dict):
            item = item_list[i] if item_list else None
            position = (
                f'<div class="position">Item {i + 1} of {len(item_list)}</div>'
                if len(item_list) > 1
                else ""
            )
            html = item_html(item, answer_map.get(item.id) if item else None)
            sources = list(item.sources[:MAX_MARKS]) if item else []
            mark_updates = [
                gr.update(
                    visible=k < len(sources),
                    value=None,
                    label=f"[{sources[k][0]}] {sources[k][1]}" if k < len(sources) else "",
                )
                for k in range(MAX_MARKS)
            ]
            return (item_list, i, answer_map, position, html, None, "", "", *mark_updates)

        s_outputs = [items, index, answers, s_pos, s_item, rating, note, s_status, *marks]

        def nothing(notice: str):
            out = list(show([], 0, {}))
            out[7] = notice
            return tuple(out)

        def from_question(question: str):
            try:
                item, answer = ctrl.item_for_question(question)
            except AssistantError as exc:
                return nothing(render.error_message(str(exc)))
            return show([item], 0, {item.id: answer})

        def from_chat(turns: Sequence[dict]):
            done = [t["answer"] for t in turns or () if t.get("answer") is not None]
            if not done:
                return nothing('<div class="notice">The chat has no answer yet.</div>')
            item = item_from_answer(done[-1])
            return show([item], 0, {item.id: done[-1]})

        def from_file(file: Any):
            path = getattr(file, "name", file)
            try:
                loaded = load_jsonl(path, records=ctrl.assistant.records())
            except AssistantError as exc:
                return nothing(render.error_message(str(exc)))
            return show(loaded, 0, {})

        def step(item_list, i, answer_map, delta):
            if not item_list:
                return show(item_list, 0, answer_map)
            return show(item_list, max(0, min(len(item_list) - 1, i + delta)), answer_map)

        s_ask.click(from_question, [s_question], s_outputs, api_name=False, concurrency_id=ANSWERS)
        s_question.submit(
            from_question, [s_question], s_outputs, api_name=False, concurrency_id=ANSWERS
        )
        s_last.click(from_chat, [chat_turns], s_outputs, api_name=False)
        s_file.upload(from_file, [s_file], s_outputs, api_name=False)
        s_prev.click(
            lambda a, b, c: step(a, b, c, -1), [items, index, answers], s_outputs, api_name=False
        )
        s_next.click(
            lambda a, b, c: step(a, b, c, 1), [items, index, answers], s_outputs, api_name=False
        )

        def table_rows() -> list[list[Any]]:
            rows = ctrl.store.rows()[-50:][::-1]
            return [
                [
                    r["score_id"],
                    readable_time(r["scored_at"]),
                    r["question"],
                    r["rating"],
                    readable_marks(r["sources"], r["citation_marks"]).replace("\n", "; "),
                    r["note"],
                ]
                for r in rows
            ]

        def save_score(item_list, i, rating_value, evaluator_value, note_value, *mark_values):
            if not item_list:
                return (
                    '<div class="notice error">Nothing to score yet.</div>',
                    gr.skip(),
                    gr.skip(),
                )
            if not rating_value:
                return (
                    '<div class="notice error">Choose a rating from 1 to 5 before saving.</div>',
                    gr.skip(),
                    gr.skip(),
                )
            item = item_list[i]
            try:
                score_id = ctrl.store.add(
                    item,
                    int(rating_value),
                    marks_from_values(item.sources[:MAX_MARKS], mark_values),
                    note_value or "",
                    evaluator_value or "",
                )
                path = ctrl.export_csv()
            except AssistantError as exc:
                return (render.error_message(str(exc)), gr.skip(), gr.skip())
            where = f" (item {i + 1} of {len(item_list)})" if len(item_list) > 1 else ""
            return (
                f'<div class="notice saved">Saved score #{score_id}{where}.</div>',
                table_rows(),
                gr.update(value=str(path)),
            )

        save.click(
            save_score,
            [items, index, rating, evaluator, note, *marks],
            [s_status, table, csv_btn],
            api_name=False,
        )

        def refresh():
            rows = table_rows()
            return rows, (gr.update(value=str(ctrl.export_csv())) if rows else gr.skip())

    return refresh, [table, csv_btn]
