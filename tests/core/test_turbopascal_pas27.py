"""The bundled Pascal on what round pas27 fixed: a method body's name (``function
TMeter.Mix``) is the definition of the routine its class declares, as a routine's body
is of its ``forward`` heading: go to definition and hover there show the declaration in
the class (its overload of the same parameters), find references from either holds both
and the calls, rename changes both; and a standard unit's name as the first part of a
type name (``SysUtils.Exception``) is undefined where no ``uses`` names it and the unit
is not one every program uses (``structure.implicit_modules``: System, ObjPas). Free
Pascal 3.2.2 (``fpc -Mobjfpc -s``) compiles ``METHODS`` and ``FORWARD``, and reports each
undefined name these tests expect ("Identifier not found")."""

from __future__ import annotations

from craftls.features import hover, navigation
from craftls.features.analysis import analyze_with_types
from craftls.features.caches import MEMOS, AnalysisCaches
from craftls.language import catalog
from craftls.language.loader import load_definition_text
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.item_walks import TemplateCache
from craftls.syntax.parse import parse
from craftls.types.cache import TypeCache

from .test_lang_turbopascal import TP, check, shown

METHODS = """program Methods;
{$mode objfpc}
type
  TMeter = class
    function Mix(A, B: Integer): Integer; overload;
    function Mix(A, B, C: Integer): Integer; overload;
    function Mix(A: string; B: Integer): Integer; overload;
    function Fact(N: Integer): Integer;
    class function Twice(K: Integer): Integer;
  end;

  TOuter = class
  type
    TInner = class
      procedure Run(N: Integer);
    end;
  end;

function TMeter.Mix(A, B: Integer): Integer;
begin
  Result := A + B;
end;

function TMeter.Mix(A, B, C: Integer): Integer;
begin
  Mix := A + B + C;
end;

function TMeter.Mix(A: string; B: Integer): Integer;
begin
  Result := Length(A) + B;
end;

function TMeter.Fact(N: Integer): Integer;
begin
  if N < 2 then
    Fact := 1
  else
    Fact := N * Fact(N - 1);
end;

class function TMeter.Twice(K: Integer): Integer;
begin
  Result := 2 * K;
end;

procedure TOuter.TInner.Run(N: Integer);
begin
  if N > 0 then
    Run(N - 1);
end;

var
  M: TMeter;
begin
  M := TMeter.Create;
  WriteLn(M.Mix(1, 2), M.Mix(1, 2, 3), M.Fact(4), TMeter.Twice(3));
end.
"""


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def at(text: str, needle: str, skip: int = 0) -> int:
    """Where ``needle`` starts, plus ``skip``."""
    return text.index(needle) + skip


def goes_to(analysis: FileAnalysis, offset: int) -> tuple[int | None, str | None]:
    """(the line definition goes to, the first line of the hover's code)."""
    text = analysis.parsed.text
    span = navigation.definition(analysis, offset)
    info = hover.hover(analysis, offset)
    shown_code = info.markdown.split("\n")[1] if info is not None else None
    return (line_of(text, span.start) if span is not None else None), shown_code


def test_definition_and_hover_on_a_method_body_s_name_show_its_declaration() -> None:
    """Lines 5 to 9 and 15 declare the methods; main's code went to the body's own name
    and showed its heading without the result's type."""
    analysis = check(METHODS)
    assert goes_to(analysis, at(METHODS, "function TMeter.Fact", 16)) == (
        8, "function Fact(N: Integer): Integer")
    assert goes_to(analysis, at(METHODS, "class function TMeter.Twice", 22)) == (
        9, "function Twice(K: Integer): Integer")
    line, code = goes_to(analysis, at(METHODS, "procedure TOuter.TInner.Run", 24))
    assert line == 15 and code is not None and code.endswith(" Run(N: Integer)")


def test_each_overload_s_body_goes_to_the_declaration_of_its_parameters() -> None:
    """Three bodies of Mix: two and three Integers, a string and an Integer."""
    analysis = check(METHODS)
    bodies = [i for i in range(len(METHODS)) if METHODS.startswith("function TMeter.Mix", i)]
    assert [goes_to(analysis, i + 16)[0] for i in bodies] == [5, 6, 7]


def test_names_inside_a_body_for_its_routine_go_to_the_declaration() -> None:
    """The recursive call and the result assigned through the routine's name (line 39),
    `Mix :=` (line 26), the recursive `Run` (line 50)."""
    analysis = check(METHODS)
    assert goes_to(analysis, at(METHODS, "Fact(N - 1)"))[0] == 8
    assert goes_to(analysis, at(METHODS, "Fact := N"))[0] == 8
    assert goes_to(analysis, at(METHODS, "Mix := A"))[0] == 6
    assert goes_to(analysis, at(METHODS, "Run(N - 1)"))[0] == 15


