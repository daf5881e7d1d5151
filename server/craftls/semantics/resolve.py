"""Name resolution: build scopes and symbols, bind every name use to its
declaration. Declarations are hoisted within their scope (a use may precede
the declaration), which is what Pascal-style forward references and
mutually recursive functions need; a grammar's declaration may instead be visible
from a point on (``visible``: Lua's ``local``), and lookups at an offset then see
only what is visible there (``Scope.lookup``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from itertools import islice
from typing import Final

from ..language.model import BlockStyle
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tokens import IDENT, TRIVIA
from ..syntax.tree import GreenNode, SyntaxNode, kind_bit
from .dotted_names import bind_dotted_uses, dotted_keys
from .grammar_meaning import meanings_of, open_scope, visit_meaning
from .grammar_members import (
    bind_member_calls,
    bind_receiver_calls,
    link_method_bodies,
    member_calls_in,
    open_members,
    opened_member,
)
from .implicit_types import implicit_marks, implicit_twin
from .imported_names import imported_library_members
from .item_walks import (
    DECLARE,
    HIDDEN,
    HOISTED_LOOKUP,
    ITEM_WALKS,
    LOOKUP,
    MARKED,
    ItemWalk,
    MemberCall,
    ReplayedItem,
    RootEvent,
    Template,
    TemplateCache,
    splits_of,
)
from .model import (
    ROUTINE_KINDS,
    CallSite,
    ItemNames,
    Reference,
    Scope,
    SemanticModel,
    Symbol,
    SymbolKind,
    hidden,
    hides,
    label_key,
    lookup_spelled,
    name_key,
    other_spellings,
    separated,
    spelled_alike,
    type_key,
    visible_at,
)
from .passed_routines import passed_routine_keys
from .segments import item_node, item_nodes, resolve_items

__all__ = ["CallSite", "Resolver", "resolve_names", "analyze_with_details"]

DECLARING_KEYWORDS = ("let", "var", "dim", "const")


class Resolver:
    # Slots, as ``syntax.parser.Parser`` has them (why: there): with more than 30
    # attributes in an instance dict, uncompiled, the walk's every ``self.x`` and method
    # call went the slow way.
    __slots__ = ("parsed", "templates", "definition", "fold", "escape", "marks", "labels", "type_names",
                 "root_scope", "symbols", "references", "duplicates", "calls", "items",
                 "externals", "declares_by_assignment", "loop_scoped", "root_events",
                 "meanings", "walked", "redeclaration_allowed", "opens", "opening",
                 "heading_rules", "headless", "headings", "heading_keys", "unlinked",
                 "statement_end", "splits", "name_ref", "depth", "deep", "sharing", "dotted",
                 "passed", "imported", "typed_later", "member_calls", "members_called",
                 "implicit", "method_bodies")

    def __init__(self, parsed: ParsedFile, externals: Mapping[str, str] | None = None,
                 templates: TemplateCache | None = None) -> None:
        self.parsed = parsed
        # the session's name-resolution templates (None: the process default, ITEM_WALKS)
        self.templates = templates if templates is not None else ITEM_WALKS
        self.definition = parsed.definition
        self.fold = not self.definition.lexical.case_sensitive
        # a prefix that makes a reserved word a name and is no part of it (``&Type``)
        self.escape = self.definition.lexical.name_escape
        self.marks = self.definition.structure.type_marks  # s$ is s declared AS STRING
        # x and x! are one SINGLE variable, i and i% one after DEFINT A-Z
        # (``structure.implicit_types``): the file's marks by first letter
        self.implicit = implicit_marks(self.definition, parsed.text) if self.marks else None
        # labels are names of their own: declared and looked up by ``label_key``
        self.labels = self.definition.structure.labels == "separate"
        # a type and a variable of one name are two names (``model.separated``)
        self.type_names = self.definition.structure.type_names == "separate"
        root = parsed.root
        self.root_scope = Scope("file", root.start, root.end, None)
        self.symbols: list[Symbol] = []
        self.references: list[Reference] = []
        self.duplicates: list[tuple[Symbol, Symbol]] = []
        # the symbols declared by a ``typed_later`` rule (by id): a later declaration of
        # the name in their scope types them instead of declaring it again
        self.typed_later: set[int] = set()
        self.calls: list[CallSite] = []
        self.items: list[ItemNames] = []
        # keyed by ``key``: a copy where every name is its own key (thousands of a
        # workspace's shared globals, each file)
        self.externals = {self.key(k): v for k, v in (externals or {}).items()} \
            if self.fold or self.escape else dict(externals or {})
        # "assignment": the let keyword only assigns (BASIC's LET), so assignments declare
        self.declares_by_assignment = self.definition.structure.declarations == "assignment" \
            or not any(self.definition.has(k) for k in DECLARING_KEYWORDS)
        self.loop_scoped = self.definition.structure.block_style is BlockStyle.BRACES
        self.root_events: list[RootEvent] | None = None  # recorded while walking an item
        self.meanings = meanings_of(self.definition)  # a grammar's annotated node kinds
        # the kinds the walk does something at (``visit``): a subtree without any of them
        # (a literal, an expression of literals) is skipped, not descended into
        self.walked = _kind_bits(self.meanings)
        # Lua's `local x` again in one block: a new variable, not a mistake
        self.redeclaration_allowed = self.definition.structure.redeclaration == "allowed"
        # scopes that receive a type's members once the file is walked (`opens`: WITH)
        self.opens: list[tuple[Scope, SyntaxNode, Scope]] = []
        self.opening = frozenset(k for k, m in self.meanings.items() if m.opens)
        # the items' calls of another value's method (``grammar_members.bind_member_calls``),
        # where the grammar has member parts to find them by
        self.members_called = any(m.member for m in self.meanings.values())
        self.member_calls: list[tuple[ItemNames, tuple[MemberCall, ...]]] = []
        # a grammar's routine headings without bodies (``heading``): the bodies that
        # leave out their parameter lists, and the headings walked (not replayed), as
        # (scope, name, the name's start); ``take_headings`` joins them
        self.heading_rules = any(m.heading for m in self.meanings.values())
        self.headless: list[tuple[Scope, Symbol]] = []
        self.headings: list[tuple[Scope, str, int]] = []
        # the names the file's headings give (``heading_keys``), and the names of the
        # bodies without parameter lists that none of them gives, as walked
        self.heading_keys = heading_keys(self) if self.heading_rules else frozenset()
        # (a method body's routine, the routine of the type it opens of its name):
        # ``grammar_members.link_method_bodies``
        self.method_bodies: list[tuple[Symbol, Symbol]] = []
        self.unlinked: list[str] = []
        # where the statement being walked ends, directly in its scope (a top-level item,
        # or a statement of a grammar's scope node): a declaration `visible: after_statement`
        # is visible from there on
        self.statement_end = root.end
        self.splits = splits_of(self.definition)  # which nodes are items per child node
        # what ``visit_children`` binds without a syntax node: a name read, unless a
        # grammar gives it a meaning that opens a scope (then ``visit`` is needed)
        self.name_ref = K.NAME_REF if K.NAME_REF not in self.opening else None
        self.depth = 0  # how deep ``visit`` is in nested expressions
        self.deep = DEEP  # (a test sets 0: the whole walk by ``_walk``)
        # inside a grammar's ``shared`` node (DIM SHARED): what it declares is ``shared``
        self.sharing = False
        # the dotted routine names the file declares (``dotted_names``)
        self.dotted = dotted_keys(self) if any(m.dotted for m in self.meanings.values()) \
            else frozenset()
        # the routines of the file named by a by-reference argument (``passed_routines``)
        self.passed = passed_routine_keys(self)
        # names imported one by one from a builtin library (``FROM InOut IMPORT
        # WriteString``): their qualified names (``imported_names``)
        self.imported = imported_library_members(parsed)

    def key(self, name: str) -> str:
        return name_key(name, self.fold, self.escape)

    # ------------------------------------------------------------ declarations

    def declare(self, scope: Scope, name_node: SyntaxNode, kind: str, decl: SyntaxNode,
                type_text: str | None = None, visible_from: int = 0) -> Symbol:
        token = _first_token(name_node.green, name_node.start)  # (kind, text, start)
        name = token[1] if token is not None else name_node.text
        start = token[2] if token is not None else name_node.start
        symbol = Symbol(name, kind, start, start + len(name), decl.start, decl.end, scope,
                        type_text, visible_from=visible_from)
        symbol.shared = self.sharing
        return self.add_symbol(scope, symbol)

    def add_symbol(self, scope: Scope, symbol: Symbol) -> Symbol:
        """Declare a made symbol in ``scope`` (``declare`` makes it from a name node)."""
        key = self.key(symbol.name)
        if self.labels and symbol.kind == SymbolKind.LABEL:
            key = label_key(key)
        if scope is self.root_scope and self.root_events is not None:
            self.root_events.append((DECLARE, key, symbol))
        previous = scope.add(key, symbol)
        if previous is not None and not self.redeclaration_allowed \
                and not (self.type_names and separated(scope, key, symbol, previous)):
            self.duplicates.append((symbol, previous))
        self.symbols.append(symbol)
        return symbol

    def reference(self, node: SyntaxNode, scope: Scope, is_write: bool = False,
                  is_type: bool = False, label: bool = False) -> Reference | None:
        return self.reference_at(node.green, node.start, scope, is_write, is_type, label)

    def reference_at(self, green: GreenNode, start: int, scope: Scope, is_write: bool = False,
                     is_type: bool = False, label: bool = False) -> Reference | None:
        """``reference`` of the node ``green`` at ``start``, without its syntax node."""
        children = green.children
        first = children[0] if children else None
        if first is not None and type(first) is not GreenNode \
                and first[0] not in TRIVIA:  # type: ignore[index]
            kind, text = first  # type: ignore[misc]  # a name: ``_first_token``'s first case
        else:
            token = _first_token(green, start)  # (kind, text, start)
            if token is None:
                return None
            kind, text, start = token
        if kind != IDENT and not is_type:
            return None
        name = text[len(self.escape):] if self.escape and text.startswith(self.escape) else text
        ref = Reference(name, start, start + len(text), None, None, is_write, is_type, scope,
                        False, label)
        self.references.append(ref)
        return ref

    # ------------------------------------------------------------ walk

    def lookup(self, scope: Scope, key: str, offset: int | None = None) -> Symbol | None:
        """``scope.lookup``, noting what the file scope answered (see ``item_walks``)."""
        found = scope.lookup(key, offset)
        if self.root_events is not None and (found is None or found.scope is self.root_scope):
            # answered past an ``isolated`` scope: the file scope's variables not seen
            # (at the start, only a declaration visible throughout answers: ``_G.x``)
            event = HIDDEN if hides(scope, key) else HOISTED_LOOKUP if offset == 0 else LOOKUP
            self.root_events.append((event, key, found.kind if found is not None else None))
        return found

    def opened_member(self, scope: Scope, key: str) -> bool:
        """Is ``key`` a member of what an ``opens`` node around ``scope`` names (a field a
        method's body assigns)? See ``grammar_members.opened_member``."""
        return opened_member(self, scope, key)

    def lookup_spelled_alike(self, scope: Scope, key: str, offset: int) -> Symbol | None:
        """A declaration of another spelling of ``key`` (``structure.type_marks``) named
        alike with or without its mark (a FUNCTION Menu% assigned as Menu, s$ after DIM s
        AS STRING), noting what the file scope answered (``MARKED`` events: whether its
        declaration of that spelling is ``spelled_alike``)."""
        twin = implicit_twin(key, self.marks, self.implicit)
        if twin is not None:
            symbol = self.lookup(scope, twin, offset)
            if symbol is not None:
                return symbol
        for other in other_spellings(key, self.marks):
            found: Scope | None = scope
            hide = False
            while found is not None:
                symbol = found.symbols.get(other)
                if symbol is not None:
                    symbol = visible_at(symbol, offset)
                if symbol is not None and hide and hidden(symbol):
                    symbol = None  # past an ``isolated`` scope (not replayed: rare)
                alike = symbol is not None and spelled_alike(symbol.kind, symbol.type_text)
                if found.isolated is not None and other not in found.isolated:
                    hide = True
                if found is self.root_scope and self.root_events is not None:
                    self.root_events.append((MARKED, other, alike))
                if symbol is not None and alike:
                    return symbol
                found = found.parent
        return None

    def lookup_here(self, scope: Scope, key: str) -> Symbol | None:
        found = scope.symbols.get(key)
        if scope is self.root_scope and self.root_events is not None:
            self.root_events.append((LOOKUP, key, found.kind if found is not None else None))
        return found

    def run(self) -> SemanticModel:
        greens, offsets = item_nodes(self.parsed.root.green, self.splits)
        segments = resolve_items(self, greens, offsets)  # item by item, or by segment
        open_members(self)
        self.take_headings()
        bind_dotted_uses(self)
        self.bind()
        bind_receiver_calls(self)
        bind_member_calls(self)
        for item in self.items:
            if isinstance(item, ReplayedItem) and item.template.duplicates:
                item.symbols()  # duplicates inside an item: rare, and reported as objects
                self.duplicates.extend(item.duplicates)
        model = SemanticModel(self.root_scope, self.items, self.fold, self.escape)
        if self.duplicates:
            self.group_overloads(model)
        if self.method_bodies:
            link_method_bodies(self, model)
        model.segments = segments
        model.implicit = self.implicit
        model.item_lists = (self.parsed.root.green, greens, offsets)
        return model

    def group_overloads(self, model: SemanticModel) -> None:
        """Routines of one name in one scope (``duplicates``): the overloads a call
        chooses among (``SemanticModel.overload_for``), with their parameters that have
        default values (``default_value`` nodes inside the declaration)."""
        groups: dict[Symbol, list[Symbol]] = {}
        for symbol, previous in self.duplicates:
            if symbol.kind in ROUTINE_KINDS and previous.kind in ROUTINE_KINDS:
                groups.setdefault(previous, [previous]).append(symbol)
        if not groups:
            return
        for group in groups.values():
            group.sort(key=lambda s: s.start)
            for symbol in group:
                model.overloads[symbol] = group
        self.optional_params(model)

    def optional_params(self, model: SemanticModel) -> None:
        """How many parameters of each overloaded routine have default values."""
        kinds = {kind for kind, m in self.meanings.items() if m.default_value}
        if not kinds:
            return
        by_start = {s.decl_start: s for s in model.overloads}
        for outer, heading, covered in defaults_around(self, kinds):
            found = by_start.get(outer.start) if not heading else None
            if found is not None:
                model.optional_params[found] = model.optional_params.get(found, 0) + covered

    def take_headings(self) -> None:
        """A body that leaves out its parameter list (``procedure Foo;`` after
        ``procedure Foo(a: Integer); forward;`` or in a unit's interface) has the
        parameters of the heading whose name resolves to it: they become names of its
        scope (the heading's own symbols: definition, references and rename go there)
        and its parameters. Before ``bind``, so the body's names bind to them."""
        if not self.headless:
            return
        bodies = {id(symbol): (scope, symbol) for scope, symbol in self.headless}
        wanted = {self.key(symbol.name) for _, symbol in self.headless}
        found = list(self.headings)
        for item in self.items:
            if isinstance(item, ReplayedItem):
                found.extend(item.heading_scopes(wanted, self.key))
        for heading, name, start in found:
            target = bodies.get(id(heading.lookup(self.key(name), start)))
            if target is None:
                continue
            body, symbol = target
            params = [s for s in heading.symbols.values()
                      if s.kind == SymbolKind.PARAMETER and not s.implicit and s.start > start]
            if not params or symbol.params:
                continue  # no parameters to give, or given by another heading already
            symbol.params.extend(params)
            for param in params:
                body.symbols.setdefault(self.key(param.name), param)

    def visit_item(self, green: GreenNode, start: int) -> None:
        """Walk one item (a child of the file or of its main block), or replay its walk
        from an earlier snapshot (without making a syntax node for it)."""
        templates = self.templates
        # while the file declares dotted names or passes routines by reference, what an
        # item's names are depends on them
        fresh = bool(self.dotted or self.passed)
        template = templates.get(green, self.definition) if not fresh else None
        if template is not None and self.replays(template):
            templates.hits += 1
            self.adopt(template.instantiate(start, start + green.width, self.root_scope))
            return
        templates.misses += 1
        item = item_node(self.parsed.root, start, green, self.splits)
        opened, headless, unlinked = len(self.opens), len(self.headless), len(self.unlinked)
        self.statement_end = item.end
        walk = self.walk_item(item)
        names = ItemNames(item.start, item.end, walk.symbols, walk.references, walk.calls)
        self.items.append(names)
        member_calls = member_calls_in(self, walk.references, item.start) \
            if self.members_called else ()
        if member_calls:
            self.member_calls.append((names, member_calls))
        if len(self.opens) > opened:
            return  # its opened scopes are filled after the walk: no template replays them
        if len(self.headless) > headless:
            return  # so is a body that may take its parameters from a heading elsewhere
        if templates.recording and not fresh:
            template = Template.from_walk(walk, item.start, self.root_scope, self.fold,
                                          self.marks, self.labels, self.implicit)
            template.headless = frozenset(self.unlinked[unlinked:])
            template.member_calls = member_calls
            template.implicit = self.implicit
            templates.put(item.green, self.definition, template)

    def replays(self, template: Template) -> bool:
        """May ``template`` stand for its item's walk here? The file scope answers as it
        did, and no heading names a body it holds that leaves out its parameter list
        (such a body has the heading's parameters: ``take_headings``)."""
        return template.answers_match(self.root_scope) \
            and template.headless.isdisjoint(self.heading_keys) \
            and template.implicit == self.implicit

    def walk_item(self, item: SyntaxNode) -> ItemWalk:
        marks = (len(self.symbols), len(self.references), len(self.calls),
                 len(self.duplicates), len(self.root_scope.children))
        self.root_events = []
        try:
            self.visit(item, self.root_scope)
            return ItemWalk(_preorder(self.root_scope.children[marks[4]:]),
                            self.symbols[marks[0]:], self.references[marks[1]:],
                            self.calls[marks[2]:],
                            [d for d in self.duplicates[marks[3]:]
                             if d[0].scope is not self.root_scope],
                            self.root_events)
        finally:
            self.root_events = None

    def adopt(self, item: ReplayedItem) -> None:
        for key, symbol in item.declarations():
            previous = self.root_scope.add(key, symbol)
            if previous is not None and not self.redeclaration_allowed \
                    and not (self.type_names
                             and separated(self.root_scope, key, symbol, previous)):
                self.duplicates.append((symbol, previous))
        self.items.append(item)
        if item.template.member_calls:
            self.member_calls.append((item, item.template.member_calls))

    def visit_children(self, node: SyntaxNode, scope: Scope) -> None:
        if self.depth >= self.deep:
            entries = _pushed(self, node, scope)
            if not entries or entries[0][2] is not _OPENING:
                self._walk(entries)
                return
            # a child opens a scope: a statement, which recursion walks (bounded)
        self.depth += 1
        opening = self.opening
        walked = self.walked
        name_ref = self.name_ref
        start = node.start
        for i, rel, green in node.green.node_children():
            if not green.kinds & walked:
                continue  # nothing in it declares, references or opens: no node made
            if green.kind == name_ref:  # a name read (``visit_name_ref``): no node made
                self.reference_at(green, start + rel, scope)
                continue
            child = SyntaxNode(green, start + rel, node, i)
            self.visit(child, scope)
            if opening and child.kind in opening:  # `with r do`: r's members from here on
                scope = open_scope(self, child, node, scope)
        self.depth -= 1

    def visit(self, node: SyntaxNode, scope: Scope) -> None:
        """Recursively while the walk is less than ``deep`` nodes deep (a call per node
        is the cheapest walk in Python: ~15 % less time than ``_walk``'s stack of entries
        for the whole name walk), then with ``_walk``: a 3,000-long `.f`, `[1]` or `+ y`
        chain is a node 3,000 deep, which the parser does not bound. The depth is counted
        where expressions nest (``visit_children``, ``visit_member``, ``visit_call``), not
        at every name."""
        kind = node.green.kind
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, node, scope)
        elif kind in self.meanings:
            visit_meaning(self, node, scope, self.meanings[kind])
        else:
            self.visit_children(node, scope)

    def _walk(self, stack: list[_Entry]) -> None:
        """Visit what ``stack`` holds, last first, as ``visit`` does but without recursion
        for expressions: a node's children are pushed in reverse (so the order is the
        recursive walk's). Declarations' handlers still recurse (statements nest only as
        deep as the parser allows). An entry's third part: a callee's reference for an
        argument list of that call, ``_OPENING`` for a node whose children
        open scopes (a statement: ``visit_children`` recurses)."""
        meanings = self.meanings
        name_ref, type_ref, member, call = _INLINE  # locals: compared at every node
        while stack:
            node, scope, extra = stack.pop()
            if extra is not None:
                if not isinstance(extra, Reference):
                    self.visit_children(node, scope)
                    continue
                self.call_site(extra, node)
            kind = node.green.kind
            if kind == name_ref:
                self.reference(node, scope)
            elif kind == type_ref:
                self.reference(node, scope, is_type=True)
            elif kind == member:  # only the receiver is a plain name
                stack.extend((c, scope, None) for c in islice(node.children(), 1))
            elif kind == call:
                stack.extend(_call_parts(self, node, scope))
            else:
                handler = _HANDLERS.get(kind)
                if handler is not None:
                    handler(self, node, scope)
                elif kind in meanings:
                    visit_meaning(self, node, scope, meanings[kind])
                else:
                    stack.extend(_pushed(self, node, scope))

    def call_site(self, callee: Reference, args: SyntaxNode) -> None:
        exprs = [c for c in args.children() if c.kind != K.ERROR]
        call = args.parent
        assert call is not None  # an argument list is inside its call
        self.calls.append(CallSite(callee, len(exprs), call.start, call.end, args.start,
                                   args.end, [(e.start, e.end) for e in exprs]))

    def visit_function(self, node: SyntaxNode, scope: Scope) -> None:
        name = node.child_of_kind(K.NAME)
        keyword = _first_token(node.green, node.start)
        is_procedure = keyword is not None and keyword[0] == "kw_procedure"
        kind = SymbolKind.PROCEDURE if is_procedure else SymbolKind.FUNCTION
        inner = Scope("function", node.start, node.end, scope)
        scope.children.append(inner)
        symbol = self.declare(scope, name, kind, node) if name is not None else None
        inner.owner = symbol
        for child in node.children():
            if child.kind == K.PARAM_LIST:
                for group in child.children_of_kind(K.PARAM_GROUP):
                    type_node = group.child_of_kind(K.TYPE_REF, K.ARRAY_TYPE, K.LIST_TYPE,
                                                    K.RECORD_TYPE)
                    type_text = type_node.text if type_node else None
                    for param in group.children_of_kind(K.NAME):
                        p = self.declare(inner, param, SymbolKind.PARAMETER, group, type_text)
                        if symbol is not None:
                            symbol.params.append(p)
                    if type_node is not None:
                        self.visit(type_node, inner)
            elif child.kind == K.RESULT_TYPE:
                type_node = child.child_of_kind(K.TYPE_REF, K.ARRAY_TYPE, K.LIST_TYPE)
                if symbol is not None and type_node is not None:
                    symbol.result_text = type_node.text
                self.visit_children(child, inner)
            elif child.kind != K.NAME:
                self.visit(child, inner)

    def visit_class(self, node: SyntaxNode, scope: Scope) -> None:
        """A class is a type whose members are the routines (methods) declared in its
        body; the body is a scope of its own, its bases are names of the outer scope."""
        name = node.child_of_kind(K.NAME)
        symbol = self.declare(scope, name, SymbolKind.TYPE, node) if name is not None else None
        inner = Scope("class", node.start, node.end, scope, symbol)
        scope.children.append(inner)
        for child in node.children():
            if child.kind == K.BASE_LIST:
                self.visit_children(child, scope)
            elif child.kind != K.NAME:
                self.visit(child, inner)
        if symbol is not None:
            symbol.params.extend(s for s in inner.symbols.values()
                                 if s.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE))

    def visit_lambda(self, node: SyntaxNode, scope: Scope) -> None:
        """``lambda x, y: body``: the parameters are seen only in the body."""
        inner = Scope("function", node.start, node.end, scope)
        scope.children.append(inner)
        for child in node.children():
            if child.kind != K.PARAM_LIST:
                self.visit(child, inner)
                continue
            for group in child.children_of_kind(K.PARAM_GROUP):
                for part in group.children():
                    if part.kind == K.NAME:
                        self.declare(inner, part, SymbolKind.PARAMETER, group)
                    else:
                        self.visit(part, scope)  # a default value is read outside

    def visit_declaration(self, node: SyntaxNode, scope: Scope) -> None:
        keyword = _first_token(node.green, node.start)
        if node.kind == K.CONST_DECL or (keyword is not None and keyword[0] == "kw_const"):
            kind = SymbolKind.CONSTANT
        else:
            kind = SymbolKind.VARIABLE
        type_node = node.child_of_kind(K.TYPE_REF, K.ARRAY_TYPE, K.LIST_TYPE, K.RECORD_TYPE)
        type_text = type_node.text if type_node else None
        for child in node.children():
            if child.kind == K.NAME:
                self.declare(scope, child, kind, node, type_text)
            else:
                self.visit(child, scope)

    def visit_type_decl(self, node: SyntaxNode, scope: Scope) -> None:
        name = node.child_of_kind(K.NAME)
        type_node = node.child_of_kind(K.TYPE_REF, K.ARRAY_TYPE, K.LIST_TYPE, K.RECORD_TYPE)
        symbol = None
        if name is not None:
            symbol = self.declare(scope, name, SymbolKind.TYPE, node,
                                  type_node.text if type_node else None)
        if type_node is not None and type_node.kind == K.RECORD_TYPE:
            for field_decl in type_node.children_of_kind(K.FIELD_DECL):
                ftype = field_decl.child_of_kind(K.TYPE_REF, K.ARRAY_TYPE, K.LIST_TYPE)
                for field_name in field_decl.children_of_kind(K.NAME):
                    token = field_name.first_token()
                    if token is None or symbol is None:
                        continue
                    f = Symbol(token.text, SymbolKind.FIELD, token.start, token.end,
                               field_decl.start, field_decl.end, scope,
                               ftype.text if ftype else None)
                    symbol.params.append(f)
                    self.symbols.append(f)
                if ftype is not None:
                    self.visit(ftype, scope)
        elif type_node is not None:
            self.visit(type_node, scope)

    def visit_for(self, node: SyntaxNode, scope: Scope) -> None:
        name = node.child_of_kind(K.NAME)
        token = name.first_token() if name is not None else None
        if self.loop_scoped and token is not None \
                and self.lookup(scope, self.key(token.text)) is None:
            # brace languages scope a new loop variable to its loop (C, Rust, JS let)
            inner = Scope("loop", node.start, node.end, scope)
            scope.children.append(inner)
            scope = inner
        for child in node.children():
            if child is not None and child.kind == K.NAME:  # every target: for k, v in pairs
                token = child.first_token()
                existing = self.lookup(scope, self.key(token.text)) if token else None
                if existing is not None and existing.kind != SymbolKind.LOOP_VARIABLE:
                    self.reference(child, scope, is_write=True)
                elif token is not None and self.lookup_here(scope, self.key(token.text)) is None:
                    self.declare(scope, child, SymbolKind.LOOP_VARIABLE, node)
                else:
                    self.reference(child, scope, is_write=True)
            else:
                self.visit(child, scope)

    def visit_program(self, node: SyntaxNode, scope: Scope) -> None:
        name = node.child_of_kind(K.NAME)
        if name is not None:
            symbol = self.declare(scope, name, SymbolKind.PROGRAM, node)
            symbol.reads += 1  # a program name is never "unused"

    def visit_import(self, node: SyntaxNode, scope: Scope) -> None:
        for child in node.children_of_kind(K.NAME_REF):
            self.declare(scope, child, SymbolKind.MODULE, node)

    def visit_assign(self, node: SyntaxNode, scope: Scope) -> None:
        entries = node.green.node_children()  # syntax nodes only where needed
        rest = entries
        if entries and entries[0][2].kind == K.NAME_REF:
            i, rel, green = entries[0]
            start = node.start + rel
            token = _first_token(green, start) if self.declares_by_assignment else None
            if token is not None and self.lookup(scope, self.key(token[1])) is None \
                    and self.definition.builtin(token[1]) is None:
                self.declare(scope, SyntaxNode(green, start, node, i), SymbolKind.VARIABLE,
                             node)
            else:
                self.reference_at(green, start, scope, is_write=True)
            rest = entries[1:]
        start = node.start
        walked = self.walked
        name_ref = self.name_ref
        for i, rel, green in rest:
            if not green.kinds & walked:
                continue  # ``visit`` would do nothing there
            if green.kind == name_ref:
                self.reference_at(green, start + rel, scope)
            else:
                self.visit(SyntaxNode(green, start + rel, node, i), scope)

    def visit_member(self, node: SyntaxNode, scope: Scope) -> None:
        if self.depth >= self.deep:
            self._walk([(node, scope, None)])
            return
        self.depth += 1
        children = list(node.children())
        if children:
            self.visit(children[0], scope)  # only the receiver is a plain name
        self.depth -= 1

    def visit_call(self, node: SyntaxNode, scope: Scope) -> None:
        if self.depth >= self.deep:
            self._walk([(node, scope, None)])
            return
        self.depth += 1
        children = list(node.children())
        callee_ref = None
        if children and children[0].kind == K.NAME_REF:
            callee_ref = self.reference(children[0], scope)
        else:
            if children:
                self.visit(children[0], scope)
        for args in children[1:]:
            if args.kind == K.ARG_LIST and callee_ref is not None:
                self.call_site(callee_ref, args)
            self.visit(args, scope)
        self.depth -= 1

    def visit_name_ref(self, node: SyntaxNode, scope: Scope) -> None:
        self.reference(node, scope)

    def visit_type_ref(self, node: SyntaxNode, scope: Scope) -> None:
        self.reference(node, scope, is_type=True)

    def visit_except(self, node: SyntaxNode, scope: Scope) -> None:
        """``except Error as name``: the name is a variable of the enclosing scope."""
        name = node.child_of_kind(K.NAME)
        token = name.first_token() if name is not None else None
        for child in node.children():
            if child.kind != K.NAME:
                self.visit(child, scope)
            elif name is not None and token is not None \
                    and self.lookup_here(scope, self.key(token.text)) is None:
                self.declare(scope, name, SymbolKind.VARIABLE, node)
            elif name is not None:
                self.reference(name, scope, is_write=True)

    # ------------------------------------------------------------ binding

    def bind(self) -> None:
        for item in self.items:
            if isinstance(item, ReplayedItem):
                item.bind(self.builtin_name, self.marks, self.implicit)
            else:
                for ref in item.references():
                    self.bind_reference(ref)

    def bind_reference(self, ref: Reference) -> None:
        scope = ref.scope or self.root_scope
        key = ref.name.lower() if self.fold else ref.name  # ``reference_key``, inline
        if ref.label:
            key = label_key(key)
        at = 0 if ref.hoisted else ref.start
        symbol = lookup_spelled(scope, key, at, self.marks,
                                None if ref.label or ref.is_type
                                else implicit_twin(key, self.marks, self.implicit)) \
            if self.marks else scope.lookup(key, at)
        if ref.is_type and self.type_names and (symbol is None
                                                 or symbol.kind != SymbolKind.TYPE):
            # a type of a variable's name (``structure.type_names: separate``)
            symbol = scope.lookup(type_key(key), at) or symbol
        if symbol is not None and ref.is_type and symbol.kind not in (SymbolKind.TYPE,
                                                                      SymbolKind.MODULE):
            symbol = None
        ref.symbol = symbol
        if symbol is not None:
            if ref.is_write:
                symbol.writes += 1
            else:
                symbol.reads += 1
        elif _open_ended(scope):
            # a member of a type declared elsewhere may have this name (an ancestor's
            # Insert, not System.Insert; a type nested in it): neither undefined nor the
            # builtin for sure
            ref.maybe_member = True
        elif not ref.is_type:
            ref.builtin = self.builtin_name(ref.name)

    def builtin_name(self, name: str) -> str | None:
        builtin = self.definition.builtin(name)
        if builtin is None and self.marks:
            # a builtin function keeps its meaning without its type mark, as a FUNCTION
            # does (``structure.type_marks``): FreeBASIC's Left(s, 2) is LEFT$
            for other in other_spellings(name, self.marks):
                builtin = self.definition.builtin(other)
                if builtin is not None:
                    break
        if builtin is None and self.imported:
            return self.imported.get(self.key(name))
        return builtin.name if builtin is not None else None


