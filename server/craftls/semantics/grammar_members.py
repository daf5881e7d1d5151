"""Members of a declared type brought into scope: a grammar's ``opens`` annotation
(Pascal's ``with r do``, and a method body ``procedure T.M`` that sees ``T``'s fields).

A node annotated ``opens`` names a value or a type; the rest of its parent node is
walked in a scope of its own, and once every item of the file is walked (declarations
are hoisted, so a type may be declared after its use) that scope receives the members
of what the node names. Its type is read from the declarations the grammar already
annotates, with no knowledge of the language:

* a name declared as a ``type`` names that type; any other declared name (a variable,
  a parameter, a field) has the type written in its declaration: the last type
  annotation (``type: true``) or member scope (an inline ``record``) in its declaring
  node, or in the node around it when the declaring node holds only the name (a list
  ``a, b: T`` declares each name on its own);
* a type's members are the symbols of the scope its declaration opens (a record's
  fields, an object's methods), then those of the types named directly inside that
  scope's node (an object's ancestor; a child with no meaning of its own that begins
  with a type annotation, a type with its arguments, names that type); a declaration without a scope of its own (an
  alias, a pointer ``^T``, an array ``of T``) has the members of the last type it names;
* a type whose declaration opens a scope of its own (a generic type, whose type
  parameters it declares) has those names too, after its members;
* each member part after the first name (``.corner`` in ``with box.corner do``) moves
  to that member's type, and a type annotation among the parts (a cast, ``with Sender
  as TEdit do``) to the type it names.

Members already declared in the opened scope (a method's parameters and locals) win."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from ..language.model import BlockStyle
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tokens import IDENT, KEYWORD_PREFIX
from ..syntax.tree import SyntaxNode, SyntaxToken
from .item_walks import MemberCall, ReplayedItem
from .model import (
    CallSite,
    Reference,
    Scope,
    SemanticModel,
    Symbol,
    SymbolKind,
    name_key,
    type_key,
)

if TYPE_CHECKING:  # the grammar spec imports PyYAML: not at start-up for `craftls check`
    from ..language.grammar_spec import Meaning
    from ..language.model import Builtin
    from .resolve import Resolver


class MemberContext(Protocol):
    """What reading members needs: the resolver while walking, ``Members`` afterwards."""

    @property
    def parsed(self) -> ParsedFile: ...
    @property
    def meanings(self) -> Mapping[str, Meaning]: ...
    @property
    def root_scope(self) -> Scope: ...
    def key(self, name: str) -> str: ...


@dataclass(frozen=True)
class Members:
    """A walked file's context for ``member_symbol`` and ``member_uses`` (the editor
    features ask after the analysis)."""

    parsed: ParsedFile
    meanings: Mapping[str, Meaning]
    root_scope: Scope
    fold: bool
    escape: str = ""  # ``lexical.name_escape``

    def key(self, name: str) -> str:
        return name_key(name, self.fold, self.escape)

MAX_HOPS = 8  # aliases and pointers followed for one type: bounded (types may recurse)
MAX_SKIPPED = 64  # tokens read back over an error for the call being typed


def open_members(resolver: Resolver) -> None:
    """Fill the scopes that ``opens`` nodes made, in the order they were walked (a later
    target of ``with a, b`` may be a member of the earlier one)."""
    if not resolver.opens:
        return
    # an item replayed from its template adds its scopes to the file's on first use: a
    # type's members are found among those scopes, so every item makes its own now
    for item in resolver.items:
        if isinstance(item, ReplayedItem):
            item.make_scopes()
    for opened, target, scope in resolver.opens:
        if not _opened(resolver, target, scope):
            continue
        gaps: list[str] = []
        members = _value_members(resolver, target, scope, gaps)
        if resolver.heading_rules:
            _method_parameters(resolver, opened, members)
        _declared_method(resolver, opened, members, target, scope)
        for key, symbol in members.items():
            opened.symbols.setdefault(key, symbol)
        # what it names, or an ancestor of its type, is declared elsewhere (another unit,
        # a builtin type): its members are not all known, so a name found nowhere may be
        # one of them (``Resolver.bind_reference``)
        opened.open_ended = bool(gaps)


_ROUTINES = (SymbolKind.FUNCTION, SymbolKind.PROCEDURE)


def opened_member(resolver: Resolver, scope: Scope, key: str) -> bool:
    """Is ``key`` a member of what an ``opens`` node around ``scope`` names, as far as the
    file walked so far declares it? An assignment in a method's body to a field (``x =
    aX`` in SUB Vec2.set) then assigns the field rather than making a variable; the
    scopes are filled only after the walk (``open_members``)."""
    found: Scope | None = scope
    while found is not None:
        if found.kind == "members":
            entry = next(((t, s) for o, t, s in reversed(resolver.opens) if o is found), None)
            if entry is not None and _opened(resolver, *entry) \
                    and key in _value_members(resolver, *entry):
                return True
        found = found.parent
    return False


def _opened(resolver: Resolver, target: SyntaxNode, scope: Scope) -> bool:
    """Does the ``opens`` node ``target`` open what it names: always, but for an
    ``opens_types`` one that names no type of the file (QB64's ``SUB Console.Log``) nor
    one an included file declares (whose members are not known here: the scope is left
    open-ended, ``open_members``)."""
    meaning = resolver.meanings.get(target.kind)
    if meaning is None or not meaning.opens_types:
        return True
    token = target.first_token()
    if token is None:
        return False
    key = resolver.key(token.text)
    symbol = scope.lookup(key)
    if symbol is not None:
        return symbol.kind == SymbolKind.TYPE
    return resolver.externals.get(key, "").startswith(f"{SymbolKind.TYPE} from ")


def _method_parameters(resolver: Resolver, opened: Scope, members: dict[str, Symbol]
                       ) -> None:
    """A method body that leaves out its parameter list (``procedure TCounter.Add;``
    after ``procedure Add(Step: Integer);`` in the object type) has the parameters of
    the type's method of its name, as a body after a ``heading`` has the heading's: only
    in a grammar with ``heading`` rules, which says that a body may leave the list out.
    The body's routine is the first one its opened scope declares (its name comes
    before its parameters and locals)."""
    own = list(opened.symbols.values())
    if any(s.kind == SymbolKind.PARAMETER and not s.implicit for s in own):
        return
    routines = [s for s in own if s.kind in _ROUTINES]
    if not routines:
        return
    body = min(routines, key=lambda s: s.start)
    method = members.get(resolver.key(body.name))
    if method is None or method is body or method.kind not in _ROUTINES \
            or not method.params or body.params:
        return
    body.params.extend(method.params)
    for param in method.params:
        opened.symbols.setdefault(resolver.key(param.name), param)


def _declared_method(resolver: Resolver, opened: Scope, members: dict[str, Symbol],
                     target: SyntaxNode, scope: Scope) -> None:
    """A method body (``function TCalc.Twice``: the first routine its opened scope
    declares, before any other name) of a routine the type it opens declares itself
    (not an ancestor): (body, that routine) for ``link_method_bodies``, which chooses
    among the type's overloads of its name."""
    own = [s for s in opened.symbols.values()
           if not s.implicit and opened.start <= s.start < opened.end]
    body = min(own, key=lambda s: s.start, default=None)
    if body is None or body.kind not in _ROUTINES:
        return
    method = members.get(resolver.key(body.name))
    if method is None or method is body or method.kind not in _ROUTINES:
        return
    owner = _opened_type(resolver, target, scope)
    if owner is not None and owner.decl_start <= method.start < owner.decl_end:
        resolver.method_bodies.append((body, method))


