"""The name walk recurses while it is shallow and goes on with an explicit stack below
``resolve.DEEP`` (``Resolver._walk``). Both must give the same names: each test walks a
file twice, the ordinary way and entirely by the stack (``deep = 0``), and compares
every symbol, reference, call site and duplicate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from benchmarks.common import basic_script, pascal_program, teachlang_script
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.language.catalog import bundled
from craftls.semantics.item_walks import TemplateCache
from craftls.semantics.model import Scope
from craftls.semantics.resolve import DEEP, Resolver
from craftls.syntax.parse import parse

from .conftest import SAMPLES


def _scope(scope: Scope | None) -> tuple[str, int, int] | None:
    return None if scope is None else (scope.kind, scope.start, scope.end)


def names_of(language_id: str, text: str, deep: int) -> dict[str, Any]:
    """Everything the name walk found, as plain values (positions, not objects)."""
    resolver = Resolver(parse(bundled(language_id), text), templates=TemplateCache(0))
    resolver.deep = deep
    model = resolver.run()
    return {
        "symbols": [(s.name, s.kind, s.start, s.end, s.decl_start, s.decl_end,
                     s.type_text, _scope(s.scope), s.reads, s.writes,
                     [p.start for p in s.params]) for s in model.symbols],
        "references": [(r.name, r.start, r.is_write, r.is_type, _scope(r.scope),
                        r.symbol.start if r.symbol is not None else None, r.builtin)
                       for r in model.references],
        "calls": [(c.callee.start, c.args, c.start, c.end, c.args_start, c.args_end,
                   c.arg_ranges) for item in model.items for c in item.calls()],
        "duplicates": [(a.start, b.start) for a, b in resolver.duplicates],
        "scopes": [_scope(s) for s in _all_scopes(model.root_scope)],
    }


def _all_scopes(root: Scope) -> list[Scope]:
    out, todo = [], [root]
    while todo:
        scope = todo.pop()
        out.append(scope)
        todo.extend(reversed(scope.children))
    return out


def same_both_ways(language_id: str, text: str) -> None:
    ordinary = names_of(language_id, text, DEEP)
    by_stack = names_of(language_id, text, 0)
    assert by_stack == ordinary


@pytest.mark.parametrize("language_id, path", SAMPLES, ids=lambda v: getattr(v, "name", v))
def test_the_stack_walk_finds_what_the_recursive_walk_finds_in_the_examples(
        language_id: str, path: Path) -> None:
    same_both_ways(language_id, path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("language_id, text", [
    ("pascal", pascal_program(300)),
    ("teachlang", teachlang_script(300)),
    ("basic", basic_script(300)),
])
def test_the_stack_walk_finds_what_the_recursive_walk_finds_in_generated_files(
        language_id: str, text: str) -> None:
    same_both_ways(language_id, text)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Pascal expressions of names, calls (by name and by expression), members, indexes
    and operators, nested a few levels."""
    leaf = draw(st.sampled_from(["a", "b", "total", "F", "Undeclared", "1", "'s'"]))
    if depth > 3 or draw(st.booleans()):
        return leaf
    inner = draw(expressions(depth + 1))
    other = draw(expressions(depth + 1))
    return draw(st.sampled_from([
        f"{inner} + {other}", f"F({inner}, {other})", f"({inner})({other})",
        f"{inner}.f", f"{inner}[{other}]", f"-{inner}", f"G({inner})",
    ]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.lists(expressions(), min_size=1, max_size=6))
def test_the_stack_walk_finds_what_the_recursive_walk_finds_in_generated_expressions(
        body: list[str]) -> None:
    statements = ";\n  ".join(f"total := {e}" for e in body)
    text = ("PROGRAM P;\nVAR a, b, total : INTEGER;\n"
            "FUNCTION F(X, Y : INTEGER) : INTEGER;\nBEGIN\n  F := X + Y\nEND;\n"
            f"BEGIN\n  {statements};\n  WITH a DO b := total\nEND.\n")
    same_both_ways("pascal", text)
