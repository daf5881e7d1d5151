"""A grammar's fast path: the PEG engine's item parse as written (``PegParser.item_fast``:
no recovery, no expectations noted) turned into Python source once per grammar and run
instead of the interpreter's ``ev``/``run``/``elements_in`` dispatch.

Why generated source: in pure Python most of a parse is the interpreter's overhead (four
calls and a dozen table reads per expression, a method call per token); here each
compound expression is one function with its terminals, FIRST checks and tree building
written out, so a token costs a comparison and an append. Closures would need a cell
read per table and keep the dispatch; source written from the tables needs neither.

The same results as the interpreter, by construction: each generated function is one
``PegParser.run`` (at least the same fuel and depth counts), each terminal the same test
and the same ``reach`` note, each rule the same fragment. A rule's result is kept per
position only where backtracking can ask for it again, or where it may hold a list of
items (``memo_rules``); elsewhere a second call parses it again, to the same result.
What the fast path does not do, it hands back: when the fuel or the depth limit would
(or, counted more coarsely, might) end an evaluation (``Bail``), when another parse holds
the generated code (another thread), or when the tokens hold a macro use, the
interpreter parses the item.

The generated functions read the parse's arrays as module globals of their own namespace
(a global read is the fastest name lookup after a local), bound for the duration of one
item parse under a lock, and unbound after it (no parse is kept alive by its grammar)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from . import kinds as K
from . import peg_tables as T  # its OP_ codes by module: peg.py alone lists them
from .code_cache import compiled
from .peg_tables import (  # the item notes' layout, where ``incremental`` reads it
    CLASS_IDENT,
    CLASS_NUMBER,
    LINES_CHARS,
    LINES_SHIFT,
    PegTables,
    rejected,
)
from .tokens import IDENT, NUMBER, STRING
from .tree import GreenNode, kind_bit

if TYPE_CHECKING:
    from .peg import PegParser

__all__ = ["LINES_CHARS", "LINES_SHIFT", "FastItem", "generate", "holding_lists", "memo_rules"]

TERMINALS: Final = (T.OP_LIT, T.OP_CLASS, T.OP_ANY, T.OP_NEWLINE, T.OP_INDENT, T.OP_DEDENT)
# the terminals a lookahead is written out for where it is used (``_Writer.lookahead``)
LOOKED_AT: Final = (T.OP_LIT, T.OP_CLASS, T.OP_NEWLINE, T.OP_INDENT, T.OP_DEDENT)
# the parse's arrays and state, as the generated code names them
BOUND: Final = ("P", "lit", "cls", "tid", "bol", "index", "elements", "stack", "leaves", "n",
                 "leads", "CLEAN")
UNBOUND: Final = dict.fromkeys(BOUND)


class Bail(Exception):
    """The fuel or the depth limit would end an evaluation: the interpreter, which ends
    it the same way and notes it, parses the item instead."""


class FastItem:
    """One grammar's generated item parser (``item``), its namespace and its lock."""

    def __init__(self, tables: PegTables, max_depth: int, step_fuel: int) -> None:
        source, names = generate(tables)
        lines_mask = 0  # the kind bits of the lists of items' nodes (``note_replay``)
        for r in tables.lines_rules:
            lines_mask |= kind_bit(tables.rule_kind[r])
        self.source = source
        ns: dict[str, Any] = {"GreenNode": GreenNode, "REJECTED": rejected,
                              "BAIL": Bail(), "MAXD": max_depth,
                              "STEP_FUEL": step_fuel,
                              "LMASK": lines_mask, "taint": False,
                              "NAME_REF": K.NAME_REF, "LITERAL": K.LITERAL,
                              "IDENT": IDENT, "NUMBER": NUMBER, "STRING": STRING,
                              "NOMATCH": (-1, ()), "memo": {}, "reach": -1, "frame": -1,
                              "fuel": 0, "outer": -1, **UNBOUND, **names}
        # compiled once per grammar source, then kept (``code_cache``): a grammar's first
        # parse in a process would pay Python's compiler (190-300 ms for turbopascal)
        exec(compiled(source, "<craftls grammar fast path>"), ns)  # noqa: S102
        ns["FN"] = {e: ns[f] for e, f in ns["FN_NAMES"].items()}
        # the rules' own functions (``_Writer.lone_call``: each leaves one node, or none)
        ns["LONE"] = frozenset(ns[f"r{r}"] for r in range(len(tables.rule_expr))
                               if r not in tables.lines_rules)
        self.ns = ns
        self.entry: Callable[[int, int], int] = ns["ev_item"]
        self.lock = threading.Lock()

    def item(self, parser: PegParser, p: int, e: int = -1) -> int | None:
        """``parser.item_fast``'s evaluation at ``p`` (its end, or -1, with the stack,
        ``reach`` and ``fuel`` as the interpreter leaves them); None when the interpreter
        must parse the item (the stack may then hold part of it: the caller cuts it).
        ``e``: compound expression ``e`` instead, its FIRST checked (``PegParser.ev_fast``)."""
        entry = self.entry if e < 0 else self.ns["FN"].get(e)
        if entry is None or parser.uses or not self.lock.acquire(blocking=False):
            return None
        ns = self.ns
        try:
            ns.update(parser.fast_env())
            ns["P"] = parser
            ns["reach"], ns["frame"] = parser.reach, parser.frame
            ns["fuel"] = parser.fuel
            ns["outer"] = parser.outer_lead
            ns["taint"] = parser.taint
            ns["memo"].clear()
            try:
                end = entry(p, parser.depth)
            except Bail:
                return None
            parser.reach, parser.fuel = ns["reach"], ns["fuel"]
            parser.taint = ns["taint"]
            return end
        finally:
            ns.update(UNBOUND)
            ns["memo"].clear()
            self.lock.release()


