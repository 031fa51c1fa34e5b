"""Hybrid retrieval on a tiny in-memory store with a deterministic toy embedder (no model)."""

import re

import numpy as np
import pytest

from assistant.models import Filters
from assistant.retrieve import Retriever
from kernel.models import Chunk, Record

VOCAB = [
    "police",
    "victim",
    "child",
    "soldier",
    "covid",
    "marriage",
    "kosovo",
    "women",
    "bread",
    "security",
]


class ToyEmbedder:
    """Counts vocabulary words: cosine similarity is word overlap, enough to test the plumbing."""

    def encode(self, texts):
        out = np.zeros((len(texts), len(VOCAB)), dtype=np.float32)
        for i, text in enumerate(texts):
            words = re.findall(r"\w+", text.lower())
            for j, v in enumerate(VOCAB):
                out[i, j] = sum(w.startswith(v) for w in words)
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else out[i]
        return out

    def encode_query(self, text):
        return self.encode([text])[0]


class MemoryStore:
    def __init__(self, records, chunks, generation="g1"):
        self._records, self._chunks, self.generation = records, chunks, generation
        self.vectors = ToyEmbedder().encode([c.text for c in chunks])
        self.dense_calls = []

    def records(self):
        return list(self._records)

    def chunks(self):
        return list(self._chunks)

    def query_dense(self, vector, n, record_ids=None):
        self.dense_calls.append(record_ids)
        sims = self.vectors @ vector
        order = [
            i
            for i in np.argsort(-sims)
            if record_ids is None or self._chunks[i].record_id in record_ids
        ]
        return [(self._chunks[i], float(sims[i])) for i in order[:n]]


RECORDS = [
    Record(
        "r-police",
        "First Aid Kit for Police",
        "police meet victims",
        year=2009,
        countries=("Worldwide",),
    ),
    Record(
        "r-kosovo",
        "Women in Kosovo",
        "kosovo women after the bombing",
        year=2010,
        countries=("Kosovo/UNSCR 1244",),
    ),
    Record("r-child", "Child Soldiers", "child soldier recruitment", year=2016, regions=("Asia",)),
    Record("r-covid", "COVID and Trafficking", "covid risks", year=2020),
    Record("r-xylo", "Xylophone registry", "a zygomorphic codebook", year=2020),
]
CHUNKS = [
    Chunk("r-police:0", "r-police", 0, "First Aid Kit for Police\npolice police first responders"),
    Chunk("r-police:1", "r-police", 1, "First Aid Kit for Police\nhow police meet a victim"),
    Chunk("r-kosovo:0", "r-kosovo", 0, "Women in Kosovo\nkosovo women after the bombing"),
    Chunk("r-child:0", "r-child", 0, "Child Soldiers\nchild soldier recruitment"),
    Chunk("r-covid:0", "r-covid", 0, "COVID and Trafficking\ncovid covid risks"),
    Chunk("r-xylo:0", "r-xylo", 0, "Xylophone registry\na zygomorphic codebook"),
]


@pytest.fixture
def store():
    return MemoryStore(RECORDS, CHUNKS)


@pytest.fixture
def retriever(store, tmp_path):
    return Retriever(store, ToyEmbedder(), bm25_dir=tmp_path / "bm25")


def test_search__groups_chunks_by_record_best_chunk_first(retriever):
    hits = retriever.search("what should police do with a victim", k=5)
    ids = [h.record.id for h in hits]
    assert ids[0] == "r-police" and ids.count("r-police") == 1
    assert hits[0].chunk_text.endswith("how police meet a victim")
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


def test_search__hybrid_finds_a_record_only_bm25_can_see(retriever):
    assert retriever.search("zygomorphic codebook", k=3, mode="dense")[0].record.id != "r-xylo"
    assert retriever.search("zygomorphic codebook", k=3, mode="bm25")[0].record.id == "r-xylo"
    assert retriever.search("zygomorphic codebook", k=3)[0].record.id == "r-xylo"


@pytest.mark.parametrize("fusion", ["zscore", "minmax", "rrf"])
def test_search__every_fusion_ranks_the_obvious_record_first(retriever, fusion):
    hits = retriever.with_params(fusion=fusion).search("women in kosovo", k=3)
    assert hits[0].record.id == "r-kosovo"


def test_search__filters_restrict_dense_and_bm25_to_matching_records(retriever, store):
    hits = retriever.search(
        "police victim women kosovo", k=5, filters=Filters(year_from=2010, year_to=2016)
    )
    assert {h.record.id for h in hits} <= {"r-kosovo", "r-child"}
    assert set(store.dense_calls[-1]) == {"r-kosovo", "r-child"}


def test_search__filters_matching_nothing_give_no_hits(retriever):
    assert retriever.search("police", filters=Filters(countries=("Narnia",))) == []


def test_search__rejects_an_unknown_mode(retriever):
    with pytest.raises(ValueError, match="hybrid, dense, bm25"):
        retriever.search("police", mode="magic")


def test_search__blank_query_gives_no_hits(retriever):
    assert retriever.search("   ") == []


def test_refresh__reloads_when_the_store_generation_changes(store, retriever, tmp_path):
    assert not retriever.refresh()
    store._records = RECORDS[:2]
    store._chunks = CHUNKS[:3]
    store.vectors = ToyEmbedder().encode([c.text for c in store._chunks])
    store.generation = "g2"
    assert retriever.refresh()
    assert {h.record.id for h in retriever.search("child soldier covid police", k=5)} <= {
        "r-police",
        "r-kosovo",
    }


def test_search__bm25_scores_whole_records_and_shows_the_chunk_with_the_query_words(tmp_path):
    log = ["customs inspectors on duty", "containers seized at dawn", "ivory found inside"]
    records = [
        Record("r-log", "Harbour log", " ".join(log)),
        Record("r-manual", "Port manual", "customs and ivory rules"),
    ]
    chunks = [
        Chunk(f"r-log:{i}", "r-log", i, f"Harbour log\n{piece}") for i, piece in enumerate(log)
    ]
    chunks.append(Chunk("r-manual:0", "r-manual", 0, "Port manual\ncustoms and ivory rules"))
    retriever = Retriever(MemoryStore(records, chunks), ToyEmbedder(), bm25_dir=tmp_path / "bm25")
    # No chunk of the log holds two of the words, but the log as a whole holds all three.
    assert [h.record.id for h in retriever.search("customs seized ivory", k=2, mode="bm25")] == [
        "r-log",
        "r-manual",
    ]
    hit = retriever.search("containers seized", k=1, mode="bm25")[0]
    assert hit.record.id == "r-log" and hit.chunk_text.endswith("containers seized at dawn")
