"""Random programs for the differential tests, in each bundled language (the
grammar-defined Lua with integers, conditions, loops and functions: ``int_programs``;
QBasic also with reals and strings: ``scalar_programs``; Lua with reals, strings, its
bit operators and value-giving ``and``/``or`` too: ``lua_programs``).

A program is an abstract tree (tuples) drawn by hypothesis and rendered in each
language's own syntax. Integers stay small (every integer assignment takes MOD 1000,
products have a literal side), so the 64-bit C back end never overflows and any
difference is a bug, not a limit."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

Node = Any

INT_VARS = ("a", "b")
REAL_LITS = (0.5, 1.25, 3.0, 0.1, 2.5, 0.2, 1e-07, 12345.678)
STR_LITS = ("ab", "x y", "", "Q", "it''s"[0:2])


def _ints(depth: int, arrays: bool = True) -> st.SearchStrategy[Node]:
    """Integer expressions; ``arrays``: also array elements and a string's length."""
    leaves = st.one_of(
        st.integers(0, 30).map(lambda n: ("lit", n)),
        st.sampled_from(INT_VARS).map(lambda v: ("var", v)),
        *([st.integers(0, 4).map(lambda k: ("elem", k)), st.just(("len",))] if arrays
          else []),
    )
    if depth == 0:
        return leaves
    sub = _ints(depth - 1, arrays)
    return st.one_of(
        leaves,
        st.tuples(st.sampled_from(("+", "-")), sub, sub).map(lambda t: ("bin",) + t),
        st.tuples(sub, st.integers(-9, 9)).map(lambda t: ("mul", t[0], t[1])),
        st.tuples(st.sampled_from(("div", "mod")), sub, st.integers(1, 7).flatmap(
            lambda n: st.sampled_from((n, -n)))).map(lambda t: ("divmod",) + t),
        st.tuples(sub, sub).map(lambda t: ("call",) + t),
        sub.map(lambda e: ("neg", e)),
        sub.map(lambda e: ("abs", e)),
        _reals(depth - 1, arrays).map(lambda e: ("trunc", e)),
    )


def _reals(depth: int, arrays: bool = True) -> st.SearchStrategy[Node]:
    leaves = st.one_of(st.sampled_from(REAL_LITS).map(lambda r: ("rlit", r)),
                       st.just(("var", "x")))
    if depth == 0:
        return leaves
    sub = _reals(depth - 1, arrays)
    return st.one_of(
        leaves,
        st.tuples(st.sampled_from(("+", "-", "*")), sub, sub).map(lambda t: ("bin",) + t),
        st.tuples(sub, st.sampled_from((2.0, 3.0, 0.5, 7.0))).map(lambda t: ("fdiv",) + t),
        st.tuples(_ints(depth - 1, arrays), st.sampled_from(REAL_LITS)).map(
            lambda t: ("mix",) + t),
    )


def _strs(depth: int, arrays: bool = True) -> st.SearchStrategy[Node]:
    leaves = st.one_of(st.sampled_from(STR_LITS).map(lambda s: ("slit", s)),
                       st.just(("var", "s")))
    if depth == 0:
        return leaves
    return st.one_of(leaves,
                     st.tuples(_strs(depth - 1, arrays), _strs(depth - 1, arrays)).map(
                         lambda t: ("cat",) + t),
                     _ints(depth - 1, arrays).map(lambda e: ("str", e)))


def _conds(arrays: bool = True) -> st.SearchStrategy[Node]:
    cmp = st.sampled_from(("<", ">", "=", "<>", "<=", ">="))
    atom = st.one_of(
        st.tuples(cmp, _ints(1, arrays), _ints(1, arrays)).map(lambda t: ("cmp",) + t),
        st.tuples(cmp, _reals(1, arrays), _reals(1, arrays)).map(lambda t: ("cmp",) + t),
        st.tuples(st.sampled_from(("=", "<>", "<")), _strs(1, arrays), _strs(1, arrays)).map(
            lambda t: ("cmp",) + t),
    )
    return st.one_of(atom, st.tuples(st.sampled_from(("and", "or")), atom, atom).map(
        lambda t: ("logic",) + t), atom.map(lambda c: ("not", c)))


