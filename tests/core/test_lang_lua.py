"""The bundled Lua 5.4 (issue 17), defined by its grammar: our programs covering the
reference manual check clean (each also accepted by `luac5.4 -p`), wrong programs give
exactly the expected diagnostics, the editor features follow Lua's scopes, and the
lexical and meaning options the definition needs work for any definition."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from craftls.cli.editor_cmd import textmate_grammar
from craftls.features import hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.language.catalog import bundled, bundled_ids, by_extension
from craftls.language.explain import explain, native_data
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.semantics.item_walks import ITEM_WALKS
from craftls.semantics.model import SymbolKind
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse
from craftls.syntax.tokens import COMMENT, NEWLINE, STRING, TRIVIA, WHITESPACE
from craftls.syntax.tree import SyntaxNode
from craftls.workspace.line_index import LineIndex

from .test_cli import craftls
from .test_incremental import assert_edits_reparse_as_fresh, draw_edits
from .test_item_walks import describe

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = sorted((ROOT / "tests" / "fixtures" / "lua").glob("*.lua")) \
    + sorted((ROOT / "examples" / "lua").glob("*.lua"))


def lua() -> LanguageDefinition:
    return bundled("lua")


def analysis(text: str) -> FileAnalysis:
    return analyze_with_types(parse(lua(), text))


def significant(text: str) -> list[tuple[str, str]]:
    """The tokens but blanks and line breaks (comments and error tokens stay)."""
    return [t for t in lex(lua(), text)[0] if t[0] not in (WHITESPACE, NEWLINE)]


def loaded(yaml: str) -> tuple[LanguageDefinition | None, list[tuple[str, str]]]:
    definition, problems = load_definition_text(yaml)
    return definition, [(p.severity, p.message) for p in problems]


# ---------------------------------------------------------------- the definition


def test_lua_is_bundled_and_claims_lua_files_alone() -> None:
    assert "lua" in bundled_ids()
    assert [d.id for d in (bundled(i) for i in bundled_ids()) if ".lua" in d.extensions] == ["lua"]
    found = by_extension("main.lua")
    assert found is not None and found.id == "lua" and lua().grammar is not None
    names = {b.name for b in lua().builtins}
    assert {"print", "pairs", "setmetatable", "string", "table", "math", "io", "os",
            "coroutine", "utf8", "debug", "package"} <= names
    assert "self" not in names  # the implicit parameter of a method, not a global


def test_language_check_accepts_the_bundled_definition() -> None:
    path = ROOT / "server" / "craftls" / "language" / "bundled" / "lua.yaml"
    _, problems = load_definition_text(path.read_text(encoding="utf-8"))
    assert problems == []
    result = craftls("language", "check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(lua 5.4)" in result.stdout


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_our_programs_check_clean(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parsed = parse(lua(), text)
    assert [e.message for e in parsed.errors] == []
    assert parsed.root.text == text
    found = [(d.severity, d.message) for d in analyze_with_types(parsed, path).diagnostics
             if d.severity != "hint"]
    assert found == []


def test_fixtures_cover_each_manual_section() -> None:
    names = {p.stem for p in PROGRAMS}
    assert {"manual_3_1_lexical", "manual_3_3_statements", "manual_3_4_expressions",
            "manual_3_5_visibility", "manual_6_library"} <= names


# ---------------------------------------------------------------- lexical conventions


def test_long_strings_and_comments_of_any_level() -> None:
    text = "s = [==[a]]b]=]c]==] --[[ c1 ]] --[===[ c2 ]] ]===]\nt = [[\nx]]"
    assert significant(text) == [
        ("ident", "s"), ("punct", "="), (STRING, "[==[a]]b]=]c]==]"),
        (COMMENT, "--[[ c1 ]]"), (COMMENT, "--[===[ c2 ]] ]===]"),
        ("ident", "t"), ("punct", "="), (STRING, "[[\nx]]")]


def test_an_unfinished_long_string_or_comment_is_one_error_token() -> None:
    assert significant("x = [=[ open ]] ")[-1] == ("err_string", "[=[ open ]] ")
    assert significant("--[==[ open ]=]")[-1] == ("err_comment", "--[==[ open ]=]")
    assert significant("--[ not long\nx")[0] == (COMMENT, "--[ not long")


def test_escapes_numerals_and_the_first_line() -> None:
    text = '#!/usr/bin/env lua\nx = "a\\z\n   b" .. 0x1p-2 .. 0xA.8 .. 3e2 .. .5 .. 7 // 2\n'
    tokens = significant(text)
    assert tokens[0] == (COMMENT, "#!/usr/bin/env lua")
    assert (STRING, '"a\\z\n   b"') in tokens
    assert [v for k, v in tokens if k == "number"] == ["0x1p-2", "0xA.8", "3e2", ".5", "7", "2"]
    assert ("punct", "//") in tokens
    assert significant("x = #t")[2] == ("punct", "#")  # not a first line comment


# ---------------------------------------------------------------- the tree


def kinds(node: SyntaxNode) -> list[str]:
    return [node.kind] + [k for child in node.children() for k in kinds(child)]


def expression(text: str) -> SyntaxNode:
    parsed = parse(lua(), f"x = {text}\n")
    assert parsed.errors == []
    statement = next(parsed.root.children())
    return list(statement.children())[-1]


def test_operators_follow_lua_precedence() -> None:
    assert kinds(expression("1 + 2 * 3"))[:2] == ["sum", "LITERAL"]
    assert "product" in kinds(expression("1 + 2 * 3"))
    assert kinds(expression("a or b and c"))[0] == "or_expr"
    assert kinds(expression("a < b | c"))[0] == "comparison"
    assert kinds(expression("a | b ~ c & d << 1"))[:1] == ["bit_or"]
    power = expression("-x ^ 2")  # unary minus binds looser than ^
    assert power.kind == "unary" and list(power.children())[0].kind == "power"
    right = expression("2 ^ 3 ^ 4")  # right-associative: 2 ^ (3 ^ 4)
    assert right.kind == "power" and list(right.children())[-1].kind == "power"
    assert expression("a .. b .. c").kind == "concat"


def test_every_statement_form_parses() -> None:
    text = ("local a <const>, b <close> = 1, nil\n::top::\ngoto top\n;\n"
            "function m.n.o:p(...) return ... end\nlocal function q() end\n"
            "repeat until true\nwhile false do break end\n"
            "for i = 1, 2 do end\nfor k, v in next, {} do end\n"
            "f{1; 2, [3] = 4, x = 5,}\nf'x'\nf\"y\"\nt.a[1]:b(2)(3)\n")
    parsed = parse(lua(), text)
    assert [e.message for e in parsed.errors] == []
    assert [c.kind for c in parsed.root.children()] == [
        "local_stmt", "label", "goto_stmt", "empty_stmt", "field_function",
        "local_stmt", "repeat_stmt", "while_stmt", "for_stmt", "for_stmt",
        "name_call", "name_call", "name_call", "suffixed"]


WRONG = [
    ("local x = 1\nif x > 0 then\n  print(undefinedThing)\nend\nx = = 2\n",
     [(3, 9, "warning", "undefined-name", "undefined name 'undefinedThing'"),
      (5, 5, "error", "syntax", "expected expression, found '='")]),
    ("function f(a)\n  return a\n\nprint(f(1))\n",
     [(4, 12, "error", "syntax", "expected 'end', found the end of the file")]),
    # the next line is a statement, not a field: the '}' is what is missing
    ("local t = {1, 2\nprint(t)\n",
     [(1, 16, "error", "syntax", "expected '}', ',' or ';', found the end of the line")]),
    ("for i = 1 do end\nfor k do end\n",
     [(1, 10, "error", "syntax", "expected ',', found 'do'"),
      (2, 6, "error", "syntax", "expected ',' or 'in', found 'do'")]),
    ("print(string.rep('a', 2), tostring())\n",
     [(1, 35, "error", "argument-count", "'tostring' takes 1 argument, 0 given")]),
    # more arguments than a builtin takes: Lua drops them when it runs (a warning)
    ("error('x', 2, 3)\nprint(tostring(1, 15))\n",
     [(1, 6, "warning", "argument-count", "'error' takes 0 to 2 arguments, 3 given"),
      (2, 15, "warning", "argument-count", "'tostring' takes 1 argument, 2 given")]),
    # a stray token in a function's body: one error, and the body keeps its statements
    # (the local x is still declared, Missing still checked; g is still a function)
    ("local function f(a)\n  local x = 1\n  ) x = 2\n  print(x, a, Missing)\n  if a then\n"
     "    print(a)\n  end\nend\n\nfunction g()\n  return f(1)\nend\n",
     # (what the statements' lookaheads looked for there, a call's name or '(' among
     # them, makes the list of what could come too long to name)
     [(3, 3, "error", "syntax", "unexpected ')'"),
      (4, 15, "warning", "undefined-name", "undefined name 'Missing'")]),
    # a missing ',' or closer found further on the line: one error, the rest read
    ("print(math.max(1 2))\nprint(3)\n",
     [(1, 18, "error", "syntax", "expected ',' or ')', found '2'")]),
    # a field follows: the separator is what is missing, where it goes
    ("local t = {1, 2 3}\nprint(t)\n",
     [(1, 16, "error", "syntax", "expected ',' or ';', found '3'")]),
]


@pytest.mark.parametrize("text", ["print(math.max(1 2))\nprint(3)\n",
                                  "local t = {1, 2 3}\nprint(t)\n",
                                  "for i = 1, 3 0 do\n  print(i)\nend\n",
                                  # a mistake inside a function assigned: the assignment
                                  # (it was the call statement `x`, then every line after
                                  # it an error of its own)
                                  "x = function(a)\n  if a n then\n    return 1\n  end\nend\n"
                                  "print(x)\n",
                                  # a skip where an element was just found missing is the
                                  # rest of that mistake (not "unexpected '}'" too)
                                  "local function f(n)\n  local digits = }\n"
                                  "  print(digits, n)\nend\nf(1)\n"])
def test_a_mistake_inside_a_statement_is_one_error_in_the_tree(text: str) -> None:
    assert len(parse(lua(), text).errors) == 1


@pytest.mark.parametrize("text, expected", WRONG)
def test_wrong_programs_give_exactly_the_expected_diagnostics(
        text: str, expected: list[tuple[int, int, str, str, str]]) -> None:
    index = LineIndex(text)
    found = []
    for d in analysis(text).diagnostics:
        if d.severity == "hint":
            continue
        line, col = index.position(d.start)
        found.append((line + 1, col + 1, d.severity, d.code, d.message))
    assert found == expected


# ---------------------------------------------------------------- editor features


SCOPES = """local count = 1
local function bump(step)
  count = count + step
  do
    local count = 10
    print(count)
  end
  return function() return count end
