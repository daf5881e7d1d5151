"""Inlay hints of inferred types on grammar-defined languages (issue 13: no feature on
one kind of language only): a variable or constant declared without a written type
shows the type its value gives it, as on a keyword-level language, under the same
setting (``inlayHints.types``)."""

from __future__ import annotations

import pytest

from craftls.features import hover, outline
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

LUA = """\
local s, n, r = "hi", 1, 2.5
local a, b = pick()
local c, d = 7
local z = nil
total = 0
for i = 1, 3 do print(i) end
for j = 1, 3, 0.5 do print(j) end
for k, v in pairs({}) do print(k, v) end
local function f()
  local q = 1
  q = q + 0.5
  return q
end
print(s, n, r, a, b, c, d, z, total, f())
"""


def type_hints(language: str, text: str, types: bool = True) -> list[tuple[str, str]]:
    """(the word before the hint, its label) per type hint."""
    analysis = analyze_with_types(parse(bundled(language), text))
    return [(text[:h.offset].split()[-1].split(",")[-1], h.label)
            for h in outline.inlay_hints(analysis, 0, len(text), types) if h.kind == "type"]


def test_lua_locals_globals_and_counted_loops_show_their_values_types() -> None:
    assert type_hints("lua", LUA) == [
        ("s", ": string"), ("n", ": integer"), ("r", ": number"),
        ("c", ": integer"),  # d: nil
        ("total", ": integer"),  # a global, declared where first assigned
        ("i", ": integer"), ("j", ": number"),  # a step of 0.5 counts in floats
        ("q", ": number"),  # widened by the assignment in the same routine
    ]  # not: an unknown call's values, nil, a generic for's variables


def test_the_hover_agrees_and_the_inferred_type_is_no_declaration() -> None:
    text = LUA + 'total = "done"\nn = {}\nprint(string.upper(s))\n'
    analysis = analyze_with_types(parse(bundled("lua"), text))
    assert [d.message for d in analysis.diagnostics] == ["undefined name 'pick'"]
    info = hover.hover(analysis, text.index("total"))
    assert info is not None and "type: `integer`" in info.markdown


def test_the_setting_turns_them_off_as_on_a_keyword_level_language() -> None:
    assert type_hints("lua", LUA, types=False) == []
    assert type_hints("teachlang", "remember x = 1\nshow(x)\n", types=False) == []
    assert type_hints("teachlang", "remember x = 1\nshow(x)\n") == [("x", ": int")]


def test_qbasic_constants_and_texts_but_not_numbers_that_convert() -> None:
    """An implicit QBasic variable's numeric type comes from its mark or DEFINT and the
    like, not from the number assigned (x = 1 makes a SINGLE): no hint claims one. A
    text value makes a text variable; a constant is of its value's type."""
    text = 'CONST n = 10\nCONST t$ = "a"\nx = 1\ns = "hi"\nm$ = "k"\n' \
           'FOR i = 1 TO 3\n  PRINT i\nNEXT i\nPRINT x, s, m$, n, t$\n'
    assert type_hints("qbasic", text) == [("n", " AS INTEGER"), ("s", " AS STRING")]


def test_pascal_constants_without_a_type() -> None:
    text = "program p;\nconst n = 10; f = 2.5; k: integer = 3;\nvar i: integer;\n" \
           "begin\n  for i := 1 to n do writeln(i, f, k)\nend.\n"
    assert type_hints("turbopascal", text) == [("n", ": INTEGER"), ("f", ": REAL")]


@pytest.mark.parametrize("text", [
    "local n = 1\nn = 'text'\nlocal function g()\n  n = {}\nend\n",
    "local n = 1\nn = n .. 'text'\nn = nil\n",
    "x = 1\nx = 'text'\n",
])
def test_another_value_later_is_no_error(text: str) -> None:
    analysis = analyze_with_types(parse(bundled("lua"), text))
    assert [d.message for d in analysis.diagnostics if d.severity == "error"] == []


def test_a_written_type_not_understood_takes_no_later_value() -> None:
    """`r: TReader` of a class declared in another unit is of a type craftls does not
    know; `r := nil` does not make it a nil variable (an argument-type error at `f(r)`)."""
    text = "program p;\nuses readers;\nprocedure f(r: integer);\nbegin\nend;\n" \
           "procedure g;\nvar r: TReader;\nbegin\n  r := nil;\n  f(r)\nend;\nbegin\n  g\nend.\n"
    analysis = analyze_with_types(parse(bundled("turbopascal"), text))
    assert [d.message for d in analysis.diagnostics if d.severity == "error"] == []