def _stmts(depth: int) -> st.SearchStrategy[list[Node]]:
    simple = st.one_of(
        st.tuples(st.sampled_from(INT_VARS), _ints(2)).map(lambda t: ("set",) + t),
        _reals(2).map(lambda e: ("set", "x", e)),
        _strs(1).map(lambda e: ("set", "s", e)),
        st.tuples(st.integers(0, 4), _ints(2)).map(lambda t: ("setelem",) + t),
        st.lists(st.one_of(_ints(2), _reals(2), _strs(2), _conds()), min_size=1,
                 max_size=3).map(lambda es: ("print", es)),
    )
    if depth == 0:
        return st.lists(simple, min_size=1, max_size=3)
    inner = _stmts(depth - 1)
    compound = st.one_of(
        st.tuples(_conds(), inner, inner).map(lambda t: ("if",) + t),
        st.tuples(st.integers(0, 4), inner).map(lambda t: ("for", depth) + t),
        st.tuples(st.integers(0, 4), inner).map(lambda t: ("while", depth) + t),
    )
    return st.lists(st.one_of(simple, compound), min_size=1, max_size=4)


@st.composite
def programs(draw: st.DrawFn) -> dict[str, Any]:
    return {"fbody": draw(_ints(2)), "body": draw(_stmts(2))}


# ----- integers, reals and strings without arrays: QBasic's -----

def _scalar_stmts(depth: int) -> st.SearchStrategy[list[Node]]:
    simple = st.one_of(
        st.tuples(st.sampled_from(INT_VARS), _ints(2, False)).map(lambda t: ("set",) + t),
        _reals(2, False).map(lambda e: ("set", "x", e)),
        _strs(1, False).map(lambda e: ("set", "s", e)),
        st.lists(st.one_of(_ints(2, False), _reals(2, False), _strs(2, False),
                           _conds(False)), min_size=1, max_size=3).map(
            lambda es: ("print", es)),
    )
    if depth == 0:
        return st.lists(simple, min_size=1, max_size=3)
    inner = _scalar_stmts(depth - 1)
    compound = st.one_of(
        st.tuples(_conds(False), inner, inner).map(lambda t: ("if",) + t),
        st.tuples(st.integers(0, 4), inner).map(lambda t: ("for", depth) + t),
        st.tuples(st.integers(0, 4), inner).map(lambda t: ("while", depth) + t),
    )
    return st.lists(st.one_of(simple, compound), min_size=1, max_size=4)


@st.composite
def scalar_programs(draw: st.DrawFn) -> dict[str, Any]:
    return {"fbody": draw(_whole(2)), "body": draw(_scalar_stmts(2))}


# ----- integers only: what every grammar-defined language runs -----

def _whole(depth: int) -> st.SearchStrategy[Node]:
    leaves = st.one_of(st.integers(0, 30).map(lambda n: ("lit", n)),
                       st.sampled_from(INT_VARS).map(lambda v: ("var", v)))
    if depth == 0:
        return leaves
    sub = _whole(depth - 1)
    return st.one_of(
        leaves,
        st.tuples(st.sampled_from(("+", "-")), sub, sub).map(lambda t: ("bin",) + t),
        st.tuples(sub, st.integers(-9, 9)).map(lambda t: ("mul", t[0], t[1])),
        st.tuples(st.sampled_from(("div", "mod")), sub, st.integers(1, 7).flatmap(
            lambda n: st.sampled_from((n, -n)))).map(lambda t: ("divmod",) + t),
        st.tuples(sub, sub).map(lambda t: ("call",) + t),
        sub.map(lambda e: ("neg", e)),
    )


def _whole_conds() -> st.SearchStrategy[Node]:
    atom = st.tuples(st.sampled_from(("<", ">", "=", "<>", "<=", ">=")), _whole(1),
                     _whole(1)).map(lambda t: ("cmp",) + t)
    return st.one_of(atom, st.tuples(st.sampled_from(("and", "or")), atom, atom).map(
        lambda t: ("logic",) + t), atom.map(lambda c: ("not", c)))


def _whole_stmts(depth: int) -> st.SearchStrategy[list[Node]]:
    simple = st.one_of(
        st.tuples(st.sampled_from(INT_VARS), _whole(2)).map(lambda t: ("set",) + t),
        st.lists(_whole(2), min_size=1, max_size=3).map(lambda es: ("print", es)),
    )
    if depth == 0:
        return st.lists(simple, min_size=1, max_size=3)
    inner = _whole_stmts(depth - 1)
    compound = st.one_of(
        st.tuples(_whole_conds(), inner, inner).map(lambda t: ("if",) + t),
        st.tuples(st.integers(0, 4), inner).map(lambda t: ("for", depth) + t),
        st.tuples(st.integers(0, 4), inner).map(lambda t: ("while", depth) + t),
    )
    return st.lists(st.one_of(simple, compound), min_size=1, max_size=4)


@st.composite
def int_programs(draw: st.DrawFn) -> dict[str, Any]:
    return {"fbody": draw(_whole(2)), "body": draw(_whole_stmts(2))}


# ----- Lua: reals, strings, bit operators and and/or giving an operand -----

