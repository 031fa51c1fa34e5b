"""The project's exception tree. Every error a user can cause or meet derives from one base.

    AssistantError                 base; `str(err)` is a one-line message for the user
    ├── ConfigError                a setting is invalid or an optional backend is missing
    ├── ParseError                 a library file is binary, undecodable or of unknown layout
    ├── StoreError                 the index or catalog cannot be read or written
    │   └── StoreUnavailable       the Chroma server cannot be reached
    ├── QuestionError              the question is empty or unusable
    └── LLMError                   the configured LLM server failed or answered nonsense

The CLI turns these into one line on stderr and a non-zero exit; the UI shows the message.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error this project raises on purpose."""

    exit_code = 1


class ConfigError(AssistantError):
    """A setting is invalid, or an optional backend is not installed."""

    exit_code = 2


class ParseError(AssistantError):
    """A file could not be parsed; the message names the file and what was expected."""

    def __init__(self, path: object, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


class StoreError(AssistantError):
    """The index or catalog is missing, inconsistent, unreadable or unwritable."""


class StoreUnavailable(StoreError):
    """The Chroma server cannot be reached."""


class QuestionError(AssistantError):
    """The question is empty or cannot be answered as given."""

    exit_code = 2


class LLMError(AssistantError):
    """The configured LLM backend failed."""
