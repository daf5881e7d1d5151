"""The layout half of formatting: the indentation depth and spacing of every token,
read from the tree, and the formatted text of every line rendered from them.

Lines are rendered one by one and kept next to the old line they replace, so the
caller finds the changed lines (to check and to turn into edits) without diffing two
whole texts. Both passes run once per token of the file, so they keep to flat lists
and local variables: on a 1,000-line file they are most of the formatting time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ..language import grammar_spec as G
from ..language.model import FormatStyle, LanguageDefinition
from ..syntax import kinds as K
from ..syntax.tokens import COMMENT, NEWLINE, PUNCT, TRIVIA, WHITESPACE, Token, is_keyword
from ..syntax.tree import GreenNode

COMPOUND = frozenset({K.IF_STMT, K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT, K.ELSE_CLAUSE,
                      K.ELIF_CLAUSE, K.TRY_STMT, K.EXCEPT_CLAUSE, K.FINALLY_CLAUSE})
SECTIONS = frozenset({K.VAR_SECTION, K.CONST_SECTION, K.TYPE_SECTION})
# children whose first token starts a line at their own depth
LINE_ITEMS = K.STATEMENTS | {K.VAR_DECL, K.CONST_DECL, K.TYPE_DECL, K.CASE_ARM, K.FIELD_DECL}
# children at their parent's depth whose continuation lines go one deeper
NESTED = frozenset({K.ELSE_CLAUSE, K.ELIF_CLAUSE, K.RECORD_TYPE, K.ARRAY_TYPE, K.RESULT_TYPE,
                    K.PARAM_LIST, K.EXCEPT_CLAUSE, K.FINALLY_CLAUSE})
# parents whose symbols (``:=``, ``=``, ``..``) get spaces on both sides
SPACED_SYMBOL_PARENTS = frozenset({K.ASSIGN_STMT, K.LET_STMT, K.CONST_DECL, K.TYPE_DECL,
                                   K.FOR_STMT})
UNSPACED_PUNCT = frozenset({",", ";", ":", "(", ")", "[", "]"})
BRACES = frozenset({"{", "}"})
# the node a token class makes (``peg``: names are NAME_REF nodes, numbers and strings
# LITERAL nodes)
CLASS_NODES = {"IDENT": K.NAME_REF, "NUMBER": K.LITERAL, "STRING": K.LITERAL}
CLOSING = {")": "(", "]": "[", "}": "{"}  # a closing bracket -> its opener
BRACKETS = frozenset(CLOSING) | frozenset(CLOSING.values())
NO_SPACE_BEFORE = frozenset({",", ";", ")", "]", "."})
NO_SPACE_AFTER = frozenset({"(", "[", "."})


class Layout(NamedTuple):
    tokens: list[Token]  # the tree's leaves, in order
    depths: list[int]  # indentation depth of each token; -1 for trivia
    spaced: list[bool]  # an operand or operator of a binary expression, or an assignment
    # symbol: spaces on both sides
    # the first closing token of a grammar block (its index) -> the depth of the block's
    # body: a comment line right before it is the body's last line, indented as the body
    closers: dict[int, int] | None = None


class Line(NamedTuple):
    """One line of the old text and its formatted replacement. A multi-line comment or
    string keeps the lines it spans in one Line: only line-break tokens end one."""

    start: int  # offset in the old text
    end: int  # after its line break
    first_token: int  # index of its first token in Layout.tokens
    text: str  # the formatted line with its line break; "" when the line is dropped


class _KeywordKinds(dict[str, bool]):
    """``is_keyword`` per token kind, remembered: it is asked for every token."""

    def __missing__(self, kind: str) -> bool:
        self[kind] = found = is_keyword(kind)
        return found


IS_KEYWORD = _KeywordKinds()


class Shape(NamedTuple):
    """Which node kinds are lines of their own and which indent those inside them:
    the built-in kinds, or a grammar's (see ``grammar_shape``)."""

    items: frozenset[str]
    blocks: frozenset[str]
    operators: frozenset[str] = frozenset()  # spaced on both sides between two operands
    # a grammar's items are lines only directly in one of these (the file, a node holding
    # a list of items): a call is a statement there and part of an expression elsewhere
    item_parents: frozenset[str] = frozenset()
    folds: frozenset[str] = frozenset()  # fold like blocks, but do not indent (``fold``)
    # (block kind, symbol): a block's symbol that separates the turns of one of its loops
    # (Oberon's `'CASE' ... case_arm ('|' case_arm)* 'END'`); at the start of a line it
    # aligns with the block's own words, as `ELSIF` does (Wirth's layout of CASE arms)
    separators: frozenset[tuple[str, str]] = frozenset()
    # the grammar reads lines' indentation (``INDENT``/``DEDENT``): a statement's clause
    # on a line of its own (an ELSE) must stand at the statement's indentation
    indented: bool = False
    # rules whose turns recover as lines without being laid out as lines (``recover_lines``)
    lists: frozenset[str] = frozenset()


