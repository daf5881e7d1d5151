"""The bundled Turbo Pascal 7 / Free Pascal {$mode tp} language (issue 17), defined by a
grammar: it is bundled and listed without taking `.pas` from the teaching language
`pascal`; our own programs (tests/fixtures/turbopascal/, examples/turbopascal/, each also
accepted by Free Pascal) check clean; wrong programs give exactly the expected
diagnostics; and the editor features work on it (hover, definition, references, rename
across nested scopes, symbols, folding, semantic tokens, formatting, incremental reparse)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.cli.editor_cmd import claimed_extensions
from craftls.features import hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.catalog import BUNDLED_DIR, all_bundled, bundled, bundled_ids, by_extension
from craftls.language.loader import load_definition_text
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.model import SymbolKind
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse
from craftls.syntax.tokens import TRIVIA
from craftls.workspace.line_index import LineIndex

from .test_cli import craftls
from .test_incremental import assert_edits_reparse_as_fresh, draw_edits

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "turbopascal"
EXAMPLES = ROOT / "examples" / "turbopascal"
PROGRAMS = sorted(FIXTURES.glob("*.p*")) + sorted(EXAMPLES.glob("*.pas"))
TP = bundled("turbopascal")


def check(text: str) -> FileAnalysis:
    return analyze_with_types(parse(TP, text))


def shown(text: str) -> list[tuple[int, int, str, str, str]]:
    """Every diagnostic but hints, as (line, column, severity, code, message), 1-based."""
    index = LineIndex(text)
    found = []
    for d in check(text).diagnostics:
        if d.severity == "hint":
            continue
        line, col = index.position(d.start)
        found.append((line + 1, col + 1, d.severity, d.code, d.message))
    return found


# ---------------------------------------------------------------- the bundled language

def test_the_definition_loads_without_problems_and_declares_the_standard_library() -> None:
    text = (BUNDLED_DIR / "turbopascal.yaml").read_text(encoding="utf-8")
    loaded, problems = load_definition_text(text, "turbopascal.yaml")
    assert problems == []
    assert loaded is not None and loaded.id == "turbopascal" and loaded.grammar is not None
    for name in ("WriteLn", "ClrScr", "GotoXY", "FindFirst", "Exit", "Result", "Self"):
        assert loaded.builtin(name) is not None, name


def test_it_is_bundled_listed_and_takes_the_pas_extension_before_pascal() -> None:
    assert "turbopascal" in bundled_ids()
    assert {".pas", ".pp", ".lpr", ".dpr", ".inc"} <= set(TP.extensions)
    # `pascal` lists .pas too and comes first by id, but it is keyword-level
    chosen = by_extension("prog.pas")
    assert chosen is not None and chosen.id == "turbopascal"
    assert claimed_extensions(all_bundled())["pascal"] == ()
    result = craftls("language", "list")
    assert result.returncode == 0 and "turbopascal" in result.stdout


def test_the_language_is_chosen_with_the_language_option() -> None:
    result = craftls("check", str(EXAMPLES), "--language", "turbopascal")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": 0 errors, 0 warnings" in result.stderr


def test_a_craft_toml_binding_chooses_the_keyword_level_pascal(tmp_path: Path) -> None:
    program = tmp_path / "stack.pas"
    program.write_text((EXAMPLES / "stack.pas").read_text(encoding="utf-8"), encoding="utf-8")
    result = craftls("check", str(program), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr  # turbopascal, by extension
    (tmp_path / "craft.toml").write_text(
        '[[languages]]\ndefinition = "pascal"\nfiles = ["*.pas"]\n', encoding="utf-8")
    assert craftls("check", str(program), cwd=tmp_path).returncode == 1  # `pascal` refuses it


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_our_programs_check_clean(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parsed = parse(TP, text)
    assert parsed.root.text == text
    assert [e.message for e in parsed.errors] == []
    assert shown(text) == []


# ---------------------------------------------------------------- constructs

def kinds(text: str) -> set[str]:
    parsed = parse(TP, text)
    assert parsed.errors == [], parsed.errors
    return {n.kind for n in parsed.root.descendants()}


def test_a_unit_s_interface_heading_and_its_body_are_one_routine() -> None:
    text = ("unit U;\ninterface\nfunction Twice(N: Integer): Integer;\nimplementation\n"
            "function Twice(N: Integer): Integer;\nbegin\n  Twice := N * 2\nend;\nend.\n")
    analysis = check(text)
    assert [d.message for d in analysis.diagnostics if d.severity != "hint"] == []
    body = text.index("Twice", text.index("implementation"))
    found = [r.start for r in navigation.references(analysis, text.index("Twice"))]
    assert found == [text.index("Twice"), body, text.index("Twice :=")]
    target = navigation.definition(analysis, text.index("Twice"))
    assert target is not None and target.start == body
    # the heading's parameters are its own, not the unit's
    assert [s.name for s in analysis.model.symbols if s.kind == SymbolKind.PARAMETER] == [
        "N", "N"]


def test_forward_declarations_name_the_routine_their_body_declares() -> None:
    text = ("program P;\nprocedure B(X: Integer); forward;\nprocedure A;\nbegin\n  B(1)\n"
            "end;\nprocedure B(X: Integer);\nbegin\n  if X > 0 then A\nend;\nbegin\n  A\nend.\n")
    analysis = check(text)
    assert [d.message for d in analysis.diagnostics if d.severity != "hint"] == []
    spans = navigation.rename_spans(analysis, text.index("B(1)"), "Second")
    assert sorted(s.start for s in spans) == [text.index("B(X"), text.index("B(1)"),
                                              text.rindex("B(X")]


def test_character_codes_and_string_runs_are_literals() -> None:
    text = "program P;\nconst S = 'a'#13#10'b'; T = #$1B'[0m'; U = ^G;\nbegin\nend.\n"
    parsed = parse(TP, text)
    assert parsed.errors == []
    tokens = [(t.kind, t.text) for t in parsed.root.leaves() if t.kind not in TRIVIA]
    assert ("number", "#13#10'b'") in tokens and ("number", "#$1B'[0m'") in tokens


def test_pointers_sets_files_subranges_and_width_specifiers() -> None:
    found = kinds("program P;\ntype PI = ^Integer; S = set of 'a'..'z'; F = file of Real;\n"
                  "  G = file; W = string[8]; M = packed array[1..2, 0..3] of Byte;\n"
                  "var p: PI; r: Real;\nbegin\n  New(p); p^ := 3; r := p^ / 2;\n"
                  "  WriteLn(r:8:2, p^:4); Dispose(p)\nend.\n")
    assert {"pointer_type", "set_type", "file_type", "string_type", "subrange_type",
            "array_type", "argument"} <= found


def test_write_parameters_count_as_one_argument_each() -> None:
    text = "program P;\nvar x: Real; s: string;\nbegin\n  Str(x:8:2, s);\n  Str(x:8:2)\nend.\n"
    assert shown(text) == [(5, 6, "error", "argument-count",
                            "'Str' takes 2 arguments, 1 given")]


def test_labels_goto_with_case_else_and_the_empty_statement() -> None:
    found = kinds("program P;\nlabel 1, Again;\nvar r: record a: Integer end; i: Integer;\n"
                  "begin\nAgain:\n  with r do ;\n  case i of\n    1, 3..5: ;\n    2: goto 1\n"
                  "  else\n    goto Again\n  end;\n1:\nend.\n")
    assert {"label_section", "with_stmt", "case_stmt", "goto_stmt", "label_prefix"} <= found


def test_conditional_compilation_reads_the_first_branch() -> None:
    text = ("program P;\nvar x: Integer;\nbegin\n{$IFDEF FPC}\n  x := 1\n{$ELSE}\n"
            "  x := 2\n{$ENDIF}\nend.\n")
    assert parse(TP, text).errors == []


def test_text_after_the_final_end_and_a_dos_end_of_file_mark_are_ignored() -> None:
    text = "program P;\nbegin\nend.\nnotes that are not Pascal: (x\n\x1a"
    assert parse(TP, text).errors == []


def test_deeply_nested_calls_and_statements_parse() -> None:
    calls = "F(" * 12 + "1" + ")" * 12
    ifs = "if a then " * 12
    text = f"program P;\nbegin\n  x := {calls};\n  {ifs}begin x := 1 end\nend.\n"
    assert parse(TP, text).errors == []


def test_names_after_a_dot_are_members_not_plain_names() -> None:
    # `member: true` on "'.' IDENT": r.total is a reference to r only; the bare total is
    # an ordinary name, and undefined
    text = "program W;\nvar r: record a: Integer end;\nbegin\n  r.total := total\nend.\n"
    assert shown(text) == [(4, 14, "warning", "undefined-name", "undefined name 'total'")]
    analysis = check(text)
    assert [r.start for r in navigation.references(analysis, text.index("r:"))] == [
        text.index("r:"), text.index("r.total")]


LAYOUT = (FIXTURES / "layout.pas").read_text(encoding="utf-8")


def test_with_and_method_bodies_see_the_record_s_fields() -> None:
    # layout.pas uses fields inside WITH (nested, on a pointer's target, on a field of
    # the record) and inside methods without a warning (it is in PROGRAMS, checked
    # clean); outside them the same names are undefined
    outside = ("program W;\ntype TP = record X: Integer end;\nvar P: TP;\n"
               "begin\n  with P do\n    X := 1;\n  X := 2\nend.\n")
    assert shown(outside) == [(7, 3, "warning", "undefined-name", "undefined name 'X'")]
    analysis = check(LAYOUT)
    uses = [r for r in analysis.model.references if r.name == "Shade"]
    assert [r.symbol and r.symbol.kind for r in uses] == [SymbolKind.FIELD]


RESULTS = ("program R;\ntype\n  TRec = record\n    FData: Integer;\n  end;\n"
           "  TCell = record\n    Player: Integer;\n  end;\n"
           "var\n  Grid: array[1..8, 1..8] of TCell;\n  I, J: Integer;\n"
           "function Make: TRec;\nbegin\n  Result.FData := 1;\n  Make.FData := 2\nend;\n"
           "begin\n  I := 1; J := 2;\n  Grid[I, J].Player := Make.FData\nend.\n")


def test_a_field_of_a_function_s_result_and_of_an_array_s_element_is_its_type_s() -> None:
    """``Result.FData`` (structure.result_variable) and ``Make.FData`` in a function
    returning TRec name TRec's field; ``Grid[I, J].Player`` TCell's, the array's elements'."""
    analysis = check(RESULTS)
    text = RESULTS
    field = text.index("FData: Integer")
    for use in (text.index("Result.FData") + 7, text.index("Make.FData") + 5):
        assert navigation.definition(analysis, use) == navigation.Span(field, field + 5)
    info = hover.hover(analysis, text.index("Result.FData") + 7)
    assert info is not None and "field FData" in info.markdown
    assert [s.start for s in navigation.references(analysis, field)] == [
        field, text.index("Result.FData") + 7, text.index("Make.FData") + 5,
        text.rindex("Make.FData") + 5]
    player = text.index("Player: Integer")
    assert navigation.definition(analysis, text.index("].Player") + 2) == navigation.Span(
        player, player + 6)


def test_a_field_s_references_hover_definition_and_rename_reach_every_use() -> None:
    analysis = check(LAYOUT)
    text = LAYOUT
    index = LineIndex(text)

    def lines(spans: list[Any]) -> list[tuple[int, int]]:
        return [(index.position(s.start)[0] + 1, index.position(s.start)[1] + 1)
                for s in spans]

    # X of TPoint: declared on line 8; inside `with Corner do` (a field of Box's type),
    # inside `with Where^ do` and as `Box.Corner.X` on line 75, and `Where^.X`
    x_refs = navigation.references(analysis, text.index("X, Y: Integer"))
    assert lines(x_refs) == [(8, 5), (69, 7), (75, 5), (75, 21), (100, 18)]
    member = text.index("Box.Corner.X") + len("Box.Corner.")
    assert navigation.definition(analysis, member) == navigation.Span(
        text.index("X, Y: Integer"), text.index("X, Y: Integer") + 1)
    info = hover.hover(analysis, member)
    assert info is not None and "field X" in info.markdown
    # a method: Tally.Next goes to its heading in the object type
    assert lines([navigation.definition(analysis, text.index("Tally.Next") + 6)]) == [(22, 14)]
    # rename of a variant field: its declaration and its unqualified use in WITH
    spans = navigation.rename_spans(analysis, text.index("Shade"), "Tone")
    assert lines(spans) == [(15, 14), (66, 5)]
    # from a member use, the same spans as from the declaration
    assert navigation.rename_spans(analysis, member, "Left") == \
        navigation.rename_spans(analysis, text.index("X, Y: Integer"), "Left")


def test_a_method_s_fields_are_the_object_s_and_its_own_names_win() -> None:
    text = ("program M;\ntype T = object\n  N: Integer;\n  procedure Put(N2: Integer);\n"
            "end;\nprocedure T.Put(N2: Integer);\nvar Local: Integer;\nbegin\n"
            "  Local := N2;\n  N := Local\nend;\nvar V: T;\nbegin\n  V.Put(1)\nend.\n")
    assert shown(text) == []
    analysis = check(text)
    n = [r for r in analysis.model.references if r.name == "N"]
    assert [r.symbol and r.symbol.kind for r in n] == [SymbolKind.FIELD]


# ---------------------------------------------------------------- wrong programs

WRONG = [
    ("program W;\nvar n: Integer;\nbegin\n  n := 1\n  WriteLn(Missing, Length('a', 'b'))\n"
     "end.\n",
     # the missing ';' is reported where it belongs, at the end of line 4, as the
     # missing ';'; the statement after it is still read, and checked
     [(4, 9, "error", "syntax", "expected ';', found 'WriteLn'"),
      (5, 11, "warning", "undefined-name", "undefined name 'Missing'"),
      (5, 26, "error", "argument-count", "'Length' takes 1 argument, 2 given")]),
    ("program W;\nvar n: Integer;\nbegin\n  n := Length('a', 'b');\n  WriteLn(Missing)\nend.\n",
     [(4, 14, "error", "argument-count", "'Length' takes 1 argument, 2 given"),
      (5, 11, "warning", "undefined-name", "undefined name 'Missing'")]),
    ("program W;\nvar n: Integer;\n    n: Real;\nbegin\nend.\n",
     [(3, 5, "error", "duplicate-declaration", "'n' is already declared in this scope")]),
    ("program W;\nprocedure Two(a, b: Integer);\nbegin\nend;\nbegin\n  Two(1)\nend.\n",
     [(6, 6, "error", "argument-count", "'Two' takes 2 arguments, 1 given")]),
    ("program W;\nvar x: Integer;\nbegin\n  if x > 0\n    x := 1;\n  x := 2\nend.\n",
     [(4, 11, "error", "syntax", "expected 'then', found 'x'")]),
    ("program W;\ntype\nvar x: Integer;\nbegin\nend.\n",
     [(2, 5, "error", "syntax", "expected a name, '[' or 'generic', found 'var'")]),
    ("program W;\nvar x: Integer;\nbegin\n  for x := 1 do\n    WriteLn(x)\nend.\n",
     [(4, 13, "error", "syntax", "expected 'to' or 'downto', found 'do'")]),
    # a stray token inside a routine's body: one error there, and the body stays the
    # routine's (its local y is still declared and used, Missing still checked)
    ("program W;\nprocedure P;\nvar y: Integer;\nbegin\n  y := 1;\n  ) y := 2;\n"
     "  WriteLn(y, Missing)\nend;\nbegin\n  P\nend.\n",
     [(6, 3, "error", "syntax", "unexpected ')'"),
      (7, 14, "warning", "undefined-name", "undefined name 'Missing'")]),
    # a half-typed statement in a routine's body: the error where the value is missing
    ("program W;\nprocedure P;\nvar y: Integer;\nbegin\n  y := ;\n  y := 2\nend;\n"
     "begin\n  P\nend.\n",
     [(5, 7, "error", "syntax", "expected expression, found ';'")]),
]


# a missing `end`: one error, where the parser can tell (the next routine's first word,
# or the `end` that closes the wrong block), and the routines stay routines
MISSING_END = [
    ("program W;\nprocedure P;\nbegin\n  WriteLn(1);\n\nprocedure Q;\nbegin\n"
     "  WriteLn(2)\nend;\n\nbegin\n  P; Q\nend.\n",
     (4, 14, "error", "syntax", "expected 'end' or ';', found 'procedure'"), ["P", "Q"]),
    ("program W;\nvar x: Integer;\nprocedure P;\nbegin\n  if x > 0 then\n  begin\n"
     "    x := 1;\n  while x < 3 do\n    x := x + 1\nend;\n\nfunction F: Integer;\n"
     "begin\n  F := x\nend;\n\nbegin\n  P; x := F\nend.\n",
     (10, 5, "error", "syntax", "expected 'end' or ';', found 'function'"), ["x", "P", "F"]),
    ("program W;\nprocedure P;\nbegin\n  WriteLn(1)\n\nbegin\n  P\nend.\n",
     (4, 13, "error", "syntax", "expected 'end' or ';', found 'begin'"), ["P"]),
    # the while's body, whose ';' is missing, is still the while's
    ("program W;\nvar n: Integer;\nbegin\n  while n > 0 do\n  begin\n    WriteLn(n)\n"
     "    n := n - 1\n  end;\n  WriteLn(n)\nend.\n",
     (6, 15, "error", "syntax", "expected ';', found 'n'"), ["n"]),
    # inside the main block: the inner block took the main block's `end`, so the `.`
    # tells (not "unexpected '.'" and then the `end` missing at the end of the file)
    ("program W;\nvar x: Integer;\nbegin\n  x := 1;\n  if x > 0 then\n  begin\n"
     "    x := 2;\n  WriteLn(x)\nend.\n",
     (9, 4, "error", "syntax", "expected 'end' or ';', found '.'"), ["x"]),
    # the main block's own `end`
    ("program W;\nvar x: Integer;\nbegin\n  x := 1;\n  WriteLn(x)\n.\n",
     (5, 13, "error", "syntax", "expected 'end' or ';', found '.'"), ["x"]),
    # a nested routine without its `end` (its `;` kept): its block takes the outer
    # routine's body, the outer routine ends where the parser can tell, and the
    # function after it stays a function (not a nested routine of A, nor A a FORWARD)
    ("program W;\nprocedure A(N: Integer);\n\n  procedure Clamp(var V: Integer);\n  begin\n"
     "    if V < 0 then\n      V := 0\n  ;\n\nbegin\n  Clamp(N);\n  N := 2\nend;\n\n"
     "function F: Integer;\nbegin\n  F := 1\nend;\n\nbegin\n  A(F)\nend.\n",
     (13, 5, "error", "syntax", "expected 'end' or ';', found 'function'"), ["A", "F"]),
    # an object without its `end`: a routine after it is no method heading with a
    # mistake (its word begins both), the object ends there
    ("program W;\ntype\n  TStack = object\n    Top: Integer;\n    constructor Init;\n"
     "    procedure Push(V: Integer);\n\nconstructor TStack.Init;\nbegin\n  Top := 0\nend;\n\n"
     "var\n  S: TStack;\nbegin\n  S.Init\nend.\n",
     (6, 32, "error", "syntax", "expected 'end', found 'constructor'"), ["TStack", "S"]),
]


@pytest.mark.parametrize("text, error, names", MISSING_END, ids=range(len(MISSING_END)))
def test_a_missing_end_is_one_error_and_the_routines_after_it_are_routines(
        text: str, error: tuple[int, int, str, str, str], names: list[str]) -> None:
    assert shown(text) == [error]
    assert len(parse(TP, text).errors) == 1  # one in the tree too, not only once shown
    assert [s.name for s in outline.document_symbols(check(text))] == ["W", *names]


# one mistake inside a declaration or a statement: one error in the tree, and what
# follows is read as written (the declarations after a broken one are still declared)
ONE_MISTAKE = [
    # a declaration without its ':' (it used to end the section, and every declaration
    # after it became an error of its own and its uses undefined)
    ("program W;\nvar\n  Grid Integer;\n  Bits: Integer;\n  Day: Integer;\nbegin\n"
     "  Bits := Day;\n  Grid := 1\nend.\n",
     (3, 7, "error", "syntax", "expected ',' or ':', found 'Integer'"), ["Grid", "Bits", "Day"]),
    # a missing ')' found further on the line takes the tokens before it
    ("program W;\nvar x: Integer;\nbegin\n  WriteLn(x x);\n  WriteLn(x)\nend.\n",
     (4, 13, "error", "syntax", "expected ')' or ',', found 'x'"), ["x"]),    # a section whose declaration is wrong as written where its name begins a
    # declaration (no item starts with a name): it used to end the section before it,
    # and every declaration after it was an error of its own and undeclared
    ("program W;\ntype\n  TDigit = 0..9;\n  TDay = (Mon, Tue Tue, Wed);\n  TSet = set of TDay;\n"
     "var\n  Day: TDay;\nbegin\n  Day := Mon\nend.\n",
     (4, 20, "error", "syntax", "'Tue' written twice"),
     # (the value after the doubled one is still the enumeration's)
     ["TDigit", "TDay", "Mon", "Tue", "Wed", "TSet", "Day"]),
    # a field whose type is wrong (its ':' doubled: the second is the error): the rest
    # of the line up to its ';' is that mistake
    # (it was a second error, and the object's methods could become routines); the
    # same in a record, whose fields are separated by ';' (it ended the record, and
    # the fields after it became type declarations)
    *[(f"program W;\ntype\n{types}var\n  V: T;\nbegin\n  V.Top := 1\nend.\n",
       (line, column, "error", "syntax", "expected type, found ':'"), [*names, "V"])
      for types, line, column, names in [
          ("  T = object\n    Top: : Integer;\n    constructor Init;\n"
           "    function Pop: Integer; virtual;\n  end;\n", 4, 10, ["T"]),
          ("  TPoint = record X, Y: Integer; end;\n  T = record\n    Origin: TPoint;\n"
           "    Corner: : TPoint;\n    Top: Integer;\n  end;\n", 6, 13, ["TPoint", "T"])]],
    # a method heading with a mistake before its ';' (its word also begins a routine):
    # one error at the copy, the object kept (the object was an error, and its methods
    # routines)
    ("program W;\ntype\n  PStack = ^TStack;\n  TStack = object\n    Top: Integer;\n"
     "    constructor Init;\n    function Pop Pop: Integer; virtual;\n"
     "    procedure Push(V: Integer);\n  end;\nvar\n  S: TStack;\nbegin\n  S.Init\nend.\n",
     (7, 18, "error", "syntax", "unexpected 'Pop'"), ["PStack", "TStack", "S"]),
    # the main block's `begin` missing: its statements are one error (they were one
    # each), and no declarations of the `var` section before them
    ("program W;\nvar x: Integer;\n\n  x := 1;\n  WriteLn(x);\n  x := x + 1\nend.\n",
     (4, 3, "error", "syntax", "unexpected 'x'"), ["x"]),
]


@pytest.mark.parametrize("text, error, names", ONE_MISTAKE, ids=range(len(ONE_MISTAKE)))
def test_one_mistake_in_a_declaration_or_a_statement_is_one_error(
        text: str, error: tuple[int, int, str, str, str], names: list[str]) -> None:
    assert shown(text) == [error]
    assert len(parse(TP, text).errors) == 1
    assert [s.name for s in outline.document_symbols(check(text))] == ["W", *names]


@pytest.mark.parametrize("text, expected", WRONG, ids=range(len(WRONG)))
def test_wrong_programs_give_exactly_the_expected_diagnostics(
        text: str, expected: list[tuple[int, int, str, str, str]]) -> None:
    assert shown(text) == expected


# ---------------------------------------------------------------- editor features

NESTED = """program Scopes;
var
  Total: Integer;

