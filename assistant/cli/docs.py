"""Generate the README's command-line reference from the commands' own `--help`.

`python -m assistant.cli.docs --write README.md` rewrites the part between the markers;
tests/test_readme.py fails when the README and `--help` disagree. The width is fixed so that the
output does not depend on the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.cli import cli

BEGIN = "<!-- cli-reference:begin -->"
END = "<!-- cli-reference:end -->"
WIDTH = 100


def _walk(command: click.Command, path: list[str], parent: click.Context | None):
    ctx = click.Context(
        command, info_name=path[-1], parent=parent, terminal_width=WIDTH, max_content_width=WIDTH
    )
    yield path, command.get_help(ctx)
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, path + [name], ctx)


def reference() -> str:
    """The Markdown CLI reference: one fenced `--help` block per command."""
    parts = []
    for path, text in _walk(cli, ["assistant"], None):
        heading = "#" * min(3 + len(path) - 1, 5)
        parts.append(f"{heading} `{' '.join(path)}`\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


def replace_reference(readme: str) -> str:
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + reference() + readme[end:]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--write"] and len(args) == 2:
        path = Path(args[1])
        path.write_text(replace_reference(path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(reference())


if __name__ == "__main__":
    main()
