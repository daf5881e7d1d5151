"""A grammar extension (``language/grammar_extension.py``) run inside the keyword-level
parser: the parser asks it at a statement's start, where an operand starts and after an
operand; the PEG engine (``peg.py``) matches the extension's productions on the parser's
own tokens and builds their nodes on the parser's own stack, so the file has one lossless
green tree and one PEG evaluator.

The extension's rules are compiled by ``peg_tables`` like a whole-language grammar, with
two *host* rules added, ``statement`` and ``expression``: ``FormEngine`` (the engine,
with its rule call widened) hands those to the keyword-level parser, which may ask the
forms again. So the forms have the engine's recovery (an item matched as written, then
in recovery mode, where a sequence that began with a literal commits and a missing
element is one zero-width error), its messages, FIRST sets and memo table, and its depth
and fuel limits, with two bounds of their own: the depth all nested form attempts share
(``FORM_DEPTH``, so the parser's recursion and the engine's fit the stack together) and
a budget of evaluations per attempt and per parse.

Every look at a token is noted in the parser (``Parser.note``), so ``Parser.parse_item``
still depends only on the tokens from its first on (incremental reparse)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final, cast

from ..language import grammar_spec as G
from ..language.grammar_extension import BUILTIN_RULES, GrammarExtension
from ..language.model import LanguageDefinition
from .peg import MAX_DEPTH as ENGINE_DEPTH
from .peg import NO_MATCH, PegParser
from .peg_tables import (
    OP_CHOICE,
    OP_LIT,
    OP_OPT,
    OP_PLUS,
    OP_RULE,
    OP_SEQ,
    OP_STAR,
    PegTables,
    compile_tables,
    token_keys,
)
from .tokens import EOF, Token
from .tree import GreenNode

if TYPE_CHECKING:
    from .parser import Parser

ATTEMPT_DEPTH: Final = 4  # parser depth levels one form attempt counts as
# engine depth levels all nested attempts share: the engine's frames and the parser's
# (its own depth limit) fit the interpreter's stack together
FORM_DEPTH: Final = 120
FUEL: Final = 20_000  # evaluations per outermost form attempt: ends any pathological grammar
# evaluations per parse, besides FUEL per attempt: the built-in parser asks the forms at
# every operand and after it, and a grammar whose forms call ``expression`` can make it ask
# exponentially often (hypothesis found one: an operand form matching ANY with a postfix
# form starting with ``expression``); past this budget no form matches, so such a parse
# ends with errors instead of running on. Far above what real text needs (a few per token).
PARSE_FUEL_BASE: Final = 200_000
PARSE_FUEL_PER_TOKEN: Final = 200
_START: Final = "<forms>"  # the synthetic start rule of the extension's grammar


@dataclass(frozen=True)
class Tables:
    """The extension's grammar as engine tables and its forms as rule indices."""

    peg: PegTables
    hosts: dict[int, str]  # rule index -> the parser's rule it stands for
    statements: tuple[int, ...]
    operands: tuple[int, ...]
    prefixes: tuple[tuple[int, int], ...]  # with the operand's precedence (parser scale)
    # after an operand: (rule, precedence, right operand's precedence or -1 for postfix)
    suffixes: tuple[tuple[int, int, int], ...]
    # literal keys that end the built-in ``statement`` (an extension's closing words,
    # ``until``): every literal no statement form begins with
    closers: frozenset[str]
    fold: bool


@lru_cache(maxsize=32)
def tables_for(definition: LanguageDefinition) -> Tables | None:
    extension = definition.grammar_extension
    if extension is None:
        return None
    return _compile(definition, extension)


def _compile(definition: LanguageDefinition, extension: GrammarExtension) -> Tables:
    rules = list(extension.spec.rules)
    names = {p.name for p in rules}
    # the host rules match any token as far as the tables know (FIRST None, not
    # nullable); ``FormEngine.call_rule`` runs the parser's own instead
    rules += [G.Production(name, G.Expr(G.CLASS, "ANY")) for name in BUILTIN_RULES
              if name not in names]
    rules.append(G.Production(_START, G.Expr(G.STAR, items=(G.Expr(G.CLASS, "ANY"),))))
    peg = compile_tables(definition, G.GrammarSpec(_START, tuple(rules)))
    # the fast path is generated for a file's items; forms run in the interpreter
    peg.fast.append(None)
    index = {p.name: i for i, p in enumerate(rules)}
    hosts = {index[name]: name for name in BUILTIN_RULES}

    def level(precedence: int) -> int:
        return precedence + 1  # ``syntax/grammar.py`` keeps operators one above the scale

    statements = tuple(index[f.rule] for f in extension.of("statement"))
    starting: set[str] = set()
    for r in statements:
        starting |= peg.first[peg.rule_expr[r]] or frozenset()
    suffixes = [(index[f.rule], level(f.precedence),
                 level(f.precedence) + (0 if f.right else 1)) for f in extension.of("infix")]
    suffixes += [(index[f.rule], level(f.precedence), -1) for f in extension.of("postfix")]
    statement_rule = next(r for r, name in hosts.items() if name == "statement")
    return Tables(
        peg=peg,
        hosts=hosts,
        statements=statements,
        operands=tuple(index[f.rule] for f in extension.of("operand")),
        prefixes=tuple((index[f.rule], level(f.precedence)) for f in extension.of("prefix")),
        suffixes=tuple(sorted(suffixes, key=lambda s: -s[1])),
        closers=frozenset(_after_statements(peg, statement_rule) - starting),
        fold=peg.fold,
    )


