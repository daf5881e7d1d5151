"""A keyword-level definition served through its block style's template runs its
programs from the template's own tree, through the ``run:`` annotations the template
writes (``syntax/template_runs.py``), as a grammar-defined language's do: each program
here gives the same output through either engine."""

from __future__ import annotations

import io
import re
from functools import cache

import pytest

from craftls.codegen.errors import BuildError
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.catalog import BUNDLED_DIR
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition

# (language, program, its output): each written for the construct it tries
PROGRAMS = [
    # ELSEIF chains, a one-line IF with ELSE, WHILE ... WEND, FOR ... NEXT i with STEP
    ("basic", 'FUNCTION Grade(n AS INTEGER) AS STRING\n  IF n > 8 THEN\n    RETURN "A"\n'
              '  ELSEIF n > 5 THEN\n    RETURN "B"\n  ELSEIF n > 2 THEN\n    RETURN "C"\n'
              '  ELSE\n    RETURN "D"\n  END IF\nEND FUNCTION\n'
              'FOR i = 9 TO 0 STEP -3\n  PRINT Grade(i);\nNEXT i\nPRINT ""\n'
              'k = 0\nWHILE k < 3\n  k = k + 1\nWEND\nIF k = 3 THEN PRINT "three" ELSE PRINT "no"\n',
     "ABCD\nthree\n"),
    # else if, break and continue, for over a list and over a range, `in` of a list
    ("curly", "let xs: [int] = [4, 7, 1, 9];\nlet total: int = 0;\n"
              "for x in xs {\n  if (x == 7) { continue; } else if (x == 9) { break; }\n"
              "  total = total + x;\n}\nprint(total);\n"
              "for i in 1..3 { print(i); }\nprint(7 in xs, 5 in xs);\n",
     "5\n1\n2\n3\ntrue false\n"),
    # a CASE statement with a range label, an array with bounds, REPEAT ... UNTIL
    ("pascal", "program P;\nvar a: array[1..3] of integer;\n  i: integer;\nbegin\n"
               "  i := 0;\n  repeat\n    i := i + 1;\n    a[i] := i * i\n  until i = 3;\n"
               "  case a[2] of\n    1..3: writeln('small');\n    4: writeln('four')\n"
               "  else writeln('other')\n  end\nend.\n",
     "four\n"),
    # elif/otherwise on indented suites, a loop over a string's characters
    ("teachlang", 'count = 0\nrepeat_for ch inside "banana":\n'
                  '    when ch == "a":\n        count = count + 1\n'
                  '    orwhen ch == "n":\n        count = count + 10\n'
                  '    otherwise:\n        count = count + 100\n'
                  'show(count)\n',
     "123\n"),
]


@cache
def served_by(language: str, engine: str) -> LanguageDefinition:
    """The bundled definition served by ``engine`` whichever its file chooses."""
    text = re.sub(r"(?m)^  engine: .*\n", "",
                  (BUNDLED_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    text = text.replace("structure:\n", f"structure:\n  engine: {engine}\n", 1)
    definition, problems = load_definition_text(text, language)
    assert definition is not None and problems == [], problems
    return definition


def _run(language: str, engine: str, text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(served_by(language, engine), text, "prog", out, err, io.StringIO())
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("language", "text", "output"), PROGRAMS,
                         ids=[p[0] for p in PROGRAMS])
def test_a_program_runs_alike_through_the_template_s_own_lowering(
        language: str, text: str, output: str) -> None:
    assert served_by(language, "template").grammar is not None
    assert _run(language, "keywords", text) == (0, output, "")
    assert _run(language, "template", text) == (0, output, "")


def test_what_the_template_s_annotations_do_not_explain_is_a_build_error() -> None:
    """No guess and no fallback to the keyword-level parser: a construct the template's
    run: annotations give no meaning is refused at its place."""
    definition = served_by("curly", "template")
    with pytest.raises(BuildError) as raised:
        build_program(definition, "let d = {1: 2};\nprint(d);\n", "prog")
    assert any("not supported by craftls run/build" in p.message
               for p in raised.value.problems)
