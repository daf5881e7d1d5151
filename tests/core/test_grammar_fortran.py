"""Free-form Fortran 90/95, a third language outside the built-in shapes written from
docs/language-definition.md alone (tests/fixtures/grammar/fortran.yaml, programs in
tests/fixtures/grammar/fortran/). What Oberon and Modula-2 did not need: no reserved
words (attributes and type names matched by their text), `.AND.` operators written in
any case, dummy arguments typed in the routine's body (`typed_later`), a type written
before the names it declares, a kind inside a type (`plain_names`), `%` members through
array elements, a module and the program that uses it in one file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest

from craftls.features import completion, hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.loader import load_definition
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"
PROGRAMS = FIXTURES / "fortran"


@dataclass(frozen=True)
class Program:
    """A fixture program: where a snippet is in it, on which line an offset is."""

    path: Path

    @cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def at(self, snippet: str, occurrence: int = 0, text: str | None = None) -> int:
        found = re.finditer(re.escape(snippet), self.text if text is None else text)
        return [m.start() for m in found][occurrence]

    def line(self, offset: int, text: str | None = None) -> int:
        return (self.text if text is None else text).count("\n", 0, offset) + 1


SHAPES_PROGRAM = Program(PROGRAMS / "shapes.f90")
SHAPES_PATH, SHAPES = SHAPES_PROGRAM.path, SHAPES_PROGRAM.text
at, line_of = SHAPES_PROGRAM.at, SHAPES_PROGRAM.line


@pytest.fixture(scope="module")
def fortran() -> LanguageDefinition:
    return load_definition(FIXTURES / "fortran.yaml")


@pytest.fixture(scope="module")
def shapes(fortran: LanguageDefinition) -> FileAnalysis:
    return analysis(fortran, SHAPES, SHAPES_PATH)


def analysis(definition: LanguageDefinition, text: str, path: Path | None) -> FileAnalysis:
    return analyze_with_types(parse(definition, text), path)


def problems(definition: LanguageDefinition, text: str, path: Path | None = None
             ) -> list[str]:
    return [d.message for d in analysis(definition, text, path).diagnostics
            if d.severity in ("error", "warning")]


@pytest.mark.parametrize("name", ["shapes.f90", "counters.f90", "tally.f90"])
def test_the_programs_check_clean(fortran: LanguageDefinition, name: str) -> None:
    path = PROGRAMS / name
    found = analysis(fortran, path.read_text(encoding="utf-8"), path)
    assert [d.message for d in found.diagnostics] == []


# ------------------------------------------------- what the format needed

@pytest.mark.parametrize("spelling", [".and.", ".AND.", ".And."])
def test_a_symbol_holding_letters_is_written_in_any_case(
        fortran: LanguageDefinition, spelling: str) -> None:
    """`.AND.` is an operator of a language that ignores case: `.and.` is the same
    token (it was `.`, the name `and` and `.`), and the grammar's `'.AND.'` takes it."""
    tokens = [t for t in lex(fortran, f"a {spelling} b")[0] if t[1].strip()]
    assert [text for _, text in tokens] == ["a", spelling, "b"]
    text = f"program p\n  logical :: a, b\n  a = .true.\n  b = a {spelling} .TRUE.\nend program p\n"
    assert problems(fortran, text) == []


def test_a_dummy_argument_is_typed_in_the_body(shapes: FileAnalysis) -> None:
    """`subroutine move(c, dx, dy)` then `real(dp), intent(in) :: dx, dy`: one parameter
    each (no duplicate-declaration), with the type the body writes."""
    shown = hover.hover(shapes, at("move", 1))
    assert shown is not None
    assert "procedure move(c: type(circle), dx: real(dp), dy: real(dp))" in shown.markdown
    assert [line_of(s.start) for s in navigation.references(shapes, at("dx", 2))] == [
        24, 26, 27]
    span = navigation.definition(shapes, at("dx", 1))  # in the declaration statement
    assert span is not None and line_of(span.start) == 24


def test_a_functions_result_is_typed_in_its_body(shapes: FileAnalysis) -> None:
    """`result(a)` then `real(dp) :: a`; `integer function count_big` and its name
    assigned in the body."""
    shown = hover.hover(shapes, at("count_big", 2))
    assert shown is not None
    assert ("function count_big(cs: type(circle), n: integer, limit: real(dp)): integer"
            in shown.markdown)
    assert [line_of(s.start) for s in navigation.references(shapes, at("a = pi"))] == [
        18, 20, 21]


def test_a_kind_inside_a_type_is_the_constant(shapes: FileAnalysis) -> None:
    """`real(dp)` is the type (shown whole), and `dp` in it the constant `dp`
    (`kind_selector: {plain_names: true}`): hover, references and rename reach it."""
    shown = hover.hover(shapes, at("(dp)") + 1)
    assert shown is not None and "constant dp: integer" in shown.markdown
    # every `dp` word; not the kind suffix of a number (`1.0_dp` is one number token)
    lines = sorted(line_of(s.start) for s in navigation.rename_spans(shapes, at("dp"), "wp"))
    assert lines == [4, 5, 8, 13, 20, 26, 35, 52, 55, 62]


