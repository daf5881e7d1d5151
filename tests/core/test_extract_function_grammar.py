"""Extract function on grammar-defined languages (issue 13: every editor feature on both
kinds of language), written as the definition's `grammar.refactoring.extract_function`
says: Lua a `local function` whose values set and read after are returned, Turbo Pascal
a `procedure` with `var` parameters for them. Each result parses with no syntax error
and checks as clean as before; Lua's also runs the same under `lua5.4`."""

from __future__ import annotations

from pathlib import Path

import pytest

import craftls.features.refactor as refactor
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse

from .test_refactor_grammar import minilua, run_lua

RefactorRefused = refactor.RefactorRefused
apply_edits, extract_function = refactor.apply_edits, refactor.extract_function

ROOT = Path(__file__).resolve().parents[2]

LUA = """\
local scale = 2
local function area(w, h)
  local s = w * h
  local t = s + 1
  print(s, t)
  return t * scale
end
local function count(n)
  local total = 0
  for i = 1, n do
    total = total + i
    local sq = i * i
    print(sq)
  end
  return total
end
print(area(2, 3), count(3))
"""

PASCAL = """\
program Sums;
var
  g: integer;

procedure Work(n: integer);
var
  a, b, i: integer;
begin
  a := n;
  b := 0;
  for i := 1 to a do
    b := b + i * g;
  writeln(b);
end;

function Twice(n: integer): integer;
begin
  writeln(n);
  Twice := n * 2
end;

begin
  g := 2;
  Work(3);
  writeln(Twice(g))
end.
"""


def analysis_of(language_id: str, text: str) -> FileAnalysis:
    return analyze_with_types(parse(bundled(language_id), text))


def span(text: str, first: str, last: str) -> tuple[int, int]:
    start = text.index(first)
    return start, text.index(last, start) + len(last)


def extracted(language_id: str, text: str, first: str, last: str) -> str:
    """The text with the statements from ``first`` to ``last`` extracted; it parses
    with no syntax error and has no more problems than the text had."""
    analysis = analysis_of(language_id, text)
    result = apply_edits(text, extract_function(analysis, *span(text, first, last)))
    after = analysis_of(language_id, result)
    assert after.parsed.errors == [], result
    assert sorted(d.message for d in after.diagnostics if d.severity != "hint") \
        == sorted(d.message for d in analysis.diagnostics if d.severity != "hint"), result
    return result


def test_lua_returns_the_locals_read_after_the_selection(tmp_path: Path) -> None:
    result = extracted("lua", LUA, "local s = w * h", "print(s, t)\n")
    assert result.startswith("local scale = 2\n\nlocal function extracted(w, h)\n"
                             "  local s = w * h\n  local t = s + 1\n  print(s, t)\n"
                             "  return t\nend\n\nlocal function area(w, h)\n"
                             "  local t = extracted(w, h)\n  return t * scale\nend\n")
    assert run_lua(result, tmp_path) == run_lua(LUA, tmp_path)


def test_lua_passes_and_returns_a_variable_set_in_a_loop(tmp_path: Path) -> None:
    """`total` is read first (a parameter) and read on the next turn and after the
    loop (returned); `i` is the loop's, read only; `sq` moves with the code; `scale`,
    visible where the function goes, stays an upvalue."""
    result = extracted("lua", LUA, "total = total + i", "print(sq)\n")
    assert "local function extracted(total, i)\n  total = total + i\n  local sq = i * i\n" \
        "  print(sq)\n  return total\nend\n\nlocal function count(n)\n" in result
    assert "  for i = 1, n do\n    total = extracted(total, i)\n  end\n" in result
    assert run_lua(result, tmp_path) == run_lua(LUA, tmp_path)


def test_lua_top_level_locals_are_declared_by_the_call(tmp_path: Path) -> None:
    text = "local a = 1\nlocal b = 2\nprint(a + b)\n"
    result = extracted("lua", text, "local a", "local b = 2\n")
    assert result == "local function extracted()\n  local a = 1\n  local b = 2\n" \
        "  return a, b\nend\n\nlocal a, b = extracted()\nprint(a + b)\n"
    assert run_lua(result, tmp_path) == run_lua(text, tmp_path)


