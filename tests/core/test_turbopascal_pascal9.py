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
