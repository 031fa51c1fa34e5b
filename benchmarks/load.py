"""Many users at once: start the web app and drive it with concurrent gradio_client sessions.

    python -m benchmarks.load --users 20 --seconds 60 --json

Starts `python -m assistant serve --host 127.0.0.1 --port FREE` on the sample index in a
temporary data dir (the sample library is ingested there first; `--data-dir` reuses an index),
then runs `--users` threads, each with its own `gradio_client.Client` (its own session), asking
varied questions on the `/ask` endpoint for `--seconds`; about a quarter of the requests are
chat turns on `/chat` (conversations of a question and two follow-ups such as "and since
2015?" in the same session, which keeps the conversation). An error is an exception from the client,
a reply without text, or a chat turn that shows an error. Prints requests, errors, throughput and
p50/p95/p99 latency. Target with the no-LLM answerer: 0 errors, p95 <= 3 s.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks._util import ROOT, child_env, free_port

QUESTIONS = (
    "What does the UN do about trafficking in conflict?",
    "How are children recruited and used by armed groups?",
    "What is the Trafficking in Persons Report about?",
    "Which reports discuss sexual violence in conflict?",
    "What are the risks of trafficking for refugees?",
    "How does modern slavery relate to armed conflict?",
    "What do the sources say about forced labour?",
    "What recommendations are made to Member States?",
    "Which documents were published in 2020?",
    "What is known about trafficking in Africa?",
    "How can humanitarian actors prevent trafficking?",
    "What happens to child soldiers after demobilisation?",
    "Who wrote about the UN's response to modern slavery?",
    "What does the Secretary-General report on children and armed conflict?",
    "How has trafficking changed over the past 20 years?",
)
FOLLOW_UPS = (
    "and since 2015?",
    "what about Asia?",
    "and before 2010?",
    "tell me more about the first source",
)


def _env(data_dir: Path) -> dict[str, str]:
    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    return child_env(data_dir)


def ensure_sample_index(data_dir: Path) -> bool:
    """Ingest the sample library into `data_dir` unless it already holds records. True if
    ingested."""
    env = _env(data_dir)
    stats = subprocess.run(
        [sys.executable, "-m", "assistant", "stats", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if stats.returncode == 0:
        try:
            if json.loads(stats.stdout).get("records", 0) > 0:
                return False
        except ValueError:
            pass
    # Its summary goes to stderr: stdout carries only this benchmark's JSON.
    subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", "--quiet"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=sys.stderr,
    )
    return True


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float = 180.0) -> float:
    """Seconds until `url` answers 200; RuntimeError if the process dies or time runs out."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def start_server(data_dir: Path, port: int, log_path: Path) -> subprocess.Popen:
    log = log_path.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=_env(data_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def reply_text(result: Any) -> str:
    """The answer text in whatever shape the /ask endpoint returns (a string, or a tuple led by
    one)."""
    if isinstance(result, str):
        return result
    if isinstance(result, (list, tuple)) and result:
        for item in result:
            text = reply_text(item)
            if text.strip():
                return text
        return ""
    if isinstance(result, dict):
        for key in ("answer", "text", "content", "value"):
            if isinstance(result.get(key), str):
                return result[key]
    return ""


class User(threading.Thread):
    """One session asking until the deadline: mostly `/ask`, sometimes a chat conversation."""

    def __init__(
        self, url: str, index: int, deadline: float, seed: int, chat_share: float = 0.1
    ) -> None:
        super().__init__(name=f"user-{index}", daemon=True)
        self.url, self.deadline, self.chat_share = url, deadline, chat_share
        self.rng = random.Random(seed * 1000 + index)
        self.latencies: list[float] = []
        self.chat_latencies: list[float] = []
        self.errors: list[str] = []
        self.chat_turns = 0

    def run(self) -> None:
        from gradio_client import Client

        try:
            client = Client(self.url, verbose=False, download_files=False)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            self.errors.append(f"connect: {type(exc).__name__}: {exc}"[:300])
            return
        turns = 0  # turns of the current chat conversation
        while time.perf_counter() < self.deadline:
            chat = turns > 0 or self.rng.random() < self.chat_share
            question = self.rng.choice(FOLLOW_UPS) if turns else self.rng.choice(QUESTIONS)
            started = time.perf_counter()
            try:
                if chat:
                    problem = chat_problem(
                        client.predict(question=question, api_name="/chat"), turns
                    )
                    self.chat_turns += 1
                    turns = 0 if turns >= 2 or problem else turns + 1
                else:
                    text = reply_text(client.predict(question, api_name="/ask"))
                    problem = None if text.strip() else f"empty reply to {question!r}"
                elapsed = time.perf_counter() - started
                if problem:
                    self.errors.append(problem)
                else:
                    self.latencies.append(elapsed)
                    if chat:
                        self.chat_latencies.append(elapsed)
                if chat and turns == 0:
                    client.predict(api_name="/new_conversation")
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                self.errors.append(f"{type(exc).__name__}: {exc}"[:300])
                turns = 0


def chat_problem(result: Any, earlier_turns: int) -> str | None:
    """None when the chat shows this turn's answer; else what is wrong with it."""
    messages = (
        result[0]
        if isinstance(result, (list, tuple)) and result and isinstance(result[0], list)
        else result
    )
    expected = 2 * (earlier_turns + 1)
    if not isinstance(messages, list) or len(messages) != expected:
        found = len(messages) if isinstance(messages, list) else type(messages).__name__
        return f"chat: expected {expected} messages, found {found}"
    last = messages[-1]
    text = reply_text(last.get("content") if isinstance(last, dict) else last)
    if not text.strip():
        return "chat: empty answer"
    if "Could not answer" in text:
        return "chat: " + re.sub(r"<[^>]+>", "", text)[:200]
    return None


def _percentiles(seconds: list[float]) -> dict[str, float | None]:
    if not seconds:
        return {"p50_s": None, "p95_s": None, "p99_s": None, "max_s": None}
    ordered = sorted(seconds)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {
        "p50_s": round(statistics.median(ordered), 3),
        "p95_s": pick(0.95),
        "p99_s": pick(0.99),
        "max_s": round(ordered[-1], 3),
    }


def run_load(
    users: int, seconds: float, data_dir: Path | None = None, seed: int = 0, log=print
) -> dict[str, Any]:
    """Start the app, drive it, stop it; the figures as a dict."""
    import psutil

    temp = None
    if data_dir is None:
        temp = Path(tempfile.mkdtemp(prefix="assistant-load-"))
        data_dir = temp / "index"
    try:
        started = time.perf_counter()
        ingested = ensure_sample_index(data_dir)
        log(
            f"sample index ready in {data_dir} ({'ingested' if ingested else 'reused'}, "
            f"{time.perf_counter() - started:.1f} s)"
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        log_path = data_dir.parent / f"serve-{port}.log"
        proc = start_server(data_dir, port, log_path)
        try:
            startup = wait_for_http(url, proc)
            log(f"server up on {url} in {startup:.1f} s; {users} users for {seconds:.0f} s")
            from gradio_client import Client

            warm = Client(url, verbose=False, download_files=False)
            warm.predict(QUESTIONS[0], api_name="/ask")
            server = psutil.Process(proc.pid)
            peak = [server.memory_info().rss]
            deadline = time.perf_counter() + seconds
            threads = [User(url, i, deadline, seed) for i in range(users)]
            for t in threads:
                t.start()
            while any(t.is_alive() for t in threads):
                time.sleep(0.5)
                try:
                    peak.append(
                        server.memory_info().rss
                        + sum(c.memory_info().rss for c in server.children(True))
                    )
                except psutil.Error:
                    pass
            wall = time.perf_counter() - deadline + seconds
        finally:
            stop_server(proc)
        latencies = [x for t in threads for x in t.latencies]
        errors = [e for t in threads for e in t.errors]
        return {
            "users": users,
            "seconds": seconds,
            "wall_s": round(wall, 1),
            "requests": len(latencies) + len(errors),
            "errors": len(errors),
            "error_samples": sorted(set(errors))[:5],
            "chat_turns": sum(t.chat_turns for t in threads),
            "throughput_rps": round(len(latencies) / wall, 2) if wall else None,
            "latency": _percentiles(latencies),
            "chat_latency": _percentiles([x for t in threads for x in t.chat_latencies]),
            "server_startup_s": round(startup, 1),
            "server_peak_rss_mb": round(max(peak) / 2**20, 1),
            "llm": "none",
        }
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    import argparse

    from kernel.offline import enable_offline_mode

    enable_offline_mode()
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent sessions")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to drive the app")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="an index to serve (ingested from the sample library if empty)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    result = run_load(
        args.users,
        args.seconds,
        args.data_dir,
        args.seed,
        log=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        lat = result["latency"]
        print(
            f"{result['requests']} requests, {result['errors']} errors, p50 {lat['p50_s']} s, "
            f"p95 {lat['p95_s']} s, p99 {lat['p99_s']} s"
        )
    if result["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
