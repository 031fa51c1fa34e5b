"""Offline by construction: set every switch before any heavy library is imported.

Called by each entry point (CLI, UI server, benchmarks, tests). Idempotent.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

_SWITCHES = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "CHROMA_TELEMETRY": "False",
    "DO_NOT_TRACK": "1",
    "POSTHOG_DISABLED": "1",
}


def tiktoken_cache_dir() -> Path | None:
    """llama-index-core ships tiktoken's encodings; point tiktoken at them."""
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "_static" / "tiktoken_cache"
    return path if path.is_dir() else None


def use_bundled_tiktoken() -> None:
    """Point tiktoken at llama-index-core's bundled encodings unless TIKTOKEN_CACHE_DIR is set."""
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        cache = tiktoken_cache_dir()
        if cache is not None:
            os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)


def enable_offline_mode() -> None:
    """Set the offline and no-telemetry switches in this process's environment."""
    for key, value in _SWITCHES.items():
        os.environ[key] = value
    use_bundled_tiktoken()
