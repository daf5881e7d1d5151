"""Pascal constructs and diagnostics found while measuring the corpus pascal12 (real
programs; each construct here is written anew), and the gaps the eleventh round left."""

from __future__ import annotations

import pytest

from craftls.language.catalog import bundled
from craftls.syntax.parse import parse

from .test_lang_turbopascal import shown
from .test_peg_fast import assert_same


def test_an_inherited_indexed_property_is_read() -> None:
    """`inherited Value['x']` reads the ancestor's indexed (default) property: the
    selectors after `inherited Name` are the operand's, no error; fpc -Mdelphi accepts
    this unit. A bare `inherited Count` and `inherited Make(1).Name` read too."""
    text = """unit Table;
{$mode delphi}
interface
type
  TRow = class
  public
    Name: string;
  end;
  TBase = class
  private
    function GetCell(const Key: string): Integer;
  public
    function Count: Integer; virtual;
    function Make(N: Integer): TRow; virtual;
    property Cell[const Key: string]: Integer read GetCell; default;
  end;
  TChild = class(TBase)
  public
    function Count: Integer; override;
    function Make(N: Integer): TRow; override;
    function Sum: Integer;
  end;
implementation
function TBase.GetCell(const Key: string): Integer;
begin
  Result := Length(Key);
end;
function TBase.Count: Integer;
begin
  Result := 2;
end;
function TBase.Make(N: Integer): TRow;
begin
  Result := TRow.Create;
end;
function TChild.Count: Integer;
begin
  Result := inherited Count + 1;
end;
function TChild.Make(N: Integer): TRow;
begin
  Result := inherited Make(N);
  Result.Name := inherited Make(N + 1).Name;
end;
function TChild.Sum: Integer;
begin
  Result := inherited Cell['ab'] + inherited Cell['c'] * 2;
end;
end.
"""
    assert shown(text) == []
    # a selector still has its own syntax: an index left open is one error
    broken = text.replace("inherited Cell['c'] * 2", "inherited Cell['c' * 2")
    assert [(d[0], d[3]) for d in shown(broken)] == [(47, "syntax")]


def test_class_references_and_base_interfaces_are_values() -> None:
    """`TClass` and the System unit's base interfaces (`IInterface`, `IUnknown`,
    `IInvokable`, `IDispatch`) named as values, a typecast or an argument, are no
    undefined names (they were, while TObject was known). A name nobody declares is
    still undefined: fpc -Mobjfpc gives that one error, "Identifier not found", and no
    other."""
    text = """program Refs;
{$mode objfpc}
type
  TShape = class
  end;
  TShapeClass = class of TShape;
procedure Show(C: TClass);
begin
  WriteLn(C.ClassName);
end;
var
  K: TClass;
  I: IInterface;
  P: Pointer;
begin
  K := TShape;
  Show(K);
  Show(TClass(TShape));
  P := nil;
  I := IInterface(P);
  WriteLn(IUnknown(P) = nil, Assigned(I), SizeOf(IInvokable), SizeOf(IDispatch));
  WriteLn(TShapeClass(K).ClassName, IShape = nil);
end.
"""
    assert [(d[0], d[3], d[4]) for d in shown(text)] == [
        (22, "undefined-name", "undefined name 'IShape'")
    ]


HEADLESS = """program Count;
uses Crt;
  Total := 0;
  for I := 1 to 3 do
    Total := Total + I;
  if Total > 5 then
  begin
    WriteLn('big')
  end;
  WriteLn(Total)
end.
"""


