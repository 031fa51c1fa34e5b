"""The synthetic catalog behind the scale benchmark reads like a library and ingests as N
records."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np

from benchmarks.synth import REGIONS, ClusteredEmbedder, generate, main, write_catalog


def test_synth__same_seed_gives_the_same_catalog_and_another_seed_a_different_one():
    assert list(generate(50, seed=3)) == list(generate(50, seed=3))
    assert list(generate(50, seed=3)) != list(generate(50, seed=4))


def test_synth__abstracts_are_80_to_400_words_and_countries_lie_in_their_region():
    rows = list(generate(1500, seed=1))
    words = [len(row["abstract"].split()) for row in rows]
    assert min(words) >= 80 and max(words) <= 400
    for row in rows:
        if row["region"] == ["Worldwide"]:
            assert row["country"] == ["Worldwide"]
        else:
            (region,) = row["region"]
            assert set(row["country"]) <= set(REGIONS[region]), row
        assert row["category"] and row["title"]


def test_synth__years_span_1995_to_2025_with_some_missing():
    years = [row["year"] for row in generate(2000, seed=2)]
    known = [y for y in years if y is not None]
    assert 0 < years.count(None) < len(years) * 0.15
    assert min(known) == 1995 and max(known) == 2025


def test_synth__catalog_ingests_as_exactly_n_records_with_their_fields(tmp_path):
    from ingest.merge import merge_records
    from ingest.parse import parse_path

    path = write_catalog(tmp_path / "catalog.jsonl", 400, seed=5)
    merged = merge_records(parse_path(path))
    assert len(merged.records) == 400 and not merged.warnings
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    record = next(r for r in merged.records if r.title == first["title"])
    assert record.year == first["year"]
    assert (
        list(record.countries) == first["country"] and list(record.categories) == first["category"]
    )
    assert record.metadata["topic"] == first["topic"]


def test_synth__command_writes_the_requested_number_of_lines(tmp_path, capsys):
    out = tmp_path / "sub" / "catalog.jsonl"
    main(["--records", "25", "--seed", "9", "--out", str(out)])
    assert len(out.read_text(encoding="utf-8").splitlines()) == 25
    assert "wrote 25 records" in capsys.readouterr().err


def test_clustered_embedder__a_topical_query_finds_records_of_that_topic():
    rows = list(generate(600, seed=6))
    embedder = ClusteredEmbedder()
    vectors = embedder.encode([f"{row['title']}\n{row['abstract']}" for row in rows])
    assert vectors.shape == (600, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    scores = vectors @ embedder.encode_query("recruitment and use of children by armed groups")
    top = Counter(rows[i]["topic"] for i in np.argsort(-scores)[:10])
    assert top.most_common(1)[0][0] == "child-soldiers"
    assert embedder.count_tokens("four words are here") >= 4
