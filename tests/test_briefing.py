"""Briefing notes: cited key points, an evidence section, a bibliography of exactly the cited records."""

from __future__ import annotations

import pytest

from assistant.briefing import build_briefing, note_from_answer
from assistant.models import Answer, Citation, SentenceVerdict
from ui_fakes import RECORDS, FakeAssistant
from vectorstore.errors import QuestionError


def _answer():
    # Source [1] is retrieved but never cited in the text: it must not reach the bibliography.
    text = "Quoted from the library's records:\n\nBooklet text. [2]\n\nConflict raises risk. [3]"
    return Answer(
        question="q", text=text,
        citations=(Citation(1, RECORDS[2]), Citation(2, RECORDS[1]), Citation(3, RECORDS[0])),
        verdicts=(SentenceVerdict("Quoted from the library's records:"),
                  SentenceVerdict("Booklet text. [2]", (2,), True, 1.0),
                  SentenceVerdict("Conflict raises risk. [3]", (3,), False, 0.2, "unsupported")),
    )


def test_note__key_points_cite_and_bibliography_is_exactly_the_cited_records():
    note = note_from_answer("protection in conflict", _answer())
    assert note.title == "Briefing note: protection in conflict"
    assert [(p.text, p.citations) for p in note.key_points] == [("Booklet text.", (1,)), ("Conflict raises risk.", (2,))]
    assert [(c.n, c.record.id) for c in note.bibliography] == [(1, "r-2"), (2, "r-1")]
    assert note.key_points[1].check == "not supported by the sources it cites"
    assert [e.citation.n for e in note.evidence] == [1, 2]


def test_note__markdown_has_sections_and_bibliography_entries():
    md = note_from_answer("protection in conflict", _answer()).to_markdown()
    for heading in ("# Briefing note: protection in conflict", "## Key points", "## Evidence", "## Bibliography"):
        assert heading in md
    bib = md.split("## Bibliography")[1]
    assert "1. Protection: What is it Anyway? (n.d.). Protection." in bib
    assert "2. Anna De Courcy Wheeler (2017). Modern Slavery and Trafficking in Conflict: The UN's Response. Armed conflict." in bib
    assert "Evil" not in md
    assert "- Conflict raises risk. [2] _(check: not supported by the sources it cites)_" in md


def test_note__docx_opens_with_the_bibliography(tmp_path):
    from docx import Document

    path = note_from_answer("protection in conflict", _answer()).to_docx(tmp_path / "note.docx")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[0] == "Briefing note: protection in conflict"
    start = paragraphs.index("Bibliography")
    assert paragraphs[start + 1:] == [
        "[1] Protection: What is it Anyway? (n.d.). Protection.",
        "[2] Anna De Courcy Wheeler (2017). Modern Slavery and Trafficking in Conflict: The UN's Response. Armed conflict.",
    ]
    assert "Booklet text. [1]" in paragraphs


def test_build_briefing__empty_topic_is_a_question_error():
    with pytest.raises(QuestionError, match="topic is empty"):
        build_briefing(FakeAssistant(), "  ")


def test_build_briefing__nothing_found_gives_a_note_that_says_so():
    from assistant.models import Filters

    answer = FakeAssistant().ask("anything", filters=Filters(year_from=1900, year_to=1901))
    note = note_from_answer("anything", answer)
    assert note.empty and not note.bibliography
    assert "No record in the library matches" in note.notice
    assert "No source was cited." in note.to_markdown()


@pytest.mark.slow
def test_build_briefing__sample_library_cites_catalog_titles_and_years(sample_assistant):
    note = build_briefing(sample_assistant, "trafficking of children in armed conflict")
    assert note.key_points and note.bibliography
    catalog = {r.id: r for r in sample_assistant.records()}
    cited = {n for p in note.key_points for n in p.citations}
    assert cited == {c.n for c in note.bibliography}
    for c in note.bibliography:
        assert catalog[c.record.id].title == c.record.title and catalog[c.record.id].year == c.record.year
