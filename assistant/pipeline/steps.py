"""The typed objects that pass from one step of `Assistant.ask_stream` to the next.

    read -> Asked -> scope -> Scope -> retrieve -> Retrieval -> gate -> Evidence
         -> compose -> Composed -> guard -> Answer

A step that settles the answer on its own (a language the assistant does not read, a filter value
the catalog lacks, nothing relevant, a focus no record covers, a listing) returns that `Answer`
instead of its typed output. `notices` is one list that grows along the chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from kernel.cache import PerGeneration

from ..models import Filters, Hit, Notice
from ..reading import QueryPlan

if TYPE_CHECKING:  # pragma: no cover
    from kernel.settings import Settings

    from ..answering import Answerer
    from ..reading.wording import Wording
    from ..retrieve import Retriever

T = TypeVar("T")


@dataclass(frozen=True)
class Asked:
    """The read step's output: the checked question (cut to the limit) and how it reads."""

    question: str
    plan: QueryPlan
    history: list[Any]
    notices: list[Notice]


@dataclass(frozen=True)
class Scope:
    """The scope step's output: the filters retrieval searches within."""

    asked: Asked
    plan: QueryPlan
    """The plan, with a listing's topic read again when places it named were dropped."""
    filters: Filters
    """The user's filters and the plan's hard filters, merged (places dropped when relaxed)."""
    allowed: set[str] | None
    """Ids of the records the filters allow (None: every record)."""
    base: dict[str, Any]
    """The fields every `Answer` to this question shares (question, filters, language)."""

    @property
    def notices(self) -> list[Notice]:
        return self.asked.notices

    @property
    def history(self) -> list[Any]:
        return self.asked.history


@dataclass(frozen=True)
class Retrieval:
    """The retrieve step's output: the hits found, and the text the answerer picks sentences
    with."""

    scope: Scope
    plan: QueryPlan
    hits: list[Hit]
    answer_query: str


@dataclass(frozen=True)
class Evidence:
    """The gate's output: the relevant hits, those on the question's focus first."""

    scope: Scope
    plan: QueryPlan
    hits: list[Hit]
    answer_query: str


@dataclass(frozen=True)
class Composed:
    """The compose step's output: the answer text and the hits it was written from (the only ones
    it may cite)."""

    evidence: Evidence
    text: str
    hits: list[Hit]


class StepHost:
    """What the steps read from the `Assistant` they are mixed into."""

    settings: Settings
    retriever: Retriever
    answerer: Answerer
    scorer: Any
    _kept: PerGeneration
    """What the steps derive from the whole index, one per index generation."""

    def _per_generation(self, name: str, build: Callable[[], T]) -> T:
        """`build()`'s value for the retriever's current index generation, built once."""
        return self._kept.get(name, self.retriever.generation, build)

    if TYPE_CHECKING:  # pragma: no cover  (defined by `Assistant` and the other steps)

        @property
        def mode(self) -> str: ...

        def facets(self) -> dict[str, list]: ...

        def catalog(self) -> Any: ...

        def wording(self) -> Wording: ...

        def _search(self, read: QueryPlan, filters: Filters) -> tuple[list[Hit], str]: ...