function Sum(N: Integer): Integer;
var
  Total: Integer;

  procedure Add(K: Integer);
  begin
    Total := Total + K
  end;

begin
  Total := 0;
  while N > 0 do
  begin
    Add(N);
    N := N - 1
  end;
  Sum := Total
end;

begin
  Total := Sum(3);
  WriteLn(Total)
end.
"""


def test_rename_and_references_follow_nested_scopes() -> None:
    analysis = check(NESTED)
    inner = NESTED.index("Total: Integer;\n\n  procedure")
    inner_uses = [i for i in range(len(NESTED)) if NESTED.startswith("Total", i)][2:6]
    spans = navigation.rename_spans(analysis, NESTED.index("Total := Total + K"), "Acc")
    assert sorted(s.start for s in spans) == [inner] + inner_uses
    outer = [r.start for r in navigation.references(analysis, NESTED.index("Total"))]
    assert outer == [NESTED.index("Total"), NESTED.index("Total := Sum"),
                     NESTED.index("WriteLn(Total)") + 8]


def test_hover_definition_and_signature_help() -> None:
    analysis = check(NESTED)
    info = hover.hover(analysis, NESTED.index("Sum(3)"))
    assert info is not None and "Sum" in info.markdown
    target = navigation.definition(analysis, NESTED.index("Add(N)"))
    assert target is not None and target.start == NESTED.index("Add(K")
    help_ = hover.signature_help(analysis, NESTED.index("Add(N)") + 4)
    assert help_ is not None and help_.parameters == ["K: Integer"]
    builtin = hover.hover(analysis, NESTED.index("WriteLn"))
    assert builtin is not None and "WriteLn" in builtin.markdown


def test_document_symbols_nest_routines_in_their_scopes() -> None:
    items = {i.name: i for i in outline.document_symbols(check(NESTED))}
    assert {"Scopes", "Total", "Sum"} <= set(items)
    assert [c.name for c in items["Sum"].children] == ["Total", "Add"]  # its locals


def test_folding_covers_routines_and_compound_statements() -> None:
    folds = {(NESTED[f.start:f.start + 8], f.kind) for f in outline.folding_ranges(check(NESTED))}
    assert {("function", "region"), ("procedur", "region"), ("begin\n  ", "region")} <= folds


def test_semantic_tokens_classify_keywords_names_strings_and_comments() -> None:
    text = "program P; { note }\nconst C = 'x';\nvar v: Integer;\nbegin\n  v := Ord(C[1])\nend.\n"
    analysis = check(text)
    found = {(text[t.start:t.start + t.length], t.type)
             for t in semantic_tokens.classify(analysis)}
    assert {("program", "keyword"), ("{ note }", "comment"), ("'x'", "string"),
            ("v", "variable"), ("C", "variable")} <= found


def test_completion_offers_the_grammar_s_words_then_the_names_in_scope() -> None:
    from craftls.features.completion import complete

    text = NESTED.replace("    Add(N);\n", "    Ad\n")
    at = text.index("    Ad\n") + 6
    labels = [c.label for c in complete(check(text), at)[0]]
    assert labels[0] == "Add" and "Addr" in labels  # the local routine before the builtins
    after_for = "program P;\nvar i: Integer;\nbegin\n  for i := 1 "
    words = [c.label for c in complete(check(after_for), len(after_for))[0]
             if c.kind == "keyword"]
    assert {"to", "downto"} <= set(words) and not {"begin", "then", "until"} & set(words)


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_formatting_is_idempotent_and_keeps_every_token(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    formatted = format_text(parse(TP, text))
    assert format_text(parse(TP, formatted)) == formatted

    def significant(source: str) -> list[tuple[str, str]]:
        return [(t.kind, t.text) for t in parse(TP, source).root.leaves()
                if t.kind not in TRIVIA]

    assert significant(formatted) == significant(text)


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_our_programs_are_written_in_the_formatter_s_layout(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(parse(TP, text)) == text


def test_formatting_gives_pascal_s_usual_layout_back_from_flat_text() -> None:
    # every line of layout.pas flush left: the formatter indents statements inside
    # BEGIN/REPEAT/CASE, fields of records and objects, the body of a loop, nested
    # routines; BEGIN/END of a routine and of the main block stay at its level, ELSE
    # under its IF (also after `else if`), the INTERFACE part of a unit at its level
    text = (FIXTURES / "layout.pas").read_text(encoding="utf-8")
    flat = "\n".join(line.strip() for line in text.splitlines()) + "\n"
    assert format_text(parse(TP, flat)) == text
    unit = (EXAMPLES / "counters.pas").read_text(encoding="utf-8")
    body = unit[unit.index("interface"):]
    flat_unit = unit[:unit.index("interface")] + "\n".join(
        line.strip() for line in body.splitlines()) + "\n"
    assert format_text(parse(TP, flat_unit)) == unit


def test_an_else_if_chain_keeps_its_else_under_the_first_if() -> None:
    text = ("program E;\nvar n: Integer;\nbegin\nif n > 0 then\nn := 1\nelse if n = 0 then\n"
            "n := 2\nelse\nbegin\nn := 3;\nend;\nend.\n")
    assert format_text(parse(TP, text)) == (
        "program E;\nvar n: Integer;\nbegin\n  if n > 0 then\n    n := 1\n"
        "  else if n = 0 then\n    n := 2\n  else\n  begin\n    n := 3;\n  end;\nend.\n")


def test_the_interface_part_folds() -> None:
    text = (EXAMPLES / "counters.pas").read_text(encoding="utf-8")
    folds = [text[f.start:f.start + 9] for f in outline.folding_ranges(check(text))]
    assert "interface" in folds


def test_formatting_keeps_crlf_line_endings() -> None:
    text = (EXAMPLES / "counters.pas").read_text(encoding="utf-8").replace("\n", "\r\n")
    formatted = format_text(parse(TP, text))
    assert "\r\n" in formatted and "\n" not in formatted.replace("\r\n", "")


FRAGMENTS = ["", "x", "1", " ", "\n", ";", "begin ", "end", "end;", "(", ")", "'", "{", "}",
             ":=", "if a then ", "else ", "procedure Q;", "var ", ".", "^", "#13", "case "]


@st.composite
def edit_sequences(draw: st.DrawFn) -> tuple[str, list[TextEdit]]:
    path = draw(st.sampled_from(PROGRAMS))
    text = path.read_text(encoding="utf-8")
    return text, draw_edits(draw, text, FRAGMENTS, 12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=edit_sequences())
def test_incremental_reparse_equals_a_full_parse(case: tuple[str, list[TextEdit]]) -> None:
    text, edits = case
    assert_edits_reparse_as_fresh(TP, text, edits)


def test_the_layout_and_member_annotations_are_checked_like_the_others() -> None:
    from .test_grammar import grammar_lines, problems_of

    found = problems_of(grammar_lines('file: "item*"',
                                      'item: {match: "IDENT", lines: 2, fold: "no", opens: []}'))
    messages = {m for m, _, _, _ in found}
    for key in ("lines", "fold", "opens"):
        assert f"'{key}' in rule 'item' must be true or false" in messages
    spec = TP.grammar
    assert spec is not None
    meanings = spec.meanings()
    assert meanings["statements"].lines and meanings["interface_section"].fold
    assert meanings["with_target"].opens and meanings["method_type"].opens


# ---------------------------------------------------------------- units

MAIN = """program Main;
uses Crt, Counters, Missing;
var
  C: TCounter;
