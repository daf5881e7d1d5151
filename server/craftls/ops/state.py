"""A small JSON "warm state" file, so the next start can skip cold work.

Typical content: the definitions last loaded, open workspace folders, the
registry index version. Writes are atomic (temp file + fsync + os.replace): a
crash mid-write leaves the previous state, never a torn file. Anything unreadable
is treated as "no state" (a cold start), never as an error.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from craftls.ops import paths
from craftls.ops.clock import Clock, rfc3339, wall

log = logging.getLogger(__name__)

STATE_VERSION = 1
STATE_FILE = "warm-state.json"


def default_state_path() -> Path:
    """`<cache dir>/warm-state.json` ($CRAFTLS_CACHE_DIR honoured)."""
    return paths.cache_dir() / STATE_FILE


def save_state(path: str | os.PathLike[str], data: Mapping[str, Any], *,
               version: int = STATE_VERSION, clock: Clock = wall) -> None:
    """Atomically write `data` (JSON-serialisable) wrapped with its format version."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    envelope = {"version": version, "savedAt": rfc3339(clock()), "data": dict(data)}
    text = json.dumps(envelope, ensure_ascii=False, indent=1, sort_keys=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())  # the data must be on disk before the rename publishes it
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_state(path: str | os.PathLike[str], *, version: int = STATE_VERSION) -> dict[str, Any] | None:
    """The saved data, or None when missing, corrupt or of another format version."""
    try:
        envelope = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable warm state %s: %s", path, exc)
        return None
    if not isinstance(envelope, dict) or envelope.get("version") != version:
        log.info("ignoring warm state %s of another format version", path)
        return None
    data = envelope.get("data")
    return data if isinstance(data, dict) else None
