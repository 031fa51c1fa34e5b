"""BEIR corpora (`corpus.jsonl`): one object a line with `_id`, `title`, `text` (and `metadata`).

The record id is the `_id` verbatim; the abstract is `text`; the year is unknown (None).
A document without a title is titled by its id, so that it can still be cited.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.parse.common import make_record
from kernel.errors import ParseError
from kernel.models import Record


def is_beir(item: Any) -> bool:
    return isinstance(item, dict) and "_id" in item and "text" in item


def parse_beir_items(path: Path, items: list[tuple[int, Any]]) -> list[Record]:
    records = []
    for line, item in items:
        if not is_beir(item):
            raise ParseError(
                path,
                f"line {line}: expected a BEIR document with '_id' and 'text', "
                f"found {str(item)[:80]!r}",
            )
        doc_id = str(item["_id"]).strip()
        if not doc_id:
            raise ParseError(path, f"line {line}: expected a non-empty '_id'")
        text = item.get("text") or ""
        if not isinstance(text, str):
            raise ParseError(
                path, f"line {line}: expected 'text' to be a string, found {type(text).__name__}"
            )
        title = str(item.get("title") or "").strip() or doc_id
        metadata: dict[str, Any] = {"format": "beir", "line": line, "beir_id": doc_id}
        if item.get("metadata"):
            metadata["beir_metadata"] = item["metadata"]
        records.append(
            make_record(path, title=title, record_id=doc_id, abstract=text, metadata=metadata)
        )
    if not records:
        raise ParseError(path, "expected BEIR documents, found none")
    return records
