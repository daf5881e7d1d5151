"""Lowering of a grammar's ``print`` construct: the values one after another
(``separator`` between them, ``pad_numbers``: BASIC's spaces around numbers), a line break
unless the list ends with ``;`` or ``,`` (``line: unless_trailing``), a zone separator
item moving to the next print zone (``zone_width``, ``zone_separator``: QBasic's ``,``),
``TAB(n)`` among the values and a ``using`` part (PRINT USING, the runtime's
``print_using``).

Functions over a ``lower_grammar._GrammarLowering`` (its ``run_print`` calls them), kept
apart as ``lower_basic`` is; nothing here knows a language: the tokens come from the
annotations (docs/language-definition.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..language.run_spec import RunSpec
from ..syntax.tree import SyntaxNode
from . import ir

if TYPE_CHECKING:
    from .lower_grammar import _GrammarLowering as Lo

# operations that mean something only as an item of a print (a column of its line)
PRINT_OPERATIONS = frozenset({"tab", "zone"})


def run_print(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    parts = lo.parts(node, spec)
    if parts is None:
        return []
    every = lo.flat(parts.get("args"))
    fmt = lo.one(parts.get("using"))
    # a node of a rule that runs nothing (QBasic's `;` item) separates the values; a zone
    # separator (its `,`) moves to the next print zone, but in PRINT USING
    args = [a for a in every if lo.construct(a) != "none"
            or (fmt is None and _zone_item(lo, a, spec))]
    toks = lo.tokens(node)
    name = toks[0].text if toks else "print"
    lo.printing = fmt is None
    try:
        values = _print_values(lo, args, spec, name)
    finally:
        lo.printing = False
    last = args[-1].end if args else node.start
    trailing = spec.line == "unless_trailing" and (any(
        t.start >= last and t.text in (";", ",") for t in toks) or (
        bool(every) and lo.construct(every[-1]) == "none"))
    if fmt is not None:  # PRINT USING fmt; values: the values in the format's fields
        if not values:
            lo.fail(node, f"{name} USING without a value to format")
        values = [ir.BuiltinCall(fmt.start, "print_using", name, (lo.expr(fmt), *values))]
    # a TAB (or zone) item counts from the column the items before it reach: they are
    # written first, in a write of their own, and the TAB starts the next one
    out: list[ir.Stmt] = []
    while any(_positioned(v) for v in values[1:]):
        cut = next(k for k, v in enumerate(values) if k and _positioned(v))
        out.append(ir.ExprStmt(node.start, ir.BuiltinCall(
            node.start, "write", name, tuple(values[:cut]))))
        values = values[cut:]
    out.append(ir.ExprStmt(node.start, ir.BuiltinCall(
        node.start, "write" if trailing else "write_line", name, tuple(values))))
    return out


def _zone_item(lo: Lo, item: SyntaxNode, spec: RunSpec) -> bool:
    """A separator item that moves to the next print zone (QBasic's `,`)."""
    return bool(spec.zone_width) and lo.construct(item) == "none" and any(
        lo.same(t.text, spec.zone_separator) for t in lo.tokens(item))


def _print_values(lo: Lo, args: list[SyntaxNode], spec: RunSpec,
                  name: str) -> list[ir.Expr]:
    values: list[ir.Expr] = []
    for i, arg in enumerate(args):
        if i and spec.separator:
            values.append(ir.Const(arg.start, spec.separator))
        if _zone_item(lo, arg, spec):
            values.append(ir.BuiltinCall(arg.start, "zone", name,
                                         (ir.Const(arg.start, spec.zone_width),)))
            continue
        value = lo.expr(arg)
        if spec.pad_numbers and lo.printing and not _positioned(value) and not (
                isinstance(value, ir.Const) and isinstance(value.value, str)):
            value = ir.BuiltinCall(arg.start, "print_spaced", name, (value,))
        values.append(value)
    return values


def _positioned(value: ir.Expr) -> bool:
    """An item whose text depends on the output's column (TAB, a zone)."""
    return isinstance(value, ir.BuiltinCall) and value.op in PRINT_OPERATIONS
