"""Names in grammar-defined languages: the meaning annotations of a grammar's rules
(``declares``, ``assigns``, ``scope``, ``type``, ``call``, ``member``,
``number_names``, ``visible``, ``global``, ``qualified``, ``implicit_parameter``,
``writes``, ``heading``, ``global_field``; see
``language/grammar_spec.py``) read as scopes, symbols, references and call sites of
the same semantic model the keyword-level languages build.

A rule's node holds its names as ``NAME_REF`` children (the engine makes one of each
``IDENT`` it matches); the first one directly under an annotated node is the name the
annotation is about (or, for a declaration, the one inside a child annotated only
``exports``: a name with its export mark), every other one is a reference found by the
ordinary walk."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from ..language.model import LanguageDefinition
from ..syntax import kinds as K
from ..syntax.tokens import KEYWORD_PREFIX, NUMBER, STRING
from ..syntax.tree import GreenNode, SyntaxNode, SyntaxToken, kind_bit
from .dotted_names import declare_dotted, dotted_use
from .model import CallSite, Reference, Scope, Symbol, SymbolKind
from .passed_routines import passed_routine

if TYPE_CHECKING:  # the grammar spec imports PyYAML: not at start-up for `craftls check`
    from ..language.grammar_spec import Meaning
    from ..syntax.parse import ParsedFile
    from .resolve import Resolver

# the kind of a ``heading`` node's scope (a routine's heading without its body)
HEADING = "heading"
# the grammar's kind names -> the semantic model's
SYMBOL_KINDS = {"loop_variable": SymbolKind.LOOP_VARIABLE}
_PROCEDURE_WORD = KEYWORD_PREFIX + "procedure"  # the keyword concept ``procedure``
# the symbols of a declaring node's own scope that are its members: a routine's
# parameters; a type's fields and methods (a class's routines)
_PARAMETERS = frozenset({SymbolKind.PARAMETER})
_TYPE_MEMBERS = frozenset({SymbolKind.FIELD, SymbolKind.FUNCTION, SymbolKind.PROCEDURE})


def meanings_of(definition: LanguageDefinition) -> dict[str, Meaning]:
    """Node kind -> meaning, for a definition with a grammar or a grammar extension
    (whose annotated forms sit in a keyword-level tree); empty otherwise."""
    if definition.grammar is not None:
        return definition.grammar.meanings()
    extension = definition.grammar_extension
    return extension.spec.meanings() if extension is not None else {}


def export_parts(parsed: ParsedFile) -> list[tuple[int, int]]:
    """The ranges of a grammar's ``exports`` nodes (none: the whole file exports)."""
    kinds = {k for k, m in meanings_of(parsed.definition).items() if m.exports}
    if not kinds:
        return []
    return [(n.start, n.end) for n in nodes_of_kinds(parsed.root, kinds)]


def nodes_of_kinds(root: SyntaxNode, kinds: set[str]) -> Iterator[SyntaxNode]:
    """The nodes of ``kinds`` under ``root``, in order, skipping the subtrees that hold
    none (``GreenNode.kinds``): every keystroke's analysis asks, and walking every node
    of a 10,000-line file took ~0.2 s of CPU."""
    mask = 0
    for kind in kinds:
        mask |= kind_bit(kind)
    pending = [iter([root])]
    while pending:
        for node in pending[-1]:
            if node.green.kinds & mask:
                if node.kind in kinds:
                    yield node
                pending.append(node.children())
                break
        else:
            pending.pop()


def holds_statements(meaning: Meaning) -> bool:
    """Is a node of this meaning a block or a list of lines and nothing else (no name,
    scope, type, call...)? Walking it is walking each child node in the same scope, each
    one a statement of its own, so its children can be analysed as items of their own
    (``item_walks.splits_of``)."""
    # ``type(meaning)()``: the spec's ``Meaning`` without importing the spec (PyYAML);
    # ``branch`` and ``branches_at`` are read from the tree by the duplicate check, never
    # by the walk
    return (meaning.block or meaning.lines) and replace(
        meaning, block=False, lines=False, fold=False, branch=False, branches_at=(),
        visible="scope") == type(meaning)()