def _after_statements(t: PegTables, statement: int) -> set[str]:
    """The literals that can come right after a ``statement`` element (``until`` in
    ``'repeat' statement* 'until' expression``): where a list of statements ends."""
    ops, kids = t.ops, t.kids
    found: set[str] = set()
    for e, op in enumerate(ops):
        if op != OP_SEQ:
            continue
        items = kids[e]
        for at, item in enumerate(items[:-1]):
            inner = kids[item][0] if ops[item] in (OP_STAR, OP_PLUS, OP_OPT) else item
            if ops[inner] == OP_RULE and kids[inner][0] == statement:
                found |= _leading_literals(t, items[at + 1:])
    return found


def _leading_literals(t: PegTables, rest: tuple[int, ...]) -> set[str]:
    ops, kids, keys = t.ops, t.kids, t.keys
    out: set[str] = set()
    for item in rest:
        op = ops[item]
        choices = kids[item] if op == OP_CHOICE else (kids[item][0],) \
            if op in (OP_OPT, OP_STAR) else (item,)
        out |= {keys[c] for c in choices if ops[c] == OP_LIT}
        if op not in (OP_OPT, OP_STAR):
            break
    return out


class FormEngine(PegParser):
    """The engine over a keyword-level parser's tokens and stack; its rule call runs the
    host rules (``statement``, ``expression``) on the parser, ``host``, which is set
    only while a form attempt runs (no cycle between the two)."""

    def __init__(self, tables: Tables, tokens: list[Token], starts_line: bool) -> None:
        super().__init__(tables.peg, tokens, starts_line)
        self.forms = tables
        self.host: Parser | None = None
        # what the built-in ``statement`` and ``expression`` made at a parser state: a
        # form is matched as written, then again in recovery mode, so without this a
        # body of nested forms would be parsed 2^depth times (one entry per state: bounded
        # by the tokens of the parse)
        self.made: dict[tuple[str, int, int, int, int], tuple[int, int, int, list[object]]] = {}

    def call_rule(self, r: int, p: int, rec: bool) -> int:
        name = self.forms.hosts.get(r)
        if name is None:
            return super().call_rule(r, p, rec)
        parser = self.host
        assert parser is not None
        stack = self.stack
        outer = len(stack)
        n = self.n
        # the parser's view: its position and how much of the text is on the stack (the
        # trivia before ``p`` is there when the engine's node starts at ``p``)
        if p > self.frame or p >= n:
            flushed = self.index[p - 1] + 1 if p > 0 else 0
        else:
            flushed = self.index[p]
        parser.p, parser.flushed = p, flushed
        matched = self.builtin_statement(parser) if name == "statement" \
            else self.builtin_expression(parser)
        if parser.reach > self.reach:
            self.reach = parser.reach
        if not matched:
            del stack[outer:]
            return NO_MATCH
        q = parser.p
        if q > p and parser.flushed > self.index[q - 1] + 1:
            # the parser took the trivia after its last token into its node (a node that
            # ends in a zero-width error); the engine pushes a gap with the next token
            trailing = self.elements[self.index[q - 1] + 1:parser.flushed]
            _strip_trailing(stack, outer, trailing)
            parser.flushed = self.index[q - 1] + 1
        return q

    def builtin_statement(self, parser: Parser) -> bool:
        """One statement of the keyword-level language; none at the end, at a token that
        closes a list, or at one of the extension's closing words."""
        kind = parser.kind()
        if kind == EOF or parser.at_closer() \
                or token_keys(kind, parser.tok_text(), self.forms.fold)[0] \
                in self.forms.closers:
            return False
        self.replayed(parser, "statement")
        return True

    def builtin_expression(self, parser: Parser) -> bool:
        """One expression of the keyword-level language; none where it would consume no
        token (a form that could begin with any token, ``ANY``, lets the check above pass
        where no expression is: the parser's "expected an expression" is then not a match,
        or a postfix form calling ``expression`` would nest empty nodes of itself)."""
        if not parser.can_start_expression() and not self.can_start_form(parser):
            return False
        saved = _save(parser)
        self.replayed(parser, "expression")
        if parser.p == saved[0]:
            _restore(parser, saved)
            return False
        return True

    def replayed(self, parser: Parser, what: str) -> None:
        """``parser.parse_item()`` or ``parser.parse_expression()``, or what it made the
        last time from the same state: both depend only on the tokens from the parser's
        position on and on its nesting and depth (``parse_item``'s invariant)."""
        key = (what, parser.p, parser.flushed, parser.nesting, parser.depth)
        stack = parser.stack
        found = self.made.get(key)
        if found is not None:
            parser.p, parser.flushed, looked, fragment = found
            parser.note(looked)  # a replay reads what the parse it stands for read
            stack.extend(fragment)
            return
        size = len(stack)
        outer = parser.reach
        parser.reach = -1
        if what == "statement":
            parser.parse_item()
        else:
            parser.parse_expression()
        looked = parser.reach
        parser.reach = max(looked, outer)
        self.made[key] = (parser.p, parser.flushed, looked, stack[size:])

    def can_start_form(self, parser: Parser) -> bool:
        t = self.forms
        return any(can_begin(t, parser, r) for r in t.operands) \
            or any(can_begin(t, parser, r) for r, _ in t.prefixes)