def _bits() -> st.SearchStrategy[Node]:
    """``a op b`` of Lua's bit operators (shifts by -70 to 70), or ``cond and x or y``."""
    shift = st.integers(-70, 70).map(lambda n: ("lit", n) if n >= 0 else ("neg", ("lit", -n)))
    return st.one_of(
        st.tuples(st.sampled_from(("&", "|", "~")), _whole(1), _whole(1)).map(
            lambda t: ("bit",) + t),
        st.tuples(st.sampled_from(("<<", ">>")), _whole(1), shift).map(
            lambda t: ("bit",) + t),
        _whole(1).map(lambda e: ("bnot", e)),
        st.tuples(_conds(False), _ints(1, False), _strs(1, False)).map(
            lambda t: ("pick",) + t),
        st.tuples(_reals(1, False), st.sampled_from((2, 3))).map(
            lambda t: ("power",) + t),
    )


@st.composite
def lua_programs(draw: st.DrawFn) -> dict[str, Any]:
    return {"fbody": draw(_whole(2)), "body": draw(_scalar_stmts(2)),
            "bits": draw(st.lists(_bits(), min_size=1, max_size=4))}


# ----- rendering -----

def real_text(value: float) -> str:
    """A real literal with its point and no exponent (``1e-07`` is not a number in every
    bundled language's syntax): 0.0000001."""
    text = repr(value)
    return text if "e" not in text else f"{value:.7f}"


class Pascal:
    language = "pascal"
    ext = ".pas"
    base = 1
    ops = {"=": "=", "<>": "<>", "div": "DIV", "mod": "MOD", "and": "AND", "or": "OR"}
    in_function = False  # a and b are the parameters; calls become sums (no recursion)
    names = {"a": "A", "b": "B", "x": "X", "s": "S"}
    params = {"a": "P", "b": "Q"}

    def name(self, v: str) -> str:
        if self.in_function and v in self.params:
            return self.params[v]
        return self.names[v]

    def expr(self, e: Node) -> str:
        k = e[0]
        if k == "lit":
            return str(e[1])
        if k == "rlit":
            return real_text(e[1])
        if k == "slit":
            return "'" + str(e[1]).replace("'", "''") + "'"
        if k == "var":
            return self.name(e[1])
        if k == "elem":
            return f"Arr[{e[1] + self.base}]"
        if k == "len":
            return "Length(S)"
        if k == "bin":
            return f"({self.expr(e[2])} {e[1]} {self.expr(e[3])})"
        if k == "mul":
            return f"({self.expr(e[1])} * {self.lit(e[2])})"
        if k == "divmod":
            return f"({self.expr(e[2])} {self.ops[e[1]]} {self.lit(e[3])})"
        if k == "call":
            if self.in_function:
                return f"({self.expr(e[1])} + {self.expr(e[2])})"
            return f"F({self.expr(e[1])}, {self.expr(e[2])})"
        if k == "neg":
            return f"(-{self.expr(e[1])})"
        if k == "abs":
            return f"Abs({self.expr(e[1])})"
        if k == "trunc":
            return f"Trunc({self.expr(e[1])})"
        if k == "fdiv":
            return f"({self.expr(e[1])} / {real_text(e[2])})"
        if k == "mix":
            return f"({self.expr(e[1])} * {real_text(e[2])})"
        if k == "cat":
            return f"({self.expr(e[1])} + {self.expr(e[2])})"
        if k == "str":
            return f"IntToStr({self.expr(e[1])})"
        if k == "cmp":
            return f"({self.expr(e[2])} {self.ops.get(e[1], e[1])} {self.expr(e[3])})"
        if k == "logic":
            return f"({self.expr(e[2])} {self.ops[e[1]]} {self.expr(e[3])})"
        if k == "not":
            return f"(NOT {self.expr(e[1])})"
        raise AssertionError(e)

    @staticmethod
    def lit(n: int) -> str:
        return str(n) if n >= 0 else f"({n})"

    def stmts(self, body: list[Node], ind: str) -> list[str]:
        out: list[str] = []
        for k, s in enumerate(body):
            lines = self.stmt(s, ind)
            if k < len(body) - 1:
                lines[-1] += ";"
            out.extend(lines)
        return out

    def block(self, body: list[Node], ind: str) -> list[str]:
        return [ind + "BEGIN"] + self.stmts(body, ind + "  ") + [ind + "END"]

    def stmt(self, s: Node, ind: str) -> list[str]:
        k = s[0]
        if k == "set":
            value = self.expr(s[2])
            if s[1] in INT_VARS:
                value = f"{value} MOD 1000"
            return [f"{ind}{self.name(s[1])} := {value}"]
        if k == "setelem":
            return [f"{ind}Arr[{s[1] + self.base}] := {self.expr(s[2])} MOD 1000"]
        if k == "print":
            return [f"{ind}WriteLn({', '.join(self.expr(e) for e in s[1])})"]
        if k == "if":
            return ([f"{ind}IF {self.expr(s[1])} THEN"] + self.block(s[2], ind + "  ")
                    + [f"{ind}ELSE"] + self.block(s[3], ind + "  "))
        if k == "for":
            return [f"{ind}FOR I{s[1]} := 1 TO {s[2]} DO"] + self.block(s[3], ind + "  ")
        if k == "while":
            counter = f"W{s[1]}"
            return ([f"{ind}{counter} := 0;", f"{ind}WHILE {counter} < {s[2]} DO",
                     f"{ind}BEGIN", f"{ind}  {counter} := {counter} + 1;"]
                    + self.stmts(s[3], ind + "  ") + [f"{ind}END"])
        raise AssertionError(s)

    def function_body(self, program: dict[str, Any]) -> str:
        self.in_function = True
        try:
            return self.expr(program["fbody"])
        finally:
            self.in_function = False

    def render(self, program: dict[str, Any]) -> str:
        lines = ["PROGRAM T;",
                 "VAR A, B, I1, I2, W1, W2 : INTEGER; X : REAL; S : STRING;",
                 "  Arr : ARRAY [1..5] OF INTEGER;",
                 "FUNCTION F(P, Q : INTEGER) : INTEGER;",
                 "BEGIN",
                 f"  F := {self.function_body(program)} MOD 1000",
                 "END;",
                 "BEGIN",
                 "  A := 1; B := 2; X := 0.5; S := 'go';",
                 "  FOR I1 := 1 TO 5 DO Arr[I1] := I1 * 3;"]
        lines += self.stmts(program["body"], "  ")
        return "\n".join(lines + ["END."]) + "\n"


