"""The chat's HTML: cited answers, expandable sources, flagged sentences, inert record text."""

from __future__ import annotations

import re

from ui_fakes import RECORDS, FakeAssistant

from assistant.models import Answer, Citation, Filters, SentenceVerdict
from kernel.models import Record
from ui import render


def _answer(question="How does conflict increase trafficking?", filters=None):
    return FakeAssistant().ask(question, filters=filters)


def test_inert__script_html_and_remote_markdown_become_plain_text():
    text = (
        "<script>alert(1)</script> <img src=x onerror=alert(2)> "
        "![p](https://evil.example/p.png) [l](http://e.x) `c` *b*"
    )
    out = render.inert(text)
    assert not re.search(r"[<>\[\]()`*]", out)
    assert "http:" not in out and "https:" not in out  # no autolink either
    assert "&#60;script&#62;" in out


def test_answer_message__lists_numbered_sources_title_year_with_nd():
    html = render.answer_message(_answer())
    assert (
        '<span class="num">[1]</span> Modern Slavery and Trafficking in Conflict&#58; The UN&#39;s '
        "Response &#40;2017&#41;" in html
    )
    assert (
        "Protection&#58; What is it Anyway&#63;" in html
        or "Protection&#58; What is it Anyway?" in html
    )
    assert "&#40;n&#46;d&#46;&#41;" in html
    assert html.count('<details class="source">') == 2


def test_answer_message__source_opens_to_fields_and_highlights_quoted_sentence():
    html = render.answer_message(_answer())
    first = html.split('<details class="source">')[1]
    for label in ("Authors", "Country", "Region", "Category"):
        assert f'<span class="label">{label}</span>' in first
    assert "Anna De Courcy Wheeler" in first
    marked = re.findall(r"<mark class=\"used\">(.*?)</mark>", first)
    assert len(marked) == 1 and marked[0].startswith("Violent conflict greatly increases")
    assert "Refugees and other migrants" in first and "Refugees" not in marked[0]


def test_answer_message__flagged_sentence_is_marked_not_hidden():
    html = render.answer_message(_answer())
    flagged = re.findall(r"<mark class=\"flagged\"[^>]*>(.*?)</mark>", html)
    assert len(flagged) == 1
    assert "The moon is made of cheese" in flagged[0] and "not supported" in flagged[0]


def test_answer_message__html_block_has_no_blank_line():
    html = render.sources_html(_answer())
    assert "\n" not in html


def test_answer_message__record_with_script_and_remote_image_stays_inert():
    answer = _answer(filters=Filters(countries=("Kosovo",)))
    html = render.answer_message(answer)
    assert "Evil" in html
    assert "<script" not in html and "<img" not in html and "](" not in html
    assert "evil&#46;example" in html and "https:" not in html


def test_answer_message__empty_result_says_so_without_sources():
    answer = _answer(filters=Filters(year_from=1990, year_to=1991))
    html = render.answer_message(answer)
    assert "No record in the library matches the filters" in html
    assert "<details" not in html


def test_answer_message__the_filters_it_searched_with_come_first_and_say_where_they_came_from():
    html = render.answer_message(_answer("trafficking since 2020"))
    assert html.startswith(
        '<div class="notice scope">Searched only records matching <b>from 2020</b> '
        "(read from your question, for this question only)."
    )
    panel = render.answer_message(
        _answer("trafficking since 2020", filters=Filters(regions=("Europe",)))
    )
    assert (
        "<b>from 2020</b> (read from your question, for this question only) and <b>region&#58; "
        "Europe</b> (set in the Filters panel)" in panel
    )
    assert "notice scope" not in render.answer_message(_answer())


def _listing() -> Answer:
    records = RECORDS[:2]
    lines = [f"- {r.title} ({r.year_label}) [{n}]" for n, r in enumerate(records, start=1)]
    return Answer(
        question="what do you have?",
        text="\n".join(["The library holds 2 records:", *lines]),
        citations=tuple(Citation(n, r) for n, r in enumerate(records, start=1)),
        mode="listing",
    )


def test_answer_message__a_listing_names_each_record_once_as_an_expandable_source():
    html = render.answer_message(_listing())
    assert html.count("Modern Slavery and Trafficking in Conflict") == 1
    assert "Records (2)" in html and html.count('<details class="source">') == 2


def test_conversation_markdown__says_the_filters_and_reads_as_plain_text():
    protection = Record(
        id="r-9",
        title="A Protection, Gender & Inclusion (PGI) Factsheet",
        year=2020,
        abstract="Trafficking rises in emergencies.",
    )
    listing = Answer(
        question="what do you have from 2020?",
        text="The library holds 1 record matching year 2020:\n- A Protection, Gender & Inclusion "
        "(PGI) Factsheet (2020) [1]",
        citations=(Citation(1, protection),),
        mode="listing",
        filters=Filters(year_from=2020, year_to=2020),
        inferred_filters=Filters(year_from=2020, year_to=2020),
    )
    md = render.conversation_markdown(
        [("what do you have from 2020?", listing), ("and protection?", _answer("and protection?"))]
    )
    first, second = md.split("## 2.")
    assert (
        "_Searched only records matching year 2020 (read from the question, for this question "
        "only)._" in first
    )
    assert "Searched only" not in second
    assert "&amp;" not in md and "\\-" not in md
    assert first.count("A Protection, Gender & Inclusion (PGI) Factsheet (2020)") == 1


def test_answer_api_markdown__has_markers_and_source_list():
    md = render.answer_api_markdown(_answer())
    assert "[1]" in md and "**Sources**" in md
    assert "1. Modern Slavery and Trafficking in Conflict: The UN's Response (2017)" in md
    assert "(n.d.)" in md


def test_conversation_markdown__bibliography_has_every_cited_record_once():
    first = _answer()
    second = _answer("and protection?")
    md = render.conversation_markdown(
        [("How does conflict increase trafficking?", first), ("and protection?", second)]
    )
    assert md.count("## 1.") == 1 and md.count("## 2.") == 1
    bib = md.split("## Bibliography", 1)[1]
    assert bib.count("Anna De Courcy Wheeler (2017). Modern Slavery") == 1
    assert bib.count("Protection: What is it Anyway? (n.d.)") == 1
    assert "Evil" not in bib


def test_error_message__one_clear_line():
    html = render.error_message("the question is empty: ask something about the library")
    assert "Could not answer" in html and "Traceback" not in html and "\n" not in html


def test_used_sentences__from_verdict_markers():
    answer = Answer(
        question="q",
        text="A claim. [1] Another. [2]",
        citations=(Citation(1, RECORDS[0]), Citation(2, RECORDS[1])),
        verdicts=(SentenceVerdict("A claim. [1]", (1,)), SentenceVerdict("Another. [2]", (2,))),
    )
    assert render.used_sentences(answer, 1) == ["A claim."]
    assert render.used_sentences(answer, 2) == ["Another."]
