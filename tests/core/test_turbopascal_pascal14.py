"""Pascal constructs found while measuring the corpus pascal14 (real programs; each
construct here is written anew, and each Pascal program was checked with fpc 3.2.2),
and the two known gaps of the twelfth round: a generic and a plain type of one name,
and `{ }` comments that nest only in Free Pascal's fpc and objfpc modes
(`lexical.modes`, a key any definition may use)."""

from __future__ import annotations

from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.lexer import lex, lexical_mode
from craftls.syntax.parse import parse

from .test_lang_turbopascal import shown

TP = bundled("turbopascal")

# a routine commented out whole, braces and all (fpc -Mobjfpc reads it as one comment)
COMMENTED_OUT = """program Keep;
{$mode objfpc}{$H+}
var
  Total: Integer;
{ kept for later:
procedure Old;
begin
  Total := 0; { reset }
end;
}
begin
  Total := 1;
  WriteLn(Total);
end.
"""


def _comments(text: str) -> list[str]:
    return [value for kind, value in lex(TP, text)[0] if kind == "comment"]


def test_braces_nest_where_the_file_chooses_free_pascals_objfpc_mode() -> None:
    """`{$mode objfpc}` (or `{$mode fpc}`) makes `{ }` nest: the commented-out routine
    is one comment and the program has no error; in any case (`{$MODE ObjFPC}`)."""
    assert shown(COMMENTED_OUT) == []
    assert _comments(COMMENTED_OUT)[-1].startswith("{ kept for later:")
    assert _comments(COMMENTED_OUT)[-1].endswith("end;\n}")
    upper = COMMENTED_OUT.replace("{$mode objfpc}", "{$MODE ObjFPC}")
    assert shown(upper) == []
    fpc_mode = COMMENTED_OUT.replace("{$mode objfpc}", "{$mode fpc}")
    assert shown(fpc_mode) == []


def test_braces_do_not_nest_in_delphi_or_turbo_pascal_mode() -> None:
    """Delphi, Turbo Pascal and `{$mode delphi}` end a comment at its first `}`: a
    comment that mentions a brace, `{ '{' opens a set }`, is one comment and the
    code after it is read (fpc -Mdelphi accepts this program)."""
    text = """program Mention;
{$mode delphi}
var
  Count: Integer;
{ a '{' in the text opens nothing }
begin
  Count := 2;
  WriteLn(Count);
end.
"""
    assert shown(text) == []
    assert "{ a '{' in the text opens nothing }" in _comments(text)
    assert not any(b.nested for b in lexical_mode(TP, text).lexical.block_comments)
    # the same text in objfpc mode would nest: the comment runs to the end
    nested = text.replace("{$mode delphi}", "{$mode objfpc}")
    assert lexical_mode(TP, nested) is not TP
    assert shown(nested) != []


def test_an_edit_that_changes_the_mode_parses_the_file_again() -> None:
    """Typing `{$mode objfpc}` changes how every comment after it reads: the edited
    tree is the tree of the new text parsed whole, both ways."""
    plain = COMMENTED_OUT.replace("{$mode objfpc}", "{$mode delphi}")
    old = parse(TP, plain)
    at = plain.index("delphi")
    new, _ = apply_edit(old, TextEdit(at, at + len("delphi"), "objfpc"))
    assert new.text == COMMENTED_OUT
    assert new.green == parse(TP, COMMENTED_OUT).green
    back, _ = apply_edit(new, TextEdit(at, at + len("objfpc"), "delphi"))
    assert back.green == old.green


def test_a_mode_is_data_any_definition_may_use() -> None:
    """`lexical.modes` in a definition of its own: `<< >>` nests only in a text that
    holds `#nesting`; the directive's case follows `case_sensitive`."""
    definition, problems = load_definition_text(
        "name: Modal\nid: modal\nlexical:\n  block_comments:\n"
        "    - {open: '<<', close: '>>'}\n  modes:\n"
        "    - {directive: '#nesting', nested_comments: ['<<']}\n")
    assert definition is not None and problems == []
    text = "a << b << c >> d >> e"
    kinds = [kind for kind, _ in lex(definition, text)[0] if kind != "ws"]
    assert kinds == ["ident", "comment", "ident", "punct", "punct", "ident"]
    moded = "#nesting\n" + text
    words = [value for kind, value in lex(definition, moded)[0] if kind in ("ident", "comment")]
    assert words == ["#nesting", "a", "<< b << c >> d >>", "e"]
    assert lexical_mode(definition, "#NESTING " + text) is definition