def _strip_trailing(stack: list[object], start: int, trailing: list[object]) -> None:
    """Take the tokens ``trailing`` (trivia, in order) off the end of ``stack[start:]``,
    from inside the last nodes where they are there, passing over zero-width nodes (the
    errors after them): the engine's convention, where trivia after a node's last token
    is outside it."""
    left = list(trailing)
    at = len(stack) - 1
    while left and at >= start:
        element = stack[at]
        if isinstance(element, GreenNode):
            if element.width:
                stack[at] = _without_trailing(element, left)
                return
        elif element is left[-1]:
            del stack[at]
            left.pop()
        else:
            return
        at -= 1


def _without_trailing(node: GreenNode, left: list[object]) -> GreenNode:
    children = list(node.children)
    width = node.width
    _strip_trailing(cast("list[object]", children), 0, left)
    made = GreenNode(node.kind, cast("tuple[GreenNode | Token, ...]", tuple(children)),
                     node.error)
    if node.lookahead:  # a step's look is measured from its end, which moved back
        made.lookahead = node.lookahead + width - made.width
    return made


def can_begin(t: Tables, parser: Parser, rule: int) -> bool:
    """Can rule ``rule`` match at the parser's token (its FIRST set allows the token)?"""
    first = t.peg.first[t.peg.rule_expr[rule]]
    if first is None:
        return True
    kind = parser.kind()  # notes a look past the window
    if not kind or kind == EOF:
        return False
    key, klass = token_keys(kind, parser.tok_text(), t.fold)
    return key in first or klass in first


