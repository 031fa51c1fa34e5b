"""The shared kernel's one-of-each helpers: the fuzzy matcher, the per-generation cache, the JSONL
row reader, and the filters' description in either language."""

from __future__ import annotations

import pytest

from assistant.models import Filters
from kernel.cache import PerGeneration
from kernel.errors import ParseError
from kernel.jsonl import read_rows
from kernel.text import closest


def test_closest__finds_the_word_a_misspelling_means_and_nothing_unlike_it():
    library = ["victims", "affected", "smuggling", "trafficking"]
    assert closest("victms", library, 0.75) == "victims"
    assert closest("traficking", library, 0.75) == "trafficking"
    assert closest("surrogacy", library, 0.75) is None
    assert closest("victms", [], 0.75) is None


def test_per_generation__builds_once_per_generation_of_the_index():
    kept, built = PerGeneration(), []

    def build() -> int:
        built.append(1)
        return len(built)

    assert [kept.get("facets", "g1", build) for _ in range(3)] == [1, 1, 1]
    assert kept.get("facets", "g2", build) == 2, "a new generation is built again"
    assert kept.get("catalog", "g2", build) == 3, "each name is kept on its own"
    assert len(built) == 3


def test_read_rows__builds_each_line_and_names_the_line_and_fields_a_bad_one_lacks(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"a": 1, "b": 2}\n\n{"a": 3}\n', encoding="utf-8")
    with pytest.raises(ParseError, match=r"line 3: expected a JSON object with a and b"):
        read_rows(path, lambda item: (item["a"], item["b"]), what="pairs", fields="a and b")
    path.write_text('{"a": 1, "b": 2}\n\n{"a": 3, "b": 4}\n', encoding="utf-8")
    rows = read_rows(path, lambda item: (item["a"], item["b"]), what="pairs", fields="a and b")
    assert rows == [(1, (1, 2)), (3, (3, 4))]


def test_filters_describe__writes_the_same_description_in_english_or_spanish():
    filters = Filters(year_from=2015, year_to=2018, regions=("Africa", "Asia"), record_ids=("r",))
    assert filters.describe() == "the chosen record; from 2015; up to 2018; region: Africa or Asia"
    assert filters.describe("es") == (
        "el registro elegido; desde 2015; hasta 2018; región: Africa o Asia"
    )
    assert Filters(year_from=2020, year_to=2020, authors=("IOM",)).describe("es") == (
        "año 2020; autor: IOM"
    )
