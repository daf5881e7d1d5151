"""A grammar extension (``language/grammar_extension.py``) run inside the keyword-level
parser: the parser asks it at a statement's start, where an operand starts and after an
operand; it matches the extension's productions on the parser's own tokens and builds
their nodes on the parser's own stack, so the file has one lossless green tree.

Why not ``peg.PegParser``: that engine owns its token arrays, stack and memo table for a
whole file of steps, while these productions are small and interleave with the
keyword-level parser at every level (a rule calls ``statement`` and ``expression``, which
call the forms again). Evaluating them here, on the parser's state, keeps one stack and
one window (incremental reparse), at the cost of a second, simpler PEG evaluator: no
memo table (an extension is a handful of rules), the same bounds (the parser's depth
limit, a budget of evaluations per form) and the same recovery (a sequence that began
with a literal commits: a missing element is one zero-width error).

Every look at a token goes through the parser, which notes a look past an incremental
window, so ``Parser.parse_item`` still depends only on the tokens from its first on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Final

from ..language import grammar_spec as G
from ..language.grammar_extension import GrammarExtension
from ..language.model import LanguageDefinition
from .lexer import lex
from .tokens import EOF, IDENT, KEYWORD_PREFIX, NUMBER, PUNCT, STRING, TRIVIA, UNTERMINATED_STRING
from .tree import GreenNode

if TYPE_CHECKING:
    from .parser import Parser

ATTEMPT_DEPTH: Final = 4  # parser depth levels one form attempt counts as
FUEL: Final = 20_000  # evaluations per outermost form attempt: ends any pathological grammar
# evaluations per parse, besides FUEL per attempt: the built-in parser asks the forms at
# every operand and after it, and a grammar whose forms call ``expression`` can make it ask
# exponentially often (hypothesis found one: an operand form matching ANY with a postfix
# form starting with ``expression``); past this budget no form matches, so such a parse
# ends with errors instead of running on. Far above what real text needs (a few per token).
PARSE_FUEL_BASE: Final = 200_000
PARSE_FUEL_PER_TOKEN: Final = 200
_CLASSES: Final = {"IDENT": (IDENT,), "NUMBER": (NUMBER,),
                   "STRING": (STRING, UNTERMINATED_STRING)}
_CLASS_NAMES: Final = {"IDENT": "a name", "NUMBER": "a number", "STRING": "a string",
                       "KEYWORD": "a keyword", "ANY": "a token",
                       G.LINE_BREAK: "the end of the line"}


@dataclass(frozen=True)
class Node:
    """A compiled element: ``op`` (grammar_spec's), ``key`` (a literal's token key, a
    class or rule name), ``items``, ``name`` (for messages)."""

    op: str
    key: str
    items: tuple[Node, ...]
    name: str


@dataclass(frozen=True)
class Rule:
    name: str
    body: Node
    keep: bool  # annotated: always a node of its own
    first: frozenset[str] | None  # token keys a match can begin with; None: any


@dataclass(frozen=True)
class Tables:
    rules: dict[str, Rule]
    statements: tuple[Rule, ...]
    operands: tuple[Rule, ...]
    prefixes: tuple[tuple[Rule, int], ...]  # with the operand's precedence (parser scale)
    # after an operand: (rule, precedence, right operand's precedence or -1 for postfix)
    suffixes: tuple[tuple[Rule, int, int], ...]
    # literal keys that end the built-in ``statement`` (an extension's closing words,
    # ``until``): every literal no statement form begins with
    closers: frozenset[str]
    fold: bool


def token_key(kind: str, text: str, fold: bool) -> str:
    """How a literal matches a token: a keyword by its concept (every spelling), a
    punctuation by its text, a word by its (case-folded) text."""
    if kind.startswith(KEYWORD_PREFIX):
        return kind
    if kind == PUNCT:
        return "p:" + text
    return "w:" + (text.lower() if fold else text)


@lru_cache(maxsize=32)
def tables_for(definition: LanguageDefinition) -> Tables | None:
    extension = definition.grammar_extension
    if extension is None:
        return None
    return _compile(definition, extension)


def _compile(definition: LanguageDefinition, extension: GrammarExtension) -> Tables:
    fold = not definition.lexical.case_sensitive

    def literal_key(text: str) -> str:
        tokens, _ = lex(definition, text)
        significant = [t for t in tokens if t[0] not in TRIVIA]
        if len(significant) != 1:  # the checks reject it: matches nothing
            return "never:" + text
        return token_key(significant[0][0], significant[0][1], fold)

    def node(expr: G.Expr) -> Node:
        if expr.op == G.LIT:
            return Node(G.LIT, literal_key(expr.text), (), repr(expr.text))
        if expr.op == G.CLASS:
            return Node(G.CLASS, expr.text, (), _CLASS_NAMES[expr.text])
        if expr.op == G.RULE:
            return Node(G.RULE, expr.text, (), expr.text.replace("_", " "))
        items = tuple(node(e) for e in expr.items)
        return Node(expr.op, "", items, items[0].name if expr.op != G.CHOICE else "")

    spec = extension.spec
    bodies = {p.name: node(p.expr) for p in spec.rules}
    nullable = G.nullable_rules(G.GrammarSpec("", spec.rules))
    firsts = _first_sets(bodies, nullable, spec)
    rules = {p.name: Rule(p.name, bodies[p.name], p.meaning.annotated, firsts[p.name])
             for p in spec.rules}

    def level(precedence: int) -> int:
        return precedence + 1  # ``syntax/grammar.py`` keeps operators one above the scale

    statements = tuple(rules[f.rule] for f in extension.of("statement"))
    starting = set().union(*(r.first or () for r in statements))
    suffixes = [(rules[f.rule], level(f.precedence), level(f.precedence) + (0 if f.right else 1))
                for f in extension.of("infix")]
    suffixes += [(rules[f.rule], level(f.precedence), -1) for f in extension.of("postfix")]
    return Tables(
        rules=rules,
        statements=statements,
        operands=tuple(rules[f.rule] for f in extension.of("operand")),
        prefixes=tuple((rules[f.rule], level(f.precedence)) for f in extension.of("prefix")),
        suffixes=tuple(sorted(suffixes, key=lambda s: -s[1])),
        closers=frozenset(_after_statements(rules) - starting),
        fold=fold,
    )


def _after_statements(rules: dict[str, Rule]) -> set[str]:
    """The literals that can come right after a ``statement`` element (``until`` in
    ``'repeat' statement* 'until' expression``): where a list of statements ends."""
    found: set[str] = set()
    for rule in rules.values():
        for node in _walk(rule.body):
            if node.op != G.SEQ:
                continue
            for at, item in enumerate(node.items[:-1]):
                inner = item.items[0] if item.op in G.LOOPS | {G.OPT} else item
                if inner.op == G.RULE and inner.key == "statement":
                    found |= _leading_literals(node.items[at + 1:])
    return found


def _leading_literals(rest: tuple[Node, ...]) -> set[str]:
    out: set[str] = set()
    for item in rest:
        choices = item.items if item.op == G.CHOICE else (item.items[0],) \
            if item.op in (G.OPT, G.STAR) else (item,)
        out |= {c.key for c in choices if c.op == G.LIT}
        if item.op not in (G.OPT, G.STAR):
            break
    return out


def _walk(node: Node) -> list[Node]:
    out = [node]
    for item in node.items:
        out.extend(_walk(item))
    return out


def _first_sets(bodies: dict[str, Node], nullable: dict[str, bool], spec: G.GrammarSpec
                ) -> dict[str, frozenset[str] | None]:
    """Each rule's FIRST set (literal keys, ``<IDENT>``-style classes) as a fixed point;
    None where a match may begin with any token (``ANY``, the built-in rules, lookahead,
    something that can match empty)."""
    table: dict[str, frozenset[str] | None] = {name: frozenset() for name in bodies}
    exprs = {p.name: p.expr for p in spec.rules}
    changed = True
    while changed:
        changed = False
        for name, body in bodies.items():
            value = _first(body, exprs[name], table, nullable)
            if value != table[name]:
                table[name] = value
                changed = True
    return table


def _first(n: Node, e: G.Expr, table: dict[str, frozenset[str] | None],
           nullable: dict[str, bool]) -> frozenset[str] | None:
    if n.op == G.LIT:
        return frozenset({n.key})
    if n.op == G.CLASS:
        return frozenset({"<" + n.key + ">"}) if n.key in _CLASSES else None
    if n.op == G.RULE:
        return table.get(n.key)
    if n.op in (G.PLUS, G.SEP):
        return _first(n.items[0], e.items[0], table, nullable)
    if n.op not in (G.SEQ, G.CHOICE):
        return None  # optional, star, lookahead: may match empty
    out: set[str] = set()
    for k, ke in zip(n.items, e.items, strict=True):
        inner = _first(k, ke, table, nullable)
        if inner is None:
            return None
        out |= inner
        if n.op == G.SEQ and not G.nullable(ke, nullable):
            return frozenset(out)
    return frozenset(out) if n.op == G.CHOICE else None


class ExtensionRunner:
    """One parser's use of an extension (its budget is per parse, never shared)."""

    def __init__(self, tables: Tables, max_depth: int, tokens: int) -> None:
        self.t = tables
        self.max_depth = max_depth  # the parser's nesting limit, which rule calls count in
        self.fuel = 0
        self.parse_fuel = PARSE_FUEL_BASE + PARSE_FUEL_PER_TOKEN * tokens
        self.active = 0  # nested form attempts (a form's ``statement`` tries forms again)
        # what the built-in ``statement`` and ``expression`` made at a parser state: a
        # form is matched as written, then again in recovery mode, so without this a
        # body of nested forms would be parsed 2^depth times (one entry per state: bounded
        # by the tokens of the parse)
        self.made: dict[tuple[str, int, int, int, int], tuple[int, int, int, list[object]]] = {}

    # ------------------------------------------------------------ the parser's hooks

    def statement(self, parser: Parser) -> str:
        """A statement form at the parser's token: its children pushed, its node kind
        returned (``parse_item`` makes the node); '' when none matches."""
        for rule in self.t.statements:
            if self.can_begin(parser, rule) and self.attempt(parser, rule.body):
                return rule.name
        return ""

    def operand(self, parser: Parser) -> bool:
        """An operand form (its node pushed), or False with nothing done."""
        for rule in self.t.operands:
            if self.can_begin(parser, rule) and self.attempt(parser, rule.body, rule):
                return True
        return False

    def prefix(self, parser: Parser) -> bool:
        """A prefix operator form and its operand, as one node of the form's kind."""
        for rule, precedence in self.t.prefixes:
            if not self.can_begin(parser, rule):
                continue
            mark = parser.start()
            if self.attempt(parser, rule.body):
                parser.parse_expression(precedence)
                parser.finish(mark, rule.name)
                return True
        return False

    def suffix(self, parser: Parser, mark: int, min_precedence: int) -> bool:
        """An infix or postfix form after the operand that starts at ``mark``, binding
        at ``min_precedence`` or tighter: the operand and the form become one node."""
        if parser.newline_sensitive and parser.nesting == 0 and parser.on_new_line():
            return False  # a line break ends the statement (and its expression)
        for rule, precedence, right in self.t.suffixes:
            if precedence < min_precedence or not self.can_begin(parser, rule):
                continue
            if self.attempt(parser, rule.body):
                if right >= 0:
                    parser.parse_expression(right)
                parser.finish(mark, rule.name)
                return True
        return False

    # ------------------------------------------------------------ evaluation

    def can_begin(self, parser: Parser, rule: Rule) -> bool:
        first = rule.first
        if first is None:
            return True
        kind = parser.kind()  # notes a look past the window
        if not kind or kind == EOF:
            return False
        text = parser.tok_text()
        return token_key(kind, text, self.t.fold) in first or "<" + _class_of(kind) + ">" in first

    def attempt(self, parser: Parser, body: Node, rule: Rule | None = None) -> bool:
        """Match ``body`` (as ``rule``'s node when given) as written, else in recovery
        mode; the parser's state is as before when neither matches."""
        if self.active == 0:
            self.fuel = FUEL
        if parser.depth + ATTEMPT_DEPTH >= self.max_depth or self.parse_fuel <= 0:
            return False
        self.active += 1
        # a form attempt nests several Python frames per level of the parser's own (a
        # postfix form calling ``expression`` that ends in the form again): it counts as
        # that many levels, so the parser's depth limit, not a RecursionError, stops it
        parser.depth += ATTEMPT_DEPTH
        try:
            for rec in (False, True):
                matched = self.call(parser, rule, rec) if rule is not None \
                    else self.ev(parser, body, rec)
                if matched:
                    return True
            return False
        finally:
            self.active -= 1
            parser.depth -= ATTEMPT_DEPTH

    def ev(self, parser: Parser, n: Node, rec: bool) -> bool:
        """Match ``n`` at the parser's token, pushing what it matched; on failure the
        parser is left as it was."""
        self.fuel -= 1
        self.parse_fuel -= 1
        if self.fuel <= 0 or self.parse_fuel <= 0:
            return False
        op = n.op
        if op == G.LIT:
            return self.literal(parser, n.key)
        if op == G.CLASS:
            return self.token_class(parser, n.key)
        if op == G.RULE:
            return self.rule_call(parser, n.key, rec)
        if op == G.SEQ:
            return self.sequence(parser, n, rec, _save(parser))
        if op == G.CHOICE:
            return any(self.ev(parser, item, mode) for mode in ((False, True) if rec
                                                                 else (False,))
                       for item in n.items)
        if op == G.OPT:
            self.ev(parser, n.items[0], rec)
            return True
        if op in (G.STAR, G.PLUS):
            return self.repeat(parser, n.items[0], rec, op == G.PLUS)
        if op == G.SEP:
            return self.separated(parser, n, rec)
        saved = _save(parser)  # lookahead: NOT, AND
        matched = self.ev(parser, n.items[0], False)
        _restore(parser, saved)
        return matched == (op == G.AND)

    def literal(self, parser: Parser, key: str) -> bool:
        kind = parser.kind()
        if kind != EOF and token_key(kind, parser.tok_text(), self.t.fold) == key:
            parser.bump()
            return True
        return False

    def repeat(self, parser: Parser, body: Node, rec: bool, at_least_one: bool) -> bool:
        saved = _save(parser)
        count = 0
        while True:
            before = parser.p
            if not self.ev(parser, body, rec) or parser.p == before:
                break  # a loop goes on only while it consumes
            count += 1
        if at_least_one and count == 0:
            _restore(parser, saved)
            return False
        return True

    def separated(self, parser: Parser, n: Node, rec: bool) -> bool:
        if not self.ev(parser, n.items[0], rec):
            return False
        while True:
            before = _save(parser)
            if not (self.ev(parser, n.items[1], rec) and self.ev(parser, n.items[0], rec)) \
                    or parser.p == before[0]:
                _restore(parser, before)
                return True

    def sequence(self, parser: Parser, n: Node, rec: bool,
                 saved: tuple[int, int, int, int]) -> bool:
        committed = rec and n.items[0].op == G.LIT
        failed_at = -1
        for at, item in enumerate(n.items):
            if self.ev(parser, item, rec):
                continue
            if not committed or at == 0:
                _restore(parser, saved)
                return False
            if failed_at != parser.p:  # a run of missing elements: one error
                parser.error_here(f"expected {item.name or 'more'}, found {parser.describe()}")
            failed_at = parser.p
        return True

    def token_class(self, parser: Parser, name: str) -> bool:
        if name == G.LINE_BREAK:
            return parser.on_new_line()
        kind = parser.kind()
        if kind == EOF:
            return False
        if name == "ANY" or (name == "KEYWORD" and kind.startswith(KEYWORD_PREFIX)):
            parser.bump()
            return True
        if kind in _CLASSES.get(name, ()):
            parser.push_leaf(kind)
            return True
        return False

    def rule_call(self, parser: Parser, name: str, rec: bool) -> bool:
        if name == "statement":
            return self.builtin_statement(parser)
        if name == "expression":
            return self.builtin_expression(parser)
        return self.call(parser, self.t.rules[name], rec)

    def call(self, parser: Parser, rule: Rule | None, rec: bool) -> bool:
        """A rule: its node (or its only child node, for a rule without annotations that
        wraps one node), or nothing when it matched no token."""
        assert rule is not None
        if parser.depth >= self.max_depth:
            return False
        parser.depth += 1
        start = parser.p
        saved = _save(parser)
        mark = parser.start()
        matched = self.ev(parser, rule.body, rec)
        parser.depth -= 1
        if not matched:
            _restore(parser, saved)
            return False
        stack = parser.stack
        if parser.p > start and (rule.keep or len(stack) != mark + 1
                                 or type(stack[mark]) is not GreenNode):
            parser.finish(mark, rule.name)
        return True

    def builtin_statement(self, parser: Parser) -> bool:
        """One statement of the keyword-level language; none at the end, at a token that
        closes a list, or at one of the extension's closing words."""
        kind = parser.kind()
        if kind == EOF or parser.at_closer() \
                or token_key(kind, parser.tok_text(), self.t.fold) in self.t.closers:
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
        return any(self.can_begin(parser, r) for r in self.t.operands) \
            or any(self.can_begin(parser, r) for r, _ in self.t.prefixes)


def _class_of(kind: str) -> str:
    for name, kinds in _CLASSES.items():
        if kind in kinds:
            return name
    return ""


def _save(parser: Parser) -> tuple[int, int, int, int]:
    return parser.p, parser.flushed, len(parser.stack), parser.nesting


def _restore(parser: Parser, saved: tuple[int, int, int, int]) -> None:
    # what a failed match read is still a look: the step's lookahead extent must reach it
    # (incremental reparse remakes a step whose extent an edit touches)
    parser.note(parser.p)
    parser.p, parser.flushed, size, parser.nesting = saved
    del parser.stack[size:]


def runner_for(definition: LanguageDefinition, max_depth: int,
               tokens: int) -> ExtensionRunner | None:
    """A new runner for one parse of ``definition``; None without an extension (the
    parser then asks nothing)."""
    if definition.grammar_extension is None:
        return None
    tables = tables_for(definition)
    return None if tables is None else ExtensionRunner(tables, max_depth, tokens)