def grammar_shape(definition: LanguageDefinition) -> Shape | None:
    """A grammar-defined language's shape: the kinds an item can be (the rules the start
    rule's item reaches through choices alone) are lines; annotated blocks indent. A rule
    annotated ``lines`` holds items too: the rules it names are lines inside it (a
    statement list inside ``begin ... end``, the declarations of a ``var`` section)."""
    grammar = definition.grammar
    if grammar is None:
        return _extension_shape(definition)
    todo = [e.items[0] for e in G.walk(grammar.rule(grammar.start).expr)  # type: ignore[union-attr]
            if e.op in G.LOOPS and e.items[0].op == G.RULE][:1]
    item = todo[0].text if todo else ""
    parents = {p.name for p in grammar.rules
               if any(e.op in G.LOOPS and _loop_item(grammar, e.items[0]) == item
                      for e in G.walk(p.expr))}
    for production in grammar.rules:
        if production.meaning.lines:
            parents.add(production.name)
            todo.extend(e for e in G.walk(production.expr) if e.op == G.RULE)
    items = _item_kinds(grammar, todo)
    blocks = {p.name for p in grammar.rules if p.meaning.block}
    folds = {p.name for p in grammar.rules if p.meaning.fold}
    operators = {op.symbol for op in definition.operators if op.binary}
    operators.add(definition.structure.assignment)
    separators = {(p.name, text) for p in grammar.rules if p.meaning.block
                  for text in _loop_separators(p.expr)}
    indented = any(e.op == G.CLASS and e.text in (G.INDENTED, G.OUTDENTED)
                   for p in grammar.rules for e in G.walk(p.expr))
    lists = frozenset(p.name for p in grammar.rules if p.meaning.recover_lines)
    return Shape(frozenset(items | {K.ERROR}), frozenset(blocks), frozenset(operators),
                 frozenset(parents | {K.SOURCE_FILE}), frozenset(folds),
                 frozenset(separators), indented, lists)


def _loop_item(grammar: G.GrammarSpec, body: G.Expr) -> str:
    """The rule a loop's body repeats: the rule itself, or the one rule of a sequence
    whose other parts only look (`(INDENT statement)+`, an indented block's lines)."""
    if body.op == G.SEQ:
        parts = [e for e in body.items if not _zero_width(grammar, e, 0)]
        body = parts[0] if len(parts) == 1 else body
    return body.text if body.op == G.RULE else ""


def _loop_separators(expr: G.Expr) -> set[str]:
    """The symbols that separate the turns of the loops of a rule's own expression: the
    ``sep`` of ``item % sep``, and the leading symbol of a loop ``(sep item)*``. Words
    are left out: a keyword already aligns with its block."""
    found = set()
    for element in G.walk(expr):
        body = element.items[0] if element.op in (G.STAR, G.PLUS) else None
        if element.op == G.SEP and element.items[1].op == G.LIT:
            found.add(element.items[1].text)
        elif body is not None and body.op == G.SEQ and len(body.items) > 1 \
                and body.items[0].op == G.LIT and body.items[1].op == G.RULE:
            found.add(body.items[0].text)
    return {text for text in found if not (text[:1].isalnum() or text[:1] == "_")}