def _typed_later(resolver: Resolver, scope: Scope, name: SyntaxNode,
                 type_text: str | None) -> bool:
    """Is ``name`` declared in ``scope`` itself by a ``typed_later`` rule? Then this later
    declaration gives that one its type (the first type written wins) and its name is a
    use of it, not a second declaration."""
    token = name.first_token()
    if token is None:
        return False
    key = resolver.key(token.text)
    previous = scope.symbols.get(key)
    owner = scope.owner
    if previous is None and owner is not None and resolver.key(owner.name) == key \
            and id(owner) in resolver.typed_later:
        # `integer :: f` in the body of `function f(x)`: the function's result type
        if owner.result_text is None:
            owner.result_text = type_text
    elif previous is None or id(previous) not in resolver.typed_later:
        return False
    elif previous.type_text is None:
        previous.type_text = type_text
    resolver.reference(name, scope)
    return True


def _type_names(resolver: Resolver, node: SyntaxNode, scope: Scope) -> None:
    """A ``type`` node's names are type references, but for those inside a ``plain_names``
    node (a kind, a length, a bound: Fortran's `real(kind=dp)`), walked as values, and
    inside a node of a ``scope`` of its own (a routine's type, FreeBASIC's `SUB (n AS
    LONG)`: its parameters are declared there, their types referenced), walked as such."""
    pending = [node]
    while pending:
        current = pending.pop()
        for child in current.children():
            if child.kind == K.NAME_REF:
                resolver.reference(child, scope, is_type=True)
                continue
            inner = resolver.meanings.get(child.kind)
            if inner is not None and (inner.plain_names or inner.scope):
                resolver.visit(child, scope)
            else:
                pending.append(child)