def test_references_and_rename_take_the_declaration_the_body_and_the_calls() -> None:
    """From the declaration, the body's name or a call: the same places; renamed, the
    program still names one routine everywhere (main's rename left the body's name)."""
    analysis = check(METHODS)
    starts = [at(METHODS, "function Fact", 9), at(METHODS, "TMeter.Fact", 7),
              at(METHODS, "M.Fact", 2)]
    expected = [8, 34, 37, 39, 39, 57]
    for start in starts:
        assert [line_of(METHODS, s.start) for s in navigation.references(analysis, start)] \
            == expected
    spans = navigation.rename_spans(analysis, starts[1], "Factorial")
    renamed = METHODS
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        renamed = renamed[:span.start] + "Factorial" + renamed[span.end:]
    assert "Fact(" not in renamed and "Fact :=" not in renamed
    assert shown(renamed) == []
    twice = navigation.references(analysis, at(METHODS, "TMeter.Twice(K", 7))
    assert [line_of(METHODS, s.start) for s in twice] == [9, 42, 57]


def test_rename_is_refused_to_a_name_the_body_declares() -> None:
    """`Fact` renamed `N` would clash with the body's parameter (fpc: "Duplicate
    identifier")."""
    analysis = check(METHODS)
    try:
        navigation.rename_spans(analysis, at(METHODS, "function Fact", 9), "N")
    except navigation.RenameRefused as refused:
        assert "already declared" in str(refused)
    else:
        raise AssertionError("rename to N was not refused")


def test_a_replayed_analysis_answers_as_the_walked_one() -> None:
    """The second analysis replays the items' walks from the session's templates."""
    caches = AnalysisCaches(TypeCache(), TemplateCache(), MEMOS)
    offsets = [at(METHODS, "function TMeter.Fact", 16), at(METHODS, "Mix := A"),
               at(METHODS, "procedure TOuter.TInner.Run", 24)]
    parsed = parse(TP, METHODS)
    answers = []
    for _ in range(2):
        analysis = analyze_with_types(parsed, caches=caches)
        answers.append([goes_to(analysis, offset)[0] for offset in offsets])
    assert caches.names.hits > 0
    assert answers[0] == answers[1] == [8, 6, 15]


FORWARD = """program Forward;
{$mode objfpc}
function Later(K: Integer): Integer; forward;

function Sooner(K: Integer): Integer;
begin
  Result := Later(K) + 1;
end;

function Later(K: Integer): Integer;
begin
  Result := K;
end;

begin
  WriteLn(Sooner(1));
end.
"""


def test_a_forward_routine_is_still_one_routine_at_its_body() -> None:
    """The other routine declared apart from its definition: the forward heading and
    the calls go to the body (line 10), which is the routine, as before."""
    analysis = check(FORWARD)
    assert goes_to(analysis, at(FORWARD, "Later(K: Integer): Integer; forward"))[0] == 10
    assert goes_to(analysis, at(FORWARD, "Later(K) + 1"))[0] == 10
    assert [line_of(FORWARD, s.start) for s in
            navigation.references(analysis, at(FORWARD, "Later(K) + 1"))] == [3, 7, 10]


def undefined(text: str) -> list[tuple[int, int, str]]:
    return [(line, col, message) for line, col, _, code, message in shown(text)
            if code == "undefined-name"]


UNITS = """program Units;
{$mode objfpc}
var
  E: SysUtils.Exception;
  L: Classes.TList;
  O: System.TObject;
begin
  E := nil; L := nil; O := nil;
  WriteLn(E = nil, L = nil, O = nil);
end.
"""


def test_a_standard_unit_no_uses_names_is_undefined_as_a_type_s_first_part() -> None:
    """fpc 3.2.2 without a uses clause: "Identifier not found "SysUtils"" (4,6) and
    "Classes" (5,6); System is every program's. With ``uses SysUtils, Classes`` fpc
    compiles it: quiet; with only SysUtils, Classes is still reported."""
    assert undefined(UNITS) == [(4, 6, "undefined name 'SysUtils'"),
                                (5, 6, "undefined name 'Classes'")]
    used = UNITS.replace("var\n", "uses SysUtils, Classes;\nvar\n")
    assert undefined(used) == []
    assert undefined(UNITS.replace("var\n", "uses SysUtils;\nvar\n")) == [
        (6, 6, "undefined name 'Classes'")]


def test_a_unit_named_within_a_dotted_one_is_no_undefined_first_part() -> None:
    """``uses System.SysUtils`` (Delphi's unit scope names; fpc 3.2.2 has no such
    unit): `SysUtils.Exception` may name that unit, so nothing is said, as for a unit a
    uses clause names in another case (`sysutils.Exception` after `uses SysUtils`)."""
    dotted = UNITS.replace("{$mode objfpc}", "{$mode delphi}").replace(
        "var\n", "uses System.SysUtils, System.Classes;\nvar\n")
    assert undefined(dotted) == []
    cased = UNITS.replace("var\n", "uses SYSUTILS, classes;\nvar\n").replace(
        "SysUtils.Exception", "sysutils.Exception")
    assert undefined(cased) == []