def _extension_shape(definition: LanguageDefinition) -> Shape | None:
    """A keyword-level language with a grammar extension: the built-in shape, plus its
    statement forms as lines; its ``block`` forms fold (their bodies are the language's
    own blocks, which indent as usual)."""
    extension = definition.grammar_extension
    if extension is None:
        return None
    statements = {f.rule for f in extension.of("statement")}
    folds = {p.name for p in extension.spec.rules if p.meaning.block or p.meaning.fold}
    return Shape(LINE_ITEMS | statements, frozenset(), folds=frozenset(folds))


def _item_kinds(grammar: G.GrammarSpec, todo: list[G.Expr]) -> set[str]:
    """The node kinds the rules in ``todo`` can make: each rule, and what it reaches
    through choices alone (a rule without meaning that holds one node adds no level)."""
    items: set[str] = set()
    while todo:
        expr = todo.pop()
        if expr.op in (G.CHOICE, G.OPT):
            # an optional item (`statement: "(assign / call)?"`, Oberon's empty
            # statement) makes its alternative's node when it matches
            todo.extend(expr.items)
        elif expr.op == G.SEQ:
            # `simple eos`: a statement and a check that it ends (lookaheads, NEWLINE)
            # make the statement's own node, so the statement's kinds are items too
            parts = [e for e in expr.items if not _may_only_look(grammar, e)]
            todo.extend(parts if len(parts) == 1 else _sole_parts(grammar, expr))
        elif expr.op == G.PLUS:  # `STRING+`: one turn makes its element's node alone
            todo.append(expr.items[0])
        elif expr.op == G.CLASS and expr.text in CLASS_NODES:
            # a name or a literal alone as a statement (Python's docstring, `x`)
            items.add(CLASS_NODES[expr.text])
        elif expr.op == G.RULE and expr.text not in items:
            items.add(expr.text)
            rule = grammar.rule(expr.text)
            # a rejected form (``error``) always makes its own node: what it holds is
            # no item (`a and\n f(x)` alone keeps its continuation's indent)
            if rule is not None and not rule.error:
                todo.append(rule.expr)
                if not rule.meaning.annotated:
                    todo.extend(_sole_parts(grammar, rule.expr))
    return items


def _sole_parts(grammar: G.GrammarSpec, expr: G.Expr) -> list[G.Expr]:
    """The part of a sequence that can be a rule's only node, when every other part is
    optional or only looks (``(call / name) suffix*``, ``small (';' small)* eos``): a
    rule without meaning that holds one node adds no level, so an item can be that
    node's kind."""
    if expr.op != G.SEQ:
        return []
    required = [e for e in expr.items if e.op not in (G.OPT, G.STAR, G.NOT, G.AND)
                and not _may_only_look(grammar, e)]
    if len(required) == 1 and required[0].op in (G.RULE, G.CHOICE, G.PLUS, G.CLASS):
        return required
    return []


def _may_only_look(grammar: G.GrammarSpec, expr: G.Expr) -> bool:
    """Can ``expr`` match without a token: it only looks, or it is a choice with such an
    alternative (a statement's end, ``NEWLINE / ';'``: at a line's end the statement is
    its rule's only node, and the rule makes no node of its own)."""
    if expr.op == G.CHOICE:
        return any(_zero_width(grammar, e, 0) for e in expr.items)
    return _zero_width(grammar, expr, 0)


def _zero_width(grammar: G.GrammarSpec, expr: G.Expr, depth: int) -> bool:
    """Does ``expr`` only look (lookaheads, ``NEWLINE``, rules and choices of them)?"""
    if expr.op in (G.NOT, G.AND):
        return True
    if expr.op == G.CLASS:
        return expr.text in G.ZERO_WIDTH_CLASSES
    if expr.op == G.CHOICE:
        return all(_zero_width(grammar, e, depth) for e in expr.items)
    if expr.op == G.RULE and depth < 8:  # rules of rules: bounded (a grammar may recurse)
        rule = grammar.rule(expr.text)
        return rule is not None and _zero_width(grammar, rule.expr, depth + 1)
    return False


