"""The bundled Pascal on what the fresh corpus pas20 showed: an interface's methods
overloaded without `overload` (objfpc), a method resolution clause in a class
(`function IList.GetEnumerator = GetListEnumerator;`), a generic method's type arguments
ending an operand (`M.Make<Integer>;`), the Graph unit's `TopOn`/`TopOff`, and routines
overloaded without `overload` in Free Pascal's fpc and objfpc modes (a mode's
``overloading``). Free Pascal
3.2.2 (`fpc -s`) accepts every program here but the Graph one (Debian's x86-64 Free
Pascal has no Graph unit; the names are Turbo Pascal 7's)."""

from __future__ import annotations

from craftls.features import navigation
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import BUNDLED_DIR
from craftls.language.loader import load_definition_text
from craftls.syntax.lexer import for_file
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

INTERFACE_OVERLOADS = """unit IShapes;
{$mode objfpc}{$H+}
interface
type
  IShape = interface
    ['{6A1F0C2E-3B7D-4E51-9A0B-2C4D5E6F7A81}']
    function Area: Double;
    function Scaled(Factor: Double): IShape;
    function Scaled(FactorX, FactorY: Double): IShape;
  end;
implementation
end.
"""


def test_an_interfaces_methods_may_share_a_name_without_overload() -> None:
    assert shown(INTERFACE_OVERLOADS) == []


def test_an_interfaces_field_named_twice_is_still_a_duplicate() -> None:
    text = INTERFACE_OVERLOADS.replace(
        "    function Area: Double;\n",
        "    function Area: Double;\n    property Area: Double read Area;\n")
    codes = [d[3] for d in shown(text)]
    assert codes == ["duplicate-declaration"]


RESOLUTION = """program Resolve;
{$mode objfpc}{$H+}
type
  ICounter = interface
    function Next: Integer;
  end;
  TCounter = class(TInterfacedObject, ICounter)
  private
    FValue: Integer;
    function Step: Integer;
    function ICounter.Next = Step;
  end;

function TCounter.Step: Integer;
begin
  Inc(FValue);
  Result := FValue;
end;

var
  C: ICounter;
begin
  C := TCounter.Create;
  WriteLn(C.Next);
end.
"""


def test_a_method_resolution_clause_parses_and_declares_nothing() -> None:
    assert shown(RESOLUTION) == []
    analysis = analyze_with_types(parse(TP, RESOLUTION))
    # C.Next is ICounter's Next: the clause declared no second one
    use = RESOLUTION.index("C.Next") + 2
    first = RESOLUTION.index("Next")
    assert navigation.definition(analysis, use) == navigation.Span(first, first + 4)


def test_the_interface_in_a_resolution_clause_is_a_reference_to_its_type() -> None:
    analysis = analyze_with_types(parse(TP, RESOLUTION))
    at = RESOLUTION.index("ICounter.Next") + 2
    first = RESOLUTION.index("ICounter")
    assert navigation.definition(analysis, at) == navigation.Span(first, first + 8)


GENERIC_METHODS = """program GenMeth;
{$mode delphi}
type
  TMaker = class
    function Make<T>: T;
    function Pick<T>(const A, B: T): T;
  end;

function TMaker.Make<T>: T;
begin
  Result := Default(T);
end;

function TMaker.Pick<T>(const A, B: T): T;
begin
  Result := B;
end;

var
  M: TMaker;
  N: Integer;
  S: string;
begin
  M := TMaker.Create;
  N := M.Make<Integer>;
  WriteLn(M.Pick<Integer>(N, M.Make<Integer>));
  S := M.Pick<string>('a', 'b');
  WriteLn(S);
  M.Free;
end.
"""


def test_a_generic_methods_type_arguments_may_end_an_operand() -> None:
    assert shown(GENERIC_METHODS) == []


def test_a_comparison_after_a_member_is_still_a_comparison() -> None:
    text = """program Compare;
type TBox = record Size: Integer; end;
var B: TBox; N: Integer; Ok: Boolean;
begin
  B.Size := 1; N := 2;
  Ok := (B.Size < N) and (B.Size > 0);
  if B.Size < N then WriteLn(Ok);
  Ok := B.Size < N;
  WriteLn(B.Size > N, Ok);
end.
"""
    assert shown(text) == []


def test_the_graph_units_bar_top_constants_are_known() -> None:
    text = """program Bars;
uses Graph;
var
  Driver, Mode: Integer;
begin
  Driver := Detect;
  InitGraph(Driver, Mode, '');
  Bar3D(10, 10, 50, 80, 5, TopOn);
  Bar3D(60, 10, 100, 80, 5, TopOff);
  CloseGraph;
end.
"""
    assert shown(text) == []


# ---------------------------------------------------------------- overloads by mode

UNMARKED = """program Unmarked;
{$mode objfpc}
procedure Show(A: Integer);
begin
  WriteLn(A);
end;

procedure Show(const S: string; N: Integer);
begin
  WriteLn(S, N);
end;

begin
  Show(1);
  Show('a', 2);
end.
"""


def test_in_the_fpc_modes_routines_overload_without_the_directive() -> None:
    assert shown(UNMARKED) == []
    assert shown(UNMARKED.replace("{$mode objfpc}", "{$mode fpc}")) == []


def test_a_call_no_unmarked_overload_takes_is_still_an_argument_count_error() -> None:
    text = UNMARKED.replace("  Show('a', 2);\n", "  Show('a', 2);\n  Show(1, 2, 3);\n")
    assert [(d[0], d[3]) for d in shown(text)] == [(16, "argument-count")]


def test_delphi_and_turbo_pascal_want_the_directive() -> None:
    """fpc -Mdelphi: "Not all declarations of "Show" are declared with OVERLOAD"; -Mtp:
    "Procedure overloading is switched off"; a file with no {$mode} is Delphi's here."""
    for mode in ("{$mode delphi}", "{$mode tp}", ""):
        found = shown(UNMARKED.replace("{$mode objfpc}", mode))
        assert [(d[0], d[3]) for d in found] == [(8, "duplicate-declaration")], mode


def test_a_file_whose_extension_or_the_users_setting_chooses_fpc_needs_no_directive() -> None:
    text = UNMARKED.replace("{$mode objfpc}\n", "")
    for definition in (for_file(TP, ".lpr"), for_file(TP, ".pp"), for_file(TP, ".pas", "objfpc")):
        assert analyze_with_types(parse(definition, text)).diagnostics == []
    assert analyze_with_types(parse(for_file(TP, ".pas"), text)).diagnostics


def test_a_modes_overloading_must_be_true_or_false() -> None:
    text = (BUNDLED_DIR / "turbopascal.yaml").read_text(encoding="utf-8")
    changed = text.replace('extensions: [".lpr"], overloading: true',
                           'extensions: [".lpr"], overloading: often', 1)
    assert changed != text
    _, problems = load_definition_text(changed, "turbopascal.yaml")
    assert any("overloading" in p.message for p in problems)


def test_unmarked_routines_of_the_same_parameter_types_are_still_duplicates() -> None:
    """fpc -Mobjfpc: "overloaded functions have the same parameter list"; the names of
    the parameters and the spacing of their types do not tell two routines apart."""
    text = UNMARKED.replace("(const S: string; N: Integer)", "(B : integer)").replace(
        "  Show('a', 2);\n", "").replace("WriteLn(S, N)", "WriteLn(B)")
    assert [(d[0], d[3]) for d in shown(text)] == [(8, "duplicate-declaration")]
