"""The embedding backends (torch, onnx, onnx-int8): the same model, exported locally, never mixed
in one index when their vectors differ."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import ingest
from kernel.errors import ConfigError, StoreError
from kernel.settings import EmbeddingBackend, Settings, load_settings
from vectorstore.embedding import Embedder, resolve_model_path
from vectorstore.onnx_backend import BACKENDS
from vectorstore.store import Store

TEXTS = [
    "Violent conflict greatly increases the vulnerability of civilians to trafficking.",
    "Debt bondage in brick kilns keeps whole families working without pay for years.",
    "forced labour at sea",
]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="session")
def onnx_embedders(onnx_cache) -> dict[str, Embedder]:
    return {
        b: Embedder.load(threads=1, backend=b, cache_dir=onnx_cache) for b in ("onnx", "onnx-int8")
    }


@pytest.mark.slow
def test_onnx_backends__encode_like_torch_from_a_local_export(embedder, onnx_embedders, onnx_cache):
    model_dir = Path(resolve_model_path("bundled:all-MiniLM-L6-v2"))
    reference = embedder.encode(TEXTS)
    fp32 = onnx_embedders["onnx"].encode(TEXTS)
    int8 = onnx_embedders["onnx-int8"].encode(TEXTS)

    assert fp32.shape == int8.shape == reference.shape
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    assert (fp32 * reference).sum(axis=1).min() > 0.9999  # the same network
    assert 0.98 < (int8 * reference).sum(axis=1).min() < 0.9999  # close, but not the same vectors
    assert onnx_embedders["onnx"].count_tokens(TEXTS[1]) == embedder.count_tokens(TEXTS[1])
    exports = sorted(p.name for p in onnx_cache.rglob("*.onnx"))
    assert exports == ["model.onnx", "model_int8.onnx"]
    assert not list(model_dir.rglob("*.onnx")), (
        "nothing is written into the installed model package"
    )


@pytest.mark.slow
def test_onnx_backends__a_second_load_reuses_the_export(onnx_embedders, onnx_cache):
    export = next(onnx_cache.rglob("model_int8.onnx"))
    before = export.stat().st_mtime_ns

    again = Embedder.load(threads=1, backend="onnx-int8", cache_dir=onnx_cache)

    assert export.stat().st_mtime_ns == before
    assert np.allclose(again.encode(TEXTS[:1]), onnx_embedders["onnx-int8"].encode(TEXTS[:1]))


@pytest.mark.slow
def test_onnx_backend__ranks_the_relevant_text_first(onnx_embedders):
    for embedder in onnx_embedders.values():
        scores = embedder.encode(TEXTS) @ embedder.encode_query(
            "families trapped by debts at kilns"
        )
        assert int(np.argmax(scores)) == 1


def test_settings__backend_values_match_the_store_and_unknown_ones_are_one_line_errors(monkeypatch):
    assert tuple(b.value for b in EmbeddingBackend) == BACKENDS
    monkeypatch.setenv("ASSISTANT_EMBEDDING_BACKEND", "onnx-int8")
    assert Settings().embedding_backend is EmbeddingBackend.ONNX_INT8
    monkeypatch.setenv("ASSISTANT_EMBEDDING_BACKEND", "tensorrt")
    with pytest.raises(ConfigError, match="embedding_backend") as err:
        load_settings()
    assert "\n" not in str(err.value)
    with pytest.raises(ConfigError, match="unknown embedding backend 'tensorrt'"):
        Embedder.load(backend="tensorrt")


class _Toy:
    name = "bundled:all-MiniLM-L6-v2"
    dimension = 8
    max_tokens = 256

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def encode(self, texts, batch_size=32, progress=False):
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        out[:, 0] = 1.0
        return out


def _index(tmp_path: Path, backend: str) -> Path:
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text(
        "".join(
            json.dumps({"title": f"Study {i}", "abstract": f"Findings {i}."}) + "\n"
            for i in range(3)
        ),
        encoding="utf-8",
    )
    data_dir = tmp_path / "index"
    ingest(
        Settings(data_dir=data_dir, embedding_backend=backend),
        [catalog],
        embedder=_Toy(),
        quiet=True,
    )
    return data_dir


def test_store__an_index_embedded_with_torch_refuses_int8_queries_and_asks_for_a_rebuild(tmp_path):
    data_dir = _index(tmp_path, "torch")

    Store.open(
        Settings(data_dir=data_dir, embedding_backend="onnx")
    ).close()  # same vectors: allowed
    with pytest.raises(StoreError, match=r"torch backend.*onnx-int8.*ingest --rebuild") as err:
        Store.open(Settings(data_dir=data_dir, embedding_backend="onnx-int8"))
    assert "\n" not in str(err.value)


def test_store__an_int8_index_refuses_float_queries_until_rebuilt(tmp_path):
    data_dir = _index(tmp_path, "onnx-int8")
    catalog = tmp_path / "catalog.jsonl"

    with pytest.raises(StoreError, match="ASSISTANT_EMBEDDING_BACKEND=onnx-int8"):
        Store.open(Settings(data_dir=data_dir))
    report = ingest(
        Settings(data_dir=data_dir), [catalog], embedder=_Toy(), rebuild=True, quiet=True
    )

    assert report.added == 3
    Store.open(Settings(data_dir=data_dir)).close()
