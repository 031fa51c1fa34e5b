"""Sidecar catalogs: a CSV/JSON catalog row with a `file` column describes a report file.

    title,year,author,file
    Hidden in Plain Sight,2019,Jane Doe,hidden.pdf

When `hidden.pdf` is ingested in the same run, the row's title, year (when it gives one),
authors, places and categories replace what the report's own metadata or first page gave;
the report keeps its full text and pages, and the row is not ingested as a record of its own.
A row naming a file that is not among this run's reports stays an ordinary catalog record,
with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.parse.common import dedupe
from kernel.models import Record

__all__ = ["REPORT_FORMATS", "apply_sidecars"]

REPORT_FORMATS = {"pdf", "docx", "text", "markdown", "html"}


def _is_report(record: Record) -> bool:
    return record.metadata.get("format") in REPORT_FORMATS and bool(record.metadata.get("file"))


def apply_sidecars(records: Sequence[Record]) -> tuple[list[Record], list[str]]:
    """Reports with their sidecar rows applied, the rows consumed; warnings for rows naming no
    report."""
    reports = {
        str(r.metadata["file"]).casefold(): i for i, r in enumerate(records) if _is_report(r)
    }
    out = list(records)
    used: dict[int, Record] = {}
    drop: set[int] = set()
    warnings: list[str] = []
    for i, row in enumerate(records):
        named = row.metadata.get("file")
        if _is_report(row) or not named:
            continue
        where = f"{', '.join(row.sources)} line {row.metadata.get('line', '?')}"
        target = reports.get(str(named).replace("\\", "/").rsplit("/", 1)[-1].casefold())
        if target is None:
            warnings.append(
                f"{where} names the file {named!r}, which is not among the reports ingested "
                "in this run; the row is ingested as a catalog record"
            )
            continue
        if target in used:
            warnings.append(
                f"{where} names {named!r} again; only the first row describing it is used"
            )
            drop.add(i)
            continue
        report = records[target]
        out[target] = replace(
            report,
            id=row.id,  # the row's own id, or the one its title gives
            title=row.title,
            year=row.year if row.year is not None else report.year,
            authors=row.authors or report.authors,
            countries=row.countries,
            regions=row.regions,
            categories=row.categories,
            sources=dedupe([*report.sources, *row.sources]),
            metadata={
                **report.metadata,
                **{k: v for k, v in row.metadata.items() if k not in ("format", "file")},
                "catalog_row": where,
            },
        )
        used[target] = row
        drop.add(i)
    return [r for i, r in enumerate(out) if i not in drop], warnings
