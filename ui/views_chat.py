"""The Chat tab: streaming cited answers, the filter panel, conversation export, the `/ask` API.

Handlers are plain methods of `ChatController` (testable without a server); `chat_tab` wires
them to components. The conversation lives in a `gr.State` of turns
`{"question": str, "answer": Answer | None, "error": str | None}`; the chat display is
re-rendered from it on every update, so what is shown and what is exported agree.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.models import Answer, Filters
from kernel.errors import AssistantError, QuestionError
from kernel.models import FACETS

from . import render
from .widgets import facet_dropdowns, hint, year_range

ANSWERS = "answers"
"""Concurrency group of every event that computes an answer (chat, /ask, briefing, scoring), so
that `ASSISTANT_CONCURRENCY` bounds the answers computed at once across the whole app."""

log = logging.getLogger(__name__)


def filters_from_controls(year_from: Any, year_to: Any, *lists: Sequence[str] | None) -> Filters:
    """The Filters the panel's controls describe (blank = any)."""

    def year(value: Any) -> int | None:
        if value in (None, "", 0, "0"):
            return None
        try:
            return int(float(str(value).strip()))
        except ValueError:
            raise QuestionError(
                f"a year filter must be a year such as 2016, found {value!r}"
            ) from None

    values = [tuple(v or ()) for v in lists] + [()] * (len(FACETS) - len(lists))
    return Filters(
        year_from=year(year_from),
        year_to=year(year_to),
        **dict(zip(FACETS, values, strict=False)),
    )


def messages(
    turns: Sequence[dict], pending: str | None = None, pending_question: str | None = None
) -> list[dict]:
    """Chat messages for the display, from the turns (+ an answer being written)."""
    out: list[dict] = []
    for turn in turns:
        out.append({"role": "user", "content": render.inert(turn["question"])})
        if turn.get("answer") is not None:
            out.append({"role": "assistant", "content": render.answer_message(turn["answer"])})
        elif turn.get("error"):
            out.append({"role": "assistant", "content": render.error_message(turn["error"])})
    if pending_question is not None:
        out.append({"role": "user", "content": render.inert(pending_question)})
        out.append(
            {
                "role": "assistant",
                "content": pending or '<span class="pending">Searching the library…</span>',
            }
        )
    return out


def history(turns: Sequence[dict]) -> list[tuple[str, str]]:
    """(question, answer text) pairs the assistant reads follow-ups against."""
    return [(t["question"], t["answer"].text) for t in turns if t.get("answer") is not None]


class ChatController:
    """The chat's behaviour, independent of Gradio."""

    def __init__(self, assistant, export_dir: Path) -> None:
        self.assistant = assistant
        self.export_dir = Path(export_dir)

    def stream(
        self, question: str, turns: Sequence[dict], filters: Filters
    ) -> Iterator[tuple[list[dict], str | None, Answer | None, str | None]]:
        """Yield (turns, partial html, final answer, error): partial first, then one final item."""
        turns = list(turns or ())
        question = question if isinstance(question, str) else ""
        try:
            final: Answer | None = None
            for item in self.assistant.ask_stream(
                question, filters=filters, history=history(turns)
            ):
                if isinstance(item, Answer):
                    final = item
                else:
                    yield turns, render.partial_message(item), None, None
            if final is None:  # pragma: no cover - the contract says the last item is the Answer
                raise AssistantError("the assistant returned no answer")
            yield (
                turns + [{"question": question, "answer": final, "error": None}],
                None,
                final,
                None,
            )
        except Exception as exc:  # noqa: BLE001 - the user sees one line; the log keeps the traceback
            if isinstance(exc, AssistantError):
                message = str(exc)
            else:
                log.exception("unexpected error while answering %r", question)
                message = (
                    f"an unexpected error occurred ({type(exc).__name__}); "
                    "the server log has the details"
                )
            failed = {"question": question, "answer": None, "error": message}
            yield (turns + [failed], None, None, message)

    def ask_markdown(self, question: str) -> str:
        """The `/ask` endpoint: the answer as Markdown with its numbered source list."""
        return render.answer_api_markdown(self.assistant.ask(question))

    def export(self, turns: Sequence[dict]) -> Path | None:
        done = [(t["question"], t["answer"]) for t in turns or () if t.get("answer") is not None]
        if not done:
            return None
        self.export_dir.mkdir(parents=True, exist_ok=True)
        path = (
            self.export_dir / f"conversation-{abs(hash(tuple(q for q, _ in done))) % 10**8:08d}.md"
        )
        path.write_text(render.conversation_markdown(done), encoding="utf-8")
        return path