def routines_around(resolver: Resolver, kinds: set[str]) -> Iterator[tuple[SyntaxNode, bool]]:
    """For each node of ``kinds``, the innermost node around it that declares a routine
    or is a routine's ``heading`` or ``external`` declaration (BASIC's DECLARE), and
    whether it is one of those two (no routine of its own)."""
    for node in resolver.parsed.root.descendants():
        if node.kind not in kinds:
            continue
        for outer in node.ancestors():
            meaning = resolver.meanings.get(outer.kind)
            if meaning is not None and (meaning.declares in ROUTINE_KINDS or meaning.heading
                                        or meaning.external):
                yield outer, meaning.declares not in ROUTINE_KINDS
                break


def defaults_around(resolver: Resolver, kinds: set[str]
                    ) -> Iterator[tuple[SyntaxNode, bool, int]]:
    """``routines_around`` for ``default_value`` nodes (a body's, a heading's or an
    ``external`` declaration's: FreeBASIC's defaults are in its DECLARE), with how many
    parameters each one makes optional: one, or each name declared after it in the node around it (Fortran's
    `real, optional :: a, b, c`, its attribute before the names; Pascal's `B: Integer = 0`
    comes after its one name)."""
    for node in resolver.parsed.root.descendants():
        if node.kind not in kinds:
            continue
        parent = node.parent
        after = [c for c in parent.children() if c.start >= node.end] if parent else []
        named = sum(1 for c in after if (m := resolver.meanings.get(c.kind)) is not None
                    and (m.declares or m.assigns))
        for outer in node.ancestors():
            meaning = resolver.meanings.get(outer.kind)
            if meaning is not None and (meaning.declares in ROUTINE_KINDS or meaning.heading
                                        or meaning.external):
                yield outer, meaning.declares not in ROUTINE_KINDS, max(1, named)
                break


