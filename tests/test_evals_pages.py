"""The page-citation eval: the page a citation names must hold the sentence the answer quotes."""

from __future__ import annotations

import pytest

from assistant.models import Answer, Citation, SentenceVerdict
from evals.pages import PDF_PAGES, PDF_TITLE, load_questions, page_support, run, score_answer
from ingest.parse import parse_path


@pytest.fixture(scope="module")
def fisheries(tmp_path_factory):
    from evals.pages import write_reports

    folder = tmp_path_factory.mktemp("eval-reports")
    [record] = parse_path(write_reports(folder)[0])
    return record


def _answer(record, sentence: str, locations: tuple[str, ...]) -> Answer:
    citation = Citation(1, record, locations)
    return Answer(
        question="q",
        text=f"{sentence} [1]",
        citations=(citation,),
        verdicts=(SentenceVerdict(f"{sentence} [1]", markers=(1,), supported=True),),
    )


def test_page_metric__a_quote_on_the_cited_page_counts_and_one_on_another_page_does_not(fisheries):
    quote = "Captains kept the identity documents of the crew in a locked safe on the bridge."
    item = {"id": "x", "question": "q", "gold": PDF_TITLE, "gold_location": "p. 3"}
    right = score_answer(item, _answer(fisheries, quote, ("p. 3",)))
    wrong = score_answer(item, _answer(fisheries, quote, ("p. 2",)))
    assert (right.pairs, right.supported, right.gold_location) == (1, 1, True)
    assert (wrong.pairs, wrong.supported, wrong.gold_location) == (1, 0, False)
    assert page_support([right, wrong])["page_support"] == 0.5


def test_eval_set__every_pdf_question_names_a_page_that_holds_its_answer():
    questions = load_questions()
    assert len(questions) >= 5
    for item in questions:
        if item["gold"] == PDF_TITLE:
            page = int(item["gold_location"].removeprefix("p. "))
            assert 1 <= page <= len(PDF_PAGES)


@pytest.mark.slow
def test_eval__answers_over_the_test_reports_cite_the_page_that_holds_the_quote(embedder, tmp_path):
    result = run(load_questions(), embedder=embedder, work=tmp_path)
    assert result["pairs"] >= len(load_questions())
    assert result["page_support"] == 1.0, result["per_question"]
    assert result["gold_location"] == 1.0, result["per_question"]
