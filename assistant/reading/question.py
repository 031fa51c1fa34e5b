"""Reading a question: filters it implies, whether it asks about the library, follow-ups.

`parse_question(question, facets)` returns the question to search with, the `Filters` the question
implies, and `QuestionFlags`. Values are only inferred when the catalog holds them (`facets` is
`Assistant.facets()`): "in Kosovo" becomes the country "Kosovo/UNSCR 1244", "in Asia" every region
value containing "Asia", "by Walk Free Foundation" that author. Places need a preposition ("in",
"from", "across", ...), so a title such as "Europe and Central Asia Report" inside a question does
not restrict the search. Years: "published in 2020", "from 2019" and "2019 publications" are that
year, but only in a question about the library's documents (rule `about_documents` of
`assistant.reading.rules`, or a listing): elsewhere a single year names an event ("the Haiti
earthquake of 2010", "committed in 2019") and stays in the searched text; "since 2018" and "2018
onwards" from it; "before 2012" up to 2011; "between 2010 and 2015" both ends. A bare year ("Global
Slavery Index 2018") is no filter.

`read_question(question, facets, history)` adds follow-ups: a short question starting with
"and", "what about", "how about"... is searched together with the previous user turn and
inherits that turn's filters (its own filters win); after a listing, "and which of those ..."
narrows that listing (a listing again, with the inherited filters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from kernel.history import user_turns
from kernel.text import fold, stop_words

from ..glossary import english_terms
from ..models import Filters
from .language import detect_language
from .rules import (
    ANAPHORA,
    AUTHOR_NAME,
    AUTHOR_SHORT,
    AUTHOR_SURNAME,
    AUTHORS_WORK,
    BY_NAME,
    CATEGORY_PHRASE,
    FOLLOW_UP_OPENING,
    LISTING,
    LISTING_WORDS,
    NARROWING,
    PLACE_PHRASE,
    REQUEST_WORDS,
    SUBJECT_VERBS,
    TOPIC_LEFTOVERS,
    YEAR_FROM,
    YEAR_RULES,
    fires,
)
from .wording import follow_up_query

_NOT_PLACES = {"worldwide", "global", "international", "other", "all"}
_DIRECTIONS = {
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "middle",
    "sub",
    "saharan",
    "south-eastern",
    "the",
}


@dataclass(frozen=True)
class FilterReading:
    """Why a filter value was read from a question: the words (`span`, character offsets into the
    question; None when inherited from an earlier turn) and the rule of `assistant.reading.rules`
    that read them."""

    field: str
    """"years", "regions", "countries", "categories" or "authors"."""
    value: Any
    """The catalog value, or (year_from, year_to) for "years"."""
    span: tuple[int, int] | None
    rule: str


@dataclass(frozen=True)
class QuestionFlags:
    """What kind of question this is."""

    listing: bool = False
    """A question about the library itself ("what do you have from 2020?"): list every match."""
    follow_up: bool = False
    """Read together with the previous user turn."""


@dataclass(frozen=True)
class ReadQuestion:
    """A question as the assistant reads it."""

    question: str
    query: str
    """What retrieval searches for (the previous turn prepended for a follow-up)."""
    filters: Filters
    """Filters inferred from this question and, for a follow-up, the earlier turns."""
    flags: QuestionFlags
    topic: str = ""
    """The question without its listing and filter phrasing ("" when only filters remain)."""
    english: str = ""
    """For a Spanish question, the glossary's English for its domain words: BM25 searches them too
    (`Retriever.search(words=...)`); the model and the answerer read the question as asked."""
    spanish: bool = False
    """The question is in Spanish (`assistant.glossary.is_spanish`)."""
    readings: tuple[FilterReading, ...] = ()
    """The span and rule behind each value of `filters`."""

    @property
    def topic_english(self) -> str:
        """For a Spanish listing, the glossary's English for its topic ("matrimonio infantil":
        "child marriage"), so that it also names the English records on it; follows `topic` when
        that changes."""
        return english_terms(self.topic) if self.spanish and self.flags.listing else ""


# -- years -------------------------------------------------------------------------------------


def _years(question: str) -> tuple[int | None, int | None, str, FilterReading | None]:
    """(year_from, year_to, question without the year phrase, the reading of the phrase)."""
    for rule in YEAR_RULES:
        m = rule.search(question)
        if not m or rule.make is None:
            continue
        lo, hi = rule.make(m)
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        cleaned = (question[: m.start()] + " " + question[m.end() :]).strip()
        reading = FilterReading("years", (lo, hi), m.span(), rule.name)
        return lo, hi, re.sub(r"\s{2,}", " ", cleaned), reading
    return None, None, question, None


# -- catalog values ----------------------------------------------------------------------------


def name_parts(value: str) -> list[str]:
    """ "Kosovo/UNSCR 1244" -> ["Kosovo/UNSCR 1244", "Kosovo", "UNSCR 1244"]."""
    parts = [value] + [p.strip() for p in re.split(r"[/(),;]", value) if p.strip()]
    return list(dict.fromkeys(p for p in parts if len(p) >= 3))


@lru_cache(maxsize=8)
def _place_terms(values: tuple[str, ...]) -> dict[str, list[str]]:
    """term -> the catalog values it selects (every value containing the term as a word); built
    once per catalog (one regex per term over every value), not once per question. Read only."""
    values = tuple(v for v in values if v and v.casefold() not in _NOT_PLACES)
    terms: set[str] = set()
    for v in values:
        terms.update(name_parts(v))
        for word in re.findall(r"[A-Za-z][\w-]+", v):
            if len(word) >= 4 and word.casefold() not in _DIRECTIONS and word[0].isupper():
                terms.add(word)
    out: dict[str, list[str]] = {}
    for term in terms:
        pat = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.I)
        out[term] = sorted(v for v in values if pat.search(v))
    return out


def _match_places(
    question: str, values: Iterable[str], field: str = "countries"
) -> tuple[tuple[str, ...], list[FilterReading]]:
    terms = _place_terms(tuple(values))
    found: list[tuple[int, int, str]] = []
    for term in sorted(terms, key=len, reverse=True):
        m = PLACE_PHRASE.for_value(term).search(question)
        if m and not any(s <= m.start(1) < e for s, e, _ in found):
            found.append((m.start(1), m.end(1), term))
    selected: list[str] = []
    readings: list[FilterReading] = []
    for start, end, term in sorted(found):
        selected.extend(terms[term])
        readings += [FilterReading(field, v, (start, end), PLACE_PHRASE.name) for v in terms[term]]
    return tuple(dict.fromkeys(selected)), readings


ORGANISATION_WORDS = {
    "foundation",
    "institute",
    "organization",
    "organisation",
    "office",
    "centre",
    "center",
    "network",
    "council",
    "association",
    "society",
    "agency",
    "fund",
    "programme",
    "program",
    "committee",
    "commission",
    "group",
    "initiative",
    "trust",
    "project",
}


def short_name(author: str) -> str | None:
    """ "Walk Free" for "Walk Free Foundation": an organisation's name without its last, generic
    word (None for any other name). People write organisations so; the CLI, the UI and evals read
    them so."""
    words = author.split()
    return (
        " ".join(words[:-1])
        if len(words) >= 3 and words[-1].casefold() in ORGANISATION_WORDS
        else None
    )


def surname(author: str) -> str | None:
    """A person's surname as a question may name them alone ("Peyroux" for Olivier Peyroux): the
    last word of a name of two words or more, of at least four letters; None otherwise."""
    words = author.split()
    return words[-1] if len(words) > 1 and len(words[-1]) >= 4 else None


@lru_cache(maxsize=8)
def catalog_names(authors: tuple[str, ...]) -> tuple[str, ...]:
    """The catalog's author names and their `surname`s, longest first: names a question may hold
    that carry no language (`assistant.reading.detect_language`). Kept per catalog: the scope
    step and `read` both ask for every question."""
    names = {n for a in authors for n in (a, surname(a)) if n}
    return tuple(sorted(names, key=len, reverse=True))


def _match_authors(
    question: str, authors: Iterable[str]
) -> tuple[tuple[str, ...], list[FilterReading]]:
    out = []
    readings = []
    for author in authors:
        if not author or len(author) < 4:
            continue
        if m := AUTHOR_NAME.for_value(author).search(question):
            out.append(author)
            readings.append(FilterReading("authors", author, m.span(), AUTHOR_NAME.name))
            continue
        short = short_name(author)
        if short and (m := AUTHOR_SHORT.for_value(short).search(question)):
            # "Walk Free" for Walk Free Foundation, written as the catalog writes it
            out.append(author)
            readings.append(FilterReading("authors", author, m.span(), AUTHOR_SHORT.name))
            continue
        last = surname(author)
        if last and (m := AUTHOR_SURNAME.for_value(last).search(question)):
            out.append(author)
            readings.append(FilterReading("authors", author, m.span(), AUTHOR_SURNAME.name))
    return tuple(dict.fromkeys(out)), readings


def _match_categories(
    question: str, categories: Iterable[str]
) -> tuple[tuple[str, ...], list[FilterReading]]:
    out = []
    readings = []
    for cat in sorted(categories, key=len, reverse=True):
        if m := CATEGORY_PHRASE.for_value(cat).search(question):
            if not any(cat.casefold() in o.casefold() for o in out):
                out.append(cat)
                readings.append(FilterReading("categories", cat, m.span(), CATEGORY_PHRASE.name))
    return tuple(out), readings


# -- kinds of question -------------------------------------------------------------------------


def parse_question(
    question: str, facets: Mapping[str, Sequence[Any]]
) -> tuple[str, Filters, QuestionFlags]:
    """(question to search with, inferred Filters, QuestionFlags) for one question alone."""
    cleaned, filters, flags, _ = _parse(question, facets)
    return cleaned, filters, flags


def _parse(
    question: str, facets: Mapping[str, Sequence[Any]]
) -> tuple[str, Filters, QuestionFlags, tuple[FilterReading, ...]]:
    """`parse_question`, and the reading (span, rule) behind each inferred filter value."""
    year_from, year_to, cleaned, year = _years(question)
    listing = bool(LISTING.search(question))
    if (
        year_from is not None
        and year_from == year_to
        and not (listing or fires("about_documents", question))
        and not any(int(m.group(1)) == year_from for m in YEAR_FROM.pattern.finditer(question))
    ):
        # "the Haiti earthquake of 2010": a year of events is searched for, not a publication filter
        year_from, year_to, cleaned, year = None, None, question, None
    regions, region_readings = _match_places(question, facets.get("regions", ()), "regions")
    countries, country_readings = _match_places(question, facets.get("countries", ()))
    categories, category_readings = _match_categories(question, facets.get("categories", ()))
    authors, author_readings = _match_authors(question, facets.get("authors", ()))
    filters = Filters(
        year_from=year_from,
        year_to=year_to,
        regions=regions,
        countries=countries,
        categories=categories,
        authors=authors,
    )
    if authors and AUTHORS_WORK.search(question):
        # "whatever Olivier Peyroux wrote", "Cockayne's papers please": the author's records
        listing = True
    flags = QuestionFlags(listing=listing)
    readings = (
        *([year] if year else []),
        *region_readings,
        *country_readings,
        *category_readings,
        *author_readings,
    )
    return cleaned or question, filters, flags, readings


def listing_topic(question: str, facets: Mapping[str, Sequence[Any]], filters: Filters) -> str:
    """The subject of a listing question once its phrasing and the values of `filters` are taken
    out; with fewer filters (places dropped because they matched nothing) more words stay."""
    return _topic(parse_question(question, facets)[0], filters)


def _topic(question: str, filters: Filters) -> str:
    """The question's subject once listing phrasing and filter values are taken out."""
    text = question
    shorts = [short for a in filters.authors if (short := short_name(a))]
    for value in (
        *filters.regions,
        *filters.countries,
        *filters.categories,
        *filters.authors,
        *shorts,
    ):
        for part in name_parts(value):
            text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", " ", text, flags=re.I)
    text = SUBJECT_VERBS.pattern.sub(" ", text)
    text = LISTING_WORDS.pattern.sub(" ", text)
    text = TOPIC_LEFTOVERS.pattern.sub(" ", text)
    if filters.authors:
        # "Florence in our Geneva office wants whatever Olivier Peyroux wrote": who asks and how
        # is no topic
        for rule in ("person_name", "asker_organisation"):
            for m in BY_NAME[rule].pattern.finditer(question):
                for name in filter(None, m.groups()):
                    text = re.sub(rf"(?<!\w){re.escape(name.strip())}(?!\w)", " ", text)
        for author in filters.authors:  # "what did Peyroux write?", "Samantha Godec's paper"
            for part in author.split():
                if len(part.strip(".")) >= 3:
                    text = re.sub(rf"(?<!\w){re.escape(part)}(?:['’]s)?(?!\w)", " ", text)
        text = REQUEST_WORDS.pattern.sub(" ", text)
    # "List the reports you have that were published in 2019", "...that is about child
    # marriage": function words left at either end ("that") are no part of the topic.
    words, stop = text.split(), stop_words()
    while words and fold(words[0]) in stop:
        words = words[1:]
    while words and fold(words[-1]) in stop:
        words = words[:-1]
    return " ".join(words)


