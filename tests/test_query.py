"""Reading a question: filters inferred from catalog values, library questions, follow-ups."""

import pytest

from assistant.models import Filters
from assistant.reading.question import parse_question, read_question
from kernel.history import user_turns

FACETS = {
    "years": [2009, 2010, 2016, 2018, 2019, 2020],
    "regions": ["Asia", "Central Asia", "Eastern Europe", "Pacific", "Worldwide"],
    "countries": ["Bangladesh", "Kosovo/UNSCR 1244", "Worldwide"],
    "categories": ["Child Soldiers", "Child Trafficking", "Trafficking"],
    "authors": ["James Cockayne", "Walk Free Foundation"],
}


@pytest.mark.parametrize(
    "question, year_from, year_to",
    [
        ("What was published in 2020 about COVID?", 2020, 2020),
        ("Reports from 2019 on forced labour", 2019, 2019),
        ("2019 publications on conflict", 2019, 2019),
        ("What has been written since 2018?", 2018, None),
        ("child marriage 2018 onwards", 2018, None),
        ("Anything on trafficking before 2012?", None, 2011),
        ("studies between 2010 and 2015 on child labour", 2010, 2015),
        ("The Global Slavery Index 2018", None, None),
        ("Best football team 2022", None, None),
    ],
)
def test_parse_question__reads_years(question, year_from, year_to):
    _, filters, _ = parse_question(question, FACETS)
    assert (filters.year_from, filters.year_to) == (year_from, year_to)


def test_parse_question__maps_a_country_to_the_catalogs_spelling():
    _, filters, _ = parse_question(
        "What happened to women in Kosovo after the NATO bombing?", FACETS
    )
    assert filters == Filters(countries=("Kosovo/UNSCR 1244",))


def test_parse_question__a_region_selects_every_value_containing_it():
    _, filters, _ = parse_question("How are children trafficked in Asia?", FACETS)
    assert filters.regions == ("Asia", "Central Asia")


def test_parse_question__a_place_inside_a_title_is_no_filter():
    _, filters, _ = parse_question("What does the Europe and Central Asia Report say?", FACETS)
    assert filters.is_empty()


def test_parse_question__reads_authors_and_categories():
    _, filters, _ = parse_question("What has Walk Free Foundation published?", FACETS)
    assert filters.authors == ("Walk Free Foundation",)
    _, filters, _ = parse_question("papers by Cockayne", FACETS)
    assert filters.authors == ("James Cockayne",)
    _, filters, _ = parse_question("list the Child Soldiers category", FACETS)
    assert filters.categories == ("Child Soldiers",)


def test_parse_question__an_organisation_is_read_without_its_foundation_word_as_written():
    _, filters, _ = parse_question("What did Walk Free publish since 2015?", FACETS)
    assert filters.authors == ("Walk Free Foundation",) and filters.year_from == 2015
    _, filters, _ = parse_question("Can trafficked people walk free after testifying?", FACETS)
    assert filters.authors == ()  # ordinary words, not the name


def test_parse_question__places_the_catalog_lacks_are_not_invented():
    _, filters, _ = parse_question("trafficking in Narnia", FACETS)
    assert filters.is_empty()


@pytest.mark.parametrize(
    "question, listing",
    [
        ("What do you have from 2020?", True),
        ("What has Walk Free Foundation published?", True),
        ("List the reports on child soldiers", True),
        ("Which documents are there about Bangladesh?", True),
        ("Which 2019 reports cover Asia?", True),
        ("What recent reports deal with smuggling?", True),
        ("What should police do first with a possible victim?", False),
        ("Which reports should a new police officer read first?", False),
        ("How did COVID-19 change trafficking?", False),
    ],
)
def test_parse_question__recognises_questions_about_the_library(question, listing):
    assert parse_question(question, FACETS)[2].listing is listing


