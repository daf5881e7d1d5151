"""Hover and signature help."""

from __future__ import annotations

from dataclasses import dataclass

from ..semantics.diagnostics import FileAnalysis
from ..semantics.model import Reference, SymbolKind
from ..syntax import kinds as K


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
        from .navigation import library_member_at, member_at
        member = member_at(analysis, offset)
        token = analysis.parsed.root.token_at(offset)
        if member is not None and token is not None:  # `.corner` of `box.corner`
            item = Reference(token.text, token.start, token.end, member)
        library = library_member_at(analysis, offset) if member is None else None
        if library is not None and token is not None:  # `rep` of `string.rep`
            owner, function = library
            return HoverInfo(token.start, token.end,
                             f"```{lang}\n{owner.name}.{function.signature()}\n```\n\n"
                             f"function of the builtin library `{owner.name}` of "
                             f"{definition.name}"
                             + (f"\n\n{function.description}" if function.description else ""))
    if item is not None:
        symbol = item.symbol if isinstance(item, Reference) else item
        if symbol is not None:
            line = analysis.parsed.text.count("\n", 0, symbol.start) + 1
            body = f"```{lang}\n{symbol.signature()}\n```\n\n{symbol.kind}, declared on line {line}"
            if symbol.doc:
                body += f"\n\n{symbol.doc}"
            inferred = _type_text(analysis, item.start)
            if inferred:
                body += f"\n\ntype: `{inferred}`"
            return HoverInfo(item.start, item.end, body)
        if isinstance(item, Reference) and item.builtin is not None:
            builtin = definition.builtin(item.builtin)
            if builtin is not None:
                return HoverInfo(item.start, item.end,
                                 f"```{lang}\n{builtin.signature()}\n```\n\nbuiltin of "
                                 f"{definition.name}\n\n{builtin.description}")
    from .navigation import external_target
    target = external_target(analysis, offset)
    if target is not None:
        path, name = target
        token = analysis.parsed.root.token_at(offset)
        for exports in analysis.modules.values():
            if str(exports.path) == path:
                doc = next((d for n, d in exports.names.items() if n.lower() == name.lower()), "")
                if token is not None:
                    return HoverInfo(token.start, token.end,
                                     f"```{lang}\n{name}\n```\n\n{doc} (read-only source: "
                                     f"`{path}`)")
    token = analysis.parsed.root.token_at(offset)
    if token is not None and token.kind.startswith("kw_"):
        concept = token.kind[3:]
        doc = definition.keyword_docs.get(concept, "")
        return HoverInfo(token.start, token.end,
                         f"`{token.text}`: keyword of {definition.name} ({concept})"
                         + (f"\n\n{doc}" if doc else ""))
    return None


def _type_text(analysis: FileAnalysis, offset: int) -> str | None:
    report = analysis.types
    if report is None:
        return None
    found = report.type_at(offset)
    return found.text if found is not None and found.text not in ("unknown", "?") else None


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
        model = analysis.model
        symbol = model.symbol_at(callee.start)
        if symbol is not None and symbol.params is not None:
            params = [p.name + (f": {p.type_text}" if p.type_text else "") for p in symbol.params]
            return SignatureInfo(symbol.signature(), params, min(active, max(len(params) - 1, 0)))
        item = model.at(callee.start)
        if isinstance(item, Reference) and item.builtin:
            builtin = analysis.parsed.definition.builtin(item.builtin)
            if builtin is not None:
                params = [f"{p.name}: {p.type}" for p in builtin.params]
                return SignatureInfo(builtin.signature(), params,
                                     min(active, max(len(params) - 1, 0)), builtin.description)
    return None


def _call_site_help(analysis: FileAnalysis, offset: int) -> SignatureInfo | None:
    """A grammar-defined language: its calls are the model's call sites (``call:`` rules)
    and the calls of member parts (``Out.Int(``, ``string.rep(``), the innermost one
    whose argument list holds ``offset``; or, while typing (``f(a, )``, which parses
    as ``f(a`` and an error), the argument list the parse cut short before it."""
    found = _help_inside(analysis, offset, offset)
    grammar = analysis.parsed.definition.grammar
    if found is not None or grammar is None:
        return found
    from ..language.grammar_spec import argument_rules
    from ..semantics.grammar_members import cut_argument_list
    cut = cut_argument_list(analysis.parsed.root, offset, argument_rules(grammar))
    return _help_inside(analysis, cut.end, offset) if cut is not None else None


def _help_inside(analysis: FileAnalysis, inside: int, offset: int) -> SignatureInfo | None:
    """The help for the innermost call whose argument list holds ``inside``, its active
    parameter counted at ``offset``."""
    model = analysis.model
    inside_calls = [c for c in model.calls_between(inside, inside)
                    if c.args_start < inside <= c.args_end]
    call = min(inside_calls, key=lambda c: c.args_end - c.args_start) \
        if inside_calls else None
    member = _member_call_help(analysis, inside, offset)
    if member is not None and (call is None or call.args_start <= member[0]):
        return member[1]
    if call is None:
        return None
    active = _active(analysis, call.arg_ranges, offset)
    symbol = call.callee.symbol
    if symbol is not None:
        params = [p.name + (f": {p.type_text}" if p.type_text else "") for p in symbol.params]
        return SignatureInfo(symbol.signature(), params, min(active, max(len(params) - 1, 0)))
    builtin = analysis.parsed.definition.builtin(call.callee.builtin or "")
    if builtin is None:
        return None
    params = [f"{p.name}: {p.type}" for p in builtin.params]
    return SignatureInfo(builtin.signature(), params, min(active, max(len(params) - 1, 0)),
                         builtin.description)


def _member_call_help(analysis: FileAnalysis, inside: int, offset: int
                      ) -> tuple[int, SignatureInfo] | None:
    """(where its argument list starts, the help) for the innermost call of a member part
    whose argument list holds ``inside``: a builtin library's function, or a method or
    procedure the receiver's declared type has; the active parameter counted at
    ``offset``."""
    from ..semantics.grammar_members import member_call_at
    from .navigation import library_member_at, member_at, member_context
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
    symbol = member_at(analysis, callee)
    if symbol is not None and symbol.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
        params = [p.name + (f": {p.type_text}" if p.type_text else "") for p in symbol.params]
        return args.start, SignatureInfo(symbol.signature(), params,
                                         min(active, max(len(params) - 1, 0)))
    library = library_member_at(analysis, callee)
    if library is None:
        return None
    owner, function = library
    params = [f"{p.name}: {p.type}" for p in function.params]
    return args.start, SignatureInfo(f"{owner.name}.{function.signature()}", params,
                                     min(active, max(len(params) - 1, 0)),
                                     function.description)


def _active(analysis: FileAnalysis, arguments: list[tuple[int, int]], offset: int) -> int:
    """The argument the cursor is in: how many arguments a token (their separator) follows
    before ``offset`` (``f(a |)`` is still the first, ``f(a, |)`` the second, also when
    the parse cut the list short before the separator)."""
    root = analysis.parsed.root
    active = 0
    for _, end in arguments:
        token = root.token_at(end)
        while token is not None and token.is_trivia:
            token = root.token_at(token.end)
        if token is None or token.start >= offset:
            break
        active += 1
    return active
