"""The chat's behaviour without a server: history for follow-ups, errors as messages, export,
filters."""

from __future__ import annotations

import pytest
from ui_fakes import FakeAssistant

from assistant.models import Filters
from kernel.errors import QuestionError, StoreUnavailable
from ui.views_chat import ChatController, filters_from_controls, messages

NO_FILTERS = Filters()


def _run(ctrl, question, turns=(), filters=NO_FILTERS):
    *partials, last = list(ctrl.stream(question, list(turns), filters))
    return partials, last


def test_stream__partials_first_then_one_final_turn(tmp_path):
    partials, (turns, partial, answer, error) = _run(
        ChatController(FakeAssistant(), tmp_path), "conflict?"
    )
    assert partials and all(p[2] is None and p[1] for p in partials)
    assert answer is not None and error is None and turns[-1]["answer"] is answer


def test_stream__follow_up_gets_the_conversation_history(tmp_path):
    fake = FakeAssistant()
    ctrl = ChatController(fake, tmp_path)
    _, (turns, *_rest) = _run(ctrl, "How does conflict increase trafficking?")
    _run(ctrl, "and what about protection?", turns)
    question, _, history = fake.calls[-1]
    assert question == "and what about protection?"
    assert history == [("How does conflict increase trafficking?", turns[0]["answer"].text)]


@pytest.mark.parametrize(
    "error",
    [
        QuestionError("the question is empty: ask something about the library"),
        StoreUnavailable("the Chroma server at 127.0.0.1:8000 cannot be reached"),
    ],
)
def test_stream__assistant_errors_become_a_chat_message(tmp_path, error):
    class Broken(FakeAssistant):
        def ask_stream(self, *args, **kwargs):
            raise error
            yield  # pragma: no cover

    _, (turns, _, answer, message) = _run(ChatController(Broken(), tmp_path), "anything")
    assert answer is None and message == str(error)
    shown = messages(turns)[-1]["content"]
    assert "Could not answer" in shown and "Traceback" not in shown


def test_stream__unexpected_error_is_one_line_not_a_traceback(tmp_path):
    class Broken(FakeAssistant):
        def ask_stream(self, *args, **kwargs):
            raise KeyError("boom")
            yield  # pragma: no cover

    _, (_, _, _, message) = _run(ChatController(Broken(), tmp_path), "anything")
    assert "unexpected error" in message and "KeyError" in message and "Traceback" not in message


def test_export__conversation_markdown_with_bibliography(tmp_path):
    ctrl = ChatController(FakeAssistant(), tmp_path)
    _, (turns, *_rest) = _run(ctrl, "How does conflict increase trafficking?")
    path = ctrl.export(turns)
    text = path.read_text(encoding="utf-8")
    assert "## 1. How does conflict increase trafficking?" in text and "## Bibliography" in text
    assert "Protection: What is it Anyway? (n.d.)" in text.split("## Bibliography")[1]
    assert ctrl.export([]) is None


def test_filters_from_controls__blank_means_any_and_bad_year_is_a_question_error():
    assert filters_from_controls(None, "", [], None, [], []) == Filters()
    assert filters_from_controls("2016", 2018.0, ["Europe"]) == Filters(
        year_from=2016, year_to=2018, regions=("Europe",)
    )
    with pytest.raises(QuestionError, match="year filter"):
        filters_from_controls("last year", None)


# -- issue 11: sending a question --------------------------------------------------------------


def test_respond__an_empty_or_blank_question_changes_nothing():
    from ui.views_chat import respond_updates

    ctrl = ChatController(FakeAssistant(), "/tmp")
    for question in ("", "   \n ", None):
        assert list(respond_updates(ctrl, question, [], Filters())) == []


def test_respond__the_question_and_searching_show_first_and_only_that_update_clears_the_box(
    tmp_path,
):
    from ui.views_chat import respond_updates

    updates = list(
        respond_updates(
            ChatController(FakeAssistant(), tmp_path),
            "How does conflict increase trafficking?",
            [],
            Filters(),
        )
    )
    first, *rest = updates
    assert first["box"] == "" and [m["role"] for m in first["chat"]] == ["user", "assistant"]
    assert "Searching the library" in first["chat"][-1]["content"]
    assert all("box" not in u for u in rest)  # a next question typed meanwhile is kept
    assert rest[-1]["turns"][-1]["answer"] is not None and rest[-1]["export"].endswith(".md")


def test_respond__filters_read_from_a_question_are_not_copied_to_the_filter_controls(tmp_path):
    from kernel.settings import Settings
    from ui.app import build_app

    demo = build_app(FakeAssistant(), Settings(data_dir=tmp_path / "index"))
    chat = next(fn for fn in demo.fns.values() if fn.api_name == "chat")
    outputs = {getattr(block, "elem_id", None) for block in chat.outputs}
    assert not outputs & {
        "year-from",
        "year-to",
        "filter-regions",
        "filter-countries",
        "filter-categories",
        "filter-authors",
    }
    assert chat.trigger_mode == "always_last"  # a question sent meanwhile waits its turn


def test_filters_bar__names_the_panel_filters_in_force():
    from ui.views_chat import filters_bar

    assert filters_bar(None, None, [], [], [], []) == (False, "")
    visible, html = filters_bar("2016", None, ["Europe"])
    assert visible and "from 2016; region&#58; Europe" in html
