"""Object Pascal constructs found missing while measuring the held-out corpus pascal6
(real programs; each construct here is written anew): interfaces with their GUIDs,
sections of constants, types and variables inside a class, class variable lists, Delphi's
generics (TBox<T> = class, TBox<T>.Get, TBox<Integer>.Create, Pick<string>(...)), record
helpers, `with X as T do`, units named within a namespace (Generics.Collections),
parameters with default values, procedure types whose parameters are their own, and the
names of the run-time library's units (SysUtils, Math, StrUtils, DateUtils, Classes).
Every program here is accepted by Free Pascal 3.2.2 (`fpc -s`) in the mode it names,
but for the one marked Delphi-only."""

from __future__ import annotations

from craftls.features import navigation
from craftls.features.analysis import analyze_with_types
from craftls.syntax.parse import parse

from .test_lang_turbopascal import TP, shown

# fpc -Mobjfpc
INTERFACES = """program Intf;
{$mode objfpc}{$H+}
{$interfaces corba}
type
  ICounter = interface;
  ICounter = interface
    ['{5A0C3C66-3B1D-4F7E-9B51-2C2E3D4F5A6B}']
    function Next: Integer;
    procedure Reset(Start: Integer);
    property Current: Integer read Next;
  end;
  TCounter = class(TObject, ICounter)
  private
    const Step = 2;
    type TMode = (mUp, mDown);
    var FValue: Integer;
        FMode: TMode;
  public
    class var Made, Freed: Integer;
    function Next: Integer;
    procedure Reset(Start: Integer);
  end;
function TCounter.Next: Integer;
begin
  if FMode = mUp then Inc(FValue, Step) else Dec(FValue, Step);
  Result := FValue;
end;
procedure TCounter.Reset(Start: Integer);
begin
  FValue := Start;
  FMode := mDown;
  Inc(Made);
  Freed := Made;
end;
var
  C: TCounter;
  I: ICounter;
begin
  C := TCounter.Create;
  I := C;
  I.Reset(10);
  WriteLn(I.Next, TCounter.Step);
  C.Free;
end.
"""


def test_interfaces_and_sections_inside_a_class_check_clean() -> None:
    assert parse(TP, INTERFACES).errors == []
    assert shown(INTERFACES) == []
    analysis = analyze_with_types(parse(TP, INTERFACES))
    # the class's own constant and type are names in its methods
    step = [r.start for r in navigation.references(analysis, INTERFACES.index("Step ="))]
    assert [INTERFACES.count("\n", 0, s) + 1 for s in step] == [14, 25, 25]
    mode = [r.start for r in navigation.references(analysis, INTERFACES.index("TMode"))]
    assert [INTERFACES.count("\n", 0, s) + 1 for s in mode] == [15, 17]


# fpc -Mdelphi
DELPHI_GENERICS = """program Gen;
{$mode delphi}
type
  TPair<K, V> = record
    Key: K;
    Value: V;
  end;
  TBox<T> = class
  private
    FItem: T;
  public
    constructor Create(const AItem: T);
    function Get: T;
  end;
  TIntHelper = record helper for Integer
    function Twice: Integer;
  end;
  TUtil = class
    class function Pick<U>(const A, B: U; First: Boolean): U;
  end;
constructor TBox<T>.Create(const AItem: T);
begin
  FItem := AItem;
end;
function TBox<T>.Get: T;
begin
  Result := FItem;
end;
class function TUtil.Pick<U>(const A, B: U; First: Boolean): U;
begin
  if First then Result := A else Result := B;
end;

function TIntHelper.Twice: Integer;
begin
  Result := Self * 2;
end;
var
  B: TBox<Integer>;
  P: TPair<string, Integer>;
  N: Integer;
begin
  B := TBox<Integer>.Create(4);
  P.Key := 'a';
  P.Value := B.Get;
  N := 3;
  WriteLn(P.Key, P.Value, N.Twice, TUtil.Pick<string>('x', 'y', True));
  B.Free;
end.
"""


def test_delphi_generics_and_record_helpers_check_clean() -> None:
    assert parse(TP, DELPHI_GENERICS).errors == []
    assert shown(DELPHI_GENERICS) == []


def test_an_anonymous_method_type_parses() -> None:
    # Delphi only: fpc 3.2.2 has no `reference to`
    text = DELPHI_GENERICS.replace(
        "  TUtil = class\n", "  TProc = reference to procedure(N: Integer);\n  TUtil = class\n")
    assert shown(text) == []


def test_the_parameters_of_a_procedure_type_are_its_own() -> None:
    text = ("program P;\ntype\n  TCompare = function(A, B: Integer): Integer;\n"
            "var\n  A: Integer;\n  F: TCompare;\nbegin\n  A := 1;\n  F := nil;\n"
            "  WriteLn(A, Assigned(F))\nend.\n")
    assert shown(text) == []


