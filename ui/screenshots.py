"""Screenshots of every tab of the app, as a person sees it, for the README.

    python -m ui.screenshots --out docs/screenshots [--library data/library]

Ingests the library into a temporary index, starts the app on a free loopback port, and in
headless Debian Chromium (Playwright) opens every tab at 1400x900 (desktop) and 390x844 (phone),
after using it the way people do (a question in the chat with a source opened, a briefing
note, an answer to score), and saves `<tab>-desktop.png` and `<tab>-phone.png`. Tabs are found
on the page, so a new tab is captured without changing this script. Needs `chromium` on the PATH
(`make browser-deps`) and the `playwright` package; nothing leaves the machine.
"""

from __future__ import annotations

import re
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import click

SIZES = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHAT_QUESTION = "How does armed conflict increase the risk of trafficking?"
BRIEFING_TOPIC = "trafficking of children in armed conflict"
SCORING_QUESTION = "What happens to children recruited by armed groups?"
WAIT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "tab"


def _use_tab(page, name: str) -> None:
    """Put a tab in the state a person would look at (what is there to use is found by elem_id)."""
    from playwright.sync_api import expect

    if name == "chat" and page.locator('#chat [data-testid="bot"]').count() == 0:
        page.locator("#question textarea").fill(CHAT_QUESTION)
        page.locator("#question textarea").press("Enter")
        expect(page.locator('#chat [data-testid="bot"] .sources-head')).to_be_visible(
            timeout=WAIT_MS
        )
        page.locator("#chat details.source summary").first.click()
        page.wait_for_timeout(400)
        page.locator('#chat [data-testid="bot"]').last.scroll_into_view_if_needed()
        page.locator('#chat [data-testid="user"]').last.evaluate(
            "e => e.scrollIntoView({block: 'start'})"
        )
    elif name == "briefing-note" and page.locator("#briefing-topic textarea").count():
        if not page.locator("#briefing-preview").inner_text().strip():
            page.locator("#briefing-topic textarea").fill(BRIEFING_TOPIC)
            page.locator("#briefing-make").click()
            expect(page.locator("#briefing-preview")).to_contain_text(
                "Bibliography", timeout=WAIT_MS
            )
    elif name == "scoring" and page.locator("#score-question textarea").count():
        if "Sources" not in page.locator("#score-item").inner_text():
            page.locator("#score-question textarea").fill(SCORING_QUESTION)
            page.locator("#score-ask").click()
            expect(page.locator("#score-item")).to_contain_text("Sources", timeout=WAIT_MS)
    page.wait_for_timeout(500)


def capture(url: str, out: Path) -> list[Path]:
    """Every tab at every size, saved under `out`; returns the files written."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise click.ClickException("Debian chromium is not installed (make browser-deps)")
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        try:
            for label, size in SIZES.items():
                context = browser.new_context(viewport=size)
                page = context.new_page()
                page.goto(url)
                page.wait_for_selector('textarea[data-testid="textbox"]')
                tabs = page.get_by_role("tab")
                for i in range(tabs.count()):
                    tab = tabs.nth(i)
                    name = _slug(tab.inner_text())
                    tab.click()
                    page.wait_for_timeout(300)
                    if name != "chat":
                        page.evaluate("window.scrollTo(0, 0)")
                    _use_tab(page, name)
                    if name != "chat":
                        page.evaluate("window.scrollTo(0, 0)")
                        page.wait_for_timeout(200)
                    path = out / f"{name}-{label}.png"
                    page.screenshot(path=str(path))
                    written.append(path)
                context.close()
        finally:
            browser.close()
    return written


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("docs/screenshots"),
    show_default=True,
    help="Folder for the PNG files.",
)
@click.option(
    "--library",
    type=click.Path(exists=True, path_type=Path),
    default=Path("data/library"),
    show_default=True,
    help="Library to ingest into a temporary index and show.",
)
def main(out: Path, library: Path) -> None:
    """Screenshots of every tab at 1400x900 and 390x844."""
    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    from assistant.service import Assistant
    from ingest.pipeline import ingest
    from kernel.settings import Settings

    from .app import build_app, launch_app

    with tempfile.TemporaryDirectory(prefix="assistant-screenshots-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "index", port=_free_port())
        ingest(settings, [library], quiet=True)
        demo = build_app(Assistant.from_settings(settings), settings)
        launch_app(demo, settings, prevent_thread_lock=True)
        try:
            for path in capture(f"http://127.0.0.1:{settings.port}/", out):
                click.echo(str(path))
        finally:
            demo.close()


if __name__ == "__main__":
    sys.exit(main())
