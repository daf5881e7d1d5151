"""Forms that real programs use and the bundled grammars missed, found by measuring fresh
corpora of public programs (docs/coverage.md, "Fresh corpora"). Every program here is our
own, written for the form it shows; each failed before its grammar fix."""

from __future__ import annotations

import io

from craftls.codegen.runner import interpret
from craftls.features import navigation, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.hover import hover
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse
from craftls.syntax.tokens import COMMENT, STRING

from .test_incremental import assert_edits_reparse_as_fresh

TP = bundled("turbopascal")


def errors(definition_id: str, text: str) -> list[str]:
    return [e.message for e in parse(bundled(definition_id), text).errors]


def kinds(definition_id: str, text: str) -> set[str]:
    parsed = parse(bundled(definition_id), text)
    assert parsed.errors == [], parsed.errors
    return {n.kind for n in parsed.root.descendants()}


def basic_nodes(text: str, *node_kinds: str) -> list[str]:
    """The texts of the nodes of these kinds in ``text``, which parses as QBasic without
    an error."""
    parsed = parse(bundled("qbasic"), text)
    assert parsed.errors == [], parsed.errors
    return [n.text for n in parsed.root.descendants() if n.kind in node_kinds]


def basic_output(text: str) -> str:
    """What the QBasic program ``text`` writes when it runs (it must end without error)."""
    out, err = io.StringIO(), io.StringIO()
    assert interpret(bundled("qbasic"), text, "prog", out, err, io.StringIO()) == 0, err.getvalue()
    return out.getvalue()


def basic_uses(text: str, name: str) -> list[int]:
    """Where the QBasic program ``text``, which has no error or warning, uses the name
    first written as ``name``."""
    analysis = analyze_with_types(parse(bundled("qbasic"), text))
    assert [d.message for d in analysis.diagnostics if d.severity != "hint"] == []
    return [r.start for r in navigation.references(analysis, text.index(name))]


def basic_messages(text: str, hints: bool = True) -> list[str]:
    """The QBasic diagnostics of ``text`` (its hints too unless ``hints`` is false)."""
    analysis = analyze_with_types(parse(bundled("qbasic"), text))
    return [d.message for d in analysis.diagnostics if hints or d.severity != "hint"]


# ---------------------------------------------------------------- Turbo Pascal / Free Pascal

# Free Pascal accepts C-style assignment operators and for-in loops in every mode, -Mtp
# included (its default configuration enables them), so the grammar reads them too.
def test_pascal_c_style_assignment_operators_are_statements() -> None:
    text = ("program Tally;\nvar total, step: Integer; ratio: Real;\nbegin\n  total := 10;\n"
            "  step := 3;\n  total += step;\n  total -= 1;\n  total *= 2;\n  ratio := total;\n"
            "  ratio /= 4;\n  if total > 0 then total += 1 else total -= 1;\n"
            "  WriteLn(total, ratio:6:2)\nend.\n")
    assert "compound_assignment" in kinds("turbopascal", text)
    analysis = analyze_with_types(parse(TP, text))
    # the target of `+=` is the variable itself: its references include every update
    uses = [r.start for r in navigation.references(analysis, text.index("total"))]
    assert text.index("total += step") in uses and text.index("total -= 1;") in uses


def test_pascal_for_in_loops_over_a_string_a_set_and_an_array() -> None:
    text = ("program Letters;\ntype Digits = set of 0..9;\n"
            "var c: Char; d: Integer; word: string; odds: Digits;\n"
            "    squares: array[1..3] of Integer;\nbegin\n  word := 'pascal';\n"
            "  odds := [1, 3, 5];\n  for c in word do Write(UpCase(c));\n"
            "  for d in odds do WriteLn(d);\n  for d in squares do\n    WriteLn(d * d)\nend.\n")
    assert "for_in_stmt" in kinds("turbopascal", text)
    analysis = analyze_with_types(parse(TP, text))
    assert [d.message for d in analysis.diagnostics if d.severity == "error"] == []


def test_pascal_a_type_named_as_a_value_is_a_typecast_or_an_argument() -> None:
    # Byte(s[0]), Char(n), LongInt(a) * a, PChar(p), SizeOf(Word), High(LongWord): the
    # standard types used as values are known names, and the annotations stay types
    text = ("program Casts;\nvar s: string; n: LongInt; w: Word; p: Pointer; ok: Boolean;\n"
            "begin\n  s := 'abc';\n  n := Byte(s[0]) + LongInt(w) * SizeOf(Word);\n"
            "  s[1] := Char(n mod 26 + 65);\n  n := High(LongWord) - Ord(Boolean(1));\n"
            "  p := Pointer(n);\n  ok := SizeOf(Real) > SizeOf(Integer);\n  WriteLn(s, n, ok)\nend.\n")
    analysis = analyze_with_types(parse(TP, text))
    assert list(analysis.model.undefined_names()) == []
    assert [d.message for d in analysis.diagnostics if d.severity in ("error", "warning")] == []
    tokens = {(text[t.start:t.start + t.length], t.type) for t in semantic_tokens.classify(analysis)}
    assert ("Word", "type") in tokens and ("Word", "function") in tokens


def test_pascal_control_characters_run_together_with_strings_and_codes() -> None:
    # Turbo Pascal writes a string as a run of quoted parts, ^X control characters and
    # #n codes with nothing between them: ^J^J'Title', 'Done'^M, ^C'%6s'#13
    text = ("program Bell;\nvar s: string;\nbegin\n  WriteLn(^j^j'Title');\n"
            "  s := #13 + ^C'centred'#13 + 'Done'^M^J;\n  Write(^G, s, 'x'#9^I'y')\nend.\n")
    assert "control_string" in kinds("turbopascal", text)


