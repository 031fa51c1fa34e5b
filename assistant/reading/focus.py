"""The focus of a question: the names and numbers it turns on, which an answer's evidence must cover.

"What share of trafficking victims in Libya are men?" is about trafficking, so the library's
generic sentences on trafficking pass the relevance gate; but it turns on Libya, and a quote that
never mentions Libya does not answer it. `focus_terms` reads the capitalised names (a run of
capitalised words, "Kevin Hyland", "World Cup"), acronyms and numbers other than years (years are
events or filters, `assistant.query`); the first word of a sentence counts only as an acronym or a
number, and a name that asks or wants something is a person who is not the subject ("Chad asked
whether...", rule `person_name`). `missing_focus` returns the focus terms that none of the given
records' titles, abstracts, place tags or authors mentions (as a word or the start of one, so "Syria" is
mentioned by "Syrian"); for a Spanish question the glossary's English counts as well ("OIM": "IOM").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from vectorstore.bm25 import fold

from ..glossary import english_terms
from . import informal
from .rules import BY_NAME

_NAME = re.compile(
    r"(?<![\w'’-])([A-ZÁÉÍÓÚÑ][\w'’-]*(?:\s+(?:of\s+|de\s+|del\s+|the\s+)?[A-ZÁÉÍÓÚÑ][\w'’-]*)*)"
)
_NUMBER = re.compile(r"(?<![\w.-])(\d+(?:[.,]\d+)*(?:st|nd|rd|th)?)(?![\w.])")
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
_SENTENCE_START = re.compile(r"(?:^|[.?!:;¿¡\"“(]\s*|\s[-–]\s)$")
_DERIVED = ("ian", "an", "ese", "n", "i")
_IGNORED = frozenset(
    {
        # question and function words that are capitalised for emphasis or by habit, and the library's own
        # generic vocabulary written with capitals
        "i",
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
    """Capitalised names the question uses for people who ask or want something (rule `person_name`)."""
    rule = BY_NAME["person_name"]
    return {m.group(1) for m in rule.pattern.finditer(question)}


def focus_terms(question: str) -> list[str]:
    """The names, acronyms and non-year numbers `question` turns on, in order, without repeats."""
    people = person_names(question)
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
        words = [w for w in words if w.casefold() not in _IGNORED and w not in people]
        while words and words[0].casefold() in {"of", "de", "del", "the"}:
            words = words[1:]
        if words:
            out.append(" ".join(re.sub(r"['’]s$", "", w) for w in words))
    for m in _NUMBER.finditer(question):
        number = m.group(1)
        # "8.7", "20th", "2427" turn a question; a bare "3" or "12" numbers a list item or a test case
        if not _YEAR.match(number) and (len(number) >= 3 or not number.isdigit()):
            out.append(number)
    return list(dict.fromkeys(t for t in out if len(t) >= 2 or t.isdigit()))


def _said(term: str, text: str) -> bool:
    words = re.findall(r"[\w.]+", fold(term))
    words = [w.strip(".") for w in words if w.strip(".")]
    if not words:
        return True

    def one(word: str) -> bool:
        stem = word[:-1] if len(word) > 4 and word.endswith("s") else word
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


def mentions_term(term: str, text: str, spanish: bool = False) -> bool:
    """Whether folded `text` (`record_text`) mentions `term`, or for a Spanish question its glossary English."""
    readings = [term]
    if spanish and (english := english_terms(term)):
        readings.append(english)
    readings += [words for _, words in informal.readings(term)]  # "IDPs": "displaced"
    return any(_said(reading, text) for reading in readings)


def missing_focus(terms: Sequence[str], records: Iterable, spanish: bool = False) -> list[str]:
    """The `terms` that none of `records` mentions."""
    texts = [record_text(r) for r in records]
    return [t for t in terms if not any(mentions_term(t, text, spanish) for text in texts)]
