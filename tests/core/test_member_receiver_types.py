"""Completion after ``x.`` offers the members of the type of the receiver that ends at the
dot, never those of an expression around it (``f(list.`` is not f's result) nor of one
inside it (``g(p).`` is g's result, not p's)."""

from __future__ import annotations

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

PROGRAM = """program demo;
uses Classes;
type TP = record x, y: integer; end;
  TQ = record m, n: integer; inner: TP; end;
  PQ = ^TQ;
var p: TP; q: TQ; ptr: PQ; list: TStringList; i: integer;
function f(a: integer): TP; begin end;
function g(a: TP): TQ; begin end;
begin
  %s
end.
"""


def members(language_id: str, statement: str, receiver: str) -> list[str]:
    text = PROGRAM % statement
    analysis = analyze_with_types(parse(bundled(language_id), text))
    offset = text.index(receiver) + len(receiver)
    return [c.label for c in complete(analysis, offset)[0]]


@pytest.mark.parametrize("language_id", ["pascal", "turbopascal"])
def test_a_name_of_an_unknown_type_inside_a_call_is_not_the_calls_result(language_id: str
                                                                         ) -> None:
    """``list`` (a class of a unit not read) gets nothing, not f's record fields."""
    found = members(language_id, "p := f(list.Count);", "list.")
    assert "x" not in found and "y" not in found


@pytest.mark.parametrize("language_id", ["pascal", "turbopascal"])
@pytest.mark.parametrize(("statement", "receiver", "expected"), [
    ("i := g(p).m;", "g(p).", ["m", "n", "inner"]),  # g's result, not its argument p
    ("i := q.inner.x;", "q.inner.", ["x", "y"]),
    ("i := ptr^.m;", "ptr^.", ["m", "n", "inner"]),
    ("if p.x = i then i := 1;", "if p.", ["x", "y"]),  # not the comparison's boolean
    ("i := f(p.x).y;", "f(p.", ["x", "y"]),
])
def test_the_receiver_ending_at_the_dot_gives_the_members(
        language_id: str, statement: str, receiver: str, expected: list[str]) -> None:
    assert members(language_id, statement, receiver) == expected
