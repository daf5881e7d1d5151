"""Lua programs run as Lua 5.4 runs them, in the interpreter, compiled to C and compiled
to WebAssembly: the bit operators, integer and real arithmetic and the way Lua writes a
real, ``and``/``or`` giving an operand and Lua's truth, tables (array and hash parts,
named and keyed fields, ``pairs``/``ipairs``), the generic ``for``, patterns
(``gsub``, ``gmatch``, ``match``), ``string.format``, ``table.sort`` with a function
value, method calls on strings, the library functions a definition's ``members`` name,
``goto continue``, closures, varargs, multiple results, methods on tables through a
metatable's ``__index`` and ``__len`` (the example queue.lua). Each expected output is
what ``lua5.4`` printed for the program (checked by hand once). Random programs
(hypothesis) compare the three targets on tables, ``pairs`` with ``sort``,
``string.format``, patterns, multiple results, varargs, closures and methods, and the
last four with ``lua5.4`` too where it is installed."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    pytest.param(
     'local t = {10, 20, x = 1, ["y z"] = 2, [3] = 30, [true] = "yes"}\n'
     'print(#t, t[1], t[3], t.x, t["y z"], t[true], t.nothing, t[4])\n'
     't.x = nil\n'
     't[#t + 1] = 40\n'
     't[6] = 60\n'
     't[5] = 50\n'
     'print(#t, t[5], t[6], t[2.0])\n'
     'local keys = {}\n'
     'for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. "=" .. tostring(v) end\n'
     'table.sort(keys)\n'
     'print(table.concat(keys, " "))\n'
     'for i, v in ipairs({"a", "b", nil, "d"}) do io.write(i, v, " ") end\n'
     'print()\n'
     't[#t] = nil\n'
     'print(#t, t == t, {} == {})\n',
     '3\t10\t30\t1\t2\tyes\tnil\tnil\n'
     '6\t50\t60\t20\n'
     '1=10 2=20 3=30 4=40 5=50 6=60 true=yes y z=2\n'
     '1a 2b \n'
     '5\ttrue\tfalse\n',
     id='tables and pairs'),
    pytest.param(
     'local s = "Hello, World! 42 times; x=7"\n'
     'print(s:upper(), s:lower(), ("ab"):rep(3), string.rep("ab", 3, "-"), ("x"):rep(0))\n'
     'print(s:gsub("o", "0"), (s:gsub("%d+", "<%0>")), (s:gsub("%s", "")))\n'
     'print(select("#", s:gsub("l", "L")), select(2, "a", "b", "c"), select(-1, "a", "b", "c"))\n'
     'for w in s:gmatch("%a+") do io.write("[", w, "]") end\n'
     'print()\n'
     'for w in ("one two  three"):gmatch("[^ ]*") do io.write("<", w, ">") end\n'
     'print()\n'
     'print(s:match("%d+"), s:match("^H%a*"), s:match("^W"), s:match("[A-Z]%l+", 3), s:match("x=%d$"))\n'
     'print(("a.b.c"):gsub("%.", "%%"), ("abc"):gsub("", "-"), (("hello world"):gsub("o", "0", 1)))\n'
     'print(("  trim  "):gsub("^%s+", ""), ("key = value"):match("%w+%s*=%s*%w+"))\n'
     'print(("aaa"):gsub("a-", "x"), ("aaa"):gsub("a?", "x"), (("[x]"):gsub("[%[%]]", "")))\n',
     'HELLO, WORLD! 42 TIMES; X=7\thello, world! 42 times; x=7\tababab\tab-ab-ab\t\n'
     'Hell0, W0rld! 42 times; x=7\tHello, World! <42> times; x=<7>\tHello,World!42times;x=7\n'
     '2\tb\tc\n'
     '[Hello][World][times][x]\n'
     '<one><two><><three>\n'
     '42\tHello\tnil\tWorld\tx=7\n'
     'a%b%c\t-a-b-c-\thell0 world\n'
     'trim  \tkey = value\n'
     'xaxaxax\txxx\tx\n',
     id='string methods and patterns'),
    pytest.param(
     'print(string.format("%d|%5d|%-5d|%05d|%+d|%x|%X|%o|%c", 42, 42, 42, 42, 42, 255, 255, 8, 65))\n'
     'print(string.format("%s|%10s|%-10s|%.2s|%5.1s|", "abc", "abc", "abc", "abc", "abc"))\n'
     'print(string.format("%f|%.2f|%8.3f|%-8.1f|%e|%.3E|%g|%g|%g|%G", 3.14159, 3.14159, 2.5, 2.25, 12345.678, 0.00012, 1e20, 0.1, 100000, 1e-10))\n'
     'print(string.format("%5.2f %g %d %s %s %%", 1/3, 2^53, 3.0, 1.5, 10))\n'
     'print(string.format("%-6s %2d %s", "the", 4, string.rep("*", 4)))\n'
     'print(string.format("%s %s %s", true, nil, 2^63), string.format("%.14g", 0.1), ("%d"):format(7))\n',
     '42|   42|42   |00042|+42|ff|FF|10|A\n'
     'abc|       abc|abc       |ab|    a|\n'
     '3.141590|3.14|   2.500|2.2     |1.234568e+04|1.200E-04|1e+20|0.1|100000|1E-10\n'
     ' 0.33 9.0072e+15 3 1.5 10 %\n'
     'the     4 ****\n'
     'true nil 9.2233720368548e+18\t0.1\t7\n',
     id='string.format'),
    pytest.param(
     'local people = {\n'
     '  {name = "ann", age = 31}, {name = "bob", age = 25}, {name = "cy", age = 31}, {name = "di", age = 19},\n'
     '}\n'
     'table.sort(people, function(a, b)\n'
     '  if a.age ~= b.age then return a.age > b.age end\n'
     '  return a.name < b.name\n'
     'end)\n'
     'for i, p in ipairs(people) do print(i, p.name, p.age) end\n'
     'local nums = {5, 3, 9, 1, 7}\n'
     'table.sort(nums)\n'
     'print(table.concat(nums, ","))\n'
     'table.sort(nums, function(a, b) return a > b end)\n'
     'print(table.concat(nums, ","))\n'
     'local words = {"pear", "Apple", "fig"}\n'
     'table.sort(words)\n'
     'print(table.concat(words, " "))\n'
     'local byLen = function(a, b) return #a < #b end\n'
     'table.sort(words, byLen)\n'
     'print(table.concat(words, " "))\n',
     '1\tann\t31\n'
     '2\tcy\t31\n'
     '3\tbob\t25\n'
     '4\tdi\t19\n'
     '1,3,5,7,9\n'
     '9,7,5,3,1\n'
     'Apple fig pear\n'
     'fig pear Apple\n',
     id='table.sort with a function value'),
    pytest.param(
     "local function counter(start)\n"
     "  local n = start\n"
     "  local function get() return n end\n"
     "  return function(by) n = n + (by or 1); return n end, get\n"
     "end\n"
     "local up, get = counter(10)\n"
     "up(); up(5)\n"
     "local up2 = counter(0)\n"
     "print(up(), get(), up2(), up2(2), get())\n"
     "local function scale(i)\n"
     "  return function(x) return x * i end\n"
     "end\n"
     "local fns = {}\n"
     "for i = 1, 3 do\n"
     "  fns[i] = scale(i)\n"
     "end\n"
     "print(fns[1](2), fns[3](2))\n"
     "local function outer(a)\n"
     "  local b = a * 2\n"
     "  return function(c)\n"
     "    return function() a = a + 1; return a + b + c end\n"
     "  end\n"
     "end\n"
     "local f = outer(1)(100)\n"
     "print(f(), f(), select('#', f()))\n",
     "17\t17\t1\t3\t17\n"
     "2\t6\n"
     "104\t105\t1\n",
     id='closures'),
    pytest.param(
     "local function pack2(...) return {...}, select('#', ...) end\n"
     "local t, n = pack2(1, nil, 3, nil)\n"
     "print(n, #t, t[1], t[3])\n"
     "local function first(a, ...) return a, select('#', ...) end\n"
     "print(first())\n"
     "print(first(9, 8, 7))\n"
     "local function sum(...)\n"
     "  local s = 0\n"
     "  for _, v in ipairs({...}) do s = s + v end\n"
     "  return s\n"
     "end\n"
     "print(sum(), sum(1, 2, 3), (sum(4, 5)))\n"
     "local function pass(...) return ... end\n"
     "print(pass(1, 2), pass(3, 4))\n"
     "print((select(2, pass(\"a\", \"b\", \"c\"))), select(-1, pass(\"a\", \"b\", \"c\")))\n"
     "local a, b, c, d = pass(1, 2), pass(3, 4)\n"
     "print(a, b, c, d)\n"
     "local function none() end\n"
     "print(none(), select('#', none()), select('#', (none())))\n"
     "print(#{pass(1, 2, 3)}, #{pass(1, 2, 3), 10})\n",
     "4\t3\t1\t3\n"
     "nil\t0\n"
     "9\t2\n"
     "0\t6\t9\n"
     "1\t3\t4\n"
     "b\tc\n"
     "1\t3\t4\tnil\n"
     "nil\t0\t1\n"
     "3\t2\n",
     id='varargs and multiple results'),
    pytest.param(
     "local Account = {}\n"
     "Account.__index = Account\n"
     "function Account.new(owner, balance)\n"
     "  return setmetatable({owner = owner, balance = balance or 0}, Account)\n"
     "end\n"
     "function Account:deposit(n) self.balance = self.balance + n; return self end\n"
     "function Account:report() return self.owner .. \": \" .. self.balance end\n"
     "local Savings = setmetatable({}, {__index = Account})\n"
     "Savings.__index = Savings\n"
     "function Savings.new(owner) local s = Account.new(owner, 100); return setmetatable(s, Savings) end\n"
     "function Savings:report() return \"savings \" .. Account.report(self) end\n"
     "local a, s = Account.new(\"ann\"), Savings.new(\"bob\")\n"
     "print(a:deposit(5):deposit(7):report(), s:deposit(1):report())\n"
     "print(a.missing, s.deposit == a.deposit, s.report == a.report)\n"
     "local Stack = setmetatable({}, {__index = {size = function(self) return #self.items end}})\n"
     "Stack.items = {1, 2, 3}\n"
     "print(Stack:size(), #setmetatable({}, {__len = function(t) return 42 end}))\n",
     "ann: 12\tsavings bob: 101\n"
     "nil\ttrue\tfalse\n"
     "3\t42\n",
     id='methods and metatables'),
    pytest.param(
     'local t = setmetatable({1}, {__index = {nil, 2, 3}})\n'
     'for i, v in ipairs(t) do io.write(i, v, " ") end print()\n',
     '11 22 33 \n',
     id='ipairs through __index'),
    pytest.param(
     "local function fib2(n) if n < 2 then return n, 1 end local a, c = fib2(n - 1) return a + fib2(n - 2), c + 1 end\n"
     "print(fib2(10))\n"
     "local function fwd(...) return select('#', ...), ... end\n"
     "print(fwd(nil, nil))\n"
     "print(fwd(fwd(1, nil)))\n"
     "local function mk()\n"
     "  local x = 0\n"
     "  local function inc() x = x + 1 end\n"
     "  local function get() return x end\n"
     "  return inc, get\n"
     "end\n"
     "local i1, g1 = mk()\n"
     "i1(); i1()\n"
     "print(g1())\n"
     "local t = {n = 0}\n"
     "function t.add(k) t.n = t.n + k return t.n end\n"
     "print(t.add(2), t.add(3))\n"
     "local w = {}\n"
     "function w:f(...) return self == w, select('#', ...) end\n"
     "print(w:f(1, 2), w.f(w))\n"
     "local function three() return 1, 2, 3 end\n"
     "local x, y = three(), 10\n"
     "print(x, y, (three()))\n"
     "do\n"
     "  local acc = {}\n"
     "  local function push(...) for _, v in ipairs({...}) do acc[#acc + 1] = v end return #acc end\n"
     "  print(push(1, 2), push(three()), table.concat(acc, \",\"))\n"
     "end\n",
     "55\t10\n"
     "2\tnil\tnil\n"
     "3\t2\t1\tnil\n"
     "2\n"
     "2\t5\n"
     "true\ttrue\t0\n"
     "1\t10\t1\n"
     "2\t5\t1,2,1,2,3\n",
     id='recursion with several results, forwarding, local functions in a block'),
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
    ("local t = {}\nt[nil] = 1\n", "prog.lua:2:3: runtime error: table index is nil"),
    ("local t = {}\nt[{}] = 1\n", "prog.lua:2:3: runtime error: a table key must be a number, "
                                 "a string or a boolean, not a table (craftls)"),
    ('print((("abc"):gsub("(a)", "x")))\n', "prog.lua:1:16: runtime error: string.gsub: a "
                                           "capture in a pattern is not supported by craftls (captures, %b, "
                                           "%f and back references are not)"),
    ('print(("abc"):match("a%"))\n', "prog.lua:1:15: runtime error: string.match: malformed "
                                    "pattern (ends with '%')"),
    ('print(("abc"):match("[a"))\n', "prog.lua:1:15: runtime error: string.match: malformed "
                                    "pattern (missing ']')"),
    ('print((("a"):gsub("a", "%2")))\n', "prog.lua:1:14: runtime error: string.gsub: invalid "
                                        "capture index %2 in replacement string"),
    ('print((("a"):gsub("a", {})))\n', "prog.lua:1:14: runtime error: string.gsub: a "
                                    "replacement that is a table is not supported by craftls (a "
                                    "string or a number is)"),
    ('print(string.format("%d", 1.5))\n', "prog.lua:1:14: runtime error: string.format: bad "
                                         "argument #2 (number has no integer representation)"),
    ('print(string.format("%d %s", 1))\n', "prog.lua:1:14: runtime error: string.format: bad "
                                          "argument #3 (no value)"),
    ('print(string.format("%q", "x"))\n', "prog.lua:1:14: runtime error: string.format: "
                                         "invalid conversion '%q' to 'format' (craftls)"),
    ('print(string.format("%5", 1))\n', "prog.lua:1:14: runtime error: string.format: invalid "
                                       "conversion '%5' to 'format'"),
    ('print(string.rep("ab", 1e9))\n', "prog.lua:1:14: runtime error: string.rep: the result "
                                      "is too long (more than 100,000,000 characters)"),
    ('table.sort({3, "a"})\n', "prog.lua:1:7: runtime error: cannot compare a string with a "
                              "integer"),
    ("table.sort({1, 2}, 3)\n", "prog.lua:1:7: runtime error: table.sort: the comparator must "
                               "be a function, not a integer"),
    ("local t = {}\nt:push(1)\n", "prog.lua:2:3: runtime error: no method 'push' in the table"),
    ("local s = 5\ns:push(1)\n", "prog.lua:2:3: runtime error: cannot call the method 'push' of "
                              "a integer"),
    ("local t = {}\nt.x()\n", "prog.lua:2:4: runtime error: cannot call a null"),
    ("local t = {}\nfor x in t do end\n", "prog.lua:2:1: runtime error: cannot call a table"),
    ("setmetatable({}, {__add = 1})\n", "prog.lua:1:1: runtime error: the metamethod __add is not "
                                        "supported by craftls (__index with a table and __len are)"),
    ("local mt = {}\nsetmetatable({}, mt)\nmt.__eq = 1\n", "prog.lua:3:4: runtime error: the "
                                                        "metamethod __eq is not supported by "
                                                        "craftls (__index with a table and "
                                                        "__len are)"),
    ("print(setmetatable({}, {__index = 1}).x)\n", "prog.lua:1:39: runtime error: an __index that "
                                                   "is a integer is not supported by craftls (a "
                                                   "table is)"),
    ("local a = {}\nsetmetatable(a, {__index = a})\nprint(a.x)\n",
     "prog.lua:3:9: runtime error: '__index' chain too long; possible loop"),
    ("setmetatable(1, {})\n", "prog.lua:1:1: runtime error: setmetatable: the first argument must "
                              "be a table, not a integer"),
    ("table.sort({1, 2}, function(a, b) return a.x < b end)\n",
     "prog.lua:1:44: runtime error: no field 'x' in a integer\ntraceback (most recent call "
     "last):\n  prog.lua:1:7: in the main program\n  prog.lua:1:44: in function"),
])
def test_lua_runtime_errors_are_the_same_in_every_target(text: str, message: str) -> None:
    runs = run_everywhere(text)
    assert runs[0][0] == 1 and runs[0][2].startswith(message + "\n"), runs[0]
    assert runs[1] == runs[0] and runs[2] == runs[0]


@pytest.mark.parametrize(("text", "where", "what"), [
    ("for k, v in next, {} do end\n", "1:13", "the builtin 'next' is not runnable"),
    ("print(string.find('a', 'a'))\n", "1:14", "the library function string.find is not"),
    ("print(('a'):gsub('a', 'b'))\n", "1:7", "the 2 results of string.gsub passed on here are "
                                          "not supported"),
    ("local s, n = ('a'):gsub('a', 'b')\n", "1:14", "the 2 results of string.gsub passed on "
                                                  "here are not supported"),
    ("local function f() return 1, 2 end\nio.write(f())\n", "2:10",
     "the results of a call (or '...') passed on as the last argument here are not supported"),
    ("local function f() return 1, 2 end\nprint(math.max(1, f()))\n", "2:19",
     "the results of a call (or '...') passed on as the last argument here are not supported"),
    ("for i = 1, 2 do local x = i\n  g = function() return x end\nend\n", "2:25",
     "a function that uses 'x', a local variable of a loop at the top level"),
    ("for i = 1, 2 do\n  g = function() return i end\nend\n", "2:25",
     "a function that uses 'i', a local variable of a loop at the top level"),
    ("local function h()\n  for i = 1, 2 do g = function() return i end end\nend\n", "2:41",
     "a function value that uses the loop variable 'i' is not supported"),
    ("print(...)\n", "1:7", "'...' outside a function that takes extra arguments"),
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


def test_textstats_prints_what_lua_prints_in_every_target() -> None:
    """The bundled example (its patterns, hash table, sort with a comparator, format)."""
    text = (Path(__file__).resolve().parents[2] / "examples/lua/textstats.lua").read_text()
    assert run_everywhere(text) == [(0, "2 words, 10 different\n"
                                        "the     4 ****\n"
                                        "dog     2 **\n"
                                        "fox     2 **\n", "")] * 3


def agree(text: str) -> tuple[int, str, str]:
    """The interpreter's run, after checking C and WebAssembly give the same."""
    runs = run_everywhere(text)
    assert runs[1] == runs[0] and runs[2] == runs[0], text
    return runs[0]


