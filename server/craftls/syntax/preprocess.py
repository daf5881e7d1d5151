"""A definition's preprocessor (``grammar.preprocessor``) applied to a file's tokens
before its grammar runs, without changing them: the tree keeps every character.

What the grammar engine is told (``Preprocessed``):

* ``hidden``: tokens it does not see, as if they were trivia (they stay in the tree,
  between the nodes around them): the lines of a conditional's alternative branch
  (``#else`` / ``#elseif`` up to its ``#endif``) and the body lines of a multi-line
  macro (``#macro`` up to ``#endmacro``). Only the first branch of a conditional is
  read, as the Pascal grammar reads ``{$IFDEF}``: two branches that each open the same
  block cannot both be parsed;
* ``expansions``: a use of an object-like macro (``#define NAME body``, no parameter
  list) stands, for the grammar, for its body's tokens: a macro that is a keyword, an
  operator or several tokens parses where its body would. The first body token is
  matched by the use's own token, which the tree keeps; the others match it too and add
  nothing to the tree. A macro with an empty body is hidden where it is used.

Bounded: one pass over the tokens; a body is expanded (with the macros defined before
it) when it is defined, at most ``MAX_BODY`` tokens, so uses cannot recurse. A
function-like macro (``NAME(``) is left to the grammar: its uses look like calls."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from .tokens import COMMENT, IDENT, NEWLINE, TRIVIA, Token

if TYPE_CHECKING:  # a keyword-level `craftls check` loads no grammar module (test_startup)
    from ..language.grammar_spec import PreprocessorSpec

MAX_BODY: Final = 64  # tokens of one expanded macro body: longer ones are not expanded


@dataclass(frozen=True)
class Preprocessed:
    hidden: frozenset[int] = frozenset()  # token indices the grammar does not see
    # a macro use's token index -> the significant tokens the grammar sees in its place
    expansions: dict[int, tuple[Token, ...]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.hidden and not self.expansions


NOTHING: Final = Preprocessed()


class _Words:
    """The spec's roles by word, compared as the language compares words."""

    def __init__(self, spec: PreprocessorSpec, fold: bool) -> None:
        self.fold = fold
        self.role: dict[str, str] = {}
        for role in ("define", "undefine", "conditional", "alternative", "end_conditional",
                     "macro", "end_macro", "directives"):
            for word in getattr(spec, role):
                self.role[self.key(word)] = role

    def key(self, text: str) -> str:
        return text.lower() if self.fold else text


def _lines(tokens: list[Token]) -> list[list[int]]:
    """The significant tokens' indices, line by line (a line continuation joins lines:
    the lexer makes no line break of it)."""
    lines: list[list[int]] = [[]]
    for i, (kind, value) in enumerate(tokens):
        if kind in TRIVIA:
            if (kind == NEWLINE or (kind == COMMENT and "\n" in value)) and lines[-1]:
                lines.append([])
            continue
        lines[-1].append(i)
    return [line for line in lines if line]


class _Scopes:
    """``define_scope``: the blocks (SUB ... END SUB) a define ends with. Each open block
    keeps what the names defined in it stood for before (None: nothing)."""

    def __init__(self, spec: PreprocessorSpec, words: _Words) -> None:
        self.words = words
        self.open = {words.key(w) for w in spec.scope_open}
        self.close = {words.key(w) for w in spec.scope_close}
        self.modifiers = {words.key(w) for w in spec.scope_modifiers}
        self.frames: list[dict[str, tuple[Token, ...] | None]] = []

    def line(self, tokens: list[Token], line: list[int],
             macros: dict[str, tuple[Token, ...]]) -> None:
        """Open or close a block at a plain line (not a directive)."""
        if not self.open:
            return
        texts = [self.words.key(tokens[i][1]) for i in line[:4]]
        if len(texts) > 1 and texts[0] in self.close and texts[1] in self.open:
            if self.frames:
                for name, before in self.frames.pop().items():
                    if before is None:
                        macros.pop(name, None)
                    else:
                        macros[name] = before
            return
        k = 0
        while k < len(texts) and texts[k] in self.modifiers:
            k += 1
        if k + 1 < len(texts) and texts[k] in self.open and texts[k + 1] != "=":
            self.frames.append({})

    def defining(self, name: str, macros: dict[str, tuple[Token, ...]]) -> None:
        """A define of ``name`` inside a block: remember what it stood for."""
        if self.frames and name not in self.frames[-1]:
            self.frames[-1][name] = macros.get(name)


