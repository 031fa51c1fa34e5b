"""The Library tab: browse and search the catalog, filter it, read a record, chart it, ask about it.

`LibraryController` holds the behaviour (testable without a server): `search(text, filters)`
returns the matching records, newest first and undated ("n.d.") last; `rows` is the table
(title, year or n.d., authors, region, category); `counts_by_year` / `counts_by_category` feed
the two bar charts; `record_html` is one record's card (catalog fields and abstract, inert).
"Ask about this record" puts the record's id in the chat's scope (`Filters.record_ids`), shows
a banner above the chat with a button back to the whole library, and switches to the Chat tab.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.models import Filters
from kernel.errors import AssistantError
from kernel.models import Record
from kernel.text import fold

from . import render
from .views_chat import filters_from_controls
from .widgets import facet_dropdowns, hint, year_range

__all__ = ["LibraryController", "library_tab", "scope_banner"]

COLUMNS = ["Title", "Year", "Authors", "Region", "Category"]
_WORD = re.compile(r"\w+", re.UNICODE)


class LibraryController:
    """The catalog as a person browses it."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant

    def records(self) -> list[Record]:
        return sorted(
            self.assistant.records(),
            key=lambda r: (r.year is None, -(r.year or 0), r.title.casefold()),
        )

    def search(self, text: str = "", filters: Filters | None = None) -> list[Record]:
        """Records holding every word of `text` (title, authors, places, categories or abstract;
        case and accents aside) that match `filters`."""
        words = _WORD.findall(fold(text or ""))
        out = []
        for record in self.records():
            if filters is not None and not filters.matches(record):
                continue
            if words:
                haystack = fold(
                    " ".join(
                        [
                            record.title,
                            *record.authors,
                            *record.countries,
                            *record.regions,
                            *record.categories,
                            record.abstract or "",
                        ]
                    )
                )
                if not all(re.search(rf"(?<!\w){re.escape(w)}", haystack) for w in words):
                    continue
            out.append(record)
        return out

    def get(self, record_id: str | None) -> Record | None:
        return (
            next((r for r in self.assistant.records() if r.id == record_id), None)
            if record_id
            else None
        )

    @staticmethod
    def rows(records: Sequence[Record]) -> list[list[str]]:
        return [
            [
                r.title,
                r.year_label,
                "; ".join(r.authors) or "—",
                "; ".join(r.regions) or "—",
                "; ".join(r.categories) or "—",
            ]
            for r in records
        ]

    @staticmethod
    def counts_by_year(records: Sequence[Record]) -> list[tuple[str, int]]:
        """(year, records) from the earliest year to the latest, "n.d." last."""
        counts: dict[int | None, int] = {}
        for r in records:
            counts[r.year] = counts.get(r.year, 0) + 1
        years = sorted(y for y in counts if y is not None)
        return [(str(y), counts[y]) for y in years] + (
            [("n.d.", counts[None])] if None in counts else []
        )

    @staticmethod
    def counts_by_category(records: Sequence[Record]) -> list[tuple[str, int]]:
        """(category, records), most records first; a record in two categories counts in both."""
        counts: dict[str, int] = {}
        for r in records:
            for c in r.categories or ("(no category)",):
                counts[c] = counts.get(c, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))

    @staticmethod
    def record_html(record: Record | None) -> str:
        if record is None:
            return (
                '<div class="notice">Choose a record in the table (or the list above it) '
                "to read its abstract.</div>"
            )
        fields = [
            ("Year", [record.year_label]),
            ("Authors", list(record.authors)),
            ("Country", list(record.countries)),
            ("Region", list(record.regions)),
            ("Category", list(record.categories)),
        ]
        body = "".join(render.field_html(label, values) for label, values in fields)
        return (
            '<div class="record-card">'
            f'<div class="record-title">{render.inert(record.title, " ")}</div>{body}'
            '<div class="abstract">'
            f"{render.highlight_abstract(record.abstract or '', ())}</div></div>"
        )


def scope_banner(record: Record | None) -> str:
    """The line above the chat while it is scoped to one record."""
    if record is None:
        return ""
    return (
        f'<div class="notice inferred" id="scope-notice">Questions are limited to one record: '
        f"<b>{render.inert(f'{record.title} ({record.year_label})', ' ')}</b>. "
        "Press <i>Ask the whole library</i> to search everything again.</div>"
    )


def _frame(pairs: list[tuple[str, int]], x: str):
    import pandas as pd

    return pd.DataFrame(pairs, columns=[x, "records"])


def _y_lim(pairs: list[tuple[str, int]]) -> list[float]:
    """Bars from zero (Vega would otherwise start the axis at the smallest count and hide its
    bars)."""
    return [0, max((n for _, n in pairs), default=1) + 1]