def heading_keys(resolver: Resolver, external: bool = False) -> frozenset[str]:
    """The names the file's ``heading`` nodes give (their first name), or with
    ``external`` its ``external`` nodes, found in the green tree without a walk: only
    subtrees holding such a node are entered."""
    kinds = {k for k, m in resolver.meanings.items() if (m.external if external else m.heading)}
    if not kinds:
        return frozenset()
    bits = 0
    for kind in kinds:
        bits |= kind_bit(kind)
    found: set[str] = set()
    stack = [resolver.parsed.root.green]
    while stack:
        green = stack.pop()
        if green.kind not in kinds:
            stack.extend(c for _, _, c in green.node_children() if c.kinds & bits)
            continue
        name = next((c for _, _, c in green.node_children() if c.kind == K.NAME_REF), None) \
            or _wrapped_name(green)
        token = name.first_significant() if name is not None else None
        if token is not None:
            found.add(resolver.key(token[3]))
    return frozenset(found)


def _wrapped_name(green: GreenNode) -> GreenNode | None:
    """The name of the first child node that is a name wrapped in a rule of its own
    (QB64's ``SUB Console.Log``: ``Console`` is a ``dotted_head``)."""
    for _, _, child in green.node_children():
        if len(child.children) == 1 and type(child.children[0]) is GreenNode \
                and child.children[0].kind == K.NAME_REF:
            return child.children[0]
    return None


