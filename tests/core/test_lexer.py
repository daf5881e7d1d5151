"""The lexer's two paths give the same tokens.

A whole text is lexed with one ``findall`` and a kind looked up per token text when
the definition's pattern makes a token's kind a function of its text, and an edit's
window the same way, one match at a time up to its end; otherwise token by token, with
the token's kind from its pattern's group. Both must agree everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from craftls.language.catalog import bundled, bundled_ids
from craftls.language.loader import load_definition_text
from craftls.syntax.lexer import (
    BLANK,
    LONG_LEVELS,
    RUN_TEXT,
    RUN_TOKENS,
    TOKEN_TABLE_SIZE,
    _common_first,
    _context_free,
    _lex_loop,
    _optional_first,
    _run_pattern,
    _tokens_of_runs,
    lex,
    tables_for,
)
from craftls.syntax.tokens import COMMENT, IDENT, KEYWORD_PREFIX, STRING, UNTERMINATED_STRING

from .conftest import SAMPLES

# characters that start or end every kind of token in the bundled languages
LEXICAL_ALPHABET = "aZé1 \t\n\r'\"{}()[]*/\\;:=.<>$#-+_,REMremfin"


def _token_by_token(language_id: str, text: str) -> list[tuple[str, str]]:
    """The token loop, after the first line comment ``lex`` splits off first."""
    definition = bundled(language_id)
    marker = definition.lexical.first_line_comment
    if marker and text.startswith(marker):
        end = text.find("\n")
        end = len(text) if end < 0 else end
        return [(COMMENT, text[:end]),
                *_lex_loop(tables_for(definition), text, end, len(text))[0]]
    return _lex_loop(tables_for(definition), text, 0, len(text))[0]


@pytest.mark.parametrize(("language_id", "path"), SAMPLES, ids=lambda v: getattr(v, "name", v))
def test_samples_lex_the_same_both_ways(language_id: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert lex(bundled(language_id), text)[0] == _token_by_token(language_id, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(language_id=st.sampled_from(bundled_ids()),
       text=st.text(alphabet=LEXICAL_ALPHABET, max_size=80))
def test_arbitrary_text_lexes_the_same_both_ways(language_id: str, text: str) -> None:
    tokens = lex(bundled(language_id), text)[0]
    assert tokens == _token_by_token(language_id, text)
    assert "".join(value for _, value in tokens) == text


CONTEXT_FREE = [lid for lid in bundled_ids() if tables_for(bundled(lid)).texts_pattern is not None]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(language_id=st.sampled_from(CONTEXT_FREE),
       text=st.text(alphabet=LEXICAL_ALPHABET, max_size=80), start=st.integers(0, 90))
def test_runs_of_tokens_split_as_one_token_per_match(language_id: str, text: str,
                                                     start: int) -> None:
    """A long text's tokens are matched several at a time (``_run_pattern``): the same
    texts as one per match, wherever a run begins and ends."""
    pattern = tables_for(bundled(language_id)).texts_pattern
    assert pattern is not None
    runs = _run_pattern(pattern)
    assert runs is not None
    found = runs.findall(text, start)
    assert [t for run in found for t in run if t] == pattern.findall(text, start)
    # every run but the last is full: RUN_TOKENS tokens per match
    assert all(all(run) for run in found[:-1])


@pytest.mark.parametrize(("language_id", "path"), SAMPLES, ids=lambda v: getattr(v, "name", v))
def test_a_long_text_is_lexed_in_runs_as_the_token_loop_does(language_id: str,
                                                              path: Path) -> None:
    """Every bundled sample, repeated past ``RUN_TEXT`` (the run path; the samples alone
    are shorter), the same tokens as the token loop."""
    text = path.read_text(encoding="utf-8")
    text = text * (RUN_TEXT // len(text) + 1) + "{ unterminated" * (language_id == "turbopascal")
    tables = tables_for(bundled(language_id))
    tokens = lex(bundled(language_id), text)[0]
    assert tokens == _token_by_token(language_id, text)
    if language_id in CONTEXT_FREE:
        assert tables.runs and tables.runs[0] is not tables.texts_pattern
        assert len(tables.runs[0].findall(text)) <= len(tokens) // RUN_TOKENS + 1


@pytest.mark.parametrize(("language_id", "path"), [s for s in SAMPLES if s[0] in CONTEXT_FREE],
                         ids=lambda v: getattr(v, "name", v))
def test_the_loop_over_runs_takes_the_tokens_of_the_token_loop(language_id: str,
                                                                path: Path) -> None:
    """``_tokens_of_runs`` (the compiled build's way from the runs' texts to their
    tokens, where pure Python maps them) on every sample repeated past ``RUN_TEXT``,
    whichever build runs the tests."""
    text = path.read_text(encoding="utf-8")
    text = text * (RUN_TEXT // len(text) + 1)
    tables = tables_for(bundled(language_id))
    lex(bundled(language_id), text)  # makes the runs' pattern
    found = tables.runs[0].findall(text)
    last = found.pop()
    assert _tokens_of_runs(tables.tokens_by_text, found, last) == _token_by_token(language_id,
                                                                                  text)


LONG_BRACKETS = ["--[[ a ]] x", "--[==[ a ]] ]==] y", "[[x]]", "[=[ ]] ]=]", "--[[ open",
                 "[==[", "a[b[1]]", "--[x", "--[=[ ]=]]", "x = [=======[ ]] ]=======]",
                 "s = [========[ ]] ]========]", "--[==========[ ]==========] z"]


@pytest.mark.parametrize("text", LONG_BRACKETS)
def test_long_brackets_of_every_level_lex_as_the_token_loop_does(text: str) -> None:
    """Lua's long brackets take the text lookup up to ``LONG_LEVELS`` (each level its
    own alternative, no backreference); a text with a higher one keeps the loop."""
    tables = tables_for(bundled("lua"))
    assert tables.texts_pattern is not None
    for whole in (text, "x = 1\n" * (RUN_TEXT // 6 + 1) + text):
        assert lex(bundled("lua"), whole)[0] == _token_by_token("lua", whole)
    high = re.search(rf"\[={{{LONG_LEVELS},}}\[", text) is not None
    assert (tables.loop_if is not None and tables.loop_if.search(text) is not None) == high


def test_a_pattern_that_matches_the_empty_text_takes_no_runs() -> None:
    assert _run_pattern(re.compile("a*|b")) is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(language_id=st.sampled_from(bundled_ids()),
       text=st.text(alphabet=LEXICAL_ALPHABET, max_size=80),
       start=st.integers(0, 90), stop=st.integers(0, 90))
def test_a_window_lexes_as_the_token_loop_does(language_id: str, text: str, start: int,
                                               stop: int) -> None:
    """An edit's window (``lex`` with a stop): the same tokens and the same place where
    lexing stopped as the loop, from any start up to any stop."""
    start, stop = min(start, len(text)), min(stop, len(text))  # as the reparse asks
    got = lex(bundled(language_id), text, start, stop)
    assert got == _lex_loop(tables_for(bundled(language_id)), text, start, stop)
    tokens, stopped = got
    assert "".join(value for _, value in tokens) == text[start:stopped]
    assert stopped >= stop or stopped == start


def test_the_text_lookup_serves_the_bundled_languages_without_assertions() -> None:
    # BASIC's REM comments have a word-boundary lookahead that reads no character past
    # the token (``_word_comment_ending``); QBasic's nested comments keep the token loop
    fast = {lid for lid in bundled_ids() if tables_for(bundled(lid)).texts_pattern is not None}
    assert {"pascal", "curly", "espanol", "teachlang", "basic", "lua"} <= fast
    assert "qbasic" not in fast


@pytest.mark.parametrize("text", ["REM", "REM x", "rem\n", "REMARK = 1", "REM1", "REM_", "REM$",
                                  "x REM\nREMx REM", "'REM", "REMé", "REM\r\n"])
def test_a_word_comment_marker_lexes_the_same_both_ways(text: str) -> None:
    assert tables_for(bundled("basic")).texts_pattern is not None
    assert lex(bundled("basic"), text)[0] == _token_by_token("basic", text)


@pytest.mark.parametrize("pattern", [r"(?i:REM)(?![\w])[^\n]*", r"x|REM(?![\w])[^\n]*"])
def test_the_word_comment_lookahead_is_context_free(pattern: str) -> None:
    assert _context_free(re.compile(pattern))


@pytest.mark.parametrize("pattern", [r"REM(?![\w])x", r"REM(?![\s])[^\n]*", r"REM(?!\w)[^\n]+",
                                     r"REM(?=[\w])[^\n]*"])
def test_other_lookaheads_before_the_rest_of_a_line_are_not(pattern: str) -> None:
    assert not _context_free(re.compile(pattern))


@pytest.mark.parametrize("pattern", [r"a\b", r"(?=x)y", r"(?<!x)y", r"^a", r"a$", r"x\Z",
                                     r"(a|b(?!c))+", r"(?:q(?<=q))"])
def test_any_assertion_makes_a_pattern_context_dependent(pattern: str) -> None:
    assert not _context_free(re.compile(pattern))


@pytest.mark.parametrize("pattern", [r"[^\W\d]\w*", r"\$[0-9A-F]+", r"'(?:''|[^'\n])*'",
                                     r"(?P<g>a|b)+c?"])
def test_patterns_without_assertions_are_context_free(pattern: str) -> None:
    assert _context_free(re.compile(pattern))


def test_a_definition_with_a_lookahead_keeps_the_token_loop_and_its_meaning() -> None:
    definition, problems = load_definition_text(
        "name: Look\nid: look\nlexical:\n  identifier: '[a-z]+(?![0-9])'\n"
        "keywords:\n  if: if\n")
    assert definition is not None, problems
    assert tables_for(definition).texts_pattern is None
    tokens = [token for token in lex(definition, "if ab1 ab")[0] if token[0] != "ws"]
    # the lookahead refuses "ab" before a digit, so the identifier is "a"; then "b" is
    # refused too and is an unexpected character: the same token elsewhere is "ab"
    assert tokens == [(KEYWORD_PREFIX + "if", "if"), (IDENT, "a"), ("err_char", "b"),
                      ("number", "1"), (IDENT, "ab")]


def test_strings_keep_their_kinds_by_text() -> None:
    pascal = bundled("pascal")
    tokens = lex(pascal, "x := 'it''s'; y := 'open\n")[0]
    assert (STRING, "'it''s'") in tokens
    assert (UNTERMINATED_STRING, "'open") in tokens
    assert (IDENT, "x") in tokens


def test_the_token_table_is_bounded_and_keeps_no_long_texts() -> None:
    tokens = tables_for(bundled("pascal")).tokens_by_text
    tokens.clear()
    long_comment = "{" + "x" * 500 + "}"
    for i in range(TOKEN_TABLE_SIZE + 10):
        tokens[f"name{i}"]
    tokens[long_comment]
    assert len(tokens) <= TOKEN_TABLE_SIZE
    assert long_comment not in tokens
    assert tokens[long_comment] == ("comment", long_comment)


def test_equal_tokens_are_one_shared_tuple() -> None:
    tokens = lex(bundled("pascal"), "X := X + 1; X := 1")[0]
    xs = [token for token in tokens if token == (IDENT, "X")]
    assert len(xs) == 3 and all(x is xs[0] for x in xs)


@pytest.mark.parametrize("language_id", ["basic", "curly", "espanol", "pascal", "teachlang",
                                         "turbopascal", "lua", "qbasic"])
def test_a_number_with_an_exponent_and_no_point_is_one_real_number(language_id: str) -> None:
    """`1e-07` is a real in every bundled language (Pascal, C, Python, Lua and BASIC all
    write it so); it must not lex as `1` followed by a name."""
    from craftls.types.infer import number_type
    from craftls.types.model import FLOAT
    tokens = [t for t in lex(bundled(language_id), "x = 1e-07 + 2E5")[0] if t[0] != "ws"]
    assert ("number", "1e-07") in tokens and ("number", "2E5") in tokens, tokens
    assert number_type("1e-07") is FLOAT


# alternatives of a lexer's pattern, overlapping in many ways (a word comment and the
# names, digits inside words, a class and a literal, a negated class, case folding)
ALTERNATIVES = ["[A-Za-z_]\\w*", "[^\\W\\d]\\w*", "[^\\S\\r\\n]+", "\\r\\n|\\n|\\r", "\\d+",
                "(?i:rem)[^\\n]*", "'[^'\\n]*'", "//[^\\n]*", "[a-f]+", "x\\d*", "\\w", "ab|a",
                "[^a-z]", "\\$[0-9A-F]+", "[٠-٩]+", "(?:é|e)+", "\\s+", "[/*]+"]


@settings(max_examples=300, deadline=None)
@example(alternatives=["\\d+", "\\w"], common=[1], text="12")  # digits are word characters
@example(alternatives=["\\s+", "[^\\S\\r\\n]+"], common=[1], text=" \t")
@given(alternatives=st.lists(st.sampled_from(ALTERNATIVES), min_size=1, max_size=8, unique=True),
       common=st.lists(st.integers(0, 7), max_size=4, unique=True),
       text=st.text(alphabet="aAbxfRrEeMm019_ \t\n\r'/$é٣*F", max_size=60))
def test_trying_the_common_alternatives_first_changes_no_token(
        alternatives: list[str], common: list[int], text: str) -> None:
    """``_common_first`` moves an alternative forward only past those that cannot match
    where it does: the same texts come out, whichever alternatives it was asked to move."""
    common = [i for i in common if i < len(alternatives)]
    parts = [f"(?:{a})" for a in alternatives] + ["(?:[\\s\\S])"]
    moved = _common_first(parts, common)
    assert sorted(moved) == sorted(parts)
    assert re.findall("|".join(moved), text) == re.findall("|".join(parts), text)


def test_the_identifier_alternative_is_tried_first_where_no_token_changes() -> None:
    """Names are the most common tokens: their alternative comes first, before the
    blanks and line breaks, unless an alternative that can match where a name does must
    come before it (BASIC's ``REM`` comments are words)."""
    for language_id in ("pascal", "turbopascal", "curly", "teachlang"):
        pattern = tables_for(bundled(language_id)).texts_pattern
        assert pattern is not None
        # an identifier with an optional first character (`&?name`) is two alternatives,
        # the one without it first
        identifier = _optional_first(bundled(language_id).lexical.identifier)[0]
        assert pattern.pattern.startswith(f"(?:{identifier})|(?:{BLANK}+"), language_id
    basic = tables_for(bundled("basic")).texts_pattern
    assert basic is not None
    assert basic.pattern.index("REM") < basic.pattern.index(bundled("basic").lexical.identifier)


def test_an_optional_first_character_makes_two_alternatives_that_match_as_one() -> None:
    assert _optional_first(r"&?[A-Za-z_]\w*") == [r"[A-Za-z_]\w*", r"&[A-Za-z_]\w*"]
    for kept in (r"[A-Za-z_]\w*", r"a??b", r"a|b?c", r"(?:x)?y", r"x?"):
        assert _optional_first(kept) == [kept]
    # Free Pascal's `&name` and its octal `&17`: names are still tried first
    pattern = tables_for(bundled("turbopascal")).texts_pattern
    assert pattern is not None and pattern.pattern.startswith(r"(?:[A-Za-z_]\w*)|")
    assert pattern.findall("&type + &17 + x") == ["&type", " ", "+", " ", "&17", " ", "+",
                                                  " ", "x"]


def test_a_keyword_before_the_name_joiner_and_a_name_is_part_of_one_name() -> None:
    """``lexical.keyword_name_joiner``: ``Print.Line`` (a keyword, the marker, a name) is
    one name token, in any case where words are; a keyword with a blank before the
    marker, or the marker before a digit, stays the keyword; other names stay apart
    from the marker (a record's ``p.x``); both lexing paths agree."""
    definition, problems = load_definition_text(
        "name: Join\nid: join\nlexical:\n  case_sensitive: false\n"
        "  identifier: '[A-Za-z_][A-Za-z0-9_]*[$%]?'\n  keyword_name_joiner: '.'\n"
        "keywords:\n  print: PRINT\n  printer: PRINTER\n  step: STEP\n  str: STR\n")
    assert definition is not None and not problems, problems
    text = "print.Line PRINT .x STEP.5 p.x String.concat$ str.a$ Printer.go PRINT.x.y"
    tokens = [token for token in lex(definition, text)[0] if token[0] != "ws"]
    kw = KEYWORD_PREFIX
    assert tokens == [
        (IDENT, "print.Line"), (kw + "print", "PRINT"), ("punct", "."), (IDENT, "x"),
        (kw + "step", "STEP"), ("punct", "."), ("number", "5"), (IDENT, "p"), ("punct", "."), (IDENT, "x"),
        (IDENT, "String"), ("punct", "."), (IDENT, "concat$"), (IDENT, "str.a$"),
        (IDENT, "Printer.go"), (IDENT, "PRINT.x"), ("punct", "."), (IDENT, "y")]
    assert lex(definition, text)[0] == _lex_loop(tables_for(definition), text, 0,
                                                 len(text))[0]


def test_the_blank_set_is_whitespace_but_line_breaks() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert re.findall(BLANK, every) == re.findall(r"[^\S\r\n]", every)


def test_a_block_comment_may_end_at_a_pattern() -> None:
    definition, problems = load_definition_text(
        "name: Skip\nid: skip\nlexical:\n  case_sensitive: false\n  block_comments:\n"
        "    - {open: '<<', close: '>>', close_pattern: '>>|!!\\w*!'}\n")
    assert definition is not None, problems
    kinds = [kind for kind, _ in lex(definition, "a << b !!Stop! c >> d")[0] if kind != "ws"]
    assert kinds == [IDENT, "comment", IDENT, "punct", "punct", IDENT]
    definition, problems = load_definition_text(
        "name: Skip\nid: skip\nlexical:\n  block_comments:\n"
        "    - {open: '<<', close: '>>', nested: true, close_pattern: '>>'}\n"
        "    - {open: '[[', close: ']]', close_pattern: '(]'}\n")
    assert [p.message for p in problems if p.severity == "error"][:1] == [
        "close_pattern is for a comment that does not nest"]
    assert len([p for p in problems if p.severity == "error"]) == 2
