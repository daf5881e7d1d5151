"""The refusal every refactoring raises when it does not apply."""

from __future__ import annotations


class RefactorRefused(Exception):
    """The refactoring does not apply here; the message says why."""
