"""Error recovery of grammar-defined languages (issue 13 item 2): one error per mistake,
at the mistake, naming what could have come there; the parse resumes at the next
statement or item. Small programs of our own, each with one mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from craftls.language.catalog import bundled
from craftls.language.loader import load_definition
from craftls.syntax.parse import parse


def errors(language: str, text: str) -> list[tuple[int, str, str]]:
    """Each syntax error: its line (from 1), the text it covers, its message."""
    found = parse(bundled(language), text).errors
    return [(text.count("\n", 0, e.start) + 1, text[e.start:e.end], e.message)
            for e in found]


# ---------------------------------------------------------------- one error per mistake


@pytest.mark.parametrize("text", [
    # a mistake inside a function passed as an argument: it was the call statement
    # ``f``, then "expected ')'" at the first ',' and "unexpected 'end'" after it
    "f(w, function(a)\n  if a n then\n    return 1\n  end\nend)\nprint(x)\n",
    # the same inside a function's body (a list of statements in recovery mode)
    "function g()\n  f(w, function(a)\n    if a n then\n      return 1\n    end\n"
    "  end)\nend\nprint(x)\n",
    "table.sort(words, function(a, b)\n  return a.n > > b.n\nend)\nprint(words)\n",
])
def test_a_mistake_inside_a_function_argument_is_one_error_there(text: str) -> None:
    found = errors("lua", text)
    assert len(found) == 1
    assert found[0][0] in (2, 3) and "','" not in found[0][2]


# ---------------------------------------------------------------- messages


@pytest.mark.parametrize("language, text, expected", [
    # the first alternative, a parenthesised expression, reached as far as the array
    # constant but failed earlier: the array constant's error is the one kept
    ("turbopascal",
     "program p;\nconst\n  Primes: array[1..5] of Byte = (2, 3, 5 7, 11);\nbegin\nend.\n",
     (3, "7, 11", "expected ')' or ',', found '7'")),
    # what was expected where the mistake is, not only the closer (which comes first:
    # what a quick fix inserts)
    ("lua", "print(a, b c, d)\nprint(x)\n", (1, "c, d", "expected ')' or ',', found 'c'")),
    ("lua", "print(, f(n, 4), g(n))\nprint(x)\n",
     (1, ", f(n, 4), g(n)", "expected ')' or expression, found ','")),
    # what the operand before it would have gone on with (a call's arguments after a
    # name, operators) is no help
    ("lua", "if n n % d == 0 then\n  print(n)\nend\n",
     (1, "n", "'n' written twice")),
])
def test_the_message_names_what_could_come_where_the_mistake_is(
        language: str, text: str, expected: tuple[int, str, str]) -> None:
    assert errors(language, text)[0] == expected


# ---------------------------------------------------------------- lists inside a type


@pytest.mark.parametrize("text, expected", [
    # a stray ';' before a method's directive inside an object: one skip, and the
    # object, its type section and the program after it go on (it ended the object
    # and the type section, and every line after it was an error)
    ("program p;\ntype\n  TStack = object\n    Top: Integer;\n"
     "    procedure Push(Value: Integer); ; virtual;\n    function Pop: Integer;\n"
     "  end;\n  TOther = record\n    A: Integer;\n  end;\nvar\n  S: TStack;\n"
     "begin\nend.\n",
     (5, "; virtual;", "unexpected ';'")),
])
def test_a_mistake_inside_an_object_is_one_error_and_the_type_section_goes_on(
        text: str, expected: tuple[int, str, str]) -> None:
    assert errors("turbopascal", text) == [expected]


# ---------------------------------------------------------------- a broken block opener


@pytest.mark.parametrize("text, expected", [
    # THEN missing at the end of the line: the block is the IF's (its ELSEIF, ELSE and
    # END IF were each an error of their own, the IF a one-line one)
    ("x = 1\nIF x > 1\n  PRINT 1\nELSEIF x > 0 THEN\n  PRINT 2\nELSE\n  PRINT 3\nEND IF\n"
     "PRINT 4\n",
     (2, "", "expected 'GOTO' or 'THEN', found the end of the line")),
    # THEN misspelt: the rest of the line is the error, not a one-line IF's statement
    ("x = 1\nIF x > 1 TEHN\n  PRINT 1\nELSE\n  PRINT 3\nEND IF\nPRINT 4\n",
     (2, "TEHN", "expected 'GOTO' or 'THEN', found 'TEHN'")),
])
def test_a_block_opener_without_its_keyword_keeps_its_block(
        text: str, expected: tuple[int, str, str]) -> None:
    assert errors("qbasic", text) == [expected]


@pytest.mark.parametrize("language, text, expected", [
    # a block opener's own word deleted: the block without it is one error (the line,
    # and each of its orphaned ELSEIF, ELSE and END IF, were errors of their own)
    ("qbasic", "x = 1\nx > 1 THEN\n  PRINT 1\nELSEIF x > 0 THEN\n  PRINT 2\nELSE\n"
     "  PRINT 3\nEND IF\nPRINT 4\n",
     (2, "", "expected 'IF', found 'x'")),
    ("lua", "x = 1\nx < 0 then\n  print(1)\nelse\n  print(2)\nend\nprint(3)\n",
     (2, "", "expected 'if', found 'x'")),
])
def test_a_block_without_its_opening_word_is_one_error(
        language: str, text: str, expected: tuple[int, str, str]) -> None:
    assert errors(language, text) == [expected]


# ---------------------------------------------------------------- Lua table constructors


def fields(text: str) -> list[str]:
    """The keys of the named fields the tree holds (a skipped field is no field)."""
    root = parse(bundled("lua"), text).root
    return [n.text.strip() for n in root.descendants() if n.kind == "field_key"]


@pytest.mark.parametrize("text, expected, keys", [
    # a ',' missing between fields on one line: one zero-width error where it goes, and
    # the field after it is a field
    ("local t = {a = 1 b = 2, c = 3}\nprint(t)\n",
     (1, "", "expected ',' or ';', found 'b'"), ["a", "b", "c"]),
    ("call({[1] = 'x' [2] = 'y'}, 3)\nprint(x)\n",
     (1, "", "expected ',' or ';', found '['"), []),
    # at the end of a line of a table over several lines: the fields after it were
    # skipped, then "unexpected '='" at the next one
    ("local t = {\n  a = 1\n  b = 2,\n  c = 3,\n}\nprint(t)\n",
     (2, "", "expected ',' or ';', found the end of the line"), ["a", "b", "c"]),
    ("local t = {\n  name = 'a',\n  f = function() return 1 end\n  g = 2,\n}\nprint(t)\n",
     (3, "", "expected ',' or ';', found the end of the line"), ["name", "f", "g"]),
    # inside a nested table: the outer one keeps its fields and its '}' (it was three
    # errors: the inner table's '}' taken as the outer's, then two stray '}')
    ("local t = {\n  a = {\n    b = 1\n    c = 2\n  },\n  d = 3\n}\nprint(t)\n",
     (3, "", "expected ',' or ';', found the end of the line"), ["a", "b", "c", "d"]),
    # a '}' missing before the next statement: the statement is no field
    ("local t = {1, 2, 3\nprint(t)\n",
     (1, "", "expected '}', ',' or ';', found the end of the line"), []),
    ("local t = {\n  inner = {1, 2,\n  other = 3,\n}\nprint(t)\n",
     (4, "", "expected '}', ',' or ';', found the end of the line"), ["inner", "other"]),
    ("local t = {\n  a = 1,\n  b = 2,\n\nlocal x = 3\nprint(x, t)\n",
     (3, "", "expected '}', found the end of the line"), ["a", "b"]),
    # a '{' doubled before a statement that begins with a word: the second '{' is the
    # error (every statement up to the end of the block was skipped as a stray token of
    # the table; then the '}' was reported missing at the end of the line)
    ("local function f()\n  local counts = { {}\n  local x = 1\n  print(x, counts)\nend\n",
     (2, "{", "unexpected '{'"), []),
    # a '}' deleted: the list ends at the word
    ("local function f()\n  local counts = {{}, {}\n  local x = 1\n  print(x, counts)\nend\n",
     (2, "", "expected ',', ';' or '}', found the end of the line"), []),
    ("local t = {x and y, not nil, {3}\nlocal a = 1\nfor i = 1, a do print(i) end\n",
     (1, "", "expected ',', ';' or '}', found the end of the line"), []),
])
def test_a_mistake_in_a_table_constructor_is_one_error_and_the_fields_go_on(
        text: str, expected: tuple[int, str, str], keys: list[str]) -> None:
    assert errors("lua", text) == [expected]
    assert fields(text) == keys
# ---------------------------------------------------------------- names in messages


@pytest.mark.parametrize("language, text, expected", [
    # a rule's ``display`` name, not the rule's own name ("type def", "param type",
    # "const value", "comparison", "case test")
    ("turbopascal", "program p;\nvar x: ;\nbegin\nend.\n",
     (2, "", "expected type, found ';'")),
    ("turbopascal", "program p;\nprocedure P(A: );\nbegin\nend;\nbegin\nend.\n",
     (2, "", "expected type, found ')'")),
    ("turbopascal", "program p;\nconst c = ;\nbegin\nend.\n",
     (2, "", "expected constant, found ';'")),
    ("lua", "x = a and and b\nprint(x)\n", (1, "and", "expected expression, found 'and'")),
    ("qbasic", "SELECT CASE x\nCASE\n  PRINT 1\nEND SELECT\n",
     (2, "", "expected 'ELSE' or CASE value, found the end of the line")),
    # nothing to name (what follows THEN can begin with any token): the token is the
    # mistake, not "expected more" (reported where the statement is missing, after
    # THEN; the next line's PRINT is no part of the IF)
    ("qbasic", "IF x THEN AS = 1\nPRINT 1\n", (1, "", "unexpected 'AS'")),
])
def test_a_message_names_a_construct_as_a_user_would(
        language: str, text: str, expected: tuple[int, str, str]) -> None:
    assert errors(language, text) == [expected]



# ---------------------------------------------------------------- a block inside a block


@pytest.mark.parametrize("text, expected", [
    # a mistake in an ELSEIF line of an IF inside a SUB (or any block): the IF as
    # written was a one-line IF (its statement on the next line) that ended at the
    # ELSEIF, which ended the SUB's list too: the SUB's END, the ELSEIF, the ELSE and
    # the END IF were each an error
    ("SUB Show (s%)\n  IF s% >= 90 THEN\n    PRINT \"A\"\n  ELSEIF s% >= >= 50 THEN\n"
     "    PRINT \"C\"\n  ELSE\n    PRINT \"F\"\n  END IF\nEND SUB\n",
     (4, ">=", "expected expression, found '>='")),
    ("WHILE x\n  IF y THEN\n    PRINT 1\n  ELSEIF ELSEIF x THEN\n    PRINT 2\n  END IF\nWEND\n",
     (4, "ELSEIF", "expected expression, found 'ELSEIF'")),
    # a wrong statement after the first one of a block IF's body, at the top level or
    # in a SUB: the IF as written was a one-line IF of its next line's statement, and
    # the mistake ended it; the END IF (and the SUB's END) were errors of their own
    ("IF s THEN\n  PRINT 1\n  x = = 2\nEND IF\n", (3, "x = = 2", "unexpected 'x'")),
    ("SUB Box\n  IF s THEN\n    PRINT 1\n    Beep ON\n  END IF\nEND SUB\n",
     (4, "Beep ON", "unexpected 'Beep'")),
])
def test_a_mistake_in_a_nested_blocks_middle_line_is_one_error(
        text: str, expected: tuple[int, str, str]) -> None:
    assert errors("qbasic", text) == [expected]


# ---------------------------------------------------------------- inside brackets


@pytest.mark.parametrize("text, expected", [
    # the closing ')' of a parameter list is looked for past the ';' between the
    # parameters and past words an item starts with (``var``): the rest of the list is
    # the error, the heading and the routine go on (the heading failed, then its
    # ')', then the program's '.'); a separator written twice is that one token
    # (``separator_after_doubled``)
    ("program p;\nprocedure Swap(var var X, Y: Integer);\nbegin\nend;\nbegin\nend.\n",
     (2, "var var X, Y: Integer", "expected ')', found 'var'")),
    ("program p;\nprocedure Make(K: Integer; ; Size: Real);\nbegin\nend;\nbegin\nend.\n",
     (2, ";", "';' written twice")),
])
def test_a_mistake_inside_a_parameter_list_is_one_error(
        text: str, expected: tuple[int, str, str]) -> None:
    assert errors("turbopascal", text) == [expected]


# ---------------------------------------------------------------- a doubled word


@pytest.mark.parametrize("language, text, expected", [
    # the word before the missing element written twice: the second is the error and
    # the construct goes on after it (END END SELECT was that and "expected the end
    # of the line" for the SELECT after it; ``if if x then`` also lost its ``end``)
    ("qbasic", "x = 1\nSELECT CASE x\nCASE 1\n  PRINT 1\nEND END SELECT\nPRINT 3\n",
     (5, "END", "expected 'SELECT', found 'END'")),
    ("lua", "x = 1\nif if x then\n  print(1)\nend\nprint(2)\n",
     (2, "if", "expected expression, found 'if'")),
    ("lua", "x = 1\nfunction function f()\n  print(1)\nend\nprint(2)\n",
     (2, "function", "expected a name, found 'function'")),
])
def test_a_doubled_word_is_one_error_and_its_construct_goes_on(
        language: str, text: str, expected: tuple[int, str, str]) -> None:
    assert errors(language, text) == [expected]


@pytest.mark.parametrize("text", [
    # an optional parameter list without its '(': the list, its opener missing (it was
    # "expected ';'" over the first parameter, then the body and the program's '.')
    "program p;\nprocedure P A: Integer; B: Integer);\nbegin\n  P(A, B);\nend;\nbegin\nend.\n",
    "program p;\nfunction F A: Integer): Integer;\nbegin\n  F := A;\nend;\nbegin\nend.\n",
])
def test_a_parameter_list_without_its_opener_is_one_error_and_declares_its_names(
        text: str) -> None:
    assert errors("turbopascal", text) == [(2, "", "expected '(', found 'A'")]
    tree = parse(bundled("turbopascal"), text)
    assert "param_name" in {node.kind for node in tree.root.descendants()}


# ---------------------------------------------------------------- an incomplete line


@pytest.mark.parametrize("language, text, expected", [
    # the line ends where something is missing: the error is there, naming it (it was
    # "unexpected 'DIM'" over the line: the variable without its AS clause, then a
    # stray AS, and the statement failed as a whole)
    ("qbasic", "DIM a AS\nPRINT 1\n", (1, "", "expected type, found the end of the line")),
    ("qbasic", "x = 1 +\nPRINT 1\n",
     (1, "", "expected expression, found the end of the line")),
    ("qbasic", "IF x > THEN\n  PRINT 1\nEND IF\n",
     (1, "", "expected expression, found 'THEN'")),
    # a named field whose value is missing before the closer (it was the field ``y``
    # and "unexpected '='")
    ("lua", "local t = {x = 1, y = }\nprint(t)\n", (1, "", "expected expression, found '}'")),
    ("lua", "local t = {x = 1, y = ,\n  z = 2}\nprint(t)\n",
     (1, "", "expected expression, found ','")),
])
def test_a_construct_cut_short_is_one_error_where_it_ends(
        language: str, text: str, expected: tuple[int, str, str]) -> None:
    assert errors(language, text) == [expected]


# ---------------------------------------------------------------- a doubled opener


@pytest.mark.parametrize("language, text, expected", [
    # a block's opener written twice: the second is the error (the inner block took the
    # outer one's closer, and the closer was reported missing at the end of the file)
    ("turbopascal", "program p;\nvar x: Integer;\nbegin\n  x := 1;\n  begin begin\n"
     "    x := 1;\n  end;\n  x := 2;\nend.\n", (5, "begin", "unexpected 'begin'")),
    ("turbopascal", "program p;\nprocedure P;\nbegin\n  P;\n  begin\n  begin\n    P;\n"
     "  end;\nend;\nprocedure Q;\nbegin\nend;\nbegin\n  P; Q\nend.\n",
     (6, "begin", "unexpected 'begin'")),
    ("lua", "x = 1\ndo do\n  print(1)\nend\nprint(2)\n", (2, "do", "unexpected 'do'")),
    ("lua", "local function f()\n  do\n  do\n    print(1)\n  end\n  print(2)\nend\nprint(3)\n",
     (3, "do", "unexpected 'do'")),
    # a bracket's: the list inside it goes on (the heading failed, then its ')', then
    # the program's '.')
    ("turbopascal", "program p;\nprocedure Swap( (var X, Y: Integer);\nbegin\nend;\n"
     "begin\nend.\n", (2, "(", "unexpected '('")),
    ("turbopascal", "program p;\nvar x: Integer;\nfunction Clamp(a, b: Integer): Integer;\n"
     "begin\n  Clamp := a;\nend;\nbegin\n  x := Clamp( (x, 1);\n  x := 2;\nend.\n",
     (8, "(", "unexpected '('")),
    # the word that opens a list written twice (the list ended at the second, and the
    # block's END IF was an error of its own)
    ("qbasic", "x = 1\nIF x > 1 THEN\n  PRINT 1\nELSE ELSE\n  PRINT 2\nEND IF\nPRINT 3\n",
     (4, "ELSE", "unexpected 'ELSE'")),
    ("lua", "if x then\n  print(1)\nelse else\n  print(2)\nend\nprint(3)\n",
     (3, "else", "unexpected 'else'")),
])
def test_a_doubled_opener_is_one_error_at_the_second(
        language: str, text: str, expected: tuple[int, str, str]) -> None:
    assert errors(language, text) == [expected]


@pytest.mark.parametrize("text, expected", [
    # the last ')' deleted, not the first doubled: the error stays where it is missing
    ("x := ((1 + 2) * 3;\n", "expected ')'"),
])
def test_a_missing_closer_after_nested_brackets_stays_a_missing_closer(
        text: str, expected: str) -> None:
    program = "program p;\nvar x: Integer;\nbegin\n  " + text + "end.\n"
    found = errors("turbopascal", program)
    assert len(found) == 1 and found[0][2].startswith(expected)


# ---------------------------------------------------------------- inside an object


@pytest.mark.parametrize("text, expected", [
    # a method heading's directive without its ';' before the next heading: missing
    # there (the object failed, and each of its method headings became a routine)
    ("program p;\ntype\n  TStack = object\n    Top: Integer;\n"
     "    procedure Push(Value: Integer); virtual\n    function Pop: Integer;\n"
     "  end;\nvar\n  S: TStack;\nbegin\nend.\n",
     (5, "", "expected ';', ',' or ':', found 'function'")),
    ("{$mode objfpc}\nprogram p;\ntype\n  TFoo = class(TObject)\n  private\n"
     "    FA: Integer;\n  public\n    procedure A; override\n    function B: Integer;\n"
     "    property X: Integer read FA;\n  end;\nvar F: TFoo;\nbegin\nend.\n",
     (8, "", "expected ';', ',' or ':', found 'function'")),
    # a field without its name: the line is the skip (``[1..16]`` was an attribute,
    # then ``of Integer;`` a second skip)
    ("program p;\ntype\n  TStack = object\n    : array[1..16] of Integer;\n"
     "    Top: Integer;\n    function Pop: Integer;\n  end;\nvar\n  S: TStack;\n"
     "begin\nend.\n",
     (4, ": array[1..16] of Integer;", "unexpected ':'")),
])
def test_a_mistake_inside_an_object_line_is_one_error(
        text: str, expected: tuple[int, str, str]) -> None:
    assert errors("turbopascal", text) == [expected]


def test_a_misspelt_then_before_a_block_inside_a_sub_is_no_statement() -> None:
    # the form that reaches further with a missing element spans lines (a block IF
    # whose END IF is missing): not kept, ``THENN`` is the error (it was a one-line
    # IF whose statement was the call ``THENN``, an undefined name). (``THEN_`` at a
    # line's end is no misspelling: THEN and a line continuation, as QB64 reads it.)
    text = "SUB D\n  IF F(R) = 0 THENN\n    PRINT 1\n  PRINT 2\nEND SUB\n"
    # (a one-line IF's statement must start on its line, ``!NEWLINE``: the error is
    # where THEN was expected, before ``THENN``)
    assert errors("qbasic", text) == [(2, "", "expected 'GOTO' or 'THEN', found 'THENN'")]


def test_a_form_reaching_further_with_two_errors_is_not_kept() -> None:
    # the coordinates' ',' missing: the statement is one error (the form that reached
    # the end of the line had two: the ',' and then the ')')
    text = "SCREEN 12\nLINE (20, 20)-(620 460), 7, B\nPRINT 1\n"
    assert len(errors("qbasic", text)) == 1


# ---------------------------------------------------------------- a closer written twice

DOUBLED_END = """program Demo;
var
  C: integer;