def visit_meaning(resolver: Resolver, node: SyntaxNode, scope: Scope, meaning: Meaning) -> None:
    if meaning.global_field:
        _global_field(resolver, node, scope, meaning.assigns)
        return
    name = node.child_of_kind(K.NAME_REF)
    holder = None  # a child that only marks the declared name exported (Oberon's `Next*`)
    if meaning.declares or meaning.assigns:
        # before any name of its own (`PROCEDURE Next* ... END Next`: not the END's name)
        holder = _export_mark(resolver, node)
        if holder is not None:
            name = holder.child_of_kind(K.NAME_REF)
    inner = scope
    symbol = None
    if meaning.implicit_parameter:
        _implicit_parameter(resolver, node, scope, meaning.implicit_parameter)
    if meaning.opens_types:
        return  # what it names is looked up once the file is walked (``open_members``)
    if meaning.member:
        _visit_member(resolver, node, scope)
        return
    if meaning.number_names and node.child_of_kind(K.NAME_REF) is None:
        _number_name(resolver, node, scope, meaning)
        return
    if meaning.number_names and resolver.labels and name is not None \
            and not (meaning.declares or meaning.assigns):
        resolver.reference(name, scope, label=True)  # GOTO d: the label d, not a variable d
        return
    if meaning.type:
        _type_names(resolver, node, scope)
        return
    if meaning.dotted and meaning.declares:
        symbol = declare_dotted(resolver, node, scope, _routine_kind(
            node, SYMBOL_KINDS.get(meaning.declares, meaning.declares)))
        if symbol is not None and symbol.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
            symbol.result_text = _type_text(resolver, node, True) or _result_text(resolver, node)
    elif name is not None and meaning.qualified and meaning.declares:
        symbol = _qualified(resolver, node, name, scope, meaning.declares)
    elif name is None and meaning.name_from_string and meaning.declares:
        symbol = _declare_from_string(resolver, node, scope, meaning)
    elif name is not None and resolver.dotted and not meaning.declares \
            and dotted_use(resolver, node, name):
        # Path.Join$ = ... assigns the result of the FUNCTION Path.Join$ (``dotted_names``)
        resolver.reference(name, scope, is_write=True)
    elif name is not None and (meaning.declares or meaning.assigns):
        kind = _routine_kind(node, SYMBOL_KINDS.get(meaning.declares or meaning.assigns,
                                                    meaning.declares or meaning.assigns))
        routine = kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE)
        type_text = _type_text(resolver, node, routine, kind in _TYPED_KINDS) \
            or (_defined_as(node, name) if kind == SymbolKind.TYPE else None)
        if meaning.global_scope and not meaning.declares:
            _let_through(resolver, scope, name)
        typed = _typed_later(resolver, scope, name, type_text) \
            if meaning.declares and resolver.typed_later else False
        if typed:
            pass  # `real :: dx` after `subroutine move(dx)`: the parameter's type
        elif meaning.declares or _unknown(resolver, scope, name) and not (
                meaning.by_reference and passed_routine(resolver, name)):
            # `global`: an assignment that declares makes a name of the file scope
            target = resolver.root_scope if meaning.global_scope and not meaning.declares \
                else scope
            symbol = resolver.declare(target, name, kind, node, type_text,
                                      _visible_from(resolver, name, meaning))
            if meaning.global_scope and not meaning.declares:
                symbol.reads += 1  # a global is there for other files too: never "unused"
            elif meaning.used_with and _holds_token_within(resolver, node, meaning.used_with):
                symbol.reads += 1  # used by being declared (`local f <close> = ...`)
            if routine:
                symbol.result_text = type_text or _result_text(resolver, node)
            if meaning.typed_later:
                resolver.typed_later.add(id(symbol))
        else:
            resolver.reference(name, scope, is_write=not meaning.by_reference)
    if meaning.scope:
        # a heading's scope is one of its own kind: ``Resolver.take_headings`` finds it
        inner = Scope(HEADING if meaning.heading else "function", node.start, node.end, scope)
        scope.children.append(inner)
        inner.owner = symbol
        if meaning.isolated:
            inner.isolated = set()
        if meaning.heading and symbol is None and name is not None:
            token = name.first_token()
            if token is not None:
                resolver.headings.append((inner, token.text, token.start))
    if meaning.call and name is not None and not (meaning.declares or meaning.assigns):
        _call(resolver, node, name, scope)
    own_scope = inner
    statements = own_scope is scope and (meaning.block or meaning.lines) \
        and holds_statements(meaning)
    walked = len(resolver.references)
    sharing = resolver.sharing
    if meaning.shared and _holds_token(resolver, node, meaning.shared):
        resolver.sharing = True
    for child in node.children():
        if name is not None and child == name and (meaning.declares or meaning.assigns
                                                   or meaning.call) or child == holder:
            continue
        if (meaning.call or meaning.member) and child.kind == K.NAME_REF:
            continue  # a member (a:b(), r.field): not a plain name
        if own_scope is scope and not statements:
            resolver.visit(child, inner)
        else:
            # a child of a scope's node, or of a block that holds statements, is one of
            # its statements: declarations visible `after_statement` are visible from its
            # end (as where the block's statements are items of their own: ``item_walks``)
            outer_end, resolver.statement_end = resolver.statement_end, child.end
            resolver.visit(child, inner)
            resolver.statement_end = outer_end
        opens = resolver.meanings.get(child.kind)
        if opens is not None and opens.opens:
            inner = open_scope(resolver, child, node, inner)
    resolver.sharing = sharing
    if meaning.writes and not (meaning.declares or meaning.assigns):
        _mark_write(resolver, node, walked)
    if symbol is None and inner is not scope:
        _named_inside(inner, node)
    inner = own_scope
    if symbol is not None and inner is not scope:
        # a routine's parameters (with those of an ``opens`` child's scope: ``SUB T.m``);
        # a type's fields and methods, as the keyword level has them (its outline lists
        # them under the type)
        members = _TYPE_MEMBERS if symbol.kind == SymbolKind.TYPE else _PARAMETERS
        symbol.params.extend(s for s in _own_symbols(inner, node)
                             if s.kind in members and not s.implicit)
        if meaning.prototype and resolver.duplicates:
            # two parameters of one name in a heading that has no body: both are taken
            symbol.params.extend(s for s, _ in resolver.duplicates
                                 if s.scope is inner and s.kind in members)
            symbol.params.sort(key=lambda s: s.start)
        if not symbol.params and resolver.heading_rules \
                and symbol.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
            # a body without parameters: a heading of its name may give them
            # (``Resolver.take_headings``)
            key = resolver.key(symbol.name)
            if key in resolver.heading_keys:
                resolver.headless.append((inner, symbol))
            else:
                resolver.unlinked.append(key)


