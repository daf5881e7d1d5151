"""The methods completion offers after ``obj:`` (``structure.method_separator``).

A value's methods are the functions the file gives it (``function obj:m()``,
``obj.m = function``, ``obj:m(...)`` calls), and those of the value it was made from:
its metatable (``structure.metatable_call``: Lua's ``setmetatable(obj, Class)``, or
``{__index = Class}`` by ``metatable_index``), the class whose function made it
(``local obj = Class.new()``, ``Class:new()``, ``Class()``, where Class has methods of
its own), the classes a class library's call made it from (``structure.class_calls``:
``class("C", Base)``, ``Base:extend()``), or the table a module file returns
(``structure.module_call``: ``local M = require("m")``). The links are followed a few
hops (a class made from a base class, a class a module returns).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..language.grammar_spec import method_libraries
from ..language.model import Builtin, LanguageDefinition
from ..semantics.diagnostics import FileAnalysis
from ..semantics.model import ROUTINE_KINDS, SemanticModel, Symbol, SymbolKind
from ..syntax.tree import SyntaxNode, SyntaxToken
from ..types.model import STR as TEXT
from ..types.model import strip
from ..workspace.module_calls import module_file, module_name_at
from .module_tables import declared_functions, module_analysis, table_members
from .module_tables import split_qualified as _split_qualified

# a class made from a class made from ...: followed this far (a class library's chain,
# each link a module: dialog from window from panel from view from object)
MAX_HOPS = 8


def method_names(analysis: FileAnalysis, symbol: Symbol, at: int, hops: int = 0,
                 seen: set[tuple[int, int]] | None = None) -> list[str]:
    """The methods known for ``symbol``'s value, its own first, in the order written;
    ``at``: where completion is (the call being typed there is not counted). ``seen``:
    the values already visited (two classes made from one base visit it once)."""
    seen = set() if seen is None else seen
    seen.add((id(analysis), symbol.start))
    receiver = symbol.name
    if symbol.kind == SymbolKind.PARAMETER:
        owner = parameter_owner(analysis, symbol)
        found = analysis.model.scope_at(symbol.start).lookup(analysis.model.key(owner)) \
            if owner is not None else None
        receiver = owner or receiver  # (a global no file here declares: its name)
        symbol = found or symbol
    names = _own_methods(analysis, symbol, receiver, at)
    if hops < MAX_HOPS:
        for analysed, made_from in _made_from(analysis, symbol):
            if (id(analysed), made_from.start) not in seen:
                names += method_names(analysed, made_from, -1, hops + 1, seen)
    return names


def method_symbol(analysis: FileAnalysis, symbol: Symbol, name: str, hops: int = 0,
                  seen: set[tuple[int, int]] | None = None
                  ) -> tuple[FileAnalysis, Symbol] | None:
    """The function ``name`` of ``symbol``'s value (with the analysis it is declared in):
    one the file declares on it (``function obj:name()``, ``function obj.name()``),
    else one of the values it was made from (``method_names``' links), else of its
    annotated class (``---@type Item``)."""
    seen = set() if seen is None else seen
    seen.add((id(analysis), symbol.start))
    if symbol.kind == SymbolKind.PARAMETER:
        owner = parameter_owner(analysis, symbol)
        found = analysis.model.scope_at(symbol.start).lookup(analysis.model.key(owner)) \
            if owner is not None else None
        symbol = found or symbol
    own = _declared_function(analysis, symbol.name, name)
    if own is not None:
        return analysis, own
    links = _made_from(analysis, symbol) if hops < MAX_HOPS else []
    if symbol.type_text and hops < MAX_HOPS:
        from .doc_classes import class_declarations, type_names
        links += [(owner, cls.table) for t in type_names(symbol.type_text, analysis.doc.aliases)
                  for owner, cls in class_declarations(analysis, t) if cls.table is not None]
    for analysed, made_from in links:
        if (id(analysed), made_from.start) not in seen:
            found_in = method_symbol(analysed, made_from, name, hops + 1, seen)
            if found_in is not None:
                return found_in
    return None


def _declared_function(analysis: FileAnalysis, receiver: str, name: str) -> Symbol | None:
    """The function the file declares as ``receiver.name`` (or with the language's
    method separator, ``receiver:name``)."""
    model = analysis.model
    separator = analysis.parsed.definition.structure.method_separator or "."
    for symbol in model.symbols:
        if symbol.kind in ROUTINE_KINDS:
            owner, sep, own = _split_qualified(symbol.name, separator)
            if sep and model.key(own) == model.key(name) \
                    and model.key(owner) == model.key(receiver):
                return symbol
    return None


def text_methods(analysis: FileAnalysis, symbol: Symbol, start: int, end: int,
                 separator: str) -> list[Builtin]:
    """After ``s:`` where the name at ``start``..``end`` holds a text: the functions of
    the builtin library a method call runs with the receiver first (the grammar's
    ``methods``: Lua's ``s:upper()`` is ``string.upper(s)``)."""
    definition, report = analysis.parsed.definition, analysis.types
    if definition.grammar is None or report is None:
        return []
    library = definition.builtin(method_libraries(definition.grammar).get(separator, ""))
    if library is None:
        return []
    held = report.type_ending_at(end, start, symbol)
    text = held is not None and strip(held) is TEXT or _annotated_text(analysis, symbol)
    return list(library.members) if text else []


def _annotated_text(analysis: FileAnalysis, symbol: Symbol | None) -> bool:
    """Is ``symbol`` annotated (``---@param s string``) with a type the definition's
    ``types`` names as the text type?"""
    if symbol is None or not symbol.type_text:
        return False
    from .doc_classes import type_names
    types = analysis.parsed.definition.types
    return any(types.get(n) == TEXT.name for n in type_names(symbol.type_text,
                                                               analysis.doc.aliases))


def _own_methods(analysis: FileAnalysis, symbol: Symbol, receiver: str, at: int
                 ) -> list[str]:
    model, text = analysis.model, analysis.parsed.text
    separator = analysis.parsed.definition.structure.method_separator or ":"
    identifier = analysis.parsed.definition.lexical.identifier
    assigned = re.compile(r"\s*\.\s*(" + identifier + r")\s*=\s*function\b")
    called = re.compile(r"\s*" + re.escape(separator) + r"\s*(" + identifier + r")\s*[(\"'{\[]")
    uses = []
    for ref in model.references_to(symbol):
        for pattern in (assigned, called):
            found = pattern.match(text, ref.end)
            if found is not None and not found.start() <= at < found.end():
                uses.append((ref.end, found.group(1)))
    return [n for _, n in sorted(uses + declared_functions(analysis, receiver)
                                 + _constructor_functions(analysis, symbol))]


def _is_function_value(analysis: FileAnalysis, node: SyntaxNode) -> bool:
    """Is ``node`` a function written as a value (its rule's ``run`` is a
    ``function_value``: Lua's ``function(self) ... end``)?"""
    grammar = analysis.parsed.definition.grammar
    production = grammar.rule(node.kind) if grammar is not None else None
    return production is not None and production.run is not None \
        and production.run.construct == "function_value"


def _function_entry_key(analysis: FileAnalysis, entry: SyntaxNode) -> SyntaxToken | None:
    """The key of a table constructor's entry whose value is a function (``m =
    function(self) ... end``): its first part a member name, its last a function value."""
    grammar = analysis.parsed.definition.grammar
    parts = list(entry.children())
    if grammar is None or len(parts) < 2 or not _is_function_value(analysis, parts[-1]):
        return None
    meaning = grammar.meanings().get(parts[0].kind)
    return parts[0].first_token() if meaning is not None and meaning.member else None


def _constructor_functions(analysis: FileAnalysis, symbol: Symbol) -> list[tuple[int, str]]:
    """The keys of the table constructor ``symbol`` is declared with whose values are
    functions (``local T = {push = function(self, x) ... end}``: ``push``), with where
    each is written."""
    definition = analysis.parsed.definition
    if definition.grammar is None or symbol.kind == SymbolKind.PARAMETER:
        return []
    value = re.compile(r"\s*" + re.escape(definition.structure.assignment) + r"(?!=)\s*") \
        .match(analysis.parsed.text, symbol.end)
    token = analysis.parsed.root.token_at(value.end()) if value is not None else None
    table = token.parent if token is not None else None
    if table is None or table.start != value.end():  # type: ignore[union-attr]
        return []
    keys = [_function_entry_key(analysis, entry) for entry in table.children()]
    return [(key.start, key.text) for key in keys if key is not None]


def _constructor_owner(analysis: FileAnalysis, parameter: Symbol) -> str | None:
    """The table T of ``T = {m = function(p) ... end}`` when ``parameter`` is p, the
    first parameter of a function written as the value of one of its keys."""
    text = analysis.parsed.text
    identifier = analysis.parsed.definition.lexical.identifier
    token = analysis.parsed.root.token_at(parameter.start)
    function = next((a for a in token.parent.ancestors() if _is_function_value(analysis, a)),
                    None) if token is not None else None
    if function is None or function.parent is None or function.parent.parent is None \
            or _function_entry_key(analysis, function.parent) is None \
            or not re.fullmatch(identifier + r"\s*\(\s*", text[function.start:parameter.start]):
        return None
    return _table_named(analysis, function.parent.parent)


def _table_named(analysis: FileAnalysis, table: SyntaxNode) -> str | None:
    """The name T a table constructor is assigned to (``T = {...}``, ``local T = {...}``)."""
    named = re.search(r"(?<![.:\w])(" + analysis.parsed.definition.lexical.identifier
                      + r")\s*" + re.escape(analysis.parsed.definition.structure.assignment)
                      + r"\s*$", analysis.parsed.text[max(0, table.start - 200):table.start])
    return named.group(1) if named is not None else None


def constructor_key_at(analysis: FileAnalysis, offset: int) -> tuple[str, SyntaxToken] | None:
    """(T, the key) when ``offset`` is on the key ``m`` of ``T = {m = function(self) ...
    end}``: the declaration of T's function ``m``."""
    token = analysis.parsed.root.token_at(offset)
    if token is None or analysis.parsed.definition.grammar is None:
        return None
    for entry in token.parent.ancestors() if token.parent is not None else ():
        key = _function_entry_key(analysis, entry) if entry.parent is not None else None
        if key is not None and key.start == token.start:
            owner = _table_named(analysis, entry.parent)  # type: ignore[arg-type]
            return (owner, key) if owner is not None else None
        if entry.start != token.start:  # the key is its entry's first token
            return None
    return None


def constructor_method_at(analysis: FileAnalysis, offset: int
                          ) -> tuple[Symbol, SyntaxToken, str] | None:
    """(T, the key ``m`` of T's table constructor, the function's parameters as written)
    when the name at ``offset`` is ``m`` in ``T:m``/``T.m`` or ``self:m`` (self the first
    parameter of one of T's functions), and T is declared ``T = {m = function(self, x)
    ... end}`` (hover and go-to-definition; completion offers these keys)."""
    text, model = analysis.parsed.text, analysis.model
    written = member_written_at(analysis, offset)
    if written is None:
        return None
    receiver, token = written
    if receiver.kind == SymbolKind.PARAMETER:
        owner = parameter_owner(analysis, receiver)
        # (inside its own constructor `local T` is not yet in scope: the nearest before)
        tables = [s for s in model.symbols if owner is not None and s.start < receiver.start
                  and model.key(s.name) == model.key(owner)]
        if not tables:
            return None
        receiver = max(tables, key=lambda s: s.start)
    key = next((start for start, name in _constructor_functions(analysis, receiver)
                if name == token.text), None)
    key_token = analysis.parsed.root.token_at(key) if key is not None else None
    if key_token is None:
        return None
    params = re.match(r"[^(]*\(([^)]*)\)", text[key_token.end:key_token.end + 400])
    return receiver, key_token, re.sub(r"\s+", " ", params.group(1).strip()) if params else ""


def member_written_at(analysis: FileAnalysis, offset: int
                       ) -> tuple[Symbol, SyntaxToken] | None:
    """(the receiver's symbol, the member's name token) when the name at ``offset`` is
    ``m`` of ``obj:m`` or ``obj.m``, obj a name the file declares."""
    model = analysis.model
    definition = analysis.parsed.definition
    token = analysis.parsed.root.token_at(offset)
    if definition.grammar is None or token is None \
            or not re.fullmatch(definition.lexical.identifier, token.text):
        return None
    separators = "".join(re.escape(s) for s in {".", definition.structure.method_separator or "."})
    written = receiver_written(analysis, token.start, r"[" + separators + r"]")
    receiver = model.scope_at(token.start).lookup(model.key(written), token.start) \
        if written is not None else None
    return (receiver, token) if receiver is not None else None


def receiver_written(analysis: FileAnalysis, at: int, separator: str) -> str | None:
    """The name written before ``at`` and a ``separator`` (a pattern) when it is a whole
    receiver: no member of something else (``a.b:m``), but maybe after an operator that
    ends with a separator's character (Lua's ``..`` in ``s..obj:m()``)."""
    definition = analysis.parsed.definition
    window = analysis.parsed.text[max(0, at - 200):at]
    written = re.search(r"(?<!\w)(" + definition.lexical.identifier + r")\s*" + separator
                        + r"\s*$", window)
    if written is None:
        return None
    before = window[:written.start(1)]
    if before.endswith((".", ":")) and not any(
            before.endswith(op.symbol) for op in definition.operators
            if len(op.symbol) > 1 and op.symbol.endswith((".", ":"))):
        return None
    return written.group(1)


def method_at(analysis: FileAnalysis, offset: int) -> Symbol | None:
    """The function the file declares that ``m`` of ``obj:m`` / ``obj.m`` at ``offset``
    names (``function Class:m()`` of obj's class, ``method_symbol``'s links), when it
    is declared in this file (hover and go-to-definition)."""
    found = method_declaration_at(analysis, offset)
    return found[1] if found is not None and found[0] is analysis else None


def method_declaration_at(analysis: FileAnalysis, offset: int
                          ) -> tuple[FileAnalysis, Symbol] | None:
    """``method_at``'s function with the analysis of the file that declares it, this
    one or another (``function M:m()`` of the module ``local M = require("m")`` loads,
    or of the class a module's constructor made obj from)."""
    written = member_written_at(analysis, offset)
    return method_symbol(analysis, written[0], written[1].text) if written is not None \
        else None


def made_from(analysis: FileAnalysis, symbol: Symbol) -> list[tuple[FileAnalysis, Symbol]]:
    """The values ``symbol``'s value was made from, with the analysis each is in (its
    metatables, the class whose function made it, the table a loaded module returns)."""
    return _made_from(analysis, symbol)


def parameter_owner(analysis: FileAnalysis, parameter: Symbol) -> str | None:
    """The table whose methods a parameter's value has: the object of the method whose
    implicit parameter it is (``self`` of ``function obj:m()``); the table T of
    ``function T.f(p)`` or ``T.f = function(p)`` whose first parameter p is (a method
    call ``x:f()`` passes x there) when p is named as an implicit parameter (``self``)
    or T is a class (a metatable's ``metatable_index``: ``T.__index = T``). None for
    any other parameter: its methods are only those its function calls on it."""
    model, definition = analysis.model, analysis.parsed.definition
    if parameter.start == parameter.end:  # implicit: no text of its own
        return method_owning(model, parameter, definition.structure.method_separator or ":")
    identifier = definition.lexical.identifier
    text = analysis.parsed.text
    head = text[max(0, parameter.start - 200):parameter.start]
    first = re.search(r"(?:\bfunction\s+(" + identifier + r")\s*\.\s*" + identifier
                      + r"|(?<![.:\w])(" + identifier + r")\s*\.\s*" + identifier
                      + r"\s*" + re.escape(definition.structure.assignment)
                      + r"\s*function)\s*\(\s*$", head)
    table = (first.group(1) or first.group(2)) if first is not None \
        else _constructor_owner(analysis, parameter)
    if table is None:
        return None
    if parameter.name in _implicit_names(definition) or _is_class_table(analysis, table):
        return table
    return None


def _implicit_names(definition: LanguageDefinition) -> frozenset[str]:
    """The names of the grammar's implicit parameters (Lua's ``self``)."""
    grammar = definition.grammar
    return frozenset(p.meaning.implicit_parameter for p in grammar.rules
                     if p.meaning.implicit_parameter) if grammar is not None else frozenset()


def _is_class_table(analysis: FileAnalysis, table: str) -> bool:
    """Is ``table`` a metatable's ``metatable_index`` in the file (``T.__index = T``,
    ``{__index = T}``), or a metatable itself (``setmetatable(o, T)``, ``T.__index =
    Class``)?"""
    structure = analysis.parsed.definition.structure
    name = re.escape(table) + r"\b"
    forms = []
    if structure.metatable_index:
        index = re.escape(structure.metatable_index) + r"\s*" \
            + re.escape(structure.assignment) + r"(?!=)\s*"
        forms.append(r"\b" + index + name)  # T.__index = T, {__index = T}
        forms.append(r"(?<![.:\w])" + re.escape(table) + r"\s*\.\s*" + index)  # a metatable

    if structure.metatable_call:
        forms.append(r"\b" + re.escape(structure.metatable_call) + r"\s*\([^()]*,\s*"
                     + name + r"\s*\)")
    return any(re.search(form, analysis.parsed.text) for form in forms)


def method_owning(model: SemanticModel, parameter: Symbol, separator: str) -> str | None:
    """The object of the innermost method (``function obj:m()``) whose implicit first
    parameter ``parameter`` is: the one declared where that parameter is."""
    best: Symbol | None = None
    for symbol in model.symbols:
        if symbol.kind in ROUTINE_KINDS and separator in symbol.name \
                and symbol.decl_start <= parameter.start < symbol.decl_end \
                and (best is None or symbol.decl_start > best.decl_start):
            best = symbol
    return None if best is None else best.name.rpartition(separator)[0]


def _made_from(analysis: FileAnalysis, symbol: Symbol) -> list[tuple[FileAnalysis, Symbol]]:
    """The values ``symbol``'s value was made from (with the analysis each is in): its
    metatables, the class whose function made it, the table a loaded module returns."""
    out: list[tuple[FileAnalysis, Symbol]] = []
    for start in _value_starts(analysis, symbol):
        out += _made_at(analysis, start, symbol)
    for at in _index_fields(analysis, symbol):
        found = _symbol_named(analysis, at)
        if found is not None and found is not symbol:
            out.append((analysis, found))
    return out + _mixins(analysis, symbol)


def _mixins(analysis: FileAnalysis, symbol: Symbol) -> list[tuple[FileAnalysis, Symbol]]:
    """The tables ``symbol``'s class is given the functions of by a mixin's call
    (``structure.mixin_calls``: ``C:implement(Polygon)``): its arguments that are names,
    the file's own or a global another file assigns."""
    structure = analysis.parsed.definition.structure
    if not structure.mixin_calls or not structure.method_separator:
        return []
    call = re.compile(r"\s*" + re.escape(structure.method_separator) + r"\s*(?:"
                      + "|".join(re.escape(c) for c in structure.mixin_calls) + r")\s*\(")
    out = []
    for ref in analysis.model.references_to(symbol):
        found = call.match(analysis.parsed.text, ref.end)
        for at in _name_arguments(analysis, found.end()) if found is not None else []:
            mixin = _named_anywhere(analysis, at)
            if mixin is not None and mixin[1] is not symbol:
                out.append(mixin)
    return out


def _index_fields(analysis: FileAnalysis, symbol: Symbol) -> list[int]:
    """Where the names ``symbol.__index = Name`` assigns start (``metatable_index``): a
    metatable's instances have Name's methods (``mt.__index = Class``)."""
    structure = analysis.parsed.definition.structure
    if not structure.metatable_index:
        return []
    field = re.compile(r"\s*\.\s*" + re.escape(structure.metatable_index) + r"\s*"
                       + re.escape(structure.assignment) + r"(?!=)\s*("
                       + analysis.parsed.definition.lexical.identifier + r")\s*(?:$|[;\n])",
                       re.MULTILINE)
    return [m.start(1) for ref in analysis.model.references_to(symbol)
            if (m := field.match(analysis.parsed.text, ref.end)) is not None]


def _made_at(analysis: FileAnalysis, start: int, symbol: Symbol | None
             ) -> list[tuple[FileAnalysis, Symbol]]:
    """What the value at ``start`` was made from (see ``_made_from``)."""
    start = _last_alternative(analysis, start)
    module = module_name_at(analysis.parsed.text, start, analysis.parsed.definition)
    if module is not None:
        return _module_value(analysis, module)
    bases = _class_call_bases(analysis, start)
    if bases is not None:
        return bases
    made = _made_by_function(analysis, start)
    if made:
        return made
    out = []
    for name_at in _class_names_at(analysis, start, symbol):
        found = _symbol_named(analysis, name_at)
        if found is not None and found is not symbol:
            out.append((analysis, found))
    return out


def _last_alternative(analysis: FileAnalysis, start: int) -> int:
    """In ``a or B()`` (a binary operator that is a word), where ``B()`` starts: the
    value a class file gives itself when it is not loaded yet (``local C = C or Base()``)."""
    words = [re.escape(op.symbol) for op in analysis.parsed.definition.operators
             if op.binary and op.is_word]
    if not words:
        return start
    identifier = analysis.parsed.definition.lexical.identifier
    either = re.compile(r"(?:" + identifier + r")\s+(?:" + "|".join(words) + r")\s+")
    found = either.match(analysis.parsed.text, start)
    while found is not None:
        start = found.end()
        found = either.match(analysis.parsed.text, start)
    return start


def _class_call(analysis: FileAnalysis, start: int) -> re.Match[str] | None:
    """A call of a class library's function at ``start`` (``structure.class_calls``):
    ``class(...)``, ``lib.class(...)``, ``Base:extend(...)``, ``class "C"``."""
    calls = analysis.parsed.definition.structure.class_calls
    if not calls:
        return None
    identifier = analysis.parsed.definition.lexical.identifier
    call = re.compile(r"(?:(" + identifier + r")\s*([.:])\s*)?(" + identifier
                      + r")\s*([(\"'{])")
    found = call.match(analysis.parsed.text, start)
    return found if found is not None and found.group(3) in calls else None


def _class_call_bases(analysis: FileAnalysis, start: int
                      ) -> list[tuple[FileAnalysis, Symbol]] | None:
    """A class library's call at ``start`` (``structure.class_calls``): the classes the
    class it makes is made from, its receiver called as a method (``Base:extend()``) and
    its arguments that are names (``class("C", Base)``); None: no such call there."""
    found = _class_call(analysis, start)
    if found is None:
        return None
    separator = analysis.parsed.definition.structure.method_separator or ":"
    names = [found.start(1)] if found.group(2) == separator else []
    if found.group(4) == "(":
        names += _name_arguments(analysis, found.end())
    return [base for at in names if (base := _named_anywhere(analysis, at)) is not None]


def _named_anywhere(analysis: FileAnalysis, at: int) -> tuple[FileAnalysis, Symbol] | None:
    """The symbol the name at ``at`` means, with its analysis: the file's own, else the
    global another file of the workspace assigns (``Base`` of ``C = Base:extend()``, a
    class a program's other file makes)."""
    found = _symbol_named(analysis, at)
    if found is not None:
        return analysis, found
    name = re.match(analysis.parsed.definition.lexical.identifier, analysis.parsed.text[at:])
    return shared_global(analysis, name.group()) if name is not None else None


def shared_global(analysis: FileAnalysis, name: str) -> tuple[FileAnalysis, Symbol] | None:
    """The global ``name`` that another file of the workspace assigns
    (``analysis.shared_globals``), as that file's analysis declares it."""
    where = analysis.shared_globals.get(name) or analysis.shared_globals.get(analysis.model.key(name))
    if where is None:
        return None
    try:
        stat = os.stat(where)
    except OSError:
        return None
    loaded = module_analysis(Path(where), stat.st_mtime_ns, stat.st_size,
                             analysis.parsed.definition)
    if loaded is None:
        return None
    found = loaded.model.file_scope.symbols.get(loaded.model.key(name))
    return (loaded, found) if found is not None else None


def _name_arguments(analysis: FileAnalysis, at: int) -> list[int]:
    """The offsets of the arguments that are names in the arguments starting at ``at``
    (after the ``(``)."""
    text = analysis.parsed.text
    name = re.compile(r"\s*(" + analysis.parsed.definition.lexical.identifier
                      + r")\s*[,)]")
    out = []
    while True:
        found = name.match(text, at)
        if found is not None:
            out.append(found.start(1))
        end = _argument_end(text, at)
        if end is None or text[end] != ",":
            return out
        at = end + 1


def _made_by_function(analysis: FileAnalysis, start: int) -> list[tuple[FileAnalysis, Symbol]]:
    """``Class.new(...)``, ``M.open(...)`` (M a loaded module): what the function's
    ``return`` statements return is made from."""
    text = analysis.parsed.text
    identifier = analysis.parsed.definition.lexical.identifier
    call = re.compile(r"(" + identifier + r")\s*[.:]\s*(" + identifier + r")\s*[(\"'{]")
    found = call.match(text, start)
    owner = _symbol_named(analysis, found.start(1)) if found is not None else None
    if found is None or owner is None:
        return []
    owners = [(analysis, owner)] + _made_from_modules(analysis, owner)
    out: list[tuple[FileAnalysis, Symbol]] = []
    for where, table in owners:
        function = _declared_function(where, table.name, found.group(2))
        if function is not None:
            out += returned_values(where, function)
    return out


def _made_from_modules(analysis: FileAnalysis, symbol: Symbol) -> list[tuple[FileAnalysis, Symbol]]:
    out: list[tuple[FileAnalysis, Symbol]] = []
    for start in _value_starts(analysis, symbol):
        module = module_name_at(analysis.parsed.text, start, analysis.parsed.definition)
        out += _module_value(analysis, module) if module is not None else []
    return out


def returned_values(analysis: FileAnalysis, function: Symbol) -> list[tuple[FileAnalysis, Symbol]]:
    """What the ``return`` statements of ``function`` return: a variable, or what a
    value there was made from (``return setmetatable(self, Class)``)."""
    text = analysis.parsed.text
    identifier = analysis.parsed.definition.lexical.identifier
    out: list[tuple[FileAnalysis, Symbol]] = []
    returns = re.compile(r"\breturn\s+")
    for found in returns.finditer(text, function.decl_start, function.decl_end):
        name = re.compile(r"(" + identifier + r")\s*(?:$|[;\n]|end\b)").match(text, found.end())
        variable = _symbol_named(analysis, found.end()) if name is not None else None
        if variable is not None:
            out.append((analysis, variable))
        elif name is None:
            out += [m for m in _made_at(analysis, found.end(), None)
                    if m[1] is not function]
    return out


def _value_starts(analysis: FileAnalysis, symbol: Symbol) -> list[int]:
    """Where the values given to ``symbol`` start: its declaration's ``= value`` and each
    later ``symbol = value``; and ``f(symbol, mt)``, the metatable call with it first
    (the offset of the call's name)."""
    text = analysis.parsed.text
    structure = analysis.parsed.definition.structure
    assign = re.compile(r"\s*" + re.escape(structure.assignment) + r"(?!=)\s*")
    ends = [symbol.end] + [r.end for r in analysis.model.references_to(symbol)]
    starts = [m.end() for m in (assign.match(text, end) for end in ends) if m is not None]
    call = structure.metatable_call
    if call:
        before = re.compile(r"\b" + re.escape(call) + r"\s*\(\s*$")
        for ref in analysis.model.references_to(symbol):
            found = before.search(text, max(0, ref.start - len(call) - 8), ref.start)
            if found is not None:
                starts.append(found.start())
    return starts


def _class_names_at(analysis: FileAnalysis, start: int, symbol: Symbol | None
                    ) -> list[int]:
    """In a value at ``start``, the offsets of the names of what made it: a metatable
    call's metatable (``setmetatable(o, Class)``, ``{__index = Class}``), a table whose
    ``metatable_index`` field names one (``{__index = Base}``), a class whose function
    is called (``Class.new(...)``, ``Class:new(...)``, ``Class(...)``)."""
    text = analysis.parsed.text
    structure = analysis.parsed.definition.structure
    identifier = analysis.parsed.definition.lexical.identifier
    call = structure.metatable_call
    if call and re.match(re.escape(call) + r"\s*\(", text[start:start + len(call) + 8]):
        comma = _argument_end(text, text.index("(", start) + 1)
        if comma is None or text[comma] != ",":
            return []
        return _table_names(analysis, comma + 1)
    if text.startswith("{", start):
        return _table_names(analysis, start)
    made = re.compile(r"(" + identifier + r")\s*(?:[.:]\s*" + identifier + r"\s*)?\(")
    found = made.match(text, start)
    if found is None:
        return []
    maker = _symbol_named(analysis, found.start(1))
    is_class = maker is not None and maker is not symbol and _is_class(analysis, maker)
    return [found.start(1)] if is_class else []


def _is_class(analysis: FileAnalysis, symbol: Symbol) -> bool:
    """Does ``symbol`` hold a class: it has methods (``function C:m()``), or a class
    library's call or a loaded module made its value (``class("C")``, ``require("c")``)?"""
    if _colon_methods(analysis, symbol):
        return True
    text, definition = analysis.parsed.text, analysis.parsed.definition
    for start in _value_starts(analysis, symbol):
        start = _last_alternative(analysis, start)
        if _class_call(analysis, start) is not None \
                or module_name_at(text, start, definition) is not None:
            return True
    return False


def _colon_methods(analysis: FileAnalysis, symbol: Symbol) -> list[Symbol]:
    """The methods declared on ``symbol`` with the method separator (``function C:m()``)."""
    model = analysis.model
    head = model.key(symbol.name + (analysis.parsed.definition.structure.method_separator
                                    or ":"))
    return [s for s in model.symbols if s.kind in ROUTINE_KINDS
            and model.key(s.name).startswith(head)]


def _table_names(analysis: FileAnalysis, start: int) -> list[int]:
    """The name a metatable argument at ``start`` gives: a name, or the one its
    ``metatable_index`` field holds in a table constructor (``{__index = Class}``)."""
    text = analysis.parsed.text
    identifier = analysis.parsed.definition.lexical.identifier
    index = analysis.parsed.definition.structure.metatable_index
    name = re.compile(r"\s*(" + identifier + r")\s*[,)]").match(text, start)
    if name is not None:
        return [name.start(1)]
    if not index:
        return []
    table = re.compile(r"\s*\{[^{}]*?\b" + re.escape(index) + r"\s*=\s*(" + identifier + ")")
    found = table.match(text, start)
    return [found.start(1)] if found is not None else []


def _argument_end(text: str, at: int) -> int | None:
    """The offset of the ``,`` or ``)`` that ends the argument starting at ``at``."""
    depth = 0
    quote = ""
    for i in range(at, min(len(text), at + 4000)):
        c = text[i]
        if quote:
            quote = "" if c == quote and text[i - 1] != "\\" else quote
        elif c in "\"'":
            quote = c
        elif c in "({[":
            depth += 1
        elif c in ")}]":
            if depth == 0:
                return i
            depth -= 1
        elif c == "," and depth == 0:
            return i
    return None


def _symbol_named(analysis: FileAnalysis, at: int) -> Symbol | None:
    """The symbol the name at ``at`` means (a parameter ``self``: its method's object)."""
    model = analysis.model
    found = model.symbol_at(at)
    if found is not None and found.kind == SymbolKind.PARAMETER:
        owner = parameter_owner(analysis, found)
        return model.scope_at(at).lookup(model.key(owner)) if owner is not None else found
    return found


def _module_value(analysis: FileAnalysis, module: str) -> list[tuple[FileAnalysis, Symbol]]:
    """The table the module file returns (``return M`` at its end), in its analysis."""
    path = module_file(module, analysis.path, analysis.parsed.definition) \
        if analysis.path is not None else None
    if path is None:
        return []
    try:
        stat = os.stat(path)
    except OSError:
        return []
    loaded = module_analysis(path, stat.st_mtime_ns, stat.st_size, analysis.parsed.definition)
    if loaded is None:
        return []
    found = returned_symbol(loaded)
    return [(loaded, found)] if found is not None else []


def returned_symbol(analysis: FileAnalysis) -> Symbol | None:
    """The variable a file's last top-level ``return name`` returns, or the table a
    last ``return setmetatable(name, mt)`` (``structure.metatable_call``) gives its
    metatable and returns (a module callable as a function: ``__call``), or None; a
    variable declared with such a call (``local ret = setmetatable(M, M)``) stands for
    that table."""
    text = analysis.parsed.text
    definition = analysis.parsed.definition
    identifier = definition.lexical.identifier
    call = definition.structure.metatable_call
    given = re.escape(call) + r"\s*\(\s*(" + identifier + r")\s*," if call else None
    with_metatable = r"|" + given if given else ""
    found = list(re.finditer(r"^return\s+(?:(" + identifier + r")\s*;?\s*$" + with_metatable
                             + ")", text, re.MULTILINE))
    last = found[-1] if found else None
    if last is None:
        return None
    returned = analysis.model.symbol_at(last.start(last.lastindex or 1))
    if returned is None or given is None:
        return returned
    value = re.compile(r"\s*" + re.escape(definition.structure.assignment) + r"\s*" + given)
    table = value.match(text, returned.end)
    return (analysis.model.symbol_at(table.start(1)) if table else None) or returned


def loaded_members(analysis: FileAnalysis, symbol: Symbol) -> list[str]:
    """After ``M.``: the functions and fields of the table the module that initialised
    ``symbol`` returns (``local M = require("m")``), in the order the module gives them."""
    out: list[str] = []
    for start in _value_starts(analysis, symbol):
        module = module_name_at(analysis.parsed.text, start, analysis.parsed.definition)
        for loaded, returned in _module_value(analysis, module) if module else []:
            out += table_members(loaded, returned)
    return out
