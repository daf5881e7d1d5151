"""Removing secrets from anything that is logged or sent to a client."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"

# `token` only at the end of a key: accessToken and auth_token are secrets, but a
# language server also talks about lexer tokens (tokenCount, semanticTokens).
_SECRET_KEY = re.compile(
    r"passw(or)?d|passwd|secret|authori[sz]ation|api[-_]?key|cookie|credential"
    r"|private[-_]?key|token$",
    re.IGNORECASE,
)
# Values that carry credentials whatever their key: auth headers and URL user info.
_VALUE_PATTERNS = (
    (re.compile(r"\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}", re.IGNORECASE), r"\1 " + REDACTED),
    (re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"), REDACTED),
)


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key))


def redact_text(text: str) -> str:
    for pattern, replacement in _VALUE_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any, _depth: int = 0) -> Any:
    """A copy of `value` with secret-looking keys masked and credentials cut out of strings.

    Depth is bounded so a cyclic or absurdly deep structure cannot hang the logger.
    """
    if _depth > 20:
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {
            str(k): REDACTED if is_secret_key(str(k)) and v is not None else redact(v, _depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redact(v, _depth + 1) for v in value]
    return value