class _Writer:
    """Python source for one grammar's expressions (see the module's docstring)."""

    def __init__(self, t: PegTables) -> None:
        self.t = t
        self.lines: list[str] = []
        self.consts: dict[str, object] = {}
        self.fn_names: dict[int, str] = {}
        self.chain_rules = len(t.rule_expr)
        # writing a rule's own sequence or choice inside its rule function (``rule``):
        # an exit is then ``end = ...; break`` out of a one-pass loop, one level deeper
        self.block = False
        self.base = 0
        # the interpreter's depth where the expression being written is evaluated, as
        # the generated code says it: each function gets the depth of its ``run`` as its
        # argument ``d`` (a local: no global to count up and down on every call)
        self.depth = "d"
        self.memo_rules = memo_rules(t)
        self.holding = holding_lists(t)

    # -------------------------------------------------------------- pieces

    def const(self, value: object) -> str:
        name = f"C{len(self.consts)}"
        self.consts[name] = value
        return name

    def emit(self, indent: int, *lines: str) -> None:
        pad = "    " * (indent + self.base)
        self.lines.extend(pad + line for line in lines)

    def push_token(self, i: int, v: str) -> None:
        self.emit(i, f"push_token({v})")

    def push_class(self, i: int, v: str, key: str) -> None:
        """``PegParser.push_class``: a class key follows from the token's kind, so a name
        or number class needs no test of the kind."""
        how = CLASS_PUSH.get(key, "push_class")
        self.emit(i, f"{how}({v})")

    def first_test(self, e: int, v: str) -> str | None:
        """The test that token ``v`` may start expression ``e`` (None: any may)."""
        first = self.t.first[e]
        if first is None:
            return None
        lits = sorted(k for k in first if not k.startswith("<"))
        classes = sorted(k for k in first if k.startswith("<"))
        parts = []
        for column, keys in (("lit", lits), ("cls", classes)):
            if len(keys) == 1:
                parts.append(f"{column}[{v}] == {keys[0]!r}")
            elif keys:
                parts.append(f"{column}[{v}] in {self.const(frozenset(keys))}")
        if not parts:
            return "False"
        return f"{v} < n and ({' or '.join(parts)})"

    def note(self, i: int, v: str) -> None:
        """A failure at ``v`` marks how far the step looked (``track`` is off)."""
        self.emit(i, f"if {v} > reach:", f"    reach = {v}")

    def ev(self, i: int, e: int, v: str, out: str) -> None:
        """``out = PegParser.ev(e, v, False)``."""
        op = self.t.ops[e]
        key = self.t.keys[e]
        if op in (T.OP_LIT, T.OP_CLASS, T.OP_ANY):
            test = (f"{v} < n and lit[{v}] == {key!r}" if op == T.OP_LIT
                    else f"{v} < n and cls[{v}] == {key!r}" if op == T.OP_CLASS
                    else f"{v} < n")
            self.emit(i, f"if {test}:")
            if op == T.OP_CLASS:
                self.push_class(i + 1, v, key)
            else:
                self.push_token(i + 1, v)
            self.emit(i, f"    {out} = {v} + 1", "else:")
            self.note(i + 1, v)
            self.emit(i, f"    {out} = -1")
        elif op == T.OP_NEWLINE:
            self.note(i, v)
            self.emit(i, f"{out} = {v} if {v} >= n or bol[{v}] else -1")
        elif op in (T.OP_INDENT, T.OP_DEDENT):
            self.indented_line(i, op, v, out)
        else:
            check = self.first_test(e, v)
            inline = self.inline_kind(e)
            guard = self.guard(e) if check is None else None
            if guard is not None:  # the run that the interpreter would make, cut short
                self.emit(i, f"if {self.first_test(guard[0], v)}:")
                self.compound_ev(i + 1, e, v, out, inline)
                self.emit(i, "else:")
                self.guard_fails(i + 1, guard[1], v, out)
            elif check is None:
                self.compound_ev(i, e, v, out, inline)
            else:
                self.emit(i, f"if {check}:")
                self.compound_ev(i + 1, e, v, out, inline)
                self.emit(i, "else:")
                self.note(i + 1, v)
                self.emit(i, f"    {out} = -1")

    def indented_line(self, i: int, op: int, v: str, out: str) -> None:
        """``PegParser.indented_line``: a line break before token ``v`` and its line
        indented deeper (``INDENT``) or less than the line where the rule began (token
        ``frame``, or before the tokens: ``outer``); the end of the tokens a DEDENT."""
        self.note(i, v)
        start = "(leads[frame] if frame >= 0 else outer)"  # (frame <= v < n)
        if op == T.OP_INDENT:
            self.emit(i, f"{out} = {v} if {v} < n and bol[{v}] and leads[{v}] > {start} "
                         "else -1")
        else:
            self.emit(i, f"{out} = {v} if {v} >= n or bol[{v}] and leads[{v}] < {start} "
                         "else -1")

    def guard(self, e: int) -> tuple[int, int] | None:
        """A sequence whose FIRST is unknown only because it begins with zero-width
        tests (``!NEWLINE x``, ``INDENT statement``): its first element that takes a
        token, whose FIRST decides the sequence's, and the fuel the interpreter's run
        of the sequence spends up to that element's FIRST check (the run's and each
        lookahead's); None for any other expression. Each test skipped notes no look
        past token ``v``, where the element's failure is noted."""
        t = self.t
        if t.ops[e] != T.OP_SEQ or t.first[e] is not None:
            return None
        at, cost = self.zero_width(t.kids[e], 0)
        if at == len(t.kids[e]) or t.first[t.kids[e][at]] is None:
            return None
        return t.kids[e][at], 1 + cost

    def zero_width(self, kids: tuple[int, ...], at: int) -> tuple[int, int]:
        """The first of ``kids`` from ``at`` on that is no zero-width test (``NEWLINE``,
        ``INDENT``, ``DEDENT``, or a lookahead of one), and the fuel the interpreter's
        runs of those tests spend (one per lookahead)."""
        t = self.t
        cost = 0
        while at < len(kids):
            op = t.ops[kids[at]]
            if op in (T.OP_NOT, T.OP_AND) and t.ops[t.kids[kids[at]][0]] in T.ZERO_WIDTH_OPS:
                cost += 1
            elif op not in T.ZERO_WIDTH_OPS:
                break
            at += 1
        return at, cost

    def guard_fails(self, i: int, cost: int, v: str, out: str) -> None:
        """A ``guard``'s element cannot start at ``v``: the sequence fails there, with
        the fuel (and the depth checks, counted coarsely) of the interpreter's run."""
        self.emit(i, f"fuel -= {cost}",
                  f"if fuel <= 0 or {self.depth} + {cost - 1} >= MAXD:",
                  "    raise BAIL")
        self.note(i, v)
        self.emit(i, f"{out} = -1")

    def inline_kind(self, e: int) -> str:
        """How ``ev`` writes compound ``e`` out where it is used: an optional terminal, a
        choice of literals, a short run of literals and classes (none runs a further
        expression, so the fuel and depth of the one ``run`` are all they cost); '' for
        a call of its function."""
        t = self.t
        op, kids = t.ops[e], t.kids[e]
        if op == T.OP_OPT and t.ops[kids[0]] in (T.OP_LIT, T.OP_CLASS):
            return "opt"
        if op == T.OP_CHOICE and t.first[e] is not None \
                and all(t.ops[k] == T.OP_LIT for k in kids):
            return "literals"
        if op == T.OP_SEQ and len(kids) <= 4 and all(t.ops[k] in (T.OP_LIT, T.OP_CLASS)
                                                   for k in kids):
            return "terminals"
        if op in (T.OP_NOT, T.OP_AND) and t.ops[kids[0]] in LOOKED_AT:
            return "lookahead"
        return ""

    def compound_ev(self, i: int, e: int, v: str, out: str, inline: str) -> None:
        """``ev`` of compound ``e`` after its FIRST check passed at ``v``."""
        if not inline:
            body, cost = None, 1
            if self.t.ops[e] in (T.OP_OPT, T.OP_STAR):
                body = self.first_test(self.t.kids[e][0], v)
                guard = self.guard(self.t.kids[e][0]) if body is None else None
                if guard is not None:  # and its body's run, cut short
                    body, cost = self.first_test(guard[0], v), 1 + guard[1]
            if body is None:
                self.emit(i, f"{out} = {self.fn(e)}({v}, {self.depth})")
                return
            # an optional part or a loop whose body cannot start here matches nothing,
            # as its ``run`` would find (one unit of fuel, the failure noted), without
            # the call: most loops of a program run no time (``selector*``)
            self.emit(i, f"if {body}:",
                      f"    {out} = {self.fn(e)}({v}, {self.depth})",
                      "else:",
                      f"    fuel -= {cost}",
                      f"    if fuel <= 0 or {self.depth} + {cost - 1} >= MAXD:",
                      "        raise BAIL")
            self.note(i + 1, v)
            if out != v:
                self.emit(i + 1, f"{out} = {v}")
            return
        self.emit(i, "fuel -= 1",
                  f"if fuel <= 0 or {self.depth} >= MAXD:",
                  "    raise BAIL")
        kids = self.t.kids[e]
        if inline == "opt":
            self.ev(i, kids[0], v, "_o")
            self.emit(i, f"{out} = {v} if _o < 0 else _o")
        elif inline == "lookahead":
            self.lookahead(i, e, v, out)
        elif inline == "literals":
            # the FIRST check passed: the first literal of the token's key matches
            self.push_token(i, v)
            self.emit(i, f"{out} = {v} + 1")
        else:
            self.inline_terminals(i, kids, v, out)

    def lookahead(self, i: int, e: int, v: str, out: str) -> None:
        """``!x`` or ``&x`` of one terminal ``x`` (``!NEWLINE``, ``!'('``): its test, and the
        look noted, without the push that the lookahead would take back (a call less:
        most postfix loops and bare calls ask one)."""
        t = self.t
        k = t.kids[e][0]
        yes, no = (v, "-1") if t.ops[e] == T.OP_AND else ("-1", v)
        if t.ops[k] in T.ZERO_WIDTH_OPS:  # matches no token: noted at v, as it fails
            self.ev(i, k, v, "_q")
            self.emit(i, f"{out} = {yes} if _q >= 0 else {no}")
            return
        column = "lit" if t.ops[k] == T.OP_LIT else "cls"
        self.emit(i, f"if {v} < n and {column}[{v}] == {t.keys[k]!r}:")
        self.note(i + 1, f"{v} + 1")
        self.emit(i, f"    {out} = {yes}", "else:")
        self.note(i + 1, v)
        self.emit(i, f"    {out} = {no}")

    def inline_terminals(self, i: int, kids: tuple[int, ...], v: str, out: str) -> None:
        """A sequence of terminals whose FIRST check passed (so its first one matches)."""
        t = self.t
        self.emit(i, "_m = len(stack)")
        self.push_terminal(i, kids[0], v)
        for at, k in enumerate(kids[1:], 1):
            w = f"{v} + {at}"
            column = "lit" if t.ops[k] == T.OP_LIT else "cls"
            self.emit(i, f"if {w} >= n or {column}[{w}] != {t.keys[k]!r}:")
            self.note(i + 1, f"({w})")
            self.emit(i + 1, "del stack[_m:]", f"{out} = -1")
            self.emit(i, "else:")
            self.push_terminal(i + 1, k, w)
            i += 1
        self.emit(i, f"{out} = {v} + {len(kids)}")

    def push_terminal(self, i: int, k: int, v: str) -> None:
        if self.t.ops[k] == T.OP_LIT:
            self.push_token(i, v)
        else:
            self.push_class(i, v, self.t.keys[k])

    def fn(self, e: int) -> str:
        """The function that runs compound expression ``e`` (``PegParser.run``)."""
        if self.t.ops[e] == T.OP_RULE:
            return f"r{self.t.kids[e][0]}"
        return f"x{e}"

    def head(self, name: str, runs: int = 1) -> None:
        """A ``PegParser.run`` (``runs`` nested ones, written as one): a unit of fuel
        and a level of depth each. Two are checked at once, before the first (a rule
        and the expression written inside it): the fast path may then hand back an
        item the interpreter would finish, never the other way round."""
        self.emit(0, f"def {name}(p, d):",
                  "    global reach, frame, fuel, taint",
                  f"    fuel -= {runs}",
                  f"    if fuel <= 0 or d >= {'MAXD' if runs == 1 else f'MAXD - {runs - 1}'}:",
                  "        raise BAIL")
        self.depth = f"d + {runs}"

    def node(self, r: int, children: str) -> str:
        """Rule ``r``'s new node over ``children``, with its kind's bit and the parse's
        ``clean`` (``PegParser.call_rule`` passes both): no look-up of either per node."""
        t = self.t
        kind, bit = self.const(t.rule_kind[r]), self.const(kind_bit(t.rule_kind[r]))
        return f"GreenNode({kind}, {children}, None, None, False, {bit}, CLEAN)"

    def ret(self, i: int, value: str) -> None:
        if self.block:
            self.emit(i, f"end = {value}", "break")
        else:
            self.emit(i, f"return {value}")

    # -------------------------------------------------------------- expressions

    def compound(self, e: int) -> None:
        op = self.t.ops[e]
        kids = self.t.kids[e]
        self.head(f"x{e}")
        if op == T.OP_SEQ:
            self.sequence(kids)
        elif op == T.OP_CHOICE:
            self.choice(e, kids)
        elif op == T.OP_OPT:
            self.ev(1, kids[0], "p", "q")
            self.ret(1, "p if q < 0 else q")
        elif op in (T.OP_STAR, T.OP_PLUS) and e in self.t.lines_loops:
            self.lines_repeat(op, kids[0])
        elif op in (T.OP_STAR, T.OP_PLUS):
            self.repeat(op, kids[0])
        elif op == T.OP_SEP:
            self.separated(kids[0], kids[1])
        else:
            assert op in (T.OP_NOT, T.OP_AND)
            self.emit(1, "mark = len(stack)")
            self.ev(1, kids[0], "p", "q")
            self.emit(1, "del stack[mark:]")
            self.note(1, "q")
            self.ret(1, "p if q >= 0 else -1" if op == T.OP_AND else "-1 if q >= 0 else p")
        self.emit(0, "")

    def sequence(self, kids: tuple[int, ...], marked: bool = False) -> None:
        """``PegParser.elements_in``: a failed element takes back what the others pushed
        (``marked``: ``mark`` holds where they begin already)."""
        self.emit(1, *(("q = p",) if marked else ("mark = len(stack)", "q = p")))
        t = self.t
        for k in kids:
            op = t.ops[k]
            if op in (T.OP_LIT, T.OP_CLASS):
                column = "lit" if op == T.OP_LIT else "cls"
                self.emit(1, f"if q >= n or {column}[q] != {t.keys[k]!r}:")
                self.note(2, "q")
                self.emit(2, "del stack[mark:]")
                self.ret(2, "-1")
                if op == T.OP_LIT:
                    self.push_token(1, "q")
                else:
                    self.push_class(1, "q", t.keys[k])
                self.emit(1, "q += 1")
                continue
            self.ev(1, k, "q", "q")
            self.emit(1, "if q < 0:", "    del stack[mark:]")
            self.ret(2, "-1")
        self.ret(1, "q")

    def choice(self, e: int, kids: tuple[int, ...]) -> None:
        """``PegParser.choice``: before the end, the alternatives whose FIRST allows the
        token (a table per choice, by the token's pair id, filled as in the interpreter);
        at the end, each alternative as ``ev`` runs it."""
        self.emit(1, "if p < n:",
                  "    try:",  # free in Python 3.11 unless it raises (a new pair)
                  f"        found = A{e}[tid[p]]",
                  "    except IndexError:",
                  "        found = None",
                  "    if found is None:",
                  f"        found = fill({e}, p)",
                  "    if not found and p > reach:",
                  "        reach = p",
                  "    q = -1",
                  "    for f in found:",
                  f"        q = f(p, {self.depth})",
                  "        if q >= 0:",
                  "            break")
        self.ret(2, "q")  # every failure is -1
        self.choice_at_end(kids)
        self.consts[f"A{e}"] = []

    def choice_at_end(self, kids: tuple[int, ...]) -> None:
        """The alternatives at the end of the tokens, as ``ev`` runs each there: one
        that wants a token fails (its failure is noted), a line break matches, one that
        may start with anything is called."""
        t = self.t
        pending = False  # a failure at p to note
        for k in kids:
            op = t.ops[k]
            if op in (T.OP_NEWLINE, T.OP_DEDENT):  # the end of the tokens is both
                self.note(1, "p")
                self.ret(1, "p")
                return
            if op in TERMINALS or t.first[k] is not None:
                pending = True
                continue
            if pending:
                self.note(1, "p")
                pending = False
            self.emit(1, f"q = {self.fn(k)}(p, {self.depth})", "if q >= 0:")
            self.ret(2, "q")
        if pending:
            self.note(1, "p")
        self.ret(1, "-1")

    def repeat(self, op: int, body: int) -> None:
        """``PegParser.repeat``: a loop ends at a token its body cannot start with, or
        at a match that took no token."""
        test = self.first_test(body, "q")
        if self.t.ops[body] in (T.OP_LIT, T.OP_CLASS, T.OP_ANY):
            test = None  # ``repeat`` leaves a terminal's test to ``ev``
        self.emit(1, "q = p", "count = 0", "while True:")
        if test is not None:
            self.emit(2, f"if not ({test}):")
            self.note(3, "q")
            self.emit(3, "break")
        self.emit(2, "mark = len(stack)")
        self.ev(2, body, "q", "r")
        self.emit(2, "if r <= q:", "    del stack[mark:]", "    break", "q = r",
                  "count += 1")
        self.ret(1, "-1 if count == 0 else q" if op == T.OP_PLUS else "q")

    def lines_repeat(self, op: int, body: int) -> None:
        """``PegParser.lines_repeat`` (without ``resume``: an incremental reparse runs
        the interpreter's)."""
        test = self.first_test(body, "q")
        if self.t.ops[body] in (T.OP_LIT, T.OP_CLASS, T.OP_ANY):
            test = None
        self.emit(1, "q = p", "count = 0", "looked = -1", "while True:")
        if test is not None:
            self.emit(2, f"if not ({test}):")
            self.note(3, "q")
            self.emit(3, "break")
        self.emit(2, "mark = len(stack)", "memo.clear()", "f = fuel", "fuel = STEP_FUEL")
        self.ev(2, body, "q", "r")
        self.emit(2, "fuel = f",
                  "if r <= q:", "    del stack[mark:]", "    break",
                  "q = r", "count += 1",
                  "last = stack[-1] if len(stack) > mark else None",
                  "if isinstance(last, GreenNode) and last.node_count > 1:",
                  "    last.lookahead = P.item_lookahead("
                  f"reach if reach > r - 1 else r - 1, r, {self.depth})",
                  "    if reach > looked:",
                  "        looked = reach",
                  "    reach = r")
        self.emit(1, "if looked > reach:", "    reach = looked")
        self.ret(1, "-1 if count == 0 else q" if op == T.OP_PLUS else "q")

    def separated(self, body: int, separator: int) -> None:
        self.ev(1, body, "p", "q")
        self.emit(1, "if q < 0:")
        self.ret(2, "-1")
        self.emit(1, "while True:", "    mark = len(stack)")
        self.ev(2, separator, "q", "r")
        self.emit(2, "if r >= 0:")
        self.ev(3, body, "r", "r")
        self.emit(2, "if r <= q:", "    del stack[mark:]")
        self.ret(3, "q")
        self.emit(2, "q = r")

    def inlined(self, e: int) -> bool:
        """Whether a rule's expression ``e`` is written inside its rule's function."""
        return self.t.ops[e] in (T.OP_SEQ, T.OP_CHOICE) and e != self.t.item

    def lines_rule(self, r: int) -> None:
        """``PegParser.call_lines_rule``: the rule's evaluation (``l{r}``, no memo) with
        the step tainted when something looked into the list before it began."""
        self.emit(0, f"def r{r}(p, d):",
                  "    global reach, taint",
                  "    if reach > p:",
                  "        taint = True",
                  "    outer = reach",
                  "    reach = p",
                  "    memo.clear()",
                  f"    end = l{r}(p, d)",
                  "    if outer > reach:",
                  "        reach = outer",
                  "    return end", "")
        self.rule(r, f"l{r}")

    def memo_hit(self, r: int) -> None:
        """A rule call's memo look-up, and its result when it is there."""
        self.emit(1, f"key = p * {self.chain_rules} + {r}",
                  "hit = memo.get(key)",
                  "if hit is not None:",
                  "    end = hit[0]",
                  "    if end >= 0:",
                  "        if end > p:",
                  "            push_gap(p)",
                  "        stack.extend(hit[1])")
        if r in self.holding:  # ``PegParser.note_replay`` (no other rule's can taint)
            self.emit(2, "    for x in hit[1]:",
                      "        if isinstance(x, GreenNode) and x.kinds & LMASK:",
                      "            taint = True")
        self.ret(2, "end")

    def rule(self, r: int, name: str = "") -> None:
        """``PegParser.call_rule`` (and ``climb`` for a chain of operator levels)."""
        t = self.t
        chain = t.level_chain[r]
        expr = t.rule_expr[r]
        # the rule's ``run`` and its expression's (or the climb's) counted as one
        whole = chain is not None or (t.ops[expr] not in TERMINALS and self.inlined(expr))
        self.head(name or f"r{r}", 2 if whole else 1)
        if whole and chain is None and t.ops[expr] == T.OP_SEQ:
            self.second_token(t.kids[expr])
        memo = r in self.memo_rules
        if memo:
            self.memo_hit(r)
        elif whole and chain is None and t.ops[expr] == T.OP_CHOICE:
            self.lone_call(r, expr)
        # the trivia before the node goes in once the node is made: a rule that fails
        # (most calls: the alternatives a token allows are tried in order) never pays
        # for it
        self.emit(1, "mark = len(stack)", "saved = frame", "frame = p")
        if chain is not None:
            self.climb(chain)
        elif t.ops[expr] in TERMINALS:
            self.ev(1, expr, "p", "end")
        elif whole:
            # the expression's ``run`` written out here: a call less per rule call
            self.emit(1, "while True:")
            self.block, self.base = True, 1
            if t.ops[expr] == T.OP_SEQ:
                self.sequence(t.kids[expr], marked=True)
            else:
                self.choice(expr, t.kids[expr])
            self.block, self.base = False, 0
        else:
            self.emit(1, f"end = {self.fn(expr)}(p, {self.depth})")
        self.rule_end(r, memo)

    def lone_call(self, r: int, e: int) -> None:
        """A rule's choice where the token allows one alternative, a rule call (an
        operand's ``postfix``): that rule's result is this one's (one node, or nothing
        when it fails; the trivia before it put in by it, as this rule would), so it is
        called in this one's place: a call, a frame and a node check less per operand."""
        t = self.t
        if t.rule_keep[r] or t.rule_error[r] is not None or r in self.holding:
            return
        # ``B{e}``: per pair id the lone rule call's function, or None (``fill`` writes
        # it with ``A{e}``'s entry): one look-up, without a test of the alternatives
        self.emit(1, "if p < n:",
                  "    try:",
                  f"        lone = B{e}[tid[p]]",
                  "    except IndexError:",
                  "        lone = None",
                  "    if lone is not None:",
                  f"        return lone(p, {self.depth})")
        self.consts[f"B{e}"] = []

    def rule_end(self, r: int, memo: bool) -> None:
        """A rule's result once its expression ran (``end``): nothing when it failed,
        its children when it matched no token, else its node (or its lone child node)
        after the trivia before it."""
        t = self.t
        self.emit(1, "frame = saved",
                  "if end <= p:",
                  "    if end < 0:",
                  "        del stack[mark:]")
        if memo:
            self.emit(3, "memo[key] = NOMATCH")
        else:
            self.emit(3, "return -1")
        error = t.rule_error[r]
        # a rejected form: its node is the error (``rejected``), a zero-width one where it
        # matched no token
        reject = (f"stack[mark:] = (REJECTED({self.node(r, 'tuple(stack[mark:])')}, "
                  f"{self.const(error)}),)")
        if memo:  # matched no token: its zero-width errors, if any, stay as they are
            self.emit(2, "else:")
            if error is not None:
                self.emit(3, reject)
            self.emit(3, "memo[key] = (end, tuple(stack[mark:]))")
        elif error is not None:
            self.emit(2, reject)
        self.emit(2, "return end")
        if error is not None:
            self.emit(1, reject)
        elif t.rule_keep[r]:
            self.emit(1, f"stack[mark:] = ({self.node(r, 'tuple(stack[mark:])')},)")
        else:  # a lone child node is the rule's result: the rule adds no level
            self.emit(1, "if len(stack) != mark + 1 or not isinstance(stack[mark], GreenNode):",
                      f"    stack[mark:] = ({self.node(r, 'tuple(stack[mark:])')},)")
        if memo:
            self.emit(1, "memo[key] = (end, (stack[mark],))")
        # ``push_gap`` written out, before the node
        self.emit(1, "if p > saved:",
                  "    s = index[p - 1] + 1 if p else 0",
                  "    a = index[p]",
                  "    if s < a:",
                  "        stack[mark:mark] = elements[s:a]")
        self.ret(1, "end")
        self.emit(0, "")

    def second_token(self, kids: tuple[int, ...]) -> None:
        """A rule's sequence whose first element is one token and whose second cannot
        start with the token after it fails there, as ``sequence`` would (noting the
        second token): before the memo, the trivia and the first token's push (most
        calls of ``call: IDENT args`` or ``label: IDENT ':'`` end so). Zero-width tests
        between them (``IDENT !NEWLINE args``) are skipped with the fuel of their runs:
        whatever they find, the second element fails there."""
        t = self.t
        if len(kids) < 2 or not self.one_token(kids[0]):
            return
        at, cost = self.zero_width(kids, 1)
        if at == len(kids):
            return
        test = self.first_test(kids[at], "p + 1")
        if test is None or t.ops[kids[at]] == T.OP_ANY:
            return
        first = self.first_test(kids[0], "p")
        assert first is not None  # a literal, a class, or a choice of them
        self.emit(1, f"if {first} and not ({test}):")
        cost += t.ops[kids[0]] == T.OP_CHOICE  # its own ``run``, written inline by ``ev``
        if cost:
            self.emit(2, f"fuel -= {cost}",
                      f"if fuel <= 0 or {self.depth} >= MAXD:",
                      "    raise BAIL")
        self.emit(2, "if p + 1 > reach:",
                  "    reach = p + 1",
                  "return -1")

    def one_token(self, e: int) -> bool:
        """Whether expression ``e`` matches exactly one token, whatever it is."""
        t = self.t
        op = t.ops[e]
        if op in (T.OP_LIT, T.OP_CLASS):
            return True
        return op == T.OP_CHOICE and all(t.ops[k] in (T.OP_LIT, T.OP_CLASS) for k in t.kids[e])

    def climb(self, chain: tuple[int, ...]) -> None:
        """``PegParser.climb`` and ``climb_levels``, the chain's levels written out
        (the climb's fuel and depth are counted with its rule's, in ``rule``)."""
        t = self.t
        self.ev(1, t.level_first[chain[-1]], "p", "q")
        self.emit(1, "if q >= 0:")
        self.climb_start(chain)
        for at, j in enumerate(range(len(chain) - 1, -1, -1)):
            self.emit(3, f"if k <= {at}:")
            self.base += 2
            self.climb_level(chain, j)
            self.base -= 2
        self.emit(1, "end = q")

    def climb_start(self, chain: tuple[int, ...]) -> None:
        """Where the climb's levels begin taking operators: at the level of the token
        after the first operand (``k``, the levels numbered from the innermost), as
        each level before it would stop at once there (no operator of its own: no two
        levels share one, ``peg_tables._chain``); an operand that no operator follows
        (most) skips every level. The look at that token is noted once: the levels
        skipped would each note it (and a level that runs notes it or further)."""
        order = range(len(chain) - 1, -1, -1)
        starts = {op: at for at, j in enumerate(order) for op in self.t.level_ops[chain[j]]}
        self.emit(2, f"k = {self.const(starts)}.get(lit[q], -1) if q < n else -1")
        self.note(2, "q")
        self.emit(2, "if k >= 0:")

    def climb_level(self, chain: tuple[int, ...], j: int) -> None:
        """Level ``chain[j]``'s loop: its operators and operands, then its node."""
        t = self.t
        level = chain[j]
        ops = sorted(t.level_ops[level])
        test = f"lit[q] == {ops[0]!r}" if len(ops) == 1 \
            else f"lit[q] in {self.const(frozenset(ops))}"
        if T.same_line(t.ops, t.kids, t.level_body[level]):  # ``!NEWLINE op``
            test += " and not bol[q]"
        self.emit(2, "looped = False", f"while q < n and {test}:", "    at = len(stack)")
        self.push_token(3, "q")
        self.emit(3, "q1 = q + 1")
        self.ev(3, t.level_operand[level], "q1", "r")
        self.emit(3, "if r < 0:", "    del stack[at:]", "    break", "q = r",
                  "looped = True")
        self.emit(2, "else:")
        self.note(3, "q")
        if j > 0:
            # ``fragment`` of a level (a level is never an annotated rule)
            self.emit(2, "if looped:",
                      "    children = tuple(stack[mark:])",
                      "    del stack[mark:]",
                      "    if len(children) == 1 and isinstance(children[0], GreenNode):",
                      "        stack.extend(children)",
                      "    else:",
                      f"        stack.append({self.node(level, 'children')})")

    def terminal(self, e: int) -> None:
        """A terminal alternative of a choice, as a function: ``ev`` where the choice's
        table chose it, so before the end and with its key the token's (the test
        passed); the push written out (a call less per token a choice takes so)."""
        t = self.t
        op = t.ops[e]
        self.emit(0, f"def t{e}(p, d):", "    global reach, frame, fuel, taint")
        if op in (T.OP_NEWLINE, T.OP_INDENT, T.OP_DEDENT):
            self.ev(1, e, "p", "q")
            self.emit(1, "return q", "")
            return
        how = CLASS_PUSH.get(t.keys[e], "") if op == T.OP_CLASS else "push_token"
        if how == "push_name":
            self.lines.append(leaf_body("NAME_REF"))
        elif how == "push_literal":
            self.lines.append(leaf_body("LITERAL"))
        elif how == "push_token":
            self.lines.append(TOKEN_AFTER_GAP.format(done="return p + 1"))
        else:
            self.emit(1, "push_class(p)")
        self.emit(1, "return p + 1", "")


