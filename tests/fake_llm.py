"""A local stand-in for an OpenAI-compatible chat server, for tests of the LLM answerer (no LLM
server can run here). A handler answers a POST to /v1/chat/completions with `stream_answer`."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def stream_answer(handler: BaseHTTPRequestHandler, model: str, text: str, delay: float = 0.0):
    """Write `text` word by word as an OpenAI server-sent event stream, `delay` seconds apart."""
    base = {"id": "c-1", "created": 0, "model": model, "object": "chat.completion.chunk"}
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.end_headers()
    for i, word in enumerate(text.split(" ")):
        time.sleep(delay)
        delta = {"role": "assistant", "content": word if i == 0 else " " + word}
        chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
        handler.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        handler.wfile.flush()
    done = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
    handler.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())


def serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    """The server on a free local port, running in a daemon thread, and its /v1 base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1"
