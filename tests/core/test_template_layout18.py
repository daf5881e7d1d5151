"""Formatting through a block style's grammar template (``structure.engine: template``)
lays programs out as the keyword level does (issue 13, one engine): clauses and closers
that are rules of their own after a body (BASIC's ELSEIF, ELSE, END IF, ENDIF, END SUB,
END WHILE; Español's sino_si, sino, fin si, fin para, fin mientras, fin función, fin
procedimiento) at their statement's line, Pascal's record fields one deeper than RECORD
(nested records too), a local VAR section at its routine's depth, an ELSE after a
one-line IF's statement, ELSE IF chains, a CASE arm's BEGIN block and the CASE's ELSE.
Each program is written for this test, laid out as the formatter lays it out; its
re-indented (messy) version formats back to it in both engines. And Pascal's record
member and type hovers through the template."""

from __future__ import annotations

import re

import pytest

from craftls.features import hover, navigation, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.catalog import BUNDLED_DIR
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax.parse import parse

PROGRAMS = {
    "pascal": """\
PROGRAM Nest;
USES Crt;
CONST
  Top = 10;
TYPE
  Point = RECORD
    X, Y : INTEGER;
    Tag : RECORD
      Code : INTEGER;
    END;
  END;
  Row = ARRAY [1..Top] OF INTEGER;
VAR
  P : Point;
  R : Row;
  I, J : INTEGER;

PROCEDURE Show(Q : Point);
VAR
  T : INTEGER;
BEGIN
  T := Q.X;
  IF T > 0 THEN
    WriteLn(T)
  ELSE IF T < 0 THEN
    WriteLn(-T)
  ELSE
    WriteLn(0);
  CASE T OF
    1 : WriteLn(1);
    2 : BEGIN
      WriteLn(2)
    END;
  ELSE
    WriteLn(3)
  END
END;

BEGIN
  P.X := 1;
  P.Tag.Code := 2;
  FOR I := 1 TO Top DO
    FOR J := Top DOWNTO 1 DO
      IF I = J THEN
      BEGIN
        R[I] := J;
        WHILE R[I] > 0 DO
        BEGIN
          R[I] := R[I] - 1
        END
      END
      ELSE
        R[I] := 0;
  REPEAT
    I := I - 1;
    IF I = 3 THEN
      BREAK
  UNTIL I < 0;
  Show(P)
END.
""",
    "basic": """\
' nested blocks
CONST TOP = 10
DIM total AS INTEGER = 0

FUNCTION Twice(n AS INTEGER) AS INTEGER
    IF n > 0 THEN
        RETURN n * 2
    ELSE
        RETURN 0
    END IF
END FUNCTION

SUB Report(v AS INTEGER)
    FOR i = 1 TO v STEP 2
        WHILE i < 3
            i = i + 1
        WEND
        IF i = 4 THEN PRINT i ELSE PRINT 0
        IF i > 5 THEN
            PRINT "big"
        ELSEIF i > 4 THEN
            IF i = 5 THEN
                PRINT "five"
            ENDIF
        ELSEIF i > 3 THEN
            PRINT "mid"
        ELSE
            PRINT "small"
        END IF
    NEXT
END SUB

FOR k = 1 TO TOP
    total = total + Twice(k)
    WHILE total > 100
        total = total - 1
    END WHILE
NEXT k
Report total
""",
    "espanol": """\
-- bloques anidados
constante TOPE = 10
variable suma = 0

función doble(n: Entero): Entero
    si n > 0 entonces
        retornar n * 2
    sino
        retornar 0
    fin si
fin función

procedimiento informe(v: Entero)
    para i = 1 hasta v paso 2 hacer
        mientras i < 3 hacer
            i = i + 1
        fin mientras
        si i > 5 entonces
            escribir("grande")
        sino_si i > 4 entonces
            si i == 5 entonces
                escribir("cinco")
            fin si
        sino_si i > 3 entonces
            escribir("medio")
        sino
            escribir("poco")
        fin si
    fin para
    para x en [1, 2] hacer
        si x == 2 entonces
            salir
        fin si
    fin para
fin procedimiento

para k = 1 hasta TOPE hacer
    suma = suma + doble(k)
fin para
informe(suma)
""",
    "curly": """\
// nested blocks
const TOP: int = 10;
let total: int = 0;

fn twice(n: int) -> int {
    if (n > 0) {
        return n * 2;
    } else if (n < 0) {
        return 0 - n;
    } else {
        return 0;
    }
}

fn report(v: int) {
    for i in range(0, v) {
        while (i < 3) {
            if (i == 2) {
                break;
            }
            continue;
        }
    }
}

for k in range(0, TOP) {
    total = total + twice(k);
}
report(total);
""",
    "teachlang": """\
# nested blocks
remember top = 10
remember total = 0

teach twice(n: int) -> int:
    when n > 0:
        give_back n * 2
    orwhen n < 0:
        give_back 0 - n
    otherwise:
        give_back 0

teach report(v: int) -> int:
    repeat_for i inside range(0, v):
        as_long_as i < 3:
            when i == 2:
                stop
            skip
    give_back v

repeat_for k inside range(0, top):
    total = total + twice(k)
report(total)
""",
}


def _engine(language: str, engine: str) -> LanguageDefinition:
    text = (BUNDLED_DIR / f"{language}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^structure:\n", f"structure:\n  engine: {engine}\n", text, count=1)
    definition, problems = load_definition_text(text, language)
    assert problems == [] and definition is not None
    return definition


def _messy(language: str, text: str) -> str:
    """Every line re-indented to nothing (an indentation language: its spacing messed)."""
    if language == "teachlang":
        return text.replace(" = ", " =  ").replace("(", "( ")
    return "\n".join(line.strip() for line in text.split("\n"))


@pytest.mark.parametrize("engine", ["keywords", "template"])
@pytest.mark.parametrize("language", sorted(PROGRAMS))
def test_both_engines_lay_a_program_out_alike(language: str, engine: str) -> None:
    definition = _engine(language, engine)
    text = PROGRAMS[language]
    parsed = parse(definition, text)
    assert parsed.errors == []
    assert format_text(parsed) == text
    assert format_text(parse(definition, _messy(language, text))) == text


PAIR = ("PROGRAM P;\nTYPE\n  Pair = RECORD\n    Low : INTEGER;\n  END;\nVAR\n  R : Pair;\n"
        "BEGIN\n  R.Low := 1\nEND.\n")


def test_a_record_member_is_its_field_through_the_template() -> None:
    analysis = analyze_with_types(parse(_engine("pascal", "template"), PAIR))
    field, member = PAIR.index("Low"), PAIR.index("Low", PAIR.index("BEGIN"))
    found = navigation.definition(analysis, member)
    assert found is not None and found.start == field
    assert sorted(r.start for r in navigation.references(analysis, field)) == [field, member]
    info = hover.hover(analysis, member)
    assert info is not None and info.markdown.startswith("```pascal\nfield Low: INTEGER\n```")
    tokens = {t.start: t.type for t in semantic_tokens.classify(analysis)}
    assert tokens[member] == "property"


@pytest.mark.parametrize("engine", ["keywords", "template"])
def test_a_record_types_hover_shows_its_definition(engine: str) -> None:
    analysis = analyze_with_types(parse(_engine("pascal", engine), PAIR))
    info = hover.hover(analysis, PAIR.index("Pair", PAIR.index("VAR")))
    assert info is not None
    assert info.markdown.startswith("```pascal\ntype Pair: RECORD\n    Low : INTEGER;\n  END\n```")
