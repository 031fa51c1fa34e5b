"""`assistant eval`: exit codes, JSON shape, reports, BEIR, the judge, and the sample-library gates
(CI)."""

import json
import os
import re
from pathlib import Path

import pytest

from assistant.cli import main

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "evals" / "questions" / "sample.jsonl"
LIBRARY = ROOT / "data" / "library"
SAMPLE_GATES = [
    "citation_validity=1.0",
    "gold_citation_recall=1.0",
    "abstention=1.0",
    "citation_support=0.9",
]

GIRL = "A Girl No More: The Changing Norms of Child Marriage in Conflict"


def run(capsys, *argv):
    """Run `assistant ARGV` in-process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as exc:
        main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.fixture
def small_set(tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "a", "question": "Why do girls in conflict marry early?", "gold": [GIRL]}
                ),
                json.dumps(
                    {
                        "id": "b",
                        "question": "Does mandatory reporting deter survivors?",
                        "gold": ["Forced to Report"],
                    }
                ),
                json.dumps(
                    {"id": "c", "question": "What is the capital of France?", "unanswerable": True}
                ),
            ]
        ),
        encoding="utf-8",
    )
    answers = tmp_path / "answers.jsonl"
    answers.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": "a",
                        "answer": f"Poverty drives early marriage [1].\n\nSources:\n[1] {GIRL} "
                        "(2016)",
                    }
                ),
                json.dumps(
                    {"id": "b", "answer": "It obstructs care, as shown in Forced to Report (2019)."}
                ),
                json.dumps(
                    {
                        "id": "c",
                        "answer": "The library holds nothing on this.",
                        "citations": [],
                        "abstained": True,
                    }
                ),
            ]
        ),
        encoding="utf-8",
    )
    return questions, answers


def _score(capsys, small_set, *extra):
    questions, answers = small_set
    return run(
        capsys,
        "eval",
        questions,
        "--answers",
        answers,
        "--library",
        LIBRARY,
        "--judge",
        "none",
        *extra,
    )


def test_eval_answers__json_has_overall_metrics_and_one_entry_per_question(capsys, small_set):
    code, out, _ = _score(capsys, small_set, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"overall", "questions", "judge", "source", "gates"}
    overall = data["overall"]
    for key in (
        "recall@1",
        "recall@3",
        "recall@5",
        "recall@10",
        "mrr",
        "ndcg@10",
        "citation_validity",
        "citation_support",
        "citation_recall",
        "citation_precision",
        "gold_citation_recall",
        "abstention",
        "filter_compliance",
        "fabricated",
        "wrong_year",
    ):
        assert key in overall
    assert (
        overall["citation_validity"] == 0.5
        and overall["wrong_year"] == 1
        and overall["fabricated"] == 0
    )
    assert overall["gold_citation_recall"] == 1.0 and overall["abstention"] == 1.0
    assert [q["id"] for q in data["questions"]] == ["a", "b", "c"]
    assert data["gates"] == {"passed": True, "failed": [], "checked": []}


def test_eval__is_short_for_eval_run(capsys, small_set):
    questions, answers = small_set
    short = _score(capsys, small_set, "--json")
    explicit = run(
        capsys,
        "eval",
        "run",
        questions,
        "--answers",
        answers,
        "--library",
        LIBRARY,
        "--judge",
        "none",
        "--json",
    )
    assert short[0] == explicit[0] == 0
    assert json.loads(short[1])["overall"] == json.loads(explicit[1])["overall"]


def test_eval__a_failed_gate_exits_1_and_names_it(capsys, small_set):
    code, out, err = _score(
        capsys, small_set, "--fail-under", "citation_validity=1.0", "--fail-under", "abstention=1"
    )
    assert code == 1
    assert "citation_validity 0.5 < 1" in err and "abstention" not in err
    assert "Citation validity" in out  # the table is printed before the verdict


def test_eval__passing_gates_exit_0(capsys, small_set):
    code, _, err = _score(
        capsys,
        small_set,
        "--fail-under",
        "gold_citation_recall=1.0",
        "--fail-under",
        "abstention=1",
    )
    assert code == 0 and "FAILED" not in err


def test_eval__an_unknown_gate_metric_is_a_usage_error(capsys, small_set):
    code, _, err = _score(capsys, small_set, "--fail-under", "accuracy=0.9")
    assert code == 2
    assert "unknown metric 'accuracy'" in err and "citation_validity" in err


def test_eval__report_writes_html_markdown_and_plots(capsys, small_set, tmp_path):
    code, out, _ = _score(capsys, small_set, "--report", tmp_path / "report")
    assert code == 0
    folder = tmp_path / "report"
    html = (folder / "report.html").read_text(encoding="utf-8")
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert "wrong year: &#x27;Forced to Report&#x27; (2019)" in html
    assert "| b | Does mandatory reporting deter survivors? |" in md
    pngs = sorted(p.name for p in folder.glob("*.png"))
    assert pngs == ["overall.png", "per_question.png", "recall_at_k.png"]
    assert all((folder / p).read_bytes().startswith(b"\x89PNG") for p in pngs)
    assert "report.html" in out


def test_eval__a_gold_title_unknown_to_the_catalog_is_a_one_line_error(capsys, tmp_path, small_set):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"id": "x", "question": "?", "gold": ["Not A Real Report"]}), encoding="utf-8"
    )
    code, _, err = run(
        capsys, "eval", bad, "--answers", small_set[1], "--library", LIBRARY, "--judge", "none"
    )
    assert code == 1 and "gold 'Not A Real Report' names no record" in err


def test_eval__a_binary_answers_file_is_a_one_line_error(capsys, tmp_path, small_set):
    binary = tmp_path / "answers.jsonl"
    binary.write_bytes(b"\xa4\x00\xff" * 100)
    code, _, err = run(
        capsys, "eval", small_set[0], "--answers", binary, "--library", LIBRARY, "--judge", "none"
    )
    assert code == 1 and err.count("\n") == 1 and "not UTF-8 text" in err and str(binary) in err


# --------------------------------------------------------------------------- slow: the model
@pytest.mark.slow
def test_eval_judge__reports_accuracy_on_the_hand_labelled_pairs(capsys):
    code, out, _ = run(capsys, "eval", "judge", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["judge"] == "offline similarity (proxy)"
    assert report["pairs"] >= 50 and report["supported_pairs"] and report["unsupported_pairs"]
    assert 0.5 < report["accuracy"] <= 1.0
    assert len(report["errors"]) == round(report["pairs"] * (1 - report["accuracy"]))


@pytest.mark.slow
def test_eval_judge__prints_the_guards_precision_and_recall_on_both_splits_of_the_llm_sentences(
    capsys,
):
    code, out, _ = run(capsys, "eval", "judge")
    assert code == 0
    dev = re.search(r"dev\s+sentences\s+(\d+).*precision ([\d.]+)\s+recall ([\d.]+)", out)
    test = re.search(r"test\s+sentences\s+(\d+).*precision ([\d.]+)\s+recall ([\d.]+)", out)
    assert dev and test, out
    assert int(dev.group(1)) + int(test.group(1)) >= 100
    # the figures the README reports (test split: not tuned on)
    assert float(test.group(2)) >= 0.9 and float(test.group(3)) >= 0.9


@pytest.mark.slow
def test_eval_beir__scores_each_mode_and_reuses_its_index(capsys, tmp_path):
    folder = tmp_path / "tiny"
    (folder / "qrels").mkdir(parents=True)
    docs = {
        "d1": (
            "Child marriage in conflict",
            "Girls are married early when families are displaced by war.",
        ),
        "d2": (
            "Police first responders",
            "Officers identify trafficking victims and stabilise the situation.",
        ),
        "d3": (
            "Migrant smuggling and COVID-19",
            "Border closures raised the prices charged by smugglers.",
        ),
        "d4": (
            "Forced labour in fishing",
            "Fishermen are held at sea and forced to work without pay.",
        ),
    }
    (folder / "corpus.jsonl").write_text(
        "\n".join(json.dumps({"_id": k, "title": t, "text": x}) for k, (t, x) in docs.items()),
        encoding="utf-8",
    )
    (folder / "queries.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"_id": "q1", "text": "early marriage of displaced girls"}),
                json.dumps(
                    {"_id": "q2", "text": "what police do when they find a trafficking victim"}
                ),
                json.dumps({"_id": "q3", "text": "unjudged query"}),
            ]
        ),
        encoding="utf-8",
    )
    (folder / "qrels" / "train.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "eval", "beir", folder, "--json")
    assert code == 0
    results = json.loads(out)
    assert set(results) == {"dense", "bm25", "hybrid"}
    for metrics in results.values():
        assert {"ndcg@10", "recall@10", "recall@100", "mrr@10"} <= set(metrics)
        assert metrics["queries"] == 2
    assert results["hybrid"]["recall@10"] == 1.0 and results["hybrid"]["ndcg@10"] == 1.0
    index = Path(os.environ["ASSISTANT_DATA_DIR"]) / "beir-tiny"  # the conftest's private data dir
    assert (index / "beir-source.json").is_file()
    code, _, err = run(capsys, "eval", "beir", folder, "--limit-queries", "1")
    assert code == 0 and "reusing the index" in err


@pytest.mark.slow
def test_sample_library__meets_the_evaluation_gates(capsys, sample_copy, monkeypatch, tmp_path):
    """CI gate: the full question set against the real sample assistant."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(sample_copy))
    argv = ["eval", QUESTIONS, "--json", "--report", tmp_path / "report"]
    for gate in SAMPLE_GATES:
        argv += ["--fail-under", gate]
    code, out, err = run(capsys, *argv)
    data = json.loads(out)
    failing = {q["id"]: q["problems"] for q in data["questions"] if q["problems"]}
    assert code == 0, (
        f"{err.strip()}\noverall: {data['overall']}\nquestions with problems: {failing}"
    )
    assert data["overall"]["fabricated"] == 0
    assert (tmp_path / "report" / "report.html").is_file()


