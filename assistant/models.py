"""The typed objects that flow from retrieval to every consumer (CLI, UI, evals)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from types import MappingProxyType
from typing import Any

from kernel.models import FACETS, Record


@dataclass(frozen=True)
class _DescribeWords:
    """The words `Filters.describe` writes in one language."""

    year: str
    since: str
    until: str
    or_: str
    labels: Mapping[str, str]
    """A facet's field -> its singular label."""
    one_record: str
    records: str
    """`{n}` chosen records."""


FACET_LABELS_ES = dict(zip(FACETS, ("región", "país", "categoría", "autor"), strict=True))
"""`FACETS`' singular labels in Spanish."""
_DESCRIBE_EN = _DescribeWords(
    "year", "from", "up to", "or", FACETS, "the chosen record", "{n} chosen records"
)
_DESCRIBE_ES = _DescribeWords(
    "año", "desde", "hasta", "o", FACET_LABELS_ES, "el registro elegido", "{n} registros elegidos"
)


@dataclass(frozen=True)
class Filters:
    """Restrictions on which records may be used. Empty tuples / None mean "any"."""

    year_from: int | None = None
    year_to: int | None = None
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    record_ids: tuple[str, ...] = ()
    """Only these records (a chat scoped to one record from the Library tab); empty: any."""

    def is_empty(self) -> bool:
        return self == Filters()

    def matches(self, record: Record) -> bool:
        """True when the record satisfies every filter (case-insensitive on values)."""
        if self.record_ids and record.id not in self.record_ids:
            return False
        if self.year_from is not None or self.year_to is not None:
            if record.year is None:
                return False
            if self.year_from is not None and record.year < self.year_from:
                return False
            if self.year_to is not None and record.year > self.year_to:
                return False
        for name in FACETS:
            wanted, have = getattr(self, name), getattr(record, name)
            if wanted and not ({w.casefold() for w in wanted} & {h.casefold() for h in have}):
                return False
        return True

    def merged(self, other: Filters) -> Filters:
        """`other`'s values where set, else this one's."""
        return Filters(
            year_from=other.year_from if other.year_from is not None else self.year_from,
            year_to=other.year_to if other.year_to is not None else self.year_to,
            **{
                name: getattr(other, name) or getattr(self, name)
                for name in (*FACETS, "record_ids")
            },
        )

    def describe(self, language: str = "en") -> str:
        """The filters in words ("from 2015; region: Africa"), in English or, for "es", Spanish."""
        words = _DESCRIBE_ES if language == "es" else _DESCRIBE_EN
        parts = []
        if self.year_from is not None and self.year_from == self.year_to:
            parts.append(f"{words.year} {self.year_from}")
        else:
            if self.year_from is not None:
                parts.append(f"{words.since} {self.year_from}")
            if self.year_to is not None:
                parts.append(f"{words.until} {self.year_to}")
        for name, label in words.labels.items():
            values = getattr(self, name)
            if values:
                parts.append(f"{label}: {f' {words.or_} '.join(values)}")
        if self.record_ids:
            n = len(self.record_ids)
            parts.insert(0, words.one_record if n == 1 else words.records.format(n=n))
        return "; ".join(parts)

    def to_json(self) -> dict[str, Any]:
        data = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}
        if not self.record_ids:
            data.pop("record_ids")
        return data


@dataclass(frozen=True)
class Hit:
    """A retrieved record with its best-matching chunk and scores."""

    record: Record
    score: float
    chunk_text: str = ""
    dense_score: float | None = None
    bm25_score: float | None = None
    rank: int = 0


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer. Title and year always come from the catalog record; for a
    full-text report, `locations` are the pages or sections ("p. 12") where the record's own text
    holds what the answer took from it (set by `assistant.citations.with_locations`, never taken
    from answer text)."""

    n: int
    record: Record
    locations: tuple[str, ...] = ()

    @property
    def record_id(self) -> str:
        return self.record.id

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def year(self) -> int | None:
        return self.record.year

    @property
    def location(self) -> str | None:
        """ "p. 12", "pp. 3, 12" or "§ Findings" (several sections joined by "; "); None when
        unknown."""
        if not self.locations:
            return None
        if all(loc.startswith("p. ") for loc in self.locations):
            pages = [loc[3:] for loc in self.locations]
            return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {', '.join(pages)}"
        return "; ".join(self.locations)

    @property
    def page(self) -> int | None:
        """The first cited page number ("p. 12" -> 12); None for sections or no page."""
        first = self.locations[0] if self.locations else ""
        return int(first[3:]) if first.startswith("p. ") and first[3:].isdigit() else None

    @property
    def label(self) -> str:
        """ "Title (Year)", with "n.d." for an unknown year, then ", p. 12" when a page is known."""
        return f"{self.record.title} ({self.record.year_label})" + (
            f", {self.location}" if self.location else ""
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "n": self.n,
            "record_id": self.record.id,
            "title": self.record.title,
            "year": self.record.year,
        }
        if self.locations:
            data.update(location=self.location, page=self.page, label=self.label)
        return data


@dataclass(frozen=True)
class SentenceVerdict:
    """The citation guard's verdict on one sentence of the answer."""

    sentence: str
    markers: tuple[int, ...] = ()
    supported: bool | None = None  # None: not checked (a connecting label)
    score: float | None = None
    problem: str | None = None
    """"uncited", "unsupported", "removed-marker", "contradicted", or a bad reference in the text:
    "unknown-source", "wrong-year", "unretrieved-source" (see `assistant.reference_check`)."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Notice:
    """Something the reader should know about an answer, as a code and its parameters
    (`assistant.notices` lists the codes and writes each as a sentence in English or Spanish)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Notice):
            return NotImplemented
        return self.code == other.code and dict(self.params) == dict(other.params)

    def to_json(self) -> dict[str, Any]:
        params = {
            k: (v.to_json() if isinstance(v, Filters) else list(v) if isinstance(v, tuple) else v)
            for k, v in self.params.items()
        }
        return {"code": self.code, "params": params}


@dataclass(frozen=True)
class Answer:
    """What the assistant returns; the CLI, UI and evals all consume this object."""

    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    abstained: bool = False
    filters: Filters = field(default_factory=Filters)
    inferred_filters: Filters = field(default_factory=Filters)
    notices: tuple[Notice, ...] = ()
    """What the reader should know (a cut question, a place no record mentions, a sentence the
    guard flagged...), as codes; `warnings` writes them in the answer's language."""
    verdicts: tuple[SentenceVerdict, ...] = ()
    hits: tuple[Hit, ...] = ()
    mode: str = "extractive"
    language: str = "en"
    """The language the answer and its notices are written in ("en" or "es")."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notices as sentences in the answer's language (`assistant.notices.render`)."""
        from .notices import render

        return tuple(render(n, self.language) for n in self.notices)

    def with_(self, **changes: Any) -> Answer:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` shape."""
        return {
            "question": self.question,
            "answer": self.text,
            "citations": [c.to_json() for c in self.citations],
            "abstained": self.abstained,
            "filters": self.filters.to_json(),
            "inferred_filters": self.inferred_filters.to_json(),
            "warnings": list(self.warnings),
            "notices": [n.to_json() for n in self.notices],
            "verdicts": [v.to_json() for v in self.verdicts],
            "mode": self.mode,
        }