_KEYS = st.sampled_from(("1", "2", "3", "4", "7", "-1", "0", "2.0", "2.5", "'a'", "'b'",
                         "'k1'", "true", "false"))
_VALUES = st.sampled_from(("nil", "nil", "10", "'x'", "1.5", "true"))
_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=_SLOW)
@given(stores=st.lists(st.tuples(_KEYS, _VALUES), max_size=12),
       appends=st.lists(_VALUES, max_size=4))
def test_random_tables_agree_with_pairs_in_order_and_sorted(
        stores: list[tuple[str, str]], appends: list[str]) -> None:
    """Stores of any key (the array part, its end, the hash part, nil that removes) and
    appends: ``#t``, ``pairs`` in the runtime's order, its keys sorted, ``ipairs``."""
    lines = ["local t = {}"]
    for key, value in stores:
        lines.append(f"t[{key}] = {value}")
    lines += [f"t[#t + 1] = {value}" for value in appends]
    lines += ["local seen, keys = {}, {}",
              "for k, v in pairs(t) do seen[#seen + 1] = tostring(k) .. '=' .. tostring(v) "
              "keys[#keys + 1] = tostring(k) end",
              "print(#t, table.concat(seen, ' '))",
              "table.sort(keys)",
              "local n = 0",
              "for i, v in ipairs(t) do n = i end",
              "print(table.concat(keys, ','), n, t[1], t.a, t[2.0], t[true])"]
    code, out, err = agree("\n".join(lines) + "\n")
    assert code == 0 and err == "" and out.count("\n") == 2


