"""`assistant ask`: answer a question (or a batch of them) from the library, citing its sources."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

import click

from assistant.cli import json_option
from assistant.notices import render as render_notice
from kernel.errors import AssistantError, QuestionError
from kernel.jsonl import JSONLineError, loads_line
from kernel.models import FACETS

EMPTY = "the question is empty: ask something about the library"


def option_filters(
    year: int | None, year_from: int | None, year_to: int | None, region, country, category, author
):
    """The `Filters` that the options of `filter_options` ask for (--year sets both ends); the
    commands pass them on as `**filter_values`."""
    from assistant.models import Filters

    if year is not None:
        year_from = year_from if year_from is not None else year
        year_to = year_to if year_to is not None else year
    values = (region, country, category, author)
    return Filters(
        year_from=year_from,
        year_to=year_to,
        **{f: tuple(v) for f, v in zip(FACETS, values, strict=True)},
    )


def render(answer) -> str:
    """The answer, then "Sources:" with "[n] Title (Year)" lines from the catalog, then any flagged
    checks."""
    from assistant.citations import render_text

    return render_text(answer)


def _json_line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def _run_batch(assistant, source: TextIO, filters, infer: bool, out: TextIO) -> int:
    """One JSON answer per input line, with the line's id; bad lines become JSON errors. Returns
    errors."""
    errors = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        item_id = None
        try:
            item = loads_line(line, number, objects=False)
            if not isinstance(item, dict):
                raise QuestionError(
                    f'line {number}: expected a JSON object with "id" and "question", '
                    f"found {type(item).__name__}"
                )
            item_id = item.get("id")
            question = item.get("question")
            if not isinstance(question, str):
                raise QuestionError(
                    f'line {number}: expected a "question" string, found '
                    f"{type(question).__name__ if question is not None else 'none'}"
                )
            answer = assistant.ask(question, filters=filters, infer=infer)
            out.write(_json_line({"id": item_id, **answer.to_json()}) + "\n")
        except JSONLineError as exc:
            errors += 1
            out.write(_json_line({"id": None, "error": str(exc)}) + "\n")
        except AssistantError as exc:
            errors += 1
            message = str(exc) if str(exc).startswith("line ") else f"line {number}: {exc}"
            out.write(_json_line({"id": item_id, "error": message}) + "\n")
        out.flush()
    return errors


def filter_options(command):
    """The filter and index options `ask` and `brief` share."""
    for option in reversed(
        [
            click.option("--year", type=int, help="Only records of this year."),
            click.option("--year-from", type=int, help="Only records of this year or later."),
            click.option("--year-to", type=int, help="Only records of this year or earlier."),
            *(
                click.option(
                    f"--{label}",
                    multiple=True,
                    help=f"Only records {'by' if label == 'author' else 'of'} this {label} "
                    "(repeatable).",
                )
                for label in FACETS.values()
            ),
            click.option(
                "--no-infer", is_flag=True, help="Do not infer filters from the question's wording."
            ),
            click.option(
                "--data-dir",
                type=click.Path(file_okay=False, path_type=Path),
                envvar="ASSISTANT_DATA_DIR",
                help="Index folder (default: data/index).",
            ),
        ]
    ):
        command = option(command)
    return command


def open_assistant(data_dir: Path | None):
    """The configured Assistant (offline switches on), for a command's --data-dir."""
    from assistant.service import Assistant
    from kernel.offline import enable_offline_mode
    from kernel.settings import load_settings

    enable_offline_mode()
    settings = load_settings(data_dir=data_dir) if data_dir is not None else load_settings()
    return Assistant.from_settings(settings)


@click.command("ask")
@click.argument("question", required=False)
@json_option("Print the answer as one JSON object.")
@click.option(
    "--batch",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help='JSONL file of {"id", "question"} lines (- for stdin); prints one JSON answer per line.',
)
@click.option(
    "--after",
    "earlier",
    multiple=True,
    metavar="QUESTION",
    help="An earlier question of the conversation (repeat, oldest first): QUESTION is read as "
    'its follow-up ("and what about children?").',
)
@filter_options
def ask_command(
    question: str | None,
    as_json: bool,
    batch: Path | None,
    earlier: tuple[str, ...],
    no_infer: bool,
    data_dir: Path | None,
    **filter_values,
) -> None:
    """Answer QUESTION from the library and list its sources as "Title (Year)".

    Filters inferred from the wording ("published in 2020", "in Kosovo", "by Walk Free
    Foundation") are shown; explicit options win over them. QUESTION "-" reads it from stdin.
    Questions longer than ASSISTANT_MAX_QUESTION_CHARS (2000) are cut, with a warning.
    """
    if batch is None:
        if question == "-":
            question = sys.stdin.read()
        if question is None or not question.strip():
            raise QuestionError(EMPTY)
    elif question is not None:
        raise click.UsageError("give either QUESTION or --batch, not both")
    filters = option_filters(**filter_values)
    assistant = open_assistant(data_dir)
    if batch is not None:
        if str(batch) == "-":
            _run_batch(assistant, sys.stdin, filters, not no_infer, sys.stdout)
        else:
            try:
                with open(batch, encoding="utf-8") as source:
                    _run_batch(assistant, source, filters, not no_infer, sys.stdout)
            except UnicodeDecodeError as exc:
                raise QuestionError(
                    f"{batch}: expected UTF-8 JSON lines, found undecodable bytes"
                ) from exc
        return
    answer = assistant.ask(question, filters=filters, history=list(earlier), infer=not no_infer)
    if as_json:
        click.echo(_json_line(answer.to_json()))
        return
    for notice in answer.notices:
        click.echo(f"Warning: {render_notice(notice, answer.language)}", err=True)
    if not answer.inferred_filters.is_empty():
        click.echo(
            f"Filters inferred from the question: {answer.inferred_filters.describe()} "
            "(--no-infer drops them)",
            err=True,
        )
    click.echo(render(answer))
