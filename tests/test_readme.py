"""The README tells the truth about the commands."""

from pathlib import Path

from assistant.cli.docs import replace_reference

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme__cli_reference_matches_help():
    text = README.read_text(encoding="utf-8")
    assert text == replace_reference(text), "README CLI reference is stale: run `make docs`"


def test_readme__names_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