class ExtensionRunner:
    """One parser's use of an extension (its budget is per parse, never shared); the
    engine is made at the first form that can begin."""

    def __init__(self, tables: Tables, max_depth: int, tokens: int) -> None:
        self.t = tables
        self.max_depth = max_depth  # the parser's nesting limit, which attempts count in
        self.parse_fuel = PARSE_FUEL_BASE + PARSE_FUEL_PER_TOKEN * tokens
        self.active = 0  # nested form attempts (a form's ``statement`` tries forms again)
        self.engine: FormEngine | None = None

    # ------------------------------------------------------------ the parser's hooks

    def statement(self, parser: Parser) -> str:
        """A statement form at the parser's token: its children pushed, its node kind
        returned (``parse_item`` makes the node); '' when none matches."""
        for rule in self.t.statements:
            if can_begin(self.t, parser, rule) and self.attempt(parser, rule, False):
                return self.t.peg.rule_kind[rule]
        return ""

    def operand(self, parser: Parser) -> bool:
        """An operand form (its node pushed), or False with nothing done."""
        for rule in self.t.operands:
            if can_begin(self.t, parser, rule) and self.attempt(parser, rule, True):
                return True
        return False

    def prefix(self, parser: Parser) -> bool:
        """A prefix operator form and its operand, as one node of the form's kind."""
        for rule, precedence in self.t.prefixes:
            if not can_begin(self.t, parser, rule):
                continue
            mark = parser.start()
            if self.attempt(parser, rule, False):
                parser.parse_expression(precedence)
                parser.finish(mark, self.t.peg.rule_kind[rule])
                return True
        return False

    def suffix(self, parser: Parser, mark: int, min_precedence: int) -> bool:
        """An infix or postfix form after the operand that starts at ``mark``, binding
        at ``min_precedence`` or tighter: the operand and the form become one node."""
        if parser.newline_sensitive and parser.nesting == 0 and parser.on_new_line():
            return False  # a line break ends the statement (and its expression)
        for rule, precedence, right in self.t.suffixes:
            if precedence < min_precedence or not can_begin(self.t, parser, rule):
                continue
            if self.attempt(parser, rule, False):
                if right >= 0:
                    parser.parse_expression(right)
                parser.finish(mark, self.t.peg.rule_kind[rule])
                return True
        return False

    # ------------------------------------------------------------ evaluation

    def engine_for(self, parser: Parser) -> FormEngine:
        engine = self.engine
        if engine is None:
            starts_line = parser.bol[0] if parser.n else True
            engine = self.engine = FormEngine(self.t, parser.tokens, starts_line)
            engine.stack = parser.stack  # one stack: the forms' nodes are the parser's
            engine.leaves = parser.leaves  # one shared leaf per token, as the parser's
        return engine

    def attempt(self, parser: Parser, rule: int, whole: bool) -> bool:
        """Match ``rule`` at the parser's token (its node when ``whole``, else its
        elements), as written, else in recovery mode; the parser's state is as before
        when neither matches."""
        if parser.depth + ATTEMPT_DEPTH >= self.max_depth or self.parse_fuel <= 0:
            return False
        engine = self.engine_for(parser)
        outermost = self.active == 0
        if outermost:
            engine.host = parser
            engine.fuel = FUEL
            engine.depth = ENGINE_DEPTH - FORM_DEPTH
        # the memo table serves one attempt: the looks of an entry's evaluation are
        # noted in the attempt that made it, and the host rules' results depend on the
        # parser's nesting, which may differ from one attempt to the next
        engine.clear_memo()
        self.active += 1
        # a form attempt nests several Python frames per level of the parser's own (a
        # postfix form calling ``expression`` that ends in the form again): it counts as
        # that many levels, so the parser's depth limit, not a RecursionError, stops it
        parser.depth += ATTEMPT_DEPTH
        saved = _save(parser)
        outer = (engine.reach, engine.far, engine.expected, engine.track, engine.frame)
        fuel = engine.fuel
        p = parser.p
        engine.frame = p
        engine.reach = -1
        try:
            body = engine.t.rule_expr[rule]
            for rec in (False, True):
                parser.start()  # the trivia before the form's first token is the node's
                engine.far, engine.expected = -1, []
                engine.track = rec  # expectations name what is missing in recovery only
                end = engine.call_rule(rule, p, rec) if whole else engine.ev(body, p, rec)
                if end >= 0:
                    parser.p = end
                    if end > p:
                        parser.flushed = engine.index[end - 1] + 1
                    return True
                _restore(parser, saved)
            return False
        finally:
            looked = engine.reach
            parser.note(looked)
            engine.reach, engine.far, engine.expected, engine.track, engine.frame = outer
            engine.reach = max(engine.reach, looked)
            self.active -= 1
            parser.depth -= ATTEMPT_DEPTH
            if outermost:
                engine.host = None
                engine.depth = 0
                self.parse_fuel -= fuel - engine.fuel


def _save(parser: Parser) -> tuple[int, int, int, int]:
    return parser.p, parser.flushed, len(parser.stack), parser.nesting


def _restore(parser: Parser, saved: tuple[int, int, int, int]) -> None:
    # what a failed match read is still a look: the step's lookahead extent must reach it
    # (incremental reparse remakes a step whose extent an edit touches)
    parser.note(parser.p)
    parser.p, parser.flushed, size, parser.nesting = saved
    del parser.stack[size:]


def expected_words(parser: Parser) -> list[str]:
    """The extension's literals a form can go on with at the end of ``parser``'s tokens
    (``until`` after a ``repeat`` body): the parser runs over them with the engine
    noting every literal it tried there, as ``peg.words_expected_at`` does for a
    whole-language grammar (``parse.form_words_expected_at`` makes the parser)."""
    if parser.ext is None:
        return []
    wanted: set[str] = set()
    parser.ext.engine_for(parser).at_end = wanted
    parser.parse_file()
    texts = parser.ext.t.peg.key_texts
    return sorted({texts[key] for key in wanted if key in texts})


def runner_for(definition: LanguageDefinition, max_depth: int,
               tokens: int) -> ExtensionRunner | None:
    """A new runner for one parse of ``definition``; None without an extension (the
    parser then asks nothing)."""
    if definition.grammar_extension is None:
        return None
    tables = tables_for(definition)
    return None if tables is None else ExtensionRunner(tables, max_depth, tokens)
