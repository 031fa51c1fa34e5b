"""Text utilities every layer shares, one of each: folding, word keys, stop words, the plural rule,
index tokens, fuzzy similarity and the sentence splitter.

    fold("Niños")                      "ninos"       lower case, accents removed
    normalize_title("Fighting: 10 Ideas")  "fighting 10 ideas"  the key record ids derive from
    word_key("A claim, quoted.")       "a claim quoted"  words only, for comparing sentences
    singular("victims")                "victim"      the one plural rule
    stop_words()                       English and Spanish stop words (bm25s's lists), folded
    tokenize(text)                     the BM25 index's tokens (stop words dropped, English stems)
    similarity(a, b)                   0..1, rapidfuzz's normalised Indel similarity
    closest(word, choices, cutoff)     the choice most similar to `word`, if similar enough
    sentence_spans(text)               where each sentence is (what the guard and the UI show)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "closest",
    "content_words",
    "fold",
    "normalize_title",
    "sentence_spans",
    "similarity",
    "singular",
    "split_sentences",
    "stop_words",
    "tokenize",
    "word_key",
]

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_ORGANIZ = "organiz"


# --------------------------------------------------------------------------- folding and keys
def fold(text: str) -> str:
    """Lower case, accents removed: what tokens and topic words are compared in
    ("Niños" -> "ninos")."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalize_title(title: str) -> str:
    """Case-, accent-, punctuation- and space-insensitive key for comparing titles.

    "Fighting Human Trafficking in Conflict: 10 Ideas" and
    "fighting human trafficking in conflict 10 ideas" give the same key. Record ids derive from
    it, so it never changes.
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("'", "")
    text = _PUNCT.sub(" ", text.casefold())
    return _SPACE.sub(" ", text).strip()


def word_key(text: str) -> str:
    """The words of `text`, lower case, one space apart: two sentences that differ only in
    punctuation, markers or spacing have the same key."""
    return " ".join(_WORD.findall(text.casefold()))


def singular(word: str) -> str:
    """The plural rule: a final "s" dropped from a word of five letters or more, but not "ss"."""
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


# --------------------------------------------------------------------------- words and tokens
@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English and Spanish stop words (bm25s's lists), folded."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_SPANISH

    return frozenset(fold(w) for w in (*STOPWORDS_EN_PLUS, *STOPWORDS_SPANISH))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """The BM25 index's tokens for `text` (also used for queries)."""
    stop = stop_words()
    words = [w for w in _TOKEN.findall(fold(text)) if w not in stop]
    stems = _stemmer().stemWords(words) if words else []
    # The English stemmer makes "organization" and "organized" "organ": every IOM record would
    # match a question on organ trafficking. They keep a stem of their own (British spellings too).
    return [
        _ORGANIZ if w.startswith(("organiz", "organis")) else s
        for w, s in zip(words, stems, strict=True)
    ]


def content_words(text: str) -> list[str]:
    """The words of `text` an index would keep (three letters or more, not stop words), unstemmed,
    in order."""
    stop = stop_words()
    return [w for w in _TOKEN.findall(fold(text)) if len(w) >= 3 and w not in stop]


def similarity(a: str, b: str) -> float:
    """How alike two strings are, 0 to 1 (rapidfuzz's normalised Indel similarity: the same
    figure as difflib's `SequenceMatcher.ratio()` without its junk heuristic, much faster)."""
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(a, b)


def closest(word: str, choices: Iterable[str], cutoff: float) -> str | None:
    """The one of `choices` most similar to `word` (`similarity`), if that is at least `cutoff`:
    difflib's `get_close_matches(word, choices, 1, cutoff)`, scored by rapidfuzz."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    found = process.extractOne(
        word, choices, scorer=Indel.normalized_similarity, score_cutoff=cutoff
    )
    return found[0] if found else None


# --------------------------------------------------------------------------- sentences
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "no",
    "nos",
    "inc",
    "ltd",
    "jr",
    "sr",
    "fig",
    "al",
    "approx",
    "art",
    "para",
    "cf",
    "op",
    "vol",
    "pp",
    "p",
    "eds",
    "ed",
}
_END = re.compile(r"[.!?]+[\"')”’»]*(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])*")
_START_OK = re.compile(r"[\"'“‘«(\[A-Z0-9ÁÉÍÓÚÑ¿¡]")
_INITIALS = re.compile(r"[A-Za-z](?:\.[A-Za-z])*")
# Listing pages often lose the space between sentences ("... by experts.Law enforcement ..."):
# a full stop right after a lower-case word and right before a capitalised word still ends one.
_GLUED = re.compile(r"(?<![\w.])[a-z]{3,}$")
_GLUED_NEXT = re.compile(r"[A-Z][a-z]+\b(?![.@/]\w)")


def sentence_spans(text: str, lines: bool = True) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, stripped; markers after a full stop stay with it.

    With `lines`, every line break ends a sentence (answer text: list items, labels); without,
    only blank lines do (abstracts whose lines are wrapped).
    """
    spans: list[tuple[int, int]] = []
    block_re = re.compile(r"[^\n]+") if lines else re.compile(r"(?:[^\n]|\n(?!\s*\n))+")
    for block in block_re.finditer(text):
        start = block.start()
        for match in _END.finditer(text, block.start(), block.end()):
            end = match.end()
            rest = text[end : block.end()]
            stripped = rest.lstrip()
            glued = (
                len(stripped) == len(rest)
                and _GLUED.search(text, start, match.start()) is not None
                and match.group() == "."
                and _GLUED_NEXT.match(rest) is not None
            )
            if (
                stripped
                and not glued
                and (len(stripped) == len(rest) or not _START_OK.match(stripped))
            ):
                continue  # no space after it, or the next word does not start a sentence
            before = text[start : match.start()].split()
            last = before[-1].lstrip("([\"'“") if before else ""
            if match.group().startswith(".") and (
                last.casefold() in _ABBREVIATIONS or _INITIALS.fullmatch(last)
            ):
                continue
            _add_span(text, start, end, spans)
            start = end
        _add_span(text, start, block.end(), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        spans.append((start + lead, end - trail))


def split_sentences(text: str, lines: bool = True) -> list[str]:
    """The sentences of `text` (see `sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text, lines)]
