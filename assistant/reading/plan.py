"""`read(question, history, facets) -> QueryPlan`: everything the assistant reads from a question.

The plan says what kind of question it is (`Intent`), its language, what retrieval searches for,
the names and numbers it turns on (`focus`), the publication filters it implies (each value with
the words and the rule that produced it, `FilterReading`), the places it names (which rank records
rather than exclude them, except in a listing), and a listing's topic. Reading is pure: the same
question, history and catalog facets always give the same plan (tests/data/readings_golden.jsonl
freezes the plans of every sample, dev and test question).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from ..glossary import english_terms
from ..models import Filters
from .focus import focus_terms
from .language import ANSWERED, detect_language
from .question import FilterReading, catalog_names, read_question


class Intent(StrEnum):
    """What a question asks the assistant to do."""

    ASK = "ask"
    """Answer it from the library's records."""
    LIST = "list"
    """A question about the library itself ("what do you have from 2020?"): list every match."""
    FOLLOW_UP = "follow_up"
    """Answer it read together with the earlier turns, its own words first."""
    NARROW = "narrow"
    """A follow-up of a listing ("and which of those is about Europe?"): list again, narrower."""


@dataclass(frozen=True)
class QueryPlan:
    """A question as the assistant reads it."""

    question: str
    intent: Intent
    language: str
    """"en", "es", or a language the assistant does not answer (`assistant.reading.language`)."""
    query: str
    """What retrieval searches for (the earlier turns prepended for a follow-up)."""
    focus: tuple[str, ...] = ()
    """The names, acronyms and numbers the question turns on (`focus_terms`)."""
    filters: Filters = Filters()
    """Everything read from the question and, for a follow-up, the earlier turns: publication years,
    categories, authors, and places (see `places` and `hard_filters`)."""
    readings: tuple[FilterReading, ...] = ()
    """The span of the question and the rule behind each value of `filters`."""
    topic: str = ""
    """A listing's subject without its listing and filter phrasing ("" when only filters remain);
    the question without its filter phrasing otherwise."""
    english: str = ""
    """For a Spanish question, the glossary's English for its domain words (BM25 searches them)."""

    @property
    def listing(self) -> bool:
        return self.intent in (Intent.LIST, Intent.NARROW)

    @property
    def follow_up(self) -> bool:
        return self.intent in (Intent.FOLLOW_UP, Intent.NARROW)

    @property
    def spanish(self) -> bool:
        return self.language == "es"

    @property
    def answered(self) -> bool:
        """Whether the assistant reads and answers the question's language."""
        return self.language in ANSWERED

    @property
    def places(self) -> Filters:
        """The regions and countries read from the question: they rank records (those tagged with or
        naming them first) rather than exclude the Worldwide records about them."""
        return Filters(regions=self.filters.regions, countries=self.filters.countries)

    @property
    def hard_filters(self) -> Filters:
        """The read filters that exclude records: all of them for a listing, all but places else."""
        if self.listing:
            return self.filters
        return replace(self.filters, regions=(), countries=())

    @property
    def topic_english(self) -> str:
        """For a Spanish listing, the glossary's English for its topic ("matrimonio infantil":
        "child marriage"), so that it also names the English records on it."""
        return english_terms(self.topic) if self.spanish and self.listing else ""

    def without_inference(self) -> QueryPlan:
        """The plan when the user turned inference off: no filters read, no listing; a follow-up
        still searches with the earlier turns."""
        return replace(
            self,
            intent=Intent.FOLLOW_UP if self.follow_up else Intent.ASK,
            query=self.query if self.follow_up else self.question,
            filters=Filters(),
            readings=(),
            topic=self.question,
        )

    def as_follow_up(self, earlier: str) -> QueryPlan:
        """The plan read as a follow-up of `earlier` (its own words first)."""
        return replace(self, intent=Intent.FOLLOW_UP, query=f"{self.query} {earlier}")


def _intent(listing: bool, follow_up: bool) -> Intent:
    if listing:
        return Intent.NARROW if follow_up else Intent.LIST
    return Intent.FOLLOW_UP if follow_up else Intent.ASK


def read(
    question: str, history: Iterable[Any] = (), facets: Mapping[str, Sequence[Any]] | None = None
) -> QueryPlan:
    """Read `question` in the context of the user's earlier turns (`history`: strings, (user,
    assistant) pairs or role dicts) against the catalog values (`facets`: `Assistant.facets()`)."""
    language = detect_language(question, catalog_names(tuple((facets or {}).get("authors", ()))))
    read_ = read_question(question, facets or {}, history, language=language)
    return QueryPlan(
        question=question,
        intent=_intent(read_.flags.listing, read_.flags.follow_up),
        language=language,
        query=read_.query,
        focus=tuple(focus_terms(question)),
        filters=read_.filters,
        readings=read_.readings,
        topic=read_.topic,
        english=read_.english,
    )
