"""`assistant brief`: a briefing note on a topic, as Markdown or DOCX (its bibliography as RIS),
for trainers."""

from __future__ import annotations

from pathlib import Path

import click

from assistant.cli.ask import filter_options, open_assistant, option_filters
from kernel.errors import AssistantError


@click.command("brief")
@click.argument("topic")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the note to this file: .md (Markdown) or .docx (Word); .ris writes its "
    "bibliography for reference managers. Default: Markdown on stdout.",
)
@filter_options
def brief_command(
    topic: str,
    out: Path | None,
    no_infer: bool,
    data_dir: Path | None,
    **filter_values,
) -> None:
    """Write a briefing note on TOPIC: key points quoted from the library, each cited, an evidence
    section and a bibliography of exactly the cited records ("Authors (Year). Title. Library
    category: X.", "n.d." when the catalog has no year). A topic the library holds nothing on
    writes no note (exit 1, the reason on stderr)."""
    from assistant.briefing import BriefingNote, build_briefing

    if out is not None and out.suffix.lower() not in BriefingNote.FORMATS:
        raise click.BadParameter(
            f"expected a file ending in .md, .docx or .ris, found {out.name!r}", param_hint="--out"
        )

    filters = option_filters(**filter_values)
    note = build_briefing(open_assistant(data_dir), topic, filters, infer=not no_infer)
    for caveat in note.caveats:
        click.echo(f"Warning: {caveat}", err=True)
    if note.empty:
        click.echo(f"No briefing note written: {note.notice}", err=True)
        raise SystemExit(1)
    if out is None:
        click.echo(note.to_markdown(), nl=False)
        return
    try:
        note.save(out)
    except OSError as exc:
        blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), None)
        reason = f"{blocker} is a file, not a folder" if blocker else (exc.strerror or str(exc))
        raise AssistantError(f"cannot write the note to {out}: {reason}") from exc
    click.echo(f"Wrote {out}: {note.summary}", err=True)