begin
  Reset(C, 'clicks');
  Bump(C, 2);
  WriteLn(Describe(C), Digits(5), Created);
end.
"""


def test_a_used_unit_s_interface_names_are_defined_and_lead_to_the_unit(
        tmp_path: Path) -> None:
    from craftls.features.navigation import external_target
    from craftls.workspace.imports import ModuleResolver

    unit = tmp_path / "counters.pas"  # read as Turbo Pascal, not as the teaching `pascal`
    unit.write_text((EXAMPLES / "counters.pas").read_text(encoding="utf-8"), encoding="utf-8")
    main = tmp_path / "main.pas"
    main.write_text(MAIN, encoding="utf-8")
    analysis = analyze_with_types(parse(TP, MAIN), main, resolver=ModuleResolver())
    index = LineIndex(MAIN)
    found = [(index.position(d.start)[0] + 1, d.code, d.message)
             for d in analysis.diagnostics if d.severity != "hint"]
    # Crt is a standard unit; TCounter, Reset, Bump and Describe come from Counters'
    # INTERFACE; Digits and Created are its IMPLEMENTATION's own, but Missing is no file
    # and may declare them: no name is reported undefined while it is missing
    assert found == [
        (2, "unresolved-import", "module 'Missing' is not in the workspace or the installed "
                                 "packages (run 'craftls install'); while it is missing, no "
                                 "name is reported undefined in this file"),
    ]
    found_unit = MAIN.replace(", Missing;", ";")
    alone = analyze_with_types(parse(TP, found_unit), main, resolver=ModuleResolver())
    assert [(index.position(d.start)[0] + 1, d.code, d.message)
            for d in alone.diagnostics if d.severity != "hint"] == [
        (8, "undefined-name", "undefined name 'Digits'"),
        (8, "undefined-name", "undefined name 'Created'"),
    ]
    assert external_target(analysis, MAIN.index("Bump")) == (str(unit), "Bump")
    info = hover.hover(analysis, MAIN.index("Describe"))
    assert info is not None and "counters.pas" in info.markdown


def test_string_types_show_in_hovers_and_signatures() -> None:
    # `string` is a keyword, not a type name: its node is the declared type all the same
    text = ("program Names;\nprocedure Show(var b: string; f: string[10]);\nbegin\nend;\n"
            "var s: string; q: string[20];\nbegin\n  Show(s, q)\nend.\n")
    analysis = analyze_with_types(parse(bundled("turbopascal"), text))
    shown = hover.hover(analysis, text.index("Show(s"))
    assert shown is not None and "procedure Show(b: string, f: string[10])" in shown.markdown
    for name, typ in (("s: string;", "variable s: string"), ("q: string", "variable q: string[20]")):
        shown = hover.hover(analysis, text.index(name))
        assert shown is not None and typ in shown.markdown


def test_an_included_file_s_declarations_are_known(tmp_path: Path) -> None:
    """`{$I defs.inc}` / `{$INCLUDE ...}` (``structure.includes``): the `.inc` file is read
    as Pascal (an included text is the includer's language, whatever its extension) and
    what it declares is known; `{$I+}`, `{$I-}` and `{$I %FPCVERSION%}` include nothing (the
    last is a string literal, ``lexical.directive_strings``, where a value may stand); a
    missing file is one warning at its name."""
    (tmp_path / "defs.inc").write_text(
        "const\n  Limit = 10;\nprocedure Show(n: Integer);\nbegin\n  WriteLn(n)\nend;\n",
        encoding="utf-8")
    text = ("program P;\n{$I+}\n{$I defs.inc}\nvar i: Integer;\nbegin\n"
            "  WriteLn({$i %FPCVERSION%});\n"
            "  for i := 1 to Limit do Show(i);\n{$INCLUDE missing.inc}\nend.\n")
    found = analyze_with_types(parse(bundled("turbopascal"), text), tmp_path / "p.pas")
    assert [(d.code, d.message) for d in found.diagnostics if d.severity != "hint"] == [
        ("unresolved-include", "included file 'missing.inc' is not found next to this file: "
         "the names it declares are not known here, and no name is reported "
         "undefined in this file")]
