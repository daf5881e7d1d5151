"""Formatting driven by the definition's style: indentation from the tree,
spacing between tokens, keyword case, blank-line limits.

Only whitespace (and keyword case, when the style asks and the language is
case-insensitive) ever changes; a check after formatting compares the tokens
and declines rather than change anything else. Files with syntax errors are
declined: formatting around a broken region would guess at its structure; a range (or
on-type) request is served when the top-level items around it have no error. Every line
keeps its own line break (CRLF stays CRLF).

The layout (``format_layout``) renders the file line by line next to the old lines,
so only the lines that change are checked and turned into edits.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple

from ..language.model import LanguageDefinition
from ..syntax.incremental import TextEdit
from ..syntax.lexer import lex
from ..syntax.parse import ParsedFile, parse
from ..syntax.tokens import COMMENT, LEX_ERRORS, NEWLINE, TRIVIA, WHITESPACE, Token
from ..syntax.tree import HAS_ERROR, GreenNode
from .format_layout import IS_KEYWORD, LINE_ITEMS, Line, grammar_shape, layout, render_lines


class FormattingDeclined(Exception):
    """Formatting was not done; the message says why."""


@dataclass(frozen=True)
class FormatOptions:
    indent_width: int | None = None  # from the request; None: the definition's style
    insert_spaces: bool = True
    trim_trailing_whitespace: bool = True
    insert_final_newline: bool = True


def format_text(parsed: ParsedFile, options: FormatOptions | None = None) -> str:
    """The formatted text; raises FormattingDeclined for files with syntax errors."""
    tokens, lines = _render(parsed, options)
    _verify(parsed.definition, parsed.text, tokens, lines, _changed_runs(parsed.text, lines))
    return "".join(line.text for line in lines)


def format_edits(parsed: ParsedFile, options: FormatOptions | None = None,
                 line_range: tuple[int, int] | None = None) -> list[TextEdit]:
    """Minimal edits (whole changed lines) turning the text into its formatted form;
    with ``line_range`` (first and last line, 0-based), only those touching it: computed
    from the top-level items around the range when that gives the same edits (see
    ``edits_near``), else from the whole file."""
    if line_range is not None:
        near = edits_near(parsed, options, line_range)
        if near is not None:
            return near
    return whole_file_edits(parsed, options, line_range)


def whole_file_edits(parsed: ParsedFile, options: FormatOptions | None = None,
                     line_range: tuple[int, int] | None = None) -> list[TextEdit]:
    """``format_edits`` with the whole file laid out and rendered, whatever the range."""
    tokens, lines = _render(parsed, options)
    runs = _changed_runs(parsed.text, lines)
    if line_range is None:
        _verify(parsed.definition, parsed.text, tokens, lines, runs)
        return _edits(parsed.text, lines, runs)
    # range and on-type formatting: only the runs touching the range are checked
    starts = _line_starts(parsed.text)
    runs = [(a, b) for a, b in runs
            if _touches(starts, lines[a].start, lines[b - 1].end, line_range)]
    _verify(parsed.definition, parsed.text, tokens, lines, runs)
    return [e for e in _edits(parsed.text, lines, runs)
            if _touches(starts, e.start, e.end, line_range)]


def _render(parsed: ParsedFile, options: FormatOptions | None,
            part: _Part | None = None) -> tuple[list[Token], list[Line]]:
    """The tree's tokens, and every line with its formatted text (not checked yet); with
    ``part``, only those of the part, which then alone must have no syntax errors."""
    if part is None:
        _decline_errors(parsed)
    else:
        _decline_part_errors(parsed, part)
    options = options or FormatOptions()
    definition = parsed.definition
    style = definition.formatting
    width = options.indent_width or style.indent_width
    unit = " " * width if options.insert_spaces else "\t"
    eol = line_ending(parsed.text)
    if part is None:
        laid_out = layout(parsed.green, 0, None, True, grammar_shape(parsed.definition))
        lines = render_lines(definition, style, laid_out, unit, options.insert_final_newline,
                             eol=eol)
    else:
        laid_out = layout(parsed.green, part.start.child, part.stop.child, part.first,
                          grammar_shape(parsed.definition))
        lines = render_lines(definition, style, laid_out, unit, options.insert_final_newline,
                             part.start.offset, part.start.child > 0,
                             part.stop.child == len(parsed.green.children), eol)
    return laid_out.tokens, lines


def line_ending(text: str) -> str:
    """The document's line break: that of its first line ("\n" when it has none)."""
    at = text.find("\n")
    return "\r\n" if at > 0 and text[at - 1] == "\r" else "\n"


