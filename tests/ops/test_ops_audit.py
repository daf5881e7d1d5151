from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from craftls.ops.audit import AuditLog, AuditRecord, EventType, Outcome
from craftls.ops.audit_files import audit_files, read_audit, verify_audit_dir
from craftls.ops.redact import REDACTED, redact

DAY = 86_400.0


def ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def audit(tmp_path: Path, clock):
    log = AuditLog(tmp_path / "audit", clock=clock)
    yield log
    log.close()


def test_record_fields_and_file(audit: AuditLog, clock, tmp_path: Path) -> None:
    clock.now = ts("2025-01-05T12:00:00")
    audit.set_client("Visual Studio Code", "1.90.0")
    audit.record(EventType.REFACTOR, "rename", target="file:///a.pas", request_id=7,
                 duration_ms=12.3456, details={"newName": "y"})
    assert audit.flush()
    [rec] = lines(tmp_path / "audit" / "audit-2025-01-05.jsonl")
    assert rec == {
        "timestamp": "2025-01-05T12:00:00.000Z", "event_type": "refactor", "action": "rename",
        "outcome": "success",
        "actor": {"client": "Visual Studio Code", "clientVersion": "1.90.0",
                  "user": rec["actor"]["user"]},
        "target": "file:///a.pas", "request_id": 7, "duration_ms": 12.346,
        "error_category": None, "details": {"newName": "y"},
    }
    assert rec["actor"]["user"]


def test_error_sets_category_and_failure(audit: AuditLog) -> None:
    rec = audit.record("package", "install", error=TimeoutError("registry slow"))
    assert rec.outcome == "failure" and rec.error_category == "timeout"
    assert "registry slow" in rec.details["error"]


def test_rotation_by_utc_day(audit: AuditLog, clock, tmp_path: Path) -> None:
    clock.now = ts("2025-01-05T23:59:59")
    audit.record("server", "start")
    clock.advance(2)  # past midnight UTC
    audit.record("server", "ping")
    audit.record("server", "stop")
    assert audit.flush()
    names = [p.name for p in audit_files(tmp_path / "audit")]
    assert names == ["audit-2025-01-05.jsonl", "audit-2025-01-06.jsonl"]
    assert [r["action"] for r in lines(tmp_path / "audit" / names[1])] == ["ping", "stop"]


def test_retention_cleanup(tmp_path: Path, clock) -> None:
    folder = tmp_path / "audit"
    folder.mkdir()
    for day in ["2024-12-28", "2024-12-29", "2024-12-30", "2025-01-04"]:
        (folder / f"audit-{day}.jsonl").write_text("{}\n")
    (folder / "notes.txt").write_text("keep me")
    (folder / "audit-2020-01-01.jsonl.bak").write_text("keep me")
    clock.now = ts("2025-01-05T10:00:00")
    log = AuditLog(folder, retention_days=7, clock=clock)
    log.record("server", "start")  # opening today's file runs the cleanup
    assert log.flush()
    log.close()
    remaining = sorted(p.name for p in folder.iterdir())
    # 7 days kept: 2024-12-30 .. 2025-01-05
    assert remaining == ["audit-2020-01-01.jsonl.bak", "audit-2024-12-30.jsonl",
                         "audit-2025-01-04.jsonl", "audit-2025-01-05.jsonl", "notes.txt"]


def test_redaction_everywhere(audit: AuditLog, tmp_path: Path) -> None:
    seen: list[AuditRecord] = []
    audit.add_listener(seen.append)
    rec = audit.record(
        "config", "apply", target="https://bob:hunter2@registry.example/x",
        details={"registryToken": "abc", "password": "p", "headers": {"Authorization": "x"},
                 "note": "sent Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "tokenCount": 5,
                 "nested": [{"client_secret": "s"}]})
    assert audit.flush()
    stored = lines(audit_files(tmp_path / "audit")[0])[0]
    for r in (rec.to_dict(), stored, seen[0].to_dict(), audit.query()[0]):
        text = json.dumps(r)
        assert "abc" not in text and "hunter2" not in text and "eyJhbGci" not in text
        assert r["details"]["registryToken"] == REDACTED
        assert r["details"]["headers"]["Authorization"] == REDACTED
        assert r["details"]["nested"][0]["client_secret"] == REDACTED
        assert r["details"]["tokenCount"] == 5  # lexer tokens are not secrets
        assert r["details"]["note"] == f"sent Bearer {REDACTED}"


def test_redact_plain_values() -> None:
    assert redact({"api_key": None}) == {"api_key": None}
    assert redact(("Basic dXNlcjpwYXNz",)) == [f"Basic {REDACTED}"]
    assert redact(3) == 3


def test_query_filters_and_ring_bound(tmp_path: Path, clock) -> None:
    log = AuditLog(tmp_path, ring_size=5, clock=clock, write_files=False)
    start = clock.now
    for i in range(8):
        log.record("config" if i % 2 else "format", f"a{i}")
        clock.advance(10)
    assert [r["action"] for r in log.query()] == ["a3", "a4", "a5", "a6", "a7"]
    assert [r["action"] for r in log.query(limit=2)] == ["a6", "a7"]
    assert [r["action"] for r in log.query(event_type="config")] == ["a3", "a5", "a7"]
    assert [r["action"] for r in log.query(event_type=["config", "format"], limit=1)] == ["a7"]
    assert [r["action"] for r in log.query(since=start + 60)] == ["a6", "a7"]
    since_text = datetime.fromtimestamp(start + 60, UTC).isoformat().replace("+00:00", "Z")
    assert [r["action"] for r in log.query(since=since_text)] == ["a6", "a7"]
    assert log.query(limit=0) == []
    assert not list(tmp_path.iterdir())  # write_files=False writes nothing