end
print(bump(2)(), count)
"""


def offsets(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        if not (text[at - 1:at].isalnum() or text[at + len(word):at + len(word) + 1].isalnum()):
            found.append(at)
        at = text.find(word, at + 1)
    return found


def test_rename_a_local_shadowed_in_an_inner_block() -> None:
    result = analysis(SCOPES)
    uses = offsets(SCOPES, "count")
    inner = [uses[3], uses[4]]  # local count = 10; print(count)
    spans = navigation.rename_spans(result, uses[4], "n")
    assert spans is not None and sorted(s.start for s in spans) == inner


def test_rename_an_upvalue_changes_the_outer_local_and_its_closures() -> None:
    result = analysis(SCOPES)
    uses = offsets(SCOPES, "count")
    outer = [u for i, u in enumerate(uses) if i not in (3, 4)]
    spans = navigation.rename_spans(result, uses[5], "total")  # inside the closure
    assert spans is not None and sorted(s.start for s in spans) == outer
    target = navigation.definition(result, uses[5])
    assert target is not None and target.start == uses[0]
    refs = navigation.references(result, uses[0])
    assert [r.start for r in refs] == outer


def bound(result: FileAnalysis, text: str, at: int) -> int | None:
    """Where the declaration of the name used at offset ``at`` starts (None: unbound)."""
    ref = result.model.reference_starting_at(at)
    assert ref is not None, text[at:at + 10]
    return ref.symbol.start if ref.symbol is not None else None


SEQUENTIAL = """\
local x = 1
do
  local x = x + 1
  print(x)
  local x = x * 2
  print(x)
