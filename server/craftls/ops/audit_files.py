"""Audit log files on disk: naming by UTC day, retention, reading and tailing.

Kept apart from the writer so the CLI (`craftls audit tail`, `craftls doctor`)
can read logs without starting a writer thread.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

_NAME = re.compile(r"^audit-(\d{4}-\d{2}-\d{2})\.jsonl$")


def audit_file_name(day: str) -> str:
    """`audit-YYYY-MM-DD.jsonl` for a UTC day string."""
    return f"audit-{day}.jsonl"


def _file_day(path: Path) -> date | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def audit_files(directory: str | os.PathLike[str]) -> list[Path]:
    """Audit files in `directory`, oldest day first (other files are ignored)."""
    try:
        candidates = list(Path(directory).iterdir())
    except OSError:
        return []
    dated = [(day, p) for p in candidates if (day := _file_day(p)) is not None]
    return [p for _, p in sorted(dated)]


def cleanup_old_files(directory: str | os.PathLike[str], retention_days: int,
                      now: float) -> list[Path]:
    """Delete audit files of days older than `retention_days` (today counts as one day).

    Only files named like audit files are touched, never anything else in the folder.
    """
    today = datetime.fromtimestamp(now, UTC).date()
    removed = []
    for path in audit_files(directory):
        day = _file_day(path)
        if day is not None and (today - day).days >= retention_days:
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                continue  # another process removed it, or it is locked: try next time
    return removed


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _complete_lines(data: bytes) -> tuple[list[bytes], int]:
    """Split off whole lines; a trailing partial line (being written) is left for later."""
    end = data.rfind(b"\n") + 1
    return [ln for ln in data[:end].split(b"\n") if ln.strip()], end


def _last_records(files: list[Path], n: int) -> tuple[list[dict[str, Any]], int]:
    """The last `n` records across files, and the end of whole lines in the newest file.

    The offset comes from the same read as the records, so a line appended in
    between is neither lost nor shown twice when following.
    """
    records: deque[dict[str, Any]] = deque()
    newest_end = 0
    for index, path in enumerate(reversed(files)):
        if len(records) >= n and index > 0:
            break
        try:
            lines, end = _complete_lines(path.read_bytes())
        except OSError:
            continue
        if index == 0:
            newest_end = end
        wanted = n - len(records)
        if wanted > 0:
            parsed = [r for ln in lines if (r := _parse(ln)) is not None]
            records.extendleft(reversed(parsed[-wanted:]))
    return list(records), newest_end


def read_audit(directory: str | os.PathLike[str], n: int = 20, follow: bool = False, *,
               poll_interval: float = 0.5, stop: Callable[[], bool] | None = None,
               sleep: Callable[[float], None] = time.sleep) -> Iterator[dict[str, Any]]:
    """Yield the last `n` audit records (oldest first); with `follow`, then new ones as written.

    Following switches to the next day's file when it appears. Malformed lines are
    skipped. `stop` and `sleep` let tests drive the follow loop.
    """
    files = audit_files(directory)
    records, offset = _last_records(files, max(n, 0))
    yield from records
    if not follow:
        return
    current = files[-1] if files else None
    while stop is None or not stop():
        if current is not None:
            new_records, offset = _read_from(current, offset)
            yield from new_records
        newest = audit_files(directory)
        if newest and newest[-1] != current:
            current, offset = newest[-1], 0  # a new UTC day began: read it from the start
            continue
        sleep(poll_interval)


def _read_from(path: Path, offset: int) -> tuple[list[dict[str, Any]], int]:
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            if f.tell() < offset:  # truncated or replaced: start over
                offset = 0
            f.seek(offset)
            data = f.read()
    except OSError:
        return [], offset
    lines, consumed = _complete_lines(data)
    return [r for ln in lines if (r := _parse(ln)) is not None], offset + consumed


@dataclass
class AuditDirReport:
    """What `craftls doctor` reports about the audit folder."""

    directory: Path
    files: int = 0
    records: int = 0
    malformed: int = 0
    unreadable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unreadable and self.malformed == 0


def verify_audit_dir(directory: str | os.PathLike[str]) -> AuditDirReport:
    """Read every audit file and count records, malformed lines and unreadable files."""
    report = AuditDirReport(Path(directory))
    for path in audit_files(directory):
        report.files += 1
        try:
            lines, _ = _complete_lines(path.read_bytes())
        except OSError as exc:
            report.unreadable.append(f"{path.name}: {exc.strerror or exc}")
            continue
        for line in lines:
            if _parse(line) is None:
                report.malformed += 1
            else:
                report.records += 1
    return report