def test_pascal_new_and_dispose_call_the_object_s_constructor_and_destructor() -> None:
    # New(P, Init(R)) runs the constructor of P's object type: inside TApp's own Init
    # (which takes no arguments) the Init of the argument is not TApp.Init
    text = """program Views;
type
  PApp = ^TApp;
  TApp = object
    constructor Init;
    destructor Done;
  end;
  PView = ^TView;
  TView = object
    constructor Init(Left, Top: Integer);
    destructor Done;
  end;
var V: PView;
constructor TView.Init(Left, Top: Integer); begin end;
destructor TView.Done; begin end;
constructor TApp.Init;
begin
  V := New(PView, Init(1, 2));
  New(V, Init(3, 4));
  Dispose(V, Done)
end;
destructor TApp.Done; begin end;
begin
end.
"""
    assert "new_with_constructor" in kinds("turbopascal", text)
    analysis = analyze_with_types(parse(TP, text))
    assert [d.message for d in analysis.diagnostics if d.severity in ("error", "warning")] == []
    # the arguments of the constructor are still names of the program
    text2 = text.replace("Init(3, 4)", "Init(3, Missing)")
    names = analyze_with_types(parse(TP, text2)).model.undefined_names()
    assert [name for name, _, _ in names] == ["Missing"]


def test_pascal_an_assembler_label_named_end_does_not_end_the_asm_block() -> None:
    text = ("program Irq;\nprocedure Handler; assembler; asm\n  push ax\n  jmp @end\n"
            "@@again:\n  jmp @@again\n@end:\n  pop ax\nend;\nbegin\n  Handler\nend.\n")
    assert "asm_block" in kinds("turbopascal", text)


def test_a_byte_order_mark_opening_the_file_is_no_character_of_the_program() -> None:
    # editors on Windows save UTF-8 with a byte-order mark; compilers skip it
    assert errors("turbopascal", "\ufeffprogram Hello;\nbegin\n  WriteLn('hi')\nend.\n") == []
    assert errors("lua", "\ufeffprint('hi')\n") == []
    # elsewhere it is still a character no language knows
    assert errors("lua", "print('hi')\n\ufeffprint('again')\n") != []


def test_lua_skips_a_first_line_that_starts_with_a_hash_after_a_byte_order_mark_too() -> None:
    # luaL_loadfile skips a byte-order mark, then a first line that starts with '#'
    assert errors("lua", "\ufeff#!/usr/bin/env lua\nprint('hi')\n") == []
    assert errors("lua", "# run with lua 5.4\nprint(#arg)\n") == []
    parsed = parse(bundled("lua"), "\ufeff#!/usr/bin/env lua\nprint(#arg)\n")
    assert parsed.root.text.startswith("\ufeff#!")
    assert [t.text for t in parsed.root.tokens(trivia=True) if t.kind == COMMENT] == [
        "#!/usr/bin/env lua"]
    # on any other line '#' is the length operator, which no statement starts with
    assert errors("lua", "print('hi')\n# run with lua 5.4\n") != []
    # typing the first line's '#' and taking it away again reparse as a fresh parse does
    text = "local t = {1}\nprint(#t)\n"
    assert_edits_reparse_as_fresh(bundled("lua"), text, [
        TextEdit(0, 0, "#"), TextEdit(1, 1, " lua t.lua\n"), TextEdit(0, 1, ""),
        TextEdit(0, 0, "\ufeff#"), TextEdit(1, 2, "")])


def test_lua_the_5_1_5_2_and_luajit_globals_portable_programs_test_for_are_known() -> None:
    text = """local band = bit32 and bit32.band or bit and bit.band
local engine = jit and jit.version or _VERSION
local memory = gcinfo and gcinfo() or collectgarbage("count")
local sentinel = newproxy and newproxy(true) or setmetatable({}, {})
print(band, engine, memory, sentinel, missing_name)
"""
    names = analyze_with_types(parse(bundled("lua"), text)).model.undefined_names()
    assert [name for name, _, _ in names] == ["missing_name"]


def test_lua_a_global_no_line_of_its_file_reads_is_not_unused() -> None:
    # a LOVE game's files share globals: conf.lua sets what main.lua reads
    text = """SCREEN_WIDTH = 800
Player = {speed = 120}
local function setup()
  high_score = 0
  local scratch = 1
end
setup()
local unread = 2
"""
    parsed = parse(bundled("lua"), text)
    for _ in range(2):  # a fresh walk, then every item replayed from its template
        hints = [d.message for d in analyze_with_types(parsed).diagnostics
                 if d.code == "unused-variable"]
        assert hints == ["'scratch' is never used", "'unread' is never used"]


def test_lua_collectgarbage_takes_the_collector_modes_parameters() -> None:
    # Lua 5.4: collectgarbage("incremental", pause, stepmul, stepsize) and
    # collectgarbage("generational", minormul, majormul)
    text = ('collectgarbage("incremental", 200, 100, 13)\ncollectgarbage("generational", 20, 100)\n'
            'print(collectgarbage("count"), collectgarbage())\n'
            'collectgarbage("incremental", 200, 100, 13, 0)\n')
    found = [(d.severity, d.message)
             for d in analyze_with_types(parse(bundled("lua"), text)).diagnostics
             if d.severity in ("error", "warning")]
    # one more than it takes: Lua drops it (surplus_arguments: warning)
    assert found == [("warning", "'collectgarbage' takes 0 to 4 arguments, 5 given")]


def test_lua_the_value_of_a_named_table_field_is_an_expression_like_any() -> None:
    # {fg = fg}: the key is a member; the value reads the local (awesome's widgets pass
    # their options so)
    text = """local fg, font = "#000", "sans"
local style = {fg = fg, visible = false, text = {font = font}, bg = missing}
print(style)
"""
    analysis = analyze_with_types(parse(bundled("lua"), text))
    assert [d.message for d in analysis.diagnostics] == ["undefined name 'missing'"]
    spans = navigation.rename_spans(analysis, text.index("fg"), "colour")
    assert [text[sp.start:sp.end] for sp in spans] == ["fg", "fg"]
    assert [sp.start for sp in spans] == [text.index("fg"), text.index("= fg") + 2]


