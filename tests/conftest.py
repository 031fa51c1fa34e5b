"""Shared fixtures: isolated environment, one embedding model per session, a sample index."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kernel.offline import enable_offline_mode

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "data" / "library"
SHARED = ROOT.parent / "shared"

enable_offline_mode()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test sees the developer's ASSISTANT_* / CHROMA_* settings or writes to ./data."""
    for key in list(os.environ):
        if key.startswith(("ASSISTANT_", "CHROMA_")):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    enable_offline_mode()


@pytest.fixture(scope="session")
def embedder():
    from vectorstore.embedding import Embedder

    return Embedder.load()


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory, embedder) -> Path:
    """The sample library ingested once per session (tests copy it before writing)."""
    from ingest.pipeline import ingest
    from kernel.settings import Settings

    data_dir = tmp_path_factory.mktemp("sample") / "index"
    ingest(Settings(data_dir=data_dir), [LIBRARY], embedder=embedder, quiet=True)
    return data_dir


@pytest.fixture
def sample_copy(sample_index_dir, tmp_path) -> Path:
    """A private, writable copy of the sample index."""
    target = tmp_path / "sample-index"
    shutil.copytree(sample_index_dir, target)
    return target


@pytest.fixture(scope="session")
def sample_assistant(sample_index_dir, embedder):
    from assistant.service import Assistant
    from kernel.settings import Settings

    return Assistant.from_settings(Settings(data_dir=sample_index_dir), embedder=embedder)


@pytest.fixture
def cli_assistant(monkeypatch, sample_assistant):
    """The CLI uses the session's sample assistant instead of loading the model again."""
    from assistant.service import Assistant

    monkeypatch.setattr(
        Assistant,
        "from_settings",
        classmethod(lambda cls, settings, embedder=None: sample_assistant),
    )
    return sample_assistant