def _declare_from_string(resolver: Resolver, node: SyntaxNode, scope: Scope,
                         meaning: Meaning) -> Symbol | None:
    """``name_from_string``: the name its pattern finds in the node's first string (Go's
    `import "net/http"` declares `http`). The symbol's range is the whole string, which
    is no name: it cannot be renamed (that would change the path)."""
    for literal in node.children_of_kind(K.LITERAL):
        token = literal.first_token()
        if token is None or token.kind != STRING:
            continue
        found = re.search(meaning.name_from_string, token.text)
        if found is None or not found.group(1):
            return None
        kind = SYMBOL_KINDS.get(meaning.declares, meaning.declares)
        symbol = Symbol(found.group(1), kind, token.start, token.end, node.start, node.end,
                        scope, visible_from=_visible_from(resolver, literal, meaning))
        symbol.shared = resolver.sharing
        return resolver.add_symbol(scope, symbol)
    return None


def _own_symbols(scope: Scope, node: SyntaxNode) -> Iterator[Symbol]:
    """The symbols of a routine's scope, and of the scope an ``opens`` child of its node
    made (``SUB T.m (a AS INTEGER)``: its parameters come after the opening ``T``)."""
    yield from scope.symbols.values()
    for child in scope.children:
        if child.kind == "members" and child.end == node.end:
            yield from child.symbols.values()


def global_field_name(definition: LanguageDefinition, node: SyntaxNode
                      ) -> tuple[SyntaxNode, str, int] | None:
    """A ``global_field`` node's name: its first name, or else its first string whose
    text between the quotes is a name (``_G["x"]``); (the node holding it, the name,
    where the name starts). None for another string (``_G["a b"]``): no name."""
    name = node.child_of_kind(K.NAME_REF)
    token = name.first_token() if name is not None else None
    if name is not None and token is not None:
        return name, token.text, token.start
    for literal in node.children_of_kind(K.LITERAL):
        token = literal.first_token()
        if token is None or token.kind != STRING or len(token.text) < 2 \
                or token.text[0] != token.text[-1]:
            continue
        inner = token.text[1:-1]
        if re.fullmatch(definition.lexical.identifier, inner) and not any(
                inner in spellings for spellings in definition.keywords.values()):
            return literal, inner, token.start + 1
        return None
    return None


def global_reads(definition: LanguageDefinition, root: SyntaxNode) -> frozenset[int]:
    """Where the names of the file's reads of the globals table start (``global_field``
    without ``assigns``: Lua's ``_G.x``, ``rawget(_G, "x")``), found in the tree without
    a walk (only subtrees holding such a node are entered): a global read so is no
    undefined name when nothing declares it, whether the item was walked or replayed."""
    found: set[int] = set()
    for kind, meaning in meanings_of(definition).items():
        if meaning.global_field and not meaning.assigns:
            for node in root.descendants_of_kind(kind):
                name = global_field_name(definition, node)
                if name is not None:
                    found.add(name[2])
    return frozenset(found)


def _global_field(resolver: Resolver, node: SyntaxNode, scope: Scope, kind: str) -> None:
    """A field of the globals table written (``_G.x = 1``, ``_G["x"] = 1``,
    ``rawset(_G, "x", v)``): the global of its name, whatever local of that name is
    visible: declared in the file scope when the file scope does not know it yet (as a
    ``global`` assignment is: other files read it, so it is never unused), else a write
    to it. Without ``kind`` (no ``assigns``: ``_G.x``, ``rawget(_G, "x")`` read), a read
    of that global, bound at the file scope, and no undefined name when nothing declares
    it (``global_reads``). The node's other names are walked as usual (``rawset``'s
    value)."""
    found = global_field_name(resolver.definition, node)
    holder = found[0] if found is not None else None
    if found is not None and not kind:
        _, text, start = found
        resolver.references.append(Reference(text, start, start + len(text), None,
                                              scope=resolver.root_scope, hoisted=True))
    elif found is not None:
        _, text, start = found
        root = resolver.root_scope
        key = resolver.key(text)
        # the global: a file-scope `local x` before it is another variable (``hoisted``)
        known = resolver.lookup(root, key, 0)
        if known is None and resolver.definition.builtin(text) is None:
            symbol = resolver.add_symbol(root, Symbol(
                text, SYMBOL_KINDS.get(kind, kind), start, start + len(text), node.start,
                node.end, root))
            symbol.reads += 1
        else:
            resolver.references.append(Reference(text, start, start + len(text), None,
                                                  is_write=True, scope=root, hoisted=True))
    for child in node.children():
        if child != holder:
            resolver.visit(child, scope)


