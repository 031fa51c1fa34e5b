"""Free-text answers from any system: citations found, matched tolerantly, judged against the
catalog."""

from pathlib import Path

import pytest

from evals.citations_parse import Catalog, parse_answer, split_entry
from evals.runner import load_questions, score_answers
from kernel.errors import ParseError
from kernel.models import Record, record_id_for_title


def _record(title, year=None, abstract=""):
    return Record(record_id_for_title(title), title, abstract=abstract, year=year)


GIRL = _record(
    "A Girl No More: The Changing Norms of Child Marriage in Conflict",
    2016,
    "Poverty, exacerbated in displacement, is a driver of early marriage.",
)
FORCED = _record(
    "Forced to Report", 2020, "Mandatory reporting can obstruct access to health care."
)
PROTECTION = _record(
    "Protection: What is it Anyway?", None, "This booklet provides an overview of protection."
)
FRAMEWORK = _record(
    "Framework Document. Developing Standard Operating Procedures to Facilitate the "
    "Identificaction and Protection of Victims of Trafficking",
    2020,
    "IOM and UNHCR cooperation.",
)
IDEAS = _record(
    "Fighting Human Trafficking in Conflict: 10 Ideas for Action by the United Nations Security "
    "Council",
    2016,
    "The Security Council held its first thematic debate.",
)
CATALOG = Catalog([GIRL, FORCED, PROTECTION, FRAMEWORK, IDEAS])


def _statuses(text):
    return [(c.record_id, c.status) for c in parse_answer(text, CATALOG).citations]


def test_inline_title_year__exact_title_and_year_is_valid():
    assert _statuses("Reporting rules deter survivors, as Forced to Report (2020) shows.") == [
        (FORCED.id, "valid")
    ]


def test_inline_title_year__an_invented_title_is_fabricated():
    parsed = parse_answer('See "Trafficking Trends in the Arctic" (2021) for details.', CATALOG)
    assert [(c.claimed_title, c.record_id, c.status) for c in parsed.citations] == [
        ("Trafficking Trends in the Arctic", None, "fabricated")
    ]


def test_inline_title_year__a_title_case_run_is_the_claimed_title():
    parsed = parse_answer(
        "This is discussed in Modern Trafficking Patterns in Antarctica (2019).", CATALOG
    )
    assert [(c.claimed_title, c.status) for c in parsed.citations] == [
        ("Modern Trafficking Patterns in Antarctica", "fabricated")
    ]


def test_inline_title_year__a_real_title_with_another_year_is_a_wrong_year():
    assert _statuses("Forced to Report (2018) found the same.") == [(FORCED.id, "wrong_year")]


def test_nd__is_the_year_of_an_undated_record_and_wrong_for_a_dated_one():
    assert _statuses("Protection: What is it Anyway? (n.d.) explains it.") == [
        (PROTECTION.id, "valid")
    ]
    assert _statuses("Protection: What is it Anyway? (2019) explains it.") == [
        (PROTECTION.id, "wrong_year")
    ]
    assert _statuses("As Forced to Report (n.d.) shows.") == [(FORCED.id, "wrong_year")]
    assert _statuses("Protection: What is it Anyway? (s.f.) lo explica.") == [
        (PROTECTION.id, "valid")
    ]


def test_markers__resolve_through_the_reference_list():
    text = (
        "Poverty drives early marriage [1]. Reporting deters survivors [2][3].\n\n"
        "Sources:\n"
        "[1] A Girl No More: The Changing Norms of Child Marriage in Conflict (2016)\n"
        "[2] Forced to Report (2019)\n"
        "[3] How to Count Victims (2015)\n"
    )
    parsed = parse_answer(text, CATALOG)
    assert [(c.marker, c.status) for c in parsed.citations] == [
        (1, "valid"),
        (2, "wrong_year"),
        (3, "fabricated"),
    ]
    assert parsed.sentence_records == [
        ("Poverty drives early marriage [1].", [GIRL.id]),
        ("Reporting deters survivors [2][3].", [FORCED.id]),
    ]


def test_markers__a_marker_without_a_reference_is_fabricated():
    text = (
        "Poverty drives early marriage [1], and more [4].\n\n[1] A Girl No More: The Changing "
        "Norms of Child Marriage in Conflict (2016)"
    )
    assert _statuses(text) == [(GIRL.id, "valid"), (None, "fabricated")]


