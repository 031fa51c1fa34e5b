"""The ingest pipeline: incremental by content hash, changed records replaced, prune, broken
files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from kernel.settings import Settings
from vectorstore.store import Store


class NoModel:
    """Stands in for the embedder where nothing may be embedded."""

    max_tokens = 256

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def encode(self, texts, batch_size=32, progress=False):
        raise AssertionError(f"nothing should be embedded, asked for {len(texts)} texts")


def _catalog(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


ROWS = [
    {
        "title": "Trafficking in Armed Conflict",
        "abstract": "Armed groups recruit and exploit civilians.",
        "year": 2018,
        "region": "Africa",
    },
    {
        "title": "Child Soldiers and Forced Labour",
        "abstract": "Children are forced to fight and to work.",
        "year": 2020,
    },
    {"title": "Shelters for Survivors", "abstract": "Survivors need safe shelter and legal aid."},
]


@pytest.mark.slow
def test_ingest__reingesting_the_sample_adds_and_embeds_nothing(sample_copy):
    settings = Settings(data_dir=sample_copy)
    before = Store.open(settings)
    stats, generation = before.stats(), before.generation
    report = ingest(settings, embedder=NoModel(), quiet=True)
    assert (report.added, report.updated, report.removed, report.chunks_embedded) == (0, 0, 0, 0)
    assert report.unchanged == report.records == 35
    after = Store.open(settings)
    assert after.stats() == stats and stats["records"] == 35 and stats["vectors"] == stats["chunks"]
    assert after.generation == generation, "a no-op ingest writes nothing"


@pytest.mark.slow
def test_ingest__changed_record_replaces_its_chunks_and_prune_removes_the_gone(tmp_path, embedder):
    settings = Settings(data_dir=tmp_path / "index")
    catalog = _catalog(tmp_path / "catalog.jsonl", ROWS)
    first = ingest(settings, [catalog], embedder=embedder, quiet=True)
    assert (first.added, first.chunks_embedded, first.errors) == (3, 3, [])
    store = Store.open(settings)
    old = {c.record_id: c for c in store.chunks()}
    changed_id = next(r.id for r in store.records() if r.title == "Shelters for Survivors")

    rows = [
        dict(ROWS[0]),
        dict(ROWS[1]),
        dict(ROWS[2], abstract="Survivors need shelter, medical care and legal aid."),
    ]
    second = ingest(settings, [_catalog(catalog, rows)], embedder=embedder, quiet=True)
    assert (second.added, second.updated, second.unchanged, second.chunks_embedded) == (0, 1, 2, 1)
    store = Store.open(settings)
    new = {c.record_id: c for c in store.chunks()}
    assert new[changed_id].id != old[changed_id].id and "medical care" in new[changed_id].text
    assert old[changed_id].id not in {c.id for c in store.chunks()}
    assert store.stats() == {"records": 3, "chunks": 3, "vectors": 3}
    hit = store.query_dense(embedder.encode_query("medical care for survivors"), 1)[0][0]
    assert hit.id == new[changed_id].id, "the old vector is gone from Chroma, the new one answers"

    _catalog(catalog, rows[:2])
    kept = ingest(settings, [catalog], embedder=NoModel(), quiet=True)
    assert kept.removed == 0 and Store.open(settings).stats()["records"] == 3, (
        "no removal without --prune"
    )
    pruned = ingest(settings, [catalog], embedder=NoModel(), prune=True, quiet=True)
    assert pruned.removed == 1
    assert Store.open(settings).stats() == {"records": 2, "chunks": 2, "vectors": 2}
    assert Store.open(settings).get(changed_id) is None


def test_ingest__a_broken_file_is_reported_and_the_others_still_ingest(tmp_path):
    settings = Settings(data_dir=tmp_path / "index")
    library = tmp_path / "library"
    library.mkdir()
    _catalog(library / "good.jsonl", ROWS[:1])
    (library / "broken.pdf").write_bytes(b"%PDF-1.4\x00\x01\x02binary")
    report = ingest(settings, [library], embedder=_WordEmbedder(), quiet=True)
    assert report.files == 2 and report.added == 1
    assert len(report.errors) == 1 and "broken.pdf" in report.errors[0]
    assert Store.open(settings).stats() == {"records": 1, "chunks": 1, "vectors": 1}


def test_ingest__the_model_loads_only_when_something_needs_embedding(tmp_path, monkeypatch):
    import vectorstore.embedding

    monkeypatch.setattr(
        vectorstore.embedding.Embedder,
        "load",
        classmethod(lambda cls, name=None: (_ for _ in ()).throw(AssertionError("model loaded"))),
    )
    settings = Settings(data_dir=tmp_path / "index")
    empty = tmp_path / "empty"
    empty.mkdir()
    report = ingest(settings, [empty], quiet=True)
    assert report.records == 0 and report.chunks_embedded == 0


def test_ingest__reports_progress_per_write(tmp_path):
    rows = [{"title": f"Record number {i}", "abstract": f"Text {i}."} for i in range(150)]
    seen = []
    ingest(
        Settings(data_dir=tmp_path / "index"),
        [_catalog(tmp_path / "c.jsonl", rows)],
        embedder=_WordEmbedder(),
        quiet=True,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(seen) >= 2 and seen[-1] == (150, 150)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


class _WordEmbedder(NoModel):
    """Deterministic toy vectors: enough to exercise the pipeline without the model."""

    name = "bundled:all-MiniLM-L6-v2"
    dimension = 8

    def encode(self, texts, batch_size=32, progress=False):
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, hash(text) % self.dimension] = 1.0
        return out


def test_ingest__shows_a_progress_bar_with_an_eta_unless_quiet(tmp_path, capsys):
    rows = [{"title": f"Record number {i}", "abstract": f"Text {i}."} for i in range(100)]
    catalog = _catalog(tmp_path / "c.jsonl", rows)
    ingest(Settings(data_dir=tmp_path / "loud"), [catalog], embedder=_WordEmbedder())
    err = capsys.readouterr().err
    assert "Read 100 records from 1 files" in err
    assert "Embedding" in err and "100/100" in err and "<" in err  # tqdm's [elapsed<remaining]
    ingest(Settings(data_dir=tmp_path / "quiet"), [catalog], embedder=_WordEmbedder(), quiet=True)
    assert capsys.readouterr().err == ""
