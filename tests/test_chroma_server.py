"""A real `chroma run` server on loopback: ingest and stats through CHROMA_HOST/CHROMA_PORT, dense
queries, and a server that goes away and comes back."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.chroma_server import ChromaServer, assistant_env
from kernel.errors import StoreUnavailable
from kernel.settings import Settings
from vectorstore.store import Store

ROOT = ChromaServer.ROOT
ROWS = [
    {
        "title": "Trafficking in Armed Conflict",
        "abstract": "Armed groups recruit and exploit civilians.",
        "year": 2018,
    },
    {
        "title": "Child Soldiers and Forced Labour",
        "abstract": "Children are forced to fight and to work.",
        "year": 2020,
    },
    {"title": "Shelters for Survivors", "abstract": "Survivors need safe shelter and legal aid."},
]


def _assistant(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_chroma_server__ingest_stats_and_query_go_through_the_server(tmp_path, embedder):
    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    data_dir = tmp_path / "data"
    with ChromaServer(tmp_path / "server") as server:
        env = assistant_env(data_dir, server.port)
        ingest = _assistant(["ingest", "--quiet", "--json", str(catalog)], env)
        assert ingest.returncode == 0, ingest.stderr
        assert json.loads(ingest.stdout)["added"] == 3
        assert not (data_dir / "chroma").exists(), "vectors live on the server, not in the data dir"
        assert server.vector_count("library") == 3

        stats = _assistant(["stats", "--json"], env)
        assert stats.returncode == 0, stats.stderr
        assert json.loads(stats.stdout) == {"records": 3, "chunks": 3, "vectors": 3}

        settings = Settings(data_dir=data_dir, chroma_host="127.0.0.1", chroma_port=server.port)
        store = Store.open(settings)
        query = embedder.encode_query("children forced to fight")
        best, score = store.query_dense(query, 3)[0]
        assert best.text.startswith("Child Soldiers and Forced Labour") and 0 < score <= 1
        only = {r.id for r in store.records() if r.title.startswith("Shelters")}
        assert [c.record_id for c, _ in store.query_dense(query, 3, record_ids=only)] == list(only)

        server.stop()
        with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{server.port}"):
            store.query_dense(query, 3)
        server.start()
        assert store.query_dense(query, 1)[0][0].id == best.id, (
            "the same store works again once the server is back"
        )


def test_chroma_server__ingest_against_an_unreachable_server_writes_no_catalog(tmp_path):
    from ingest.pipeline import ingest

    settings = Settings(
        data_dir=tmp_path / "data", chroma_host="127.0.0.1", chroma_port=ChromaServer.free_port()
    )
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{settings.chroma_port}"):
        ingest(settings, quiet=True)
    assert not (tmp_path / "data" / "catalog.sqlite").exists()