def test_pascal_the_graph_unit_s_routines_constants_and_types_are_known() -> None:
    text = """program Boxes;
uses Graph;
var driver, mode: Integer; view: ViewPortType;
begin
  driver := Detect;
  InitGraph(driver, mode, '');
  if GraphResult <> grOk then Halt(1);
  SetColor(Yellow);
  SetFillStyle(SolidFill, Blue);
  Bar(10, 10, GetMaxX div 2, GetMaxY div 2);
  SetTextJustify(CenterText, TopText);
  OutTextXY(100, 5, 'boxes');
  GetViewSettings(view);
  Line(0, 0, view.x2, view.y2);
  CloseGraph
end.
"""
    analysis = analyze_with_types(parse(TP, text))
    assert list(analysis.model.undefined_names()) == []
    assert [d.message for d in analysis.diagnostics if d.severity in ("error", "warning")] == []
    # a program's own graphics unit may give the same names other parameters: no count
    # is checked for them
    own = ("program Dots;\nuses MyGfx;\nbegin\n  PutPixel(1, 2, 15, 0);\n"
           "  CenterText(40, 'title')\nend.\n")
    found = [d.code for d in analyze_with_types(parse(TP, own)).diagnostics
             if d.severity in ("error", "warning")]
    assert found == []


def test_pascal_members_of_a_type_declared_elsewhere_are_not_undefined_names() -> None:
    # TWindow's ancestor TGroup and the record type TPoint come from a unit that is not
    # here: inside its methods and inside WITH on such a record, a name found nowhere may
    # be an inherited member (Insert is TGroup.Insert, not System.Insert with 3 arguments)
    text = ("program Desk;\nuses Views;\ntype\n  TWindow = object(TGroup)\n"
            "    constructor Init;\n  end;\n  TCorner = record Left, Top: Integer; end;\n"
            "var P: TPoint; C: TCorner;\nconstructor TWindow.Init;\nbegin\n"
            "  Insert(@Self);\n  Options := Options or ofCentered\nend;\n"
            "begin\n  with P do X := Y;\n  with C do Left := Top + Missing\nend.\n")
    analysis = analyze_with_types(parse(TP, text))
    # the record declared here has all its fields known: Missing is still undefined
    assert [name for name, _, _ in analysis.model.undefined_names()] == ["Missing"]
    assert [d.message for d in analysis.diagnostics if d.severity == "error"] == []


def checked(text: str) -> FileAnalysis:
    """The Turbo Pascal analysis of ``text``, which has no errors or warnings."""
    analysis = analyze_with_types(parse(TP, text))
    assert [d.message for d in analysis.diagnostics if d.severity in ("error", "warning")] \
        == []
    return analysis


def test_pascal_a_body_may_leave_out_the_parameters_its_heading_gave() -> None:
    # Turbo Pascal lets the body of a FORWARD or INTERFACE routine repeat only its name
    text = ("unit Areas;\ninterface\nfunction Init(var A: Pointer; W, H: Word): Boolean;\n"
            "procedure Clear;\nimplementation\nprocedure Fill(C: Byte); forward;\n"
            "function Init;\nbegin\n  GetMem(A, W * H);\n  Fill(0);\n  Init := True\nend;\n"
            "procedure Fill;\nbegin\n  Clear\nend;\nprocedure Clear;\nbegin\nend;\n"
            "procedure Use;\nvar P: Pointer;\nbegin\n  if Init(P, 2, 3) then Fill(1)\nend;\n"
            "end.\n")
    checked(text)  # the bodies see their headings' parameters (A, W, H; C)
    # a count its heading does not give is still an error, and so is any argument to a
    # routine that has no parameters anywhere
    wrong = text.replace("Init(P, 2, 3)", "Init(P, 2)").replace("  Clear\n", "  Clear(1)\n")
    found = [d.message for d in analyze_with_types(parse(TP, wrong)).diagnostics
             if d.severity == "error"]
    assert found == ["'Clear' takes 0 arguments, 1 given", "'Init' takes 3 arguments, 2 given"]


def test_pascal_a_body_without_its_parameter_list_names_the_heading_s_parameters() -> None:
    # fpc accepts the body of a FORWARD routine that repeats only its name: `a` and `b`
    # inside it are the heading's parameters, for definition, hover, references, rename
    text = ("program Fwd;\nvar a: Integer;\n"
            "procedure Show(a: Integer; var b: string); forward;\n"
            "procedure Twice;\nvar s: string;\nbegin\n  Show(2, s)\nend;\n"
            "procedure Show;\nbegin\n  Str(a * 2, b);\n  WriteLn(b)\nend;\n"
            "begin\n  a := 1;\n  Twice\nend.\n")
    analysis = analyze_with_types(parse(TP, text))
    assert list(analysis.model.undefined_names()) == []
    heading_a = text.index("a: Integer;", text.index("procedure Show"))
    heading_b = text.index("b: string)")
    body = text.index("procedure Show;")
    use_a, use_b = text.index("a * 2", body), text.index("b);", body)
    target = navigation.definition(analysis, use_a)
    assert target is not None and target.start == heading_a  # not the global `a`
    target = navigation.definition(analysis, use_b)
    assert target is not None and target.start == heading_b
    info = hover(analysis, use_a)
    assert info is not None and "parameter a: Integer" in info.markdown
    info = hover(analysis, body + len("procedure "))
    assert info is not None and "procedure Show(a: Integer, b" in info.markdown
    assert [r.start for r in navigation.references(analysis, heading_b)] \
        == [heading_b, use_b, text.index("b)", use_b + 1)]
    spans = navigation.rename_spans(analysis, use_a, "n")
    assert [sp.start for sp in spans] == [heading_a, use_a]
    # the global `a` keeps its own uses
    assert [r.start for r in navigation.references(analysis, text.index("a: Integer"))] \
        == [text.index("a: Integer"), text.index("a := 1")]


