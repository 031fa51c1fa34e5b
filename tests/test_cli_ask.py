"""`assistant ask`: human and JSON output, batches, filters, and one-line errors."""

import json
import subprocess
import sys

import pytest
from cli_run import run_cli as _run

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("question", ["", "   \n\t "])
def test_ask__an_empty_question_is_one_line_error_and_exit_2(capsys, question):
    code, out, err = _run(["ask", question], capsys)
    assert code == 2 and out == ""
    assert err.startswith("Error: the question is empty") and err.count("\n") == 1


def test_ask__no_question_at_all_is_the_same_error(capsys):
    code, _, err = _run(["ask"], capsys)
    assert code == 2 and err.startswith("Error: the question is empty")


@pytest.mark.slow
def test_ask__prints_the_answer_then_numbered_sources(cli_assistant, capsys):
    code, out, _ = _run(["ask", "How did COVID-19 change the risk of trafficking?"], capsys)
    assert code == 0
    text, sources = out.split("Sources:")
    assert "[1]" in text
    first = sources.strip().splitlines()[0]
    assert first.startswith("[1] COVID-19 Impact on Trafficking in Persons") and first.endswith(
        "(2020)"
    )


@pytest.mark.slow
def test_ask__json_has_the_documented_shape_with_null_year_for_nd(cli_assistant, capsys):
    code, out, _ = _run(
        ["ask", "--json", "¿Qué resolución aprobó el Consejo de Derechos Humanos sobre la trata?"],
        capsys,
    )
    data = json.loads(out)
    assert code == 0 and {"answer", "citations", "abstained", "filters", "warnings"} <= set(data)
    assert set(data["citations"][0]) == {"n", "record_id", "title", "year"}
    spanish = [c for c in data["citations"] if c["title"].startswith("Resolución")]
    assert spanish and spanish[0]["year"] is None


@pytest.mark.slow
def test_ask__explicit_filter_options_reach_the_answer(cli_assistant, capsys):
    code, out, _ = _run(
        [
            "ask",
            "--json",
            "--year-from",
            "2019",
            "--year-to",
            "2020",
            "--country",
            "Bangladesh",
            "How are people trafficked?",
        ],
        capsys,
    )
    data = json.loads(out)
    assert data["filters"]["year_from"] == 2019 and data["filters"]["countries"] == ["Bangladesh"]
    assert [c["title"] for c in data["citations"]] == ["IOM Case Data Analysis Human Trafficking"]


@pytest.mark.slow
def test_ask__a_200000_character_question_is_cut_with_a_warning(cli_assistant, capsys):
    code, out, _ = _run(
        ["ask", "--json", "How do police help trafficking victims? " * 5000], capsys
    )
    data = json.loads(out)
    assert code == 0 and any("cut" in w for w in data["warnings"])


@pytest.mark.slow
def test_ask_batch__one_json_answer_per_line_with_its_id_and_errors_for_bad_lines(
    cli_assistant, capsys, tmp_path
):
    batch = tmp_path / "questions.jsonl"
    batch.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": "q1",
                        "question": "What happened to women in Kosovo after the NATO bombing?",
                    }
                ),
                "not json",
                json.dumps({"id": "q3", "question": "  "}),
                json.dumps({"id": 4, "question": "What is the capital of France?"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = _run(["ask", "--batch", str(batch), "--json"], capsys)
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [line["id"] for line in lines] == ["q1", None, "q3", 4]
    assert lines[0]["citations"][0]["title"].startswith("Between Rhetoric and Reality")
    assert "line 2" in lines[1]["error"] and "empty" in lines[2]["error"]
    assert lines[3]["abstained"] is True


@pytest.mark.slow
def test_ask__runs_end_to_end_in_a_fresh_process(sample_index_dir):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "ask",
            "--json",
            "--data-dir",
            str(sample_index_dir),
            "What should a police officer do first when they meet a possible victim?",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["citations"][0]["title"].startswith("First Aid Kit for Use by Law Enforcement")


@pytest.mark.slow
@pytest.mark.parametrize("configured, expected", [(None, 1), ("2", 2)])
def test_assistant__model_threads_come_from_settings_one_by_default(
    sample_index_dir, configured, expected
):
    """Two torch threads on two shared cores spin-wait whenever anything else runs."""
    code = (
        "import torch\nfrom assistant.service import Assistant\n"
        "from kernel.settings import Settings\n"
        "Assistant.from_settings(Settings())\nprint(torch.get_num_threads())\n"
    )
    env = {**__import__("os").environ, "ASSISTANT_DATA_DIR": str(sample_index_dir)}
    env.pop("ASSISTANT_MODEL_THREADS", None)
    if configured:
        env["ASSISTANT_MODEL_THREADS"] = configured
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == str(expected)


def test_settings__ingest_uses_every_core_answering_one_unless_set(monkeypatch):
    from kernel.settings import Settings

    monkeypatch.delenv("ASSISTANT_MODEL_THREADS", raising=False)
    unset = Settings()
    assert (unset.embedding_threads(bulk=True), unset.embedding_threads()) == (0, 1)
    monkeypatch.setenv("ASSISTANT_MODEL_THREADS", "3")
    assert (Settings().embedding_threads(bulk=True), Settings().embedding_threads()) == (3, 3)


@pytest.mark.slow
def test_ask__a_listing_prints_each_record_once(cli_assistant, capsys):
    code, out, err = _run(["ask", "What do you have from 2020?"], capsys)
    assert code in (0, None), err
    titles = [c.record.title for c in cli_assistant.ask("What do you have from 2020?").citations]
    assert len(titles) >= 2
    for title in titles:
        assert out.count(f"{title} (2020)") == 1, out
