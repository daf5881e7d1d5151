"""The bundled Pascal on what a seventeenth round left: a file's own {$DEFINE X} and
{$UNDEF X} decide a later {$IFDEF X} as the compiler does (``lexical.conditionals``
``define``/``undefine``/``branch_else``, ``syntax.conditionals``), a user's build
defines (the ``defines`` setting), a lexical mode per file extension (a mode's
``extensions``), and ``&Type`` and ``Type`` as one name (``lexical.name_escape``).
The programs with a verdict are accepted by fpc 3.2.2 as written."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features import navigation
from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import BUNDLED_DIR, bundled
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.lsp.session import Session
from craftls.ops.settings import Settings, apply_settings
from craftls.syntax.conditionals import with_defines
from craftls.syntax.incremental import TextEdit
from craftls.syntax.lexer import for_file, lex
from craftls.syntax.parse import parse
from craftls.syntax.tokens import COMMENT, TRIVIA

from .test_cli import craftls
from .test_incremental import assert_edits_reparse_as_fresh
from .test_lang_turbopascal import shown

TP = bundled("turbopascal")

# fpc -s accepts it: USE_TABLE is defined above its tests, FPC undefined
OWN_DEFINES = """program OwnDefines;
{$DEFINE USE_TABLE}
{$UNDEF FPC}
var Total: Integer;
begin
  {$IFNDEF USE_TABLE} Total := ; {$ELSE} Total := 1; {$ENDIF}
  {$IFDEF FPC} Total := Total +; {$ELSE} Total := Total + 1; {$ENDIF}
  WriteLn(Total);
end.
"""


def test_a_name_the_file_defines_decides_its_later_conditionals() -> None:
    assert shown(OWN_DEFINES) == []


def test_a_define_in_the_branch_the_compiler_reads_counts_and_in_a_skipped_one_not() -> None:
    """On Linux the {$ELSE} branch defines CONSOLE_APP; GUI_APP, defined only in the
    skipped branch, is not known (its first branch is read, as for any unknown name)."""
    text = """program Targets;
{$IFDEF MSWINDOWS}
  {$DEFINE GUI_APP}
{$ELSE}
  {$DEFINE CONSOLE_APP}
{$ENDIF}
var Total: Integer;
begin
  {$IFNDEF CONSOLE_APP} Total := ; {$ELSE} Total := 1; {$ENDIF}
  {$IFDEF GUI_APP} Total := 2; {$ELSE} Total := +; {$ENDIF}
  WriteLn(Total);
