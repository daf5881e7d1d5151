"""Hover over a name shows that name's type, never the type of an expression around it
(bundled ``lua``: `mode == "a"` is a boolean and `print(s)` gives nothing; `mode` and
`s` are neither)."""

from __future__ import annotations

import re

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.hover import hover
from craftls.language.catalog import bundled
from craftls.syntax.parse import parse


def hovered_type(text: str, marker: str) -> str | None:
    analysis = analyze_with_types(parse(bundled("lua"), text))
    info = hover(analysis, text.rindex(marker))
    assert info is not None
    found = re.search(r"type: `([^`]*)`", info.markdown)
    return found.group(1) if found else None


@pytest.mark.parametrize(("text", "marker"), [
    ('local mode = os.getenv("MODE")\nif mode == "agent" then print(1) end\n', "mode =="),
    ('local function f(x) return x end\nlocal n = f(1)\nif n > 2 then end\n', "n >"),
    ('local t = {}\nlocal ok = t.x ~= nil and t\nprint(ok)\n', "t\n"),
])
def test_a_name_in_a_comparison_is_not_a_boolean(text: str, marker: str) -> None:
    assert hovered_type(text, marker) != "boolean"


def test_a_name_passed_to_a_call_of_no_result_keeps_its_type() -> None:
    for unknown in ('local s = g.x or "x"\nprint(s)\n', 'local s = g()\nerror(s)\n'):
        assert hovered_type(unknown, "s)") is None  # not `none`, print's result
    text = 'local s = "x"\nprint(s)\nerror(s)\n'
    assert hovered_type(text, "s)\nerror") == "string"
    assert hovered_type(text, "s)") == "string"


def test_a_typed_name_and_an_expression_keep_their_own_types() -> None:
    text = 'local n = 1\nlocal b = n == 2\nprint(b)\n'
    assert hovered_type(text, "n ==") == "integer"
    assert hovered_type(text, "b)") == "boolean"
