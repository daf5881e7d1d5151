"""Tuning settings of the server and their validation.

Settings arrive from three places with different shapes: the LSP
``workspace/configuration`` section ``craftls`` (usually nested, camelCase),
``initializationOptions["settings"]`` and the ``[settings]`` table of
``craft.toml`` (flat, snake_case). ``apply_settings`` accepts all of them and
never lets one bad value take the server down: an invalid value is reported and
the previous value kept.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

# Groups that may wrap settings without being part of their names, e.g.
# {"craftls": {"alerts": {"lspP95WarningMs": 300}}}.
_TRANSPARENT_GROUPS = frozenset({"craftls", "settings", "alerts", "tuning", "ops"})


def _spec(default: Any, *, minimum: float | None = None, maximum: float | None = None,
          doc: str = "") -> Any:
    """A dataclass field carrying its validation range and a description for docs/errors."""
    return field(default=default, metadata={"min": minimum, "max": maximum, "doc": doc})


def _names_spec(doc: str, *, one: bool = False) -> Any:
    """A field mapping a language id to names (``one``: to one name) (a frozen default:
    nothing is mutated)."""
    return field(default_factory=dict, metadata={"min": None, "max": None, "doc": doc,
                                                 "one": one})


@dataclass(frozen=True)
class Settings:
    """All tuning keys of the runbook, with production defaults."""

    # 50,000: a 10,000-line script has ~10,000 items and a keystroke asks for every one;
    # an LRU smaller than a file's items misses them all, each time (docs/performance.md)
    ast_cache_size: int = _spec(50_000, minimum=0, maximum=10_000_000,
                                doc="Syntax items (top-level items, and a main block's statements) whose name resolution is kept for reuse after an edit (entries).")
    type_inference_cache_ttl: int = _spec(3600, minimum=0, maximum=7 * 86_400,
                                          doc="Seconds an inferred type stays cached.")
    type_cache_size: int = _spec(50_000, minimum=0, maximum=10_000_000,
                                 doc="Entries in the type cache.")
    registry_cache_ttl: int = _spec(86_400, minimum=0, maximum=365 * 86_400,
                                    doc="Seconds registry metadata stays fresh.")
    registry_batch_size: int = _spec(100, minimum=1, maximum=10_000,
                                     doc="Packages asked for in one registry request.")
    circuit_breaker_threshold: int = _spec(10, minimum=1, maximum=10_000,
                                           doc="Consecutive failures that open a breaker.")
    circuit_breaker_reset_timeout: int = _spec(60, minimum=1, maximum=86_400,
                                               doc="Seconds an open breaker waits before a trial.")
    rate_limit_window: int = _spec(60, minimum=1, maximum=86_400,
                                   doc="Length of the rate-limit window in seconds.")
    rate_limit_requests: int = _spec(5000, minimum=1, maximum=10_000_000,
                                     doc="Registry requests allowed per window.")
    registry_request_timeout: int = _spec(120, minimum=1, maximum=86_400,
                                          doc="Seconds one registry request may take, body included.")
    registry_operation_timeout: int = _spec(900, minimum=1, maximum=7 * 86_400,
                                            doc="Seconds one lock or install may take, waits and retries included.")
    registry_retry_after_cap: int = _spec(60, minimum=0, maximum=86_400,
                                          doc="Longest Retry-After we wait; a registry asking for more fails at once with its hint.")
    registry_max_document_bytes: int = _spec(16 * 1024 * 1024, minimum=1024, maximum=1 << 34,
                                             doc="Largest registry JSON document read (decoded bytes).")
    registry_max_archive_bytes: int = _spec(50 * 1024 * 1024, minimum=1024, maximum=1 << 36,
                                            doc="Largest package archive downloaded (bytes).")
    audit_log_retention: int = _spec(7, minimum=1, maximum=3650,
                                     doc="Days of audit files kept (today included).")
    health_check_interval: int = _spec(30, minimum=1, maximum=86_400,
                                       doc="Seconds between periodic health checks.")
    memory_budget_mb: int = _spec(1024, minimum=16, maximum=1_048_576,
                                  doc="Resident memory the server may use (MiB).")
    lsp_p95_warning_ms: float = _spec(200.0, minimum=0, maximum=600_000,
                                      doc="p95 latency of any LSP method that means DEGRADED.")
    lsp_p95_critical_ms: float = _spec(1000.0, minimum=0, maximum=600_000,
                                       doc="p95 latency of any LSP method that means UNHEALTHY.")
    error_rate_warning: float = _spec(0.01, minimum=0, maximum=1,
                                      doc="Share of failed LSP requests that means DEGRADED.")
    error_rate_critical: float = _spec(0.05, minimum=0, maximum=1,
                                       doc="Share of failed LSP requests that means UNHEALTHY.")
    memory_warning: float = _spec(0.70, minimum=0, maximum=1,
                                  doc="Share of memory_budget_mb that means DEGRADED.")
    memory_critical: float = _spec(0.90, minimum=0, maximum=1,
                                   doc="Share of memory_budget_mb that means UNHEALTHY.")
    diagnostics_debounce_ms: int = _spec(150, minimum=0, maximum=10_000,
                                         doc="Quiet time after an edit before diagnostics run.")
    inlay_hints_types: bool = _spec(True, doc="Show inferred types as inlay hints.")
    # lua-language-server's ``diagnostics.globals``: a host's globals (LÖVE's ``love``,
    # Neovim's ``vim``) and those another file of the program defines are not in the file
    globals: dict[str, tuple[str, ...]] = _names_spec(
        "Extra global names per language id (`{\"lua\": [\"love\", \"vim\"]}`): known names, never undefined-name warnings.")
    # Free Pascal's compiler reads a file with no {$mode} in its own default mode, whose
    # comments nest; Delphi's and Turbo Pascal's never nest: which one is the user's
    modes: dict[str, str] = _names_spec(
        "The lexical mode per language id of files with no mode directive (`{\"turbopascal\": \"fpc\"}`); the definition's `default_mode` otherwise.",
        one=True)
    # the names a build defines (fpc -dNAME) and undefines (-uNAME) decide the
    # conditionals ({$IFDEF NAME}) of a language whose definition has them
    defines: dict[str, tuple[str, ...]] = _names_spec(
        "The build's defines per language id (`{\"turbopascal\": [\"MSWINDOWS\", \"-LINUX\"]}`; `-NAME` undefines): added to the definition's predefined names for `{$IFDEF}`-like conditionals.")

    def to_dict(self) -> dict[str, Any]:
        """Snake_case mapping of every setting (for craftls/stats and logs)."""
        return dataclasses.asdict(self)


# Pairs that must stay ordered: (warning, critical).
_ORDERED_PAIRS = (
    ("lsp_p95_warning_ms", "lsp_p95_critical_ms"),
    ("error_rate_warning", "error_rate_critical"),
    ("memory_warning", "memory_critical"),
)

_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}
_TYPES: dict[str, type] = {
    name: dict if f.default is dataclasses.MISSING else type(f.default)
    for name, f in _FIELDS.items()}
# settings whose value is a table keyed by language id: a nested mapping under them is
# their value, not more setting names
_TABLES = frozenset(name for name, t in _TYPES.items() if t is dict)


@dataclass(frozen=True)
class SettingInfo:
    """Describes one setting for docs and `craftls doctor`-style listings."""

    name: str
    camel_name: str
    type_name: str
    default: Any
    minimum: float | None
    maximum: float | None
    doc: str


def describe_settings() -> list[SettingInfo]:
    """Every setting with its type, default, range and description, in declaration order."""
    return [
        SettingInfo(name, snake_to_camel(name), _TYPES[name].__name__,
                    {} if f.default is dataclasses.MISSING else f.default,
                    f.metadata["min"], f.metadata["max"], f.metadata["doc"])
        for name, f in _FIELDS.items()
    ]


def camel_to_snake(key: str) -> str:
    """lspP95WarningMs -> lsp_p95_warning_ms; also accepts kebab-case and snake_case."""
    key = key.replace("-", "_")
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower()


def snake_to_camel(key: str) -> str:
    """lsp_p95_warning_ms -> lspP95WarningMs."""
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _flatten(raw: Mapping[str, Any], prefix: tuple[str, ...] = (),
             path_prefix: str = "") -> Iterator[tuple[str, str, Any]]:
    """Yield (snake_name, original_path, value) for every leaf of a nested mapping.

    Nesting is joined with ``_`` ({"registry": {"cacheTtl": 1}} -> registry_cache_ttl)
    and dotted keys count as nesting, the way editors and TOML spell sections. A table
    setting (``globals``) is one leaf: ``{"globals": {"lua": [...]}}``; a dotted key
    under it (``"globals.lua": [...]``) is that table with one entry.
    """
    for key, value in raw.items():
        words = [p for p in str(key).split(".") if p]
        parts = prefix + tuple(camel_to_snake(p) for p in words)
        path = f"{path_prefix}.{key}" if path_prefix else str(key)
        table = _resolve_name(parts[:-1]) if parts[:-1] else ""
        if table in _TABLES and words:
            yield table, path, {words[-1]: value}
        elif isinstance(value, Mapping) and _resolve_name(parts) not in _TABLES:
            yield from _flatten(value, parts, path)
        else:
            yield _resolve_name(parts), path, value


def _resolve_name(parts: tuple[str, ...]) -> str:
    """Map a key path to a field name, dropping wrapper groups such as ``craftls`` or ``alerts``."""
    joined = "_".join(parts)
    if joined in _FIELDS or not parts:
        return joined
    kept = "_".join(p for p in parts if p not in _TRANSPARENT_GROUPS)
    if kept in _FIELDS:
        return kept
    # {"registry": {"registryCacheTtl": ...}}: the leaf already carries the full name.
    return parts[-1] if parts[-1] in _FIELDS else kept or joined


def _coerce_table(value: Any, one: bool = False) -> tuple[Any, list[str]]:
    """A ``{language id: [name, ...]}`` table (``one``: ``{language id: name}``): (the
    entries that are right, what is wrong with the others). A table that is no mapping
    is (None, [reason])."""
    if not isinstance(value, Mapping):
        return None, [f"expected a table of language id -> {'name' if one else 'list of names'}"]
    table: dict[str, Any] = {}
    wrong: list[str] = []
    for language, names in value.items():
        if one:
            if _is_name(names):
                table[str(language)] = names
            else:
                wrong.append(f"'{language}': {names!r} is not a name")
            continue
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list | tuple):
            wrong.append(f"'{language}': expected a list of names, got {names!r}")
            continue
        good = tuple(n for n in names if _is_name(n))
        wrong.extend(f"'{language}': {n!r} is not a name" for n in names if n not in good)
        table[str(language)] = good
    return table, wrong


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not any(c.isspace() for c in value)


def _coerce(name: str, value: Any) -> tuple[Any, str | None]:
    """Check the type of one value; return (value, None) or (None, reason)."""
    expected = _TYPES[name]
    if expected is bool:
        if isinstance(value, bool):
            return value, None
        return None, "expected true or false"
    # bool is an int subclass in Python; `true` for a cache size is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, f"expected a number ({expected.__name__})"
    if isinstance(value, float) and not math.isfinite(value):
        return None, "expected a finite number"
    if expected is int:
        if isinstance(value, float) and not value.is_integer():
            return None, "expected a whole number"
        return int(value), None
    return float(value), None


def _check_range(name: str, value: Any) -> str | None:
    meta = _FIELDS[name].metadata
    lo, hi = meta["min"], meta["max"]
    if lo is not None and value < lo:
        return f"must be >= {lo}"
    if hi is not None and value > hi:
        return f"must be <= {hi}"
    return None


# the editor integrations' own settings, in the `craftls` section they send whole
# (docs/editors.md): how the client starts the server and polls it, not server settings
CLIENT_SIDE: Final = frozenset({"serverCommand", "pythonPath", "serverArgs",
                                "healthPolling", "trace"})


def _client_side(path: str) -> bool:
    """Is ``path`` (``craftls.serverCommand``, ``trace.server``) an editor's own setting?"""
    words = [w for w in path.split(".") if w]
    if words and words[0] == "craftls":
        words = words[1:]
    return bool(words) and words[0] in CLIENT_SIDE