# the token pushes: functions, not written out at each terminal (a call per token costs
# less than compiling a grammar's thousands of terminals four times longer); a name's
# and a number's each written out, not through ``push_leaf`` (a call less per token).
# Each is one of two bodies: the trivia before token ``p`` (unless a node starts there)
# and then the token itself, or its shared leaf node (``PegParser.push_leaf``).
GAP: Final = """    a = index[p]
    if p > frame:
        s = index[p - 1] + 1 if p else 0
        if s < a:
            stack.extend(elements[s:a])"""
TOKEN: Final = GAP + """
    stack.append(elements[a])"""
# the trivia and the token in one slice where there is trivia (a call less)
TOKEN_AFTER_GAP: Final = """    a = index[p]
    if p > frame:
        s = index[p - 1] + 1 if p else 0
        if s < a:
            stack.extend(elements[s:a + 1])
            {done}
    stack.append(elements[a])"""


def leaf_body(kind: str) -> str:
    """The body that pushes token ``p``'s shared leaf of ``kind`` (a name)."""
    return GAP + f"""
    token = elements[a]
    leaf = leaves.get(token)
    if leaf is None:
        leaf = leaves[token] = GreenNode({kind}, (token,))
    stack.append(leaf)"""


# the function that pushes a token matched by its class, by the class key
CLASS_PUSH: Final = {CLASS_IDENT: "push_name", CLASS_NUMBER: "push_literal"}
PRELUDE: Final = "\n".join((
    "def push_token(p):", TOKEN_AFTER_GAP.format(done="return"), "",
    "def push_gap(p):", GAP, "",
    "def push_leaf(p, kind):", leaf_body("kind"), "",
    "def push_name(p):", leaf_body("NAME_REF"), "",
    "def push_literal(p):", leaf_body("LITERAL"), "",
    """def push_class(p):
    kind = elements[index[p]][0]
    if kind == IDENT:
        push_leaf(p, NAME_REF)
    elif kind == NUMBER or kind == STRING:
        push_leaf(p, LITERAL)
    else:
        push_token(p)
"""))


