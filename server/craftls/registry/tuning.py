"""The registry client settings that come from the tuning settings (``ops.settings``),
read the same way by the server and the CLI: craft.toml's ``[settings]`` over the
defaults (the server puts them over its client's settings).
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

from ..ops.settings import Settings, apply_settings
from .config import Limits, RegistryConfig
from .workspace import CONFIG_NAME

_INDEX_TTL_DEFAULT: float = next(float(f.default) for f in dataclasses.fields(RegistryConfig)
                                 if f.name == "index_ttl" and isinstance(f.default, int | float))


def config_overrides(settings: Settings) -> dict[str, Any]:
    """RegistryConfig keyword arguments for ``settings``."""
    base = Limits()
    return {"breaker_failures": settings.circuit_breaker_threshold,
            "breaker_reset": float(settings.circuit_breaker_reset_timeout),
            "rate_limit": float(settings.rate_limit_requests),
            "rate_period": float(settings.rate_limit_window),
            "batch_size": settings.registry_batch_size,
            "registry_cache_ttl": float(settings.registry_cache_ttl),
            # metadata is revalidated after 5 minutes, or sooner if registryCacheTtl says so
            "index_ttl": min(_INDEX_TTL_DEFAULT, float(settings.registry_cache_ttl)),
            "request_timeout": float(settings.registry_request_timeout),
            "operation_timeout": float(settings.registry_operation_timeout),
            "retry_after_cap": float(settings.registry_retry_after_cap),
            "limits": dataclasses.replace(
                base, max_document_bytes=settings.registry_max_document_bytes,
                max_archive_bytes=settings.registry_max_archive_bytes)}


def workspace_settings(root: Path | None, base: Settings | None = None
                       ) -> tuple[Settings, list[str]]:
    """``base`` (default: the defaults) with ``root/craft.toml``'s ``[settings]`` applied,
    and the problems found (each names craft.toml; a bad value keeps the old one)."""
    settings = base or Settings()
    if root is None:
        return settings, []
    path = Path(root) / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return settings, []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return settings, [f"{path}: {exc}; using the settings as they were"]
    table = data.get("settings", {})
    if not isinstance(table, dict):
        return settings, [f"{path}: [settings] must be a table; ignored"]
    settings, problems = apply_settings(settings, table)
    return settings, [f"{path} [settings]: {p}" for p in problems]