# fpc -Mobjfpc
WITH_AS = """program WithAs;
{$mode objfpc}
uses Generics.Collections;
type
  TShape = class
    Width: Integer;
  end;
  TSquare = class(TShape)
    Edge: Integer;
  end;
  TSquares = specialize TList<TSquare>;
var
  S: TShape;
  L: TSquares;
begin
  S := TSquare.Create;
  with S as TSquare do
    Edge := 2;
  with (S as TSquare) do
    Width := Edge;
  L := specialize TList<TSquare>.Create;
  L.Add(TSquare(S));
  WriteLn(L.Count);
  L.Free;
  S.Free;
end.
"""


def test_with_a_cast_opens_the_members_of_the_cast_s_type() -> None:
    assert shown(WITH_AS) == []
    # a name neither the cast's type nor the program declares is still undefined
    wrong = WITH_AS.replace("    Edge := 2;", "    Edgy := 2;")
    assert [(d[0], d[4]) for d in shown(wrong)] == [(18, "undefined name 'Edgy'")]


def test_a_unit_named_within_a_namespace_is_one_used_unit() -> None:
    text = ("program P;\n{$mode delphi}\nuses System.SysUtils, Generics.Collections;\n"
            "var L: TList<Integer>;\nbegin\n  L := TList<Integer>.Create;\n"
            "  L.Add(1);\n  WriteLn(L.Count);\n  L.Free\nend.\n")
    assert shown(text) == []


DEFAULTS = """program Defaults;
{$mode objfpc}
procedure Show(A: Integer; B: Integer = 0; C: Char = 'x');
begin
  WriteLn(A + B, C)
end;

begin
  Show(1);
  Show(1, 2);
  Show(1, 2, 'z')
end.
"""


def test_parameters_with_default_values_may_be_left_out() -> None:
    assert shown(DEFAULTS) == []
    wrong = DEFAULTS.replace("  Show(1);", "  Show();").replace("'z')", "'z', 4)")
    assert [(d[0], d[4]) for d in shown(wrong)] == [
        (9, "'Show' takes 1 to 3 arguments, 0 given"),
        (11, "'Show' takes 1 to 3 arguments, 4 given")]


def test_a_default_value_in_a_unit_s_interface_heading_counts_for_its_body() -> None:
    text = ("unit Shows;\n{$mode objfpc}\ninterface\n"
            "procedure Show(A: Integer; B: Integer = 0);\nimplementation\n"
            "procedure Show(A: Integer; B: Integer);\nbegin\n  WriteLn(A + B)\nend;\n"
            "procedure Twice;\nbegin\n  Show(1);\n  Show(2)\nend;\nend.\n")
    assert shown(text) == []


# fpc -Mobjfpc
RUN_TIME_LIBRARY = """program Rtl;
{$mode objfpc}{$H+}
uses SysUtils, Classes, Math, StrUtils, DateUtils;
var
  S: TStringList;
  X: Double;
  T: TextFile;
  N: Int64;
begin
  S := TStringList.Create;
  try
    S.Add(IntToHex(255, 4) + Copy('abcdef', 3));
    X := IntPower(2, 3) + Log10(5) + ArcCos(0.5) + Mean([1.0, 2.0]);
    S.Add(ReverseString('abc') + DupeString('-', 3) + LeftStr('abc', 2) + PadLeft('7', 3));
    S.Add(FormatFloat('0.00', X) + DateToStr(Date) + TimeToStr(Time) + BoolToStr(True, True));
    S.Add(IntToStr(YearOf(Now)) + IntToStr(DaysBetween(Now, IncDay(Now, 3))));
    if not TryStrToInt64('12', N) then
      raise EConvertError.Create('not a number');
    S.Add(ExtractFileName(ParamStr(0)) + ChangeFileExt('a.b', '.c') + LineEnding);
    AssignFile(T, 'out.txt');
    Rewrite(T);
    WriteLn(T, S.Text, StringOfChar('=', 3), UInt64(N), SizeOf(NativeInt));
    CloseFile(T);
  finally
    FreeAndNil(S);
  end;
end.
"""


def test_the_run_time_library_s_names_are_known() -> None:
    assert shown(RUN_TIME_LIBRARY) == []


def test_a_run_time_library_name_a_unit_not_held_redeclares_is_not_counted() -> None:
    # Euler is the program's own unit (not in the workspace here): its IntPower takes and
    # gives integers, its Sum three values
    text = ("program P;\nuses Euler;\nvar n: LongInt;\nbegin\n"
            "  n := IntPower(10, 2);\n  n := Sum(1, 2, 3)\nend.\n")
    assert [d for d in shown(text) if d[3] != "unresolved-import"] == []