class Teach(Pascal):
    language = "teachlang"
    ext = ".teach"
    base = 0
    ops = {"=": "==", "<>": "!=", "div": "//", "mod": "%", "and": "and", "or": "or"}

    names = {"a": "a", "b": "b", "x": "x", "s": "s"}
    params = {"a": "p", "b": "q"}

    def expr(self, e: Node) -> str:
        k = e[0]
        if k == "slit":
            return '"' + str(e[1]) + '"'
        if k == "rlit":
            return real_text(e[1])
        if k == "elem":
            return f"arr[{e[1]}]"
        if k == "len":
            return "length(s)"
        if k == "call" and not self.in_function:
            return f"f({self.expr(e[1])}, {self.expr(e[2])})"
        if k == "abs":
            return f"absolute({self.expr(e[1])})"
        if k == "trunc":
            return f"to_whole({self.expr(e[1])})"
        if k == "str":
            return f"to_text({self.expr(e[1])})"
        if k == "not":
            return f"(not {self.expr(e[1])})"
        return super().expr(e)

    def stmts(self, body: list[Node], ind: str) -> list[str]:
        out: list[str] = []
        for s in body:
            out.extend(self.stmt(s, ind))
        return out

    def stmt(self, s: Node, ind: str) -> list[str]:
        k = s[0]
        if k == "set":
            value = self.expr(s[2])
            if s[1] in INT_VARS:
                value = f"{value} % 1000"
            return [f"{ind}{s[1]} = {value}"]
        if k == "setelem":
            return [f"{ind}arr[{s[1]}] = {self.expr(s[2])} % 1000"]
        if k == "print":
            return [f"{ind}show({', '.join(self.expr(e) for e in s[1])})"]
        if k == "if":
            return ([f"{ind}when {self.expr(s[1])}:"] + self.stmts(s[2], ind + "    ")
                    + [f"{ind}otherwise:"] + self.stmts(s[3], ind + "    "))
        if k == "for":
            return ([f"{ind}repeat_for i{s[1]} inside range({s[2]}):"]
                    + self.stmts(s[3], ind + "    "))
        if k == "while":
            counter = f"w{s[1]}"
            return ([f"{ind}{counter} = 0", f"{ind}as_long_as {counter} < {s[2]}:",
                     f"{ind}    {counter} = {counter} + 1"] + self.stmts(s[3], ind + "    "))
        raise AssertionError(s)

    def render(self, program: dict[str, Any]) -> str:
        lines = ["teach f(p: int, q: int) -> int:",
                 f"    give_back {self.function_body(program)} % 1000",
                 "",
                 "remember a = 1", "remember b = 2", "remember x = 0.5", 'remember s = "go"',
                 "remember w1 = 0", "remember w2 = 0",
                 "remember arr = [3, 6, 9, 12, 15]"]
        lines += self.stmts(program["body"], "")
        return "\n".join(lines) + "\n"


