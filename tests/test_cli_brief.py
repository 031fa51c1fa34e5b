"""`assistant brief`: a briefing note from the command line, as Markdown on stdout or a .md/.docx
file."""

import pytest
from cli_run import run_cli as _run


@pytest.mark.parametrize("topic", ["", "   "])
def test_brief__an_empty_topic_is_one_line_error_and_exit_2(capsys, topic):
    code, out, err = _run(["brief", topic], capsys)
    assert code == 2 and out == ""
    assert err.startswith("Error: the briefing topic is empty") and err.count("\n") == 1


def test_brief__an_unknown_file_type_is_refused_before_any_work(capsys, tmp_path):
    code, _, err = _run(["brief", "children", "--out", str(tmp_path / "note.pdf")], capsys)
    assert code == 2 and "expected a file ending in .md, .docx or .ris" in err
    assert not (tmp_path / "note.pdf").exists()


@pytest.mark.slow
def test_brief__prints_markdown_whose_bibliography_is_the_catalogs(capsys, cli_assistant):
    code, out, _ = _run(["brief", "trafficking of children in armed conflict"], capsys)
    assert code == 0 and out.startswith(
        "# Briefing note: trafficking of children in armed conflict"
    )
    bibliography = out.split("## Bibliography")[1]
    years = {r.title: r.year_label for r in cli_assistant.records()}
    entries = [line for line in bibliography.splitlines() if line[:1].isdigit()]
    assert entries
    for (
        entry
    ) in entries:  # "n. [Authors ](Year). Title. Categories." or "n. Title (Year). Categories."
        title = next(t for t in years if t in entry)
        assert f"({years[title]})" in entry, entry


@pytest.mark.slow
def test_brief__a_place_no_record_names_writes_no_note_and_says_why(
    capsys, cli_assistant, tmp_path
):
    # Issue 10: no record names Syria, so the library holds nothing on "trafficking in Syria" (not a
    # collage of general sentences under a caveat); issue 11: such a topic gets no empty note.
    path = tmp_path / "out" / "syria.docx"
    code, out, err = _run(["brief", "trafficking in Syria", "--out", str(path)], capsys)
    assert code == 1 and out == "" and not path.exists()
    assert (
        err.startswith("No briefing note written: ")
        and "The library holds nothing on “Syria”" in err
    )


@pytest.mark.slow
def test_brief__writes_markdown_to_a_md_file(capsys, cli_assistant, tmp_path):
    path = tmp_path / "note.md"
    code, _, err = _run(
        ["brief", "police first responders", "--out", str(path), "--year-to", "2010"], capsys
    )
    assert code == 0 and "Wrote" in err
    text = path.read_text(encoding="utf-8")
    assert "_Records limited to: " in text and "## Bibliography" in text


@pytest.mark.slow
def test_brief__an_unwritable_place_is_one_line_error(capsys, cli_assistant, tmp_path):
    (tmp_path / "file").write_text("x")
    code, out, err = _run(
        ["brief", "child marriage", "--out", str(tmp_path / "file" / "note.md")], capsys
    )
    assert code == 1 and out == ""
    assert err.startswith("Error: cannot write the note to ") and "is a file, not a folder" in err
    assert err.count("\n") == 1


@pytest.mark.slow
def test_brief__ris_holds_exactly_the_notes_bibliography(capsys, cli_assistant, tmp_path):
    path = tmp_path / "bib.ris"
    code, _, _ = _run(
        ["brief", "trafficking of children in armed conflict", "--out", str(path)], capsys
    )
    assert code == 0
    ris = path.read_text(encoding="utf-8")
    _, markdown, _ = _run(["brief", "trafficking of children in armed conflict"], capsys)
    cited = [
        line for line in markdown.split("## Bibliography")[1].splitlines() if line[:1].isdigit()
    ]
    assert ris.count("TY  - RPRT") == len(cited) > 0
    records = {r.id: r for r in cli_assistant.records()}
    for entry in ris.strip().split("\n\n"):
        fields = dict(
            line.split("  - ", 1)
            for line in entry.splitlines()
            if "  - " in line and line[:2] != "AU"
        )
        record = records[fields["ID"]]
        assert fields["TI"] == record.title and fields.get("PY") == (
            str(record.year) if record.year else None
        )


@pytest.mark.slow
def test_brief__a_topic_the_library_holds_nothing_on_writes_no_note(
    capsys, cli_assistant, tmp_path
):
    path = tmp_path / "cake.docx"
    code, out, err = _run(["brief", "recipes for chocolate cake", "--out", str(path)], capsys)
    assert code == 1 and out == "" and not path.exists()
    assert (
        err.startswith("No briefing note written: The library holds nothing on this")
        and err.count("\n") == 1
    )
    code, out, _ = _run(["brief", "recipes for chocolate cake"], capsys)
    assert code == 1 and out == ""


@pytest.mark.slow
def test_brief__child_soldiers_summary_counts_points_and_sources(capsys, cli_assistant, tmp_path):
    path = tmp_path / "cs.md"
    code, _, err = _run(["brief", "child soldiers", "--out", str(path)], capsys)
    assert code == 0
    text = path.read_text(encoding="utf-8")
    assert "&amp;" not in text and "### " in text
    assert (
        sum(1 for line in text.split("## Bibliography")[1].splitlines() if line[:1].isdigit()) >= 9
    )
