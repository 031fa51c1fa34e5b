"""Token-aware chunking: a record becomes chunks that the embedding model reads whole.

all-MiniLM-L6-v2 silently truncates its input at 256 word pieces (special tokens included),
so every chunk's embedded text (the title, a newline, then a piece of the abstract) is kept
within `max_tokens` and within the model's limit. Pieces end on sentence boundaries where
possible (a sentence longer than a chunk is cut between words), consecutive chunks share about
`overlap` word pieces, `start`/`end` are character offsets into the abstract, a report is
chunked page by page (or section by section) and each chunk keeps its page (`location`,
"p. 12"), and chunk ids are stable:
record id, index and a hash of the text.

Word pieces are counted with the model's own tokenizer (one pass over the abstract, with
offsets); an embedder without one (or a bare counting function) is asked per sentence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kernel.models import Chunk, Record
from kernel.text import sentence_spans

__all__ = ["chunk_record", "chunk_id", "embedded_text"]

SPECIAL_TOKENS = 2  # [CLS] and [SEP]
SAFETY = 2  # word pieces kept free: tokenising a piece alone can differ at its edges
MAX_TITLE_TOKENS = 64
_WORD = re.compile(r"\S+")


def chunk_id(record_id: str, index: int, text: str) -> str:
    """Stable id: the same record, position and text always give the same id."""
    return f"{record_id}:{index}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def embedded_text(title: str, piece: str) -> str:
    """What is embedded for a chunk: the title, then the piece of abstract."""
    title = title.strip()
    piece = piece.strip()
    return f"{title}\n{piece}" if piece and title else (title or piece)


@dataclass
class _Unit:
    start: int
    end: int
    tokens: float


class _Counter:
    """Counts word pieces; spans of word pieces when the model's fast tokenizer is at hand."""

    def __init__(self, source: Any) -> None:
        self.tokenizer = getattr(source, "tokenizer", None)
        if self.tokenizer is not None and not getattr(self.tokenizer, "is_fast", False):
            self.tokenizer = None
        if callable(source) and not hasattr(source, "count_tokens"):
            self.count: Callable[[str], int] = source
            self.limit = None
        else:
            self.count = source.count_tokens
            self.limit = getattr(source, "max_tokens", None)

    def spans(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, word pieces) for each token (with a tokenizer) or word (estimated)."""
        if self.tokenizer is not None:
            enc = self.tokenizer(
                text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
            )
            return [(s, e, 1.0) for s, e in enc["offset_mapping"] if e > s]
        spans: list[tuple[int, int, float]] = []
        for sentence in sentence_spans(text):
            words = [
                (m.start() + sentence[0], m.end() + sentence[0])
                for m in _WORD.finditer(text[sentence[0] : sentence[1]])
            ]
            if not words:
                continue
            weight = self.count(text[sentence[0] : sentence[1]]) / len(words)
            spans.extend((s, e, weight) for s, e in words)
        return spans


def _units(text: str, spans: list[tuple[int, int, float]], piece: float) -> list[_Unit]:
    """Sentences as units; a sentence longer than `piece` word pieces is cut between words."""
    units: list[_Unit] = []
    i = 0
    for s_start, s_end in sentence_spans(text):
        members = []
        while i < len(spans) and spans[i][0] < s_end:
            if spans[i][0] >= s_start:
                members.append(spans[i])
            i += 1
        if not members:
            continue
        total = sum(w for _, _, w in members)
        if total <= piece:
            units.append(_Unit(members[0][0], members[-1][1], total))
            continue
        begin, acc = 0, 0.0
        for j, (_, _, w) in enumerate(members):
            if acc + w > piece and j > begin:
                cut = j
                # Prefer to cut where a new word starts (a gap before the token).
                for k in range(j, max(begin + 1, j - 8), -1):
                    if members[k][0] > members[k - 1][1]:
                        cut = k
                        break
                units.append(
                    _Unit(
                        members[begin][0],
                        members[cut - 1][1],
                        sum(x[2] for x in members[begin:cut]),
                    )
                )
                begin = cut
                acc = sum(x[2] for x in members[begin:j])
            acc += w
        units.append(_Unit(members[begin][0], members[-1][1], sum(x[2] for x in members[begin:])))
    return units


def _pack(units: list[_Unit], budget: float, overlap: float) -> list[tuple[int, int]]:
    """Greedy windows [i, j] of units within `budget`, the next one starting with about `overlap`
    word pieces of the last."""
    windows: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j, total = i, units[i].tokens
        while j + 1 < len(units) and total + units[j + 1].tokens <= budget:
            j += 1
            total += units[j].tokens
        windows.append((i, j))
        if j + 1 >= len(units):
            break
        k, tail = j + 1, 0.0
        while k - 1 > i and tail + units[k - 1].tokens <= overlap:
            k -= 1
            tail += units[k].tokens
        if k == j + 1 and overlap > 0 and j > i and units[j].tokens + units[j + 1].tokens <= budget:
            # the last sentence is longer than the overlap but still fits next to the following one
            k = j
        i = k
    return windows


def chunk_record(
    record: Record, embedder_or_counter: Any, max_tokens: int = 200, overlap: int = 40
) -> list[Chunk]:
    """Split `record` into chunks whose embedded text fits the model; several overlapping ones for a
    long abstract.

    `embedder_or_counter` is an `Embedder` (its tokenizer and `max_tokens` are used), any object
    with `count_tokens(text)` (and optionally `max_tokens`), or a function text -> word pieces.
    """
    counter = _Counter(embedder_or_counter)
    limit = (
        max_tokens
        if counter.limit is None
        else min(max_tokens, int(counter.limit) - SPECIAL_TOKENS)
    )
    title = record.title.strip()
    title_tokens = counter.count(title) if title else 0
    if title_tokens > MAX_TITLE_TOKENS:
        words = title.split()
        while words and counter.count(" ".join(words)) > MAX_TITLE_TOKENS:
            words = words[: max(1, int(len(words) * 0.85))] if len(words) > 1 else []
        title = " ".join(words)
        title_tokens = counter.count(title) if title else 0
    abstract = record.abstract or ""
    budget = max(16, limit - title_tokens - 1 - SAFETY)
    overlap = max(0, min(overlap, budget // 2))
    # A report is chunked page by page (or section by section): a chunk never straddles two pages,
    # so the page it keeps is the page its whole text is on.
    bounds = [start for start, _ in record.locations if 0 < start < len(abstract)]
    segments = (
        list(zip([0, *bounds], [*bounds, len(abstract)], strict=True))
        if bounds
        else [(0, len(abstract))]
    )
    pieces: list[tuple[int, int]] = []
    for seg_start, seg_end in segments:
        segment = abstract[seg_start:seg_end]
        spans = counter.spans(segment) if segment.strip() else []
        if not spans:
            continue
        piece = max(8, overlap) if overlap else budget
        units = _units(segment, spans, min(piece, budget))
        pieces += [
            (seg_start + units[i].start, seg_start + units[j].end)
            for i, j in _pack(units, budget, overlap)
        ]
    if not pieces:
        text = embedded_text(title, "")
        return [
            Chunk(
                id=chunk_id(record.id, 0, text),
                record_id=record.id,
                index=0,
                text=text,
                start=0,
                end=0,
            )
        ]
    chunks: list[Chunk] = []
    for index, (start, end) in enumerate(pieces):
        text = embedded_text(title, abstract[start:end])
        # Units are counted inside the whole abstract; a piece that starts mid-word may count
        # differently alone.
        mid_word = start > 0 and not abstract[start - 1].isspace() and counter.tokenizer is not None
        while mid_word and counter.count(text) > limit and end > start + 1:
            # Rare: tokenising the piece alone came out longer; give back words from its end.
            cut = abstract.rfind(" ", start, end - 1)
            end = cut if cut > start else end - 1
            text = embedded_text(title, abstract[start:end])
        chunks.append(
            Chunk(
                id=chunk_id(record.id, index, text),
                record_id=record.id,
                index=index,
                text=text,
                start=start,
                end=end,
                location=record.location_at(start),
            )
        )
    return chunks
