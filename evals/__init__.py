"""Evaluation harness: question sets, metrics, reports; it scores an `Answer`, whoever produced it.

    evals.citations_parse   free-text citations ("Title (Year)", [n] + reference list) vs the
                            catalog
    evals.metrics           retrieval, citation validity, support (ALCE), gold recall, abstention,
                            filters
    evals.judge             support judges: offline similarity proxy (default) or the configured LLM
    evals.runner            question sets, asking the assistant, scoring any answers, gates
    evals.report            terminal table, HTML + Markdown reports with plots
    evals.beir              retrieval benchmark on a BEIR folder with the product's own index
    (the `assistant eval` command group is assistant.cli.eval, above this package)

Nothing heavy is imported here: the model, Chroma and matplotlib load inside the functions that use
them.
"""

from __future__ import annotations

from evals.citations_parse import Catalog, ParsedAnswer, ParsedCitation, parse_answer
from evals.metrics import QuestionScore, aggregate, ndcg_at_k, recall_at_k, reciprocal_rank
from evals.runner import (
    EvalResult,
    Question,
    answers_from_assistant,
    check_gates,
    load_answers,
    load_questions,
    parse_gate,
    score_answers,
)

__all__ = [
    "Catalog",
    "EvalResult",
    "ParsedAnswer",
    "ParsedCitation",
    "Question",
    "QuestionScore",
    "aggregate",
    "answers_from_assistant",
    "check_gates",
    "load_answers",
    "load_questions",
    "ndcg_at_k",
    "parse_answer",
    "parse_gate",
    "recall_at_k",
    "reciprocal_rank",
    "score_answers",
]
