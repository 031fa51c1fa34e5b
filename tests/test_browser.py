"""The app in headless Debian Chromium (Playwright): chat, filters, briefing, scoring, inert records.

One browser and two apps per module: the sample library, and a tiny index holding a record
whose title and abstract carry `<script>`, HTML and remote Markdown images/links. Every request
the page makes is recorded; none may leave 127.0.0.1. Screenshots of each screen at laptop
(1366x768) and narrow (390x844) sizes go to the git-ignored screenshots/ folder.
"""

from __future__ import annotations

import csv
import json
import shutil
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest

from assistant.settings import Settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
NARROW = {"width": 390, "height": 844}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip("Debian chromium is not installed (`make test` installs it: apt-get install -y chromium "
                "chromium-driver)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
expect = sync_api.expect

EVIL = {
    "title": "Trafficking <b>during</b> displacement crises <script>alert('title')</script>",
    "abstract": ("Human trafficking increases sharply during armed conflict and displacement crises, when "
                 "refugees lose protection. <script>alert('xss')</script> <img src=\"http://203.0.113.9/pixel.png\" "
                 "onerror=\"alert('img')\"> ![tracker](https://203.0.113.9/t.png) [click here](https://203.0.113.9/)"
                 " <iframe src=\"https://203.0.113.9/frame\"></iframe> Traffickers exploit displaced families."),
    "year": "2021", "author": "Test Author", "country": "Testland", "region": "Test Region", "category": "Crisis",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _launch(assistant, data_dir: Path):
    from ui.app import build_app, launch_app

    settings = Settings(data_dir=data_dir, port=_free_port())
    demo = build_app(assistant, settings)
    launch_app(demo, settings, prevent_thread_lock=True)
    return demo, f"http://127.0.0.1:{settings.port}/", settings


@pytest.fixture(scope="module")
def sample_app(sample_assistant, tmp_path_factory):
    demo, url, settings = _launch(sample_assistant, tmp_path_factory.mktemp("browser-app"))
    yield url, settings
    demo.close()


@pytest.fixture(scope="module")
def evil_app(embedder, tmp_path_factory):
    from assistant.service import Assistant
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("evil")
    library = base / "evil.jsonl"
    library.write_text(json.dumps(EVIL) + "\n", encoding="utf-8")
    settings = Settings(data_dir=base / "index")
    ingest(settings, [library], embedder=embedder, quiet=True)
    demo, url, _ = _launch(Assistant.from_settings(settings, embedder=embedder), base / "index")
    yield url
    demo.close()


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


class Watched:
    """A page with every request and dialog recorded."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.wait_for_selector('textarea[data-testid="textbox"]')

    def outside(self) -> list[str]:
        return [u for u in self.requests if urlparse(u).scheme not in ("data", "blob")
                and urlparse(u).hostname != "127.0.0.1"]

    def shots(self, name: str) -> None:
        for label, size in (("laptop", LAPTOP), ("narrow", NARROW)):
            self.page.set_viewport_size(size)
            self.page.wait_for_timeout(300)
            self.page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
            # Nothing pushes the page sideways (wide tables scroll inside their own box).
            page_width = self.page.evaluate("document.documentElement.scrollWidth")
            assert page_width <= size["width"], f"{name} is {page_width} px wide on a {size['width']} px screen"
        self.page.set_viewport_size(LAPTOP)

    def ask(self, question: str):
        box = self.page.locator("#question textarea")
        box.fill(question)
        box.press("Enter")
        answer = self.page.locator('[data-testid="bot"]').last
        expect(answer).not_to_contain_text("Searching the library", timeout=60_000)
        expect(answer).not_to_contain_text("Checking citations", timeout=60_000)
        return answer

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser):
    pages: list[Watched] = []

    def open_(url: str) -> Watched:
        pages.append(Watched(browser, url))
        return pages[-1]

    yield open_
    for w in pages:
        w.close()


def _set_dropdown(page, elem_id: str, value: str) -> None:
    field = page.locator(f"#{elem_id} input")
    field.click()
    field.fill(value)
    field.press("Enter")
    page.locator("body").click(position={"x": 5, "y": 5})


def test_chat__cited_answer_and_expandable_sources(sample_app, watched):
    w = watched(sample_app[0])
    expect(w.page.locator(".app-sub")).to_contain_text("nothing you type leaves this machine")
    answer = w.ask("How does armed conflict increase the risk of trafficking?")
    expect(answer).to_contain_text("[1]")
    expect(answer.locator(".sources-head")).to_contain_text("Sources")
    first = answer.locator("details.source").first
    expect(first.locator("summary")).to_contain_text("[1]")
    first.locator("summary").click()
    expect(first.locator(".source-body")).to_be_visible()
    expect(first.locator(".source-body")).to_contain_text("Category")
    assert answer.locator("details.source mark.used").count() >= 1
    with w.page.expect_download() as info:
        w.page.locator("#export-conversation").click()
    exported = Path(info.value.path()).read_text(encoding="utf-8")
    assert "How does armed conflict increase the risk of trafficking?" in exported and "## Bibliography" in exported
    w.shots("chat")
    assert w.outside() == [] and w.dialogs == []


def test_chat__a_place_no_record_mentions_is_said_above_the_sources(sample_app, watched):
    w = watched(sample_app[0])
    answer = w.ask("How are women trafficked from Nigeria to Italy?")
    expect(answer.locator(".notice.warning")).to_contain_text("no record in the library mentions Nigeria or Italy")
    expect(answer).to_contain_text("The library holds nothing on “Nigeria” or “Italy”")  # issue 10: abstains
    w.shots("chat-place-warning")
    assert w.outside() == []


def test_chat__year_filter_limits_sources_and_clears(sample_app, watched):
    w = watched(sample_app[0])
    _set_dropdown(w.page, "year-from", "2020")
    _set_dropdown(w.page, "year-to", "2020")
    answer = w.ask("What risks of trafficking does the pandemic bring?")
    summaries = answer.locator("details.source summary").all_inner_texts()
    assert summaries and all(s.rstrip().removesuffix("quoted in the answer").rstrip().endswith("(2020)")
                             for s in summaries)
    w.shots("chat-filtered")
    w.page.locator("#clear-filters").click()
    expect(w.page.locator("#year-from input")).to_have_value("")
    assert w.outside() == []


def test_briefing__export_docx_with_bibliography(sample_app, watched, tmp_path):
    from docx import Document

    w = watched(sample_app[0])
    w.page.get_by_role("tab", name="Briefing note").click()
    w.page.locator("#briefing-topic textarea").fill("trafficking of children in armed conflict")
    w.page.locator("#briefing-make").click()
    expect(w.page.locator("#briefing-preview")).to_contain_text("Bibliography", timeout=60_000)
    with w.page.expect_download() as info:
        w.page.locator("#briefing-docx").click()
    path = tmp_path / "note.docx"
    info.value.save_as(path)
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[0] == "Briefing note: trafficking of children in armed conflict"
    bibliography = paragraphs[paragraphs.index("Bibliography") + 1:]
    assert bibliography and all(p.startswith(f"[{i}] ") for i, p in enumerate(bibliography, start=1))
    preview = w.page.locator("#briefing-preview").inner_text()
    for entry in bibliography:
        assert entry.split("] ", 1)[1] in preview
    with w.page.expect_download() as info:
        w.page.locator("#briefing-ris").click()
    ris = Path(info.value.path()).read_text(encoding="utf-8")
    assert ris.count("TY  - RPRT") == len(bibliography) and ris.count("ER  - ") == len(bibliography)
    w.shots("briefing")
    assert w.outside() == []


def test_scoring__saved_score_is_in_the_csv_export(sample_app, watched, tmp_path):
    w = watched(sample_app[0])
    w.page.get_by_role("tab", name="Scoring").click()
    w.page.locator("#score-question textarea").fill("What happens to children recruited by armed groups?")
    w.page.locator("#score-ask").click()
    expect(w.page.locator("#score-item")).to_contain_text("Sources", timeout=60_000)
    w.page.locator("#score-rating").get_by_text("4", exact=True).click()
    w.page.locator("#score-mark-1").get_by_text("supported", exact=True).click()
    w.page.locator("#score-note textarea").fill("browser test: clear and well cited")
    w.page.locator("#score-save").click()
    expect(w.page.locator("#score-status")).to_contain_text("Saved score", timeout=30_000)
    with w.page.expect_download() as info:
        w.page.locator("#score-csv").click()
    path = tmp_path / "scores.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    row = [r for r in rows if r["note"] == "browser test: clear and well cited"]
    assert row and row[0]["rating"] == "4" and json.loads(row[0]["citation_marks"])["1"] == "supported"
    assert row[0]["question"] == "What happens to children recruited by armed groups?"
    w.shots("scoring")
    assert w.outside() == []


def test_scoring__jsonl_answers_are_shown_blind_and_scored(sample_app, watched, tmp_path, monkeypatch):
    from gradio import route_utils

    # Gradio stores uploads in the temp dir it read at import, but checks them against the current
    # GRADIO_TEMP_DIR, which conftest changes per test while this module's server keeps running.
    monkeypatch.setenv("GRADIO_TEMP_DIR", route_utils.DEFAULT_TEMP_DIR)
    answers = tmp_path / "other-system.jsonl"
    answers.write_text("\n".join(json.dumps({"id": f"secret-system-{i}", "system": "SecretSystem",
                                              "question": f"Blind question {i}?",
                                              "answer": f"Blind answer {i} [1].\n\nSources:\n[1] Some Title (2016)"})
                                  for i in range(3)) + "\n", encoding="utf-8")
    w = watched(sample_app[0])
    w.page.get_by_role("tab", name="Scoring").click()
    with w.page.expect_file_chooser() as chooser:
        w.page.locator("#score-upload").click()
    chooser.value.set_files(str(answers))
    expect(w.page.locator("#score-position")).to_contain_text("Item 1 of 3", timeout=30_000)
    expect(w.page.locator("#score-item")).to_contain_text("Blind answer")
    expect(w.page.locator("#score-mark-1")).to_contain_text("Some Title (2016)")
    assert "SecretSystem" not in w.page.content() and "secret-system" not in w.page.content()
    shown = w.page.locator("#score-item .score-q").inner_text()
    w.page.locator("#score-rating").get_by_text("2", exact=True).click()
    w.page.locator("#score-mark-1").get_by_text("wrong title or year", exact=True).click()
    w.page.locator("#score-save").click()
    expect(w.page.locator("#score-status")).to_contain_text("item 1 of 3", timeout=30_000)
    w.page.locator("#score-next").click()
    expect(w.page.locator("#score-position")).to_contain_text("Item 2 of 3")
    w.shots("scoring-blind")
    rows = sample_app[1]
    from ui.scoring import ScoreStore

    stored = ScoreStore.for_settings(rows).rows()
    mine = [r for r in stored if r["question"] in shown]
    assert mine and mine[-1]["item_id"].startswith("secret-system-") and mine[-1]["rating"] == 2
    assert json.loads(mine[-1]["citation_marks"]) == {"1": "wrong title or year"}
    assert w.outside() == []


def test_record_with_script_and_remote_image_stays_inert(evil_app, watched):
    w = watched(evil_app)
    answer = w.ask("How does trafficking change during displacement crises?")
    expect(answer.locator("details.source")).to_have_count(1)
    answer.locator("details.source summary").click()
    expect(answer.locator(".abstract")).to_contain_text("<script>alert('xss')</script>")
    expect(answer.locator("details.source summary")).to_contain_text("<script>alert('title')</script>")
    for tag in ("script", "img", "iframe", "b"):
        assert answer.locator(tag).count() == 0, tag
    assert answer.locator("a[href*='203.0.113.9']").count() == 0
    w.page.wait_for_timeout(500)
    w.shots("inert-record")
    assert w.dialogs == []
    assert w.outside() == []
