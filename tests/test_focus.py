"""A question's focus by the library's own IDF, short questions that match a title, and two
records that both answer a question (issue 10, classes 3 and 4)."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path

import numpy as np
import pytest

from assistant.answer import ExtractiveAnswerer
from assistant.models import Hit
from assistant.reading import RareWords, focus_terms, gives_figure, rare_words, title_words
from assistant.reading.focus import UNHELD_DENSE
from kernel.models import Record

ROOT = Path(__file__).resolve().parent.parent
FOCUS_QUESTIONS = ROOT / "evals" / "questions" / "dev_focus.jsonl"
CLASS_QUESTIONS = ROOT / "evals" / "questions" / "dev_classes.jsonl"

# Shares of records holding each word, as the BM25 index would give them (absent words: 0.0).
SHARES = {"trafficking": 0.66, "form": 0.34, "commercial": 0.03, "victims": 0.37, "pope": 0.03}
VOCABULARY = {"trafficking", "form", "commercial", "victims", "standard", "operating", "pope"}


def _share(word: str) -> float:
    return SHARES.get(word, 0.0)


def _hit(dense: float) -> Hit:
    return Hit(Record(id="r", title="T", abstract="A."), dense, dense_score=dense)


def test_rare_words__a_word_no_record_holds_is_the_focus_unless_misspelt_named_or_asking():
    assert rare_words("Is commercial surrogacy a form of trafficking?", _share, VOCABULARY) == (
        RareWords(held=("commercial",), unheld=("surrogacy",))
    )
    # misspellings of library words, names (capitalised) and words of asking are no focus
    assert rare_words("standart operating procedures for victms", _share, VOCABULARY).unheld == (
        "procedures",
    )
    assert rare_words("What did the Pope say about Interpol?", _share, VOCABULARY).unheld == ()


@pytest.mark.parametrize(
    "question",
    [
        "What guidance is there on protecting victims of trafficking published in 2015?",
        "Which reports released in 2019 cover commercial exploitation?",
        "any documents issued since 2018 on commercial sexual exploitation?",
        "commercial exploitation studies, editions after 2016",
    ],
)
def test_rare_words__words_that_ask_for_documents_are_no_focus(question):
    """'published', 'reports', 'issued'... say what kind of record is wanted: ranking the few
    records whose abstract says "published" first put the wrong record first."""
    every_word_rare = rare_words(question, lambda w: 0.03, VOCABULARY)
    assert "commercial" in every_word_rare.held or "victims" in every_word_rare.held
    assert not {
        "published",
        "reports",
        "released",
        "documents",
        "issued",
        "studies",
        "editions",
    } & (set(every_word_rare.held) | set(every_word_rare.unheld))


@pytest.mark.parametrize(
    "question, read, unheld",
    [
        ("can reporters film trafficking survivors we help?", {"reporters", "film"}, set()),
        ("may a TV crew film the people we assist?", {"crew", "film"}, set()),
        ("should cops ask a victim about their tattoos first?", {"cops"}, {"tattoos"}),
        ("what do coppers do with surrogacy cases?", {"coppers"}, {"surrogacy"}),
    ],
)
def test_rare_words__informal_words_are_read_not_missing(question, read, unheld):
    """'film', 'cops': the informal table searches them as the library's words ('media', 'law
    enforcement'), so they are no word the library lacks; other unheld words still are."""
    found = set(rare_words(question, _share, VOCABULARY).unheld)
    assert not read & found and unheld <= found


@pytest.mark.parametrize(
    "question, name",
    [
        ("What's the penalty for surrogacy under Sweden's law?", "sweden"),
        ("What did Haiti's authorities do about surrogacy?", "haiti"),
    ],
)
def test_rare_words__a_possessive_name_is_a_name_not_a_word(question, name):
    """ "Sweden's" is the name Sweden: it is no rare word the library holds (which excused the
    words it lacks, "penalty") nor one it lacks; the question's other words still count."""
    words = rare_words(question, _share, VOCABULARY)
    assert name not in words.held + words.unheld
    assert "surrogacy" in words.unheld


@pytest.mark.parametrize(
    "question, common",
    [
        ("how do victims' cases get handed over from one country to another?", "get"),
        ("what do people know about commercial surrogacy?", "people"),
        ("is there a new way to fund commercial surrogacy?", "way"),
    ],
)
def test_rare_words__everyday_english_is_no_word_the_library_lacks(question, common):
    """'get', 'people', 'way' (wordfreq: among the most frequent English words) are the wording
    of a question, not its subject; a subject word the library lacks still counts."""
    unheld = rare_words(question, _share, VOCABULARY).unheld
    assert common not in unheld
    assert "surrogacy" in unheld or "handed" not in unheld