def _decline_errors(parsed: ParsedFile) -> None:
    if parsed.errors:
        first = parsed.errors[0]
        raise FormattingDeclined(f"not formatted: the file has syntax errors "
                                 f"(first: {first.message})")


def _decline_part_errors(parsed: ParsedFile, part: _Part) -> None:
    """A range is formatted when the top-level items laid out for it parse, whatever
    the rest of the file holds (an error elsewhere does not move their structure)."""
    root = parsed.green
    if root.error is not None:
        _decline_errors(parsed)
    for child in root.children[part.start.child:part.stop.child]:
        broken = bool(child.kinds & HAS_ERROR) if type(child) is GreenNode \
            else child[0] in LEX_ERRORS  # type: ignore[index]
        if broken:
            raise FormattingDeclined("not formatted: the lines around the range have "
                                     "syntax errors")


# ------------------------------------------------------------ range and on-type formatting
#
# A range (an on-type request is the typed line and the one before) needs only the lines
# around it, and each top-level item is laid out alone: its depths depend only on the
# root's kind, and its lines only on where they start. So the items around the range are
# laid out and rendered as a part of the file, between two cuts: line starts right after
# a line with code. At a cut the layout carries nothing over (no statement waits for its
# first token) and neither does the rendering (no blank lines are being counted, no
# comment line looks past it, the end of the text is not stripped before it). The part
# grows (twice as many items each time) while a changed run of lines that touches the
# range reaches its edge, since the run (checked and turned into edits as one) may go on
# past it. Languages whose statements end at line breaks must parse after formatting:
# their part is taken only when the file has a syntax error (which refuses the whole
# file), and then only when its items parse alone as they are, and again once formatted
# (``_verify`` parses the part's lines); otherwise the whole file decides. Left to the
# whole file: texts with line breaks other than \n and \r\n (line numbers count what
# ``str.splitlines`` counts).

_OTHER_LINE_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


class _Cut(NamedTuple):
    child: int  # index in the root's children of the first child after the cut
    offset: int  # where the cut is in the text


class _Part(NamedTuple):
    start: _Cut
    stop: _Cut
    first: bool  # no token of the root's own comes before the part


def edits_near(parsed: ParsedFile, options: FormatOptions | None,
               line_range: tuple[int, int]) -> list[TextEdit] | None:
    """``whole_file_edits(parsed, options, line_range)`` computed from the top-level items
    around the range, or None when that could differ and the whole file is needed."""
    text = parsed.text
    first_line, last_line = line_range
    line_statements = parsed.definition.structure.statements.value == "newline"
    if line_statements and not parsed.errors or first_line < 0 \
            or last_line < first_line or any(c in text for c in _OTHER_LINE_BREAKS) \
            or "\r" in text and text.count("\r") != text.count("\r\n"):
        return None
    root = parsed.green
    nodes = root.node_children()
    shape = grammar_shape(parsed.definition)
    items = shape.items if shape is not None else LINE_ITEMS  # statements: "pending"
    # the range with the line before it (an edit ending where the range begins touches it)
    low = _line_start(text, first_line - 1)
    high = _line_start(text, last_line + 1)
    # the last cut at or before ``low`` (one before the item starting there, at the latest)
    # and the first at or after ``high``
    k = bisect_right(nodes, low, key=lambda node: node[1])
    start_item = k - 1 if k > 0 else 0
    start = _cut_before(root, nodes, start_item, -1, items)
    stop_item = bisect_left(nodes, high, key=lambda node: node[1])
    stop = _cut_before(root, nodes, stop_item, 1, items)
    while stop.offset < high:
        stop = _cut_before(root, nodes, _item_after(nodes, stop), 1, items)
    before = 1
    after = 1
    while True:
        part = _Part(start, stop, _first_own_token(root.children, start.child, stop.child))
        tokens, lines = _render(parsed, options, part)
        base = text.count("\n", 0, start.offset)  # the line the part starts on
        starts = [start.offset + s for s in _line_starts(text[start.offset:stop.offset])]
        local = (first_line - base, last_line - base)
        runs = [(a, b) for a, b in _changed_runs(text, lines)
                if _touches(starts, lines[a].start, lines[b - 1].end, local)]
        grow_start = start.child > 0 and any(a == 0 for a, _ in runs)
        grow_stop = stop.child < len(root.children) and any(b == len(lines) for _, b in runs)
        if not (grow_start or grow_stop):
            break
        if grow_start:
            before *= 2
            start = _cut_before(root, nodes, max(_item_at(nodes, start) - before, 0), -1,
                                items)
        if grow_stop:
            after *= 2
            stop = _cut_before(root, nodes, min(_item_at(nodes, stop) + after, len(nodes)), 1,
                               items)
    if line_statements and parse(parsed.definition, text[start.offset:stop.offset]).errors:
        return None  # the items parse in place but not alone: the whole file decides
    _verify(parsed.definition, text, tokens, lines, runs)  # the part, formatted, must parse
    return [e for e in _edits(text, lines, runs) if _touches(starts, e.start, e.end, local)]


