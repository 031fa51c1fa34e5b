"""The app in headless Debian Chromium (Playwright): chat, filters, briefing, scoring, inert
records, and the chat as people use it (issue 11): filters that do not stick, answers brought into
view, sending, contrast, dropdowns, widths, listings, exports, the phone layout.

One browser and three apps per module: the sample library; a tiny index holding a record whose
title and abstract carry `<script>`, HTML and remote Markdown images/links; and the sample
library answered by an LLM served from a local stand-in that writes slowly (to send a question
while another is being answered). Every request the page makes is recorded; none may leave
127.0.0.1. Screenshots of each screen at laptop (1366x768) and narrow (390x844) sizes go to the
git-ignored screenshots/ folder.
"""

from __future__ import annotations

import csv
import json
import shutil
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlparse

import pytest

from benchmarks._util import free_port
from kernel.settings import Settings
from tests.fake_llm import serve, stream_answer
from ui.screenshots import ARGS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
NARROW = {"width": 390, "height": 844}
CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "Debian chromium is not installed (`make test` installs it: apt-get install -y chromium "
        "chromium-driver)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
expect = sync_api.expect

EVIL = {
    "title": "Trafficking <b>during</b> displacement crises <script>alert('title')</script>",
    "abstract": (
        "Human trafficking increases sharply during armed conflict and displacement crises, when "
        "refugees lose protection. <script>alert('xss')</script> <img "
        'src="http://203.0.113.9/pixel.png" '
        "onerror=\"alert('img')\"> ![tracker](https://203.0.113.9/t.png) [click "
        "here](https://203.0.113.9/)"
        ' <iframe src="https://203.0.113.9/frame"></iframe> Traffickers exploit displaced families.'
    ),
    "year": "2021",
    "author": "Test Author",
    "country": "Testland",
    "region": "Test Region",
    "category": "Crisis",
}


def _launch(assistant, data_dir: Path):
    from ui.app import build_app, launch_app

    settings = Settings(data_dir=data_dir, port=free_port())
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
        return [
            u
            for u in self.requests
            if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"
        ]

    def shots(self, name: str) -> None:
        for label, size in (("laptop", LAPTOP), ("narrow", NARROW)):
            self.page.set_viewport_size(size)
            self.page.wait_for_timeout(300)
            self.page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
            # Nothing pushes the page sideways (wide tables scroll inside their own box).
            page_width = self.page.evaluate("document.documentElement.scrollWidth")
            assert page_width <= size["width"], (
                f"{name} is {page_width} px wide on a {size['width']} px screen"
            )
        self.page.set_viewport_size(LAPTOP)

    def ask(self, question: str):
        box = self.page.locator("#question textarea")
        before = self.page.locator('[data-testid="bot"]').count()
        box.fill(question)
        box.press("Enter")
        expect(self.page.locator('[data-testid="bot"]')).to_have_count(before + 1, timeout=60_000)
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
    assert (
        "How does armed conflict increase the risk of trafficking?" in exported
        and "## Bibliography" in exported
    )
    w.shots("chat")
    assert w.outside() == [] and w.dialogs == []


def test_chat__a_place_no_record_mentions_is_said_above_the_sources(sample_app, watched):
    w = watched(sample_app[0])
    answer = w.ask("How are women trafficked from Nigeria to Italy?")
    expect(answer.locator(".notice.warning")).to_contain_text(
        "no record in the library mentions Nigeria or Italy"
    )
    expect(answer).to_contain_text(
        "The library holds nothing on “Nigeria” or “Italy”"
    )  # issue 10: abstains
    w.shots("chat-place-warning")
    assert w.outside() == []


def test_chat__year_filter_limits_sources_and_clears(sample_app, watched):
    w = watched(sample_app[0])
    _set_dropdown(w.page, "year-from", "2020")
    _set_dropdown(w.page, "year-to", "2020")
    answer = w.ask("What risks of trafficking does the pandemic bring?")
    summaries = answer.locator("details.source summary").all_inner_texts()
    assert summaries and all(
        s.rstrip().removesuffix("quoted in the answer").rstrip().endswith("(2020)")
        for s in summaries
    )
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
    bibliography = paragraphs[paragraphs.index("Bibliography") + 1 :]
    assert bibliography and all(
        p.startswith(f"[{i}] ") for i, p in enumerate(bibliography, start=1)
    )
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
    w.page.locator("#score-question textarea").fill(
        "What happens to children recruited by armed groups?"
    )
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
    assert (
        row and row[0]["rating"] == "4" and json.loads(row[0]["citation_marks"])["1"] == "supported"
    )
    assert row[0]["question"] == "What happens to children recruited by armed groups?"
    w.shots("scoring")
    assert w.outside() == []