def test_pascal_a_unit_s_implementation_names_its_interface_heading_s_parameters() -> None:
    text = ("unit Shapes;\ninterface\nfunction Area(W, H: Integer): Integer;\n"
            "procedure Grow(var W: Integer; By: Integer);\nimplementation\n"
            "function Area;\nbegin\n  Area := W * H\nend;\n"
            "procedure Grow;\nbegin\n  W := W + By\nend;\nend.\n")
    analysis = checked(text)
    target = navigation.definition(analysis, text.index("By\nend"))
    assert target is not None and target.start == text.index("By: Integer")
    target = navigation.definition(analysis, text.index("W * H"))
    assert target is not None and target.start == text.index("W, H")
    # a body with parameters of its own keeps them; a heading's names do not leak into
    # another routine
    other = text.replace("end;\nend.", "end;\nprocedure Other;\nbegin\n  By := 1\nend;\nend.")
    found = [name for name, _, _ in analyze_with_types(parse(TP, other)).model.undefined_names()]
    assert found == ["By"]


def test_pascal_a_method_body_without_its_parameter_list_names_the_method_s_parameters(
) -> None:
    # fpc -Mtp accepts a method body that repeats only `Type.Name`: the parameters are
    # those of the method's heading in the object type
    text = ("program Meth;\ntype\n  TCounter = object\n    Count: Integer;\n"
            "    procedure Add(Step: Integer);\n    function Twice(V: Integer): Integer;\n"
            "  end;\nvar Step: Integer;\n"
            "procedure TCounter.Add;\nbegin\n  Count := Count + Step\nend;\n"
            "function TCounter.Twice;\nbegin\n  Twice := V * 2\nend;\n"
            "var C: TCounter;\nbegin\n  C.Count := 0;\n  C.Add(3);\n  Step := C.Twice(4)\n"
            "end.\n")
    analysis = checked(text)
    heading_step = text.index("Step: Integer);")
    use_step = text.index("Step\nend")
    target = navigation.definition(analysis, use_step)
    assert target is not None and target.start == heading_step  # not the global `Step`
    info = hover(analysis, text.index("V * 2"))
    assert info is not None and "parameter V: Integer" in info.markdown
    spans = navigation.rename_spans(analysis, use_step, "By")
    assert [sp.start for sp in spans] == [heading_step, use_step]
    # a body with a parameter list of its own keeps it, and a method the type does not
    # declare gets nothing
    own = text.replace("TCounter.Add;", "TCounter.Add(N: Integer);").replace(
        "Count + Step", "Count + N")
    assert list(analyze_with_types(parse(TP, own)).model.undefined_names()) == []
    other = text.replace("TCounter.Twice;", "TCounter.Half;").replace("Twice := V", "Half := V")
    found = [name for name, _, _ in analyze_with_types(parse(TP, other)).model.undefined_names()]
    assert found == ["V"]


def test_pascal_the_printer_file_and_turbo_pascal_s_segment_variables_are_known() -> None:
    text = ("program Report;\nuses Printer;\nvar Screen: Word;\nbegin\n"
            "  WriteLn(Lst, 'page 1');\n  if Mem[Seg0040:$49] = 7 then Screen := SegB000\n"
            "  else Screen := SegB800;\n  FillChar(Mem[SegA000:0], 64000, 0);\n"
            "  WriteLn(Test8086, CSeg, DSeg, SSeg, SPtr)\nend.\n")
    assert list(analyze_with_types(parse(TP, text)).model.undefined_names()) == []


# ---------------------------------------------------------------- QBasic

def test_basic_a_colon_ending_a_one_line_if_does_not_pull_in_the_next_line() -> None:
    # `IF c THEN GOSUB Label:` is common in real programs: the ':' ends the line's
    # statements, and what follows on the next lines is no part of the IF
    text = ("score = 0\nIF score = 0 THEN GOSUB Bonus:\nPRINT score\nEND\n\n"
            "' the subroutine\nBonus:\nscore = score + 10:\nRETURN\n")
    parsed = parse(bundled("qbasic"), text)
    assert parsed.errors == []
    ifs = [n for n in parsed.root.descendants() if n.kind == "if_stmt"]
    assert [n.text for n in ifs] == ["IF score = 0 THEN GOSUB Bonus:"]
    analysis = analyze_with_types(parsed)
    assert list(analysis.model.undefined_names()) == []
    # the label is declared where it stands, and the GOSUB leads to it
    target = navigation.definition(analysis, text.index("Bonus:"))
    assert target is not None and target.start == text.rindex("Bonus:")


def test_basic_on_error_goto_0_and_resume_0_name_no_line() -> None:
    # 0 turns error trapping off (ON ERROR GOTO 0) or retries the statement (RESUME 0):
    # neither is a jump to a label called 0
    text = ("ON ERROR GOTO Trouble\nOPEN \"notes.txt\" FOR INPUT AS #1\nCLOSE #1\n"
            "ON ERROR GOTO 0\nEND\n\nTrouble:\nPRINT \"no notes\"\nRESUME 0\n")
    parsed = parse(bundled("qbasic"), text)
    assert parsed.errors == []
    assert list(analyze_with_types(parsed).model.undefined_names()) == []
    # a real line number after GOTO still refers to its line
    wrong = parse(bundled("qbasic"), "ON ERROR GOTO 100\nEND\n")
    assert [name for name, _, _ in analyze_with_types(wrong).model.undefined_names()] == ["100"]


def test_basic_command_dollar_is_quickbasic_s_command_line() -> None:
    parsed = parse(bundled("qbasic"), "file$ = COMMAND$\nIF file$ = \"\" THEN PRINT \"no file\"\n")
    assert list(analyze_with_types(parsed).model.undefined_names()) == []


