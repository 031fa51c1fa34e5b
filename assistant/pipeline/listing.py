"""Listings: a question about the library itself ("what do you have on smuggling from 2019?")
names every matching record, each cited."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kernel.models import Record
from kernel.text import content_words, fold, singular

from ..models import Answer, Citation, Filters, Hit, Notice, SentenceVerdict
from ..reading import QueryPlan
from .abstain import Abstentions
from .gate import COMMON_SHARE, RELEVANCE_FLOOR, RELEVANCE_THRESHOLD

TOPIC_MARGIN = 0.05
"""A record joins a topic listing ("what do you have on smuggling?") when its cosine is within this
of the best record's (and passes the relevance gate), or when it mentions the topic's words."""
LISTING_LIMIT = 500


class ListingSteps(Abstentions):
    def _listing(
        self,
        read: QueryPlan,
        filters: Filters,
        allowed: set[str] | None,
        base: dict,
        warnings: list[Notice],
    ) -> Answer:
        if read.topic.strip():
            hits = self.retriever.search(
                read.topic, k=LISTING_LIMIT, filters=filters, words=read.topic_english
            )
            records = self._on_topic(
                hits, read.topic, read.topic_english, narrow=bool(filters.authors)
            )
            if not records:
                return self._nothing(base, warnings, hits, filters, read.spanish)
        else:
            pool = self.retriever.records_by_id.values()
            records = sorted(
                (r for r in pool if allowed is None or r.id in allowed),
                key=lambda r: (-(r.year or 0), r.title.casefold()),
            )
            if len(records) > LISTING_LIMIT:
                warnings.append(
                    Notice("listing_cut", {"shown": LISTING_LIMIT, "total": len(records)})
                )
                records = records[:LISTING_LIMIT]
        scope = f" matching {filters.describe()}" if not filters.is_empty() else ""
        about = f" on {read.topic}" if read.topic.strip() else ""
        plural = "s" if len(records) != 1 else ""
        head = f"The library holds {len(records)} record{plural}{about}{scope}:"
        lines = [f"- {r.title} ({r.year_label}) [{n}]" for n, r in enumerate(records, start=1)]
        citations = tuple(Citation(n, r) for n, r in enumerate(records, start=1))
        verdicts = (SentenceVerdict(head),) + tuple(
            SentenceVerdict(line, markers=(n,), supported=None)
            for n, line in enumerate(lines, start=1)
        )
        return Answer(
            text="\n".join([head, *lines]),
            citations=citations,
            verdicts=verdicts,
            notices=tuple(warnings),
            mode="listing",
            **base,
        )

    def _on_topic(
        self, hits: Sequence[Hit], topic: str, english: str = "", narrow: bool = False
    ) -> list[Record]:
        """The hits a listing on `topic` names: those whose title or abstract mentions all the
        topic's distinctive words (words most records hold, such as "trafficking" in this library,
        are not asked for unless the topic has no other), and those the model ranks close to the
        best that mention at least one of them ("child soldiers": a report on children and armed
        conflict). Within an author's records (`narrow`: "anything by Jelia Sane on health
        workers?") a record that mentions one of the words is close enough at `RELEVANCE_FLOOR`:
        the author already picked a few records out of the library."""
        best = max((h.dense_score or 0.0 for h in hits), default=0.0)
        near = RELEVANCE_FLOOR if narrow else max(RELEVANCE_THRESHOLD, best - TOPIC_MARGIN)
        # A Spanish topic with an English reading: a record may name either.
        readings = []
        for text in filter(None, [topic, english]):
            words = content_words(text)
            # Words no record holds cannot decide either: the model's ranking does ("gangs": MS-13).
            readings.append(
                (words, [w for w in words if 0.0 < self.retriever.bm25.share(w) < COMMON_SHARE])
            )
        out = []
        for h in hits:
            close = (h.dense_score or 0.0) >= near
            text = _folded(h.record)
            if any(
                _says(text, distinctive or words)
                or (close and (not distinctive or any(_says(text, [w]) for w in distinctive)))
                for words, distinctive in readings
            ):
                out.append(h.record)
        return out


def mentions(record: Record, words: Sequence[str]) -> bool:
    """Whether each of `words` appears in the record's title or abstract, as itself or with a plural
    or verb ending ("soldiers": "soldier", "soldiering"), but not inside a longer word ("organ" is
    not "organization"); case and accents aside ("ninos" is "Niños")."""
    return _says(_folded(record), words)


def _folded(record: Record) -> str:
    return fold(f"{record.title} {record.abstract or ''}")


def _says(text: str, words: Sequence[str]) -> bool:
    """`mentions` over a record's `_folded` text, folded once per record rather than per word."""
    return bool(words) and all(
        re.search(rf"(?<!\w){re.escape(singular(fold(w)))}{_ENDINGS}(?!\w)", text) for w in words
    )


_ENDINGS = r"(?:s|es|ing|ed|er|ers|'s|ren)?"