def generate(t: PegTables) -> tuple[str, dict[str, object]]:
    """The fast path's source for tables ``t`` and the constants it names."""
    w = _Writer(t)
    w.lines.extend(PRELUDE.splitlines())
    for r in range(len(t.rule_expr)):
        if r in t.lines_rules:
            w.lines_rule(r)
        else:
            w.rule(r)
    names: dict[int, str] = {}
    alternatives = {k for e, op in enumerate(t.ops) if op == T.OP_CHOICE for k in t.kids[e]}
    rule_tops = set(t.rule_expr)
    for e, op in enumerate(t.ops):
        if op == T.OP_RULE:
            names[e] = w.fn(e)
        elif op in TERMINALS:
            if e in alternatives:  # only a choice calls a terminal
                w.terminal(e)
                names[e] = f"t{e}"
        elif e in rule_tops and w.inlined(e):
            continue  # written inside its rule's function, and called from nowhere else
        else:
            w.compound(e)
            names[e] = f"x{e}"
    w.depth = "d"
    w.emit(0, "def ev_item(p, d):", "    global reach, frame, fuel, taint")
    w.ev(1, t.item, "p", "q")
    w.emit(1, "return q")
    w.emit(0, "",
           "def fill(e, p):",
           "    '''A choice's alternatives for the token at p, as functions.'''",
           "    found = tuple(FN[k] for k in P.alternatives(e, p))",
           "    row = globals()['A%d' % e]",
           "    pair = tid[p]",
           "    if pair >= len(row):",
           "        row.extend([None] * (pair + 1 - len(row)))",
           "    row[pair] = found",
           "    lone = globals().get('B%d' % e)  # (``_Writer.lone_call``)",
           "    if lone is not None:",
           "        if pair >= len(lone):",
           "            lone.extend([None] * (pair + 1 - len(lone)))",
           "        if len(found) == 1 and found[0] in LONE:",
           "            lone[pair] = found[0]",
           "    return found")
    consts = dict(w.consts)
    consts["FN_NAMES"] = names
    return "\n".join(w.lines) + "\n", consts


