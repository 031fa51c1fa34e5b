"""The Library tab's behaviour (no server): search, facets, counts for the charts, record cards,
and the chat scope that "ask about this record" sets."""

from __future__ import annotations

from ui_fakes import RECORDS, FakeAssistant

from assistant.models import Filters
from ui.views_library import LibraryController, scope_banner


def test_library__newest_first_undated_last_and_year_shown_as_n_d():
    ctrl = LibraryController(FakeAssistant())
    records = ctrl.records()
    assert [r.id for r in records] == ["r-3", "r-1", "r-2"]
    assert ctrl.rows(records)[-1] == [
        "Protection: What is it Anyway?",
        "n.d.",
        "—",
        "Global",
        "Protection",
    ]


def test_library__search_reads_titles_authors_and_abstracts_and_filters_by_facets():
    ctrl = LibraryController(FakeAssistant())
    assert [r.id for r in ctrl.search("wheeler")] == ["r-1"]
    assert [r.id for r in ctrl.search("BOOKLET practice")] == ["r-2"]
    assert [r.id for r in ctrl.search("", Filters(regions=("Europe",)))] == ["r-3"]
    assert (
        ctrl.search("booklet", Filters(year_from=2000)) == []
    )  # undated records leave when a year is set


def test_library__counts_for_the_charts():
    ctrl = LibraryController(FakeAssistant())
    assert ctrl.counts_by_year(RECORDS) == [("2017", 1), ("2020", 1), ("n.d.", 1)]
    assert ctrl.counts_by_category(RECORDS) == [
        ("Armed conflict", 1),
        ("Crisis", 1),
        ("Protection", 1),
    ]


def test_library__record_card_is_inert_and_shows_the_abstract():
    html = LibraryController.record_html(RECORDS[2])
    assert "<script>" not in html and "<img" not in html
    assert "Trafficking rises in crises" in html and "Kosovo" in html


def test_scope__a_record_scope_limits_filters_to_that_record():
    scoped = Filters(record_ids=("r-2",))
    assert [r.id for r in RECORDS if scoped.matches(r)] == ["r-2"]
    assert (
        Filters().merged(scoped).record_ids == ("r-2",) and scoped.describe() == "the chosen record"
    )
    assert "record_ids" not in Filters().to_json()
    import html

    assert "Protection: What is it Anyway? (n.d.)" in html.unescape(scope_banner(RECORDS[1]))
