"""The BM25 index: stemmed English matching over whole records, saved with the store generation,
rebuilt only on change."""

from kernel.models import Record
from kernel.text import tokenize
from vectorstore.bm25 import BM25Index, record_text


class _Store:
    def __init__(self, records, generation):
        self._records, self.generation, self.record_calls = records, generation, 0

    def records(self):
        self.record_calls += 1
        return list(self._records)


RECORDS = [
    Record("a", "Child soldiers", "recruited by armed groups"),
    Record("b", "Police first responders", "meet trafficking victims"),
    Record("c", "Resolución aprobada", "por el Consejo de Derechos Humanos"),
]


def test_tokenize__stems_and_drops_english_and_spanish_stop_words():
    assert tokenize("The victims were trafficked") == ["victim", "traffick"]
    assert tokenize("el Consejo de Derechos") == ["consejo", "derecho"]


def test_scores__rank_the_record_sharing_the_query_words_first():
    index = BM25Index.build([r.id for r in RECORDS], [record_text(r) for r in RECORDS])
    scores = index.scores("What do police do when they meet a victim?")
    assert scores.argmax() == 1 and scores[0] == 0 and scores[2] == 0
    assert index.scores("consejo derechos humanos").argmax() == 2


def test_scores__are_all_zero_for_unknown_or_empty_queries():
    index = BM25Index.build([r.id for r in RECORDS], [record_text(r) for r in RECORDS])
    assert not index.scores("sourdough bread").any()
    assert not index.scores("").any()


def test_for_store__loads_the_saved_index_while_the_generation_is_unchanged(tmp_path):
    store = _Store(RECORDS, "gen-1")
    first = BM25Index.for_store(store, tmp_path / "bm25")
    again = BM25Index.for_store(store, tmp_path / "bm25")
    assert store.record_calls == 1, "an unchanged store must not be re-indexed"
    assert again.generation == "gen-1" and list(again.scores("police")) == list(
        first.scores("police")
    )


def test_for_store__rebuilds_when_the_store_changed(tmp_path):
    BM25Index.for_store(_Store(RECORDS, "gen-1"), tmp_path / "bm25")
    changed = _Store(RECORDS[:1], "gen-2")
    index = BM25Index.for_store(changed, tmp_path / "bm25")
    assert changed.record_calls == 1 and index.ids == ["a"]
    assert BM25Index.stamp(tmp_path / "bm25") == "gen-2"


def test_for_store__rebuilds_a_corrupt_index(tmp_path):
    store = _Store(RECORDS, "gen-1")
    BM25Index.for_store(store, tmp_path / "bm25")
    for f in (tmp_path / "bm25" / "model").iterdir():
        f.write_bytes(b"garbage")
    index = BM25Index.for_store(store, tmp_path / "bm25")
    assert index.scores("police").argmax() == 1


def test_mentions__finds_a_place_by_its_word_or_a_derived_form_only():
    records = [
        Record("a", "Syrian refugees in camps", "displaced by the war in Bosnia and Herzegovina")
    ]
    index = BM25Index.build(["a"], [record_text(r) for r in records])
    assert index.mentions("Syria")  # "Syrian"
    assert index.mentions("Bosnia and Herzegovina")
    assert not index.mentions("Ukraine")
    assert not index.mentions("Bosnia and Montenegro")  # every word must be there
    assert not index.mentions("the")  # nothing indexable


def test_tokenize__organization_is_not_organ():
    records = [
        Record(
            "iom",
            "International Organization for Migration",
            "organised responses by organisations",
        ),
        Record("org", "Organ removal", "trafficking in organs to treat wounded fighters"),
    ]
    index = BM25Index.build([r.id for r in records], [record_text(r) for r in records])
    scores = index.scores("organ trafficking")
    assert scores[0] == 0 and scores[1] > 0
    assert tokenize("Organization, organisations, organized") == ["organiz"] * 3
