"""How the assistant holds up as the library grows: ingest, retrieval, answers, start-up, memory.

    python -m benchmarks.scale --records 10000,100000 --json

For each size: a synthetic catalog (`benchmarks.synth`, cached under data/bench/) is ingested
into a fresh index under data/bench/ through the real pipeline, then measured in separate
processes so that each figure is that process's own:

- ingest: records/s and peak RSS of the ingesting process;
- first start: `python -m assistant ask ... --json` timed from spawn to exit, right after ingest
  (whatever is derived at first use, such as the BM25 index, is built here);
- queries: retrieval p50/p95 without a filter, with a year range and with a region; the full
  no-LLM answer (`Assistant.ask`) p50/p95; peak RSS of the answering process;
- start to first answer: the same `ask` subprocess again, as a user's next start would be.

Dense vectors: with `--dense synthetic` (the default above 2,000 records) chunks and queries are
embedded by `benchmarks.synth.ClusteredEmbedder` (a seeded random projection of the words, so
vectors cluster by topic) instead of the model; the output says `"dense_vectors":
"synthetic-clustered"` and reports the real model's query-encoding time separately. The `ask`
subprocess always loads the real model (it is what a user starts). BM25, the catalog, Chroma,
filters and answers all run for real.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks._util import child_env

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "data" / "bench"
REAL_DENSE_MAX = 2000
QUESTIONS = (
    "How are children recruited by armed groups?",
    "What helps survivors of trafficking recover and reintegrate?",
    "debt bondage and recruitment fees among migrant workers",
    "How does online recruitment through social media lead to exploitation?",
    "What is known about trafficking for organ removal and transplant tourism?",
    "Which reports discuss sexual exploitation in refugee camps?",
    "forced marriage of displaced girls",
    "How do smuggling networks operate on maritime routes?",
    "What do prosecutors need to convict traffickers?",
    "trafficking risks in humanitarian crises and natural disasters",
    "How do non-state armed groups use slavery as a tactic of war?",
    "labour inspection and supply chain due diligence in fishing",
    "What role do peacekeeping missions play against trafficking?",
    "non-punishment of victims in anti-trafficking legislation",
    "cryptocurrency payments and digital evidence in trafficking cases",
    "shelter services and mental health support for survivors",
    "kidnapping for ransom of migrants in transit in Libya",
    "conflict-related sexual violence against women and girls in South Sudan",
    "demobilisation and reintegration of child soldiers in Colombia",
    "What works to prevent child marriage in crisis settings?",
)
_ASK = (
    "What is known about {p} in {c}?",
    "{p} among {g}",
    "How do {a} respond to {p}?",
    "evidence on {p} and {q} in {c}",
    "What do reports say about {p}?",
)


def questions(n: int, seed: int = 0) -> list[str]:
    """`n` distinct questions: the fixed ones, then more written from the synthetic vocabulary."""
    import random

    from benchmarks.synth import REGIONS, TOPICS

    rng = random.Random(seed)
    out = list(dict.fromkeys(QUESTIONS))[:n]
    countries = [c for cs in REGIONS.values() for c in cs]
    while len(out) < n:
        t = rng.choice(TOPICS)
        q = rng.choice(_ASK).format(
            p=rng.choice(t.phrases),
            q=rng.choice(rng.choice(TOPICS).phrases),
            c=rng.choice(countries),
            g=rng.choice(t.groups),
            a=rng.choice(t.actors),
        )
        if q not in out:
            out.append(q[0].upper() + q[1:])
    return out


YEAR_FILTER = {"year_from": 2015, "year_to": 2020}
REGION_FILTER = {"regions": ("Africa",)}


def _percentiles(samples_ms: list[float], cpu_ms: list[float] | None = None) -> dict[str, float]:
    """p50/p95/max of wall-clock samples; with `cpu_ms`, the process CPU time p50 too (robust to a
    busy machine)."""
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    out = {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": pick(0.95),
        "max_ms": round(ordered[-1], 1),
        "n": len(ordered),
    }
    if cpu_ms:
        out["cpu_p50_ms"] = round(statistics.median(cpu_ms), 1)
    return out


class _Timer:
    """Wall and process-CPU milliseconds of each `with` block."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> _Timer:
        self._t, self._c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall.append((time.perf_counter() - self._t) * 1000)
        self.cpu.append((time.process_time() - self._c) * 1000)

    def summary(self) -> dict[str, float]:
        return _percentiles(self.wall, self.cpu)


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _settings(data_dir: Path):
    from kernel.settings import Settings

    return Settings(data_dir=data_dir)


def _embedder(dense: str):
    if dense == "synthetic":
        from benchmarks.synth import ClusteredEmbedder

        return ClusteredEmbedder()
    from kernel.settings import Settings
    from vectorstore.embedding import Embedder

    return Embedder.from_settings(Settings())


# -- workers (run in their own process) --------------------------------------------------------