@pytest.mark.parametrize(
    "question, short, near",
    [
        ("What apps do traffickers use to recruit online?", "apps", "apply"),
        ("do traffickers use bots?", "bots", "boats"),
        ("what about visa fees for victims?", "visa", "vista"),
        ("can a vpn hide a recruiter?", "vpn", "von"),
    ],
)
def test_rare_words__a_short_word_is_no_misspelling_of_a_longer_one(question, short, near):
    """A word under five letters ("apps") is what it says, not a typo of "apply" (the speller's
    minimum, `assistant.reading.spelling.MIN_LETTERS`); a longer misspelt word still is one."""
    vocabulary = VOCABULARY | {near}
    assert short in rare_words(question, _share, vocabulary).unheld
    assert "victms" not in rare_words("help for victms", _share, vocabulary).unheld


@pytest.mark.parametrize(
    "question, focus",
    [
        ("Our NGO works with displaced families: why do parents marry off daughters?", []),
        ("A TV crew wants to film a survivor our IOM office supports. Is that allowed?", []),
        ("my UNHCR team meets unaccompanied children at the border", []),
        ("I work for an INGO in Cox's Bazar; what are the signs of trafficking?", ["Cox Bazar"]),
        ("What does IOM recommend on media access to victims?", ["IOM"]),
        ("What did the UNHCR say about Rohingya refugees?", ["UNHCR", "Rohingya"]),
    ],
)
def test_focus_terms__the_askers_organisation_and_informal_words_are_no_focus(question, focus):
    """'our NGO', 'our IOM office' say who asks; 'a TV crew' is read by the informal table as
    media: none of them is a name the evidence must hold. An organisation asked about still is."""
    assert focus_terms(question) == focus


def test_rare_words__an_unheld_word_abstains_only_when_no_record_is_close():
    rare = RareWords(unheld=("surrogacy",))
    assert rare.missing([_hit(UNHELD_DENSE - 0.01)]) == ["surrogacy"]
    assert rare.missing([_hit(UNHELD_DENSE + 0.01)]) == []
    # a rare word the question shares with a hit shows the hit is about it
    held = RareWords(held=("commercial",), unheld=("surrogacy",))
    record = Record(id="c", title="Commercial Sexual Exploitation", abstract="")
    assert held.missing([Hit(record, 0.4, dense_score=0.4)]) == []


def test_title_words__keep_a_goal_number_whole_and_an_acronym():
    assert title_words("SDG 8.7", set()) == ["sdg", "8.7"]
    assert title_words("UNSCR 1244 Kosovo", {"kosovo"}) == ["unscr", "1244", "kosovo"]


