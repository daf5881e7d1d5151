"""Pascal found wrong while measuring the held-out corpus pascal9 (real programs; each
construct here is written anew): `Self` in a method of a type declared inside a class,
Free Pascal's compile-time string inserts (`{$I %DATE%}`), Delphi's attributes before a
type declaration. FORMS is accepted by Free Pascal 3.2.2 (`fpc -s -Mobjfpc`); the type
errors below are the ones fpc gives."""

from __future__ import annotations

from craftls.features import hover
from craftls.features.analysis import analyze_with_types
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse
from craftls.syntax.tokens import STRING, TRIVIA

from .test_lang_turbopascal import TP, shown

FORMS = """program Stamps;
{$mode objfpc}
type
  TOuter = class
  type
    TInner = class
      FCount: Integer;
      procedure Bump(By: Integer);
    end;
  end;
const
  Built = {$I %DATE%};
  Where = {$I %FILE%} + ':' + {$i %line%};
procedure TOuter.TInner.Bump(By: Integer);
begin
  Self.FCount := Self.FCount + By
end;
var
  Name: string;
begin
  Name := {$INCLUDE %FPCVERSION%};
  WriteLn(Built, Where, Name)
end.
"""


def test_the_pascal9_constructs_check_clean() -> None:
    assert shown(FORMS) == []


def test_self_in_a_nested_type_s_method_is_typed() -> None:
    text = FORMS.replace("Self.FCount + By", "'many'")
    assert [(d[0], d[3], d[4]) for d in shown(text)] == [
        (16, "type-mismatch", "Cannot assign to 'Self.FCount': expected INTEGER, "
                              "found SHORTSTRING")]
    info = hover.hover(analyze_with_types(parse(TP, FORMS)), FORMS.index("Self.FCount :="))
    assert info is not None and info.markdown.rsplit("type: ", 1)[1] == "`TInner`"


def test_a_compile_time_insert_is_a_string() -> None:
    tokens, _ = lex(TP, "x := {$I %DATE%} + {$i %time%};")
    kinds = [(kind, text) for kind, text in tokens if text.startswith("{")]
    assert kinds == [(STRING, "{$I %DATE%}"), (STRING, "{$i %time%}")]
    # it is a string: no number (fpc: "Incompatible types: got "Constant String" expected
    # "LongInt"")
    text = FORMS.replace("Name: string;", "Name: Integer;")
    assert [(d[0], d[3]) for d in shown(text)] == [(21, "type-mismatch")]
    # an include of a file, or a directive without the `%`s, is still a comment
    tokens, _ = lex(TP, "{$I defs.inc} {$I %DATE}")
    assert [kind for kind, _ in tokens if kind not in TRIVIA] == []


def test_an_attribute_before_a_type_declaration() -> None:
    text = """unit CalcTests;
interface
type
  TKind = (kOne, kTwo);
  [TestFixture]
  TCalcTests = class
  public
    [Test]
    procedure Adds;
  end;
  [Ignore('slow'), Category('big')] TBigTests = class(TCalcTests)
  end;
implementation
procedure TCalcTests.Adds;
begin
end;
end.
"""
    assert [d for d in shown(text) if d[2] == "error"] == []


SHAPES = """program Shapes;
type
  PShape = ^TShape;
  TShape = object
    Sides: Integer;
    procedure Grow(By: Integer);
    destructor Done; virtual;
  end;
  TBox = class(TObject)
    W: Integer;
    procedure Resize(N: Integer);
  end;
procedure TShape.Grow(By: Integer);
begin
  Sides := Sides + By
end;
destructor TShape.Done;
begin
end;
procedure TBox.Resize(N: Integer);
begin
  W := N
end;
begin
end.
"""


def _syntax(text: str) -> list[tuple[int, str]]:
    assert text != SHAPES
    return [(d[0], d[4]) for d in shown(text) if d[3] == "syntax"]


def test_a_type_declaration_that_lost_its_name_is_one_error() -> None:
    assert [d for d in shown(SHAPES) if d[2] == "error"] == []
    # the first of its section (the section's loop had no turn), and a later one: not
    # the object's methods each a routine and its `end;` the program's
    assert _syntax(SHAPES.replace("  PShape = ^TShape;", "  = ^TShape;")) == [
        (3, "expected a name, found '='")]
    assert _syntax(SHAPES.replace("  TShape = object", "  = object")) == [
        (4, "expected a name, found '='")]
    assert _syntax(SHAPES.replace("  TBox = class(TObject)", "  = class(TObject)")) == [
        (9, "expected a name, found '='")]
    assert _syntax(SHAPES.replace("  TShape = object", "  TShape object")) == [
        (4, "expected '=' or '<', found 'object'")]


def test_a_method_heading_that_lost_its_word_is_one_error() -> None:
    words = "'procedure', 'function', 'constructor', 'destructor' or 'operator'"
    assert _syntax(SHAPES.replace("    destructor Done; virtual;", "    Done; virtual;")) == [
        (7, f"expected {words}, found 'Done'")]
    assert _syntax(SHAPES.replace("    procedure Grow(By", "    Grow(By")) == [
        (6, f"expected {words}, found 'Grow'")]
    assert _syntax(SHAPES.replace("    procedure Resize(N", "    Resize(N")) == [
        (11, f"expected {words}, found 'Resize'")]
    # a field that lost its ':' is still that field's one error
    assert _syntax(SHAPES.replace("    W: Integer;", "    W Integer;")) == [
        (10, "expected ',' or ':', found 'Integer'")]


def test_a_type_section_cut_short_at_the_end_of_the_file_is_one_error() -> None:
    """The recovery for an item that lost its name looks at the literal after it: at the
    end of the file there is none (found by the fast-path/interpreter comparison, which
    parsed `type` alone)."""
    for text in ("type", "program P;\ntype", "program P;\ntype\n  TBox ="):
        errors = [d for d in shown(text) if d[3] == "syntax"]
        assert len(errors) == 1, (text, errors)