def test_members_through_an_array_element(shapes: FileAnalysis) -> None:
    """`cs(i)%radius`: the element of an array of `type(circle)` (a call node in the
    tree, `a(i)` being a call or an element) has the type's components."""
    shown = hover.hover(shapes, at("radius", 2))  # cs(i)%radius
    assert shown is not None and "field radius: real(dp)" in shown.markdown
    assert [line_of(s.start) for s in navigation.references(shapes, at("radius"))] == [
        13, 21, 39, 41, 62]


def test_a_module_the_file_defines_is_no_missing_import(fortran: LanguageDefinition) -> None:
    """`use shapes` in the program after `module shapes` in the same file: found (the
    file is its own module's file), no unresolved-import on either name."""
    assert problems(fortran, SHAPES, SHAPES_PATH) == []
    renamed = SHAPES.replace("module shapes", "module shapes2")
    assert problems(fortran, renamed, SHAPES_PATH) == [
        "module 'shapes' is not in the workspace or the installed packages (run "
        "'craftls install'); while it is missing, no name is reported undefined in this file"]


def test_a_module_named_by_two_imports_is_no_duplicate(fortran: LanguageDefinition) -> None:
    text = ("program p\n  use counters, only: bump\n  use counters, only: counter\n"
            "  type(counter) :: c\n  call bump(c)\nend program p\n")
    assert problems(fortran, text, PROGRAMS / "p.f90") == []
    modula2 = load_definition(FIXTURES / "modula2.yaml")
    text = ("MODULE M;\nFROM InOut IMPORT WriteString;\nFROM InOut IMPORT WriteLn;\nBEGIN\n"
            "  WriteString('a'); WriteLn\nEND M.\n")
    assert problems(modula2, text) == []


def test_an_imported_modules_names(fortran: LanguageDefinition) -> None:
    """`use counters` with counters.f90 next to the program: its names are known."""
    path = PROGRAMS / "tally.f90"
    text = path.read_text(encoding="utf-8")
    found = analysis(fortran, text, path)
    shown = hover.hover(found, at("max_count", 0, text))
    assert shown is not None and "counters.f90" in shown.markdown
    offered = completion.complete(found, at("  call bump(hits, 5)", 0, text) + 2)[0]
    assert {"bump", "max_count", "counter"} <= {c.label for c in offered}


def test_a_subroutine_no_file_declares_is_external(fortran: LanguageDefinition) -> None:
    """`call report(x)`: an external procedure (a CALL's `external: true`), while an
    undeclared variable is still an undefined name."""
    text = "program p\n  implicit none\n  call report(1)\n  x = 2\nend program p\n"
    assert problems(fortran, text) == ["undefined name 'x'"]


def test_an_optional_argument_may_be_left_out(fortran: LanguageDefinition) -> None:
    path = PROGRAMS / "counters.f90"
    text = path.read_text(encoding="utf-8") + (
        "subroutine use_it(c)\n  use counters\n  type(counter) :: c\n  call bump(c)\n"
        "  call bump(c, 1)\n  call bump(c, 1, 2)\nend subroutine use_it\n")
    assert problems(fortran, text, path) == ["'bump' takes 1 to 2 arguments, 3 given"]


# ------------------------------------------------- every editor feature

def test_completion(fortran: LanguageDefinition, shapes: FileAnalysis) -> None:
    def offered(old: str, new: str, cursor: int) -> list[str]:
        start = SHAPES.index(old)
        edited = SHAPES[:start] + new + SHAPES[start + len(old):]
        return [c.label for c in completion.complete(analysis(fortran, edited, SHAPES_PATH),
                                                     start + cursor)[0]]
    assert offered("cs(k)%radius = real", "cs(k)%", 6) == ["centre", "radius"]
    assert offered("c%centre%x = c%centre%x + dx", "c%centre%", 9) == ["x", "y"]
    assert offered("  end do outer", "  end ", 6)[0] == "DO"
    assert "total" in offered("  total = 0.0_dp", "  tot", 5)


def test_signature_help(shapes: FileAnalysis) -> None:
    for snippet, cursor, label, active in [
            ("cs(k), 1.0_dp", 7, "procedure move(c: type(circle), dx: real(dp), dy: real(dp))", 1),
            ("real(k, dp)", 8, "real(a: any, kind: int) -> float", 1)]:
        info = hover.signature_help(shapes, at(snippet) + cursor)
        assert info is not None and (info.label, info.active_parameter) == (label, active)


