"""Formatting driven by the definition's style: indentation from the tree,
spacing between tokens, keyword case, blank-line limits.

Only whitespace (and keyword case, when the style asks and the language is
case-insensitive) ever changes; a check after formatting compares the tokens
and declines rather than change anything else. Files with syntax errors are
declined: formatting around a broken region would guess at its structure.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..language.model import FormatStyle, LanguageDefinition
from ..syntax import kinds as K
from ..syntax.lexer import lex
from ..syntax.parse import ParsedFile, parse
from ..syntax.tokens import COMMENT, NEWLINE, PUNCT, TRIVIA, WHITESPACE, is_keyword
from ..syntax.tree import GreenNode

COMPOUND = frozenset({K.IF_STMT, K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT, K.ELSE_CLAUSE,
                      K.ELIF_CLAUSE})
SECTIONS = frozenset({K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION})
NO_SPACE_BEFORE = frozenset({",", ";", ")", "]", "."})
NO_SPACE_AFTER = frozenset({"(", "[", "."})


class FormattingDeclined(Exception):
    """Formatting was not done; the message says why."""


@dataclass(frozen=True)
class TextReplacement:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class FormatOptions:
    indent_width: int | None = None  # from the request; None: the definition's style
    insert_spaces: bool = True
    trim_trailing_whitespace: bool = True
    insert_final_newline: bool = True


def format_text(parsed: ParsedFile, options: FormatOptions | None = None) -> str:
    """The formatted text; raises FormattingDeclined for files with syntax errors."""
    if parsed.errors:
        first = parsed.errors[0]
        raise FormattingDeclined(f"not formatted: the file has syntax errors "
                                 f"(first: {first.message})")
    options = options or FormatOptions()
    style = parsed.definition.formatting
    width = options.indent_width or style.indent_width
    unit = " " * width if options.insert_spaces else "\t"
    tokens, info = _annotate(parsed.green)
    result = _render(parsed.definition, style, tokens, info, unit, options)
    _verify(parsed.definition, parsed.text, result, tokens)
    return result


def format_edits(parsed: ParsedFile, options: FormatOptions | None = None,
                 line_range: tuple[int, int] | None = None) -> list[TextReplacement]:
    """Minimal edits (whole changed lines) turning the text into its formatted form."""
    formatted = format_text(parsed, options)
    return diff_edits(parsed.text, formatted, line_range)


def diff_edits(old: str, new: str, line_range: tuple[int, int] | None = None
               ) -> list[TextReplacement]:
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    opcodes = _aligned_opcodes(old_lines, new_lines)
    if opcodes is None:  # not a whitespace-only change: use the general (slower) diff
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        opcodes = [op[1:] for op in matcher.get_opcodes() if op[0] != "equal"]
    edits = []
    for i1, i2, j1, j2 in opcodes:
        if line_range is not None and (i2 < line_range[0] or i1 > line_range[1]):
            continue
        edits.append(TextReplacement(starts[i1], starts[i2], "".join(new_lines[j1:j2])))
    return edits


def _aligned_opcodes(old: list[str], new: list[str]) -> list[tuple[int, int, int, int]] | None:
    """Line edits when formatting kept every non-blank line in order (it never joins or
    splits lines; it only drops blank ones): one linear pass instead of difflib's
    quadratic search, which takes most of a second on a 1,000-line file."""
    ops: list[tuple[int, int, int, int]] = []
    i = j = 0
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and old[i] == new[j]:
            i, j = i + 1, j + 1
            continue
        if i < len(old) and not old[i].strip() and (j >= len(new) or new[j].strip()):
            ops.append((i, i + 1, j, j))
            i += 1
        elif i < len(old) and j < len(new):
            if "".join(old[i].split()).lower() != "".join(new[j].split()).lower():
                return None  # not the same line with other whitespace or keyword case
            ops.append((i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
        elif j < len(new):
            ops.append((i, i, j, j + 1))
            j += 1
        else:
            ops.append((i, i + 1, j, j))
            i += 1
    merged: list[tuple[int, int, int, int]] = []
    for op in ops:
        if merged and merged[-1][1] == op[0] and merged[-1][3] == op[2]:
            merged[-1] = (merged[-1][0], op[1], merged[-1][2], op[3])
        else:
            merged.append(op)
    return merged


# ------------------------------------------------------------ layout analysis

@dataclass
class _TokenInfo:
    depth: int
    spaced: bool  # a binary operator or assignment: spaces on both sides


def _annotate(green: GreenNode) -> tuple[list[tuple[str, str]], list[_TokenInfo | None]]:
    tokens: list[tuple[str, str]] = []
    info: list[_TokenInfo | None] = []
    statement_start: list[int | None] = [None]  # depth for a statement's first token

    def visit(node: GreenNode, depth: int, continuation: int) -> None:
        kind = node.kind
        first = True
        for child in node.children:
            if type(child) is GreenNode:
                child_kind = child.kind
                if child_kind in K.STATEMENTS or child_kind in (K.VAR_DECL, K.CONST_DECL,
                                                                K.TYPE_DECL, K.CASE_ARM,
                                                                K.FIELD_DECL):
                    d = depth + _delta(kind, child_kind)
                    statement_start[0] = d
                    visit(child, d, d + 1)
                elif child_kind in (K.ELSE_CLAUSE, K.ELIF_CLAUSE, K.RECORD_TYPE,
                                    K.ARRAY_TYPE, K.RESULT_TYPE, K.PARAM_LIST):
                    visit(child, depth, depth + 1)
                else:
                    visit(child, continuation, continuation)
            else:
                ckind, text = child  # type: ignore[misc]
                tokens.append(child)  # type: ignore[arg-type]
                if ckind in TRIVIA:
                    info.append(None)
                    continue
                structural = is_keyword(ckind) or (ckind == PUNCT and text in ("{", "}"))
                d = depth if (first or structural) else continuation
                if statement_start[0] is not None:
                    d, statement_start[0] = statement_start[0], None
                spaced = (kind == K.BINARY_EXPR and ckind != "number") or (
                    kind in (K.ASSIGN_STMT, K.LET_STMT, K.CONST_DECL, K.TYPE_DECL, K.FOR_STMT)
                    and ckind == PUNCT and text not in (",", ";", ":", "(", ")", "[", "]"))
                info.append(_TokenInfo(d, spaced and not is_keyword(ckind)
                                       or kind == K.BINARY_EXPR))
                first = False

    visit(green, 0, 1)
    return tokens, info


def _delta(parent: str, child: str) -> int:
    if parent == K.BLOCK and child != K.BLOCK or parent == K.BLOCK and child == K.BLOCK:
        return 1
    if parent in COMPOUND and child != K.BLOCK:
        return 1
    if parent in SECTIONS or parent == K.CASE_STMT and child == K.CASE_ARM:
        return 1
    if parent == K.RECORD_TYPE:
        return 1
    return 0


# ------------------------------------------------------------ rendering

def _render(definition: LanguageDefinition, style: FormatStyle, tokens: list[tuple[str, str]],
            info: list[_TokenInfo | None], unit: str, options: FormatOptions) -> str:
    out: list[str] = []
    line_start = True
    blank_run = 0
    pending_space = False
    previous: tuple[str, str] | None = None
    previous_info: _TokenInfo | None = None
    recase = not definition.lexical.case_sensitive and style.keyword_case != "preserve"
    for i, (kind, text) in enumerate(tokens):
        if kind == WHITESPACE:
            pending_space = True
            continue
        if kind == NEWLINE:
            if line_start:
                blank_run += 1
                if blank_run > style.max_blank_lines or not out:
                    continue
            out.append("\n")
            line_start = True
            pending_space = False
            previous = None
            continue
        current = info[i]
        if line_start:
            depth = current.depth if current else _next_depth(tokens, info, i)
            out.append(unit * depth)
            line_start = False
            blank_run = 0
        elif previous is not None:
            out.append(_separator(previous, previous_info, (kind, text), current, pending_space,
                                  style))
        elif pending_space:
            out.append(" ")
        if recase and is_keyword(kind):
            text = text.upper() if style.keyword_case == "upper" else text.lower()
        out.append(text)
        if kind in (COMMENT,) and "\n" in text:
            previous = None
        else:
            previous = (kind, text)
        previous_info = current
        pending_space = False
    result = "".join(out).rstrip("\n ")
    return result + "\n" if options.insert_final_newline and result else result


def _next_depth(tokens: list[tuple[str, str]], info: list[_TokenInfo | None], i: int) -> int:
    for j in range(i + 1, len(tokens)):
        if info[j] is not None:
            return info[j].depth  # type: ignore[union-attr]
    return 0


def _separator(prev: tuple[str, str], prev_info: _TokenInfo | None, cur: tuple[str, str],
               cur_info: _TokenInfo | None, had_space: bool, style: FormatStyle) -> str:
    pkind, ptext = prev
    ckind, ctext = cur
    if ckind == COMMENT or pkind == COMMENT:
        return " " if had_space or pkind == COMMENT else ""
    if style.spaces_around_operators and ((cur_info and cur_info.spaced)
                                          or (prev_info and prev_info.spaced)):
        if not (ckind == PUNCT and ctext in NO_SPACE_BEFORE):
            return " "
    if ckind == PUNCT and ctext in NO_SPACE_BEFORE:
        return ""
    if pkind == PUNCT and ptext in NO_SPACE_AFTER:
        return ""
    if pkind == PUNCT and ptext == "," and style.space_after_comma:
        return " "
    return " " if had_space else ""


def _verify(definition: LanguageDefinition, old: str, new: str,
            old_tokens: list[tuple[str, str]]) -> None:
    """Decline unless the formatted text has the same tokens (modulo keyword case).
    ``old_tokens`` (the tree's leaves) spare lexing the old text again; only when they
    differ from the new text's tokens is the old text lexed, in case the parser gave a
    token another kind than the lexer does."""
    def significant(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(k, t.lower() if is_keyword(k) else t) for k, t in tokens
                if k not in (WHITESPACE, NEWLINE)]
    new_significant = significant(lex(definition, new)[0])
    if significant(old_tokens) != new_significant \
            and significant(lex(definition, old)[0]) != new_significant:
        raise FormattingDeclined("not formatted: formatting would have changed the code")
    # where line breaks and indentation carry meaning, the result must still parse
    if definition.structure.statements.value == "newline" and parse(definition, new).errors:
        raise FormattingDeclined("not formatted: the result would not parse")