def _opened_type(resolver: Resolver, target: SyntaxNode, scope: Scope) -> Symbol | None:
    """The type an ``opens`` node names as a type: its first name, a type the scope
    sees, then each member part's name a type among its members (`TOuter.TInner`)."""
    owner: Symbol | None = None
    for child in target.children():
        if child.kind == K.NAME_REF and owner is None:
            token = child.first_token()
            found = scope.lookup(resolver.key(token.text)) if token is not None else None
            owner = _of_arity(resolver, target, found) if found is not None else None
        elif _is_member(resolver.meanings, child) and owner is not None:
            ref = child.child_of_kind(K.NAME_REF)
            token = ref.first_token() if ref is not None else None
            member = type_member(resolver, owner, resolver.key(token.text)) \
                if token is not None else None
            owner = member if isinstance(member, Symbol) else None
        if owner is None or owner.kind != SymbolKind.TYPE:
            return None
    return owner


def link_method_bodies(resolver: Resolver, model: SemanticModel) -> None:
    """Each method body's routine (``_declared_method``) is the definition of the type's
    routine of its name it defines, as a body is of its ``forward`` heading: go to
    definition and hover there show the type's declaration, find references and rename
    take the body's name with the declaration's uses (``SemanticModel.declaration_of``).
    Of overloads, the one that takes as many parameters, then of the same types; none
    when that leaves more than one. A call of its name in the body (bound to the body's
    routine, which hides the type's of its name) chooses among those overloads, as a
    call elsewhere does (`CheckOptions(S, L, nil, nil, All)` in another overload's body
    means the one with five parameters)."""
    for body, method in resolver.method_bodies:
        overloads = model.overloads.get(method)
        if overloads is not None:
            model.overloads[body] = overloads
        group = [m for m in overloads or [method] if len(m.params) == len(body.params)]
        if len(group) > 1:
            typed = [resolver.key(p.type_text or "") for p in body.params]
            group = [m for m in group
                     if [resolver.key(p.type_text or "") for p in m.params] == typed]
        if len(group) == 1:
            model.declared[body] = group[0]
            model.defined.setdefault(group[0], []).append(body)


def _value_members(resolver: MemberContext, target: SyntaxNode, scope: Scope,
                   gaps: list[str] | None = None) -> dict[str, Symbol]:
    chain = target
    while True:  # unwrap a node that only holds another (with_target -> designator)
        nodes = list(chain.children())
        own = any(not isinstance(c, SyntaxNode) and not c.is_trivia
                  for c in chain.children_with_tokens())
        if len(nodes) == 1 and nodes[0].kind != K.NAME_REF and not own:
            chain = nodes[0]
        else:
            break
    return _chain_members(resolver, chain, lambda _offset: scope, None, gaps)


def _chain_members(resolver: MemberContext, chain: SyntaxNode,
                   scope_at: Callable[[int], Scope], stop: SyntaxNode | None,
                   gaps: list[str] | None = None) -> dict[str, Symbol]:
    """The members of what ``chain`` (a name and its member parts: ``box.corner``)
    denotes, up to the member part ``stop`` (None: all of them). ``gaps`` gets the names
    whose declaration or type is not in the file (their members are not known)."""
    parts = list(chain.children())
    head = _chain_head(resolver, parts[0]) if parts else None
    if head is None:
        _gap(gaps, chain.kind)
        return {}
    token = head.first_token()
    if token is None:
        return {}
    scope = scope_at(token.start)
    symbol = scope.lookup(resolver.key(token.text)) or _result_of(resolver, token.text, scope)
    if symbol is None:
        _gap(gaps, token.text)
    else:
        symbol = _of_arity(resolver, chain, symbol)
    members = _symbol_members(resolver, symbol, 0, gaps)
    meanings = resolver.meanings
    for part in parts[1:]:
        if part == stop:
            break
        meaning = meanings.get(part.kind)
        if meaning is not None and meaning.type:
            # a cast (``with Sender as TEdit do``): the members of that type instead
            members = _cast_members(resolver, part, scope_at, gaps)
            continue
        if meaning is None or not meaning.member:
            continue
        ref = part.child_of_kind(K.NAME_REF)
        word = ref.first_token() if ref is not None else None
        if word is None:
            return {}
        member = members.get(resolver.key(word.text))
        if member is None:
            _gap(gaps, word.text)
        members = _symbol_members(resolver, member, 0, gaps)
    return members


def _result_of(resolver: MemberContext, word: str, scope: Scope) -> Symbol | None:
    """The function whose result ``word`` names when it is the language's
    ``structure.result_variable`` (Free Pascal's ``Result``): the innermost function
    around ``scope``, whose declaration writes the result's type."""
    result = resolver.parsed.definition.structure.result_variable
    if not result or resolver.key(word) != resolver.key(result):
        return None
    around: Scope | None = scope
    while around is not None:
        if around.owner is not None and around.owner.kind == SymbolKind.FUNCTION:
            return around.owner
        around = around.parent
    return None


def _of_arity(resolver: MemberContext, chain: SyntaxNode, symbol: Symbol) -> Symbol:
    """The declaration of ``symbol``'s name with as many type parameters as the
    ``arity`` rule in ``chain`` has (``function TBox<T>.Get`` is a method of
    ``TBox<T>``, not of a plain ``TBox`` declared first): ``symbol`` where the chain's
    rule has no ``arity``, or no declaration matches."""
    meaning = resolver.meanings.get(chain.kind)
    if meaning is None or not meaning.arity:
        return symbol
    wanted = arity_of(chain, meaning.arity)
    if symbol_arity(resolver, symbol) == wanted:
        return symbol
    for other, first in _duplicates(resolver):
        if first is symbol and symbol_arity(resolver, other) == wanted:
            return other
    return symbol


def _duplicates(resolver: MemberContext) -> list[tuple[Symbol, Symbol]]:
    """Every (declaration, earlier one of its name in its scope) of the walk so far:
    the resolver's, and those of items replayed from a template (made on demand)."""
    found = list(getattr(resolver, "duplicates", ()))
    for item in getattr(resolver, "items", ()):
        if isinstance(item, ReplayedItem) and item.template.duplicates:
            item.symbols()
            found.extend(item.duplicates)
    return found