end.
"""
    assert shown(text) == []


def _read_first(text: str, directive: str) -> bool:
    """Is ``directive`` a comment of its own (its first branch read), not the start of
    a skipped branch?"""
    return directive in [t for k, t in lex(TP, text)[0] if k == COMMENT]


def test_a_define_where_the_compiler_cannot_tell_leaves_the_name_unknown() -> None:
    text = "{$IFDEF DEBUG}{$DEFINE TRACE}{$ENDIF}\n{$IFNDEF TRACE} a {$ELSE} b {$ENDIF}\n"
    assert _read_first(text, "{$IFNDEF TRACE}")
    after_else = "{$IFDEF DEBUG}{$ELSE}{$DEFINE TRACE}{$ENDIF}\n{$IFNDEF TRACE} a {$ENDIF}\n"
    assert _read_first(after_else, "{$IFNDEF TRACE}")


def test_a_name_tested_before_and_after_its_define_stays_unknown() -> None:
    """Two values in one file: the lexer's list cannot say both, so both tests keep
    their first branch (as before this round)."""
    text = ("{$IFDEF LATE} a {$ELSE} b {$ENDIF}\n{$DEFINE LATE}\n"
            "{$IFNDEF LATE} c {$ELSE} d {$ENDIF}\n")
    assert _read_first(text, "{$IFDEF LATE}") and _read_first(text, "{$IFNDEF LATE}")
    once = text.split("\n", 1)[1]
    assert not _read_first(once, "{$IFNDEF LATE}")


def test_an_undef_after_the_last_test_changes_nothing_and_elseif_is_not_else() -> None:
    text = ("{$DEFINE A}\n{$IFDEF A} a {$ENDIF}\n{$UNDEF A}\n"
            "{$IFDEF MSWINDOWS} w {$ELSEIF X} {$DEFINE B} {$ENDIF}\n{$IFNDEF B} b {$ENDIF}\n")
    assert _read_first(text, "{$IFDEF A}")
    assert _read_first(text, "{$IFNDEF B}")


def test_edits_that_add_and_remove_a_define_reparse_as_fresh() -> None:
    at = OWN_DEFINES.index("{$DEFINE USE_TABLE}")
    end = OWN_DEFINES.index("begin")
    edits = [TextEdit(at, at + len("{$DEFINE USE_TABLE}"), ""),
             TextEdit(at, at, "{$DEFINE USE_TABLE}"),
             TextEdit(at + 3, at + 9, "UNDEF"),
             TextEdit(end, end, "{$DEFINE LATE}\n"),
             TextEdit(at + 3, at + 8, "DEFINE")]
    assert_edits_reparse_as_fresh(TP, OWN_DEFINES, edits)


# ---------------------------------------------------------------- generated programs

NAMES = ("ALPHA", "BETA", "FPC", "MSWINDOWS", "GAMMA")


def _conditional(draw: st.DrawFn, depth: int) -> list[str]:
    name = draw(st.sampled_from(NAMES))
    test = draw(st.sampled_from(["IFDEF", "IFNDEF"]))
    first = _lines(draw, depth + 1)
    out = [f"{{${test} {name}}}", *first]
    if draw(st.booleans()):
        out += ["{$ELSE}", *_lines(draw, depth + 1)]
    return [*out, "{$ENDIF}"]


def _lines(draw: st.DrawFn, depth: int) -> list[str]:
    out: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["code", "define", "undef", "if"] if depth < 2
                                    else ["code", "define", "undef"]))
        if kind == "if":
            out += _conditional(draw, depth)
        elif kind == "code":
            out.append(f"  Total := Total + {draw(st.integers(0, 9))};")
        else:
            out.append(f"{{${'DEFINE' if kind == 'define' else 'UNDEF'} "
                       f"{draw(st.sampled_from(NAMES))}}}")
    return out


@st.composite
def programs(draw: st.DrawFn) -> str:
    body = _lines(draw, 0)
    return "\n".join(["program Gen;", "var Total: Integer;", "begin", *body,
                      "  WriteLn(Total);", "end.", ""])


@given(programs(), st.data())
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_edits_to_generated_conditionals_reparse_as_fresh(text: str, data: st.DataObject
                                                          ) -> None:
    """Writing and removing {$DEFINE}/{$UNDEF} lines anywhere, and renaming a tested
    name, each equal a fresh parse."""
    edits = []
    current = text
    for _ in range(3):
        lines = current.split("\n")
        at = sum(len(line) + 1 for line in lines[:data.draw(st.integers(3, len(lines) - 3))])
        name = data.draw(st.sampled_from(NAMES))
        word = data.draw(st.sampled_from(["DEFINE", "UNDEF"]))
        insert = f"{{${word} {name}}}\n"
        if data.draw(st.booleans()) and f"{{${word} " in current:
            start = current.index(f"{{${word} ")
            edit = TextEdit(start, current.index("}", start) + 1, "")
        else:
            edit = TextEdit(at, at, insert)
        edits.append(edit)
        current = current[:edit.start] + edit.text + current[edit.end:]
    assert_edits_reparse_as_fresh(TP, text, edits)


def _without_following(definition: LanguageDefinition) -> LanguageDefinition:
    """The bundled definition that does not read a file's own defines (no ``define``
    or ``undefine`` forms): the lists say it all, as in the sixteenth round."""
    assert definition is TP
    spec = TP.lexical.conditionals
    assert spec is not None
    lexical = replace(TP.lexical, conditionals=replace(spec, define=(), undefine=()))
    return replace(TP, lexical=lexical, source_path=f"{TP.source_path}#static")


STATIC = _without_following(TP)


@given(st.lists(st.tuples(st.sampled_from(NAMES), st.booleans()), max_size=4), programs())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_defines_at_the_top_read_as_the_same_names_listed(header: list[tuple[str, bool]],
                                                          program: str) -> None:
    """Differential: {$DEFINE}/{$UNDEF} lines before any test (the last one of a name
    wins) read the program as a definition whose lists hold those names does, for
    programs that define nothing further."""
    body = "\n".join(line for line in program.split("\n")
                     if not line.startswith(("{$DEFINE", "{$UNDEF")))
    lines = [f"{{${'DEFINE' if on else 'UNDEF'} {name}}}" for name, on in header]
    text = "\n".join(lines) + "\n" + body
    final = dict(header)
    listed = with_defines(STATIC, tuple(n if on else f"-{n}" for n, on in final.items()))
    ours = [t for t in lex(TP, text)[0] if t[0] not in TRIVIA]
    theirs = [t for t in lex(listed, text)[0] if t[0] not in TRIVIA]
    assert ours == theirs


# ---------------------------------------------------------------- the user's defines

WINDOWS_ONLY = """program WinOnly;
var Total: Integer;
begin
  {$IFDEF MSWINDOWS} Total := 1; {$ELSE} Total := ; {$ENDIF}
  {$IFNDEF LINUX} Total := Total + 1; {$ELSE} Total := +; {$ENDIF}
  WriteLn(Total);
