"""Grammar-defined languages run from their rules' ``run:`` annotations: what each
construct does, what is refused at its place, and how the annotation is read."""

from __future__ import annotations

import io

import pytest

from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition_text
from craftls.language.run_spec import parse_selector


def run(language: str, text: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = interpret(bundled(language), text, "prog", out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_lua_locals_are_new_variables_until_the_end_of_their_block() -> None:
    text = ("local x = 1\ndo\n  local x = 2\n  print(x)\nend\nprint(x)\n"
            "for i = 1, 2 do local x = i * 10 end\nprint(x)\n"
            "local function f(n)\n  local y = n\n  if n > 0 then\n    local y = 0\n"
            "  end\n  return y\nend\nprint(f(5))\n")
    assert run("lua", text) == (0, "2\n1\n1\n5\n", "")


def test_lua_loop_variable_is_the_loops_own_and_globals_are_set_from_functions() -> None:
    text = ("i = 7\nfor i = 1, 3 do end\nprint(i)\n"
            "function bump()\n  total = (total or 0) + 1\nend\nbump()\nbump()\nprint(total)\n")
    assert run("lua", text) == (0, "7\n2\n", "")  # a global not yet assigned is nil
    text = "i = 7\nfor i = 3, 1, -1 do print(i) end\nprint(i)\nfunction g() n = 4 end\ng()\nprint(n)\n"
    assert run("lua", text) == (0, "3\n2\n1\n7\n4\n", "")


def test_lua_multiple_assignment_takes_every_value_first() -> None:
    text = ("a, b = 1, 2\na, b = b, a\nprint(a, b)\nlocal c = 3\nc, a = a, c\nprint(a, c)\n"
            "local d, e = c, a\nprint(d, e)\n")
    assert run("lua", text) == (0, "2\t1\n3\t2\n2\t3\n", "")


def test_lua_declarations_of_fewer_values_than_names_give_nil() -> None:
    assert run("lua", "local a, b = 1\nprint(a, b)\n") == (0, "1\tnil\n", "")


def test_lua_operators_follow_the_language() -> None:
    assert run("lua", "print(7 // 2, -7 // 2, -7 % 3, 7 / 2, 'a' .. 1, not (1 < 2))\n") == (
        0, "3\t-4\t2\t3.5\ta1\tfalse\n", "")


@pytest.mark.parametrize(("text", "where", "what"), [
    ("print(table.insert({}, 1))\n", "1:13", "the library function table.insert is not "
                                            "runnable"),
    ("for k, v in next, t do end\n", "1:13", "the builtin 'next' is not runnable"),
    ("local function f() return ('a'):gsub('a', 'b') end\n", "1:27", "the 2 results of "
                                                                      "string.gsub"),
])
def test_lua_constructs_without_a_meaning_are_refused_at_their_place(
        text: str, where: str, what: str) -> None:
    code, out, err = run("lua", text)
    assert code == 1 and out == ""
    assert f"prog:{where}: error: {what}" in err


def test_turbo_pascal_routines_var_parameters_arrays_and_function_results() -> None:
    text = ("program P;\nconst N = 3;\nvar A: array[1..N] of Integer; I, S: Integer; R: Real;\n"
            "procedure Twice(var X: Integer);\nbegin\n  X := X * 2\nend;\n"
            "function Sum(K: Integer): Integer;\nbegin\n  if K = 0 then Sum := 0 "
            "else Sum := K + Sum(K - 1)\nend;\n"
            "begin\n  for I := N downto 1 do A[I] := I * I;\n  S := A[1] + A[2] * A[3];\n"
            "  Twice(S);\n  R := 2;\n  WriteLn(S, ' ', Sum(4), ' ', R, ' ', -7 div 2, ' ',"
            " -7 mod 2, ' ', 1 + 2 * 3 = 7, ' ', not (S > 1));\n"
            "  repeat I := I + 5 until I > 12;\n  WriteLn(I)\nend.\n")
    assert run("turbopascal", text) == (0, "74 10 2.0 -3 -1 true false\n16\n", "")


def test_turbo_pascal_refuses_what_has_no_meaning_at_its_place() -> None:
    text = ("program P;\ntype T = record X: Integer end;\nvar P: ^Integer;\nbegin\n"
            "  P := @P;\n  WriteLn(3 in 'abc')\nend.\n")
    code, _, err = run("turbopascal", text)
    assert code == 1
    assert "prog:5:8: error: the operator '@' is not supported" in err
    assert "prog:6:13: error: 'in' runs only on a set (its right operand)" in err


def test_qbasic_functions_subs_print_and_precedence() -> None:
    text = ("DECLARE FUNCTION Sq (n)\nx = 3\nPRINT Sq(x); \" \"; NOT x = 3 AND 1 < 2\n"
            "PRINT \"a\";\nPRINT \"b\"\nShow 2\nIF x > 2 THEN PRINT \"big\" ELSE PRINT \"small\"\n"
            "END\nFUNCTION Sq (n)\n    x = n * n\n    Sq = x\nEND FUNCTION\n"
            "SUB Show (k)\n    FOR i = 1 TO k: PRINT i; : NEXT\n    PRINT\nEND SUB\n")
    assert run("qbasic", text) == (0, " 9  false\nab\n 1  2 \nbig\n", "")


def test_qbasic_parameters_passed_by_reference_may_not_be_assigned() -> None:
    text = "SUB S (n)\n    n = 1\nEND SUB\nSUB T (BYVAL n)\n    n = 1\nEND SUB\n"
    code, _, err = run("qbasic", text)
    assert code == 1
    assert "prog:2:5: error: assigning to the parameter 'n'" in err
    assert "prog:5:" not in err


@pytest.mark.parametrize(("text", "where", "what"), [
    ("DIM BYREF x\n", "1:5", "'BYREF' in 'dim statement'"),
    ("REDIM a(5)\n", "1:1", "'redim statement' (its rule has no run: annotation)"),
    ("GOSUB 10\n", "1:7", "no GOSUB subroutine '10'"),
    ("x = RND(1)\n", "1:5", "RND takes 0 argument(s), 1 given"),
    ("x = ATN(1)\n", "1:5", "the builtin 'ATN' is not runnable"),
])
def test_qbasic_refusals(text: str, where: str, what: str) -> None:
    code, _, err = run("qbasic", text)
    assert code == 1 and f"prog:{where}: error: {what}" in err


MINI = """\
name: Mini
id: mini
extensions: [".mini"]
lexical: {{identifier: '[a-z]+', case_sensitive: true}}
keywords:
  print: {{spelling: say}}  # a keyword: no name
operators:
  - {{symbol: "+", precedence: 1}}
  - {{symbol: "-", precedence: 1}}
builtins:
  - {{name: show, implements: print_line, params: [{{name: v, type: any}}]}}
structure: {{statements: newline}}
grammar:
  start: file
  rules:
    file: "stmt*"
    stmt: "call / assign"
    assign:
      match: "IDENT '=' sum"
      assigns: variable
      run: {run}
    value: "IDENT / NUMBER"
    call:
      match: "IDENT '(' sum ')'"
      call: true
      run: {{is: call, callee: 1, args: "'('"}}
    sum:
      match: "value (('+' / '-') value)*"
      run: {{is: binary, ops: {{'+': add}}}}
"""


def load(run_value: str) -> tuple[object, list[str]]:
    definition, problems = load_definition_text(MINI.format(run=run_value), "mini.yaml")
    return definition, [f"{p.line}:{p.column}: {p.severity}: {p.message}" for p in problems]


def test_a_definition_of_its_own_runs_from_its_annotations() -> None:
    definition, problems = load('{is: assign, target: 1, value: "\'=\'"}')
    assert problems == []
    out, err = io.StringIO(), io.StringIO()
    code = interpret(definition, "x = 1 + 2\nshow(x + 4)\nshow(x - 1)\n", "p.mini", out,  # type: ignore[arg-type]
                     err, io.StringIO())
    assert (code, out.getvalue()) == (1, "")
    assert "p.mini:3:8: error: the operator '-' is not supported" in err.getvalue()
    code = interpret(definition, "x = 1 + 2\nshow(x + 4)\n", "p.mini", out, err,  # type: ignore[arg-type]
                     io.StringIO())
    assert (code, out.getvalue()) == (0, "7\n")


@pytest.mark.parametrize(("value", "message"), [
    ("{is: loops}", "'run.is' in rule 'assign' must be one of"),
    ('{is: assign, target: "\'x"}', "is no selector"),
    ("{is: assign, colour: red}", "warning: unknown key 'run.colour' in rule 'assign'"),
    ("{is: assign, locals: some}", "'run.locals' in rule 'assign' must be one of assigned, all"),
    ("[1]", "'run' in rule 'assign' must be a construct name or a mapping with 'is'"),
    ("{is: call, operation: fly}", "warning: 'run.operation' in rule 'assign' must name a "
     "runtime operation, on 'is: call' only; ignored"),
    ("{is: assign, operation: write}", "'run.operation' in rule 'assign' must name a runtime "
     "operation, on 'is: call' only"),
    ("{is: type_name, types: {INTEGER: whole}}", "'run.types' in rule 'assign' must map type "
     "names to one of int, float, bool, str"),
    ("{is: call, subscripts: 1}", "'run.subscripts' in rule 'assign' must be true or false"),
    ("{is: print, zone_width: 0}", "'run.zone_width' in rule 'assign' must be a whole number "
     "from 1 to 1000"),
    ("{is: while, several: true}", "warning: 'run.several' in rule 'assign' is for 'is: "
     "return' only; ignored"),
    ("{is: return, several: 1}", "'run.several' in rule 'assign' must be true or false"),
    ("{is: call, varargs: ['...']}", "warning: 'run.varargs' in rule 'assign' is for a "
     "function only; ignored"),
])
def test_annotation_problems_are_reported_at_their_place(value: str, message: str) -> None:
    _, problems = load(value)
    assert any(message in p and p.startswith("21:") for p in problems), problems


def test_selectors() -> None:
    after, = parse_selector("'to'|'downto'") or ()
    assert (after.kind, after.tokens) == ("after", ("to", "downto"))
    path = parse_selector("numeric_for/','#2") or ()
    assert [(s.kind, s.rule, s.tokens, s.group) for s in path] == [
        ("rule", "numeric_for", (), 0), ("after", "", (",",), 2)]
    assert [s.kind for s in parse_selector("before ':='") or ()] == ["before"]
    assert [s.kind for s in parse_selector("from '='") or ()] == ["from"]
    assert [(s.kind, s.number) for s in parse_selector("-1") or ()] == [("nth", -1)]
    assert parse_selector("'unclosed") is None


ENUMS = """\
name: Enums
id: enums
extensions: [".enums"]
lexical: {identifier: '[a-zA-Z]+', case_sensitive: true}
keywords:
  enum: {spelling: enum, category: declaration}
operators:
  - {symbol: "!", precedence: 1}
  - {symbol: "|", precedence: 1}
  - {symbol: "-", precedence: 1}
builtins:
  - {name: show, implements: print_line, params: [{name: v, type: any}]}
  - {name: magnitude, implements: abs, params: [{name: v, type: any}]}
structure: {statements: newline}
grammar:
  start: file
  rules:
    file: "stmt*"
    stmt: "enum_decl / shout / call"
    enum_decl:
      match: "'enum' IDENT '{' member % ',' '}'"
      declares: type
      run: {is: enum, values: member, ignore: 1}
    member: {match: "IDENT", declares: constant}
    shout:
      match: "'!' value"
      run: {is: call, function: show}
    call:
      match: "IDENT '(' value ')'"
      call: true
      run: {is: call, callee: 1, args: "'('"}
    value: "size / negative / IDENT / NUMBER"
    negative: {match: "'-' NUMBER", run: {is: unary, ops: {'-': neg}}}
    size:
      match: "'|' value '|'"
      run: {is: call, function: magnitude}
"""


def test_a_whole_language_grammar_runs_enum_statements_and_run_function_calls() -> None:
    from craftls.semantics.resolve import resolve_names
    from craftls.syntax.parse import parse

    definition, problems = load_definition_text(ENUMS, "enums.yaml")
    assert definition is not None and definition.grammar is not None, problems
    assert [p.message for p in problems if p.severity in ("error", "warning")] == []
    text = "enum Color { Red, Green, Blue }\n! Blue\nshow(Green)\n! |-7|\nshow(|Red|)\n"
    parsed = parse(definition, text)
    assert parsed.errors == []
    names = resolve_names(parsed)  # the members are constants of the file's scope
    kinds = {s.name: str(s.kind) for s in names.symbols}
    assert {n: kinds.get(n) for n in ("Color", "Red", "Green", "Blue")} == {
        "Color": "type", "Red": "constant", "Green": "constant", "Blue": "constant"}
    assert not [r for r in names.references if r.symbol is None and r.builtin is None]
    out, err = io.StringIO(), io.StringIO()
    code = interpret(definition, text, "p.enums", out, err, io.StringIO())
    assert (code, out.getvalue(), err.getvalue()) == (0, "2\n1\n7\n0\n", "")