def arity_of(node: SyntaxNode, rule: str) -> int:
    """The number of type parameters of ``node``: the node children of its first child
    of the ``arity`` rule ``rule`` (0 without one)."""
    for child in node.children():
        if child.kind == rule:
            return sum(1 for _ in child.children())
    return 0


def symbol_arity(resolver: MemberContext, symbol: Symbol) -> int:
    """The number of type parameters of the declaration ``symbol``: of the ``arity``
    rule its declaring node (the innermost one around its name) names."""
    node = declaring_node(resolver, symbol)
    meaning = resolver.meanings.get(node.kind) if node is not None else None
    if node is None or meaning is None or not meaning.arity:
        return 0
    return arity_of(node, meaning.arity)


def declaring_node(resolver: MemberContext, symbol: Symbol) -> SyntaxNode | None:
    """The innermost node around the symbol's name whose rule ``declares``."""
    node: SyntaxNode | None = resolver.parsed.root.covering_node(symbol.start, symbol.end)
    while node is not None:
        meaning = resolver.meanings.get(node.kind)
        if meaning is not None and meaning.declares:
            return node
        node = node.parent
    return None


def _chain_head(resolver: MemberContext, first: SyntaxNode) -> SyntaxNode | None:
    """The name a chain of members starts with: its first part, or the name of a call
    there (`a(i)%x`, `a(i).x`: an array's element, of the array's declared type)."""
    if first.kind == K.NAME_REF:
        return first
    meaning = resolver.meanings.get(first.kind)
    return first.child_of_kind(K.NAME_REF) if meaning is not None and meaning.call else None


def _cast_members(resolver: MemberContext, part: SyntaxNode,
                  scope_at: Callable[[int], Scope], gaps: list[str] | None
                  ) -> dict[str, Symbol]:
    """The members of the type a type annotation among a chain's parts names."""
    ref = part.child_of_kind(K.NAME_REF)
    token = ref.first_token() if ref is not None else None
    if token is None:
        _gap(gaps, part.kind)
        return {}
    symbol = _type_named(scope_at(token.start), resolver.key(token.text))
    if symbol is None or symbol.kind != SymbolKind.TYPE:
        _gap(gaps, token.text)
        return {}
    return _symbol_members(resolver, symbol, 0, gaps)


def _gap(gaps: list[str] | None, what: str) -> None:
    if gaps is not None:
        gaps.append(what)


def member_symbol(context: MemberContext, offset: int, scope_at: Callable[[int], Scope]
                  ) -> Symbol | None:
    """The member a name in a member part means (``corner`` in ``box.corner``), when the
    receiver's declared type has it."""
    token = context.parsed.root.token_at(offset)
    part = _part_named_by(context, token)
    if token is None or part is None or part.parent is None:
        return None
    return _chain_members(context, part.parent, scope_at, part).get(context.key(token.text))


def _part_named_by(context: MemberContext, token: SyntaxToken | None) -> SyntaxNode | None:
    """The member part whose name ``token`` is: a name, or a reserved word the grammar
    takes there (Delphi's ``x.Type``, the member declared ``&Type``)."""
    if token is None or token.parent is None:
        return None
    part: SyntaxNode | None = token.parent
    if token.kind == IDENT:
        part = part.parent if part is not None and part.kind == K.NAME_REF else None
    elif not token.kind.startswith(KEYWORD_PREFIX):
        return None
    meaning = context.meanings.get(part.kind) if part is not None else None
    return part if meaning is not None and meaning.member else None


def _member_part(context: MemberContext, offset: int) -> tuple[SyntaxNode, SyntaxNode] | None:
    """(the name, its member part) when the token at ``offset`` is the name of a member
    part (``corner`` in ``box.corner``)."""
    token = context.parsed.root.token_at(offset)
    name = token.parent if token is not None and token.kind == IDENT else None
    part = name.parent if name is not None and name.kind == K.NAME_REF else None
    meaning = context.meanings.get(part.kind) if part is not None else None
    if name is None or part is None or meaning is None or not meaning.member:
        return None
    return name, part


def receiver_of(context: MemberContext, offset: int) -> tuple[str, str, int] | None:
    """(receiver, member, receiver's offset) when the token at ``offset`` names the first
    member part after a plain name (``Next`` in ``Counters.Next``, ``rep`` in
    ``string.rep``): what a library table's function or an imported module's exported
    name is written as."""
    found = _member_part(context, offset)
    if found is None or found[1].parent is None:
        return None
    name, part = found
    parts = list(found[1].parent.children())
    if len(parts) < 2 or parts[0].kind != K.NAME_REF or parts[1] != part:
        return None
    receiver, word = parts[0].first_token(), name.first_token()
    if receiver is None or word is None:
        return None
    return receiver.text, word.text, receiver.start


def library_member(context: MemberContext, offset: int, scope_at: Callable[[int], Scope]
                   ) -> tuple[Builtin, Builtin] | None:
    """(library, function) when the token at ``offset`` names a function of a builtin
    library table (``rep`` in ``string.rep``, ``Int`` in ``Out.Int``): the receiver is a
    builtin with members that no symbol hides, but the import of a module of that name
    (``IMPORT Out``, a standard module)."""
    found = receiver_of(context, offset)
    if found is None:
        return None
    receiver, word, at = found
    symbol = scope_at(at).lookup(context.key(receiver))
    if symbol is not None and symbol.kind != SymbolKind.MODULE:
        return None
    library = context.parsed.definition.builtin(receiver)
    if library is None or not library.members:
        return None
    key = context.key(word)
    member = next((m for m in library.members if context.key(m.name) == key), None)
    return (library, member) if member is not None else None


def member_call_at(context: MemberContext, offset: int, argument_kinds: frozenset[str]
                   ) -> tuple[SyntaxNode, int] | None:
    """(argument list, the callee's name offset) of the innermost call of a member part
    whose argument list holds ``offset`` (``Out.Int(|``, ``string.rep(s, |``,
    ``obj:m(|``): an argument list (a node of ``argument_kinds``) right after a member
    part, after a node that ends with one (``designator arguments``), or inside one
    (``':' IDENT arguments``)."""
    node: SyntaxNode | None = context.parsed.root.covering_node(offset, offset)
    while node is not None:
        if node.kind in argument_kinds and node.start < offset <= node.end \
                and node.parent is not None:
            callee = _callee_part(context, node)
            ref = callee.child_of_kind(K.NAME_REF) if callee is not None else None
            if ref is not None:
                return node, ref.start
        node = node.parent
    return None