procedure Reset(var C: integer);
begin
  C := 0;
  Inc(C);
end
end;

procedure Bump(var C: integer);
begin
  C := C + 1;
end;

begin
  Reset(C);
  Bump(C);
end.
"""

# the case's ``end;`` written twice: it closed the loop's block, and the ``else``
# after it was an error of its own, then the program's ``end.`` one more
DOUBLED_CASE_END = """program Demo;
var
  I: integer;
begin
  I := 3;
  while I > 0 do
  begin
    case I of
      1: WriteLn('one');
      2:
      begin
        WriteLn('two');
      end;
      end;
    else
      WriteLn('many');
    end;
    I := I - 1;
  end;
end.
"""

DOUBLED_END_IF = """SUB Show (n AS INTEGER)
    DIM i AS INTEGER
    FOR i = 1 TO n
        IF i > 2 THEN
            PRINT i
        END IF
        END IF
        PRINT "x"
    NEXT i
END SUB

Show 5
"""


def test_a_doubled_end_before_the_routines_semicolon_is_one_error_there() -> None:
    # it was "expected ';'" there and the ``end`` then the unit's, missing its '.'
    found = errors("turbopascal", DOUBLED_END)
    assert [(line, covered) for line, covered, _ in found] == [(10, "end")]


@pytest.mark.parametrize(("language", "text", "line", "covered", "after"), [
    ("turbopascal", DOUBLED_CASE_END, 14, "end", "I := I - 1"),
    ("qbasic", DOUBLED_END_IF, 7, "END IF", "NEXT i"),
])
def test_a_stray_closer_is_one_error_and_the_list_goes_on(
        language: str, text: str, line: int, covered: str, after: str) -> None:
    # the closer at another indentation than its construct's first line is the one
    # written too often: the list around it goes on past it
    found = errors(language, text)
    assert found == [(line, covered, f"unexpected '{covered.split()[0]}'")]
    # the statements after it stay in their construct, in no error node
    tree = parse(bundled(language), text).root
    skipped = [n.text for n in tree.descendants() if n.kind == "ERROR"]
    assert skipped == [covered] and after in tree.text


# ---------------------------------------------------------------- a header without its word

HEADERS_WITHOUT_WORDS = """best = 0
n = 1 TO 10
    s = n * n
    IF s > best THEN best = s