def test_numbered_reference_list_after_a_heading():
    text = (
        "Early marriage rises in crises [1].\n\nReferences:\n1. A Girl No More: The Changing "
        "Norms of Child Marriage in Conflict, 2016."
    )
    assert _statuses(text) == [(GIRL.id, "valid")]


def test_tolerant_matching__case_punctuation_and_typos_still_find_the_record_but_not_as_exact():
    assert _statuses(
        "See a girl no more - the changing norms of child marriage in conflict (2016)."
    ) == [(GIRL.id, "inexact_title")]
    text = "[1] A Girl No Mor: The Changing Norms of Child Mariage in Conflict (2016)"
    assert _statuses("Early marriage [1].\n\n" + text) == [(GIRL.id, "inexact_title")]
    # a shortened main title (before the colon) names the record, inexactly
    assert _statuses("Fighting Human Trafficking in Conflict (2016) lists ten ideas.") == [
        (IDEAS.id, "inexact_title")
    ]


def test_tolerant_matching__quote_styles_and_spacing_count_as_exact():
    assert _statuses("[1].\n\n[1]   Forced  to   Report (2020)") == [(FORCED.id, "valid")]


def test_a_title_with_an_inner_full_stop_is_matched_whole():
    assert _statuses(f"IOM and UNHCR agreed on SOPs: {FRAMEWORK.title} (2020).") == [
        (FRAMEWORK.id, "valid")
    ]


def test_a_list_item_is_one_statement_even_with_a_full_stop_in_its_title():
    text = (
        f"The library holds 2 records:\n- {FRAMEWORK.title} (2020) [1]\n- Forced to Report (2020) "
        "[2]\n\n"
        f"[1] {FRAMEWORK.title} (2020)\n[2] Forced to Report (2020)"
    )
    parsed = parse_answer(text, CATALOG)
    assert [ids for _, ids in parsed.sentence_records] == [[FRAMEWORK.id], [FORCED.id]]
    assert [c.status for c in parsed.citations] == ["valid", "valid"]


def test_missing_year_is_its_own_status():
    assert _statuses("Reporting deters survivors [1].\n\n[1] Forced to Report") == [
        (FORCED.id, "missing_year")
    ]


def test_split_entry__title_and_year_in_common_shapes():
    assert split_entry("Forced to Report (2020)") == ("Forced to Report", "2020")
    assert split_entry("Forced to Report, 2020.") == ("Forced to Report", "2020")
    assert split_entry("Holmblad, M. (2020). Forced to Report.") == ("Forced to Report", "2020")
    assert split_entry("Protection: What is it Anyway? (n.d.)") == (
        "Protection: What is it Anyway?",
        "n.d.",
    )


def test_a_plain_year_in_prose_is_not_a_citation():
    assert _statuses("Since the passage of the act (2000) many things changed.") == []


def _questions(tmp_path, lines):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return load_questions(path)


def test_score_answers__structured_citations_are_checked_against_the_catalog(tmp_path):
    questions = _questions(
        tmp_path,
        [
            '{"id": "a", "question": "Why do girls marry early?", "gold": ["a girl no more the '
            'changing norms of child marriage in conflict"]}',
            '{"id": "b", "question": "Capital of France?", "unanswerable": true}',
        ],
    )
    answers = {
        "a": {
            "answer": "Poverty drives it [1]. Also [2].",
            "citations": [
                {"n": 1, "record_id": GIRL.id, "title": GIRL.title, "year": 2016},
                {"n": 2, "record_id": "r-000000000000", "title": "Ghost", "year": 2016},
            ],
        },
        "b": {"answer": "The library holds nothing on this.", "citations": [], "abstained": True},
    }
    result = score_answers(questions, answers, CATALOG, judge=None)
    a, b = result.questions
    assert a.gold == [GIRL.id]  # the gold title was resolved tolerantly to the record id
    assert a.counts["fabricated"] == 1 and a.metrics["citation_validity"] == 0.5
    assert a.metrics["gold_citation_recall"] == 1.0
    assert b.metrics["abstention"] == 1.0
    assert result.overall["abstention"] == 1.0


def test_score_answers__free_text_answers_are_parsed(tmp_path):
    questions = _questions(
        tmp_path, ['{"id": "a", "question": "Reporting?", "gold": ["Forced to Report"]}']
    )
    result = score_answers(
        questions, {"a": {"answer": "It deters care, per Forced to Report (2019)."}}, CATALOG
    )
    assert result.questions[0].counts["wrong_year"] == 1
    assert result.questions[0].metrics["gold_citation_recall"] == 1.0


