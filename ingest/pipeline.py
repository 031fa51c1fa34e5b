"""The ingestion pipeline: files -> parsed records -> merged catalog -> chunks -> vectors -> store.

Incremental: a record whose content hash (its embedded fields plus the chunking settings and
the model) is already in the store is not re-embedded; a changed record's old chunks are
replaced; records absent from this run's merged output are removed only with `prune=True`.
Every file is accepted (it gave records), skipped (not a library format: an image, a spreadsheet)
or rejected (a library format that could not be read, with the reason). `prune=True` never removes
a record that came from a rejected file or from a CSV with skipped (title-less) rows: such a
record may be missing from this run only because of the error.
Crash-safe through `Store.apply` (see vectorstore/store.py). Work goes in groups of
`GROUP_RECORDS` records, written in batches of chunks, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.chunk import chunk_record
from kernel.errors import ParseError
from kernel.models import Record

if TYPE_CHECKING:  # pragma: no cover
    from kernel.settings import Settings

__all__ = ["IngestReport", "ingest", "record_hash"]

GROUP_RECORDS = 2000
"""Records chunked and embedded per group (bounds memory at 100k records)."""
WRITE_CHUNKS = 64
"""Chunks embedded before the first crash-safe write to the store; each next write takes twice as
many, up to `WRITE_CHUNKS_MAX` (early progress is saved soon, long runs pay few per-write costs)."""
WRITE_CHUNKS_MAX = 1024


@dataclass
class IngestReport:
    """What one ingest run did."""

    files: int = 0
    accepted: int = 0
    skipped: int = 0
    rejected: int = 0
    rows_skipped: int = 0
    records: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    prune_kept: int = 0
    chunks_embedded: int = 0
    errors: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def ingested_nothing(self) -> bool:
        """True when no file gave a record (the command then exits non-zero)."""
        return self.records == 0

    def summary(self) -> str:
        files = (
            f"{self.files} file{'s' if self.files != 1 else ''} "
            f"({self.accepted} accepted, {self.skipped} skipped, {self.rejected} rejected)"
        )
        rows = (
            f", {self.rows_skipped} row{'s' if self.rows_skipped != 1 else ''} "
            "without a title skipped"
            if self.rows_skipped
            else ""
        )
        kept = (
            f" ({self.prune_kept} kept: their files had errors or skipped rows)"
            if self.prune_kept
            else ""
        )
        return (
            f"{files}, {self.records} records{rows}: {self.added} added, "
            f"{self.updated} updated, {self.unchanged} unchanged, {self.removed} removed{kept}; "
            f"{self.chunks_embedded} chunks embedded in {self.seconds:.1f} s"
        )


def record_hash(record: Record, settings: Settings) -> str:
    """Changes whenever what gets embedded for the record would change."""
    key = (
        f"{record.content_hash()}|{settings.embedding_model}|"
        f"{settings.chunk_tokens}|{settings.chunk_overlap}"
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _parse(paths: Sequence[Path], report: IngestReport) -> tuple[list[Record], set[str], set[str]]:
    """(merged records, names of the files read, names of the files read only in part or not at
    all)."""
    from ingest.merge import merge_records
    from ingest.parse import SkippedFile, iter_library_files, parse_file
    from ingest.sidecar import apply_sidecars

    files: list[Path] = []
    for path in paths:
        try:
            files.extend(iter_library_files([Path(path)]))
        except ParseError as exc:
            report.errors.append(str(exc))
    parsed: list[Record] = []
    seen: set[str] = set()
    incomplete: set[str] = set()
    for file in dict.fromkeys(files):
        report.files += 1
        try:
            result = parse_file(file)
        except SkippedFile as exc:
            report.skipped += 1
            report.skipped_files.append(str(exc))
            continue
        except ParseError as exc:
            report.rejected += 1
            report.errors.append(str(exc))
            incomplete.add(file.name)
            continue
        report.accepted += 1
        parsed.extend(result.records)
        report.warnings.extend(result.warnings)
        if result.warnings:
            report.rows_skipped += len(result.warnings)
            incomplete.add(file.name)
        seen.add(file.name)
    parsed, sidecar_warnings = apply_sidecars(parsed)
    report.warnings.extend(sidecar_warnings)
    merged = merge_records(parsed)
    report.warnings.extend(merged.warnings)
    return list(merged.records), seen, incomplete


def _with_catalog(record: Record, existing: Record | None, read_sources: set[str]) -> Record:
    """A record seen before from files not read in this run keeps what those files contributed."""
    if existing is None or set(existing.sources) <= read_sources:
        return record
    from ingest.merge import merge_records

    merged = merge_records([existing, record]).records
    return merged[0] if len(merged) == 1 else record


def ingest(
    settings: Settings,
    paths: Sequence[Path] | None = None,
    *,
    embedder: Any = None,
    prune: bool = False,
    rebuild: bool = False,
    quiet: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Ingest `paths` (files or folders; default `settings.library_dir`) into the store of
    `settings`.

    A file that cannot be parsed goes into `report.errors`; the other files still ingest.
    `progress(done, total)` is called after each write with records embedded so far.
    """
    from vectorstore.store import Store

    started = time.perf_counter()
    report = IngestReport()
    inputs = [Path(p) for p in (paths or [settings.library_dir])]
    store = Store.open(
        settings, write=True, rebuild=rebuild
    )  # fails fast on an unwritable data dir
    try:
        began = time.perf_counter()
        records, read_sources, incomplete = _parse(inputs, report)
        report.records = len(records)
        if not quiet:
            print(
                f"Read {report.records} records from {report.files} files "
                f"in {time.perf_counter() - began:.1f} s",
                file=sys.stderr,
                flush=True,
            )
        known = store.hashes()
        stored = {r.id: r for r in store.records()} if known else {}  # one read, not one a record
        todo: list[tuple[Record, str]] = []
        catalog_only: list[Record] = []
        for record in records:
            old_hash = known.get(record.id)
            existing = stored.get(record.id) if old_hash is not None else None
            record = _with_catalog(record, existing, read_sources)
            digest = record_hash(record, settings)
            if old_hash is None:
                report.added += 1
                todo.append((record, digest))
            elif old_hash != digest:
                report.updated += 1
                todo.append((record, digest))
            else:
                report.unchanged += 1
                if existing is None or existing.to_dict() != record.to_dict():
                    catalog_only.append(record)
        store.update_records(catalog_only)
        if todo:
            if embedder is None:
                from vectorstore.embedding import Embedder

                embedder = Embedder.from_settings(settings, bulk=True)
            report.chunks_embedded = _embed_and_write(
                store, todo, embedder, settings, quiet, progress
            )
        if prune:
            present = {r.id for r in records}
            gone = [rid for rid in known if rid not in present]
            if incomplete:  # absent perhaps only because its row or file could not be read: keep it
                kept = {
                    rid for rid in gone if rid in stored and set(stored[rid].sources) & incomplete
                }
                report.prune_kept = len(kept)
                gone = [rid for rid in gone if rid not in kept]
                if kept:
                    report.warnings.append(
                        f"--prune kept {len(kept)} record{'s' if len(kept) != 1 else ''} of "
                        f"{', '.join(sorted(incomplete))}: rows or files there could not be read, "
                        "so their absence from this run proves nothing; "
                        "fix them and ingest again to prune"
                    )
            store.delete(gone)
            report.removed = len(gone)
    finally:
        store.close()
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _embed_and_write(
    store: Any,
    todo: list[tuple[Record, str]],
    embedder: Any,
    settings: Settings,
    quiet: bool,
    progress: Callable[[int, int], None] | None,
) -> int:
    from tqdm import tqdm

    bar = tqdm(
        total=len(todo),
        unit="record",
        desc="Embedding",
        file=sys.stderr,
        disable=quiet,
        dynamic_ncols=True,
        mininterval=0.5,
    )
    done = embedded = 0
    write_size = WRITE_CHUNKS
    try:
        for g in range(0, len(todo), GROUP_RECORDS):
            group = todo[g : g + GROUP_RECORDS]
            chunked = [
                (
                    record,
                    digest,
                    chunk_record(record, embedder, settings.chunk_tokens, settings.chunk_overlap),
                )
                for record, digest in group
            ]
            # Similar lengths together: less padding inside each model batch.
            chunked.sort(key=lambda item: sum(len(c.text) for c in item[2]) / len(item[2]))
            batch: list[tuple[Record, str, list]] = []
            size = 0
            for item in chunked + [None]:
                if item is not None:
                    batch.append(item)
                    size += len(item[2])
                if batch and (item is None or size >= write_size):
                    embedded += _write_batch(store, batch, embedder, settings)
                    write_size = min(WRITE_CHUNKS_MAX, write_size * 2)
                    done += len(batch)
                    bar.update(len(batch))
                    if progress is not None:
                        progress(done, len(todo))
                    batch, size = [], 0
    finally:
        bar.close()
    return embedded


def _write_batch(
    store: Any, batch: list[tuple[Record, str, list]], embedder: Any, settings: Settings
) -> int:
    texts = [c.text for _, _, chunks in batch for c in chunks]
    vectors = embedder.encode(texts, batch_size=settings.embed_batch_size)
    chunks_by_record, vectors_by_record, at = {}, {}, 0
    for record, _, chunks in batch:
        chunks_by_record[record.id] = chunks
        vectors_by_record[record.id] = vectors[at : at + len(chunks)]
        at += len(chunks)
    store.apply(
        [r for r, _, _ in batch],
        chunks_by_record,
        vectors_by_record,
        hashes={r.id: d for r, d, _ in batch},
    )
    return len(texts)