_DIRECTIVES = st.builds(
    lambda flags, width, precision, conv: f"%{flags}{width}{precision}{conv}",
    st.sampled_from(("", "-", "0", "+", " ", "#", "-0", "+ ")),
    st.sampled_from(("", "1", "6", "12")),
    st.sampled_from(("", ".", ".0", ".3", ".12")),
    st.sampled_from("diuxXocseEfFgGq"))
_ARGUMENTS = st.sampled_from(("0", "42", "-7", "255", "65", "2^53", "-2^63", "1e300", "0.1",
                              "-2.5", "1/0", "-1/0", "0.0", "-0.0", "'abc'", "'é€'", "true",
                              "nil", "3.0", "1e-7", "123456.789"))


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=_SLOW)
@given(calls=st.lists(st.tuples(st.lists(st.tuples(_DIRECTIVES, _ARGUMENTS), min_size=1,
                                         max_size=3), st.sampled_from(("", "|", "%%"))),
                      min_size=1, max_size=4))
def test_random_string_formats_agree(calls: list[tuple[list[tuple[str, str]], str]]) -> None:
    """``string.format`` of random directives (flags, widths, precisions, conversions,
    the unsupported ones too) and values of every kind: the same text, or the same error
    at the same call."""
    lines = []
    for directives, sep in calls:
        template = sep.join(d for d, _ in directives)
        args = ", ".join(a.replace("1/0", "(1/0)") for _, a in directives)
        lines.append(f'print(string.format("{template}", {args}))')
    agree("\n".join(lines) + "\n")


