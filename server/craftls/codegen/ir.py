"""The program as the interpreter and the back ends see it: a small, language-free tree.

``lower.py`` builds it from a parsed file; names are resolved to slots, operators to
their canonical meaning, builtins to runtime operations. Every node keeps ``pos``, the
source offset that runtime errors and line maps point at. Immutable."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

Value: TypeAlias = int | float | bool | str | None


# ----- declared types (for default values and conversions on assignment) -----

@dataclass(frozen=True)
class Scalar:
    name: str  # int | float | bool | str | any
    # a fixed-length string (QBasic's STRING * n): it starts as n NUL characters, and the
    # lowering pads or cuts every value stored into it (operation fixed_length)
    width: int = 0


@dataclass(frozen=True)
class ArraySpec:
    low: int
    high: int
    elem: TypeSpec


@dataclass(frozen=True)
class RecordSpec:
    name: str
    fields: tuple[tuple[str, TypeSpec], ...]


@dataclass(frozen=True)
class ListSpec:
    pass


TypeSpec: TypeAlias = Scalar | ArraySpec | RecordSpec | ListSpec
ANY = Scalar("any")


# ----- expressions -----

@dataclass(frozen=True)
class Const:
    pos: int
    value: Value


@dataclass(frozen=True)
class Local:
    pos: int
    name: str
    slot: int
    ref: bool = False  # a VAR parameter: the slot holds a reference
    typ: TypeSpec = ANY


@dataclass(frozen=True)
class Global:
    pos: int
    name: str
    slot: int
    typ: TypeSpec = ANY


@dataclass(frozen=True)
class Undefined:
    pos: int
    name: str


@dataclass(frozen=True)
class Index:
    pos: int
    base: Expr
    index: Expr


@dataclass(frozen=True)
class Field:
    pos: int
    base: Expr
    name: str


@dataclass(frozen=True)
class Call:
    pos: int
    func: str  # key into Program.functions
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class BuiltinCall:
    pos: int
    op: str  # a runtime library operation
    name: str  # as the program spells it, for messages
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Binary:
    pos: int
    op: str  # add sub mul fdiv idiv mod pow eq ne lt gt le ge and or concat in
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Unary:
    pos: int
    op: str  # neg pos not
    operand: Expr


@dataclass(frozen=True)
class ListLit:
    pos: int
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class RangeList:
    """``a..b`` as a value: the integers from a to b, both included."""

    pos: int
    low: Expr
    high: Expr


@dataclass(frozen=True)
class FuncRef:
    """A function as a value (Lua's ``function (a, b) ... end``); the runtime calls it
    where an operation takes a function (``sort``'s comparator)."""

    pos: int
    func: str  # key into Program.functions


# ----- Lua's function values, multiple results and varargs (docs/codegen.md) -----
# A call of a function value, a method call and a call of a routine may give several
# results: a *pack* (the runtime's multi-value). ``Nth`` takes one of them (the first
# where one value is wanted), ``Spread`` (only last in an argument list, a table's
# items or a ``Pack``) passes them all on, ``Pack`` makes one (``return a, b``).

@dataclass(frozen=True)
class CallValue:
    """A call of the function value ``callee``; its result as it is (maybe a pack)."""

    pos: int
    callee: Expr
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class MethodCall:
    """``receiver:name(args)``: the receiver's field ``name`` (found through its
    metatable's ``__index``) called with the receiver first; its result as it is."""

    pos: int
    receiver: Expr
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Closure:
    """A function value that uses variables around it: ``env`` (a table of the cells
    of those variables) is passed to it as its first argument on every call."""

    pos: int
    func: str
    env: Expr


@dataclass(frozen=True)
class Pack:
    pos: int
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Nth:
    """The ``index``-th value (from 1) of a pack, null past its end; a value that is not
    a pack is its own first value."""

    pos: int
    value: Expr
    index: int


@dataclass(frozen=True)
class Spread:
    pos: int
    value: Expr
    # written before each of the values but where it would come first in the list
    # (Lua's print: a tab between all its values)
    sep: Expr | None = None


Expr: TypeAlias = (
    Const | Local | Global | Undefined | Index | Field | Call | BuiltinCall | Binary |
    Unary | ListLit | RangeList | FuncRef | CallValue | MethodCall | Closure | Pack | Nth |
    Spread)
Target: TypeAlias = Local | Global | Index | Field


# ----- statements -----

@dataclass(frozen=True)
class Assign:
    pos: int
    target: Target
    value: Expr


@dataclass(frozen=True)
class Declare:
    """A variable comes into being with its type's default value."""

    pos: int
    target: Local | Global
    typ: TypeSpec


@dataclass(frozen=True)
class ExprStmt:
    pos: int
    expr: Expr


@dataclass(frozen=True)
class If:
    pos: int
    arms: tuple[tuple[Expr, Body], ...]
    orelse: Body | None


@dataclass(frozen=True)
class While:
    pos: int
    cond: Expr
    body: Body


@dataclass(frozen=True)
class Repeat:
    pos: int
    body: Body
    until: Expr


@dataclass(frozen=True)
class For:
    """Counted loop, bounds included, ``step`` evaluated once."""

    pos: int
    var: Target
    start: Expr
    stop: Expr
    step: Expr


@dataclass(frozen=True)
class ForBody:
    loop: For
    body: Body


@dataclass(frozen=True)
class ForIn:
    pos: int
    var: Target
    iterable: Expr
    body: Body


@dataclass(frozen=True)
class Case:
    pos: int
    subject: Expr
    arms: tuple[tuple[tuple[tuple[Expr, Expr | None], ...], Body], ...]
    orelse: Body | None


@dataclass(frozen=True)
class Return:
    pos: int
    value: Expr | None


@dataclass(frozen=True)
class Jump:
    pos: int
    kind: str  # break | continue | exit


Stmt: TypeAlias = (
    Assign | Declare | ExprStmt | If | While | Repeat | ForBody | ForIn | Case |
    Return | Jump)
Body = tuple[Stmt, ...]


@dataclass(frozen=True)
class Param:
    name: str
    slot: int
    ref: bool
    typ: TypeSpec


@dataclass(frozen=True)
class Function:
    key: str
    name: str
    pos: int
    params: tuple[Param, ...]
    slots: tuple[str, ...]  # every local's name, by slot
    body: Body
    result_slot: int | None  # Pascal-style functions assign their result to their name
    result_type: TypeSpec = ANY
    # the slot of a parameter that takes a pack of the arguments past the others
    # (Lua's ``...``); such a function is called through its value (CallValue)
    vararg_slot: int | None = None


@dataclass(frozen=True)
class Options:
    """What the definition says about values: spellings and arithmetic."""

    true_text: str = "true"
    false_text: str = "false"
    null_text: str = "null"
    index_base: int = 0
    floor_division: bool = False  # Python family: // and % round towards minus infinity
    real_digits: int = 0  # a real's significant digits as written; 0: the shortest (repr)


@dataclass(frozen=True)
class Program:
    path: str
    text: str
    options: Options
    globals: tuple[str, ...]
    functions: dict[str, Function] = field(hash=False)
    main: Body = ()
    # the imported modules' files: (path, text, base); a position at or past a base is
    # an offset into that text plus the base (codegen/link.py)
    sources: tuple[tuple[str, str, int], ...] = ()
