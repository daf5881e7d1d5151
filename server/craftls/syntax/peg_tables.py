"""A definition's grammar compiled for the PEG engine (``peg.py``): flat tables of
expressions with token keys, FIRST sets and the file's item structure. Built once
per definition.

Token keys: a literal matches a significant token by key, worked out by lexing the
literal with the definition's own lexer, so ``'IF'`` matches every spelling the lexer
maps to the same keyword, punctuation matches by text, and any other word by its
(case-folded, when the language folds case) text."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from ..language import grammar_spec as G
from ..language.model import LanguageDefinition, StatementSeparation
from .lexer import lex
from .tokens import (
    IDENT,
    KEYWORD_PREFIX,
    NUMBER,
    PUNCT,
    STRING,
    TRIVIA,
    UNTERMINATED_STRING,
)
from .tree import HAS_ERROR, GreenNode

# expression operators (ints: compared on every step)
OP_LIT: Final = 0
OP_CLASS: Final = 1
OP_RULE: Final = 2
OP_SEQ: Final = 3
OP_CHOICE: Final = 4
OP_OPT: Final = 5
OP_STAR: Final = 6
OP_PLUS: Final = 7
OP_SEP: Final = 8
OP_NOT: Final = 9
OP_AND: Final = 10
OP_ANY: Final = 11
OP_NEWLINE: Final = 12  # zero-width: a line break before the next token
# zero-width: a line break before the next token, whose line is indented deeper than the
# line where the rule's match began (``INDENT``)
OP_INDENT: Final = 13
OP_DEDENT: Final = 14  # as OP_INDENT, to a line indented less (``DEDENT``)
ZERO_WIDTH_OPS: Final = (OP_NEWLINE, OP_INDENT, OP_DEDENT)

SEMICOLON_KEY: Final = "p:;"  # recovery resumes after one, grammar literal or not
CLASS_IDENT: Final = "<IDENT>"
CLASS_NUMBER: Final = "<NUMBER>"
CLASS_STRING: Final = "<STRING>"
CLASS_KEYWORD: Final = "<KEYWORD>"
_OPS: Final = {G.LIT: OP_LIT, G.CLASS: OP_CLASS, G.RULE: OP_RULE, G.SEQ: OP_SEQ,
               G.CHOICE: OP_CHOICE, G.OPT: OP_OPT, G.STAR: OP_STAR, G.PLUS: OP_PLUS,
               G.SEP: OP_SEP, G.NOT: OP_NOT, G.AND: OP_AND}

# an item's note (``PegParser.item_lookahead``): its depth plus one above this bit, below
# it how many characters past its end the turns it ends looked (LINES_CHARS: that far or
# more)
LINES_SHIFT: Final = 24
LINES_CHARS: Final = (1 << LINES_SHIFT) - 1


def rejected(node: GreenNode, message: str) -> GreenNode:
    """The node of a form the language rejects (a rule's ``error``): that syntax error
    over the node, unless the node holds one already (the form was being typed: Lua's
    ``t.`` is the name missing after the dot, and nothing more)."""
    if node.kinds & HAS_ERROR:
        return node
    return GreenNode(node.kind, node.children, message)


def token_keys(kind: str, text: str, fold: bool) -> tuple[str, str]:
    """(literal key, class key) of a significant token."""
    if kind.startswith(KEYWORD_PREFIX):
        return kind, CLASS_KEYWORD
    if kind == PUNCT:
        return "p:" + (text.lower() if fold else text), ""
    key = "w:" + (text.lower() if fold else text)
    if kind == IDENT:
        return key, CLASS_IDENT
    if kind == NUMBER:
        return key, CLASS_NUMBER
    if kind in (STRING, UNTERMINATED_STRING):
        return key, CLASS_STRING
    return key, ""


@dataclass(frozen=True)
class PegTables:
    """Expression ``i``: ``ops[i]``, ``keys[i]`` (literal or class key), ``kids[i]``
    (sub-expressions; for OP_RULE the rule index), ``first[i]`` (the keys a match can
    start with; None when it can match empty or any token), ``names[i]`` (for
    messages). Rule ``r``: ``rule_expr[r]``, ``rule_kind[r]`` (the node kind, its name),
    ``rule_keep[r]`` (annotated rules always make a node), ``rule_error[r]``."""

    ops: list[int]
    keys: list[str]
    kids: list[tuple[int, ...]]
    first: list[frozenset[str] | None]
    names: list[str]
    # a sequence's first literal element (-1: none): once it matched, in recovery mode,
    # the sequence is committed (``'IF' expr 'THEN' ...``, ``IDENT '=' type_def ';'``)
    commits: list[int]
    rule_expr: list[int]
    rule_kind: list[str]
    rule_keep: list[bool]
    # a rejected form's message (``Production.error``; None for every other rule): its
    # node is that syntax error, unless it holds one already (one error per mistake)
    rule_error: list[str | None]
    prefix: tuple[int, ...]  # the start rule's elements before its item loop
    item: int  # the expression of one top-level item
    suffix: tuple[int, ...]  # the start rule's elements after its item loop
    lists: frozenset[int]  # loops over items (statement lists): they recover inside
    closers: frozenset[str]  # literal keys that can follow a statement list
    sync: frozenset[str]  # literal keys an item can start with (recovery resumes there)
    newline_items: bool  # items end at line ends: recovery resumes at a new line
    fold: bool
    item_first: frozenset[str] | None
    key_names: dict[str, str]  # a literal or class key -> how messages show it
    first_names: list[tuple[str, ...]]  # each FIRST set's keys as messages show them, sorted
    literal_keys: frozenset[str]  # every literal's key (other tokens match no literal)
    key_texts: dict[str, str]  # a literal's key -> its text as the grammar spells it
    # a significant token's (literal key, class key) -> a small number, its pair id;
    # filled as tokens come (bounded: (literals + 1) x classes)
    pair_ids: dict[tuple[str, str], int]
    # choice expression -> pair id -> the alternatives whose FIRST allows such a token,
    # in order (None: not worked out yet); filled as tokens come (bounded: expressions
    # x pairs). Lists, not a dict keyed by both: a parse looks here at every choice
    alternatives: list[list[tuple[int, ...] | None]]
    # binary operator levels (``sum: term (('+' / '-') term)*``), per rule: the chain of
    # such rules from this one down (None: not a level), the literal keys of its
    # operators, the expression of its first operand (a rule call), of its loop's body
    # and of the operand in that body; ``peg.PegParser.climb`` runs a chain in one loop
    level_chain: list[tuple[int, ...] | None]
    level_ops: list[frozenset[str]]
    level_first: list[int]
    level_body: list[int]
    level_operand: list[int]
    # every top-level node starts a step (no prefix, a suffix of tokens only), so a
    # step can be parsed again on its own
    steps_reparsable: bool
    # grammar.preprocessor: directives, skipped regions and macros (``preprocess.py``)
    preprocessor: G.PreprocessorSpec | None = None
    # a significant token's text -> its (kind, literal key, class key, pair id), shared by
    # every parse with these tables (an edit's window is mostly tokens seen before);
    # emptied by ``peg.PegParser`` when it holds ``peg.KNOWN_TOKENS``
    known_tokens: dict[str, tuple[str, str, str, int]] = field(default_factory=dict)
    # the grammar's generated fast path (``peg_fast.FastItem``), made on first use by
    # ``peg.fast_item_for``: a list of at most one, since the tables are frozen
    fast: list[object] = field(default_factory=list)
    # loop expression -> where its recovery skip stops (``peg_follow``), made on first
    # use by ``peg.resync_for``: a list of at most one, as ``fast``
    resync: list[object] = field(default_factory=list)
    # what messages and a block without its opening word need
    # (``peg.recovery_sets_for``):
    # a list of at most one, as ``fast``
    message_sets: list[object] = field(default_factory=list)
    # how the interpreter calls each rule when it notes no expectations
    # (``peg.call_modes_for``), made on first use: a list of at most one, as ``fast``
    call_modes: list[object] = field(default_factory=list)
    # the token keys a step can start with (``peg_follow.step_starts``), made on first
    # use by ``peg.starts_for``: a list of at most one, as ``fast``
    step_starts: list[object] = field(default_factory=list)
    # each rule's ``peg.RuleInfo`` and each sequence's ``peg.Element``s, made on first use
    # by ``peg.rule_infos_for``: a list of at most one, as ``fast``
    rule_infos: list[object] = field(default_factory=list)
    # ``peg.FirstRows``, made on first use by ``peg.first_rows_for``: as ``fast``
    first_rows: list[object] = field(default_factory=list)
    # the rule each rule call calls, made on first use by ``peg.rule_calls_for``: as ``fast``
    rule_calls: list[object] = field(default_factory=list)
    # ``peg.PegParser.closing_keys``, made on first use: asked of every clean item of a
    # block template (``misplaced_closer``)
    closing_keys: list[frozenset[str]] = field(default_factory=list)
    # ``peg.PegParser.closer_of``'s closer per expression and the distinct closers, made
    # on first use (a list of at most one, as ``fast``): asked by the recovery of a
    # block template's mistakes, once per parse before
    closer_ends: list[tuple[list[int], list[int]]] = field(default_factory=list)
    # ``peg.PegParser.first_form``'s walk of the grammar per (body, levels, leading):
    # the sequences it can offer, in its order, each with its rule (-1: none), its
    # elements and where the forms under its first element end (skipped when it fits);
    # filled on first use
    form_walks: dict[tuple[int, int, bool], tuple[list[int], list[tuple[int, ...]], list[int]]] \
        = field(default_factory=dict)
    rule_lines: list[bool] = field(default_factory=list)  # the rule holds a list of items
    # the rules (node kinds) a ``run:`` annotation takes as a construct's ``elif`` or
    # ``else`` part: the parts of a chain after its first branch (an IF's ELSE IF and
    # ELSE clauses, a CASE's ELSE), ``peg_closer_recovery.ends_with_chain``
    chain_parts: frozenset[str] = frozenset()
    # a list of items that an edit may parse again item by item (``peg.PegParser.
    # lines_repeat``): the ``lines`` rules whose expression is, or ends with, a loop
    # (``statement? (';' statement?)*``, ``'const' const_decl+``), and those loops; only
    # for a definition's own grammar (a grammar extension's forms run inside the
    # keyword-level parser, whose steps' lookahead is its own)
    lines_rules: frozenset[int] = frozenset()
    lines_loops: frozenset[int] = frozenset()
    # the grammar uses ``INDENT``: parses need each line's indentation, and run in the
    # interpreter (the generated fast path has no such element)
    indented: bool = False
    # ``lexical.brackets_join_lines``: line breaks inside brackets are no line breaks
    join_brackets: bool = False
    # ``lexical.line_continuation``: a whitespace token may hold a line break
    blank_breaks: bool = False
    # a keyword-level definition served through its block style's template
    # (``structure.engine: template``): its recovery reads the layout as the keyword
    # level does and its syntax errors name the constructs as the keyword level names
    # them (a missing closer "to close" its header, an orphan closer "without" its
    # opener's word); a grammar-defined language's answers stay its own
    block_template: bool = False


class _Compiler:
    def __init__(self, definition: LanguageDefinition, spec: G.GrammarSpec) -> None:
        self.definition = definition
        self.spec = spec
        self.fold = not definition.lexical.case_sensitive
        self.rule_index = {p.name: i for i, p in enumerate(spec.rules)}
        # how messages name a rule: its ``display`` name, else its name in words
        self.rule_names = {p.name: p.display or p.name.replace("_", " ") for p in spec.rules}
        self.nullable_rules = G.nullable_rules(spec)
        self.ops: list[int] = []
        self.keys: list[str] = []
        self.kids: list[tuple[int, ...]] = []
        self.names: list[str] = []
        self.commits: list[int] = []
        self.source: list[G.Expr] = []

    def literal_key(self, text: str) -> str:
        # lexed as in the middle of a file: a literal such as Lua's '#' is never taken for
        # the definition's first-line comment marker
        tokens, _ = lex(self.definition, " " + text)
        significant = [t for t in tokens if t[0] not in TRIVIA]
        if len(significant) != 1:  # the checks reject this; never matches
            return "never:" + text
        kind, value = significant[0]
        return token_keys(kind, value, self.fold)[0]

    def add(self, expr: G.Expr) -> int:
        index = len(self.ops)
        self.ops.append(_OPS[expr.op])
        self.keys.append("")
        self.kids.append(())
        self.names.append("")
        self.commits.append(-1)
        self.source.append(expr)
        if expr.op == G.LIT:
            self.keys[index] = self.literal_key(expr.text)
            self.names[index] = repr(expr.text)
        elif expr.op == G.CLASS:
            if expr.text == "ANY":
                self.ops[index] = OP_ANY
            elif expr.text == G.LINE_BREAK:
                self.ops[index] = OP_NEWLINE
            elif expr.text == G.INDENTED:
                self.ops[index] = OP_INDENT
            elif expr.text == G.OUTDENTED:
                self.ops[index] = OP_DEDENT
            self.keys[index] = "<" + expr.text + ">"
            self.names[index] = {"IDENT": "a name", "NUMBER": "a number", "STRING": "a string",
                                 "KEYWORD": "a keyword", "ANY": "a token",
                                  G.LINE_BREAK: "the end of the line",
                                  G.INDENTED: "an indented line",
                                  G.OUTDENTED: "a line indented less"}[expr.text]
        elif expr.op == G.RULE:
            self.kids[index] = (self.rule_index.get(expr.text, 0),)
            self.names[index] = self.rule_names.get(expr.text) or expr.text.replace("_", " ")
        else:
            self.kids[index] = tuple(self.add(e) for e in expr.items)
            if expr.op == G.SEQ:
                # (or the line break a block's body starts with: `NEWLINE item* ...` after
                # `IF c THEN`, whose END IF is missing, is that block, not a one-line IF)
                items = expr.items
                body = len(items) > 1 and items[0].op == G.CLASS \
                    and items[0].text == G.LINE_BREAK and self.loop(items[1])
                self.commits[index] = 0 if body else next(
                    (at for at, item in enumerate(items) if item.op == G.LIT), -1)
                # words only (and lookaheads), `&('END' 'IF') 'END' 'IF'`: named by its
                # words, "expected 'END IF'" where it is missing
                words = [item.text for item in expr.items if item.op == G.LIT]
                if words and all(item.op in (G.LIT, G.AND, G.NOT) for item in expr.items):
                    self.names[index] = repr(" ".join(words))
            elif expr.op in G.LOOPS or expr.op == G.OPT:
                # a missing `decl+` is reported as its element ("expected type decl")
                self.names[index] = self.names[self.kids[index][0]]
            elif expr.op == G.CHOICE:
                self.names[index] = _choice_name([self.names[k] for k in self.kids[index]])
        return index


    def loop(self, expr: G.Expr) -> bool:
        """A loop, or a rule that is one (a block's body: ``body: statement*``)."""
        if expr.op == G.RULE and expr.text in self.rule_index:
            expr = self.spec.rules[self.rule_index[expr.text]].expr
        return expr.op in G.LOOPS


def _choice_name(names: list[str]) -> str:
    """A missing choice of a few named elements, as messages show it ("'to' or
    'downto'"); '' when one has no name or there are too many to list."""
    if not names or len(names) > 4 or not all(names):
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _first_sets(c: _Compiler, rule_expr: list[int]) -> list[frozenset[str] | None]:
    """FIRST sets as a fixed point over the (possibly recursive) rules."""
    n = len(c.ops)
    first: list[set[str] | None] = [set() for _ in range(n)]
    changed = True

    def of(i: int) -> set[str] | None:
        op = c.ops[i]
        if op in (OP_LIT, OP_CLASS):
            return {c.keys[i]}
        if op in (OP_ANY, OP_NOT, OP_AND, OP_OPT, OP_STAR) or op in ZERO_WIDTH_OPS:
            return None
        if op == OP_RULE:
            return first[rule_expr[c.kids[i][0]]]
        if op == OP_SEQ:
            out: set[str] = set()
            for k in c.kids[i]:
                inner = first[k]
                if inner is None:
                    return None
                out |= inner
                if not G.nullable(c.source[k], c.nullable_rules):
                    return out
            return None
        if op == OP_CHOICE:
            out = set()
            for k in c.kids[i]:
                inner = first[k]
                if inner is None:
                    return None
                out |= inner
            return out
        return first[c.kids[i][0]]  # PLUS, SEP

    while changed:
        changed = False
        for i in range(n):
            value = of(i)
            if value != first[i]:
                first[i] = None if value is None else set(value)
                changed = True
    return [None if f is None else frozenset(f) for f in first]


# The definitions whose tables ``tables_for`` has built (weak: a definition let go is
# gone from it): what the health canary parses with, so that it measures the parser and
# not a grammar's first build (a second or more on a loaded machine at start-up, while the
# first document of the language is being parsed in another thread)
_BUILT: Final[weakref.WeakSet[LanguageDefinition]] = weakref.WeakSet()


@lru_cache(maxsize=32)
def tables_for(definition: LanguageDefinition) -> PegTables:
    spec = definition.grammar
    assert spec is not None
    tables = compile_tables(definition, spec, items=True)
    _BUILT.add(definition)
    return tables


def tables_built(definition: LanguageDefinition) -> bool:
    """Whether ``definition``'s grammar tables are built (a parse with it builds none)."""
    return definition in _BUILT


def compile_tables(definition: LanguageDefinition, spec: G.GrammarSpec,
                   items: bool = False) -> PegTables:
    """``spec``'s tables, its literals lexed as ``definition``'s: the definition's own
    grammar (``items``: its lists of items are reparsed item by item), or a grammar
    extension's rules (``extension.py``)."""
    c = _Compiler(definition, spec)
    rule_expr = [c.add(p.expr) for p in spec.rules]
    first = _first_sets(c, rule_expr)
    start = c.rule_index[spec.start]
    prefix, item, suffix = _split_start(c, rule_expr[start], rule_expr)
    lists = frozenset(i for i in range(len(c.ops))
                      if c.ops[i] in (OP_STAR, OP_PLUS) and _same_item(c, c.kids[i][0], item))
    closers: set[str] = set()
    for i in range(len(c.ops)):
        if c.ops[i] != OP_SEQ:
            continue
        kids = c.kids[i]
        for at, k in enumerate(kids):
            if k in lists:
                closers |= _following_literals(c, kids[at + 1:], first)
    item_first = first[item]
    key_names = {c.keys[i]: c.names[i] for i in range(len(c.ops))
                 if c.ops[i] in (OP_LIT, OP_CLASS)}
    key_texts: dict[str, str] = {}
    for i in range(len(c.ops)):
        if c.ops[i] == OP_LIT:
            key_texts.setdefault(c.keys[i], c.source[i].text)
    # an annotated rule makes a node of its own, and so does a rejected form (``error``)
    keep = [p.meaning.annotated or bool(p.error) for p in spec.rules]
    _skip_chains(c, rule_expr, keep)
    levels = [_level(c, rule_expr[r]) if not keep[r] else None for r in range(len(rule_expr))]
    sync = frozenset(k for k in (item_first or ()) if not k.startswith(("<", "w:"))) \
        - _value_starts(levels, first, [first[e] if keep[r] else None
                                        for r, e in enumerate(rule_expr)])
    item_lists = _item_lists(c, rule_expr, spec) if items else (frozenset(), frozenset())
    return PegTables(
        ops=c.ops, keys=c.keys, kids=c.kids, first=first, names=c.names, commits=c.commits,
        rule_expr=rule_expr, rule_kind=[p.name for p in spec.rules],
        rule_keep=keep, rule_error=[p.error or None for p in spec.rules],
        prefix=prefix, item=item, suffix=suffix, lists=lists,
        closers=frozenset(k for k in closers if not k.startswith("<")),
        sync=sync,
        newline_items=definition.structure.statements is StatementSeparation.NEWLINE,
        fold=c.fold, item_first=item_first,
        key_names=key_names,
        first_names=[() if f is None else tuple(key_names.get(k, "*") for k in sorted(f))
                     for f in first],
        literal_keys=frozenset({c.keys[i] for i in range(len(c.ops)) if c.ops[i] == OP_LIT}
                               | {SEMICOLON_KEY}),
        pair_ids={},
        alternatives=[[] for _ in c.ops],
        level_chain=[_chain(c, levels, first, rule_expr, r) for r in range(len(rule_expr))],
        level_ops=[frozenset() if lv is None else lv[0] for lv in levels],
        level_first=[-1 if lv is None else lv[1] for lv in levels],
        level_body=[-1 if lv is None else lv[2] for lv in levels],
        level_operand=[-1 if lv is None else lv[3] for lv in levels],
        key_texts=key_texts,
        steps_reparsable=not prefix and all(_terminals_only(c, e) for e in suffix),
        preprocessor=spec.preprocessor,
        rule_lines=[p.meaning.lines or p.meaning.recover_lines for p in spec.rules],
        chain_parts=frozenset(selector[0].rule for p in spec.rules if p.run is not None
                              for part in ("elif", "else") for selector in p.run.part(part)
                              if selector and selector[0].kind == "rule"),
        lines_rules=item_lists[0],
        lines_loops=item_lists[1],
        indented=OP_INDENT in c.ops or OP_DEDENT in c.ops,
        join_brackets=definition.lexical.brackets_join_lines,
        blank_breaks=bool(definition.lexical.line_continuation),
        block_template=definition.structure.engine == "template",
    )


def _value_starts(levels: list[tuple[frozenset[str], int, int, int] | None],
                  first: list[frozenset[str] | None],
                  constructs: list[frozenset[str] | None]) -> frozenset[str]:
    """The tokens a value can start with (an operand after a binary operator: ``TRUE``,
    ``(``, ``-``, ``NOT``) that no construct of its own (a rule that makes a node)
    starts with. An expression statement starts with them too, but at such a token a
    mistake is likelier inside a statement (``Flags[J]  FALSE;``) than a new one, so
    recovery does not resume there (``sync``); a routine's word that also starts an
    anonymous routine in an expression (``function``) still does."""
    values: set[str] = set()
    for level in levels:
        operand = first[level[3]] if level is not None else None
        values |= operand or set()
    for keys in constructs:
        values -= keys or set()
    return frozenset(values)


def _item_lists(c: _Compiler, rule_expr: list[int], spec: G.GrammarSpec
                ) -> tuple[frozenset[int], frozenset[int]]:
    """``PegTables.lines_rules`` and ``lines_loops``: a ``lines`` rule (annotated, so it
    always makes its node) whose expression is a loop or a sequence that ends with one,
    or with one followed by closing literals only (``list_loop``); its items are the
    loop's turns."""
    rules: set[int] = set()
    loops: set[int] = set()
    for r, production in enumerate(spec.rules):
        if not (production.meaning.lines or production.meaning.recover_lines):
            continue
        loop, _ = list_loop(c.ops, c.kids, rule_expr[r])
        if loop >= 0:
            rules.add(r)
            loops.add(loop)
    return frozenset(rules), frozenset(loops)


def list_loop(ops: list[int], kids: list[tuple[int, ...]], e: int) -> tuple[int, int]:
    """A list of items' loop in rule expression ``e`` (``_item_lists``) and its index
    among the sequence's elements (-1: ``e`` is the loop); (-1, -1) when ``e`` is no such
    list. The loop is the sequence's last element, or the last before
    closing literals only: a block template's ``'BEGIN' statement? (';' statement?)*
    'END'`` and ``'{' statement* '}'`` are then lists of items as they are written (the
    trees every feature reads keep their shape), rather than a block holding a rule of
    its own for its statements, as turbopascal.yaml writes them. What follows the loop
    matches one token each and looked at nothing but those tokens, so a reparse of the
    list's turns that ends where the loop ended before, at the same closer, leaves the
    closers as they were (``incremental._ItemRun``). The loop may also be the first
    alternative of a choice in that place: an indentation template's ``suite: ':'
    ((INDENT statement)+ / inline_statement)``, whose loop is tried first, so that where
    the node holds items the loop took them all (a suite on its opener's line has no
    items: its edits parse the step again)."""
    if ops[e] in (OP_STAR, OP_PLUS):
        return e, -1
    if ops[e] != OP_SEQ:
        return -1, -1
    elements = kids[e]
    at = len(elements) - 1
    while at > 0 and ops[elements[at]] == OP_LIT:
        at -= 1
    if at < 0:
        return -1, -1
    loop = elements[at]
    if ops[loop] == OP_CHOICE:
        loop = kids[loop][0]
    if ops[loop] in (OP_STAR, OP_PLUS):
        return loop, at
    return -1, -1


def _level(c: _Compiler, e: int) -> tuple[frozenset[str], int, int, int] | None:
    """A rule expression of the shape ``operand (op operand)*``, the same rule as both
    operands and one literal or a choice of literals as op, the operator on the line
    of what it follows or anywhere (``operand (!NEWLINE op operand)*``, a newline
    language's, ``same_line``): (the operators' keys, the first operand, the loop's
    body, the body's operand); else None."""
    if c.ops[e] != OP_SEQ or len(c.kids[e]) != 2:
        return None
    start, loop = c.kids[e]
    if c.ops[start] != OP_RULE or c.ops[loop] != OP_STAR:
        return None
    body = c.kids[loop][0]
    if c.ops[body] != OP_SEQ or len(c.kids[body]) != 2 + same_line(c.ops, c.kids, body):
        return None
    op, operand = c.kids[body][-2:]
    if c.ops[operand] != OP_RULE or c.kids[operand] != c.kids[start]:
        return None
    literals = (op,) if c.ops[op] == OP_LIT else c.kids[op] if c.ops[op] == OP_CHOICE else ()
    if not literals or any(c.ops[k] != OP_LIT for k in literals):
        return None
    return frozenset(c.keys[k] for k in literals), start, body, operand


def same_line(ops: list[int], kids: list[tuple[int, ...]], body: int) -> bool:
    """Does the body of an operator level's loop begin with ``!NEWLINE`` (``_level``)?"""
    first = kids[body][0]
    return ops[first] == OP_NOT and ops[kids[first][0]] == OP_NEWLINE


def _chain(c: _Compiler, levels: list[tuple[frozenset[str], int, int, int] | None],
           first: list[frozenset[str] | None], rule_expr: list[int], r: int
           ) -> tuple[int, ...] | None:
    """The levels from rule ``r`` down to the first rule that is no level, when they
    can run as one loop: no operator on two levels (an operator then always belongs to
    one level, as in the rules) and an operand that cannot match empty."""
    chain: list[int] = []
    seen: set[str] = set()
    while True:
        level = levels[r]
        if level is None:
            break
        if r in chain or seen & level[0]:
            return None
        chain.append(r)
        seen |= level[0]
        r = c.kids[level[1]][0]
    if not chain or first[rule_expr[r]] is None:
        return None
    return tuple(chain)


def _terminals_only(c: _Compiler, e: int) -> bool:
    if c.ops[e] == OP_RULE:
        return False
    # (no ``*ZERO_WIDTH_OPS`` inside the tuple: mypyc cannot compile a starred ``in`` test)
    op = c.ops[e]
    return (op in (OP_LIT, OP_CLASS, OP_ANY) or op in ZERO_WIDTH_OPS
            or all(_terminals_only(c, k) for k in c.kids[e]))


def _skip_chains(c: _Compiler, rule_expr: list[int], keep: list[bool]) -> None:
    """A call of a rule that only calls another (``expr: comparison``) and has no meaning
    of its own calls that one directly: the tree is the same (such a rule adds no node)
    and a level of evaluation per token is saved."""
    for i in range(len(c.ops)):
        if c.ops[i] != OP_RULE:
            continue
        target = c.kids[i][0]
        seen = {target}
        while not keep[target] and c.ops[rule_expr[target]] == OP_RULE:
            target = c.kids[rule_expr[target]][0]
            if target in seen:  # a cycle of rules: left recursion, reported by the checks
                break
            seen.add(target)
        c.kids[i] = (target,)


def _split_start(c: _Compiler, start: int, rule_expr: list[int]
                 ) -> tuple[tuple[int, ...], int, tuple[int, ...]]:
    """The start rule as prefix, a loop over items, suffix; a start rule without a
    loop is itself the item (a file is then a run of whole programs)."""
    elements = c.kids[start] if c.ops[start] == OP_SEQ else (start,)
    for at, element in enumerate(elements):
        if c.ops[element] in (OP_STAR, OP_PLUS):
            return elements[:at], c.kids[element][0], elements[at + 1:]
    return (), start, ()


def _same_item(c: _Compiler, expr: int, item: int) -> bool:
    if expr == item:
        return True
    if c.ops[expr] == OP_SEQ and len(c.kids[expr]) == 2 and c.ops[c.kids[expr][0]] == OP_INDENT:
        # a line of an indented block (``(INDENT statement)+``): the item, on a line
        # deeper than the block's header (``PegParser.item_list``)
        expr = c.kids[expr][1]
    return (c.ops[expr] == OP_RULE and c.ops[item] == OP_RULE
            and c.kids[expr] == c.kids[item])


def _following_literals(c: _Compiler, rest: tuple[int, ...],
                        first: list[frozenset[str] | None]) -> set[str]:
    """Literal keys that can come first after a statement list: what the rest of its
    sequence starts with, through optional and repeated parts."""
    out: set[str] = set()
    for k in rest:
        op = c.ops[k]
        inner = first[c.kids[k][0]] if op in (OP_OPT, OP_STAR) else first[k]
        if inner is not None:
            out |= inner
        if op not in (OP_OPT, OP_STAR) and not G.nullable(c.source[k], c.nullable_rules):
            break
    return out
