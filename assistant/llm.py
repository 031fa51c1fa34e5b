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

The prompt is fitted into the model's context (`ASSISTANT_LLM_CONTEXT_TOKENS`) before it is sent,
counting with tiktoken (cl100k_base, read offline from llama-index-core's bundled cache), with
`ANSWER_TOKENS` kept free for the answer: the lowest-ranked sources go first (the best one always
stays), then the oldest conversation turns; a single source that still does not fit is shortened.
`Prompt` carries what was sent; its `hits` are the only sources an answer can cite, and its
`warnings` say what was left out.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.answering import Composition
from assistant.guard import MARKER_RE
from assistant.models import Hit, Notice
from kernel.errors import AssistantError, ConfigError, LLMError
from kernel.history import messages
from kernel.settings import LLMBackend, Settings

if TYPE_CHECKING:  # pragma: no cover
    from llama_index.core.llms import LLM

    from assistant.reading import QueryPlan

__all__ = ["LLMAnswerer", "Prompt", "build_llm", "count_tokens", "format_history", "format_sources"]

DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
ENCODING = "cl100k_base"
"""tiktoken's encoding for counting: exact for OpenAI models, close for other BPE models (llama3's
tokenizer is a tiktoken BPE of a similar vocabulary); `ANSWER_TOKENS` absorbs the difference."""
ANSWER_TOKENS = 768
"""Context kept free for the answer (at most five sentences, ~200 tokens) and counting slack."""
MESSAGE_TOKENS = 4
"""Tokens a chat format adds per message (role and separators), as OpenAI counts them."""
MAX_SOURCE_CHARS = 2500
MAX_HISTORY_TURNS = 3
_FENCE = re.compile(r"<(/?\s*source\b)", re.IGNORECASE)


def build_llm(settings: Settings) -> LLM:
    """The llama-index LLM the settings choose; a missing adapter package is a `ConfigError`."""
    backend = LLMBackend(settings.llm)
    if backend is LLMBackend.OLLAMA:
        try:
            from llama_index.llms.ollama import Ollama
        except ImportError as exc:
            raise ConfigError(
                "ASSISTANT_LLM=ollama needs the package llama-index-llms-ollama "
                "(pip install 'trafficking-evidence-assistant[llm]', or make install)"
            ) from exc
        # num_ctx: left unset, the adapter would ask the server (/api/show) and use the model's full
        # context, which for llama3.1 (128k) costs gigabytes of memory.
        return Ollama(
            model=settings.llm_model,
            base_url=(settings.llm_base_url or DEFAULT_OLLAMA_URL).rstrip("/"),
            request_timeout=settings.llm_timeout,
            context_window=settings.llm_context_tokens,
            temperature=0.1,
        )
    if backend is LLMBackend.OPENAI:
        if not settings.llm_base_url:
            raise ConfigError(
                "ASSISTANT_LLM=openai needs ASSISTANT_LLM_BASE_URL "
                "(e.g. http://127.0.0.1:8000/v1), found none"
            )
        try:
            from llama_index.llms.openai_like import OpenAILike
        except ImportError as exc:
            raise ConfigError(
                "ASSISTANT_LLM=openai needs the package llama-index-llms-openai-like "
                "(pip install 'trafficking-evidence-assistant[llm]', or make install)"
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
    raise ConfigError(
        f"no LLM is configured: ASSISTANT_LLM is {backend.value!r}, expected 'ollama' or 'openai'"
    )


def _data(text: str) -> str:
    """Source text as inert data: it cannot open or close a fence."""
    return _FENCE.sub(r"&lt;\1", " ".join(str(text).split()))


def _abstract(hit: Hit, max_chars: int = MAX_SOURCE_CHARS) -> str:
    abstract = hit.record.abstract or hit.chunk_text or ""
    if (
        hit.record.locations and hit.chunk_text
    ):  # a full-text report: the retrieved passage, not its first pages
        abstract = hit.chunk_text.partition("\n")[2] or hit.chunk_text
    if len(abstract) > max_chars:
        abstract = abstract[:max_chars].rsplit(" ", 1)[0] + " …"
    return abstract


def format_sources(
    hits: Sequence[Hit], max_chars: int = MAX_SOURCE_CHARS, abstracts: Sequence[str] | None = None
) -> str:
    """The numbered, fenced source blocks the model reads (n = 1-based index into `hits`);
    `abstracts` replaces the records' abstracts (a shortened one, when fitting the context)."""
    blocks = []
    for n, hit in enumerate(hits, start=1):
        record = hit.record
        abstract = abstracts[n - 1] if abstracts is not None else _abstract(hit, max_chars)
        blocks.append(
            f'<source n="{n}">\nSource {n}:\nTitle: {_data(record.title)}\n'
            f"Year: {record.year_label}\n"
            f"Abstract: {_data(abstract)}\n</source>"
        )
    return "\n\n".join(blocks)


@functools.lru_cache(maxsize=1)
def _encoding() -> Any:
    """tiktoken's encoding, read from llama-index-core's bundled cache (tiktoken would otherwise
    download it at first use, which fails offline)."""
    from kernel.offline import use_bundled_tiktoken

    use_bundled_tiktoken()
    import tiktoken

    try:
        return tiktoken.get_encoding(ENCODING)
    except Exception as exc:  # noqa: BLE001 - a missing cache means a download attempt
        raise ConfigError(
            f"cannot load tiktoken's {ENCODING} encoding from TIKTOKEN_CACHE_DIR="
            f"{os.environ.get('TIKTOKEN_CACHE_DIR')!r} ({type(exc).__name__}); it ships with "
            "llama-index-core (llama_index/core/_static/tiktoken_cache)"
        ) from exc


def count_tokens(text: str) -> int:
    """Tokens of `text` as the LLM's context is counted (tiktoken, `ENCODING`)."""
    return len(_encoding().encode(text, disallowed_special=()))


def history_turns(
    history: Sequence[Any], max_turns: int = MAX_HISTORY_TURNS, max_chars: int = 600
) -> list[str]:
    """The last messages of the conversation as "User: …" / "Assistant: …" lines, grouped into
    turns (a user message and the replies after it), oldest first."""
    pairs = messages(history)
    pairs = [
        (role, " ".join(MARKER_RE.sub("", text).split())) for role, text in pairs if text.strip()
    ]
    turns: list[list[str]] = []
    for role, text in pairs[-2 * max_turns :]:
        if len(text) > max_chars:
            text = text[:max_chars] + " …"
        line = f"{'Assistant' if role == 'assistant' else 'User'}: {_data(text)}"
        if role == "assistant" and turns:
            turns[-1].append(line)
        else:
            turns.append([line])
    return ["\n".join(turn) for turn in turns]


def format_history(
    history: Sequence[Any], max_turns: int = MAX_HISTORY_TURNS, max_chars: int = 600
) -> str:
    """The last turns of the conversation as "User: …" / "Assistant: …" lines, or "(none)"."""
    return "\n".join(history_turns(history, max_turns, max_chars)) or "(none)"


@dataclass(frozen=True)
class Prompt:
    """The chat messages sent to the model and what they hold."""

    messages: tuple[Any, ...]
    hits: tuple[Hit, ...]
    """The sources sent, numbered [1]..[n] in this order: the only ones the answer may cite."""
    turns: int
    """Conversation turns sent."""
    tokens: int
    """The prompt's size in tokens (tiktoken), at most the context less `ANSWER_TOKENS`."""
    notices: tuple[Notice, ...] = ()
    """What was left out or shortened to fit the context, for the Answer's notices."""

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notices in English (`assistant.notices.render`)."""
        from .notices import render

        return tuple(render(n) for n in self.notices)


def _one_line(exc: BaseException, where: str) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    if len(message) > 200:
        message = message[:200] + " …"
    return f"the LLM server at {where} failed ({type(exc).__name__}): {message}"


class LLMAnswerer:
    """Writes an answer with an LLM from numbered, fenced sources; the guard checks it
    afterwards."""

    def __init__(
        self,
        llm: LLM,
        template: str | None = None,
        system: str | None = None,
        context_tokens: int = 8192,
    ) -> None:
        from prompts import load_prompt

        self.llm = llm
        self.template = template if template is not None else load_prompt("answer")
        self.system = system if system is not None else load_prompt("system")
        self.context_tokens = context_tokens

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMAnswerer:
        return cls(build_llm(settings), context_tokens=settings.llm_context_tokens)

    @property
    def where(self) -> str:
        for name in ("api_base", "base_url"):
            value = getattr(self.llm, name, None)
            if value:
                return str(value)
        return type(self.llm).__name__

    def _user(
        self, question: str, hits: Sequence[Hit], turns: Sequence[str], abstracts: Sequence[str]
    ) -> str:
        return self.template.format(
            sources=format_sources(hits, abstracts=abstracts) or "(no sources)",
            history="\n".join(turns) or "(none)",
            question=" ".join(question.split()),
        )

    def prompt(self, question: str, hits: Sequence[Hit], history: Sequence[Any] = ()) -> Prompt:
        """The messages for this question, fitted into `context_tokens` less `ANSWER_TOKENS`: the
        lowest-ranked sources are left out first (the best one stays), then the oldest turns, then
        the one source left is shortened; a context too small even for that is a `ConfigError`."""
        from llama_index.core.llms import ChatMessage, MessageRole

        budget = self.context_tokens - ANSWER_TOKENS
        system = self.system.strip()
        fixed = count_tokens(system) + 2 * MESSAGE_TOKENS + 3  # 3: the reply's priming
        sent, turns = list(hits), history_turns(history)
        abstracts = [_abstract(h) for h in sent]
        all_turns = len(turns)
        shortened = False
        while True:
            user = self._user(question, sent, turns, abstracts)
            tokens = fixed + count_tokens(user)
            if tokens <= budget:
                break
            if len(sent) > 1:
                sent.pop()
                abstracts.pop()
            elif turns:
                turns.pop(0)
            elif sent and abstracts[0]:
                pieces = _encoding().encode(abstracts[0], disallowed_special=())
                keep = len(pieces) - (tokens - budget) - 8  # 8: the "…" and word-boundary slack
                abstracts[0] = (
                    (_encoding().decode(pieces[:keep]).rsplit(" ", 1)[0] + " …") if keep > 0 else ""
                )
                shortened = True
            else:
                raise ConfigError(
                    f"ASSISTANT_LLM_CONTEXT_TOKENS={self.context_tokens} is too small: the "
                    f"question and the rules alone take {tokens} tokens, and {ANSWER_TOKENS} are "
                    "kept for the answer"
                )
        notices = []
        if len(sent) < len(hits):
            notices.append(
                Notice(
                    "llm_sources_cut",
                    {"tokens": self.context_tokens, "sent": len(sent), "found": len(hits)},
                )
            )
        if len(turns) < all_turns:
            notices.append(Notice("llm_turns_cut", {"left": all_turns - len(turns)}))
        if shortened:
            notices.append(Notice("llm_abstract_shortened"))
        messages = (
            ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=user),
        )
        return Prompt(messages, tuple(sent), len(turns), tokens, tuple(notices))

    def messages(
        self, question: str, hits: Sequence[Hit], history: Sequence[Any] = ()
    ) -> list[Any]:
        """The chat messages sent to the model: the system rules, then the filled template."""
        return list(self.prompt(question, hits, history).messages)

    def stream(
        self, question: str, hits: Sequence[Hit], history: Sequence[Any] = ()
    ) -> Iterator[str]:
        """The answer in pieces as the model writes it (stream_chat deltas)."""
        return self.stream_prompt(self.prompt(question, hits, history))

    def compose(
        self, plan: QueryPlan, query: str, hits: Sequence[Hit], history: Sequence[Any] = ()
    ) -> Composition:
        """`Answerer.compose`: the question as asked, with the sources and turns that fit the
        context (`prompt`), streamed as the model writes; only the sources sent may be cited."""
        prompt = self.prompt(plan.question, hits, history)
        return Composition(prompt.hits, self.stream_prompt(prompt), prompt.notices)

    def stream_prompt(self, prompt: Prompt) -> Iterator[str]:
        """The answer to a fitted `Prompt`, in pieces as the model writes it."""
        messages = list(prompt.messages)
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
