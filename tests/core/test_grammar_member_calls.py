"""Library functions written as member parts in a grammar-defined language (issue 13,
found by the Oberon newcomer): Lua's ``string.rep(`` is known to completion after the
dot, and hover and signature help read it the same way, from the grammar's ``member``
and ``call`` annotations and the definition's builtin library tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features import hover, navigation
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import bundled
from craftls.language.grammar_spec import argument_rules
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.parse import parse

TEXT = ('local s = string.rep("ab", 3, "-")\n'
        'print(string.format("%d", string.len(s)))\n'
        'local t = {}\n'
        'function t.twice(v) return v .. v end\n'
        'print(t.twice(s))\n')


@pytest.fixture(scope="module")
def lua() -> LanguageDefinition:
    return bundled("lua")


def analysed(definition: LanguageDefinition, text: str = TEXT) -> FileAnalysis:
    return analyze_with_types(parse(definition, text))


def test_the_argument_lists_are_read_from_the_call_rules(lua: LanguageDefinition) -> None:
    assert lua.grammar is not None
    assert argument_rules(lua.grammar) == frozenset({"arguments"})


def test_hover_on_a_library_function(lua: LanguageDefinition) -> None:
    offset = TEXT.index("rep")
    shown = hover.hover(analysed(lua), offset)
    assert shown is not None and (shown.start, shown.end) == (offset, offset + 3)
    assert "string.rep(s: str, n: int, sep: str?) -> str" in shown.markdown
    assert "builtin library `string`" in shown.markdown


@pytest.mark.parametrize(("cursor", "label", "active"), [
    ('"ab", ', "string.rep(", 1),
    ('3, ', "string.rep(", 2),
    ('"%d"', "string.format(", 0),
    ("len(s", "string.len(", 0),  # the innermost call
    ('"%d", ', "string.format(", 1),
    ("t.twice(s", "function t.twice(", 0),  # a table's own function: its own signature
])
def test_signature_help_follows_a_library_functions_arguments(
        lua: LanguageDefinition, cursor: str, label: str, active: int) -> None:
    found = hover.signature_help(analysed(lua), TEXT.index(cursor) + len(cursor))
    assert found is not None and found.label.startswith(label)
    assert found.active_parameter == active


def test_a_local_named_like_the_library_hides_it(lua: LanguageDefinition) -> None:
    text = 'local string = {}\nlocal s = string.rep("ab", 3)\n'
    result = analysed(lua, text)
    assert hover.hover(result, text.index("rep")) is None
    assert hover.signature_help(result, text.index('"ab"')) is None


def test_a_units_exported_name_after_its_name_hovers_and_leads_to_its_file(
        tmp_path: Path) -> None:
    """Turbo Pascal (a grammar): `MathLib.Square` after `uses MathLib`."""
    (tmp_path / "MathLib.pas").write_text(
        "unit MathLib;\ninterface\nfunction Square(x: integer): integer;\nimplementation\n"
        "function Square(x: integer): integer;\nbegin\n  Square := x * x\nend;\nend.\n")
    user = tmp_path / "user.pas"
    text = ("program User;\nuses MathLib;\nvar t: integer;\nbegin\n  t := MathLib.Square(2);\n"
            "  writeln(t)\nend.\n")
    user.write_text(text)
    result = analyze_with_types(parse(bundled("turbopascal"), text), user)
    offset = text.index("Square")
    assert navigation.external_target(result, offset) == (
        str(tmp_path / "MathLib.pas"), "Square")
    shown = hover.hover(result, offset)
    assert shown is not None and "MathLib.pas" in shown.markdown
