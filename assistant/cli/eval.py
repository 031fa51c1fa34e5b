"""`assistant eval`: score answers on a question set, benchmark retrieval on BEIR, check the judge.

    assistant eval QUESTIONS.jsonl [MORE.jsonl ...] [--answers A.jsonl] [--json] [--report DIR]
    [--fail-under M=V ...] assistant eval beir DIR [--qrels FILE] [--limit-queries N] [--json]
    assistant eval judge [--pairs FILE] [--sentences FILE] [--json]

`eval QUESTIONS...` is short for `eval run QUESTIONS...`: the group falls back to `run` when its
first argument is not a subcommand. Nothing heavy is imported until a command runs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from assistant.cli import json_option

__all__ = ["eval_group"]

F = TypeVar("F", bound=Callable[..., Any])
EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


class DefaultGroup(click.Group):
    """A group that runs `run` when the first argument names no subcommand."""

    default = "run"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] != "--help":
            args = [self.default, *args]
        return super().parse_args(ctx, args)


def _settings():
    from kernel.settings import load_settings

    return load_settings()


def _judge_option(*kinds: str, **extra: Any) -> Callable[[F], F]:
    """`--judge auto|offline|llm` (and `kinds`), the support judge a command scores with."""
    return click.option(
        "--judge",
        "judge_kind",
        type=click.Choice(["auto", "offline", "llm", *kinds]),
        default="auto",
        show_default=True,
        **extra,
    )


def _library_option(help: str) -> Callable[[F], F]:
    """`--library FILE ...`: library files a command reads its catalog from."""
    return click.option(
        "--library", type=click.Path(exists=True, path_type=Path), multiple=True, help=help
    )


class GateFailed(click.ClickException):
    exit_code = 1

    def show(self, file=None) -> None:
        click.echo(f"FAILED gates: {self.message}", err=True)


@click.group(cls=DefaultGroup, context_settings={"max_content_width": 100})
def eval_group() -> None:
    """Evaluate answers (citations, support, abstention, retrieval) and retrieval on BEIR.

    `assistant eval QUESTIONS.jsonl ...` is the same as `assistant eval run QUESTIONS.jsonl ...`.
    """


@eval_group.command("run")
@click.argument(
    "questions",
    nargs=-1,
    required=True,
    type=EXISTING_FILE,
)
@click.option(
    "--answers",
    type=EXISTING_FILE,
    help=(
        "Score these answers ({id, answer} free text, or with citations) "
        "instead of asking the assistant."
    ),
)
@json_option("Print the overall and per-question results as JSON.")
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ASSISTANT_EVAL_REPORT",
    help="Write report.html, report.md and plots to this folder.",
)
@click.option(
    "--fail-under",
    "gates",
    multiple=True,
    metavar="[SPLIT:]METRIC=VALUE",
    help="Exit 1 when an overall metric is below VALUE (repeatable), e.g. citation_validity=1.0; "
    "METRIC<=VALUE for a maximum (false_abstention<=0.05); SPLIT: (a file's stem, e.g. test:) "
    "for one question file only.",
)
@_judge_option(
    "none",
    envvar="ASSISTANT_EVAL_JUDGE",
    help=(
        "Support judge: auto = the LLM when ASSISTANT_LLM is set, "
        "else the offline similarity proxy."
    ),
)
@_library_option("Take the catalog from these library files instead of the index (with --answers).")
def run_command(
    questions: tuple[Path, ...],
    answers: Path | None,
    as_json: bool,
    report_dir: Path | None,
    gates: tuple[str, ...],
    judge_kind: str,
    library: tuple[Path, ...],
) -> None:
    """Score answers to QUESTIONS (one or more files, e.g. dev.jsonl test.jsonl, each scored and
    gated on its own): the assistant's (default) or those in --answers."""
    from evals.runner import check_gates, load_questions, parse_gate

    parsed_gates = [parse_gate(g) for g in gates]
    settings = _settings()
    question_sets = [(path, load_questions(path)) for path in questions]
    embedder = None
    assistant = None
    if answers is None:
        from assistant.service import Assistant

        assistant = Assistant.from_settings(settings)
        embedder = assistant.embedder
    from evals.citations_parse import Catalog
    from evals.runner import answers_from_assistant, catalog_from_paths, load_answers, score_answers

    if library:
        catalog = catalog_from_paths(list(library))
    elif assistant is not None:
        catalog = Catalog(assistant.records())
    else:
        from kernel.errors import StoreError
        from vectorstore.store import Store

        catalog = Catalog(Store.open(settings).records())
        if not len(catalog):
            raise StoreError(
                f"the catalog in {settings.data_dir} holds no records: run `assistant ingest` "
                "or pass --library with the library files"
            )
    judge = _judge(judge_kind, settings, embedder)
    loaded = load_answers(answers) if answers is not None else {}
    several = len(question_sets) > 1
    failed: list[str] = []
    outputs: dict[str, dict] = {}
    for path, question_set in question_sets:
        split = path.stem if several else ""
        if assistant is not None:

            def progress(i: int, n: int, qid: str) -> None:
                if not as_json and sys.stderr.isatty():
                    click.echo(f"\r{i}/{n} {qid}   ", nl=False, err=True)

            given = answers_from_assistant(assistant, question_set, progress)
            source = f"assistant ({assistant.mode})"
        else:
            given, source = loaded, str(answers)
        result = score_answers(question_set, given, catalog, judge, source, path)
        split_failed = check_gates(result.overall, parsed_gates, split)
        failed += split_failed
        if report_dir is not None:
            from evals.report import write_report

            written = write_report(result, report_dir / split if split else report_dir)
            if not as_json:
                click.echo(f"report: {', '.join(str(p) for p in written)}")
        if as_json:
            data = result.to_json()
            data["gates"] = {
                "passed": not split_failed,
                "failed": split_failed,
                "checked": [str(g) for g in parsed_gates if not g.split or g.split == split],
            }
            outputs[split or path.stem] = data
        else:
            from evals.report import overall_table, problems_text

            if several:
                click.echo(f"== {path.name} ==")
            click.echo(overall_table(result))
            text = problems_text(result)
            if text:
                click.echo(text)
    if as_json:
        if several:
            click.echo(
                json.dumps(
                    {"splits": outputs, "gates": {"passed": not failed, "failed": failed}},
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            click.echo(json.dumps(next(iter(outputs.values())), ensure_ascii=False, indent=2))
    if failed:
        raise GateFailed("; ".join(failed))


def _judge(kind: str, settings, embedder):
    """The support judge the option names (`auto`: LLM when configured, else offline)."""
    from kernel.settings import LLMBackend

    if kind == "none":
        return None
    if kind == "llm" or (kind == "auto" and settings.llm != LLMBackend.NONE):
        from evals.judge import LLMJudge

        return LLMJudge.from_settings(settings)
    from evals.judge import OfflineJudge

    if embedder is None:
        from vectorstore.embedding import Embedder

        embedder = Embedder.from_settings(settings)
    return OfflineJudge.from_embedder(embedder)


@eval_group.command("beir")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--qrels",
    type=EXISTING_FILE,
    help="Relevance judgments (default: qrels/test.tsv, else qrels/train.tsv).",
)
@click.option(
    "--limit-queries",
    type=click.IntRange(min=1),
    default=None,
    help="Evaluate only the first N queries.",
)
@click.option(
    "--mode",
    "modes",
    type=click.Choice(["dense", "bm25", "hybrid"]),
    multiple=True,
    help="Retrieval modes to measure (default: all three).",
)
@json_option('Print {"dense": {...}, "bm25": {...}, "hybrid": {...}}.')
def beir_command(
    folder: Path,
    qrels: Path | None,
    limit_queries: int | None,
    modes: tuple[str, ...],
    as_json: bool,
) -> None:
    """Retrieval benchmark on a BEIR folder (corpus.jsonl, queries.jsonl, qrels/*.tsv).

    The corpus is ingested with the product's own pipeline into DATA_DIR/beir-<name> (reused when
    the corpus is unchanged) and searched with the product's Retriever.
    """
    from evals.beir import run_beir

    def note(message: str) -> None:
        if not as_json:
            click.echo(message, err=True)

    results = run_beir(
        folder,
        _settings(),
        qrels=qrels,
        limit_queries=limit_queries,
        modes=modes or ("dense", "bm25", "hybrid"),
        note=note,
    )
    if as_json:
        click.echo(json.dumps(results, indent=2))
        return
    click.echo(
        f"{'mode':8} {'ndcg@10':>8} {'recall@10':>10} {'recall@100':>11} {'mrr@10':>8} "
        f"{'queries':>8}"
    )
    for mode, m in results.items():
        click.echo(
            f"{mode:8} {m['ndcg@10']:8.4f} {m['recall@10']:10.4f} {m['recall@100']:11.4f} "
            f"{m['mrr@10']:8.4f} {m['queries']:8d}"
        )


@eval_group.command("judge")
@click.option(
    "--pairs",
    type=EXISTING_FILE,
    help="Hand-labelled pairs (default: evals/calibration/support_pairs.jsonl).",
)
@_judge_option()
@_library_option("Library files the pairs' titles come from (default: ASSISTANT_LIBRARY_DIR).")
@click.option(
    "--sentences",
    type=EXISTING_FILE,
    help="Hand-labelled LLM-style sentences for the citation guard "
    "(default: evals/calibration/guard_sentences.jsonl).",
)
@json_option("Print the calibration report as JSON.")
def judge_command(
    pairs: Path | None,
    judge_kind: str,
    library: tuple[Path, ...],
    sentences: Path | None,
    as_json: bool,
) -> None:
    """Accuracy of the support judge on hand-labelled sentence/record pairs, and the citation
    guard's precision and recall (dev and test splits) on hand-labelled LLM-style sentences."""
    from evals.guard_calibration import GUARD_SENTENCES, guard_report, load_sentences
    from evals.judge import CALIBRATION_PAIRS, calibration_report, load_pairs
    from evals.runner import catalog_from_paths

    settings = _settings()
    catalog = catalog_from_paths(list(library) or [settings.library_dir])
    judge = _judge(judge_kind, settings, None)
    report = calibration_report(load_pairs(pairs or CALIBRATION_PAIRS), catalog, judge)
    scorer = getattr(judge, "scorer", None)
    if scorer is None:
        from assistant.guard import SupportScorer
        from vectorstore.embedding import Embedder

        scorer = SupportScorer(Embedder.from_settings(settings))
    report["guard"] = guard_report(load_sentences(sentences or GUARD_SENTENCES), catalog, scorer)
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"judge: {report['judge']}  pairs: {report['pairs']} "
        f"({report['supported_pairs']} supported, {report['unsupported_pairs']} not)"
    )
    click.echo(
        f"accuracy {report['accuracy']:.3f}  precision {report['precision']}  "
        f"recall {report['recall']}"
    )
    if "threshold" in report:
        click.echo(
            f"threshold {report['threshold']} "
            f"(best on these pairs: {report['best_threshold_here']} "
            f"at accuracy {report['best_accuracy_here']:.3f})"
        )
    for e in report["errors"]:
        label = "supported" if e["supported"] else "unsupported"
        click.echo(
            f"  wrong on {label} pair ({e.get('kind') or '-'}, score {e.get('score')}): "
            f"{e['sentence'][:90]}"
        )
    guard = report["guard"]
    click.echo(
        "citation guard on LLM-style sentences (flagged = fabricated, contradicted or unsupported):"
    )
    for split in ("dev", "test"):
        g = guard[split]
        click.echo(
            f"  {split:4} sentences {g['sentences']:3d} (positives {g['positives']:3d})  "
            f"precision {g['precision']}  recall {g['recall']}"
        )
    for e in guard["errors"]:
        wrong = "missed" if e["label"] != "supported" else "false flag"
        click.echo(
            f"  {wrong} ({e['split']}, {e['kind']}, {','.join(e['problems']) or '-'}): "
            f"{e['text'][:90]}"
        )
