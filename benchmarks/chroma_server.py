"""A real Chroma server on loopback for server-mode tests and benchmarks.

    with ChromaServer(tmp_path / "chroma") as server:  # `chroma run --path ... --port FREE`
        env = assistant_env(data_dir, server.port)      # CHROMA_HOST / CHROMA_PORT for subprocesses
        server.stop(); server.start()                   # same path, same port: a restart

Stopped by its own PID only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._util import ROOT, child_env, free_port


def chroma_executable() -> str:
    """The `chroma` script next to this interpreter, else the one on PATH."""
    local = Path(sys.executable).with_name("chroma")
    if local.exists():
        return str(local)
    found = shutil.which("chroma")
    if not found:
        raise RuntimeError("the `chroma` command is not installed (pip install chromadb)")
    return found


def assistant_env(
    data_dir: Path, port: int, host: str = "127.0.0.1", **extra: str
) -> dict[str, str]:
    """This process's environment without ASSISTANT_*/CHROMA_*, then the data dir and the server."""
    env = child_env(data_dir)
    env.update(
        {
            "CHROMA_HOST": host,
            "CHROMA_PORT": str(port),
            "ANONYMIZED_TELEMETRY": "False",
            "HF_HUB_OFFLINE": "1",
        }
    )
    env.update(extra)
    return env


class ChromaServer:
    """`chroma run --path PATH --host 127.0.0.1 --port PORT` as a context manager."""

    ROOT = ROOT
    free_port = staticmethod(free_port)

    def __init__(self, path: Path, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.path = Path(path)
        self.host = host
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.log = self.path.with_name(self.path.name + ".log")

    def start(self, timeout: float = 60.0) -> ChromaServer:
        self.path.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    chroma_executable(),
                    "run",
                    "--path",
                    str(self.path),
                    "--host",
                    self.host,
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.path.parent,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.proc.returncode}; see {self.log}")
            if self.heartbeat():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"chroma run did not answer on {self.host}:{self.port} within {timeout:.0f} s"
        )

    def heartbeat(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(
                f"http://{self.host}:{self.port}/api/v2/heartbeat", timeout=1
            ) as resp:  # noqa: S310
                return resp.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        deadline = time.monotonic() + 10
        while self.heartbeat() and time.monotonic() < deadline:
            time.sleep(0.1)

    def vector_count(self, collection: str | None = None) -> int:
        """Embeddings held by the server, over every collection (or one)."""
        import chromadb
        from chromadb.config import Settings

        client = chromadb.HttpClient(
            host=self.host, port=self.port, settings=Settings(anonymized_telemetry=False)
        )
        names = [collection] if collection else [c.name for c in client.list_collections()]
        return sum(client.get_collection(name).count() for name in names)

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class TokenProxy:
    """A reverse proxy that passes requests on to `target_port` only with `Authorization: Bearer
    TOKEN`.

    What docs/scaling.md recommends in front of `chroma run` (which does not check tokens itself),
    small enough for tests: one thread, loopback only, 401 with a JSON error otherwise.
    """

    def __init__(self, target_port: int, token: str, host: str = "127.0.0.1") -> None:
        import http.server
        import threading
        import urllib.error
        import urllib.request

        expected = f"Bearer {token}"

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                if self.headers.get("Authorization") != expected:
                    self._reply(
                        401,
                        b'{"error":"Unauthorized","message":"missing or wrong bearer token"}',
                        None,
                    )
                    return
                length = int(self.headers.get("Content-Length") or 0)
                request = urllib.request.Request(
                    f"http://{host}:{target_port}{self.path}",
                    data=self.rfile.read(length) if length else None,
                    method=self.command,
                    headers={
                        k: v
                        for k, v in self.headers.items()
                        if k.lower() not in ("host", "authorization")
                    },
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
                        self._reply(
                            response.status, response.read(), response.headers.get("Content-Type")
                        )
                except urllib.error.HTTPError as exc:
                    self._reply(exc.code, exc.read(), exc.headers.get("Content-Type"))

            def _reply(self, code: int, body: bytes, content_type: str | None) -> None:
                self.send_response(code)
                self.send_header("Content-Type", content_type or "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer((host, free_port()), Handler)
        self.host, self.port = host, int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TokenProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
