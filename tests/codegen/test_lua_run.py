"""Lua programs run as Lua 5.4 runs them, in the interpreter, compiled to C and compiled
to WebAssembly: the bit operators, integer and real arithmetic and the way Lua writes a
real, ``and``/``or`` giving an operand and Lua's truth, tables of positional fields as
lists, the library functions a definition's ``members`` name, ``goto continue``. Each
expected output is what ``lua5.4`` printed for the program (checked by hand once)."""

from __future__ import annotations

import io

import pytest

from craftls.codegen.c_emit import generate_c
from craftls.codegen.errors import BuildError
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled

LUA = bundled("lua")


def run_everywhere(text: str) -> list[tuple[int, str, str]]:
    """The run of ``text`` in the interpreter, in C and in WebAssembly."""
    runs = []
    for target in ("interp", "wasm"):
        out, err = io.StringIO(), io.StringIO()
        code = interpret(LUA, text, "prog.lua", out, err, io.StringIO(), target=target)
        runs.append((code, out.getvalue(), err.getvalue()))
    native = run_c(generate_c(build_program(LUA, text, "prog.lua")).text, "", timeout=60)
    runs.append((native.returncode, native.stdout, native.stderr))
    return runs


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(
     'print(0xF0 | 0x0F, 6 & 3, 6 ~ 3, ~5, 1 << 62, 1 << 63, 1 << 64, -1 >> 1, 8 >> -2, 3 << -1)\n'
     'print(math.type(1), math.type(1.0), math.type("1"), 7 // 2, 7.5 // 2 == 3.0)\n',
     '255\t2\t5\t-6\t4611686018427387904\t-9223372036854775808\t0\t9223372036854775807\t32\t1\n'
     'integer\tfloat\tnil\t3\ttrue\n',
     id='bits'),
    pytest.param(
     'print(0.1 + 0.2, 1 / 3, 2 ^ 0.5, 2 ^ 10, 10 / 2, 1e15, 1e16, -0.0, 3 % 2, 0x1p4, 0xA.8p0)\n'
     'print(100 * 1.1, 1e-5, 123456.789e3, tostring(2.5), 255 // 1)\n',
     '0.3\t0.33333333333333\t1.4142135623731\t1024.0\t5.0\t1e+15\t1e+16\t-0.0\t1\t16.0\t10.5\n'
     '110.0\t1e-05\t123456789.0\t2.5\t255\n',
     id='reals'),
    pytest.param(
     'local t = nil\n'
     'print(t and t.x or "none", false or nil, nil and 1, 0 and "zero is true", "" or 1)\n'
     'print(1 < 2 and "yes" or "no", (1 > 2) and "yes" or "no", not (nil and 1 or false))\n'
     'function count()\n'
     '  seen = (seen or 0) + 1\n'
     '  return seen\n'
     'end\n'
     'count()\n'
     'print(count(), undefined_global == nil)\n',
     'none\tnil\tnil\tzero is true\t\n'
     'yes\tno\ttrue\n'
     '2\ttrue\n',
     id='logic'),
    pytest.param(
     'local t = {10, 20, 30}\n'
     't[#t + 1] = 40\n'
     't[2] = t[2] + 1\n'
     'print(#t, t[1], t[2], t[4], table.concat(t, ", "), table.concat({}), table.concat({1, 2.5, "x"}))\n'
     'local words = {}\n'
     'for i = 1, 5 do\n'
     '  if i % 2 == 0 then goto continue end\n'
     '  words[#words + 1] = string.upper("w" .. i)\n'
     '  ::continue::\n'
     'end\n'
     'print(table.concat(words, "-"), #words, string.len("hello"), math.max(3, 7.5), math.floor(-2.5))\n'
     'io.write(1, " ", 2.0, " ", "three", "\\n")\n'
     'io.write(-0.0, " ", 1e100, " ", 2^53, " ", 0.5, " ", 3, "\\n")\n',
     '4\t10\t21\t40\t10, 21, 30, 40\t\t12.5x\n'
     'W1-W3-W5\t3\t5\t7.5\t-3\n'
     '1 2 three\n'
     '-0 1e+100 9.007199254741e+15 0.5 3\n',
     id='tables'),
    pytest.param(
     'local n, steps = 10, 0\n'
     'while n do\n'
     '  steps = steps + 1\n'
     '  if steps > 3 then n = nil end\n'
     'end\n'
     'repeat steps = steps - 1 until steps == 0 and "done"\n'
     'print(steps, -7 // 2, -7 % 3, 7 % -3, -7.5 // 2, 7.5 % -2, 5.0 // 0.3, 2^-1)\n',
     '0\t-4\t2\t-2\t-4.0\t-0.5\t16.0\t0.5\n',
     id='loops'),
    pytest.param(
     'local text = [[\nThe quick\nbrown]]\n'
     'print(text, #text, [==[a]]b]==], [[]])\n',
     'The quick\n'
     'brown\t15\ta]]b\t\n',
     id='long strings'),
])
def test_lua_programs_print_what_lua_prints_in_every_target(text: str, expected: str) -> None:
    assert run_everywhere(text) == [(0, expected, "")] * 3


@pytest.mark.parametrize(("text", "message"), [
    ("local x = 1.5\nprint(3 & x)\n", "prog.lua:2:9: runtime error: & needs integers, not "
                                      "integer and real"),
    ("print(~'a')\n", "prog.lua:1:7: runtime error: ~ needs integers, not string"),
    ("local z = 0\nprint(7 // z)\n", "prog.lua:2:9: runtime error: division by zero"),
    ("print(1 % 0.0)\n", "prog.lua:1:9: runtime error: division by zero"),
    ("print(table.concat({1, true}))\n", "prog.lua:1:13: runtime error: table.concat: the "
                                         "element at 2 is a boolean, not a string or a number"),
    ("local t = {}\nt[3] = 1\n", "prog.lua:2:3: runtime error: index 3 out of range (the "
                                "list is empty)"),
])
def test_lua_runtime_errors_are_the_same_in_every_target(text: str, message: str) -> None:
    runs = run_everywhere(text)
    assert runs[0][0] == 1 and runs[0][2].startswith(message + "\n"), runs[0]
    assert runs[1] == runs[0] and runs[2] == runs[0]


@pytest.mark.parametrize(("text", "where", "what"), [
    ("local s = 'a'\nprint(s:upper())\n", "2:8", "'method call' in 'suffixed'"),
    ("local t = {x = 1}\n", "1:12", "'named field' (its rule has no run: annotation)"),
    ("local f = function() end\n", "1:11", "'function expression' (its rule has no run:"),
    ("for i, v in ipairs({}) do end\n", "1:6", "'generic for' in 'for statement'"),
    ("print(string.format('%d', 1))\n", "1:14", "the library function string.format is not"),
    ("local function f(...) end\n", "1:18", "'...' in a parameter is not supported"),
])
def test_lua_constructs_without_a_meaning_are_refused_in_every_target(
        text: str, where: str, what: str) -> None:
    """Refused before anything runs, at the construct's line and column: never run with
    the construct left out, in any target."""
    for target in ("interp", "wasm"):
        out, err = io.StringIO(), io.StringIO()
        code = interpret(LUA, text, "prog.lua", out, err, io.StringIO(), target=target)
        assert code == 1 and out.getvalue() == ""
        assert f"prog.lua:{where}: error: {what}" in err.getvalue()
    with pytest.raises(BuildError) as raised:
        generate_c(build_program(LUA, text, "prog.lua"))
    assert f"prog.lua:{where}: error: {what}" in raised.value.format("prog.lua", text)