def memo_rules(t: PegTables) -> frozenset[int]:
    """The rules whose results the fast path keeps per position (packrat): those that
    two alternatives of one choice (or a lookahead and what follows it) can both call
    at one position, and those whose result may hold a node of a list of items' kind
    (the interpreter's memo hit on one taints the step, ``note_replay``, and keeps the
    notes its items got where they were first parsed). A rule no backtracking can call
    twice at a position would pay for a table entry it never reads (90% of a Pascal
    file's rule calls, measured); called twice after all (a guess missed), it is parsed
    twice, to the same result, and the step's fuel still bounds the work (past it the
    interpreter, which keeps every rule's results, parses the item). A list of items
    itself is never kept (``call_lines_rule``)."""
    starts = _left_corners(t)
    wanted: set[int] = set()
    for e, op in enumerate(t.ops):
        kids = t.kids[e]
        if op == T.OP_CHOICE:
            for at, k in enumerate(kids):
                for other in kids[:at]:
                    if _may_both_run(t, other, k):
                        asked = _asked_alike(t, other, k, starts)
                        wanted |= _reached(t, k, other, starts) & (
                            asked - _ending_calls(t, other, starts))
        elif op == T.OP_SEQ:
            for at, k in enumerate(kids[:-1]):
                if t.ops[k] in (T.OP_AND, T.OP_NOT):
                    wanted |= starts[k] & starts[kids[at + 1]]
    return frozenset((wanted | holding_lists(t)) - t.lines_rules)


