"""The declare-variable quick fix on grammar-defined languages (issue 13: every editor
feature on both kinds of language), written as the definition's
`grammar.refactoring.declare_undefined` says: Lua a `local x = nil` before the first
use, Turbo Pascal an entry of the routine's or program's `var` section (a new section
when there is none), QBasic a `DIM` by type mark or `AS` the use's type. Each result
parses with no new syntax error and no longer has the undefined name."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.analysis import analyze_with_types
from craftls.features.refactor import QUICKFIX, RefactorRefused, apply_edits, refactor_actions
from craftls.features.refactor.declare import declare_variable
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import Diagnostic, FileAnalysis
from craftls.syntax.parse import parse

from .test_refactor_grammar import minilua

ROOT = Path(__file__).resolve().parents[2]

LUA = """\
local function report(n)
  if n > 2 then
    print(limit + n)
  end
end
report(3)
print(label)
"""

PASCAL = """\
program Shapes;
var
  count: integer;

procedure Show(n: integer);
begin
  total := n * 2;
  writeln(total)
end;

procedure Nested;
var
  k: integer;

  procedure Inner;
  begin
    ratio := k + 0.5;
    writeln(ratio)
  end;

begin
  k := 1;
  Inner
end;

begin
  count := 3;
  while done do
    count := count - 1;
  writeln(width);
  Show(count)
end.
"""

QBASIC = """\
DECLARE SUB Show (n%)
Show 3

SUB Show (n%)
  PRINT total% + n%
  PRINT big + 1
  PRINT other
END SUB
"""


def analysis_of(language_id: str | LanguageDefinition, text: str) -> FileAnalysis:
    definition = bundled(language_id) if isinstance(language_id, str) else language_id
    return analyze_with_types(parse(definition, text))


def undefined(analysis: FileAnalysis, name: str) -> Diagnostic:
    return next(d for d in analysis.diagnostics
                if d.code == "undefined-name" and d.data.get("name") == name)


def declared(language_id: str | LanguageDefinition, text: str, name: str) -> str:
    """The text with ``name`` declared by the quick fix; it parses with no more syntax
    errors than the text had, and ``name`` is no longer undefined."""
    analysis = analysis_of(language_id, text)
    result = apply_edits(text, declare_variable(analysis, undefined(analysis, name)))
    after = analysis_of(language_id, result)
    assert len(after.parsed.errors) <= len(analysis.parsed.errors), result
    assert name not in [d.data.get("name") for d in after.diagnostics
                        if d.code == "undefined-name"], result
    return result


@pytest.mark.parametrize("name, expected", [
    ("limit", "  if n > 2 then\n    local limit = nil\n    print(limit + n)\n"),
    ("label", "report(3)\nlocal label = nil\nprint(label)\n"),
])
def test_lua_declares_a_local_before_the_first_use(name: str, expected: str) -> None:
    assert expected in declared("lua", LUA, name)


@pytest.mark.parametrize("name, expected", [
    # a routine without a var section gets one before its body; the type is the value's,
    # spelt as the file spells it
    ("total", "procedure Show(n: integer);\nvar\n  total: integer;\nbegin\n"),
    # a nested routine's own section, not its parent's
    ("ratio", "  procedure Inner;\n  var\n    ratio: REAL;\n  begin\n"),
    # the program's section: a condition's type, then the placeholder
    ("done", "var\n  count: integer;\n  done: BOOLEAN;\n\nprocedure Show"),
    ("width", "var\n  count: integer;\n  width: Integer;\n\nprocedure Show"),
])
def test_pascal_adds_a_var_entry_to_the_routine_or_program(name: str, expected: str) -> None:
    assert expected in declared("turbopascal", PASCAL, name)


@pytest.mark.parametrize("name, expected", [
    ("total%", "SUB Show (n%)\n  DIM total%\n  PRINT total% + n%\n"),  # by its type mark
    ("big", "  DIM big AS INTEGER\n  PRINT big + 1\n"),  # the other operand's type
    ("other", "  DIM other AS SINGLE\n  PRINT other\n"),  # the placeholder
])
def test_qbasic_dims_the_name_before_the_first_use(name: str, expected: str) -> None:
    assert expected in declared("qbasic", QBASIC, name)


def test_a_placeholder_type_is_named_in_the_title() -> None:
    from craftls.features.refactor.declare import declaration
    analysis = analysis_of("turbopascal", PASCAL)
    width, done = undefined(analysis, "width"), undefined(analysis, "done")
    assert declaration(analysis, width).placeholder == "Integer"
    assert declaration(analysis, done).placeholder is None
    titles = [a.title for a in refactor_actions(analysis, width.start, width.end)
              if a.kind == QUICKFIX]
    assert titles == ["Declare variable 'width' (type Integer: replace it with the right one)"]
    titles = [a.title for a in refactor_actions(analysis, done.start, done.end)
              if a.kind == QUICKFIX]
    assert titles == ["Declare variable 'done'"]


def test_any_grammar_definition_can_declare_from_its_own_template() -> None:
    """Nothing is Lua's: MiniLua writes its own statement; without the key, no fix."""
    text = "function f(a)\n  print(a + b)\nend\n"
    definition = minilua('  refactoring:\n    declare_undefined: {statement: "local {name}"}\n')
    assert declared(definition, text, "b") == "function f(a)\n  local b\n  print(a + b)\nend\n"
    plain = analysis_of(minilua(""), text)
    with pytest.raises(RefactorRefused, match="declare_undefined"):
        declare_variable(plain, undefined(plain, "b"))