def cut_argument_list(root: SyntaxNode, offset: int, argument_kinds: frozenset[str]
                      ) -> SyntaxNode | None:
    """An argument list that the parse cut short before ``offset``: while typing
    ``f(a, )`` parses as ``f(a`` missing its ``)``, then an error holding ``, )``. Found
    back from ``offset`` over trivia and the tokens errors hold, it is the list that ends
    with the last token before them and with an error (what it missed)."""
    token = root.token_at(offset - 1) if offset > 0 else None
    skipped = False
    for _ in range(MAX_SKIPPED):
        if token is None or not (token.is_trivia or _in_error(token.parent)):
            break
        skipped = skipped or not token.is_trivia
        token = root.token_at(token.start - 1) if token.start > 0 else None
    else:
        return None  # a long error: not a call being typed
    if token is None or not skipped:
        return None
    node: SyntaxNode | None = token.parent
    while node is not None and node.end == token.end:
        last = list(node.children())[-1:]
        if node.kind in argument_kinds and last and last[0].kind == K.ERROR:
            return node
        node = node.parent
    return None


def _in_error(node: SyntaxNode | None) -> bool:
    return any(n.kind == K.ERROR for n in node.ancestors()) if node is not None else False


def _callee_part(context: MemberContext, args: SyntaxNode) -> SyntaxNode | None:
    """The member part an argument list calls, if any."""
    parent = args.parent
    assert parent is not None
    meanings = context.meanings
    if _is_member(meanings, parent):
        return parent
    before = None
    for child in parent.children():
        if child == args:
            break
        before = child
    while before is not None and not _is_member(meanings, before):
        inner = list(before.children())  # a node that ends with the member part
        before = inner[-1] if inner and inner[-1].end == before.end else None
    return before


def _is_member(meanings: Mapping[str, Meaning], node: SyntaxNode) -> bool:
    meaning = meanings.get(node.kind)
    return meaning is not None and meaning.member


def members_after_dot(context: MemberContext, dot: int, scope_at: Callable[[int], Scope]
                      ) -> dict[str, Symbol]:
    """The members a member part beginning with the token at ``dot`` (``.``) can name:
    what completion offers after ``box.`` or ``box.co``. Without a name after the dot the
    parse has no member part (an error holds the dot); the receiver is then the
    innermost node that ends at the dot and starts with a name (``box``, ``a.b``)."""
    root = context.parsed.root
    token = root.token_at(dot)
    if token is None:
        return {}
    part = token.parent
    meaning = context.meanings.get(part.kind) if part is not None else None
    if part is not None and meaning is not None and meaning.member and part.parent is not None:
        return _chain_members(context, part.parent, scope_at, part)
    before = root.token_at(dot - 1) if dot > 0 else None
    node = before.parent if before is not None and before.end == dot else None
    while node is not None and node.end == dot:
        inner = context.meanings.get(node.kind)
        first = next(iter(node.children()), None)
        if node.kind != K.NAME_REF and not (inner is not None and inner.member) \
                and first is not None and first.kind == K.NAME_REF:
            return _chain_members(context, node, scope_at, None)
        node = node.parent
    if before is not None and before.end == dot and before.kind == IDENT \
            and before.parent is not None and before.parent.kind != K.NAME_REF:
        # a name the parse left as a bare token (``p.`` alone on a line: an error holds
        # both): the name in scope there
        symbol = scope_at(dot).lookup(context.key(before.text))
        return _symbol_members(context, symbol, 0)
    return {}


def constructed_members(context: MemberContext, symbol: Symbol) -> list[str]:
    """The member names the value a variable is declared with gives it: the member parts
    (``alpha`` of ``alpha = 1``) of the one value after its name in its declaration (a
    table constructor, ``local t = {alpha = 1, beta = {gamma = 2}}``), not those of the
    values nested in it (``gamma``)."""
    decl = _declaring_node(context, symbol)
    holder = decl.parent if decl is not None else None
    if decl is None or holder is None:
        return []
    after = [child for child in holder.children() if child.start >= decl.end]
    if len(after) != 1 or any(c.kind == decl.kind for c in holder.children() if c != decl):
        return []
    return value_members(context, after[0])


def value_members(context: MemberContext, value: SyntaxNode) -> list[str]:
    """The member names a value gives (``alpha`` of ``{alpha = 1}``), not those of the
    values nested in it."""
    names: list[str] = []
    todo = list(value.children())
    todo.reverse()  # in the order they are written
    while todo:
        node = todo.pop()
        if node.kind == value.kind:
            continue  # a value of its own
        name = next(iter(node.children()), None)
        if _is_member(context.meanings, node) and name is not None \
                and name.kind == K.NAME_REF:
            token = name.first_token()
            if token is not None:
                names.append(token.text)
            continue
        todo.extend(reversed(list(node.children())))
    return names


def member_uses(context: MemberContext, symbol: Symbol, scope_at: Callable[[int], Scope]
                ) -> list[tuple[int, int]]:
    """Where member parts name ``symbol`` (``.corner`` of every value of its type)."""
    kinds = {k for k, m in context.meanings.items() if m.member}
    key = context.key(symbol.name)
    found = []
    for node in context.parsed.root.descendants():
        if node.kind not in kinds:
            continue
        name = node.child_of_kind(K.NAME_REF)
        token = name.first_token() if name is not None else next(
            (t for t in node.tokens() if t.kind.startswith(KEYWORD_PREFIX)), None)
        if token is not None and context.key(token.text) == key \
                and member_symbol(context, token.start, scope_at) is symbol:
            found.append((token.start, token.end))
    return found


def _symbol_members(resolver: MemberContext, symbol: Symbol | None, hops: int,
                    gaps: list[str] | None = None) -> dict[str, Symbol]:
    if symbol is None or hops > MAX_HOPS:
        return {}
    decl = _declaring_node(resolver, symbol)
    if decl is None:
        _gap(gaps, symbol.name)
        return {}
    meaning = resolver.meanings.get(decl.kind)
    if symbol.implicit and meaning is not None and meaning.opens:
        # the receiver an ``opens`` node declares (Pascal's Self in `procedure T.M`):
        # the value whose members it opens
        try:
            scope = symbol.scope
        except LookupError:
            return {}
        return _value_members(resolver, decl, scope, gaps)
    if symbol.kind != SymbolKind.TYPE:
        # a value: the type its declaration writes (in the node around a bare name)
        found = _type_part(resolver, decl, symbol.end)
        # not when the node around is the scope the name is declared in (a parameter
        # with no type written, Lua's `opts` of `function M.f(opts)`, or one the text
        # does not write, `self` of `function t:m()`): its parts are the routine's
        # locals and blocks, no type
        if found is None and decl.parent is not None and not symbol.implicit \
                and not _opens_own_scope(resolver, decl.parent, symbol):
            found = _type_part(resolver, decl.parent, symbol.end) \
                or _type_before(resolver, decl.parent, decl.start)
        if found is None and symbol.type_text:
            # typed by a later declaration (a rule's ``typed_later``: Fortran's dummy
            # argument `c` typed `type(circle), intent(in) :: c` in the body)
            return _typed_members(resolver, symbol, hops, gaps)
        return _type_members(resolver, found, symbol, hops, gaps)
    return _type_symbol_members(resolver, decl, symbol, hops, gaps)


