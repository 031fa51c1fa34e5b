"""Notices: an answer carries codes with parameters, and one module writes them in the answer's
language; no layer reads prose back."""

import pytest

from assistant.models import Answer, Filters, Notice
from assistant.notices import CODES, render, sentence

PARAMS = {
    "question_cut": {"limit": 2000, "length": 2500},
    "unread_language": {"language": "fr"},
    "unknown_filter_value": {
        "label": "region",
        "value": "Narnia",
        "facet": "regions",
        "known": ("Asia", "Europe"),
    },
    "places_unmentioned": {"places": ("Peru", "Chile")},
    "places_widened": {"places": ("Jamaica", "Trinidad"), "wider": ("Caribbean",)},
    "places_ranked": {"places": Filters(countries=("Bangladesh",))},
    "places_untagged": {"places": Filters(regions=("Europe",))},
    "no_match": {"filters": Filters(year_from=2030)},
    "spelling_corrected": {"searched": ("trafficking",), "typed": ("traficking",)},
    "focus_not_covered": {"terms": ("Libya",)},
    "figure_not_given": {},
    "listing_cut": {"shown": 500, "total": 612},
    "llm_sources_cut": {"tokens": 2048, "sent": 2, "found": 6},
    "llm_turns_cut": {"left": 2},
    "llm_abstract_shortened": {},
    "citation_removed": {"n": 9},
    "bad_reference": {"problem": "wrong-year", "message": "corrected the year of X (2004: 2016)"},
    "uncited": {"count": 1},
    "unsupported": {"count": 2},
    "contradicted": {"count": 2},
}


def test_notices__every_code_has_example_parameters_here():
    assert set(PARAMS) == CODES


@pytest.mark.parametrize("code", sorted(PARAMS))
@pytest.mark.parametrize("language", ["en", "es"])
def test_notices__every_code_renders_in_english_and_spanish(code, language):
    text = render(Notice(code, PARAMS[code]), language)
    assert text and text == text.strip()
    assert sentence(Notice(code, PARAMS[code]), language).endswith((".", "?", "!"))


def test_notices__the_english_sentences_say_what_the_parameters_hold():
    assert render(Notice("unknown_filter_value", PARAMS["unknown_filter_value"])) == (
        "no record has region 'Narnia' (the library's regions: Asia, Europe)"
    )
    assert render(Notice("places_unmentioned", PARAMS["places_unmentioned"])) == (
        "no record in the library mentions Peru or Chile, so nothing here is specific to them"
    )
    assert render(Notice("no_match", PARAMS["no_match"])) == (
        "no record matches the filters (from 2030)"
    )
    assert render(Notice("contradicted", {"count": 1})) == (
        "1 sentence contradicts the source it cites"
    )


def test_notices__spanish_sentences_are_spanish():
    assert render(Notice("no_match", PARAMS["no_match"]), "es") == (
        "ningún registro cumple los filtros (desde 2030)"
    )
    assert "Libya" in render(Notice("focus_not_covered", {"terms": ("Libya",)}), "es")


def test_notices__an_unknown_code_is_an_error_naming_the_known_ones():
    with pytest.raises(ValueError, match="no_such_code.*known"):
        render(Notice("no_such_code"))


def test_answer__warnings_are_its_notices_written_in_its_language():
    notice = Notice("focus_not_covered", {"terms": ("Libya",)})
    english = Answer(question="q", text="t", notices=(notice,))
    spanish = Answer(question="q", text="t", notices=(notice,), language="es")
    assert english.warnings == ("no relevant record mentions “Libya”",)
    assert spanish.warnings == ("ningún registro pertinente menciona “Libya”",)
    assert english.to_json()["notices"] == [
        {"code": "focus_not_covered", "params": {"terms": ["Libya"]}}
    ]