def filters_bar(
    year_from: Any = None, year_to: Any = None, *lists: Sequence[str] | None
) -> tuple[bool, str]:
    """(visible, html) of the bar above the question box naming the panel's filters in force."""
    try:
        filters = filters_from_controls(year_from, year_to, *lists)
    except AssistantError as exc:
        return True, f'<span class="bar-text">{render.inert(str(exc), " ")}</span>'
    if filters.is_empty():
        return False, ""
    return True, (
        f'<span class="bar-text">Filters in force for your next question: '
        f"<b>{render.inert(filters.describe(), ' ')}</b></span>"
    )


def respond_updates(
    ctrl: ChatController,
    question: Any,
    state: Sequence[dict] | None,
    filters: Filters | None,
    error: str | None = None,
) -> Iterator[dict[str, Any]]:
    """What a sent question changes, as dicts naming the outputs to update (absent = unchanged).

    Nothing for an empty or blank question (no bubble, no error: the Ask button is disabled for it
    in the browser). Otherwise the question and a "Searching" line at once, then the answer as it
    grows, then the finished turn. The question box is cleared only by the first update, so a next
    question typed while this one is answered is kept. Filters read from the question apply to it
    only: they are echoed above its answer, never copied into the Filters panel.
    """
    if not isinstance(question, str) or not question.strip():
        return
    turns = list(state or ())
    yield {"chat": messages(turns, None, question), "box": ""}
    if error is not None or filters is None:
        new_turns = turns + [{"question": question, "answer": None, "error": error or "no filters"}]
        yield {"chat": messages(new_turns), "turns": new_turns}
        return
    for new_turns, partial, answer, _error in ctrl.stream(question, turns, filters):
        if answer is None and _error is None:
            yield {"chat": messages(new_turns, partial, question)}
            continue
        update: dict[str, Any] = {"chat": messages(new_turns), "turns": new_turns}
        path = ctrl.export(new_turns)
        if path:
            update["export"] = str(path)
        yield update


