"""A variable with no written type takes the type of what it is assigned: after
`a = {}` a variable that held a string is no longer checked as a string, in the same
function or from another statement of the file, while one never reassigned still is."""

from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.syntax.parse import parse

from .conftest import served_by
from .test_lang_lua import analysis


def mismatches(text: str) -> list[str]:
    return [d.message for d in analysis(text).diagnostics if d.code == "type-mismatch"]


def test_a_table_assigned_over_a_string_in_one_function() -> None:
    text = ('local function f()\n  local a = "a"\n  a = {}\n  a[{}] = 1\n'
            '  a[2] = 3\n  return a\nend\nreturn f\n')
    assert mismatches(text) == []


def test_a_global_reassigned_by_another_statement() -> None:
    text = 'a = "a"\na = {}\nfor i = 1, 3 do a[{}] = i end\nfor i = 1, 3 do a[i] = i end\n'
    assert mismatches(text) == []


def test_a_call_result_assigned_over_a_string() -> None:
    text = 'local s = "x"\ns = setmetatable({}, {})\ns[1] = 2\nreturn s\n'
    assert mismatches(text) == []


def test_a_string_never_reassigned_is_still_checked() -> None:
    inside = 'local function f()\n  local s = "a"\n  s[1] = 2\n  return s\nend\nreturn f\n'
    assert mismatches(inside) == ["Cannot assign to 's[1]': expected string, found integer"]
    across = 'b = "a"\nb[1] = 2\n'
    assert mismatches(across) == ["Cannot assign to 'b[1]': expected string, found integer"]


# The keyword level (TeachLang: no grammar) agrees: a variable that held text and is
# assigned a value of a type not known (`pop()` gives any) is no longer text.
KEYWORD_HEAD = ('teach f(n: int) -> int:\n    give_back n\n'
                'teach h(items):\n    remember x = "a"\n')


def keyword_level_argument_types(text: str) -> list[str]:
    parsed = parse(served_by("teachlang", "keywords"), text)
    assert parsed.definition.grammar is None  # the keyword-level path
    return [d.message for d in analyze_with_types(parsed).diagnostics
            if d.code == "argument-type"]


def test_keyword_level_a_value_of_unknown_type_assigned_over_text() -> None:
    text = KEYWORD_HEAD + '    x = items.pop()\n    show(f(x))\n'
    assert keyword_level_argument_types(text) == []


def test_keyword_level_text_never_reassigned_is_still_checked() -> None:
    text = KEYWORD_HEAD + '    show(f(x))\n'
    assert keyword_level_argument_types(text) == [
        "Argument 1 of 'f' (n): expected int, found text"]
    known = KEYWORD_HEAD + '    x = "b"\n    show(f(x))\n'
    assert keyword_level_argument_types(known) == [
        "Argument 1 of 'f' (n): expected int, found text"]
