"""Issue 11 items 4-6 in headless Debian Chromium: scoring another system's citations, briefing
notes with substance, and the Library tab. Reuses the launch helpers of tests/test_browser.py."""

from __future__ import annotations

import csv
import json

import pytest
import test_browser
from test_browser import expect

# The launch fixtures of tests/test_browser.py, bound here so pytest finds them for these tests
# (assigned rather than imported: a test's parameter of the same name is then no redefinition).
browser = test_browser.browser
sample_app = test_browser.sample_app
watched = test_browser.watched

pytestmark = pytest.mark.slow


def test_library__search_filter_open_chart_and_ask_about_a_record(sample_app, watched):
    w = watched(sample_app[0])
    page = w.page
    page.get_by_role("tab", name="Library").click()
    expect(page.locator("#library-count")).to_contain_text("35 records")
    expect(page.locator("#library-by-year")).to_contain_text("Records by year")
    expect(page.locator("#library-by-category")).to_contain_text("Records by category")
    assert page.locator("#library-by-year canvas, #library-by-year svg").count() >= 1
    page.locator("#library-search input, #library-search textarea").first.fill("unaccompanied")
    expect(page.locator("#library-count")).to_contain_text("1 of 35 records match", timeout=15_000)
    cells = page.locator("#library-table [role=gridcell]")
    expect(cells.nth(0)).to_contain_text("Unaccompanied Children on the Move")
    expect(cells.nth(1)).to_have_text("n.d.")
    cells.nth(0).click()
    expect(page.locator("#library-card")).to_contain_text(
        "Children and youth migrating", timeout=15_000
    )
    expect(page.locator("#library-card")).to_contain_text("Child Soldiers")
    w.shots("library")
    page.locator("#library-ask").click()
    expect(page.locator("#scope-banner")).to_contain_text(
        "Unaccompanied Children on the Move (n.d.)", timeout=15_000
    )
    answer = w.ask("What does it say about children migrating?")
    summaries = answer.locator("details.source summary").all_inner_texts()
    assert summaries and all("Unaccompanied Children on the Move" in s for s in summaries), (
        summaries
    )
    w.shots("chat-scoped")
    page.locator("#scope-clear").click()
    expect(page.locator("#scope-banner")).to_be_hidden()
    assert w.outside() == []


def test_library__category_filter_counts_the_nine_child_soldiers_records(sample_app, watched):
    w = watched(sample_app[0])
    page = w.page
    page.get_by_role("tab", name="Library").click()
    field = page.locator("#library-categories input")
    field.click()
    field.fill("Child Soldiers")
    field.press("Enter")
    page.locator("body").click(position={"x": 5, "y": 5})
    expect(page.locator("#library-count")).to_contain_text("9 of 35 records match", timeout=15_000)
    assert w.outside() == []


def test_briefing__child_soldiers_draws_on_the_whole_category_by_theme(sample_app, watched):
    w = watched(sample_app[0])
    page = w.page
    page.get_by_role("tab", name="Briefing note").click()
    page.locator("#briefing-topic textarea").fill("child soldiers")
    page.locator("#briefing-make").click()
    preview = page.locator("#briefing-preview")
    expect(preview).to_contain_text("Bibliography", timeout=90_000)
    status = page.locator("#briefing-status").inner_text()
    assert "key points from" in status and "1 key points" not in status
    assert preview.locator("h3").count() >= 2  # key points grouped under theme headings
    bibliography = preview.locator("ol").last.locator("li").all_inner_texts()
    assert len(bibliography) >= 9 and all("Library categor" in b for b in bibliography)
    w.shots("briefing-child-soldiers")
    page.locator("#briefing-topic textarea").fill("recipes for chocolate cake")
    page.locator("#briefing-make").click()
    expect(page.locator("#briefing-status")).to_contain_text("No briefing note", timeout=90_000)
    for button in ("#briefing-md", "#briefing-docx", "#briefing-ris"):
        expect(page.locator(button)).to_be_hidden()
    assert w.outside() == []


def test_scoring__author_year_citations_are_matched_labelled_and_exported(
    sample_app,
    watched,
    tmp_path,
    monkeypatch,
):
    from gradio import route_utils

    monkeypatch.setenv("GRADIO_TEMP_DIR", route_utils.DEFAULT_TEMP_DIR)
    answers = tmp_path / "llm.jsonl"
    answers.write_text(
        json.dumps(
            {
                "id": "llm-1",
                "question": "Why does conflict raise trafficking?",
                "answer": (
                    "Conflict drives trafficking (Bigio & Vogelstein, 2019). The Security Council "
                    "can act "
                    "(Cockayne & Walker, 2015). Others disagree (Smith & Jones, 2019)."
                ),
            }
        )
        + "\n",
        encoding="utf-8",
    )
    w = watched(sample_app[0])
    page = w.page
    page.get_by_role("tab", name="Scoring").click()
    with page.expect_file_chooser() as chooser:
        page.locator("#score-upload").click()
    chooser.value.set_files(str(answers))
    item = page.locator("#score-item")
    expect(item).to_contain_text("Citations found (3)", timeout=30_000)
    expect(item.locator(".verdict-valid")).to_have_count(1)
    expect(item.locator(".verdict-wrong-year")).to_have_count(1)
    expect(item.locator(".verdict-fabricated")).to_have_count(1)
    item.locator("details.found").first.locator("summary").click()
    expect(item.locator("details.found").first.locator(".abstract")).to_contain_text("trafficking")
    expect(page.locator("#score-mark-2")).to_contain_text("wrong year")
    page.locator("#score-rating").get_by_text("3", exact=True).click()
    page.locator("#score-mark-1").get_by_text("supported", exact=True).click()
    page.locator("#score-note textarea").fill("browser test: author-year")
    page.locator("#score-save").click()
    expect(page.locator("#score-status")).to_contain_text("Saved score", timeout=30_000)
    table = page.locator("#score-table")
    expect(table).to_contain_text("marked supported")
    assert "{" not in table.inner_text() and "+00:00" not in table.inner_text()
    w.shots("scoring-author-year")
    with page.expect_download() as info:
        page.locator("#score-csv").click()
    path = tmp_path / "scores.csv"
    info.value.save_as(path)
    row = [
        r
        for r in csv.DictReader(path.open(encoding="utf-8"))
        if r["note"] == "browser test: author-year"
    ][0]
    assert (
        row["citations"]
        .splitlines()[0]
        .startswith(
            "[1] Bigio & Vogelstein, 2019 — valid: "
            "Understanding Human Trafficking In Conflict (2019)"
        )
    )
    assert row["citations"].splitlines()[0].endswith("marked supported")
    assert "not in the library" in row["citations"]
    assert w.outside() == []