def is_follow_up(question: str) -> bool:
    words = question.split()
    opens = FOLLOW_UP_OPENING.search(question) or ANAPHORA.search(question)
    return bool(opens) and len(words) <= 12


def read_question(
    question: str,
    facets: Mapping[str, Sequence[Any]],
    history: Iterable[Any] = (),
    language: str | None = None,
) -> ReadQuestion:
    """Read `question` in the context of the user's earlier turns (`language`: already detected)."""
    cleaned, filters, flags, readings = _parse(question, facets)
    earlier = user_turns(history)
    follow_up = bool(earlier) and is_follow_up(question)
    query = cleaned
    if follow_up:
        context: list[str] = []
        inherited = Filters()
        inherited_readings: list[FilterReading] = []
        listed = False
        # Walk back over a chain of follow-ups to the question that set the subject.
        for turn in reversed(earlier):
            turn_cleaned, turn_filters, turn_flags, turn_readings = _parse(turn, facets)
            context.insert(0, turn_cleaned)
            inherited_readings = [
                replace(r, span=None, rule=f"follow_up:{r.rule}") for r in turn_readings
            ] + inherited_readings
            inherited = turn_filters.merged(inherited)
            listed = turn_flags.listing
            if not is_follow_up(turn) or len(context) >= 3:
                break
        filters = inherited.merged(filters)
        readings = _merged_readings(inherited_readings, readings)
        query = follow_up_query(cleaned, context)
        if listed and NARROWING.search(question):
            flags = QuestionFlags(listing=True)
    if (
        not follow_up
        and not flags.listing
        and not filters.is_empty()
        and not _topic(cleaned, filters)
    ):
        flags = QuestionFlags(
            listing=True
        )  # "anything after 2018?": nothing but filters, so list them
    topic = _topic(cleaned, filters) if flags.listing else cleaned
    spanish = (language or detect_language(question)) == "es"
    return ReadQuestion(
        question=question,
        query=query,
        filters=filters,
        flags=QuestionFlags(listing=flags.listing, follow_up=follow_up),
        topic=topic,
        english=english_terms(cleaned) if spanish else "",
        spanish=spanish,
        readings=readings,
    )


def _merged_readings(
    inherited: Sequence[FilterReading], own: Sequence[FilterReading]
) -> tuple[FilterReading, ...]:
    """The readings behind `Filters.merged`: a field the question sets itself drops the inherited
    readings of that field (years count as one field)."""
    fields = {r.field for r in own}
    return (*(r for r in inherited if r.field not in fields), *own)
