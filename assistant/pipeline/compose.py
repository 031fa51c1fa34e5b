"""The compose and guard steps: the configured answerer (`assistant.answering.Answerer`) writes the
answer from the evidence, and the citation guard checks every sentence against the sources it
cites."""

from __future__ import annotations

from collections.abc import Generator

from ..models import Answer
from .abstain import Abstentions
from .steps import Composed, Evidence


class ComposeSteps(Abstentions):
    def compose(self, evidence: Evidence) -> Generator[str, None, Composed | Answer]:
        """Yield the answer text as it grows; return it with the hits it was written from (or the
        abstention when the answerer found no sentence of theirs close enough to quote)."""
        scope, read = evidence.scope, evidence.plan
        composition = self.answerer.compose(
            read, evidence.answer_query, evidence.hits, scope.history
        )
        hits = list(composition.hits)  # the sources it writes from are the only ones it can cite
        scope.notices.extend(composition.notices)
        text = ""
        for piece in composition.pieces:
            text += piece
            yield text
        if composition.abstain_when_empty and not text.strip():
            return self._nothing(scope.base, scope.notices, hits, scope.filters, read.spanish)
        return Composed(evidence, text, hits)

    def guard(self, composed: Composed) -> Answer:
        """The answer with the citation guard's verdicts, citations and notices."""
        from ..citations import with_locations
        from ..guard import check_citations

        scope, hits = composed.evidence.scope, composed.hits
        guard = check_citations(composed.text, hits, self.scorer, catalog=self.catalog)
        return with_locations(
            Answer(
                text=guard.text,
                citations=tuple(guard.citations),
                verdicts=tuple(guard.verdicts),
                notices=tuple(scope.notices + list(guard.notices)),
                hits=tuple(hits),
                mode=self.mode,
                **scope.base,
            )
        )
