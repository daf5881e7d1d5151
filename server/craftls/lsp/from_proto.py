"""Conversions from LSP types to the core's data: positions to code-point offsets (with
the document's ``LineIndex`` and the negotiated encoding), content changes to the
document store's form. Their inverse is ``to_proto``."""

from __future__ import annotations

from lsprotocol import types as lsp

from ..features.documents import Change
from ..workspace.line_index import LineIndex


def encoding_name(encoding: object) -> str:
    value = getattr(encoding, "value", encoding)
    return str(value) if value in ("utf-8", "utf-16", "utf-32") else "utf-16"


def offset(index: LineIndex, pos: lsp.Position, encoding: str) -> int:
    return index.offset(pos.line, pos.character, encoding)


def range_offsets(index: LineIndex, rng: lsp.Range, encoding: str) -> tuple[int, int]:
    return offset(index, rng.start, encoding), offset(index, rng.end, encoding)


def content_changes(params: lsp.DidChangeTextDocumentParams) -> list[Change]:
    """Each change as ((line, column, line, column) or None for the whole text, text)."""
    changes: list[Change] = []
    for change in params.content_changes:
        if isinstance(change, lsp.TextDocumentContentChangePartial):
            r = change.range
            changes.append(((r.start.line, r.start.character, r.end.line, r.end.character),
                            change.text))
        else:
            changes.append((None, change.text))
    return changes