class Espanol(Teach):
    """Español: blocks closed with ``fin``; no integer-division operator, so ``div``
    is the integer part of the real quotient (the same for these small integers), and
    ``%`` truncates (not the Python family)."""

    language = "espanol"
    ext = ".esp"
    ops = {"=": "==", "<>": "!=", "mod": "%", "and": "y", "or": "o"}

    def expr(self, e: Node) -> str:
        k = e[0]
        if k == "len":
            return "longitud(s)"
        if k == "abs":
            return f"absoluto({self.expr(e[1])})"
        if k == "trunc":
            return f"parte_entera({self.expr(e[1])})"
        if k == "str":
            return f"a_texto({self.expr(e[1])})"
        if k == "not":
            return f"(no {self.expr(e[1])})"
        if k == "divmod" and e[1] == "div":
            return f"parte_entera({self.expr(e[2])} / {self.lit(e[3])})"
        if k in ("fdiv", "mix"):  # a real literal always with its point: 0.0000001
            return f"({self.expr(e[1])} {'/' if k == 'fdiv' else '*'} {e[2]:.7f})"
        return super().expr(e)

    def stmt(self, s: Node, ind: str) -> list[str]:
        k = s[0]
        if k == "print":
            return [f"{ind}escribir({', '.join(self.expr(e) for e in s[1])})"]
        if k == "if":
            return ([f"{ind}si {self.expr(s[1])} entonces"] + self.stmts(s[2], ind + "    ")
                    + [f"{ind}sino"] + self.stmts(s[3], ind + "    ") + [f"{ind}fin si"])
        if k == "for":
            return ([f"{ind}para i{s[1]} = 1 hasta {s[2]} hacer"]
                    + self.stmts(s[3], ind + "    ") + [f"{ind}fin para"])
        if k == "while":
            counter = f"w{s[1]}"
            return ([f"{ind}{counter} = 0", f"{ind}mientras {counter} < {s[2]} hacer",
                     f"{ind}    {counter} = {counter} + 1"] + self.stmts(s[3], ind + "    ")
                    + [f"{ind}fin mientras"])
        return super().stmt(s, ind)

    def render(self, program: dict[str, Any]) -> str:
        lines = ["función f(p, q)",
                 f"    retornar {self.function_body(program)} % 1000",
                 "fin función",
                 "",
                 "variable a = 1", "variable b = 2", "variable x = 0.5", 'variable s = "go"',
                 "variable w1 = 0", "variable w2 = 0",
                 "variable arr = [3, 6, 9, 12, 15]"]
        lines += self.stmts(program["body"], "")
        return "\n".join(lines) + "\n"


# (language, program, stdin): runtime errors, input, the text of reals and the string
# operations, run by every back end and compared with the interpreter
HAND_WRITTEN: list[tuple[str, str, str]] = [
    ("pascal", "PROGRAM P;\nVAR X : REAL;\nBEGIN\n  X := 0.1 + 0.2;\n  WriteLn(X, ' ', 1.0e22 * 10.0,"
     " ' ', 1.0 / 3.0, ' ', 123456789.0 * 1000000000.0, ' ', 0.00001)\nEND.\n", ""),
    ("teachlang", "teach g(n: int) -> int:\n    give_back 10 // n\n\nteach h(n: int) -> int:\n"
     "    give_back g(n - 1)\n\nshow(h(3))\nshow(h(1))\n", ""),
    ("teachlang", 'remember t = ask("? ")\nshow(to_number(t) * 2, to_whole(to_number(t)))\n'
     "show(ask(\"again? \"))\n", "2.5\n"),
    ("teachlang", "remember xs = [1, 2]\nadd_to(xs, 3)\nshow(xs, xs[3])\n", ""),
    ("pascal", "PROGRAM P;\nVAR A : ARRAY [1..3] OF INTEGER; I : INTEGER;\nBEGIN\n"
     "  FOR I := 3 DOWNTO 1 DO A[I] := I * I;\n  WriteLn(A[1], A[2], A[3], A[I - 1]);\n"
     "  WriteLn(A[I + 3])\nEND.\n", ""),
    ("espanol", 'escribir(mayúsculas("ñandú abc"), 7 % -2, -7 % 2, 2 ^ 10, 2 ^ 0.5)\n', ""),
    ("basic", 'PRINT 1; "a";\nPRINT\nPRINT 2, 3.5; "c" & STR$(4)\nPRINT 2 ^ 3; 7 \\ 2; -7 MOD 2;\n',
     ""),
    ("teachlang", 'remember t = " a,b,,c \\t"\nremember xs = t.strip().split(",")\n'
     'show(xs, xs.pop(), xs, xs.contains("b"), t.starts_with(" a"), "ab".replace("", "-"))\n'
     'show("banana".replace("an", "AN"), "x".split("x"), [].pop())\n', ""),
    # left, right, string_of, sorted, random_between and assert (their edges and errors)
    ("basic", 'PRINT LEFT$("hello", 2); "|"; RIGHT$("hello", 3); "|"; LEFT$("hi", 9); "|"; '
     'RIGHT$("hi", -1); "|"; STRING$(3, "ab"); "|"; STRING$(-2, "x"); "|"\n'
     'PRINT STRING$(2, 5)\n', ""),
    ("teachlang", 'show(sorted([3, 1.5, 2, -1, 2.0]), sorted(["b", "a", "B", "ab"]), sorted([]))\n'
     "repeat_for i inside range(4):\n    show(random_between(1, 6), random_between(-3, 3))\n"
     "show(random_between(7, 7))\nshow(random_between(5, 1))\n", ""),
    ("teachlang", 'show(sorted(["a", 1]))\n', ""),
    ("curly", 'assert(1 < 2, "fine");\nassert(true);\nprint("ok \\u00e9");\n'
     'assert(len("ab") == 3, "length is " + str(len("ab")));\n', ""),
    ("curly", "assert(1);\n", ""),
]


