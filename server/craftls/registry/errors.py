"""Exceptions raised by the registry subsystem.

Each class tells the caller what to do next: retry later (``RegistryUnavailable``,
``RateLimited``, ``CircuitOpen``), fall back to cached data, fix the request
(``NotFound``, ``ResolutionConflict``) or refuse the data (``IntegrityError``,
``UnsafeArchive``).
"""

from __future__ import annotations


class RegistryError(Exception):
    """Base class: something in the registry subsystem failed."""

    #: True when the same call may succeed later without any change by the user.
    retryable: bool = False


class FormatError(RegistryError):
    """A registry document, manifest, craft.toml or craft.lock is malformed."""


class NotFound(RegistryError):
    """The registry answered that the document or package does not exist (never retried)."""


class AccessDenied(RegistryError):
    """The registry refused the request (401/403): set CRAFTLS_REGISTRY_TOKEN."""


class IntegrityError(RegistryError):
    """Downloaded bytes do not match the expected sha256; nothing was cached."""


class UnsafeArchive(RegistryError):
    """An archive tried to escape its folder, carried links/devices, or is too big."""


class TooLarge(RegistryError):
    """A document or archive is bigger than the configured maximum; reading stopped there."""


class UnsafeURL(RegistryError):
    """A URL from a registry document or craft.lock uses a scheme we do not fetch (only
    http(s), and ``file://`` for a registry configured as a local path)."""


class RegistryUnavailable(RegistryError):
    """Transport errors or 5xx answers persisted after retries; try again later."""

    retryable = True


class RateLimited(RegistryUnavailable):
    """The request would wait too long for the per-host rate limit (or the host sent 429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CircuitOpen(RegistryUnavailable):
    """The host failed repeatedly; calls are rejected until the next probe time."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotCached(RegistryError):
    """Offline (or the registry is down) and no cached copy exists: go online once."""


class ResolutionConflict(RegistryError):
    """The dependency requirements cannot be satisfied; the message explains why."""
