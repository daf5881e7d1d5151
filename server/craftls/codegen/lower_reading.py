"""Lowering of Pascal's ``Read`` and ``ReadLn`` (operations ``read_values`` and
``read_values_line``): a statement that stores into each of its variable arguments,
lowered to one assignment per variable by the variable's declared type:

* an integer: ``int(read_token)``, the next word of stdin (blanks and line breaks
  before it skipped) as a whole number, else a runtime error;
* a real: ``float(read_token)``, likewise;
* a string (a type a ``text_type`` node names: Pascal's ``string``, ``string[N]``):
  ``read_rest``, the rest of the current line without its line break;

then, for ``ReadLn``, ``skip_line`` (past the next line break). The runtime side is
``reading.py`` (interpreter and WebAssembly host) and ``c_reading.py``. A variable of
another type (a boolean, an enumeration, a record, an untyped one) and a file as the
first argument are build errors at their place: nothing is read into them by a guess.
So is a ``Char``: the runtime has no character type (a character is a one-character
string), and reading the rest of the line into it would not be Pascal's one character.
A function over an ``OrdinalLowering`` (which knows the variables' declared types);
nothing here knows a language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..language.run_spec import RunSpec
from ..syntax.tree import SyntaxNode
from . import ir
from .lower import _text
from .lower_grammar import TextSpec

if TYPE_CHECKING:
    from .lower_ordinals import OrdinalLowering

READING = frozenset({"read_values", "read_values_line"})
_CONVERT = {"int": "int", "float": "float"}


def read_call(lo: OrdinalLowering, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt] | None:
    """The statements of ``Read(...)``/``ReadLn(...)``; None for other calls."""
    parts = lo.parts(node, spec)
    callee = lo.name_of(lo.one(parts.get("callee"))) if parts else None
    builtin = lo.d.builtin(_text(callee)) if callee is not None else None
    if builtin is None or builtin.implements not in READING or callee is None or \
            parts is None:
        return None
    key = lo.key(_text(callee))
    if key in lo.scope.slots or key in lo.decls:
        return None
    return _reads(lo, node, callee, builtin.implements, lo.flat(parts.get("args")))


def bare_read(lo: OrdinalLowering, node: SyntaxNode) -> list[ir.Stmt] | None:
    """``ReadLn;`` (the name alone): skip past the next line break; ``Read;`` reads
    nothing. None for other names."""
    builtin = lo.d.builtin(_text(node))
    key = lo.key(_text(node))
    if builtin is None or builtin.implements not in READING or key in lo.scope.slots or \
            key in lo.decls:
        return None
    return _reads(lo, node, node, builtin.implements, [])


def _reads(lo: OrdinalLowering, node: SyntaxNode, callee: SyntaxNode, op: str | None,
           args: list[SyntaxNode]) -> list[ir.Stmt]:
    name = _text(callee)
    out: list[ir.Stmt] = []
    for arg in args:
        target = lo.target(arg)
        value = _read_value(lo, arg, name, lo.static_type(target))
        if value is not None:
            out.append(ir.Assign(arg.start, target, value))
    if op == "read_values_line":
        out.append(ir.ExprStmt(node.start, ir.BuiltinCall(callee.start, "skip_line", name, ())))
    return out


def _read_value(lo: OrdinalLowering, arg: SyntaxNode, name: str,
                typ: ir.TypeSpec) -> ir.Expr | None:
    kind = typ.name if type(typ) is ir.Scalar else ""
    if isinstance(typ, TextSpec):
        return ir.BuiltinCall(arg.start, "read_rest", name, ())
    if kind in _CONVERT:
        word = ir.BuiltinCall(arg.start, "read_token", name, ())
        return ir.BuiltinCall(arg.start, _CONVERT[kind], name, (word,))
    lo.fail(arg, f"{name} into this variable is not supported by craftls run/build: it "
            "reads integers, reals and strings (not characters) into variables declared "
            "with those types")
    return None