def layout(green: GreenNode, start: int = 0, stop: int | None = None,
           first: bool = True, shape: Shape | None = None) -> Layout:
    """The layout of the tree, or of ``green.children[start:stop]`` laid out as they are in
    the whole tree (``first``: no token of ``green``'s own comes before ``start``). A part
    starting at a line break where no statement is pending gets the same depths as in the
    whole tree: a child's layout depends only on its parent's kind and depth."""
    tokens: list[Token] = []
    depths: list[int] = []
    spaced: list[bool] = []
    closers: dict[int, int] = {}
    is_kw = IS_KEYWORD
    # depth of the statement whose first token comes next: that token may sit deep inside
    # the statement (an assignment's target), yet it starts the statement's line
    statement_depth = [-1]
    # depth of the innermost line item: a grammar's block inside an expression (a
    # function passed as an argument) closes at it and indents its body one deeper
    line_depth = [0]
    # no token yet on the current line; the depth of the current line's first token
    fresh_line = [True]
    line_head = [0]
    line_items = shape.items if shape is not None else LINE_ITEMS
    blocks = shape.blocks if shape is not None else frozenset()
    item_parents = shape.item_parents if shape is not None else frozenset()
    # a grammar's operators, spaced where they follow another part of their node (not
    # first in it: a prefix minus stays tight)
    operators = shape.operators if shape is not None else frozenset()
    separators = shape.separators if shape is not None else frozenset()
    folds = shape.folds if shape is not None else frozenset()
    lists = shape.lists if shape is not None else frozenset()
    aligned_clauses = shape is not None and shape.indented
    # a clause after a body (below) is no part of these
    nesting = blocks | item_parents
    # the brackets open at this token: (the opener, the depth of the line it is on)
    opened: list[tuple[str, int]] = []

    def visit(kind: str, children: Sequence[GreenNode | Token], depth: int, continuation: int,
              first: bool) -> None:
        binary = kind == K.BINARY_EXPR
        spaced_symbols = kind in SPACED_SYMBOL_PARENTS
        seen = False  # a part of this node came before (a node or a token)
        # a grammar block's closing token stays at the block's depth, whatever it is
        # (Go's `)` of `const ( ... )`, as `end` and `}` do)
        closer = _closer(children) if kind in blocks else None
        # the block's closing tokens (QBasic's END IF, Pascal's `end.`, `,}`): a comment
        # line before one of them is the body's last
        body_end = _closing_run(children) if closer is not None else range(0)
        # a body came before (a block, or a statement on a line of its own): a clause or
        # closer after it that is a rule of its own (a template's `ELSE body`, `END IF`)
        # stands at the statement's line, as the keyword level's own tokens do
        after_body = False
        for index, child in enumerate(children):
            if type(child) is GreenNode:
                seen = True
                child_kind = child.kind
                if child_kind in line_items and (not item_parents or kind in item_parents
                                                 or child_kind == K.ERROR):
                    d = depth + (1 if kind in blocks else _delta(kind, child_kind))
                    if kind == K.ELSE_CLAUSE and not fresh_line[0] and not _leading(child)[0]:
                        d = depth  # `ELSE IF` on one line: the chain goes on at the ELSE's
                    statement_depth[0] = d
                    outer, line_depth[0] = line_depth[0], d
                    visit(child_kind, child.children, d, d + 1, True)
                    line_depth[0] = outer
                elif child_kind in blocks and kind not in blocks:
                    # a block inside an expression; a block's own block parts (a
                    # CASE clause of a SELECT) nest as the other parts do
                    base = line_depth[0]
                    line_depth[0] = base + 1  # blocks inside it nest one deeper
                    visit(child_kind, child.children, base, base + 1, True)
                    line_depth[0] = base
                    after_body = True
                elif child_kind in NESTED:
                    visit(child_kind, child.children, depth, depth + 1, True)
                elif item_parents and child_kind in line_items and kind in line_items \
                        and statement_depth[0] < 0:
                    # a statement directly inside another (a loop's body, not a call in
                    # an expression): on a line of its own it
                    # is laid out as a line, its own body one deeper; one that starts with
                    # a keyword in the middle of a line (`else if`) as if it began that
                    # line, so its keywords (a second `else`) align with the line
                    newline, keyword = _leading(child)
                    if fresh_line[0] or newline:
                        # where indentation is syntax only blocks indent: a decorated
                        # routine's heading stays at its decorator's depth
                        d = depth if aligned_clauses else continuation
                        statement_depth[0] = d
                        outer, line_depth[0] = line_depth[0], d
                        visit(child_kind, child.children, d, d + 1, True)
                        line_depth[0] = outer
                        after_body = True
                    elif keyword and not _inside_brackets(children, index):
                        visit(child_kind, child.children, line_head[0], line_head[0] + 1, True)
                    else:
                        visit(child_kind, child.children, continuation, continuation, True)
                elif aligned_clauses and fresh_line[0] and kind in line_items \
                        and _leading(child)[1]:
                    # a clause of a statement on a line of its own (an ELSE) in an
                    # indentation grammar: its keyword lines up with the statement's (the
                    # layout is its syntax), its body one deeper
                    visit(child_kind, child.children, depth, continuation, True)
                elif (after_body or child_kind in folds) and fresh_line[0] \
                        and kind not in nesting and _clause_word(child, line_items):
                    # so does a folding clause (a template's CASE ... ELSE); a block's own
                    # parts (QBasic's CASE clauses) nest as its items do, and so do an item
                    # and what starts with one (a nested routine after a VAR section)
                    visit(child_kind, child.children, line_depth[0], line_depth[0] + 1, True)
                elif kind in lists and fresh_line[0] and not opened:
                    # a turn of a list that recovers as lines, on a line of its own (a
                    # template's CASE arm): a block in it nests from its line (`2: BEGIN`)
                    outer, line_depth[0] = line_depth[0], continuation
                    visit(child_kind, child.children, continuation, continuation, True)
                    line_depth[0] = outer
                else:
                    visit(child_kind, child.children, continuation, continuation, True)
                continue
            ckind, text = child  # type: ignore[misc]
            tokens.append(child)  # type: ignore[arg-type]
            if ckind in TRIVIA:
                depths.append(-1)
                spaced.append(False)
                if ckind == NEWLINE:
                    fresh_line[0] = True
                continue
            if statement_depth[0] >= 0:
                depths.append(statement_depth[0])
                statement_depth[0] = -1
            elif is_kw[ckind] and not (seen and text in operators) \
                    or (fresh_line[0] and (kind, text) in separators):
                # a closing word after a body (`ENDIF` of a template's `if_block`)
                depths.append(line_depth[0] if after_body and fresh_line[0]
                              and kind not in blocks and kind not in line_items else depth)
            else:
                d = depth if first or child is closer or (ckind == PUNCT and text in BRACES) \
                    else continuation
                if fresh_line[0] and opened:
                    d = _in_brackets(opened, ckind, text, d, len(depths), closers)
                depths.append(d)
            if index in body_end:
                closers[len(depths) - 1] = depth + 1
            if fresh_line[0]:
                fresh_line[0], line_head[0] = False, depths[-1]
            if ckind == PUNCT and text in BRACKETS:
                _track_bracket(opened, text, line_head[0], depths[-1], line_depth[0])
            spaced.append(binary or (spaced_symbols and ckind == PUNCT
                                     and text not in UNSPACED_PUNCT)
                          or (seen and text in operators)
                          # a comma that opens a list of its own: its first element is
                          # left out (BASIC's `LOCATE , 5`), so it keeps a space before it
                          or (not seen and text == "," and ckind == PUNCT
                              and len(children) > 1))
            first = False
            seen = True

    children = green.children if start == 0 and stop is None else green.children[start:stop]
    visit(green.kind, children, 0, 1, first)
    return Layout(tokens, depths, spaced, closers)


