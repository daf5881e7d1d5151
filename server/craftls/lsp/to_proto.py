"""Conversions from the core's plain data to LSP types: every position (code-point
offsets through the file's ``LineIndex`` in the negotiated encoding), edit, location,
symbol, diagnostic and semantic token the server sends is made here; the "versioned
WorkspaceEdit or not" decision is ``workspace_edit``. The other direction is
``from_proto``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types as lsp

from ..features.completion import CompletionCandidate
from ..features.host import FileEdits, FileLocation, SymbolHit
from ..features.hover import HoverInfo, SignatureInfo
from ..features.navigation import Span
from ..features.outline import Fold, InlayHint, OutlineItem
from ..features.semantic_tokens import ClassifiedToken, Legend
from ..language.problems import DefinitionProblem
from ..semantics.diagnostics import Diagnostic
from ..syntax.incremental import TextEdit
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


def position(index: LineIndex, offset: int, encoding: str) -> lsp.Position:
    line, col = index.position(offset, encoding)
    return lsp.Position(line=line, character=col)


def to_range(index: LineIndex, start: int, end: int, encoding: str) -> lsp.Range:
    return lsp.Range(start=position(index, start, encoding), end=position(index, end, encoding))


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


def text_edits(lines: LineIndex, edits: Sequence[TextEdit], encoding: str
               ) -> list[lsp.TextEdit]:
    return [lsp.TextEdit(range=to_range(lines, e.start, e.end, encoding), new_text=e.text)
            for e in edits]


def workspace_edit(files: list[FileEdits], encoding: str, versioned: bool
                   ) -> lsp.WorkspaceEdit:
    """Edits of one or more files: versioned ``documentChanges`` for a client that takes
    them (a file on disk has version None), plain ``changes`` for the others."""
    if versioned:
        return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=f.uri,
                                                                      version=f.version),
            edits=text_edits(f.lines, f.edits, encoding)) for f in files])
    return lsp.WorkspaceEdit(changes={f.uri: text_edits(f.lines, f.edits, encoding)
                                      for f in files})


def snippet_workspace_edit(file: FileEdits, encoding: str, placeholder: tuple[int, int]
                           ) -> lsp.WorkspaceEdit:
    """A versioned edit whose first edit is a snippet (a client with
    ``snippetEditSupport``): ``placeholder``, [start, end) in that edit's text, is a tab
    stop the client selects for the user to type over."""
    first, *rest = file.edits
    start, end = placeholder
    snippet = (_snippet_text(first.text[:start]) + "${1:" + _snippet_text(first.text[start:end])
               + "}" + _snippet_text(first.text[end:]))
    edits: list[lsp.TextEdit | lsp.AnnotatedTextEdit | lsp.SnippetTextEdit] = [
        lsp.SnippetTextEdit(range=to_range(file.lines, first.start, first.end, encoding),
                            snippet=lsp.StringValue(value=snippet))]
    edits += text_edits(file.lines, rest, encoding)
    return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
        text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=file.uri,
                                                                  version=file.version),
        edits=edits)])


def _snippet_text(text: str) -> str:
    """Text kept as written in a snippet: its ``$``, ``}`` and ``\\`` escaped."""
    return re.sub(r"([\\$}])", r"\\\1", text)


def symbol_information(hit: SymbolHit) -> lsp.SymbolInformation:
    line, start, end_line, end = hit.range
    return lsp.SymbolInformation(
        name=hit.name, kind=SYMBOL_KIND.get(hit.kind, lsp.SymbolKind.Variable),
        container_name=hit.container or None,
        location=lsp.Location(uri=hit.uri, range=lsp.Range(
            start=lsp.Position(line=line, character=start),
            end=lsp.Position(line=end_line, character=end))))


def definition_problem(problem: DefinitionProblem) -> lsp.Diagnostic:
    """A problem of a language definition file (1-based line and column)."""
    at = lsp.Position(line=problem.line - 1, character=max(problem.column - 1, 0))
    return lsp.Diagnostic(range=lsp.Range(start=at, end=lsp.Position(
        line=at.line, character=at.character + 1)), message=problem.message,
        severity=SEVERITY[problem.severity], source="craftls", code="definition")


def completion_item(c: CompletionCandidate) -> lsp.CompletionItem:
    # the documentation travels in ``data`` for completionItem/resolve, and only when
    # there is some: a 100-item list is built and serialised on every keystroke
    item = lsp.CompletionItem(label=c.label, kind=COMPLETION_KIND.get(c.kind),
                              detail=c.detail, sort_text=f"{c.sort_group}{c.label.lower()}",
                              data={"doc": c.documentation} if c.documentation else None)
    if c.snippet:
        item.insert_text = c.snippet
        item.insert_text_format = lsp.InsertTextFormat.Snippet
        item.kind = lsp.CompletionItemKind.Snippet
    return item


def documentation(text: str, formats: Sequence[lsp.MarkupKind] | None
                  ) -> lsp.MarkupContent | str:
    """Markdown only for a client that says it renders it; plain text otherwise."""
    if formats and lsp.MarkupKind.Markdown in formats:
        return lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text)
    return text


def hover(info: HoverInfo, lines: LineIndex, encoding: str) -> lsp.Hover:
    return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown,
                                                value=info.markdown),
                     range=to_range(lines, info.start, info.end, encoding))


def signature_help(info: SignatureInfo) -> lsp.SignatureHelp:
    sig = lsp.SignatureInformation(
        label=info.label, documentation=info.documentation or None,
        parameters=[lsp.ParameterInformation(label=p) for p in info.parameters])
    return lsp.SignatureHelp(signatures=[sig], active_signature=0,
                             active_parameter=info.active_parameter)


def highlight(span: Span, lines: LineIndex, encoding: str) -> lsp.DocumentHighlight:
    return lsp.DocumentHighlight(
        range=to_range(lines, span.start, span.end, encoding),
        kind=lsp.DocumentHighlightKind.Write if span.is_write
        else lsp.DocumentHighlightKind.Read)


def document_symbol(item: OutlineItem, lines: LineIndex, encoding: str) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(
        name=item.name, detail=item.detail,
        kind=SYMBOL_KIND.get(item.kind, lsp.SymbolKind.Variable),
        range=to_range(lines, item.start, item.end, encoding),
        selection_range=to_range(lines, item.name_start, item.name_end, encoding),
        children=[document_symbol(c, lines, encoding) for c in item.children])


def folding_range(fold: Fold, lines: LineIndex) -> lsp.FoldingRange | None:
    """None for a fold within one line (nothing to fold in an editor)."""
    start_line, end_line = lines.line_of(fold.start), lines.line_of(fold.end)
    if end_line <= start_line:
        return None
    return lsp.FoldingRange(start_line=start_line, end_line=end_line,
                            kind=lsp.FoldingRangeKind.Comment if fold.kind == "comment"
                            else lsp.FoldingRangeKind.Region)


def selection_range(ranges: Sequence[tuple[int, int]], lines: LineIndex, encoding: str
                    ) -> lsp.SelectionRange | None:
    """Innermost first in ``ranges``; the result links each to its parent."""
    parent: lsp.SelectionRange | None = None
    for start, end in reversed(ranges):
        parent = lsp.SelectionRange(range=to_range(lines, start, end, encoding), parent=parent)
    return parent


def inlay_hint(hint: InlayHint, lines: LineIndex, encoding: str) -> lsp.InlayHint:
    return lsp.InlayHint(position=position(lines, hint.offset, encoding), label=hint.label,
                         kind=lsp.InlayHintKind.Parameter if hint.kind == "parameter"
                         else lsp.InlayHintKind.Type,
                         padding_right=hint.kind == "parameter")


def semantic_tokens(tokens: Sequence[ClassifiedToken], legend: Legend, lines: LineIndex,
                    encoding: str) -> list[int]:
    """The relative five-integer encoding of the specification."""
    data: list[int] = []
    prev_line = prev_col = 0
    types_index = {t: i for i, t in enumerate(legend.types)}
    mod_index = {m: i for i, m in enumerate(legend.modifiers)}
    for token in tokens:
        line, col = lines.position(token.start, encoding)
        end_line, end_col = lines.position(token.start + token.length, encoding)
        if end_line != line:  # multi-line tokens are not portable; mark the first line only
            end_col = col + len(lines.line_text(line)) - col
        length = end_col - col
        if length <= 0:
            continue
        bits = 0
        for m in token.modifiers:
            if m in mod_index:
                bits |= 1 << mod_index[m]
        data.extend([line - prev_line, col - prev_col if line == prev_line else col, length,
                     types_index.get(token.type, 0), bits])
        prev_line, prev_col = line, col
    return data


def semantic_tokens_edits(old: list[int], new: list[int]) -> list[lsp.SemanticTokensEdit]:
    """One edit covering what changed between the common prefix and suffix (none when
    nothing did)."""
    start = 0
    while start < len(old) and start < len(new) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    if start == end_old and start == end_new:
        return []
    return [lsp.SemanticTokensEdit(start=start, delete_count=end_old - start,
                                   data=new[start:end_new])]