def _reached(t: PegTables, k: int, other: int, starts: list[set[int]]) -> set[int]:
    """The rules alternative ``k`` may ask that the earlier alternative ``other`` may have
    asked already. A call of one rule that ``other`` asks first (``inline_statement`` after ``(INDENT statement)+``, whose statement begins
    with it): that rule's own entry answers ``k`` whole, so only it is kept, not its
    left corners (teachlang's whole expression chain, no hit in 9,000 look-ups)."""
    if t.ops[k] == T.OP_RULE and t.kids[k][0] in starts[other]:
        return {t.kids[k][0]}
    return starts[k] | _rules_in(t, k)


_START: Final = ""  # the choice's own position: what precedes it is the same for both


def _asked_alike(t: PegTables, other: int, k: int, starts: list[set[int]]) -> set[int]:
    """The rules ``other`` asks that ``k`` may ask at the same position, told by the
    literal right before each call: a rule both ask only after different literals is
    never asked twice at one position (``'para' loop_variable '=' expr ...`` and
    ``'para' loop_variable % ',' 'en' expr ...``: ``expr`` after '=', 'hasta', 'paso'
    in one and after 'en' in the other; ``loop_variable`` after 'para' in both)."""
    mine, theirs = _calls_after(t, other, starts), _calls_after(t, k, starts)
    return {r for r, after in mine.items() if r in theirs
            and (None in after or None in theirs[r] or not after.isdisjoint(theirs[r]))}