def worker_ingest(data_dir: Path, catalog: Path, dense: str) -> dict[str, Any]:
    from ingest.pipeline import ingest

    embedder = _embedder(dense)
    started = time.perf_counter()
    report = ingest(_settings(data_dir), [catalog], embedder=embedder, quiet=True)
    seconds = time.perf_counter() - started
    records = report.added + report.updated + report.unchanged
    return {
        "records": records,
        "chunks": report.chunks_embedded,
        "errors": len(report.errors),
        "seconds": round(seconds, 1),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "records_per_s": round(records / seconds, 1) if seconds else None,
        "peak_rss_mb": _peak_rss_mb(),
    }


def worker_query(data_dir: Path, dense: str, count: int) -> dict[str, Any]:
    from assistant.models import Filters
    from assistant.retrieve import Retriever
    from assistant.service import Assistant
    from vectorstore.store import Store

    settings = _settings(data_dir)
    embedder = _embedder(dense)
    out: dict[str, Any] = {}
    started = time.perf_counter()
    store = Store.open(settings)
    retriever = Retriever(store, embedder, bm25_dir=Path(settings.data_dir) / "bm25")
    out["retriever_load_s"] = round(time.perf_counter() - started, 2)
    out["records_indexed"] = len(retriever.records_by_id)
    out["chunks_indexed"] = len(retriever.chunks_by_id)
    filters = {"none": None, "year": Filters(**YEAR_FILTER), "region": Filters(**REGION_FILTER)}
    asked = questions(count)
    for name, f in filters.items():
        retriever.search(QUESTIONS[0], k=settings.top_k, filters=f)  # warm-up
        timer, empty = _Timer(), 0
        for q in asked:
            with timer:
                hits = retriever.search(q, k=settings.top_k, filters=f)
            empty += not hits
            if f is not None and any(not f.matches(h.record) for h in hits):
                raise AssertionError(f"filter {name} let through a record that does not match")
        out[f"retrieval_{name}_filter"] = {**timer.summary(), "empty_results": empty}
    del retriever
    model = None
    if dense == "synthetic":  # the answerer and the guard still use the real model
        from vectorstore.embedding import Embedder

        model = Embedder.from_settings(settings)
    started = time.perf_counter()
    assistant = Assistant.from_settings(settings, embedder=embedder)
    out["assistant_load_s"] = round(time.perf_counter() - started, 2)
    if model is not None:
        from assistant.answer import ExtractiveAnswerer
        from assistant.guard import SupportScorer

        assistant.answerer, assistant.scorer = ExtractiveAnswerer(model), SupportScorer(model)
    assistant.ask("warm-up: " + QUESTIONS[0])
    timer, cited = _Timer(), 0
    for q in questions(count, seed=1):
        with timer:
            answer = assistant.ask(q)
        cited += bool(answer.citations)
    out["answer"] = {**timer.summary(), "answers_with_citations": cited}
    if model is not None:  # what the real model adds to each query's retrieval
        timer = _Timer()
        for q in asked[:40]:
            with timer:
                model.encode_query(q)
        out["real_query_encoding"] = timer.summary()
    out["peak_rss_mb"] = _peak_rss_mb()
    out["load_average_1m"] = round(os.getloadavg()[0], 1)
    return out


# -- the driver --------------------------------------------------------------------------------

SERVER: dict[str, str] = {}
"""CHROMA_HOST/CHROMA_PORT of the `chroma run` server when measuring server mode
(`--chroma-server`)."""


def _env(data_dir: Path) -> dict[str, str]:
    return {**child_env(data_dir), **SERVER}


