"""`make loadtest`: many documents, a stream of edits and bursts of concurrent requests
against `craftls serve` on stdio; afterwards the server's diagnostics must equal a
from-scratch analysis, no request may have failed, and memory must stop growing.

    python -m benchmarks.loadtest [--seconds 30] [--documents 50] [--edits-per-second 200]
                                  [--concurrent 1000]
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[1]


class Connection:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "craftls", "serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.responses: dict[int, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.next_id = 0
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        while True:
            length = 0
            while True:
                line = stdout.readline()
                if not line:
                    return
                if not line.strip():
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stdout.read(length))
            if "id" in message and "method" not in message:
                with self.lock:
                    self.responses[message["id"]] = message
            self.inbox.put(message)

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: Any) -> int:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, ids: list[int], timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if all(i in self.responses for i in ids):
                    return [self.responses.pop(i) for i in ids]
            time.sleep(0.01)
        raise AssertionError(f"{sum(i not in self.responses for i in ids)} requests unanswered")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0


def run(seconds: float = 30, documents: int = 50, edits_per_second: int = 200,
        concurrent: int = 1000, folder: Path | None = None, min_edits: int = 0,
        min_bursts: int = 0) -> dict[str, Any]:
    """Edits and request bursts for ``seconds``, and on past that until at least
    ``min_edits`` edits and ``min_bursts`` bursts were sent: on a loaded machine a burst can
    outlast the whole window, and the test must still see the amount of work it checks."""
    rng = random.Random(7)
    samples = sorted((ROOT / "examples" / "pascal").glob("*.pas"))
    definition = bundled("pascal")
    conn = Connection()
    # the samples are the keyword-level `pascal`'s (`.pas` is `turbopascal`'s by extension)
    conn.wait([conn.request("initialize", {"processId": None, "capabilities": {
        "textDocument": {"diagnostic": {}}}, "initializationOptions": {
        "languages": [{"definition": "pascal", "files": ["*.pas"]}]}})], 30)
    conn.send({"method": "initialized", "params": {}})
    base = folder or Path("/tmp/craftls-loadtest")
    docs: dict[str, dict[str, Any]] = {}
    for i in range(documents):
        text = samples[i % len(samples)].read_text()
        uri = (base / f"doc{i}.pas").as_uri()
        docs[uri] = {"text": text, "version": 1}
        conn.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "pascal", "version": 1, "text": text}}})
    errors = 0
    answered = 0
    edits = 0
    bursts = 0
    memory: list[float] = []
    started = time.monotonic()
    next_burst = started
    uris = list(docs)
    while (time.monotonic() - started < seconds or edits < min_edits
           or bursts < min_bursts):
        tick = time.monotonic()
        for _ in range(max(1, edits_per_second // 10)):
            uri = rng.choice(uris)
            doc = docs[uri]
            text = doc["text"]
            at = rng.randrange(len(text))
            line = text.count("\n", 0, at)
            col = at - (text.rfind("\n", 0, at) + 1)
            new = rng.choice(["x", " ", "1", ";", "\n", "BEGIN ", "END", ""])
            end = min(len(text), at + rng.choice([0, 0, 1]))
            end_line = text.count("\n", 0, end)
            end_col = end - (text.rfind("\n", 0, end) + 1)
            doc["text"] = text[:at] + new + text[end:]
            doc["version"] += 1
            edits += 1
            conn.send({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": doc["version"]},
                "contentChanges": [{"range": {"start": {"line": line, "character": col},
                                              "end": {"line": end_line, "character": end_col}},
                                    "text": new}]}})
        if tick >= next_burst:
            ids = []
            for _ in range(concurrent):
                uri = rng.choice(uris)
                method = rng.choice(["textDocument/hover", "textDocument/completion",
                                     "textDocument/definition", "textDocument/documentSymbol"])
                params: dict[str, Any] = {"textDocument": {"uri": uri}}
                if method != "textDocument/documentSymbol":
                    params["position"] = {"line": rng.randrange(20), "character": rng.randrange(10)}
                ids.append(conn.request(method, params))
            for response in conn.wait(ids, 120):
                answered += 1
                errors += "error" in response
            memory.append(conn.rss_mb())
            bursts += 1
            next_burst = time.monotonic() + max(1.0, seconds / 10)
        time.sleep(max(0.0, 0.1 - (time.monotonic() - tick)))
    mismatches = 0
    for uri, doc in docs.items():
        [report] = conn.wait([conn.request("textDocument/diagnostic",
                                           {"textDocument": {"uri": uri}})], 60)
        errors += "error" in report
        got = sorted((d["code"], d["message"]) for d in report["result"]["items"])
        path = Path(uri.removeprefix("file://"))
        expected = sorted((d.code, d.message) for d in analyze_with_types(parse(definition, doc["text"]),
                                                               path).diagnostics)
        if got != expected:
            mismatches += 1
            if mismatches <= 2:
                print("mismatch", uri, set(got) ^ set(expected), file=sys.stderr)
    conn.wait([conn.request("shutdown", None)], 30)
    conn.send({"method": "exit"})
    conn.proc.wait(timeout=30)
    third = max(1, len(memory) // 3)
    early, late = max(memory[:third]), max(memory[-third:])
    result = {"seconds": seconds, "documents": documents, "edits": edits,
              "bursts": bursts, "requests": answered, "error_responses": errors,
              "diagnostic_mismatches": mismatches, "rss_mb_early": round(early, 1),
              "rss_mb_late": round(late, 1),
              "memory_stopped_growing": late <= early * 1.25 + 20}
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--edits-per-second", type=int, default=200)
    parser.add_argument("--concurrent", type=int, default=1000)
    args = parser.parse_args()
    result = run(args.seconds, args.documents, args.edits_per_second, args.concurrent)
    print(json.dumps(result, indent=2))
    ok = (result["error_responses"] == 0 and result["diagnostic_mismatches"] == 0
          and result["memory_stopped_growing"])
    print("loadtest:", "ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