def test_load_questions__errors_name_the_line(tmp_path):
    with pytest.raises(ParseError, match="line 2.*follow_up_of 'zz'"):
        _questions(
            tmp_path,
            [
                '{"id": "a", "question": "x", "gold": ["g"]}',
                '{"id": "b", "question": "y", "gold": ["g"], "follow_up_of": "zz"}',
            ],
        )
    with pytest.raises(ParseError, match="line 1.*'gold'"):
        _questions(tmp_path, ['{"id": "a", "question": "x"}'])


def test_score_answers__a_gold_title_not_in_the_catalog_is_an_error(tmp_path):
    questions = _questions(tmp_path, ['{"id": "a", "question": "x", "gold": ["No Such Report"]}'])
    with pytest.raises(ParseError, match="question a: gold 'No Such Report' names no record"):
        score_answers(questions, {}, CATALOG)


def test_sample_question_set__covers_every_record_with_enough_variety():
    from evals.runner import catalog_from_paths, resolve_gold

    root = Path(__file__).resolve().parent.parent
    catalog = catalog_from_paths([root / "data" / "library"])
    questions = load_questions(root / "evals" / "questions" / "sample.jsonl")
    gold = resolve_gold(questions, catalog)
    assert len(questions) >= 50
    assert {rid for ids in gold.values() for rid in ids} == {r.id for r in catalog.records}
    assert sum(q.unanswerable for q in questions) >= 8
    assert sum(q.follow_up_of is not None for q in questions) >= 3
    assert sum(any(ch in q.question for ch in "¿ñá") for q in questions) >= 3  # a few in Spanish
    kinds = {k for q in questions for k, v in q.filters.items() if v}
    assert {"year_from", "regions", "countries", "authors"} <= kinds
    for q in questions:  # the gold records satisfy the question's own filters
        f = q.filters_object()
        assert all(f.matches(catalog.get(rid)) for rid in gold[q.id]), q.id


def test_public_surface__every_exported_name_exists():
    import evals

    assert sorted(evals.__all__) == evals.__all__
    for name in evals.__all__:
        assert getattr(evals, name) is not None


AUTHORED = [
    Record(
        record_id_for_title("Understanding Human Trafficking In Conflict"),
        "Understanding Human Trafficking In Conflict",
        year=2019,
        authors=("Jamille Bigio", "Rachel Vogelstein"),
    ),
    Record(
        record_id_for_title("The Global Slavery Index 2018"),
        "The Global Slavery Index 2018",
        year=2018,
        authors=("Walk Free Foundation",),
    ),
    Record(
        record_id_for_title("Trafficking in Human Beings"),
        "Trafficking in Human Beings",
        year=None,
        authors=("Olivier Peyroux",),
    ),
]
AUTHOR_CATALOG = Catalog(AUTHORED)


def _author_statuses(text):
    return [
        (c.claimed_title, c.record_id, c.status)
        for c in parse_answer(text, AUTHOR_CATALOG).citations
    ]


def test_author_year__parenthetical_citations_are_matched_to_the_catalogs_authors():
    bigio, walk_free, peyroux = (r.id for r in AUTHORED)
    assert _author_statuses("Conflict raises the risk (Bigio & Vogelstein, 2019).") == [
        ("Bigio & Vogelstein", bigio, "valid")
    ]
    assert _author_statuses(
        "Both matter (Bigio et al., 2017; Walk Free Foundation, 2018; Peyroux, n.d.)."
    ) == [
        ("Bigio et al.", bigio, "wrong_year"),
        ("Walk Free Foundation", walk_free, "valid"),
        ("Peyroux", peyroux, "valid"),
    ]


def test_author_year__invented_authors_are_fabricated_and_dates_are_not_citations():
    assert _author_statuses("Risk rises in war (Smith & Jones, 2019).") == [
        ("Smith & Jones", None, "fabricated")
    ]
    assert (
        _author_statuses(
            "The survey (January 2019) and the act (2000) changed things (n = 83, 2019)."
        )
        == []
    )
    assert _author_statuses("Post-war trafficking (Kosovo, 1999) and (Syria and Iraq, 2014).") == []


def test_author_year__narrative_citations_name_the_authors_before_the_year():
    bigio, walk_free, _ = (r.id for r in AUTHORED)
    assert _author_statuses(
        "According to Bigio and Vogelstein (2019), conflict raises the risk."
    ) == [("Bigio and Vogelstein", bigio, "valid")]
    assert _author_statuses("Walk Free (2016) reports progress.") == [
        ("Walk Free", walk_free, "wrong_year")
    ]