def _type_symbol_members(resolver: MemberContext, decl: SyntaxNode, symbol: Symbol,
                         hops: int, gaps: list[str] | None) -> dict[str, Symbol]:
    """A type's members: those of the type its declaration writes, the methods declared
    with a ``receiver`` of it, and a generic type's parameters."""
    members = _type_members(resolver, _type_part(resolver, decl, symbol.end), symbol, hops,
                            gaps)
    for key, method in receiver_methods(resolver).get(resolver.key(symbol.name), {}).items():
        members.setdefault(key, method)
    meaning = resolver.meanings.get(decl.kind)
    own = _scope_of(resolver.root_scope, decl) if meaning is not None and meaning.scope else None
    if own is not None:  # a generic type's parameters: TStack<T>'s methods name T
        for key, param in own.symbols.items():
            members.setdefault(key, param)
    return members


def _type_members(resolver: MemberContext, part: SyntaxNode | None, symbol: Symbol,
                  hops: int, gaps: list[str] | None = None) -> dict[str, Symbol]:
    if part is None:
        _gap(gaps, symbol.name)
        return {}
    meaning = resolver.meanings.get(part.kind)
    if meaning is not None and meaning.scope:
        scope = _scope_of(resolver.root_scope, part)
        members = dict(scope.symbols) if scope is not None else {}
        for child in part.children():  # an ancestor named in the type itself
            named = _ancestor_name(resolver, child)
            if named is not None:
                for key, s in _named_type(resolver, named, symbol, hops, gaps).items():
                    members.setdefault(key, s)
        return members
    return _named_type(resolver, part, symbol, hops, gaps)


def _ancestor_name(resolver: MemberContext, child: SyntaxNode) -> SyntaxNode | None:
    """The type annotation a type's child ``child`` is, or begins with when the grammar
    gives the child no meaning of its own: a type with its type arguments (Pascal's
    ``class(TWrapper<T>)``) names the type its first annotation does, not an argument."""
    meaning = resolver.meanings.get(child.kind)
    if meaning is None:
        first = next(iter(child.children()), None)
        if isinstance(first, SyntaxNode) and first.start == child.start:
            child, meaning = first, resolver.meanings.get(first.kind)
    return child if meaning is not None and meaning.type else None


def _named_type(resolver: MemberContext, part: SyntaxNode, symbol: Symbol,
                hops: int, gaps: list[str] | None = None) -> dict[str, Symbol]:
    names = list(part.descendants_of_kind(K.NAME_REF))
    token = names[-1].first_token() if names else None  # Unit.Type: the type's own name
    if token is None:
        return {}
    try:
        scope = symbol.scope
    except LookupError:
        return {}
    found = _type_named(scope, resolver.key(token.text))
    if found is None or found.kind != SymbolKind.TYPE or found is symbol:
        if found is None or found is symbol and len(names) > 1:
            # a builtin type, or one of another unit: TList = class(Classes.TList)
            # names the other unit's type of its own name
            _gap(gaps, token.text)
        return {}
    return _symbol_members(resolver, found, hops + 1, gaps)


# per walked file (its file scope): type name -> its methods declared with a ``receiver``
_RECEIVER_METHODS: weakref.WeakKeyDictionary[Scope, dict[str, dict[str, Symbol]]] = \
    weakref.WeakKeyDictionary()


def receiver_methods(context: MemberContext) -> dict[str, dict[str, Symbol]]:
    """The routines declared with a ``receiver`` part (Go's `func (r *Rect) Area()`), by
    the key of the type the receiver's type names, then by their own key: members of
    that type's values, as its fields are. Read from the tree once per walked file: the
    routine is the owner of the scope its declaring node opens."""
    root = context.root_scope
    found = _RECEIVER_METHODS.get(root)
    if found is not None:
        return found
    found = {}
    meanings = context.meanings
    kinds = [kind for kind, meaning in meanings.items() if meaning.receiver]
    for kind in kinds:
        for node in context.parsed.root.descendants_of_kind(kind):
            owner = _receiver_owner(context, node)
            named = _receiver_type(context, node)
            if owner is not None and named:
                found.setdefault(context.key(named), {}).setdefault(
                    context.key(owner.name), owner)
    _RECEIVER_METHODS[root] = found
    return found


def _receiver_owner(context: MemberContext, node: SyntaxNode) -> Symbol | None:
    """The routine whose declaring node holds the receiver ``node``."""
    decl = node.parent
    scope = _scope_of(context.root_scope, decl) if decl is not None else None
    owner = scope.owner if scope is not None else None
    return owner if owner is not None and owner.kind in _ROUTINES else None


def _receiver_type(context: MemberContext, node: SyntaxNode) -> str:
    """The first name of the first type annotation inside a receiver (`Rect` of `(r
    *Rect)`, `Stack` of `(s *Stack[T])`)."""
    todo = [node]
    while todo:
        current = todo.pop()
        meaning = context.meanings.get(current.kind)
        if meaning is not None and meaning.type:
            name = next(iter(current.descendants_of_kind(K.NAME_REF)), None)
            token = name.first_token() if name is not None else None
            return token.text if token is not None else ""
        children = list(current.children())
        children.reverse()
        todo.extend(children)
    return ""


def _opens_own_scope(resolver: MemberContext, node: SyntaxNode, symbol: Symbol) -> bool:
    """Whether ``node`` opens the scope ``symbol`` is declared in."""
    meaning = resolver.meanings.get(node.kind)
    if meaning is None or not meaning.scope:
        return False
    try:
        scope = symbol.scope
    except LookupError:
        return False
    return scope.start == node.start and scope.end == node.end


def _type_named(scope: Scope, key: str) -> Symbol | None:
    """What a type's name ``key`` names in ``scope``: a type of a variable's name where
    they are two names (``structure.type_names: separate``: QBasic's DIM node AS Node)."""
    found = scope.lookup(key)
    if found is None or found.kind != SymbolKind.TYPE:
        return scope.lookup(type_key(key)) or found
    return found


def _type_before(resolver: MemberContext, node: SyntaxNode, before: int) -> SyntaxNode | None:
    """The last type annotation among ``node``'s children that end before offset
    ``before``: a type written before the names it declares (Fortran's `type(circle) ::
    c`, QBasic's `DIM AS T a`)."""
    found = None
    for child in node.children():
        if child.end > before:
            break
        meaning = resolver.meanings.get(child.kind)
        if meaning is not None and meaning.type:
            found = child
    return found


def _typed_members(resolver: MemberContext, symbol: Symbol, hops: int,
                   gaps: list[str] | None) -> dict[str, Symbol]:
    """The members of the type ``symbol.type_text`` names by its last word."""
    words = re.findall(r"\w+", symbol.type_text or "")
    try:
        scope = symbol.scope
    except LookupError:
        return {}
    found = _type_named(scope, resolver.key(words[-1])) if words else None
    if found is None or found.kind != SymbolKind.TYPE or found is symbol:
        _gap(gaps, symbol.name)
        return {}
    return _symbol_members(resolver, found, hops + 1, gaps)