# fpc -Mdelphi: operators, class constructors, nested types, TArray<T> results, array of
# const, resourcestring, threadvar, conditional uses clauses, out parameters, Exit(x)
DELPHI_UNIT = """unit Big;
{$mode delphi}
interface
uses SysUtils, Classes;
type
  TVec = record
    X, Y: Double;
    class operator Add(const A, B: TVec): TVec;
    class function Make(AX, AY: Double): TVec; static;
  end;
  TNode = class
  strict private
    FItems: array of Integer;
    function GetItem(Index: Integer): Integer;
    procedure SetItem(Index: Integer; Value: Integer);
  protected
    type
      TInner = class
        Value: Integer;
      end;
  public
    class constructor Init;
    constructor Create; overload;
    constructor Create(N: Integer); overload;
    destructor Destroy; override;
    function ToArray: TArray<Integer>;
    procedure Fill(const Values: array of const);
    property Items[Index: Integer]: Integer read GetItem write SetItem; default;
  end;
resourcestring
  SHello = 'Hello';
threadvar
  Counter: Integer;
function Sum(const A: array of Integer; out Total: Integer): Boolean;
implementation
{$IFDEF WINDOWS}
uses Windows;
{$ELSE}
uses BaseUnix;
{$ENDIF}
class operator TVec.Add(const A, B: TVec): TVec;
begin
  Result.X := A.X + B.X;
  Result.Y := A.Y + B.Y;
end;
class function TVec.Make(AX, AY: Double): TVec;
begin
  Result.X := AX;
  Result.Y := AY;
end;
class constructor TNode.Init;
begin
end;
constructor TNode.Create;
begin
  inherited Create;
  SetLength(FItems, 0);
end;
constructor TNode.Create(N: Integer);
begin
  Create;
  SetLength(FItems, N);
end;
destructor TNode.Destroy;
begin
  FItems := nil;
  inherited;
end;
function TNode.GetItem(Index: Integer): Integer;
begin
  Result := FItems[Index];
end;
procedure TNode.SetItem(Index: Integer; Value: Integer);
begin
  FItems[Index] := Value;
end;
function TNode.ToArray: TArray<Integer>;
var
  I: Integer;
begin
  SetLength(Result, Length(FItems));
  for I := Low(FItems) to High(FItems) do
    Result[I] := FItems[I];
end;
procedure TNode.Fill(const Values: array of const);
var
  I: Integer;
begin
  for I := 0 to High(Values) do
    if Values[I].VType = vtInteger then
      FItems[I] := Values[I].VInteger;
end;
function Sum(const A: array of Integer; out Total: Integer): Boolean;
var
  V: Integer;
begin
  Total := 0;
  for V in A do
    Inc(Total, V);
  Exit(Total > 0);
end;
initialization
  Counter := 0;
finalization
  Counter := 1;
end.
"""


def test_a_delphi_unit_checks_clean() -> None:
    assert parse(TP, DELPHI_UNIT).errors == []
    assert shown(DELPHI_UNIT) == []


def test_conditional_directives_skip_their_else_branch_in_any_case() -> None:
    text = ("program P;\nvar s: {$IfDef FPC}AnsiString{$Else}RawByteString{$EndIf};\n"
            "  t: {$ifdef FPC}string{$else}Integer{$endif};\nbegin\n  s := 'a';\n"
            "  t := s;\n  WriteLn(t)\nend.\n")
    assert shown(text) == []


# fpc -Mdelphi
PAREN_CALL = """program Attr;
{$mode delphi}
type
  TTransaction = class
    procedure Commit;
  end;
  TQuery = class
    Transaction: TObject;
  end;
  TSaver = class
  public
    Owner: TObject;
    procedure Save(Q: TQuery);
  end;
procedure TTransaction.Commit;
begin
  WriteLn('committed');
end;
procedure TSaver.Save(Q: TQuery);
begin
  (Q.Transaction as TTransaction).Commit;
end;
var
  S: TSaver;
  Q: TQuery;
begin
  Q := TQuery.Create;
  Q.Transaction := TTransaction.Create;
  S := TSaver.Create;
  S.Save(Q);
end.
"""


def test_a_method_of_a_parenthesised_cast_is_a_statement() -> None:
    assert shown(PAREN_CALL) == []


def test_attributes_before_a_member_parse() -> None:
    # Delphi only: fpc 3.2.2 has no attributes
    text = PAREN_CALL.replace("    Owner: TObject;", "    [Weak] Owner: TObject;").replace(
        "    procedure Save", "    [Measured(pidWin32 or pidWin64)]\n    procedure Save")
    assert shown(text) == []