SPLITS = [
    ROOT / "evals" / "questions" / "dev.jsonl",
    ROOT / "evals" / "questions" / "dev2.jsonl",
    ROOT / "evals" / "questions" / "dev3.jsonl",
    ROOT / "evals" / "questions" / "test.jsonl",
]
# Issue 10's targets: gold citation recall >= 0.9, correct abstention >= 0.9, false abstention <=
# 0.05, citation validity 1.0. dev.jsonl (tuned on) and test.jsonl (never tuned on) meet them all
# (test, 2026-12-06, fifth stop: recall 0.942, correct abstention 0.929, false abstention 0.043).
SPLIT_GATES = [
    "citation_validity=1.0",
    "dev:gold_citation_recall=0.9",
    "dev:correct_abstention=0.9",
    "dev:false_abstention<=0.05",
    # dev2.jsonl: 80 more dev questions (details inside abstracts, situations, yes/no), written
    # after the others; 5 of its 15 unanswerable questions ask a detail of a record's own subject
    # that the abstract does not give, and are answered with that record's nearest sentences.
    "dev2:gold_citation_recall=0.9",
    "dev2:correct_abstention=0.65",
    "dev2:false_abstention<=0.05",  # 0.0 reached
    # dev3.jsonl: 100 questions written from the records alone (2026-12-06), tuned on; its 28
    # unanswerable questions are mostly details of a record's own subject.
    "dev3:gold_citation_recall=0.9",
    "dev3:correct_abstention=0.6",
    "dev3:false_abstention<=0.05",  # 0.0 reached (0.042 before the fixes it led to)
    "test:gold_citation_recall=0.9",
    "test:correct_abstention=0.9",
    "test:false_abstention<=0.05",
]