def test_lua_function_value_in_a_table_goes_above_its_statement(tmp_path: Path) -> None:
    """The function around the selection is a table's field: the new function goes
    above the statement that holds the table, not inside the constructor."""
    text = "local scale = 3\nlocal shape = {\n  size = 2,\n  grow = function(self)\n" \
        "    local n = self.size * scale\n    self.size = n\n  end,\n}\nshape:grow()\n" \
        "print(shape.size)\n"
    result = extracted("lua", text, "local n", "self.size = n")
    assert result.startswith("local scale = 3\n\nlocal function extracted(self)\n"
                             "  local n = self.size * scale\n  self.size = n\nend\n\n"
                             "local shape = {\n")
    assert "  grow = function(self)\n    extracted(self)\n  end,\n" in result
    assert run_lua(result, tmp_path) == run_lua(text, tmp_path)


def test_pascal_writes_a_procedure_with_var_parameters() -> None:
    """`b` is set and read after: a var parameter; `a` is read: a value parameter; `i`
    is set by the loop and read nowhere else: a local of the procedure; `g` is global."""
    result = extracted("turbopascal", PASCAL, "b := 0;", "b := b + i * g;")
    assert "var\n  g: integer;\n\nprocedure extracted(var b: integer; a: integer);\n" \
        "var i: integer;\nbegin\n  b := 0;\n  for i := 1 to a do\n    b := b + i * g\n" \
        "end;\n\nprocedure Work(n: integer);\n" in result
    # `i` is the new procedure's own now: out of Work's list
    assert "procedure Work(n: integer);\nvar\n  a, b: integer;\nbegin\n  a := n;\n" \
        "  extracted(b, a);\n  writeln(b);\nend;\n" in result


def test_pascal_nested_routine_and_its_emptied_var_section() -> None:
    """Inside a nested routine the new one goes above it, among the parent's
    declarations (it sees the parent's `k` and `n`); `m` moves, and with it the nested
    routine's var section, which held only `m`."""
    text = "program p;\nprocedure Outer(n: integer);\nvar\n  k: integer;\n\n" \
        "  procedure Inner;\n  var\n    m: integer;\n  begin\n    m := k + n;\n" \
        "    writeln(m)\n  end;\n\nbegin\n  k := 1;\n  Inner\nend;\nbegin\n  Outer(2)\nend.\n"
    result = extracted("turbopascal", text, "m := k", "writeln(m)")
    assert "  k: integer;\n\n  procedure extracted;\n  var m: integer;\n  begin\n" \
        "    m := k + n;\n    writeln(m)\n  end;\n\n  procedure Inner;\n  begin\n" \
        "    extracted\n  end;\n" in result


def test_lua_locals_only_the_selection_uses_move_into_the_function(tmp_path: Path) -> None:
    text = "local function f(n)\n  local x\n  local y, w\n  x = n * 2\n  y = x + 1\n" \
        "  print(x, y)\n  w = 1\n  print(w)\nend\nf(2)\n"
    result = extracted("lua", text, "x = n", "print(x, y)")
    assert result == "local function extracted(n)\n  local x\n  local y\n  x = n * 2\n" \
        "  y = x + 1\n  print(x, y)\nend\n\nlocal function f(n)\n  local w\n" \
        "  extracted(n)\n  w = 1\n  print(w)\nend\nf(2)\n"
    assert run_lua(result, tmp_path) == run_lua(text, tmp_path)


def test_pascal_main_block_statements_and_no_parentheses() -> None:
    result = extracted("turbopascal", PASCAL, "Work(3);", "writeln(Twice(g))")
    assert "procedure extracted;\nbegin\n  Work(3);\n  writeln(Twice(g))\nend;\n\nbegin\n" \
        "  g := 2;\n  extracted\nend.\n" in result


