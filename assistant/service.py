"""The Assistant: question in, cited `Answer` out. The CLI, the UI and the evals all use it.

Flow of `ask`:
1. the question is checked (empty -> `QuestionError`; longer than `settings.max_question_chars`
   -> cut, with a warning);
2. it is read (`assistant.query.read_question`): filters it implies, whether it asks about the
   library itself, whether it follows up an earlier turn;
3. explicit filters win over inferred ones; a filter value the catalog does not hold, or
   filters that exclude every record, are reported in `warnings` and the answer abstains;
4. retrieval (`Retriever.search`), then the relevance gate: when no hit reaches
   `RELEVANCE_THRESHOLD` the answer says the library holds nothing on this, cites nothing and
   names up to three nearby records (plain titles, not citations);
5. a question about the library lists every matching record, each cited; any other question is
   answered by the configured answerer over the top hits and checked by the citation guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any

from vectorstore.bm25 import content_words, fold
from vectorstore.errors import QuestionError, StoreError
from vectorstore.models import Record

from .glossary import english_terms, glossary_phrases, is_spanish
from .models import Answer, Citation, Filters, Hit, SentenceVerdict
from .places import places_in
from .query import QuestionFlags, ReadQuestion, _parts, listing_topic, read_question, user_turns
from .reading import (
    ANSWERED,
    NAMES,
    detect_language,
    focus_terms,
    mentions_term,
    missing_focus,
    record_text,
    unread_message,
)
from .reading.wording import Worded, Wording
from .retrieve import Retriever
from .settings import LLMBackend, Settings

RELEVANCE_THRESHOLD = 0.36
"""Minimum cosine similarity (all-MiniLM-L6-v2) between the question and a hit's best chunk.

