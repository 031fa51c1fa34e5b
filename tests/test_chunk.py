"""Chunking: every chunk fits the model whole, long abstracts overlap, ids are stable."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from ingest import parse_path
from ingest.chunk import chunk_record
from kernel.models import Record

LIBRARY = Path(__file__).resolve().parent.parent / "data" / "library"


def _training_manual() -> Record:
    records = parse_path(LIBRARY / "003_2117f042c9feb1fa.txt")
    return next(
        r for r in records if r.title.startswith("Training Manual to Fight Trafficking in Children")
    )


def _words(text: str) -> int:
    return len(text.split())


@pytest.mark.slow
def test_chunk__long_abstract_becomes_overlapping_chunks_that_fit_the_model(embedder):
    record = _training_manual()
    assert embedder.count_tokens(record.abstract) > embedder.max_tokens, (
        "the seed's manual must need splitting"
    )
    chunks = chunk_record(record, embedder, max_tokens=200, overlap=40)

    assert len(chunks) >= 3
    for chunk in chunks:
        # The model reads max_seq_length word pieces including [CLS] and [SEP]: nothing is cut off.
        assert embedder.count_tokens(chunk.text) + 2 <= embedder.max_tokens
        assert embedder.count_tokens(chunk.text) <= 200
        assert chunk.text.startswith(record.title + "\n"), "the title is part of what is embedded"
        assert chunk.text.endswith(record.abstract[chunk.start : chunk.end].strip())
        assert chunk.record_id == record.id
    # Consecutive chunks overlap, and together they cover the whole abstract.
    for before, after in pairwise(chunks):
        assert after.start < before.end, (before, after)
        assert after.start > before.start
    assert chunks[0].start == 0
    assert chunks[-1].end == len(record.abstract.rstrip())
    # Pieces end on sentence boundaries where the sentences allow it.
    assert (
        sum(
            record.abstract[c.start : c.end].rstrip().endswith((".", "!", "?", ";", ":"))
            for c in chunks
        )
        >= len(chunks) - 1
    )


@pytest.mark.slow
def test_chunk__ids_are_stable_and_change_with_the_text(embedder):
    record = _training_manual()
    first = chunk_record(record, embedder, 200, 40)
    again = chunk_record(record, embedder, 200, 40)
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == len(first)
    edited = Record(
        id=record.id, title=record.title, abstract="A new opening sentence. " + record.abstract
    )
    assert chunk_record(edited, embedder, 200, 40)[0].id != first[0].id


def test_chunk__short_record_is_one_chunk_with_title_and_abstract():
    record = Record(id="r-1", title="Short Title", abstract="One sentence. Two sentences.")
    chunks = chunk_record(record, _words, max_tokens=200, overlap=40)
    assert [(c.index, c.text, c.start, c.end) for c in chunks] == [
        (0, "Short Title\nOne sentence. Two sentences.", 0, len(record.abstract))
    ]


def test_chunk__record_without_abstract_embeds_its_title():
    chunks = chunk_record(Record(id="r-2", title="Only A Title"), _words, 200, 40)
    assert [c.text for c in chunks] == ["Only A Title"]


def test_chunk__one_endless_sentence_is_cut_between_words_within_the_budget():
    abstract = " ".join(f"word{i}" for i in range(500))  # no sentence boundary at all
    record = Record(id="r-3", title="T", abstract=abstract)
    chunks = chunk_record(record, _words, max_tokens=100, overlap=20)
    assert len(chunks) > 5
    for chunk in chunks:
        assert _words(chunk.text) <= 100
        piece = abstract[chunk.start : chunk.end]
        assert (
            piece.startswith("word") and piece.split()[-1] in abstract.split()
        )  # whole words only
    for before, after in pairwise(chunks):
        assert after.start < before.end  # overlapping
    assert chunks[-1].end == len(abstract)
