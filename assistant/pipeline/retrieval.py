"""The retrieve step: hybrid search (`Retriever.search`) within the scope, in English for a Spanish
question the glossary translates."""

from __future__ import annotations

import re

from ..glossary import english_terms, glossary_phrases, is_spanish
from ..models import Filters, Hit
from ..reading import QueryPlan
from .gate import BM25_RELEVANCE, RELEVANCE_THRESHOLD, SAME_LANGUAGE_THRESHOLD
from .steps import Retrieval, Scope, StepHost

MIN_ENGLISH_PHRASES = 2
"""A Spanish question is searched in its glossary English when the glossary translates at least this
many of its phrases (names such as "MS-13" count): with one ("¿Qué es la migración de las aves?":
"migration") the English would say less than the question, so it is searched as asked."""


class RetrieveSteps(StepHost):
    def retrieve(self, scope: Scope) -> Retrieval:
        """The hits for the plan within the scope's filters."""
        hits, answer_query = self._search(scope.plan, scope.filters)
        return Retrieval(scope, scope.plan, hits, answer_query)

    def _search(self, read: QueryPlan, filters: Filters) -> tuple[list[Hit], str]:
        """(hits, the text the answerer picks sentences with).

        A Spanish question with glossary English is searched in that English (plus its names, such
        as "MS-13"): the model is English, and the question as asked sits close to the library's one
        Spanish record whatever it asks (measured on evals/questions/dev.jsonl: "¿Qué deben hacer
        los policías...?" 0.57 to the Spanish resolution, 0.19 to the first-aid kit for police; in
        English 0.55 to the kit). Spanish records still join when the question as asked passes
        `SAME_LANGUAGE_THRESHOLD` against them, after the English hits."""
        k = self.settings.top_k
        # Names, acronyms and numbers read the same in both languages ("MS-13", "COVID-19").
        names = list(
            dict.fromkeys(
                [t for t in read.focus if not english_terms(t)]
                + [
                    t
                    for t in re.findall(r"\b[A-Z]{2,}[\w-]*|\b\w*\d[\w.-]*", read.question)
                    if not english_terms(t)
                ]
            )
        )
        if (
            not read.spanish
            or len(set(glossary_phrases(read.question))) + len(names) < MIN_ENGLISH_PHRASES
        ):
            return self.retriever.search(
                read.query, k=k, filters=filters, words=read.english
            ), read.query
        english = " ".join([read.english, *names]).strip()
        hits = self.retriever.search(english, k=k, filters=filters)
        seen = {h.record.id for h in hits}
        spanish = [
            h
            for h in self.retriever.search(read.query, k=k, filters=filters, words=read.english)
            if h.record.id not in seen
            and is_spanish(h.record.abstract or h.record.title)
            and (h.dense_score or 0.0) >= SAME_LANGUAGE_THRESHOLD
        ]

        # One order for both lists: how far each hit's cosine sits above the threshold its language
        # must pass, as a share of the room above it.
        def margin(hit: Hit, threshold: float) -> float:
            return ((hit.dense_score or 0.0) - threshold) / (1.0 - threshold)

        # A Spanish record that shares many rare words with the question (BM25 >= `BM25_RELEVANCE`:
        # "¿Qué resolución aprobó el Consejo de Derechos Humanos...?") leads.
        ranked = sorted(
            [(margin(h, RELEVANCE_THRESHOLD), h) for h in hits]
            + [
                (
                    1.0
                    if (h.bm25_score or 0.0) >= BM25_RELEVANCE
                    else margin(h, SAME_LANGUAGE_THRESHOLD),
                    h,
                )
                for h in spanish
            ],
            key=lambda mh: -mh[0],
        )
        # The answerer picks sentences in the evidence's language: the English, and the question as
        # asked too when a Spanish record leads.
        leads = bool(ranked) and any(ranked[0][1] is h for h in spanish)
        return [h for _, h in ranked], f"{read.query} {english}" if leads else english
