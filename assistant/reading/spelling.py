"""Misspelt words corrected against the library's own vocabulary.

"traficking of girls in camps", "simmulation excercises", "mandatroy reportng": BM25 finds no
record for a word no record holds, and the embedding model reads a misspelt word as word pieces.
`Speller` corrects a question's words into words the library's titles and abstracts hold (so it
grows with the library and never "corrects" into a word the library lacks), with rapidfuzz's
optimal-string-alignment distance (one edit for words of up to six letters, two for longer; a
swap of two letters is one edit). A word is left as typed when:

- the library holds it, or another form of it (the same BM25 stem: "facilitators") unless the
  near library word is `FAR_MORE` times as frequent (the library's one "Traficked"), or it is a
  word the embedding model knows whole (its tokenizer's vocabulary: "kids", "pope" are English
  words the library merely lacks), or a stop word;
- the user capitalised it ("Darien", "IDPs"): names and acronyms are the user's, except the
  first word of the question written in sentence case, and a name within the edits above of a name
  the library writes capitalised ("Pacfic": "Pacific", "Kosvo": "Kosovo") that is no place of the
  gazetteer ("Malta" stays Malta) and no word the embedding model knows;
- it is shorter than five letters, or an informal phrase of `assistant.reading.informal` reads it;
- no library word is close enough, or two are equally close and equally frequent.

Run-together words with digits take the library's hyphenated form ("ms13": "ms-13", "covid19":
"covid-19"). `Spelled.notice()` tells the user what was searched instead of what they typed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kernel.text import content_words, fold, tokenize

from ..models import Notice

MIN_LETTERS = 5
"""Shorter words are left as typed: one edit turns them into too many other words."""
LONG_WORD = 7
"""Words of at least this many letters may be two edits away from the library's word."""

FAR_MORE = 5
"""A word whose stem the library holds is corrected only into a word this many times as frequent."""

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_LIBRARY_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_NAME_WORD = re.compile(r"(?<![\w-])[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{3,}(?![\w-])")


@dataclass(frozen=True)
class Correction:
    typed: str
    word: str


@dataclass(frozen=True)
class Spelled:
    """A question with its misspelt words corrected."""

    text: str
    corrections: tuple[Correction, ...] = ()

    def notice(self) -> Notice | None:
        """`spelling_corrected`: "searched for 'trafficking' (you typed 'traficking')" (see
        `assistant.notices`); None when nothing was corrected."""
        if not self.corrections:
            return None
        return Notice(
            "spelling_corrected",
            {
                "searched": tuple(c.word for c in self.corrections),
                "typed": tuple(c.typed for c in self.corrections),
            },
        )