_PATTERN_ITEMS = st.tuples(
    st.sampled_from(("a", "b", ".", "%a", "%d", "%s", "%A", "%p", "%w", "%u", "[ab]", "[^a]",
                     "[a-c1]", "[%d.]", "%%", "%.", "1")),
    st.sampled_from(("", "", "*", "+", "-", "?"))).map("".join)


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=_SLOW)
@given(subjects=st.lists(st.text(alphabet="ab1 .%A", max_size=8), min_size=1, max_size=3),
       patterns=st.lists(st.tuples(st.sampled_from(("", "^")), st.lists(
           _PATTERN_ITEMS, min_size=1, max_size=3).map("".join), st.sampled_from(("", "$"))
       ).map("".join), min_size=1, max_size=3))
def test_random_patterns_agree(subjects: list[str], patterns: list[str]) -> None:
    """``gsub``, ``gmatch`` and ``match`` of random patterns over random subjects."""
    lines = []
    for subject in subjects:
        for pattern in patterns:
            s, p = repr(subject), repr(pattern)
            lines.append(f"print((({s}):gsub({p}, '<%0>')), ({s}):match({p}))")
            lines.append(f"for m in ({s}):gmatch({p}) do io.write('[', m, ']') end print()")
    code, out, err = agree("\n".join(lines) + "\n")
    assert code == 0 and err == ""


