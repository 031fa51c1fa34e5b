"""The BM25 index: stemmed English matching, saved with the store generation, rebuilt only on change."""

from vectorstore.bm25 import BM25Index, tokenize
from vectorstore.models import Chunk


class _Store:
    def __init__(self, chunks, generation):
        self._chunks, self.generation, self.chunk_calls = chunks, generation, 0

    def chunks(self):
        self.chunk_calls += 1
        return list(self._chunks)


CHUNKS = [
    Chunk("a:0", "a", 0, "Child soldiers recruited by armed groups"),
    Chunk("b:0", "b", 0, "Police first responders meet trafficking victims"),
    Chunk("c:0", "c", 0, "Resolución aprobada por el Consejo de Derechos Humanos"),
]


def test_tokenize__stems_and_drops_english_and_spanish_stop_words():
    assert tokenize("The victims were trafficked") == ["victim", "traffick"]
    assert tokenize("el Consejo de Derechos") == ["consejo", "derecho"]


def test_scores__rank_the_chunk_sharing_the_query_words_first():
    index = BM25Index.build([c.id for c in CHUNKS], [c.text for c in CHUNKS])
    scores = index.scores("What do police do when they meet a victim?")
    assert scores.argmax() == 1 and scores[0] == 0 and scores[2] == 0
    assert index.scores("consejo derechos humanos").argmax() == 2


def test_scores__are_all_zero_for_unknown_or_empty_queries():
    index = BM25Index.build([c.id for c in CHUNKS], [c.text for c in CHUNKS])
    assert not index.scores("sourdough bread").any()
    assert not index.scores("").any()


def test_for_store__loads_the_saved_index_while_the_generation_is_unchanged(tmp_path):
    store = _Store(CHUNKS, "gen-1")
    first = BM25Index.for_store(store, tmp_path / "bm25")
    again = BM25Index.for_store(store, tmp_path / "bm25")
    assert store.chunk_calls == 1, "an unchanged store must not be re-indexed"
    assert again.generation == "gen-1" and list(again.scores("police")) == list(first.scores("police"))


def test_for_store__rebuilds_when_the_store_changed(tmp_path):
    BM25Index.for_store(_Store(CHUNKS, "gen-1"), tmp_path / "bm25")
    changed = _Store(CHUNKS[:1], "gen-2")
    index = BM25Index.for_store(changed, tmp_path / "bm25")
    assert changed.chunk_calls == 1 and index.chunk_ids == ["a:0"]
    assert BM25Index.stamp(tmp_path / "bm25") == "gen-2"


def test_for_store__rebuilds_a_corrupt_index(tmp_path):
    store = _Store(CHUNKS, "gen-1")
    BM25Index.for_store(store, tmp_path / "bm25")
    for f in (tmp_path / "bm25" / "model").iterdir():
        f.write_bytes(b"garbage")
    index = BM25Index.for_store(store, tmp_path / "bm25")
    assert index.scores("police").argmax() == 1
