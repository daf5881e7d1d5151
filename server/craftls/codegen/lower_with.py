"""Lowering of a grammar-defined language's ``with`` statement (``run: {is: with,
targets: ..., body: ...}``): in its body a bare name that is a field of a target's record
(or a method of its object) means that field of the target, the innermost target first,
before any variable of that name. Nothing here knows a language.

The target is read again at each use of a field, so only a variable or a field of one
(``with R``, ``with R.Origin``) may be a target: those name the same record however the
body changes variables. An array element or a pointer's variable (``with A[I]``, ``with
P^``), which the body could move, is a build error at its place."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..language.run_spec import RunSpec
from ..syntax import kinds as K
from ..syntax.parse import ParsedFile
from ..syntax.tree import SyntaxNode
from . import ir
from .link import ModuleFinder
from .lower import _text, linked
from .lower_objects import ObjectLowering

_Frame = tuple[ir.Local | ir.Global | ir.Field, ir.RecordSpec]


def lower_grammar(parsed: ParsedFile, path: str, find: ModuleFinder | None = None
                  ) -> ir.Program:
    """The program of a file in a grammar-defined language, with every extension of the
    grammar lowering (this class is the last of them) and the modules it imports (found
    by ``find``) linked in; raises ``BuildError``."""
    return linked(WithLowering, parsed, path, find)


class WithLowering(ObjectLowering):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.with_frames: list[_Frame] = []  # the enclosing targets, innermost last

    def statement(self, node: SyntaxNode) -> Iterator[ir.Stmt]:
        inner = self.unwrap(node)
        spec = self.runs.get(inner.kind)
        if spec is not None and spec.construct == "with":
            return iter(self.run_with(inner, spec))
        return super().statement(node)

    def run_with(self, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
        parts = self.parts(node, spec)
        if parts is None:
            return []
        mark = len(self.with_frames)
        try:
            for target_node in self.flat(parts.get("targets")):
                target = self.expr(target_node)
                typ = self.static_type(target)
                if not isinstance(typ, ir.RecordSpec):
                    self.fail(target_node, "with needs a variable declared as a record or "
                              "object")
                    return []
                if not _fixed(target):
                    self.fail(target_node, "with on an array element or a pointer's "
                              "variable is not supported by craftls run/build (only a "
                              "variable or its fields)")
                    return []
                assert isinstance(target, (ir.Local, ir.Global, ir.Field))
                self.with_frames.append((target, typ))
            return list(self.body_of(node, parts.get("body")))
        finally:
            del self.with_frames[mark:]

    def with_field(self, node: SyntaxNode) -> tuple[_Frame, str] | None:
        """The innermost ``with`` target that has a field (or method) of this name."""
        key = self.key(_text(node))
        for frame in reversed(self.with_frames):
            obj = self.objects.get(self.key(frame[1].name))
            if key in dict(frame[1].fields) or (obj is not None and key in obj.methods):
                return frame, key
        return None

    def name(self, node: SyntaxNode) -> ir.Expr:
        found = self.with_field(node)
        if found is None:
            return super().name(node)
        (target, spec), key = found
        obj = self.objects.get(self.key(spec.name))
        if obj is not None and key in obj.methods:
            return self.object_call(node, _at(target, node.start), obj, key, [],
                                    inherited=False)
        return ir.Field(node.start, _at(target, node.start), key)

    def target(self, node: SyntaxNode) -> ir.Target:
        inner = self.unwrap(node)
        found = self.with_field(inner) if inner.kind == K.NAME_REF else None
        if found is None or self.objects.get(self.key(found[0][1].name)) is not None \
                and found[1] in self.objects[self.key(found[0][1].name)].methods:
            return super().target(node)
        return ir.Field(inner.start, _at(found[0][0], inner.start), found[1])

    def make_call(self, node: SyntaxNode, callee: SyntaxNode, arg_nodes: list[SyntaxNode],
                  arg_list: SyntaxNode | None = None, name: str = "") -> ir.Expr:
        found = self.with_field(callee) if not name else None  # name: run.function's
        if found is not None:
            (target, spec), key = found
            obj = self.objects.get(self.key(spec.name))
            if obj is not None and key in obj.methods:
                return self.object_call(callee, _at(target, callee.start), obj, key,
                                        arg_nodes, inherited=False)
        return super().make_call(node, callee, arg_nodes, arg_list, name)


def _fixed(expr: ir.Expr) -> bool:
    """A variable or a chain of its fields: the same record wherever it is read."""
    while isinstance(expr, ir.Field):
        expr = expr.base
    return isinstance(expr, (ir.Local, ir.Global))


def _at(target: ir.Local | ir.Global | ir.Field, pos: int) -> ir.Local | ir.Global | ir.Field:
    """The target read at ``pos`` (runtime errors point at the use)."""
    return dataclasses.replace(target, pos=pos)
