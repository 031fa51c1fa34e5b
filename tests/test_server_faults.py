"""Faults in server mode: the Chroma server goes away mid-session and comes back.

The user gets one clear line (StoreUnavailable, naming the server; the chat shows it as the
turn's error), the same Assistant object answers again once the server is back on the same port
and path, and nothing kept in the data dir (the catalog, evaluators' scores and their CSV
export) is lost meanwhile. (The CLI's one line with the server down: tests/test_server_mode.py.)
"""

from __future__ import annotations

import pytest

from benchmarks.chroma_server import ChromaServer
from kernel.errors import StoreUnavailable

ROOT = ChromaServer.ROOT
LIBRARY = ROOT / "data" / "library"
QUESTION = "What is the UN's response to modern slavery and trafficking in conflict?"
UN_REPORT = "Modern Slavery and Trafficking in Conflict: The UN's Response"


@pytest.fixture
def server_assistant(tmp_path, embedder):
    """A Chroma server with the sample library ingested, and an Assistant on it."""
    from assistant.service import Assistant
    from ingest.pipeline import ingest
    from kernel.settings import Settings

    server = ChromaServer(tmp_path / "chroma-server").start()
    try:
        settings = Settings(
            data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=server.port
        )
        report = ingest(settings, [LIBRARY], embedder=embedder, quiet=True)
        assert not report.errors, report.errors
        yield server, settings, Assistant.from_settings(settings, embedder=embedder)
    finally:
        server.stop()


def _titles(answer) -> set[str]:
    return {c.title for c in answer.citations}


@pytest.mark.slow
def test_server_faults__server_stops_mid_session_then_the_same_assistant_recovers(
    server_assistant, tmp_path
):
    from ui.scoring import ScoreStore, item_from_answer
    from ui.views_chat import ChatController

    server, settings, assistant = server_assistant
    before = assistant.ask(QUESTION)
    assert UN_REPORT in _titles(before)
    scores = ScoreStore.for_settings(settings)
    scores.add(item_from_answer(before), 4, {1: "supported"}, note="before the outage")

    server.stop()
    with pytest.raises(StoreUnavailable) as caught:
        assistant.ask(QUESTION)
    message = str(caught.value)
    assert "\n" not in message and f"127.0.0.1:{server.port}" in message, message
    # The chat shows that one line as the turn's error, not a traceback; asking again is no
    # different.
    *_, (turns, _, answer, error) = ChatController(assistant, tmp_path / "exports").stream(
        QUESTION, [], None
    )
    assert answer is None and error and "Chroma server" in error and "Traceback" not in error
    assert turns[-1]["error"] == error
    with pytest.raises(StoreUnavailable):
        assistant.ask(QUESTION)
    # Scores live in the data dir: readable and exportable while the server is down.
    scores.add(item_from_answer(before), 2, note="during the outage")
    exported = scores.export_csv(tmp_path / "scores.csv").read_text(encoding="utf-8")
    assert "before the outage" in exported and "during the outage" in exported

    server.start()  # same path, same port
    after = assistant.ask(QUESTION)
    assert _titles(after) == _titles(before)
    assert [c.record.year for c in after.citations] == [c.record.year for c in before.citations]
    assert [row["note"] for row in ScoreStore.for_settings(settings).rows()] == [
        "before the outage",
        "during the outage",
    ]