def _type_part(resolver: MemberContext, node: SyntaxNode, after: int) -> SyntaxNode | None:
    """The last type annotation or member scope in ``node`` after offset ``after``, not
    looking inside either (a record's field types are not the record's type), nor inside a
    block (a record a template reads as a block of field lines, its declaration being the
    scope: ``inner: TP`` in it does not make the record a TP)."""
    meanings = resolver.meanings
    found = None
    todo = [c for c in node.children() if c.start >= after]
    todo.reverse()
    while todo:
        current = todo.pop()
        meaning = meanings.get(current.kind)
        if meaning is not None and (meaning.type or meaning.scope):
            found = current
            continue
        if meaning is not None and meaning.block:
            continue
        children = list(current.children())
        children.reverse()
        todo.extend(children)
    return found


def _declaring_node(resolver: MemberContext, symbol: Symbol) -> SyntaxNode | None:
    """The innermost declaring node spanning exactly the symbol's declaration."""
    node = resolver.parsed.root
    found = None
    meanings = resolver.meanings
    while True:
        meaning = meanings.get(node.kind)
        if node.start == symbol.decl_start and node.end == symbol.decl_end \
                and meaning is not None and (meaning.declares or meaning.assigns
                                             or meaning.implicit_parameter):
            found = node
        for child in node.children():
            if child.start <= symbol.decl_start and symbol.decl_end <= child.end \
                    and child.end > child.start:
                node = child
                break
        else:
            return found


def _scope_of(root: Scope, node: SyntaxNode) -> Scope | None:
    """The scope a node opened: the one with the node's range, found from the file's."""
    scope = root
    while True:
        for child in scope.children:
            if child.start == node.start and child.end == node.end:
                return child
            if child.start <= node.start and node.end <= child.end:
                scope = child
                break
        else:
            return None


def bind_receiver_calls(resolver: Resolver) -> None:
    """Count the arguments of a method called through the implicit parameter of the
    body it is in (Pascal's ``Self.Add(1, 2)``, a name the grammar's ``implicit_parameter``
    declares) as those of the same call without the receiver (``Add(1, 2)``): the member
    is the routine the opened scope around that parameter names so (a parameter or local
    of the body's own hides nothing here: the receiver names the object). A call without
    an argument list is not counted, as for a plain name. Only items walked afresh hold
    such bodies (an item that ``opens`` is never replayed: ``Resolver.visit_item``)."""
    if not resolver.opens:
        return
    opened = {id(o) for o, _, _ in resolver.opens}
    root = resolver.parsed.root
    for item in resolver.items:
        if isinstance(item, ReplayedItem):
            continue
        for ref in list(item.references()):
            receiver = ref.symbol
            if receiver is None or not receiver.implicit \
                    or receiver.kind != SymbolKind.PARAMETER or ref.scope is None:
                continue
            # the opened scope the parameter's node made, around the reference
            members: Scope | None = ref.scope
            while members is not None and not (id(members) in opened
                                               and members.parent is receiver.scope):
                members = members.parent
            if members is None:
                continue
            site = _receiver_call(resolver, root.token_at(ref.start), members, ref)
            if site is not None:
                item.calls().append(site)
                resolver.calls.append(site)


def _receiver_call(resolver: Resolver, token: SyntaxToken | None, members: Scope,
                   receiver: Reference) -> CallSite | None:
    """The call of a member right after the receiver's name ``token``, if it is one of
    the routines ``members`` holds, followed by its argument list."""
    name = token.parent if token is not None else None
    if name is None or name.kind != K.NAME_REF or name.parent is None:
        return None
    siblings = list(name.parent.children())
    at = siblings.index(name)
    if at + 2 >= len(siblings):
        return None
    part, args = siblings[at + 1], siblings[at + 2]
    if not _is_member(resolver.meanings, part):
        return None
    word = part.child_of_kind(K.NAME_REF)
    first = args.first_token()
    if word is None or first is None or first.text != "(" \
            or _is_member(resolver.meanings, args):
        return None
    symbol = members.symbols.get(resolver.key(word.text))
    if symbol is None or symbol.kind not in _ROUTINES:
        return None
    callee = Reference(word.text, word.start, word.end, symbol, scope=receiver.scope)
    exprs = [c for c in args.children() if c.kind != K.ERROR]
    return CallSite(callee, len(exprs), name.parent.start, args.end, args.start, args.end,
                    [(e.start, e.end) for e in exprs])


def member_calls_in(resolver: Resolver, references: list[Reference], base: int
                    ) -> tuple[MemberCall, ...]:
    """The calls of a member after a name among an item's ``references`` (``C.Add(1, 2)``:
    the name, one member part, its argument list; ``S.Calc.Add(1)``, ``GetList().Add(X)``:
    members and empty argument lists between them, each call along the chain one),
    offsets relative to ``base``: what the item's template keeps for
    ``bind_member_calls``. Read from the tree, before any name is bound (the receiver's
    type is known only once the file is walked)."""
    text = resolver.parsed.text
    root = resolver.parsed.root
    meanings = resolver.meanings
    found: list[MemberCall] = []
    looks_called = _LOOKS_CALLED.match
    for i, ref in enumerate(references):
        if ref.is_type or looks_called(text, ref.end) is None:
            continue  # (a cheap test first: most names are followed by no member's call)
        token = root.token_at(ref.start)
        name = token.parent if token is not None else None
        if name is None or name.kind != K.NAME_REF or name.parent is None:
            continue
        siblings = list(name.parent.children())
        at = siblings.index(name) + 1
        via: tuple[str, ...] = ()
        if at + 1 < len(siblings) and _arguments(meanings, siblings[at]):
            via, at = ("()",), at + 1  # GetList().Add(X): the name's call, then a member
        elif at == 1 and len(siblings) == 2 and _arguments(meanings, siblings[1]) \
                and name.parent.parent is not None and _first_of(name.parent):
            # the name's call a node of its own, first in the chain: Find(1).Add(X)
            siblings = list(name.parent.parent.children())
            via, at = ("()",), 1
        while at + 1 < len(siblings):
            part, args = siblings[at], siblings[at + 1]
            word = part.child_of_kind(K.NAME_REF) if _is_member(meanings, part) else None
            if word is None:
                break
            if _is_member(meanings, args):  # S.Calc.Add(1): a member on the way
                via, at = via + (word.text,), at + 1
                continue
            first = args.first_token()
            if first is None or first.text != "(":
                break
            ranges = tuple((e.start - base, e.end - base) for e in args.children()
                           if e.kind != K.ERROR)
            found.append((i, word.text, word.start - base, word.end - base,
                          name.parent.start - base, args.end - base, args.start - base,
                          args.end - base, ranges, via))
            via, at = via + (word.text, "()"), at + 2  # and a member of its result
    return tuple(found)