def test_eval__gates_name_their_split_and_may_be_maxima(capsys, small_set, tmp_path):
    questions, answers = small_set
    other = tmp_path / "other.jsonl"
    other.write_text(questions.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run(
        capsys,
        "eval",
        questions,
        other,
        "--answers",
        answers,
        "--library",
        LIBRARY,
        "--judge",
        "none",
        "--fail-under",
        "other:false_abstention<=0.0",
        "--fail-under",
        "questions:citation_validity=0.5",
    )
    assert code == 0, (
        err
    )  # both answerable questions cite (false abstention 0.0); validity 0.5 >= 0.5
    assert "== questions.jsonl ==" in out and "== other.jsonl ==" in out
    code, _, err = run(
        capsys,
        "eval",
        questions,
        other,
        "--answers",
        answers,
        "--library",
        LIBRARY,
        "--judge",
        "none",
        "--fail-under",
        "other:citation_validity=1.0",
    )
    assert code == 1 and "other: citation_validity 0.5 < 1" in err and "questions:" not in err


@pytest.mark.slow
def test_dev_and_test_splits__meet_their_gates(capsys, sample_copy, monkeypatch):
    """CI gate on the issue-10 question sets, each split scored on its own."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(sample_copy))
    argv = ["eval", *SPLITS, "--json", "--judge", "none"]
    for gate in SPLIT_GATES:
        argv += ["--fail-under", gate]
    code, out, err = run(capsys, *argv)
    data = json.loads(out)
    overall = {name: split["overall"] for name, split in data["splits"].items()}
    assert code == 0, f"{err.strip()}\noverall: {overall}"
    assert set(overall) == {"dev", "dev2", "dev3", "test"}
