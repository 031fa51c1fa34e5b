"""The compose and guard steps: the configured answerer writes the answer from the evidence, and the
citation guard checks every sentence against the sources it cites."""

from __future__ import annotations

from collections.abc import Generator

from ..models import Answer
from .abstain import Abstentions
from .steps import Composed, Evidence


class ComposeSteps(Abstentions):
    def compose(self, evidence: Evidence) -> Generator[str, None, Composed | Answer]:
        """Yield the answer text as it grows; return it with the hits it was written from (or the
        abstention when no sentence of theirs is close enough to quote)."""
        scope, read, hits = evidence.scope, evidence.plan, evidence.hits
        warnings = scope.notices
        text = ""
        if self.mode == "llm" and hasattr(self.answerer, "prompt"):
            # fitted into the LLM's context
            prompt = self.answerer.prompt(scope.asked.question, hits, scope.history)
            hits = list(prompt.hits)  # the sources sent are the only ones the answer can cite
            warnings += prompt.notices
            for piece in self.answerer.stream_prompt(prompt):
                text += piece
                yield text
        else:
            if read.spanish and self.mode == "extractive":
                from ..answer import LABEL_ES

                text = self.answerer.answer(evidence.answer_query, hits, label=LABEL_ES)
            else:
                text = self.answerer.answer(evidence.answer_query, hits)
            if not text.strip():  # no sentence of theirs is close enough to quote
                return self._nothing(scope.base, warnings, hits, scope.filters, read.spanish)
            yield text
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
