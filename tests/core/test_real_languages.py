"""The Lua 5.4 and QBasic definitions in examples/languages/ (issue 17, in today's
keyword-level format; Turbo Pascal is bundled, tests/core/test_lang_turbopascal.py):
each loads without a problem, our own programs in tests/fixtures/{lua,qbasic}/ check clean, the stopgaps each file
names read as documented, and wrong programs give exactly the expected diagnostics.

They are not bundled: a bundled language needs a sample folder under examples/<id>/ and
regenerated editor files (tests/editors compare the committed Neovim filetypes with the
bundled list), and `.bas` is already served by the bundled BASIC."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.features.analysis import analyze
from craftls.language.loader import load_definition, load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax.parse import parse
from craftls.syntax.tree import SyntaxNode
from craftls.workspace.line_index import LineIndex

from .test_cli import craftls

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = ROOT / "examples" / "languages"
FIXTURES = ROOT / "tests" / "fixtures"
LANGUAGES = {"lua": "lua", "qbasic": "qbasic"}


def definition(name: str) -> LanguageDefinition:
    return load_definition(DEFINITIONS / f"{name}.yaml")


def fixture_files() -> list[tuple[str, Path]]:
    found = []
    for name in LANGUAGES:
        d = definition(name)
        for ext in d.extensions:
            found += [(name, p) for p in sorted((FIXTURES / name).glob(f"*{ext}"))]
    return found


@pytest.mark.parametrize("name", sorted(LANGUAGES))
def test_definition_loads_without_problems(name: str) -> None:
    text = (DEFINITIONS / f"{name}.yaml").read_text(encoding="utf-8")
    loaded, problems = load_definition_text(text, f"{name}.yaml")
    assert problems == []
    assert loaded is not None and loaded.id == LANGUAGES[name]
    assert len(loaded.builtins) >= 30  # the standard library, so real programs resolve


@pytest.mark.parametrize("name", sorted(LANGUAGES))
def test_language_check_command_accepts_the_definition(name: str) -> None:
    result = craftls("language", "check", str(DEFINITIONS / f"{name}.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"({LANGUAGES[name]} " in result.stdout


def test_every_language_has_fixture_programs() -> None:
    assert {name for name, _ in fixture_files()} == set(LANGUAGES)


@pytest.mark.parametrize("name, path", fixture_files(), ids=lambda v: getattr(v, "name", v))
def test_fixture_programs_check_clean(name: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parsed = parse(definition(name), text)
    assert [e.message for e in parsed.errors] == []
    found = [(d.severity, d.code, d.message) for d in analyze(parsed, path).diagnostics]
    assert found == []


@pytest.mark.parametrize("name", sorted(LANGUAGES))
def test_check_command_on_the_fixture_folder(name: str) -> None:
    result = craftls("check", str(FIXTURES / name), "--language", str(DEFINITIONS / f"{name}.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": 0 errors, 0 warnings" in result.stderr


def _tokens(node: SyntaxNode) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in node.leaves()]


def test_lua_long_strings_and_varargs_are_literals() -> None:
    parsed = parse(definition("lua"), 'local s = [==[a]]b]==]\nprint(select("#", ...))\n')
    assert parsed.errors == []
    assert ("number", "[==[a]]b]==]") in _tokens(parsed.root)
    assert ("kw_null", "...") in _tokens(parsed.root)


def test_lua_long_comments_are_comments() -> None:
    parsed = parse(definition("lua"), "--[==[ one ]] two ]==]\nlocal x = 1 --[[ three ]]\n")
    assert parsed.errors == []
    assert [t for t in _tokens(parsed.root) if t[0] == "comment"] == [
        ("comment", "--[==[ one ]] two ]==]"), ("comment", "--[[ three ]]")]


def test_qbasic_declare_lines_are_comments_and_file_numbers_literals() -> None:
    parsed = parse(definition("qbasic"), "DECLARE SUB A (x%)\nPRINT #1, 2\n")
    assert parsed.errors == []
    assert ("comment", "DECLARE SUB A (x%)") in _tokens(parsed.root)
    assert ("number", "#1") in _tokens(parsed.root)


WRONG = {
    "lua": ("local x = 1\nif x > 0 then\n  print(undefinedThing)\nend\nx = = 2\n",
            [(3, 9, "warning", "undefined-name", "undefined name 'undefinedThing'"),
             # one syntax error per line: the cascade after the first is not reported
             (5, 5, "error", "syntax", "expected an expression, found '='")]),
    "qbasic": ('DIM n AS INTEGER\nn = LEN("a", "b")\nPRINT n\nFOR i% = 1 TO 3\n    PRINT i%\n',
               [(2, 8, "error", "argument-count", "'LEN' takes 1 argument, 2 given"),
                (5, 13, "error", "syntax", "expected 'NEXT' to close 'FOR'")]),
}


@pytest.mark.parametrize("name", sorted(WRONG))
def test_wrong_programs_give_exactly_the_expected_diagnostics(name: str) -> None:
    text, expected = WRONG[name]
    index = LineIndex(text)
    found = []
    for d in analyze(parse(definition(name), text)).diagnostics:
        if d.severity == "hint":
            continue
        line, col = index.position(d.start)
        found.append((line + 1, col + 1, d.severity, d.code, d.message))
    assert found == expected
