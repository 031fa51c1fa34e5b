"""The Assistant: question in, cited `Answer` out. The CLI, the UI and the evals all use it.

Flow of `ask`:
1. the question is checked (empty -> `QuestionError`; longer than `settings.max_question_chars`
   -> cut, with a warning);
2. it is read (`assistant.reading.read` -> `QueryPlan`): filters it implies, whether it asks
   about the library itself, whether it follows up an earlier turn;
3. explicit filters win over inferred ones; a filter value the catalog does not hold, or
   filters that exclude every record, are reported as `notices` and the answer abstains;
4. retrieval (`Retriever.search`), then the relevance gate: when no hit reaches
   `RELEVANCE_THRESHOLD` the answer says the library holds nothing on this, cites nothing and
   names up to three nearby records (plain titles, not citations);
5. a question about the library lists every matching record, each cited; any other question is
   answered by the configured answerer over the top hits and checked by the citation guard.

Each stage is a step of `assistant.pipeline` with a typed input and output (read -> scope ->
retrieve -> gate -> compose -> guard), mixed into `Assistant`; `ask_stream` chains them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kernel.cache import PerGeneration
from kernel.models import FACETS, Record
from kernel.settings import LLMBackend, Settings

from .models import Answer, Filters
from .pipeline.compose import ComposeSteps
from .pipeline.gate import (  # noqa: F401  (the gate's thresholds, documented here before)
    BM25_RELEVANCE,
    COMMON_SHARE,
    RELEVANCE_FLOOR,
    RELEVANCE_THRESHOLD,
    SAME_LANGUAGE_THRESHOLD,
    SHORT_QUESTION_WORDS,
    GateSteps,
)
from .pipeline.listing import LISTING_LIMIT, TOPIC_MARGIN, ListingSteps, mentions  # noqa: F401
from .pipeline.retrieval import MIN_ENGLISH_PHRASES, RetrieveSteps  # noqa: F401
from .pipeline.scope import ScopeSteps, resolve_value  # noqa: F401
from .reading.wording import Wording
from .retrieve import Retriever

if TYPE_CHECKING:
    from vectorstore.embedding import Embedder
    from vectorstore.store import Store

    from .answering import Answerer
    from .guard import Scorer


class Assistant(ScopeSteps, RetrieveSteps, GateSteps, ListingSteps, ComposeSteps):
    """Answers questions from one library; build it with `Assistant.from_settings`."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        embedder: Embedder,
        retriever: Retriever,
        answerer: Answerer,
        scorer: Scorer | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.retriever = retriever
        self.answerer = answerer
        self.scorer = scorer
        self._kept = PerGeneration()

    @classmethod
    def from_settings(cls, settings: Settings, embedder=None) -> Assistant:
        from vectorstore.store import Store

        from .guard import SupportScorer

        store = Store.open(settings)
        if embedder is None:
            from vectorstore.embedding import Embedder

            embedder = Embedder.from_settings(settings)
        retriever = Retriever(store, embedder, bm25_dir=Path(settings.data_dir) / "bm25")
        answerer: Answerer
        if settings.llm == LLMBackend.NONE:
            from .answer import ExtractiveAnswerer

            answerer = ExtractiveAnswerer(embedder)
        else:
            from .llm import LLMAnswerer

            answerer = LLMAnswerer.from_settings(settings)
        return cls(settings, store, embedder, retriever, answerer, SupportScorer(embedder))

    @cached_property
    def mode(self) -> str:
        return "extractive" if self.settings.llm == LLMBackend.NONE else "llm"

    # -- the catalog -------------------------------------------------------------------------

    def records(self) -> list[Record]:
        self.retriever.refresh()
        return list(self.retriever.records_by_id.values())

    def catalog(self):
        """The catalog the guard resolves an answer's written references against (one per index
        generation)."""
        from .references import Catalog

        self.retriever.refresh()
        return self._per_generation(
            "catalog", lambda: Catalog(self.retriever.records_by_id.values())
        )

    def facets(self) -> dict[str, list]:
        """The values the catalog holds: years, regions, countries, categories, authors."""
        self.retriever.refresh()
        return self._per_generation("facets", self._read_facets)

    def _read_facets(self) -> dict[str, list]:
        recs = self.retriever.records_by_id.values()
        return {
            "years": sorted({r.year for r in recs if r.year is not None}),
            **{
                f: sorted({v for r in recs for v in getattr(r, f)}, key=str.casefold)
                for f in FACETS
            },
        }

    def wording(self) -> Wording:
        """Spelling and informal words read against this library (one per index generation)."""
        self.retriever.refresh()
        return self._per_generation(
            "wording",
            lambda: Wording.for_library(self.retriever.records_by_id.values(), self.embedder),
        )

    def support_score(self, sentence: str, records: Sequence[Record]) -> float:
        """How well the records' abstracts support `sentence` (the guard's similarity)."""
        texts = [r.abstract or r.title for r in records]
        if self.scorer is None or not texts:
            return 0.0
        return float(self.scorer.score(sentence, texts))

    # -- asking ------------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        history: Iterable[Any] = (),
        infer: bool = True,
    ) -> Answer:
        answer = None
        for item in self.ask_stream(question, filters, history, infer):
            answer = item
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(
        self,
        question: str,
        filters: Filters | None = None,
        history: Iterable[Any] = (),
        infer: bool = True,
    ) -> Iterator[str | Answer]:
        """Yield the answer text as it grows (`str`), then the final `Answer`.

        read -> scope -> retrieve -> gate -> compose -> guard (`assistant.pipeline`); a step that
        settles the answer itself (an abstention, a listing) returns that `Answer` instead."""
        filters = filters or Filters()
        asked = self.read(question, filters, history, infer)
        if isinstance(asked, Answer):
            return (yield from self._yield(asked))
        scope = self.scope(asked, filters)
        if isinstance(scope, Answer):
            return (yield from self._yield(scope))
        if scope.plan.listing:
            listing = self._listing(
                scope.plan, scope.filters, scope.allowed, scope.base, scope.notices
            )
            return (yield from self._yield(listing))
        evidence = self.gate(self.retrieve(scope))
        if isinstance(evidence, Answer):
            return (yield from self._yield(evidence))
        composed = yield from self.compose(evidence)
        if isinstance(composed, Answer):
            return (yield from self._yield(composed))
        yield self.guard(composed)
