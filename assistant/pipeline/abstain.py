"""Abstentions: the answers that say the library cannot answer, and why."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..models import Answer, Filters, Hit, Notice
from ..notices import quoted
from .steps import StepHost

NEARBY = 3
"""Nearby records an abstention names (plain "Title (Year)", not citations)."""


class Abstentions(StepHost):
    def _abstain(
        self, base: dict, warnings: list[Notice], text: str, hits: Sequence[Hit] = ()
    ) -> Answer:
        return Answer(
            text=text,
            abstained=True,
            notices=tuple(warnings),
            hits=tuple(hits),
            mode="abstained",
            **base,
        )

    def _nothing(
        self,
        base: dict,
        warnings: list[Notice],
        hits: Sequence[Hit],
        filters: Filters,
        spanish: bool = False,
    ) -> Answer:
        """The abstention: the library holds nothing on this (in Spanish for a Spanish question),
        naming up to `NEARBY` nearby records as plain "Title (Year)"."""
        nearby = _nearby(hits)
        if spanish:
            scope = (
                f" entre los registros que cumplen los filtros ({filters.describe('es')})"
                if not filters.is_empty()
                else ""
            )
            text = (
                f"La biblioteca no contiene nada sobre esto{scope}, "
                "así que no puedo responderlo desde la biblioteca."
            )
            text += f" Los registros más cercanos que sí contiene son: {nearby}." if nearby else ""
        else:
            scope = (
                f" among the records matching the filters ({filters.describe()})"
                if not filters.is_empty()
                else ""
            )
            text = (
                f"The library holds nothing on this{scope}, so I cannot answer it from the library."
            )
            text += f" The closest records it does hold are: {nearby}." if nearby else ""
        return self._abstain(base, warnings, text, hits)

    def _not_covered(
        self,
        base: dict,
        warnings: list[Notice],
        hits: Sequence[Hit],
        missing: Sequence[str],
        spanish: bool = False,
    ) -> Answer:
        """The abstention when the question turns on names or numbers
        (`assistant.reading.focus_terms`) that none of the relevant records mentions: what is
        missing, and what the library does hold."""
        names = quoted(missing, "ni" if spanish else "or")
        nearby = _nearby(hits)
        if spanish:
            text = (
                f"La biblioteca no contiene nada sobre {names}: ningún registro pertinente lo "
                "menciona, así que no puedo responderlo desde la biblioteca. Los registros más "
                f"cercanos que sí contiene son: {nearby}."
            )
        else:
            text = (
                f"The library holds nothing on {names}: no relevant record mentions it, so I "
                "cannot answer this from the library. The closest records it does hold are: "
                f"{nearby}."
            )
        warnings = [*warnings, Notice("focus_not_covered", {"terms": tuple(missing)})]
        return self._abstain(base, warnings, text, hits)

    def _no_figure(
        self, base: dict, warnings: list[Notice], hits: Sequence[Hit], spanish: bool = False
    ) -> Answer:
        """The abstention when the question asks for a figure (rule `asks_quantity`) that none of
        the relevant records gives: what they do cover."""
        nearby = _nearby(hits)
        if spanish:
            text = (
                "Los registros pertinentes de la biblioteca no dan la cifra que se pregunta, así "
                f"que no puedo responderlo desde la biblioteca. Tratan del tema: {nearby}."
            )
        else:
            text = (
                "The library's relevant records do not give the figure asked for, so I cannot "
                f"answer this from the library. They cover the subject: {nearby}."
            )
        warnings = [*warnings, Notice("figure_not_given", {})]
        return self._abstain(base, warnings, text, hits)

    def _yield(self, answer: Answer) -> Iterator[str | Answer]:
        yield answer.text
        yield answer


def _nearby(hits: Sequence[Hit]) -> str:
    """Up to `NEARBY` records as plain "Title (Year)" (not citations), for an abstention."""
    return "; ".join(f"{h.record.title} ({h.record.year_label})" for h in hits[:NEARBY])