def test_read_question__a_listing_without_a_subject_has_an_empty_topic():
    assert read_question("What do you have from 2020?", FACETS).topic == ""
    assert read_question("List the reports about child marriage", FACETS).topic == "child marriage"
    assert read_question("What recent reports deal with smuggling?", FACETS).topic == "smuggling"


def test_read_question__a_question_of_nothing_but_filters_lists_what_they_match():
    read = read_question("Anything after 2018?", FACETS)
    assert read.flags.listing and read.topic == "" and read.filters.year_from == 2019
    read = read_question("Which 2019 reports cover Asia?", FACETS)
    assert (
        read.flags.listing and read.topic == "" and read.filters.regions == ("Asia", "Central Asia")
    )
    # The same words after a question are a follow-up of it, not a listing.
    assert not read_question("and after 2018?", FACETS, ["How do smugglers operate?"]).flags.listing


def test_read_question__a_follow_up_searches_with_the_earlier_turn_and_keeps_its_filters():
    history = [
        {"role": "user", "content": "How are people trafficked in Bangladesh since 2018?"},
        {"role": "assistant", "content": "..."},
    ]
    read = read_question("and what about children?", FACETS, history)
    assert read.flags.follow_up
    assert "Bangladesh" in read.query and "children" in read.query
    assert read.filters.countries == ("Bangladesh",) and read.filters.year_from == 2018


@pytest.mark.parametrize(
    "question, year_from, year_to",
    [
        ("¿Qué informes hay desde 2019?", 2019, None),
        ("trata de personas antes de 2012", None, 2011),
        ("¿Qué se publicó después de 2015?", 2016, None),
        ("informes publicados en 2020", 2020, 2020),
        ("documentos entre 2010 y 2015", 2010, 2015),
        ("de 2012 a 2016", 2012, 2016),
        ("hasta 2015", None, 2015),
    ],
)
def test_parse_question__reads_spanish_years(question, year_from, year_to):
    _, filters, _ = parse_question(question, FACETS)
    assert (filters.year_from, filters.year_to) == (year_from, year_to)


def test_read_question__spanish_questions_about_the_library_are_listings():
    read = read_question("¿Qué tiene la biblioteca de 2020?", FACETS)
    assert read.flags.listing and read.topic == "" and read.filters.year_from == 2020
    read = read_question("¿Qué publicó Walk Free Foundation?", FACETS)
    assert (
        read.flags.listing
        and read.topic == ""
        and read.filters.authors == ("Walk Free Foundation",)
    )
    read = read_question("¿Qué documentos hay sobre el matrimonio infantil?", FACETS)
    assert read.flags.listing and read.topic == "matrimonio infantil"
    read = read_question("trata de personas en Asia", FACETS)
    assert not read.flags.listing and read.filters.regions == ("Asia", "Central Asia")


def test_read_question__a_short_question_that_points_back_is_a_follow_up():
    read = read_question("What do they recommend?", FACETS, ["What do you have on child marriage?"])
    assert read.flags.follow_up and "child marriage" in read.query and not read.flags.listing
    assert not read_question(
        "What do they recommend?", FACETS
    ).flags.follow_up  # nothing to point back to


def test_read_question__a_follow_ups_own_filters_win():
    read = read_question(
        "what about in Asia from 2019?", FACETS, ["trafficking in Bangladesh in 2016"]
    )
    assert read.filters.year_from == 2019 and read.filters.regions == ("Asia", "Central Asia")


def test_read_question__a_new_question_is_not_a_follow_up():
    read = read_question(
        "What should police do first with a possible victim?", FACETS, ["trafficking in Asia"]
    )
    assert not read.flags.follow_up and read.filters.is_empty()


def test_user_turns__accepts_strings_pairs_and_role_dicts():
    history = [
        "one",
        ("two", "answer"),
        {"role": "assistant", "content": "x"},
        {"role": "user", "content": [{"type": "text", "text": "three"}]},
    ]
    assert user_turns(history) == ["one", "two", "three"]