class Curly(Teach):
    """Curly: C-like syntax; ``/`` on whole numbers truncates as in C and ``%`` takes
    the sign of the dividend. It has no truncation builtin, so ``trunc`` of a real
    becomes the length of its text (an integer that still checks how reals print)."""

    language = "curly"
    ext = ".cur"
    ops = {"=": "==", "<>": "!=", "div": "/", "mod": "%", "and": "&&", "or": "||"}

    def expr(self, e: Node) -> str:
        k = e[0]
        if k == "len":
            return "len(s)"
        if k == "abs":
            return f"abs({self.expr(e[1])})"
        if k == "trunc":
            return f"len(str({self.expr(e[1])}))"
        if k == "str":
            return f"str({self.expr(e[1])})"
        if k == "not":
            return f"(!{self.expr(e[1])})"
        return super().expr(e)

    def block(self, body: list[Node], ind: str) -> list[str]:
        return self.stmts(body, ind + "    ") + [ind + "}"]

    def stmt(self, s: Node, ind: str) -> list[str]:
        k = s[0]
        if k in ("set", "setelem"):
            return [line + ";" for line in super().stmt(s, ind)]
        if k == "print":
            return [f"{ind}print({', '.join(self.expr(e) for e in s[1])});"]
        if k == "if":
            return ([f"{ind}if ({self.expr(s[1])}) {{"] + self.stmts(s[2], ind + "    ")
                    + [f"{ind}}} else {{"] + self.block(s[3], ind))
        if k == "for":
            return ([f"{ind}for i{s[1]} in range(0, {s[2]}) {{"] + self.block(s[3], ind))
        if k == "while":
            counter = f"w{s[1]}"
            return ([f"{ind}{counter} = 0;", f"{ind}while ({counter} < {s[2]}) {{",
                     f"{ind}    {counter} = {counter} + 1;"] + self.block(s[3], ind))
        raise AssertionError(s)

    def render(self, program: dict[str, Any]) -> str:
        lines = ["fn f(p: int, q: int) -> int {",
                 f"    return {self.function_body(program)} % 1000;",
                 "}",
                 "",
                 "let a: int = 1;", "let b: int = 2;", "let x: float = 0.5;",
                 'let s: string = "go";', "let w1: int = 0;", "let w2: int = 0;",
                 "let arr: [int] = [3, 6, 9, 12, 15];"]
        lines += self.stmts(program["body"], "")
        return "\n".join(lines) + "\n"


