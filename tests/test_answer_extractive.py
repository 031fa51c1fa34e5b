"""The default answerer: only sentences quoted verbatim from the sources, each cited, several
sources."""

from __future__ import annotations

import re
import zlib

import numpy as np
import pytest

from assistant.answer import LABEL, ExtractiveAnswerer
from assistant.guard import MARKER_RE, check_citations
from assistant.models import Hit
from kernel.models import Record
from kernel.text import split_sentences

CONFLICT = Record(
    id="r-conflict",
    title="Modern Slavery and Trafficking in Conflict",
    year=2016,
    abstract=(
        "Violent conflict greatly increases the vulnerability of civilian populations to human "
        "trafficking. "
        "Refugees and other migrants displaced by armed conflict are particularly vulnerable to "
        "trafficking. "
        "The report was presented at a meeting in New York in the autumn. "
        "Armed groups traffic children as soldiers and sell women into sexual slavery during "
        "conflict."
    ),
)
POST_CONFLICT = Record(
    id="r-post",
    title="Trafficking in Human Beings in Conflict and Post-Conflict Situations",
    year=None,
    abstract=(
        "Human trafficking takes on particularly abhorrent dimensions during and after armed "
        "conflict. "
        "The breakdown of law and order in conflict lets traffickers operate with impunity [3]. "
        "Collapsed institutions after armed conflict leave displaced people exposed to human "
        "trafficking."
    ),
)
COOKING = Record(
    id="r-cooking",
    title="Bread Baking at Home",
    year=2021,
    abstract="Knead the dough for ten minutes until it is smooth and elastic. Bake the loaf in a "
    "hot oven for forty minutes.",
)
QUESTION = "How does armed conflict increase human trafficking?"


class HashingEmbedder:
    """A fast stand-in for MiniLM: normalised bag of hashed words (shared words mean similarity)."""

    dimension = 256

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        self.batches.append(list(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                if len(word) > 3:
                    out[i, zlib.crc32(word[:6].encode()) % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


def _hits(*records: Record) -> list[Hit]:
    return [
        Hit(r, 1.0 - 0.1 * i, chunk_text=f"{r.title}. {r.abstract}", rank=i)
        for i, r in enumerate(records)
    ]


def _assert_quoted_and_cited(text: str, hits: list[Hit]) -> set[int]:
    """Every sentence after the label is verbatim from the abstract it cites and ends with [n]."""
    sentences = split_sentences(text)
    assert sentences[0] == LABEL
    cited = set()
    for sentence in sentences[1:]:
        markers = [int(m.group(2)) for m in MARKER_RE.finditer(sentence)]
        assert len(markers) == 1 and sentence.endswith(f"[{markers[0]}]"), sentence
        quote = MARKER_RE.sub("", sentence).strip()
        assert quote in " ".join(hits[markers[0] - 1].record.abstract.split()), quote
        cited.add(markers[0])
    return cited


def test_extractive__quotes_sentences_verbatim_each_followed_by_its_marker():
    hits = _hits(CONFLICT, POST_CONFLICT, COOKING)
    text = ExtractiveAnswerer(HashingEmbedder()).answer(QUESTION, hits)

    cited = _assert_quoted_and_cited(text, hits)
    assert cited == {1, 2}  # both relevant sources, not the recipe
    guard = check_citations(text, hits)
    assert guard.warnings == () and all(v.problem is None for v in guard.verdicts)


def test_extractive__embeds_the_question_and_a_few_candidates_in_one_batch():
    embedder = HashingEmbedder()
    ExtractiveAnswerer(embedder, max_candidates=4).answer(
        QUESTION, _hits(CONFLICT, POST_CONFLICT, COOKING)
    )

    assert len(embedder.batches) == 1
    assert embedder.batches[0][0] == QUESTION and len(embedder.batches[0]) == 5


def test_extractive__one_source_does_not_fill_the_answer():
    hits = _hits(CONFLICT, POST_CONFLICT)
    text = ExtractiveAnswerer(HashingEmbedder(), max_sentences=2).answer(QUESTION, hits)

    assert _assert_quoted_and_cited(text, hits) == {1, 2}


def test_extractive__skips_sentences_that_carry_their_own_bracketed_numbers():
    text = ExtractiveAnswerer(HashingEmbedder()).answer(QUESTION, _hits(POST_CONFLICT))
    assert "impunity" not in text


def test_extractive__orders_by_source_rank_then_position():
    hits = _hits(CONFLICT, POST_CONFLICT)
    text = ExtractiveAnswerer(HashingEmbedder(), max_sentences=4).answer(QUESTION, hits)

    order = [
        (
            int(m.group(2)),
            hits[int(m.group(2)) - 1].record.abstract.index(MARKER_RE.sub("", s).strip()),
        )
        for s in split_sentences(text)[1:]
        for m in MARKER_RE.finditer(s)
    ]
    assert order == sorted(order)


def test_extractive__stream_yields_the_same_answer_in_pieces():
    answerer = ExtractiveAnswerer(HashingEmbedder())
    hits = _hits(CONFLICT, POST_CONFLICT)
    pieces = list(answerer.stream(QUESTION, hits, history=[("earlier", "answer")]))

    assert len(pieces) > 2 and pieces[0] == LABEL
    assert "".join(pieces) == answerer.answer(QUESTION, hits)


def test_extractive__no_quotable_sentence_gives_an_empty_answer():
    empty = Record(id="r-empty", title="Untitled", abstract="")
    assert ExtractiveAnswerer(HashingEmbedder()).answer(QUESTION, _hits(empty)) == ""
    assert ExtractiveAnswerer(HashingEmbedder()).answer(QUESTION, []) == ""


@pytest.mark.slow
def test_extractive__with_the_real_model_cites_both_relevant_sources_and_not_the_recipe(embedder):
    hits = _hits(COOKING, CONFLICT, POST_CONFLICT)
    text = ExtractiveAnswerer(embedder, max_sentences=4).answer(
        "Why are people displaced by war at risk of being trafficked?", hits
    )

    cited = _assert_quoted_and_cited(text, hits)
    assert cited == {2, 3}
    assert "New York" not in text  # the off-topic sentence of a relevant source is left out
