"""Merging: records seen on several pages or sources become one catalog record.

Which records are the same:
    - records whose id is derived from the title (the default) are the same when their titles
      are equal after `normalize_title` (case, accents, punctuation and white space ignored);
    - records that carry their source's own id (a BEIR `_id`, a catalog `id` column) are the
      same when their ids are equal: two BEIR documents that share a title stay two records;
    - a title-keyed record joins a source-id record of the same title when exactly one such
      source-id record exists (and the merged record keeps the source's id).

How fields combine:
    - authors, countries, regions, categories and sources: union, in order of first appearance,
      case-insensitive de-duplication;
    - abstract: the longest one (a report's full text, with its pages);
    - title: the one from the most authoritative source (see below), else the first seen;
    - year: a year from any source fills a missing one. Conflicting years are resolved by
      YEAR RULE: (1) a repository record page (its Publication Date) wins over listing pages and
      catalogs; (2) among sources of equal rank, the year given by the most sources wins;
      (3) a tie goes to the earliest year. Every conflict is reported as a warning naming the
      record and the years. A year is never inferred from a title or an abstract.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ingest.parse.common import dedupe
from kernel.models import Record, record_id_for_title
from kernel.text import normalize_title

__all__ = ["MergeResult", "SOURCE_RANK", "merge_records"]

# Higher wins for the year and the title. Formats not listed rank 0.
SOURCE_RANK = {"record-page": 2}


@dataclass
class MergeResult:
    """The merged catalog, sorted by title, and the conflicts found while merging."""

    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _rank(record: Record) -> int:
    return SOURCE_RANK.get(str(record.metadata.get("format", "")), 0)


def has_source_id(record: Record) -> bool:
    """True when the record carries its source's own id rather than one derived from its title."""
    return record.id != record_id_for_title(record.title)


def merge_records(records: Iterable[Record]) -> MergeResult:
    """Merge duplicates (same normalised title, or same source id) into one record each."""
    by_id: dict[str, list[tuple[int, Record]]] = {}
    by_title: dict[str, list[tuple[int, Record]]] = {}
    for index, record in enumerate(records):
        if has_source_id(record):
            by_id.setdefault(record.id, []).append((index, record))
        else:
            by_title.setdefault(normalize_title(record.title), []).append((index, record))
    # A title-keyed record joins the one source-id record with the same title, if exactly one.
    ids_by_title: dict[str, set[str]] = {}
    for record_id, members in by_id.items():
        for _, record in members:
            ids_by_title.setdefault(normalize_title(record.title), set()).add(record_id)
    groups = list(by_id.values())
    for key, members in by_title.items():
        owners = ids_by_title.get(key, set())
        if len(owners) == 1:
            by_id[next(iter(owners))].extend(members)
        else:
            groups.append(members)
    result = MergeResult()
    for members in groups:
        merged, warning = _merge_group(
            [record for _, record in sorted(members, key=lambda m: m[0])]
        )
        result.records.append(merged)
        if warning:
            result.warnings.append(warning)
    result.records.sort(key=lambda r: (normalize_title(r.title), r.title, r.id))
    return result


def _merge_group(group: list[Record]) -> tuple[Record, str | None]:
    if len(group) == 1:
        return group[0], None
    best = max(group, key=_rank)  # first of the highest rank
    year, warning = _resolve_year(group)
    longest = max(group, key=lambda r: len(r.abstract))  # a report's pages go with its text
    own_ids = [r.id for r in group if has_source_id(r)]
    merged = Record(
        id=own_ids[0] if own_ids else group[0].id,
        title=best.title,
        abstract=longest.abstract,
        year=year,
        authors=dedupe(a for r in group for a in r.authors),
        countries=dedupe(c for r in group for c in r.countries),
        regions=dedupe(g for r in group for g in r.regions),
        categories=dedupe(c for r in group for c in r.categories),
        sources=dedupe(s for r in group for s in r.sources),
        metadata=_merge_metadata(group, best),
        locations=longest.locations,
    )
    if warning:
        warning = f"record {merged.title!r} ({merged.id}): {warning}"
    return merged, warning


def _resolve_year(group: list[Record]) -> tuple[int | None, str | None]:
    dated = [r for r in group if r.year is not None]
    years = {r.year for r in dated}
    if len(years) <= 1:
        return (dated[0].year if dated else None), None
    top = max(_rank(r) for r in dated)
    counts = Counter(r.year for r in dated if _rank(r) == top)
    most = max(counts.values())
    chosen = min(y for y, n in counts.items() if n == most)
    seen = ", ".join(f"{r.year} ({', '.join(r.sources)})" for r in dated)
    if top > 0:
        why = "the repository record page's Publication Date wins"
    elif list(counts.values()).count(most) == 1:
        why = "the year given by most sources"
    else:
        why = "a tie goes to the earliest year"
    return chosen, f"conflicting years {seen}; kept {chosen} ({why})"


def _merge_metadata(group: list[Record], best: Record) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    for record in [best] + [r for r in group if r is not best]:
        for key, value in record.metadata.items():
            metadata.setdefault(key, value)
    occurrences: list[dict[str, Any]] = []
    for record in group:
        seen = record.metadata.get("occurrences") or [
            {  # an already merged record keeps its list
                "source": ", ".join(record.sources),
                **{
                    k: record.metadata[k]
                    for k in ("format", "line", "page_heading")
                    if k in record.metadata
                },
            }
        ]
        occurrences.extend(o for o in seen if o not in occurrences)
    metadata["occurrences"] = occurrences
    return metadata
