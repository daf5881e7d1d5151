"""A variable with no written type takes the type of what it is assigned: after
`a = {}` a variable that held a string is no longer checked as a string, in the same
function or from another statement of the file, while one never reassigned still is."""

from __future__ import annotations

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
