"""The embedding model on ONNX Runtime: exported locally from the bundled weights, optionally int8.

    torch      sentence-transformers on torch (the reference)
    onnx       the same network exported to ONNX (float32): vectors equal torch's to ~1e-6
    onnx-int8  that export with dynamic int8 quantisation of its MatMul weights (per channel):
               vectors at cosine ~0.99 of torch's, so an index needs its own embedding

The export is made once, from the model folder on disk (never downloaded), into a cache folder
(`Settings.model_cache_dir`, default `$XDG_CACHE_HOME/trafficking-evidence-assistant/onnx`), keyed
by a hash of the weights; it is written to a temporary file and renamed, so two processes that
export at once both end with a whole file. torch is needed only to export; a cached export loads
with onnxruntime and the model's fast tokenizer alone.

Why not sentence-transformers' own `backend="onnx"`: it loads through `optimum.onnxruntime`, which
now lives in the `optimum-onnx` package, whose only release (0.1.0) requires transformers < 4.58
and would downgrade the transformers 5.x that sentence-transformers 6.2 runs on. Exporting with
`torch.onnx.export` and quantising with `onnxruntime.quantization` needs only `onnx` and
`onnxruntime`; the pooling (mean over the attention mask, then L2 normalisation) is the model's
own `1_Pooling` configuration, checked at load.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kernel.errors import ConfigError

BACKENDS = ("torch", "onnx", "onnx-int8")
"""The values of `ASSISTANT_EMBEDDING_BACKEND`."""
FILES = {"onnx": "model.onnx", "onnx-int8": "model_int8.onnx"}
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def vector_family(backend: str) -> str:
    """Backends whose vectors are interchangeable share a family: torch and onnx give the same
    float32 vectors; int8 vectors differ (cosine ~0.99), so an index embedded with one family must
    be rebuilt to be queried with the other."""
    return "int8" if backend == "onnx-int8" else "fp32"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trafficking-evidence-assistant" / "onnx"


def _weights_key(model_dir: Path) -> str:
    """Changes when the weights or the configuration of the model folder change."""
    digest = hashlib.sha256()
    for name in ("model.safetensors", "pytorch_model.bin", "config.json", "tokenizer.json"):
        path = model_dir / name
        if path.is_file():
            digest.update(name.encode())
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def export_path(model_dir: Path, backend: str, cache_dir: Path | None = None) -> Path:
    """Where the export of `model_dir` for `backend` lives (made or not)."""
    folder = (cache_dir or default_cache_dir()) / f"{model_dir.name}-{_weights_key(model_dir)}"
    return folder / FILES[backend]


def _export_fp32(model_dir: Path, target: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    network = model[0].auto_model.eval()

    class _Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.network = network

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: D401 - torch's naming
            return self.network(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = model.tokenizer(
        ["a sample", "a longer sample sentence"], padding=True, return_tensors="pt"
    )
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Hidden(),
            tuple(sample[name] for name in INPUTS),
            str(tmp),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, target)


def _quantise(source: Path, target: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    logging.getLogger().setLevel(
        max(logging.getLogger().level, logging.ERROR)
    )  # its "pre-process first" advice
    # Per-channel int8 weights of the MatMuls only: cosine to torch ~0.993 on abstracts, where
    # quantising per tensor gave ~0.96 (measured on the bundled model, see the README).
    quantize_dynamic(
        str(source),
        str(tmp),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
    )
    os.replace(tmp, target)


def ensure_export(model_dir: Path, backend: str, cache_dir: Path | None = None) -> Path:
    """The ONNX file for `backend`, exported (and quantised) from `model_dir` the first time."""
    target = export_path(model_dir, backend, cache_dir)
    if target.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the ONNX cache folder {target.parent}: {exc}; "
            "set ASSISTANT_MODEL_CACHE_DIR to a writable folder"
        ) from exc
    fp32 = export_path(model_dir, "onnx", cache_dir)
    if not fp32.is_file():
        _export_fp32(model_dir, fp32)
    if backend == "onnx-int8":
        _quantise(fp32, target)
    return target


class OnnxModel:
    """What `Embedder` needs of a SentenceTransformer (`encode`, `tokenizer`, `max_seq_length`,
    `get_embedding_dimension`), on an onnxruntime session."""

    def __init__(self, session: Any, tokenizer: Any, max_seq_length: int, dimension: int) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.max_seq_length = max_seq_length
        self._dimension = dimension
        self._inputs = [i.name for i in session.get_inputs()]

    @classmethod
    def load(
        cls, model_dir: str | Path, backend: str, cache_dir: Path | None = None, threads: int = 0
    ) -> OnnxModel:
        import onnxruntime
        from transformers import AutoTokenizer

        model_dir = Path(model_dir)
        pooling = _read_json(model_dir / "1_Pooling" / "config.json")
        if pooling and not pooling.get("pooling_mode_mean_tokens", False):
            raise ConfigError(
                f"the {backend} embedding backend supports mean-pooling models only; "
                f"{model_dir} pools otherwise: use ASSISTANT_EMBEDDING_BACKEND=torch"
            )
        path = ensure_export(model_dir, backend, cache_dir)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Waiting threads sleep instead of spinning: on a shared machine a spinning thread steals
        # the core the work needs (the same effect that makes answering use one torch thread).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        config = _read_json(model_dir / "sentence_bert_config.json")
        max_len = int(config.get("max_seq_length") or tokenizer.model_max_length)
        dimension = int(
            pooling.get("word_embedding_dimension") or session.get_outputs()[0].shape[-1]
        )
        return cls(session, tokenizer, max_len, dimension)

    def get_embedding_dimension(self) -> int:
        return self._dimension

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        show_progress_bar: bool = False,
        convert_to_numpy: bool = True,
        normalize_embeddings: bool = True,
    ) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors; texts are batched by length like
        sentence-transformers."""
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            index = order[start : start + batch_size]
            batch = self.tokenizer(
                [texts[i] for i in index],
                padding=True,
                truncation=True,
                max_length=self.max_seq_length,
                return_tensors="np",
            )
            feed = {name: np.asarray(batch[name], dtype=np.int64) for name in self._inputs}
            hidden = self.session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            vectors = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            if normalize_embeddings:
                vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
            out[index] = vectors
        return out


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