def _unknown_message(name: str, path: str) -> str:
    guess = difflib.get_close_matches(name, list(_FIELDS), n=1, cutoff=0.6)
    hint = f"; did you mean '{snake_to_camel(guess[0])}' ({guess[0]})?" if guess else ""
    return f"unknown setting '{path}' ignored{hint}"


def apply_settings(current: Settings, raw: Mapping[str, Any] | None) -> tuple[Settings, list[str]]:
    """Merge `raw` into `current`; return the new settings and human-readable problems.

    Keys may be camelCase, snake_case or kebab-case, flat or nested. A value of
    ``None`` is skipped (clients send null for unset keys). Invalid values are
    reported as ``invalid setting 'key' = value: reason; keeping old`` and leave the
    current value in place; unknown keys get a did-you-mean suggestion.
    """
    if not raw:
        return current, []
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for name, path, value in _flatten(raw):
        if value is None:
            continue
        if name not in _FIELDS:
            if not _client_side(path):
                problems.append(_unknown_message(name, path))
            continue
        if name in _TABLES:
            table, wrong = _coerce_table(value, _FIELDS[name].metadata["one"])
            if table is None:
                problems.append(f"invalid setting '{path}' = {value!r}: {wrong[0]}; "
                                f"keeping {getattr(current, name)!r}")
                continue
            problems.extend(f"invalid setting '{path}': {w}; left out" for w in wrong)
            # the entries of one leaf ("globals.lua") join those of another
            changes[name] = {**changes.get(name, {}), **table}
            continue
        coerced, reason = _coerce(name, value)
        if reason is None:
            reason = _check_range(name, coerced)
        if reason is not None:
            old = getattr(current, name)
            problems.append(f"invalid setting '{path}' = {value!r}: {reason}; keeping {old!r}")
            continue
        changes[name] = coerced
    candidate = dataclasses.replace(current, **changes)
    return _enforce_order(current, candidate, changes, problems), problems


