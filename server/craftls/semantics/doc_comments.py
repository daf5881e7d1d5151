"""Annotation comments (the definition's ``lexical.doc_comments``): LuaLS/EmmyLua's
``---@param name type``, ``---@return type``, ``---@class Name: Base``, ``---@field name
type``, ``---@type type``, ``---@alias Name type``, read as data.

A run of line comments opened by the marker, on consecutive lines, is one block; it
describes what the line right after it declares. Each line is matched against the tags'
patterns (at its start, after the marker and blanks); a line no tag matches is
description when it does not start like a tag (an unknown tag is skipped, never an error).
What a tag ``means``:

* ``parameter``: the parameter ``name`` of the function declared there has ``type``;
* ``result``: the function's result (several: joined by commas);
* ``class``: a class ``name`` (``base``: its bases, comma-separated); the variable
  declared there is its table (its functions are the class's methods);
* ``field``: a field of the class the block named last;
* ``type``: the type of the variable declared there;
* ``alias``: ``name`` stands for ``type``.

The types land on the symbols (``type_text``, ``result_text``, ``doc``: hover and
signature help show them); classes and aliases are the file's ``DocInfo`` (member
completion reads them, ``features.doc_classes``)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..language.model import DocComments
from ..syntax.parse import ParsedFile
from ..syntax.tokens import COMMENT
from .model import ROUTINE_KINDS, SemanticModel, Symbol, SymbolKind

# the brackets a type expression may hold (``table<string, fun(a: T): R>``)
_OPEN, _CLOSE = "(<[{", ")>]}"
# a blank between these and the next part is inside one type (``string | nil``, ``a, b``)
_JOINERS = "|,:"


@dataclass
class DocClass:
    name: str
    bases: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # name -> type, in order
    table: Symbol | None = None  # the variable the block annotates: its functions


@dataclass
class DocInfo:
    classes: dict[str, DocClass] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    tagged: bool = False  # a line of it matched a tag


@dataclass
class _Block:
    end: int  # where the block's last line ends
    params: dict[str, str] = field(default_factory=dict)
    results: list[str] = field(default_factory=list)
    typed: str = ""
    classes: list[DocClass] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    tagged: bool = False  # a line of it matched a tag


@lru_cache(maxsize=16)  # one per definition
def compiled(spec: DocComments) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(t.pattern), t.means) for t in spec.tags)


def type_prefix(text: str) -> str:
    """The type expression ``text`` starts with: up to the first blank outside brackets
    that joins no two parts (``string|nil the name`` -> ``string|nil``)."""
    depth = 0
    text = text.strip()
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and not (ch == ">" and text[i - 1:i] == "-"):
            depth = max(0, depth - 1)
        elif ch.isspace() and depth == 0:
            before, after = text[:i].rstrip(), text[i:].lstrip()
            if not (before.endswith(tuple(_JOINERS)) or after.startswith(tuple(_JOINERS))):
                return text[:i]
    return text


def comment_lines(parsed: ParsedFile, spec: DocComments) -> list[tuple[int, int, str]]:
    """(line start, line end, text after the marker) of each comment line that begins
    (after blanks) with the marker."""
    text = parsed.text
    out = []
    marker = re.escape(spec.marker)
    for m in re.finditer(r"^[ \t]*" + marker + r"(?!" + marker[-2:] + r")(.*)$", text, re.M):
        at = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        token = parsed.root.token_at(at)
        if token is not None and token.kind == COMMENT and token.start == at:
            out.append((m.start(), m.end(), m.group(1)))
    return out


def _blocks(parsed: ParsedFile, spec: DocComments) -> list[_Block]:
    tags = compiled(spec)
    blocks: list[_Block] = []
    last_end = -2
    for start, end, content in comment_lines(parsed, spec):
        if not blocks or start != last_end + 1:
            blocks.append(_Block(end))
        block = blocks[-1]
        block.end = last_end = end
        _read_line(block, content.strip(), tags)
    return blocks


def _read_line(block: _Block, line: str, tags: tuple[tuple[re.Pattern[str], str], ...]
               ) -> None:
    for pattern, means in tags:
        m = pattern.match(line)
        if m is None:
            continue
        groups = m.groupdict()
        block.tagged = True
        typed = type_prefix(groups.get("type") or "")
        if means == "parameter":
            block.params[groups["name"]] = typed
        elif means == "result":
            block.results.append(typed)
        elif means == "type":
            block.typed = typed
        elif means == "class":
            bases = [b.strip() for b in (groups.get("base") or "").split(",") if b.strip()]
            block.classes.append(DocClass(groups["name"], bases))
        elif means == "field" and block.classes:
            block.classes[-1].fields.setdefault(groups["name"], typed)
        elif means == "alias":
            block.aliases[groups["name"]] = typed
        return
    if line and not re.match(r"\W\w", line):  # not an unknown tag (@see, @deprecated)
        block.text.append(line)


def read(parsed: ParsedFile, model: SemanticModel) -> DocInfo:
    """The file's classes and aliases; the declarations after each block get its types."""
    spec = parsed.definition.lexical.doc_comments
    info = DocInfo()
    if spec is None or spec.marker not in parsed.text:
        return info
    # (a run of description only, a `---` rule between sections, types nothing: the
    # symbols, made lazily for an unchanged statement, are not asked for it)
    blocks = [b for b in _blocks(parsed, spec) if b.tagged]
    if not blocks:
        return info
    symbols = sorted(model.symbols, key=lambda s: s.start)
    starts = [s.start for s in symbols]
    text = parsed.text
    for block in blocks:
        _apply_block(text, block, symbols, starts, info)
    _loop_variables(parsed, model, symbols)
    _call_results(parsed, model, symbols, info)
    return info


