"""Practitioners' wording: informal words and abbreviations, misspellings, follow-ups (issue 10,
classes 5 and 6)."""

import json
import re
from pathlib import Path

import pytest

from assistant.notices import render
from assistant.reading.informal import ROWS, fires, library_words
from assistant.reading.spelling import Speller
from assistant.reading.wording import Worded, Wording, follow_up_query
from kernel.text import fold
from tests.cli_run import run_cli

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "data" / "library"
WORDING = ROOT / "evals" / "questions" / "dev_wording.jsonl"


# -- the informal table ------------------------------------------------------------------------


def test_informal__every_row_carries_yes_and_no_examples():
    for row in ROWS:
        assert row.yes and row.no, f"row {row.phrases[0]!r} needs both yes and no examples"


@pytest.mark.parametrize("row, question", [(r, q) for r in ROWS for q in r.yes])
def test_informal__rows_read_their_yes_examples(row, question):
    assert fires(row, question), f"{row.phrases} should read {question!r}"


@pytest.mark.parametrize("row, question", [(r, q) for r in ROWS for q in r.no])
def test_informal__rows_stay_quiet_on_their_no_examples(row, question):
    assert not fires(row, question), f"{row.phrases} should not read {question!r}"


def test_informal__every_library_word_is_one_the_sample_library_holds():
    text = fold(" ".join(p.read_text(encoding="utf-8") for p in LIBRARY.iterdir()))
    words = set(re.findall(r"\w+", text)) | set(re.findall(r"[\w-]+", text))
    for row in ROWS:
        missing = [w for w in row.library.split() if w not in words]
        assert not missing, f"row {row.phrases[0]!r}: the library never says {missing}"


def test_informal__library_words_for_a_practitioners_question():
    assert library_words("how do armed groups recruit kids") == "children"
    assert library_words("IDPs and cops") == "displaced law enforcement"
    assert library_words("trafficking in Kosovo") == ""


# -- spelling ----------------------------------------------------------------------------------

TEXTS = [
    "Human trafficking and the trafficking of children: trafficking victims in refugee camps.",
    "The MS-13 gang. Media Access to Beneficiaries Who Have Been Traficked.",
    "Simulation exercises for facilitators. Standard operating procedures.",
    "Trafficking in persons, trafficking routes and anti-trafficking work.",
]


@pytest.fixture
def speller():
    return Speller.from_texts(TEXTS, known=["kids", "pope", "girls", "camps"])


def test_spelling__corrects_into_the_librarys_word_and_says_so(speller):
    spelled = speller.correct("traficking of girls in refugee camps")
    assert spelled.text == "trafficking of girls in refugee camps"
    assert render(spelled.notice(), "en") == "searched for 'trafficking' (you typed 'traficking')"


def test_spelling__two_edits_for_long_words_and_swapped_letters(speller):
    assert speller.correct("simmulation excercises").text == "simulation exercises"
    assert speller.correct("standrad operating").text == "standard operating"


def test_spelling__leaves_names_known_words_and_word_forms(speller):
    for question in (
        "what did Traficking Watch say",  # capitalised mid-question: the user's name
        "kids and the pope",  # English words the library lacks are not misspellings
        "victims in camps",  # "victims" is the library's word
        "a course for facilitator",  # another form of a library word
        "smugling",  # no library word is close: left to the embedding model
    ):
        assert speller.correct(question).corrections == (), question


def test_spelling__a_misspelt_name_takes_the_name_the_library_writes():
    speller = Speller.from_texts(
        ["Trafficking of children in the Pacific. Islands of the Pacific and Kosovo: trafficking."]
    )
    assert speller.correct("children in the Pacfic").text == "children in the Pacific"
    assert speller.correct("sex trafficking in Kosvo").text == "sex trafficking in Kosovo"
    # a place of the gazetteer the library lacks, an acronym and a word that only opens the
    # library's sentences stay as typed
    for question in ("in Malta", "what did PACFIC say", "what did Traficking Watch say"):
        assert speller.correct(question).corrections == (), question


def test_spelling__never_corrects_into_a_word_the_library_lacks(speller):
    assert speller.correct("armed conflit").text == "armed conflit"


def test_spelling__run_together_names_take_the_librarys_hyphen(speller):
    assert speller.correct("ms13 and human trafficking").text == "ms-13 and human trafficking"