@pytest.mark.parametrize("language_id, text, first, last, why", [
    ("lua", "local function f(n)\n  if n then\n    return 1\n  end\n  return 2\nend\n",
     "if n then", "  end\n", "would leave"),
    ("lua", "for i = 1, 3 do\n  if i > 2 then break end\n  print(i)\nend\n",
     "if i > 2", "print(i)\n", "'break' would leave"),
    ("lua", "local function f(...)\n  local n = select('#', ...)\n  print(n)\nend\n",
     "local n", "print(n)\n", "extra arguments"),
    ("lua", "local function f(a, b)\n  a = a + 1\n  b = b + 1\n  print(a)\nend\n",
     "a = a + 1", "b = b +", "whole statements"),
    ("turbopascal", PASCAL, "writeln(n);", "Twice := n * 2", "sets the result of 'Twice'"),
    ("turbopascal", "program p;\nprocedure Q;\nvar\n  v: array[1..2] of integer;\nbegin\n"
     "  v[1] := 1;\n  writeln(v[1])\nend;\nbegin\n  Q\nend.\n", "writeln(v[1])",
     "writeln(v[1])", "no name to pass it by"),
    ("turbopascal", "program p;\nprocedure P1(n: integer);\nbegin\n  if n > 2 then Exit;\n"
     "  writeln(n)\nend;\nbegin\n  P1(2)\nend.\n", "if n > 2", "writeln(n)", "'Exit'"),
])
def test_what_would_change_the_program_is_refused(language_id: str, text: str, first: str,
                                                  last: str, why: str) -> None:
    analysis = analysis_of(language_id, text)
    start, end = span(text, first, last)
    with pytest.raises(RefactorRefused, match=why):
        extract_function(analysis, start, end)


def test_the_code_action_names_the_routine_kind() -> None:
    analysis = analysis_of("turbopascal", PASCAL)
    titles = [a.title for a in refactor.refactor_actions(analysis, *span(PASCAL, "b := 0;", "* g;"))
              if a.kind == refactor.EXTRACT]
    assert titles == ["Extract to procedure 'extracted'"]
    analysis = analysis_of("lua", LUA)
    titles = [a.title for a in refactor.refactor_actions(analysis, *span(LUA, "local s =", "(s, t)\n"))
              if a.kind == refactor.EXTRACT]
    assert titles == ["Extract to function 'extracted'"]


def test_any_grammar_definition_can_extract_with_its_own_templates() -> None:
    """Nothing is Lua's: MiniLua writes its own function and call."""
    definition = minilua(
        '  refactoring:\n    extract_function:\n'
        '      routine: "function {name}({parameters})\\n  {body}\\nend"\n'
        '      parameter: "{name}"\n      call: "{name}({arguments})"\n')
    text = "function f(a)\n  print(a)\n  print(a + 1)\nend\n"
    analysis = analyze_with_types(parse(definition, text))
    start, end = span(text, "print(a)", "print(a + 1)")
    result = apply_edits(text, extract_function(analysis, start, end))
    # the body one level deeper, by the definition's indent width (4)
    assert result == "function extracted(a)\n    print(a)\n    print(a + 1)\nend\n\n" \
        "function f(a)\n  extracted(a)\nend\n"


def test_the_extract_function_key_is_checked() -> None:
    yaml = (ROOT / "tests" / "fixtures" / "grammar" / "minilua.yaml").read_text(encoding="utf-8")

    def problems_of(value: str) -> list[str]:
        text = yaml.replace("grammar:\n", f"grammar:\n  refactoring:\n    extract_function: "
                            f"{value}\n", 1)
        definition, problems = load_definition_text(text)
        assert definition is None or definition.grammar is not None \
            and definition.grammar.extract_function is None
        return [p.message for p in problems]

    assert any("needs 'call'" in m for m in problems_of(
        "{routine: 'function {name}() {body} end', parameter: '{name}'}"))
    assert any("'routine' must have {body} in it" in m for m in problems_of(
        "{routine: 'function {name}()', parameter: '{name}', call: '{name}()'}"))
    assert any("'leaves' must be a list" in m for m in problems_of(
        "{routine: 'f {name} {body}', parameter: '{name}', call: '{name}', leaves: Exit}"))
    assert any("must be a mapping" in m for m in problems_of("true"))
