"""The bundled Pascal on forms a sixteenth round of real programs showed: conditional
compilation on a name the compiler predefines is decided as Free Pascal decides it
(``lexical.conditionals``: {$IFNDEF FPC} skips to its {$ELSE}, {$IFDEF MSWINDOWS} is
false on Linux), and a reserved word after a '.' names a member (Delphi's
``TParallel.For``, ``x.Type``). Each program is accepted by fpc 3.2.2 (the reserved
words after a '.' by Delphi only)."""

from __future__ import annotations

from craftls.language.catalog import BUNDLED_DIR, bundled
from craftls.language.loader import load_definition_text
from craftls.syntax.incremental import TextEdit
from craftls.syntax.lexer import lex
from craftls.syntax.tokens import COMMENT

from .test_incremental import assert_edits_reparse_as_fresh
from .test_lang_turbopascal import shown

TP = bundled("turbopascal")

# fpc -s accepts it: the {$IFNDEF FPC} and {$IFDEF WINDOWS} branches are not compiled
ALTERNATIVES = """program Alternatives;
{$IFNDEF FPC}
uses Windows;
{$ELSE}
uses SysUtils;
{$ENDIF}
type
  TTicks =
    {$IFDEF WINDOWS} Int64; {$ENDIF WINDOWS}
    {$IFDEF LINUX} LongInt; {$ENDIF LINUX}
{$IF NOT DEFINED(FPC)}
var Count: Int64 absolute; broken
{$ELSE}
var Count: TTicks;
{$IFEND}
begin
  Count := 1;
  WriteLn(IntToStr(Count));
end.
"""


def test_a_branch_the_compiler_skips_is_skipped() -> None:
    assert shown(ALTERNATIVES) == []


def test_the_first_branch_of_a_defined_name_is_read_and_its_else_skipped() -> None:
    text = """program First;
var Total: Integer;
begin
  {$IFDEF FPC} Total := 1; {$ELSE} Total := ; {$ENDIF}
  {$ifndef cpu32} Total := Total + 1; {$else} Total := Total +; {$endif}
  WriteLn(Total);
end.
"""
    assert shown(text) == []


def test_an_inner_conditional_in_a_skipped_branch_is_skipped_whole() -> None:
    """The inner {$ELSE} and {$ENDIF} do not end the outer skipped branch."""
    text = """program Inner;
var Total: Integer;
begin
  {$IFDEF MSWINDOWS}
    {$IFDEF CPU64} Total := ; {$ELSE} Total := +; {$ENDIF}
    Total := *;
  {$ELSE}
    Total := 2;
  {$ENDIF}
  WriteLn(Total);
end.
"""
    assert shown(text) == []


def test_edits_that_make_and_unmake_a_skip_reparse_as_fresh() -> None:
    """The lexer stays context free: turning {$IFDEF LINUX} into {$IFDEF WIN32} (now a
    skip), writing inside the skipped branch, and back, each equal a fresh parse."""
    at = ALTERNATIVES.index("{$IFDEF LINUX}") + len("{$IFDEF ")
    inside = ALTERNATIVES.index("Int64 absolute")
    edits = [TextEdit(at, at + 5, "WIN32"), TextEdit(inside, inside + 5, "Word;"),
             TextEdit(at, at + 5, "LINUX"), TextEdit(3, 3, "{$IFNDEF FPC}"),
             TextEdit(3, 16, "")]
    assert_edits_reparse_as_fresh(TP, ALTERNATIVES, edits)


def test_a_name_listed_nowhere_keeps_the_first_branch_read() -> None:
    """A program's own symbol may be defined in an include file: its first branch is
    read and its {$ELSE} branch skipped, as before."""
    text = """program Own;
var Total: Integer;
begin
  {$IFNDEF USE_FAST} Total := 1; {$ELSE} Total := ; {$ENDIF}
  WriteLn(Total);
end.
"""
    assert shown(text) == []
    tokens, _ = lex(TP, text)
    assert [t for k, t in tokens if k == COMMENT][0] == "{$IFNDEF USE_FAST}"


def test_a_skipped_branch_that_never_ends_is_no_skip() -> None:
    tokens, _ = lex(TP, "{$IFDEF WIN32} x := 1;")
    assert tokens[0] == (COMMENT, "{$IFDEF WIN32}")


def test_the_names_are_data() -> None:
    """A definition whose `defined` list names MSWINDOWS reads that branch instead."""
    text = (BUNDLED_DIR / "turbopascal.yaml").read_text(encoding="utf-8")
    changed = text.replace("defined: [FPC,", "defined: [MSWINDOWS, FPC,", 1).replace(
        "undefined: [MSWINDOWS, ", "undefined: [", 1)
    definition, problems = load_definition_text(changed, "turbopascal.yaml")
    assert problems == [] and definition is not None
    source = "{$IFDEF MSWINDOWS} a {$ELSE} b {$ENDIF}"
    ours = [t for _, t in lex(definition, source)[0] if t.strip()]
    bundled_tokens = [t for _, t in lex(TP, source)[0] if t.strip()]
    assert ours[:2] == ["{$IFDEF MSWINDOWS}", "a"]
    assert bundled_tokens[:2] == ["{$IFDEF MSWINDOWS} a {$ELSE}", "b"]


def test_a_conditional_form_without_its_name_is_a_problem() -> None:
    text = ("name: C\nid: c\nlexical:\n  conditionals:\n    defined: [A]\n"
            "    undefined: [A]\n    if_defined: ['#ifdef']\n    branch_end: '#end'\n"
            "    colour: red\n")
    _, problems = load_definition_text(text, "c.yaml")
    messages = " | ".join(p.message for p in problems)
    assert "must hold {name}" in messages
    assert "listed as defined and as undefined" in messages
    assert "unknown key 'colour'" in messages


MEMBERS = """program Members;
{$mode delphi}
type
  TRec = record
    &Type: Integer;
    &End: Integer;
  end;
  TParallel = class
    class procedure &For(A, B: Integer); static;
  end;
class procedure TParallel.&For(A, B: Integer);
begin
end;
var R: TRec;
begin
  R.Type := 1;
  R.&Type := 2;
  R.End := R.Type + R.&End;
  TParallel.For(0, 10);
  TParallel.&For(0, 10);
end.
"""


def test_a_reserved_word_after_a_dot_names_a_member() -> None:
    assert shown(MEMBERS) == []
