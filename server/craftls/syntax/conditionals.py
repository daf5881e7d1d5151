"""Names a text defines and undefines itself (``{$DEFINE X}``, ``{$UNDEF X}``), and a
user's build defines, for the lexer's conditionals (``lexical.conditionals``).

The lexer skips a known-false first branch by token patterns that list the names whose
value is known, so it stays context free. A name a text defines at one place is
defined only after it; the lexer can take it as known only when every conditional it
reads that tests the name sees the same value. ``in_text`` follows the directives the
way the compiler does (a branch it takes, one it skips, one it cannot decide) and gives
the definition whose lists hold those names; a name the text gives two values stays in
neither list (both branches are read, as for any unknown name). The result is a
property of the whole text: an edit that changes it parses the file again
(``syntax.incremental``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

from ..language.model import Conditionals, LanguageDefinition

NAME: str = "{name}"
# a name in a directive (not the definition's identifier pattern: Pascal's allows a
# leading '&', which no conditional name has)
NAME_PATTERN: str = r"[^\W\d]\w*"


class Kind(Enum):
    DEFINE = "define"
    UNDEFINE = "undefine"
    IF_DEFINED = "if_defined"
    IF_UNDEFINED = "if_undefined"
    END = "end"
    ELSE = "else"
    OTHER_ELSE = "other_else"
    OTHER_IF = "other_if"


@dataclass(frozen=True)
class Scanner:
    """Per kind of directive, in the order they are told apart where two match at one
    place (a named form before the bare opener, the end before the other branch ends),
    its pattern, with the group ``n`` for the name where it names one. Each pattern is
    searched alone: one that starts with a literal is found by a fast scan, where one
    alternation of them all tries every place (tens of milliseconds on a large file)."""

    kinds: tuple[tuple[Kind, re.Pattern[str]], ...]
    # the ``define`` and ``undefine`` patterns as one (the engine scans for their
    # common start once): a text it does not match changes no name
    setters: re.Pattern[str] | None
    # the definition's own names: folded name -> defined
    base: dict[str, bool]


def follows_text(spec: Conditionals | None) -> bool:
    """Does the definition read its text's own defines (``define``/``undefine`` forms)?"""
    return spec is not None and bool(spec.define or spec.undefine)


def scoped(pattern: str) -> str:
    """``pattern`` as one alternative of a larger one: its leading global flags
    (``(?m)^#``) become flags of its group, as the engine wants them only at the start."""
    flags = re.match(r"\(\?([aiLmsux]+)\)", pattern)
    if flags is None:
        return f"(?:{pattern})"
    return f"(?{flags.group(1)}:{pattern[flags.end():]})"


@lru_cache(maxsize=16)
def _scanner(spec: Conditionals, fold: bool) -> Scanner:
    flags = re.IGNORECASE if fold else 0
    named = (
        (Kind.DEFINE, spec.define), (Kind.UNDEFINE, spec.undefine),
        (Kind.IF_DEFINED, spec.if_defined), (Kind.IF_UNDEFINED, spec.if_undefined))
    kinds: list[tuple[Kind, re.Pattern[str]]] = [
        (kind, re.compile(form.replace(NAME, f"(?P<n>{NAME_PATTERN})"), flags))
        for kind, forms in named for form in forms]
    plain = ((Kind.END, spec.inner_close), (Kind.ELSE, spec.branch_else),
             (Kind.OTHER_ELSE, spec.branch_end), (Kind.OTHER_IF, spec.inner_open))
    kinds.extend((kind, re.compile(pattern, flags)) for kind, pattern in plain if pattern)
    forms = [*spec.define, *spec.undefine]
    setters = re.compile("|".join(scoped(f.replace(NAME, NAME_PATTERN)) for f in forms),
                         flags) if forms else None
    def key(n: str) -> str:
        return n.lower() if fold else n
    base = {key(n): True for n in spec.defined} | {key(n): False for n in spec.undefined}
    return Scanner(tuple(kinds), setters, base)


def _directives(scanner: Scanner, text: str, fold: bool) -> list[tuple[Kind, str]]:
    """The text's directives in order: what each is, and the name it names ('' for
    none); where two kinds match at one place, the first of ``Scanner.kinds``."""
    found: dict[int, tuple[int, Kind, str]] = {}
    for rank, (kind, pattern) in enumerate(scanner.kinds):
        for m in pattern.finditer(text):
            if m.start() in found:
                continue  # an earlier kind took it
            name = m.group("n") if "n" in pattern.groupindex else ""
            found[m.start()] = (rank, kind, name.lower() if fold else name)
    return [(kind, name) for _, (_, kind, name) in sorted(found.items())]


# whether the compiler reads a branch: surely, surely not, or it cannot be told here
YES, NO, MAYBE = 1, 0, -1


def _within(live: int, value: bool | None) -> int:
    """A branch whose condition is ``value`` inside one read ``live``."""
    if live == NO or value is False:
        return NO
    return YES if live == YES and value is True else MAYBE


@dataclass
class _Frame:
    live: int  # the enclosing branch's
    visible: bool  # the lexer reads the enclosing text
    value: bool | None  # the condition of the branches so far (None: not known)
    # the lexer skipped the first branch up to the next branch end, and reads the
    # branch after it only; a branch after a first branch it read is in a comment (the
    # definition's ``{$ELSE ... {$ENDIF}`` block comment), as is any later one
    skipped: bool
    branches: int = 1


