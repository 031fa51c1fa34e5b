"""Typed records and chunks: what ingest produces and the store keeps."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from kernel.text import normalize_title

FACETS: dict[str, str] = {
    "regions": "region",
    "countries": "country",
    "categories": "category",
    "authors": "author",
}
"""The list fields of a `Record` a question can be filtered on (besides the year), each with its
singular label, in the order the filters are shown; the store, the service, the UI and the evals
all take them from here."""

FACET_NAMES: dict[str, str] = {
    name: field for field, label in FACETS.items() for name in (label, field)
}
"""A facet's singular or plural name ("country", "countries") -> its `Record` field: how catalog
columns and listing-page headers are read."""


LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "it": "Italian",
}
"""The languages a question may be read as (ISO 639-1 code -> English name): the two the assistant
answers and those people most often try instead."""


def record_id_for_title(title: str) -> str:
    """Stable record id derived from the normalised title."""
    key = normalize_title(title)
    return "r-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Source:
    """Where a record was seen: a file and, when known, its line."""

    path: str
    line: int | None = None


@dataclass(frozen=True)
class Record:
    """One document record of the library, after merging every source that lists it."""

    id: str
    title: str
    abstract: str = ""
    year: int | None = None
    authors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    locations: tuple[tuple[int, str], ...] = ()
    """For a full-text report: (character offset in `abstract`, "p. 12" or "§ Findings") where each
    page or section starts, in order; empty for a catalog record (its abstract has no pages)."""

    @property
    def year_label(self) -> str:
        """The year as cited: the catalog's year, or "n.d." when unknown."""
        return str(self.year) if self.year is not None else "n.d."

    def location_at(self, offset: int) -> str | None:
        """The page or section ("p. 12") holding character `offset` of the abstract; None without
        pages."""
        found = None
        for start, label in self.locations:
            if start > offset:
                break
            found = label
        return found

    def location_span(self, label: str) -> tuple[int, int] | None:
        """(start, end) of the page or section `label` in the abstract; None when it has no such
        page."""
        for i, (start, name) in enumerate(self.locations):
            if name == label:
                end = (
                    self.locations[i + 1][0] if i + 1 < len(self.locations) else len(self.abstract)
                )
                return start, end
        return None

    def locate(self, text: str) -> str | None:
        """The page or section where `text` (white space ignored) first occurs; None when not
        found."""
        if not self.locations:
            return None
        words = text.split()
        if not words:
            return None
        found = re.search(r"\s+".join(re.escape(w) for w in words), self.abstract)
        return self.location_at(found.start()) if found else None

    def content_hash(self) -> str:
        """Hash of everything that is embedded or filtered on; changes mean re-embed."""
        payload = json.dumps(
            [
                self.title,
                self.abstract,
                self.year,
                self.authors,
                self.countries,
                self.regions,
                self.categories,
            ],
            ensure_ascii=False,
        )
        if self.locations:  # only reports have pages: catalog records keep the hashes they had
            payload += json.dumps(self.locations, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape used by `records --json`."""
        data = asdict(self)
        data.pop("abstract")
        data.pop("metadata")
        data.pop("locations")
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()}

    def to_dict(self) -> dict[str, Any]:
        """Full serialisation (for the catalog file)."""
        data = asdict(self)
        if not self.locations:
            data.pop("locations")
        return {
            k: ([list(x) if isinstance(x, tuple) else x for x in v] if isinstance(v, tuple) else v)
            for k, v in data.items()
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return cls(
            id=data["id"],
            title=data["title"],
            abstract=data.get("abstract") or "",
            year=data.get("year"),
            authors=tuple(data.get("authors") or ()),
            countries=tuple(data.get("countries") or ()),
            regions=tuple(data.get("regions") or ()),
            categories=tuple(data.get("categories") or ()),
            sources=tuple(data.get("sources") or ()),
            metadata=dict(data.get("metadata") or {}),
            locations=tuple(
                (int(start), str(label)) for start, label in data.get("locations") or ()
            ),
        )


@dataclass(frozen=True)
class Chunk:
    """A piece of a record's text that is embedded; `text` includes the title."""

    id: str
    record_id: str
    index: int
    text: str
    start: int = 0
    end: int = 0
    location: str | None = None
    """The page or section of a report where the chunk starts ("p. 12"); None for catalog
    records."""