def _in_brackets(opened: list[tuple[str, int]], kind: str, text: str, depth: int,
                 index: int, closers: dict[int, int]) -> int:
    """The depth of a token (no keyword) first on its line inside brackets. A closing
    bracket (gofmt, black, rustfmt) stands at the line its opener is on (see
    ``_track_bracket``); a comment line before it is an element's. Any other token stands at least one deeper than the
    opener's line (the elements after Go's `}, {`)."""
    head = opened[-1][1]
    if kind == PUNCT and opened[-1][0] == CLOSING.get(text):
        closers[index] = max(depth, head + 1)
        return head
    return max(depth, head + 1)


def _track_bracket(opened: list[tuple[str, int]], text: str, head: int, own: int,
                   line: int) -> None:
    """Push an opening bracket with the depth its closer takes; pop the one a closer
    matches. That depth is its line's, but for a line deeper than the brackets around it
    make it (an operator's continuation, `a ||\n b {`): then the bracket's own."""
    if text in CLOSING:
        if opened and opened[-1][0] == CLOSING[text]:
            opened.pop()
    else:
        justified = opened[-1][1] + 1 if opened else line
        opened.append((text, head if head <= justified else own))


def _inside_brackets(children: Sequence[GreenNode | Token], index: int) -> bool:
    """Does a bracket of the node's own stand open before its child ``index`` (`(not a`:
    an operand there, not a statement such as `else if`'s)?"""
    depth = 0
    for child in children[:index]:
        if type(child) is not GreenNode:
            text = child[1]  # type: ignore[index]
            depth += (text in "([{") - (text in ")]}") if len(text) == 1 else 0
    return depth > 0