def preprocess(spec: PreprocessorSpec | None, tokens: list[Token], fold: bool) -> Preprocessed:
    if spec is None:
        return NOTHING
    words = _Words(spec, fold)
    scopes = _Scopes(spec, words)
    macros: dict[str, tuple[Token, ...]] = {}
    line_macros: set[str] = set()  # macros used with the rest of their line (line_argument)
    hidden: set[int] = set()
    expansions: dict[int, tuple[Token, ...]] = {}
    lines = _lines(tokens)
    n = 0
    while n < len(lines):
        line = lines[n]
        role = _directive(tokens, line, spec.marker, words)
        if role is None:
            scopes.line(tokens, line, macros)
            _line_argument_use(tokens, line, line_macros, words, hidden)
            _expand_uses(tokens, line, macros, words, hidden, expansions)
        elif role == "define" and len(line) > 2:
            scopes.defining(words.key(tokens[line[2]][1]), macros)
            _define(tokens, line, macros, words)
        elif role in ("undefine", "macro") and len(line) > 2:
            macros.pop(words.key(tokens[line[2]][1]), None)
            if role == "macro" and len(line) > 3 and tokens[line[3]][1] == spec.line_argument:
                line_macros.add(words.key(tokens[line[2]][1]))
        skipped_to = _skip(tokens, lines, n, role, spec, words, hidden)
        if skipped_to is not None:
            n = skipped_to
            continue
        n += 1
    return Preprocessed(frozenset(hidden), expansions)


def _skip(tokens: list[Token], lines: list[list[int]], n: int, role: str | None,
          spec: PreprocessorSpec, words: _Words, hidden: set[int]) -> int | None:
    """Hide the lines directive line ``n`` skips (a known-false conditional's first
    branch, an alternative branch, a macro's body); the line to go on from, or None when
    it skips nothing."""
    if role == "conditional" and _unset_condition(tokens, lines[n], spec, words):
        # a condition known false: its first branch is skipped, its alternative read
        end = _matching_end(tokens, lines, n + 1, spec.marker, words,
                            ("alternative", "end_conditional"))
        if end is None:
            return None
        for skipped in lines[n + 1:end]:
            hidden.update(skipped)
        return end + (_directive(tokens, lines[end], spec.marker, words) == "alternative")
    if role not in ("alternative", "macro"):
        return None
    closers = ("end_conditional",) if role == "alternative" else ("end_macro",)
    # the alternative branch from its own line on; a macro's body after its line
    end = _matching_end(tokens, lines, n + 1, spec.marker, words, closers)
    if end is None:
        return None
    first = n if role == "alternative" else n + 1
    for skipped in lines[first:end]:
        hidden.update(skipped)
    return end


def _line_argument_use(tokens: list[Token], line: list[int], line_macros: set[str],
                       words: _Words, hidden: set[int]) -> None:
    """A line that starts with a use of a ``line_argument`` macro without parentheses
    (``CATCH ex AS Exception``): the rest of the line is its argument, hidden."""
    if line_macros and len(line) > 1 and tokens[line[0]][0] == IDENT \
            and tokens[line[1]][1] != "(" and words.key(tokens[line[0]][1]) in line_macros:
        hidden.update(line[1:])


def _directive(tokens: list[Token], line: list[int], marker: tuple[str, ...], words: _Words
               ) -> str | None:
    if len(line) < 2 or tokens[line[0]][1] not in marker:
        return None
    return words.role.get(words.key(tokens[line[1]][1]))


def _matching_end(tokens: list[Token], lines: list[list[int]], start: int,
                  marker: tuple[str, ...],
                  words: _Words, closers: tuple[str, ...]) -> int | None:
    """The line of the first of ``closers`` that ends the region opened before ``start``
    (nested conditionals counted), or None when the file never ends it: then nothing is
    skipped."""
    depth = 0
    for n in range(start, len(lines)):
        role = _directive(tokens, lines[n], marker, words)
        if role == "conditional" and "end_conditional" in closers:
            depth += 1
        elif role in closers:
            if depth == 0:
                return n
            if role == "end_conditional":
                depth -= 1  # an inner conditional's end (its alternatives: passed over)
    return None