def test_basic_a_string_left_open_ends_at_the_line_s_end() -> None:
    # QBasic reads PRINT "Hello as PRINT "Hello": the line's end closes the string
    text = "PRINT \"left open\r\nPRINT \"closed\"; \"open too\nname$ = \"Ada\": PRINT name$\n"
    parsed = parse(bundled("qbasic"), text)
    assert parsed.errors == []
    strings = [t.text for t in parsed.root.leaves() if t.kind == STRING]
    assert strings == ['"left open', '"closed"', '"open too', '"Ada"']
    assert basic_output(text) == "left open\nclosedopen too\nAda\n"


def test_basic_a_variable_passed_to_call_may_be_what_the_sub_sets() -> None:
    # CALL passes variables by reference: CALL AskName(prompt$, who$) is where who$
    # gets its value, so it is no undefined name there or after
    # (a constant passed too: of the parameter's type, a number there is a type mismatch)
    text = ("DECLARE SUB AskName (prompt$, answer$)\nCONST limit$ = \"3\"\n"
            "CALL AskName(\"Who?\", who$)\nPRINT \"Hello, \"; who$\n"
            "CALL AskName(limit$ + \"?\", limit$)\nEND\n\n"
            "SUB AskName (prompt$, answer$)\n    INPUT prompt$, answer$\nEND SUB\n")
    parsed = parse(bundled("qbasic"), text)
    assert parsed.errors == []
    analysis = analyze_with_types(parsed)
    assert [d.message for d in analysis.diagnostics if d.severity in ("error", "warning")] == []
    uses = [r.start for r in navigation.references(analysis, text.index("who$"))]
    assert uses == [text.index("who$"), text.rindex("who$")]
    # read before any assignment, outside a CALL, it is still reported
    names = analyze_with_types(parse(bundled("qbasic"), "PRINT nobody$\n")).model.undefined_names()
    assert [name for name, _, _ in names] == ["nobody$"]


def test_basic_a_sub_called_without_call_takes_variables_by_reference() -> None:
    # `AskNames a$, b$` passes its variables by reference as CALL AskNames(a$, b$) does:
    # the SUB may be what sets them
    text = ("DECLARE SUB AskNames (first$, second$, games%)\n"
            "AskNames one$, two$, rounds%\nPRINT one$; \" and \"; two$; rounds%\nEND\n\n"
            "SUB AskNames (first$, second$, games%)\n"
            "    INPUT \"Names\", first$, second$\n    games% = 3\nEND SUB\n")
    assert basic_uses(text, "one$") == [text.index("one$"), text.rindex("one$")]


def test_basic_a_variable_only_passed_by_reference_is_used() -> None:
    # its value goes to the SUB or statement: it is read there, not only set
    text = ("DIM shape(40) AS INTEGER, total AS INTEGER\nGET (0, 0)-(9, 9), shape\n"
            "PUT (20, 20), shape, PSET\ntotal = 5\nCALL Report(total)\nEND\n\n"
            "SUB Report (n AS INTEGER)\n    PRINT n\nEND SUB\n")
    assert basic_messages(text) == []


def test_basic_a_while_loop_may_start_on_the_line_after_do() -> None:
    # DO's own WHILE stands on its line: one on the next line starts a WHILE ... WEND
    text = ("DO\n    WHILE k$ = \"\": k$ = INKEY$: WEND\n    PRINT k$\n"
            "LOOP UNTIL k$ = \"q\"\n")
    assert basic_nodes(text, "while_stmt") == ["WHILE k$ = \"\": k$ = INKEY$: WEND"]


def test_basic_an_array_may_be_dimensioned_after_common_or_erase() -> None:
    # COMMON SHARED names an array that DIM then dimensions; a dynamic array freed by
    # ERASE is dimensioned again
    text = ("COMMON SHARED regs%()\nDIM regs%(7)\nsize% = 4\nDIM scratch%(size%)\n"
            "ERASE scratch%\nDIM scratch%(size% * 2) AS INTEGER\nscratch%(1) = regs%(0)\n"
            "PRINT scratch%(1)\n")
    assert len(basic_uses(text, "scratch%")) == 5
    # a variable declared twice is still reported
    assert basic_messages("DIM k AS INTEGER\nDIM k AS LONG\n", hints=False) == [
        "'k' is already declared in this scope"]


def test_basic_int86old_is_quickbasic_s_interrupt_routine() -> None:
    text = ("DIM inregs%(7), outregs%(7)\ninregs%(0) = 3\nCALL INT86OLD(&H33, inregs%(), outregs%())\n"
            "CALL INT86XOLD(&H21, inregs%(), outregs%())\nPRINT outregs%(1)\n")
    assert basic_messages(text) == []


def test_basic_continue_is_no_keyword_and_may_name_a_sub() -> None:
    # QBasic has no CONTINUE statement: `Continue` at a line's end calls the SUB, and the
    # FOR on the next line is a loop of its own (FreeBASIC's CONTINUE FOR stays one line)
    text = ("FOR r = 1 TO 3: PRINT r: NEXT: Continue\nFOR r = 4 TO 6: PRINT r: NEXT\n"
            "END\n\nSUB Continue\n    PRINT \"Press a key\"\nEND SUB\n")
    assert basic_nodes(text, "for_stmt") == ["FOR r = 1 TO 3: PRINT r: NEXT",
                                             "FOR r = 4 TO 6: PRINT r: NEXT"]
    assert basic_messages(text) == []


def test_basic_a_one_line_if_may_start_with_a_colon() -> None:
    # IF c THEN : stmt: stmt is a one-line IF whose first statement is empty
    text = ("n = 3: k$ = \"\"\nIF n > 2 THEN : n = 0: PRINT \"wrapped\" ELSE : n = n + 1\n"
            "IF n = 0 THEN\n    IF LEN(k$) = 0 THEN :  k$ = \"none\"\nEND IF\nPRINT n; k$\n")
    assert basic_nodes(text, "if_stmt")[2] == "IF LEN(k$) = 0 THEN :  k$ = \"none\""
    assert basic_output(text) == "wrapped\n 0 none\n"