def _method_result(model: SemanticModel, callee: str, at: int, info: DocInfo,
                   results: dict[str, str]) -> str | None:
    """The annotated result of ``obj:m`` / ``obj.m`` where ``obj`` is a variable of an
    annotated class of the file: its table's function ``m``."""
    found = re.match(r"(\w+)(\W+)(\w+)$", callee)
    receiver = model.scope_at(at).lookup(model.key(found.group(1)), at) if found else None
    if found is None or receiver is None or not receiver.type_text:
        return None
    cls = info.classes.get(receiver.type_text.rstrip("?"))
    if cls is None or cls.table is None:
        return None
    for sep in (found.group(2), ".", ":"):
        result = results.get(cls.table.name + sep + found.group(3))
        if result:
            return result
    return None


def _call_results(parsed: ParsedFile, model: SemanticModel, symbols: list[Symbol],
                  info: DocInfo) -> None:
    """``local item = Item.new(x)``: a variable declared with a call of a function of
    the file whose result is annotated (``---@return Item``) has that type (its first
    result); so does one declared with a method call on a value of an annotated class of
    the file (``local moved = item:moved(1)``)."""
    results = {s.name: s.result_text for s in symbols
               if s.kind in ROUTINE_KINDS and s.result_text}
    if not results:
        return
    definition = parsed.definition
    ident = definition.lexical.identifier
    separator = re.escape(definition.structure.method_separator or ".")
    call = re.compile(r"[ \t]*" + re.escape(definition.structure.assignment) + r"[ \t]*("
                      + ident + r"(?:\s*(?:\.|" + separator + r")\s*" + ident + r")*)\s*\(")
    for symbol in symbols:
        if symbol.kind != SymbolKind.VARIABLE or symbol.type_text:
            continue
        m = call.match(parsed.text, symbol.end)
        callee = re.sub(r"\s+", "", m.group(1)) if m is not None else ""
        result = results.get(callee) or _method_result(model, callee, m.start(1), info,
                                                       results) if m is not None else None
        if result:
            symbol.type_text = type_prefix(result.split(",")[0]) if "<" not in result \
                else result


def _apply_block(text: str, block: _Block, symbols: list[Symbol], starts: list[int],
                 info: DocInfo) -> None:
    """The block's types onto what the line after it declares."""
    line_start = _next_line(text, block.end)
    declared: list[Symbol] = []
    if line_start is not None:
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        declared = symbols[bisect_left(starts, line_start):bisect_left(starts, line_end)]
    _apply(block, declared, info)