class _Embedder:
    """Bag of hashed words: shared words mean similarity."""

    def encode(self, texts, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                if len(word) > 3:
                    out[i, zlib.crc32(word[:6].encode()) % 256] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def test_extractive__the_first_record_is_quoted_where_a_long_sentence_answers_past_its_start():
    """The first record's answering clause ends a 40-word sentence ("...and removal of organs to
    treat injured fighters"): judged by its first 20 words alone it matched nothing, and a
    relevant record went unquoted."""
    long = (
        "Some forms of trafficking are particularly prevalent in the context of armed conflict, "
        "such as sexual exploitation, enslavement, and forced marriage; forced labor to support "
        "military operations; recruitment of child soldiers; and removal of organs to treat "
        "injured fighters."
    )
    record = Record(id="u", title="Understanding", abstract=f"Conflicts displace people. {long}")
    answerer = ExtractiveAnswerer(_Embedder())
    text = answerer.answer(
        "organ removal for injured fighters", [Hit(record, 0.2, dense_score=0.2)]
    )
    assert "removal of organs" in text and "[1]" in text
    assert answerer.answer("wildlife poaching", [Hit(record, 0.2, dense_score=0.2)]) == ""


def test_extractive__a_companion_record_is_quoted_with_the_one_that_names_it():
    """A guidance note that names its factsheet outscores the factsheet's own sentences; the two
    are one series (titles sharing most words), so both are cited, not the note twice."""
    note = Record(
        id="note",
        title="Pandemic Impact on Trafficking in Persons - A Protection and Inclusion Note",
        abstract=(
            "This guidance note on pandemic trafficking risk complements the pandemic trafficking "
            "risk factsheet for national societies. It gives national societies detailed advice "
            "on pandemic trafficking risk and protection."
        ),
    )
    sheet = Record(
        id="sheet",
        title="Pandemic Impact on Trafficking in Persons - A Protection and Inclusion Factsheet",
        abstract="This quick reference tool shows how the pandemic changes trafficking risk today.",
    )
    other = Record(id="x", title="Bread", abstract="Knead the dough until it is smooth today.")
    hits = [
        Hit(note, 0.7, dense_score=0.7),
        Hit(other, 0.6, dense_score=0.45),
        Hit(sheet, 0.5, dense_score=0.5),
    ]
    question = "What pandemic trafficking risk guidance exists for national societies?"
    text = ExtractiveAnswerer(_Embedder()).answer(question, hits)
    assert "[1]" in text and "[3]" in text and "[2]" not in text


@pytest.mark.slow
def test_focus_classes__dev_focus_questions_through_the_real_assistant(sample_copy, monkeypatch):
    """The class file: places rank the records about them, names that look like places warn of
    nothing, short title questions pass the gate, two answering records are both cited, and most
    on-topic questions on a word no record holds abstain."""
    from assistant.service import Assistant
    from kernel.settings import Settings

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(sample_copy))
    assistant = Assistant.from_settings(Settings())
    titles = {r.title: r.id for r in assistant.retriever.records_by_id.values()}
    rows = [json.loads(line) for line in FOCUS_QUESTIONS.read_text(encoding="utf-8").splitlines()]
    unanswered, abstained = [], 0
    for row in rows:
        answer = assistant.ask(row["question"])
        if row.get("unanswerable"):
            abstained += answer.abstained
            continue
        cited = {c.record.id for c in answer.citations}
        if not {titles[t] for t in row["gold"]} <= cited:
            unanswered.append((row["id"], row["question"], sorted(cited)))
        if "class 8" in row["notes"]:
            assert not any("mentions" in w or "ranked first" in w for w in answer.warnings), row
    assert unanswered == []
    unanswerable = sum(1 for row in rows if row.get("unanswerable"))
    assert abstained / unanswerable >= 0.6  # 8 of 13 on dev_focus when chosen


def test_extractive__a_record_whose_title_names_the_place_asked_about_is_quoted():
    """Three sentences of the first record outscore the third record's, but its title names the
    place the question asks about, so it is quoted too."""
    general = Record(
        id="g",
        title="Global Phenomenon: Human Trafficking in the Caribbean and Beyond",
        abstract=(
            "Human trafficking in the Caribbean is a global phenomenon of hidden cases. "
            "Human trafficking cases in the Caribbean are often invisible to the authorities. "
            "Victims of human trafficking in the Caribbean rarely report the crime. "
            "Human trafficking in the Caribbean moves people across many borders. "
            "Trafficking cases in the Caribbean need better data on human trafficking."
        ),
    )
    conflict = Record(
        id="c", title="Understanding Conflict", abstract="Armed conflict breaks families apart."
    )
    threat = Record(
        id="t",
        title="Organized Crime in Central America and the Caribbean",
        abstract=(
            "Cocaine and human trafficking flows through the region feed the violence of gangs."
        ),
    )
    hits = [
        Hit(general, 0.8, dense_score=0.78),
        Hit(conflict, 0.7, dense_score=0.6),
        Hit(threat, 0.6, dense_score=0.58),
    ]
    text = ExtractiveAnswerer(_Embedder(), min_relevance=0.0).answer(
        "human trafficking in the Caribbean", hits
    )
    assert "[3]" in text


@pytest.mark.parametrize(
    "term, text",
    [
        ("MS13", "The Connection Between the Mara Salvatrucha (MS-13) and Human Trafficking"),
        ("MS 13", "The Connection Between the Mara Salvatrucha (MS-13) and Human Trafficking"),
        ("COVID19", "COVID-19 Impact on Trafficking in Persons"),
        ("SDG8.7", "Sustainable Development Goal 8.7 (SDG 8.7)"),
        ("Burma", "Rohingya refugees from Myanmar in Cox's Bazar"),
        ("Ivory Coast", "girls recruited in Côte d'Ivoire"),
        ("Balkan", "interviews on referral mechanisms in South-Eastern Europe"),
        ("Balkans", "cases in South-East Europe"),
    ],
)
def test_mentions_term__a_place_called_by_another_of_its_names_is_mentioned(term, text):
    """A question's 'Burma' or 'Balkan' is covered by a record that says 'Myanmar' or
    'South-Eastern Europe' (the gazetteer's names of one place), its 'MS13' by 'MS-13' (a code
    spelt joined, spaced or hyphenated); another place is not."""
    from assistant.reading.focus import mentions_term
    from kernel.text import fold

    assert mentions_term(term, fold(text))
    assert not mentions_term(term, fold("migrants crossing from Libya to Italy"))


