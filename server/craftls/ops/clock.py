"""Clock types and time formatting shared by the ops modules.

Every ops class takes its clocks as arguments so tests can drive time by hand:
a *monotonic* clock for windows and timeouts (immune to wall-clock jumps) and a
*wall* clock for timestamps that people read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], float]

monotonic: Clock = time.monotonic
wall: Clock = time.time


def rfc3339(ts: float) -> str:
    """Format a POSIX timestamp as RFC 3339 UTC with milliseconds, e.g. 2025-01-05T12:00:00.000Z."""
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_rfc3339(text: str) -> float:
    """Parse an RFC 3339 timestamp (``Z`` or an offset) back to a POSIX timestamp."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        # A naive time from a user is taken as UTC, the only zone the audit log writes.
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def utc_day(ts: float) -> str:
    """The UTC calendar day of a timestamp as YYYY-MM-DD (audit files rotate on it)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")
