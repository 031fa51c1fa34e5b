"""The default answerer, no LLM: sentences quoted verbatim from the retrieved abstracts.

`ExtractiveAnswerer.answer(question, hits)` (and `compose`, the `assistant.answering.Answerer`
protocol):

1. splits the abstracts of the first hits into sentences (whitespace collapsed, otherwise
   verbatim); sentences with bracketed numbers, very short or very long ones are skipped;
2. preselects at most `max_candidates` (12) of them lexically (IDF-weighted question words they
   share, whether they lie in the hit's best chunk, the hit's rank), two per source first;
3. embeds the question and those candidates in ONE batch (first `embed_words` words of each;
   vectors are cached by text) and picks up to `max_sentences` by maximal marginal
   relevance among the sentences within 0.15 of the best similarity (and at least 0.25), with a
   penalty per sentence already taken from the same source so that one source does not fill the
   answer; the first hit's best sentence is always taken when it reaches `lead_relevance` (0.15),
   so the record retrieval ranked first is quoted, and a lead's long sentence is also judged by
   its 20 words closest to the question (`_window`);
4. orders them by source rank, then by position in the abstract, and writes each followed by
   `[n]` (n = 1-based index into `hits`), under the label "Quoted from the library's records:".

It writes no text of its own beyond that label; the guard then renumbers the markers 1..m.

Why 12 candidates of at most 20 words, not 40: encoding cost grows with the word pieces in the
batch. Measured on SciFact (200 queries, BM25 top-6 hits, 2 shared cores, quiet machine):
12 x 20 words: answerer p50 56 ms, p95 82 ms; 12 x 30 words: p50 73 ms, p95 116 ms (query
encoding alone 7.4 ms in the same runs). 40 candidates would cost several times that and miss the
150 ms budget for a whole answer. The guard then costs < 1 ms (quotations need no model).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import KW_ONLY, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from assistant.answering import Composition
from assistant.glossary import english_terms
from assistant.models import Hit
from kernel.cache import BatchCache
from kernel.text import sentence_spans, singular, stop_words

if TYPE_CHECKING:  # pragma: no cover
    from assistant.reading import QueryPlan
    from vectorstore.embedding import Embedder

__all__ = ["ExtractiveAnswerer", "LABEL", "LABEL_ES", "quotable_text"]

LABEL = "Quoted from the library's records:"
LABEL_ES = "Citas textuales de los registros de la biblioteca:"
"""The label for a question asked in Spanish (the quotations stay in their records' language)."""
_WORD = re.compile(r"\w+", re.UNICODE)
_BRACKET_NUMBER = re.compile(r"\[\s*\d")
# Words of a question that name no topic, beyond the common stop words.
_ASKING = frozenset(
    """could would also tell show give know want like please find library records record documents
    document report reports""".split()
)


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    """The stop words and `_ASKING`, joined once (`_terms` runs on every candidate sentence)."""
    return stop_words() | _ASKING


def _terms(text: str) -> set[str]:
    """Content words, lightly stemmed (plural 's' dropped) so 'children'/'child' style pairs meet
    often."""
    stop = _stop()
    return {singular(w) for w in _WORD.findall(text.casefold()) if w not in stop and len(w) > 2}


@dataclass
class _Candidate:
    hit_index: int
    position: int
    text: str
    lexical: float
    in_chunk: bool


@dataclass(eq=False)
class ExtractiveAnswerer:
    """A grounded answer made only of sentences quoted from the hits' abstracts, each cited."""

    embedder: Embedder
    max_sentences: int = 5
    _: KW_ONLY
    max_hits: int = 6
    max_candidates: int = 12
    per_source: int = 2
    embed_words: int = 20
    cache_size: int = 4096
    diversity: float = 0.15
    source_penalty: float = 0.06
    min_relevance: float = 0.25
    lead_relevance: float = 0.15
    """The floor for the first hit's best sentence: the gate found the record relevant as a whole,
    and a question whose words spread over several of its sentences ("how victims' cases get
    handed over from one country to another": the referral report, 0.23) matches none of them
    closely. Chosen on the dev sets (0.25, 0.2, 0.15: dev4 and dev recall rose, no correct
    abstention fell)."""
    relative_relevance: float = 0.15
    co_lead_margin: float = 0.07
    label: str = LABEL

    def __post_init__(self) -> None:
        self._cache: BatchCache[str, Any] = BatchCache(self.cache_size)

    # ----------------------------------------------------------------- candidates
    # (a long report's candidates come from the pages around its retrieved chunk: `quotable_text`)
    def candidates(self, question: str, hits: Sequence[Hit]) -> list[_Candidate]:
        """Quotable sentences of the first hits, preselected lexically (at most `max_candidates`).

        Lexical score: IDF-weighted question words the sentence shares (IDF over the candidate
        sentences), per square root of its length, plus a bonus inside the hit's best chunk.
        Each source keeps its best `per_source` sentences before any source gets more.
        """
        wanted = _terms(question)
        found: list[tuple[_Candidate, set[str], int]] = []
        for index, hit in enumerate(hits[: self.max_hits]):
            abstract = quotable_text(hit)
            chunk = " ".join((hit.chunk_text or "").split())
            for position, (start, end) in enumerate(sentence_spans(abstract, lines=False)):
                text = " ".join(abstract[start:end].split())
                words = len(text.split())
                if words < 5 or words > 80 or _BRACKET_NUMBER.search(text) or text.endswith(":"):
                    continue
                in_chunk = bool(chunk) and text in chunk
                found.append(
                    (_Candidate(index, position, text, 0.0, in_chunk), _terms(text), words)
                )
        if not found:
            return []
        df: dict[str, int] = {}
        for _, terms, _ in found:
            for term in terms & wanted:
                df[term] = df.get(term, 0) + 1
        total = len(found)
        for cand, terms, words in found:
            shared = sum(math.log(1 + total / df[t]) for t in terms & wanted)
            cand.lexical = shared / math.sqrt(words) + 0.3 * cand.in_chunk - 0.05 * cand.hit_index
        ranked = sorted((c for c, _, _ in found), key=lambda c: -c.lexical)
        taken: dict[int, int] = {}
        first, rest = [], []
        for cand in ranked:
            count = taken.get(cand.hit_index, 0)
            (first if count < self.per_source else rest).append(cand)
            taken[cand.hit_index] = count + 1
        return (first + rest)[: self.max_candidates]

    def _window(self, text: str, wanted: set[str]) -> str:
        """The `embed_words` words of `text` that are embedded for it: those holding the most
        question words, the first such run ("...; and removal of organs to treat injured
        fighters" at the end of a 44-word sentence, for "organ removal"), or its first words."""
        words = text.split()
        if len(words) <= self.embed_words:
            return text
        held = [bool(_terms(w) & wanted) for w in words]
        counts = [
            sum(held[i : i + self.embed_words]) for i in range(len(words) - self.embed_words + 1)
        ]
        start = max(range(len(counts)), key=lambda i: (counts[i], -i))
        return " ".join(words[start : start + self.embed_words])

    def _vectors(self, texts: list[str]) -> Any:
        """Unit vectors of `texts`, from the cache or one batch for the new ones."""
        import numpy as np

        known = self._cache.get_many(texts)
        new = [t for t in dict.fromkeys(texts) if t not in known]
        if new:
            known.update(zip(new, self.embedder.encode(new, batch_size=64), strict=True))
        vectors = np.stack([known[t] for t in texts])
        self._cache.put_many({t: known[t] for t in texts})
        return vectors

    # ----------------------------------------------------------------- selection
    def select(self, question: str, hits: Sequence[Hit]) -> list[_Candidate]:
        """The chosen sentences, in reading order (source rank, then position)."""
        pool = self.candidates(question, hits)
        if not pool:
            return []
        leads = self._leads(question, hits)
        wanted = _terms(question)
        prefixes = [" ".join(c.text.split()[: self.embed_words]) for c in pool]
        # A lead's sentence is judged by its words closest to the question too: the part of a long
        # sentence that answers may lie past its first `embed_words` words. Only the leads' long
        # sentences need a second vector.
        windows = {
            i: self._window(c.text, wanted)
            for i, c in enumerate(pool)
            if c.hit_index in leads and len(c.text.split()) > self.embed_words
        }
        vectors = self._vectors([question, *prefixes, *windows.values()])
        query, matrix = vectors[0], vectors[1 : len(pool) + 1]
        bonus = [(0.03 if c.in_chunk else 0.0) - 0.01 * c.hit_index for c in pool]
        relevance = [float(r) + b for r, b in zip(matrix @ query, bonus, strict=True)]
        closest = list(relevance)
        for i, vector in zip(windows, vectors[len(pool) + 1 :], strict=True):
            closest[i] = max(closest[i], float(vector @ query) + bonus[i])
        best = max(relevance)
        floor = max(self.min_relevance, best - self.relative_relevance)
        picked: list[int] = []
        per_source: dict[int, int] = {}
        for source, lead_floor in leads.items():
            # The best-matching record is quoted: its sentences may score below another source's
            # on the 20-word prefixes, but retrieval ranked the record itself first. So is each
            # record retrieval ranks as close as `co_lead_margin` to it (two records that both
            # answer the question, such as a factsheet and its companion guidance note): one
            # quoting the other's name must not push the other out as redundant.
            own = [i for i, c in enumerate(pool) if c.hit_index == source]
            if not own or len(picked) >= self.max_sentences:
                continue
            first = max(own, key=lambda i: closest[i])
            if closest[first] >= lead_floor:
                picked.append(first)
                per_source[source] = 1
        while len(picked) < self.max_sentences:
            choice, choice_score = None, -math.inf
            for i, cand in enumerate(pool):
                if i in picked or relevance[i] < floor:
                    continue
                redundancy = max((float(matrix[i] @ matrix[j]) for j in picked), default=0.0)
                if redundancy > 0.9:
                    continue  # a near-duplicate of a sentence already taken
                score = (
                    (1 - self.diversity) * relevance[i]
                    - self.diversity * redundancy
                    - self.source_penalty * per_source.get(cand.hit_index, 0)
                )
                if score > choice_score:
                    choice, choice_score = i, score
            if choice is None:
                break
            picked.append(choice)
            per_source[pool[choice].hit_index] = per_source.get(pool[choice].hit_index, 0) + 1
        return sorted((pool[i] for i in picked), key=lambda c: (c.hit_index, c.position))

    def _leads(self, question: str, hits: Sequence[Hit]) -> dict[int, float]:
        """The hits quoted first, each with the floor its best sentence must reach: the first hit,
        then the hits whose cosine is within `co_lead_margin` of the first's, its companions
        (records of one series whose titles share most words: "COVID-19 Impact on Trafficking in
        Persons - ... Factsheet" and "... Technical Guidance Note"), and the hits whose title holds
        a name the question asks about ("trafficking in the Caribbean": the threat assessment on
        Central America and the Caribbean), in English or in the glossary's English of a Spanish
        title. The first hit and a hit whose title holds every name of the question ("the Human
        Rights Council": "...por el Consejo de Derechos Humanos", whose Spanish sentences the
        English model scores low) need only `lead_relevance`; the others `min_relevance`."""
        if not hits:
            return {}
        top = hits[0].dense_score if hits[0].dense_score is not None else math.inf
        lead = _terms(hits[0].record.title)
        names = _names(question)
        floors = {0: self.lead_relevance}
        for i, h in enumerate(hits[1 : self.max_hits], start=1):
            title = _terms(h.record.title) | _terms(english_terms(h.record.title))
            if names and names <= title:
                floors[i] = self.lead_relevance
            elif (
                (h.dense_score is not None and h.dense_score >= top - self.co_lead_margin)
                or _companion(lead, _terms(h.record.title))
                or bool(names & title)
            ):
                floors[i] = self.min_relevance
        return floors

    # ----------------------------------------------------------------- output
    def pieces(self, question: str, hits: Sequence[Hit], label: str | None = None) -> list[str]:
        """The answer as pieces: the label (`label` or the answerer's), then one paragraph per
        source of cited quotations."""
        chosen = self.select(question, hits)
        if not chosen:
            return []
        pieces = [label or self.label]
        previous = None
        for cand in chosen:
            separator = "\n\n" if cand.hit_index != previous else " "
            pieces.append(f"{separator}{cand.text} [{cand.hit_index + 1}]")
            previous = cand.hit_index
        return pieces

    def answer(self, question: str, hits: Sequence[Hit], label: str | None = None) -> str:
        """Quoted sentences with `[n]` markers; "" when the hits have no quotable sentence."""
        return "".join(self.pieces(question, hits, label))

    def stream(
        self, question: str, hits: Sequence[Hit], history: Sequence[Any] = ()
    ) -> Iterator[str]:
        """The same answer in pieces (the label, then each cited sentence). `history` is not
        needed: the question it gets has already been read in the context of the conversation."""
        yield from self.pieces(question, hits)

    def compose(
        self, plan: QueryPlan, query: str, hits: Sequence[Hit], history: Sequence[Any] = ()
    ) -> Composition:
        """`Answerer.compose`: the quotations for `query` (under the Spanish label for a Spanish
        question), written at once; none when no sentence is close enough to quote."""
        text = self.answer(query, hits, label=LABEL_ES if plan.spanish else None)
        return Composition(tuple(hits), (text,) if text else (), abstain_when_empty=True)


COMPANION_OVERLAP = 0.6
"""Two titles sharing this share of their content words (Jaccard) name companion records."""


def _names(question: str) -> set[str]:
    """The capitalised words of `question` after its first word, as `_terms` ("Caribbean")."""
    words = re.findall(r"(?<=\s)[A-Z][a-z]{3,}", question)
    return _terms(" ".join(words))


def _companion(a: set[str], b: set[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= COMPANION_OVERLAP


QUOTABLE_CHARS = 30_000
"""A report longer than this (about 15 pages) is quoted from the pages around its retrieved chunk
only: splitting and scoring every sentence of a 200-page report took 3.0 s of a 3.5 s answer
(0.55 s with this cap, `benchmarks.pdf_ingest`'s 200-page PDF next to the sample library)."""


def quotable_text(hit: Hit) -> str:
    """The text a hit's sentences are quoted from: the abstract (a short report's whole text), or
    for a long report the page (or section) holding the retrieved chunk and the ones either side."""
    record = hit.record
    abstract = record.abstract or ""
    if len(abstract) <= QUOTABLE_CHARS or not record.locations or not hit.chunk_text:
        return abstract
    title, _, piece = hit.chunk_text.partition("\n")
    location = record.locate(piece or title)
    at = next((i for i, (_, label) in enumerate(record.locations) if label == location), None)
    if at is None:
        return abstract[:QUOTABLE_CHARS]
    starts = [start for start, _ in record.locations] + [len(abstract)]
    return abstract[starts[max(0, at - 1)] : starts[min(len(record.locations), at + 2)]]
