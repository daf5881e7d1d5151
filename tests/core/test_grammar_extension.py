"""``grammar.extends: keywords``: forms a grammar adds to a keyword-level language
(examples/curlyplus: the bundled Curly with `repeat ... until`, `enum`, `250 ms`, an infix
`pow` and a postfix `!`), on the one keyword-level parser and tree."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.features import hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.features.formatting import format_edits, format_text, whole_file_edits
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.model import SymbolKind
from craftls.syntax.incremental import TextEdit
from craftls.syntax.parse import parse
from craftls.syntax.tokens import TRIVIA
from craftls.syntax.tree import SyntaxNode

from .test_incremental import assert_edits_reparse_as_fresh, draw_edits

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "curlyplus"
SAMPLE = (EXAMPLE / "countdown.cplus").read_text(encoding="utf-8")
DEFINITION_TEXT = (EXAMPLE / "curlyplus.yaml").read_text(encoding="utf-8")


@cache
def curlyplus() -> LanguageDefinition:
    definition, problems = load_definition_text(DEFINITION_TEXT)
    assert definition is not None and definition.grammar_extension is not None, problems
    assert definition.grammar is None  # the keyword-level parser parses the file
    return definition


def analysis(text: str) -> FileAnalysis:
    return analyze_with_types(parse(curlyplus(), text))


def shape(node: SyntaxNode) -> str:
    """The node as nested kinds and token texts: ``power(2 pow power(3 pow 2))``."""
    parts = []
    for child in node.children_with_tokens():
        if isinstance(child, SyntaxNode):
            parts.append(shape(child) if child.kind not in ("NAME_REF", "LITERAL")
                         else child.text)
        elif child.kind not in TRIVIA:
            parts.append(child.text)
    return f"{node.kind}({' '.join(parts)})"


def first_of(text: str, kind: str) -> SyntaxNode:
    parsed = parse(curlyplus(), text)
    found = next((n for n in parsed.root.descendants() if n.kind == kind), None)
    assert found is not None, kind
    return found


# ---------------------------------------------------------------- parsing

def test_the_example_parses_clean_and_lossless() -> None:
    parsed = parse(curlyplus(), SAMPLE)
    assert parsed.errors == []
    assert parsed.root.text == SAMPLE
    kinds = {n.kind for n in parsed.root.descendants()}
    assert {"repeat_until", "enum_decl", "enum_member", "duration", "power", "factorial",
            "FUNCTION_DECL", "LET_STMT", "BLOCK"} <= kinds


def test_operator_forms_bind_by_their_precedence() -> None:
    # pow (7) is right-associative and tighter than * (6); ! (8) tighter than pow
    assert shape(first_of("x = 2 pow 3 pow 2;", "power")) == \
        "power(2 pow power(3 pow 2))"
    assert shape(first_of("x = a * b pow 2;", "BINARY_EXPR")) == \
        "BINARY_EXPR(a * power(b pow 2))"
    assert shape(first_of("x = n! pow 2 + 1;", "BINARY_EXPR")) == \
        "BINARY_EXPR(power(factorial(n !) pow 2) + 1)"
    # the language's own postfix forms still apply to a form's operand
    assert shape(first_of("x = f(n)!;", "factorial")) == "factorial(CALL_EXPR(f ARG_LIST(( n ))) !)"


def test_statement_forms_hold_the_language_s_own_statements() -> None:
    node = first_of("repeat { x = x - 1; print(x); } until x == 0;", "repeat_until")
    assert shape(node) == ("repeat_until(repeat BLOCK({ ASSIGN_STMT(x = BINARY_EXPR(x - 1) ;) "
                           "EXPR_STMT(CALL_EXPR(print ARG_LIST(( x ))) ;) }) until "
                           "BINARY_EXPR(x == 0) ;)")


def test_a_literal_form_is_an_operand_and_a_plain_number_still_is_one() -> None:
    assert shape(first_of("let d = 250 ms + 3;", "BINARY_EXPR")) == \
        "BINARY_EXPR(duration(250 ms) + 3)"
    assert parse(curlyplus(), "let d = 250 + 3;").errors == []


def test_a_mistake_in_a_form_is_one_error_and_parsing_goes_on() -> None:
    text = "repeat { x = 1; } until ;\nlet y = 2;\n"
    parsed = parse(curlyplus(), text)
    assert [e.message for e in parsed.errors] == ["expected expression, found ';'"]
    assert parsed.root.text == text
    assert any(n.kind == "LET_STMT" for n in parsed.root.descendants())
    missing = parse(curlyplus(), "enum Color { Red, Green\nlet y = 2;\n")
    # the PEG engine's message, as a whole-language grammar's: everything that could go on
    assert [e.message for e in missing.errors][:1] == ["expected ',' or '}', found 'let'"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("repatuniolms!{}();=, \n0123456789xyz") + [
    " repeat ", " until ", " enum ", " ms ", " pow ", "!", "{", "}", ";"]), max_size=60))
def test_any_text_parses_losslessly(pieces: list[str]) -> None:
    text = "".join(pieces)
    parsed = parse(curlyplus(), text)
    assert parsed.root.text == text


FRAGMENTS = ["", "x", "1", " ", "\n", ";", "(", ")", "{", "}", "!", "repeat ", "until ",
             "enum E { A }", " ms", " pow ", "=", "fn f() {", ","]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_incremental_reparse_equals_parse_from_scratch(data: st.DataObject) -> None:
    edits: list[TextEdit] = data.draw(st.composite(
        lambda draw: draw_edits(draw, SAMPLE, FRAGMENTS, 12))())
    assert_edits_reparse_as_fresh(curlyplus(), SAMPLE, edits)


def test_an_edit_a_step_before_a_nested_block_looked_at_reparses_that_step_too() -> None:
    """A `repeat` step (the extension's) ends before a brace block and looked through the
    block's first token `let`; deleting the blank and `d` after it (`letelay`) lengthens
    that token, so the step's lookahead grows: the block's list is not parsed alone.
    (Found by the differential above.)"""
    text = SAMPLE.replace("(n - 1);\n}\n\nfn main()", "(n -repeat n main()", 1)
    assert "repeat n main() {" in text
    at = text.index("let delay") + len("let")
    assert_edits_reparse_as_fresh(curlyplus(), text, [TextEdit(at, at + 2, "")])


# ---------------------------------------------------------------- the definition's checks

def problems(grammar: str) -> list[tuple[str, int, int, str]]:
    text = DEFINITION_TEXT[:DEFINITION_TEXT.index("grammar:")] + grammar
    _, found = load_definition_text(text)
    offset = DEFINITION_TEXT[:DEFINITION_TEXT.index("grammar:")].count("\n")
    return [(p.message, p.line - offset, p.column, p.severity) for p in found]


def test_what_is_not_understood_is_a_warning_at_its_line_and_column() -> None:
    found = problems("""grammar:
  extends: keywords
  start: x
  forms:
    statement: [swap, nothing]
    circumfix: [swap]
    postfix: {bang: high}
  rules:
    swap: "'swap' IDENT ',' IDENT"
    bang: "'!'"
""")
    assert found == [
        ("unknown key 'grammar.start' in a grammar that extends the keyword-level language "
         "(known: extends, forms, rules); ignored", 3, 3, "warning"),
        ("form statement names rule 'nothing', which is not defined; ignored", 5, 23,
         "warning"),
        ("unknown form 'grammar.forms.circumfix' (known: statement, operand, prefix, infix, "
         "postfix); ignored", 6, 5, "warning"),
        ("postfix form 'bang' needs a precedence: a whole number >= 0 on the scale of the "
         "definition's operators; ignored", 7, 21, "warning"),
        ("rule 'bang' is used by no form (grammar.forms) and by no rule of one", 10, 5,
         "warning"),
        ("'swap' in rule 'swap' is not a keyword of the language: it matches by its text but "
         "lexes as a name (not highlighted or completed as a keyword); add it under "
         "'keywords'", 9, 12, "warning"),
    ]
    assert problems("grammar:\n  extends: everything\n  rules: {a: \"'!'\"}\n") == [
        ("'grammar.extends' must be 'keywords' (the definition's keyword-level language); "
         "the grammar is ignored", 2, 12, "warning")]


def test_a_rejected_form_is_a_warning_in_an_extension() -> None:
    """``error`` (a rejected form) is the grammar engine's: an extension's parser makes
    no such error, so the key is reported, not silently ignored."""
    found = problems("""grammar:
  extends: keywords
  forms:
    statement: [swap]
  rules:
    swap:
      match: "'swap' IDENT ',' IDENT"
      error: "no swapping"
""")
    assert ("'error' in rule 'swap' does nothing in a grammar that extends a keyword-level "
            "language; ignored", 8, 14, "warning") in found


def test_grammar_errors_reject_the_extension_with_their_place() -> None:
    found = problems("""grammar:
  extends: keywords
  forms:
    operand: [again, empty]
    statement: [stmt]
  rules:
    again: "expression '!'"
    empty: "'!'?"
    stmt: "statement ';'"
    expression: "'x'"
""")
    errors = [f for f in found if f[3] == "error"]
    assert errors == [
        ("rule 'expression' is the keyword-level language's own; choose another name",
         10, 5, "error"),
        ("operand form 'again' begins with 'expression', which would try the form again "
         "before consuming a token (left recursion); begin it with a token, or make it an "
         "infix or postfix form", 4, 15, "error"),
        ("operand form 'empty' can match without consuming a token", 4, 22, "error"),
        ("statement form 'stmt' begins with 'statement', which would try the form again "
         "before consuming a token (left recursion); begin it with a token", 5, 17, "error"),
    ]
    text = DEFINITION_TEXT[:DEFINITION_TEXT.index("grammar:")] + \
        "grammar:\n  extends: keywords\n  forms: {statement: [s]}\n  rules: {s: \"'<>' x\"}\n"
    definition, found_all = load_definition_text(text)
    assert definition is None
    assert {p.message for p in found_all if p.severity == "error"} == {
        "unknown rule 'x' in rule 's'",
        "the lexer never produces '<>' as one token, so this literal in rule 's' can never "
        "match: a symbol is one token only when it is an operator, a keyword's spelling, "
        "one of the structure's symbols (assignment, separators) or fixed punctuation "
        "(( ) [ ] { } , ; : . ..): list it under 'operators'"}


# ---------------------------------------------------------------- editor features

def test_names_declared_by_a_form_resolve_hover_and_rename() -> None:
    result = analysis(SAMPLE)
    assert [d.message for d in result.diagnostics if d.severity in ("error", "warning")] == []
    symbols = {(s.name, s.kind) for s in result.model.symbols}
    assert {("Color", SymbolKind.TYPE), ("Red", SymbolKind.CONSTANT),
            ("Green", SymbolKind.CONSTANT), ("Blue", SymbolKind.CONSTANT)} <= symbols
    use = SAMPLE.index("Green;")
    info = hover.hover(result, use)
    assert info is not None and "constant Green" in info.markdown
    target = navigation.definition(result, use)
    assert target is not None and target.start == SAMPLE.index("Green")
    spans = navigation.rename_spans(result, use, "Lime")
    assert sorted(s.start for s in spans) == [SAMPLE.index("Green"), use]
    assert [s.name for s in outline.document_symbols(result)][:4] == [
        "Color", "Red", "Green", "Blue"]


def test_an_undefined_name_inside_a_form_is_reported() -> None:
    result = analysis("fn main() {\n    repeat { print(missing); } until done;\n}\n")
    assert sorted(d.message for d in result.diagnostics if d.severity == "warning") == [
        "undefined name 'done'", "undefined name 'missing'"]


def test_formatting_lays_out_forms_as_statements_and_is_idempotent() -> None:
    messy = ("enum   Color {Red,Green};\nfn main() {\nlet d=250   ms;\nrepeat {\n"
             "d = d!  pow 2;\n}   until d==0;\n}\n")
    formatted = format_text(parse(curlyplus(), messy))
    assert formatted == ("enum Color {Red, Green};\nfn main() {\n    let d = 250 ms;\n"
                         "    repeat {\n        d = d! pow 2;\n    } until d == 0;\n}\n")
    assert format_text(parse(curlyplus(), formatted)) == formatted
    flat = "\n".join(line.strip() for line in SAMPLE.splitlines()) + "\n"
    assert format_text(parse(curlyplus(), flat)) == SAMPLE


def test_range_formatting_inside_and_around_forms_agrees_with_the_whole_file() -> None:
    lines = SAMPLE.splitlines()
    messy = "\n".join(("  " if i % 3 == 0 else "") + line.strip()
                      for i, line in enumerate(lines)) + "\n"
    messy = messy.replace("count = count - 1", "count=count-1").replace("2 pow 3", "2  pow   3")
    parsed = parse(curlyplus(), messy)
    changed = 0
    for first in range(len(lines)):
        for last in range(first, min(len(lines), first + 3)):
            edits = format_edits(parsed, line_range=(first, last))
            assert edits == whole_file_edits(parsed, line_range=(first, last))
            changed += bool(edits)
    assert changed > len(lines)  # the messy lines, forms' lines among them, are edited


def test_semantic_tokens_and_folding_cover_the_forms() -> None:
    result = analysis(SAMPLE)
    found = {(SAMPLE[t.start:t.start + t.length], t.type)
             for t in semantic_tokens.classify(result)}
    assert {("repeat", "keyword"), ("until", "keyword"), ("enum", "keyword"),
            ("ms", "keyword"), ("pow", "keyword"), ("!", "operator"),
            ("Color", "type"), ("factorial", "function")} <= found
    repeat = SAMPLE.index("repeat")
    assert (repeat, SAMPLE.index(";", SAMPLE.index("until")) + 1) in {
        (f.start, f.end) for f in outline.folding_ranges(result)}


def test_completion_offers_the_new_keywords() -> None:
    at = SAMPLE.index("    let shade")
    text = SAMPLE[:at] + "    re\n    un\n    en\n" + SAMPLE[at:]
    result = analysis(text)
    for typed, word in (("re", "repeat"), ("un", "until"), ("en", "enum")):
        offset = text.index(f"    {typed}\n") + 4 + len(typed)
        labels = {(c.label, c.kind) for c in complete(result, offset)[0]}
        assert (word, "keyword") in labels, (typed, labels)


def test_completion_offers_first_the_word_a_form_goes_on_with() -> None:
    """The engine notes the literals a form tried at the cursor, as for a grammar-defined
    language: after a `repeat` body, `until`."""
    text = "fn main() {\n    let x = 1;\n    repeat {\n        x = x - 1;\n    } \n}\n"
    offset = text.index("} \n") + 2
    candidates = complete(analysis(text), offset)[0]
    assert (candidates[0].label, candidates[0].kind) == ("until", "keyword")
    assert [c.label for c in candidates].count("until") == 1
    assert "x" in [c.label for c in candidates]  # the names in scope still follow
    typed = text[:offset] + "un" + text[offset:]
    assert [c.label for c in complete(analysis(typed), offset + 2)[0]][:1] == ["until"]
    after = text.index("let x")  # where no form is open, nothing is put first
    assert complete(analysis(text), after)[0][0].label != "until"


def test_the_example_validates_against_the_shipped_json_schema() -> None:
    import json

    import jsonschema

    from craftls.language.catalog import BUNDLED_DIR
    from craftls.language.yamlsource import load_yaml
    schema = json.loads((BUNDLED_DIR.parent / "definition.schema.json").read_text())
    jsonschema.validate(load_yaml(DEFINITION_TEXT).data, schema)
    wrong = load_yaml(DEFINITION_TEXT.replace("postfix: {factorial: 8}",
                                              "postfix: {factorial: high}")).data
    try:
        jsonschema.validate(wrong, schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("a precedence that is no number passed the schema")


def test_a_prefix_form_parses_its_operand_at_its_precedence() -> None:
    text = DEFINITION_TEXT.replace(
        "  pow: {spelling: pow,", "  neg: {spelling: neg, category: operator}\n"
                                  "  pow: {spelling: pow,").replace(
        "    postfix: {factorial: 8}", "    postfix: {factorial: 8}\n    prefix: {negate: 6}"
    ).replace("    factorial: {", "    negate: \"'neg'\"\n    factorial: {")
    definition, found = load_definition_text(text)
    assert definition is not None, found
    parsed = parse(definition, "x = neg a * b + c;")
    assert parsed.errors == []
    node = next(n for n in parsed.root.descendants() if n.kind == "BINARY_EXPR")
    # precedence 6: the operand takes `a * b` (6), not `+ c` (5)
    assert shape(node) == "BINARY_EXPR(negate(neg BINARY_EXPR(a * b)) + c)"


def test_an_edit_inside_a_form_reparses_one_statement() -> None:
    from craftls.syntax.incremental import apply_edit

    parsed = parse(curlyplus(), SAMPLE)
    at = SAMPLE.index("count - 1") + len("count - ")
    edited, stats = apply_edit(parsed, TextEdit(at, at + 1, "2"))
    assert stats.strategy == "item"
    assert edited.green == parse(curlyplus(), edited.text).green


def test_an_extended_definition_survives_the_definition_cache(tmp_path: Path) -> None:
    from craftls.language.definition_cache import load_cached

    path = tmp_path / "curlyplus.yaml"
    path.write_text(DEFINITION_TEXT, encoding="utf-8")
    stored = load_cached(path, tmp_path / "cache")
    again = load_cached(path, tmp_path / "cache")  # read back from the pickle
    assert list((tmp_path / "cache").glob("curlyplus-*.pickle"))
    assert again.grammar_extension == stored.grammar_extension is not None
    assert parse(again, SAMPLE).green == parse(curlyplus(), SAMPLE).green


def test_nested_forms_that_fail_parse_once_each_and_stay_lossless() -> None:
    # every level is matched as written, then again in recovery mode: what the
    # language's own statements made is replayed, not parsed again (2^15 otherwise)
    text = "fn main() {\n" + "repeat {\n" * 15 + "x = 1;\n" + "}\n" * 15 + "}\n"
    parsed = parse(curlyplus(), text)
    assert parsed.root.text == text
    assert {e.message for e in parsed.errors} == {"expected 'until', found '}'"}
    assert sum(1 for n in parsed.root.descendants() if n.kind == "repeat_until") == 15


def test_language_check_reports_an_extension_s_problems_at_their_place(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "plus.yaml"
    path.write_text(DEFINITION_TEXT.replace("    postfix: {factorial: 8}",
                                            "    postfix: {factorial: 8}\n    around: [x]"),
                    encoding="utf-8")
    line = DEFINITION_TEXT[:DEFINITION_TEXT.index("    postfix: {factorial: 8}")].count("\n") + 2
    run = [sys.executable, "-m", "craftls", "language", "check", str(path)]
    done = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr  # a warning: still usable
    assert f"{path}:{line}:5: warning: unknown form 'grammar.forms.around'" in done.stdout
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------- generated extensions

TERMINALS = ["'repeat'", "'until'", "'enum'", "'ms'", "'pow'", "'!'", "'{'", "'}'", "','",
             "';'", "IDENT", "NUMBER", "STRING", "ANY", "NEWLINE", "statement", "expression",
             "r0", "r1", "r2"]


@st.composite
def notation(draw: st.DrawFn, depth: int = 0) -> str:
    """A random rule expression over the example's words, the built-in rules and three
    rules r0..r2 (which may call each other, left-recursively too)."""
    if depth >= 3 or draw(st.booleans()):
        return draw(st.sampled_from(TERMINALS))
    shape_ = draw(st.sampled_from(["seq", "choice", "?", "*", "+", "%", "!", "&"]))
    inner = draw(notation(depth + 1))
    if shape_ == "seq":
        return f"({inner} {draw(notation(depth + 1))})"
    if shape_ == "choice":
        return f"({inner} / {draw(notation(depth + 1))})"
    if shape_ == "%":
        return f"({inner} % {draw(notation(depth + 1))})"
    if shape_ in ("!", "&"):
        return f"{shape_}{inner}"
    return f"({inner}){shape_}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=st.lists(notation(), min_size=3, max_size=3),
       precedence=st.integers(0, 9),
       inputs=st.lists(st.lists(st.sampled_from(
           ["repeat ", "until ", "enum ", "ms ", "pow ", "!", "{", "}", ",", ";", "x ", "1 ",
            '"s" ', "=", "\n", "fn f() {", "(", ")"]), max_size=40), min_size=1, max_size=3))
def test_any_extension_language_check_accepts_ends_on_any_text(
        rules: list[str], precedence: int, inputs: list[list[str]]) -> None:
    grammar = ("grammar:\n  extends: keywords\n  forms:\n    statement: [r0]\n"
               f"    operand: [r1]\n    postfix: {{r2: {precedence}}}\n  rules:\n"
               + "".join(f"    r{i}: {rule!r}\n" for i, rule in enumerate(rules)))
    text = DEFINITION_TEXT[:DEFINITION_TEXT.index("grammar:")] + grammar
    definition, found = load_definition_text(text)
    if definition is None:  # rejected: with an error that says why
        assert any(p.severity == "error" for p in found), found
        return
    for pieces in inputs:
        source = "".join(pieces)
        parsed = parse(definition, source)
        assert parsed.root.text == source


# ---------------------------------------------------------------- forms that re-enter

def _operand_and_suffix(operand: str, suffix: str, kind: str = "postfix") -> str:
    """Curly with one operand form ``op`` and one infix or postfix form ``sf``."""
    return (DEFINITION_TEXT[:DEFINITION_TEXT.index("grammar:")]
            + f"grammar:\n  extends: keywords\n  forms:\n    operand: [op]\n"
              f"    {kind}: {{sf: 8}}\n  rules:\n    op: {operand!r}\n    sf: {suffix!r}\n")


def _reentry_warnings(text: str) -> list[tuple[int, int, str]]:
    _, found = load_definition_text(text)
    return [(p.line, p.column, p.severity) for p in found if "begins with 'expression'" in p.message]


def test_a_suffix_form_that_re_enters_expression_with_a_catch_all_operand_is_a_warning() -> None:
    grammar_line = DEFINITION_TEXT[:DEFINITION_TEXT.index("grammar:")].count("\n") + 1
    for kind in ("postfix", "infix"):
        text = _operand_and_suffix("IDENT / ANY", "expression / 'ms'", kind)
        definition, found = load_definition_text(text)
        assert definition is not None  # a warning: the extension is still used
        column = len(f"    {kind}: {{") + 1  # the form's rule name under grammar.forms
        assert _reentry_warnings(text) == [(grammar_line + 4, column, "warning")]
        message = next(p.message for p in found if "begins with 'expression'" in p.message)
        assert f"{kind} form 'sf' begins with 'expression'" in message
        assert f"operand form 'op' can begin with any token (ANY at line {grammar_line + 6}, " \
               "column 18)" in message
    # the catch-all reached through another rule, and a suffix whose expression comes
    # after a lookahead, are the same shape
    text = _operand_and_suffix("wild", "!'pow' expression").replace(
        "    sf:", "    wild: \"NUMBER / ANY\"\n    sf:")
    assert [w[2] for w in _reentry_warnings(text)] == ["warning"]


def test_forms_that_cannot_nest_on_every_token_are_not_warned_about() -> None:
    assert _reentry_warnings(DEFINITION_TEXT) == []
    for operand, suffix in [
        ("NUMBER 'ms'", "expression / 'ms'"),  # no catch-all: an expression starts rarely
        ("IDENT / ANY", "'ms' expression"),  # the suffix begins with a token
        ("'ms' ANY", "expression / 'ms'"),  # ANY, but not as the first token
        ("&IDENT ANY", "'ms'"),  # a catch-all and no suffix that re-enters
    ]:
        assert _reentry_warnings(_operand_and_suffix(operand, suffix)) == [], (operand, suffix)


def test_language_check_reports_the_re_entering_forms_at_their_place(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "reenter.yaml"
    path.write_text(_operand_and_suffix("IDENT / ANY", "expression / 'ms'"), encoding="utf-8")
    line = DEFINITION_TEXT[:DEFINITION_TEXT.index("grammar:")].count("\n") + 5
    run = [sys.executable, "-m", "craftls", "language", "check", str(path)]
    done = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{path}:{line}:15: warning: postfix form 'sf' begins with 'expression'" \
        in done.stdout


def test_a_re_entering_form_nests_only_over_tokens_it_consumes() -> None:
    """The built-in expression a form calls matches only when it consumes a token: where
    a catch-all operand let it be tried on nothing, the form nested empty nodes of itself
    past the stack."""
    definition, _ = load_definition_text(_operand_and_suffix("IDENT / ANY", "expression / 'ms'"))
    assert definition is not None
    for text in ("let x = a;", "let x = a b ms;\nlet y = (a) ms;\n", "x = a"):
        parsed = parse(definition, text)
        assert parsed.root.text == text
        empty = [n for n in parsed.root.descendants() if n.kind == "sf" and n.start == n.end]
        assert empty == []
        assert isinstance(parsed.errors, list)  # collectable: the tree is shallow