@pytest.mark.parametrize(
    "question",
    [
        "Border guard here, and I'm told the fees have gone up. Will smuggling get worse?",
        "As a nurse I've seen survivors stop coming to the clinic. Is there research on this?",
        "Honestly I’d like to know how armed groups recruit children.",
        "Next week I'll train police officers: what should they do first?",
    ],
)
def test_focus__the_askers_own_i_is_no_name(question):
    """ "I'm", "I've", "I'd", "I'll" mid-sentence are capitalised but name nothing the library must
    hold (a border guard's question was refused on "I'm")."""
    assert focus_terms(question) == []


def _record(abstract: str, title: str = "A report") -> Record:
    return Record(id=title, title=title, abstract=abstract)


def _figure_share(word: str) -> float:
    return {"victims": 0.6, "women": 0.1, "governments": 0.1, "disasters": 0.1}.get(word, 0.0)


def test_gives_figure__a_number_beside_a_word_of_the_question():
    women = _record("More than 72 percent of detected victims are women and girls.")
    assert gives_figure("What share of victims are women?", [women], _figure_share)
    # the number stands beside none of the question's distinctive words
    assert not gives_figure("How many governments were assessed?", [women], _figure_share)


def test_gives_figure__years_hyphenated_names_and_the_questions_own_numbers_are_no_figures():
    record = _record("In 2019 the COVID-19 crisis hit governments.")
    assert not gives_figure(
        "How many governments did COVID-19 hit in 2019?", [record], _figure_share
    )
    record = _record("Research on governments in four countries followed.")
    assert not gives_figure("How many governments in the four countries?", [record], _figure_share)
    assert gives_figure(
        "How many governments were studied?", [_record("183 governments")], _figure_share
    )


def test_gives_figure__a_question_without_a_distinctive_word_takes_any_figure():
    record = _record("The research was done in four countries.")
    assert gives_figure("in how many countries was the research done?", [record], _figure_share)
    assert not gives_figure(
        "in how many countries was it done?", [_record("No numbers.")], _figure_share
    )


@pytest.mark.slow
def test_classes__dev_classes_questions_through_the_real_assistant(sample_copy, monkeypatch):
    """The class file of dev3's failures, each with new members: figures asked for (answered when a
    record gives one, refused with a notice when none does), the asker's "I'm", misspelt names
    ("Pacifc"), listings worded with function words, and (dev4) places more specific than any
    record asked about broadly ("in Port Moresby": the records on the Pacific)."""
    from assistant.notices import render
    from assistant.service import Assistant
    from kernel.settings import Settings

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(sample_copy))
    assistant = Assistant.from_settings(Settings())
    titles = {r.title: r.id for r in assistant.retriever.records_by_id.values()}
    rows = [json.loads(line) for line in CLASS_QUESTIONS.read_text(encoding="utf-8").splitlines()]
    unanswered, refused = [], []
    for row in rows:
        answer = assistant.ask(row["question"])
        if row.get("unanswerable"):
            if answer.abstained:
                refused.append(row["id"])
            continue
        cited = {c.record.id for c in answer.citations}
        if answer.abstained or not {titles[t] for t in row["gold"]} <= cited:
            unanswered.append((row["id"], row["question"], sorted(cited)))
    assert unanswered == []
    assert len(refused) >= 13  # 2 of 5 when written (2026-12-06); 6 of 9 with c28-c38; 13 of 16 now
    # A place no record names, asked about broadly, is answered from the records on the place that
    # holds it, and the answer says so; asked for one detail of it, the question is refused.
    answer = assistant.ask("Is there any material on trafficking in Vanuatu?")
    assert not answer.abstained
    assert [n.params["wider"] for n in answer.notices if n.code == "places_widened"] == [
        ("Pacific",)
    ]
    assert any("no record in the library mentions Vanuatu" in render(n) for n in answer.notices)
    assert assistant.ask("Is trafficking punished with prison in Vanuatu?").abstained
    answer = assistant.ask("By how much did smugglers' fees rise during the COVID-19 lockdowns?")
    assert answer.abstained and [n.code for n in answer.notices][-1:] == ["figure_not_given"]
    assert "do not give the figure asked for" in answer.text