end.
"""


def test_the_defines_setting_adds_names_and_undefines_others() -> None:
    assert parse(TP, WINDOWS_ONLY).errors
    windows = with_defines(TP, ("MSWINDOWS", "-LINUX"))
    assert parse(windows, WINDOWS_ONLY).errors == []
    assert with_defines(TP, ("MSWINDOWS", "-LINUX")) is windows  # the same object


def test_the_session_reads_the_settings_for_each_file(tmp_path: Path) -> None:
    """The session's definition for a file: its extension's mode and the user's
    defines; a language without conditionals is named in a problem."""
    session = Session()
    settings, problems = apply_settings(Settings(), {"defines": {"turbopascal": ["MSWINDOWS"]}})
    assert problems == []
    assert session.set_defines(dict(settings.defines)) == []
    pas = (tmp_path / "win.pas").as_uri()
    chosen = session.definition_for(pas)
    assert chosen is not None and chosen is session.definition_for(pas)
    assert parse(chosen, WINDOWS_ONLY.split("  {$IFNDEF")[0] + "end.\n").errors == []
    # LINUX is still defined: only MSWINDOWS was added
    assert len(parse(chosen, WINDOWS_ONLY).errors) == 1
    problems = session.set_defines({"lua": ("X",)})
    assert len(problems) == 1 and "'lua'" in problems[0]


# ---------------------------------------------------------------- a mode per extension

NESTED = """program Nested;
{ an outer comment { with an inner one } still the outer comment }
begin
end.
"""


def test_a_project_file_extension_chooses_its_mode(tmp_path: Path) -> None:
    """{ } nest in objfpc (.lpr, a Lazarus project) and fpc (.pp), not in Delphi (.dpr
    and, by default, .pas)."""
    for suffix, clean in ((".lpr", True), (".pp", True), (".dpr", False), (".pas", False)):
        definition = for_file(TP, suffix)
        assert (parse(definition, NESTED).errors == []) is clean, suffix
    session = Session()
    assert session.definition_for((tmp_path / "p.LPR").as_uri()) is for_file(TP, ".lpr")
    session.set_modes({"turbopascal": "delphi"})  # the user's choice wins
    assert parse(session.definition_for((tmp_path / "p.lpr").as_uri()), NESTED).errors  # type: ignore[arg-type]
    # a directive in the file still wins
    assert parse(for_file(TP, ".lpr"), NESTED.replace("begin", "{$mode delphi}\nbegin")).errors


def test_mode_extensions_are_checked() -> None:
    text = (BUNDLED_DIR / "turbopascal.yaml").read_text(encoding="utf-8")
    changed = text.replace('nested_comments: ["{"], extensions: [".pp"]',
                           'nested_comments: ["{"], extensions: ["pp", ".lpr"]', 1)
    _, problems = load_definition_text(changed, "turbopascal.yaml")
    messages = " | ".join(p.message for p in problems)
    assert "'pp' must be an extension" in messages and "'.lpr' must be an extension" in messages


# ---------------------------------------------------------------- &Type is Type

ESCAPED = """program Escaped;
{$mode delphi}
type
  TShape = record
    &Type: Integer;
  end;