def test_a_main_block_whose_begin_is_missing_is_one_error() -> None:
    """The main block's `begin` missing, nothing declared before it (right after the
    heading or the uses clause): one error where the `begin` goes, the statements read
    as the main block's, so a name they use and nobody declares is undefined, and an
    inner block's `end;` is no second error (it was "unexpected 'Total'" and "expected
    '.', found ';'"). fpc: "BEGIN" expected."""
    expected = [
        (3, "syntax", "expected 'begin' before the main block's statements"),
        (3, "undefined-name", "undefined name 'Total'"),
    ]
    assert [(d[0], d[3], d[4]) for d in shown(HEADLESS)][:2] == expected
    assert sum(d[3] == "syntax" for d in shown(HEADLESS)) == 1
    # right after the heading, statements only
    text = "program Hello;\n  WriteLn('one');\n  WriteLn('two')\nend.\n"
    assert [(d[0], d[1], d[4]) for d in shown(text)] == [
        (2, 3, "expected 'begin' before the main block's statements")
    ]
    # with the begin, no error
    fixed = HEADLESS.replace("uses Crt;\n", "uses Crt;\nvar Total, I: Integer;\nbegin\n")
    assert shown(fixed) == []


def test_a_stray_statement_or_a_var_section_is_no_main_block_without_begin() -> None:
    """Only statements that run as written to the final `end.` are a main block without
    its `begin`: a stray statement among the declarations is one error as before, and a
    `var` section after the heading stays the program's variables (not Delphi's inline
    `var` statement), the statements after it one error."""
    stray = """program Stray;
  Total := 0;
var Total: Integer;
begin
  Total := 1;
  WriteLn(Total)
end.
"""
    assert [(d[0], d[3]) for d in shown(stray)] == [(2, "syntax")]
    assert "begin" not in shown(stray)[0][4]
    declared = "program Decl;\nvar X: Integer;\n  X := 1;\n  WriteLn(X)\nend.\n"
    found = shown(declared)
    assert [(d[0], d[3]) for d in found] == [(3, "syntax")]
    assert "main block" not in found[0][4]


def test_a_rule_rejecting_what_matches_no_token_is_an_error_where_it_matched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An `error` rule whose form matches no token (a lookahead) still makes its node,
    an empty one holding the error, with the fast path and with the interpreter alike
    (before, a rule that matched no token made no node, and its error was lost)."""
    definition = bundled("turbopascal")
    for text in (HEADLESS, "program P;\n  WriteLn(1)\nend.\n", "program P;\nend.\n"):
        assert_same(definition, text, monkeypatch)
    root = parse(definition, HEADLESS).root
    empty = [n for n in root.descendants() if n.kind == "begin_missing"]
    assert [(n.start, n.end) for n in empty] == [(HEADLESS.index("Total"),) * 2]


def test_att_assembler_registers_are_tokens_of_an_asm_block() -> None:
    """Free Pascal's AT&T assembler text ({$asmmode att}): `%eax` is one token of the
    `asm` block's body (its '%' an operator token the block takes), no "unexpected
    character" (5 errors before); `%1010` is still a binary number. fpc -Mobjfpc accepts this program (x86-64)."""
    text = """program Att;
{$mode objfpc}
{$asmmode att}
function AddOne(X: LongInt): LongInt; assembler; nostackframe;
asm
  movl %edi, %eax
  addl $1, %eax
end;
function Twice(X: Int64): Int64;
begin
  asm
    movq X, %rax
    shlq $1, %rax
    movq %rax, __result
  end;
end;
var Mask: Byte;
begin
  Mask := %1010;
  WriteLn(AddOne(41), ' ', Twice(21), ' ', Mask);
end.
"""
    assert shown(text) == []
    # '%' is a token of its own, for an asm block only: a register outside one is one
    # mistake, one error
    bad = text.replace("Mask := %1010;", "Mask := %eax;")
    assert [(d[0], d[3]) for d in shown(bad)] == [(19, "syntax")]


