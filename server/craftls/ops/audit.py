"""The audit log: who did what, when, with which result.

Records are JSON Lines in ``<log dir>/audit-YYYY-MM-DD.jsonl`` (one file per UTC
day, older files than the retention deleted). Writing happens on a background
thread behind a bounded queue so the event loop never waits for the disk; when
the disk cannot keep up the oldest queued records are dropped and counted. Every
record is redacted before it is stored, kept in a bounded in-memory ring (for the
`craftls/auditLog` request) and handed to listeners (the `craftls/audit`
notification).
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from craftls.ops import paths
from craftls.ops.audit_files import audit_file_name, cleanup_old_files, read_audit
from craftls.ops.clock import Clock, parse_rfc3339, rfc3339, utc_day, wall
from craftls.ops.errors import classify
from craftls.ops.redact import redact, redact_text

log = logging.getLogger(__name__)

__all__ = ["AuditLog", "AuditRecord", "EventType", "Outcome", "read_audit"]


class EventType(StrEnum):
    """Known event types; any other string is accepted too."""

    SERVER = "server"
    CONFIG = "config"
    DEFINITION = "definition"
    REFACTOR = "refactor"
    FORMAT = "format"
    PACKAGE = "package"
    CACHE = "cache"
    HEALTH = "health"
    CIRCUIT_BREAKER = "circuit_breaker"
    RATE_LIMIT = "rate_limit"
    ERROR = "error"


class Outcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


@dataclass(frozen=True)
class AuditRecord:
    """One audit event, already redacted."""

    time: float  # POSIX timestamp; serialized as the RFC 3339 `timestamp`
    event_type: str
    action: str
    outcome: str
    actor: Mapping[str, Any] = field(default_factory=dict)
    target: str | None = None
    request_id: str | int | None = None
    duration_ms: float | None = None
    error_category: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timestamp": rfc3339(self.time),
            "event_type": self.event_type,
            "action": self.action,
            "outcome": self.outcome,
            "actor": dict(self.actor),
            "target": self.target,
            "request_id": self.request_id,
            "duration_ms": self.duration_ms,
            "error_category": self.error_category,
            "details": dict(self.details),
        }


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


AuditListener = Callable[[AuditRecord], Any]


class AuditLog:
    """Thread-safe audit log with a background writer. Call `close()` at shutdown."""

    def __init__(self, directory: str | os.PathLike[str] | None = None, *,
                 retention_days: int = 7, queue_size: int = 10_000, ring_size: int = 1_000,
                 clock: Clock = wall, write_files: bool = True) -> None:
        self.directory = paths.log_dir(directory)
        self._retention_days = retention_days
        self._queue_size = queue_size
        self._clock = clock
        self._write_files = write_files
        self._actor: dict[str, Any] = {"client": None, "clientVersion": None, "user": os_user()}
        self._ring: deque[AuditRecord] = deque(maxlen=ring_size)
        self._ring_lock = threading.Lock()
        self._listeners: list[AuditListener] = []
        # Writer state, all guarded by _cond.
        self._cond = threading.Condition()
        self._queue: deque[AuditRecord] = deque()
        self._enqueued = 0
        self._settled = 0  # written, failed or dropped
        self._closed = False
        self._thread: threading.Thread | None = None
        self._file: IO[str] | None = None
        self._file_day: str | None = None
        self.dropped = 0
        self.write_errors = 0

    # -- configuration ------------------------------------------------------

    def set_client(self, name: str | None, version: str | None = None) -> None:
        """Record the editor from `initialize` clientInfo as the actor of later events."""
        self._actor = {**self._actor, "client": name, "clientVersion": version}

    def set_retention(self, days: int) -> None:
        """Apply `audit_log_retention`; old files are removed on the next day switch or `cleanup()`."""
        self._retention_days = days

    def add_listener(self, listener: AuditListener) -> Callable[[], None]:
        """Call `listener(record)` for every record, in the recording thread."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # -- recording ----------------------------------------------------------

    def record(self, event_type: str, action: str, outcome: str = Outcome.SUCCESS, *,
               target: str | None = None, request_id: str | int | None = None,
               duration_ms: float | None = None, error_category: str | None = None,
               details: Mapping[str, Any] | None = None, error: BaseException | None = None,
               actor: Mapping[str, Any] | None = None) -> AuditRecord:
        """Record one event. Passing `error` sets the category from `classify` and the message."""
        details = dict(details or {})
        if error is not None:
            error_category = error_category or classify(error)[0].value
            details.setdefault("error", f"{type(error).__name__}: {error}")
            if outcome == Outcome.SUCCESS:
                outcome = Outcome.FAILURE
        rec = AuditRecord(
            time=self._clock(), event_type=str(event_type), action=action, outcome=str(outcome),
            actor=dict(actor) if actor is not None else dict(self._actor),
            target=redact_text(target) if target is not None else None,
            request_id=request_id,
            duration_ms=round(duration_ms, 3) if duration_ms is not None else None,
            error_category=str(error_category) if error_category is not None else None,
            details=redact(details),
        )
        with self._ring_lock:
            self._ring.append(rec)
        if self._write_files:
            self._enqueue(rec)
        self._notify(rec)
        return rec

    @contextmanager
    def timed(self, event_type: str, action: str, **fields: Any) -> Iterator[dict[str, Any]]:
        """Record an event with its duration when the block ends; an exception makes it a failure.

        The yielded dict is merged into `details`, so the block can add results.
        """
        extra: dict[str, Any] = {}
        start = time.perf_counter()
        try:
            yield extra
        except Exception as exc:
            self.record(event_type, action, Outcome.FAILURE, error=exc,
                        duration_ms=(time.perf_counter() - start) * 1000.0,
                        details={**fields.pop("details", {}), **extra}, **fields)
            raise
        self.record(event_type, action, Outcome.SUCCESS,
                    duration_ms=(time.perf_counter() - start) * 1000.0,
                    details={**fields.pop("details", {}), **extra}, **fields)

    def _notify(self, rec: AuditRecord) -> None:
        for listener in list(self._listeners):
            try:
                listener(rec)
            except Exception:
                log.exception("audit listener failed")

    # -- reading ------------------------------------------------------------

    def query(self, limit: int = 100, event_type: str | Iterable[str] | None = None,
              since: float | str | None = None) -> list[dict[str, Any]]:
        """The last `limit` records in memory (oldest first), optionally by type and time.

        `since` is a POSIX timestamp or an RFC 3339 string; records at or after it match.
        """
        types = {event_type} if isinstance(event_type, str) else (
            set(event_type) if event_type is not None else None)
        since_ts = parse_rfc3339(since) if isinstance(since, str) else since
        with self._ring_lock:
            items = list(self._ring)
        matched = [r for r in items
                   if (types is None or r.event_type in types)
                   and (since_ts is None or r.time >= since_ts)]
        return [r.to_dict() for r in matched[-limit:]] if limit > 0 else []

    # -- writer -------------------------------------------------------------

    def _enqueue(self, rec: AuditRecord) -> None:
        with self._cond:
            if self._closed:
                return
            if len(self._queue) >= self._queue_size:
                # The disk cannot keep up: keep the newest events, count what is lost.
                self._queue.popleft()
                self.dropped += 1
                self._settled += 1
            self._queue.append(rec)
            self._enqueued += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="craftls-audit",
                                                daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:  # closed and drained
                    break
                batch = list(self._queue)
                self._queue.clear()
            self._write_batch(batch)
            with self._cond:
                self._settled += len(batch)
                self._cond.notify_all()
        self._close_file()

    def _write_batch(self, batch: list[AuditRecord]) -> None:
        for rec in batch:
            try:
                stream = self._stream_for(utc_day(rec.time))
                stream.write(json.dumps(rec.to_dict(), ensure_ascii=False, default=str) + "\n")
            except OSError as exc:
                self._write_failed(exc)
        try:
            if self._file is not None:
                self._file.flush()
        except OSError as exc:
            self._write_failed(exc)

    def _write_failed(self, exc: OSError) -> None:
        self.write_errors += 1
        # Warn on the first failure and then rarely: a full disk must not flood the log.
        if self.write_errors == 1 or self.write_errors % 1000 == 0:
            log.warning("cannot write audit log in %s (%d failures): %s",
                        self.directory, self.write_errors, exc)

    def _stream_for(self, day: str) -> IO[str]:
        if self._file is not None and self._file_day == day:
            return self._file
        self._close_file()
        self.directory.mkdir(parents=True, exist_ok=True)
        self._file = open(self.directory / audit_file_name(day), "a", encoding="utf-8")
        self._file_day = day
        self.cleanup()  # a new day: a good moment to drop expired files
        return self._file

    def _close_file(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except OSError as exc:
                self._write_failed(exc)
            self._file = self._file_day = None

    def cleanup(self) -> list[Path]:
        """Delete audit files older than the retention; returns the removed paths."""
        return cleanup_old_files(self.directory, self._retention_days, self._clock())

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything recorded so far is on disk (or dropped); False on timeout."""
        with self._cond:
            target = self._enqueued
            return self._cond.wait_for(lambda: self._settled >= target, timeout)

    def close(self, timeout: float = 5.0) -> bool:
        """Flush, stop the writer and close the file. Idempotent; later records stay in memory."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def stats(self) -> dict[str, Any]:
        """Counters for craftls/stats and the health checks."""
        with self._cond:
            queued = len(self._queue)
        return {"directory": str(self.directory), "queued": queued, "dropped": self.dropped,
                "writeErrors": self.write_errors, "retentionDays": self._retention_days}
