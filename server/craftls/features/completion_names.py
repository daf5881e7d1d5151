"""Which names completion offers at an offset, ranked, without visiting every name of
the file per request.

A big file's scope holds thousands of names, and completion is asked on every
keystroke. The file scope's names are sorted by their folded spelling once per
snapshot (the order is shared by snapshots with the same names; the builtins and
keywords are sorted once per language), so the names matching a prefix are one slice
of a sorted list, and only the first ``limit`` of them are taken.
The ranking is the one completion has always had: the scopes around the offset, the
file scope, builtins, statement keywords, other keywords; within a group, names that
start with the prefix as typed (same case) first, then by folded name.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple

from ..language.model import LanguageDefinition
from ..semantics.model import Scope, SemanticModel, visible_at
from ..syntax.tokens import COMMENT, STRING, UNTERMINATED_COMMENT, UNTERMINATED_STRING
from ..syntax.tree import GreenNode

STATEMENT_KEYWORDS = ("if", "while", "for", "repeat", "case", "return", "begin", "var", "const",
                      "type", "let", "dim", "function", "procedure", "import", "break",
                      "continue", "print")
LOCAL, FILE, BUILTIN, STATEMENT_KEYWORD, KEYWORD = range(5)  # ranking groups, first first

Ranked = tuple[int, str, object]  # group, label, and a Symbol, a Builtin or a keyword concept


def rank(model: SemanticModel, definition: LanguageDefinition, offset: int, prefix: str,
         limit: int) -> tuple[list[Ranked], int]:
    """The first ``limit`` names offered at ``offset``, in order, and how many there are."""
    fold = prefix.lower()
    folds = not definition.lexical.case_sensitive
    chain = model.scope_at(offset).chain()
    outermost = chain[-1]
    ranked, taken = _around(chain[:-1], outermost, fold, offset, folds)
    file_names = _file_names(model, outermost, folds)
    ranked += [(LOCAL, s.name, s) for s in file_names.loose
               if _takes(s.name, fold, taken, folds)]
    file_ranked, file_count = file_names.matching(fold, prefix, taken, limit)
    language = [entry for entry in _language_names(definition)
                if entry[0].startswith(fold) and entry[1] not in taken
                and entry[1] not in file_names.keys]
    ranked += file_ranked + [(group, label, item) for _, _, group, label, item in language]
    ranked.sort(key=lambda r: (r[0], not r[1].startswith(prefix), r[1].lower()))
    return ranked[:limit], len(ranked) - len(file_ranked) + file_count


def _around(scopes: list[Scope], outermost: Scope, fold: str, offset: int, folds: bool
            ) -> tuple[list[Ranked], set[str]]:
    """The matching symbols of the scopes around the offset, innermost first, each name
    once (the innermost shadows the others: scopes key symbols by their name, folded in
    case-insensitive languages (``folds``), so a shadowed name is always a key seen)."""
    ranked: list[Ranked] = []
    taken: set[str] = set()
    for scope in scopes:
        for head in scope.symbols.values():
            symbol = visible_at(head, offset)  # Lua's `local x` only after its statement
            if symbol is not None and _takes(symbol.name, fold, taken, folds):
                ranked.append((LOCAL if symbol.scope is not outermost else FILE,
                               symbol.name, symbol))
    return ranked, taken


def _takes(name: str, fold: str, taken: set[str], folds: bool) -> bool:
    """Whether ``name`` matches the prefix (folded: typing `sh` offers `Shelf`) and its
    key (its folded spelling only where the language folds case: in Lua a local
    `shelf` does not hide a global `Shelf`) was not offered yet; it is taken now."""
    folded = name.lower()
    key = folded if folds else name
    if folded.startswith(fold) and key not in taken:
        taken.add(key)
        return True
    return False


class NameOrder(NamedTuple):
    """How a scope's names sort. It depends on the names alone, so the snapshots made
    while typing inside a function (new symbol objects, the same file-scope names) share
    one and each new snapshot only gathers its symbols in that order."""

    positions: list[int]  # declaration positions of the first of each key, by folded name
    folded: list[str]  # their folded names, in that order (the prefix's slice)
    keys: list[str]  # their keys (the folded name where the language folds case)
    key_set: frozenset[str]


@lru_cache(maxsize=32)
def _name_order(names: tuple[str, ...], folds: bool) -> NameOrder:
    first: dict[str, int] = {}
    for position, name in enumerate(names):
        first.setdefault(name.lower() if folds else name, position)
    # keys are unique: positions are not compared
    ordered = sorted(first.items(), key=lambda kp: (kp[0].lower(), kp[0]))
    return NameOrder([p for _, p in ordered], [k.lower() for k, _ in ordered],
                     [k for k, _ in ordered], frozenset(first))


class FileNames:
    """The file scope's symbols, first of each key in declaration order, sorted by folded
    name. Made once per semantic model (a snapshot's names never change)."""

    def __init__(self, scope: Scope, folds: bool) -> None:
        declared = list(scope.symbols.values())
        order = _name_order(tuple([s.name for s in declared]), folds)
        self.keys = order.key_set  # every key: builtins and keywords give way
        ordered = [declared[p] for p in order.positions]
        self.folded, self.symbols, self.sorted_keys = order.folded, ordered, order.key_set
        self.symbol_keys = order.keys
        # a symbol declared in another scope but registered here ranks with the locals
        self.loose = [s for s in ordered if s.scope is not scope]
        if self.loose:
            mine = [s.scope is scope for s in ordered]
            self.folded = [k for k, m in zip(order.folded, mine, strict=True) if m]
            self.symbol_keys = [k for k, m in zip(order.keys, mine, strict=True) if m]
            self.symbols = [s for s, m in zip(ordered, mine, strict=True) if m]
            self.sorted_keys = frozenset(self.symbol_keys)

    def matching(self, fold: str, prefix: str, taken: set[str], limit: int
                 ) -> tuple[list[Ranked], int]:
        """The first ``limit`` symbols whose folded name starts with ``fold`` and whose
        key is not ``taken``, in rank order, and how many there are."""
        folded, symbols, keys = self.folded, self.symbols, self.symbol_keys
        lo, hi = bisect_left(folded, fold), _prefix_end(folded, fold)
        count = hi - lo - sum(1 for key in taken if key in self.sorted_keys)
        same_case: list[Ranked] = []  # starts with the prefix as typed: ranks first
        other_case: list[Ranked] = []
        for i in range(lo, hi):
            if len(same_case) >= limit:
                break  # the rest can only rank after these
            if keys[i] in taken:
                continue
            name = symbols[i].name
            group = same_case if name.startswith(prefix) else other_case
            if len(group) < limit:
                group.append((FILE, name, symbols[i]))
        return (same_case + other_case)[:limit], count


def _prefix_end(folded: list[str], fold: str) -> int:
    """The end of the slice of sorted ``folded`` whose entries start with ``fold``."""
    if not fold:
        return len(folded)
    last = ord(fold[-1])
    if last == 0x10FFFF:  # no next code point: walk
        i = bisect_left(folded, fold)
        while i < len(folded) and folded[i].startswith(fold):
            i += 1
        return i
    return bisect_left(folded, fold[:-1] + chr(last + 1))


# held weakly: an entry goes with its snapshot's model
_FILE_NAMES: weakref.WeakKeyDictionary[SemanticModel, FileNames] = weakref.WeakKeyDictionary()


def _file_names(model: SemanticModel, outermost: Scope, folds: bool) -> FileNames:
    names = _FILE_NAMES.get(model)
    if names is None:
        names = _FILE_NAMES[model] = FileNames(outermost, folds)
    return names


@lru_cache(maxsize=64)
def _language_names(definition: LanguageDefinition
                    ) -> tuple[tuple[str, str, int, str, object], ...]:
    """(folded name, key, group, label, item) of the builtins then the keywords, the
    first of each key (a builtin hides a keyword spelled the same)."""
    folds = not definition.lexical.case_sensitive
    entries: dict[str, tuple[str, str, int, str, object]] = {}
    named: list[tuple[str, int, object]] = [(b.name, BUILTIN, b) for b in definition.builtins]
    named += [(spellings[0], STATEMENT_KEYWORD if concept in STATEMENT_KEYWORDS else KEYWORD,
               concept) for concept, spellings in definition.keywords.items()]
    for label, group, item in named:
        key = label.lower() if folds else label
        entries.setdefault(key, (label.lower(), key, group, label, item))
    return tuple(entries.values())


def inside_comment_or_string(green: GreenNode, offset: int, text: str = "",
                             definition: LanguageDefinition | None = None) -> bool:
    """Whether ``offset`` is strictly inside a comment or a string token, or at the end
    of a string not closed (`print("$dy|`; with ``text`` and ``definition``, one the line's
    end closes too: QBasic's `PRINT "$DY|`): the text typed there is still the string's."""
    found = _token_containing(green, max(offset - 1, 0))
    if found is None or found[1] >= offset:
        return False
    kind, start, end = found
    if kind == UNTERMINATED_STRING or kind == STRING and offset == end \
            and definition is not None and _left_open(definition, text[start:end]):
        return offset <= end
    return kind in (COMMENT, STRING) and offset < end


def _left_open(definition: LanguageDefinition, string: str) -> bool:
    """Whether a string token has no closing delimiter (one the line's end closed)."""
    for rule in definition.lexical.strings:
        if not rule.line_end_closes:
            continue
        body = string[len(rule.prefix):] if string[:len(rule.prefix)].lower() \
            == rule.prefix.lower() else string
        if body.startswith(rule.delimiter):
            return len(body) < 2 * len(rule.delimiter) or not body.endswith(rule.delimiter)
    return False


def comment_start(green: GreenNode, offset: int) -> int | None:
    """Where the comment token holding ``offset`` starts, closed or not yet (None: no
    comment there)."""
    found = _token_containing(green, offset)
    return found[1] if found is not None and found[0] in (COMMENT, UNTERMINATED_COMMENT) \
        else None


def _token_containing(green: GreenNode, offset: int) -> tuple[str, int, int] | None:
    """Kind, start and end of the token containing ``offset``. Each level is a binary
    search over the node's cached child-node offsets, not a walk of its children (a
    file node has thousands)."""
    node, base = green, 0
    while True:
        nodes = node.node_children()
        k = bisect_right(nodes, offset - base, key=lambda n: n[1]) - 1  # last at or before
        index, start = 0, base
        if k >= 0:
            i, relative, inner = nodes[k]
            if offset < base + relative + inner.width:
                node, base = inner, base + relative
                continue
            index, start = i + 1, base + relative + inner.width
        for child in node.children[index:]:
            if type(child) is GreenNode:
                return None  # starts after offset: offset is past the end of the text
            end = start + len(child[1])  # type: ignore[index]
            if start <= offset < end:
                return child[0], start, end  # type: ignore[index]
            start = end
        return None
