"""Over the wire: a client talking to `craftls serve` on stdio, compared in the same run
with a pygls server whose handlers do nothing (the transport's floor)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from craftls.cli.demo_cmd import StdioClient

from .common import pascal_program


class Client(StdioClient):
    def __init__(self, command: list[str]) -> None:
        import subprocess
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(samples: list[float]) -> dict[str, float]:
    return {"median_ms": statistics.median(samples), "p95_ms": percentile(samples, 0.95),
            "runs": len(samples)}


def timed(fn: Any, repeat: int) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return summary(samples)


def _pos(text: str, needle: str, delta: int = 0) -> dict[str, int]:
    offset = text.index(needle) + delta
    return {"line": text.count("\n", 0, offset),
            "character": offset - (text.rfind("\n", 0, offset) + 1)}


def session(command: list[str], folder: Path, big: str, small: str) -> dict[str, Any]:
    started = time.perf_counter()
    client = Client(command)
    client.request("initialize", {"processId": None, "rootUri": folder.as_uri(),
                                  "capabilities": {}})
    results: dict[str, Any] = {"initialize_ms": (time.perf_counter() - started) * 1000}
    client.notify("initialized", {})
    uri = (folder / "big.pas").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "pascal", "version": 1, "text": big}})
    middle = big.index("T := A *", len(big) // 2)
    doc = {"uri": uri}
    complete_at = _pos(big, "T := A *", 5 + (middle - big.index("T := A *")))
    hover_at = _pos(big[middle:], "T", 0)
    hover_at["line"] += big.count("\n", 0, middle)
    client.request("textDocument/hover", {"textDocument": doc, "position": hover_at})  # warm
    results["completion"] = timed(lambda: client.request("textDocument/completion", {
        "textDocument": doc, "position": complete_at}), 60)
    results["hover"] = timed(lambda: client.request("textDocument/hover", {
        "textDocument": doc, "position": hover_at}), 60)
    results["definition"] = timed(lambda: client.request("textDocument/definition", {
        "textDocument": doc, "position": hover_at}), 60)
    version = [1]
    keystrokes = []
    for i in range(15):
        version[0] += 1
        client.notifications.clear()
        start = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version[0]},
            "contentChanges": [{"range": {"start": complete_at, "end": complete_at},
                                "text": "x" if i % 2 == 0 else ""}] if i % 2 == 0 else
            [{"range": {"start": complete_at, "end": {"line": complete_at["line"],
                                                      "character": complete_at["character"] + 1}},
              "text": ""}]})
        client.wait_for("textDocument/publishDiagnostics", uri, timeout=30)
        keystrokes.append((time.perf_counter() - start) * 1000)
    results["keystroke_to_diagnostics"] = summary(keystrokes)
    small_uri = (folder / "small.pas").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": small_uri, "languageId": "pascal", "version": 1, "text": small}})
    results["format_1000_lines"] = timed(lambda: client.request("textDocument/formatting", {
        "textDocument": {"uri": small_uri}, "options": {"tabSize": 2, "insertSpaces": True}}),
        15)
    client.request("shutdown", None)
    client.notify("exit", None)
    client.proc.wait(timeout=10)
    return results


def run() -> dict[str, Any]:
    big = pascal_program(10_000)
    small = pascal_program(1_000).replace("  T :=", "T:=")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        craft = session([sys.executable, "-m", "craftls", "serve"], folder, big, small)
        floor = session([sys.executable, "-m", "benchmarks.null_server"], folder, big, small)
    rows = [("initialize answered after launch", "initialize_ms", "<= 1000 ms"),
            ("completion, 10,000-line file", "completion", "p95 <= 5 ms"),
            ("hover, 10,000-line file", "hover", "p95 <= 3 ms"),
            ("definition, 10,000-line file", "definition", "p95 <= 3 ms"),
            ("keystroke -> published diagnostics (incl. 150 ms debounce)",
             "keystroke_to_diagnostics", "<= 50 ms + debounce"),
            ("formatting a 1,000-line file", "format_1000_lines", "<= 30 ms")]
    print(f"{'over the wire (stdio)':58} {'craftls':>20} {'null pygls':>20} {'ratio':>7}  target")
    for label, key, target in rows:
        a, b = craft[key], floor[key]
        if isinstance(a, dict):
            text_a = f"{a['median_ms']:.2f}/{a['p95_ms']:.2f}ms"
            text_b = f"{b['median_ms']:.2f}/{b['p95_ms']:.2f}ms"
            ratio = a["p95_ms"] / b["p95_ms"] if b["p95_ms"] else float("nan")
        else:
            text_a, text_b, ratio = f"{a:.1f}ms", f"{b:.1f}ms", a / b
        print(f"{label:58} {text_a:>20} {text_b:>20} {ratio:6.1f}x  {target}")
    print("(median/p95; the null server does no work, so its numbers are the transport floor)")
    return {"craftls": craft, "null": floor}


if __name__ == "__main__":
    run()
