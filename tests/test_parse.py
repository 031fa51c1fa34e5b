"""Parsing: each layout of the sample library, the structured catalogs and broken input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.parse import iter_library_files, parse_path
from kernel.errors import ParseError
from kernel.models import record_id_for_title

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "data" / "library"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCIFACT = ROOT.parent / "shared" / "datasets" / "scifact" / "corpus.jsonl"

NO_FIELDS = LIBRARY / "000_0969013a07caabda.txt"
RECORD_PAGE = LIBRARY / "001_73707894d541446c.txt"
FIELDS_002 = LIBRARY / "002_011aeb8845ddb710.txt"
FIELDS_003 = LIBRARY / "003_2117f042c9feb1fa.txt"
FIELDS_004 = LIBRARY / "004_f14cff413b8cafab.txt"


def by_title(records, title):
    found = [r for r in records if r.title == title]
    assert len(found) == 1, f"{title!r} found {len(found)} times in {[r.title for r in records]}"
    return found[0]


# --- the sample library ------------------------------------------------------------------


def test_parse__each_seed_page_yields_its_records():
    counts = {path.name[:3]: len(parse_path(path)) for path in iter_library_files([LIBRARY])}
    assert counts == {"000": 9, "001": 1, "002": 10, "003": 9, "004": 10}


def test_parse__listing_with_fields_reads_multi_line_values():
    record = by_title(
        parse_path(FIELDS_002),
        "Between Rhetoric and Reality: Exploring the Impact of Military Humanitarian Intervention "
        "Upon Sexual Violence – Post-Conflict Sex Trafficking in Kosovo",
    )
    assert record.id == record_id_for_title(record.title)
    assert record.abstract.startswith("Adopting a feminist perspective, this paper analyses")
    assert record.year == 2010
    assert record.authors == ("Samantha T. Godec",)
    assert record.countries == ("Kosovo/UNSCR 1244",)
    assert record.regions == ("Eastern Europe", "South Eastern Europe", "Central Asia")
    assert record.categories == ("Humanitarian Principles",)
    assert record.sources == ("002_011aeb8845ddb710.txt",)
    assert record.metadata["format"] == "listing-fields"
    assert record.metadata["line"] == 28
    assert record.metadata["page_heading"] == "Humanitarian Principles"


def test_parse__listing_with_fields_reads_several_authors_and_regions():
    records = parse_path(FIELDS_002) + parse_path(FIELDS_003) + parse_path(FIELDS_004)
    forced = by_title(records, "Forced to Report")
    assert (forced.year, forced.authors) == (2020, ("Maria Holmblad", "Jelia Sane"))
    iom = by_title(records, "IOM Case Data Analysis Human Trafficking")
    assert (iom.year, iom.countries, iom.regions) == (2019, ("Bangladesh",), ("Asia", "Pacific"))
    assert iom.authors == ()
    understanding = by_title(records, "Understanding Human Trafficking In Conflict")
    assert understanding.authors == ("Jamille Bigio", "Rachel Vogelstein")
    assert understanding.year == 2019
    training = by_title(
        records, next(r.title for r in records if r.title.startswith("Training Manual"))
    )
    assert training.year == 2009  # the last record of its page, with no trailing Category
    assert len(training.abstract) > 3000


def test_parse__empty_or_absent_category_means_the_page_heading():
    records = parse_path(FIELDS_004)
    # "Category" present but empty:
    assert by_title(records, "Smuggling in the Time of COVID-19").categories == ("Trafficking",)
    # no "Category" line at all:
    assert by_title(records, "Understanding Human Trafficking In Conflict").categories == (
        "Trafficking",
    )
    assert {r.categories for r in parse_path(FIELDS_003)} == {("Child Trafficking",)}


def test_parse__a_category_value_is_added_to_the_page_heading(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "Skip to main content\n\nTrafficking\n\nA Title\n\nAn abstract.\nCountry\nMali\nNiger\n"
        "Year\n2014\nCategory\nForced Labour\n\nB Title\n\nB abstract.\nYear\n2015\nCategory\n",
        encoding="utf-8",
    )
    first, second = parse_path(page)
    assert (first.countries, first.year, first.categories) == (
        ("Mali", "Niger"),
        2014,
        ("Trafficking", "Forced Labour"),
    )
    assert (second.title, second.year, second.categories) == ("B Title", 2015, ("Trafficking",))


def test_parse__a_listing_with_fields_but_no_page_heading_still_parses(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("A Title\n\nAn abstract.\nAuthors\nJane Doe\nYear\n2014\n", encoding="utf-8")
    [record] = parse_path(page)
    assert (record.title, record.authors, record.year, record.categories) == (
        "A Title",
        ("Jane Doe",),
        2014,
        (),
    )


def test_parse__a_listing_page_without_records_is_an_error(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Skip to main content\n\nTrafficking\n", encoding="utf-8")
    with pytest.raises(ParseError, match="expected title/abstract blocks after the page heading"):
        parse_path(page)


def test_parse__listing_without_fields_reads_authors_right_after_the_abstract():
    records = parse_path(NO_FIELDS)
    fighting = by_title(
        records,
        "Fighting Human Trafficking in Conflict 10 Ideas for Action by the United Nations Security "
        "Council",
    )
    assert fighting.authors == ("James Cockayne", "Summer Walker")
    assert fighting.abstract.startswith(
        "In December 2015, the United Nations Security Council held its frst-ever"
    )
    assert fighting.categories == ("Child Soldiers",)
    assert fighting.metadata["format"] == "listing"
    peyroux = by_title(
        records, "Trafficking in Human Beings in Conflict and Post-Conflict Situation"
    )
    assert peyroux.authors == ("Olivier Peyroux",)
    assert by_title(records, "Protection: What is it Anyway?").authors == ()


def test_parse__listing_without_fields_has_no_years_and_none_is_guessed_from_titles():
    records = parse_path(NO_FIELDS)
    assert [r.year for r in records] == [None] * 9
    # "December 2015" and "30 de junio de 2016" are in these titles: still no year.
    assert (
        by_title(
            records, "Resolución Aprobada por el Consejo de Derechos Humanos el 30 de junio de 2016"
        ).year
        is None
    )
    addressing = next(r for r in records if r.title.startswith("Addressing Human Trafficking"))
    assert addressing.title.endswith("December 2015") and addressing.year is None


def test_parse__a_one_line_abstract_is_not_mistaken_for_a_title():
    resolution = by_title(
        parse_path(NO_FIELDS),
        "Resolución Aprobada por el Consejo de Derechos Humanos el 30 de junio de 2016",
    )
    assert resolution.abstract.startswith("Trata de personas, especialmente mujeres y niños")
    assert resolution.authors == ()


def test_parse__record_page_reads_title_authors_and_publication_year():
    [record] = parse_path(RECORD_PAGE)
    assert record.title == (
        "Fighting Human Trafficking in Conflict: 10 Ideas for Action by the United Nations "
        "Security Council"
    )
    assert record.authors == ("James Cockayne", "Summer Walker")
    assert record.year == 2016
    assert record.abstract.startswith(
        "In December 2015, the United Nations Security Council held its first-ever"
    )
    assert record.abstract.endswith("an annual report, and an annual Open Debate.")
    assert record.sources == ("001_73707894d541446c.txt",)
    assert record.metadata["format"] == "record-page"
    assert record.metadata["publication_date"] == "2016-09-08"
    assert record.metadata["publisher"] == "United Nations University"
    assert record.metadata["keyword"] == ["Human trafficking", "UN Security Council"]
    assert record.metadata["document_type"] == "Conference Publication"


def test_parse__record_page_year_is_the_publication_date_not_the_event_date(tmp_path):
    page = tmp_path / "record.txt"
    page.write_text(
        "A Report\n\nDocument type:\nReport\n\n"
        "  • Sub-type Report\n    Author Doe, Jane\n    Roe, Richard\n    Title A Report on "
        "Routes\n"
        "    Publication Date 2017-01-15\n    Date of Event 2016/06/30-07/01\n"
        "    Abstract What the routes are.\n  • Versions\n    Version Filter Type\n",
        encoding="utf-8",
    )
    [record] = parse_path(page)
    assert (record.title, record.year) == ("A Report on Routes", 2017)
    assert record.authors == ("Jane Doe", "Richard Roe")
    assert record.abstract == "What the routes are."


def test_parse__html_listing_page_reads_like_the_text_page(tmp_path):
    page = tmp_path / "listing.html"
    page.write_text(
        "<html><head><title>Site</title><script>var x = 1;</script></head><body>"
        "<a href='#main'>Skip to main content</a><h1>Child Soldiers</h1>"
        "<div><h2>Routes &amp; Risks</h2><p>The abstract\n text.</p>"
        "<div>Country</div><div>Mali</div><div>Year</div><div>2016</div>"
        "<div>Category</div></div>"
        "<div><h2>Second Record</h2><p>Another abstract.</p><div>Jane Doe</div></div>"
        "</body></html>",
        encoding="utf-8",
    )
    first, second = parse_path(page)
    assert (first.title, first.abstract, first.year, first.countries) == (
        "Routes & Risks",
        "The abstract text.",
        2016,
        ("Mali",),
    )
    assert first.categories == ("Child Soldiers",)
    assert (second.title, second.authors, second.year) == ("Second Record", ("Jane Doe",), None)


# --- structured catalogs -----------------------------------------------------------------


def test_parse__csv_catalog_reads_known_columns_and_keeps_the_rest():
    forced, routes, undated = parse_path(FIXTURES / "catalog.csv")
    assert (forced.title, forced.year, forced.authors) == (
        "Forced to Report",
        2019,
        ("Maria Holmblad", "Jelia Sane"),
    )
    assert forced.id == record_id_for_title("Forced to Report")
    assert forced.metadata["publisher"] == "Example Press"
    assert forced.metadata["format"] == "csv"
    assert routes.title == "Trafficking Routes, Revisited"
    assert routes.authors == ("Doe, Jane", "Roe, Richard")  # ';' separates, commas stay
    assert (routes.countries, routes.regions, routes.categories) == (
        ("Mali", "Niger"),
        ("West Africa",),
        ("Trafficking", "Migration"),
    )
    assert "publisher" not in routes.metadata  # empty cells are not kept
    assert (undated.year, undated.authors) == (None, ())
    assert forced.sources == ("catalog.csv",)


def test_parse__json_catalog_accepts_lists_singular_keys_and_its_own_ids():
    labour, support = parse_path(FIXTURES / "catalog.json")
    assert labour.id == "cat-001"
    assert labour.authors == ("Ana Lima", "Ben Okoro")
    assert (labour.countries, labour.regions) == (
        ("Brazil", "Nigeria"),
        ("South America", "West Africa"),
    )
    assert labour.metadata["url"] == "https://example.org/1"
    assert support.id == record_id_for_title("Survivor Support Services")
    assert (support.abstract, support.year, support.authors) == (
        "What shelters provide.",
        2014,
        ("Chen Wei",),
    )
    assert (support.countries, support.regions, support.categories) == (
        ("China",),
        ("Asia",),
        ("Protection",),
    )


def test_parse__jsonl_catalog_skips_blank_lines_and_keeps_line_numbers():
    online, modern = parse_path(FIXTURES / "catalog.jsonl")
    assert (online.year, online.authors, online.categories) == (
        2022,
        ("Sam Park", "Lee Kim"),
        ("Technology",),
    )
    assert online.metadata == {"format": "jsonl", "line": 1, "language": "en"}
    assert (modern.year, modern.metadata["line"]) == (None, 3)


def test_parse__beir_corpus_keeps_its_ids_verbatim_and_has_no_year():
    records = parse_path(FIXTURES / "beir" / "corpus.jsonl")
    assert [r.id for r in records] == ["4983", "5836", "7912"]
    first = records[0]
    assert first.title == "Microstructural development of human newborn cerebral white matter."
    assert first.abstract.startswith("Alterations of the architecture")
    assert {r.year for r in records} == {None}
    assert first.metadata["format"] == "beir"


@pytest.mark.skipif(not SCIFACT.exists(), reason="SciFact is not on this machine")
def test_parse__scifact_corpus_head_parses_as_beir(tmp_path):
    head = tmp_path / "corpus.jsonl"
    with SCIFACT.open(encoding="utf-8") as source:
        head.write_text("".join(next(source) for _ in range(50)), encoding="utf-8")
    records = parse_path(head)
    assert len(records) == 50
    assert records[0].id == json.loads(SCIFACT.open(encoding="utf-8").readline())["_id"]
    assert all(r.title and r.abstract and r.year is None for r in records)


# --- broken input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.pdf", b"%PDF-1.4\x00\x01\x02binary", "not a readable PDF"),
        ("data.bin", b"\x00\x01\x02binary", "binary file"),
        ("page.json", '[{"title": "Caf\u00e9"}]'.encode("latin-1"), "not valid UTF-8 (byte 0xe9"),
        ("empty.txt", b"", "empty file"),
        ("blank.csv", b"  \n\n", "empty file"),
        (
            "notes.log",
            b"Just some notes.\nNothing like a listing here.\n",
            "not a library listing, catalog or report",
        ),
        ("bad.json", b'[{"title": "x",]', "invalid JSON"),
        ("object.json", b'{"title": "x"}', "expected a JSON array"),
        ("bad.jsonl", b'{"title": "ok"}\nnot json\n', "line 2"),
        ("no-title.csv", b"name,year\nx,2016\n", "'title' column"),
        ("empty-title.json", b'[{"title": "", "year": 2016}]', "non-empty 'title'"),
        (
            "bad-year.csv",
            b"title,year\nA Report,someday\n",
            "expected a year such as 2016, found 'someday'",
        ),
        (
            "bad-year.txt",
            b"Skip to main content\n\nHeading\n\nA Title\n\nAbstract.\nYear\n20x6\n",
            "found '20x6'",
        ),
    ],
)
def test_parse__broken_file_raises_parse_error_naming_it_and_what_was_expected(
    tmp_path, name, content, expected
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ParseError) as info:
        parse_path(path)
    message = str(info.value)
    assert message.startswith(str(path) + ": ")
    assert expected in message
    assert info.value.path == str(path)


def test_parse__undecodable_and_binary_files_say_which_formats_are_expected(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes("Año".encode("latin-1"))
    with pytest.raises(
        ParseError, match=r"not a library listing, catalog or report: expected a PDF, .* catalog"
    ):
        parse_path(path)


def test_parse__a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefftitle,year\nA Report,2016\n".encode("utf-8"))
    [record] = parse_path(path)
    assert (record.title, record.year) == ("A Report", 2016)


# --- listing files -----------------------------------------------------------------------


def test_iter_library_files__lists_files_sorted_recursively_without_hidden_ones(tmp_path):
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.csv").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    single = tmp_path / "single.json"
    single.write_text("[]")
    files = iter_library_files([tmp_path / "sub", tmp_path, single])
    assert files == sorted(
        [tmp_path / "b.txt", tmp_path / "single.json", tmp_path / "sub" / "a.csv"]
    )


def test_iter_library_files__missing_path_raises_parse_error(tmp_path):
    with pytest.raises(ParseError, match="no such file or folder"):
        iter_library_files([tmp_path / "missing"])
