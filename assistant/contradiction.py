"""Does a sentence contradict the source sentence it matches best? Negation, opposites, numbers,
names.

The similarity scorer (`assistant.guard.SupportScorer`) rewards topical closeness, so "Armed
conflict does not increase the risk" scores as high as the source sentence it negates. After the
scorer has found the closest source sentences, `contradiction(sentence, closest, texts)` looks
for the changes similarity cannot see, one rule a row of `RULES`:

    negation   one of the two has a negation the other lacks ("does not increase" / "increases")
    opposite   the sentence uses a word whose opposite the source uses, and not the word itself
               ("decreases" where the source says "increases")
    number     a number in the sentence that no cited text holds ("40 %" where the source says 90)
    name       a capitalised name or acronym in the sentence that no cited text holds
               ("in Kosovo" where the sources speak of Colombia)

Each rule is a row whose examples (sentence, source, expected) the tests run. The rules and
word lists were chosen on the dev split of `evals/calibration/guard_sentences.jsonl`; `assistant
eval judge` reports them on its test split.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kernel.text import stop_words

__all__ = ["RULES", "Rule", "clauses", "contradiction", "numbers_in"]

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:'[a-z]+)?|\d[\d,.]*")
_NEGATIONS = {
    "not",
    "no",
    "never",
    "none",
    "neither",
    "nor",
    "nobody",
    "nothing",
    "nowhere",
    "cannot",
    "without",
    "hardly",
    "rarely",
    "seldom",
    "fail",
    "fails",
    "failed",
    "lack",
    "lacks",
    "lacking",
    "less",
    "ni",
    "nunca",
    "ningún",
    "ninguna",
    "ninguno",
    "sin",
    "nadie",
    "nada",
}
# Each row: words of one sense, words of the opposite sense (matched as word prefixes).
_OPPOSITES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        (
            "increas",
            "rise",
            "rises",
            "rising",
            "rose",
            "grow",
            "grew",
            "swell",
            "surg",
            "raise",
            "boost",
            "heighten",
            "exacerbat",
            "worsen",
            "amplif",
            "escalat",
        ),
        (
            "decreas",
            "reduc",
            "fall",
            "fell",
            "declin",
            "drop",
            "lower",
            "shrink",
            "diminish",
            "lessen",
            "cut",
            "curb",
        ),
    ),
    (
        ("more", "greater", "higher", "larger", "most", "majority"),
        ("less", "fewer", "lower", "smaller", "least", "minority"),
    ),
    (
        ("strengthen", "improv", "enhanc", "facilitat", "help", "support", "protect"),
        ("weaken", "undermin", "hinder", "imped", "obstruct", "harm", "endanger"),
    ),
    (("vulnerab", "risk", "exposed"), ("safe", "immune", "protected", "resilien")),
    (
        ("coordinated", "coherent", "effective", "sufficient", "adequate", "equal"),
        (
            "fragmented",
            "uncoordinated",
            "incoherent",
            "ineffective",
            "insufficient",
            "inadequate",
            "unequal",
        ),
    ),
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "half": 50,
    "first": 1,
    "second": 2,
    "third": 3,
    "twentieth": 20,
    "20th": 20,
}
_NUMBER = re.compile(r"(?<![\w-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w-])")
_NAME = re.compile(r"\b(?:[A-Z][a-zà-ÿ]+(?:-[A-Z][a-z]+)?|[A-Z]{2,}[a-z]?s?)\b")
_NOT_NAMES = {
    "The",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Their",
    "They",
    "It",
    "Its",
    "In",
    "On",
    "At",
    "As",
    "By",
    "For",
    "From",
    "With",
    "Without",
    "According",
    "Although",
    "While",
    "When",
    "Where",
    "However",
    "Moreover",
    "Both",
    "Most",
    "Many",
    "Some",
    "Such",
    "An",
    "A",
    "And",
    "But",
    "Or",
    "If",
    "Because",
    "Since",
    "Over",
    "Under",
    "During",
    "After",
    "Before",
    "Between",
    "Among",
    "Across",
    "Yet",
    "Also",
    "Only",
    "Even",
    "Source",
    "Sources",
    "Report",
    "Reports",
    "Study",
    "Paper",
    "Note",
    "Guide",
    "Overall",
    "Finally",
    "First",
    "Second",
    "Third",
    "Meanwhile",
    "Further",
    "Furthermore",
    "Instead",
    "Indeed",
    "Thus",
    "Hence",
    "Therefore",
    "Not",
    "No",
    "Yes",
    "Key",
    "Summary",
    "Findings",
    "Answer",
    "Here",
    "We",
    "Our",
    "You",
    "Your",
    "He",
    "She",
    "La",
    "El",
    "Los",
    "Las",
    "En",
    "Según",
    "Sin",
    "Con",
    "Por",
    "Para",
    "Una",
    "Un",
}


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text.replace("’", "'"))]


def _negations(text: str) -> int:
    words = _words(text)
    return sum(w in _NEGATIONS or w.endswith("n't") for w in words)


def _senses(text: str) -> set[tuple[int, int]]:
    """(row, side) of each opposite-table word in the text."""
    found = set()
    for word in _words(text):
        for row, sides in enumerate(_OPPOSITES):
            for side, stems in enumerate(sides):
                if any(
                    word == stem or (len(stem) >= 4 and word.startswith(stem)) for stem in stems
                ):
                    found.add((row, side))
    return found


def numbers_in(text: str) -> set[float]:
    """The numbers a text states, in digits or words ("ninety percent" -> 90)."""
    out = {float(m.group(1).replace(",", "")) for m in _NUMBER.finditer(text)}
    out |= {float(_NUMBER_WORDS[w]) for w in _words(text) if w in _NUMBER_WORDS}
    return out


def _names(text: str) -> set[str]:
    """Capitalised words and acronyms that are not the first word of a clause or common openers."""
    out = set()
    for m in _NAME.finditer(text):
        word = m.group()
        before = text[: m.start()].rstrip(" *_\"'“«(")
        if (
            not before
            or before.endswith((".", ":", "!", "?", "#", ">", "|", "-", "•"))
            or word in _NOT_NAMES
        ):
            continue
        out.add(word)
    return out


def _negation(sentence: str, best: str, texts: Sequence[str]) -> str | None:
    if (_negations(sentence) > 0) != (_negations(best) > 0):
        return "negation"
    return None


def _opposite(sentence: str, best: str, texts: Sequence[str]) -> str | None:
    mine, theirs = _senses(sentence), _senses(best)
    for row, side in mine:
        if (row, 1 - side) in theirs and (row, side) not in theirs:
            return "opposite"
    return None


def _number(sentence: str, best: str, texts: Sequence[str]) -> str | None:
    held = set().union(*(numbers_in(t) for t in texts)) if texts else set()
    return "number" if numbers_in(sentence) - held else None


def _name(sentence: str, best: str, texts: Sequence[str]) -> str | None:
    held = " ".join(_words(" ".join(texts)))
    for name in _names(sentence):
        key = name.casefold()
        if not re.search(rf"\b{re.escape(key.rstrip('s'))}", held):
            return "name"
    return None


@dataclass(frozen=True)
class Rule:
    """One contradiction rule: its name, its check, and examples (sentence, best source sentence,
    fires?)."""

    name: str
    check: Callable[[str, str, Sequence[str]], str | None]
    examples: tuple[tuple[str, str, bool], ...]


RULES: tuple[Rule, ...] = (
    Rule(
        "negation",
        _negation,
        (
            (
                "Armed conflict does not increase the risk of trafficking.",
                "Violent conflict greatly increases the vulnerability of civilian populations to "
                "human trafficking.",
                True,
            ),
            (
                "Conflict greatly increases civilians' vulnerability to trafficking.",
                "Violent conflict greatly increases the vulnerability of civilian populations to "
                "human trafficking.",
                False,
            ),
            (
                "The response is nowhere near equal to the challenge.",
                "The response is yet nowhere near equal to the challenge.",
                False,
            ),
        ),
    ),
    Rule(
        "opposite",
        _opposite,
        (
            (
                "Restrictions on movement are likely to reduce smugglers' profits.",
                "Such measures are also likely to swell the profits of the smuggling industry.",
                True,
            ),
            (
                "Restrictions on movement are likely to swell smugglers' profits.",
                "Such measures are also likely to swell the profits of the smuggling industry.",
                False,
            ),
        ),
    ),
    Rule(
        "number",
        _number,
        (
            (
                "Forty percent of early first births happen within child marriage.",
                "Ninety percent of early first births happen within the context of child marriage.",
                True,
            ),
            (
                "90 % of early first births happen within child marriage.",
                "Ninety percent of early first births happen within the context of child marriage.",
                False,
            ),
        ),
    ),
    Rule(
        "name",
        _name,
        (
            (
                "The report examines trafficking in Kosovo after the war.",
                "The report examines trafficking in Colombia after the war.",
                True,
            ),
            (
                "The report examines trafficking in Colombia after the war.",
                "The report examines trafficking in Colombia after the war.",
                False,
            ),
        ),
    ),
)


_CLAUSE = re.compile(
    r"\s*(?:[,;:–—]\s+|\s(?:but|while|whereas|although|though|yet|however|pero|aunque)\s)\s*", re.I
)


def clauses(text: str) -> list[str]:
    """A sentence cut at commas, semicolons, colons and contrast words ("but", "although")."""
    return [c for c in _CLAUSE.split(text) if c and len(c.split()) >= 2] or [text]


def _content(text: str) -> set[str]:
    return {
        w
        for w in _words(text)
        if w not in stop_words() and w not in _NEGATIONS and not w.endswith("n't")
    }


def _closest_clause(clause: str, candidates: Sequence[tuple[str, set[str]]]) -> str | None:
    """The candidate clause sharing the most content words with `clause` (cosine of word sets);
    `candidates` are (clause, its content words)."""
    mine = _content(clause)
    best, best_overlap = None, 0.0
    for other, theirs in candidates:
        if mine and theirs:
            overlap = len(mine & theirs) / (len(mine) * len(theirs)) ** 0.5
            if overlap > best_overlap:
                best, best_overlap = other, overlap
    return best


def contradiction(sentence: str, closest: Sequence[str], texts: Sequence[str]) -> str | None:
    """The first rule the sentence breaks, or None. The negation and opposite rules compare each
    clause of the sentence with the clause of the closest source sentences (the scorer's best match
    and those within `CLOSE_MARGIN` of it) that shares most of its words; the number and name rules
    look at all the cited texts."""
    if not closest:
        return None
    candidates = [(c, _content(c)) for sentence_ in closest for c in clauses(sentence_)]
    pairs = [(mine, _closest_clause(mine, candidates)) for mine in clauses(sentence)]
    for rule in RULES:
        if rule.name in ("negation", "opposite"):
            found = next(
                (
                    problem
                    for mine, theirs in pairs
                    if theirs and (problem := rule.check(mine, theirs, texts))
                ),
                None,
            )
        else:
            found = rule.check(sentence, closest[0], texts or list(closest))
        if found:
            return found
    return None
