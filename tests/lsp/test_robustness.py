"""Raw JSON-RPC over stdio: malformed input gets an error, never a dead server, and
nothing but protocol ever reaches stdout."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


class RawClient:
    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "craftls", "serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=env)
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        # a reader thread, so that a missing answer fails the test instead of hanging it
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        try:
            while True:
                self.inbox.put(self.read())
        except (AssertionError, ValueError, OSError):
            return

    def send_bytes(self, body: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.proc.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        self.send_bytes(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        headers: dict[str, str] = {}
        while True:
            line = self.proc.stdout.readline()
            assert line, "server closed stdout"
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")  # must be a header
            headers[name.strip().lower()] = value.strip()
        body = self.proc.stdout.read(int(headers["content-length"]))
        message: dict[str, Any] = json.loads(body)
        return message

    def response(self, request_id: int) -> dict[str, Any]:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if message.get("id") == request_id and "method" not in message:
                return message
        raise AssertionError(f"no response to {request_id}")


def test_malformed_messages_get_errors_and_the_server_keeps_serving() -> None:
    client = RawClient()
    try:
        client.send({"id": 1, "method": "initialize",
                     "params": {"capabilities": {}, "rootUri": (ROOT / "examples").as_uri()}})
        assert "capabilities" in client.response(1)["result"]
        client.send({"method": "initialized", "params": {}})
        client.send_bytes(b"{this is not json")
        client.send({"id": 2, "method": "textDocument/hover", "params": {"bogus": True}})
        assert "error" in client.response(2)
        client.send({"id": 3, "method": "craftls/noSuchMethod", "params": {}})
        assert client.response(3)["error"]["code"] == -32601
        text = (ROOT / "examples" / "pascal" / "primes.pas").read_text()
        uri = (ROOT / "examples" / "pascal" / "primes.pas").as_uri()
        client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "pascal", "version": 1, "text": text}}})
        line = text[:text.index("IsPrime(I)")].count("\n")
        col = text.split("\n")[line].index("IsPrime(I)") + 1
        client.send({"id": 4, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": col}}})
        hover = client.response(4)
        assert "IsPrime" in hover["result"]["contents"]["value"]
        client.send({"id": 5, "method": "shutdown"})
        assert client.response(5)["result"] is None
        client.send({"method": "exit"})
        assert client.proc.wait(timeout=10) == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def test_server_exits_when_stdin_closes() -> None:
    client = RawClient()
    assert client.proc.stdin is not None
    client.proc.stdin.close()
    assert client.proc.wait(timeout=15) is not None


def test_sigterm_flushes_the_audit_log(tmp_path: Path) -> None:
    import os
    import signal
    env = {**os.environ, "CRAFTLS_LOG_DIR": str(tmp_path / "log")}
    client = RawClient(env)
    proc = client.proc
    try:
        client.send({"id": 1, "method": "initialize", "params": {"capabilities": {}}})
        client.response(1)
        client.send({"method": "initialized", "params": {}})
        client.send({"id": 2, "method": "craftls/health", "params": {}})
        client.response(2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        lines = "".join(p.read_text() for p in (tmp_path / "log").rglob("*.jsonl"))
        assert '"action": "start"' in lines or '"action":"start"' in lines
        assert "signal SIGTERM" in lines
    finally:
        if proc.poll() is None:
            proc.kill()
