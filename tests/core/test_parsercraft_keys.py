"""ParserCraft syntax keys that change what a program may say, each shown by its
effect: raw strings, BASIC's ``a(i)`` indexing, ``{k = v}`` maps, any array start
index, calls without parentheses, functions without their keyword, blocks whose
closing keyword may be left out."""

from __future__ import annotations

import io
from pathlib import Path

from craftls.codegen.runner import interpret
from craftls.features.analysis import analyze_with_types
from craftls.language.explain import explain
from craftls.language.loader import load_definition, load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax import kinds as K
from craftls.syntax.parse import parse

CONFIGS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "parsercraft-configs"


def config(text: str) -> LanguageDefinition:
    definition, problems = load_definition_text(text, "t.yaml")
    assert definition is not None, problems
    assert [p.message for p in problems] == []
    again, _ = load_definition_text(explain(definition), "explained")  # --explain keeps it
    assert again is not None and again.structure == definition.structure
    assert again.lexical == definition.lexical
    return definition


def messages(definition: LanguageDefinition, text: str) -> list[str]:
    analysis = analyze_with_types(parse(definition, text), None)
    return [f"{d.severity}: {d.message}" for d in analysis.diagnostics if d.severity != "hint"]


PYTHONISH = "name: T\nkeywords:\n  def: fn\n"


def test_raw_string_prefixes_keep_their_backslashes() -> None:
    raw = config(PYTHONISH + "parsing_config:\n  allow_raw_strings: true\n"
                             "  raw_string_prefix: r\n")
    plain = config(PYTHONISH + "parsing_config:\n  allow_raw_strings: false\n")
    text = 'path = r"C:\\new\\" + R"x"\nprint(path)\n'
    tokens = [t.text for node in parse(raw, text).root.descendants_of_kind(K.LITERAL)
              for t in node.tokens() if t.kind == "string"]
    assert tokens == ['r"C:\\new\\"', 'R"x"']  # raw: the backslash does not escape '"'
    assert messages(raw, text) == []
    assert messages(plain, text) != []  # r is a name, then a string: not a statement


def test_parenthesised_index_reads_the_element_type() -> None:
    gw = load_definition(CONFIGS / "gw_basic.yaml")
    assert gw.structure.index_open == "("
    text = '10 LET A = [1, 2, 3]\n20 LET N = A(1) + 1\n30 PRINT N; A(2) - A(3)\n'
    analysis = analyze_with_types(parse(gw, text), None)
    report = analysis.types
    found = report.type_at(text.index("A(1)") + 3)
    assert found is not None and report.display(found.type).lower() in ("int", "integer")
    assert messages(gw, text) == []
    plain = messages(load_definition(CONFIGS / "basic_like.yaml"),
                     "DIM items(3)\nLET n = items(1)\n")
    assert plain == []  # '[' languages still accept a call-shaped use


def test_a_key_value_separator_other_than_colon() -> None:
    gw = load_definition(CONFIGS / "gw_basic.yaml")
    assert gw.structure.key_value == "="
    parsed = parse(gw, '10 LET M = {"a" = 1, "b" = 1 = 2}\n')
    assert len(list(parsed.root.descendants_of_kind(K.DICT_EXPR))) == 1
    assert messages(gw, '10 LET M = {"a" = 1, "b" = 1 = 2}\n20 PRINT M\n') == []
    assert messages(gw, '10 LET M = {"a": 1}\n20 PRINT M\n') == ["error: expected '='"]


def test_any_array_start_index_is_the_interpreters_and_checkers_base() -> None:
    minus = config(PYTHONISH + "syntax_options:\n  array_start_index: -1\n")
    assert minus.structure.index_base == -1
    out = io.StringIO()
    code = interpret(minus, "xs = [10, 20, 30]\nprint(xs[-1], xs[1])\n", "t", out,
                     io.StringIO(), io.StringIO())
    assert code == 0 and out.getvalue().split() == ["10", "30"]


def test_parentheses_required_decides_calls_without_them() -> None:
    loose = config(PYTHONISH + "syntax:\n  parentheses_required: false\n")
    strict = config(PYTHONISH + "syntax:\n  parentheses_required: true\n")
    text = 'print "hi"\nif 1 > 0:\n    print("a")\n'
    assert messages(loose, text) == []
    assert messages(strict, text) == [
        "error: expected a new line or ';' after the statement, found '\"hi\"'"]
    # conditions never need parentheses (pascal_like says true, its programs write none)
    assert messages(strict, 'if (1 > 0):\n    print("a")\n') == []


def test_functions_without_their_keyword_in_an_indentation_language() -> None:
    lisp = load_definition(CONFIGS / "lisp_like.yaml")
    assert lisp.structure.function_keyword_required is False
    text = "double(x):\n    return x * 2\ndisplay(double(2))\ndouble(1, 2)\n"
    parsed = parse(lisp, text)
    assert parsed.root.child_of_kind(K.FUNCTION_DECL) is not None
    assert messages(lisp, text) == ["error: 'double' takes 1 argument, 2 given"]
    python = load_definition(CONFIGS / "python_like.yaml")
    assert parse(python, text).root.child_of_kind(K.FUNCTION_DECL) is None


def test_function_keyword_optional_outside_indentation_is_warned() -> None:
    _, problems = load_definition_text("name: T\nkeywords:\n  begin: BEGIN\n  end: END\n"
                                       "syntax:\n  function_keyword_required: false\n")
    assert [(p.line, p.severity) for p in problems] == [(6, "warning")]
    assert "only in an indentation language" in problems[0].message


def test_a_block_whose_end_may_be_left_out_ends_at_its_dedent() -> None:
    ml = load_definition(CONFIGS / "functional_ml.yaml")
    assert ml.structure.block_end_required is False
    text = ("let total := 0\nwhile total < 3 do\n  total := total + 1\n"
            "  if total = 2 then\n    print_endline(\"two\")\n"
            "print_endline(string_of_int(total))\n")
    assert messages(ml, text) == []
    loop = parse(ml, text).root.child_of_kind(K.WHILE_STMT)
    assert loop is not None and "print_endline(string_of_int" not in loop.text
    with_end = text.replace("\nprint_endline(string", "\nend\nprint_endline(string")
    assert messages(ml, with_end) == []
    ruby = load_definition(CONFIGS / "ruby_like.yaml")  # block_end_required: true
    assert messages(ruby, "while 1 > 2 do\n  puts(1)\nputs(2)\n") == [
        "error: expected 'end' to close 'while'"]