def _calls_after(t: PegTables, e: int, starts: list[set[int]]
                 ) -> dict[int, set[str | None]]:
    """Each rule alternative ``e`` may ask (as ``_left_corners`` and ``_rules_in`` see
    them: a rule's left corners where it is called first), with the literal keys that can come right before such a call (``_START``:
    at the alternative's start; None: not known)."""
    calls: dict[int, set[str | None]] = {}
    if t.ops[e] == T.OP_RULE:
        calls[t.kids[e][0]] = {_START}
        e = t.rule_expr[t.kids[e][0]]
    _walk_calls(t, e, {_START}, starts, calls)
    return calls


def _walk_calls(t: PegTables, e: int, before: set[str | None], starts: list[set[int]],
                calls: dict[int, set[str | None]]) -> set[str | None]:
    """``_calls_after``'s walk of ``e`` with what may come before it; returns what may
    come before the expression after it."""
    op = t.ops[e]
    if op == T.OP_LIT:
        return {t.keys[e]}
    if op in TERMINALS:
        return before if op in T.ZERO_WIDTH_OPS else {None}
    if op == T.OP_RULE:  # at the start, its left corners too; further on, itself
        for r in starts[e] if _START in before else t.kids[e][:1]:
            calls.setdefault(r, set()).update(before)
        return {None}
    if op == T.OP_SEQ:
        for x in t.kids[e]:
            before = _walk_calls(t, x, before, starts, calls)
        return before
    if op in (T.OP_NOT, T.OP_AND):
        _walk_calls(t, t.kids[e][0], before, starts, calls)
        return before
    # a choice, an option, a repetition (any element may come after any other)
    wide = before | {None} if op in (T.OP_STAR, T.OP_PLUS, T.OP_SEP) else before
    after: set[str | None] = set()
    for x in t.kids[e]:
        after |= _walk_calls(t, x, wide, starts, calls)
    return after if op in (T.OP_CHOICE, T.OP_PLUS) else after | before


