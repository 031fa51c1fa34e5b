"""Reports of an evaluation: a text table for the terminal, and HTML + Markdown with plots.

`write_report(result, folder)` writes `report.md`, `report.html` and three PNG plots
(matplotlib, Agg backend): the overall metrics, retrieval recall@k, and each question's
citation metrics. Every table has one row per question with its problems spelled out.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.metrics import COUNT_METRICS, RATE_METRICS

if TYPE_CHECKING:  # pragma: no cover
    from .runner import EvalResult

__all__ = ["overall_table", "problems_text", "write_report"]

LABELS = {
    "recall@1": "Recall@1",
    "recall@3": "Recall@3",
    "recall@5": "Recall@5",
    "recall@10": "Recall@10",
    "mrr": "MRR",
    "ndcg@10": "nDCG@10",
    "citation_validity": "Citation validity",
    "citation_support": "Citation support (judge)",
    "citation_recall": "ALCE citation recall",
    "citation_precision": "ALCE citation precision",
    "gold_citation_recall": "Gold citation recall",
    "abstention": "Abstention correct",
    "filter_compliance": "Filter compliance",
    "correct_abstention": "Abstained when unanswerable",
    "false_abstention": "Refused when answerable",
}
COUNTS = ("questions", "answerable", "unanswerable", *COUNT_METRICS)
# The table's columns: the rate metrics but the finer recall cut-offs and nDCG.
ROW_METRICS = tuple(
    m for m in RATE_METRICS if m not in ("recall@1", "recall@3", "recall@10", "ndcg@10")
)


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def overall_table(result: EvalResult) -> str:
    o = result.overall
    lines = [f"source: {result.source}   judge: {result.judge or 'none'}"]
    lines += [f"  {LABELS[k]:28} {_fmt(o.get(k))}" for k in LABELS]
    lines.append("  " + "  ".join(f"{k}={o.get(k)}" for k in COUNTS))
    return "\n".join(lines)


def problems_text(result: EvalResult) -> str:
    rows = [f"  {q.id}: " + "; ".join(q.problems) for q in result.questions if q.problems]
    return ("questions with problems:\n" + "\n".join(rows)) if rows else ""


def _save(fig: Any, path: Path) -> Path:
    """Lay out `fig`, write it to `path` as a PNG and close it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _plots(result: EvalResult, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    o = result.overall
    keys = [k for k in LABELS if o.get(k) is not None]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh([LABELS[k] for k in keys][::-1], [o[k] for k in keys][::-1], color="#4472c4")
    ax.set_xlim(0, 1.05)
    ax.set_title("Overall metrics")
    for i, k in enumerate(keys[::-1]):
        inside = o[k] > 0.15
        ax.text(
            o[k] - 0.01 if inside else o[k] + 0.01,
            i,
            f"{o[k]:.2f}",
            va="center",
            fontsize=8,
            ha="right" if inside else "left",
            color="white" if inside else "black",
        )
    written.append(_save(fig, folder / "overall.png"))

    fig, ax = plt.subplots(figsize=(5, 3.5))
    ks = [1, 3, 5, 10]
    values = [o.get(f"recall@{k}") or 0.0 for k in ks]
    ax.plot(ks, values, marker="o")
    ax.set_ylim(0, 1.05)
    ax.set_xticks(ks)
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k")
    ax.set_title("Retrieval recall of the gold records")
    written.append(_save(fig, folder / "recall_at_k.png"))

    import numpy as np

    metrics = ROW_METRICS
    qs = result.questions
    grid = np.array(
        [
            [q.metrics.get(m) if q.metrics.get(m) is not None else np.nan for q in qs]
            for m in metrics
        ],
        dtype=float,
    )
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#dddddd")
    fig, ax = plt.subplots(figsize=(max(6, len(qs) * 0.2 + 2.5), 3.6))
    ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=cmap,
        vmin=0,
        vmax=1,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_yticks(range(len(metrics)))
    ax.set_yticklabels([LABELS[m] for m in metrics], fontsize=7)
    ax.set_xticks(range(len(qs)))
    ax.set_xticklabels([q.id for q in qs], rotation=90, fontsize=6)
    ax.set_title("Per question (red: 0, green: 1, grey: does not apply)", fontsize=9)
    written.append(_save(fig, folder / "per_question.png"))
    return written


def _markdown(result: EvalResult, images: list[Path]) -> str:
    o = result.overall
    out = [
        "# Evaluation report",
        "",
        f"Source: {result.source}  ",
        f"Support judge: {result.judge or 'none'}"
        + (
            " (sentence similarity with a calibrated threshold: a proxy for entailment)"
            if result.judge and "proxy" in result.judge
            else ""
        ),
        "",
        "## Overall",
        "",
        "| Metric | Value |",
        "|---|---|",
    ]
    out += [f"| {LABELS[k]} | {_fmt(o.get(k))} |" for k in LABELS]
    out += [f"| {k.replace('_', ' ')} | {o.get(k)} |" for k in COUNTS]
    out += [""] + [f"![{p.stem}]({p.name})" for p in images] + ["", "## Per question", ""]
    header = ["id", "question", *[LABELS[m] for m in ROW_METRICS], "problems"]
    out += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for q in result.questions:
        cells = [
            q.id,
            _md(q.question),
            *[_fmt(q.metrics.get(m)) for m in ROW_METRICS],
            _md("; ".join(q.problems)),
        ]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "## Answers", ""]
    for q in result.questions:
        flag = " (unanswerable)" if not q.answerable else ""
        out += [
            f"### {q.id}{flag}: {q.question}",
            "",
            "> " + "\n> ".join((q.answer or "(no answer)").splitlines()),
            "",
        ]
        if q.citations:
            out += [
                f"- [{c.get('marker') or '-'}] {c['claimed_title']} "
                f"({c.get('claimed_year') or 'no year'}) — {c['status']}"
                for c in q.citations
            ] + [""]
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _html(result: EvalResult, images: list[Path]) -> str:
    e = html.escape
    o = result.overall
    rows = "".join(f"<tr><td>{e(LABELS[k])}</td><td>{_fmt(o.get(k))}</td></tr>" for k in LABELS)
    rows += "".join(
        f"<tr><td>{e(k.replace('_', ' '))}</td><td>{o.get(k)}</td></tr>" for k in COUNTS
    )
    head = "".join(
        f"<th>{e(h)}</th>"
        for h in ["id", "question", *[LABELS[m] for m in ROW_METRICS], "problems"]
    )
    body = []
    for q in result.questions:
        cls = ' class="bad"' if q.problems else ""
        cells = [
            e(q.id),
            e(q.question),
            *[_fmt(q.metrics.get(m)) for m in ROW_METRICS],
            e("; ".join(q.problems)),
        ]
        citations = "".join(
            f"<li>[{c.get('marker') or '-'}] {e(c['claimed_title'])} "
            f"({e(str(c.get('claimed_year') or 'no year'))}) — {e(c['status'])}</li>"
            for c in q.citations
        )
        detail = (
            f"<details><summary>answer</summary><pre>{e(q.answer or '(no answer)')}</pre>"
            f"<ul>{citations}</ul></details>"
        )
        cells[1] += detail
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    judge = e(result.judge or "none")
    imgs = "".join(f'<img src="{e(p.name)}" alt="{e(p.stem)}">' for p in images)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>
<style>{_STYLE}</style></head><body>
<h1>Evaluation report</h1><p>Source: {e(result.source)}<br>Support judge: {judge}</p>
<h2>Overall</h2><table>{rows}</table>{imgs}
<h2>Per question</h2><table><tr>{head}</tr>{"".join(body)}</table></body></html>
"""


_STYLE = (
    "body{font-family:sans-serif;margin:2em;max-width:1400px}"
    "table{border-collapse:collapse;margin:1em 0}\n"
    "td,th{border:1px solid #ccc;padding:4px 6px;font-size:13px;vertical-align:top}"
    "tr.bad{background:#fff4f0}\n"
    "img{max-width:100%;margin:0.5em}pre{white-space:pre-wrap}"
)


def write_report(result: EvalResult, folder: Path) -> list[Path]:
    """Write report.md, report.html and the PNG plots into `folder`; the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    images = _plots(result, folder)
    md = folder / "report.md"
    md.write_text(_markdown(result, images), encoding="utf-8")
    page = folder / "report.html"
    page.write_text(_html(result, images), encoding="utf-8")
    return [page, md, *images]
