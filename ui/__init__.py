"""The Gradio web app: `build_app(assistant, settings)` and `launch_app(demo, settings)`.

Importing this package imports nothing heavy; gradio loads when the app is built.
"""

from __future__ import annotations

from typing import Any

__all__ = ["build_app", "launch_app"]


def build_app(assistant, settings) -> Any:
    from .app import build_app as _build

    return _build(assistant, settings)


def launch_app(demo, settings, **overrides: Any) -> Any:
    from .app import launch_app as _launch

    return _launch(demo, settings, **overrides)
