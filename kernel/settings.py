"""One settings object, built at the entry point and passed down.

Every field reads an `ASSISTANT_*` environment variable; Chroma server fields also read the
conventional `CHROMA_HOST`, `CHROMA_PORT` and `CHROMA_AUTH_TOKEN`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "bundled:all-MiniLM-L6-v2"
MAX_QUESTION_CHARS = 2000


class LLMBackend(StrEnum):
    """Which answerer writes the answer text."""

    NONE = "none"
    """No LLM: a grounded extractive answer quoted from the sources (the default)."""
    OLLAMA = "ollama"
    """A local Ollama server (`ASSISTANT_LLM_BASE_URL`, default http://127.0.0.1:11434)."""
    OPENAI = "openai"
    """Any OpenAI-compatible chat-completions server (`ASSISTANT_LLM_BASE_URL`)."""


class EmbeddingBackend(StrEnum):
    """What runs the embedding model (the same bundled weights in each case)."""

    TORCH = "torch"
    """sentence-transformers on torch (the default and the reference)."""
    ONNX = "onnx"
    """An ONNX export of the weights on onnxruntime: the same vectors as torch, so either can query
    an index the other built."""
    ONNX_INT8 = "onnx-int8"
    """That export with dynamic int8 quantisation: faster, vectors at cosine ~0.99 of torch's, so an
    index needs its own embedding (`assistant ingest --rebuild` when switching to or from it)."""


class Settings(BaseSettings):
    """Configuration of the assistant. Build it once with `Settings()` and pass it down."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", extra="ignore", populate_by_name=True
    )

    data_dir: Path = Field(
        Path("data/index"), description="Where the catalog and the embedded Chroma index live."
    )
    library_dir: Path = Field(
        Path(__file__).resolve().parent.parent / "data" / "library",
        description="Default input of `ingest`: the sample library.",
    )
    embedding_model: str = Field(
        DEFAULT_MODEL,
        description="Sentence-transformers model name or local path; the default is the bundled "
        "all-MiniLM-L6-v2.",
    )
    embedding_backend: EmbeddingBackend = Field(
        EmbeddingBackend.TORCH,
        description="torch, onnx or onnx-int8: what runs the embedding model. The ONNX exports "
        "are made locally from the model folder the first time, into model_cache_dir. An index "
        "records its backend; int8 vectors differ, so switching to or from onnx-int8 asks "
        "for `ingest --rebuild`.",
    )
    model_cache_dir: Path | None = Field(
        None,
        description="Where ONNX exports of the embedding model are kept; unset: "
        "$XDG_CACHE_HOME/trafficking-evidence-assistant/onnx (~/.cache/... by default).",
    )
    chunk_tokens: int = Field(
        200, ge=32, le=256, description="Word pieces per chunk (the model reads at most 256)."
    )
    chunk_overlap: int = Field(
        40, ge=0, le=128, description="Word pieces shared by consecutive chunks."
    )
    embed_batch_size: int = Field(32, ge=1, description="Texts per embedding batch.")
    model_threads: int | None = Field(
        None,
        ge=0,
        description="CPU threads per embedding call; unset: one when answering (serve, ask, eval), "
        "every core for ingest; 0: every core. Answering uses one because a second thread "
        "spin-waits as soon as anything else holds a core (a query vector measured 488 ms "
        "instead of 7 ms); bulk ingest on an otherwise idle machine is ~1.9x faster with both.",
    )
    collection: str = Field("library", description="Chroma collection name.")
    chroma_host: str | None = Field(
        None,
        validation_alias=AliasChoices("CHROMA_HOST", "ASSISTANT_CHROMA_HOST"),
        description="Chroma server host; unset means embedded Chroma in the data dir.",
    )
    chroma_port: int = Field(
        8000, validation_alias=AliasChoices("CHROMA_PORT", "ASSISTANT_CHROMA_PORT")
    )
    chroma_auth_token: str | None = Field(
        None,
        validation_alias=AliasChoices("CHROMA_AUTH_TOKEN", "ASSISTANT_CHROMA_AUTH_TOKEN"),
        description="Bearer token for a Chroma server that requires one.",
    )
    top_k: int = Field(6, ge=1, le=50, description="Records an answer draws on.")
    max_question_chars: int = Field(
        MAX_QUESTION_CHARS, ge=50, description="Longer questions are cut, with a warning."
    )
    llm: LLMBackend = Field(
        LLMBackend.NONE, description="none (default, no LLM), ollama or openai."
    )
    llm_model: str = Field("llama3.1", description="Model name for the LLM backend.")
    llm_base_url: str | None = Field(None, description="Base URL of the LLM server.")
    llm_api_key: str | None = Field(None, description="API key for an OpenAI-compatible server.")
    llm_timeout: float = Field(60.0, description="Seconds to wait for the LLM.")
    llm_context_tokens: int = Field(
        8192,
        ge=2048,
        description="The LLM's context window in tokens (counted with tiktoken's cl100k_base). The "
        "prompt is fitted into it with room for the answer: the lowest-ranked sources go "
        "first, then the oldest conversation turns, and the answer says so. Also sent to "
        "Ollama as num_ctx.",
    )
    host: str = Field("127.0.0.1", description="Address the web UI binds.")
    port: int = Field(7860, ge=1, le=65535, description="Port of the web UI.")
    auth_file: Path | None = Field(
        None, description="File of `user:password` lines; enables login."
    )
    auth: str | None = Field(None, description="`user:password` enabling login (prefer auth_file).")
    queue_size: int = Field(64, description="Requests the UI queue holds.")
    concurrency: int = Field(4, description="Answers the UI computes at once.")

    def embedding_threads(self, bulk: bool = False) -> int:
        """Torch threads for the model: `model_threads` if set, else 0 (every core) for bulk
        embedding (ingest) and 1 for answering."""
        if self.model_threads is not None:
            return self.model_threads
        return 0 if bulk else 1


def load_settings(**overrides) -> Settings:
    """The settings of this run (environment plus `overrides`, e.g. command-line options); a bad
    value is one `ConfigError` line naming the setting, for every entry point."""
    from kernel.errors import ConfigError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid settings: {problems}") from exc