def _run_worker(kind: str, args: list[str], data_dir: Path) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.scale",
        "--worker",
        kind,
        "--data-dir",
        str(data_dir),
        *args,
    ]
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(data_dir), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{kind} worker failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}"
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def time_first_answer(
    data_dir: Path,
    question: str = "How are children recruited by armed groups?",
    extra_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Spawn `python -m assistant ask QUESTION --json`; seconds from spawn to the answer, peak
    RSS."""
    env = {**_env(data_dir), **(extra_env or {})}
    cmd = [sys.executable, "-m", "assistant", "ask", question, "--json"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        raise RuntimeError(
            f"`assistant ask` exited {code}: {stderr.decode(errors='replace').strip()[-1500:]}"
        )
    answer = json.loads(stdout)
    return {
        "seconds": round(seconds, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "citations": len(answer.get("citations", [])),
        "abstained": answer.get("abstained"),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "load_average_1m": round(os.getloadavg()[0], 1),
    }


def bench_size(
    n: int, seed: int, dense: str, count: int, reuse: bool, root: Path, log, server: bool = False
) -> dict[str, Any]:
    from benchmarks.synth import write_catalog

    root.mkdir(parents=True, exist_ok=True)
    catalog = root / f"catalog-{n}-s{seed}.jsonl"
    result: dict[str, Any] = {
        "records": n,
        "seed": seed,
        "dense_vectors": "synthetic-clustered" if dense == "synthetic" else "model",
    }
    if not catalog.exists():
        t = time.perf_counter()
        write_catalog(catalog.with_suffix(".tmp"), n, seed).rename(catalog)
        log(f"[{n}] catalog written in {time.perf_counter() - t:.1f} s: {catalog}")
    data_dir = root / f"index-{n}-s{seed}-{dense}{'-server' if server else ''}"
    if server:
        from benchmarks.chroma_server import ChromaServer

        result["chroma"] = "server (chroma run on loopback)"
        chroma = ChromaServer(data_dir.with_name(data_dir.name + "-chroma"))
        if not reuse:
            shutil.rmtree(chroma.path, ignore_errors=True)
        chroma.start()
        SERVER.update({"CHROMA_HOST": chroma.host, "CHROMA_PORT": str(chroma.port)})
    else:
        result["chroma"] = "embedded"
    try:
        _measure(n, dense, count, reuse, catalog, data_dir, result, log)
    finally:
        if server:
            chroma.stop()
            SERVER.clear()
    return result


def _measure(
    n: int,
    dense: str,
    count: int,
    reuse: bool,
    catalog: Path,
    data_dir: Path,
    result: dict[str, Any],
    log,
) -> None:
    if reuse and data_dir.exists():
        result["ingest"] = "reused"
    else:
        shutil.rmtree(data_dir, ignore_errors=True)
        log(f"[{n}] ingesting into {data_dir} ...")
        result["ingest"] = _run_worker(
            "ingest", ["--catalog", str(catalog), "--dense", dense], data_dir
        )
        log(f"[{n}] ingest: {result['ingest']}")
    result["first_start"] = time_first_answer(data_dir)
    log(f"[{n}] first start: {result['first_start']}")
    result["queries"] = _run_worker(
        "query", ["--dense", dense, "--questions", str(count)], data_dir
    )
    result["records_indexed"] = result["queries"].get("records_indexed")
    log(f"[{n}] queries: {result['queries']}")
    result["start_to_first_answer"] = time_first_answer(data_dir)
    log(f"[{n}] start to first answer: {result['start_to_first_answer']}")
    peaks = [
        result["queries"]["peak_rss_mb"],
        result["first_start"]["peak_rss_mb"],
        result["start_to_first_answer"]["peak_rss_mb"],
    ]
    if isinstance(result["ingest"], dict):
        peaks.append(result["ingest"]["peak_rss_mb"])
    result["peak_rss_mb"] = max(peaks)
    q = result["queries"]
    result["targets_100k"] = {
        "retrieval_p50_le_60ms": max(
            q[f"retrieval_{k}_filter"]["p50_ms"] for k in ("none", "year", "region")
        )
        <= 60,
        "answer_p50_le_200ms": q["answer"]["p50_ms"] <= 200,
        "start_to_first_answer_le_20s": result["start_to_first_answer"]["seconds"] <= 20,
        "peak_rss_le_3gb": result["peak_rss_mb"] <= 3072,
    }


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--records", default="10000,100000", help="comma-separated library sizes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--dense",
        choices=("auto", "model", "synthetic"),
        default="auto",
        help=f"auto: the model up to {REAL_DENSE_MAX} records, synthetic-clustered vectors above",
    )
    parser.add_argument(
        "--questions", type=int, default=60, help="distinct questions asked per measurement"
    )
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="keep an existing index of that size (skip ingest)",
    )
    parser.add_argument(
        "--chroma-server",
        action="store_true",
        help="measure server mode: a `chroma run` on loopback holds the vectors",
    )
    parser.add_argument("--root", type=Path, default=BENCH, help="where catalogs and indexes go")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--worker", choices=("ingest", "query"), help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--catalog", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    if args.worker:
        dense = args.dense if args.dense != "auto" else "synthetic"
        if args.worker == "ingest":
            result = worker_ingest(args.data_dir, args.catalog, dense)
        else:
            result = worker_query(args.data_dir, dense, args.questions)
        print(json.dumps(result))
        return

    sizes = [int(s.replace("_", "")) for s in args.records.split(",") if s.strip()]

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    results = []
    for n in sizes:
        dense = (
            args.dense
            if args.dense != "auto"
            else ("model" if n <= REAL_DENSE_MAX else "synthetic")
        )
        results.append(
            bench_size(
                n,
                args.seed,
                dense,
                args.questions,
                args.reuse_index,
                args.root,
                log,
                server=args.chroma_server,
            )
        )
    doc = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "sizes": results}
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        for r in results:
            q = r["queries"]
            print(
                f"{r['records']:>7} records ({r['dense_vectors']}): "
                f"retrieval p50 {q['retrieval_none_filter']['p50_ms']} ms "
                f"(year {q['retrieval_year_filter']['p50_ms']} ms), "
                f"answer p50 {q['answer']['p50_ms']} ms, "
                f"start to first answer {r['start_to_first_answer']['seconds']} s, "
                f"peak RSS {r['peak_rss_mb']} MB"
            )


if __name__ == "__main__":
    main()