def _first_token(green: GreenNode, start: int) -> tuple[str, str, int] | None:
    """The first significant token's kind, text and start in ``green`` (at ``start``), as
    ``SyntaxNode.first_token_at``, but directly when it is the node's first child (a
    name's only child, a declaration's keyword): the tree's cached path to it is made
    once per node, and the name walk asks once per name."""
    children = green.children
    if children:
        first = children[0]
        if type(first) is not GreenNode and first[0] not in TRIVIA:  # type: ignore[index]
            return first[0], first[1], start  # type: ignore[index]
    found = green.first_significant()
    if found is None:
        return None
    return found[2], found[3], start + found[1]
def _open_ended(scope: Scope | None) -> bool:
    while scope is not None:
        if scope.open_ended:
            return True
        scope = scope.parent
    return False


def _kind_bits(meanings: Mapping[str, object]) -> int:
    """The ``GreenNode.kinds`` bits of what ``Resolver.visit`` does more at than descend."""
    bits = 0
    for kind in (*_HANDLERS, *meanings):
        bits |= kind_bit(kind)
    return bits


# the node kinds the walk treats specially; at module level, not in the class: a table of
# methods at class level is not compiled by mypyc (setup.py compiles this module)
_HANDLERS: Final[dict[str, Callable[[Resolver, SyntaxNode, Scope], None]]] = {
    K.FUNCTION_DECL: Resolver.visit_function,
    K.CLASS_DECL: Resolver.visit_class,
    K.LAMBDA_EXPR: Resolver.visit_lambda,
    K.VAR_DECL: Resolver.visit_declaration,
    K.CONST_DECL: Resolver.visit_declaration,
    K.LET_STMT: Resolver.visit_declaration,
    K.TYPE_DECL: Resolver.visit_type_decl,
    K.FOR_STMT: Resolver.visit_for,
    K.FOR_IN_STMT: Resolver.visit_for,
    K.PROGRAM_HEADER: Resolver.visit_program,
    K.IMPORT_STMT: Resolver.visit_import,
    K.ASSIGN_STMT: Resolver.visit_assign,
    K.MEMBER_EXPR: Resolver.visit_member,
    K.CALL_EXPR: Resolver.visit_call,
    K.NAME_REF: Resolver.visit_name_ref,
    K.TYPE_REF: Resolver.visit_type_ref,
    K.EXCEPT_CLAUSE: Resolver.visit_except,
}