def _named_inside(inner: Scope, node: SyntaxNode) -> None:
    """A scope's node that declares nothing itself but a routine named inside it, first
    (Pascal's method body `procedure TWalker.Walk(Depth: Integer)`, whose `.Walk`
    declares the routine): the scope's parameters are that routine's (a recursive call
    is counted against them)."""
    first: Symbol | None = None
    params: list[Symbol] = []
    for s in inner.symbols.values():
        if not node.start <= s.start < node.end:
            continue
        if s.kind == SymbolKind.PARAMETER and not s.implicit:
            params.append(s)
        elif first is None or s.start < first.start:
            first = s
    if first is not None and params and not first.params \
            and first.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE) \
            and all(first.start < p.start for p in params):
        first.params.extend(params)


def _mark_write(resolver: Resolver, node: SyntaxNode, walked: int) -> None:
    """``writes``: the reference the walk made for the name the node starts with (``x``
    of ``x := 1``, ``r`` of ``r.f[i] := v``: the value changed) is a write."""
    first = node.first_token_at()  # (kind, text, start)
    if first is None:
        return
    for ref in resolver.references[walked:]:
        if ref.start == first[2]:
            ref.is_write = True
            return


def _export_mark(resolver: Resolver, node: SyntaxNode) -> SyntaxNode | None:
    """The first child node annotated ``exports`` and nothing else, when it holds a name:
    the declaring node's name written with its export mark (``IDENT '*'``)."""
    for child in node.children():
        if child.kind == K.NAME_REF:
            return None
        meaning = resolver.meanings.get(child.kind)
        if meaning is not None and meaning.exports \
                and not replace(meaning, exports=False).annotated:
            return child if child.child_of_kind(K.NAME_REF) is not None else None
    return None


def open_scope(resolver: Resolver, target: SyntaxNode, node: SyntaxNode, scope: Scope) -> Scope:
    """After an ``opens`` node (``with r``), the rest of ``node`` is walked in a scope
    that receives the members of what it names once the file is walked
    (``grammar_members``)."""
    opened = Scope("members", target.end, node.end, scope)
    scope.children.append(opened)
    resolver.opens.append((opened, target, scope))
    return opened


def _visit_member(resolver: Resolver, node: SyntaxNode, scope: Scope) -> None:
    """A member part (``.x`` in ``rec.x``): its own names belong to whatever comes
    before it, which name resolution does not know, so they are no references; the
    names inside its other child nodes (``.items(i)``) are ordinary ones."""
    for child in node.children():
        if child.kind != K.NAME_REF:
            resolver.visit(child, scope)


def _number_name(resolver: Resolver, node: SyntaxNode, scope: Scope, meaning: Meaning) -> None:
    """A number that names a line (``10 PRINT``, ``GOTO 10``): declared by a declaring
    node, else a reference, resolved like a name (the resolver's own ``reference`` takes
    identifiers only, so the reference is made here)."""
    literal = node.child_of_kind(K.LITERAL)
    token = literal.first_token() if literal is not None else None
    if literal is None or token is None or token.kind != NUMBER:
        return
    kind = meaning.declares or meaning.assigns
    if kind:
        resolver.declare(scope, literal, SYMBOL_KINDS.get(kind, kind), node)
    else:
        resolver.references.append(Reference(token.text, token.start, token.end, None,
                                              scope=scope, label=resolver.labels))


def _holds_token(resolver: Resolver, node: SyntaxNode, words: tuple[str, ...]) -> bool:
    """Is one of ``words`` among the node's own tokens (not inside a child node)?"""
    keys = {resolver.key(w) for w in words}
    return any(type(child) is not GreenNode and resolver.key(child[1]) in keys  # type: ignore[index]
               for child in node.green.children)


def _holds_token_within(resolver: Resolver, node: SyntaxNode, words: tuple[str, ...]) -> bool:
    """Is one of ``words`` among the tokens of the node's subtree?"""
    keys = {resolver.key(w) for w in words}
    return any(resolver.key(token.text) in keys
               for inner in node.descendants() for token in inner.tokens())


