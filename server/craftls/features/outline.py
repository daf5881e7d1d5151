"""Document symbols, folding ranges, selection ranges and inlay hints."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..semantics.diagnostics import FileAnalysis
from ..semantics.model import Scope, Symbol, SymbolKind
from ..syntax import kinds as K
from ..syntax.tokens import COMMENT, NEWLINE, WHITESPACE
from ..syntax.tree import SyntaxNode
from ..workspace.line_index import LineIndex
from .format_layout import grammar_shape

FOLDABLE = frozenset({K.FUNCTION_DECL, K.BLOCK, K.IF_STMT, K.WHILE_STMT, K.FOR_STMT,
                      K.FOR_IN_STMT, K.REPEAT_STMT, K.CASE_STMT, K.VAR_SECTION, K.CONST_SECTION,
                      K.TYPE_SECTION, K.RECORD_TYPE, K.ELSE_CLAUSE, K.ELIF_CLAUSE})


@dataclass
class OutlineItem:
    name: str
    kind: str
    start: int
    end: int
    name_start: int
    name_end: int
    detail: str = ""
    children: list[OutlineItem] = field(default_factory=list)


def document_symbols(analysis: FileAnalysis) -> list[OutlineItem]:
    return _scope_items(analysis.model.root_scope)


def _scope_items(scope: Scope) -> list[OutlineItem]:
    items = []
    by_owner = {child.owner: child for child in scope.children if child.owner is not None}
    for symbol in sorted(scope.declared(), key=lambda s: s.start):
        if symbol.kind == SymbolKind.PARAMETER:
            continue
        item = _item(symbol)
        inner = by_owner.get(symbol)
        if inner is not None:
            item.children = _scope_items(inner)
        if symbol.kind == SymbolKind.TYPE:
            item.children = [_item(f) for f in symbol.params]
        items.append(item)
    return items


def _item(symbol: Symbol) -> OutlineItem:
    return OutlineItem(symbol.name, symbol.kind, symbol.decl_start, symbol.decl_end,
                       symbol.start, symbol.end, symbol.signature())


@dataclass(frozen=True)
class Fold:
    start: int
    end: int
    kind: str  # region | comment


def folding_ranges(analysis: FileAnalysis) -> list[Fold]:
    root = analysis.parsed.root
    folds = _region_folds(analysis)
    # a run of comments each on a line of its own: one after code on its line (``end
    # -- done``) is that line's, and starts no fold there (two folds starting on one
    # line, or one starting on the line another ends on: editors drop one of them)
    run: list[tuple[int, int]] = []
    own_line = True
    for token in root.leaves():
        if token.kind == COMMENT and own_line:
            run.append((token.start, token.end))
        elif token.kind == NEWLINE:
            own_line = True
        elif token.kind != WHITESPACE:
            own_line = False
            if run:
                folds.extend(_comment_fold(run, analysis.parsed.text))
                run = []
    if run:
        folds.extend(_comment_fold(run, analysis.parsed.text))
    return folds


def _region_folds(analysis: FileAnalysis) -> list[Fold]:
    """A fold per foldable node; an editor folds lines: a routine and the block it holds
    (`fn f() {`), a statement and its own block, `for _, v in ipairs({` and its table,
    fold once, from their first line (the outer one: it comes first)."""
    folds: list[Fold] = []
    shape = grammar_shape(analysis.parsed.definition)
    foldable = FOLDABLE | shape.blocks | shape.folds if shape is not None else FOLDABLE
    lines = LineIndex(analysis.parsed.text)
    starts: set[int] = set()  # the first lines of the region folds
    ends: dict[int, list[int]] = {}  # a last line -> the folds (indexes) that end there
    for node in analysis.parsed.root.descendants():
        if node.kind not in foldable:
            continue
        last = node.last_token()
        end = last.end if last else node.end
        first, last_line = lines.line_of(node.start), lines.line_of(end)
        if first in starts:
            continue
        if last_line > first:
            _end_before(folds, ends, first, lines)
        starts.add(first)
        ends.setdefault(last_line, []).append(len(folds))
        folds.append(Fold(node.start, end, "region"))
    return folds


def _end_before(folds: list[Fold], ends: dict[int, list[int]], line: int, lines: LineIndex
                ) -> None:
    """The folds that end on ``line``, where the next one starts (`}, function()`), end
    on the line before: an editor drops one of two folds where one starts inside the
    other and ends after it. (A fold that holds ``line``'s fold ends after it: it stays.)"""
    before = lines.offset(line, 0) - 1  # the end of the line before
    for index in ends.pop(line, ()):
        fold = folds[index]
        folds[index] = Fold(fold.start, max(fold.start, before), fold.kind)


def _comment_fold(run: list[tuple[int, int]], text: str) -> list[Fold]:
    start, end = run[0][0], run[-1][1]
    return [Fold(start, end, "comment")] if "\n" in text[start:end] else []


def selection_ranges(analysis: FileAnalysis, offset: int) -> list[tuple[int, int]]:
    """Ranges from the token at ``offset`` outwards, each strictly larger and each
    holding ``offset``: in a comment, the comment first; a node's range runs from its
    first to its last token, so one that leaves out the comment the cursor is in (a
    comment before a statement, after the last one) is passed over."""
    root = analysis.parsed.root
    token = root.token_at(offset)
    ranges: list[tuple[int, int]] = []
    if token is not None and (not token.is_trivia or token.kind == COMMENT):
        ranges.append((token.start, token.end))
    inner = ranges[-1] if ranges else (offset, offset)  # in white space: around it
    node: SyntaxNode | None = root.covering_node(offset, offset)
    while node is not None:
        first, last = node.first_token(), node.last_token()
        if first is not None and last is not None:
            span = (first.start, last.end)
            if span != inner and span[0] <= inner[0] and span[1] >= inner[1]:
                ranges.append(span)
                inner = span
        node = node.parent
    if not ranges or ranges[-1] != (0, len(analysis.parsed.text)):
        ranges.append((0, len(analysis.parsed.text)))
    return ranges


@dataclass(frozen=True)
class InlayHint:
    offset: int
    label: str
    kind: str  # parameter | type


def inlay_hints(analysis: FileAnalysis, start: int, end: int, types: bool = True
                ) -> list[InlayHint]:
    """Parameter names at call sites (not when the argument already is that name), and
    inferred types after variables declared without one."""
    hints = _parameter_hints(analysis, start, end)
    if types and analysis.types is not None:
        hints += [InlayHint(t.offset, t.label, "type")
                  for t in analysis.types.inferred_variable_types() if start <= t.offset <= end]
    return sorted(hints, key=lambda h: h.offset)


def _parameter_hints(analysis: FileAnalysis, start: int, end: int) -> list[InlayHint]:
    hints = []
    definition = analysis.parsed.definition
    for call in analysis.model.calls_between(start, end):
        ref = call.callee
        names: list[str] = []
        if ref.symbol is not None and ref.symbol.kind in (SymbolKind.FUNCTION,
                                                          SymbolKind.PROCEDURE):
            names = [p.name for p in ref.symbol.params]
        elif ref.builtin is not None:
            builtin = definition.builtin(ref.builtin)
            if builtin is not None and builtin.max_args is not None:
                names = [p.name for p in builtin.params]
        text = analysis.parsed.text
        for (a_start, a_end), name in zip(call.arg_ranges, names, strict=False):
            if text[a_start:a_end].strip().lower() != name.lower() and len(names) > 1:
                hints.append(InlayHint(a_start, f"{name}:", "parameter"))
    return hints
