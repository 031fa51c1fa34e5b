"""A practitioner's wording read in the library's words: spelling, informal words, follow-ups.

`Wording.for_library(records, embedder)` is built once per index generation (by the Assistant);
`Wording.read(question)` returns the question with its misspelt words corrected against the
library (`assistant.reading.spelling`) and its informal phrases in the library's words
(`assistant.reading.informal`), and the notice that tells the user what was searched instead of
what they typed. English questions only: Spanish ones have the glossary (`assistant.glossary`).

`follow_up_query(own, earlier)` is what a follow-up searches: its own words lead (given twice, so
that they weigh more than the earlier turns in both the embedding and BM25) and the earlier turns
fill in what it leaves out ("and what about children?" after a question on armed conflict).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..models import Notice
from .informal import in_library_words, typed_words
from .spelling import Spelled, Speller


@dataclass(frozen=True)
class Worded:
    """A question with its spelling corrected (`text`, which filters are read from) and the
    `notice` that says so (None when nothing was corrected); `search(query)` puts its informal
    phrases in the library's words."""

    text: str
    notice: Notice | None = None
    english: bool = False
    """Only an English question's informal phrases are read (Spanish has the glossary)."""

    def search(self, query: str) -> str:
        return in_library_words(query) if self.english else query


class Wording:
    def __init__(self, speller: Speller) -> None:
        self.speller = speller

    @classmethod
    def for_library(cls, records: Iterable, embedder=None) -> Wording:
        """Over the records' titles and abstracts; the embedding model's whole words (when its
        tokenizer has a vocabulary) are English words never corrected."""
        vocabulary = getattr(getattr(embedder, "tokenizer", None), "get_vocab", None)
        known = [w for w in vocabulary() if w.isalpha()] if callable(vocabulary) else []
        texts = [f"{r.title}\n{r.abstract or ''}" for r in records]
        return cls(Speller.from_texts(texts, known))

    def read(self, question: str) -> Worded:
        spelled: Spelled = self.speller.correct(question, keep=typed_words(question))
        return Worded(spelled.text, notice=spelled.notice(), english=True)


def follow_up_query(own: str, earlier: Sequence[str]) -> str:
    """The text a follow-up searches: its own words first and twice, then the earlier turns."""
    return " ".join([own, own, *earlier])
