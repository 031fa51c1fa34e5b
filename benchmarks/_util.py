"""Small helpers shared by the benchmark scripts: offline start, timing, machine facts, JSON
output."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def start() -> None:
    """Offline switches and the project root on sys.path, before anything heavy is imported."""
    root = str(ROOT)
    if root not in sys.path:
        sys.path.insert(0, root)
    from kernel.offline import enable_offline_mode

    enable_offline_mode()


def child_env(data_dir: Path) -> dict[str, str]:
    """The environment of an `assistant` child process on `data_dir`: this process's without its
    ASSISTANT_*/CHROMA_* settings, and the project on PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
    env["ASSISTANT_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def parser(module: str, doc: str | None) -> argparse.ArgumentParser:
    """`start()`, then the argument parser of `python -m benchmarks.<module>`, described by the
    first line of its docstring."""
    start()
    return argparse.ArgumentParser(
        prog=f"python -m benchmarks.{module}", description=(doc or "").split("\n")[0]
    )


@contextmanager
def timed(into: list[float]) -> Iterator[None]:
    """Append the seconds the block took to `into`."""
    began = time.perf_counter()
    try:
        yield
    finally:
        into.append(time.perf_counter() - began)


def machine() -> dict[str, Any]:
    """What the figures depend on: cores, torch threads, the load when measuring."""
    facts: dict[str, Any] = {"cpus": os.cpu_count()}
    try:
        facts["load_avg_1m"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    if "torch" in sys.modules:
        facts["torch_threads"] = sys.modules["torch"].get_num_threads()
    return facts


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def emit(result: dict[str, Any], as_json: bool) -> None:
    """Print the result: one JSON document with --json, else `key: value` lines."""
    if as_json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
