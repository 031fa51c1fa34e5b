"""The guard's rule tables (contradiction, sentences that need no source), its reference checks
against the catalog, and the hand-labelled sentence set; no model needed."""

from __future__ import annotations

import pytest

from assistant.contradiction import RULES, numbers_in
from assistant.guard import check_citations
from assistant.models import Hit
from assistant.reference_check import REMOVED, rewrite_references
from assistant.references import Catalog
from assistant.statements import EXAMPLES, needs_no_source, plain
from evals.guard_calibration import load_sentences
from kernel.models import Record

CONFLICT = Record(
    id="r-c",
    title="Modern Slavery and Trafficking in Conflict",
    year=2016,
    authors=("Anna De Courcy Wheeler",),
    abstract="Violent conflict greatly increases the vulnerability of civilian populations to "
    "human "
    "trafficking and slavery. Refugees displaced by conflict are particularly vulnerable.",
)
BIGIO = Record(
    id="r-b",
    title="Understanding Human Trafficking In Conflict",
    year=2019,
    authors=("Jamille Bigio", "Rachel Vogelstein"),
    abstract="Traffickers also target forcibly displaced populations. The report cites the Palermo "
    "Protocol (2000) as the definition.",
)
OTHER = Record(
    id="r-o", title="Smuggling in the Time of COVID-19", year=2020, abstract="Profits swell."
)
CATALOG = Catalog([CONFLICT, BIGIO, OTHER])
HITS = [Hit(CONFLICT, 0.9), Hit(BIGIO, 0.8)]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_contradiction_rules__each_example_row_fires_as_labelled(rule):
    for sentence, source, fires in rule.examples:
        assert bool(rule.check(sentence, source, [source])) is fires, (rule.name, sentence)


def test_numbers_in__reads_digits_and_number_words_but_not_names_like_covid_19():
    assert numbers_in("Ninety percent of 1,200 cases") == {90.0, 1200.0}
    assert numbers_in("during COVID-19") == set()


@pytest.mark.parametrize("sentence, exempt", EXAMPLES)
def test_needs_no_source__only_labels_short_headings_and_plain_lack_statements(sentence, exempt):
    assert needs_no_source(sentence) is exempt


def test_plain__drops_heading_list_quote_emphasis_table_and_code_marks():
    assert plain("## **Trafficking** rises") == "Trafficking rises"
    assert plain("> - `Trafficking` rises [1]") == "Trafficking rises [1]"
    assert plain("| 2016 | Trafficking rises |") == "2016 Trafficking rises"
    assert plain("|---|:---:|") == ""


def test_rewrite_references__removes_unknown_sources_and_corrects_years_from_the_catalog():
    text = (
        "The Secret Report (1999) says so. Understanding Human Trafficking In Conflict (2004) "
        "agrees. "
        "Bigio and Vogelstein (2019) concur. (Smith & Jones, 2018) add more. Smuggling in the Time "
        "of "
        "COVID-19 (2020) was not retrieved."
    )
    new, bad, _ = rewrite_references(text, CATALOG, {"r-c", "r-b"})

    assert "Secret Report" not in new and "Smith" not in new and new.count(REMOVED) == 2
    assert "Understanding Human Trafficking In Conflict (2019) agrees" in new
    assert "Bigio and Vogelstein (2019) concur" in new
    assert [b.problem for b in bad] == [
        "unknown-source",
        "wrong-year",
        "unknown-source",
        "unretrieved-source",
    ]
    assert all(
        new[b.start : b.end]
        in (
            REMOVED,
            "Understanding Human Trafficking In Conflict (2019)",
            "Smuggling in the Time of COVID-19 (2020)",
        )
        for b in bad
    )


def test_rewrite_references__leaves_a_reference_that_the_cited_source_itself_makes():
    new, bad, _ = rewrite_references(
        "It cites the Palermo Protocol (2000) as the definition [2].",
        CATALOG,
        {"r-b"},
        [BIGIO.abstract],
    )
    assert bad == [] and "Palermo Protocol (2000)" in new


def test_guard__without_a_model_still_flags_a_fabricated_reference_and_keeps_the_rest_of_the_text():
    result = check_citations(
        "According to The Secret Report (1999), refugees displaced by conflict are "
        "particularly vulnerable [1].",
        HITS,
        catalog=CATALOG,
    )

    assert (
        result.text == f"{REMOVED}, refugees displaced by conflict are particularly vulnerable [1]."
    )
    assert [v.problem for v in result.verdicts] == ["unknown-source"]
    assert (
        result.verdicts[0].sentence in result.text
    )  # the UI finds the flagged sentence in the text
    assert any("The Secret Report (1999)" in w for w in result.warnings)


def test_guard__a_list_item_number_is_not_a_sentence_that_cites_nothing():
    result = check_citations(
        "1. Refugees displaced by conflict are particularly vulnerable [1].", HITS
    )
    assert [v.problem for v in result.verdicts if v.problem] == []


def test_guard_sentences__at_least_100_labelled_with_every_label_in_both_splits():
    rows = load_sentences()
    assert len(rows) >= 100 and len({r.id for r in rows}) == len(rows)
    for split in ("dev", "test"):
        assert {r.label for r in rows if r.split == split} == {
            "supported",
            "fabricated",
            "contradicted",
            "unsupported",
        }
