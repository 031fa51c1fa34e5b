"""Briefing notes: cited key points, an evidence section, a bibliography of exactly the cited
records."""

from __future__ import annotations

import pytest
from ui_fakes import RECORDS, FakeAssistant

from assistant.briefing import build_briefing, note_from_answer
from assistant.models import Answer, Citation, SentenceVerdict
from assistant.themes import OTHER, THEMES, theme_of
from kernel.errors import QuestionError
from kernel.models import Record


def _answer():
    # Source [1] is retrieved but never cited in the text: it must not reach the bibliography.
    text = "Quoted from the library's records:\n\nBooklet text. [2]\n\nConflict raises needs. [3]"
    return Answer(
        question="q",
        text=text,
        citations=(Citation(1, RECORDS[2]), Citation(2, RECORDS[1]), Citation(3, RECORDS[0])),
        verdicts=(
            SentenceVerdict("Quoted from the library's records:"),
            SentenceVerdict("Booklet text. [2]", (2,), True, 1.0),
            SentenceVerdict("Conflict raises needs. [3]", (3,), False, 0.2, "unsupported"),
        ),
    )


def test_note__key_points_cite_and_bibliography_is_exactly_the_cited_records():
    note = note_from_answer("protection in conflict", _answer())
    assert note.title == "Briefing note: protection in conflict"
    assert [(p.text, p.citations) for p in note.key_points] == [
        ("Booklet text.", (1,)),
        ("Conflict raises needs.", (2,)),
    ]
    assert [(c.n, c.record.id) for c in note.bibliography] == [(1, "r-2"), (2, "r-1")]
    assert note.key_points[1].check == "not supported by the sources it cites"
    assert [e.citation.n for e in note.evidence] == [1, 2]


def test_note__markdown_has_sections_and_bibliography_entries():
    md = note_from_answer("protection in conflict", _answer()).to_markdown()
    for heading in (
        "# Briefing note: protection in conflict",
        "## Key points",
        "## Evidence",
        "## Bibliography",
    ):
        assert heading in md
    bib = md.split("## Bibliography")[1]
    assert "1. _Protection: What is it Anyway?_ (n.d.). Library category: Protection." in bib
    assert (
        "2. Anna De Courcy Wheeler (2017). _Modern Slavery and Trafficking in Conflict: The UN's "
        "Response_. "
        "Library category: Armed conflict."
    ) in bib
    assert "Evil" not in md
    assert "- Conflict raises needs. [2] _(check: not supported by the sources it cites)_" in md