def test_an_entry_needs_a_section_the_file_or_routine_can_hold() -> None:
    """The file's rule reaches `params` only inside a function (a scope of its own):
    a name used outside any function has no section to go into, and is refused."""
    text = "local a = 1\nprint(a + b)\n"
    definition = minilua('  refactoring:\n    declare_undefined: {entry: "local {name}", '
                         'section: params, heading: "("}\n')
    analysis = analysis_of(definition, text)
    with pytest.raises(RefactorRefused, match="no place for a params"):
        declare_variable(analysis, undefined(analysis, "b"))


def test_the_declare_undefined_key_is_checked() -> None:
    yaml = (ROOT / "tests" / "fixtures" / "grammar" / "minilua.yaml").read_text(encoding="utf-8")

    def problems_of(value: str, kept: bool = False) -> list[str]:
        text = yaml.replace("grammar:\n", f"grammar:\n  refactoring:\n    declare_undefined: "
                            f"{value}\n", 1)
        definition, problems = load_definition_text(text)
        grammar = definition.grammar if definition is not None else None
        assert (grammar is not None and grammar.declare_undefined is not None) == kept
        return [p.message for p in problems]

    assert any("needs one of 'statement'" in m for m in problems_of("{marked: 'DIM {name}'}"))
    assert any("'statement' must have {name}" in m for m in problems_of("{statement: 'local'}"))
    assert any("needs 'section'" in m for m in problems_of("{entry: '{name};'}"))
    assert any("names no rule of the grammar: 'var_part'" in m for m in problems_of(
        "{entry: '{name};', section: var_part, heading: var}"))
    assert any("must be a mapping" in m for m in problems_of("'local {name}'"))
    assert any("unknown key 'grammar.refactoring.declare_undefined.where'" in m
               for m in problems_of("{statement: 'local {name}', where: top}", kept=True))


@pytest.mark.parametrize("language_id, text, name, why", [
    ("lua", "baz(1)\n", "baz", "is called"),
    ("lua", "print(foo.bar)\n", "foo", "has members"),
    ("lua", "obj:m()\n", "obj", "has members"),
    ("turbopascal", "program p;\nvar x: integer;\nbegin\n  x := Foo.Bar\nend.\n", "Foo",
     "has members"),
    ("qbasic", "SUB S\n  PRINT Twice(2)\nEND SUB\n", "Twice", "is called"),
])
def test_a_routine_or_a_module_is_no_variable_to_declare(language_id: str, text: str,
                                                         name: str, why: str) -> None:
    """A name used as a routine (called) or as a module or table (its members read),
    from a unit or file craftls did not find, is not declared as a variable."""
    analysis = analysis_of(language_id, text)
    with pytest.raises(RefactorRefused, match=why):
        declare_variable(analysis, undefined(analysis, name))