def _line_start(text: str, line: int) -> int:
    """Where a line (0-based; counting \n only) starts; the end of the text for a line
    past it."""
    if line <= 0:
        return 0
    parts = text.split("\n", line)
    return len(text) - len(parts[-1]) if len(parts) > line else len(text)


def _cut_before(root: GreenNode, nodes: tuple[tuple[int, int, GreenNode], ...], item: int,
                step: int, items: frozenset[str]) -> _Cut:
    """The cut between the top-level items ``item - 1`` and ``item`` (the start of the line
    after the one ``item - 1`` ends on), or, when there is none, the next one in the
    direction of ``step`` (-1: towards the start, 1: towards the end); the start or the end
    of the text when there is no other (``items``: the kinds of statements, the layout's
    lines: the keyword level's, or a grammar's, ``grammar_shape``)."""
    children = root.children
    while 0 < item < len(nodes):
        cut = _cut_after(children, nodes[item - 1], nodes[item][0], items)
        if cut is not None:
            return cut
        item += step
    return _Cut(0, 0) if item <= 0 else _Cut(len(children), root.width)


def _cut_after(children: tuple[GreenNode | Token, ...], node: tuple[int, int, GreenNode],
               bound: int, items: frozenset[str]) -> _Cut | None:
    """The cut after the first line break between the item ``node`` and the child at
    ``bound``, if the line it ends has code and no statement is pending there."""
    index, offset, green = node
    offset += green.width
    for i in range(index + 1, bound):
        kind, text = children[i]  # type: ignore[misc]
        offset += len(text)
        if kind == NEWLINE:
            return _Cut(i + 1, offset) if _ends_on_code(children, i, items) == "code" \
                else None
    return None


def _ends_on_code(children: tuple[GreenNode | Token, ...], stop: int,
                  items: frozenset[str]) -> str | None:
    """What ``children[:stop]`` end on, looking back over spaces and comments: "code" (a
    token), "newline" (a blank or comment line), "pending" (a statement with no token,
    whose depth would go to the next token laid out), or None (nothing)."""
    for i in range(stop - 1, -1, -1):
        child = children[i]
        if type(child) is GreenNode:
            found = _ends_on_code(child.children, len(child.children), items)
            if found is not None:
                return found
            if child.kind in items:
                return "pending"
        elif child[0] == NEWLINE:  # type: ignore[index]
            return "newline"
        elif child[0] not in TRIVIA:  # type: ignore[index]
            return "code"
    return None


def _item_after(nodes: tuple[tuple[int, int, GreenNode], ...], cut: _Cut) -> int:
    """The index of the first top-level item after ``cut``, plus one (so that the cut
    before it is looked for after ``cut``)."""
    return bisect_left(nodes, cut.child, key=lambda node: node[0]) + 1


def _item_at(nodes: tuple[tuple[int, int, GreenNode], ...], cut: _Cut) -> int:
    """The index of the first top-level item after ``cut``."""
    return bisect_left(nodes, cut.child, key=lambda node: node[0])


def _first_own_token(children: tuple[GreenNode | Token, ...], start: int, stop: int) -> bool:
    """Whether the part has no token of the root's own after one before it (the layout
    puts the root's first own token at depth 0, the others at depth 1)."""
    def own(i: int) -> bool:
        child = children[i]
        return type(child) is not GreenNode and child[0] not in TRIVIA  # type: ignore[index]
    if not any(own(i) for i in range(start, stop)):
        return True  # no own token to lay out: it does not matter
    return not any(own(i) for i in range(start))


# ------------------------------------------------------------ checking the result