end
print(x)
local f = function() return f end
local function g(n) if n > 0 then return g(n - 1) end return n end
repeat local y = 1 until y > 0
print(y, g)
"""


def test_a_local_is_visible_from_the_statement_after_its_own() -> None:
    result = analysis(SEQUENTIAL)
    xs = offsets(SEQUENTIAL, "x")  # 0 local, 1 local, 2 x+1, 3 print, 4 local, 5 x*2, 6, 7
    assert bound(result, SEQUENTIAL, xs[2]) == xs[0]  # local x = x + 1: the outer x
    assert bound(result, SEQUENTIAL, xs[3]) == xs[1]
    assert bound(result, SEQUENTIAL, xs[5]) == xs[1]  # the second local x = x * 2
    assert bound(result, SEQUENTIAL, xs[6]) == xs[4]
    assert bound(result, SEQUENTIAL, xs[7]) == xs[0]  # after the block: the first again
    # local f = function: f is not visible in its own value (a global, undefined)
    f_use = SEQUENTIAL.index("return f") + 7
    assert bound(result, SEQUENTIAL, f_use) is None
    assert [d.message for d in result.diagnostics if d.code == "undefined-name"] == [
        "undefined name 'f'", "undefined name 'y'"]
    # local function g: g is visible in its own body
    assert bound(result, SEQUENTIAL, SEQUENTIAL.index("g(n - 1)")) == offsets(SEQUENTIAL, "g")[0]
    # repeat ... until sees the body's locals; after the loop, y is a global
    assert bound(result, SEQUENTIAL, SEQUENTIAL.index("y > 0")) == SEQUENTIAL.index("y = 1")


def test_rename_and_highlights_follow_the_sequential_scopes() -> None:
    xs = offsets(SEQUENTIAL, "x")
    result = analysis(SEQUENTIAL)
    middle = navigation.rename_spans(result, xs[3], "z")  # the do block's first local x
    assert sorted(s.start for s in middle) == [xs[1], xs[3], xs[5]]
    assert sorted(s.start for s in navigation.highlights(result, xs[0])) == [xs[0], xs[2], xs[7]]
    assert sorted(s.start for s in navigation.references(result, xs[4])) == [xs[4], xs[6]]
    # from its declaration too; `x + 1` stays with the outer x (it reads it before the
    # inner one is visible)
    inner = navigation.rename_spans(result, xs[1], "w")
    assert sorted(s.start for s in inner) == [xs[1], xs[3], xs[5]]


def test_rename_refuses_a_name_that_would_hide_another_use() -> None:
    text = "local a = 1\ndo\n  local b = 2\n  print(a, b)\nend\n"
    result = analysis(text)
    with pytest.raises(navigation.RenameRefused, match="would make a use"):
        navigation.rename_spans(result, text.index("b = 2"), "a")
    spans = navigation.rename_spans(result, text.index("b = 2"), "c")
    assert sorted(s.start for s in spans) == [text.index("b = 2"), text.index("b)")]


GLOBALS = """\
local function setup()
  counter = 0
  local hidden = 1
  hidden = hidden + 1
end
function bump()
  counter = counter + 1
  return counter
end
setup()
print(bump(), counter)
"""


def test_an_assignment_to_an_unknown_name_declares_a_global() -> None:
    result = analysis(GLOBALS)
    assert [d.message for d in result.diagnostics if d.severity != "hint"] == []
    counter = next(s for s in result.model.symbols if s.name == "counter")
    assert counter.scope is result.model.root_scope and counter.start == GLOBALS.index("counter")
    uses = offsets(GLOBALS, "counter")
    assert all(bound(result, GLOBALS, u) == uses[0] for u in uses[1:])
    spans = navigation.rename_spans(result, uses[-1], "ticks")  # in the last line
    assert sorted(s.start for s in spans) == uses
    hidden = next(s for s in result.model.symbols if s.name == "hidden")
    assert hidden.scope is not result.model.root_scope  # `hidden = ...` writes the local
    assert bound(result, GLOBALS, offsets(GLOBALS, "hidden")[1]) == offsets(GLOBALS, "hidden")[0]
    # a function statement with a plain name is a global too, seen from other functions
    bump = next(s for s in result.model.symbols if s.name == "bump")
    assert bump.scope is result.model.root_scope


METHODS = """\
local Account = {}
Account.__index = Account
function Account.new(balance)
  return setmetatable({balance = balance}, Account)
end
function Account:deposit(v)
  self.balance = self.balance + v
  return function() return self end