def test_a_routine_may_declare_resource_strings() -> None:
    # Delphi only: fpc 3.2.2 wants resource strings global
    text = ("program R;\n{$mode objfpc}\nprocedure Greet;\nresourcestring\n"
            "  SHello = 'Hello';\nbegin\n  WriteLn(SHello)\nend;\nbegin\n  Greet\nend.\n")
    assert shown(text) == []


# fpc -Mobjfpc and -Mdelphi (pascal7 corpus: directives right after a heading, a unit's
# external routines, a dispinterface's dispatch ids, SysUtils' real number formats)
LIBRARY_UNIT = """unit Lib1;
{$mode objfpc}{$H+}
interface
uses SysUtils;
type
  IShow = dispinterface
    ['{3F2504E0-4F89-11D3-9A0C-0305E82C3301}']
    procedure Refresh; dispid 1;
    property Level: Integer readonly dispid 2;
  end;
function Ticks: LongInt cdecl; external 'c' name 'clock';
procedure Seed(N: LongWord); external 'c' name 'srand';
function Shown(X: Double): string;
implementation
function Shown(X: Double): string;
begin
  Seed(Ticks);
  Result := FloatToStrF(X, ffFixed, 8, 2);
end;
end.
"""


def test_a_unit_s_external_routines_and_dispinterface_check_clean() -> None:
    assert parse(TP, LIBRARY_UNIT).errors == []
    assert shown(LIBRARY_UNIT) == []


def test_an_external_routine_of_a_unit_s_interface_is_declared_there() -> None:
    analysis = analyze_with_types(parse(TP, LIBRARY_UNIT))
    call = LIBRARY_UNIT.index("Seed(Ticks)")
    span = navigation.definition(analysis, call)
    assert span is not None and span.start == LIBRARY_UNIT.index("Seed(N")
    wrong = LIBRARY_UNIT.replace("Seed(Ticks)", "Seed(Ticks, 2)")
    assert [(d[3], d[4]) for d in shown(wrong)] == [
        ("argument-count", "'Seed' takes 1 argument, 2 given")]


def test_a_class_whose_ancestor_is_another_unit_s_type_of_its_name_is_open() -> None:
    # TList = class(Classes.TList): its members are the other unit's, not all known here
    text = """unit Lists;
{$mode objfpc}
interface
uses Classes;
type
  TList = class(Classes.TList)
    procedure Twice;
  end;
implementation
procedure TList.Twice;
begin
  Add(nil);
  WriteLn(Count);
end;
end.
"""
    assert shown(text) == []


def test_free_pascal_s_thread_and_streaming_names_are_known() -> None:
    text = """program Threads;
{$mode objfpc}{$H+}
uses Classes;
var
  E: PRTLEvent;
  CS: TRTLCriticalSection;
  A: TAlignment;
begin
  E := RTLEventCreate;
  RTLEventSetEvent(E);
  RTLEventWaitFor(E, 10);
  RTLEventResetEvent(E);
  RTLEventDestroy(E);
  InitCriticalSection(CS);
  EnterCriticalSection(CS);
  if TryEnterCriticalSection(CS) <> 0 then LeaveCriticalSection(CS);
  LeaveCriticalSection(CS);
  DoneCriticalSection(CS);
  CheckSynchronize;
  A := taCenter;
  if A = taLeftJustify then A := taRightJustify;
  WriteLn(HInstance <> 0, Assigned(WakeMainThread));
  RegisterClasses([TStringList]);
  RegisterClass(TStringList);
end.
"""
    assert shown(text) == []


# fpc -Mobjfpc
RECURSIVE_METHODS = """program Rec;
{$mode objfpc}
type
  TWalker = class
    procedure Walk(Depth: Integer; Name: string);
    function Count(N: Integer): Integer;
  end;
procedure TWalker.Walk(Depth: Integer; Name: string);
begin
  if Depth > 0 then
    Walk(Depth - 1, Name);
end;
function TWalker.Count(N: Integer): Integer;
begin
  if N = 0 then Count := 0 else Count := Count(N - 1) + 1;
end;
var
  W: TWalker;
begin
  W := TWalker.Create;
  W.Walk(2, 'a');
  WriteLn(W.Count(3));
  W.Free;
end.
"""


def test_a_method_calls_itself_with_the_parameters_its_body_declares() -> None:
    assert shown(RECURSIVE_METHODS) == []
    wrong = RECURSIVE_METHODS.replace("Walk(Depth - 1, Name)", "Walk(Depth - 1)")
    assert [(d[0], d[4]) for d in shown(wrong)] == [(11, "'Walk' takes 2 arguments, 1 given")]
