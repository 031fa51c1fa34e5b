"""The citation guard on the real LLM path: the assistant over the sample index, its LLM a local
fake OpenAI-compatible server that answers with a scripted text built from the sources it was sent.

Each script is one way an LLM's invented sources or claims used to reach the user unflagged.
"""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler

import pytest

from kernel.settings import Settings
from tests.fake_llm import serve, stream_answer

QUESTION = "How does armed conflict affect the vulnerability of civilians to trafficking?"
MODERN = "Modern Slavery and Trafficking in Conflict: The UN's Response"  # 2016 in the catalog


class _Scripted(BaseHTTPRequestHandler):
    """/v1/chat/completions streaming `script(sources)`; sources = {title: n} read from the
    prompt."""

    script = staticmethod(lambda sources: "")

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        sources = {
            m.group(2): int(m.group(1))
            for m in re.finditer(r"Source (\d+):\nTitle: ([^\n]+)", user)
        }
        stream_answer(self, body["model"], type(self).script(sources))


@pytest.fixture
def ask_llm(sample_copy, embedder):
    """ask_llm(script) -> the Answer the assistant gives when its LLM writes script(sources)."""
    server, base_url = serve(_Scripted)
    from assistant.service import Assistant

    settings = Settings(
        data_dir=sample_copy,
        llm="openai",
        llm_model="scripted",
        llm_timeout=10,
        llm_base_url=base_url,
    )
    assistant = Assistant.from_settings(settings, embedder=embedder)

    def ask(script):
        _Scripted.script = staticmethod(script)
        answer = assistant.ask(QUESTION)
        assert answer.mode == "llm" and MODERN in [h.record.title for h in answer.hits]
        return answer

    yield ask
    server.shutdown()
    server.server_close()


def _problems(answer) -> dict[str, str | None]:
    return {v.sentence: v.problem for v in answer.verdicts}


@pytest.mark.slow
def test_llm_answer__a_fabricated_title_and_year_in_the_text_is_removed_flagged_and_reported(
    ask_llm,
):
    answer = ask_llm(
        lambda s: (
            f"According to The Secret Report (1999), traffickers recruit children in conflict "
            f"zones [{s[MODERN]}]."
        )
    )

    assert "Secret Report" not in answer.text and "1999" not in answer.text
    assert "(unknown source removed)" in answer.text
    assert [v.problem for v in answer.verdicts] == ["unknown-source"]
    assert any(
        "The Secret Report (1999)" in w and "no record in the library" in w for w in answer.warnings
    )


@pytest.mark.slow
def test_llm_answer__a_real_title_with_a_wrong_year_is_replaced_by_the_catalog_label(ask_llm):
    answer = ask_llm(
        lambda s: (
            f"As {MODERN} (2004) shows, displaced refugees are particularly vulnerable "
            f"[{s[MODERN]}]."
        )
    )

    assert f"{MODERN} (2016)" in answer.text and "2004" not in answer.text
    assert [v.problem for v in answer.verdicts] == ["wrong-year"]
    assert any("2004" in w and "2016" in w for w in answer.warnings)


@pytest.mark.slow
def test_llm_answer__a_right_title_and_year_stays_and_passes(ask_llm):
    answer = ask_llm(
        lambda s: (
            f"As {MODERN} (2016) notes, refugees displaced by conflict are particularly "
            f"vulnerable to exploitation [{s[MODERN]}]."
        )
    )

    assert f"{MODERN} (2016)" in answer.text
    assert [v.problem for v in answer.verdicts] == [None] and answer.warnings == ()


@pytest.mark.slow
def test_llm_answer__a_negated_quote_or_changed_number_of_the_source_is_contradicted(
    ask_llm,
):
    answer = ask_llm(
        lambda s: (
            "Violent conflict greatly increases the vulnerability of civilians to trafficking and "
            f"slavery [{s[MODERN]}]. "
            "Violent conflict does not increase the vulnerability of civilian populations to "
            "human trafficking and "
            f"slavery [{s[MODERN]}]. "
            "In July 2019, UK Prime Minister Theresa May said eliminating modern slavery is the "
            "great human rights "
            f"issue of our time [{s[MODERN]}]."
        )
    )

    assert [v.problem for v in answer.verdicts] == [None, "contradicted", "contradicted"]
    assert "2 sentences contradict the sources they cite" in answer.warnings
    assert "does not increase the vulnerability" in answer.text  # flagged, not hidden


@pytest.mark.slow
def test_llm_answer__an_invented_claim_with_a_marker_stays_unsupported(ask_llm):
    answer = ask_llm(
        lambda s: (
            f"Penguins in Antarctica are trafficked for their eggs every winter [{s[MODERN]}]."
        )
    )

    assert [v.problem for v in answer.verdicts] == ["unsupported"]


@pytest.mark.slow
def test_llm_answer__claims_in_any_markdown_without_a_marker_are_flagged(ask_llm):
    lines = [
        "# The Secret Report (1999) proves that conflict drives trafficking.",
        "**Traffickers recruit children through social media.**",
        "- Traffickers control most refugee camps.",
        "> Trafficking doubled in every conflict since 2010.",
        "| 2016 | Conflict always doubles trafficking |",
        "```",
        "Traffickers target every displaced family.",
        "```",
    ]
    answer = ask_llm(lambda s: "## Key findings\n" + "\n".join(lines))

    problems = _problems(answer)
    assert problems["## Key findings"] is None  # a short heading is a label
    flagged = [sentence for sentence, problem in problems.items() if problem]
    assert len(flagged) == 6, problems
    assert (
        problems["# The (unknown source removed) proves that conflict drives trafficking."]
        == "unknown-source"
    )
    assert problems["**Traffickers recruit children through social media.**"] == "uncited"
    assert problems["Traffickers target every displaced family."] == "uncited"


@pytest.mark.slow
def test_llm_answer__the_no_evidence_exemption_covers_only_a_plain_statement_that_names_no_source(
    ask_llm,
):
    answer = ask_llm(
        lambda s: (
            "There is no evidence against it: The Secret Report (1999) shows that children are "
            "recruited.\n"
            "There is no evidence that conflict reduces trafficking.\n"
            "The sources do not mention it, but trafficking doubled in 2021.\n"
            "The sources do not mention trafficking in Antarctica."
        )
    )

    assert [v.problem for v in answer.verdicts] == ["unknown-source", "uncited", "uncited", None]
