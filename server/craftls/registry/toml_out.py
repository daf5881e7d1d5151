"""The little TOML writing craftls needs (tomllib only reads; no extra dependency)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def string(value: str) -> str:
    """A TOML basic string. JSON escapes are valid TOML escapes when non-ASCII stays raw;
    TOML also forbids a raw DEL (found by the hypothesis round-trip test)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def key(name: str) -> str:
    return name if _BARE_KEY.match(name) else string(name)


def string_array(values: Iterable[str]) -> str:
    return "[" + ", ".join(string(v) for v in values) + "]"