def _arguments(meanings: Mapping[str, Meaning], node: SyntaxNode) -> bool:
    """Is ``node`` an argument list, ``(...)``?"""
    first = node.first_token()
    return first is not None and first.text == "(" and not _is_member(meanings, node)


def _first_of(node: SyntaxNode) -> bool:
    """Is ``node`` its parent's first child?"""
    parent = node.parent
    first = next(iter(parent.children()), None) if parent is not None else None
    return first is not None and (first.start, first.end, first.kind) \
        == (node.start, node.end, node.kind)


# what follows a name whose member is called (`.Add(`, `:add(`, `%add(`, `(1).Add(`,
# `.Calc.Add(`: the members and argument lists on the way written without spaces, so
# `a + b + f(` and `(x) + f(` are not read), as text: only such names are looked up in the tree, which says whether they are
_LOOKS_CALLED = re.compile(
    r"\s*(?:\([^()]*\)[^\w\s,;()\[\]'\"]{1,2}|[^\w\s,;()\[\]'\"]{1,2}\s*)\w+"
    r"(?:(?:\([^()]*\))?[^\w\s,;()\[\]'\"]{1,2}\w+)*\s*\(")

# the values whose declared type a member call is counted through (``bind_member_calls``)
_RECEIVERS = (SymbolKind.VARIABLE, SymbolKind.PARAMETER, SymbolKind.FIELD)


def bind_member_calls(resolver: Resolver) -> None:
    """Count the arguments of a method called through a variable, parameter or field of
    a type the file declares (``C.Add(1, 2)`` with ``C: TCalc``) as those of the bare call
    in that type's methods (``bind_receiver_calls``): only when the type is written as
    one name, declares its members itself (a class, a record, an object: no alias) and
    every ancestor is declared in the file, and when the ancestors' routines of that name
    take as many parameters (an inherited method that one of another count hides or
    overloads is not judged). So also through the type itself (a class method,
    ``TCalc.Make(1)``), a function's result (``MakeCalc.Add(1, 2)``, ``MakeCalc().Add``)
    and a chain of such members (``S.Calc.Add(1, 2)``, ``S.GetCalc.Add``): each step a
    field or property whose type is written as one name, or a routine of one routine of
    its name taking no arguments whose result is. The calls are those the items' walks
    found (``member_calls_in``; a replayed item's, from its template)."""
    if not resolver.member_calls:
        return
    scoped = False
    # per receiver, members on the way and member name, as written: most calls name a
    # few fields over and over
    found: dict[tuple[int, tuple[str, ...], str], Symbol | None] = {}
    bare_calls = resolver.definition.structure.block_style in _BARE_CALLS
    for item, calls in resolver.member_calls:
        base = item.start
        for ri, word, ws, we, start, end, args_start, args_end, ranges, via in calls:
            ref = item.reference(ri) if isinstance(item, ReplayedItem) \
                else item.references()[ri]
            receiver = ref.symbol
            if receiver is None:
                continue
            key = (id(receiver), via, word)
            if key not in found:
                found[key] = None
                if _may_receive(resolver, receiver, via, bare_calls):
                    if not scoped:  # a type's members are read from its scope
                        scoped = _make_scopes(resolver)
                    found[key] = _chain_method(resolver, receiver, tuple(
                        resolver.key(w) for w in via), resolver.key(word), bare_calls)
            method = found[key]
            if method is None:
                continue
            callee = Reference(word, ws + base, we + base, method, scope=ref.scope)
            site = CallSite(callee, len(ranges), start + base, end + base,
                            args_start + base, args_end + base,
                            [(a + base, b + base) for a, b in ranges])
            item.add_call(site)
            resolver.calls.append(site)


def _make_scopes(resolver: Resolver) -> bool:
    """Make the scopes of the items replayed from templates (a type's members are read
    from its scope)."""
    for item in resolver.items:
        if isinstance(item, ReplayedItem):
            item.make_scopes()
    return True


# block styles whose routines named without an argument list are called (Pascal's
# ``MakeCalc.Add``), as the type inference reads them (``types.infer``: ``bare_calls``)
_BARE_CALLS = (BlockStyle.BEGIN_END, BlockStyle.KEYWORD_TERMINATED)


def _may_receive(resolver: Resolver, receiver: Symbol, via: tuple[str, ...],
                 bare_calls: bool) -> bool:
    """A first test, before reading the tree (``_chain_method``): is ``receiver`` a value
    whose type is written as one name of a type the file declares, such a type, or a
    routine whose result is?"""
    if receiver.implicit:  # (Self.Add alone: ``bind_receiver_calls``)
        return receiver.kind == SymbolKind.PARAMETER and via[:1] not in ((), ("()",))
    if receiver.kind in _RECEIVERS:
        return via[:1] != ("()",) and _typed_here(resolver, receiver.type_text, receiver)
    if receiver.kind == SymbolKind.TYPE:
        return True
    return receiver.kind == SymbolKind.FUNCTION and (bare_calls or via[:1] == ("()",)) \
        and _typed_here(resolver, receiver.result_text, receiver)


def _typed_here(resolver: Resolver, written: str | None, symbol: Symbol) -> bool:
    """Is the type ``written`` at ``symbol``'s declaration one name, of a type declared
    in the file?"""
    if written is None or not _ONE_NAME.fullmatch(written.strip()):
        return False
    try:
        named = _type_named(symbol.scope, resolver.key(written.strip()))
    except LookupError:
        return False
    return named is not None and named.kind == SymbolKind.TYPE


_ONE_NAME = re.compile(r"\w+")


def _chain_method(resolver: Resolver, receiver: Symbol, via: tuple[str, ...], key: str,
                  bare_calls: bool) -> Symbol | None:
    """The routine ``key`` reached from ``receiver`` through the members ``via`` (keys;
    ``"()"`` an argument list), when sure of each step."""
    named: Symbol | None = None
    if receiver.implicit:  # Self.Calc.Add: the first member is the body's object's
        gaps: list[str] = []
        member = _symbol_members(resolver, receiver, 0, gaps).get(via[0])
        if gaps or member is None or member.kind in _ROUTINES \
                and not _ancestors_agree(resolver, member, via[0], 0):
            return None
        named = _member_type(resolver, member, via[1:2] == ("()",), bare_calls)
        via = via[1:]
    elif receiver.kind == SymbolKind.TYPE:  # its class methods, or a value it converts
        named = receiver if _own_members(resolver, receiver) else None
        via = via[1:] if via[:1] == ("()",) else via  # (a cast, TCalc(X).Add)
    elif receiver.kind in _RECEIVERS:
        named = _value_type(resolver, receiver)
    elif via[:1] == ("()",) or not receiver.params:
        named = _result_type(resolver, receiver)
        via = via[1:] if via[:1] == ("()",) else via
    for at, step in enumerate(via):
        if named is None:
            return None
        if step == "()":
            continue
        member = _type_method(resolver, named, step, routine=False)
        named = _member_type(resolver, member, via[at + 1:at + 2] == ("()",), bare_calls) \
            if member is not None else None
    return _type_method(resolver, named, key) if named is not None else None