def test_the_db_and_typinfo_units_names_are_known() -> None:
    """DB and TypInfo are standard units (no missing-unit warning), so their field types,
    provider flags, parameter directions, `GetEnumName` and type kinds are no undefined
    names, bare or scoped (`TProviderFlag.pfInKey`); a misspelt one still is."""
    text = """unit Fields;
{$mode delphi}
interface
uses SysUtils, TypInfo, DB;
function Describe(Field: TField): string;
implementation
function Describe(Field: TField): string;
begin
  Result := GetEnumName(TypeInfo(TFieldType), Ord(Field.DataType));
  if Field.DataType in [ftString, ftWideString, ftMemo] then
    Result := Result + ' text'
  else if Field.DataType = TFieldType.ftLargeint then
    Result := Result + ' big';
  if TProviderFlag.pfInKey in Field.ProviderFlags then
    Result := Result + ' key';
  if (GetEnumValue(TypeInfo(TParamType), 'ptInput') = Ord(ptInput))
      and (PTypeInfo(TypeInfo(TFieldType))^.Kind = tkEnumeration) then
    Result := Result + ' ' + IntToStr(Ord(ftIntegr));
end;
end.
"""
    assert [(d[0], d[4]) for d in shown(text)] == [(18, "undefined name 'ftIntegr'")]


def test_more_run_time_library_names_are_known() -> None:
    """Delphi's `ReportMemoryLeaksOnShutdown`, SysUtils' `CompareMem`, System's
    `PPointer` and `GetTypeKind`, and ISO Pascal's `pack`/`unpack` (fpc -Miso) are
    standard: no undefined name (fpc 3.2.2 accepts the program without the Delphi-only
    variable); a misspelt one still is, and `Pack` takes its three arguments."""
    text = """program Builtins;
{$mode delphi}
uses SysUtils, TypInfo;
type
  TPair = record A, B: Integer; end;
var
  X, Y: TPair;
  P: PPointer;
  Q: Pointer;
  C: packed array[1..2] of Char;
  U: array[1..2] of Char;
begin
  ReportMemoryLeaksOnShutdown := True;
  X.A := 1; X.B := 2; Y := X;
  if CompareMem(@X, @Y, SizeOf(TPair)) then
    WriteLn('same');
  Q := @X;
  P := PPointer(@Q);
  if GetTypeKind(Integer) = tkInteger then
    WriteLn('integer');
  U[1] := 'a'; U[2] := 'b';
  pack(U, 1, C);
  unpack(C, U, 1);
  CompareMems(@X, @Y, 1);
  Pack(U, C);
end.
"""
    assert [(d[0], d[3], d[4]) for d in shown(text)] == [
        (24, "undefined-name", "undefined name 'CompareMems'"),
        (25, "argument-count", "'Pack' takes 3 arguments, 2 given"),
    ]


GENERIC_CONSTRAINTS = """unit Gen;
{$mode delphi}
interface
type
  IShape = interface
    function Area: Integer;
  end;
  TFactory<M: class, constructor> = class
  private
    FCount: Integer;
  public
    function Make: M;
    property Count: Integer read FCount;
  end;
  TBox<R: record> = class
    Value: R;
  end;
  THolder<S: IShape> = class
    Shape: S;
    function Area: Integer;
  end;
  TUtil = class
    class function Build<C: class, constructor>: C;
  end;
implementation
function TFactory<M>.Make: M;
begin
  Inc(FCount);
  Result := M.Create;
end;
function THolder<S>.Area: Integer;
begin
  Result := Shape.Area;
end;
class function TUtil.Build<C>: C;
begin
  Result := C.Create;
end;
end.
"""


def test_generic_constraints_name_kinds_of_types() -> None:
    """`<M: class, constructor>`, `<R: record>` and an interface's name constrain a
    generic type's or method's parameter (fpc -Mdelphi accepts the unit): no error, and
    the class's fields are names in its methods; a constraint of another word is one
    error."""
    assert shown(GENERIC_CONSTRAINTS) == []
    broken = GENERIC_CONSTRAINTS.replace("<R: record>", "<R: begin>")
    assert [(d[0], d[3]) for d in shown(broken)] == [(15, "syntax")]


