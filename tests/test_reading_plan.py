"""`read(question, history, facets) -> QueryPlan`: one typed plan says what a question asks for and
why (each filter value with the words and the rule that read it)."""

import pytest

from assistant.models import Filters
from assistant.reading import Intent, read

FACETS = {
    "years": [2009, 2010, 2016, 2018, 2019, 2020],
    "regions": ["Asia", "Central Asia", "Pacific", "Worldwide"],
    "countries": ["Bangladesh", "Kosovo/UNSCR 1244", "Worldwide"],
    "categories": ["Child Soldiers", "Trafficking"],
    "authors": ["James Cockayne", "Walk Free Foundation"],
}


def _said(plan, reading) -> str:
    start, end = reading.span
    return plan.question[start:end]


def test_read__a_publication_year_carries_the_words_and_rule_that_read_it():
    plan = read("What reports were published in 2020?", (), FACETS)
    assert plan.intent is Intent.LIST and plan.filters.year_from == 2020
    (year,) = plan.readings
    assert (year.field, year.value, year.rule) == ("years", (2020, 2020), "year_in")
    assert _said(plan, year) == "published in 2020"


def test_read__a_year_of_events_is_searched_for_not_filtered_on():
    plan = read("What did the Haiti earthquake of 2010 teach about protection?", (), FACETS)
    assert plan.intent is Intent.ASK and plan.filters.is_empty() and not plan.readings
    assert "2010" in plan.query


def test_read__places_of_a_question_rank_and_only_a_listing_filters_on_them():
    plan = read("Did the NATO intervention in Kosovo make trafficking worse?", (), FACETS)
    assert plan.places == Filters(countries=("Kosovo/UNSCR 1244",))
    assert plan.hard_filters.is_empty()
    (place,) = plan.readings
    assert place.rule == "place_phrase" and _said(plan, place) == "Kosovo"
    assert plan.focus == ("NATO", "Kosovo")
    listing = read("What do you have on child marriage in Asia?", (), FACETS)
    assert listing.intent is Intent.LIST and listing.hard_filters.regions == (
        "Asia",
        "Central Asia",
    )


def test_read__an_author_is_read_by_its_short_name():
    plan = read("What has Walk Free published?", (), FACETS)
    (author,) = plan.readings
    assert (author.value, author.rule) == ("Walk Free Foundation", "author_short")
    assert _said(plan, author) == "Walk Free"


def test_read__a_follow_up_is_searched_with_the_earlier_turn_and_inherits_its_filters():
    history = ["What do you have on trafficking in Bangladesh from 2019?"]
    plan = read("and what about children?", history, FACETS)
    assert plan.intent is Intent.FOLLOW_UP and not plan.listing
    # its own words lead (issue 10, class 6); the earlier turn fills in what it leaves out
    assert "Bangladesh" in plan.query and plan.query.startswith("and what about children?")
    assert plan.filters.countries == ("Bangladesh",) and plan.filters.year_from == 2019
    assert all(r.span is None and r.rule.startswith("follow_up:") for r in plan.readings)
    narrow = read("and which of those are about children?", history, FACETS)
    assert narrow.intent is Intent.NARROW and narrow.listing


def test_read__a_spanish_question_carries_its_language_and_english_terms():
    plan = read("¿Hay informes sobre el reclutamiento de niños soldado?", (), FACETS)
    assert plan.language == "es" and plan.spanish and plan.answered
    assert "child" in plan.english


def test_read__a_french_question_is_read_as_french_and_not_answered():
    plan = read("Comment le conflit armé pousse-t-il au mariage des enfants ?", (), FACETS)
    assert plan.language == "fr" and not plan.answered


def test_read__without_inference_no_filter_or_listing_is_read():
    plan = read("What reports were published in 2020?", (), FACETS).without_inference()
    assert plan.intent is Intent.ASK and plan.filters.is_empty()
    assert plan.query == plan.question


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("List the reports you have that were published in 2019.", ""),
        ("Show me all the documents which came out in 2019", ""),
        ("Can you list the reports that you have from 2015?", ""),
        ("List what you have that is about child marriage", "child marriage"),
    ],
)
def test_read__a_listings_leftover_function_words_are_no_topic(question, topic):
    """ "List the reports you have that were published in 2019" listed nothing: its topic was
    "that"."""
    plan = read(question)
    assert plan.intent is Intent.LIST and plan.topic == topic