def _enforce_order(current: Settings, candidate: Settings, changes: Mapping[str, Any],
                   problems: list[str]) -> Settings:
    """A warning threshold above its critical one would make alerts nonsensical: revert the pair."""
    for low, high in _ORDERED_PAIRS:
        if getattr(candidate, low) <= getattr(candidate, high):
            continue
        if low not in changes and high not in changes:
            continue
        problems.append(
            f"invalid settings: {low} ({getattr(candidate, low)}) must not exceed "
            f"{high} ({getattr(candidate, high)}); keeping {getattr(current, low)} and "
            f"{getattr(current, high)}"
        )
        candidate = dataclasses.replace(
            candidate, **{low: getattr(current, low), high: getattr(current, high)}
        )
    return candidate


def globals_of(table: Mapping[str, Any]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The ``globals`` setting of a ``craft.toml`` ``[settings]`` table and what is wrong
    with it (its other settings are read where they are used)."""
    mine = {k: v for k, v in table.items() if camel_to_snake(str(k).split(".")[0]) == "globals"}
    settings, problems = apply_settings(Settings(), mine)
    return settings.globals, problems


def unknown_languages(table: Mapping[str, Any], known: set[str]) -> list[str]:
    """A problem for each language id of a ``globals`` table that no definition has."""
    return [f"setting 'globals': no language '{language}' (known: {', '.join(sorted(known))}); "
            f"its names {sorted(table[language])} are not used"
            for language in sorted(set(table) - known)]