def test_a_generics_member_type_is_a_type() -> None:
    """`TEvent<T>.TAccess`, a class declared inside a generic, as a field's type, a
    variable's and a type argument (fpc -Mdelphi accepts the program): no error, and the
    member is not looked up (an instance's members are not known); a misspelt field of
    the class is still an undefined name."""
    text = """program Nest;
{$mode delphi}
type
  TEvent<T> = class
  public type
    TAccess = class
      Owner: TEvent<T>;
    end;
  public
    Access: TAccess;
  end;
  TWrapper<W> = class
    Item: W;
  end;
  TAccessWrapper<T> = class(TWrapper<TEvent<T>.TAccess>)
    Extra: TEvent<T>.TAccess;
    procedure Show;
  end;
procedure TAccessWrapper<T>.Show;
begin
  WriteLn(Item = Extra, Extr = nil);
end;
var
  A: TEvent<Integer>.TAccess;
  B: TAccessWrapper<Integer>;
begin
  A := TEvent<Integer>.TAccess.Create;
  B := TAccessWrapper<Integer>.Create;
  B.Item := A;
  B.Extra := A;
end.
"""
    assert [(d[0], d[4]) for d in shown(text)] == [(21, "undefined name 'Extr'")]


def test_a_class_sees_the_fields_of_its_generic_ancestor() -> None:
    """`class(TWrapper<T>)` and `class(TWrapper<Integer>)` inherit `Item`: the ancestor
    is the type the first name names, not its type argument (fpc -Mdelphi accepts the
    program); a name neither class declares is still undefined."""
    text = """program Inh;
{$mode delphi}
type
  TWrapper<W> = class
    Item: W;
  end;
  TSame<T> = class(TWrapper<T>)
    procedure Show;
  end;
  TPlain = class(TWrapper<Integer>)
    procedure Show;
  end;
procedure TSame<T>.Show;
begin
  WriteLn(Item = Item);
end;
procedure TPlain.Show;
begin
  WriteLn(Item, Items);
end;
begin
end.
"""
    assert [(d[0], d[4]) for d in shown(text)] == [(19, "undefined name 'Items'")]


def test_standard_pascal_bracket_digraphs() -> None:
    """`(.` and `.)` spell `[` and `]` (standard Pascal; fpc reads them in every mode):
    an array type's bounds, an index and a set, no error; a `(.` closed by `]` is
    fine too, as fpc has it, and a `(.` left open is one error."""
    text = """program Digraph(output);
type
  TRow = array (.1..3.) of integer;
var
  R: TRow;
  S: set of char;
  I: integer;
begin
  for I := 1 to 3 do
    R(.I.) := I * 2;
  S := (.'a', 'b'.);
  if 'a' in S then
    writeln(R(.2], R[3.))
end.
"""
    assert shown(text) == []
    broken = text.replace("R(.I.) :=", "R(.I :=")
    assert [(d[0], d[3]) for d in shown(broken)] == [(10, "syntax")]


def test_a_specialized_generic_is_a_class_reference_value() -> None:
    """`InheritsFrom(TBox<Integer>)`, `B is TBox<Integer>`, `SizeOf(TBox<Integer>)` name
    a specialized generic as a value (fpc -Mdelphi accepts the program); comparisons
    `A < C, C > D` stay comparisons, and a misspelt generic is still undefined."""
    text = """program GenValue;
{$mode delphi}
type
  TBox<T> = class
    Value: T;
  end;
var
  B: TObject;
  A, C, D: Integer;
begin
  B := TBox<Integer>.Create;
  if B.InheritsFrom(TBox<Integer>) then
    WriteLn('box');
  if B is TBox<Integer> then
    WriteLn(B is TBox<Integer>, SizeOf(TBox<Integer>), A < C, C > D);
  WriteLn(B is TBux<Integer>);
  B.Free;
end.
"""
    assert [(d[0], d[4]) for d in shown(text)] == [(16, "undefined name 'TBux'")]