def test_an_implicit_module_that_is_no_standard_one_is_warned_about() -> None:
    """``implicit_modules`` names standard modules: another name is said and left out."""
    text = (catalog.BUNDLED_DIR / "turbopascal.yaml").read_text(encoding="utf-8")
    changed = text.replace("implicit_modules: [System, ObjPas]",
                           "implicit_modules: [System, Sys]")
    assert changed != text
    definition, problems = load_definition_text(changed)
    assert definition is not None
    assert definition.structure.implicit_modules == ("System",)
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "'Sys' is not one of 'standard_modules' (ignored)")]
    assert TP.structure.implicit_modules == ("System", "ObjPas")


OVERLOADED = """program Overloaded;
{$mode objfpc}
uses Classes;
type
  TApp = class
    function Check(const S: string; L: TStrings; A, B: TStrings;
      All: Boolean = False): string; overload;
    function Check(const S: string; L: TStrings; All: Boolean = False): string; overload;
  end;

function TApp.Check(const S: string; L: TStrings; All: Boolean): string;
begin
  Result := Check(S, L, nil, nil, All);
end;

function TApp.Check(const S: string; L: TStrings; A, B: TStrings; All: Boolean): string;
begin
  if All then
    Result := S
  else
    Result := Check(S, L, True);
end;

var
  App: TApp;
begin
  App := TApp.Create;
  WriteLn(App.Check('a', nil));
end.
"""


def test_a_call_in_an_overload_s_body_chooses_among_the_class_s_overloads() -> None:
    """fpc compiles it: the body of the three-parameter Check calls the five-parameter
    one, and that one's body the other. Main's code checked each call against the body
    it is in ("Argument 3 of 'Check' (All): expected BOOLEAN, found none", fcl-base's
    custapp.pp the same); definition goes to the overload called, references of each
    declaration hold its body and the calls that mean it."""
    assert shown(OVERLOADED) == []
    analysis = check(OVERLOADED)
    assert goes_to(analysis, at(OVERLOADED, "Check(S, L, nil"))[0] == 6
    assert goes_to(analysis, at(OVERLOADED, "Check(S, L, True"))[0] == 8
    five = navigation.references(analysis, at(OVERLOADED, "function Check", 9))
    assert [line_of(OVERLOADED, s.start) for s in five][:3] == [6, 13, 16]
    three = navigation.references(analysis, at(OVERLOADED, "TApp.Check(const S: string; L: "
                                                           "TStrings; All", 5))
    assert [line_of(OVERLOADED, s.start) for s in three][:3] == [8, 11, 21]


def test_getmem_as_a_function_takes_the_size_alone() -> None:
    """Free Pascal's `P := GetMem(Size)` beside `GetMem(P, Size)` (fcl-image's
    fpcolhash.pas; fpc compiles both)."""
    text = """program Memory;
{$mode objfpc}
var
  P, Q: Pointer;
begin
  GetMem(P, 16);
  Q := GetMem(16);
  FreeMem(P);
  FreeMem(Q);
end.
"""
    assert shown(text) == []
    assert [code for _, _, _, code, _ in shown(text.replace("GetMem(16)", "GetMem()"))] \
        == ["argument-count"]


def test_floattostr_takes_format_settings() -> None:
    """SysUtils' `FloatToStr(Value, FormatSettings)` (fcl-base's inifiles.pp; fpc
    compiles it), once its parse went on past the property hints."""
    text = """program Floats;
{$mode objfpc}
uses SysUtils;
var
  F: TFormatSettings;
begin
  F := DefaultFormatSettings;
  F.DecimalSeparator := ',';
  WriteLn(FloatToStr(1.5), ' ', FloatToStr(1.5, F));
end.
"""
    assert shown(text) == []


FORMS = """program Forms27;
{$mode objfpc}
uses SysUtils;
type
  TOpt = (oA, oB);
  TSettings = class
  private
    function GetOption(AIndex: TOpt): Boolean;
    procedure SetOption(AIndex: TOpt; AValue: Boolean);
  public
    property Old: Boolean index oA read GetOption; deprecated 'Use New instead';
    property New: Boolean index oB read GetOption write SetOption;
  end;

function TSettings.GetOption(AIndex: TOpt): Boolean;
begin
  Result := AIndex = oA;
end;

procedure TSettings.SetOption(AIndex: TOpt; AValue: Boolean);
begin
end;

procedure Fail(const Msg: string);
begin
  raise Exception.Create(Msg) at get_caller_addr(get_frame), get_caller_frame(get_frame);
end;

var
  S: TSettings;
begin
  S := TSettings.Create;
  S.New := True;
  if S.New then
    Fail('stop');
end.
"""


def test_forms_of_free_pascal_s_own_units_parse() -> None:
    """A property with a hint after it (fcl-base's inifiles.pp, 37 errors on main),
    `raise E at Address, Frame` (contnrs.pp) and a unit whose finalization part comes
    alone (gettext.pp, fcl-image's ftfont.pp): fpc compiles each, no error here."""
    assert shown(FORMS) == []
    unit = """unit Ending;
{$mode objfpc}
interface
var
  Count: Integer;
implementation
finalization
  Count := 0;
end.
"""
    assert shown(unit) == []
