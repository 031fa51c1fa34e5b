"""Rendering: citations come from the catalog ("Title (Year)", "n.d."), Markdown from records is
inert."""

from __future__ import annotations

from assistant.citations import (
    bibliography_entry,
    escape_markdown,
    reference_label,
    render_markdown,
    render_text,
)
from assistant.models import Answer, Citation, SentenceVerdict
from kernel.models import Record

DATED = Record(
    id="r-1",
    title="Smuggling in the Time of COVID-19",
    year=2020,
    authors=("Global Initiative",),
    categories=("Trafficking",),
)
UNDATED = Record(id="r-2", title="Protection: What is it Anyway?", year=None)
HOSTILE = Record(id="r-3", title="**Bold** <script>alert(1)</script> [link](http://x)", year=2001)


def _answer(text: str, *records: Record, verdicts=()) -> Answer:
    citations = tuple(Citation(n=i, record=r) for i, r in enumerate(records, start=1))
    return Answer(question="q", text=text, citations=citations, verdicts=tuple(verdicts))


def test_reference_label__uses_nd_when_the_year_is_unknown():
    assert reference_label(UNDATED) == "Protection: What is it Anyway? (n.d.)"
    assert reference_label(DATED) == "Smuggling in the Time of COVID-19 (2020)"


def test_render_text__lists_sources_from_the_catalog_even_when_the_text_claims_otherwise():
    text = 'As "The Great Smuggling Book" (1999) shows, smuggling grew [1]. Protection matters [2].'
    out = render_text(_answer(text, DATED, UNDATED))

    body, sources = out.split("\n\nSources:\n")
    assert body == text
    assert sources.splitlines() == [
        "[1] Smuggling in the Time of COVID-19 (2020)",
        "[2] Protection: What is it Anyway? (n.d.)",
    ]
    assert "Great Smuggling Book" not in sources


def test_render_text__marks_flagged_sentences_without_hiding_them():
    verdicts = [
        SentenceVerdict("Penguins smuggle fish [1].", (1,), False, 0.2, "unsupported"),
        SentenceVerdict("Nothing cited here.", (), False, None, "uncited"),
    ]
    out = render_text(
        _answer("Penguins smuggle fish [1]. Nothing cited here.", DATED, verdicts=verdicts)
    )

    assert out.startswith("Penguins smuggle fish [1]. Nothing cited here.")
    assert '! "Penguins smuggle fish.": not supported by the sources it cites' in out
    assert '! "Nothing cited here.": cites no source' in out


def test_render_text__without_citations_has_no_sources_section():
    out = render_text(
        Answer(question="q", text="The library holds nothing on this.", abstained=True)
    )
    assert out == "The library holds nothing on this.\n"


def test_render_markdown__numbered_reference_list_of_exactly_the_cited_records():
    out = render_markdown(_answer("Smuggling grew [1]. Protection matters [2].", DATED, UNDATED))

    assert out.startswith("Smuggling grew [1]. Protection matters [2].")
    references = out.split("**Sources**\n\n")[1].splitlines()
    assert references == [
        "1. Smuggling in the Time of COVID-19 (2020)",
        "2. Protection: What is it Anyway? (n.d.)",
    ]


def test_render_markdown__markup_in_titles_and_quoted_text_is_inert():
    out = render_markdown(
        _answer("<img src=x onerror=alert(1)> **loud** [1]\n# not a heading", HOSTILE)
    )

    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x" in out
    assert "\\*\\*Bold\\*\\*" in out and "\\[link\\](http://x)" in out
    assert "\\*\\*loud\\*\\* [1]" in out  # the citation marker itself stays a marker
    assert "\n\\# not a heading" in out


def test_escape_markdown__leaves_plain_text_readable():
    assert (
        escape_markdown("Trafficking in Conflict: 10 Ideas (MS-13)")
        == "Trafficking in Conflict: 10 Ideas (MS-13)"
    )
    assert escape_markdown("1. first\n- item") == "1\\. first\n\\- item"


def test_escape_markdown__a_bare_ampersand_or_a_line_starting_with_a_word_is_left_as_written():
    assert escape_markdown("Gender & Inclusion") == "Gender & Inclusion"
    assert escape_markdown("-based work\n2016 was\n#hashtag") == "-based work\n2016 was\n#hashtag"
    assert (
        escape_markdown("&amp; &#60;") == "&amp;amp; &amp;#60;"
    )  # an entity is still shown as typed


def test_bibliography_entry__authors_year_title_categories():
    assert (
        bibliography_entry(DATED)
        == "Global Initiative (2020). Smuggling in the Time of COVID-19. Library category: "
        "Trafficking."
    )
    assert bibliography_entry(UNDATED) == "Protection: What is it Anyway? (n.d.)."


def test_ris_entry__catalog_fields_one_per_line_and_no_year_for_an_undated_record():
    from assistant.citations import bibliography_ris, ris_entry

    dated = Record(
        "r-1",
        "Understanding Human Trafficking In Conflict",
        "Human trafficking\noccurs   everywhere.",
        year=2019,
        authors=("Jamille Bigio", "Rachel Vogelstein"),
        categories=("Trafficking",),
        regions=("Worldwide",),
    )
    assert ris_entry(dated).splitlines() == [
        "TY  - RPRT",
        "TI  - Understanding Human Trafficking In Conflict",
        "AU  - Jamille Bigio",
        "AU  - Rachel Vogelstein",
        "PY  - 2019",
        "KW  - Trafficking",
        "N1  - Places: Worldwide",
        "AB  - Human trafficking occurs everywhere.",
        "ID  - r-1",
        "ER  - ",
    ]
    undated = Record("r-2", "Protection: What is it Anyway?")
    lines = ris_entry(undated).splitlines()
    assert (
        not any(line.startswith("PY") for line in lines)
        and "N1  - Year: n.d. (the catalog gives none)" in lines
    )
    both = bibliography_ris([dated, undated])
    assert both.count("TY  - RPRT") == 2 and both.count("ER  - ") == 2 and both.endswith("ER  - \n")
