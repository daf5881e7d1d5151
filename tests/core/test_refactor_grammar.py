"""Extract variable and inline variable on grammar-defined languages (issue 17): read
from the grammar's meaning annotations and written in the syntax the definition gives
(`grammar.refactoring`). Lua's results parse and check clean and run the same under
`lua5.4`; a definition that gives no syntax for them (Turbo Pascal, QBasic: their
assignments convert to the variable's type, which craftls does not infer for a grammar)
is offered neither."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.refactor import (
    EXTRACT,
    INLINE,
    RefactorRefused,
    apply_edits,
    extract_variable,
    inline_variable,
    refactor_actions,
)
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """\
local width, height = 3, 4
local function area(w, h)
  return w * h + 1
end
local scale = width * 2
local label = "size"
print(label:upper(), area(width, height) * scale, scale + 1)
for i = 1, 3 do
  print(i, width + i)
end
local x = 10
do
  local x = x + 1
  print(x * 2)
end
print(x)
"""


def lua_analysis(text: str) -> FileAnalysis:
    return analyze_with_types(parse(bundled("lua"), text))


def run_lua(text: str, tmp_path: Path) -> str:
    lua = shutil.which("lua5.4")
    assert lua is not None, "lua5.4 is needed (apt-get install lua5.4; .ci installs it)"
    path = tmp_path / "program.lua"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([lua, str(path)], capture_output=True, text=True, timeout=20,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def assert_same_program(before: str, after: str, tmp_path: Path) -> None:
    """Parses clean, checks as clean as before, prints the same under lua5.4."""
    old, new = lua_analysis(before), lua_analysis(after)
    assert new.parsed.errors == [], after
    assert [d.message for d in new.diagnostics if d.severity != "hint"] \
        == [d.message for d in old.diagnostics if d.severity != "hint"], after
    assert run_lua(after, tmp_path) == run_lua(before, tmp_path)


def selection(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(part, at + 1)
    return at, at + len(part)


@pytest.mark.parametrize("part, nth, declared", [
    ("w * h + 1", 0, "  local value = w * h + 1\n  return value\n"),
    ("width * 2", 0, "local value = width * 2\nlocal scale = value\n"),
    ("area(width, height) * scale", 0, "local value = area(width, height) * scale\n"),
    ("area(width, height)", 0, "local value = area(width, height)\n"),
    ("label:upper()", 0, "local value = label:upper()\nprint(value, "),
    ("x + 1", 0, "  local value = x + 1\n  local x = value\n"),
    ("x * 2", 0, "  local value = x * 2\n  print(value)\n"),
    ("width + i", 0, "  local value = width + i\n  print(i, value)\n"),  # in the body
])
def test_extract_variable_writes_a_local_before_the_statement(
        part: str, nth: int, declared: str, tmp_path: Path) -> None:
    analysis = lua_analysis(PROGRAM)
    start, end = selection(PROGRAM, part, nth)
    result = apply_edits(PROGRAM, extract_variable(analysis, start, end, "value"))
    assert declared in result
    assert_same_program(PROGRAM, result, tmp_path)


@pytest.mark.parametrize("part, nth, reason", [
    ("3", 1, "block"),  # in a loop's header (for i = 1, 3 do)
    ("h + 1", 0, "whole expression"),  # not a node: `w * h` binds the h first
    ("local scale = width * 2", 0, "statement"),
    ("scale", 0, "declaration"),  # the declared name itself
    ("upper", 0, "expression"),  # a method's name: no value of its own
])
def test_extract_variable_refuses_what_it_cannot_move(part: str, nth: int,
                                                      reason: str) -> None:
    analysis = lua_analysis(PROGRAM)
    start, end = selection(PROGRAM, part, nth)
    with pytest.raises(RefactorRefused, match=reason):
        extract_variable(analysis, start, end, "value")


def test_extract_refuses_a_loop_condition_a_skipped_operand_and_a_function_body() -> None:
    text = ("local n = 0\nwhile n < 3 do n = n + 1 end\nlocal ok = n > 1 and tostring(n)\n"
            "local f = function() return n + 1 end\nprint(ok, f())\n")
    analysis = lua_analysis(text)
    for part, reason in (("n < 3", "block"), ("tostring(n)", "and"), ("n + 1 end", "block")):
        start, end = selection(text, part)
        if part.endswith("end"):
            end = start + len("n + 1")
        with pytest.raises(RefactorRefused, match=reason):
            extract_variable(analysis, start, end, "value")


def test_extracted_names_keep_their_meaning() -> None:
    """`local x = x + 1` reads the outer x: a value moved before it still does, and one
    whose name a new local would hide is refused by the check of the result."""
    analysis = lua_analysis(PROGRAM)
    start, end = selection(PROGRAM, "x + 1")
    result = apply_edits(PROGRAM, extract_variable(analysis, start, end, "value"))
    after = lua_analysis(result)
    use = result.index("local value = x") + len("local value = ")
    ref = after.model.reference_starting_at(use)
    assert ref is not None and ref.symbol is not None
    assert ref.symbol.start == result.index("local x = 10") + len("local ")
    start, end = selection(PROGRAM, "width * 2")
    with pytest.raises(RefactorRefused, match="change what 'height' refers to"):
        extract_variable(analysis, start, end, "height")  # would hide the height above


@pytest.mark.parametrize("at, expected", [
    ("scale =", "print(label:upper(), area(width, height) * (width * 2), (width * 2) + 1)"),
    ("label =", 'print(("size"):upper(), '),
])
def test_inline_variable_replaces_its_uses_by_the_value(at: str, expected: str,
                                                        tmp_path: Path) -> None:
    analysis = lua_analysis(PROGRAM)
    result = apply_edits(PROGRAM, inline_variable(analysis, PROGRAM.index(at)))
    assert expected in result and f"local {at}" not in result
    assert_same_program(PROGRAM, result, tmp_path)


def test_inline_a_shadowing_local_keeps_the_outer_reads(tmp_path: Path) -> None:
    """`local x = x + 1` inlined into `print(x * 2)`: the value's `x` is the outer one,
    which is visible there again once the inner local is gone."""
    analysis = lua_analysis(PROGRAM)
    inner = PROGRAM.index("local x = x") + len("local ")
    result = apply_edits(PROGRAM, inline_variable(analysis, inner))
    assert "  print((x + 1) * 2)\n" in result and "local x = x" not in result
    assert_same_program(PROGRAM, result, tmp_path)


@pytest.mark.parametrize("text, at, reason", [
    # a call: inlined into two uses it would run twice
    ("local v = os.time()\nprint(v, v)\n", "v =", "more than names"),
    # a table's length, and the table changes before the use
    ("local t = {1}\nlocal n = #t\nt[2] = 5\nprint(n)\n", "n =", "table"),
    # the value's name changes between the declaration and the use
    ("local a = 1\nlocal b = a + 1\na = 5\nprint(b)\n", "b =", "changes"),
    # ... or may, in a function that runs later
    ("local a = 1\nlocal b = a + 1\nlocal function f() return b end\na = 2\nprint(f())\n",
     "b =", "changes"),
    # assigned again
    ("local a = 1\na = 2\nprint(a)\n", "a =", "more than once"),
    # two names in one declaration, and an attribute
    ("local a, b = 1, 2\nprint(a, b)\n", "a,", "alone"),
    ("local a <const> = 1\nprint(a)\n", "a <", "more than its value"),
    # the value's name is hidden where the variable is used
    ("local a = 1\nlocal b = a\ndo\n  local a = 2\n  print(b, a)\nend\n", "b =",
     "something else"),
])
def test_inline_variable_refuses_what_would_change_the_program(text: str, at: str,
                                                               reason: str) -> None:
    analysis = lua_analysis(text)
    with pytest.raises(RefactorRefused, match=reason):
        inline_variable(analysis, text.index(at))


def test_code_actions_offer_both_on_lua() -> None:
    analysis = lua_analysis(PROGRAM)
    start, end = selection(PROGRAM, "width * 2")
    kinds = {a.kind for a in refactor_actions(analysis, start, end)}
    assert EXTRACT in kinds
    at = PROGRAM.index("scale =")
    assert [a.title for a in refactor_actions(analysis, at, at)] == ["Inline variable 'scale'"]
    assert INLINE in {a.kind for a in refactor_actions(analysis, at, at)}


@pytest.mark.parametrize("language_id, text, value", [
    ("turbopascal", "program p;\nvar a, b: integer;\nbegin\n  a := 2;\n  b := a + 1;\n"
                    "  writeln(b * 2);\nend.\n", "a + 1"),
    ("qbasic", "a = 2\nb = a + 1\nPRINT b * 2\n", "a + 1"),
])
def test_pascal_and_qbasic_are_offered_neither(language_id: str, text: str,
                                               value: str) -> None:
    """Their definitions give no `grammar.refactoring`: an extracted variable needs a
    declared type there, and inlining would skip an assignment's conversion (`b%`,
    `b: integer`), neither of which craftls knows for a grammar-defined language."""
    analysis = analyze_with_types(parse(bundled(language_id), text))
    start, end = selection(text, value)
    assert refactor_actions(analysis, start, end) == []
    at = text.index("b", text.index(value) - 5)
    assert [a for a in refactor_actions(analysis, at, at) if a.kind in (EXTRACT, INLINE)] == []
    with pytest.raises(RefactorRefused, match="grammar.refactoring"):
        extract_variable(analysis, start, end, "value")


def minilua(refactoring: str) -> LanguageDefinition:
    yaml = (ROOT / "tests" / "fixtures" / "grammar" / "minilua.yaml").read_text(encoding="utf-8")
    definition, problems = load_definition_text(
        yaml.replace("grammar:\n", "grammar:\n" + refactoring, 1))
    assert definition is not None, problems
    return definition


def test_any_grammar_definition_can_offer_them() -> None:
    """Nothing is Lua's: MiniLua's definition (hoisted locals, `local_stmt` declaring)
    gets both from its own template."""
    definition = minilua('  refactoring:\n    declare_variable: "local {name} = {value}"\n'
                         '    inline_variable: true\n')
    text = "local a = 2\nlocal b = a * 3\nprint(b + 1)\n"
    analysis = analyze_with_types(parse(definition, text))
    start, end = selection(text, "b + 1")
    result = apply_edits(text, extract_variable(analysis, start, end, "c"))
    assert result == "local a = 2\nlocal b = a * 3\nlocal c = b + 1\nprint(c)\n"
    result = apply_edits(text, inline_variable(analysis, text.index("b =")))
    assert result == "local a = 2\nprint((a * 3) + 1)\n"


def test_the_refactoring_section_is_checked() -> None:
    yaml = (ROOT / "tests" / "fixtures" / "grammar" / "minilua.yaml").read_text(encoding="utf-8")
    bad = yaml.replace("grammar:\n", 'grammar:\n  refactoring:\n    declare_variable: "local x"\n'
                       "    inline_variable: 1\n    rename_function: true\n", 1)
    definition, problems = load_definition_text(bad)
    messages = [p.message for p in problems]
    assert any("'declare_variable' must be a statement with {name} and {value}" in m
               for m in messages), messages
    assert any("'inline_variable' must be true or false" in m for m in messages)
    assert any("unknown key 'grammar.refactoring.rename_function'" in m for m in messages)


def test_wrap_empty_list_and_group_parameters_are_checked() -> None:
    yaml = (ROOT / "tests" / "fixtures" / "grammar" / "minilua.yaml").read_text(encoding="utf-8")
    bad = yaml.replace("grammar:\n", 'grammar:\n  refactoring:\n    wrap: "do end"\n'
                       '    extract_function:\n      routine: "function {name}{parameters}\\n'
                       '  {body}\\nend"\n      parameter: "{name}"\n      call: "{name}()"\n'
                       '      empty_list: "()"\n      group_parameters: 1\n', 1)
    messages = [p.message for p in load_definition_text(bad)[1]]
    assert any("'wrap' must be a block with {body} in it" in m for m in messages), messages
    assert any("'empty_list' needs 'list'" in m for m in messages), messages
    assert any("'group_parameters' must be true or false" in m for m in messages), messages


def test_a_list_of_declaration_forms_and_declare_assigned_are_checked() -> None:
    yaml = (ROOT / "tests" / "fixtures" / "grammar" / "minilua.yaml").read_text(encoding="utf-8")
    bad = yaml.replace("grammar:\n", 'grammar:\n  refactoring:\n    declare_variable: '
                       '["local {name} = {value}", "local x"]\n    declare_assigned: yes\n', 1)
    messages = [p.message for p in load_definition_text(bad)[1]]
    assert any("or a list of such statements" in m for m in messages), messages
    assert any("'declare_assigned' needs 'declare_variable'" in m for m in messages)
    text = "local a = 2\nb = a * 3\nprint(b + 1)\n"
    definition = minilua('  refactoring:\n    declare_variable: ["global {name} = {value}", '
                         '"local {name} = {value}"]\n    declare_assigned: true\n')
    assert definition.grammar is not None and definition.grammar.declare_assigned
    analysis = analyze_with_types(parse(definition, text))
    start, end = selection(text, "b + 1")
    # the form the file's own lines follow: `local`, not the first form
    result = apply_edits(text, extract_variable(analysis, start, end, "c"))
    assert result == "local a = 2\nb = a * 3\nlocal c = b + 1\nprint(c)\n"
