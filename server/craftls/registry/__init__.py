"""Package registry: static format, layered async client, resolver, lock file and store.

Architecture invariant: pure Python, never imports pygls; nothing from a package is
executed. The language server's analysis only needs :func:`list_installed_exports` and
:func:`module_named` (its module resolver keeps what they read); the CLI lives in
``craftls.cli.registry_cmd``.
"""

from .client import RegistryClient, RegistryDocument
from .config import RegistryConfig, default_cache_dir
from .errors import (
    AccessDenied,
    CircuitOpen,
    FormatError,
    IntegrityError,
    NotCached,
    NotFound,
    RateLimited,
    RegistryError,
    RegistryUnavailable,
    ResolutionConflict,
    UnsafeArchive,
)
from .installer import (
    install_workspace,
    list_installed_definitions,
    list_installed_exports,
    lock_workspace,
    module_named,
    resolve_module,
)

__all__ = [
    "AccessDenied", "CircuitOpen", "RegistryDocument", "FormatError", "IntegrityError", "NotCached",
    "NotFound", "RateLimited", "RegistryClient", "RegistryConfig", "RegistryError",
    "RegistryUnavailable", "ResolutionConflict", "UnsafeArchive", "default_cache_dir",
    "install_workspace", "list_installed_definitions", "list_installed_exports",
    "lock_workspace", "module_named", "resolve_module",
]
