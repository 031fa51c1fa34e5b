"""Gradio controls more than one tab builds the same way: year range, facet lists, hint lines.

Gradio is imported inside each function, so importing this module stays light.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kernel.models import FACETS

__all__ = ["FILTER_FIELDS", "FILTER_LABELS", "facet_dropdowns", "hint", "year_range"]

FILTER_FIELDS = tuple(FACETS)
FILTER_LABELS = {field: label.capitalize() for field, label in FACETS.items()}


def year_range(choices: Sequence[str], elem_prefix: str, **extra: Any) -> tuple[Any, Any]:
    """ "From year" and "To year" dropdowns (ids `{elem_prefix}year-from` / `-to`); any year may be
    typed, not only the catalog's."""
    import gradio as gr

    return tuple(  # type: ignore[return-value]
        gr.Dropdown(
            label=label,
            choices=list(choices),
            value=None,
            allow_custom_value=True,
            elem_id=f"{elem_prefix}year-{end}",
            min_width=110,
            **extra,
        )
        for label, end in (("From year", "from"), ("To year", "to"))
    )


def facet_dropdowns(
    facets: Mapping[str, Sequence[str]], elem_prefix: str, **extra: Any
) -> list[Any]:
    """One multi-select list per facet (`FILTER_FIELDS` order), ids `{elem_prefix}{field}`."""
    import gradio as gr

    return [
        gr.Dropdown(
            label=FILTER_LABELS[f],
            choices=list(facets.get(f, [])),
            value=[],
            multiselect=True,
            elem_id=f"{elem_prefix}{f}",
            **extra,
        )
        for f in FILTER_FIELDS
    ]


def hint(text: str) -> Any:
    """A grey line of explanation under a heading."""
    import gradio as gr

    return gr.Markdown(text, elem_classes=["hint"])