def test_listener_errors_are_contained(audit: AuditLog) -> None:
    def bad(_: AuditRecord) -> None:
        raise RuntimeError("listener bug")

    audit.add_listener(bad)
    got: list[AuditRecord] = []
    unsubscribe = audit.add_listener(got.append)
    audit.record("server", "x")
    unsubscribe()
    audit.record("server", "y")
    assert [r.action for r in got] == ["x"]


def test_writer_runs_off_the_calling_thread(audit: AuditLog, monkeypatch) -> None:
    threads: set[str] = set()
    original = AuditLog._write_batch

    def spy(self, batch):
        threads.add(threading.current_thread().name)
        return original(self, batch)

    monkeypatch.setattr(AuditLog, "_write_batch", spy)
    audit.record("server", "start")
    assert audit.flush()
    assert threads == {"craftls-audit"}


def test_full_queue_drops_oldest_and_counts(tmp_path: Path, clock, monkeypatch) -> None:
    gate = threading.Event()
    original = AuditLog._write_batch

    def slow(self, batch):
        gate.wait(5)
        return original(self, batch)

    monkeypatch.setattr(AuditLog, "_write_batch", slow)
    log = AuditLog(tmp_path, queue_size=3, clock=clock)
    log.record("server", "r0")  # taken by the writer, which then blocks on the gate
    deadline = 100
    while log.stats()["queued"] and deadline:
        deadline -= 1
        threading.Event().wait(0.01)
    for i in range(1, 7):
        log.record("server", f"r{i}")
    assert log.dropped == 3
    gate.set()
    assert log.flush()
    log.close()
    actions = [r["action"] for r in lines(audit_files(tmp_path)[0])]
    assert actions == ["r0", "r4", "r5", "r6"]
    assert len(log.query()) == 7  # memory ring keeps everything


def test_flush_and_close_are_safe(tmp_path: Path, clock) -> None:
    log = AuditLog(tmp_path, clock=clock)
    assert log.flush() and log.close()  # nothing recorded: no thread
    log = AuditLog(tmp_path, clock=clock)
    log.record("server", "start")
    assert log.close() and log.close()  # idempotent, drained before stopping
    assert len(lines(audit_files(tmp_path)[0])) == 1
    log.record("server", "late")  # after close: memory only
    assert log.query()[-1]["action"] == "late"
    assert len(lines(audit_files(tmp_path)[0])) == 1


def test_unwritable_dir_counts_errors(tmp_path: Path, clock) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a dir")
    log = AuditLog(blocker / "audit", clock=clock)
    log.record("server", "start")
    assert log.flush()
    log.close()
    assert log.write_errors >= 1
    assert log.query()[0]["action"] == "start"


def test_default_dir_honours_env(tmp_path: Path) -> None:
    assert AuditLog().directory == tmp_path / "env-log"


def test_timed_records_duration_and_failure(audit: AuditLog) -> None:
    with audit.timed("format", "document", target="a.pas") as extra:
        extra["edits"] = 3
    with pytest.raises(ValueError), audit.timed("format", "document"):
        raise ValueError("bad")
    ok, failed = audit.query()
    assert ok["outcome"] == Outcome.SUCCESS and ok["details"] == {"edits": 3}
    assert ok["duration_ms"] is not None and ok["target"] == "a.pas"
    assert failed["outcome"] == "failure" and failed["error_category"] == "validation"


def _write_day(folder: Path, day: str, actions: list[str]) -> Path:
    path = folder / f"audit-{day}.jsonl"
    with path.open("a") as f:
        for a in actions:
            f.write(json.dumps({"timestamp": f"{day}T00:00:00.000Z", "action": a}) + "\n")
    return path


def test_read_audit_last_n_across_files(tmp_path: Path) -> None:
    _write_day(tmp_path, "2025-01-04", ["a", "b", "c"])
    path = _write_day(tmp_path, "2025-01-05", ["d", "e"])
    with path.open("a") as f:
        f.write("not json\n{\"action\": \"partial")  # garbage, then a half-written line
    assert [r["action"] for r in read_audit(tmp_path, 3)] == ["c", "d", "e"]
    assert [r["action"] for r in read_audit(tmp_path, 100)] == ["a", "b", "c", "d", "e"]
    assert list(read_audit(tmp_path, 0)) == []
    assert list(read_audit(tmp_path / "missing", 5)) == []


def test_read_audit_follow(tmp_path: Path) -> None:
    path = _write_day(tmp_path, "2025-01-05", ["a"])
    with path.open("a") as f:
        f.write('{"action": "b"')  # half written when tail starts
    def finish_line() -> None:
        with path.open("a") as f:
            f.write('}\n{"action": "c"}\n')

    steps = iter([
        finish_line,
        lambda: _write_day(tmp_path, "2025-01-06", ["d"]),
        lambda: None,
    ])
    polls = []

    def sleep(_: float) -> None:
        polls.append(1)
        next(steps, lambda: None)()

    got = [r["action"] for r in read_audit(tmp_path, 1, follow=True, stop=lambda: len(polls) >= 3,
                                           sleep=sleep)]
    assert got == ["a", "b", "c", "d"]


def test_verify_audit_dir(tmp_path: Path) -> None:
    _write_day(tmp_path, "2025-01-05", ["a", "b"])
    assert verify_audit_dir(tmp_path).ok
    (tmp_path / "audit-2025-01-06.jsonl").write_text("garbage\n")
    report = verify_audit_dir(tmp_path)
    assert not report.ok and report.malformed == 1 and report.records == 2 and report.files == 2