class Basic(Teach):
    """BASIC: ``\\`` and ``MOD`` for whole numbers, ``&`` joins strings, ``INT`` is the
    floor (it stands for ``trunc``: both give an integer), PRINT's values are joined
    with ``; " "; `` (its ``;`` writes nothing between values)."""

    language = "basic"
    ext = ".bas"
    ops = {"=": "=", "<>": "<>", "div": "\\", "mod": "MOD", "and": "AND", "or": "OR"}

    def expr(self, e: Node) -> str:
        k = e[0]
        if k == "len":
            return "LEN(s)"
        if k == "abs":
            return f"ABS({self.expr(e[1])})"
        if k == "trunc":
            return f"INT({self.expr(e[1])})"
        if k == "str":
            return f"STR$({self.expr(e[1])})"
        if k == "cat":
            return f"({self.expr(e[1])} & {self.expr(e[2])})"
        if k == "not":
            return f"(NOT {self.expr(e[1])})"
        if k == "call" and not self.in_function:
            return f"F({self.expr(e[1])}, {self.expr(e[2])})"
        if k in ("fdiv", "mix"):  # a real literal always with its point: 0.0000001
            return f"({self.expr(e[1])} {'/' if k == 'fdiv' else '*'} {e[2]:.7f})"
        return super().expr(e)

    def stmt(self, s: Node, ind: str) -> list[str]:
        k = s[0]
        if k == "set":
            value = self.expr(s[2])
            if s[1] in INT_VARS:
                value = f"({value}) MOD 1000"
            return [f"{ind}{s[1]} = {value}"]
        if k == "setelem":
            return [f"{ind}arr[{s[1]}] = ({self.expr(s[2])}) MOD 1000"]
        if k == "print":
            return [ind + "PRINT " + '; " "; '.join(self.expr(e) for e in s[1])]
        if k == "if":
            return ([f"{ind}IF {self.expr(s[1])} THEN"] + self.stmts(s[2], ind + "    ")
                    + [f"{ind}ELSE"] + self.stmts(s[3], ind + "    ") + [f"{ind}END IF"])
        if k == "for":
            return ([f"{ind}FOR i{s[1]} = 1 TO {s[2]}"] + self.stmts(s[3], ind + "    ")
                    + [f"{ind}NEXT i{s[1]}"])
        if k == "while":
            counter = f"w{s[1]}"
            return ([f"{ind}{counter} = 0", f"{ind}WHILE {counter} < {s[2]}",
                     f"{ind}    {counter} = {counter} + 1"] + self.stmts(s[3], ind + "    ")
                    + [f"{ind}WEND"])
        raise AssertionError(s)

    def render(self, program: dict[str, Any]) -> str:
        lines = ["FUNCTION F(p AS INTEGER, q AS INTEGER) AS INTEGER",
                 f"    RETURN ({self.function_body(program)}) MOD 1000",
                 "END FUNCTION",
                 "",
                 "DIM a AS INTEGER = 1", "DIM b AS INTEGER = 2", "DIM x AS DOUBLE = 0.5",
                 'DIM s AS STRING = "go"', "DIM w1 AS INTEGER = 0", "DIM w2 AS INTEGER = 0",
                 "DIM i1 AS INTEGER", "DIM i2 AS INTEGER",
                 "DIM arr AS LIST = [3, 6, 9, 12, 15]"]
        lines += self.stmts(program["body"], "")
        return "\n".join(lines) + "\n"


class TurboPascal(Pascal):
    """The grammar-defined Turbo Pascal reads the Pascal-style programs as they are."""

    language = "turbopascal"


class Lua(Pascal):
    """Lua (grammar-defined): ``//`` and ``%`` round down, ``~=``; print separates its
    values with tabs; integer programs only (``int_programs``)."""

    language = "lua"
    ext = ".lua"
    ops = {"=": "==", "<>": "~=", "div": "//", "mod": "%", "and": "and", "or": "or"}
    names = {"a": "a", "b": "b"}
    params = {"a": "p", "b": "q"}

    def expr(self, e: Node) -> str:
        k = e[0]
        if k == "call" and not self.in_function:
            return f"f({self.expr(e[1])}, {self.expr(e[2])})"
        if k == "not":
            return f"(not {self.expr(e[1])})"
        return super().expr(e)

    def stmts(self, body: list[Node], ind: str) -> list[str]:
        return [line for s in body for line in self.stmt(s, ind)]

    def stmt(self, s: Node, ind: str) -> list[str]:
        k = s[0]
        if k == "set":
            return [f"{ind}{s[1]} = ({self.expr(s[2])}) % 1000"]
        if k == "print":
            return [f"{ind}print({', '.join(self.expr(e) for e in s[1])})"]
        if k == "if":
            return ([f"{ind}if {self.expr(s[1])} then"] + self.stmts(s[2], ind + "  ")
                    + [f"{ind}else"] + self.stmts(s[3], ind + "  ") + [f"{ind}end"])
        if k == "for":
            return ([f"{ind}for i{s[1]} = 1, {s[2]} do"] + self.stmts(s[3], ind + "  ")
                    + [f"{ind}end"])
        if k == "while":
            counter = f"w{s[1]}"
            return ([f"{ind}local {counter} = 0", f"{ind}while {counter} < {s[2]} do",
                     f"{ind}  {counter} = {counter} + 1"] + self.stmts(s[3], ind + "  ")
                    + [f"{ind}end"])
        raise AssertionError(s)

    def render(self, program: dict[str, Any]) -> str:
        lines = ["local function f(p, q)",
                 f"  return ({self.function_body(program)}) % 1000",
                 "end",
                 "",
                 "a = 1", "b = 2"]
        lines += self.stmts(program["body"], "")
        return "\n".join(lines) + "\n"


