"""`assistant serve`: the web app on whatever is ingested."""

from __future__ import annotations

import click


@click.command("serve")
@click.option(
    "--host",
    envvar="ASSISTANT_HOST",
    default=None,
    show_envvar=True,
    help="Address to bind (default 127.0.0.1: this machine only).",
)
@click.option(
    "--port",
    envvar="ASSISTANT_PORT",
    type=int,
    default=None,
    show_envvar=True,
    help="Port to listen on (default 7860).",
)
def serve_command(host: str | None, port: int | None) -> None:
    """Start the web app (chat, briefing notes, scoring) at http://HOST:PORT."""
    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    from assistant.service import Assistant
    from kernel.settings import load_settings

    overrides = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = load_settings(**overrides)
    click.echo(f"Loading the library from {settings.data_dir} …", err=True)
    assistant = Assistant.from_settings(settings)
    from ui.app import build_app, launch_app

    if not assistant.records():
        click.echo(
            f"Warning: the index at {settings.data_dir} holds no records; "
            "run `assistant ingest` first (until then the app says so to every question).",
            err=True,
        )
    demo = build_app(assistant, settings)
    launch_app(demo, settings, prevent_thread_lock=True)
    login = " (login required)" if (settings.auth or settings.auth_file) else ""
    click.echo(
        f"Evidence assistant: http://{settings.host}:{settings.port}{login}  (Ctrl+C to stop)",
        err=True,
    )
    demo.block_thread()