def test_queue_prints_what_lua_prints_in_every_target() -> None:
    """The bundled example: methods through a metatable's __index, __len, varargs, a
    closure as an iterator in a generic for, a return of several values."""
    text = (Path(__file__).resolve().parents[2] / "examples/lua/queue.lua").read_text()
    assert run_everywhere(text) == [(0, "4\t10\n20 30 40 \n", "")] * 3


LUA54 = shutil.which("lua5.4")


def agree_with_lua(text: str) -> str:
    """The output all three targets give, checked against ``lua5.4`` when it is
    installed (the goldens above were written from it)."""
    code, out, err = agree(text)
    assert (code, err) == (0, ""), err
    if LUA54 is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(text)
        try:
            lua = subprocess.run([LUA54, f.name], capture_output=True, text=True, timeout=60)
        finally:
            os.unlink(f.name)
        assert (lua.returncode, lua.stdout) == (0, out), text
    return out


_SMALL = st.integers(-5, 9).map(str)
_VALUE = st.one_of(_SMALL, st.sampled_from(("nil", "'s'", "true", "2.5")))


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=_SLOW)
@given(results=st.lists(st.lists(_VALUE, max_size=3), min_size=1, max_size=3),
       uses=st.lists(st.sampled_from(range(8)), min_size=1, max_size=6))
