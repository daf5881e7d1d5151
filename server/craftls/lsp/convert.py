"""Conversions between the core's offsets/data and LSP types: the one place
where positions and encodings are handled."""

from __future__ import annotations

from lsprotocol import types as lsp

from ..features.host import FileEdits, FileLocation, SymbolHit
from ..semantics.diagnostics import Diagnostic
from ..workspace.line_index import LineIndex

SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
            "information": lsp.DiagnosticSeverity.Information,
            "hint": lsp.DiagnosticSeverity.Hint}
COMPLETION_KIND = {"keyword": lsp.CompletionItemKind.Keyword,
                   "function": lsp.CompletionItemKind.Function,
                   "variable": lsp.CompletionItemKind.Variable,
                   "constant": lsp.CompletionItemKind.Constant,
                   "type": lsp.CompletionItemKind.Class, "module": lsp.CompletionItemKind.Module,
                   "field": lsp.CompletionItemKind.Field}
SYMBOL_KIND = {"program": lsp.SymbolKind.Module, "constant": lsp.SymbolKind.Constant,
               "variable": lsp.SymbolKind.Variable, "type": lsp.SymbolKind.Class,
               "function": lsp.SymbolKind.Function, "procedure": lsp.SymbolKind.Function,
               "parameter": lsp.SymbolKind.Variable, "loop variable": lsp.SymbolKind.Variable,
               "field": lsp.SymbolKind.Field, "module": lsp.SymbolKind.Module}


def encoding_name(encoding: object) -> str:
    value = getattr(encoding, "value", encoding)
    return str(value) if value in ("utf-8", "utf-16", "utf-32") else "utf-16"


def position(index: LineIndex, offset: int, encoding: str) -> lsp.Position:
    line, col = index.position(offset, encoding)
    return lsp.Position(line=line, character=col)


def to_range(index: LineIndex, start: int, end: int, encoding: str) -> lsp.Range:
    return lsp.Range(start=position(index, start, encoding), end=position(index, end, encoding))


def offset(index: LineIndex, pos: lsp.Position, encoding: str) -> int:
    return index.offset(pos.line, pos.character, encoding)


def range_offsets(index: LineIndex, rng: lsp.Range, encoding: str) -> tuple[int, int]:
    return offset(index, rng.start, encoding), offset(index, rng.end, encoding)


def diagnostic(d: Diagnostic, index: LineIndex, encoding: str, uri: str) -> lsp.Diagnostic:
    tags = [lsp.DiagnosticTag.Unnecessary] if "unnecessary" in d.tags else None
    related = [lsp.DiagnosticRelatedInformation(
        location=lsp.Location(uri=uri, range=to_range(index, s, e, encoding)), message=m)
        for s, e, m in d.related] or None
    return lsp.Diagnostic(range=to_range(index, d.start, d.end, encoding), message=d.message,
                          severity=SEVERITY[d.severity], code=d.code, source="craftls",
                          tags=tags, related_information=related,
                          data=dict(d.data) if d.data else None)


def location(found: FileLocation, encoding: str) -> lsp.Location:
    return lsp.Location(uri=found.uri,
                        range=to_range(found.lines, found.start, found.end, encoding))


def text_edits(found: FileEdits, encoding: str) -> list[lsp.TextEdit]:
    return [lsp.TextEdit(range=to_range(found.lines, e.start, e.end, encoding), new_text=e.text)
            for e in found.edits]


def workspace_edit(files: list[FileEdits], encoding: str, versioned: bool
                   ) -> lsp.WorkspaceEdit:
    """Edits of one or more files: versioned ``documentChanges`` for a client that takes
    them (a file on disk has version None), plain ``changes`` for the others."""
    if versioned:
        return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=f.uri,
                                                                      version=f.version),
            edits=text_edits(f, encoding)) for f in files])
    return lsp.WorkspaceEdit(changes={f.uri: text_edits(f, encoding) for f in files})


def symbol_information(hit: SymbolHit) -> lsp.SymbolInformation:
    line, start, end_line, end = hit.range
    return lsp.SymbolInformation(
        name=hit.name, kind=SYMBOL_KIND.get(hit.kind, lsp.SymbolKind.Variable),
        container_name=hit.container or None,
        location=lsp.Location(uri=hit.uri, range=lsp.Range(
            start=lsp.Position(line=line, character=start),
            end=lsp.Position(line=end_line, character=end))))
