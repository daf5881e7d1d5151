"""Every editor feature on every bundled language (and the Oberon-07 fixture, a grammar
written from the docs alone): issue 13's "no feature that works on one kind of language
only". One table: a small program per language, written for this test, with the places
each feature is asked about marked in it; every feature must give a real answer there.

The program of every row is the same in spirit: a routine with two parameters and a
local variable, an ``if`` block inside it that writes the local, a global that stores a
call of the routine, and a statement that prints the global. The marks (removed before
parsing) name the places:

    ⟨F⟩ the routine's name where it is declared   ⟨C⟩ the routine's name at the call
    ⟨P⟩ the first parameter where it is declared  ⟨A⟩ the call's second argument
    ⟨D⟩ the local's declaration  ⟨W⟩ a write of it  ⟨U⟩ a read of it (the last use)
    ⟨S⟩ the start of a statement in the body (completion: statement keywords and names)
    ⟨E⟩ an operand in the body (completion: no statement keyword there)
    ⟨I⟩ the ``if`` statement, ⟨J⟩ the line its block ends on, ⟨K⟩ the line the
    routine ends on (folding)"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path

import pytest

from craftls.features import completion, hover, navigation, outline, semantic_tokens
from craftls.features.analysis import analyze_with_types
from craftls.features.formatting import format_text
from craftls.features.quickfix import quick_fixes
from craftls.language.catalog import bundled
from craftls.language.loader import load_definition
from craftls.language.model import LanguageDefinition
from craftls.semantics.diagnostics import FileAnalysis
from craftls.syntax.lexer import lex
from craftls.syntax.parse import parse
from craftls.syntax.tokens import TRIVIA

from .conftest import served_by

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "grammar"
MARK = re.compile("⟨([A-Z])⟩")


@cache
def definition_of(language: str) -> LanguageDefinition:
    if "@" in language:  # `curly@keywords`: the bundled definition served by that engine
        name, engine = language.split("@")
        return served_by(name, engine)
    if language.endswith(".yaml"):
        return load_definition(FIXTURES / language)
    return bundled(language)


@dataclass(frozen=True)
class Row:
    # a bundled language (``name@engine``: served by that engine), or a definition under
    # tests/fixtures/grammar
    language: str
    marked: str  # the program, with its marks
    keyword: str  # the `if` statement's keyword, offered at ⟨S⟩ and not at ⟨E⟩
    param_type: str | None = None  # the type the program writes for the parameters
    local_type: str | None = None  # ... and for the local, where it writes one

    @cached_property
    def text(self) -> str:
        return MARK.sub("", self.marked)

    @cached_property
    def marks(self) -> dict[str, int]:
        found, removed = {}, 0
        for match in MARK.finditer(self.marked):
            found[match.group(1)] = match.start() - removed
            removed += len(match.group(0))
        return found

    @property
    def definition(self) -> LanguageDefinition:
        return definition_of(self.language)

    def analysis(self, text: str | None = None) -> FileAnalysis:
        return analyze_with_types(parse(self.definition, self.text if text is None else text))

    def word(self, mark: str) -> str:
        return re.match(r"\w+%?", self.text[self.marks[mark]:]).group(0)  # type: ignore[union-attr]

    def line(self, mark: str) -> int:
        return self.text.count("\n", 0, self.marks[mark])

    def same(self, a: str, b: str) -> bool:
        return a == b if self.definition.lexical.case_sensitive else a.lower() == b.lower()

    def occurrences(self, word: str) -> list[int]:
        flags = 0 if self.definition.lexical.case_sensitive else re.IGNORECASE
        return [m.start() for m in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w%])",
                                               self.text, flags)]


ROWS = [
    Row("curly", "fn ⟨F⟩add(⟨P⟩a, b) {\n"
                 "    let ⟨D⟩total = a + b;\n"
                 "    ⟨S⟩⟨I⟩if (total > ⟨E⟩b) {\n"
                 "        ⟨W⟩total = 10;\n"
                 "    ⟨J⟩}\n"
                 "    return ⟨U⟩total;\n"
                 "⟨K⟩}\n\n"
                 "let x = ⟨C⟩add(1, ⟨A⟩2);\n"
                 "print(x);\n", "if"),
    Row("teachlang", "teach ⟨F⟩add(⟨P⟩a: int, b: int) -> int:\n"
                     "    remember ⟨D⟩total = a + b\n"
                     "    ⟨S⟩⟨I⟩when total > ⟨E⟩b:\n"
                     "        ⟨J⟩⟨W⟩total = 10\n"
                     "    ⟨K⟩give_back ⟨U⟩total\n\n"
                     "remember x = ⟨C⟩add(1, ⟨A⟩2)\n"
                     "show(x)\n", "when", param_type="int"),
    Row("basic", "FUNCTION ⟨F⟩Add(⟨P⟩a AS INTEGER, b AS INTEGER) AS INTEGER\n"
                 "    DIM ⟨D⟩total AS INTEGER = a + b\n"
                 "    ⟨S⟩⟨I⟩IF total > ⟨E⟩b THEN\n"
                 "        ⟨W⟩total = 10\n"
                 "    ⟨J⟩END IF\n"
                 "    RETURN ⟨U⟩total\n"
                 "⟨K⟩END FUNCTION\n\n"
                 "DIM x AS INTEGER = ⟨C⟩Add(1, ⟨A⟩2)\n"
                 "PRINT x\n", "IF", param_type="INTEGER", local_type="INTEGER"),
    Row("espanol", "función ⟨F⟩sumar(⟨P⟩a: Entero, b: Entero): Entero\n"
                   "    variable ⟨D⟩total = a + b\n"
                   "    ⟨S⟩⟨I⟩si total > ⟨E⟩b entonces\n"
                   "        ⟨W⟩total = 10\n"
                   "    ⟨J⟩fin si\n"
                   "    retornar ⟨U⟩total\n"
                   "⟨K⟩fin función\n\n"
                   "variable x = ⟨C⟩sumar(1, ⟨A⟩2)\n"
                   "escribir(x)\n", "si", param_type="Entero"),
    Row("pascal", "PROGRAM Demo;\n\n"
                  "VAR\n"
                  "  X : INTEGER;\n\n"
                  "FUNCTION ⟨F⟩Add(⟨P⟩A, B : INTEGER) : INTEGER;\n"
                  "VAR\n"
                  "  ⟨D⟩Total : INTEGER;\n"
                  "BEGIN\n"
                  "  Total := A + B;\n"
                  "  ⟨S⟩⟨I⟩IF Total > ⟨E⟩B THEN\n"
                  "  BEGIN\n"
                  "    ⟨W⟩Total := 10\n"
                  "  ⟨J⟩END;\n"
                  "  Add := ⟨U⟩Total\n"
                  "⟨K⟩END;\n\n"
                  "BEGIN\n"
                  "  X := ⟨C⟩Add(1, ⟨A⟩2);\n"
                  "  WRITELN(X)\n"
                  "END.\n", "IF", param_type="INTEGER", local_type="INTEGER"),
    Row("turbopascal", "program Demo;\n\n"
                       "var\n"
                       "  x: Integer;\n\n"
                       "function ⟨F⟩Add(⟨P⟩a, b: Integer): Integer;\n"
                       "var\n"
                       "  ⟨D⟩total: Integer;\n"
                       "begin\n"
                       "  total := a + b;\n"
                       "  ⟨S⟩⟨I⟩if total > ⟨E⟩b then\n"
                       "  begin\n"
                       "    ⟨W⟩total := 10;\n"
                       "  ⟨J⟩end;\n"
                       "  Add := ⟨U⟩total;\n"
                       "⟨K⟩end;\n\n"
                       "begin\n"
                       "  x := ⟨C⟩Add(1, ⟨A⟩2);\n"
                       "  WriteLn(x);\n"
                       "end.\n", "if", param_type="Integer", local_type="Integer"),
    Row("lua", "local function ⟨F⟩add(⟨P⟩a, b)\n"
               "  local ⟨D⟩total = a + b\n"
               "  ⟨S⟩⟨I⟩if total > ⟨E⟩b then\n"
               "    ⟨W⟩total = 10\n"
               "  ⟨J⟩end\n"
               "  return ⟨U⟩total\n"
               "⟨K⟩end\n\n"
               "local x = ⟨C⟩add(1, ⟨A⟩2)\n"
               "print(x)\n", "if"),
    Row("qbasic", "DECLARE FUNCTION Add% (a AS INTEGER, b AS INTEGER)\n\n"
                  "x = ⟨C⟩Add%(1, ⟨A⟩2)\n"
                  "PRINT x\n\n"
                  "FUNCTION ⟨F⟩Add% (⟨P⟩a AS INTEGER, b AS INTEGER)\n"
                  "    ⟨D⟩total = a + b\n"
                  "    ⟨S⟩⟨I⟩IF total > ⟨E⟩b THEN\n"
                  "        ⟨W⟩total = 10\n"
                  "    ⟨J⟩END IF\n"
                  "    Add% = ⟨U⟩total\n"
                  "⟨K⟩END FUNCTION\n", "IF", param_type="INTEGER"),
    Row("oberon07.yaml", "MODULE Demo;\n"
                         "IMPORT Out;\n\n"
                         "VAR x: INTEGER;\n\n"
                         "PROCEDURE ⟨F⟩Add(⟨P⟩a, b: INTEGER): INTEGER;\n"
                         "  VAR ⟨D⟩total: INTEGER;\n"
                         "BEGIN\n"
                         "  total := a + b;\n"
                         "  ⟨S⟩⟨I⟩IF total > ⟨E⟩b THEN\n"
                         "    ⟨W⟩total := 10\n"
                         "  ⟨J⟩END\n"
                         "  RETURN ⟨U⟩total\n"
                         "⟨K⟩END Add;\n\n"
                         "BEGIN\n"
                         "  x := ⟨C⟩Add(1, ⟨A⟩2);\n"
                         "  Out.Int(x, 0)\n"
                         "END Demo.\n", "IF", param_type="INTEGER", local_type="INTEGER"),
]




# a keyword-level language its bundled file serves through its template, once more through
# the keyword-level parser (which still serves every definition without the key): so both
# engines answer every feature whichever one the bundled files choose
ROWS += [replace(r, language=f"{r.language}@keywords") for r in ROWS
         if not r.language.endswith(".yaml")
         and bundled(r.language).structure.engine == "template"]


@pytest.fixture(params=ROWS, ids=[r.language.removesuffix(".yaml") for r in ROWS])
def row(request: pytest.FixtureRequest) -> Row:
    found: Row = request.param
    return found


def test_the_table_has_every_bundled_language_and_both_kinds() -> None:
    from craftls.language.catalog import bundled_ids
    assert {r.language for r in ROWS} >= set(bundled_ids())
    assert {r.definition.grammar is not None for r in ROWS} == {True, False}


def test_the_program_checks_clean(row: Row) -> None:
    assert [d.message for d in row.analysis().diagnostics] == []


def test_hover_at_a_use_and_at_a_call(row: Row) -> None:
    result = row.analysis()
    use = row.marks["U"]
    info = hover.hover(result, use)
    assert info is not None and (info.start, info.end) == (use, use + len(row.word("U")))
    assert f"variable {row.word('D')}" in info.markdown
    if row.local_type:
        assert f"variable {row.word('D')}: {row.local_type}" in info.markdown
    assert f"declared on line {row.line('D') + 1}" in info.markdown
    call = row.marks["C"]
    info = hover.hover(result, call)
    assert info is not None and row.word("F") in info.markdown
    assert f"({row.word('P')}" in info.markdown  # the routine's parameters
    if row.param_type:  # with the types the program writes
        assert f"({row.word('P')}: {row.param_type}" in info.markdown
    assert f"declared on line {row.line('F') + 1}" in info.markdown


def test_definition_at_a_use_and_at_a_call(row: Row) -> None:
    result = row.analysis()
    found = navigation.definition(result, row.marks["U"])
    assert found is not None and found.start == row.marks["D"]
    found = navigation.definition(result, row.marks["C"])
    assert found is not None and found.start == row.marks["F"]


def test_references_and_highlights_of_the_local(row: Row) -> None:
    result = row.analysis()
    every = row.occurrences(row.word("D"))
    for asked in ("D", "W", "U"):
        for found in (navigation.references(result, row.marks[asked]),
                      navigation.highlights(result, row.marks[asked])):
            assert [s.start for s in found] == every, asked
            writes = {s.start: s.is_write for s in found}
            assert writes[row.marks["D"]] and writes[row.marks["W"]]
            assert not writes[row.marks["U"]]
    calls = navigation.references(result, row.marks["C"])
    assert {row.marks["F"], row.marks["C"]} <= {s.start for s in calls}


def test_rename_the_local_and_the_routine(row: Row) -> None:
    result = row.analysis()
    span, name = navigation.prepare_rename(result, row.marks["U"])
    assert (span.start, name) == (row.marks["U"], row.word("U"))
    spans = navigation.rename_spans(result, row.marks["U"], "amount")
    assert sorted(s.start for s in spans) == row.occurrences(row.word("D"))
    spans = navigation.rename_spans(result, row.marks["C"], "Plus")
    assert {row.marks["F"], row.marks["C"]} <= {s.start for s in spans}
    with pytest.raises(navigation.RenameRefused):
        navigation.rename_spans(result, row.marks["D"], row.word("P"))  # hides a parameter


def test_completion_at_a_statement_start(row: Row) -> None:
    at = row.marks["S"]
    line_start = row.text.rfind("\n", 0, at) + 1
    text = row.text[:at] + "\n" + row.text[line_start:at] + row.text[at:]
    candidates, _ = completion.complete(row.analysis(text), at)
    labels = [c.label for c in candidates]
    for name in (row.keyword, row.word("D"), row.word("P"), row.word("F")):
        assert any(row.same(label, name) for label in labels), name
    if row.definition.grammar is not None:
        # the words the grammar accepts at the cursor come first, then the names
        kinds = [c.kind for c in candidates]
        assert kinds[:kinds.index("keyword") + 1].count("keyword") == 1
        assert "keyword" not in kinds[kinds.index("keyword") + len(
            [k for k in kinds if k == "keyword"]):]


def test_completion_in_an_operand(row: Row) -> None:
    at = row.marks["E"]
    text = row.text[:at] + row.text[at + len(row.word("E")):]  # `total > |`
    labels = [c.label for c in completion.complete(row.analysis(text), at)[0]]
    assert any(row.same(label, row.word("D")) for label in labels)
    assert any(row.same(label, row.word("P")) for label in labels)
    assert not any(row.same(label, row.keyword) for label in labels)  # it would not parse
    assert any(row.same(label, t) for t in row.definition.keywords.get("true", ())
               for label in labels) or "true" not in row.definition.keywords


def test_signature_help_at_the_call_and_while_typing_it(row: Row) -> None:
    at = row.marks["A"]
    line_end = row.text.index("\n", at)
    typed = {"as written": row.text,
             "an empty argument": row.text[:at] + row.text[at + 1:],
             "nothing after it": row.text[:at] + row.text[line_end:]}
    for how, text in typed.items():
        info = hover.signature_help(row.analysis(text), at)
        assert info is not None, how
        assert row.word("F") in info.label, how
        assert [p.split(":")[0] for p in info.parameters] == [row.word("P"), "b"] \
            or [p.split(":")[0] for p in info.parameters] == [row.word("P"), "B"], how
        assert info.active_parameter == 1, how


def test_document_symbols(row: Row) -> None:
    symbols = outline.document_symbols(row.analysis())
    routine = next(s for s in symbols if s.name == row.word("F"))
    assert routine.kind in ("function", "procedure")
    assert routine.name_start == row.marks["F"]
    assert row.word("D") in [c.name for c in routine.children]
    assert row.word("P") not in [c.name for c in routine.children]  # parameters: detail
    assert any(row.same(s.name, "x") for s in symbols)


def test_folding_ranges(row: Row) -> None:
    text = row.text
    folds = [(text.count("\n", 0, f.start), text.count("\n", 0, f.end))
             for f in outline.folding_ranges(row.analysis())]
    assert (row.line("F"), row.line("K")) in folds
    # the `if` statement, or the block it holds (`if ... then` / `begin ... end`)
    assert {(row.line("I"), row.line("J")), (row.line("I") + 1, row.line("J"))} & set(folds)
    assert len(folds) == len(set(folds))  # one fold per range of lines


def test_selection_ranges(row: Row) -> None:
    at = row.marks["U"]
    ranges = outline.selection_ranges(row.analysis(), at)
    assert ranges[0] == (at, at + len(row.word("U")))
    assert ranges[-1] == (0, len(row.text))
    assert len(ranges) >= 4  # the name, its statement, the routine, the file at least
    assert all(a[0] >= b[0] and a[1] <= b[1] and a != b for a, b in pairwise(ranges))
    routine_start = row.text.rfind("\n", 0, row.marks["F"]) + 1
    assert any(start <= routine_start and end >= row.marks["K"] for start, end in ranges)


def test_semantic_tokens(row: Row) -> None:
    tokens = {t.start: (t.type, t.modifiers) for t in semantic_tokens.classify(row.analysis())}
    assert tokens[row.marks["F"]] == ("function", ("declaration",))
    assert tokens[row.marks["C"]][0] == "function"
    assert tokens[row.marks["D"]] == ("variable", ("declaration",))
    assert tokens[row.marks["U"]] == ("variable", ())
    assert tokens[row.marks["P"]] == ("parameter", ("declaration",))
    assert tokens[row.marks["I"]][0] == "keyword"


def _significant(definition: LanguageDefinition, text: str) -> list[str]:
    return [text for kind, text in lex(definition, text)[0] if kind not in TRIVIA]


def test_formatting_keeps_the_program_and_restores_its_indentation(row: Row) -> None:
    definition = row.definition
    assert format_text(parse(definition, row.text)) == row.text  # written as it formats
    messy = "\n".join(" " * (3 * (i % 2)) + line.strip() if line.strip() else line
                      for i, line in enumerate(row.text.split("\n")))
    if definition.structure.block_style.value == "indentation":
        messy = row.text.replace(" = ", " =  ")  # its indentation is its structure
    fixed = format_text(parse(definition, messy))
    assert _significant(definition, fixed) == _significant(definition, messy)
    assert format_text(parse(definition, fixed)) == fixed  # idempotent
    assert fixed == row.text


# ---------------------------------------------------------------- signature help's calls

# (language, text with the cursor as `|`, the label shown there (None: no help), the
# active parameter): the calls a program types, each kind of callee
CALLS = [
    # a library table's function, also inside a declaration and with the list unclosed
    ("lua", "local s = 'ab'\nprint(string.rep(s, |))\n", "string.rep(s: str", 1),
    ("lua", "local s = 'ab'\nlocal t = string.rep(s, |)\n", "string.rep(s: str", 1),
    ("lua", "local s = 'ab'\nlocal t = string.rep(|\nprint(t)\n", "string.rep(s: str", 0),
    # a method that runs as the library's function with the receiver first (the
    # grammar's `index` construct: `methods: string`): the argument after the receiver
    ("lua", "local s = 'ab'\nprint(s:rep(|2))\n", "string.rep(s: str", 1),
    ("lua", "local s = 'ab'\nlocal t = s:rep(|)\n", "string.rep(s: str", 1),
    ("lua", "local s = 'ab'\nlocal t = s:rep(2, |)\n", "string.rep(s: str", 2),
    # `x = f(`: the name before `=` is no receiver
    ("lua", "local function f(a, b)\n  return a\nend\nlocal x = f(1, |)\n",
     "function f(a, b)", 1),
    ("qbasic", "FUNCTION F% (a AS INTEGER, b AS INTEGER)\n    F% = a\nEND FUNCTION\n"
               "x = F%(1, |\nPRINT x\n", "function F%(a: INTEGER, b: INTEGER)", 1),
    ("turbopascal", "program P;\nbegin\n  WriteLn(Copy('abc', |));\nend.\n",
     "Copy(s: any", 1),
    # a routine's own parameter list, while it is declared, is no call
    ("lua", "local function f(a, |)\nend\n", None, 0),
    ("turbopascal", "program P;\nprocedure Q(a: Integer; |);\nbegin\nend;\nbegin\nend.\n",
     None, 0),
]


@pytest.mark.parametrize(("language", "marked", "label", "active"), CALLS,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(CALLS)])
def test_signature_help_of_each_kind_of_call(language: str, marked: str, label: str | None,
                                            active: int) -> None:
    at, text = marked.index("|"), marked.replace("|", "")
    info = hover.signature_help(analyze_with_types(parse(bundled(language), text)), at)
    if label is None:
        assert info is None
        return
    assert info is not None and info.label.startswith(label) and info.active_parameter == active


# a module of each kind of language and a program that imports it
MODULES = {
    "pascal": ("FUNCTION Square(X : INTEGER) : INTEGER;\nBEGIN\n  Square := X * X\nEND;\n",
               "PROGRAM P;\nUSES MathLib;\nVAR N : INTEGER;\nBEGIN\n"
               "  N := MathLib.Square(|2);\n  N := Square(|N)\nEND.\n"),
    "turbopascal": ("unit MathLib;\n\ninterface\n\nfunction Square(x: Integer): Integer;\n\n"
                    "implementation\n\nfunction Square(x: Integer): Integer;\nbegin\n"
                    "  Square := x * x;\nend;\n\nend.\n",
                    "program P;\nuses MathLib;\nvar n: Integer;\nbegin\n"
                    "  n := MathLib.Square(|2);\n  n := Square(|n);\n  n := Square(|\nend.\n"),
}


@pytest.mark.parametrize("language", sorted(MODULES))
def test_an_imported_routine_shows_its_parameters(language: str, tmp_path: Path) -> None:
    module, marked = MODULES[language]
    (tmp_path / "MathLib.pas").write_text(module, encoding="utf-8")
    marks = [i - n for n, i in enumerate(m.start() for m in re.finditer(r"\|", marked))]
    text = marked.replace("|", "")
    result = analyze_with_types(parse(bundled(language), text), tmp_path / "main.pas")
    for at in marks:
        info = hover.signature_help(result, at)
        assert info is not None and info.label.lower().startswith("function square(x")
        assert [p.lower().split(":")[0] for p in info.parameters] == ["x"]
        shown = hover.hover(result, at - len("Square("))
        assert shown is not None and "function Square(" in shown.markdown


def test_hover_on_a_method_that_runs_as_a_library_function() -> None:
    text = "local s = 'ab'\nlocal t = s:rep(2)\nlocal u = s.rep\nprint(t, u)\n"
    result = analyze_with_types(parse(bundled("lua"), text))
    shown = hover.hover(result, text.index("rep"))
    assert shown is not None and shown.markdown.startswith("```lua\nstring.rep(s: str")
    assert hover.hover(result, text.index("s.rep") + 2) is None  # a field, not a method


def test_inlay_hints_name_the_parameters_at_the_call(row: Row) -> None:
    result = row.analysis()
    hints = outline.inlay_hints(result, 0, len(row.text), types=False)
    first = row.text.index("(", row.marks["C"]) + 1
    assert [(h.offset, h.label.lower()) for h in hints if h.kind == "parameter"] == [
        (first, f"{row.word('P').lower()}:"), (row.marks["A"], "b:")]


def test_a_quick_fix_corrects_a_misspelt_name(row: Row) -> None:
    at, word = row.marks["U"], row.word("U")
    typo = row.text[:at] + word[:-1] + row.text[at + len(word):]  # `tota`
    fixes = quick_fixes(row.analysis(typo), 0, len(typo))
    assert f"Change to '{word}'" in [f.title for f in fixes]


def test_the_tokens_before_an_offset_are_the_tree_s(row: Row) -> None:
    """``hover.tokens_before`` enters each level by bisection: the same tokens as a walk
    of every leaf, from the start of the line before the offset's."""
    parsed = parse(row.definition, row.text)
    leaves = [(t.kind, t.text, t.start) for t in parsed.root.leaves()]
    for offset in range(len(row.text) + 1):
        line = row.text.rfind("\n", 0, offset)
        start = row.text.rfind("\n", 0, line) + 1 if line > 0 else 0
        assert [(t.kind, t.text, t.start) for t in hover.tokens_before(parsed, offset)] == [
            t for t in leaves if t[2] + len(t[1]) > start and t[2] < offset], offset
