"""Prompt templates as package data: `load_prompt("answer")` reads `prompts/answer.txt`.

A template starts with comment lines beginning with `#` that document it and its variables;
they are not part of the prompt. Variables are `{name}` fields filled with `str.format`.
"""

from __future__ import annotations

import re
from importlib import resources

from kernel.errors import ConfigError

__all__ = ["load_prompt", "prompt_names"]

_NAME = re.compile(r"[a-z][a-z0-9_]*")


def prompt_names() -> list[str]:
    """The templates this package ships."""
    return sorted(
        p.name[:-4] for p in resources.files(__name__).iterdir() if p.name.endswith(".txt")
    )


def load_prompt(name: str) -> str:
    """The template `prompts/NAME.txt` without its leading `#` comment lines."""
    if not _NAME.fullmatch(name):
        raise ConfigError(f"prompt name must be lowercase letters, digits and '_', got {name!r}")
    path = resources.files(__name__) / f"{name}.txt"
    if not path.is_file():
        raise ConfigError(
            f"no prompt template {name!r}: expected {path}; have {', '.join(prompt_names())}"
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip() + "\n"