def chat_tab(ctrl: ChatController, facets: dict[str, list], scope=None):
    """Build the chat tab inside the current Blocks; returns the turns state (other tabs read it).
    `scope`: an optional `gr.State` of record ids the questions are limited to (the Library tab's
    "ask about this record")."""
    import gradio as gr

    years = facets.get("years") or []
    turns = gr.State([])
    with gr.Row(equal_height=False, elem_id="chat-row"):
        with gr.Column(scale=3, min_width=320, elem_id="chat-column"):
            # The page is the one scroll area: the conversation grows with its messages (no inner
            # scrolling box) and app.js brings each new answer's start into view.
            chatbot = gr.Chatbot(
                label="Conversation",
                elem_id="chat",
                height=None,
                min_height=360,
                autoscroll=False,
                show_label=False,
                buttons=[],
                feedback_options=None,
                latex_delimiters=[],
                sanitize_html=True,
                render_markdown=True,
                placeholder=(
                    "**Ask a question about the library.**<br>"
                    "Answers quote the records and cite each one by title and year, "
                    "e.g. *How does armed conflict increase the risk of trafficking?*"
                ),
            )
            with gr.Column(elem_id="composer"):
                with gr.Row(elem_id="filter-bar", visible=False, equal_height=True) as bar_row:
                    bar_text = gr.HTML("", elem_id="filters-in-force", padding=False)
                    bar_clear = gr.Button(
                        "Clear filters",
                        size="sm",
                        elem_id="clear-filters-bar",
                        scale=0,
                        min_width=110,
                    )
                box = gr.Textbox(
                    show_label=False,
                    placeholder="Ask about trafficking in conflict…",
                    lines=1,
                    max_lines=6,
                    submit_btn="Ask",
                    elem_id="question",
                    autofocus=True,
                )
                gr.HTML(
                    "", elem_id="chat-status", padding=False
                )  # app.js says here that a question is queued
            with gr.Row(elem_id="chat-actions"):
                new = gr.Button(
                    "New conversation", size="sm", variant="secondary", elem_id="new-conversation"
                )
                export = gr.DownloadButton(
                    "Download conversation (.md)",
                    size="sm",
                    visible=False,
                    elem_id="export-conversation",
                )
        with gr.Column(scale=1, min_width=260, elem_id="filters"):
            gr.Markdown("### Filters", elem_classes=["panel-title"])
            with gr.Row():
                year_from, year_to = year_range([str(y) for y in years], "", filterable=True)
            if years:
                span = f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])
                hint(
                    f"The library's records date from {span}; undated records are left out "
                    "when a year is set."
                )
            lists = facet_dropdowns(facets, "filter-")
            clear = gr.Button("Clear filters", size="sm", elem_id="clear-filters")
            hint(
                "Filters set here apply to every question until cleared. Years, places or "
                "authors named in a question apply to that question only; each answer says what "
                "it searched."
            )

    controls = [year_from, year_to, *lists]
    names = {"chat": chatbot, "turns": turns, "box": box, "export": export}
    outputs = list(names.values())

    def respond(
        question: str,
        state: list,
        year_from: str | None = None,
        year_to: str | None = None,
        regions: list[str] | None = None,
        countries: list[str] | None = None,
        categories: list[str] | None = None,
        authors: list[str] | None = None,
        scope_ids: list[str] | None = None,
    ):
        filters, error = None, None
        try:
            filters = filters_from_controls(
                year_from, year_to, regions, countries, categories, authors
            )
            if scope_ids:
                filters = replace(filters, record_ids=tuple(scope_ids))
        except AssistantError as exc:
            error = str(exc)
        sent = False
        for update in respond_updates(ctrl, question, state, filters, error):
            sent = True
            if "export" in update:
                update["export"] = gr.update(value=update["export"], visible=True)
            yield tuple(update.get(name, gr.skip()) for name in names)
        if not sent:  # an empty question changes nothing: the conversation is shown as it was
            yield tuple(messages(state or ()) if name == "chat" else gr.skip() for name in names)

    # trigger_mode="always_last": a question sent while one is answered waits (app.js says so) and
    # is sent when the answer is finished; its text stays in the box until then.
    box.submit(
        respond,
        [box, turns, *controls, *([scope] if scope is not None else [])],
        outputs,
        api_name="chat",
        show_progress="hidden",
        concurrency_id=ANSWERS,
        trigger_mode="always_last",
    )

    def show_bar(*values):
        visible, html = filters_bar(*values)
        return gr.update(visible=visible), html

    for control in controls:
        control.change(
            show_bar,
            controls,
            [bar_row, bar_text],
            api_name=False,
            show_progress="hidden",
            queue=False,
        )
    new.click(
        lambda: ([], [], "", gr.update(value=None, visible=False)),
        None,
        outputs,
        api_name="new_conversation",
        show_progress="hidden",
    )
    chatbot.clear(
        lambda: ([], gr.update(value=None, visible=False)), None, [turns, export], api_name=False
    )
    for button, name in ((clear, "clear_filters"), (bar_clear, False)):
        button.click(
            lambda: (None, None, [], [], [], []),
            None,
            controls,
            api_name=name,
            show_progress="hidden",
        )

    def ask(question: str) -> str:
        """Answer a question from the library; returns Markdown with [n] markers and the numbered
        sources."""
        try:
            return ctrl.ask_markdown(question)
        except AssistantError as exc:
            raise gr.Error(str(exc), print_exception=False) from None

    gr.api(ask, api_name="ask", concurrency_id=ANSWERS)
    return turns, controls, lists
