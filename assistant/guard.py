"""The citation guard: every `[n]` must point to a retrieved source that supports its sentence.

`check_citations(text, hits)` parses the markers (`[1]`, `[1, 2]`, `[1][2]`; at most three digits
so a bracketed year such as "[2020]" stays text), then:

- removes a marker that points to no hit and reports it ("removed citation [9]: no such source");
- renumbers the remaining markers 1..m in order of first appearance, so `Citation.n` and the
  text agree; each `Citation.record` is the hit's catalog record (title and year come from there);
- gives every sentence a `SentenceVerdict`: "uncited" when it has no marker (short connecting
  labels ending in ':', headings and statements that the sources hold no information on
  something are exempt), "unsupported" when the abstracts it cites do
  not support it, "removed-marker" when its only markers pointed nowhere. Verdicts never hide
  or change text.

Before the markers, the references the text writes ("Title (Year)", author-year) are resolved
against the catalog (`assistant.reference_check`): unknown sources are removed and wrong years
replaced, and their sentences flagged ("unknown-source", "wrong-year", "unretrieved-source").
Every sentence is read without its Markdown (`assistant.statements`), so a claim in a heading,
bold, a list, a quote, a table or code is "uncited" like any other. A supported sentence that
negates, reverses, or changes a number or name of its closest source sentences is
"contradicted" (`assistant.contradiction`).

Support is `SupportScorer.score`: 1.0 for an exact or near-exact quotation of a cited abstract,
otherwise the highest cosine similarity (all-MiniLM-L6-v2) between the sentence and the cited
abstracts' sentences and pairs of consecutive sentences.

Calibration of `DEFAULT_THRESHOLD`: 40 hand-labelled pairs from the sample library in
`tests/data/support_pairs.jsonl` (20 supported: quotations and paraphrases of the abstract;
20 unsupported: claims about other topics and claims the abstract does not make). The
threshold that maximises accuracy on them is 0.695 (midway between 0.680 and 0.711), at
39/40 = 97.5 % accuracy: supported sentences score 0.61-1.0 (quotations 1.0), claims about
other topics 0.11-0.50, topical claims the abstract does not make 0.49-0.68; the one error is
a loose paraphrase at 0.61. `tests/test_guard.py` recomputes it with `calibrate`. Without a
scorer, only quotations are recognised (score 1.0); other cited sentences are left unchecked
(`supported=None`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from assistant.models import Citation, Hit, Notice, SentenceVerdict
from kernel.cache import BatchCache
from kernel.text import sentence_spans, similarity, split_sentences, word_key

if TYPE_CHECKING:  # pragma: no cover
    from assistant.references import Catalog
    from kernel.models import Record
    from vectorstore.embedding import Embedder

__all__ = [
    "CLOSE_MARGIN",
    "DEFAULT_THRESHOLD",
    "GuardResult",
    "MARKER_RE",
    "SupportScorer",
    "calibrate",
    "check_citations",
    "is_label",
    "markers_of",
    "strip_markers",
]

DEFAULT_THRESHOLD = 0.695
"""Minimum support score of a cited sentence (calibrated; see the module docstring)."""
CLOSE_MARGIN = 0.1
"""Source sentences within this cosine similarity of the best-matching one are also compared by the
contradiction check, which fires only when the sentence contradicts all of them (chosen on the dev
split of evals/calibration/guard_sentences.jsonl)."""

MARKER_RE = re.compile(r"(\s*)\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_SOURCE_WORDS = re.compile(
    r"[\[(]\s*sources?\s+(\d{1,3}(?:\s*(?:,|and|&)\s*\d{1,3})*)\s*[\])]", re.IGNORECASE
)
_REFERENCE_HINT = re.compile(
    r"\([^()]{0,300}?(?:1[89]\d\d|20\d\d|n\.\s?d|nd\b|no date|undated|s\.\s?f|sin fecha)", re.I
)
_DUPLICATE = re.compile(r"\[(\d+)\](?:\s*\[\1\])+")


def strip_markers(sentence: str) -> str:
    """The sentence without its `[n]` markers."""
    return MARKER_RE.sub("", sentence).strip()


def is_label(sentence: str) -> bool:
    """A short connecting label ("Quoted from the library's records:") or a heading: no citation
    needed."""
    text = strip_markers(sentence).strip()
    if not text:
        return True
    if text.startswith("#") or (text.startswith("**") and text.endswith("**")):
        return True
    words = len(text.split())
    return (text.endswith(":") and words <= 12) or (
        words <= 3 and not text.endswith((".", "!", "?"))
    )


def _markers(fragment: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", fragment)]


def markers_of(sentence: str) -> tuple[int, ...]:
    """The source numbers of the sentence's `[n]` markers, each once, in order."""
    return tuple(
        dict.fromkeys(n for m in MARKER_RE.finditer(sentence) for n in _markers(m.group(2)))
    )


