"""Pascal's ``Read`` and ``ReadLn`` (``codegen/lower_reading.py``, ``reading.py``,
``c_reading.py``) in Turbo Pascal: integers and reals are read word by word across
lines, a string takes the rest of the line, ``ReadLn`` then skips past the line break;
each program runs in the interpreter, as C and as WebAssembly with the same output. The
expected outputs of the programs that run were produced by Free Pascal (``fpc -Mtp``,
3.2.2) on the same input; where input is missing or malformed Free Pascal gives 0 or a
numeric-format error 106, and craftls stops with a runtime error at the read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from craftls.codegen.c_emit import generate_c
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text

PASCAL = bundled("turbopascal")


def three(text: str, stdin: str) -> tuple[int, str, str]:
    """The interpreter's run, after checking that C and WebAssembly give the same."""
    runs = []
    for target in ("interp", "wasm"):
        out, err = io.StringIO(), io.StringIO()
        code = interpret(PASCAL, text, "prog", out, err, io.StringIO(stdin), target=target)
        runs.append((code, out.getvalue(), err.getvalue()))
    native = run_c(generate_c(build_program(PASCAL, text, "prog")).text, stdin, timeout=60)
    runs.append((native.returncode, native.stdout, native.stderr))
    assert runs[1] == runs[0] and runs[2] == runs[0]
    return runs[0]


SUM = """program SumUp;
var
  n, i, total: Integer;
  x, y: Real;
  name: String;
begin
  Write('How many? ');
  ReadLn(n);
  total := 0;
  for i := 1 to n do
  begin
    Read(x);
    total := total + Trunc(x);
  end;
  ReadLn;
  ReadLn(name);
  Read(i, y);
  ReadLn(name);
  WriteLn('total=', total, ' name=[', name, '] i=', i, ' y=', y:0:2);
  ReadLn(name);
  WriteLn('[', name, ']');
end.
"""


def test_read_takes_words_across_lines_and_readln_skips_the_rest() -> None:
    # x is read from "1.5 2.5" and then "  7   junk" (blanks and line breaks skipped);
    # ReadLn; skips "   junk"; a string after a number takes the rest of its line
    stdin = "3\n1.5 2.5\n  7   junk\nAda Lovelace\n  42 3.25 rest of line\n\n"
    assert three(SUM, stdin) == (
        0, "How many? total=10 name=[ rest of line] i=42 y=3.25\n[]\n", "")


def test_a_last_line_without_a_line_break_is_read_whole() -> None:
    text = ("program P;\nvar s: String; k: Integer;\nbegin\n  ReadLn(k);\n  ReadLn(s);\n"
            "  WriteLn(k * 2, '/', s, '/');\nend.\n")
    assert three(text, "21\nlast") == (0, "42/last/\n", "")


@pytest.mark.parametrize(("stdin", "error"), [
    ("", "prog:4:10: runtime error: ReadLn: no more input (stdin has ended)"),
    ("   \n\n", "prog:4:10: runtime error: ReadLn: no more input (stdin has ended)"),
    ("12abc\n", "prog:4:10: runtime error: ReadLn: not a whole number: 12abc"),
    ("7\n", "prog:5:8: runtime error: Read: no more input (stdin has ended)"),
    ("7\nx\n", "prog:5:8: runtime error: Read: not a number: x"),
])
def test_input_a_program_does_not_get_fails_clearly(stdin: str, error: str) -> None:
    text = ("program P;\nvar k: Integer; r: Real;\nbegin\n  ReadLn(k);\n  Read(r);\n"
            "  WriteLn(k + r);\nend.\n")
    code, _, err = three(text, stdin)
    assert code == 1
    assert err.startswith(error + "\n")


def test_a_string_with_a_length_reads_like_a_string() -> None:
    text = ("program P;\nvar s: string[8]; t: String;\nbegin\n  ReadLn(s);\n  Read(t);\n"
            "  WriteLn(s, '|', t, '|');\nend.\n")
    assert three(text, "short\n  two words\n") == (0, "short|  two words|\n", "")


def test_readln_alone_without_input_fails_and_read_alone_reads_nothing() -> None:
    text = "program P;\nbegin\n  Read;\n  WriteLn('a');\n  ReadLn;\n  WriteLn('b');\nend.\n"
    assert three(text, "any\n") == (0, "a\nb\n", "")
    code, out, err = three(text, "")
    assert (code, out) == (1, "a\n")
    assert err.startswith("prog:5:3: runtime error: ReadLn: no more input")


@pytest.mark.parametrize(("decl", "call", "where", "what"), [
    ("b: Boolean", "ReadLn(b)", "4:10", "ReadLn into this variable is not supported"),
    ("c: (Red, Green)", "Read(c)", "4:8", "Read into this variable is not supported"),
    ("k: Integer", "k := ReadLn", "4:8", "ReadLn is a statement, not a value"),
    ("c: Char", "ReadLn(c)", "4:10", "ReadLn into this variable is not supported by craftls "
     "run/build: it reads integers, reals and strings (not characters)"),
])
def test_reading_what_it_cannot_is_refused_at_its_place(decl: str, call: str, where: str,
                                                         what: str) -> None:
    text = f"program P;\nvar {decl};\nbegin\n  {call};\nend.\n"
    out, err = io.StringIO(), io.StringIO()
    assert interpret(PASCAL, text, "prog", out, err, io.StringIO("1\n")) == 1
    assert f"prog:{where}: error: {what}" in err.getvalue()


def _pascal_naming_readln(engine: str) -> str:
    """The bundled keyword-level Pascal whose ReadLn names read_values_line, served by
    `engine` (the bundled file's own `engine:` line, if any, replaced)."""
    source = Path(bundled("pascal").source_path or "").read_text(encoding="utf-8")
    text = source.replace("- {name: ReadLn, params:",
                          "- {name: ReadLn, implements: read_values_line, params:")
    assert text != source
    text = text.replace("\n  engine: template\n", "\n")
    assert "\nstructure:\n" in text
    return text.replace("\nstructure:\n", f"\nstructure:\n  engine: {engine}\n", 1)


def test_a_keyword_level_language_naming_the_reading_operations_is_refused() -> None:
    """Only a grammar's run annotations lower Read/ReadLn (from the variables' declared
    types): elsewhere the call is a build error at its place, never a crash."""
    definition, _ = load_definition_text(_pascal_naming_readln("keywords"))
    assert definition is not None
    out, err = io.StringIO(), io.StringIO()
    program = "program P;\nvar x: integer;\nbegin\n  ReadLn(x);\nend.\n"
    assert interpret(definition, program, "prog", out, err, io.StringIO("1\n")) == 1
    assert ("prog:4:3: error: ReadLn (read_values_line) is not supported by craftls "
            "run/build in this language") in err.getvalue()


def test_the_same_language_served_through_its_template_reads() -> None:
    """Served through its template, the same definition's ReadLn is lowered by the
    template's run annotations, from the variable's declared type."""
    definition, _ = load_definition_text(_pascal_naming_readln("template"))
    assert definition is not None
    out, err = io.StringIO(), io.StringIO()
    program = "program P;\nvar x: integer;\nbegin\n  ReadLn(x);\n  WriteLn(x + 1);\nend.\n"
    assert interpret(definition, program, "prog", out, err, io.StringIO("41\n")) == 0
    assert (out.getvalue(), err.getvalue()) == ("42\n", "")
