"""Merging: the sample library becomes 35 records; the rules for duplicates and conflicting
years."""

from __future__ import annotations

import json
from pathlib import Path

import ingest
from ingest import MergeResult, iter_library_files, merge_records, parse_path
from kernel.models import Record, record_id_for_title

LIBRARY = Path(__file__).resolve().parent.parent / "data" / "library"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

FIGHTING = (
    "Fighting Human Trafficking in Conflict: 10 Ideas for Action by the United Nations "
    "Security Council"
)
MODERN = "Modern Slavery and Trafficking in Conflict: The UN's Response"
COVID_NOTE = (
    "COVID-19 Impact on Trafficking in Persons - A Protection, Gender & Inclusion (PGI) "
    "Technical Guidance Note"
)
# Only on the page without fields (seed 000); no other source gives them a year.
UNDATED = [
    "Protection: What is it Anyway?",
    "Report of the Secretary General on Children and Armed Conflict",
    "Resolución Aprobada por el Consejo de Derechos Humanos el 30 de junio de 2016",
    "Trafficking in Human Beings in Conflict and Post-Conflict Situation",
    "Trafficking in Persons Report 20th Edition",
    "Unaccompanied Children on the Move",
]


def sample() -> MergeResult:
    return merge_records(r for path in iter_library_files([LIBRARY]) for r in parse_path(path))


def by_title(records, title):
    [record] = [r for r in records if r.title == title]
    return record


def rec(title, source, *, year=None, fmt="listing-fields", record_id=None, **fields) -> Record:
    return Record(
        id=record_id or record_id_for_title(title),
        title=title,
        year=year,
        sources=(source,),
        metadata={"format": fmt},
        **fields,
    )


# --- the sample library ------------------------------------------------------------------


def test_merge__sample_library_yields_35_unique_records_sorted_by_title():
    result = sample()
    assert len(result.records) == 35
    assert len({r.id for r in result.records}) == 35
    assert result.warnings == []
    titles = [r.title for r in result.records]
    assert titles == sorted(titles, key=str.casefold)


def test_merge__sample_library_has_exactly_six_undated_records():
    undated = sorted(r.title for r in sample().records if r.year is None)
    assert undated == UNDATED
    assert {r.year_label for r in sample().records if r.title in UNDATED} == {"n.d."}


def test_merge__title_variants_with_and_without_colon_are_one_record():
    record = by_title(sample().records, FIGHTING)
    assert record.id == record_id_for_title(
        "Fighting Human Trafficking in Conflict 10 Ideas for Action by the United Nations Security "
        "Council"
    )
    assert record.sources == ("000_0969013a07caabda.txt", "001_73707894d541446c.txt")
    assert record.year == 2016  # from the record page's Publication Date; seed 000 has none
    assert record.authors == ("James Cockayne", "Summer Walker")
    assert record.categories == ("Child Soldiers",)
    # the record page's abstract is the longest (seed 000 truncates it and drops letters)
    assert "first-ever" in record.abstract and record.abstract.endswith("an annual Open Debate.")
    assert [o["format"] for o in record.metadata["occurrences"]] == ["listing", "record-page"]


def test_merge__a_year_from_one_page_fills_the_missing_one_and_categories_are_unioned():
    records = sample().records
    modern = by_title(records, MODERN)
    assert modern.year == 2016
    assert modern.categories == ("Child Soldiers", "Humanitarian Principles")
    assert modern.sources == ("000_0969013a07caabda.txt", "002_011aeb8845ddb710.txt")
    assert (modern.countries, modern.regions, modern.authors) == (
        ("Worldwide",),
        ("Worldwide",),
        ("Anna De Courcy Wheeler",),
    )
    covid = by_title(records, COVID_NOTE)
    assert covid.categories == ("Child Trafficking", "Trafficking")
    assert covid.sources == ("003_2117f042c9feb1fa.txt", "004_f14cff413b8cafab.txt")
    addressing = next(r for r in records if r.title.startswith("Addressing Human Trafficking"))
    assert addressing.year == 2015 and addressing.sources[1] == "002_011aeb8845ddb710.txt"


def test_merge__catalog_json_shape_is_serialisable():
    rows = [r.to_json() for r in sample().records]
    assert json.loads(json.dumps(rows))[0].keys() == {
        "id",
        "title",
        "year",
        "authors",
        "countries",
        "regions",
        "categories",
        "sources",
    }
    json.dumps([r.to_dict() for r in sample().records])  # metadata too


# --- merge rules -------------------------------------------------------------------------


def test_merge__unions_lists_case_insensitively_in_order_and_keeps_the_longest_abstract():
    a = rec(
        "Routes", "a.txt", authors=("Jane Doe", "Ann Lee"), countries=("Mali",), abstract="Short."
    )
    b = rec(
        "routes!",
        "b.csv",
        authors=("jane doe", "Bo Chen"),
        countries=("MALI", "Niger"),
        regions=("Sahel",),
        categories=("Migration",),
        abstract="A much longer abstract.",
    )
    [merged] = merge_records([a, b]).records
    assert merged.title == "Routes"  # the first seen, both being of equal rank
    assert merged.authors == ("Jane Doe", "Ann Lee", "Bo Chen")
    assert merged.countries == ("Mali", "Niger")
    assert (merged.regions, merged.categories) == (("Sahel",), ("Migration",))
    assert merged.abstract == "A much longer abstract."
    assert merged.sources == ("a.txt", "b.csv")


