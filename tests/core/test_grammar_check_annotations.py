"""`language check` on what a newcomer writing a grammar gets wrong without noticing
(issue 13, the Oberon fixture's log): annotations on the start rule, whose node is the
file and so never read; an operator that a line comment marker swallows; the `writes`
annotation used where it cannot work. Each is a warning naming it, at its YAML place."""

from __future__ import annotations

from craftls.language.loader import load_definition_text
from craftls.language.problems import DefinitionProblem

HEADER = """name: Tiny
lexical:
  case_sensitive: true
  line_comments: ["//"]
keywords:
  let: LET
operators:
  - {symbol: "+", precedence: 4}
structure:
  statements: newline
  assignment: ":="
"""


def problems(text: str) -> list[DefinitionProblem]:
    definition, found = load_definition_text(text)
    assert definition is not None, found  # warnings only: the definition is usable
    return found


def line_of(text: str, snippet: str) -> int:
    return text[:text.index(snippet)].count("\n") + 1


def test_an_annotation_on_the_start_rule_is_a_warning_at_its_key() -> None:
    text = HEADER + """grammar:
  start: file
  rules:
    file:
      match: "item*"
      scope: true
      block: true
    item: "IDENT ':=' NUMBER"
"""
    found = [(p.message, p.line, p.column, p.severity) for p in problems(text)]
    assert found == [
        (f"'{key}' on the start rule 'file' is ignored: its node is the whole file, which is "
         "always a scope and whose items are always lines; annotate the rule it repeats "
         "(its items) instead", line_of(text, f"{key}: true"), 7, "warning")
        for key in ("scope", "block")]


def test_an_operator_a_line_comment_swallows_is_a_warning_at_the_operator() -> None:
    text = HEADER.replace('  line_comments: ["//"]\n', "").replace(
        '  - {symbol: "+", precedence: 4}\n',
        '  - {symbol: "+", precedence: 4}\n  - {symbol: "#", precedence: 1}\n')
    found = problems(text)
    assert [(p.message, p.line, p.column, p.severity) for p in found] == [
        ("operator '#' can never be written: '#' starts a line comment (the default "
         "lexical.line_comments is ['#']; write 'line_comments: []' under lexical for none)",
         line_of(text, '{symbol: "#"'), 14, "warning")]
    listed = problems(text.replace("lexical:\n", "lexical:\n  line_comments: ['#']\n"))
    assert [p.message for p in listed] == [
        "operator '#' can never be written: '#' starts a line comment "
        "(lexical.line_comments is ['#']; write 'line_comments: []' under lexical for none)"]
    assert problems(text.replace("lexical:\n", "lexical:\n  line_comments: []\n")) == []


def test_writes_is_checked() -> None:
    text = HEADER + """grammar:
  start: file
  rules:
    file: "item*"
    item: "assignment / let / show"
    assignment:
      match: "IDENT ':=' NUMBER"
      writes: true
    let:
      match: "'LET' IDENT ':=' NUMBER"
      writes: true
    show:
      match: "'+' IDENT"
      declares: variable
      writes: true
"""
    found = [(p.message, p.line, p.severity) for p in problems(text)]
    assert found == [
        ("'writes' in rule 'show' does nothing next to 'declares' or 'assigns' (its name is "
         "declared there, or written when already known)",
         text.count("\n", 0, text.rindex("writes")) + 1, "warning"),
        ("'writes' in rule 'let' marks the name its node starts with, but the rule never "
         "starts with a name (IDENT): annotate the rule of the target instead",
         line_of(text, "    let:"), "warning")]
    _, bad = load_definition_text(text.replace("writes: true", "writes: yes please", 1))
    assert any(p.message == "'writes' in rule 'assignment' must be true or false"
               and p.severity == "error" for p in bad)


def test_a_default_operator_a_line_comment_swallows_is_a_warning_at_the_markers() -> None:
    text = "name: Percent\nlexical:\n  line_comments: ['%']\n"
    found = problems(text)
    assert [(p.message, p.line, p.severity) for p in found] == [
        ("default operator '%' can never be written: '%' starts a line comment "
         "(lexical.line_comments is ['%']; write 'line_comments: []' under lexical for "
         "none)", 3, "warning")]