def _let_through(resolver: Resolver, scope: Scope, name: SyntaxNode) -> None:
    """A ``global`` assignment inside an ``isolated`` scope (QBasic's SHARED x in a SUB)
    names a variable of the file scope: the isolated scopes around it see it."""
    token = name.first_token()
    found: Scope | None = scope
    while token is not None and found is not None:
        if found.isolated is not None:
            found.isolated.add(resolver.key(token.text))
        found = found.parent


def _unknown(resolver: Resolver, scope: Scope, name: SyntaxNode) -> bool:
    token = name.first_token()
    return (token is not None
            and resolver.lookup(scope, resolver.key(token.text), token.start) is None
            and resolver.definition.builtin(token.text) is None
            and (not resolver.marks
                 or resolver.lookup_spelled_alike(scope, resolver.key(token.text),
                                                  token.start) is None)
            and not resolver.opened_member(scope, resolver.key(token.text)))


def _visible_from(resolver: Resolver, name: SyntaxNode, meaning: Meaning) -> int:
    """Where a declared name becomes visible (0: in its whole scope, hoisted)."""
    if meaning.visible == "after_name":
        return name.end
    if meaning.visible == "after_statement":
        return resolver.statement_end
    return 0


def _qualified(resolver: Resolver, node: SyntaxNode, name: SyntaxNode, scope: Scope,
               kind: str) -> Symbol | None:
    """``function t.a.b()``: the first name is a reference (the table), the member parts
    that follow it make the declared name (``t.a.b``, ``t:m``); the symbol's range is the
    last part's name, so hover and definition work there and the table's name stays a
    reference."""
    resolver.reference(name, scope)
    parts = [name]
    for child in node.children():
        if child.start < name.end:
            continue
        found = resolver.meanings.get(child.kind)
        if found is None or not found.member:
            break
        parts.append(child)
    last = list(parts[-1].descendants_of_kind(K.NAME_REF)) if len(parts) > 1 else [name]
    token = last[-1].first_token() if last else None
    if token is None:
        return None
    label = "".join(t.text for part in parts for t in part.leaves() if not t.is_trivia)
    symbol = Symbol(label, SYMBOL_KINDS.get(kind, kind), token.start, token.end, node.start,
                    node.end, scope)
    return resolver.add_symbol(scope, symbol)


def _implicit_parameter(resolver: Resolver, node: SyntaxNode, scope: Scope, name: str) -> None:
    """A parameter with no text of its own (``self`` of ``function t:m()``), declared in
    the scope the node is in; its range is empty, at the node's start."""
    resolver.add_symbol(scope, Symbol(name, SymbolKind.PARAMETER, node.start, node.start,
                                      node.start, node.end, scope))


# the kinds of name a type annotation after a list of names gives a type to
_TYPED_KINDS = frozenset({SymbolKind.VARIABLE, SymbolKind.CONSTANT, SymbolKind.PARAMETER,
                          SymbolKind.FIELD})


def _routine_kind(node: SyntaxNode, kind: str) -> str:
    """A rule that ``declares: function`` but opens with the definition's ``procedure``
    keyword (one heading rule for both words: ``('procedure' / 'function') IDENT ...``)
    declares a procedure: hover shows ``procedure Run(N: Integer)``, not ``function``."""
    if kind != SymbolKind.FUNCTION:
        return kind
    first = node.first_token()
    return SymbolKind.PROCEDURE if first is not None and first.kind == _PROCEDURE_WORD \
        else kind


