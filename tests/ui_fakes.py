"""A tiny stand-in assistant for UI tests that need no model or index."""

from __future__ import annotations

from assistant.models import Answer, Citation, Filters, Hit, Notice, SentenceVerdict
from kernel.errors import QuestionError
from kernel.models import Record

RECORDS = [
    Record(
        id="r-1",
        title="Modern Slavery and Trafficking in Conflict: The UN's Response",
        year=2017,
        abstract=(
            "Violent conflict greatly increases the vulnerability of civilian populations to human "
            "trafficking and slavery. Refugees and other migrants displaced by conflict are "
            "particularly "
            "vulnerable to this extreme form of exploitation."
        ),
        authors=("Anna De Courcy Wheeler",),
        countries=("Global",),
        regions=("Global",),
        categories=("Armed conflict",),
    ),
    Record(
        id="r-2",
        title="Protection: What is it Anyway?",
        year=None,
        abstract="This booklet provides an overview of what protection means in practice.",
        categories=("Protection",),
        regions=("Global",),
    ),
    Record(
        id="r-3",
        title="Evil <script>alert(1)</script> report",
        year=2020,
        abstract=(
            "Trafficking rises in crises <script>alert('x')</script> <img "
            'src="http://evil.example/a.png"> '
            "![pixel](https://evil.example/p.png) and [a link](https://evil.example/)."
        ),
        countries=("Kosovo",),
        regions=("Europe",),
        categories=("Crisis",),
    ),
]


class FakeAssistant:
    """`ask_stream` answers from the fixed records; "empty" questions raise `QuestionError`."""

    def __init__(self, records=RECORDS):
        self._records = list(records)
        self.calls = []

    def records(self):
        return list(self._records)

    def facets(self):
        rs = self._records
        return {
            "years": sorted({r.year for r in rs if r.year}),
            "regions": sorted({v for r in rs for v in r.regions}),
            "countries": sorted({v for r in rs for v in r.countries}),
            "categories": sorted({v for r in rs for v in r.categories}),
            "authors": sorted({v for r in rs for v in r.authors}),
        }

    def ask(self, question, filters=None, history=(), infer=True):
        answer = None
        for item in self.ask_stream(question, filters, history, infer):
            answer = item
        return answer

    def ask_stream(self, question, filters=None, history=(), infer=True):
        self.calls.append((question, filters, list(history)))
        if not question or not question.strip():
            raise QuestionError("the question is empty: ask something about the library")
        filters = filters or Filters()
        inferred = Filters(year_from=2020) if "since 2020" in question else Filters()
        merged = inferred.merged(filters)
        pool = [r for r in self._records if merged.matches(r)]
        if not pool:
            text = f"No record in the library matches the filters ({merged.describe()})."
            yield text
            yield Answer(
                question=question,
                text=text,
                abstained=True,
                filters=merged,
                inferred_filters=inferred,
                notices=(Notice("no_match", {"filters": merged}),),
                mode="abstained",
            )
            return
        hits = [Hit(record=r, score=1.0 - i / 10) for i, r in enumerate(pool)]
        first = pool[0].abstract.split(". ")[0].rstrip(".") + "."
        text = "Quoted from the library's records:\n\n" + first + " [1]"
        if len(pool) > 1:
            text += "\n\nThe moon is made of cheese. [2]"
        yield text[:30]
        yield text
        verdicts = [
            SentenceVerdict("Quoted from the library's records:"),
            SentenceVerdict(first + " [1]", (1,), True, 1.0),
        ]
        citations = [Citation(1, pool[0])]
        if len(pool) > 1:
            verdicts.append(
                SentenceVerdict("The moon is made of cheese. [2]", (2,), False, 0.1, "unsupported")
            )
            citations.append(Citation(2, pool[1]))
        yield Answer(
            question=question,
            text=text,
            citations=tuple(citations),
            verdicts=tuple(verdicts),
            filters=merged,
            inferred_filters=inferred,
            hits=tuple(hits),
        )