class Speller:
    """Corrects words against `vocabulary` (folded library words and how often the library uses
    them); `known` words (the embedding model's) are never corrected."""

    def __init__(
        self, vocabulary: Mapping[str, int], known: Iterable[str] = (), names: Iterable[str] = ()
    ) -> None:
        self.counts = dict(vocabulary)
        self.words = [w for w in self.counts if "-" not in w and w.isalpha() and len(w) >= 3]
        self.names = sorted({fold(n) for n in names} & set(self.words))
        """Folded words the library writes capitalised: what a misspelt name is corrected into."""
        self.joined = {w.replace("-", ""): w for w in self.counts if "-" in w}
        self.stems: Counter[str] = Counter()
        for word in self.words:
            for stem in tokenize(word):
                self.stems[stem] += self.counts[word]
        self.known = frozenset(fold(w) for w in known)

    @classmethod
    def from_texts(cls, texts: Iterable[str], known: Iterable[str] = ()) -> Speller:
        """A speller over the words of `texts` (a library's titles and abstracts)."""
        counts: Counter[str] = Counter()
        capitalised: Counter[str] = Counter()
        for text in texts:
            for word in _LIBRARY_WORD.findall(fold(text)):
                counts[word] += 1
                if "-" in word:
                    counts.update(part for part in word.split("-") if part)
            capitalised.update(fold(w) for w in _NAME_WORD.findall(text))
        # A name is a word the library writes capitalised more often than not ("Pacific"), not a
        # word that opens sentences ("Trafficking in persons...").
        names = [w for w, n in capitalised.items() if 2 * n > counts[w]]
        return cls(counts, known, names)

    def correct(self, text: str, keep: Iterable[str] = ()) -> Spelled:
        """`text` with each misspelt word replaced by the library's word; `keep` are folded words
        to leave as typed (those an informal phrase reads)."""
        kept = {fold(w) for w in keep}
        corrections: list[Correction] = []
        out: list[str] = []
        last = 0
        for m in _WORD.finditer(text):
            typed = m.group(0)
            word = self._word(typed, first=not text[: m.start()].strip(), kept=kept)
            if word is None:
                continue
            out.append(text[last : m.start()] + word)
            last = m.end()
            corrections.append(Correction(typed, word))
        if not corrections:
            return Spelled(text)
        return Spelled("".join(out) + text[last:], tuple(dict.fromkeys(corrections)))

    def _word(self, typed: str, first: bool, kept: set[str]) -> str | None:
        """The library's word for `typed`, or None to leave it as typed."""
        folded = fold(typed)
        if any(ch.isupper() for ch in typed[1:]):
            return None  # an acronym ("IDPs")
        if typed[0].isupper() and not first:
            return self._name(typed, folded)
        if (
            folded in kept
            or folded in self.counts
            or folded in self.known
            or not content_words(folded)  # a stop word
            or "'" in folded
            or "’" in folded
        ):
            return None
        if not folded.isalpha():
            return self.joined.get(folded)  # "ms13": "ms-13"
        if len(folded) < MIN_LETTERS:
            return None
        found = _near(folded, self.words)
        if not found:
            return None
        nearest = min(distance for _, distance, _ in found)
        best = [word for word, distance, _ in found if distance == nearest]
        # The first letter is seldom the one mistyped; then the word the library uses most.
        best.sort(key=lambda w: (w[0] != folded[0], -self.counts[w]))
        # Another form of a library word ("facilitators") stays, unless the library writes that stem
        # rarely and the near word far more often (its "Traficked" beside "trafficking").
        if _inflected(folded, best[0]):
            return None
        stems = tokenize(folded)
        same_stem = sum(self.stems[stem] for stem in stems)
        if stems != tokenize(best[0]) and same_stem and self.counts[best[0]] < FAR_MORE * same_stem:
            return None
        rank = [(w[0] != folded[0], self.counts[w]) for w in best[:2]]
        if len(rank) > 1 and rank[0] == rank[1]:
            return None  # two equally good corrections: leave it to the embedding model
        return best[0]

    def _name(self, typed: str, folded: str) -> str | None:
        """The library's name within one edit (two from seven letters) of a capitalised word
        it lacks, written capitalised ("Pacfic": "Pacific"); None for a word the library or the
        model knows, a short word, a place of the gazetteer or a name as near to two library
        names."""
        if (
            folded in self.counts
            or folded in self.known
            or len(folded) < MIN_LETTERS
            or not folded.isalpha()
        ):
            return None
        found = _near(folded, self.names)
        if len({word for word, _, _ in found}) != 1:
            return None
        from ..places import places_in  # (the gazetteer reads the reading rules)

        if places_in(f"in {typed}"):
            return None  # "Malta", "Benin": a place the library lacks is the user's
        word = found[0][0]
        return word[:1].upper() + word[1:]


def _near(folded: str, words: list[str]) -> list[tuple[str, float, int]]:
    """The `words` within optimal-string-alignment reach of `folded`: one edit, two from
    `LONG_WORD` letters."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    edits = 2 if len(folded) >= LONG_WORD else 1
    return process.extract(folded, words, scorer=OSA.distance, score_cutoff=edits, limit=None)


def _inflected(typed: str, word: str) -> bool:
    """Whether one of the two is the other with an inflection ("facilitators", "facilitator")."""
    short, long = sorted((typed, word), key=len)
    return long.startswith(short) and long[len(short) :] in {"s", "es", "d", "ed", "ing"}