def test_basic_names_may_hold_periods() -> None:
    # QBasic names may hold periods, also before a part spelled as a keyword
    text = ("DECLARE FUNCTION drive.free# (drive$)\nDECLARE SUB table.rebuild (new.entries)\n"
            "skip.next = 0\nIF skip.next THEN PRINT drive.free#(\"C\")\n"
            "CALL table.rebuild(3)\nEND\n\nSUB table.rebuild (new.entries)\n"
            "    PRINT new.entries\nEND SUB\n\nFUNCTION drive.free# (drive$)\n"
            "    drive.free# = 1\nEND FUNCTION\n")
    assert errors("qbasic", text) == []


def test_basic_shared_in_a_sub_names_one_variable_of_the_main_program() -> None:
    # SHARED CurX in two SUBs is one variable of the main program, though only the SUBs
    # assign it; the main program reads it
    text = ("InitScreen\nMoveTo 5\nPRINT CurX; Pages\nEND\n\nSUB InitScreen\n"
            "    SHARED CurX, Pages AS INTEGER\n    CurX = 1: Pages = 4\nEND SUB\n\n"
            "SUB MoveTo (x)\n    SHARED CurX\n    CurX = x\nEND SUB\n")
    uses = basic_uses(text, "CurX")
    assert len(uses) == 5 and text.rindex("CurX") in uses


def test_basic_a_type_heading_may_end_with_a_colon_and_if_goto_may_have_an_else() -> None:
    text = ("TYPE Spot: ' a point\n    x AS INTEGER: ' across\n    y AS INTEGER\nEND TYPE\n"
            "DIM p AS Spot\np.x = 2\nIF p.x = 2 GOTO Two ELSE PRINT \"other\": END\n"
            "Two:\nPRINT p.x\n")
    assert basic_nodes(text, "if_stmt") == ["IF p.x = 2 GOTO Two ELSE PRINT \"other\": END"]
    assert basic_messages(text) == []


def test_basic_a_heading_s_static_and_a_type_s_ptr_stay_on_their_line() -> None:
    # a STATIC statement first in a FUNCTION is no STATIC of its heading, and a field
    # called Pointer after a LONG one is no LONG PTR (FreeBASIC's words, names in QBasic)
    text = ("TYPE Node\n    Value AS LONG\n    Pointer AS LONG\nEND TYPE\n"
            "DIM head AS Node\nhead.Pointer = Count(2)\nPRINT head.Pointer\nEND\n\n"
            "FUNCTION Count (amount)\n    STATIC total AS INTEGER\n"
            "    total = total + amount\n    Count = total\nEND FUNCTION\n")
    assert basic_nodes(text, "static_stmt") == ["STATIC total AS INTEGER"]
    assert basic_messages(text, hints=False) == []


def test_basic_an_else_on_the_next_line_belongs_to_the_block_if() -> None:
    # a one-line IF ends with its line: the ELSE below it is the enclosing IF's
    text = ("a = 1: b = 0\nIF a = 0 THEN\n    IF b = 1 THEN PRINT \"b\"\nELSE\n"
            "    PRINT \"not a\"\nEND IF\nIF a = 1 THEN\n    IF b = 0 GOTO Done\nELSE\n"
            "    PRINT \"never\"\nEND IF\nDone:\nEND\n")
    inner = basic_nodes(text, "if_stmt")
    assert [inner[1], inner[3]] == ["IF b = 1 THEN PRINT \"b\"", "IF b = 0 GOTO Done"]
    assert basic_messages(text) == []
    assert basic_output(text.split("IF a = 1")[0]) == "not a\n"


def test_basic_view_and_window_alone_reset_and_end_with_their_line() -> None:
    text = ("SCREEN 12\nVIEW (10, 10)-(50, 50)\nVIEW\nPRINT \"whole screen\"\nWINDOW\n"
            "x = 1\nVIEW PRINT 2 TO 20\nVIEW PRINT\nPRINT x\n")
    assert basic_nodes(text, "view_stmt") == [
        "VIEW (10, 10)-(50, 50)", "VIEW", "WINDOW", "VIEW PRINT 2 TO 20", "VIEW PRINT"]


def test_basic_seek_is_a_function_and_a_statement() -> None:
    text = ("OPEN \"log.txt\" FOR BINARY AS #1\nSEEK #1, LOF(1) + 1\nPRINT SEEK(1)\nCLOSE #1\n")
    analysis = analyze_with_types(parse(bundled("qbasic"), text))
    assert [d.message for d in analysis.diagnostics if d.severity in ("error", "warning")] == []


def test_basic_an_array_parameter_may_give_its_number_of_dimensions() -> None:
    # QuickBASIC 4 reads SUB Sort (A(1), N%) as a one-dimensional array parameter
    text = ("DECLARE SUB Sort (A(1) AS SINGLE, N AS INTEGER)\nDIM v(3) AS SINGLE\n"
            "CALL Sort(v(), 3)\nEND\n\nSUB Sort (A(1), N%) STATIC\n"
            "    FOR i = 1 TO N%: PRINT A(i): NEXT i\nEND SUB\n")
    parsed = parse(bundled("qbasic"), text)
    assert parsed.errors == []
    params = [n.text for n in parsed.root.descendants() if n.kind == "param"]
    assert params == ["A(1) AS SINGLE", "N AS INTEGER", "A(1)", "N%"]



def basic_problems(text: str) -> list[str]:
    """The errors and warnings of the QBasic program ``text``."""
    analysis = analyze_with_types(parse(bundled("qbasic"), text))
    return [d.message for d in analysis.diagnostics if d.severity in ("error", "warning")]


