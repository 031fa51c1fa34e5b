"""The one protocol both answerers implement: `Answerer.compose(plan, query, hits, history)`.

An answerer gets the question as read (`QueryPlan`), the text to pick sentences with, the relevant
hits in rank order and the conversation, and returns a `Composition`: the hits it writes from (the
only ones the answer may cite: an LLM's context may hold fewer), what it had to leave out, and the
answer text as a stream of pieces. `assistant.answer.ExtractiveAnswerer` (quotations, the default)
and `assistant.llm.LLMAnswerer` implement it; the compose step of `assistant.pipeline` calls it
without asking which one it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from .models import Hit, Notice

if TYPE_CHECKING:  # pragma: no cover
    from .reading import QueryPlan

__all__ = ["Answerer", "Composition"]


@dataclass(frozen=True)
class Composition:
    """What an answerer writes, before the citation guard checks it."""

    hits: tuple[Hit, ...]
    """The sources the answer is written from, numbered [1]..[n] in this order."""
    pieces: Iterable[str]
    """The answer text in pieces, as it is written (consumed once)."""
    notices: tuple[Notice, ...] = ()
    """What was left out or shortened to write it."""
    abstain_when_empty: bool = False
    """An empty text means no sentence of the sources answers the question: the assistant then
    says the library holds nothing on this (quotations); otherwise the empty text is checked."""


@runtime_checkable
class Answerer(Protocol):
    def compose(
        self, plan: QueryPlan, query: str, hits: Sequence[Hit], history: Sequence[Any] = ()
    ) -> Composition:
        """The answer to `plan`'s question from `hits` (`query`: the text to pick sentences with,
        which for a Spanish question may be its glossary English)."""
        ...