var
  Shape: TShape;
begin
  Shape.&Type := 1;
  Shape.Type := Shape.&type + 1;
  WriteLn(Shape.Type);
end.
"""


def test_an_escaped_name_and_the_plain_word_are_one_name() -> None:
    analysis = analyze_with_types(parse(TP, ESCAPED))
    field = ESCAPED.index("&Type:")
    uses = [ESCAPED.index("Shape.&Type") + 6, ESCAPED.index("Shape.Type :=") + 6,
            ESCAPED.index("&type"), ESCAPED.index("Shape.Type)") + 6]
    for use in uses:
        assert navigation.definition(analysis, use) == navigation.Span(field, field + 5), use
    assert [s.start for s in navigation.references(analysis, ESCAPED.index("Shape.Type :=") + 6)
            ] == [field, *uses]


def test_an_escaped_variable_is_its_plain_name() -> None:
    text = """program Plain;
var &Count: Integer;
begin
  Count := 1;
  WriteLn(&count);
end.
"""
    assert shown(text) == []
    analysis = analyze_with_types(parse(TP, text))
    target = navigation.definition(analysis, text.index("Count :="))
    assert target == navigation.Span(text.index("&Count"), text.index("&Count") + 6)


def test_a_name_escape_the_identifier_does_not_take_is_a_problem() -> None:
    text = "name: E\nid: e\nlexical:\n  identifier: '[a-z]+'\n  name_escape: '&'\n"
    _, problems = load_definition_text(text, "e.yaml")
    assert any("does not take '&'" in p.message for p in problems)


def test_c_calling_directives_varargs_and_several_without_a_semicolon() -> None:
    """fpc -s accepts it: `varargs`, `winapi`, `noreturn`, and `cdecl varargs` with no
    ';' between them."""
    text = """program CBindings;
{$mode objfpc}
function c_printf(Format: PChar): LongInt; cdecl; varargs; external 'c' name 'printf';
function c_puts(S: PChar): LongInt; cdecl varargs; external 'c' name 'puts';
procedure Stop; winapi; begin end;
procedure Quit; noreturn; begin Halt(2); end;
begin
  c_printf('%d %s', 42, 'more');
  c_puts('x');
  Stop;
  Quit;
end.
"""
    assert shown(text) == []


def test_a_varargs_function_still_needs_its_own_parameters() -> None:
    text = """program Few;
function c_printf(Format: PChar; Width: LongInt): LongInt; cdecl; varargs; external 'c' name 'printf';
function Plain(Format: PChar): LongInt; cdecl; external 'c' name 'puts';
begin
  c_printf('%d');
  Plain('a', 1);
end.
"""
    assert [(line, code) for line, _, _, code, _ in shown(text)] == [
        (5, "argument-count"), (6, "argument-count")]


def test_check_takes_defines_and_the_mode_of_a_project_file(tmp_path: Path) -> None:
    windows = tmp_path / "win.pas"
    windows.write_text(WINDOWS_ONLY)
    nested = tmp_path / "nested.lpr"
    nested.write_text(NESTED)
    assert craftls("check", "--language", "turbopascal", str(windows)).returncode == 1
    chosen = craftls("check", "--language", "turbopascal", "--define", "MSWINDOWS,-LINUX",
                     str(windows), str(nested))
    assert chosen.returncode == 0, chosen.stdout