def test_basic_qb64_metacommands_define_option_and_unsigned_types() -> None:
    text = ("$RESIZE:ON\n$CONSOLE:ONLY\n_DEFINE A-Z AS _UNSIGNED LONG\nOPTION _EXPLICIT\n"
            "DIM SHARED AS _UNSIGNED _BYTE r, g\nDIM n AS _INTEGER64\nr = 1: g = r: n = g\n"
            "RANDOMIZE USING 42\nPRINT n\n")
    assert basic_problems(text) == []
    assert basic_nodes(text, "metacommand") == ["$RESIZE:ON", "$CONSOLE:ONLY"]


def test_basic_qb64_type_suffixes_are_part_of_the_name() -> None:
    # a~& is _UNSIGNED LONG, b%% _BYTE, q&& _INTEGER64; a function may be called with its
    # mark or without it
    text = ("DIM b%%, q&&\nb%% = 2: q&& = &HFF000000~&\nPRINT Twice~&(b%%), Twice(q&&), q&&\n"
            "FUNCTION Twice~& (n)\n    Twice~& = n * 2\nEND FUNCTION\n")
    assert basic_problems(text) == []
    assert basic_uses(text, "Twice~& (n)") == [text.index("Twice~&("), text.index("Twice(q"),
                                              text.index("Twice~& (n)"),
                                              text.index("Twice~& = n")]


def test_basic_qb64_functions_and_statements_are_known() -> None:
    text = ("SCREEN _NEWIMAGE(640, 480, 32)\n_TITLE \"demo\"\nc& = _RGB32(255, 0, 0)\n"
            "DO\n    _LIMIT 30\n    IF _KEYDOWN(27) THEN EXIT DO\n"
            "    PSET (_WIDTH / 2, _HEIGHT / 2), c&\n    _DISPLAY\nLOOP\n"
            "PRINT _PI(2), _D2R(180), _TRIM$(\" a \"), ASC(\"abc\", 2)\n"
            "_FULLSCREEN _SQUAREPIXELS, _SMOOTH\n_DEPTHBUFFER ON\n"
            "_MAPTRIANGLE _CLOCKWISE (0, 0)-(9, 0)-(9, 9), c& TO(0, 0, -1)-(1, 0, -1)-(1, 1, -1)"
            ", , _SMOOTHSHRUNK\n")
    assert basic_problems(text) == []
    assert basic_problems("PRINT _RGB32()\n") == ["'_RGB32' takes 1 to 4 arguments, 0 given"]


def test_basic_qb64_declare_library_declares_its_routines() -> None:
    text = ("DECLARE LIBRARY\n    FUNCTION GetTicks~&&\n    SUB free (BYVAL p AS _OFFSET)\n"
            "END DECLARE\nDECLARE DYNAMIC LIBRARY \"user32\"\n"
            "    FUNCTION MessageBoxA& (BYVAL h AS LONG, t AS STRING, c AS STRING, BYVAL f AS LONG)\n"
            "END DECLARE\nPRINT GetTicks\nfree 0\nx& = MessageBoxA(0, \"a\", \"b\", 0)\n")
    assert basic_problems(text) == []
    assert len(basic_nodes(text, "declare_library")) == 2


def test_basic_gw_basic_spells_comparisons_backwards_too() -> None:
    text = "10 A = 3\n20 IF A => 3 AND A =< 4 AND A >< 5 THEN PRINT \"yes\"\n"
    assert basic_problems(text) == []
    assert basic_output(text.replace("10 ", "").replace("20 ", "")) == "yes\n"
    assert basic_output("PRINT 2 => 3; 2 =< 3; 2 >< 2; 3 => 3\n") == basic_output(
        "PRINT 2 >= 3; 2 <= 3; 2 <> 2; 3 >= 3\n")


def test_freebasic_type_aliases_and_extern_blocks() -> None:
    text = ("EXTERN \"C\"\nTYPE Callback AS SUB (BYVAL n AS LONG)\n"
            "TYPE Alloc AS FUNCTION (BYVAL size AS UINTEGER) AS ANY PTR\n"
            "DECLARE SUB SetCallback (BYVAL cb AS Callback)\nEND EXTERN\n"
            "DIM n AS LONG = 1\nDIM a AS Alloc\nPRINT n\n")
    assert basic_nodes(text, "type_alias") == [
        "TYPE Callback AS SUB (BYVAL n AS LONG)",
        "TYPE Alloc AS FUNCTION (BYVAL size AS UINTEGER) AS ANY PTR"]
    assert len(basic_nodes(text, "extern_block")) == 1


def test_basic_gw_basic_writes_the_file_number_against_the_statement() -> None:
    text = ('OPEN "o.txt" FOR OUTPUT AS #1\nPRINT#1, "x"\nWRITE#1, 2\nCLOSE#1\n'
            'OPEN "o.txt" FOR INPUT AS #1\nLINE INPUT#1, a$\nINPUT#1, b\nCLOSE #1\n'
            "PRINT a$; b\n")
    assert basic_problems(text) == []
    assert basic_nodes(text, "print_stmt")[:2] == ['PRINT#1, "x"', "WRITE#1, 2"]


def test_basic_gw_basic_forms_fn_apart_chain_merge_and_colon_else() -> None:
    text = ("10 DEF FN Sq(Q) = Q * Q\n20 X = FN Sq(3)\n"
            "30 IF X > 5 THEN 50 :ELSE PRINT \"small\"\n"
            "40 CHAIN MERGE \"NEXT.BAS\", 60, ALL, DELETE 10-40\n50 PRINT X\n")
    assert basic_problems(text) == []
    assert basic_uses(text, "Sq(Q)") == [text.index("Sq(Q)"), text.index("Sq(3)")]


def test_basic_chain_all_is_no_variable_and_common_variables_are_kept_for_it() -> None:
    # CHAIN "f", line, ALL keeps every variable for the next program; COMMON names those
    # kept otherwise: neither is a variable never used
    text = ('10 COMMON X, Y$\n20 X = 1: Y$ = "a"\n30 CHAIN "NEXT.BAS", 60, ALL\n'
            '40 CHAIN "LAST.BAS", , ALL\n')
    analysis = analyze_with_types(parse(bundled("qbasic"), text))
    assert [d.message for d in analysis.diagnostics] == []
    assert basic_nodes(text, "chain_all") == ['CHAIN "NEXT.BAS", 60, ALL', 'CHAIN "LAST.BAS", , ALL']


