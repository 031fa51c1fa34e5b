"""The focus of a question: the names, numbers and rare words an answer's evidence must cover.

"What share of trafficking victims in Libya are men?" is about trafficking, so the library's generic
sentences on trafficking pass the relevance gate; but it turns on Libya, and a quote that never
mentions Libya does not answer it. `focus_terms` reads the capitalised names (a run of capitalised
words, "Kevin Hyland", "World Cup"), acronyms and numbers other than years (years are events or
filters, `assistant.reading.question`); the first word of a sentence counts only as an acronym or a
number, and a name that asks or wants something is a person who is not the subject ("Chad asked
whether...", rule `person_name`). `missing_focus` returns the focus terms that none of the given
records' titles, abstracts, place tags or authors mentions (as a word or the start of one, so
"Syria" is mentioned by "Syrian"); for a Spanish question the glossary's English counts as well
("OIM": "IOM").

`rare_words` reads the question's rarest content words by the library's own IDF (the BM25 index's
document frequencies, so it scales with the library): words a few records hold rank those records
first, and a word no record holds ("surrogacy", "visas") leaves the question unanswered unless
its best record is close (`UNHELD_DENSE`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from kernel.text import closest, content_words, fold, singular, split_sentences, tokenize

from ..glossary import english_terms, spanish_names
from . import informal
from .rules import BY_NAME, DOC_WORDS
from .spelling import MIN_LETTERS

_NAME = re.compile(
    r"(?<![\w'’-])([A-ZÁÉÍÓÚÑ][\w'’-]*(?:\s+(?:of\s+|de\s+|del\s+|the\s+)?[A-ZÁÉÍÓÚÑ][\w'’-]*)*)"
)
_NUMBER = re.compile(r"(?<![\w.-])(\d+(?:[.,]\d+)*(?:st|nd|rd|th)?)(?![\w.])")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_SENTENCE_START = re.compile(r"(?:^|[.?!:;¿¡\"“(]\s*|\s[-–]\s)$")
_DERIVED = ("ian", "an", "ese", "n", "i")
_IGNORED = frozenset(
    {
        # question and function words that are capitalised for emphasis or by habit, and the
        # library's own generic vocabulary written with capitals
        "i",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "is",
        "are",
        "what",
        "how",
        "who",
        "why",
        "which",
        "when",
        "where",
        "does",
        "do",
        "can",
        "could",
        "should",
        "tell",
        "me",
        "please",
        "any",
        "the",
        "a",
        "an",
        "and",
        "or",
        "qué",
        "cómo",
        "cuál",
        "cuáles",
        "quién",
        "dónde",
        "covid",
        "covid-19",
        "coronavirus",
        "un",
        "ok",
    }
)


def person_names(question: str) -> set[str]:
    """Capitalised names the question uses for people who ask or want something (rule
    `person_name`)."""
    rule = BY_NAME["person_name"]
    return {m.group(1) for m in rule.pattern.finditer(question)}


def focus_terms(question: str) -> list[str]:
    """The names, acronyms and non-year numbers `question` turns on, in order, without repeats.
    Not focus: the people who ask (rule `person_name`), the asker's own organisation (rule
    `asker_organisation`: "our NGO", "our IOM office") and a word of an informal phrase the
    informal table reads ("a TV crew": media)."""
    people = person_names(question) | {
        word
        for m in BY_NAME["asker_organisation"].pattern.finditer(question)
        for word in (m.group(1) or m.group(2)).split()
    }
    informal_words = informal.typed_words(question)
    out: list[str] = []
    for m in _NAME.finditer(question):
        phrase = m.group(1).strip(" '’-")
        words = phrase.split()
        if _SENTENCE_START.search(question[: m.start()]) and not (
            words[0].isupper() and len(words[0]) >= 2
        ):
            words = words[
                1:
            ]  # "Rohingya trafficking", "What": a sentence's first word is no name by itself
        words = [
            w
            for w in words
            if w.casefold().replace("’", "'") not in _IGNORED
            and w not in people
            and fold(w) not in informal_words
        ]
        while words and words[0].casefold() in {"of", "de", "del", "the"}:
            words = words[1:]
        if words:
            out.append(" ".join(re.sub(r"['’]s$", "", w) for w in words))
    for m in _NUMBER.finditer(question):
        number = m.group(1)
        # "8.7", "20th", "2427" turn a question; a bare "3" or "12" numbers a list item or a test
        # case
        if not _YEAR.match(number) and (len(number) >= 3 or not number.isdigit()):
            out.append(number)
    return list(dict.fromkeys(t for t in out if len(t) >= 2 or t.isdigit()))


def _said(term: str, text: str) -> bool:
    words = re.findall(r"[\w.]+", fold(term))
    words = [w.strip(".") for w in words if w.strip(".")]
    if not words:
        return True

    def one(word: str) -> bool:
        stem = singular(word)
        # "European": "Europe", "Syrian": "Syria", "Chinese": "China"
        stems = {
            stem,
            *(
                stem[: -len(end)]
                for end in _DERIVED
                if stem.endswith(end) and len(stem) - len(end) >= 4
            ),
        }
        for stem in stems:
            if (
                len(stem) >= 5 and stem in text
            ):  # inside a longer word too: abstracts run words together
                return True  # ("namelyAlbania")
            if len(stem) == 4 and re.search(rf"(?<!\w){re.escape(stem)}", text):
                return True
        return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None

    return all(one(w) for w in words)


def record_text(record) -> str:
    places = " ".join(
        [
            *getattr(record, "countries", ()),
            *getattr(record, "regions", ()),
            *getattr(record, "authors", ()),
        ]
    )
    return fold(f"{record.title} {record.abstract or ''} {places}")


def term_readings(term: str, spanish: bool = False) -> tuple[str, ...]:
    """`term` and the other ways a record may say it: another name of the same place ("Burma":
    "Myanmar"; `assistant.places.names_of`), the region a compass region lies in
    (`assistant.places.broader`), the informal table's words ("IDPs": "displaced"), the glossary's
    Spanish for a name ("Human Rights Council": "consejo de derechos humanos", for a record in
    Spanish) and for a Spanish question the term's glossary English. Read once per term: the
    gazetteer lookups are the costly part of matching a term against every record."""
    from ..places import broader, names_of  # (places reads the reading rules)

    readings = [
        term,
        *_spelt_apart(term),
        *names_of(term),
        *broader(term),
        *spanish_names(term),
    ]
    if spanish and (english := english_terms(term)):
        readings.append(english)
    readings += [words for _, words in informal.readings(term)]
    return tuple(readings)


def _spelt_apart(term: str) -> tuple[str, ...]:
    """The other spellings of a code of letters and a number ("MS13": "MS-13", "MS 13"; "COVID
    19": "COVID-19", "COVID19"; "SDG8.7": "SDG 8.7"), which people type joined, hyphenated or
    spaced."""
    code = re.fullmatch(r"([A-Za-z]{2,})[\s-]?(\d[\d.]*)", term.strip())
    if not code:
        return ()
    letters, number = code.groups()
    return tuple(
        v for v in (f"{letters}-{number}", f"{letters} {number}", f"{letters}{number}") if v != term
    )


def mentions(readings: Sequence[str], text: str) -> bool:
    """Whether folded `text` (`record_text`) says one of a term's `readings` (`term_readings`)."""
    return any(_said(reading, text) for reading in readings)


def mentions_term(term: str, text: str, spanish: bool = False) -> bool:
    """Whether folded `text` (`record_text`) mentions `term` in one of its `term_readings`."""
    return mentions(term_readings(term, spanish), text)


def missing_focus(terms: Sequence[str], records: Iterable, spanish: bool = False) -> list[str]:
    """The `terms` that none of `records` mentions."""
    texts = [record_text(r) for r in records]
    missing = []
    for term in terms:
        readings = term_readings(term, spanish)
        if not any(mentions(readings, text) for text in texts):
            missing.append(term)
    return missing


# -- rare words: the question's words the library's own IDF marks as its focus -------------------

RARE_SHARE = 0.06
"""A word held by at most this share of the library's records (its BM25 document frequency; two
records in 35) is rare enough to be the question's focus ("pope", "rohingya"). Chosen on dev."""
UNHELD_DENSE = 0.51
"""A question with a word no record holds is answered only when its best record reaches this
cosine: below it the library's generic sentences on trafficking are all that matched ("How many T
visas...": 0.506; "Why do families in war zones marry their girls off so young?": 0.517). Chosen on
dev (evals/questions/dev.jsonl)."""
COMMON_ZIPF = 6.0
"""An English word at least this frequent in general text (wordfreq's Zipf scale: "get" 6.3,
"people" 6.3, "way" 6.0; "money" 5.6 and "police" 5.3 stay below) is no word the library lacks:
the wording of the question, not its subject ("how cases get handed over")."""
ASKING = frozenset(
    # verbs and adverbs of asking no record needs to hold ("what did X say", "where do we start")
    "say says said saying tell told teach taught start started mean means actually really "
    "anything something everything always never else look like want wants need needs".split()
)


@dataclass(frozen=True)
class RareWords:
    """The question's rarest content words by the library's IDF: `held` are held by a few records
    (each must be mentioned by the evidence), `unheld` by none (misspellings and names aside)."""

    held: tuple[str, ...] = ()
    unheld: tuple[str, ...] = ()

    def missing(self, hits: Sequence) -> list[str]:
        """The unheld words, when no hit's cosine reaches `UNHELD_DENSE` and no hit mentions a
        held word (then only generic sentences matched a question on them). Held words rank the
        records that hold them first instead: a few records hold them, so requiring them made
        answerable questions abstain on dev."""
        best = max((h.dense_score or 0.0 for h in hits), default=0.0)
        if not self.unheld or best >= UNHELD_DENSE:
            return []
        if self.held and len(missing_focus(self.held, [h.record for h in hits])) < len(self.held):
            return []  # "...who want to film trafficked beneficiaries": a rare word is held
        return list(self.unheld)


def rare_words(
    question: str,
    share: Callable[[str], float],
    vocabulary: Collection[str] = (),
    max_share: float = RARE_SHARE,
) -> RareWords:
    """The content words of `question` that `share` (the share of records holding a word, from the
    BM25 index) says at most `max_share` of the library holds. A word held by none is `unheld`
    unless it is capitalised (a name: `focus_terms` reads it), a word of asking (`ASKING`), a
    verb form ("-ing", "-ed"), a phrase of the informal table (`assistant.reading.informal`: "cops",
    "film"), or a misspelling of a word of `vocabulary` ("victms": "victims").
    Words that ask for documents ("published", "reports", "guides": rule `about_documents`) are no
    focus either: they say what kind of record is wanted, not what it is about."""
    # A name with or without its possessive ("Sweden's": "sweden" as well as "swedens").
    capitalised = {
        fold(w)
        for pattern in (r"\b[A-ZÁÉÍÓÚÑ][\w'’-]*", r"\b[A-ZÁÉÍÓÚÑ][\w-]*")
        for w in re.findall(pattern, question)
    }
    # A word the informal table reads ("film", "cops") is searched as the library's words
    # ("media", "law enforcement"): it is no word the library lacks.
    informal_words = informal.typed_words(question)
    held: list[str] = []
    unheld: list[str] = []
    for word in dict.fromkeys(content_words(question)):
        if word.isdigit() or word in capitalised or word in ASKING or len(word) < 3:
            continue
        if DOC_WORDS.fullmatch(word):
            continue
        part = share(word)
        if 0.0 < part <= max_share:
            held.append(word)
        elif part == 0.0 and not word.endswith(("ing", "ed", "ly")) and word not in informal_words:
            if not _common(word) and not _near(word, vocabulary):
                unheld.append(word)
    return RareWords(tuple(held), tuple(unheld))


def _common(word: str) -> bool:
    """Whether `word` is among the most frequent words of English (`COMMON_ZIPF`)."""
    from wordfreq import zipf_frequency  # its word lists load on first use, not at import

    return zipf_frequency(word, "en") >= COMMON_ZIPF


def _near(word: str, vocabulary: Collection[str]) -> bool:
    """Whether `vocabulary` holds another form of `word` ("smugglers": "smuggling", six letters in
    common) or a word it misspells ("victms": "victims", "afect": "affected"). A word shorter than
    the speller's `MIN_LETTERS` is no misspelling ("apps" is not "apply"), as in
    `assistant.reading.spelling`."""
    if len(word) >= 7 and any(v.startswith(word[:6]) for v in vocabulary):
        return True
    if len(word) < MIN_LETTERS:
        return False
    return closest(word, vocabulary, 0.75) is not None


def acronyms(question: str) -> set[str]:
    """The all-capital words of `question`, folded ("SDG", "UNSCR", "MS-13" -> "ms13")."""
    return {fold(a).replace("-", "") for a in re.findall(r"\b[A-Z]{2,}[\w-]*", question)}


def title_words(question: str, content: Collection[str]) -> list[str]:
    """The words of a short question that a title must hold: its `content` words, acronyms and
    numbers, a number kept whole ("8.7"), hyphens dropped ("MS-13" -> "ms13")."""
    caps = acronyms(question)
    words = [
        w.replace("-", "")
        for w in re.findall(r"\w(?:[\w.-]*\w)?", fold(question))
        if w in content or re.search(r"\d", w) or w.replace("-", "") in caps
    ]
    return [w for w in words if len(w) >= 2]


# -- figures: a question that asks how many must be answered by a record that gives a number ------

_FIGURE = re.compile(
    r"(?<![\w.-])\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half|"
    r"thirds?|quarters?|percent|majority|minority|uno|una|dos|tres|cuatro|cinco|seis|siete|"
    r"ocho|nueve|diez|cien|cientos|mil|miles|millones|mitad|mayor[ií]a)\b",
    re.I,
)


FIGURE_WORD_SHARE = 0.2
"""A word held by at least this share of the records ("trafficking", "victims", "involved") does
not tie a figure to the question (`gives_figure`). Chosen on dev3 and dev_classes."""


def figures(text: str) -> set[str]:
    """The numbers `text` gives, folded: digits other than years, and number words ("nine",
    "183", "half", "majority"); not "hundreds of thousands", which counts nothing asked."""
    return {
        fold(m.group(0)).rstrip(".,")
        for m in _FIGURE.finditer(text)
        if not _YEAR.match(m.group(0).rstrip(".,"))
    }


def gives_figure(question: str, records: Iterable, share: Callable[[str], float]) -> bool:
    """Whether one of `records` gives, in a sentence of its title or abstract, a figure the
    question does not already hold ("which four countries": "four" is the question's own) beside a
    word of the question that `share` (the share of records holding a word) says fewer than half
    the library holds: "72 percent of detected victims are women" answers what share of victims
    are women, not how many GBV cases a study recorded. A question with no such word of its own
    (the follow-up "in how many countries was the research done?") takes any figure."""
    own = figures(question)
    asking = BY_NAME["asks_quantity"].pattern.sub(" ", question)  # not "share", "many", "rate"
    words = {
        stem
        for word in content_words(asking)
        if 0.0 < share(word) < FIGURE_WORD_SHARE
        for stem in tokenize(word)
    }
    for record in records:
        for sentence in (record.title, *split_sentences(record.abstract or "")):
            if figures(sentence) - own and (not words or words & set(tokenize(sentence))):
                return True
    return False
