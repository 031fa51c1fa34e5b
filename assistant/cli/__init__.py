"""The `assistant` command: a click group whose subcommands live in their own modules.

Subcommands are imported only when invoked, so `assistant --help` is instant and nothing heavy
happens at import. Library errors become one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import importlib
import sys

import click

from kernel.errors import AssistantError

COMMANDS: dict[str, str] = {
    "ingest": "assistant.cli.ingest:ingest_command",
    "records": "assistant.cli.ingest:records_command",
    "stats": "assistant.cli.ingest:stats_command",
    "ask": "assistant.cli.ask:ask_command",
    "brief": "assistant.cli.brief:brief_command",
    "serve": "assistant.cli.serve:serve_command",
    "eval": "assistant.cli.eval:eval_group",
}

CONTEXT = {"max_content_width": 100}


def json_option(text: str):
    """The `--json` flag (into `as_json`) of every command that can print JSON; `text` its help."""
    return click.option("--json", "as_json", is_flag=True, help=text)


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(package_name="trafficking-evidence-assistant")
def cli() -> None:
    """Answer questions from a library of anti-trafficking records, citing each source by title
    and year."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: offline switches first, then the command; errors become one clean line."""
    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    try:
        cli.main(args=argv, prog_name="assistant", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AssistantError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except OSError as exc:
        click.echo(
            f"Error: {exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}".rstrip(": "),
            err=True,
        )
        sys.exit(1)
    sys.exit(0)
