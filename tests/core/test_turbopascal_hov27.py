"""Hover on a class's method shows the word its heading has (round hov27): a method
declared ``procedure Run(N: Integer);`` is a procedure (at its heading, at its body
``procedure TRunner.Run`` and at a call), one declared ``function`` a function. The
method headings of the bundled Pascal are one rule for both words (``declares:
function``): the symbol's kind follows the heading's first keyword. Free Pascal 3.2.2
(``fpc -Mobjfpc -s``) accepts the program."""

from __future__ import annotations

from craftls.features import hover
from craftls.features.analysis import analyze_with_types
from craftls.syntax.parse import parse

from .test_grammar_engine import language
from .test_lang_turbopascal import check

RUNNER = """program Runner;
{$mode objfpc}
type
  TRunner = class
    Count: Integer;
    procedure Run(N: Integer);
    function Twice(N: Integer): Integer;
    class procedure Reset(Start: Integer);
  end;

procedure TRunner.Run(N: Integer);
begin
  Count := Count + N
end;

function TRunner.Twice(N: Integer): Integer;
begin
  Twice := N * 2
end;

class procedure TRunner.Reset(Start: Integer);
begin
  WriteLn(Start)
end;

var
  R: TRunner;
begin
  R := TRunner.Create;
  R.Run(3);
  WriteLn(R.Twice(2));
  TRunner.Reset(0);
  R.Free
end.
"""


def heading(at: str, skip: int = 0) -> str:
    analysis = check(RUNNER)
    info = hover.hover(analysis, RUNNER.index(at) + skip)
    assert info is not None, at
    return info.markdown.split("\n")[1]


def test_a_method_declared_procedure_is_shown_as_a_procedure() -> None:
    assert heading("Run(N: Integer);") == "procedure Run(N: Integer)"
    assert heading("Run(N: Integer);\nbegin") == "procedure Run(N: Integer)"
    assert heading("Run(3)") == "procedure Run(N: Integer)"
    assert heading("Reset(Start: Integer);") == "procedure Reset(Start: Integer)"
    assert heading("Reset(0)") == "procedure Reset(Start: Integer)"


def test_a_method_declared_function_is_still_shown_as_a_function() -> None:
    assert heading("Twice(N: Integer): Integer;") == "function Twice(N: Integer): Integer"
    assert heading("Twice(2)") == "function Twice(N: Integer): Integer"


def test_any_grammar_s_heading_rule_for_both_words_tells_them_apart() -> None:
    """The kind follows the heading's keyword, not the language: the test grammar
    pascal_subset's ``routine`` is one rule for FUNCTION and PROCEDURE (declares:
    function) too."""
    text = """PROGRAM P;
VAR X: INTEGER;
PROCEDURE GREET(N: INTEGER);
BEGIN
  X := N
END;
FUNCTION TWICE(N: INTEGER): INTEGER;
BEGIN
  TWICE := N * 2
END;
BEGIN
  GREET(TWICE(2))
END.
"""
    analysis = analyze_with_types(parse(language("pascal_subset.yaml"), text))
    shown = {}
    for word in ("GREET(N", "GREET(TWICE", "TWICE(N", "TWICE(2"):
        info = hover.hover(analysis, text.index(word))
        assert info is not None, word
        shown[word] = info.markdown.split("\n")[1]
    assert shown == {"GREET(N": "procedure GREET(N: INTEGER)",
                     "GREET(TWICE": "procedure GREET(N: INTEGER)",
                     "TWICE(N": "function TWICE(N: INTEGER): INTEGER",
                     "TWICE(2": "function TWICE(N: INTEGER): INTEGER"}