def _changed_runs(old: str, lines: list[Line]) -> list[tuple[int, int]]:
    """Index ranges [a, b) of consecutive lines whose text changes."""
    runs: list[tuple[int, int]] = []
    for k, line in enumerate(lines):
        if line.text != old[line.start:line.end]:
            if runs and runs[-1][1] == k:
                runs[-1] = (runs[-1][0], k + 1)
            else:
                runs.append((k, k + 1))
    return runs


def _verify(definition: LanguageDefinition, old: str, tokens: list[Token], lines: list[Line],
            runs: list[tuple[int, int]]) -> None:
    """Decline unless the formatted text has the same tokens (modulo keyword case).

    Only changed lines are lexed again. The lexer is context free (a token depends only
    on the text from its start) and every line but the last ends on a line break token,
    so an unchanged line lexes as before, and the changed runs, put one after another,
    lex as they do in place: one lexer call for all of them, compared with the tree's
    leaves there. Only when they differ is each run checked alone, against the old text
    lexed again, in case the parser gave a token another kind than the lexer does."""
    if not runs:
        return
    new_text = "".join(line.text for a, b in runs for line in lines[a:b])
    old_tokens = [token for a, b in runs for token in tokens[_token_span(lines, tokens, a, b)]]
    if not _same_tokens(old_tokens, lex(definition, new_text)[0]):
        for a, b in runs:
            _verify_run(definition, old, tokens, lines, a, b)
    # where line breaks and indentation carry meaning, the result must still parse
    if definition.structure.statements.value == "newline" \
            and parse(definition, "".join(line.text for line in lines)).errors:
        raise FormattingDeclined("not formatted: the result would not parse")


def _verify_run(definition: LanguageDefinition, old: str, tokens: list[Token],
                lines: list[Line], a: int, b: int) -> None:
    new_tokens = lex(definition, "".join(line.text for line in lines[a:b]))[0]
    if not _same_tokens(tokens[_token_span(lines, tokens, a, b)], new_tokens) \
            and not _same_tokens(lex(definition, old[lines[a].start:lines[b - 1].end])[0],
                                 new_tokens):
        raise FormattingDeclined("not formatted: formatting would have changed the code")


def _token_span(lines: list[Line], tokens: list[Token], a: int, b: int) -> slice:
    return slice(lines[a].first_token, lines[b].first_token if b < len(lines) else len(tokens))


def _same_tokens(old: list[Token], new: list[Token]) -> bool:
    """The same tokens but for whitespace, line breaks and the case of keywords; and but
    for a carriage return ending a comment: a line comment runs up to the "\n", so the
    final "\r\n" added after one that ends a CRLF text puts the "\r" in it."""
    old_significant = [t for t in old if t[0] != WHITESPACE and t[0] != NEWLINE]
    new_significant = [t for t in new if t[0] != WHITESPACE and t[0] != NEWLINE]
    return old_significant == new_significant or _fold_keywords(old_significant) \
        == _fold_keywords(new_significant)


def _fold_keywords(tokens: list[Token]) -> list[Token]:
    keyword = IS_KEYWORD
    return [(k, t.lower()) if keyword[k] else (k, t.rstrip("\r")) if k == COMMENT else (k, t)
            for k, t in tokens]


# ------------------------------------------------------------ edits

def _edits(old: str, lines: list[Line], runs: list[tuple[int, int]]) -> list[TextEdit]:
    return [edit for a, b in runs for edit in _replacements(old, lines, a, b)]


def _replacements(old: str, lines: list[Line], a: int, b: int) -> list[TextEdit]:
    """The edits for the changed lines a..b-1. A Line holds a whole multi-line comment,
    so a run that spans several lines of text is diffed line by line: the lines of the
    comment that stay as they are get no edit."""
    start, end = lines[a].start, lines[b - 1].end
    new = "".join(line.text for line in lines[a:b])
    if len(new.splitlines()) <= 1 and len(old[start:end].splitlines()) <= 1:
        return [TextEdit(start, end, new)]  # one line for one: nothing to align
    return [TextEdit(start + e.start, start + e.end, e.text)
            for e in diff_edits(old[start:end], new)]


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


def _touches(starts: list[int], start: int, end: int, line_range: tuple[int, int]) -> bool:
    """Whether the whole lines [start, end) touch the lines of ``line_range``; as it
    always was, a span that ends where the range begins counts too."""
    return not (_line_of(starts, end) < line_range[0] or _line_of(starts, start) > line_range[1])


def diff_edits(old: str, new: str, line_range: tuple[int, int] | None = None
               ) -> list[TextEdit]:
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
        edits.append(TextEdit(starts[i1], starts[i2], "".join(new_lines[j1:j2])))
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