def _ending_calls(t: PegTables, x: int, starts: list[set[int]]) -> set[int]:
    """The rules alternative ``x`` calls last and nowhere else: the rule it calls, and the
    one its rule's sequence ends with. Once one of them matched, so has ``x``, and the
    choice tries no later alternative: its result there is read again only where it
    failed (a mistake, at a cost in time only), so it is no reason for a memo entry
    (``level0`` after ``name ':='``, tried before ``postfix ':=' level0``: 5,340
    look-ups and no hit in a 1,000-line Pascal parse)."""
    ending: set[int] = set()
    e = x
    if t.ops[e] == T.OP_RULE:
        r = t.kids[e][0]
        e = t.rule_expr[r]
        if t.level_chain[r] is not None:
            return {r}
        if r not in starts[e] and r not in _rules_in(t, e):
            ending.add(r)
    if t.ops[e] != T.OP_SEQ or t.ops[t.kids[e][-1]] != T.OP_RULE:
        return ending
    last = t.kids[t.kids[e][-1]][0]
    if all(last not in starts[k] and last not in _rules_in(t, k) for k in t.kids[e][:-1]):
        ending.add(last)
    return ending


def _may_both_run(t: PegTables, a: int, b: int) -> bool:
    """Whether two alternatives of a choice can both run from one position: not when
    both need a first token and no token can start both (``'(' expr ')'`` and ``'['
    expr ']'``: the rules they call are never asked twice at one position through them)."""
    first_a, first_b = t.first[a], t.first[b]
    if first_a is not None and first_b is not None and first_a.isdisjoint(first_b):
        return False
    # nor when one starts only at a line's start and the other never does (``NEWLINE
    # body ... 'END' 'IF'`` and ``!NEWLINE statement``)
    starts_a, starts_b = _line_start(t, a), _line_start(t, b)
    return starts_a is None or starts_b is None or starts_a == starts_b


def _line_start(t: PegTables, e: int) -> bool | None:
    """True: expression ``e`` matches only before a token that starts a line (it begins
    with ``NEWLINE`` or ``INDENT``); False: only before one that does not (``!NEWLINE``);
    None: either."""
    seen: set[int] = set()
    while t.ops[e] in (T.OP_RULE, T.OP_SEQ, T.OP_PLUS) and e not in seen:
        seen.add(e)
        e = t.rule_expr[t.kids[e][0]] if t.ops[e] == T.OP_RULE else t.kids[e][0]
    if t.ops[e] in (T.OP_NEWLINE, T.OP_INDENT):
        return True
    if t.ops[e] == T.OP_NOT and t.ops[t.kids[e][0]] == T.OP_NEWLINE:
        return False
    return None


def holding_lists(t: PegTables) -> set[int]:
    """The rules whose node, or a node below it, may have the kind of a list of items'
    rule: those that call, at any depth, a rule of such a kind (a list's or another
    rule's with the same kind), and those rules themselves."""
    kinds = {t.rule_kind[r] for r in t.lines_rules}
    calls: list[set[int]] = []
    for r, expr in enumerate(t.rule_expr):
        found = _rules_in(t, expr) if t.ops[expr] != T.OP_RULE else {t.kids[expr][0]}
        chain = t.level_chain[r]
        if chain is not None:
            found |= set(chain)
        calls.append(found)
    holding = {r for r in range(len(t.rule_expr)) if t.rule_kind[r] in kinds}
    changed = True
    while changed:
        changed = False
        for r, called in enumerate(calls):
            if r not in holding and called & holding:
                holding.add(r)
                changed = True
    return holding


def _rules_in(t: PegTables, e: int) -> set[int]:
    """The rules expression ``e`` calls itself (through its sub-expressions, and the
    expression of the rule it calls, when it is one; not further)."""
    found: set[int] = set()
    todo = [t.rule_expr[t.kids[e][0]]] if t.ops[e] == T.OP_RULE else []
    todo.append(e)
    while todo:
        x = todo.pop()
        if t.ops[x] == T.OP_RULE:
            found.add(t.kids[x][0])
        elif t.ops[x] not in TERMINALS:
            todo.extend(t.kids[x])
    return found


def _left_corners(t: PegTables) -> list[set[int]]:
    """For each expression, the rules it can call at its own first position (a rule
    call's own rule and those of the rule's expression; an element of a sequence after
    ones that may match nothing), to a fixed point. FIRST None counts as may-be-empty."""
    corners: list[set[int]] = [set() for _ in t.ops]
    changed = True
    while changed:
        changed = False
        for e, op in enumerate(t.ops):
            if op in TERMINALS:
                continue
            kids = t.kids[e]
            if op == T.OP_RULE:
                new = {kids[0]} | corners[t.rule_expr[kids[0]]]
            elif op == T.OP_SEQ:
                new = set()
                for k in kids:
                    new |= corners[k]
                    if t.first[k] is not None:
                        break
            elif op == T.OP_CHOICE:
                new = set().union(*(corners[k] for k in kids))
            else:
                new = set(corners[kids[0]])
            if not new <= corners[e]:
                corners[e] |= new
                changed = True
    return corners
