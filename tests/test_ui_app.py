"""The running app through gradio_client: the /ask endpoint, a chat turn, follow-ups, 20 users at
once."""

from __future__ import annotations

import html
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks._util import free_port
from kernel.errors import ConfigError
from kernel.settings import Settings


@pytest.fixture(scope="module")
def app_url(sample_assistant, tmp_path_factory):
    from ui.app import build_app, launch_app

    settings = Settings(data_dir=tmp_path_factory.mktemp("ui-app"), port=free_port())
    demo = build_app(sample_assistant, settings)
    launch_app(demo, settings, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{settings.port}/"
    demo.close()


@pytest.fixture
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


@pytest.mark.slow
def test_ask_endpoint__markdown_answer_with_catalog_sources(client, sample_assistant):
    text = client.predict(
        "How does armed conflict increase the risk of trafficking?", api_name="/ask"
    )
    assert "[1]" in text and "**Sources**" in text
    titles = {f"{r.title} ({r.year_label})" for r in sample_assistant.records()}
    listed = [
        html.unescape(line.split(". ", 1)[1].replace("\\", ""))
        for line in text.split("**Sources**")[1].splitlines()
        if line[:1].isdigit()
    ]
    assert listed and all(label in titles for label in listed)


@pytest.mark.slow
def test_ask_endpoint__empty_question_is_a_clear_error(client):
    with pytest.raises(Exception, match="the question is empty") as err:
        client.predict("   ", api_name="/ask")
    assert "Traceback" not in str(err.value)


@pytest.mark.slow
def test_chat_turn__answer_with_sources_and_follow_up_uses_history(client):
    result = client.predict("What happens to children recruited by armed groups?", api_name="/chat")
    chat = result[0]
    assert [m["role"] for m in chat] == ["user", "assistant"]
    first = _text(chat[1])
    assert '<details class="source">' in first and "[1]" in first
    result = client.predict("and what about girls?", api_name="/chat")
    chat = result[0]
    assert [m["role"] for m in chat] == ["user", "assistant", "user", "assistant"]
    assert '<details class="source">' in _text(chat[3])


@pytest.mark.slow
def test_chat_turn__an_empty_question_adds_no_bubble_and_no_error(client):
    for question in ("", "   "):
        chat = client.predict(question, api_name="/chat")[0]
        assert not chat  # nothing to show: no empty bubble, no red error


@pytest.mark.slow
def test_chat_turn__a_200000_character_question_is_answered_with_a_warning(client):
    question = "How are children recruited by armed groups? " + "trafficking " * 18_000
    chat = client.predict(question, api_name="/chat")[0]
    text = _text(chat[-1])
    assert "Traceback" not in text and "[1]" in text
    assert "cut to its first 2000 characters" in text


@pytest.mark.slow
def test_chat_turn__year_filter_with_no_records_says_so(client):
    result = client.predict("trafficking", "1990", "1991", [], [], [], [], api_name="/chat")
    text = _text(result[0][-1])
    assert "No record in the library matches the filters" in text and "<details" not in text


@pytest.mark.slow
def test_chat_turn__an_inferred_year_is_said_above_the_answer_and_not_kept_for_the_next_question(
    client,
):
    result = client.predict(
        "What do records published since 2019 say about trafficking in conflict?", api_name="/chat"
    )
    assert (
        len(result) == 3
    )  # outputs: chat, question box, download; the filter controls are not touched
    text = _text(result[0][-1])
    assert text.index("Searched only records matching <b>from 2019</b>") < text.index("<details")
    nxt = _text(
        client.predict("How are refugees exploited by traffickers?", api_name="/chat")[0][-1]
    )
    assert "Searched only" not in nxt
    cleared = client.predict(api_name="/clear_filters")
    assert cleared[0] in (None, "") and cleared[1] in (None, "")


@pytest.mark.slow
def test_twenty_simultaneous_users_all_get_answers(app_url):
    from gradio_client import Client

    def one(i: int) -> str:
        return Client(app_url, verbose=False).predict(
            f"trafficking in conflict {i}", api_name="/ask"
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(one, range(20)))
    assert all("**Sources**" in a for a in answers)


@pytest.mark.slow
def test_page__binds_loopback_and_loads_no_external_font(app_url):
    import urllib.request

    html = urllib.request.urlopen(app_url, timeout=10).read().decode("utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    css = urllib.request.urlopen(app_url + "theme.css", timeout=10).read().decode("utf-8")
    assert "googleapis" not in css and "system-ui" in css
    assert app_url.startswith("http://127.0.0.1:")


def test_launch_options__loopback_no_share_and_login_from_file(tmp_path):
    from ui.app import launch_options

    auth = tmp_path / "users.txt"
    auth.write_text("# evaluators\nana:s3cret\nbo:pw:with:colons\n", encoding="utf-8")
    options = launch_options(Settings(auth_file=auth))
    assert options["server_name"] == "127.0.0.1" and options["share"] is False
    assert options["auth"] == [("ana", "s3cret"), ("bo", "pw:with:colons")]
    assert launch_options(Settings())["auth"] is None


def test_launch_options__malformed_login_line_is_a_config_error(tmp_path):
    from ui.app import read_auth

    auth = tmp_path / "users.txt"
    auth.write_text("nobody\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"users\.txt line 1: expected `user:password`"):
        read_auth(Settings(auth_file=auth))


def test_serve_command__help_names_host_and_port():
    from click.testing import CliRunner

    from assistant.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--host" in result.output and "--port" in result.output


def test_serve_command__a_port_out_of_range_is_one_line_and_exit_2(capsys):
    from assistant.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", "99999"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert (
        err.strip() == "Error: invalid settings: port: Input should be less than or equal to 65535"
    )


@pytest.mark.slow
def test_serve_command__a_port_in_use_is_one_line_not_a_traceback(sample_index_dir):
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "assistant", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=300,
            env={**__import__("os").environ, "ASSISTANT_DATA_DIR": str(sample_index_dir)},
        )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"Error: cannot listen on 127.0.0.1:{port}" in done.stderr


def _text(message) -> str:
    content = message["content"]
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


@pytest.mark.slow
def test_login__required_when_auth_is_set(tmp_path):
    import urllib.error
    import urllib.request

    from gradio_client import Client
    from ui_fakes import FakeAssistant

    from ui.app import build_app, launch_app

    settings = Settings(data_dir=tmp_path / "index", port=free_port(), auth="trainer:correct-horse")
    demo = build_app(FakeAssistant(), settings)
    launch_app(demo, settings, prevent_thread_lock=True)
    url = f"http://127.0.0.1:{settings.port}/"
    try:
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(url + "config", timeout=10)
        assert denied.value.code in (401, 403)
        # gradio_client's login failure: AuthenticationError (a ValueError) on 401, else ValueError
        with pytest.raises(ValueError, match="Could not login"):
            Client(url, verbose=False, auth=("trainer", "wrong"))
        text = Client(url, verbose=False, auth=("trainer", "correct-horse")).predict(
            "How does conflict increase trafficking?", api_name="/ask"
        )
        assert "**Sources**" in text
    finally:
        demo.close()


def test_public_surface__ui_exports_build_and_launch_and_imports_nothing_heavy():
    import subprocess
    import sys

    import ui

    assert ui.__all__ == ["build_app", "launch_app"]
    code = (
        "import sys, ui, assistant.cli.serve, ui.app, ui.render, ui.scoring; "
        "print(sorted(m for m in ('gradio', 'torch', 'chromadb') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_app__leaves_no_export_folder_behind_when_the_process_ends(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from kernel.settings import Settings\n"
        "from ui.app import build_app\n"
        "from ui_fakes import FakeAssistant\n"
        f"demo = build_app(FakeAssistant(), Settings(data_dir={str(tmp_path / 'index')!r}))\n"
        "print(demo.export_dir)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    export_dir = Path(done.stdout.strip().splitlines()[-1])
    assert export_dir.name.startswith("assistant-exports-") and not export_dir.exists()


def test_app__every_answering_endpoint_shares_one_concurrency_limit(tmp_path):
    """ASSISTANT_CONCURRENCY bounds answers computed at once across chat, /ask and briefings."""
    from ui_fakes import FakeAssistant

    from ui.app import build_app

    demo = build_app(FakeAssistant(), Settings(data_dir=tmp_path / "index", concurrency=3))
    fns = {fn.api_name: fn for fn in demo.fns.values() if fn.api_name}
    for name in ("chat", "ask", "briefing"):
        assert fns[name].concurrency_id == "answers", name
