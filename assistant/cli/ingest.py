"""`assistant ingest`, `assistant records`, `assistant stats`: build the index and look into it.

Nothing heavy is imported here at module level; the model loads only when something needs embedding.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from assistant.cli import json_option
from kernel.settings import load_settings

__all__ = ["ingest_command", "records_command", "stats_command"]


@click.command("ingest")
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(path_type=Path))
@click.option(
    "--prune",
    is_flag=True,
    help="Remove records that are not in this run's inputs (the index mirrors PATHS).",
)
@click.option(
    "--rebuild",
    is_flag=True,
    help="Delete the catalog and the index first and rebuild them (repairs a damaged or "
    "mismatched index).",
)
@click.option("--quiet", is_flag=True, envvar="ASSISTANT_QUIET", help="No progress bar.")
@json_option("Print the report as JSON.")
def ingest_command(
    paths: tuple[Path, ...], prune: bool, rebuild: bool, quiet: bool, as_json: bool
) -> None:
    """Parse library files (default: the sample library), merge duplicates, embed and index them.

    PATH may be files or folders: PDF, Word (.docx), text, Markdown and HTML reports (one record
    each, cited by page or section), CSV / JSON / JSONL catalogs (a `file` column names the
    report a row describes), listing pages, repository record pages or a BEIR corpus.jsonl.
    Ingesting again re-embeds only what changed. The index and catalog live in
    ASSISTANT_DATA_DIR (vectors on a Chroma server when CHROMA_HOST is set). The summary counts
    files accepted, skipped (not a library format) and rejected (with the reason). Exits 1 when
    a file was rejected (the other files are still ingested) or when nothing was ingested.
    """
    from ingest.pipeline import ingest

    settings = load_settings()
    report = ingest(
        settings, list(paths) or None, prune=prune, rebuild=rebuild, quiet=quiet or as_json
    )
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"Ingested {report.summary()}.")
        for warning in report.warnings:
            click.echo(f"Warning: {warning}", err=True)
    if not as_json:
        for skipped in report.skipped_files:
            click.echo(f"Skipped: {skipped}", err=True)
    for error in report.errors:
        click.echo(f"Rejected: {error}", err=True)
    if report.ingested_nothing:
        click.echo(
            "Error: nothing was ingested: no file gave a record "
            "(expected PDF, .docx, .txt, .md or .html reports, or CSV/JSON catalogs)",
            err=True,
        )
    if report.errors or report.ingested_nothing:
        raise SystemExit(1)


def _open_store():
    from vectorstore.store import Store

    return Store.open(load_settings())


@click.command("records")
@json_option(
    "Print a JSON array of {id, title, year, authors, countries, regions, categories, sources}."
)
def records_command(as_json: bool) -> None:
    """List the catalog: one line "Title (Year)" per record ("n.d." when the year is unknown)."""
    with _open_store() as store:
        records = store.records()
    if as_json:
        click.echo(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        click.echo("The catalog is empty: run `assistant ingest` first.")
        return
    for record in records:
        click.echo(f"{record.title} ({record.year_label})")
    click.echo(f"{len(records)} records")


@click.command("stats")
@json_option('Print {"records", "chunks", "vectors"}.')
def stats_command(as_json: bool) -> None:
    """Count the records and chunks of the catalog and the vectors of the index."""
    with _open_store() as store:
        stats = store.stats()
    if as_json:
        click.echo(json.dumps(stats))
    else:
        for key, value in stats.items():
            click.echo(f"{key}: {value}")