def test_merge__accents_punctuation_and_spacing_do_not_split_a_record():
    a = rec("Trata de Personas: Protección", "a.txt")
    b = rec("trata  de personas proteccion", "b.txt", year=2016)
    [merged] = merge_records([a, b]).records
    assert (merged.title, merged.year) == ("Trata de Personas: Protección", 2016)


def test_merge__conflicting_years_record_page_wins_and_a_warning_names_both():
    listing = rec("Forced to Report", "002.txt", year=2020)
    page = rec("Forced to Report!", "001.txt", year=2019, fmt="record-page")
    result = merge_records([listing, rec("Forced to report", "003.txt", year=2020), page])
    [merged] = result.records
    assert merged.year == 2019
    assert merged.title == "Forced to Report!"  # the record page's title wins too
    [warning] = result.warnings
    assert "Forced to Report!" in warning and "2020" in warning and "2019" in warning
    assert "kept 2019" in warning and "record page" in warning


def test_merge__conflicting_years_without_a_record_page_most_sources_win_then_the_earliest():
    majority = merge_records(
        [rec("T", "a", year=2018), rec("T", "b", year=2017), rec("T", "c", year=2018)]
    )
    assert majority.records[0].year == 2018
    assert "kept 2018 (the year given by most sources)" in majority.warnings[0]
    tie = merge_records([rec("T", "a", year=2018), rec("T", "b", year=2017)])
    assert tie.records[0].year == 2017
    assert "tie goes to the earliest year" in tie.warnings[0]


def test_merge__same_year_twice_is_not_a_conflict():
    result = merge_records([rec("T", "a", year=2018), rec("T", "b"), rec("T", "c", year=2018)])
    assert (result.records[0].year, result.warnings) == (2018, [])


def test_merge__records_with_source_ids_merge_by_id_not_by_title():
    result = merge_records(
        parse_path(FIXTURES / "beir" / "corpus.jsonl")
        + [rec("Another title", "x.jsonl", record_id="4983", fmt="beir")]
    )
    assert sorted(r.id for r in result.records) == [
        "4983",
        "5836",
        "7912",
    ]  # 5836/7912 share a title
    merged = next(r for r in result.records if r.id == "4983")
    assert merged.sources == ("corpus.jsonl", "x.jsonl")
    assert merged.title == "Microstructural development of human newborn cerebral white matter."


def test_merge__a_page_record_joins_the_catalog_record_with_its_own_id():
    catalog = rec("Labour Exploitation", "catalog.json", record_id="cat-001", fmt="json", year=2018)
    page = rec("Labour exploitation", "page.txt", categories=("Forced Labour",))
    [merged] = merge_records([page, catalog]).records
    assert merged.id == "cat-001"
    assert (merged.year, merged.categories, merged.sources) == (
        2018,
        ("Forced Labour",),
        ("page.txt", "catalog.json"),
    )


def test_merge__never_takes_a_year_from_a_title_or_abstract():
    [merged] = merge_records(
        [rec("Report 2015", "a", abstract="Published in 2016."), rec("report 2015", "b")]
    ).records
    assert merged.year is None


def test_merge__catalogs_and_pages_together():
    paths = iter_library_files([LIBRARY, FIXTURES])
    result = merge_records(r for path in paths for r in parse_path(path))
    # 35 + 3 csv + 2 json + 2 jsonl + 3 beir rows, minus "Forced to Report" and "Modern Slavery"
    # seen again
    assert len(result.records) == 43
    assert by_title(result.records, MODERN).categories == (
        "Child Soldiers",
        "Humanitarian Principles",
        "Conflict",
    )
    [warning] = result.warnings
    assert warning.startswith("record 'Forced to Report'") and "kept 2019" in warning


def test_ingest_package__exports_its_public_api():
    assert {"parse_path", "iter_library_files", "merge_records", "MergeResult"} <= set(
        ingest.__all__
    )
    assert all(hasattr(ingest, name) for name in ingest.__all__)


def test_merge__merging_the_merged_catalog_again_changes_nothing():
    once = sample()
    twice = merge_records(once.records + [r for r in once.records if r.title == MODERN])
    assert twice.records == once.records
    assert by_title(twice.records, MODERN).metadata["occurrences"] == [
        {
            "source": "000_0969013a07caabda.txt",
            "format": "listing",
            "line": 5,
            "page_heading": "Child Soldiers",
        },
        {
            "source": "002_011aeb8845ddb710.txt",
            "format": "listing-fields",
            "line": 5,
            "page_heading": "Humanitarian Principles",
        },
    ]
