"""Where craftls keeps its logs, caches and configuration.

Each directory can be overridden by an environment variable so tests, CI and
sandboxed editors never touch the real home directory.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "craftls"
LOG_DIR_ENV = "CRAFTLS_LOG_DIR"
CACHE_DIR_ENV = "CRAFTLS_CACHE_DIR"
CONFIG_DIR_ENV = "CRAFTLS_CONFIG_DIR"


def _resolve(explicit: str | os.PathLike[str] | None, env: str, kind: str) -> Path:
    # Precedence: an explicit argument (CLI flag), then the environment, then the platform
    # default. platformdirs (with tempfile and its platform module) is imported only for
    # the default: a command started with the folder set does without it (start-up).
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(env)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs
    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME))


def log_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The audit/log directory: argument, else $CRAFTLS_LOG_DIR, else user_log_dir("craftls")."""
    return _resolve(explicit, LOG_DIR_ENV, "log")


def cache_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The cache directory: argument, else $CRAFTLS_CACHE_DIR, else user_cache_dir("craftls")."""
    return _resolve(explicit, CACHE_DIR_ENV, "cache")


def config_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The configuration directory: argument, else $CRAFTLS_CONFIG_DIR, else user_config_dir."""
    return _resolve(explicit, CONFIG_DIR_ENV, "config")
