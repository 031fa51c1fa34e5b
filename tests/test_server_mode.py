"""Server mode: a real `chroma run` on loopback, ingest through CHROMA_HOST/CHROMA_PORT, two
assistant processes sharing it, each answering with citations from the catalog."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from benchmarks.chroma_server import ChromaServer, assistant_env

ROOT = ChromaServer.ROOT
LIBRARY = ROOT / "data" / "library"
QUESTIONS = (
    "What is the UN's response to modern slavery and trafficking in conflict?",
    "What does the Secretary-General report say about children and armed conflict?",
)


def _catalog_labels(env: dict[str, str]) -> dict[str, int | None]:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "records", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return {r["title"]: r["year"] for r in json.loads(proc.stdout)}


@pytest.mark.slow
def test_server_mode__ingest_then_two_assistant_processes_answer_with_catalog_citations(tmp_path):
    with ChromaServer(tmp_path / "chroma-server") as server:
        env = assistant_env(tmp_path / "data", server.port)
        ingest = subprocess.run(
            [sys.executable, "-m", "assistant", "ingest", "--quiet", str(LIBRARY)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert ingest.returncode == 0, ingest.stderr
        # The vectors went to the server, not to an embedded index in the data dir.
        assert not (tmp_path / "data" / "chroma").exists()
        assert server.vector_count() > 0

        labels = _catalog_labels(env)
        assert len(labels) == 35

        # Two assistant processes at once, sharing the one server.
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "assistant", "ask", q, "--json"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for q in QUESTIONS
        ]
        outputs = [p.communicate(timeout=300) for p in procs]
        for proc, (out, err) in zip(procs, outputs, strict=True):
            assert proc.returncode == 0, err
            answer = json.loads(out)
            assert not answer["abstained"], answer
            assert answer["citations"], answer
            for citation in answer["citations"]:
                assert citation["title"] in labels
                assert citation["year"] == labels[citation["title"]]
        titles = [{c["title"] for c in json.loads(out)["citations"]} for out, _ in outputs]
        assert "Modern Slavery and Trafficking in Conflict: The UN's Response" in titles[0]
        assert any("Children and Armed Conflict" in t for t in titles[1])


def test_server_mode__unreachable_server_is_one_clear_line(tmp_path):
    env = assistant_env(tmp_path / "data", ChromaServer.free_port())
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", "stats", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"127.0.0.1:{env['CHROMA_PORT']}" in lines[0]
    assert os.environ.get("CHROMA_HOST") is None  # the test did not leak into this process


def test_server_mode__auth_token_is_sent_and_a_wrong_one_is_refused_in_one_line(tmp_path):
    from benchmarks.chroma_server import TokenProxy
    from kernel.errors import StoreError
    from kernel.settings import Settings
    from vectorstore.store import Store

    with (
        ChromaServer(tmp_path / "chroma-server") as server,
        TokenProxy(server.port, "s3cret") as proxy,
    ):

        def settings(token):
            return Settings(
                data_dir=tmp_path / f"data-{token}",
                chroma_host=proxy.host,
                chroma_port=proxy.port,
                chroma_auth_token=token,
            )

        with Store.open(settings("s3cret"), write=True) as store:
            assert store.stats() == {"records": 0, "chunks": 0, "vectors": 0}
        for token in ("wrong", None):
            with pytest.raises(StoreError) as caught:
                Store.open(settings(token), write=True)
            message = str(caught.value)
            assert (
                "\n" not in message
                and f"{proxy.host}:{proxy.port}" in message
                and "Unauthorized" in message
            )
