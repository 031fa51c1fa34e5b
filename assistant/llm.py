"""The LLM answerer (off by default): Ollama or any OpenAI-compatible server via llama-index.

The model sees the retrieved records as numbered sources fenced as data:

    <source n="1">
    Source 1:
    Title: …
    Year: 2016            ("n.d." when the catalog has no year)
    Abstract: …
    </source>

and must cite them as `[n]`; it never writes titles or years (the citation guard and the
renderer take those from the catalog). Any network or server failure becomes an `LLMError`
with a one-line message. llama-index's global `Settings` is never used: the LLM is passed in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from assistant.guard import MARKER_RE
from assistant.models import Hit
from assistant.settings import LLMBackend, Settings
from vectorstore.errors import AssistantError, ConfigError, LLMError

if TYPE_CHECKING:  # pragma: no cover
    from llama_index.core.llms import LLM

__all__ = ["LLMAnswerer", "build_llm", "format_history", "format_sources"]

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
OLLAMA_CONTEXT = 8192
"""num_ctx sent to Ollama: room for six sources of 2,500 characters and the answer. Left unset,
the adapter would ask the server (/api/show) and use the model's full context, which for
llama3.1 (128k) costs gigabytes of memory."""
MAX_SOURCE_CHARS = 2500
MAX_HISTORY_TURNS = 3
_FENCE = re.compile(r"<(/?\s*source\b)", re.IGNORECASE)


def build_llm(settings: Settings) -> "LLM":
    """The llama-index LLM the settings choose; a missing adapter package is a `ConfigError`."""
    backend = LLMBackend(settings.llm)
    if backend is LLMBackend.OLLAMA:
        try:
            from llama_index.llms.ollama import Ollama
        except ImportError as exc:
            raise ConfigError(
                "ASSISTANT_LLM=ollama needs the package llama-index-llms-ollama (pip install llama-index-llms-ollama)"
            ) from exc
        return Ollama(
            model=settings.llm_model,
            base_url=(settings.llm_base_url or DEFAULT_OLLAMA_URL).rstrip("/"),
            request_timeout=settings.llm_timeout,
            context_window=OLLAMA_CONTEXT,
            temperature=0.1,
        )
    if backend is LLMBackend.OPENAI:
        if not settings.llm_base_url:
            raise ConfigError(
                "ASSISTANT_LLM=openai needs ASSISTANT_LLM_BASE_URL (e.g. http://127.0.0.1:8000/v1), found none"
            )
        try:
            from llama_index.llms.openai_like import OpenAILike
        except ImportError as exc:
            raise ConfigError(
                "ASSISTANT_LLM=openai needs the package llama-index-llms-openai-like "
                "(pip install llama-index-llms-openai-like)"
            ) from exc
        return OpenAILike(
            model=settings.llm_model,
            api_base=settings.llm_base_url.rstrip("/"),
            api_key=settings.llm_api_key or "not-needed",
            is_chat_model=True,
            is_function_calling_model=False,
            timeout=settings.llm_timeout,
            max_retries=0,
            temperature=0.1,
        )
    raise ConfigError(f"no LLM is configured: ASSISTANT_LLM is {backend.value!r}, expected 'ollama' or 'openai'")


def _data(text: str) -> str:
    """Source text as inert data: it cannot open or close a fence."""
    return _FENCE.sub(r"&lt;\1", " ".join(str(text).split()))


def format_sources(hits: Sequence[Hit], max_chars: int = MAX_SOURCE_CHARS) -> str:
    """The numbered, fenced source blocks the model reads (n = 1-based index into `hits`)."""
    blocks = []
    for n, hit in enumerate(hits, start=1):
        record = hit.record
        abstract = record.abstract or hit.chunk_text or ""
        if record.locations and hit.chunk_text:  # a full-text report: the retrieved passage, not its first pages
            abstract = hit.chunk_text.partition("\n")[2] or hit.chunk_text
        if len(abstract) > max_chars:
            abstract = abstract[:max_chars].rsplit(" ", 1)[0] + " …"
        blocks.append(
            f'<source n="{n}">\nSource {n}:\nTitle: {_data(record.title)}\nYear: {record.year_label}\n'
            f"Abstract: {_data(abstract)}\n</source>"
        )
    return "\n\n".join(blocks)


def _turn(item: Any) -> list[tuple[str, str]]:
    """One history item as (role, text) pairs; accepts (question, answer) pairs, role dicts,
    chat messages and `Answer` objects."""
    if isinstance(item, dict):
        content = item.get("content", "")
        if isinstance(content, list):  # gradio message parts
            content = " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in content)
        return [(str(item.get("role", "user")), str(content))]
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return [("user", str(item[0] or "")), ("assistant", str(item[1] or ""))]
    if hasattr(item, "question") and hasattr(item, "text"):
        return [("user", str(item.question)), ("assistant", str(item.text))]
    if hasattr(item, "role") and hasattr(item, "content"):
        role = getattr(item.role, "value", item.role)
        return [(str(role), str(item.content or ""))]
    return [("user", str(item))]


def format_history(history: Sequence[Any], max_turns: int = MAX_HISTORY_TURNS, max_chars: int = 600) -> str:
    """The last turns of the conversation as "User: …" / "Assistant: …" lines, or "(none)"."""
    pairs = [pair for item in history for pair in _turn(item)]
    pairs = [(role, " ".join(MARKER_RE.sub("", text).split())) for role, text in pairs if text.strip()]
    pairs = pairs[-2 * max_turns:]
    if not pairs:
        return "(none)"
    lines = []
    for role, text in pairs:
        if len(text) > max_chars:
            text = text[:max_chars] + " …"
        lines.append(f"{'Assistant' if role == 'assistant' else 'User'}: {_data(text)}")
    return "\n".join(lines)


def _one_line(exc: BaseException, where: str) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    if len(message) > 200:
        message = message[:200] + " …"
    return f"the LLM server at {where} failed ({type(exc).__name__}): {message}"


class LLMAnswerer:
    """Writes an answer with an LLM from numbered, fenced sources; the guard checks it afterwards."""

    def __init__(self, llm: "LLM", template: str | None = None, system: str | None = None) -> None:
        from prompts import load_prompt

        self.llm = llm
        self.template = template if template is not None else load_prompt("answer")
        self.system = system if system is not None else load_prompt("system")

    @classmethod
    def from_settings(cls, settings: Settings) -> "LLMAnswerer":
        return cls(build_llm(settings))

    @property
    def where(self) -> str:
        for name in ("api_base", "base_url"):
            value = getattr(self.llm, name, None)
            if value:
                return str(value)
        return type(self.llm).__name__

    def messages(self, question: str, hits: Sequence[Hit], history: Sequence[Any] = ()) -> list[Any]:
        """The chat messages sent to the model: the system rules, then the filled template."""
        from llama_index.core.llms import ChatMessage, MessageRole

        user = self.template.format(
            sources=format_sources(hits) or "(no sources)",
            history=format_history(history),
            question=" ".join(question.split()),
        )
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=self.system.strip()),
            ChatMessage(role=MessageRole.USER, content=user),
        ]

    def stream(self, question: str, hits: Sequence[Hit], history: Sequence[Any] = ()) -> Iterator[str]:
        """The answer in pieces as the model writes it (stream_chat deltas)."""
        messages = self.messages(question, hits, history)
        try:
            for response in self.llm.stream_chat(messages):
                if response.delta:
                    yield response.delta
        except AssistantError:
            raise
        except Exception as exc:  # noqa: BLE001 - any adapter/network failure is an LLMError
            raise LLMError(_one_line(exc, self.where)) from exc

    def answer(self, question: str, hits: Sequence[Hit], history: Sequence[Any] = ()) -> str:
        """The whole answer in one (non-streaming) request."""
        messages = self.messages(question, hits, history)
        try:
            response = self.llm.chat(messages)
        except AssistantError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise LLMError(_one_line(exc, self.where)) from exc
        text = (response.message.content or "").strip()
        if not text:
            raise LLMError(f"the LLM server at {self.where} returned an empty answer")
        return text