def test_a_mode_naming_no_comment_or_an_unknown_key_is_reported() -> None:
    definition, problems = load_definition_text(
        "name: Modal\nid: modal\nlexical:\n  block_comments:\n"
        "    - {open: '<<', close: '>>', closes: '>>'}\n  modes:\n"
        "    - {directive: '#nesting', nested_comments: ['(*'], when: 1}\n"
        "    - {nested_comments: ['<<']}\n")
    assert definition is None  # errors make the definition unusable
    messages = sorted((p.severity, p.message) for p in problems)
    assert ("error", "'(*' opens no block comment that may nest") in messages
    assert ("error", "a mode needs a 'directive' pattern") in messages
    assert any(severity == "warning" and "unknown key 'closes'" in message
               for severity, message in messages)
    assert any(severity == "warning" and "unknown key 'when'" in message
               for severity, message in messages)


def test_a_skipped_branch_skips_a_whole_inner_conditional() -> None:
    """`{$ELSE}` skips up to its own `{$ENDIF}`: an `{$IFDEF} ... {$ENDIF}` inside the
    skipped branch is skipped whole, so the declarations after it in that branch are
    not read (they declared the first branch's names a second time). The names are the
    program's own: a predefined one is decided (test_turbopascal_pascal16)."""
    text = """program Branches;
{$ifdef OWN_TIMER}
function Ticks: Int64;
begin
  Ticks := 1;
end;
{$else}
{$ifdef OWN_STAMP}
function Stamp: Int64;
begin
  Stamp := 2;
end;
{$else}
function Stamp: Int64;
begin
  Stamp := 3;
end;
{$endif OWN_STAMP}
function Ticks: Int64;
begin
  Ticks := Stamp;
end;
{$endif OWN_TIMER}
begin
  WriteLn(Ticks);
end.
"""
    assert shown(text) == []
    skipped = [c for c in _comments(text) if c.startswith("{$else}")]
    assert len(skipped) == 1 and skipped[0].endswith("{$endif OWN_TIMER}")
    assert "Stamp := 3" in skipped[0]


def test_inner_pairs_are_for_a_comment_that_does_not_nest() -> None:
    definition, problems = load_definition_text(
        "name: Skip\nid: skip\nlexical:\n  block_comments:\n"
        "    - {open: '<<', close: '>>', nested: true, inner_open_pattern: '<\\['}\n")
    assert [p.message for p in problems if p.severity == "error"] == [
        "inner_open_pattern is for a comment that does not nest"]
    definition, problems = load_definition_text(
        "name: Skip\nid: skip\nlexical:\n  block_comments:\n"
        "    - {open: '<<', close: '>>', inner_open_pattern: '\\(\\('}\n")
    assert definition is not None and problems == []
    kinds = [kind for kind, _ in lex(definition, "a << b (( c >> d >> e")[0] if kind != "ws"]
    assert kinds == ["ident", "comment", "ident"]


def test_a_plain_and_a_generic_type_of_one_name_are_two_types() -> None:
    """Delphi tells types apart by their number of type parameters: TBox, TBox<T> and
    TBox<K, V> in one section are three types (fpc -Mdelphi accepts them); two plain
    TDup are still a duplicate, as are two TPair<A, B>."""
    text = """program Boxes;
{$mode delphi}
type
  TBox = class
    Count: Integer;
  end;
  TBox<T> = class
    Item: T;
  end;
  TBox<K, V> = class
    Key: K;
    Value: V;
  end;
  TDup = class
  end;
  TDup = class
  end;
  TPair<A, B> = record
    First: A;
  end;
  TPair<C, D> = record
    Second: D;
  end;
var
  Plain: TBox;
  Boxed: TBox<Integer>;
begin
  Plain := TBox.Create;
  Boxed := TBox<Integer>.Create;
  Plain.Count := 1;
  WriteLn(Plain.Count);
end.
"""
    found = [(line, code, message) for line, _, _, code, message in shown(text)]
    assert found == [(16, "duplicate-declaration", "'TDup' is already declared in this scope"),
                     (21, "duplicate-declaration", "'TPair' is already declared in this scope")]