def _member_type(resolver: Resolver, member: Symbol, called: bool, bare_calls: bool
                 ) -> Symbol | None:
    """The type of a member on the way of a chain: a field's or property's (not called),
    a function's result (called with an argument list, or without one when it takes no
    arguments and the block style calls a routine named alone)."""
    if member.kind in _RECEIVERS:
        return None if called else _value_type(resolver, member)
    if member.kind == SymbolKind.FUNCTION and (called or bare_calls and not member.params):
        return _result_type(resolver, member)
    return None


def _value_type(resolver: Resolver, value: Symbol) -> Symbol | None:
    """The type ``value``'s declaration names as its type, written as one name, when it
    declares its members itself (``_own_members``)."""
    if not _typed_here(resolver, value.type_text, value):
        return None
    decl = _declaring_node(resolver, value)
    if decl is None:
        return None
    holder: SyntaxNode | None = decl
    found = _type_part(resolver, decl, value.end)
    if found is None and decl.parent is not None \
            and not _opens_own_scope(resolver, decl.parent, value):
        holder = decl.parent
        found = _type_part(resolver, holder, value.end) \
            or _type_before(resolver, holder, decl.start)
    meanings = resolver.meanings
    meaning = meanings.get(found.kind) if found is not None else None
    if found is None or meaning is None or not meaning.type or holder is None:
        return None
    around = found.parent
    leaves = list(found.significant_leaves())
    try:
        scope = value.scope
    except LookupError:
        return None
    if around is None or (around.kind, around.start, around.end) \
            != (holder.kind, holder.start, holder.end) or len(leaves) != 1:
        return None  # one name among others: a pointer's, a generic's arguments, Unit.Type
    named = _type_named(scope, resolver.key(leaves[0].text))
    if named is None or named.kind != SymbolKind.TYPE or not _own_members(resolver, named):
        return None
    return named


def _result_type(resolver: Resolver, routine: Symbol) -> Symbol | None:
    """The type a function returns, written as one name, when it is the
    one routine of its name in its scope (no overload marked or beside it) and the type
    declares its members itself."""
    if routine.kind != SymbolKind.FUNCTION \
            or not _typed_here(resolver, routine.result_text, routine) \
            or _overloaded(resolver, routine):
        return None
    try:
        named = _type_named(routine.scope, resolver.key((routine.result_text or "").strip()))
    except LookupError:
        return None
    if named is None or named.kind != SymbolKind.TYPE or not _own_members(resolver, named):
        return None
    return named


def _own_members(resolver: Resolver, named: Symbol) -> bool:
    """Does the type ``named`` declare its members itself (a class, a record, an object;
    not an alias of another type, a builtin's)?"""
    type_decl = _declaring_node(resolver, named)
    part = _type_part(resolver, type_decl, named.end) if type_decl is not None else None
    own = resolver.meanings.get(part.kind) if part is not None else None
    return own is not None and own.scope


def _type_method(resolver: Resolver, named: Symbol, key: str, routine: bool = True
                 ) -> Symbol | None:
    """The member ``key`` of the type ``named`` when its members are all known (every
    ancestor declared in the file): a routine whose ancestors' routines of its name take
    as many parameters and that is not marked ``overload`` alone; with ``routine`` false,
    a field or property too (one the ancestors do not declare again)."""
    type_decl = _declaring_node(resolver, named)
    if type_decl is None:
        return None
    gaps: list[str] = []
    members = _type_symbol_members(resolver, type_decl, named, 1, gaps)
    method = members.get(key)
    if gaps or method is None:
        return None
    if method.kind in _RECEIVERS and not routine:
        return method
    if method.kind not in _ROUTINES or not _ancestors_agree(resolver, method, key, 0) \
            or _marked_alone(resolver, method):
        return None
    return method


def _overloaded(resolver: Resolver, routine: Symbol) -> bool:
    """Is ``routine`` marked ``overload`` or one of several routines of its name?"""
    kinds = [kind for kind, meaning in resolver.meanings.items() if meaning.overload]
    node = _declaring_node(resolver, routine) if kinds else None
    if node is not None and any(True for kind in kinds for _ in node.descendants_of_kind(kind)):
        return True
    return any(routine is a or routine is b for a, b in _duplicates(resolver))


def _marked_alone(resolver: Resolver, method: Symbol) -> bool:
    """Is ``method`` marked ``overload`` with no other routine of its name beside it (the
    others it overloads are elsewhere: an ancestor of another unit, Free Pascal's
    TObject, whose ``Create`` a ``constructor Create(N: Integer); overload;`` keeps)?"""
    kinds = [kind for kind, meaning in resolver.meanings.items() if meaning.overload]
    node = _declaring_node(resolver, method) if kinds else None
    if node is None or not any(True for kind in kinds for _ in node.descendants_of_kind(kind)):
        return False
    return not any(method is a or method is b for a, b in _duplicates(resolver))


def _ancestors_agree(resolver: Resolver, method: Symbol, key: str, hops: int) -> bool:
    """Do the routines ``key`` of the ancestors of the type that declares ``method`` take
    as many parameters as it does (an override), all the way up?"""
    if hops > MAX_HOPS:
        return False
    try:
        scope = method.scope
    except LookupError:
        return False
    node = resolver.parsed.root.covering_node(scope.start, scope.end)
    while node is not None and node.parent is not None \
            and (node.parent.start, node.parent.end) == (scope.start, scope.end):
        node = node.parent
    if node is None or (node.start, node.end) != (scope.start, scope.end):
        return False
    for child in node.children():
        named = _ancestor_name(resolver, child)
        if named is None:
            continue
        gaps: list[str] = []
        above = _named_type(resolver, named, method, hops + 1, gaps)
        other = above.get(key)
        if gaps:
            return False
        if other is None:
            continue
        if other.kind not in _ROUTINES or len(other.params) != len(method.params) \
                or not _ancestors_agree(resolver, other, key, hops + 1):
            return False
    return True


def type_member(resolver: Resolver, owner: Symbol, key: str) -> Symbol | None | bool:
    """The member ``key`` of the type ``owner`` (a nested type's name: `TInner` of
    `TOuter.TInner`): its symbol; False when the type's members are all known (its
    declaration and every ancestor's are in the file) and none is so named; None when
    they are not all known."""
    decl = _declaring_node(resolver, owner)
    if decl is None or owner.kind != SymbolKind.TYPE:
        return None
    gaps: list[str] = []
    members = _type_symbol_members(resolver, decl, owner, 0, gaps)
    found = members.get(key)
    if found is not None:
        return found
    return None if gaps else False