def _type_text(resolver: Resolver, node: SyntaxNode, routine: bool = False,
               typed: bool = True) -> str | None:
    """The type a declaring node writes: its own type annotation, or, for a node that is
    a bare name (``a`` of ``a, b: INTEGER``) of a kind that has a type (``typed``), the
    annotation that follows the names in the node around it (not one inside a record or
    object type, a scope of its own). Never past the item the name is in: a name that is
    a top-level step's own child (a unit's name) does not look at the steps after it,
    which a replayed walk of the item does not see."""
    meanings = resolver.meanings
    bare = True
    for child in node.children():
        found = meanings.get(child.kind)
        if found is not None and found.type:
            return child.text
        bare = bare and child.kind == K.NAME_REF
    parent = node.parent
    if routine or not typed or parent is None or parent.parent is None:
        return None
    before = None  # a type written before the names (QBasic's DIM AS INTEGER a, b)
    for child in parent.children():
        if child.start < node.end or child.kind == node.kind:
            found = meanings.get(child.kind)
            if child.start < node.start and found is not None and found.type:
                before = child.text
            continue
        if not bare:  # `a(9)`, Fortran's `x = 1.0`: only a type before the names
            return before
        if _assigned(resolver, parent, node.end, child.start):
            # a value (Go's `p := Point{X: 1}`): the type a composite literal starts with
            return _leading_type(meanings, child) or before
        # the first node after the names: a type's name, or a type written around type
        # names (`ARRAY OF INTEGER`, `^Node`), not a record or object type (a scope)
        found = meanings.get(child.kind)
        if found is not None and found.type:
            return child.text
        return child.text if _holds_type(meanings, child) else before
    return before


def _defined_as(node: SyntaxNode, name: SyntaxNode) -> str | None:
    """What a type declaration written ``Name = definition`` defines its name as (a
    record, `RECORD ... END`), which its hover shows, as the keyword level's does; not a
    class's body or bases (`class Foo(Base): ...`), which no symbol follows."""
    after = [c for c in node.children_with_tokens() if c.start >= name.end
             and not (isinstance(c, SyntaxToken) and c.is_trivia)]
    if len(after) > 1 and isinstance(after[0], SyntaxToken) and after[0].text == "=" \
            and isinstance(after[1], SyntaxNode):
        return after[1].text
    return None


def _assigned(resolver: Resolver, parent: SyntaxNode, start: int, end: int) -> bool:
    """Whether an assignment symbol (``structure.assignment``, a compound one: Go's `:=`)
    of ``parent``'s own comes between ``start`` and ``end``: what follows is a value."""
    structure = resolver.definition.structure
    symbols = {structure.assignment, *structure.compound_assignments}
    return any(start <= t.start < end and t.text in symbols
               for t in parent.children_with_tokens() if isinstance(t, SyntaxToken))


def _leading_type(meanings: Mapping[str, Meaning], node: SyntaxNode) -> str | None:
    """The type annotation a value starts with (`Point` of `Point{X: 1}`), if any: the
    first node with a ``type`` meaning that begins where the value does, inside no scope
    (a function literal) or declaration."""
    current: SyntaxNode | None = node
    while current is not None and current.start == node.start:
        found = meanings.get(current.kind)
        if found is not None and (found.scope or found.declares or found.assigns):
            return None
        if found is not None and found.type:
            return current.text
        current = next(current.children(), None)
    return None


def _holds_type(meanings: Mapping[str, Meaning], node: SyntaxNode) -> bool:
    todo = [node]
    while todo:
        current = todo.pop()
        found = meanings.get(current.kind)
        if found is not None and (found.scope or found.declares or found.assigns):
            return False
        if found is not None and found.type:
            return True
        todo.extend(current.children())
    return False


def _result_text(resolver: Resolver, node: SyntaxNode) -> str | None:
    """A routine's result type written inside its parameter list's node, after the
    parameters (Oberon's ``PROCEDURE f(a: T): R``)."""
    meanings = resolver.meanings
    for child in node.children():
        if child.kind in meanings or child.kind == K.NAME_REF:
            continue
        for inner in child.children():
            found = meanings.get(inner.kind)
            if found is not None and found.type:
                return inner.text
    return None


def _call(resolver: Resolver, node: SyntaxNode, name: SyntaxNode, scope: Scope) -> None:
    """The callee is the node's first name; its arguments are the child nodes of its
    last child node (the argument list). A call of the name alone (BASIC's `Show` as a
    statement) passes no arguments: the count is checked at the name."""
    callee = resolver.reference(name, scope)
    args = None
    for child in node.children():
        if child != name and child.kind != K.NAME_REF:
            args = child
    if callee is None:
        return
    if args is None:
        resolver.calls.append(CallSite(callee, 0, node.start, node.end, name.start,
                                       name.end, []))
        return
    exprs = [c for c in args.children() if c.kind != K.ERROR]
    resolver.calls.append(CallSite(callee, len(exprs), node.start, node.end, args.start,
                                   args.end, [(e.start, e.end) for e in exprs]))
