"""`craftls doctor` as the smoke test after an upgrade: definitions load and parse, the
warm-state cache is of a format this version reads, the editors find this server."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from craftls import __version__
from craftls.cli import doctor_checks
from craftls.ops.state import STATE_VERSION, save_state


def test_cache_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAFTLS_CACHE_DIR", str(tmp_path))
    name, ok, message = doctor_checks.cache_format_readable()
    assert (name, ok) == ("cache format readable", True) and "no warm state" in message
    save_state(tmp_path / "warm-state.json", {"registry": {}})
    assert doctor_checks.cache_format_readable()[1] is True
    save_state(tmp_path / "warm-state.json", {}, version=STATE_VERSION + 1)
    _, ok, message = doctor_checks.cache_format_readable()
    assert not ok and f"format {STATE_VERSION + 1}" in message and "starts cold" in message
    (tmp_path / "warm-state.json").write_text("{torn")
    _, ok, message = doctor_checks.cache_format_readable()
    assert not ok and "unreadable" in message


def fake_server(folder: Path, prints: str) -> None:
    script = folder / ".venv" / "bin" / "craftls"
    script.parent.mkdir(parents=True)
    script.write_text(f"#!{sys.executable}\nprint({prints!r})\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_editor_finds_the_server_of_this_version(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _, ok, message = doctor_checks.editor_finds_server()
    assert not ok and "cannot start the server" in message
    fake_server(tmp_path, "craftls 0.0.1 (syntax layer: pure)")
    _, ok, message = doctor_checks.editor_finds_server()
    assert not ok and "craftls 0.0.1" in message and __version__ in message
    (tmp_path / ".venv" / "bin" / "craftls").unlink()
    (tmp_path / ".venv" / "bin").rmdir()
    (tmp_path / ".venv").rmdir()
    fake_server(tmp_path, f"craftls {__version__} (syntax layer: pure)")
    name, ok, message = doctor_checks.editor_finds_server()
    assert (name, ok) == ("editor finds the server", True), message


def test_definitions_must_parse_a_probe(monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no craft.toml: the bundled definitions
    name, ok, message = doctor_checks.definitions_valid()
    assert ok and "load and parse" in message

    import craftls.syntax.parse as parse_module

    def broken(definition: object, text: str) -> object:
        raise RecursionError("the parser of a bad upgrade")

    monkeypatch.setattr(parse_module, "parse", broken)
    _, ok, message = doctor_checks.definitions_valid()
    assert not ok and "RecursionError" in message


def test_doctor_json_lists_the_upgrade_checks(tmp_path: Path) -> None:
    import subprocess
    env = {**os.environ, "CRAFTLS_CACHE_DIR": str(tmp_path / "cache"),
           "CRAFTLS_LOG_DIR": str(tmp_path / "log"),
           "CRAFTLS_CONFIG_DIR": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-m", "craftls", "doctor", "--json"],
                          capture_output=True, text=True, timeout=120, env=env,
                          cwd=Path(__file__).resolve().parents[2])
    checks = {r["check"]: r["ok"] for r in json.loads(done.stdout)}
    assert {"definitions valid", "cache format readable",
            "editor finds the server"} <= set(checks)
