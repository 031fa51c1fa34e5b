"""One reader of a conversation history, whatever shape the caller keeps it in.

Accepted items: a string (a user message), a (question, answer) pair, a role dict
({"role": "user", "content": ...}, Gradio's message parts included), a chat message object with
`role` and `content`, or an `Answer` (its question and text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["messages", "user_turns"]


def _text(content: Any) -> str:
    if isinstance(content, list):  # gradio message parts
        return " ".join(
            str(p.get("text", "")) if isinstance(p, Mapping) else str(p) for p in content
        )
    return "" if content is None else str(content)


def _messages(item: Any) -> list[tuple[str, str]]:
    if isinstance(item, str):
        return [("user", item)]
    if isinstance(item, Mapping):
        return [(str(item.get("role", "user")), _text(item.get("content", "")))]
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return [("user", str(item[0] or "")), ("assistant", str(item[1] or ""))]
    if hasattr(item, "question") and hasattr(item, "text"):
        return [("user", str(item.question)), ("assistant", str(item.text))]
    if hasattr(item, "role") and hasattr(item, "content"):
        role = getattr(item.role, "value", item.role)
        return [(str(role), _text(item.content))]
    return [("user", str(item))]


def messages(history: Iterable[Any] | None) -> list[tuple[str, str]]:
    """(role, text) of every message of `history`, oldest first."""
    return [pair for item in history or () for pair in _messages(item)]


def user_turns(history: Iterable[Any] | None) -> list[str]:
    """The user's earlier questions, stripped, empty ones left out."""
    return [text.strip() for role, text in messages(history) if role == "user" and text.strip()]