def test_scoring__jsonl_answers_are_shown_blind_and_scored(
    sample_app, watched, tmp_path, monkeypatch
):
    from gradio import route_utils

    # Gradio stores uploads in the temp dir it read at import, but checks them against the current
    # GRADIO_TEMP_DIR, which conftest changes per test while this module's server keeps running.
    monkeypatch.setenv("GRADIO_TEMP_DIR", route_utils.DEFAULT_TEMP_DIR)
    answers = tmp_path / "other-system.jsonl"
    answers.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"secret-system-{i}",
                    "system": "SecretSystem",
                    "question": f"Blind question {i}?",
                    "answer": f"Blind answer {i} [1].\n\nSources:\n[1] Some Title (2016)",
                }
            )
            for i in range(3)
        )
        + "\n",
        encoding="utf-8",
    )
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
    expect(answer.locator("details.source summary")).to_contain_text(
        "<script>alert('title')</script>"
    )
    for tag in ("script", "img", "iframe", "b"):
        assert answer.locator(tag).count() == 0, tag
    assert answer.locator("a[href*='203.0.113.9']").count() == 0
    w.page.wait_for_timeout(500)
    w.shots("inert-record")
    assert w.dialogs == []
    assert w.outside() == []


# -- issue 11: the chat as people use it -----------------------------------------------------------

PHONE = NARROW
CONTRAST_JS = """() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => { const f = (v) => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, bottom) => ({r: top.r * top.a + bottom.r * (1 - top.a),
                                  g: top.g * top.a + bottom.g * (1 - top.a),
                                  b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const background = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
    let out = {r: 255, g: 255, b: 255, a: 1};
    for (const l of layers.reverse()) out = over(l, out);
    return out; };
  const found = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim()) continue;
    seen.add(el);
    // WCAG exempts disabled controls
    if (el.closest('[disabled], [aria-hidden="true"], script, style')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    const bg = background(el), color = parse(getComputedStyle(el).color);
    const fg = over({...color, a: color.a * opacity}, bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    found.push({text: n.textContent.trim().slice(0, 60), ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return found;
}"""
SCROLLERS_JS = """(root) => [...document.querySelectorAll(root + ' *')].filter(e => {
  const cs = getComputedStyle(e);
  return e.clientHeight > 0 && e.scrollHeight > e.clientHeight + 1
    && /(auto|scroll)/.test(cs.overflowY);
}).map(e => e.className.toString().slice(0, 40))"""


def _filters_set(page) -> dict[str, str]:
    return {k: page.locator(f"#year-{k} input").input_value() for k in ("from", "to")}


def _download(page, selector: str) -> str:
    with page.expect_download() as info:
        page.locator(selector).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_chat__a_filter_read_from_a_question_applies_to_it_only_and_is_said_above_its_answer(
    sample_app, watched
):
    w = watched(sample_app[0])
    listing = w.ask("what do you have from 2020?")
    scope = listing.locator(".notice.scope")
    expect(scope).to_contain_text("year 2020")
    expect(scope).to_contain_text("for this question only")
    # The notice comes before the answer's text, not after its sources.
    # Both measured in one go: the page may scroll the answer into view between two separate reads.
    assert listing.evaluate("""el => el.querySelector('.notice.scope').getBoundingClientRect().top
                                    < el.querySelector('.sources').getBoundingClientRect().top""")
    assert _filters_set(w.page) == {"from": "", "to": ""}
    expect(w.page.locator("#filter-bar")).to_be_hidden()
    answer = w.ask("How are refugees exploited by traffickers?")
    years = [
        s.rstrip().removesuffix("quoted in the answer").rstrip()[-6:]
        for s in answer.locator("details.source summary").all_inner_texts()
    ]
    assert years and any(y != "(2020)" for y in years), years  # the whole library, not 2020 only
    assert answer.locator(".notice.scope").count() == 0
    exported = _download(w.page, "#export-conversation")
    first, second = exported.split("## 2. ")
    assert (
        "_Searched only records matching year 2020 (read from the question, for this question "
        "only)._" in first
    )
    assert "Searched only" not in second


