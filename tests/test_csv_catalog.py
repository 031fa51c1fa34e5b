"""CSV catalogs as exported by spreadsheets: delimiters, encodings, malformed rows, untidy years."""

from __future__ import annotations

import pytest

from ingest.parse import ParseError, parse_file, parse_path

ROWS = [
    ("Forced Labour in Fishing", "2019", "Crew, brokers and fees."),
    ("Shelter Services", "2021", "Café staff."),
]


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252"])
def test_csv__each_delimiter_and_encoding_reads_the_same_records(tmp_path, delimiter, encoding):
    lines = [delimiter.join(["title", "year", "abstract"])]
    lines += [delimiter.join([t, y, f'"{a}"']) for t, y, a in ROWS]
    text = "\r\n".join(lines) + "\r\n"
    if encoding == "cp1252":
        text = text.replace("Café staff.", "Café staff – “quoted”.")
    records = parse_path(_write(tmp_path, "catalog.csv", text, encoding))
    assert [(r.title, r.year) for r in records] == [
        ("Forced Labour in Fishing", 2019),
        ("Shelter Services", 2021),
    ]
    assert records[0].abstract == "Crew, brokers and fees."
    assert records[1].abstract.startswith("Café staff"), "accented letters survive every encoding"
    if encoding == "cp1252":
        assert records[1].abstract == "Café staff – “quoted”."


def test_csv__excel_sep_line_is_obeyed(tmp_path):
    [record] = parse_path(_write(tmp_path, "x.csv", "sep=;\ntitle;year\nA Report; 2016\n"))
    assert (record.title, record.year) == ("A Report", 2016)


def test_csv__an_unclosed_quote_is_an_error_naming_its_line_not_a_silent_merge(tmp_path):
    text = (
        "title,year,abstract\n"
        'First Report,2015,"An abstract whose quote is never closed\n'
        "Second Report,2016,Second abstract.\n"
        'Third Report,2017,"Third abstract."\n'
    )
    with pytest.raises(ParseError) as info:
        parse_path(_write(tmp_path, "bad.csv", text))
    assert "line 2:" in str(info.value) and "closing quote" in str(info.value)


def test_csv__a_quote_closed_rows_later_is_taken_for_a_missing_closing_quote(tmp_path):
    text = (
        "title,year,abstract\n"
        'First Report,2015,"An abstract whose quote is not closed here\n'
        "Second Report,2016,Second abstract.\n"
        'Third Report,2017,"\n'
    )
    with pytest.raises(ParseError) as info:
        parse_path(_write(tmp_path, "bad.csv", text))
    assert "line 2: a quoted cell opened in this row runs on to line 4, taking in line 3" in str(
        info.value
    )


def test_csv__an_unclosed_quote_at_the_end_of_the_file_names_its_line(tmp_path):
    text = 'title,year,abstract\nFirst Report,2015,Fine.\nSecond Report,2016,"Never closed\n'
    with pytest.raises(ParseError, match=r"line 3: malformed CSV row"):
        parse_path(_write(tmp_path, "bad.csv", text))


def test_csv__a_row_with_the_wrong_number_of_cells_names_its_line(tmp_path):
    text = "title,year,abstract\nFirst Report,2015,Fine.\nSecond Report,2016,One, two\n"
    with pytest.raises(
        ParseError, match=r"line 3: expected 3 cells separated by commas .* found 4"
    ):
        parse_path(_write(tmp_path, "bad.csv", text))


def test_csv__a_quoted_abstract_over_several_lines_is_still_one_row(tmp_path):
    text = (
        'title,year,abstract\nFirst Report,2015,"Line one,\nline two."\nSecond Report,2016,Fine.\n'
    )
    records = parse_path(_write(tmp_path, "ok.csv", text))
    assert [r.title for r in records] == ["First Report", "Second Report"]
    assert records[0].abstract == "Line one, line two."


@pytest.mark.parametrize(
    "written", ["c. 2015", "2015-16", "2015?", "ca. 2015", "[2015]", "circa 2015"]
)
def test_csv__untidy_years_read_as_the_year_and_keep_what_was_written(tmp_path, written):
    [record] = parse_path(_write(tmp_path, "y.csv", f'title,year\nA Report,"{written}"\n'))
    assert record.year == 2015
    assert record.metadata["year_as_written"] == written


def test_csv__a_plain_year_keeps_no_copy(tmp_path):
    [record] = parse_path(_write(tmp_path, "y.csv", "title,year\nA Report,2015\n"))
    assert "year_as_written" not in record.metadata


def test_csv__a_row_without_title_is_skipped_with_a_warning_naming_its_line(tmp_path):
    path = _write(tmp_path, "c.csv", "title,year\nFirst Report,2015\n,2016\nThird Report,2017\n")
    result = parse_file(path)
    assert [r.title for r in result.records] == ["First Report", "Third Report"]
    assert result.warnings == [
        f"{path}: line 3: row has no title; skipped (the other rows are ingested)"
    ]


def test_csv__only_title_less_rows_is_an_error(tmp_path):
    with pytest.raises(ParseError, match="found 1 row without a title"):
        parse_path(_write(tmp_path, "c.csv", "title,year\n,2016\n"))