end
function Account.util.helpers.twice(n) return n * 2 end
print(self)
"""


def test_qualified_functions_are_document_symbols_and_methods_have_self() -> None:
    result = analysis(METHODS)
    names = [s.name for s in outline.document_symbols(result)]
    assert names == ["Account", "Account.new", "Account:deposit", "Account.util.helpers.twice"]
    deposit = next(s for s in outline.document_symbols(result) if s.name == "Account:deposit")
    assert deposit.name_start == METHODS.index("deposit") and deposit.detail.startswith(
        "function Account:deposit(v)")
    selfs = offsets(METHODS, "self")
    method_self = {bound(result, METHODS, u) for u in selfs[:3]}  # the body and a closure
    assert method_self == {METHODS.index(":deposit")}
    assert bound(result, METHODS, selfs[3]) is None  # outside a method: a global
    assert [d.message for d in result.diagnostics if d.code == "undefined-name"] == [
        "undefined name 'self'"]
    # the table's name in `function Account.new` is a use of the local
    uses = offsets(METHODS, "Account")
    assert sorted(s.start for s in navigation.references(result, uses[0])) == uses
    with pytest.raises(navigation.RenameRefused, match="implicitly"):
        navigation.rename_spans(result, selfs[0], "me")
    # a method declared by a path: its last part is the table's function (lua27)
    spans = navigation.rename_spans(result, METHODS.index("deposit"), "put")
    assert [(s.start, s.end) for s in spans] == [(METHODS.index("deposit"),
                                                   METHODS.index("deposit") + 7)]
    info = hover.hover(result, METHODS.index("twice"))
    assert info is not None and "Account.util.helpers.twice(n)" in info.markdown


def test_scoping_survives_edits_the_same_as_a_fresh_analysis() -> None:
    """Items replayed from an earlier snapshot bind as a fresh walk does (the chains of
    one name's declarations, globals declared from inside functions)."""
    text = SEQUENTIAL + GLOBALS
    at = text.index("print(bump()")
    text = text[:at] + "local counter = 5\n" + text[at:]
    parsed = parse(lua(), text)
    fresh = analyze_with_types(parsed)  # walks every item and keeps its template
    hits = ITEM_WALKS.hits
    again = analyze_with_types(parsed)  # the same green items: every one is replayed
    assert ITEM_WALKS.hits - hits == len(parsed.root.green.node_children())

    def binding(result: FileAnalysis) -> list[tuple[int, int | None]]:
        return [(r.start, r.symbol.start if r.symbol else None)
                for r in sorted(result.model.references, key=lambda r: r.start)]

    assert binding(again) == binding(fresh)
    last = text.rindex("counter")
    assert bound(again, text, last) == text.index("counter = 5")
    assert bound(again, text, text.index("counter + 1")) == text.index("counter = 0")


SCOPING_FRAGMENTS = ["", "local x = x\n", "local ", "x = 1\n", "end\n", "do\n", "x",
                     "function t:m() return self end\n", "counter", "local counter = 2\n"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_replayed_scoping_equals_a_fresh_walk(data: st.DataObject) -> None:
    """Across edits, items replayed from their templates (the chains of one name's
    declarations, positional visibility, globals from functions, implicit self) bind
    every name as a walk from scratch does."""
    text = SEQUENTIAL + GLOBALS + METHODS
    parsed = parse(lua(), text)
    analyze_with_types(parsed)
    for edit in draw_edits(data.draw, text, SCOPING_FRAGMENTS, 16):
        parsed, _ = apply_edit(parsed, edit)
        replayed = describe(analyze_with_types(parsed).model)
        ITEM_WALKS.clear()
        assert replayed == describe(analyze_with_types(parsed).model)


def test_hover_definition_and_signature_help() -> None:
    text = "local function area(w, h)\n  return w * h\nend\nprint(area(2, 3))\n"
    result = analysis(text)
    info = hover.hover(result, text.index("area(2"))
    assert info is not None and "function area(w, h)" in info.markdown
    target = navigation.definition(result, text.index("h\nend"))
    assert target is not None and target.start == text.index("h)")
    help_ = hover.signature_help(result, text.index("3))"))
    assert help_ is not None and help_.parameters == ["w", "h"] and help_.active_parameter == 1
    builtin = hover.hover(result, text.index("print"))
    assert builtin is not None and "print" in builtin.markdown


def test_fields_and_methods_are_members_not_undefined_names() -> None:
    text = ("local obj = {size = 1}\nfunction obj:grow(by)\n  self.size = self.size + by\n"
            "end\nobj:grow(2)\nprint(obj.size, string.format('%d', obj['size']))\n")
    result = analysis(text)
    assert [d.message for d in result.diagnostics if d.severity != "hint"] == []
    names = {(s.name, s.kind) for s in result.model.symbols}
    assert ("obj", SymbolKind.VARIABLE) in names and ("by", SymbolKind.PARAMETER) in names
    assert not {n for n, _ in names} & {"size", "grow"}


def test_document_symbols_folding_and_semantic_tokens() -> None:
    text = ("local M = {}\n\nfunction helper(x)\n  local y = x\n  return y\nend\n\n"
            "for i = 1, 2 do\n  print(i)\nend\nreturn M\n")
    result = analysis(text)
    symbols = {s.name: s for s in outline.document_symbols(result)}
    assert {"M", "helper"} <= set(symbols)
    assert [c.name for c in symbols["helper"].children] == ["y"]  # parameters are not listed
    helper = next(s for s in result.model.symbols if s.name == "helper")
    assert [p.name for p in helper.params] == ["x"]
    folds = [(f.start, f.end) for f in outline.folding_ranges(result)]
    assert (text.index("function"), text.index("end\n\nfor") + 3) in folds
    assert (text.index("for"), text.rindex("end") + 3) in folds
    found = {(text[t.start:t.start + t.length], t.type)
             for t in semantic_tokens.classify(result)}
    assert {("local", "keyword"), ("helper", "function"), ("x", "parameter"),
            ("y", "variable"), ("print", "function")} <= found


def test_completion_offers_the_grammar_words_at_the_cursor_then_names() -> None:
    from craftls.features.completion import complete

    head = "local total = 0\nfor i = 1, 3 "
    words = [c.label for c in complete(analysis(head), len(head))[0] if c.kind == "keyword"]
    assert words == ["and", "do", "or"]  # `3 and n` goes on too
    text = "local total = 0\nlocal function f(n)\n  \nend\n"
    at = text.index("  \n") + 2
    labels = [c.label for c in complete(analysis(text), at)[0]]
    assert {"local", "return", "if", "end", "total", "n", "f", "print"} <= set(labels)
    assert not {"until", "then", "elseif"} & set(labels)
    assert labels.index("n") > labels.index("while")


UNFORMATTED = """local t = {
1,
  x = function(a)
return a
end,
}
if t then
print( t.x(1) )
elseif  not t then
local n <const> = 1
else
t[1]=2
end
"""


def test_formatting_indents_blocks_and_keeps_tokens_and_line_ends() -> None:
    formatted = format_text(parse(lua(), UNFORMATTED))
    assert formatted.splitlines()[:6] == [
        "local t = {", "  1,", "  x = function(a)", "    return a", "  end,", "}"]
    assert "  local n <const> = 1" in formatted
    assert format_text(parse(lua(), formatted)) == formatted
    tokens = [t for t in lex(lua(), formatted)[0] if t[0] not in TRIVIA]
    assert tokens == [t for t in lex(lua(), UNFORMATTED)[0] if t[0] not in TRIVIA]
    crlf = UNFORMATTED.replace("\n", "\r\n")
    assert format_text(parse(lua(), crlf)) == formatted.replace("\n", "\r\n")


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.name)
def test_formatting_our_programs_is_idempotent_and_token_preserving(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_text(parse(lua(), text))
    assert format_text(parse(lua(), once)) == once
    assert [t for t in lex(lua(), once)[0] if t[0] not in TRIVIA] == \
        [t for t in lex(lua(), text)[0] if t[0] not in TRIVIA]


FRAGMENTS = ["", "x", "1", " ", "\n", "(", ")", '"', "end", "end\n", "local ", "function f()\n",
             "{", "}", "[[", "]]", "--[[", "--", "do ", "then", ",", "=", "..", ":m()", "::l::"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_incremental_reparse_equals_a_full_parse(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(PROGRAMS))
    text = path.read_text(encoding="utf-8")
    edits: list[TextEdit] = draw_edits(data.draw, text, FRAGMENTS, 12)
    assert_edits_reparse_as_fresh(lua(), text, edits)


# ---------------------------------------------------------------- general options


LEVELLED = """name: Levelled
lexical:
  line_comments: ["%"]
  long_brackets: {open: "<", close: ">", level: "-", comment: "%"}
  first_line_comment: "@@"
  strings:
    - {delimiter: '"', whitespace_escape: s}
"""


def test_the_lexical_options_work_for_any_definition() -> None:
    definition, problems = loaded(LEVELLED)
    # `%` comments take the default modulo operator: said, at the comment markers
    assert definition is not None and problems == [
        ("warning", "default operator '%' can never be written: '%' starts a line comment "
                    "(lexical.line_comments is ['%']; write 'line_comments: []' under "
                    "lexical for none)")]
    text = '@@ run me\nx <--<a>->b>--> y %<<c>> z "a\\s\n  b"'
    tokens = [t for t in lex(definition, text)[0] if t[0] not in TRIVIA or t[0] == COMMENT]
    assert tokens == [(COMMENT, "@@ run me"), ("ident", "x"), (STRING, "<--<a>->b>-->"),
                      ("ident", "y"), (COMMENT, "%<<c>>"), ("ident", "z"),
                      (STRING, '"a\\s\n  b"')]
    assert native_data(definition)["lexical"]["long_brackets"] == {
        "open": "<", "close": ">", "level": "-", "comment": "%"}
    reloaded, again = load_definition_text(explain(definition))  # --explain round trip
    # the same warning, at the operator --explain lists
    assert [(p.severity, p.message) for p in again] == [
        ("warning", "operator '%' can never be written: '%' starts a line comment "
                    "(lexical.line_comments is ['%']; write 'line_comments: []' under "
                    "lexical for none)")] and reloaded is not None
    assert reloaded.lexical == definition.lexical
    grammar = textmate_grammar(definition)
    assert grammar["repository"]["strings"]["patterns"][0]["end"] == ">\\1>"


def test_bad_lexical_options_are_reported_with_their_place() -> None:
    _, problems = loaded("name: X\nlexical:\n  long_brackets: {open: ab, levle: x}\n"
                         "  first_line_comment: 'a b'\n  strings:\n"
                         "    - {delimiter: \"'\", escape: doubled, whitespace_escape: z}\n")
    assert problems == [
        ("error", "whitespace_escape must be one letter, with backslash escapes"),
        ("warning", "unknown key 'lexical.long_brackets.levle' (did you mean 'level'?)"),
        ("error", "'long_brackets.open' must be one character, not 'ab'"),
        ("error", "'first_line_comment' must be a symbol without spaces, not 'a b'")]
    _, same = loaded("name: X\nlexical:\n  long_brackets: {open: '[', close: '[', level: '='}\n")
    assert same == [("error", "'long_brackets' needs three different characters for 'open', "
                              "'close' and 'level'")]


GRAMMAR = """name: Calls
lexical:
  line_comments: ["#"]
structure:
  argument_counts: {counts}
  redeclaration: {again}
grammar:
  start: program
  rules:
    program: "statement*"
    statement: "define / let / call"
    define:
      match: "'def' IDENT '(' (param % ',')? ')'"
      declares: function
      scope: true
    param:
      match: "IDENT"
      declares: parameter
    let:
      match: "'let' IDENT '=' IDENT member*"
      declares: variable
    member:
      match: "'.' IDENT"
      member: true
    call:
      match: "IDENT arguments"
      call: true
    arguments: "'(' (IDENT % ',')? ')'"
"""


def diagnostics_of(yaml: str, text: str) -> list[str]:
    definition, problems = loaded(yaml)
    assert definition is not None and problems == []
    return [d.message for d in analyze_with_types(parse(definition, text)).diagnostics
            if d.severity != "hint"]


def test_members_arguments_and_redeclaration_options() -> None:
    text = "def f(a, b)\nlet y = f\nlet x = y.size.of\nlet x = y\nf(x)\n"
    strict = GRAMMAR.format(counts="exact", again="error")
    assert diagnostics_of(strict, text) == ["'x' is already declared in this scope",
                                            "'f' takes 2 arguments, 1 given"]
    loose = GRAMMAR.format(counts="builtins", again="allowed")
    assert diagnostics_of(loose, text) == []  # and 'size', 'of' are members, not names
    _, problems = loaded(GRAMMAR.format(counts="some", again="never"))
    assert problems == [("error", "argument_counts must be 'exact' or 'builtins'"),
                        ("error", "redeclaration must be 'error' or 'allowed'")]


def test_surplus_arguments_option() -> None:
    yaml = GRAMMAR.format(counts="exact\n  surplus_arguments: warning", again="error")
    definition, problems = loaded(yaml)
    assert definition is not None and problems == []
    text = "def f(a)\nlet y = f\nf(y, y)\nf()\n"
    found = [(d.severity, d.message) for d in analyze_with_types(parse(definition, text)).diagnostics
             if d.code == "argument-count"]
    assert found == [("warning", "'f' takes 1 argument, 2 given"),
                     ("error", "'f' takes 1 argument, 0 given")]
    _, problems = loaded(GRAMMAR.format(counts="exact\n  surplus_arguments: often", again="error"))
    assert problems == [("error", "surplus_arguments must be 'error' or 'warning'")]


def test_placeholder_names_are_never_unused() -> None:
    # Lua's `_` takes a value the program leaves unread on purpose
    text = ("local t = {3, 4}\nfor _, v in ipairs(t) do print(v) end\n"
            "local _, second = t[1], t[2]\nlocal function f(_, y) return y end\n"
            "local unread = f(1, second)\n"
            # every global name after it reads the environment it sets
            "local _ENV = {print = print}\nprint(second)\n")
    hints = [d.message for d in analysis(text).diagnostics if d.code == "unused-variable"]
    assert hints == ["'unread' is never used"]
    strict = GRAMMAR.format(counts="builtins", again="allowed")
    definition, _ = loaded(strict)
    assert definition is not None
    unread = [d.message for d in analyze_with_types(parse(definition, "let _ = a\n")).diagnostics
              if d.code == "unused-variable"]
    assert unread == ["'_' is never used"]  # only where a definition names it
    placeholders = strict.replace("grammar:", "  placeholders: [\"_\"]\ngrammar:", 1)
    definition, problems = loaded(placeholders)
    assert definition is not None and problems == []
    assert not [d for d in analyze_with_types(parse(definition, "let _ = a\n")).diagnostics
                if d.code == "unused-variable"]
    _, problems = loaded(strict.replace("grammar:", "  placeholders: 3\ngrammar:", 1))
    assert problems == [("error", "'placeholders' must be a string or a list of strings")]


def test_scoping_annotations_are_checked_with_their_place() -> None:
    yaml = (ROOT / "tests" / "fixtures" / "grammar" / "minilua.yaml").read_text(encoding="utf-8")
    bad = yaml.replace("    param:\n      match: \"IDENT\"\n",
                       "    param:\n      match: \"IDENT\"\n      visible: later\n"
                       "      global: true\n      implicit_parameter: 3\n      heading: true\n"
                       "      by_reference: true\n", 1)
    assert bad != yaml
    _, problems = loaded(bad)
    messages = [m for _, m in problems]
    assert "'visible' in rule 'param' must be one of scope, after_name, after_statement" \
        in messages
    assert "'global' in rule 'param' does nothing without 'assigns'" in messages
    assert "'implicit_parameter' in rule 'param' must be a name" in messages
    assert "'heading' in rule 'param' does nothing without 'scope'" in messages
    assert "'by_reference' in rule 'param' does nothing without 'assigns'" in messages


def test_table_fields_recover_as_lines_but_are_not_laid_out_as_lines() -> None:
    # `recover_lines` on the table: `lines` would make every expression kind a line of
    # its own, and indent a condition's continuation and nested tables' fields deeper;
    # the closing braces first on their line stand at their opener's line (`return`)
    text = ("local function check(item, typ)\n  if typ == 'consumers' and\n"
            "        find(item.id, '/c/') then\n    return {{\n        Blocks = item,\n"
            "        Meta = function(m)\n          return m\n        end,\n      }}\n"
            "  end\nend\n")
    assert format_text(parse(lua(), text)) == (
        "local function check(item, typ)\n  if typ == 'consumers' and\n"
        "    find(item.id, '/c/') then\n    return {{\n      Blocks = item,\n"
        "      Meta = function(m)\n        return m\n      end,\n    }}\n  end\nend\n")
    assert [e.message for e in parse(lua(), "local t = {a = 1 b = 2}\n").errors] == [
        "expected ',' or ';', found 'b'"]


# an expression is a statement only as a call (luac5.4 -p: "syntax error near ...")
NOT_STATEMENTS = ["t.x", "a + b", "x", "(f)", "t[1]", "t.x().y", "t.x == 1", "t:m().y[2]",
                  "a .. t.x",
                  # one that starts with an operator or a literal (before: "unexpected '#'",
                  # its names not walked, so `t` and `a` were unused locals)
                  "#t", "not a", "1 + a", '"s" .. a', "{t}"]
STATEMENT_CALLS = ["f()", "t.x()", "t:m()", 't.y"s"', "t{1}", "f()()", 'g{}.x:m"s"',
                   "t[1](2)", "(f)()", 'rawget(_G, "x")', 'rawset(_G, "x", 1)', "f\n(g)"]


@pytest.mark.parametrize("statement", NOT_STATEMENTS)
def test_an_expression_that_is_no_call_is_one_error_and_its_names_stay_uses(
        statement: str) -> None:
    """Before, ``t.x`` or ``a + b`` alone was taken as a call statement (no error): Lua
    rejects it. One error over it, the next statement parsed, and the names in it are
    still uses (a local it reads is no unused local, an unknown name is still one)."""
    text = f"local t, a = {{}}, 1\n{statement}\nprint(t, a)\n"
    diagnostics = [d for d in analysis(text).diagnostics if d.code != "undefined-name"]
    start = text.index(statement, len("local t, a = {}, 1\n"))
    syntax = [(d.start, d.end, d.message) for d in diagnostics]
    assert syntax[:1] == [(start, start + len(statement),
                           "an expression alone is no statement: only a call or an "
                           "assignment is")] and len(syntax) == 1, syntax
    tree = parse(lua(), text)
    assert [c.kind for c in tree.root.children()][-1] == "name_call"  # print(t, a)


@pytest.mark.parametrize("statement", STATEMENT_CALLS)
def test_a_call_is_a_statement_whatever_its_last_arguments(statement: str) -> None:
    text = f"local t, f, g = {{}}, print, print\n{statement}\n"
    assert [e.message for e in parse(lua(), text).errors] == []


@pytest.mark.parametrize("text, message", [
    ("local t = {a = 1}\nt.\nlocal y = 1\nprint(y)\n", "expected a name, found the end of the line"),
    ("local t = {a = 1}\nt.", "expected a name, found the end of the file"),
    ("local obj = {}\nobj:\nlocal y = 1\nprint(y)\n", "expected a name, found the end of the line"),
    ("local obj = {}\nobj:m\nlocal y = 1\nprint(y)\n",
     "expected a string, '(' or '{', found the end of the line"),
    ("local t = {}\nfunction f()\n  t.\nend\n", "expected a name, found the end of the line"),
    ("local t = {}\nprint(t.)\n", "expected a name, found ')'"),
])
def test_a_member_being_typed_is_one_error_where_the_name_goes(text: str, message: str) -> None:
    """``t.`` or ``obj:`` while typing is no call either: one error, where the member's
    name goes, and no second one for the expression statement (nor an unused local)."""
    found = [(d.code, d.message) for d in analysis(text).diagnostics
             if d.code != "undefined-name"]
    assert found == [("syntax", message)]


def test_completion_after_a_dot_or_colon_being_typed_still_offers_members() -> None:
    from craftls.features.completion import complete

    def labels(text: str) -> list[str]:
        at = text.index("|")
        text = text.replace("|", "")
        return [c.label for c in complete(analysis(text), at)[0]]

    math = ["abs", "floor", "sqrt", "max", "min", "type", "acos", "asin", "ceil", "cos", "deg",
            "exp", "rad", "sin", "tan", "tointeger", "atan", "fmod", "log", "modf", "random",
            "randomseed", "ult", "huge", "maxinteger", "mininteger", "pi"]
    assert labels("math.|\nlocal y = 1\nprint(y)\n") == math
    assert labels("math.|") == math
    assert labels("local s = string.fo|\nprint(s)\n") == ["format"]
    assert labels("string.fo|\nlocal y = 1\nprint(y)\n") == ["format"]  # no statement yet
    assert labels("if x then\n  math.m|\nend\n") == ["max", "min", "modf", "maxinteger",
                                                       "mininteger"]
    obj = labels("local obj = {}\nfunction obj:go() end\nobj:|\nlocal y = 1\nprint(y)\n")
    assert obj == ["go"]


def _labels(text: str) -> list[str]:
    from craftls.features.completion import complete

    at = text.index("|")
    return [c.label for c in complete(analysis(text.replace("|", "")), at)[0]]


OBJECT = ("local Obj = {}\nObj.__index = Obj\nfunction Obj.new(n) return setmetatable({n = n}, Obj) end\n"
          "function Obj:go() return self.n end\nObj.stop = function(self) end\n"
          "Obj.size = 3\nlocal other = {}\nfunction other:elsewhere() end\n")


@pytest.mark.parametrize("text, expected", [
    # after `obj:`: the methods the file gives obj, in the order written; not every
    # name in scope (before: obj, obj:go, _ENV, _G, ... every builtin)
    (OBJECT + "Obj:|\n", ["new", "go", "stop"]),
    (OBJECT + "Obj:s|\n", ["stop"]),
    (OBJECT + "local o = Obj\no:|\n", None),  # o itself has none known: names as before
    # inside a method, `self:` is the object's
    (OBJECT + "function Obj:run()\n  self:|\nend\n", ["new", "go", "stop", "run"]),
    # a method called elsewhere is one too
    ("local t = {}\nt:open(1)\nt:|\n", ["open"]),
    # after `obj.`: the functions declared on it are fields too
    (OBJECT + "Obj.|\n", ["__index", "new", "stop", "size", "go"]),
])
def test_completion_after_a_method_separator_offers_the_object_s_methods(
        text: str, expected: list[str] | None) -> None:
    found = _labels(text)
    if expected is None:
        assert "Obj" in found and "print" in found
    else:
        assert found == expected


def test_an_edit_that_makes_a_call_no_call_reparses_to_the_same_tree() -> None:
    """Deleting a call's ``()`` makes the statement an error; putting them back makes
    it a call again: the incremental parse agrees with a parse from scratch each way."""
    from craftls.syntax.incremental import TextEdit, apply_edit

    text = "local t = {}\nt.x()\nprint(t)\nt.y(1)\n"
    old = parse(lua(), text)
    at = text.index("()")
    edited, stats = apply_edit(old, TextEdit(at, at + 2, ""))
    assert stats.strategy == "item"
    assert edited.text == "local t = {}\nt.x\nprint(t)\nt.y(1)\n"
    fresh = parse(lua(), edited.text)
    assert edited.root.green == fresh.root.green
    assert [e.message for e in edited.errors] == [
        "an expression alone is no statement: only a call or an assignment is"]
    back, _ = apply_edit(edited, TextEdit(at, at, "()"))
    assert back.root.green == old.root.green and back.errors == []


def test_a_to_be_closed_local_is_never_unused() -> None:
    """``local f <close> = v`` exists to be closed when its scope ends (``used_with:
    [close]``): before, it was "never used" when not read (LuaLS's await.lua); a
    ``<const>`` one that is never read still is."""
    text = ("local f <close> = setmetatable({}, {__close = print})\n"
            "local g <const> = 1\nlocal h = 2\nprint(h)\n")
    assert [d.message for d in analysis(text).diagnostics] == ["'g' is never used"]


@pytest.mark.parametrize("text, undefined", [
    # a local or parameter named _ENV is where the names after it live (Lua 5.2+): a
    # name no declaration binds is a field of that table, not an undefined global
    ("local function sandbox(_ENV)\n  return width * height\nend\nprint(sandbox, depth)\n",
     ["depth"]),
    ("local _ENV, M = require 'pl.import_into' (true)\nfunction answer() return pretty end\n"
     "return M\n", []),
    ("do\n  local _ENV = {x = 1}\n  print(x)\nend\nprint(y)\n", ["y"]),
    # not before it is declared, nor outside its block
    ("print(before)\nlocal _ENV = {}\nafter = 1\n", ["before"]),
    ("for _ENV in pairs({}) do\n  print(inside)\nend\nprint(outside)\n", ["outside"]),
])
def test_a_local_environment_makes_free_names_its_fields(text: str,
                                                         undefined: list[str]) -> None:
    found = [d.message.split("'")[1] for d in analysis(text).diagnostics
             if d.code == "undefined-name"]
    assert found == undefined


def test_a_local_function_without_function_is_one_error_and_its_parameters_stay_its() -> None:
    """``local f(a, b) ... end`` (luac5.4: "')' expected near ','"): before, that error,
    ``a``/``b`` undefined names in the body and "unexpected 'end'"; now one error that
    says what is missing, the parameters the body's, ``f`` known after it."""
    text = "local add(a, b)\n  return a + b\nend\nprint(add(1, 2))\n"
    found = [(d.code, d.message) for d in analysis(text).diagnostics]
    assert found == [("syntax", "a local function is written local function name(...): "
                                "'function' is missing")]
    # `local x` then a line that starts with '(' is two statements, as Lua has them
    text = "local function g()\n  local x\n  (print)(x)\nend\ng()\n"
    assert analysis(text).diagnostics == []


@pytest.mark.parametrize(("text", "underlined"), [
    ("local add(a, b)\n  return a + b\nend\nprint(add(1, 2))\n", "add(a, b)"),
    ("local t = {}\n{t,\n  1}\n", "{t,"),
    ("local t = {}\n#t\n", "#t"),
])
def test_a_rejected_form_is_underlined_over_its_first_line(text: str, underlined: str) -> None:
    """A rule's ``error`` underlined the whole node (a function's body and ``end``);
    now its first line, the heading that is wrong."""
    found = [text[d.start:d.end] for d in analysis(text).diagnostics if d.code == "syntax"]
    assert found == [underlined]


def test_an_escape_lua_does_not_know_is_an_error_where_it_is() -> None:
    """``"\\`"`` (Lua 5.1 took it as a backquote; luac5.4 -p: "invalid escape sequence"):
    before, no diagnostic; now one error over the backslash and the character after it
    (``lexical.strings[].escapes``). Long strings have no escapes; the ones Lua knows,
    ``\\z`` and a backslash before a line break are no error."""
    text = ('local s = "a\\`b"\nlocal t = \'x\\.y\'\n'
            'local ok = "\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\\'\\x41\\65\\u{48}\\z\n   z\\\nw"\n'
            'local long = [[\\`]]\nprint(s, t, ok, long)\n')
    found = [(d.code, d.message, text[d.start:d.end]) for d in analysis(text).diagnostics]
    assert found == [("syntax", "invalid escape sequence '\\`'", "\\`"),
                     ("syntax", "invalid escape sequence '\\.'", "\\.")]


def test_a_string_rule_s_escapes_must_be_a_regular_expression_with_backslashes() -> None:
    _, problems = loaded("name: X\nlexical:\n  strings:\n"
                         "    - {delimiter: '\"', escapes: '[ab'}\n"
                         "    - {delimiter: \"'\", escape: doubled, escapes: 'n'}\n")
    assert [p for p in problems if "escapes" in p[1]] == [
        ("error", "escapes is no regular expression: unterminated character set at position 0"),
        ("error", "escapes must be a regular expression, with backslash escapes")]


@pytest.mark.parametrize(("library", "some"), [
    ("os", ["clock", "date", "getenv", "time", "exit"]),
    ("table", ["insert", "remove", "unpack", "concat", "sort"]),
    ("io", ["open", "lines", "stderr", "write"]),
    ("coroutine", ["create", "resume", "yield", "wrap"]),
    ("utf8", ["char", "codes", "len"]),
    ("string", ["sub", "find", "byte", "format"]),
])
def test_completion_after_a_standard_library_offers_all_its_functions(
        library: str, some: list[str]) -> None:
    """Every library of the reference manual (6.2 - 6.10) lists its functions, not only
    the ones craftls runs: `table.` offered sort and concat, `os.` nothing."""
    from craftls.features.completion import complete

    text = f"local t = {{}}\n{library}.\n"
    found = [c.label for c in complete(analysis(text), text.index(".") + 1)[0]]
    assert [name for name in some if name in found] == some
    assert len(found) == len(set(found))