def test_chat__filters_set_in_the_panel_are_named_above_the_box_with_a_one_click_clear(
    sample_app, watched
):
    w = watched(sample_app[0])
    w.page.set_viewport_size(PHONE)
    _set_dropdown(w.page, "year-from", "2016")
    bar = w.page.locator("#filter-bar")
    expect(bar).to_contain_text("Filters in force for your next question: from 2016")
    # On a phone the panel is below the conversation; the bar sits right above the question box.
    bar_box, question_box = bar.bounding_box(), w.page.locator("#question").bounding_box()
    assert 0 <= question_box["y"] - (bar_box["y"] + bar_box["height"]) < 30
    answer = w.ask("How are refugees exploited by traffickers?")
    expect(answer.locator(".notice.scope")).to_contain_text("from 2016 (set in the Filters panel)")
    w.page.locator("#clear-filters-bar").click()
    expect(bar).to_be_hidden()
    assert _filters_set(w.page) == {"from": "", "to": ""}
    assert w.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_chat__each_new_answer_is_shown_from_its_start_in_the_page_s_one_scroll_area(
    sample_app, watched
):
    w = watched(sample_app[0])
    for size in (LAPTOP, PHONE):
        w.page.set_viewport_size(size)
        first = w.ask("How does armed conflict increase the risk of trafficking?")
        for summary in first.locator("details.source summary").all():
            # every source open: the conversation is now much taller than the screen
            summary.click()
        answer = w.ask("What happens to children recruited by armed groups?")
        w.page.wait_for_timeout(600)
        top = answer.bounding_box()["y"]
        assert 0 <= top < size["height"] * 0.6, (
            f"the new answer starts at y={top} on a {size} screen"
        )
        question = w.page.locator('#chat [data-testid="user"]').last.bounding_box()
        assert question["y"] >= 0, "the question of the new answer is above the view"
        # No scrolling box inside the conversation: the page is its one scroll area.
        assert w.page.evaluate(SCROLLERS_JS, "#chat") == []
        w.page.locator("#new-conversation").click()
        expect(w.page.locator('#chat [data-testid="user"]')).to_have_count(0)


def test_chat__ask_is_disabled_for_blank_text_and_enter_sends_nothing(sample_app, watched):
    w = watched(sample_app[0])
    box, ask = (
        w.page.locator("#question textarea"),
        w.page.locator('#question button[data-testid="submit-button"]'),
    )
    expect(ask).to_be_disabled()
    box.fill("   \n  ")
    expect(ask).to_be_disabled()
    box.press("Enter")
    w.page.wait_for_timeout(1500)
    expect(w.page.locator('#chat [data-testid="user"]')).to_have_count(0)
    expect(w.page.locator('#chat [data-testid="bot"]')).to_have_count(0)
    assert w.page.locator(".notice.error").count() == 0
    box.fill("How does armed conflict increase the risk of trafficking?")
    expect(ask).to_be_enabled()


ANSWER_TEXT = "Conflict makes civilians more vulnerable to trafficking [1]."


class _SlowChat(BaseHTTPRequestHandler):
    """An OpenAI-compatible /v1/chat/completions that streams one word every 0.25 s."""

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        stream_answer(self, body["model"], ANSWER_TEXT, delay=0.25)


@pytest.fixture(scope="module")
def slow_app(sample_index_dir, embedder, tmp_path_factory):
    from assistant.service import Assistant

    server, base_url = serve(_SlowChat)
    settings = Settings(
        data_dir=sample_index_dir,
        llm="openai",
        llm_base_url=base_url,
        llm_model="slow-writer",
        llm_timeout=30,
    )
    demo, url, _ = _launch(
        Assistant.from_settings(settings, embedder=embedder), tmp_path_factory.mktemp("slow-app")
    )
    yield url
    demo.close()
    server.shutdown()
    server.server_close()


def test_chat__the_question_shows_at_once_and_a_second_one_waits_its_turn_visibly(
    slow_app, watched
):
    w = watched(slow_app)
    box = w.page.locator("#question textarea")
    first, second = (
        "How does armed conflict increase the risk of trafficking?",
        "What happens to children recruited by armed groups?",
    )
    box.fill(first)
    box.press("Enter")
    # At once: the question and a searching/writing state, long before the answer is finished.
    expect(w.page.locator('#chat [data-testid="user"]').last).to_contain_text(first, timeout=1500)
    expect(w.page.locator("#chat .pending")).to_be_visible(timeout=1500)
    box.fill(second)
    box.press("Enter")
    expect(w.page.locator("#chat-status")).to_contain_text("Queued", timeout=3000)
    assert box.input_value() == second  # not wiped while the first answer streams
    expect(w.page.locator('#chat [data-testid="user"]')).to_have_count(2, timeout=60_000)
    expect(w.page.locator('#chat [data-testid="user"]').last).to_contain_text(second)
    expect(w.page.locator("#chat .pending")).to_have_count(0, timeout=60_000)
    bots = w.page.locator('#chat [data-testid="bot"]')
    expect(bots).to_have_count(2)
    for i in range(2):
        expect(bots.nth(i).locator(".sources-head")).to_contain_text("Sources")
    expect(w.page.locator("#chat-status")).not_to_contain_text("Queued")
    assert box.input_value() == "" and w.page.locator(".notice.error").count() == 0
    assert w.outside() == []


