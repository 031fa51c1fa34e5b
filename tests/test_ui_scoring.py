"""Hand scores: stored in SQLite under the data dir, kept across restarts, exported as CSV; blind
JSONL items."""

from __future__ import annotations

import csv
import json

import pytest
from ui_fakes import FakeAssistant

from kernel.errors import ParseError, StoreError
from ui.scoring import ScoreItem, ScoreStore, item_from_answer, load_jsonl

ITEM = ScoreItem(
    id="q1",
    question="What raises trafficking risk?",
    answer="Conflict does. [1]",
    sources=((1, "Modern Slavery (2017)"),),
    origin="systemA.jsonl",
)


def test_score_store__survives_reopening_and_exports_csv(tmp_path):
    path = tmp_path / "index" / "scores.sqlite"
    first = ScoreStore(path)
    score_id = first.add(ITEM, 4, {1: "supported"}, note="clear answer", evaluator="ev1")
    reopened = ScoreStore(path)
    rows = reopened.rows()
    assert [r["score_id"] for r in rows] == [score_id]
    out = reopened.export_csv(tmp_path / "scores.csv")
    with out.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert exported[0]["question"] == ITEM.question
    assert exported[0]["rating"] == "4"
    assert json.loads(exported[0]["citation_marks"]) == {"1": "supported"}
    assert exported[0]["note"] == "clear answer"


@pytest.mark.parametrize("rating", [0, 6, "x", None])
def test_score_store__rejects_rating_outside_one_to_five(tmp_path, rating):
    with pytest.raises(StoreError, match="rating"):
        ScoreStore(tmp_path / "s.sqlite").add(ITEM, rating)


def test_score_store__rejects_unknown_citation_mark(tmp_path):
    with pytest.raises(StoreError, match="supported"):
        ScoreStore(tmp_path / "s.sqlite").add(ITEM, 3, {1: "great"})