def _closer(children: Sequence[GreenNode | Token]) -> Token | None:
    """The node's last token when it is one of its own (not inside a child node)."""
    for child in reversed(children):
        if type(child) is GreenNode:
            return None
        if child[0] not in TRIVIA:  # type: ignore[index]
            return child  # type: ignore[return-value]
    return None


def _closing_run(children: Sequence[GreenNode | Token]) -> range:
    """Where the node's own tokens after its last child node are (`END IF`); in a node
    without child nodes, those after its opener (an empty block's `}`)."""
    for i in range(len(children) - 1, -1, -1):
        if type(children[i]) is GreenNode:
            return range(i + 1, len(children))
    first = next((i for i, c in enumerate(children) if c[0] not in TRIVIA),  # type: ignore[index]
                 len(children))
    return range(first + 1, len(children))


def _leading(green: GreenNode) -> tuple[bool, bool]:
    """Whether a line break comes before the node's first token inside the node, and
    whether that token is a keyword."""
    node: GreenNode | Token = green
    while type(node) is GreenNode:
        for child in node.children:
            if type(child) is GreenNode:
                node = child
                break
            kind = child[0]  # type: ignore[index]
            if kind == NEWLINE:
                return True, False
            if kind not in TRIVIA:
                return False, IS_KEYWORD[kind]
        else:
            return False, False
    return False, False


def _clause_word(green: GreenNode, items: frozenset[str]) -> bool:
    """Does the node start with a keyword of a clause's own (`ELSE`, `END IF`), not one
    of an item's inside it (a list of lines that starts with a routine's `procedure`)?"""
    node: GreenNode | Token = green
    while type(node) is GreenNode:
        if node.kind in items:
            return False
        node = next((c for c in node.children if type(c) is GreenNode
                     or c[0] == NEWLINE or c[0] not in TRIVIA), green)  # type: ignore[index]
        if node is green:
            return False
    return IS_KEYWORD[node[0]]  # type: ignore[index]