def test_basic_a_call_after_a_string_is_a_print_item_not_a_macro() -> None:
    text = 'PRINT "a" LEFT$("xyz", 2) "b"\n'
    assert basic_problems(text) == []
    assert basic_output(text) == "axyb\n"


def test_basic_a_type_may_have_its_fields_on_its_line() -> None:
    text = ("TYPE Raster: x AS SINGLE: y AS SINGLE: END TYPE\nDIM r AS Raster\n"
            "r.x = 1.5\nPRINT r.x + r.y\n")
    assert basic_problems(text) == []
    assert basic_nodes(text, "field_decl") == ["x AS SINGLE", "y AS SINGLE"]


def test_basic_qb64_memory_blocks_timers_and_ranges() -> None:
    text = ("DIM m AS _MEM\nm = _MEMNEW(16)\n_MEMPUT m, m.OFFSET, 5 AS _UNSIGNED _BYTE\n"
            "_MEMFILL m, m.OFFSET + 1, 4, 0 AS _BYTE\nb~%% = _MEMGET(m, m.OFFSET, _UNSIGNED _BYTE)\n"
            "_MEMCOPY m, m.OFFSET, 4 TO m, m.OFFSET + 4\n_SETALPHA 0, 1 TO 2\n"
            "REDIM a(5): REDIM _PRESERVE a(10)\nt = _FREETIMER\nON TIMER(t, 0.5) Tick\n"
            "TIMER(t) ON\nTIMER(t) FREE\nPRINT b~%%, a(1), COMMAND$(1)\n_MEMFREE m\n"
            "SUB Tick\nEND SUB\n")
    assert basic_problems(text) == []


def test_basic_a_declare_that_is_no_library_block_keeps_its_own_error() -> None:
    # the error is where the heading goes wrong, not at a DECLARE LIBRARY it is not
    assert errors("qbasic", "DECLARE SUB Foo (BYVAL STRING AS LONG)\nx = 1\n") == [
        "expected ')', found 'BYVAL'"]


def test_basic_qb64_a_field_may_be_called_type() -> None:
    text = ("TYPE Thing\n    x AS SINGLE\n    type AS INTEGER\nEND TYPE\nDIM t AS Thing\n"
            "t.type = 2: t.x = 1\nPRINT t.type + t.x\n")
    assert basic_problems(text) == []
    assert basic_nodes(text, "field_decl") == ["x AS SINGLE", "type AS INTEGER"]


def test_freebasic_builtins_and_their_names_without_the_type_mark() -> None:
    # FreeBASIC writes LEFT$ as Left and CHR$ as Chr; its graphics library is known
    text = ("SCREENRES 640, 480, 32\nWINDOWTITLE \"demo\"\nc = RGB(255, 0, 0)\n"
            "IF MULTIKEY(SC_ESCAPE) THEN END\nPRINT Left(\"abc\", 2), Chr(65), LOWORD(c)\n")
    assert basic_problems(text) == []
    # a name a QBasic program may give a variable is no builtin: its assignment declares it
    text = "dir = 1\ndir = dir + 1\nPRINT dir\n"
    assert basic_uses(text, "dir") == [0, 8, 14, 28]


def test_basic_a_declare_without_a_body_in_the_file_is_another_module_s_routine() -> None:
    # a header of DECLAREs (a .bi file), and a program calling a routine of another module
    header = "DECLARE SUB Beep2 (n%)\nDECLARE FUNCTION Rows% ()\nDECLARE FUNCTION Name$ (i)\n"
    assert basic_problems(header) == []
    text = header + "Beep2 3\nCALL Beep2(4)\nPRINT Rows%, Rows, Name$(1)\nMissing 5\n"
    assert basic_problems(text) == ["undefined name 'Missing'"]
    # a routine the file defines is counted against its heading as before
    text = "DECLARE SUB Foo (a)\nFoo 1, 2\nSUB Foo (a)\n    PRINT a\nEND SUB\n"
    assert basic_problems(text) == ["'Foo' takes 1 argument, 2 given"]


def test_basic_an_array_and_a_variable_of_one_name_are_two() -> None:
    text = ("DIM SHARED lx(256)\nDIM SHARED lx\nlx = 3: lx(2) = lx\nPRINT lx(2)\n"
            "FUNCTION Ev (a() AS STRING)\n    DIM a AS SINGLE\n    a = LEN(a(1)): Ev = a\n"
            "END FUNCTION\n")
    assert basic_messages(text) == []
    # two variables of one name are still declared twice
    assert basic_problems("DIM x\nDIM x\nx = 1\n") == ["'x' is already declared in this scope"]


def test_basic_gw_basic_def_usr_points_at_machine_code() -> None:
    # DEF USR0 = offset is no function of no parameters: USR0(x) passes one argument
    text = "10 DEF SEG = &H1000\n20 DEF USR0 = 0\n30 R = USR0(0) + USR(1)\n40 PRINT R\n"
    assert basic_problems(text) == []
    assert basic_nodes(text, "def_usr") == ["DEF USR0 = 0"]

def test_line_end_closes_is_checked_and_only_for_one_line_strings() -> None:
    base = "name: T\nid: t\nextensions: [.t]\nlexical:\n  strings:\n"
    _, problems = load_definition_text(
        base + "    - {delimiter: '\"', multiline: true, line_end_closes: true}\n", "t.yaml")
    assert [p.message for p in problems] == [
        "line_end_closes must be true or false, and not true for a multiline string"]
    loaded, problems = load_definition_text(
        base + "    - {delimiter: '\"', line_end_closes: true}\n", "t.yaml")
    assert problems == [] and loaded is not None
    assert loaded.lexical.strings[0].line_end_closes