def test_page__every_text_on_every_tab_has_contrast_of_at_least_4_5(sample_app, watched):
    w = watched(sample_app[0])
    answer = w.ask("How are refugees exploited by traffickers?")
    answer.locator("details.source summary").first.click()
    low = []
    for tab in w.page.get_by_role("tab").all():
        tab.click()
        w.page.wait_for_timeout(300)
        low += [
            (tab.inner_text(), t["text"], round(t["ratio"], 2))
            for t in w.page.evaluate(CONTRAST_JS)
            if t["ratio"] < 4.5
        ]
    assert low == []


def test_filters__a_year_dropdown_closes_when_focus_leaves_it(sample_app, watched):
    w = watched(sample_app[0])
    field = w.page.locator("#year-from input")
    field.click()
    expect(field).to_have_attribute("aria-expanded", "true")
    w.page.keyboard.press("Tab")  # on to "To year", then on to "Region"
    w.page.keyboard.press("Tab")
    for year in ("from", "to"):
        expect(w.page.locator(f"#year-{year} input")).to_have_attribute("aria-expanded", "false")
    w.page.locator(".app-title").click()
    expect(w.page.locator('[data-testid="dropdown-option"]:visible')).to_have_count(0)
    # Choosing an option with the mouse still works.
    field.click()
    w.page.locator('[data-testid="dropdown-option"]', has_text="2016").first.click()
    expect(field).to_have_value("2016")
    expect(field).to_have_attribute("aria-expanded", "false")


def test_page__the_same_width_on_every_tab(sample_app, watched):
    w = watched(sample_app[0])
    w.page.set_viewport_size({"width": 1400, "height": 900})
    widths = {}
    for tab in w.page.get_by_role("tab").all():
        tab.click()
        w.page.wait_for_timeout(300)
        widths[tab.inner_text()] = w.page.locator("#tabs").bounding_box()["width"]
    assert len(set(widths.values())) == 1, widths


def test_chat__a_listing_is_printed_once_and_the_export_reads_as_plain_text(sample_app, watched):
    w = watched(sample_app[0])
    listing = w.ask("what do you have from 2020?")
    text = listing.inner_text()
    title = (
        "COVID-19 Impact on Trafficking in Persons - A Protection, Gender & Inclusion (PGI) "
        "Factsheet (2020)"
    )
    assert text.count(title) == 1
    expect(listing.locator(".sources-head")).to_contain_text("Records (6)")
    exported = _download(w.page, "#export-conversation")
    assert "Gender & Inclusion" in exported and "&amp;" not in exported and "\\-" not in exported
    assert exported.count(title) == 2  # once in the numbered sources, once in the bibliography


def test_scoring__on_a_phone_the_scores_table_does_not_scroll_sideways(sample_app, watched):
    w = watched(sample_app[0])
    w.page.get_by_role("tab", name="Scoring").click()
    w.page.locator("#score-question textarea").fill(
        "What happens to children recruited by armed groups?"
    )
    w.page.locator("#score-ask").click()
    expect(w.page.locator("#score-item")).to_contain_text("Sources", timeout=60_000)
    w.page.locator("#score-rating").get_by_text("3", exact=True).click()
    w.page.locator("#score-note textarea").fill(
        "phone layout check: a note long enough to need wrapping on a phone"
    )
    w.page.locator("#score-save").click()
    expect(w.page.locator("#score-status")).to_contain_text("Saved score", timeout=30_000)
    w.page.set_viewport_size(PHONE)
    w.page.wait_for_timeout(500)
    sideways = w.page.evaluate(
        """() => [...document.querySelectorAll('#tab-scoring *')].filter(e => {
        const cs = getComputedStyle(e);
        return e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1
          && /(auto|scroll)/.test(cs.overflowX);
      }).map(e => e.className.toString().slice(0, 40))"""
    )
    assert sideways == []
    cells = w.page.locator("#score-table .body-cell")
    assert cells.count() >= 6
    right = max(
        c["x"] + c["width"] for c in (cells.nth(i).bounding_box() for i in range(cells.count()))
    )
    assert right <= PHONE["width"]
    expect(w.page.locator("#score-table")).to_contain_text("phone layout check")