def _delta(parent: str, child: str) -> int:
    if parent == K.BLOCK or parent in SECTIONS or parent == K.RECORD_TYPE:
        return 1
    if parent in COMPOUND and child != K.BLOCK:
        return 1
    return 1 if parent == K.CASE_STMT and child == K.CASE_ARM else 0


def render_lines(definition: LanguageDefinition, style: FormatStyle, laid_out: Layout,
                 unit: str, final_newline: bool, start: int = 0, after_code: bool = False,
                 end_of_file: bool = True, eol: str = "\n") -> list[Line]:
    """Every line of the old text with its formatted text, in order.

    A part of the text (a ``layout`` of some top-level children) renders as it does in the
    whole text when it starts at ``start``, the beginning of a line, right after a line with
    code (``after_code``; False at the start of the text), and ends on a line break after
    code, or at the end of the text (``end_of_file``): the blank-line count starts again
    after code, a comment line only looks ahead to the next code, and only the end of the
    text is stripped.

    Each line keeps its own line break (a CRLF file stays CRLF); ``eol`` ends the text
    when a final line break is added."""
    tokens, depths, spaced, closers = laid_out
    is_kw = IS_KEYWORD
    recase = not definition.lexical.case_sensitive and style.keyword_case != "preserve"
    upper = style.keyword_case == "upper"
    max_blank = style.max_blank_lines
    comment_depth = _CommentDepth(depths, closers or {})
    lines: list[Line] = []
    pieces: list[str] = []
    pos = line_begin = start
    first_token = blank_run = line_depth = 0
    at_line_start, pending_space, emitted = True, False, after_code
    previous_kind: str | None = None  # None: nothing before on this line to space from
    previous_text, previous_spaced = "", False
    continued = -1  # a line continuation's statement depth: its next lines go one deeper
    resume = ""  # the marker that resumes a continued line (Fortran's `&`), to write first
    hidden = _skipped_by_preprocessor(definition, tokens)
    verbatim = False  # a line the preprocessor skips: kept as written
    for i, (kind, text) in enumerate(tokens):
        pos += len(text)
        if verbatim and kind != NEWLINE:
            pieces.append(text)
            continue
        if at_line_start and hidden and i in hidden:
            pieces.extend(t for _, t in tokens[first_token:i])
            pieces.append(text)
            at_line_start, emitted, blank_run, verbatim = False, True, 0, True
            continue
        verbatim = False
        if kind == WHITESPACE:
            broken = max(text.rfind("\n"), text.rfind("\r")) + 1
            if broken:
                # a line continuation (`x = a + _`): the line ends here, as written; a
                # marker that resumes the next line (Fortran's `&`) begins it
                head, resume = text[:broken], text[broken:].strip()
                body = head.rstrip("\r\n").rstrip()
                pieces.append((" " if previous_kind is not None else "") + body
                              + head[len(head.rstrip("\r\n")):])
                lines.append(Line(line_begin, pos, first_token, "".join(pieces)))
                pieces = []
                line_begin, first_token = pos, i + 1
                if continued < 0:
                    continued = line_depth
                at_line_start, pending_space, previous_kind = True, False, None
                emitted, blank_run = True, 0
                continue
            pending_space = True
            continue
        if kind == NEWLINE:
            continued = -1
            if at_line_start:
                blank_run += 1
                if blank_run > max_blank or not emitted:  # a blank line too many
                    lines.append(Line(line_begin, pos, first_token, ""))
                    line_begin, first_token = pos, i + 1
                    continue
            pieces.append(text)
            lines.append(Line(line_begin, pos, first_token, "".join(pieces)))
            pieces = []
            line_begin, first_token = pos, i + 1
            at_line_start, pending_space, previous_kind = True, False, None
            continue
        current_spaced = spaced[i]
        if at_line_start:
            depth = depths[i]
            if depth < 0:
                depth = comment_depth.after(i)
            if continued >= 0:
                depth = continued + 1
            else:
                line_depth = depth
            pieces.append(unit * depth)
            if resume:
                pieces.append(resume + (" " if pending_space else ""))
                resume = ""
            at_line_start, emitted, blank_run = False, True, 0
        elif previous_kind is not None:
            pieces.append(separator(previous_kind, previous_text, previous_spaced, kind, text,
                                    current_spaced, pending_space, style))
        elif pending_space:
            pieces.append(" ")
        if recase and is_kw[kind]:
            text = text.upper() if upper else text.lower()
        pieces.append(text)
        # after a comment that ends on another line, the next token only keeps its space
        previous_kind = None if kind == COMMENT and "\n" in text else kind
        previous_text, previous_spaced, pending_space = text, current_spaced, False
    if line_begin < pos:  # the last line has no line break
        lines.append(Line(line_begin, pos, first_token, "".join(pieces)))
    if end_of_file:
        _strip_end(lines, final_newline, eol)
    return lines


