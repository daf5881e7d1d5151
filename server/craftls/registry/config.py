"""Registry client settings, the cache location and the redacted auth token."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

TOKEN_ENV = "CRAFTLS_REGISTRY_TOKEN"
CACHE_DIR_ENV = "CRAFTLS_CACHE_DIR"


class Secret:
    """Holds a credential; its repr/str never reveal the value, so logs stay clean."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the raw value; call only where the header is built."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def default_cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Argument beats ``CRAFTLS_CACHE_DIR`` beats the platform user cache dir."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_cache_dir("craftls")) / "registry"


def token_from_env() -> Secret | None:
    """Read the token from ``CRAFTLS_REGISTRY_TOKEN`` (empty means none)."""
    value = os.environ.get(TOKEN_ENV, "").strip()
    return Secret(value) if value else None


@dataclass(frozen=True)
class Limits:
    """Caps that stop a hostile or broken download from filling the disk or memory."""

    max_archive_bytes: int = 50 * 1024 * 1024
    max_document_bytes: int = 16 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_files: int = 10_000


@dataclass(frozen=True)
class RegistryConfig:
    """Everything the client needs; defaults follow docs/registry.md."""

    cache_dir: Path = field(default_factory=default_cache_dir)
    token: Secret | None = field(default_factory=token_from_env)
    offline: bool = False
    # rate limiting (per host)
    rate_limit: float = 5000
    rate_period: float = 60.0
    max_rate_wait: float = 10.0
    retry_after_cap: float = 60.0
    # circuit breaker (per host)
    breaker_failures: int = 10
    breaker_reset: float = 60.0
    # retries
    max_attempts: int = 4
    backoff_base: float = 0.2
    backoff_max: float = 10.0
    backoff_jitter: float = 0.5
    # caching
    registry_cache_ttl: float = 86_400.0
    index_ttl: float = 300.0
    cache_size: int = 4096
    batch_size: int = 100
    # transport
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    #: total seconds for one attempt (headers and whole body): a server dripping a
    #: byte every few seconds never trips ``read_timeout`` but trips this
    request_timeout: float = 120.0
    #: total seconds for one lock/install/search: every wait and retry draws on it
    operation_timeout: float = 900.0
    #: a host that failed after its retries is not asked again by this client (the
    #: CLI: one run); the server relies on its breakers and probes instead
    remember_failures: bool = False
    limits: Limits = field(default_factory=Limits)