@dataclass
class _Run:
    """One pass over the directives, ``unknown`` names taken as not known anywhere."""

    state: dict[str, bool]
    unknown: frozenset[str]
    uses: dict[str, set[bool | None]]

    def run(self, directives: list[tuple[Kind, str]]) -> None:
        stack: list[_Frame] = []
        live, visible = YES, True
        for kind, name in directives:
            if kind in (Kind.IF_DEFINED, Kind.IF_UNDEFINED, Kind.OTHER_IF):
                value = self._condition(kind, name, visible)
                stack.append(_Frame(live, visible, value, visible and value is False))
                live, visible = _within(live, value), visible and value is not False
            elif kind in (Kind.ELSE, Kind.OTHER_ELSE) and stack:
                frame = stack[-1]
                # ELSE reads the rest when the condition was false; any other branch
                # end (ELSEIF) tests a condition not known here
                value = None if frame.value is None else not frame.value
                if kind is Kind.OTHER_ELSE and value is True:
                    value = None
                live = _within(frame.live, value)
                visible = frame.visible and frame.skipped and frame.branches == 1
                frame.value = None if value is None else True
                frame.branches += 1
            elif kind is Kind.END and stack:
                frame = stack.pop()
                live, visible = frame.live, frame.visible
            elif kind in (Kind.DEFINE, Kind.UNDEFINE) and name:
                self._set(name, kind is Kind.DEFINE, live)

    def _condition(self, kind: Kind, name: str, visible: bool) -> bool | None:
        if kind is Kind.OTHER_IF or not name:
            return None
        value = None if name in self.unknown else self.state.get(name)
        if visible:  # the lexer decides this one by its lists
            self.uses.setdefault(name, set()).add(value)
        return value if value is None or kind is Kind.IF_DEFINED else not value

    def _set(self, name: str, defined: bool, live: int) -> None:
        if live == YES:
            self.state[name] = defined
        elif live == MAYBE and self.state.get(name) is not defined:
            self.state.pop(name, None)  # defined or not, as the branch is read or not


def known_names(spec: Conditionals, text: str, fold: bool
                ) -> tuple[frozenset[str], frozenset[str]]:
    """The names (folded where case is) the lexer may take as defined and as undefined
    in ``text``: the definition's, changed by the text's own directives."""
    scanner = _scanner(spec, fold)
    base = scanner.base
    if scanner.setters is None or scanner.setters.search(text) is None:
        return (frozenset(n for n, v in base.items() if v),
                frozenset(n for n, v in base.items() if not v))
    directives = _directives(scanner, text, fold)
    unknown: frozenset[str] = frozenset()
    while True:
        run = _Run(dict(base), unknown, {})
        run.run(directives)
        mixed = frozenset(n for n, seen in run.uses.items() if len(seen) > 1) - unknown
        if not mixed:
            break
        unknown |= mixed  # each pass takes more names as unknown: it ends
    value: dict[str, bool | None] = dict(base)
    for name in unknown:
        value.pop(name, None)
    for name, seen in run.uses.items():
        if name not in unknown:
            value[name] = next(iter(seen))
    return (frozenset(n for n, v in value.items() if v is True),
            frozenset(n for n, v in value.items() if v is False))


def in_text(definition: LanguageDefinition, text: str) -> LanguageDefinition:
    """``definition`` with the names ``text`` defines and undefines itself known (the
    same object for the same names, ``definition`` itself when they change nothing)."""
    spec = definition.lexical.conditionals
    if spec is None or not follows_text(spec):
        return definition
    fold = not definition.lexical.case_sensitive
    setters = _scanner(spec, fold).setters
    if setters is None or setters.search(text) is None:
        return definition  # the usual text: one search
    defined, undefined = known_names(spec, text, fold)
    return with_names(definition, tuple(sorted(defined)), tuple(sorted(undefined)))


@lru_cache(maxsize=64)
def with_names(definition: LanguageDefinition, defined: tuple[str, ...],
               undefined: tuple[str, ...]) -> LanguageDefinition:
    """``definition`` whose conditionals know these names (``definition`` itself when
    its lists already say so); a distinct source path, as the lexer's tables are cached
    per definition."""
    spec = definition.lexical.conditionals
    assert spec is not None
    fold = not definition.lexical.case_sensitive
    def same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
        return sorted(n.lower() if fold else n for n in a) == sorted(b)
    if same(spec.defined, defined) and same(spec.undefined, undefined):
        return definition
    names = ",".join([*defined, *(f"-{n}" for n in undefined)])
    lexical = replace(definition.lexical,
                      conditionals=replace(spec, defined=defined, undefined=undefined))
    return replace(definition, lexical=lexical,
                   source_path=f"{definition.source_path}#names={names}")


@lru_cache(maxsize=16)
def with_defines(definition: LanguageDefinition, names: tuple[str, ...]) -> LanguageDefinition:
    """``definition`` with a user's build defines (the ``defines`` setting): each name
    defined, a name written ``-NAME`` undefined, added to the predefined ones; the
    definition itself when it has no conditionals."""
    spec = definition.lexical.conditionals
    if spec is None or not names:
        return definition
    fold = not definition.lexical.case_sensitive
    def key(n: str) -> str:
        return n.lower() if fold else n
    value = {key(n): True for n in spec.defined} | {key(n): False for n in spec.undefined}
    for name in names:
        off = name.startswith("-")
        value[key(name[1:] if off else name)] = not off
    # not ``with_names``: the texts' own names would push it out of that cache, and a
    # session tells a changed definition by identity
    return with_names.__wrapped__(definition, tuple(sorted(n for n, v in value.items() if v)),
                                  tuple(sorted(n for n, v in value.items() if not v)))