def _skipped_by_preprocessor(definition: LanguageDefinition, tokens: list[Token]
                             ) -> frozenset[int]:
    """The tokens of lines the definition's preprocessor skips (an ``#else`` branch, a
    multi-line macro's body): the grammar never saw them, so their lines are kept as
    they are written."""
    spec = definition.grammar.preprocessor if definition.grammar is not None else None
    if spec is None:
        return frozenset()
    from ..syntax.preprocess import preprocess  # only for a grammar with a preprocessor
    return preprocess(spec, tokens, not definition.lexical.case_sensitive).hidden


def separator(pkind: str, ptext: str, pspaced: bool, ckind: str, ctext: str, cspaced: bool,
              had_space: bool, style: FormatStyle) -> str:
    """What goes between two tokens on one line."""
    if ckind == COMMENT or pkind == COMMENT:
        return " " if had_space or pkind == COMMENT else ""
    if ckind == PUNCT and ctext == ",":
        if cspaced:
            return " "  # an omitted first element: `LOCATE , 5`
        if pkind == PUNCT and ptext == "," and style.space_after_comma:
            return " "  # an omitted element between two: `LOCATE , , 1`
    if had_space and (ctext == "." and ckind == PUNCT and IS_KEYWORD[pkind]
                      or ptext == "." and pkind == PUNCT and IS_KEYWORD[ckind]):
        return " "  # a dot beside a word is no member access: `from . import x`
    no_space_before = ckind == PUNCT and ctext in NO_SPACE_BEFORE
    if style.spaces_around_operators and (cspaced or pspaced) and not no_space_before:
        return " "
    if no_space_before or pkind == PUNCT and ptext in NO_SPACE_AFTER:
        return ""
    if pkind == PUNCT and ptext == "," and style.space_after_comma:
        return " "
    return " " if had_space else ""


class _CommentDepth:
    """A line that starts with a comment is indented like the next token that is not
    trivia, or when that is a grammar block's closer, like the block's body. Lines are
    asked in order, so one scan forward serves a run of comment lines (a long comment
    block at the end of a file stays linear)."""

    def __init__(self, depths: list[int], closers: dict[int, int]) -> None:
        self.depths = depths
        self.closers = closers
        self.found = -1  # index of the last token found, len(depths) if none was

    def after(self, i: int) -> int:
        depths = self.depths
        if i >= self.found:
            j = i + 1
            while j < len(depths) and depths[j] < 0:
                j += 1
            self.found = j
        if self.found >= len(depths):
            return 0
        return self.closers.get(self.found, depths[self.found])


def _strip_end(lines: list[Line], final_newline: bool, eol: str) -> None:
    """The text ends on its last token (no blank lines or spaces after it), then one line
    break when asked: the last line's own, else ``eol``."""
    for k in range(len(lines) - 1, -1, -1):
        text = lines[k].text
        stripped = text.rstrip("\r\n ")
        if stripped:
            own = text[len(stripped):].lstrip(" ")
            ending = own if own in ("\n", "\r\n") else eol
            lines[k] = lines[k]._replace(text=stripped + ending if final_newline else stripped)
            return
        lines[k] = lines[k]._replace(text="")
