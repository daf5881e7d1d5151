from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from craftls.cli import ops_cmd
from craftls.ops.audit import AuditLog


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="craftls")
    ops_cmd.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def run(argv: list[str]) -> tuple[int, str]:
    args = parse(argv)
    out = io.StringIO()
    return args.func(args, out), out.getvalue()


@pytest.fixture(autouse=True)
def _no_extra_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ops_cmd, "DOCTOR_CHECKS", [])


def test_audit_tail_prints_last_records(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "logs")
    for action in ["a", "b", "c"]:
        log.record("config", action, duration_ms=1.0)
    log.close()
    code, out = run(["audit", "tail", "-n", "2", "--log-dir", str(tmp_path / "logs")])
    assert code == 0
    assert [ln.split("  ")[2] for ln in out.splitlines()] == ["b", "c"]
    code, out = run(["audit", "tail", "--json", "--log-dir", str(tmp_path / "logs")])
    assert [json.loads(ln)["action"] for ln in out.splitlines()] == ["a", "b", "c"]


def test_audit_tail_uses_env_dir_and_fails_without_logs(tmp_path: Path) -> None:
    code, _ = run(["audit", "tail"])
    assert code == 1
    log = AuditLog()  # $CRAFTLS_LOG_DIR from conftest
    log.record("server", "start")
    log.close()
    code, out = run(["audit", "tail"])
    assert code == 0 and "start" in out


def test_audit_requires_subcommand() -> None:
    with pytest.raises(SystemExit):
        parse(["audit"])


def test_doctor_ok(tmp_path: Path) -> None:
    code, out = run(["doctor"])
    assert code == 0, out
    assert "log dir writable" in out and "audit log readable" in out
    assert "all checks passed" in out


def test_doctor_fails_on_bad_audit_and_unwritable_dir(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "audit-2025-01-05.jsonl").write_text("garbage\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    code, out = run(["doctor", "--log-dir", str(logs), "--cache-dir", str(blocker)])
    assert code == 1
    rows = {ln.split()[1]: ln.split()[0] for ln in out.splitlines()[1:] if ln.strip()
            and ln.split()[0] in ("ok", "FAIL")}
    assert rows == {"log": "ok", "cache": "FAIL", "config": "ok", "audit": "FAIL"}
    assert "2 problem(s) found" in out


def test_doctor_extra_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    def definitions() -> tuple[str, bool, str]:
        return "definitions valid", True, "3 languages"

    def registry() -> tuple[str, bool, str]:
        raise ConnectionError("no route")

    monkeypatch.setattr(ops_cmd, "DOCTOR_CHECKS", [definitions])
    code, out = run(["doctor"])
    assert code == 0 and "3 languages" in out
    ops_cmd.DOCTOR_CHECKS.append(registry)
    code, out = run(["doctor", "--json"])
    results = json.loads(out)
    assert code == 1
    assert results[-1] == {"check": "registry", "ok": False,
                           "message": "check raised ConnectionError: no route"}