def test_a_directive_without_its_semicolon_before_external() -> None:
    """`function F: T; cdecl external 'lib' name 'f';`: Free Pascal takes the calling
    convention and `external` with no `;` between, in a program and in a unit's
    interface (fpc -Mobjfpc accepts both)."""
    program = """program Ext;
{$mode objfpc}
function CClock: LongInt;
  cdecl external 'c' name 'clock';
procedure CSleep(Seconds: LongWord); cdecl external 'c' name 'sleep';
begin CSleep(0); WriteLn(CClock) end.
"""
    assert shown(program) == []
    unit = """unit Clocks;
{$mode objfpc}
interface
function CClock: LongInt; cdecl external 'c' name 'clock';
implementation
end.
"""
    assert shown(unit) == []


def test_a_type_named_through_a_dotted_unit_name() -> None:
    """`App.Core.TBox`: a unit whose name has dots names its type with all of them
    (fpc accepts this unit, App.Core.pas)."""
    text = """unit App.Core;
{$mode objfpc}
interface
type
  TBox = class
    N: Integer;
  end;
var
  Box: App.Core.TBox;
implementation
end.
"""
    assert shown(text) == []


def test_routines_the_interface_overloads_unmarked_have_two_bodies() -> None:
    """Free Pascal's objfpc mode overloads with no `overload` directive: a unit whose
    interface has two headings of one name has two bodies of it, no duplicate (fpc
    -Mobjfpc accepts this unit); two bodies of a name headed once still are one."""
    text = """unit Sounds;
{$mode objfpc}
interface
procedure Stop(Effect: Integer);
procedure Stop(const Name: String);
procedure Play(Effect: Integer);
implementation
procedure Stop(const Name: String);
begin
  Stop(Length(Name));
end;
procedure Stop(Effect: Integer);
begin
  Play(Effect);
end;
procedure Play(Effect: Integer);
begin
  WriteLn(Effect);
end;
procedure Play(Effect: Integer);
begin
  WriteLn(Effect + 1);
end;
end.
"""
    found = [(line, code) for line, _, _, code, _ in shown(text)]
    assert found == [(20, "duplicate-declaration")]


def test_names_of_the_system_sysutils_baseunix_and_dl_units_are_known() -> None:
    """Names real units use from Free Pascal's run-time library (fpc -Mobjfpc accepts
    this program): no undefined name, and `dl` is a unit the runtime has."""
    text = """program Names;
{$mode objfpc}
uses SysUtils, BaseUnix, Unix, dl;
var
  P: PDWord; C: PCardinal; H: THandle; R: Int64Rec; S: string; T: timeval;
  St: Stat; N: UtsName; Fds: TFDSet; Ts: timespec;
begin
  S := EmptyStr;
  WriteLn(MSecsPerDay, CP_UTF8, StdInputHandle, SEEK_CUR, RTLD_LAZY);
  SetMXCSR(GetMXCSR);
  ThreadSwitch;
  WriteLn(Assigned(widestringmanager.Ansi2UnicodeMoveProc));
  fpgettimeofday(@T, nil);
  WriteLn(fpGetenv('HOME'), fpgetppid, fpgeterrno);
  fpseterrno(0);
  fpFstat(0, St); FpLseek(0, 0, SEEK_CUR); FpFtruncate(0, 0); FpFsync(0);
  fpuname(N); fpFD_ZERO(Fds); fpFD_SET(0, Fds); fpSelect(1, @Fds, nil, nil, 0);
  Ts.tv_sec := 0; Ts.tv_nsec := 0; fpnanosleep(@Ts, nil);
  dlclose(dlopen(nil, RTLD_LAZY)); WriteLn(dlsym(nil, 'x') = nil);
  P := nil; C := nil; H := 0; R.Lo := 0;
  WriteLn(UnicodeToUtf8(nil, nil, 0), Utf8ToUnicode(nil, nil, 0), S, P = nil, C = nil, H);
end.
"""
    assert shown(text) == []