def test_note__docx_opens_with_the_bibliography(tmp_path):
    from docx import Document

    path = note_from_answer("protection in conflict", _answer()).to_docx(tmp_path / "note.docx")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[0] == "Briefing note: protection in conflict"
    start = paragraphs.index("Bibliography")
    assert paragraphs[start + 1 :] == [
        "[1] Protection: What is it Anyway? (n.d.). Library category: Protection.",
        "[2] Anna De Courcy Wheeler (2017). Modern Slavery and Trafficking in Conflict: The UN's "
        "Response. "
        "Library category: Armed conflict.",
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
        assert (
            catalog[c.record.id].title == c.record.title
            and catalog[c.record.id].year == c.record.year
        )


# -- issue 11 item 5: every relevant record, themes, context, plurals, dashes, categories,
# empty notes --

SOLDIERS = [
    Record(id=f"cs-{i}", title=title, year=year, categories=("Child Soldiers",), abstract=abstract)
    for i, (title, year, abstract) in enumerate(
        [
            (
                "Children and Armed Conflict",
                None,
                "Armed groups recruit children as soldiers and porters. Recruitment rose in 2019 "
                "across twenty "
                "conflicts. Reintegration programmes reached few of the children released.",
            ),
            (
                "Girls in Armed Groups",
                2018,
                "Girls are recruited by armed groups and forced into marriage. Many are never "
                "counted as child "
                "soldiers — they are released informally — and miss reintegration support.",
            ),
            (
                "Unaccompanied Children on the Move",
                None,
                "Children and youth migrating – whether between or within countries – have become "
                "a recognized part "
                "of mixed migration flows. Their risks of exploitation are high along the routes.",
            ),
        ]
    )
] + [
    Record(
        id="tr-1",
        title="Smuggling Routes in the Sahel",
        year=2020,
        categories=("Trafficking",),
        abstract="Smugglers move migrants across the desert for profit. Some migrants are sold "
        "into forced labour.",
    )
]


def test_build_briefing__draws_on_every_record_filed_under_the_topics_category():
    note = build_briefing(FakeAssistant(SOLDIERS), "child soldiers")
    cited = {c.record.id for c in note.bibliography}
    assert {"cs-0", "cs-1", "cs-2"} <= cited  # the answer cited two; the category names the third
    assert "tr-1" in cited  # the answer cited it: retrieval still counts
    assert len(note.key_points) >= 4
    assert (
        note.summary == f"{len(note.key_points)} key points from {len(note.bibliography)} sources"
    )


def test_note__key_points_are_grouped_by_theme_and_numbered_in_reading_order():
    note = build_briefing(FakeAssistant(SOLDIERS), "child soldiers")
    md = note.to_markdown()
    headings = [line[4:] for line in md.splitlines() if line.startswith("### ")]
    assert headings and len(headings) == len(set(headings))
    assert [name for name, _ in note.themes()] == headings
    order = [n for p in note.key_points for n in p.citations]
    firsts = list(dict.fromkeys(order))
    assert firsts == sorted(firsts) == list(range(1, len(note.bibliography) + 1))


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_themes__each_row_claims_its_example_sentences(theme):
    for sentence in theme.examples:
        assert theme_of(sentence) == theme.name, sentence


def test_themes__a_sentence_without_cues_is_other():
    assert theme_of("The weather was mild that year.") == OTHER


def test_note__evidence_quotes_context_not_the_key_point_again():
    note = build_briefing(FakeAssistant(SOLDIERS), "child soldiers")
    points = {}
    for p in note.key_points:
        for n in p.citations:
            points.setdefault(n, []).append(p.text)
    for item in note.evidence:
        for text in points[item.citation.n]:
            assert text not in item.excerpt, (text, item.excerpt)
        assert item.excerpt, (
            item.citation.record.title
        )  # every source here has more than one sentence


def test_note__one_point_one_source_is_singular():
    answer = _answer()
    one = answer.with_(verdicts=answer.verdicts[:2], text="Quoted:\n\nBooklet text. [2]")
    note = note_from_answer("protection", one)
    assert note.summary == "1 key point from 1 source"
    assert "1 source cited." in note.to_markdown() and "1 sources" not in note.to_markdown()


def test_note__dashes_in_glued_source_text_are_kept():
    note = build_briefing(FakeAssistant(SOLDIERS), "child soldiers")
    text = note.to_markdown() + "\n".join(p.text for p in note.key_points)
    assert "migrating – whether between or within countries –" in text
    assert "soldiers — they are released informally —" in text


def test_note__bibliography_labels_the_category_apart_from_the_title(tmp_path):
    from docx import Document

    note = note_from_answer("protection in conflict", _answer())
    bib = note.to_markdown().split("## Bibliography")[1]
    assert (
        "_Modern Slavery and Trafficking in Conflict: The UN's Response_. Library category: Armed "
        "conflict." in bib
    )
    runs = [
        p
        for p in Document(str(note.to_docx(tmp_path / "n.docx"))).paragraphs
        if p.text.startswith("[2] ")
    ][-1].runs
    assert [r.text for r in runs if r.italic] == [
        "Modern Slavery and Trafficking in Conflict: The UN's Response"
    ]


def test_tools_controller__an_out_of_scope_topic_writes_no_file(tmp_path):
    from assistant.models import Filters
    from ui.scoring import ScoreStore
    from ui.views_tools import ToolsController

    class Nothing(FakeAssistant):
        def ask(self, question, filters=None, history=(), infer=True):
            return super().ask(question, Filters(year_from=1900, year_to=1901))

    ctrl = ToolsController(Nothing(), ScoreStore(tmp_path / "s.sqlite"), tmp_path / "exports")
    note, *paths = ctrl.briefing("chocolate cake recipes")
    assert note.empty and paths == [None, None, None]
    assert not (tmp_path / "exports").exists() or not any((tmp_path / "exports").iterdir())


@pytest.mark.slow
def test_build_briefing__child_soldiers_draws_on_all_nine_records_of_the_category(sample_assistant):
    note = build_briefing(sample_assistant, "child soldiers")
    filed = {r.id for r in sample_assistant.records() if "Child Soldiers" in r.categories}
    assert len(filed) == 9
    assert filed <= {c.record.id for c in note.bibliography}
    assert len(note.key_points) >= 9 and len(note.themes()) >= 2
    catalog = {r.id: r for r in sample_assistant.records()}
    for c in note.bibliography:  # citations stay the catalog's
        assert c.record == catalog[c.record.id]
    for p in note.key_points:  # each extra point is quoted verbatim from the record it cites
        if p.check is None:
            assert any(
                " ".join(p.text.split())
                in " ".join(catalog[note.bibliography[n - 1].record.id].abstract.split())
                for n in p.citations
            ), p.text
