"""Bringing your own library: a folder of reports and catalogs ingests, counts what it took and
refused, never prunes a record because its row was skipped, and answers cite the page."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from cli_run import run_cli
from report_files import DOCX_FINDING, PDF_TITLE, make_docx, make_pdf, make_scanned_pdf

from assistant.citations import render_text
from ingest.pipeline import ingest
from kernel.settings import Settings
from vectorstore.store import Store

PASSPORTS = "Crew members reported passports confiscated by captains on most vessels inspected."


def _folder(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    make_pdf(lib / "fishing.pdf")
    make_docx(lib / "shelters.docx")
    (lib / "notes.txt").write_text(
        "Labour inspection notes\n\nMost garment workshops kept no written contracts.\n",
        encoding="utf-8",
    )
    make_scanned_pdf(lib / "scan.pdf")
    (lib / "photo.png").write_bytes(b"\x89PNG\r\n")
    return lib


@pytest.mark.slow
def test_ingest__a_folder_of_reports_counts_accepted_skipped_and_rejected_files(
    tmp_path, embedder, capsys, monkeypatch
):
    lib = _folder(tmp_path)
    settings = Settings(data_dir=tmp_path / "index")
    report = ingest(settings, [lib], embedder=embedder, quiet=True)
    assert (report.files, report.accepted, report.skipped, report.rejected) == (5, 3, 1, 1)
    assert report.records == report.added == 3
    assert "5 files (3 accepted, 1 skipped, 1 rejected), 3 records" in report.summary()
    [error] = report.errors
    assert error.startswith(f"{lib / 'scan.pdf'}: scanned PDF with no text layer")
    assert "photo.png" in report.skipped_files[0]
    store = Store.open(settings)
    titles = sorted(r.title for r in store.records())
    assert titles == sorted(
        [PDF_TITLE, "Labour inspection notes", "Shelter Services for Survivors"]
    )
    assert "p. 1" in {c.location for c in store.chunks()}, "a chunk keeps the page it starts on"
    store.close()


def test_ingest_cli__nothing_ingested_exits_non_zero_with_a_plain_reason(tmp_path, capsys):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "run.log").write_text("started\n")
    code, out, err = run_cli(
        ["ingest", "--quiet", str(tmp_path / "photo.png"), str(tmp_path / "run.log")], capsys
    )
    assert code == 1
    assert "2 files (0 accepted, 1 skipped, 1 rejected), 0 records" in out
    assert "Skipped: " in err and "photo.png: a .png file is not a library format" in err
    assert "Rejected: " in err and "run.log: not a library listing, catalog or report" in err
    assert "nothing was ingested" in err and "Traceback" not in err


@pytest.mark.slow
def test_ingest__prune_never_deletes_a_record_whose_row_was_skipped(tmp_path, embedder):
    settings = Settings(data_dir=tmp_path / "index")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "title,year\nFirst Report,2015\nSecond Report,2016\nThird Report,2017\n", encoding="utf-8"
    )
    ingest(settings, [catalog], embedder=embedder, quiet=True)
    other = tmp_path / "other.csv"
    other.write_text("title,year\nOther Report,2018\n", encoding="utf-8")
    ingest(settings, [catalog, other], embedder=embedder, quiet=True)
    catalog.write_text(
        "title,year\nFirst Report,2015\n,2016\nThird Report,2017\n", encoding="utf-8"
    )  # a typo
    report = ingest(settings, [catalog], embedder=embedder, prune=True, quiet=True)
    assert report.rows_skipped == 1 and any(
        "line 3: row has no title" in w for w in report.warnings
    )
    assert report.prune_kept == 1 and report.removed == 1, "Other Report goes, Second Report stays"
    assert any("--prune kept 1 record of catalog.csv" in w for w in report.warnings)
    assert sorted(r.title for r in Store.open(settings).records()) == [
        "First Report",
        "Second Report",
        "Third Report",
    ]


@pytest.mark.slow
def test_store__a_catalog_saved_before_chunks_kept_pages_still_opens(tmp_path, embedder):
    settings = Settings(data_dir=tmp_path / "index")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("title,year,abstract\nFirst Report,2015,Some text.\n", encoding="utf-8")
    ingest(settings, [catalog], embedder=embedder, quiet=True)
    db = sqlite3.connect(tmp_path / "index" / "catalog.sqlite")
    db.execute(
        "ALTER TABLE chunks DROP COLUMN location"
    )  # the catalog as the previous version wrote it
    db.commit()
    db.close()
    with Store.open(settings) as store:  # a writable catalog gains the column in place
        assert [c.location for c in store.chunks()] == [None]
    columns = {
        row[1]
        for row in sqlite3.connect(tmp_path / "index" / "catalog.sqlite").execute(
            "PRAGMA table_info(chunks)"
        )
    }
    assert "location" in columns
    report = ingest(settings, [catalog], embedder=embedder, quiet=True)
    assert report.unchanged == 1 and report.errors == []


@pytest.fixture(scope="module")
def report_assistant(tmp_path_factory, embedder):
    from assistant.service import Assistant

    root = tmp_path_factory.mktemp("reports")
    lib = root / "lib"
    lib.mkdir()
    make_pdf(lib / "fishing.pdf")
    make_docx(lib / "shelters.docx")
    settings = Settings(data_dir=root / "index")
    ingest(settings, [lib], embedder=embedder, quiet=True)
    return Assistant.from_settings(settings, embedder=embedder)


@pytest.mark.slow
def test_answer__a_report_citation_names_the_page_that_holds_the_quote(report_assistant):
    answer = report_assistant.ask("Were passports confiscated by captains on fishing vessels?")
    [citation] = [c for c in answer.citations if c.record.title == PDF_TITLE]
    assert citation.location == "p. 2" and citation.page == 2
    assert citation.label == f"{PDF_TITLE} (2019), p. 2"
    assert f"[{citation.n}] {PDF_TITLE} (2019), p. 2" in render_text(answer)
    data = answer.to_json()["citations"][0]
    assert (data["title"], data["year"], data["page"], data["location"]) == (
        PDF_TITLE,
        2019,
        2,
        "p. 2",
    )
    start, end = citation.record.location_span("p. 2")
    assert PASSPORTS in " ".join(citation.record.abstract[start:end].split())


@pytest.mark.slow
def test_source_panel_shows_the_cited_page_with_the_quote_highlighted(report_assistant):
    from ui.render import inert, sources_html

    answer = report_assistant.ask("Were passports confiscated by captains on fishing vessels?")
    html = sources_html(answer)
    assert inert(f"{PDF_TITLE} (2019), p. 2") in html and inert("p. 2 of the report") in html
    marked = re.search(r'<mark class="used">(.*?)</mark>', html, re.S).group(1)
    assert " ".join(marked.replace("<br>", " ").split()) == inert(PASSPORTS)
    assert "Songkhla" in html and "Brokers" not in html, "page 1 is not shown for a quote on page 2"


@pytest.mark.slow
def test_briefing_and_word_sections_carry_the_location(report_assistant):
    from assistant.briefing import note_from_answer

    answer = report_assistant.ask("What did shelters with trauma-informed staff report?")
    [citation] = [c for c in answer.citations if c.record.title == "Shelter Services for Survivors"]
    assert "§ Findings" in citation.locations
    note = note_from_answer("shelters", answer)
    markdown = note.to_markdown()
    assert f"Shelter Services for Survivors (2021), {citation.location}" in markdown.replace(
        "\\", ""
    )
    assert DOCX_FINDING in markdown


@pytest.mark.slow
def test_ask_cli_json_carries_the_page(report_assistant, monkeypatch, capsys):
    from assistant.service import Assistant

    monkeypatch.setattr(
        Assistant, "from_settings", classmethod(lambda cls, s, embedder=None: report_assistant)
    )
    code, out, err = run_cli(
        ["ask", "--json", "Were passports confiscated by captains on fishing vessels?"], capsys
    )
    assert code in (0, None), err
    cited = json.loads(out)["citations"]
    assert any(c["page"] == 2 and c["label"].endswith("(2019), p. 2") for c in cited)
