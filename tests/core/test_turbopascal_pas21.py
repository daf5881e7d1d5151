"""The bundled Pascal on what round pas21 fixed: an advanced record's operators named by
their symbol (`class operator +(...)`, objfpc), and a method written with an empty argument
list passed as a procedural value in Free Pascal's delphi mode (`Listen(OnTick())`, a
mode's ``empty_call_value``). Free Pascal 3.2.2 (`fpc -s`) accepts the delphi-mode
programs here; the tests say where its objfpc mode reports the wrong number of
parameters."""

from __future__ import annotations

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import BUNDLED_DIR
from craftls.language.loader import load_definition_text
from craftls.syntax.lexer import for_file
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

PASSED_METHOD = """program Ticks;
{$mode delphi}
type
  TTick = procedure(Count: Integer) of object;
  TClock = class
    procedure OnTick(Count: Integer);
    procedure Listen(Handler: TTick);
    procedure Start;
  end;

procedure TClock.OnTick(Count: Integer);
begin
  WriteLn(Count);
end;

procedure TClock.Listen(Handler: TTick);
begin
  Handler(1);
end;

procedure TClock.Start;
begin
  Listen(OnTick());
  Listen(OnTick);
  Self.Listen(Self.OnTick());
end;

var
  C: TClock;
begin
  C := TClock.Create;
  C.Start;
  C.Free;
end.
"""


def test_delphi_mode_passes_a_method_written_with_empty_parentheses() -> None:
    assert shown(PASSED_METHOD) == []


def test_objfpc_mode_counts_its_arguments() -> None:
    """fpc -Mobjfpc: "Wrong number of parameters specified for call to "OnTick"" on
    lines 23-25 (a bare name is not argument-counted here; a call through Self is, as
    the same call without it: pas24)."""
    found = shown(PASSED_METHOD.replace("{$mode delphi}", "{$mode objfpc}"))
    assert [(d[0], d[3]) for d in found] == [(23, "argument-count"), (25, "argument-count")]


def test_the_mode_a_file_without_a_directive_is_in_decides() -> None:
    """No {$mode}: Delphi's (the definition's default) for a .pas, objfpc for a .lpr."""
    text = PASSED_METHOD.replace("{$mode delphi}\n", "")
    assert shown(text) == []
    found = analyze_with_types(parse(for_file(TP, ".lpr"), text)).diagnostics
    assert [d.code for d in found if d.severity != "hint"] == ["argument-count"] * 2


def test_an_empty_call_of_a_routine_taking_parameters_is_still_wrong_elsewhere() -> None:
    """Not a whole argument (a statement, an operand), the argument of a builtin
    (WriteLn's), or of a parameter of a value type: fpc -Mdelphi reports each."""
    text = """program Squares;
{$mode delphi}
function Sq(N: Integer): Integer;
begin
  Sq := N * N;
end;

procedure Show(N: Integer);
begin
  WriteLn(N);
end;

begin
  Sq();
  WriteLn(Sq());
  Show(Sq());
  Show(Sq() + 1);
end.
"""
    found = [(d[0], d[3]) for d in shown(text)]
    assert found == [(14, "argument-count"), (15, "argument-count"), (16, "argument-count"),
                     (17, "argument-count")]


def test_a_modes_empty_call_value_must_be_true_or_false() -> None:
    text = (BUNDLED_DIR / "turbopascal.yaml").read_text(encoding="utf-8")
    changed = text.replace("empty_call_value: true", "empty_call_value: sometimes", 1)
    assert changed != text
    _, problems = load_definition_text(changed, "turbopascal.yaml")
    assert any("empty_call_value" in p.message for p in problems)


SYMBOL_OPERATORS = """program Money;
{$mode objfpc}{$H+}
{$modeswitch advancedrecords}
type
  TMoney = record
    Cents: Int64;
    class operator +(const A, B: TMoney): TMoney;
    class operator =(const A, B: TMoney): Boolean;
    class operator <>(const A, B: TMoney): Boolean;
    class operator -(const A: TMoney): TMoney;
    class operator :=(const C: Int64): TMoney;
  end;

class operator TMoney.+(const A, B: TMoney): TMoney;
begin
  Result.Cents := A.Cents + B.Cents;
end;

class operator TMoney.=(const A, B: TMoney): Boolean;
begin
  Result := A.Cents = B.Cents;
end;

class operator TMoney.<>(const A, B: TMoney): Boolean;
begin
  Result := A.Cents <> B.Cents;
end;

class operator TMoney.-(const A: TMoney): TMoney;
begin
  Result.Cents := -A.Cents;
end;

class operator TMoney.:=(const C: Int64): TMoney;
begin
  Result.Cents := C;
end;

operator * (const A: TMoney; N: Integer) R: TMoney;
begin
  R.Cents := A.Cents * N;
end;

var
  X, Y: TMoney;
begin
  X.Cents := 150;
  Y := X + X;
  Y := -Y;
  if X = Y then WriteLn('same');
  if X <> Y then WriteLn('differ');
  Y := X * 3;
  WriteLn(Y.Cents);
end.
"""


def test_an_advanced_records_operators_named_by_their_symbol_parse() -> None:
    assert shown(SYMBOL_OPERATORS) == []


def test_an_operators_parameters_are_its_own_and_other_names_are_checked() -> None:
    text = SYMBOL_OPERATORS.replace("Result := A.Cents = B.Cents;",
                                    "Result := A.Cents = Other.Cents;")
    assert [(d[0], d[3], d[4]) for d in shown(text)] == [
        (21, "undefined-name", "undefined name 'Other'")]