NEXT n
PRINT best

FUNCTION Steps% (start AS LONG)
    count = 0
    x = start
    x <> 1
        IF x MOD 2 = 0 THEN x = x \\ 2 ELSE x = 3 * x + 1
        count = count + 1
    WEND
    Steps% = count
END FUNCTION
"""


def test_a_block_header_without_its_word_is_one_error_at_the_header() -> None:
    # the FOR's and the WHILE's lines (their headers end with an expression, not a
    # word) were each an error, then their NEXT and WEND, and the function's END
    found = errors("qbasic", HEADERS_WITHOUT_WORDS)
    assert found == [(2, "", "expected 'FOR', found 'n'"),
                     (11, "", "expected 'WHILE', found 'x'")]


ORPHAN_WEND = """FUNCTION Steps% (start AS LONG)
    count = 0
    x = start
    x <> 1 + count
        count = count + 1
    WEND
    Steps% = count
END FUNCTION
"""


def test_an_orphan_closer_under_a_skipped_line_is_the_rest_of_that_mistake() -> None:
    text = ORPHAN_WEND.replace("x <> 1 + count", "x <> 1 )")
    # no header parses there (``x <> 1 )`` is no WHILE's rest either): the line is one
    # error, its WEND (at the line's indentation) the rest of it, and the function's
    # END is its own again
    found = errors("qbasic", text)
    assert [line for line, _, _ in found] == [4]


# ---------------------------------------------------------------- indented blocks

INDENTED = Path(__file__).resolve().parents[1] / "fixtures" / "grammar" / "indented.yaml"


def block_lines(text: str, kind: str) -> list[list[str]]:
    """Per node of ``kind`` (a block), the first word of each line it holds after its
    header's."""
    tree = parse(load_definition(INDENTED), text)
    return [[line.split()[0] for line in node.text.split("\n")[1:] if line.strip()]
            for node in tree.root.descendants_of_kind(kind)]


@pytest.mark.parametrize("text, line, blocks", [
    # a wrong line in a routine's block: the routine goes on past it
    ("def f(x):\n    a = 1\n    b = = 2\n    c = 3\n    return a\n", 3,
     [["a", "b", "c", "return"]]),
    # the first line of the block
    ("def f(x):\n    b = ) 2\n    return x\n", 2, [["b", "return"]]),
    # in a nested block: that block goes on, then the routine's
    ("def f(x):\n    if x:\n        a = 1\n        b = * 2\n        c = 3\n"
     "    return a\n", 4,
     [["if", "a", "b", "c", "return"], ["a", "b", "c"]]),
])
def test_a_wrong_line_inside_an_indented_block_is_one_error_and_the_block_goes_on(
        text: str, line: int, blocks: list[list[str]]) -> None:
    found = parse(load_definition(INDENTED), text).errors
    assert [text.count("\n", 0, e.start) + 1 for e in found] == [line]
    assert block_lines(text, "body") == blocks
