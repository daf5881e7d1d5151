"""The C back end agrees with the interpreter, byte for byte, on runtime errors, input
and formatting (the examples: test_golden.py); the C and WebAssembly back ends both agree
with it on random programs in each of the five keyword-level bundled languages
(Pascal-style, TeachLang, Español, Curly, BASIC) and the grammar-defined Turbo Pascal
(the same programs), Lua and QBasic (integers, conditions, loops and functions; QBasic
also reals and strings; Lua also reals, strings, bit operators, ``^`` and ``and``/``or``
giving an operand)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.codegen.c_emit import generate_c
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled
from craftls.language.model import LanguageDefinition

from .programs import (
    HAND_WRITTEN,
    Basic,
    Curly,
    Espanol,
    Lua,
    LuaScalar,
    Pascal,
    QBasic,
    Teach,
    TurboPascal,
    int_programs,
    lua_programs,
    programs,
    scalar_programs,
)

# A C compiler is a test requirement (.ci/install-editors.sh installs gcc): without one
# these tests fail rather than skip.


def both(definition: LanguageDefinition, text: str, path: str,
         stdin: str = "") -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(definition, text, path, out, err, io.StringIO(stdin))
    native = run_c(generate_c(build_program(definition, text, path)).text, stdin, timeout=60)
    return (code, out.getvalue(), err.getvalue()), (native.returncode, native.stdout,
                                                    native.stderr)


@pytest.mark.parametrize(("language", "text", "stdin"), HAND_WRITTEN)
def test_runtime_errors_input_and_formatting_agree(language: str, text: str, stdin: str) -> None:
    interpreted, native = both(bundled(language), text, "prog", stdin)
    assert native == interpreted


RENDERERS = [Pascal(), Teach(), Espanol(), Curly(), Basic(), TurboPascal()]


@pytest.mark.parametrize("renderer", RENDERERS, ids=[r.language for r in RENDERERS])
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(program=programs())
def test_random_programs_agree_in_every_back_end(renderer: Pascal, program: dict[str, Any]) -> None:
    agree_everywhere(renderer, program)


def agree_everywhere(renderer: Pascal, program: dict[str, Any]) -> None:
    """The program runs (exit 0) and C and WebAssembly print what the interpreter does."""
    definition = bundled(renderer.language)
    text = renderer.render(program)
    path = "random" + renderer.ext
    interpreted, native = both(definition, text, path)
    assert interpreted[0] == 0, (text, interpreted)
    assert native == interpreted, text
    out, err = io.StringIO(), io.StringIO()
    code = interpret(definition, text, path, out, err, io.StringIO(), target="wasm")
    assert (code, out.getvalue(), err.getvalue()) == interpreted, text


GRAMMAR_RENDERERS = [Lua(), QBasic()]


@pytest.mark.parametrize("renderer", GRAMMAR_RENDERERS,
                         ids=[r.language for r in GRAMMAR_RENDERERS])
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(program=int_programs())
def test_random_integer_programs_agree_in_grammar_defined_languages(renderer: Pascal,
                                                                   program: dict[str, Any]) -> None:
    agree_everywhere(renderer, program)


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(program=scalar_programs())
def test_random_qbasic_programs_with_reals_and_strings_agree(program: dict[str, Any]) -> None:
    agree_everywhere(QBasic(), program)


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(program=lua_programs())
def test_random_lua_programs_with_reals_strings_and_bits_agree(program: dict[str, Any]) -> None:
    agree_everywhere(LuaScalar(), program)


def agree_three(language: str, text: str, stdin: str = "") -> tuple[int, str, str]:
    """The interpreter's run (any exit code), after checking C and WebAssembly agree."""
    definition = bundled(language)
    interpreted, native = both(definition, text, "prog", stdin)
    assert native == interpreted, text
    out, err = io.StringIO(), io.StringIO()
    code = interpret(definition, text, "prog", out, err, io.StringIO(stdin), target="wasm")
    assert (code, out.getvalue(), err.getvalue()) == interpreted, text
    return interpreted


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet="ab xé€😀", max_size=6),
       calls=st.lists(st.tuples(st.integers(-1, 9), st.integers(-1, 7) | st.none()),
                      min_size=1, max_size=4))
def test_mid_agrees_on_random_strings_starts_and_counts(
        text: str, calls: list[tuple[int, int | None]]) -> None:
    """QBasic's MID$ (operation ``mid``): a bad start or count stops every back end at
    the same call with the same message."""
    lines = [f's$ = "{text}"'] + [
        f'PRINT "["; MID$(s$, {start}{"" if count is None else f", {count}"}); "]"'
        for start, count in calls]
    code, out, _ = agree_three("qbasic", "\n".join(lines) + "\n")
    expected = []
    for start, count in calls:
        if start < 1 or (count is not None and count < 0):
            break
        expected.append("[" + text[start - 1:None if count is None else start - 1 + count] + "]\n")
    assert out == "".join(expected)
    assert code == (0 if len(expected) == len(calls) else 1)


_WORDS = st.sampled_from(("12", "-3", "0", "+7", "x", "2.5", "é€", ""))
_LINES = st.lists(st.lists(_WORDS, max_size=3).map(" ".join).flatmap(
    lambda line: st.sampled_from((line, "  " + line, line + "\t"))), max_size=5)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(lines=_LINES, end=st.sampled_from(("\n", "")),
       reads=st.lists(st.tuples(st.sampled_from(("k", "r", "s")), st.booleans()),
                      min_size=1, max_size=5))
def test_read_and_readln_agree_on_random_input(lines: list[str], end: str,
                                               reads: list[tuple[str, bool]]) -> None:
    """Turbo Pascal's Read/ReadLn into integers, reals and strings: every back end reads
    the same words and lines, and stops at the same read when input is missing or
    is not a number."""
    body = [f"  {'ReadLn' if ln else 'Read'}({var});\n  WriteLn('[', {var}, ']');"
            for var, ln in reads]
    text = ("program P;\nvar k: Integer; r: Real; s: String;\nbegin\n" + "\n".join(body)
            + "\nend.\n")
    agree_three("turbopascal", text, "\n".join(lines) + (end if lines else ""))
