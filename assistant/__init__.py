"""Answer plain-language questions from a library of anti-trafficking records, citing title and
year.

    from assistant import Assistant, Settings
    answer = Assistant.from_settings(Settings()).ask("What should police do first with a victim?")

The names below are imported on first use, so `import assistant` stays instant and loads no
model, Chroma or torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Chunk",
    "Citation",
    "ConfigError",
    "Filters",
    "Hit",
    "LLMBackend",
    "LLMError",
    "ParseError",
    "QuestionError",
    "Record",
    "RetrievalParams",
    "Retriever",
    "SentenceVerdict",
    "Settings",
    "StoreError",
    "StoreUnavailable",
    "parse_question",
]

_WHERE = {
    "Answer": "assistant.models",
    "Citation": "assistant.models",
    "Filters": "assistant.models",
    "Hit": "assistant.models",
    "SentenceVerdict": "assistant.models",
    "Assistant": "assistant.service",
    "Retriever": "assistant.retrieve",
    "RetrievalParams": "assistant.retrieve",
    "parse_question": "assistant.reading.question",
    "Settings": "kernel.settings",
    "LLMBackend": "kernel.settings",
    "Record": "kernel.models",
    "Chunk": "kernel.models",
    "AssistantError": "kernel.errors",
    "ConfigError": "kernel.errors",
    "ParseError": "kernel.errors",
    "StoreError": "kernel.errors",
    "StoreUnavailable": "kernel.errors",
    "QuestionError": "kernel.errors",
    "LLMError": "kernel.errors",
}

if TYPE_CHECKING:  # pragma: no cover
    from kernel.errors import (
        AssistantError,
        ConfigError,
        LLMError,
        ParseError,
        QuestionError,
        StoreError,
        StoreUnavailable,
    )
    from kernel.models import Chunk, Record
    from kernel.settings import LLMBackend, Settings

    from .models import Answer, Citation, Filters, Hit, SentenceVerdict
    from .reading.question import parse_question
    from .retrieve import RetrievalParams, Retriever
    from .service import Assistant


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
