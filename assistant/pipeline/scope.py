"""The read and scope steps: the question checked and read, then the filters it searches within.

Explicit filters win over inferred ones; a filter value the catalog does not hold, or filters that
exclude every record, are reported as notices and the answer abstains. Places read from a question
rank records rather than exclude them (except in a listing); places that would leave no record
are dropped (`_relax_places`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from kernel.errors import QuestionError, StoreError
from kernel.models import FACETS

from ..models import Answer, Filters, Notice
from ..places import places_in
from ..reading import catalog_names, detect_language, unread_message
from ..reading import read as read_plan
from ..reading.question import listing_topic, name_parts
from .abstain import Abstentions
from .steps import Asked, Scope


class ScopeSteps(Abstentions):
    def read(
        self, question: Any, filters: Filters, history: Iterable[Any], infer: bool
    ) -> Asked | Answer:
        """Check the question and read it (`assistant.reading.read`); a question in a language
        the assistant does not read is answered here, in that language and in English."""
        question, warnings = self._check(question)
        history = list(history or ())
        self.retriever.refresh()
        if not self.retriever.record_ids:
            raise StoreError(
                f"the index at {self.settings.data_dir} holds no records: "
                "run `assistant ingest` first"
            )
        names = catalog_names(tuple(self.facets().get("authors", ())))
        worded = self.wording().read(question) if detect_language(question, names) == "en" else None
        warnings += [worded.notice] if worded and worded.notice else []
        plan = read_plan(worded.text if worded else question, history, self.facets())
        if not plan.answered:
            base = dict(question=question, filters=filters, inferred_filters=Filters())
            warnings.append(Notice("unread_language", {"language": plan.language}))
            return self._abstain(base, warnings, unread_message(plan.language))
        if not infer:
            plan = plan.without_inference()
        if worded:  # "kids": "children", searched in the library's words
            plan = replace(plan, query=worded.search(plan.query))
        return Asked(question, plan, history, warnings)

    def scope(self, asked: Asked, filters: Filters) -> Scope | Answer:
        """The filters to search within: the user's, resolved against the catalog, and the
        plan's."""
        question, read, warnings = asked.question, asked.plan, asked.notices
        facets = self.facets()
        explicit, problems = self._resolve(filters, facets)
        warnings += problems
        unmentioned = self._unmentioned_places(question, facets)
        if unmentioned:
            warnings.append(Notice("places_unmentioned", {"places": tuple(unmentioned)}))
        places = read.places
        if not read.listing and not places.is_empty():
            # Places read from a question rank records (`_focused`: those tagged with or naming
            # them first) rather than exclude the Worldwide records about them; only the user's
            # filters exclude (`QueryPlan.hard_filters`).
            warnings.append(Notice("places_ranked", {"places": places}))
        merged = read.hard_filters.merged(explicit)
        base = dict(
            question=question,
            filters=merged,
            inferred_filters=read.filters,
            language="es" if read.spanish else "en",
        )
        if problems:
            return self._abstain(
                base,
                warnings,
                "No record in the library has "
                + "; ".join(f"{p.params['label']} {p.params['value']!r}" for p in problems)
                + ".",
            )
        allowed = self.retriever.allowed_ids(merged)
        if allowed is not None and not allowed:
            merged, allowed, base, dropped = self._relax_places(
                read.filters, explicit, merged, allowed, base, warnings
            )
            if (
                dropped and read.listing
            ):  # "which of those is about Europe?": Europe becomes the topic
                read = replace(read, topic=listing_topic(question, facets, merged))
        if allowed is not None and not allowed:
            warnings.append(Notice("no_match", {"filters": merged}))
            return self._abstain(
                base,
                warnings,
                f"No record in the library matches the filters ({merged.describe()}).",
            )
        return Scope(asked, read, merged, allowed, base)

    def _check(self, question: Any) -> tuple[str, list[Notice]]:
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("the question is empty: ask something about the library")
        question = question.strip()
        warnings = []
        limit = self.settings.max_question_chars
        if len(question) > limit:
            warnings.append(Notice("question_cut", {"limit": limit, "length": len(question)}))
            question = question[:limit].rstrip()
        return question, warnings

    def _resolve(self, filters: Filters, facets: dict[str, list]) -> tuple[Filters, list[Notice]]:
        """Explicit filter values mapped to the catalog's spelling; values it lacks are problems."""
        problems: list[Notice] = []
        resolved: dict[str, tuple[str, ...]] = {}
        for field, label in FACETS.items():
            facet = field
            out: list[str] = []
            for value in getattr(filters, field):
                matches = resolve_value(value, facets.get(facet, ()))
                if matches:
                    out.extend(matches)
                else:
                    known = tuple(facets.get(facet, ())[:12])
                    params = {"label": label, "value": value, "facet": facet, "known": known}
                    problems.append(Notice("unknown_filter_value", params))
            resolved[field] = tuple(dict.fromkeys(out))
        return Filters(
            year_from=filters.year_from,
            year_to=filters.year_to,
            record_ids=filters.record_ids,
            **resolved,
        ), problems

    def _relax_places(
        self,
        inferred: Filters,
        explicit: Filters,
        merged: Filters,
        allowed: set[str],
        base: dict,
        warnings: list[Notice],
    ) -> tuple[Filters, set[str] | None, dict, Filters | None]:
        """When places read from the question ("about Europe") leave no record, search without them.

        Catalog place tags are coarse (a report on Europe may be tagged "Worldwide"), so a place the
        user merely mentioned must not empty the library; the words stay in the searched question.
        Places the user chose explicitly are never dropped."""
        dropped = Filters(
            regions=() if explicit.regions else inferred.regions,
            countries=() if explicit.countries else inferred.countries,
        )
        if dropped.is_empty():
            return merged, allowed, base, None
        relaxed = replace(merged, regions=explicit.regions, countries=explicit.countries)
        relaxed_allowed = self.retriever.allowed_ids(relaxed)
        if relaxed_allowed is not None and not relaxed_allowed:
            return merged, allowed, base, None
        warnings.append(Notice("places_untagged", {"places": dropped}))
        kept = replace(
            inferred,
            regions=() if dropped.regions else inferred.regions,
            countries=() if dropped.countries else inferred.countries,
        )
        return relaxed, relaxed_allowed, dict(base, filters=relaxed, inferred_filters=kept), dropped

    def _unmentioned_places(self, question: str, facets: dict[str, list]) -> list[str]:
        """Countries and regions the question names (`assistant.places`) that no record is tagged
        with and no title or abstract mentions."""
        out = []
        for place, names in places_in(question):
            tagged = any(
                resolve_value(n, facets.get(f, ())) for n in names for f in ("countries", "regions")
            )
            if not tagged and not any(self.retriever.bm25.mentions(n) for n in names):
                out.append(place)
        return out


def resolve_value(value: str, values: Iterable[str]) -> list[str]:
    """Catalog values a user's filter value names: exact (any case), else those containing it as a
    word."""
    values = list(values)
    wanted = value.strip().casefold()
    if not wanted:
        return []
    exact = [v for v in values if v.casefold() == wanted]
    if exact:
        return exact
    pattern = re.compile(rf"(?<!\w){re.escape(value.strip())}(?!\w)", re.I)
    return [v for v in values if any(pattern.search(p) for p in name_parts(v))]
