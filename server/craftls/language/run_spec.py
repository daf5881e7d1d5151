"""The ``run:`` annotation of a grammar rule: what its node means when the program runs.

A grammar names its own nodes (``while_stmt``, ``numeric_for``), so ``craftls run`` and
``build`` learn from the definition which canonical construct a node is and which of its
children plays which part; ``codegen/lower_grammar.py`` reads it. Written as a construct
name alone (``run: block``) or a mapping (``run: {is: while, condition: "'while'",
body: "'do'"}``). A part is a *selector* over the node's children:

* ``'tok'`` (or ``'a'|'b'``): the child nodes after each occurrence of that direct token,
  up to the node's next direct token, one group per occurrence;
* ``before 'tok'``: the child nodes before the first occurrence of that token; ``from
  'tok'``: every child node after it;
* ``rule``: the child nodes of that rule (``NAME_REF``, ``LITERAL`` for names, literals);
* ``N``: the N-th child node (1-based; negative counts from the end); ``*``: all of them;
  ``rest``: the child nodes no other part took;
* ``a/b``: ``b`` applied to the nodes ``a`` selected; ``#N`` after a step keeps its N-th
  group (``numeric_for/','#2``: the expression after the second comma).

A list of selectors is tried in order; the first that selects something wins. Problems
are reported at their YAML place; a rule whose annotation cannot be read runs as if it
had none (a build error wherever a program uses it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .operations import OPERATIONS

# construct -> its parts (the roles a selector fills)
CONSTRUCTS: dict[str, tuple[str, ...]] = {
    "none": (),  # runs nothing: a heading, a declaration without runtime meaning
    "refused": (),  # a build error at the node, saying why (`reason`)
    "block": ("body",),  # runs its statements in order
    # variables, with an optional type and values; bounds: an array of that type (QBasic's
    # DIM a(1 TO n) AS T)
    "declare": ("names", "type", "value", "bounds"),
    "const": ("name", "value", "type"),  # with a type: a variable with that first value
    # index, field: the target's subscripts and fields after its name (QBasic's a(i).f = v)
    "assign": ("target", "value", "index", "field"),
    "if": ("condition", "then", "else"),
    "while": ("condition", "body"),
    "repeat": ("body", "condition"),  # runs the body until the condition holds
    # the numeric for (var, start, stop, step), or the generic for (var, then vars, in
    # iterable: a call of an operation that gives rows, language/operations.ITERATORS)
    "for": ("var", "start", "stop", "step", "body", "vars", "iterable"),
    # owner: the object type a method body belongs to (Type.Method)
    # value: the expression it returns (QBasic's DEF FNf(x) = ...), instead of a body
    "function": ("name", "params", "type", "body", "owner", "value"),
    "procedure": ("name", "params", "type", "body", "owner"),
    "return": ("value",),
    "call": ("callee", "args"),
    "print": ("args", "using"),  # using: the format of PRINT USING (print_using)
    "halt": ("value",),
    "break": (),
    "continue": (),
    "exit": (),  # leave the current function or procedure
    "binary": (),
    "unary": (),
    "group": ("value",),  # a parenthesised expression
    # base[i, j].f: each index node's children are subscripts; a field node names a field
    # deref: p^ (a pointer's variable); args: x.m(args), a method call; method: x:m(args),
    # a call of the member m of the builtin library `methods` with x first (Lua's s:upper())
    "index": ("base", "index", "field", "deref", "args", "method"),
    "array": ("bounds", "of"),  # an array type: bound nodes (low and high children), element
    "text_type": (),  # a string type (Pascal's string, string[N]): the runtime's strings
    # BASIC-family control (codegen/lower_basic.py)
    "loop": ("condition", "body"),  # DO [WHILE|UNTIL c] ... LOOP [WHILE|UNTIL c]
    "select": ("subject", "cases"),  # SELECT CASE x: the first `when` whose test holds
    # one case of a select: its tests (value, a TO b, IS < x), its body (Pascal's CASE
    # statement, `case` and `arm` below, is lowered apart: codegen/lower_ordinals.py)
    "when": ("tests", "body"),
    "gosub": ("label",),  # run the subroutine at a label, come back at its RETURN
    "input": ("prompt", "targets"),  # read a line of stdin into a variable
    "data": ("items",),  # DATA: items READ takes, in source order; runs nothing itself
    "read": ("targets",),  # READ: each target takes the next DATA item
    "restore": ("label",),  # RESTORE [label]: READ takes the first item after the label
    # structured programs (codegen/lower_structured.py)
    "typedef": ("name", "type"),  # a named type: `type T = ...`
    # a record type: its field nodes (each a `declare`: names, type); with a name, a
    # statement declaring that type (QBasic's TYPE ... END TYPE); with a parent, the
    # type whose fields it has too (FreeBASIC's EXTENDS: typed, not run)
    "record": ("fields", "name", "parent"),
    # a type's name; width: a fixed-length string of that many characters (STRING * 16)
    "type_name": ("width",),
    # a labelled statement (or a label alone): a goto's target, or where a GOSUB
    # subroutine starts
    "label": ("name", "body"),
    "goto": ("label",),  # a jump forward to a label of an enclosing statement list
    "text": (),  # a string literal joined from quoted parts and character codes
    "case": ("subject", "arms", "else"),  # the first arm one of whose labels is the subject
    "arm": ("labels", "body"),  # a case arm: its label values (or ranges) and statement
    "range": ("low", "high"),  # low..high: a case label, a set element
    "format": ("value", "width", "decimals"),  # Write(x:8:2)
    # an enumeration type (or a grammar extension's enum form): its values are the
    # constants 0, 1, 2 ..., in order
    "enum": ("values",),
    "settype": ("of",),  # a set type (of small ordinals): a bit set in an integer
    "set": ("elements",),  # a set value [a, b..c]
    "pointer": ("to",),  # a pointer type ^T
    "aggregate": ("items",),  # an array constant (1, 2, 3)
    "variant": ("tag", "type", "arms"),  # a record's variant part: each arm's fields
    "object": ("parent", "members"),  # an object type: fields and method headings
    # a class type (Free Pascal's objfpc, Delphi): an object type whose values are
    # references; the type checks read it as an object type, craftls run/build does not
    # lower it
    "class": ("parent", "members"),
    "inherited": ("name", "args"),  # a call of the ancestor's method
    "with": ("targets", "body"),  # the targets' fields by their bare names in the body
    "list": ("items",),  # a list of its items' values (Lua's table constructor {1, 2})
    # a table (codegen/tables.py): its items, each a value (the array part) or an `entry`
    "table": ("items",),
    "entry": ("name", "key", "value"),  # a table's field: name = value or [key] = value
    # a function as a value (Lua's function (a, b) ... end): a routine of its own; the
    # local variables around it that it uses are shared with it (a closure). As a
    # statement (Lua's function t.a.b() ... end): target, the field it is stored into;
    # method, the node of `:m` (the function gets a first parameter `self`)
    "function_value": ("params", "body", "target", "method"),
}
# canonical operators (codegen/ir.py's Binary and Unary)
BINARY_OPS = frozenset({"add", "sub", "mul", "fdiv", "idiv", "cdiv", "mod", "pow", "eq", "ne",
                        "lt", "gt", "le", "ge", "and", "or", "concat", "in",
                        # Lua's and/or: the first operand when it is false or null (and) /
                        # neither (or), else the second, which runs only then
                        "and_operand", "or_operand"})
UNARY_OPS = frozenset({"neg", "pos", "not"})
# the canonical meaning of a keyword-level definition's operator, by its text (a word
# operator by its keyword's concept): what ``codegen/lower.py`` runs, and what a block
# style's template writes into its ``run:`` annotations (``syntax/template_runs.py``)
COMPARISONS = {"=": "eq", "==": "eq", "<>": "ne", "!=": "ne", "<": "lt", ">": "gt",
               "<=": "le", ">=": "ge"}
ARITHMETIC = {"+": "add", "-": "sub", "*": "mul", "&": "concat", "^": "pow", "**": "pow",
              "//": "idiv", "\\": "idiv", "%": "mod", "&&": "and", "||": "or"}
WORD_OPERATORS = {"and": "and", "or": "or", "div": "idiv", "mod": "mod", "in": "in"}
# keys besides the parts: operators, tokens and options
OPTION_KEYS = frozenset({"is", "ops", "levels", "boolean", "refuse", "ignore", "down",
                         "by_reference", "by_value", "locals", "separator", "line",
                         "default", "result", "scoped", "until", "after", "otherwise",
                         "compare", "through", "ask", "ask_after", "text_suffix",
                         "real_suffix", "pad_numbers", "reason", "loops", "shared", "code",
                         "virtual", "constructor", "function", "appends", "truthy",
                         "operation", "subscripts", "arrays", "types", "zone_width",
                         "zone_separator", "methods", "varargs", "several"})
_STEP = re.compile(r"""^(?:(?P<before>before\s+|from\s+)?(?P<toks>'[^']+'(?:\|'[^']+')*)"""
                   r"""|(?P<num>-?\d+)|(?P<all>\*)|(?P<rest>rest)"""
                   r"""|(?P<rule>[A-Za-z_][A-Za-z0-9_]*))(?:#(?P<group>\d+))?$""")


@dataclass(frozen=True)
class Step:
    kind: str  # after | before | from | nth | all | rest | rule
    tokens: tuple[str, ...] = ()
    number: int = 0
    rule: str = ""
    group: int = 0  # keep only this group (1-based); 0: every group


Selector = tuple[Step, ...]


@dataclass(frozen=True)
class RunSpec:
    construct: str
    parts: tuple[tuple[str, tuple[Selector, ...]], ...] = ()
    ops: tuple[tuple[str, str], ...] = ()  # operator text -> canonical operator
    levels: tuple[tuple[str, ...], ...] = ()  # a flat operand list's precedence, loosest first
    boolean: tuple[str, ...] = ()  # operators that run only on operands known to be booleans
    refuse: tuple[str, ...] = ()  # a direct token that makes the node not runnable
    ignore: tuple[Selector, ...] = ()  # children with no runtime meaning
    down: tuple[str, ...] = ()  # for: a token that makes the loop count down
    by_reference: tuple[str, ...] = ()  # function: a token marking a VAR parameter
    by_value: tuple[str, ...] = ()  # function: a token marking a by-value parameter
    locals: str = "assigned"  # function: assigned | all (every variable is its own)
    separator: str = ""  # print: written between the values
    line: str = "always"  # print: always | unless_trailing (';' or ',' at the end)
    # declare: "null" gives a variable without a value the null value; assign: every
    # global starts as null (Lua's globals)
    default: str = ""
    result: str = ""  # function: "name" when it returns by assigning to its name
    # declare, for, block: the names declared here (a loop's variable) are new variables,
    # seen until the end of the enclosing body (Lua's locals); otherwise one per function
    scoped: bool = False
    until: tuple[str, ...] = ()  # loop: a token before a condition that ends the loop
    after: tuple[str, ...] = ()  # loop: a condition after this token is tested each turn's end
    otherwise: tuple[str, ...] = ()  # when: the token of the case taken when no other is
    compare: tuple[str, ...] = ()  # when: the token of a test `IS <op> value` (ops: its op)
    through: tuple[str, ...] = ()  # when: the token of a range test `low TO high`
    ask: str = ""  # input: written after the prompt (or alone without one)
    ask_after: tuple[str, ...] = ()  # input: a prompt followed by this token gets `ask`
    text_suffix: tuple[str, ...] = ()  # input: a target ending so reads text
    real_suffix: tuple[str, ...] = ()  # input: a target ending so reads a real
    pad_numbers: bool = False  # print: numbers with spaces around them (print_spaced)
    # assign: an element assigned one past the end of a list is appended (Lua's
    # t[#t + 1] = v)
    appends: bool = False
    # if, while, repeat: a condition not known to be a boolean holds unless it is false or
    # null (Lua's truth)
    truthy: bool = False
    reason: str = ""  # refused: why the construct does not run
    loops: tuple[str, ...] = ()  # exit: `EXIT DO` leaves the innermost loop, if a DO loop
    shared: tuple[str, ...] = ()  # block: a token making its top-level declarations seen in
    # every routine whose variables are otherwise its own (QBasic's DIM SHARED)
    code: str = ""  # text: the prefix of a character code (#13, #$0D)
    virtual: tuple[str, ...] = ()  # a method heading: a token marking it virtual
    constructor: tuple[str, ...] = ()  # a method: a token marking it a constructor
    # call: the function (or builtin) it calls, by name, when no child names it (a grammar
    # extension's operator form: `n!` calls the program's `factorial`)
    function: str = ""
    # call: the runtime operation it calls, no routine named (QBasic's LINE: screen_only)
    operation: str = ""
    # call: a call of a variable is its element, a(i, j); a() the whole array (QBasic)
    subscripts: bool = False
    # function, procedure: a token making a parameter an array of its type, passed by
    # reference (QBasic's items() AS T)
    arrays: tuple[str, ...] = ()
    # type_name: a type word's runtime type (int, float, bool, str): a variable declared
    # so starts at its default (0, 0.0 ...)
    types: tuple[tuple[str, str], ...] = ()
    # print: a separator item holding one of these tokens moves to the next zone of
    # zone_width columns (QBasic's `,`: zones of 14)
    zone_width: int = 0
    zone_separator: tuple[str, ...] = ()
    # index: the builtin library whose members a method call x:m(args) calls, x first
    methods: str = ""
    # function, function_value: the token of a last parameter taking the extra arguments
    # (Lua's `...`); as an expression in the body, those arguments
    varargs: tuple[str, ...] = ()
    # return: several values, and Lua's rules for calls: a call or `...` last in a list
    # of values (arguments, a table's items, a return's values, a declaration's values)
    # gives all its results, anywhere else its first
    several: bool = False
    line_no: int = 0
    column: int = 0

    def part(self, name: str) -> tuple[Selector, ...]:
        for key, selectors in self.parts:
            if key == name:
                return selectors
        return ()


Problem = Callable[..., None]


def parse_selector(text: str) -> Selector | None:
    steps: list[Step] = []
    for raw in text.strip().split("/"):
        m = _STEP.match(raw.strip())
        if m is None:
            return None
        group = int(m.group("group") or 0)
        if m.group("toks"):
            toks = tuple(t[1:-1] for t in m.group("toks").split("|"))
            how = (m.group("before") or "after").strip()
            steps.append(Step(how, toks, group=group))
        elif m.group("num"):
            steps.append(Step("nth", number=int(m.group("num")), group=group))
        elif m.group("all"):
            steps.append(Step("all", group=group))
        elif m.group("rest"):
            steps.append(Step("rest", group=group))
        else:
            steps.append(Step("rule", rule=m.group("rule"), group=group))
    return tuple(steps) if steps else None


def read_run(rule: str, raw: Any, path: tuple[Any, ...], problem: Problem,
             at: tuple[int, int]) -> RunSpec | None:
    """The rule's ``run`` annotation, or None when it has none or it cannot be read."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = {"is": raw}
    if not isinstance(raw, dict):
        problem(path, f"'run' in rule '{rule}' must be a construct name or a mapping with 'is'")
        return None
    construct = raw.get("is")
    if construct not in CONSTRUCTS:
        problem(path + ("is",) if "is" in raw else path,
                f"'run.is' in rule '{rule}' must be one of {', '.join(sorted(CONSTRUCTS))}")
        return None
    values: dict[str, Any] = {}
    parts: list[tuple[str, tuple[Selector, ...]]] = []
    for key, value in raw.items():
        here = path + (key,)
        if key in CONSTRUCTS[construct]:
            selectors = _selectors(rule, key, value, here, problem)
            if selectors:
                parts.append((key, selectors))
        elif key != "is":
            _option(rule, construct, key, value, here, problem, values)
    _check_options(rule, construct, values, path, problem)
    if (values.get("function") or values.get("operation")) \
            and not any(role == "args" for role, _ in parts):
        # a call no child names: its arguments are the child nodes no other part took
        parts.append(("args", ((Step("rest"),),)))
    return RunSpec(construct, tuple(parts), line_no=at[0], column=at[1], **values)


def _check_options(rule: str, construct: str, values: dict[str, Any], path: tuple[Any, ...],
                   problem: Problem) -> None:
    """Options that do not fit the construct: said, and those that cannot apply dropped."""
    if "function" in values and construct != "call":
        problem(path + ("function",), f"'run.function' in rule '{rule}' is for 'is: call' "
                                      "only; ignored", "warning")
        del values["function"]
    if "operation" in values and (construct != "call"
                                  or values["operation"] not in OPERATIONS):
        problem(path + ("operation",), f"'run.operation' in rule '{rule}' must name a runtime "
                                       "operation, on 'is: call' only; ignored", "warning")
        del values["operation"]
    if "several" in values and construct != "return":
        problem(path + ("several",), f"'run.several' in rule '{rule}' is for 'is: return' "
                                     "only; ignored", "warning")
        del values["several"]
    if "varargs" in values and construct not in ("function", "procedure", "function_value"):
        problem(path + ("varargs",), f"'run.varargs' in rule '{rule}' is for a function "
                                     "only; ignored", "warning")
        del values["varargs"]
    if construct in ("binary", "unary") and "ops" not in values:
        problem(path, f"'run' in rule '{rule}' needs 'ops': the operators it runs and their "
                      "meanings", "warning")


_CHOICES = {"locals": ("assigned", "all"), "line": ("always", "unless_trailing"),
            "default": ("null",), "result": ("name",)}


def _option(rule: str, construct: str, key: str, value: Any, here: tuple[Any, ...],
            problem: Problem, values: dict[str, Any]) -> None:
    """One key besides the parts, into ``values``; a problem when it is not understood."""
    if key == "ignore":
        values["ignore"] = _selectors(rule, key, value, here, problem)
    elif key in ("refuse", "boolean", "down", "by_reference", "by_value", "until", "after",
                 "otherwise", "compare", "through", "ask_after", "text_suffix",
                 "real_suffix", "loops", "shared", "virtual", "constructor", "arrays",
                 "zone_separator", "varargs"):
        values[key] = _words(rule, key, value, here, problem)
    elif key in ("ops", "types", "zone_width"):
        _checked(rule, construct, key, value, here, problem, values)
    elif key == "levels":
        if not isinstance(value, list) or not all(isinstance(v, list) for v in value):
            problem(here, f"'run.levels' in rule '{rule}' must be a list of lists of "
                          "operators, loosest first")
        else:
            values["levels"] = tuple(tuple(str(op) for op in level) for level in value)
    elif key in ("scoped", "pad_numbers", "appends", "truthy", "subscripts", "several"):
        if not isinstance(value, bool):
            problem(here, f"'run.{key}' in rule '{rule}' must be true or false")
        else:
            values[key] = value
    elif key in ("locals", "line", "separator", "default", "result", "ask", "reason",
                 "code", "function", "operation", "methods"):
        choices = _CHOICES.get(key)
        if not isinstance(value, str) or (choices and value not in choices):
            shown = f"one of {', '.join(choices)}" if choices else "a string"
            problem(here, f"'run.{key}' in rule '{rule}' must be {shown}")
        else:
            values[key] = value
    else:
        problem(here, f"unknown key 'run.{key}' in rule '{rule}' (the parts of "
                      f"'{construct}': {', '.join(CONSTRUCTS[construct]) or 'none'})",
                "warning", key=True)


def _checked(rule: str, construct: str, key: str, value: Any, here: tuple[Any, ...],
             problem: Problem, values: dict[str, Any]) -> None:
    """``ops``, ``types`` and ``zone_width``, each checked in its own way."""
    if key == "ops":
        values[key] = _ops(rule, construct, value, here, problem)
    elif key == "types":
        values[key] = _types(rule, value, here, problem)
    elif type(value) is not int or not 1 <= value <= 1000:
        problem(here, f"'run.zone_width' in rule '{rule}' must be a whole number from 1 to "
                      "1000")
    else:
        values[key] = value


def _types(rule: str, value: Any, path: tuple[Any, ...],
           problem: Problem) -> tuple[tuple[str, str], ...]:
    scalars = ("int", "float", "bool", "str")
    if not isinstance(value, dict) or not all(
            isinstance(k, str) and v in scalars for k, v in value.items()):
        problem(path, f"'run.types' in rule '{rule}' must map type names to one of "
                      f"{', '.join(scalars)}")
        return ()
    return tuple((str(k), str(v)) for k, v in value.items())


def _selectors(rule: str, key: str, value: Any, path: tuple[Any, ...],
               problem: Problem) -> tuple[Selector, ...]:
    texts = value if isinstance(value, list) else [value]
    out: list[Selector] = []
    for i, text in enumerate(texts):
        selector = parse_selector(str(text)) if isinstance(text, (str, int)) else None
        if selector is None:
            problem(path + ((i,) if isinstance(value, list) else ()),
                    f"'run.{key}' in rule '{rule}': {text!r} is no selector ('tok', before "
                    "'tok', a rule name, N, *, rest, a/b, #N)")
            continue
        out.append(selector)
    return tuple(out)


def _words(rule: str, key: str, value: Any, path: tuple[Any, ...],
           problem: Problem) -> tuple[str, ...]:
    words = value if isinstance(value, list) else [value]
    if not all(isinstance(w, str) for w in words):
        problem(path, f"'run.{key}' in rule '{rule}' must be a list of tokens")
        return ()
    return tuple(words)


def _ops(rule: str, construct: str, value: Any, path: tuple[Any, ...],
         problem: Problem) -> tuple[tuple[str, str], ...]:
    known = UNARY_OPS if construct == "unary" else BINARY_OPS
    # an operator may also mean a runtime operation of one (unary) or two operands
    # (Lua's `&` is bit_and, `#` length): lowered to a call of that operation
    arity = 1 if construct == "unary" else 2
    operations = {name for name, (low, high, _) in OPERATIONS.items()
                  if low <= arity and (high is None or arity <= high)}
    if not isinstance(value, dict):
        problem(path, f"'run.ops' in rule '{rule}' must map operators to their meanings")
        return ()
    out: list[tuple[str, str]] = []
    for symbol, meaning in value.items():
        if meaning not in known and meaning not in operations:
            problem(path + (symbol,), f"'run.ops' in rule '{rule}': {meaning!r} is not one of "
                                      f"{', '.join(sorted(known))} nor a runtime operation of "
                                      f"{arity} operand(s)")
            continue
        out.append((str(symbol), str(meaning)))
    return tuple(out)