# the element types of an annotated collection: a list ``T[]``, a map ``table<K, V>``
_LIST = re.compile(r"(.+)\[\]")
_MAP = re.compile(r"table\s*<\s*([^,<>]+?)\s*,\s*(.+?)\s*>")
# the runtime operations (``implements``) of the builtins whose rows a generic for reads
_ROWS = ("ipairs", "pairs")


def element_types(type_text: str) -> tuple[str, str] | None:
    """(key, value) types of the rows of a collection of annotated type ``type_text``."""
    text = type_text.strip()
    if (m := _LIST.fullmatch(text)) is not None and "|" not in text:
        return "integer", m.group(1).strip()
    if (m := _MAP.fullmatch(text)) is not None:
        return m.group(1), m.group(2)
    return None


def _loop_variables(parsed: ParsedFile, model: SemanticModel, symbols: list[Symbol]) -> None:
    """``for k, v in ipairs(items)``, ``pairs(items)`` (a builtin implementing those
    rows) over a name of annotated collection type: k and v get its key and value types."""
    definition = parsed.definition
    rows = [b.name for b in definition.builtins if b.implements in _ROWS]
    spelling = definition.spelling("in")
    if not rows or spelling is None:
        return
    ident = definition.lexical.identifier
    pattern = re.compile(r"((?:\s*,\s*" + ident + r")*)\s*" + re.escape(spelling) + r"\s+(?:"
                         + "|".join(map(re.escape, rows)) + r")\s*\(\s*(" + ident + r")\s*\)")
    loops = [s for s in symbols if s.kind == SymbolKind.LOOP_VARIABLE and not s.type_text]
    text = parsed.text
    for first in loops:
        m = pattern.match(text, first.end) if not first.type_text else None
        if m is None:
            continue
        collection = model.scope_at(m.start(2)).lookup(model.key(m.group(2)), m.start(2))
        types = element_types(collection.type_text) \
            if collection is not None and collection.type_text else None
        if types is None:
            continue
        first.type_text = types[0]
        second = re.match(r"\s*,\s*(" + ident + ")", m.group(1))
        value = model.symbol_at(first.end + second.start(1)) if second is not None else None
        if value is not None and value.kind == SymbolKind.LOOP_VARIABLE:
            value.type_text = types[1]


def _next_line(text: str, end: int) -> int | None:
    """The start of the line after the block's, when the block's last line ends there
    (a blank line between: the block describes nothing)."""
    if end >= len(text):
        return None
    at = end + 1 if text[end] == "\n" else end + 2 if text.startswith("\r\n", end) else None
    if at is None or at >= len(text) or not text[at:].lstrip(" \t")[:1].strip():
        return None
    return at


def _apply(block: _Block, declared: list[Symbol], info: DocInfo) -> None:
    _add_classes(block, info)
    main = next((s for s in declared if s.kind != SymbolKind.PARAMETER), None)
    for symbol in declared:
        if symbol.kind == SymbolKind.PARAMETER and symbol.name in block.params:
            symbol.type_text = block.params[symbol.name]
    if main is None:
        return
    if block.text and not main.doc:
        main.doc = "\n".join(block.text)
    if main.kind in ROUTINE_KINDS:
        _apply_function(block, main)
        return
    classes = [c for c in block.classes if c.name in info.classes]
    if classes:
        main.type_text = classes[0].name
        info.classes[classes[0].name].table = info.classes[classes[0].name].table or main
    elif block.typed:
        main.type_text = block.typed


def _add_classes(block: _Block, info: DocInfo) -> None:
    """The block's aliases and classes into the file's (a class declared again, in
    parts: one class, its bases and fields merged)."""
    info.aliases.update(block.aliases)
    for cls in block.classes:
        known = info.classes.setdefault(cls.name, cls)
        if known is not cls:
            known.bases += [b for b in cls.bases if b not in known.bases]
            for name, typed in cls.fields.items():
                known.fields.setdefault(name, typed)


def _apply_function(block: _Block, function: Symbol) -> None:
    if block.results:
        function.result_text = ", ".join(block.results)
    for p in function.params:
        if p.name in block.params:
            p.type_text = block.params[p.name]
