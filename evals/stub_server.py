"""A small OpenAI-compatible HTTP server for benchmarks and failure tests.

It answers /v1/chat/completions (plain, streamed, and tool calls whose arguments are generated to fit the
requested JSON schema) after a fixed latency, and can fail the first N requests with a given HTTP status.
Run:  python -m evals.stub_server --port 8765 --latency 0.5
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[list[dict[str, Any]]], str]
ToolResponder = Callable[[dict[str, Any], list[dict[str, Any]]], Any]


def example_for(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """A minimal instance that validates against a JSON schema (objects get their required fields)."""
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return example_for(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example_for(options[0], defs)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: example_for(props[name], defs) for name in schema.get("required", list(props))}
    if kind == "array":
        return [example_for(schema.get("items", {}), defs) for _ in range(schema.get("minItems", 1))]
    return {"string": "stub", "integer": 1, "number": 1.0, "boolean": False, "null": None}.get(kind, "stub")


@dataclass
class StubState:
    """Behaviour and counters of a running stub."""

    latency: float = 0.0
    fail_first: int = 0
    fail_status: int = 429
    api_key: str | None = None
    responder: Responder = field(default=lambda messages: "Stub answer [1].")
    tool_responder: ToolResponder = field(
        default=lambda function, messages: example_for(function.get("parameters", {}))
    )
    requests: int = 0
    bodies: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _completion(body: dict[str, Any], state: StubState) -> dict[str, Any]:
    messages = body.get("messages", [])
    prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in messages)
    tools = body.get("tools") or []
    if tools:
        function = tools[0]["function"]
        arguments = json.dumps(state.tool_responder(function, messages))
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": function["name"], "arguments": arguments}}
            ],
        }
        completion_tokens = len(arguments.split())
    else:
        text = state.responder(messages)
        message = {"role": "assistant", "content": text}
        completion_tokens = len(text.split())
    return {
        "id": "stub-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model"),
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tools else "stop"}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _handler(state: StubState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._send(200, {"object": "list", "data": [{"id": "stub-model", "object": "model"}]})

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            with state.lock:
                state.requests += 1
                state.bodies = [*state.bodies[-9:], body]
                failing = state.requests <= state.fail_first
            time.sleep(state.latency)
            if state.api_key and self.headers.get("Authorization") != f"Bearer {state.api_key}":
                return self._send(
                    401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
                )
            if failing:
                return self._send(state.fail_status, {"error": {"message": "stub failure", "type": "server_error"}})
            result = _completion(body, state)
            if not body.get("stream"):
                return self._send(200, result)
            self._stream(result)

        def _stream(self, result: dict[str, Any]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            text = result["choices"][0]["message"]["content"] or ""
            for word in text.split(" "):
                chunk = {
                    "id": "stub-1",
                    "object": "chat.completion.chunk",
                    "model": result["model"],
                    "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}],
                }
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            final = {
                "id": "stub-1",
                "object": "chat.completion.chunk",
                "model": result["model"],
                "choices": [],
                "usage": result["usage"],
            }
            self.wfile.write(f"data: {json.dumps(final)}\n\ndata: [DONE]\n\n".encode())

    return Handler


def serve(state: StubState, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Start the stub on a loopback port in a background thread; returns the server and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.5)
    args = parser.parse_args()
    server, url = serve(StubState(latency=args.latency), args.port)
    print(f"stub OpenAI-compatible server at {url} (latency {args.latency} s); Ctrl-C to stop")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
