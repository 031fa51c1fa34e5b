"""The catalog and the vectors: typed records, the store (SQLite catalog + Chroma), the model, BM25.

Imports here are light; `Store` and `Embedder` load chromadb / the model only when used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kernel.errors import AssistantError, ConfigError, ParseError, StoreError, StoreUnavailable
from kernel.models import Chunk, Record, record_id_for_title
from kernel.text import normalize_title

if TYPE_CHECKING:  # pragma: no cover
    from vectorstore.embedding import Embedder
    from vectorstore.store import Store

__all__ = [
    "AssistantError",
    "Chunk",
    "ConfigError",
    "Embedder",
    "ParseError",
    "Record",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "normalize_title",
    "record_id_for_title",
]

_LAZY = {"Store": "vectorstore.store", "Embedder": "vectorstore.embedding"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'vectorstore' has no attribute {name!r}")