# --------------------------------------------------------------------------- support
class Scorer(Protocol):
    def score(self, sentence: str, texts: Sequence[str]) -> float: ...


def is_quotation(sentence: str, texts: Sequence[str], segments: Iterable[str] = ()) -> bool:
    """True when the sentence is an exact or near-exact (≥ 90 % similar) quotation of the texts."""
    needle = word_key(strip_markers(sentence))
    if len(needle) < 12:
        return False
    if any(needle in word_key(text) for text in texts):
        return True
    for segment in segments:
        other = word_key(segment)
        if similarity(needle, other) >= 0.9:
            return True
    return False


def _quoted(sentence: str, texts: Sequence[str], segments: Sequence[str]) -> tuple[str, ...]:
    """The segment a near-exact quotation changes (to compare), or () for an exact one."""
    needle = word_key(strip_markers(sentence))
    if any(needle in word_key(text) for text in texts):
        return ()
    best = max(
        segments,
        key=lambda seg: similarity(needle, word_key(seg)),
    )
    return (best,)


class SupportScorer:
    """How well some texts (cited abstracts) support a sentence, from 0 to 1.

    Abstract segments (sentences and pairs of consecutive sentences) are embedded once and
    cached, so checking several sentences against the same sources costs one batch.
    """

    def __init__(self, embedder: Embedder, cache_size: int = 2048, max_segments: int = 40) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self.max_segments = max_segments
        self._cache: BatchCache[str, object] = BatchCache(cache_size)

    def _segments(self, sentences: list[str]) -> list[str]:
        """A text's sentences and pairs of consecutive sentences, at most `max_segments`."""
        pairs = [f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)]
        return (sentences + pairs)[: self.max_segments]

    def score(self, sentence: str, texts: Sequence[str]) -> float:
        return self.score_many([(sentence, texts)])[0]

    def score_many(self, items: Sequence[tuple[str, Sequence[str]]]) -> list[float]:
        """Scores of several (sentence, texts) pairs, embedding everything new in one batch."""
        return [score for score, _ in self.best_many(items)]

    def best_many(
        self, items: Sequence[tuple[str, Sequence[str]]], margin: float | None = None
    ) -> list[tuple[float, tuple[str, ...]]]:
        """(score, the closest single source sentences) of several (sentence, texts) pairs: the
        best-matching one and any within `margin` (default `CLOSE_MARGIN`) of its similarity, best
        first. A near-exact quotation gives the segment it quotes; an exact one, or no text,
        none."""
        import numpy as np

        results: list[tuple[float, tuple[str, ...]] | None] = [None] * len(items)
        plans: list[tuple[int, str, list[str], int, dict[str, None]]] = []
        split: dict[str, list[str]] = {}  # each cited text split once, however often cited
        for i, (sentence, texts) in enumerate(items):
            for text in texts:
                if text and text not in split:
                    split[text] = _sentences(text)
            cited = [split[text] for text in texts if text]
            singles = dict.fromkeys(s for sentences in cited for s in sentences)
            segments = [seg for sentences in cited for seg in self._segments(sentences)]
            if is_quotation(sentence, texts, segments):
                results[i] = (1.0, _quoted(sentence, texts, segments))
            elif segments:
                scored = list(dict.fromkeys(segments))
                extra = [seg for seg in singles if seg not in scored]
                plans.append((i, strip_markers(sentence), scored + extra, len(scored), singles))
            else:
                results[i] = (0.0, ())
        if plans:
            wanted = list(dict.fromkeys(seg for _, _, segs, _, _ in plans for seg in segs))
            known = self._cache.get_many(wanted)
            new = [seg for seg in wanted if seg not in known]
            vectors = self.embedder.encode([sentence for _, sentence, _, _, _ in plans] + new)
            known.update(zip(new, vectors[len(plans) :], strict=True))
            for k, (i, _, segs, n_scored, single) in enumerate(plans):
                sims = np.clip(np.stack([known[seg] for seg in segs]) @ vectors[k], 0.0, 1.0)
                candidates = [j for j, seg in enumerate(segs) if seg in single] or list(
                    range(len(segs))
                )
                ranked = sorted(candidates, key=lambda j: -sims[j])
                close = CLOSE_MARGIN if margin is None else margin
                results[i] = (
                    float(sims[:n_scored].max()),
                    tuple(segs[j] for j in ranked if sims[j] >= sims[ranked[0]] - close),
                )
            self._cache.put_many({seg: known[seg] for seg in wanted})
        return [(float(r[0]), r[1]) for r in results]  # type: ignore[index]