Calibrated on the sample library (measured 2026-11-26): the ten out-of-scope questions of
evals/questions/sample.jsonl reach at most 0.31, the near misses highest ("cryptocurrency fraud
in online video games" 0.308, a Spanish paella recipe 0.303: the Spanish record sits close to any
Spanish text); its non-listing, standalone in-scope questions at least 0.41. 0.36 sits mid-gap
(0.30, the first choice, let both near misses through); tests/test_answers.py pins both sides.
"""
BM25_RELEVANCE = 8.0
"""A hit with a moderate cosine (at least `RELEVANCE_FLOOR`) also passes on a BM25 score this high
(several rare question words in one chunk): the English model scores some questions in other
languages low even when the words match. Out-of-scope questions score at most 2.4 on the sample
(record-level BM25 since 2026-11-26; 2.3 with the earlier chunk-level scores)."""
RELEVANCE_FLOOR = 0.20
SAME_LANGUAGE_THRESHOLD = 0.50
"""The relevance threshold between a Spanish question and a Spanish record: the model puts any two
Spanish texts close (measured 2026-11-26 on the sample: twelve out-of-scope Spanish questions, a job
interview, bird migration, births in Spain, reach 0.24 to 0.44 against the Spanish resolution;
Spanish questions on its subject 0.55 to 0.75). English records keep `RELEVANCE_THRESHOLD`."""
MIN_ENGLISH_PHRASES = 2
"""A Spanish question is searched in its glossary English when the glossary translates at least this
many of its phrases (names such as "MS-13" count): with one ("¿Qué es la migración de las aves?":
"migration") the English would say less than the question, so it is searched as asked."""
SHORT_QUESTION_WORDS = 4
"""A question of at most this many content words may pass the gate on title evidence (`_titled`)."""
NEARBY = 3
TOPIC_MARGIN = 0.05
"""A record joins a topic listing ("what do you have on smuggling?") when its cosine is within this
of the best record's (and passes the relevance gate), or when it mentions the topic's words."""
COMMON_SHARE = 0.5
"""A topic word held by at least this share of the records does not decide what a listing names."""
LISTING_LIMIT = 500


class Assistant:
    """Answers questions from one library; build it with `Assistant.from_settings`."""

    def __init__(
        self, settings: Settings, store, embedder, retriever: Retriever, answerer, scorer=None
    ) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.retriever = retriever
        self.answerer = answerer
        self.scorer = scorer
        self._facets: tuple[str | None, dict[str, list]] = (None, {})
        self._texts: tuple[str | None, dict[str, str]] = (None, {})

    @classmethod
    def from_settings(cls, settings: Settings, embedder=None) -> Assistant:
        from vectorstore.store import Store

        from .guard import SupportScorer

        store = Store.open(settings)
        if embedder is None:
            from vectorstore.embedding import Embedder

            embedder = Embedder.from_settings(settings)
        retriever = Retriever(store, embedder, bm25_dir=Path(settings.data_dir) / "bm25")
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
        """The catalog the guard resolves an answer's written references against (one per index generation)."""
        from .references import Catalog

        self.retriever.refresh()
        generation, cached = getattr(self, "_catalog", (None, None))
        if cached is None or generation != self.retriever.generation:
            cached = Catalog(self.retriever.records_by_id.values())
            self._catalog = (self.retriever.generation, cached)
        return cached

    def facets(self) -> dict[str, list]:
        """The values the catalog holds: years, regions, countries, categories, authors."""
        self.retriever.refresh()
        generation, cached = self._facets
        if generation == self.retriever.generation and cached:
            return cached
        recs = self.retriever.records_by_id.values()
        facets = {
            "years": sorted({r.year for r in recs if r.year is not None}),
            "regions": sorted({v for r in recs for v in r.regions}, key=str.casefold),
            "countries": sorted({v for r in recs for v in r.countries}, key=str.casefold),
            "categories": sorted({v for r in recs for v in r.categories}, key=str.casefold),
            "authors": sorted({v for r in recs for v in r.authors}, key=str.casefold),
        }
        self._facets = (self.retriever.generation, facets)
        return facets

    def wording(self) -> Wording:
        """Spelling and informal words read against this library (one per index generation)."""
        self.retriever.refresh()
        generation, cached = getattr(self, "_wording", (None, None))
        if cached is None or generation != self.retriever.generation:
            cached = Wording.for_library(self.retriever.records_by_id.values(), self.embedder)
            self._wording = (self.retriever.generation, cached)
        return cached

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
        """Yield the answer text as it grows (`str`), then the final `Answer`."""
        question, warnings = self._check(question)
        history = list(history or ())
        self.retriever.refresh()
        if not self.retriever.record_ids:
            raise StoreError(
                f"the index at {self.settings.data_dir} holds no records: run `assistant ingest` first"
            )
        facets = self.facets()
        language = detect_language(question)
        if language not in ANSWERED:
            base = dict(question=question, filters=filters or Filters(), inferred_filters=Filters())
            warnings.append(
                f"the question reads as {NAMES[language]}; the assistant reads English and Spanish"
            )
            yield from self._yield(self._abstain(base, warnings, unread_message(language)))
            return
        worded = self.wording().read(question) if language == "en" else Worded(question)
        warnings += [worded.notice] if worded.notice else []
        read = read_question(worded.text, facets, history)
        if not infer:
            read = ReadQuestion(
                question,
                read.query if read.flags.follow_up else worded.text,
                Filters(),
                QuestionFlags(follow_up=read.flags.follow_up),
                question,
                english=read.english,
                spanish=read.spanish,
            )
        read = replace(read, query=worded.search(read.query))  # "kids": "children"
        explicit, problems = self._resolve(filters or Filters(), facets)
        warnings += problems
        unmentioned = self._unmentioned_places(question, facets)
        if unmentioned:
            names = " or ".join(
                [", ".join(unmentioned[:-1]), unmentioned[-1]]
                if len(unmentioned) > 1
                else unmentioned
            )
            warnings.append(
                f"no record in the library mentions {names}, so nothing here is specific to "
                + ("them" if len(unmentioned) > 1 else "it")
            )
        applied = read.filters
        places = Filters(regions=read.filters.regions, countries=read.filters.countries)
        if not read.flags.listing and not places.is_empty():
            # Places read from a question rank records (`_focused`: those tagged with or naming them
            # first) rather than exclude the Worldwide records about them; only the user's filters exclude.
            applied = replace(read.filters, regions=(), countries=())
            warnings.append(
                f"records on {places.describe()} are ranked first; set it as a filter to search "
                "only records tagged with it"
            )
        merged = applied.merged(explicit)
        base = dict(question=question, filters=merged, inferred_filters=read.filters)

        if problems:
            answer = self._abstain(
                base,
                warnings,
                "No record in the library has "
                + "; ".join(p.split(" (")[0].removeprefix("no record has ") for p in problems)
                + ".",
            )
            yield answer.text
            yield answer
            return
        allowed = self.retriever.allowed_ids(merged)
        if allowed is not None and not allowed:
            merged, allowed, base, dropped = self._relax_places(
                read.filters, explicit, merged, allowed, base, warnings
            )
            if (
                dropped and read.flags.listing
            ):  # "which of those is about Europe?": Europe becomes the topic
                read = replace(read, topic=listing_topic(question, facets, merged))
        if allowed is not None and not allowed:
            warnings.append(f"no record matches the filters ({merged.describe()})")
            answer = self._abstain(
                base,
                warnings,
                f"No record in the library matches the filters ({merged.describe()}).",
            )
            yield answer.text
            yield answer
            return

        if read.flags.listing:
            answer = self._listing(read, merged, allowed, base, warnings)
            yield answer.text
            yield answer
            return

        hits, answer_query = self._search(read, merged)
        relevant = [
            h for h in hits if self._relevant(h, read.spanish) or self._titled(h, read.query)
        ]
        if not relevant and history and not read.flags.follow_up:
            # "in how many countries was the research done?": a question that finds nothing alone, asked in
            # a conversation, is read as a follow-up of the earlier turn (its own words first).
            earlier = user_turns(history)[-1:]
            if earlier:
                read = replace(
                    read,
                    query=f"{read.query} {earlier[0]}",
                    flags=replace(read.flags, follow_up=True),
                )
                hits, answer_query = self._search(read, merged)
                relevant = [h for h in hits if self._relevant(h, read.spanish)]
        if not relevant:
            yield from self._yield(self._nothing(base, warnings, hits, merged, read.spanish))
            return
        focus = focus_terms(question)
        # Places read from the question or inherited from the earlier turn rank too ("and what about
        # children?" after a question on Bangladesh); only the question's own focus must be covered.
        ranking = list(
            dict.fromkeys(
                [
                    *focus,
                    *(
                        p
                        for v in (*places.countries, *places.regions)
                        for p in _parts(v)[1:2] or [v]
                    ),
                ]
            )
        )
        relevant = self._focused(ranking, read, merged, relevant)
        missing = missing_focus(focus, [h.record for h in relevant], read.spanish)
        if missing:
            yield from self._yield(
                self._not_covered(base, warnings, relevant, missing, read.spanish)
            )
            return
        hits = relevant
        text = ""
        if self.mode == "llm" and hasattr(self.answerer, "prompt"):
            prompt = self.answerer.prompt(question, hits, history)  # fitted into the LLM's context
            hits = list(prompt.hits)  # the sources sent are the only ones the answer can cite
            warnings += prompt.warnings
            for piece in self.answerer.stream_prompt(prompt):
                text += piece
                yield text
        else:
            if read.spanish and self.mode == "extractive":
                from .answer import LABEL_ES

                text = self.answerer.answer(answer_query, hits, label=LABEL_ES)
            else:
                text = self.answerer.answer(answer_query, hits)
            if not text.strip():  # no sentence of theirs is close enough to quote
                yield from self._yield(self._nothing(base, warnings, hits, merged, read.spanish))
                return
            yield text
        from .citations import with_locations
        from .guard import check_citations

        guard = check_citations(text, hits, self.scorer, catalog=self.catalog)
        yield with_locations(
            Answer(
                text=guard.text,
                citations=tuple(guard.citations),
                verdicts=tuple(guard.verdicts),
                warnings=tuple(warnings + list(guard.warnings)),
                hits=tuple(hits),
                mode=self.mode,
                **base,
            )
        )

    # -- steps -------------------------------------------------------------------------------

    def _check(self, question: Any) -> tuple[str, list[str]]:
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("the question is empty: ask something about the library")
        question = question.strip()
        warnings = []
        limit = self.settings.max_question_chars
        if len(question) > limit:
            warnings.append(
                f"the question was cut to its first {limit} characters (it had {len(question)})"
            )
            question = question[:limit].rstrip()
        return question, warnings

    def _resolve(self, filters: Filters, facets: dict[str, list]) -> tuple[Filters, list[str]]:
        """Explicit filter values mapped to the catalog's spelling; values it lacks are problems."""
        problems: list[str] = []
        resolved: dict[str, tuple[str, ...]] = {}
        for field, facet, label in (
            ("regions", "regions", "region"),
            ("countries", "countries", "country"),
            ("categories", "categories", "category"),
            ("authors", "authors", "author"),
        ):
            out: list[str] = []
            for value in getattr(filters, field):
                matches = resolve_value(value, facets.get(facet, ()))
                if matches:
                    out.extend(matches)
                else:
                    known = ", ".join(facets.get(facet, ())[:12]) or "none"
                    problems.append(
                        f"no record has {label} {value!r} (the library's {facet}: {known})"
                    )
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
        warnings: list[str],
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
        warnings.append(
            f"no record is tagged with {dropped.describe()} among those matching the other filters; "
            "searched titles and abstracts for it instead"
        )
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

    def _relevant(self, hit: Hit, spanish: bool = False) -> bool:
        dense = hit.dense_score or 0.0
        threshold = RELEVANCE_THRESHOLD
        if spanish and is_spanish(hit.record.abstract or hit.record.title):
            threshold = SAME_LANGUAGE_THRESHOLD
        return dense >= threshold or (
            dense >= RELEVANCE_FLOOR and (hit.bm25_score or 0.0) >= BM25_RELEVANCE
        )

    def _abstain(
        self, base: dict, warnings: list[str], text: str, hits: Sequence[Hit] = ()
    ) -> Answer:
        return Answer(
            text=text,
            abstained=True,
            warnings=tuple(warnings),
            hits=tuple(hits),
            mode="abstained",
            **base,
        )

    def _nothing(
        self,
        base: dict,
        warnings: list[str],
        hits: Sequence[Hit],
        filters: Filters,
        spanish: bool = False,
    ) -> Answer:
        """The abstention: the library holds nothing on this (in Spanish for a Spanish question),
        naming up to `NEARBY` nearby records as plain "Title (Year)"."""
        nearby = "; ".join(f"{h.record.title} ({h.record.year_label})" for h in hits[:NEARBY])
        if spanish:
            scope = (
                f" entre los registros que cumplen los filtros ({filters.describe()})"
                if not filters.is_empty()
                else ""
            )
            text = f"La biblioteca no contiene nada sobre esto{scope}, así que no puedo responderlo desde la biblioteca."
            text += f" Los registros más cercanos que sí contiene son: {nearby}." if nearby else ""
        else:
            scope = (
                f" among the records matching the filters ({filters.describe()})"
                if not filters.is_empty()
                else ""
            )
            text = (
                f"The library holds nothing on this{scope}, so I cannot answer it from the library."
            )
            text += f" The closest records it does hold are: {nearby}." if nearby else ""
        return self._abstain(base, warnings, text, hits)

    def _search(self, read: ReadQuestion, filters: Filters) -> tuple[list[Hit], str]:
        """(hits, the text the answerer picks sentences with).

        A Spanish question with glossary English is searched in that English (plus its names, such as
        "MS-13"): the model is English, and the question as asked sits close to the library's one
        Spanish record whatever it asks (measured on evals/questions/dev.jsonl: "¿Qué deben hacer los
        policías...?" 0.57 to the Spanish resolution, 0.19 to the first-aid kit for police; in
        English 0.55 to the kit). Spanish records still join when the question as asked passes
        `SAME_LANGUAGE_THRESHOLD` against them, after the English hits."""
        k = self.settings.top_k
        # Names, acronyms and numbers read the same in both languages ("MS-13", "COVID-19").
        names = list(
            dict.fromkeys(
                [t for t in focus_terms(read.question) if not english_terms(t)]
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

        # One order for both lists: how far each hit's cosine sits above the threshold its language must
        # pass, as a share of the room above it.
        def margin(hit: Hit, threshold: float) -> float:
            return ((hit.dense_score or 0.0) - threshold) / (1.0 - threshold)

        # A Spanish record that shares many rare words with the question (BM25 >= `BM25_RELEVANCE`: "¿Qué
        # resolución aprobó el Consejo de Derechos Humanos...?") leads.
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
        # The answerer picks sentences in the evidence's language: the English, and the question as asked
        # too when a Spanish record leads.
        leads = bool(ranked) and any(ranked[0][1] is h for h in spanish)
        return [h for _, h in ranked], f"{read.query} {english}" if leads else english

    def _focused(
        self, focus: Sequence[str], read: ReadQuestion, filters: Filters, relevant: list[Hit]
    ) -> list[Hit]:
        """The relevant hits, those that mention the question's focus first ("What happened to
        trafficking victims in Haiti?": the guidelines whose abstract names Haiti). Such a record joins
        from a search within the records that mention a focus term when its cosine reaches
        `RELEVANCE_FLOOR`: the name it shares with the question is the evidence the BM25 exception of the
        gate otherwise asks for. Places read from a question so rank records rather than exclude them."""
        if not focus:
            return relevant
        mentioning = self._mentioning(tuple(focus), read.spanish)
        if not mentioning:
            return relevant
        seen = {h.record.id for h in relevant}
        extra = [
            h
            for h in self.retriever.search(
                read.query,
                k=self.settings.top_k,
                filters=filters,
                words=read.english,
                within=mentioning,
            )
            if h.record.id not in seen and (h.dense_score or 0.0) >= RELEVANCE_FLOOR
        ]
        pool = relevant + extra
        first = [h for h in pool if h.record.id in mentioning]
        places = tuple(t for t in focus if self._is_place(t))
        if places:
            # A question on a place is answered from the records on it, when some are relevant.
            local = self._mentioning(places, read.spanish)
            if any(h.record.id in local for h in pool):
                pool = [h for h in pool if h.record.id in local]
                first = [h for h in first if h.record.id in local]
        return first + [h for h in pool if h not in first]

    def _titled(self, hit: Hit, query: str) -> bool:
        """A short question whose every content word the hit's title or abstract holds, one at least in
        its title ("OSCE simulation handbook", "MS-13 trafficking"), with a cosine of at least
        `RELEVANCE_FLOOR`: exact title evidence counts for questions too short for the model."""
        stop = set(content_words(query))
        words = [
            w.replace("-", "")
            for w in re.findall(r"\w[\w-]*", fold(query))
            if w in stop or re.search(r"\d", w) or w.upper() == w
        ]
        words = [w for w in words if len(w) >= 2]
        if (
            not words
            or len(words) > SHORT_QUESTION_WORDS
            or (hit.dense_score or 0.0) < RELEVANCE_FLOOR
        ):
            return False
        if all(
            self.retriever.bm25.share(w) >= COMMON_SHARE for w in words if not re.search(r"\d", w)
        ) and not any(re.search(r"\d", w) for w in words):
            return False  # only words most records hold ("trafficking"): no evidence of this record
        title = fold(hit.record.title).replace("-", "")
        text = f"{title} {fold(hit.record.abstract or '').replace('-', '')}"
        return all(w in text for w in words) and any(w in title for w in words)

    def _is_place(self, term: str) -> bool:
        """A country or region of the gazetteer (`assistant.places`) or of the catalog."""
        facets = self.facets()
        return bool(places_in(f"in {term}")) or any(
            resolve_value(term, facets.get(f, ())) for f in ("countries", "regions")
        )

    def _mentioning(self, focus: tuple[str, ...], spanish: bool) -> frozenset[str]:
        """Ids of the records that mention at least one of `focus`."""
        generation, texts = self._texts
        if generation != self.retriever.generation or not texts:
            texts = {rid: record_text(r) for rid, r in self.retriever.records_by_id.items()}
            self._texts = (self.retriever.generation, texts)
        return frozenset(
            rid
            for rid, text in texts.items()
            if any(mentions_term(t, text, spanish) for t in focus)
        )

    def _not_covered(
        self,
        base: dict,
        warnings: list[str],
        hits: Sequence[Hit],
        missing: Sequence[str],
        spanish: bool = False,
    ) -> Answer:
        """The abstention when the question turns on names or numbers (`assistant.reading.focus_terms`)
        that none of the relevant records mentions: what is missing, and what the library does hold."""
        names = " or ".join(f"“{m}”" for m in missing)
        nearby = "; ".join(f"{h.record.title} ({h.record.year_label})" for h in hits[:NEARBY])
        if spanish:
            text = (
                f"La biblioteca no contiene nada sobre {names}: ningún registro pertinente lo menciona, así que no "
                f"puedo responderlo desde la biblioteca. Los registros más cercanos que sí contiene son: {nearby}."
            )
        else:
            text = (
                f"The library holds nothing on {names}: no relevant record mentions it, so I cannot answer this "
                f"from the library. The closest records it does hold are: {nearby}."
            )
        warnings = [*warnings, f"no relevant record mentions {names}"]
        return self._abstain(base, warnings, text, hits)

    def _listing(
        self,
        read: ReadQuestion,
        filters: Filters,
        allowed: set[str] | None,
        base: dict,
        warnings: list[str],
    ) -> Answer:
        if read.topic.strip():
            hits = self.retriever.search(
                read.topic, k=LISTING_LIMIT, filters=filters, words=read.topic_english
            )
            records = self._on_topic(hits, read.topic, read.topic_english)
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
                    f"listing the first {LISTING_LIMIT} of {len(records)} matching records"
                )
                records = records[:LISTING_LIMIT]
        scope = f" matching {filters.describe()}" if not filters.is_empty() else ""
        about = f" on {read.topic}" if read.topic.strip() else ""
        head = f"The library holds {len(records)} record{'s' if len(records) != 1 else ''}{about}{scope}:"
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
            warnings=tuple(warnings),
            mode="listing",
            **base,
        )

    def _on_topic(self, hits: Sequence[Hit], topic: str, english: str = "") -> list[Record]:
        """The hits a listing on `topic` names: those whose title or abstract mentions all the topic's
        distinctive words (words most records hold, such as "trafficking" in this library, are not
        asked for unless the topic has no other), and those the model ranks close to the best that
        mention at least one of them ("child soldiers": a report on children and armed conflict)."""
        best = max((h.dense_score or 0.0 for h in hits), default=0.0)
        near = max(RELEVANCE_THRESHOLD, best - TOPIC_MARGIN)
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
            if any(
                mentions(h.record, distinctive or words)
                or (
                    close and (not distinctive or any(mentions(h.record, [w]) for w in distinctive))
                )
                for words, distinctive in readings
            ):
                out.append(h.record)
        return out

    def _yield(self, answer: Answer) -> Iterator[str | Answer]:
        yield answer.text
        yield answer


def resolve_value(value: str, values: Iterable[str]) -> list[str]:
    """Catalog values a user's filter value names: exact (any case), else those containing it as a word."""
    values = list(values)
    wanted = value.strip().casefold()
    if not wanted:
        return []
    exact = [v for v in values if v.casefold() == wanted]
    if exact:
        return exact
    pattern = re.compile(rf"(?<!\w){re.escape(value.strip())}(?!\w)", re.I)
    return [v for v in values if any(pattern.search(p) for p in _parts(v))]


def mentions(record: Record, words: Sequence[str]) -> bool:
    """Whether each of `words` appears in the record's title or abstract, as itself or with a plural or
    verb ending ("soldiers": "soldier", "soldiering"), but not inside a longer word ("organ" is not
    "organization"); case and accents aside ("ninos" is "Niños")."""
    text = fold(f"{record.title} {record.abstract or ''}")
    return bool(words) and all(
        re.search(rf"(?<!\w){re.escape(_singular(fold(w)))}{_ENDINGS}(?!\w)", text) for w in words
    )


_ENDINGS = r"(?:s|es|ing|ed|er|ers|'s|ren)?"


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word