# the kinds ``Resolver._walk`` handles itself, without recursion
_INLINE: Final = (K.NAME_REF, K.TYPE_REF, K.MEMBER_EXPR, K.CALL_EXPR)
# how deep ``Resolver.visit`` recurses before it goes on with ``Resolver._walk``: well
# within Python's limit (1,000 frames, two per level), deeper than ordinary code nests
DEEP: Final = 100
# ``Resolver._walk``'s entries: a node, its scope, and what else is to be done there
_Entry = tuple[SyntaxNode, Scope, "Reference | bool | None"]
_OPENING: Final = True


def _pushed(resolver: Resolver, node: SyntaxNode, scope: Scope) -> list[_Entry]:
    """``node``'s children as ``Resolver._walk``'s entries, the first last (only those
    whose subtrees hold a kind the walk does something at); a node with a child that
    opens a scope is walked by ``visit_children``'s recursion instead (one entry)."""
    walked = resolver.walked
    opening = resolver.opening
    start = node.start
    entries: list[_Entry] = []
    for i, rel, green in reversed(node.green.node_children()):
        if green.kinds & walked:
            if green.kind in opening:
                return [(node, scope, _OPENING)]
            entries.append((SyntaxNode(green, start + rel, node, i), scope, None))
    return entries


def _call_parts(resolver: Resolver, node: SyntaxNode, scope: Scope
                ) -> list[_Entry]:
    """A call's entries: a named callee is a reference now, and its argument lists are
    call sites; any other callee is visited first."""
    children = list(node.children())
    if not children or children[0].green.kind != K.NAME_REF:
        return [(c, scope, None) for c in reversed(children)]
    callee = resolver.reference(children[0], scope)
    return [(c, scope, callee if c.green.kind == K.ARG_LIST else None)
            for c in reversed(children[1:])]


def _preorder(scopes: list[Scope]) -> list[Scope]:
    out: list[Scope] = []
    for scope in scopes:
        out.append(scope)
        out.extend(_preorder(scope.children))
    return out


def resolve_names(parsed: ParsedFile, externals: Mapping[str, str] | None = None,
                  templates: TemplateCache | None = None) -> SemanticModel:
    """Resolve names in ``parsed`` (``externals``: names provided from outside, e.g. imports;
    ``templates``: the session's, see ``Resolver``)."""
    return Resolver(parsed, externals, templates).run()


def analyze_with_details(parsed: ParsedFile, externals: Mapping[str, str] | None = None
                         ) -> tuple[SemanticModel, Resolver]:
    resolver = Resolver(parsed, externals)
    return resolver.run(), resolver
