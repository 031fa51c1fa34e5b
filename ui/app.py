"""The web app: `build_app(assistant, settings) -> gr.Blocks`, launched with `launch_app`.

Nothing runs at import. Safety by construction:
- binds `settings.host` (127.0.0.1 by default); never a share link; analytics off;
- a theme with system fonts only (Gradio's default theme loads Google Fonts) and no external
  asset, so the page makes no request beyond the app's own origin;
- optional login from `settings.auth` ("user:password") or `settings.auth_file` (one pair a line);
- the queue computes `settings.concurrency` answers at once and holds `settings.queue_size`
  requests, so 20 simultaneous users wait their turn instead of failing.

Gradio 6 takes the theme and CSS at `launch()`, so always start the app with `launch_app`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from kernel.errors import ConfigError
from kernel.models import FACETS

__all__ = ["build_app", "launch_app", "launch_options", "read_auth", "theme"]

CSS_PATH = Path(__file__).with_name("style.css")
TOOLS_CSS_PATH = Path(__file__).with_name("style_tools.css")
JS_PATH = Path(__file__).with_name("app.js")
SYSTEM_FONTS = [
    "system-ui",
    "-apple-system",
    "Segoe UI",
    "Roboto",
    "Helvetica Neue",
    "Arial",
    "sans-serif",
]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]


def theme():
    """A sober theme on system fonts: nothing is fetched from font hosts."""
    import gradio as gr

    # Text at WCAG AA contrast (>= 4.5:1): secondary text slate-600 rather than slate-400, accents
    # (citation markers, the selected tab, primary buttons) blue-700 rather than blue-500.
    return gr.themes.Default(
        primary_hue="blue",
        secondary_hue="slate",
        neutral_hue="slate",
        font=SYSTEM_FONTS,
        font_mono=MONO_FONTS,
        radius_size="sm",
    ).set(
        body_text_color_subdued="*neutral_600",
        input_placeholder_color="*neutral_500",
        block_info_text_color="*neutral_600",
        color_accent="*primary_700",
        color_accent_soft="*primary_50",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_border_color="*primary_700",
    )


def read_auth(settings) -> list[tuple[str, str]] | None:
    """Login pairs from `settings.auth` and `settings.auth_file`; None when login is off."""
    pairs: list[tuple[str, str]] = []
    lines: list[tuple[str, str]] = []
    if settings.auth:
        lines.append(("ASSISTANT_AUTH", settings.auth))
    if settings.auth_file:
        path = Path(settings.auth_file)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read the login file {path}: {exc.strerror or exc}") from exc
        lines += [
            (f"{path} line {i}", line)
            for i, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if not lines:
            raise ConfigError(f"the login file {path} holds no `user:password` line")
    for where, line in lines:
        user, sep, password = line.strip().partition(":")
        if not sep or not user or not password:
            raise ConfigError(f"{where}: expected `user:password`, found a line without both parts")
        pairs.append((user, password))
    return pairs or None


def build_app(assistant, settings) -> Any:
    """The Blocks app over `assistant`; scores are kept under `settings.data_dir`."""
    import gradio as gr

    from kernel.offline import enable_offline_mode

    from .scoring import ScoreStore
    from .views_chat import ChatController, chat_tab
    from .views_library import LibraryController, library_tab
    from .views_tools import ToolsController, tools_tabs

    enable_offline_mode()
    export_dir = Path(tempfile.mkdtemp(prefix="assistant-exports-"))
    store = ScoreStore.for_settings(settings)
    facets = assistant.facets()
    count = len(assistant.records())
    chat = ChatController(assistant, export_dir)
    tools = ToolsController(assistant, store, export_dir)

    if settings.llm == "none":
        privacy = "Runs offline; nothing you type leaves this machine."
    else:
        privacy = (
            f"Answers are written by the configured LLM ({settings.llm_model}); "
            "questions are sent to its server."
        )
    privacy = privacy.replace("<", "&lt;").replace(">", "&gt;")

    with gr.Blocks(
        title="Evidence assistant · trafficking in conflict",
        analytics_enabled=False,
        fill_width=True,
    ) as demo:
        gr.HTML(
            '<header class="app-header">'
            '<div class="app-title">Trafficking-in-conflict evidence assistant</div>'
            f'<div class="app-sub">Answers quoted from the library\'s {count} '
            f"record{'s' if count != 1 else ''}, each source cited by title "
            f"and year. {privacy}</div></header>",
            elem_id="app-header",
            padding=False,
        )
        scope = gr.State(
            []
        )  # record ids the chat is limited to ("ask about this record", Library tab)
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab("Chat", id="chat", elem_id="tab-chat"):
                with gr.Row(elem_id="scope-row", equal_height=True):
                    banner = gr.HTML("", visible=False, elem_id="scope-banner", scale=4)
                    unscope = gr.Button(
                        "Ask the whole library",
                        size="sm",
                        visible=False,
                        elem_id="scope-clear",
                        scale=0,
                        min_width=180,
                    )
                turns, controls, lists = chat_tab(chat, facets, scope=scope)
            refresh_scores, score_outputs = tools_tabs(tools, turns)
            library_tab(LibraryController(assistant), facets, tabs, scope, banner, unscope)

        def on_load():
            current = assistant.facets()
            return (
                *[gr.update(choices=current.get(f, [])) for f in FACETS],
                *refresh_scores(),
            )

        demo.load(on_load, None, [*lists, *score_outputs], api_name=False, show_progress="hidden")

    demo.queue(default_concurrency_limit=settings.concurrency, max_size=settings.queue_size)
    demo.export_dir = export_dir  # served by launch_app
    # Exports are handed to the browser as downloads; the folder goes with the app (or at exit).
    weakref.finalize(demo, shutil.rmtree, export_dir, ignore_errors=True)
    return demo


_OFF = ("share", "show_error", "inbrowser", "enable_monitoring", "mcp_server", "pwa", "ssr_mode")
"""`demo.launch` switches that stay off: no public link, no tracebacks in the page, no browser
opened, no monitoring, MCP, PWA or server-side rendering."""


def launch_options(settings, **overrides: Any) -> dict[str, Any]:
    """The keyword arguments `launch_app` passes to `demo.launch`."""
    signed = bool(settings.auth or settings.auth_file)
    options: dict[str, Any] = {
        "server_name": settings.host,
        "server_port": settings.port,
        "auth": read_auth(settings),
        "auth_message": "Sign in to the evidence assistant." if signed else None,
        "theme": theme(),
        "css": "\n".join(p.read_text(encoding="utf-8") for p in (CSS_PATH, TOOLS_CSS_PATH)),
        "js": JS_PATH.read_text(encoding="utf-8"),
        "footer_links": [],
        **dict.fromkeys(_OFF, False),
        "quiet": True,
    }
    options.update(overrides)
    return options


def launch_app(demo, settings, **overrides: Any):
    """Start the app (blocking unless `prevent_thread_lock=True`); returns what `launch` returns."""
    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    options = launch_options(settings, **overrides)
    allowed = list(options.pop("allowed_paths", None) or [])
    export_dir = getattr(demo, "export_dir", None)
    if export_dir:
        allowed.append(str(export_dir))
    try:
        return demo.launch(allowed_paths=allowed, **options)
    except OSError as exc:  # the port is taken or the address cannot be bound
        raise ConfigError(
            f"cannot listen on {options.get('server_name')}:{options.get('server_port')}: "
            f"{exc} (choose another with --port or ASSISTANT_PORT)"
        ) from exc
