"""Ingestion: library files -> merged catalog records (-> chunks and vectors in the store).

Public surface (pinned by tests): parse one file, list the files of a library, merge duplicates.
"""

from __future__ import annotations

from ingest.merge import MergeResult, merge_records
from ingest.parse import iter_library_files, parse_path
from ingest.pipeline import IngestReport, ingest

__all__ = [
    "IngestReport",
    "MergeResult",
    "ingest",
    "iter_library_files",
    "merge_records",
    "parse_path",
]