def _unset_condition(tokens: list[Token], line: list[int], spec: PreprocessorSpec,
                     words: _Words) -> bool:
    """Is the conditional's condition one of ``unset`` alone (``$IF JAVASCRIPT THEN``:
    one name, then at most one word more)?"""
    if not spec.unset or len(line) < 3 or len(line) > 4:
        return False
    return words.key(tokens[line[2]][1]) in {words.key(w) for w in spec.unset}


def _define(tokens: list[Token], line: list[int], macros: dict[str, tuple[Token, ...]],
            words: _Words) -> None:
    name_index = line[2]
    name = words.key(tokens[name_index][1])
    rest = line[3:]
    if rest and tokens[rest[0]][1] == "(" and rest[0] == name_index + 1:
        macros.pop(name, None)  # NAME(params) body: a function-like macro, used as a call
        return
    body: list[Token] = []
    for i in rest:
        token = tokens[i]
        inner = macros.get(words.key(token[1])) if token[0] == IDENT else None
        body.extend(inner if inner is not None else (token,))
    if len(body) > MAX_BODY:
        macros.pop(name, None)
        return
    macros[name] = tuple(body)


def _expand_uses(tokens: list[Token], line: list[int], macros: dict[str, tuple[Token, ...]],
                 words: _Words, hidden: set[int], expansions: dict[int, tuple[Token, ...]]
                 ) -> None:
    if not macros:
        return
    for i in line:
        kind, value = tokens[i]
        if kind != IDENT:
            continue
        body = macros.get(words.key(value))
        if body is None:
            continue
        if body:
            expansions[i] = body
        else:
            hidden.add(i)


def directive_pattern(spec: PreprocessorSpec, fold: bool) -> re.Pattern[str]:
    """A line that holds a directive with an effect on the parse (a macro or a skipped
    region): an edit near one cannot be reparsed on its own. ``re`` keeps the compiled
    pattern in its own bounded cache."""
    effective = [w for role in ("define", "undefine", "alternative", "end_conditional",
                                "macro", "end_macro") for w in getattr(spec, role)]
    alternatives = "|".join(re.escape(w) for w in effective) or r"(?!)"
    markers = "|".join(re.escape(m) for m in spec.marker)
    return re.compile(rf"^[^\S\r\n]*(?:{markers})[^\S\r\n]*(?:{alternatives})\b",
                      re.MULTILINE | (re.IGNORECASE if fold else 0))


def pasted_names(spec: PreprocessorSpec | None, text: str, fold: bool) -> frozenset[str]:
    """The names the uses of a function-like macro that pastes tokens may make (FreeBASIC's
    ``#define fbs_declare(n) DIM SHARED AS t##n n``, then ``fbs_declare(FBS_Init)``): each
    use's arguments, and the words of its body with the arguments put in and the ``##``
    joined (``tFBS_Init``, ``FBS_Init``). An approximation: such macros are not expanded,
    so the names they make are only known as names that may exist (never undefined);
    keys folded as the language compares names."""
    if spec is None or "##" not in text or not spec.define:
        return frozenset()
    flags = re.MULTILINE | (re.IGNORECASE if fold else 0)
    markers = "|".join(re.escape(m) for m in spec.marker)
    words = "|".join(re.escape(w) for w in spec.define)
    definitions = re.compile(rf"^[^\S\r\n]*(?:{markers})[^\S\r\n]*(?:{words})[^\S\r\n]+"
                             r"(\w+)\(([^)\r\n]*)\)([^\r\n]*)", flags)
    made: set[str] = set()
    uses = definitions.sub("", text)  # a definition's own heading is no use
    for name, params, body in definitions.findall(text):
        if "##" not in body:
            continue
        names = [p.strip() for p in params.split(",")]
        for args in re.findall(rf"(?<![\w#]){re.escape(name)}[^\S\r\n]*\(([^()\r\n]*)\)",
                               uses, re.IGNORECASE if fold else 0):
            made.update(_made_by_use(names, [a.strip() for a in args.split(",")], body))
    return frozenset(n.lower() if fold else n for n in made)


def _made_by_use(params: list[str], args: list[str], body: str) -> set[str]:
    """A use's arguments (the names among them) and the words of the body it makes."""
    given = dict(zip(params, args, strict=False))
    filled = re.sub(r"\w+", lambda m: given.get(m.group(0), m.group(0)), body)
    joined = re.sub(r"\s*##\s*", "", filled)
    return {a for a in args if re.fullmatch(r"\w+", a)} | set(re.findall(r"\w+", joined))