def test_random_multiple_results_and_varargs_agree(
        results: list[list[str]], uses: list[int]) -> None:
    """Functions returning 0 to 3 values, used where Lua keeps one, all or a number of
    them: arguments, a table's items, declarations, assignments, ``select``, ``...``."""
    lines = ["local function pass(...) return ... end",
             "local function count(...) return select('#', ...) end"]
    for k, values in enumerate(results):
        lines.append(f"local function f{k}() return {', '.join(values)} end")
    for n, use in enumerate(uses):
        f = f"f{n % len(results)}()"
        lines.append([
            f"print({f})", f"print({f}, 'end')", f"print(count({f}), count({f}, 1))",
            f"print(#{{{f}}}, #{{{f}, 0}})", f"local a, b, c = {f}\nprint(a, b, c)",
            f"local x, y = 0, 0\nx, y = 1, {f}\nprint(x, y)", f"print(pass({f}))",
            f"print(({f}), count(({f})), select('#', pass(1, {f})))"][use])
    agree_with_lua("\n".join(lines) + "\n")


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=_SLOW)
@given(steps=st.lists(st.tuples(st.sampled_from(("a", "b", "c")), st.integers(-3, 5)),
                      min_size=1, max_size=8))
def test_random_closures_and_methods_agree(steps: list[tuple[str, int]]) -> None:
    """Counters sharing cells (two closures over one variable, one per call of the
    maker), an object whose methods are found through ``__index`` and chain: each step
    changes one and prints what every one sees."""
    lines = [
        "local function maker(start)",
        "  local n = start",
        "  local function add(k) n = n + k; return n end",
        "  return add, function() return n end",
        "end",
        "local Obj = {}",
        "Obj.__index = Obj",
        "function Obj.new(v) return setmetatable({v = v}, Obj) end",
        "function Obj:add(k) self.v = self.v + k; return self end",
        "function Obj:get() return self.v end",
        "local addA, getA = maker(0)",
        "local addB, getB = maker(100)",
        "local o = Obj.new(10)",
    ]
    for which, k in steps:
        lines.append({"a": f"addA({k})", "b": f"addB({k})", "c": f"o:add({k}):add(1)"}[which])
        lines.append("print(getA(), getB(), o:get(), #setmetatable({}, {__len = getA}))")
    agree_with_lua("\n".join(lines) + "\n")