def library_tab(ctrl: LibraryController, facets: dict[str, list], tabs, scope, banner, unscope):
    """Build the Library tab inside the current Blocks. `tabs` is the app's `gr.Tabs`; `scope`
    the chat's scope state; `banner` and `unscope` the scope line and its button above the chat."""
    import gradio as gr

    years = [str(y) for y in facets.get("years") or []]
    everything = ctrl.records()
    with gr.Tab("Library", id="library", elem_id="tab-library"):
        hint(
            "Browse the catalog: search titles, authors and abstracts, "
            "filter by year, place, category or author, open a record to read its abstract, "
            "and ask the chat about one record."
        )
        with gr.Row(equal_height=True):
            text = gr.Textbox(
                label="Search the catalog",
                placeholder="words of a title, an author, a place…",
                scale=3,
                elem_id="library-search",
                max_lines=1,
            )
            year_from, year_to = year_range(years, "library-", scale=1)
        with gr.Row(equal_height=True):
            lists = facet_dropdowns(facets, "library-", min_width=160)
        with gr.Row():
            clear = gr.Button("Clear search and filters", size="sm", elem_id="library-clear")
        count = gr.HTML(
            f'<div class="library-count">{len(everything)} records</div>', elem_id="library-count"
        )
        table = gr.Dataframe(
            value=ctrl.rows(everything),
            headers=COLUMNS,
            interactive=False,
            wrap=True,
            elem_id="library-table",
            max_height=420,
            label="Records",
            column_widths=["40%", "72px", "20%", "14%", "16%"],
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                pick = gr.Dropdown(
                    label="Open a record",
                    choices=[(f"{r.title} ({r.year_label})", r.id) for r in everything],
                    value=None,
                    elem_id="library-record",
                    filterable=True,
                )
                card = gr.HTML(ctrl.record_html(None), elem_id="library-card")
                ask = gr.Button(
                    "Ask about this record",
                    variant="primary",
                    interactive=False,
                    elem_id="library-ask",
                )
        with gr.Row(equal_height=False):
            years_n, categories_n = (
                ctrl.counts_by_year(everything),
                ctrl.counts_by_category(everything),
            )
            by_year, by_category = (
                gr.BarPlot(
                    _frame(counts, x),
                    x=x,
                    y="records",
                    y_lim=_y_lim(counts),
                    title=f"Records by {x}",
                    elem_id=f"library-by-{x}",
                    sort=order,
                    min_width=300,
                )
                for counts, x, order in ((years_n, "year", "x"), (categories_n, "category", "-y"))
            )

    def run(query: str, y_from: Any, y_to: Any, *values: Sequence[str] | None):
        try:
            filters = filters_from_controls(y_from, y_to, *values)
        except AssistantError as exc:
            return (
                render.error_message(str(exc)).replace("Could not answer:", "Could not search:"),
                gr.skip(),
                gr.skip(),
                gr.skip(),
                gr.skip(),
            )
        found = ctrl.search(query, filters)
        total = len(ctrl.records())
        shown = (
            f"{len(found)} of {total} records match"
            if (query or not filters.is_empty())
            else f"{total} records"
        )
        message = f'<div class="library-count">{shown}.</div>'
        if not found:
            message = (
                '<div class="notice empty">No record matches this search and these filters.</div>'
            )
        years_n, categories_n = ctrl.counts_by_year(found), ctrl.counts_by_category(found)
        return (
            message,
            ctrl.rows(found),
            gr.update(choices=[(f"{r.title} ({r.year_label})", r.id) for r in found]),
            gr.update(value=_frame(years_n, "year"), y_lim=_y_lim(years_n)),
            gr.update(value=_frame(categories_n, "category"), y_lim=_y_lim(categories_n)),
        )

    inputs = [text, year_from, year_to, *lists]
    outputs = [count, table, pick, by_year, by_category]
    for control in [text, year_from, year_to, *lists]:
        control.change(run, inputs, outputs, api_name=False, show_progress="hidden")
    clear.click(
        lambda: ("", None, None, [], [], [], []),
        None,
        inputs,
        api_name=False,
        show_progress="hidden",
    )

    def open_record(record_id: str | None):
        record = ctrl.get(record_id)
        return ctrl.record_html(record), gr.update(interactive=record is not None)

    pick.change(open_record, [pick], [card, ask], api_name=False, show_progress="hidden")

    def select_row(rows: Any, evt):
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        try:
            title, year = rows.iloc[row, 0], rows.iloc[row, 1]
        except (AttributeError, IndexError):
            title, year = rows[row][0], rows[row][1]
        match = next(
            (r for r in ctrl.records() if r.title == title and r.year_label == str(year)), None
        )
        return match.id if match else gr.skip()

    select_row.__annotations__["evt"] = (
        gr.SelectData
    )  # resolved here: gradio is imported in this function
    table.select(select_row, [table], [pick], api_name=False)

    def scope_to(record_id: str | None):
        record = ctrl.get(record_id)
        if record is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return (
            [record.id],
            gr.update(value=scope_banner(record), visible=True),
            gr.update(visible=True),
            gr.Tabs(selected="chat"),
        )

    ask.click(scope_to, [pick], [scope, banner, unscope, tabs], api_name=False)
    unscope.click(
        lambda: ([], gr.update(value="", visible=False), gr.update(visible=False)),
        None,
        [scope, banner, unscope],
        api_name=False,
        show_progress="hidden",
    )
