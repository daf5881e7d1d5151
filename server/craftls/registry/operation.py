"""The operation a registry request belongs to: its deadline and where waits are told.

A ``lock`` or ``install`` is one operation with one deadline; every request, retry
wait and rate-limit pause inside it draws on the time left, so nothing waits past
it, and a server asking for longer fails at once with its hint. A context variable
carries the operation into the tasks ``asyncio.gather`` starts, without threading
it through every call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

Notice = Callable[[str], None]


@dataclass(frozen=True)
class Operation:
    """``deadline`` is on the client's clock; ``notice`` shows a message to the user."""

    deadline: float
    notice: Notice | None = None


_current: ContextVar[Operation | None] = ContextVar("craftls_registry_operation",
                                                    default=None)


def current_operation() -> Operation | None:
    return _current.get()


@contextmanager
def operation_scope(op: Operation) -> Iterator[Operation]:
    """Make ``op`` the current operation for this task and the tasks it starts."""
    token = _current.set(op)
    try:
        yield op
    finally:
        _current.reset(token)
