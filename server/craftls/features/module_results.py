"""The annotated results of functions of other files (``lexical.doc_comments``):
``local c = Cache.new()`` where ``Cache`` is a loaded module (``local Cache =
require("cache")``, ``structure.module_call``) whose ``function Cache.new()`` is annotated
``---@return Cache`` (or, unannotated, returns ``setmetatable(o, Cache)`` where the table
``Cache`` is annotated ``---@class Cache``), and ``local v = c:get(k)`` where ``c``'s annotated class is declared
in another file of the workspace. The variable gets the result's type, as a call of a
function of the file gives it (``semantics.doc_comments``, which reads one file only and
cannot follow a module)."""

from __future__ import annotations

import re

from ..semantics.diagnostics import FileAnalysis
from ..semantics.doc_comments import type_prefix
from ..semantics.model import Symbol, SymbolKind
from ..workspace.module_calls import module_name_at
from .completion_methods import method_symbol, returned_values


def type_call_results(analysis: FileAnalysis) -> None:
    """Give each untyped variable declared by ``head.f(...)`` / ``head:f(...)`` the first
    annotated result of the function ``f`` of ``head``'s value, when ``head`` holds a
    loaded module or a value of an annotated class (other heads were the file's own
    business, settled when its annotations were read)."""
    definition = analysis.parsed.definition
    if analysis.path is None or definition.lexical.doc_comments is None \
            or not definition.structure.module_call:
        return
    text = analysis.parsed.text
    ident = definition.lexical.identifier
    separator = re.escape(definition.structure.method_separator or ".")
    call = re.compile(r"[ \t]*" + re.escape(definition.structure.assignment) + r"[ \t]*("
                      + ident + r")\s*(?:\.|" + separator + r")\s*(" + ident + r")\s*\(")
    model = analysis.model
    for symbol in sorted(model.symbols, key=lambda s: s.start):
        if symbol.kind != SymbolKind.VARIABLE or symbol.type_text:
            continue
        m = call.match(text, symbol.end)
        if m is None:
            continue
        head = model.scope_at(m.start(1)).lookup(model.key(m.group(1)), m.start(1))
        if head is None or not (head.type_text or _loaded(analysis, head)):
            continue
        found = method_symbol(analysis, head, m.group(2))
        result = (found[1].result_text or _made_class(*found)) if found is not None else None
        if result:
            symbol.type_text = type_prefix(result.split(",")[0]) if "<" not in result \
                else result


def _made_class(analysis: FileAnalysis, function: Symbol) -> str | None:
    """The annotated class (``---@class``) of the table whose instances an unannotated
    function returns (``return setmetatable(o, Cache)`` where ``Cache`` is the class's
    table), when all its returns agree."""
    classes = {id(c.table): c.name for c in analysis.doc.classes.values() if c.table is not None}
    if not classes:
        return None
    made = {classes.get(id(symbol)) for owner, symbol in returned_values(analysis, function)
            if owner is analysis}
    return made.pop() if len(made) == 1 else None


def _loaded(analysis: FileAnalysis, symbol: Symbol) -> bool:
    """Was ``symbol`` declared with a module's value (``local M = require("m")``)?"""
    end = symbol.end
    text = analysis.parsed.text
    definition = analysis.parsed.definition
    m = re.compile(r"\s*" + re.escape(definition.structure.assignment) + r"\s*").match(text, end)
    name = module_name_at(text, m.end(), definition) if m is not None else None
    if name is None or m is None:
        return False
    # the module's table itself, not a field of it (`require("types").Tree`)
    after = text.index(name, m.end()) + len(name) + 1
    return re.match(r"\s*\)?\s*[.:\[]", text[after:after + 40]) is None
