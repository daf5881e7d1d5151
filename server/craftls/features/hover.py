"""Hover and signature help."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from ..language.model import Builtin
from ..semantics.diagnostics import FileAnalysis
from ..semantics.model import Reference, Symbol, SymbolKind
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tokens import IDENT, PUNCT
from ..syntax.tree import GreenNode, SyntaxNode, SyntaxToken
from .completion_methods import constructor_method_at, method_at
from .host_members import host_member_at
from .navigation import (
    external_target,
    library_member_at,
    meant,
    member_at,
    member_context,
    method_declaration,
)


@dataclass(frozen=True)
class HoverInfo:
    start: int
    end: int
    markdown: str


def hover(analysis: FileAnalysis, offset: int) -> HoverInfo | None:
    definition = analysis.parsed.definition
    lang = definition.id
    item = analysis.model.at(offset)
    if item is None:
        member = member_at(analysis, offset)
        token = analysis.parsed.root.token_at(offset)
        if member is not None and token is not None:  # `.corner` of `box.corner`
            item = Reference(token.text, token.start, token.end, member)
        library = library_member_at(analysis, offset) if member is None else None
        if library is None and member is None:
            library = method_function(analysis, offset)  # `rep` of `s:rep(2)`
        declared = method_at(analysis, offset) if library is None and member is None \
            else None
        if declared is not None and token is not None:  # `push` of `obj:push()`
            item = Reference(token.text, token.start, token.end, declared)
        method = constructor_method_at(analysis, offset) \
            if library is None and member is None and declared is None else None
        if method is not None and token is not None:  # `push` of `self:push()`
            table, key, params = method
            line = analysis.parsed.text.count("\n", 0, key.start) + 1
            return HoverInfo(token.start, token.end,
                             f"```{lang}\nfunction {table.name}.{key.text}({params})\n```"
                             f"\n\nfunction of the table `{table.name}`, declared in its "
                             f"constructor on line {line}")
        elsewhere = _declared_elsewhere(analysis, offset) \
            if library is None and member is None and declared is None and method is None \
            else None
        if elsewhere is not None:  # `push` of `q:push()`, q made by another file's class
            return elsewhere
        if library is not None and token is not None:  # `rep` of `string.rep`
            owner, function = library
            return HoverInfo(token.start, token.end,
                             f"```{lang}\n{owner.name}.{function.signature()}\n```\n\n"
                             f"function of the builtin library `{owner.name}` of "
                             f"{definition.name}"
                             + (f"\n\n{function.description}" if function.description else ""))
    if item is not None:
        symbol = meant(analysis, item) if isinstance(item, Reference) else item
        if symbol is not None:
            symbol = analysis.model.declaration_of(symbol)  # a method body's: its type's
            line = analysis.parsed.text.count("\n", 0, symbol.start) + 1
            body = f"```{lang}\n{symbol.signature()}\n```\n\n{symbol.kind}, declared on line {line}"
            if symbol.doc:
                body += f"\n\n{symbol.doc}"
            inferred = _type_text(analysis, item.start, item.end, symbol)
            if inferred:
                body += f"\n\ntype: `{inferred}`"
            return HoverInfo(item.start, item.end, body)
        if isinstance(item, Reference) and item.builtin is not None:
            builtin = definition.builtin(item.builtin)
            # a library's function imported alone (`FROM InOut IMPORT WriteString`)
            qualifier = item.builtin.rpartition(".")[0]
            if builtin is not None and qualifier:
                return HoverInfo(item.start, item.end,
                                 f"```{lang}\n{qualifier}.{builtin.signature()}\n```\n\n"
                                 f"function of the builtin library `{qualifier}` of "
                                 f"{definition.name}"
                                 + (f"\n\n{builtin.description}" if builtin.description else ""))
            if builtin is not None:
                return HoverInfo(item.start, item.end,
                                 f"```{lang}\n{builtin.signature()}\n```\n\nbuiltin of "
                                 f"{definition.name}\n\n{builtin.description}")
    hosted = _host_member(analysis, offset) if not isinstance(item, Symbol) \
        and (item is None or item.symbol is None) else None
    if hosted is not None:  # `love`, `print` of `love.graphics.print`
        return hosted
    target = external_target(analysis, offset)
    if target is not None:
        path, name = target
        token = analysis.parsed.root.token_at(offset)
        for exports in analysis.modules.values():
            if str(exports.path) == path:
                doc = next((d for n, d in exports.names.items() if n.lower() == name.lower()), "")
                shown = next((r[0] for n, r in exports.routines.items()
                              if n.lower() == name.lower()), name)  # with its parameters
                if token is not None:
                    return HoverInfo(token.start, token.end,
                                     f"```{lang}\n{shown}\n```\n\n{doc} (read-only source: "
                                     f"`{path}`)")
        if token is not None and analysis.shared_globals.get(name) == path:
            where = ("declared in another file of its package"
                     if definition.structure.package_scope == "folder"
                     else "a global of the workspace, assigned")
            return HoverInfo(token.start, token.end,
                             f"```{lang}\n{name}\n```\n\n{where} in `{path}`")
    token = analysis.parsed.root.token_at(offset)
    if token is not None and token.kind.startswith("kw_"):
        concept = token.kind[3:]
        doc = definition.keyword_docs.get(concept, "")
        return HoverInfo(token.start, token.end,
                         f"`{token.text}`: keyword of {definition.name} ({concept})"
                         + (f"\n\n{doc}" if doc else ""))
    return None


def _declared_elsewhere(analysis: FileAnalysis, offset: int) -> HoverInfo | None:
    """At ``m`` of ``obj:m``/``obj.m``: the table's function or field another file declares
    (``function M:m()`` of the module obj's value comes from, ``M.m = ...``)."""
    found = method_declaration(analysis, offset)
    token = analysis.parsed.root.token_at(offset)
    if found is None or token is None or found.analysis is analysis:
        return None
    declared_in = found.analysis
    line = declared_in.parsed.text.count("\n", 0, found.start) + 1
    where = f"`{declared_in.path}`" if declared_in.path is not None else "another file"
    lang = analysis.parsed.definition.id
    if found.symbol is not None:
        body = f"```{lang}\n{found.symbol.signature()}\n```\n\n{found.symbol.kind}, " \
               f"declared in {where} on line {line}"
        return HoverInfo(token.start, token.end,
                         body + (f"\n\n{found.symbol.doc}" if found.symbol.doc else ""))
    return HoverInfo(token.start, token.end,
                     f"```{lang}\n{found.owner}.{found.name}\n```\n\nfield of the table "
                     f"`{found.owner}`, assigned in {where} on line {line}")


def _host_member(analysis: FileAnalysis, offset: int) -> HoverInfo | None:
    """A host's global or a member the definition lists for it (``structure.host_globals``'
    ``members``): its path, whether the host lists members of it, and its description
    when the definition gives one."""
    found = host_member_at(analysis, offset)
    if found is None:
        return None
    start, end, member = found
    owner = member.path.rpartition(".")[0]
    lang = analysis.parsed.definition.id
    if not owner:
        what = f"a global the host {member.host.host} provides"
    else:
        what = f"{'table' if member.table else 'member'} of `{owner}`, which the host " \
               f"{member.host.host} provides"
    return HoverInfo(start, end, f"```{lang}\n{member.path}\n```\n\n{what}"
                     + (f"\n\n{member.description}" if member.description else ""))


def _type_text(analysis: FileAnalysis, start: int, end: int, symbol: Symbol) -> str | None:
    """The type of the name at ``start``..``end``: the one recorded there, else its
    symbol's; never that of an expression around it (`mode == "a"` is a boolean,
    `print(s)` none, not `mode` or `s`)."""
    report = analysis.types
    t = report.type_ending_at(end, start, symbol) if report is not None else None
    text = report.display(t) if t is not None else None
    # else the type an annotation comment gives it (``lexical.doc_comments``)
    return text if text not in ("unknown", "?", None) else symbol.type_text or None


@dataclass(frozen=True)
class SignatureInfo:
    label: str
    parameters: list[str]
    active_parameter: int
    documentation: str = ""


def signature_help(analysis: FileAnalysis, offset: int) -> SignatureInfo | None:
    if analysis.parsed.definition.grammar is not None:
        return _call_site_help(analysis, offset)
    root = analysis.parsed.root
    node = root.covering_node(offset, offset)
    for ancestor in node.ancestors():
        if ancestor.kind != K.CALL_EXPR:
            continue
        args = ancestor.child_of_kind(K.ARG_LIST)
        callee = next(ancestor.children(), None)
        if args is None or callee is None or not (args.start < offset <= args.end):
            continue
        active = sum(1 for t in args.tokens() if t.text == "," and t.start < offset)
        # `MathLib.Square(`: the routine is the member's name, not the module before it
        names = list(callee.descendants_of_kind(K.NAME_REF)) \
            if callee.kind == K.MEMBER_EXPR else [callee]
        found = _named_help(analysis, names[-1].start if names else callee.start, active)
        if found is not None:
            return found
    return None


def _clamped(active: int, params: list[str]) -> int:
    return min(active, max(len(params) - 1, 0))


def _symbol_help(symbol: Symbol, active: int) -> SignatureInfo:
    params = symbol.parameter_labels()
    return SignatureInfo(symbol.signature(), params, _clamped(active, params))


def _builtin_help(builtin: Builtin, active: int, owner: str = "") -> SignatureInfo:
    params = [f"{p.name}: {p.type}" for p in builtin.params]
    return SignatureInfo(f"{owner}.{builtin.signature()}" if owner else builtin.signature(),
                         params, _clamped(active, params), builtin.description)


def _named_help(analysis: FileAnalysis, callee: int, active: int) -> SignatureInfo | None:
    """The help for a call of the name at ``callee``: a routine of the file, a builtin,
    or a routine an imported module exports (``Square(`` after ``USES MathLib``)."""
    model = analysis.model
    symbol = model.symbol_at(callee)
    if symbol is not None and symbol.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
        return _symbol_help(symbol, active)
    item = model.at(callee)
    if isinstance(item, Reference) and item.builtin:
        builtin = analysis.parsed.definition.builtin(item.builtin)
        if builtin is not None:
            return _builtin_help(builtin, active, item.builtin.rpartition(".")[0])
    return _external_help(analysis, callee, active)


def _external_help(analysis: FileAnalysis, callee: int, active: int) -> SignatureInfo | None:
    """A routine an imported module exports, called by its name or through the module's
    (``MathLib.Square(``): its signature as the module declares it."""
    target = external_target(analysis, callee)
    if target is None:
        return None
    path, name = target
    key = analysis.model.key(name)
    for exports in analysis.modules.values():
        if str(exports.path) != path:
            continue
        for exported, (label, params) in exports.routines.items():
            if analysis.model.key(exported) == key:
                return SignatureInfo(label, list(params), _clamped(active, list(params)))
    return None


def _call_site_help(analysis: FileAnalysis, offset: int) -> SignatureInfo | None:
    """A grammar-defined language: its calls are the model's call sites (``call:`` rules)
    and the calls of member parts (``Out.Int(``, ``string.rep(``), the innermost one
    whose argument list holds ``offset``; or, while typing (``f(a, )``, which parses
    as ``f(a`` and an error), the argument list the parse cut short before it; or, when
    the parse holds no call there at all, the call its tokens show (``_open_call``)."""
    found = _help_inside(analysis, offset, offset)
    grammar = analysis.parsed.definition.grammar
    if grammar is None:
        return None
    if found is None:
        from ..language.grammar_spec import argument_rules
        from ..semantics.grammar_members import cut_argument_list
        cut = cut_argument_list(analysis.parsed.root, offset, argument_rules(grammar))
        found = _help_inside(analysis, cut.end, offset) if cut is not None else None
    typed = _open_call(analysis, offset)
    if typed is not None and (found is None or typed[0].start > found[0]):
        paren, before, active = typed  # a call inside the one the parse saw, or none
        inner = _typed_callee(analysis, before, active)
        if inner is not None:
            return inner
    return found[1] if found is not None else None


def _help_inside(analysis: FileAnalysis, inside: int, offset: int
                 ) -> tuple[int, SignatureInfo] | None:
    """(where its argument list starts, the help) for the innermost call whose argument
    list holds ``inside``, its active parameter counted at ``offset``."""
    model = analysis.model
    inside_calls = [c for c in model.calls_between(inside, inside)
                    if c.args_start < inside <= c.args_end]
    call = min(inside_calls, key=lambda c: c.args_end - c.args_start) \
        if inside_calls else None
    member = _member_call_help(analysis, inside, offset)
    if member is not None and (call is None or call.args_start <= member[0]):
        return member
    if call is None:
        return None
    active = _active(analysis, call.arg_ranges, offset)
    symbol = call.callee.symbol
    if symbol is not None:
        # of overloaded routines, the one the type check chose for the call, else one
        # that takes the arguments written so far
        at = analysis.types.overload_at(call.callee.start) \
            if analysis.types is not None and symbol in analysis.model.overloads else None
        group = analysis.model.overloads.get(symbol)
        symbol = group[at] if group is not None and at is not None and at < len(group) \
            else analysis.model.overload_for(symbol, max(call.args, active + 1), typing=True)
        return call.args_start, _symbol_help(symbol, active)
    named = call.callee.builtin or ""
    builtin = analysis.parsed.definition.builtin(named)
    found = _builtin_help(builtin, active, named.rpartition(".")[0]) if builtin is not None \
        else _external_help(analysis, call.callee.start, active)
    return (call.args_start, found) if found is not None else None


def _member_call_help(analysis: FileAnalysis, inside: int, offset: int
                      ) -> tuple[int, SignatureInfo] | None:
    """(where its argument list starts, the help) for the innermost call of a member part
    whose argument list holds ``inside``: a builtin library's function, a routine an
    imported module exports, or a method or procedure the receiver's declared type has;
    the active parameter counted at ``offset``."""
    from ..semantics.grammar_members import member_call_at
    context = member_context(analysis)
    grammar = analysis.parsed.definition.grammar
    if context is None or grammar is None:
        return None
    from ..language.grammar_spec import argument_rules
    found = member_call_at(context, inside, argument_rules(grammar))
    if found is None:
        return None
    args, callee = found
    active = _active(analysis, [(c.start, c.end) for c in args.children()
                                if c.kind != K.ERROR], offset)
    help_ = _member_help(analysis, callee, active)
    return (args.start, help_) if help_ is not None else None


def _member_help(analysis: FileAnalysis, callee: int, active: int) -> SignatureInfo | None:
    """The help for a call of the member part whose name is at ``callee``."""
    symbol = member_at(analysis, callee)
    if symbol is not None and symbol.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
        return _symbol_help(symbol, active)
    library = library_member_at(analysis, callee)
    if library is not None:
        owner, function = library
        return _builtin_help(function, active, owner.name)
    return _external_help(analysis, callee, active) or _method_help(analysis, callee, active) \
        or _table_function_help(analysis, callee, active)


def _table_function_help(analysis: FileAnalysis, callee: int, active: int
                         ) -> SignatureInfo | None:
    """``obj:m(`` / ``obj.f(``: the function the receiver's value has (``function
    Class:m()`` of the class it was made from, of its annotated class, of the module it
    loads); after the method separator, without the parameter the receiver fills (the
    implicit ``self``, or the first of a function declared with ``.``)."""
    from .completion_methods import method_symbol
    tokens = [t for t in tokens_before(analysis.parsed, callee + 1) if not t.is_trivia]
    if len(tokens) < 3 or tokens[-1].kind != IDENT or tokens[-3].kind != IDENT:
        return None
    receiver, separator, name = tokens[-3], tokens[-2], tokens[-1]
    model = analysis.model
    symbol = model.scope_at(receiver.start).lookup(model.key(receiver.text), receiver.start)
    found = method_symbol(analysis, symbol, name.text) if symbol is not None else None
    if found is None:
        return None
    function = found[1]
    params = function.parameter_labels()
    method = analysis.parsed.definition.structure.method_separator
    if method and separator.text == method and method not in function.name:
        params = params[1:]  # obj:f( of `function T.f(self, x)`: obj is its first
    result = f": {function.result_text}" if function.result_text else ""
    label = f"{function.kind} {function.name}({', '.join(params)}){result}"
    return SignatureInfo(label, params, _clamped(active, params), function.doc)


def _method_help(analysis: FileAnalysis, callee: int, active: int) -> SignatureInfo | None:
    """A method call that runs as a builtin library's function with the receiver as its
    first argument (``s:rep(`` is ``string.rep(s, ``): the function's help, its active
    parameter one after the argument the cursor is in."""
    found = method_function(analysis, callee)
    return _builtin_help(found[1], active + 1, found[0].name) if found is not None else None


def method_function(analysis: FileAnalysis, offset: int) -> tuple[Builtin, Builtin] | None:
    """(library, function) when the name at ``offset`` is a method that runs as the
    library's function with the receiver first (``rep`` of ``s:rep(2)``: the ``methods``
    of the grammar's ``index`` construct)."""
    definition = analysis.parsed.definition
    if definition.grammar is None:
        return None
    tokens = [t for t in tokens_before(analysis.parsed, offset + 1) if not t.is_trivia]
    token = tokens[-1] if tokens else None
    if token is None or token.kind != IDENT or token.end <= offset or len(tokens) < 2:
        return None
    separator = tokens[-2]
    from ..language.grammar_spec import method_libraries
    library = definition.builtin(method_libraries(definition.grammar).get(separator.text, ""))
    key = analysis.model.key(token.text)
    function = next((m for m in library.members if analysis.model.key(m.name) == key), None) \
        if library is not None else None
    return (library, function) if library is not None and function is not None else None


# the brackets a call's arguments may hold, by their closer
_OPENERS = {")": "(", "]": "[", "}": "{"}


def _open_call(analysis: FileAnalysis, offset: int
               ) -> tuple[SyntaxToken, list[SyntaxToken], int] | None:
    """(its ``(``, the tokens before it, the argument the cursor is in) for the call being
    typed around ``offset`` as its tokens show it: recovery may read ``x = f(1, )`` as
    ``x = f`` and a parenthesised ``(1, )``, or ``f(1,`` at a line's end as ``f`` and an
    error, so that the parse holds no call there. It is the innermost ``(`` left open
    before ``offset``, on its line or the line before (``_typed_callee`` reads the name
    before it)."""
    tokens = tokens_before(analysis.parsed, offset)
    depth = commas = 0
    for i in range(len(tokens) - 1, -1, -1):
        token = tokens[i]
        if token.kind != PUNCT:
            continue
        if token.text in _OPENERS:
            depth += 1
        elif token.text in _OPENERS.values():
            if depth == 0:
                return (token, tokens[:i], commas) if token.text == "(" else None
            depth -= 1
        elif token.text == "," and depth == 0:
            commas += 1
    return None


def _typed_callee(analysis: FileAnalysis, before: list[SyntaxToken], active: int
                  ) -> SignatureInfo | None:
    """The help for the name that a ``(`` follows, ``before`` it the tokens of its line
    and the line before, if it is a call's: right after a name that is no declaration
    (``f(``, ``lib.f(``, ``obj:m(``), the name's routine, builtin, library function or
    imported routine."""
    significant = [t for t in before[-8:] if not t.is_trivia]
    name = significant[-1] if significant else None
    if name is None or name.kind != IDENT or isinstance(analysis.model.at(name.start), Symbol):
        return None  # not after a name, or a declaration's parameters (`function f(`)
    separator = significant[-2] if len(significant) > 1 else None
    grammar = analysis.parsed.definition.grammar
    from ..language.grammar_spec import member_separators
    receiver = significant[-3] if len(significant) > 2 and separator is not None \
        and grammar is not None and separator.text in member_separators(grammar) else None
    if receiver is not None and receiver.kind == IDENT:
        found = _member_help(analysis, name.start, active)
        if found is not None:
            return found
        library = analysis.parsed.definition.builtin(receiver.text)
        hidden = analysis.model.scope_at(receiver.start).lookup(
            analysis.model.key(receiver.text))
        member = next((m for m in library.members if analysis.model.key(m.name)
                       == analysis.model.key(name.text)), None) \
            if library is not None and hidden is None else None
        return _builtin_help(member, active, library.name) \
            if member is not None and library is not None else None
    found = _named_help(analysis, name.start, active)
    if found is not None:
        return found
    symbol = analysis.model.scope_at(name.start).lookup(analysis.model.key(name.text))
    if symbol is not None and symbol.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
        return _symbol_help(symbol, active)
    builtin = analysis.parsed.definition.builtin(name.text) if symbol is None else None
    return _builtin_help(builtin, active) if builtin is not None else None


def tokens_before(parsed: ParsedFile, offset: int) -> list[SyntaxToken]:
    """The tokens from the start of the line before ``offset``'s up to ``offset``, in
    order. Each level of the tree is entered by bisection (a file node or a main block
    can have thousands of children; ``SyntaxNode.token_at`` walks them)."""
    text = parsed.text
    line = text.rfind("\n", 0, offset)
    start = text.rfind("\n", 0, line) + 1 if line > 0 else 0
    found: list[SyntaxToken] = []
    stack = [_entered(parsed.root, start)]
    while stack:
        frame = stack[-1]
        node, index, at = frame
        children = node.green.children
        if index >= len(children) or at >= offset:
            stack.pop()
            continue
        child = children[index]
        frame[1] = index + 1
        if type(child) is GreenNode:
            end = at + child.width
            if end > start and child.width:
                stack.append(_entered(SyntaxNode(child, at, node, index), start))
        else:
            kind, word = child
            end = at + len(word)
            if end > start:
                found.append(SyntaxToken(kind, word, at, node))
        frame[2] = end
    return found


def _entered(node: SyntaxNode, start: int) -> list[Any]:
    """[node, the index of its first child that may reach ``start``, that child's offset]"""
    nodes = node.green.node_children()
    k = bisect_right(nodes, start - node.start, key=lambda entry: entry[1]) - 1
    return [node, nodes[k][0], node.start + nodes[k][1]] if k >= 0 else [node, 0, node.start]


def _active(analysis: FileAnalysis, arguments: list[tuple[int, int]], offset: int) -> int:
    """The argument the cursor is in: how many arguments a token (their separator) follows
    before ``offset`` (``f(a |)`` is still the first, ``f(a, |)`` the second, also when
    the parse cut the list short before the separator)."""
    root = analysis.parsed.root
    active = 0
    for _, end in arguments:
        token = root.token_at(end)
        while token is not None and token.is_trivia:
            # at the file's end ``token_at`` answers the last token again: none follows
            token = root.token_at(token.end) if token.end < root.end else None
        if token is None or token.start >= offset:
            break
        active += 1
    return active