def _sentences(text: str) -> list[str]:
    """The text's sentences, whitespace collapsed."""
    return [" ".join(s.split()) for s in split_sentences(text, lines=False)]


def calibrate(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """The threshold (midway between neighbouring scores) that maximises accuracy, and that
    accuracy."""
    ordered = sorted(set(scores))
    candidates = (
        [0.0] + [(a + b) / 2 for a, b in zip(ordered, ordered[1:], strict=False)] + [1.0 + 1e-9]
    )
    best = (0.0, -1.0)
    for threshold in candidates:
        accuracy = sum(
            (s >= threshold) == bool(y) for s, y in zip(scores, labels, strict=True)
        ) / max(len(labels), 1)
        if accuracy > best[1]:
            best = (threshold, accuracy)
    return round(best[0], 3), best[1]


# --------------------------------------------------------------------------- the guard
@dataclass(frozen=True)
class GuardResult:
    """The checked answer text: markers renumbered 1..m, citations, per-sentence verdicts."""

    text: str
    citations: tuple[Citation, ...] = ()
    verdicts: tuple[SentenceVerdict, ...] = ()
    notices: tuple[Notice, ...] = ()
    removed_markers: tuple[int, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notices in English (`assistant.notices.render`)."""
        from .notices import render

        return tuple(render(n) for n in self.notices)

    @property
    def flagged(self) -> tuple[SentenceVerdict, ...]:
        return tuple(v for v in self.verdicts if v.problem)


def _without(text: str, start: int, end: int, spans: Sequence[tuple[int, int]]) -> str:
    """text[start:end] without the spans (references naming a source: they are not the claim)."""
    out, cursor = [], start
    for a, b in sorted(spans):
        if a >= cursor and b <= end:
            out.append(text[cursor:a])
            cursor = b
    out.append(text[cursor:end])
    return " ".join("".join(out).split())


def check_citations(
    text: str,
    hits: Sequence[Hit],
    scorer: Scorer | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    catalog: Catalog | Iterable[Record] | Callable[[], Catalog] | None = None,
) -> GuardResult:
    """Check and renumber the `[n]` markers of an answer (n = 1-based index into `hits`), resolve
    the references it writes in its text against `catalog` (default: the hits' records; a callable
    is called only when the text has a parenthesis with a year), and give every sentence, whatever
    its Markdown, a verdict.

    "(Source 2)" and "[Source 1, 3]", which some models write, are read as `[2]` and `[1, 3]`.
    """
    from assistant.contradiction import contradiction
    from assistant.reference_check import rewrite_references
    from assistant.references import Catalog
    from assistant.statements import needs_no_source, plain

    text = _SOURCE_WORDS.sub(lambda m: "[" + ", ".join(re.findall(r"\d+", m.group(1))) + "]", text)
    bad_refs: list = []
    named: list[tuple[int, int]] = []
    if _REFERENCE_HINT.search(
        text
    ):  # a parenthesis with a year: the catalog is needed (built only then)
        if callable(catalog):
            catalog = catalog()
        if not isinstance(catalog, Catalog):
            catalog = Catalog(
                catalog if catalog is not None else dict.fromkeys(h.record for h in hits)
            )
        retrieved = {h.record.id for h in hits}
        text, bad_refs, named = rewrite_references(
            text, catalog, retrieved, [h.record.abstract for h in hits]
        )
    mapping: dict[int, int] = {}
    by_record: dict[str, int] = {}
    citations: list[Citation] = []
    removed: list[int] = []
    for match in MARKER_RE.finditer(text):
        for old in _markers(match.group(2)):
            if not 1 <= old <= len(hits):
                if old not in removed:
                    removed.append(old)
            elif old not in mapping:
                record = hits[old - 1].record
                if record.id not in by_record:
                    by_record[record.id] = len(citations) + 1
                    citations.append(Citation(n=len(citations) + 1, record=record))
                mapping[old] = by_record[record.id]

    def rewrite(match: re.Match[str]) -> str:
        new = list(dict.fromkeys(mapping[n] for n in _markers(match.group(2)) if n in mapping))
        return f"{match.group(1)}[{', '.join(map(str, new))}]" if new else ""

    def renumber(fragment: str) -> str:
        return _DUPLICATE.sub(r"[\1]", MARKER_RE.sub(rewrite, fragment))

    new_text = renumber(text)
    source_of = {c.n: c.record for c in citations}

    verdicts: list[SentenceVerdict | None] = []
    to_score: list[tuple[int, str, str, list[str], list[str]]] = []
    for start, end in sentence_spans(text):
        original = text[start:end]
        sentence = renumber(original).strip()
        markers = markers_of(sentence)
        bad = next((b for b in bad_refs if b.start < end and start < b.end), None)
        if bad is not None:
            verdicts.append(SentenceVerdict(sentence, markers, False, None, bad.problem))
            continue
        if not markers:
            had_removed = any(_markers(m.group(2)) for m in MARKER_RE.finditer(original))
            if had_removed:
                verdicts.append(SentenceVerdict(sentence, (), False, None, "removed-marker"))
            elif needs_no_source(sentence):
                verdicts.append(SentenceVerdict(sentence, (), None, None, None))
            else:
                verdicts.append(SentenceVerdict(sentence, (), False, None, "uncited"))
            continue
        claim = strip_markers(plain(renumber(_without(text, start, end, named))))
        if not claim:
            verdicts.append(SentenceVerdict(sentence, markers, None, None, None))
            continue
        records = [source_of[n] for n in markers]
        texts = [r.abstract or r.title for r in records]
        facts = (
            texts
            + [r.title for r in records]
            + [", ".join(r.authors) for r in records if r.authors]
        )
        to_score.append((len(verdicts), sentence, claim, texts, facts))
        verdicts.append(None)

    if to_score:
        items = [(claim, texts) for _, _, claim, texts, _ in to_score]
        best: list[tuple[str, ...]] = [()] * len(items)
        if scorer is None:
            scores: list[float | None] = [1.0 if is_quotation(s, t) else None for s, t in items]
        elif hasattr(scorer, "best_many"):
            pairs = scorer.best_many(items)  # type: ignore[attr-defined]
            scores, best = [p[0] for p in pairs], [p[1] for p in pairs]
        elif hasattr(scorer, "score_many"):
            scores = list(scorer.score_many(items))  # type: ignore[attr-defined]
        else:
            scores = [scorer.score(s, t) for s, t in items]
        for (index, sentence, claim, _, facts), score, closest in zip(
            to_score, scores, best, strict=True
        ):
            markers = markers_of(sentence)
            if score is None:
                verdicts[index] = SentenceVerdict(sentence, markers, None, None, None)
                continue
            ok = score >= threshold
            problem = None if ok else "unsupported"
            if ok and contradiction(claim, closest, facts):
                ok, problem = False, "contradicted"
            verdicts[index] = SentenceVerdict(
                sentence, markers, ok, round(float(score), 3), problem
            )

    final = tuple(v for v in verdicts if v is not None)
    notices = [Notice("citation_removed", {"n": n}) for n in removed]
    notices += list(
        dict.fromkeys(
            Notice("bad_reference", {"problem": b.problem, "message": b.warning}) for b in bad_refs
        )
    )
    uncited = sum(v.problem in ("uncited", "removed-marker") for v in final)
    unsupported = sum(v.problem == "unsupported" for v in final)
    if uncited:
        notices.append(Notice("uncited", {"count": uncited}))
    if unsupported:
        notices.append(Notice("unsupported", {"count": unsupported}))
    contradicted = sum(v.problem == "contradicted" for v in final)
    if contradicted:
        notices.append(Notice("contradicted", {"count": contradicted}))
    return GuardResult(new_text, tuple(citations), final, tuple(notices), tuple(removed))