def test_symbols_folding_and_selection(shapes: FileAnalysis) -> None:
    symbols = [(s.name, s.kind) for s in outline.document_symbols(shapes)]
    assert symbols == [("shapes", "module"), ("dp", "constant"), ("pi", "constant"),
                       ("point", "type"), ("circle", "type"), ("area", "function"),
                       ("move", "procedure"), ("count_big", "function"),
                       ("main", "program")]
    folds = sorted((line_of(f.start), line_of(f.end)) for f in outline.folding_ranges(shapes))
    assert (2, 49) in folds and (24, 30) in folds and (38, 46) in folds and (51, 81) in folds
    ranges = outline.selection_ranges(shapes, at("limit .and."))
    texts = [SHAPES[a:b] for a, b in ranges]
    assert texts[0] == "limit" and texts[2].startswith("if (area(cs(i)) > limit")


def test_semantic_tokens(shapes: FileAnalysis) -> None:
    """A word the grammar matches by its text (`real`, `intent`) is a keyword; a
    component after `%` a property."""
    tokens = {t.start: (t.type, t.modifiers) for t in semantic_tokens.classify(shapes)}
    assert tokens[at("real")] == ("keyword", ())
    assert tokens[at("intent")] == ("keyword", ())
    assert tokens[at("radius", 1)] == ("property", ())
    assert tokens[at("dx", 1)] == ("parameter", ())
    assert tokens[at("move")] == ("function", ("declaration",))
    assert tokens[at(".and.")] == ("operator", ())


def test_formatting_keeps_the_tokens_and_is_idempotent(fortran: LanguageDefinition) -> None:
    """The fixture's layout is the formatter's, but for the continued line, which goes
    one level deeper than its statement (docs: `line_continuation`); CASE lines up with
    SELECT, `len=20` stays tight."""
    flat = "".join(line.lstrip(" ") for line in SHAPES.splitlines(True))
    formatted = format_text(parse(fortran, flat))
    expected = SHAPES.replace("&\n                 dy", "&\n      dy")
    assert formatted == expected
    assert format_text(parse(fortran, formatted)) == formatted


@pytest.mark.parametrize(("statement", "messages"), [
    ("x = = 1", ["expected expression, found '='"]),
    ("if (x > 1 then\n    x = 2\n  end if", ["expected ')', found 'then'"]),
    ("do i = 1 10\n    x = i\n  end do", ["expected ',', found '10'"]),
    ("print *, x +", ["expected expression, found the end of the line"]),
    ("do i = 1, 3\n    x = i\n", ["expected 'DO', found 'program'"])])
def test_one_error_per_mistake(fortran: LanguageDefinition, statement: str,
                               messages: list[str]) -> None:
    text = f"program p\n  integer :: x, i\n  x = 0\n  {statement}\n  i = x\nend program p\n"
    assert problems(fortran, text) == messages


def test_a_continued_line_may_begin_with_the_marker(fortran: LanguageDefinition) -> None:
    """`lexical.continuation_resume: "&"`: Fortran's `&` at the start of the line a `&`
    continues is part of the line break (it was an unknown character); formatting keeps
    it first on its line."""
    text = ("program p\n  real :: x\n  x = 1.0 + &\n      & 2.0\n  print *, 'x', &\n"
            "&x\nend program p\n")
    assert problems(fortran, text) == []
    formatted = format_text(parse(fortran, text))
    assert formatted == text.replace("      & 2.0", "    & 2.0").replace("\n&x", "\n    &x")
    assert format_text(parse(fortran, formatted)) == formatted


def test_a_generic_name_and_an_external_procedure(fortran: LanguageDefinition) -> None:
    """`interface area` stands for routines of other argument counts (its calls are not
    counted); `external f` names a procedure of another file."""
    text = ("module m\n  interface area\n    module procedure circle_area\n"
            "    module procedure rect_area\n  end interface\ncontains\n"
            "  real function circle_area(r)\n    real :: r\n    circle_area = r * r\n"
            "  end function circle_area\n  real function rect_area(a, b)\n    real :: a, b\n"
            "    rect_area = a * b\n  end function rect_area\nend module m\n"
            "program p\n  use m\n  real, external :: f\n  external g\n"
            "  print *, area(1.0), area(2.0, 3.0), f(1.0), g(2)\nend program p\n")
    assert problems(fortran, text) == []


def test_an_optional_attribute_makes_each_of_its_names_optional(
        fortran: LanguageDefinition) -> None:
    """`real, optional :: a, b, c`: the `default_value` node covers the three names
    declared after it in its statement (it counted one: `f(2.0, c=1.0)` was "takes 3 to
    4 arguments, 2 given")."""
    text = ("program p\n  print *, f(2.0, c=1.0), f(2.0), f(1.0, 2.0, 3.0, 4.0, 5.0)\n"
            "contains\n  real function f(x, a, b, c)\n    real, intent(in) :: x\n"
            "    real, optional, intent(in) :: a, b, c\n    f = x\n  end function f\n"
            "end program p\n")
    assert problems(fortran, text) == ["'f' takes 1 to 4 arguments, 5 given"]