class LuaScalar(Lua):
    """Lua with reals and strings (``lua_programs``): ``..`` joins, ``tostring``, the
    math library, and the bit operators, ``^`` and ``and``/``or`` giving an operand."""

    names = {"a": "a", "b": "b", "x": "x", "s": "s"}

    def expr(self, e: Node) -> str:
        k = e[0]
        if k == "slit":
            return '"' + str(e[1]) + '"'
        if k == "cat":
            return f"({self.expr(e[1])} .. {self.expr(e[2])})"
        if k == "str":
            return f"tostring({self.expr(e[1])})"
        if k == "abs":
            return f"math.abs({self.expr(e[1])})"
        if k == "trunc":  # towards zero, with and/or giving an operand
            inner = self.expr(e[1])
            return f"(({inner}) >= 0 and math.floor({inner}) or -math.floor(-({inner})))"
        if k == "bit":
            return f"({self.expr(e[2])} {e[1]} {self.expr(e[3])})"
        if k == "bnot":
            return f"(~{self.expr(e[1])})"
        if k == "pick":
            return f"({self.expr(e[1])} and {self.expr(e[2])} or {self.expr(e[3])})"
        if k == "power":
            return f"({self.expr(e[1])} ^ {self.lit(e[2])})"
        return super().expr(e)

    def stmt(self, s: Node, ind: str) -> list[str]:
        if s[0] == "set" and s[1] not in INT_VARS:
            return [f"{ind}{s[1]} = {self.expr(s[2])}"]
        return super().stmt(s, ind)

    def render(self, program: dict[str, Any]) -> str:
        text = super().render(program).replace("a = 1\nb = 2\n", 'a = 1\nb = 2\nx = 0.5\ns = "go"\n',
                                               1)
        return text + "".join(f"print({self.expr(e)})\n" for e in program["bits"])


class QBasic(Lua):
    """QBasic (grammar-defined): ``\\`` and ``MOD`` truncate; a FUNCTION's variables
    are its own and it returns by assigning to its name."""

    language = "qbasic"
    ext = ".bas"
    ops = {"=": "=", "<>": "<>", "div": "\\", "mod": "MOD", "and": "AND", "or": "OR"}
    names = {"a": "a", "b": "b", "x": "x", "s": "s$"}

    def expr(self, e: Node) -> str:
        k = e[0]
        if k == "slit":
            return '"' + str(e[1]) + '"'
        if k == "abs":
            return f"ABS({self.expr(e[1])})"
        if k == "trunc":
            return f"FIX({self.expr(e[1])})"
        if k == "str":
            return f"STR$({self.expr(e[1])})"
        if k == "call" and not self.in_function:
            return f"F({self.expr(e[1])}, {self.expr(e[2])})"
        if k == "not":
            return f"(NOT {self.expr(e[1])})"
        return super().expr(e)

    def stmt(self, s: Node, ind: str) -> list[str]:
        k = s[0]
        if k == "set" and s[1] not in INT_VARS:
            return [f"{ind}{self.name(s[1])} = {self.expr(s[2])}"]
        if k == "set":
            return [f"{ind}{s[1]} = ({self.expr(s[2])}) MOD 1000"]
        if k == "print":
            return [ind + "PRINT " + '; " "; '.join(self.expr(e) for e in s[1])]
        if k == "if":
            return ([f"{ind}IF {self.expr(s[1])} THEN"] + self.stmts(s[2], ind + "    ")
                    + [f"{ind}ELSE"] + self.stmts(s[3], ind + "    ") + [f"{ind}END IF"])
        if k == "for":
            return ([f"{ind}FOR i{s[1]} = 1 TO {s[2]}"] + self.stmts(s[3], ind + "    ")
                    + [f"{ind}NEXT i{s[1]}"])
        if k == "while":
            counter = f"w{s[1]}"
            return ([f"{ind}{counter} = 0", f"{ind}WHILE {counter} < {s[2]}",
                     f"{ind}    {counter} = {counter} + 1"] + self.stmts(s[3], ind + "    ")
                    + [f"{ind}WEND"])
        raise AssertionError(s)

    def render(self, program: dict[str, Any]) -> str:
        lines = ["DECLARE FUNCTION F (p, q)", "a = 1", "b = 2", "x = 0.5", 's$ = "go"']
        lines += self.stmts(program["body"], "")
        lines += ["END", "", "FUNCTION F (p, q)",
                  f"    F = ({self.function_body(program)}) MOD 1000", "END FUNCTION"]
        return "\n".join(lines) + "\n"
