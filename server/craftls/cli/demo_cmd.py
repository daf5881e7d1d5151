"""``craftls demo [FOLDER]``: the main job of `make run`. Checks the bundled examples,
installs the example workspace's packages from the bundled registry, then drives
``craftls serve`` over stdio like an editor would and prints what the editor receives:
diagnostics, a completion list (including names from an installed package), a hover,
a rename's edits and a formatting diff."""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="show the server at work on the bundled examples")
    p.add_argument("folder", nargs="?", default="examples")
    p.set_defaults(func=run_demo)


class StdioClient:
    """A minimal JSON-RPC client for the demo (the tests use pytest-lsp)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "craftls", "serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.proc.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        length = 0
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("the server closed the connection")
            if line.strip() == b"":
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.proc.stdout.read(length))
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.read()
            if message.get("id") == self.next_id and "method" not in message:
                if "error" in message:
                    return {"error": message["error"]["message"]}
                return message.get("result")
            if "method" in message and "id" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
            elif "method" in message:
                self.notifications.append(message)

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def wait_for(self, method: str, uri: str, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for n in self.notifications:
                params: dict[str, Any] = n["params"]
                if n["method"] == method and params.get("uri") == uri:
                    return params
            message = self.read()
            if "method" in message and "id" not in message:
                self.notifications.append(message)
        raise RuntimeError(f"no {method} for {uri}")


def _pos(text: str, needle: str, delta: int = 0) -> dict[str, int]:
    offset = text.index(needle) + delta
    line = text.count("\n", 0, offset)
    return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}


def _heading(title: str) -> None:
    print(f"\n\033[1m== {title}\033[0m" if sys.stdout.isatty() else f"\n== {title}")


def run_demo(args: argparse.Namespace) -> int:
    folder = Path(args.folder).resolve()
    _heading(f"craftls check {args.folder}")
    from . import analysis_cmd, language_cmd, registry_cmd
    _command(language_cmd, ["language", "list"])
    _heading("craftls install (the example workspace's dependencies, offline)")
    _command(registry_cmd, ["install", "--offline", "--workspace", str(folder)])
    status = _command(analysis_cmd, [
        "check", str(folder / "pascal"), str(folder / "teachlang"), str(folder / "espanol"),
        str(folder / "basic"), str(folder / "curly")])
    client = StdioClient()
    try:
        _session(client, folder)
    finally:
        client.request("shutdown", None)
        client.notify("exit", None)
        client.proc.wait(timeout=10)
    from .run_cmd import demo_runs
    return max(status, demo_runs(folder))


def _command(module: ModuleType, argv: list[str]) -> int:
    """Runs ``craftls argv`` with the parser of the one command module that owns it (not
    through ``main``, which dispatches to this module: that made an import cycle)."""
    parser = argparse.ArgumentParser(prog="craftls")
    module.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return int(args.func(args))


def _session(client: StdioClient, folder: Path) -> None:
    init = client.request("initialize", {
        "processId": None, "rootUri": folder.as_uri(), "capabilities": {
            "textDocument": {"completion": {"completionItem": {"snippetSupport": False}}}},
        "clientInfo": {"name": "craftls-demo"}})
    client.notify("initialized", {})
    _heading("initialize: the server's capabilities")
    print(", ".join(sorted(k for k in init["capabilities"] if k.endswith("Provider"))))
    sample = folder / "pascal" / "matrix.pas"
    text = sample.read_text(encoding="utf-8")
    last_begin = text.rindex("BEGIN\n") + len("BEGIN\n")
    broken = text[:last_begin] + "  WriteLn(Fuond);\n" + text[last_begin:]
    uri = sample.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "pascal", "version": 1, "text": broken}})
    _heading(f"publishDiagnostics for {sample.name} (after typing 'WriteLn(Fuond);')")
    for d in client.wait_for("textDocument/publishDiagnostics", uri)["diagnostics"]:
        start = d["range"]["start"]
        print(f"  {start['line'] + 1}:{start['character'] + 1} [{d['code']}] {d['message']}")
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": text}]})
    anchor = next((line for line in text.splitlines() if "MathLib." in line), None)
    if anchor is not None:
        dot = text.index("MathLib.") + len("MathLib.")
        _heading("completion after 'MathLib.' (names exported by the installed package)")
        result = client.request("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": _pos(text, "MathLib.", len("MathLib."))})
        items = result["items"] if isinstance(result, dict) else result or []
        print("  " + ", ".join(i["label"] for i in items[:12]))
        _ = dot
    _heading("completion at the start of a statement (first 15 of the ranked list)")
    result = client.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": _pos(text, "BEGIN\n", 6)})
    items = result["items"] if isinstance(result, dict) else result or []
    print("  " + ", ".join(f"{i['label']}" for i in items[:15]))
    word = "Found"
    _heading(f"hover on '{word}'")
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": _pos(text, word + " :", 1)})
    print("  " + (hover["contents"]["value"].replace("\n", "\n  ") if hover else "(none)"))
    _heading(f"rename '{word}' -> 'HasNegative'")
    edit = client.request("textDocument/rename", {"textDocument": {"uri": uri},
                                                  "position": _pos(text, word + " :", 1),
                                                  "newName": "HasNegative"})
    changes = (edit or {}).get("changes", {}).get(uri, [])
    for e in changes:
        print(f"  line {e['range']['start']['line'] + 1}, col "
              f"{e['range']['start']['character'] + 1}: -> {e['newText']}")
    messy = text.replace("  ", "", 6).replace(" := ", ":=", 3)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": messy}]})
    _heading("formatting a messy copy (the diff the editor applies)")
    edits = client.request("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}) or []
    lines = messy.splitlines(keepends=True)
    result_lines = list(lines)
    for e in sorted(edits, key=lambda e: -e["range"]["start"]["line"]):
        s, t = e["range"]["start"]["line"], e["range"]["end"]["line"]
        result_lines[s:t] = e["newText"].splitlines(keepends=True)
    sys.stdout.writelines(difflib.unified_diff(lines, result_lines, "before", "after", n=0))
    _heading("craftls/health")
    health = client.request("craftls/health", {})
    print(f"  status: {health['status']}; services: " + ", ".join(
        f"{name}={svc['status']}" for name, svc in health["services"].items()))