def test_wording__spelling_keeps_informal_phrases_and_adds_their_library_words():
    wording = Wording(Speller.from_texts(TEXTS))
    worded = wording.read("refos and traficking")
    assert worded.text == "refos and trafficking"  # the table reads "refos": spelling leaves it
    assert worded.search(worded.text) == "refugees and trafficking"  # what is searched
    assert Worded("refos y trata").search("refos y trata") == "refos y trata"  # not English
    assert "you typed 'traficking'" in render(worded.notice, "en")


def test_follow_up_query__its_own_words_lead():
    query = follow_up_query("and what about children?", ["How does armed conflict increase it?"])
    assert query.startswith("and what about children? and what about children?")
    assert query.endswith("How does armed conflict increase it?")


# -- through the real assistant ----------------------------------------------------------------

FOLLOW_UP = ("How does armed conflict increase trafficking?", "and what about children?")
CHILDREN_IN_CONFLICT = "Report of the Secretary General on Children and Armed Conflict"


@pytest.mark.slow
def test_ask__a_misspelt_question_finds_its_record_and_says_what_was_searched(sample_assistant):
    answer = sample_assistant.ask("ms13 and human traficking")
    assert "searched for 'ms-13', 'trafficking' (you typed 'ms13', 'traficking')" in answer.warnings
    assert answer.citations and answer.citations[0].title.startswith("The Connection Between")


@pytest.mark.slow
def test_ask__an_acronym_the_table_reads_counts_as_mentioned(sample_assistant):
    answer = sample_assistant.ask(
        "refos and IDPs displaced by war - how vulnerable are they to trafficking?"
    )
    assert answer.citations, answer.text  # "IDPs" is covered by the records' "displaced"


@pytest.mark.slow
@pytest.mark.parametrize(
    "earlier, follow_up, title",
    [
        (
            "How does COVID-19 affect sexual violence in conflict?",
            "and what about migrant smugglers?",
            "Smuggling in the Time of COVID-19",
        ),
        (
            "What is mandatory reporting of sexual violence?",
            "what about gender-based violence in disasters?",
            "Unseen, Unheard: Gender-Based Violence in Disasters Global Study",
        ),
    ],
)
def test_ask__a_follow_ups_new_focus_leads(sample_assistant, earlier, follow_up, title):
    """The follow-up's own subject is cited first; the earlier turn only fills in (it used to
    lead: the first source was the earlier question's record again)."""
    first = sample_assistant.ask(earlier)
    history = [
        {"role": "user", "content": earlier},
        {"role": "assistant", "content": first.text},
    ]
    answer = sample_assistant.ask(follow_up, history=history)
    assert answer.citations and answer.citations[0].title == title


@pytest.mark.slow
def test_cli_ask__after_asks_a_follow_up(capsys, cli_assistant):
    earlier, follow_up = FOLLOW_UP
    code, out, _ = run_cli(["ask", "--after", earlier, follow_up], capsys)
    assert code == 0
    assert f"[1] {CHILDREN_IN_CONFLICT}" in out
    code, out, _ = run_cli(["ask", follow_up], capsys)  # alone it is another question
    assert f"[1] {CHILDREN_IN_CONFLICT}" not in out


# Figures on dev_wording.jsonl when written (2026-12-06): gold recall 0.917, correct abstention 1.0,
# false abstention 0.028; the code before reading.wording: gold recall 0.833 (fails the gate).
WORDING_GATES = [
    "citation_validity=1.0",
    "gold_citation_recall=0.9",
    "correct_abstention=1.0",
    "false_abstention<=0.05",
]


@pytest.mark.slow
def test_wording_questions__meet_their_gates(capsys, sample_copy, monkeypatch):
    """The class file of practitioners' wording through the real assistant, gated."""
    assert all(json.loads(line)["question"] for line in WORDING.read_text().splitlines())
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(sample_copy))
    argv = ["eval", str(WORDING), "--json", "--judge", "none"]
    for gate in WORDING_GATES:
        argv += ["--fail-under", gate]
    code, out, err = run_cli(argv, capsys)
    data = json.loads(out)
    failing = {q["id"]: q["problems"] for q in data["questions"] if q["problems"]}
    assert code == 0, f"{err.strip()}\noverall: {data['overall']}\nproblems: {failing}"