def test_load_jsonl__items_are_blind_and_shuffled_with_sources_from_text(tmp_path):
    path = tmp_path / "answers.jsonl"
    lines = [
        {
            "id": f"gpt-{i}",
            "system": "gpt-x",
            "question": f"Q{i}?",
            "answer": f"Answer {i} [1].\n\nSources:\n[1] Title {i} (2016)",
        }
        for i in range(8)
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    items = load_jsonl(path)
    assert sorted(i.question for i in items) == sorted(x["question"] for x in lines)
    assert [i.question for i in items] != [
        x["question"] for x in lines
    ]  # not in file (system) order
    assert all(i.sources == ((1, f"Title {i.question[1:-1]} (2016)"),) for i in items)
    assert not any("gpt-x" in repr(i.details) for i in items)


def test_load_jsonl__citations_as_in_ask_json(tmp_path):
    path = tmp_path / "ours.jsonl"
    path.write_text(
        json.dumps(
            {
                "question": "Q?",
                "answer": "A [1]",
                "citations": [{"n": 1, "title": "T", "year": None}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    [item] = load_jsonl(path)
    assert item.sources == ((1, "T (n.d.)"),) and item.id == "line-1"


def test_load_jsonl__bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "Q?", "answer": "A"}\n{"question": 3}\n', encoding="utf-8")
    with pytest.raises(ParseError, match=r"bad\.jsonl: line 2: expected an object"):
        load_jsonl(path)


def test_item_from_answer__keeps_question_answer_and_source_labels():
    answer = FakeAssistant().ask("How does conflict increase trafficking?")
    item = item_from_answer(answer)
    assert item.question == answer.question and item.answer == answer.text
    assert item.sources[0] == (
        1,
        "Modern Slavery and Trafficking in Conflict: The UN's Response (2017)",
    )
    assert item.sources[1] == (2, "Protection: What is it Anyway? (n.d.)")


# -- issue 11 item 4: another system's citations matched with `assistant eval`'s parser ---------

OTHER_SYSTEM = (
    "Conflict makes civilians vulnerable (Wheeler, 2017). Protection matters "
    "(Wheeler, 2015). Others disagree (Smith & Jones, 2019)."
)


def test_match_citations__author_year_citations_are_judged_against_the_catalog():
    from ui_fakes import RECORDS

    from ui.scoring import match_citations

    found = match_citations(OTHER_SYSTEM, RECORDS)
    assert [(f.n, f.claimed, f.verdict) for f in found] == [
        (1, "Wheeler, 2017", "valid"),
        (2, "Wheeler, 2015", "wrong year"),
        (3, "Smith & Jones, 2019", "not in the library"),
    ]
    assert found[0].record.id == found[1].record.id == "r-1" and found[2].record is None
    assert found[1].label == (
        "Wheeler, 2015 — wrong year: "
        "Modern Slavery and Trafficking in Conflict: The UN's Response (2017)"
    )


def test_match_citations__reference_list_and_title_year():
    from ui_fakes import RECORDS

    from ui.scoring import match_citations

    text = (
        "Protection is explained in Protection: What is it Anyway? (n.d.). Conflict raises risk "
        "[1].\n\n"
        "References:\n[1] Modern Slavery and Trafficking in Conflict: The UN's Response (2017)"
    )
    found = match_citations(text, RECORDS)
    assert [(f.n, f.verdict, f.record.id) for f in found] == [
        (1, "valid", "r-1"),
        (2, "valid", "r-2"),
    ]


def test_load_jsonl__with_the_catalog_lists_each_citation_and_its_verdict(tmp_path):
    from ui_fakes import RECORDS

    path = tmp_path / "other.jsonl"
    path.write_text(
        json.dumps({"question": "Why?", "answer": OTHER_SYSTEM}) + "\n", encoding="utf-8"
    )
    [item] = load_jsonl(path, records=RECORDS)
    assert [label for _, label in item.sources] == [f.label for f in item.found]
    assert item.sources[2] == (3, "Smith & Jones, 2019 — not in the library")


def test_score_csv__citations_column_is_readable(tmp_path):
    from ui_fakes import RECORDS

    path = tmp_path / "other.jsonl"
    path.write_text(
        json.dumps({"question": "Why?", "answer": OTHER_SYSTEM}) + "\n", encoding="utf-8"
    )
    [item] = load_jsonl(path, records=RECORDS)
    store = ScoreStore(tmp_path / "s.sqlite")
    store.add(item, 3, {1: "supported", 2: "wrong title or year"})
    store.add(ScoreItem(id="x", question="Q", answer="No citations here."), 2)
    with store.export_csv(tmp_path / "scores.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["citations"].splitlines() == [
        "[1] Wheeler, 2017 — valid: Modern Slavery and Trafficking in Conflict: The UN's Response "
        "(2017)"
        " — marked supported",
        "[2] Wheeler, 2015 — wrong year: Modern Slavery and Trafficking in Conflict: The UN's "
        "Response (2017)"
        " — marked wrong title or year",
        "[3] Smith & Jones, 2019 — not in the library — not marked",
    ]
    assert rows[1]["citations"] == "no citation found"


def test_readable_time__shows_minutes_in_utc():
    from ui.scoring import readable_time

    assert readable_time("2026-12-06T00:38:08+00:00") == "2026-12-06 00:38 UTC"


def test_item_html__shows_verdicts_and_the_matched_records_abstract(tmp_path):
    from ui_fakes import RECORDS

    from ui.views_tools import item_html

    path = tmp_path / "other.jsonl"
    path.write_text(
        json.dumps({"question": "Why?", "answer": OTHER_SYSTEM}) + "\n", encoding="utf-8"
    )
    [item] = load_jsonl(path, records=RECORDS)
    html = item_html(item)
    assert (
        "Citations found (3)" in html
        and "verdict-wrong-year" in html
        and "verdict-fabricated" in html
    )
    assert "Violent conflict greatly increases" in html  # the abstract, to judge support
