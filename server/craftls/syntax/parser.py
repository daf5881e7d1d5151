"""An error-tolerant recursive-descent parser driven by a language definition.

Building: children are pushed on one flat stack; ``start`` returns a mark and
``finish`` wraps everything above the mark into a node, so a Pratt parser can
wrap an already-built left operand. Leading trivia go to the parent (``start``
flushes them first); nodes begin and end with significant tokens.

Incremental invariant: ``parse_item`` depends only on the tokens from its
first token on (plus the source text for columns) — never on the caller — so
an item can be re-parsed on its own and spliced back in (see ``incremental``).
Each step of a statement list (an item, or at the top level a program header,
end or stray closer) records in ``GreenNode.lookahead`` how far past its end
its parse looked (``reach``: the furthest token examined), so an edit beyond
that leaves it as it is: the tree-sitter way of deciding what to reuse.
Every loop consumes at least one token per turn or exits, so parsing ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, cast

from ..language.model import BlockStyle, StatementSeparation
from . import kinds as K
from .grammar import (
    DECLARATION_CONCEPTS,
    JUMP_CONCEPTS,
    LITERAL_CONCEPTS,
    STRUCTURAL_CONCEPTS,
    Grammar,
)
from .tokens import (
    EOF,
    IDENT,
    KEYWORD_PREFIX,
    NEWLINE,
    NUMBER,
    PUNCT,
    STRING,
    TRIVIA,
    UNTERMINATED_STRING,
    WORD_OP,
    Token,
)
from .tree import GreenNode

if TYPE_CHECKING:
    from .extension import ExtensionRunner

# Final: compiled with mypyc these are C statics or inlined literals, not dict lookups
MAX_DEPTH: Final = 120
_OPERATOR_KINDS: Final = (PUNCT, WORD_OP)
_OPERATOR_KEYWORDS: Final = frozenset({"kw_and", "kw_or", "kw_not", "kw_xor", "kw_div",
                                       "kw_mod", "kw_in"})
_POSTFIX: Final = frozenset({"(", "[", "."})
_BLOCK_ENDING: Final = frozenset({K.IF_STMT, K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT,
                                  K.FUNCTION_DECL, K.BLOCK, K.CASE_STMT, K.ERROR, K.TRY_STMT,
                                  K.CLASS_DECL})
# keyword concepts with a parse method of their own (see Parser.parse_keyword)
KEYWORD_HANDLERS: Final = frozenset({"if", "while", "for", "repeat", "case", "return",
                                     "function", "procedure", "import", "begin", "program",
                                     "try", "class"})
STATEMENT_STARTS: Final = frozenset({"if", "while", "for", "repeat", "case", "return",
                                     "function", "procedure", "import", "begin", "var",
                                     "const", "type", "let", "dim", "program", "break",
                                     "continue", "try", "class"})
# how far a skip over a mistake looks for what was expected (significant tokens)
_SKIP_LIMIT: Final = 24
_OPENERS: Final = frozenset({"(", "[", "{"})
_HEADER_ENDS: Final = frozenset({"then", "do", "of"})
_ROUTINE_KINDS: Final = frozenset({KEYWORD_PREFIX + "function", KEYWORD_PREFIX + "procedure"})
# what begins the line after a routine's heading and its ';' (``Parser.headless_routine``)
_ROUTINE_FOLLOWERS: Final = frozenset({"begin", "var", "const", "type", "function",
                                       "procedure"})
# the word after a header's first part, by the construct whose keyword then is missing
# before that part (``Parser.parse_headless``)
_HEADLESS: Final = {KEYWORD_PREFIX + "then": "if", KEYWORD_PREFIX + "do": "while",
                    KEYWORD_PREFIX + "of": "case", KEYWORD_PREFIX + "to": "for"}
# statements whose keyword may come twice in a row (BEGIN BEGIN: a block in a block)
_NESTING_HANDLERS: Final = frozenset({"begin", "repeat", "program", "try"})
_CLOSERS: Final = frozenset({")", "]", "}"})
# What a closer keyword closes (``Parser.closer_targets``): the entries of ``Parser.open``
# it may end. END alone closes any construct; END followed on its line by one of the
# words of _NAMED_BY_END closes that construct only (END IF, fin mientras). An IF in
# its ELSE part (keyword-terminated blocks) is open as IF_ELSE: its END IF closes it,
# but an ELSE or ELSEIF there is no part of it (its IF line deleted).
IF_ELSE: Final = "if "
_CLOSES: Final = {"endif": ("if", IF_ELSE), "elif": ("if", "then"),
                  "else": ("if", "then", "case"),
                  "wend": ("while",), "next": ("for",), "endfunction": ("function",),
                  "endprocedure": ("procedure",), "until": ("repeat",),
                  "except": ("try",), "finally": ("try",)}
_NAMED_BY_END: Final = frozenset({"if", "while", "for", "function", "procedure", "class",
                                  "try", "case"})
# openers whose construct an END closes, skipped over with their END by
# ``Parser.closers_in_order`` (in keyword-terminated languages, first on their line)
_END_OPENERS: Final = frozenset({"begin", "case", "record", "try", "class", "repeat"})
# the words of _NAMED_BY_END as tokens (``Parser.end_word_alone``)
_END_WORDS: Final = frozenset(KEYWORD_PREFIX + word for word in _NAMED_BY_END)
_TERMINATED_OPENERS: Final = frozenset({"if", "while", "for", "function", "procedure",
                                        "class", "try", "case", "repeat"})
# the entry of a routine's body without its BEGIN or '{' (``Parser.parse_body_without_opener``)
_BODILESS: Final = "begin "
_BODILESS_BRACES: Final = "{ "
_BRACE_ENTRIES: Final = ("{", _BODILESS_BRACES)  # what '}' closes
# a closer that is a clause of its construct: without the construct open, the rest of
# the construct from there on (``Parser.parse_orphan``)
_CLAUSE_OF: Final = {"else": "if", "elif": "if", "except": "try", "finally": "try"}
# enum members of the (uncompiled) language model, loaded once
_BRACES: Final = BlockStyle.BRACES
_BEGIN_END: Final = BlockStyle.BEGIN_END
_INDENTATION: Final = BlockStyle.INDENTATION
_KEYWORD_TERMINATED: Final = BlockStyle.KEYWORD_TERMINATED
_TERMINATOR: Final = StatementSeparation.TERMINATOR
_SEPARATOR: Final = StatementSeparation.SEPARATOR
_NEWLINE_SEPARATED: Final = StatementSeparation.NEWLINE
# How a closer that names no construct (END alone, '}') lines up with the constructs open
# around it (``Parser.layout_verdict``): as the innermost one's opener line, or no
# evidence (_ALIGNED); at an enclosing one's, the innermost's own missing (_OUTER);
# deeper, with the open constructs' closers after it each at its opener line's
# indentation, its own opener deleted (_ORPHAN); else misaligned, taken as it is.
_ALIGNED: Final = 0
_OUTER: Final = 1
_ORPHAN: Final = 2
_MISALIGNED: Final = 3
# (keyword-terminated blocks) a closer that names an enclosing construct only: the
# innermost one's closer is missing (``Parser.parse_statement_list``)
_NAMED_OUTER: Final = 4
# compound statements whose body may be one statement (``Parser.lost_braces``)
_LOOSE_BODIES: Final = frozenset({K.IF_STMT, K.WHILE_STMT, K.FOR_STMT, K.FOR_IN_STMT})
# how many significant tokens the looks of ``layout_verdict`` go at most
_LAYOUT_SCAN: Final = 20000


def _shortened(quoted: str) -> str:
    return quoted if len(quoted) <= 40 else quoted[:37].rstrip() + "..."


class Parser:
    # Slots, not an instance dict: uncompiled (CPython 3.11), an instance's attributes
    # share one key table with the other instances only up to 30 of them; the 31st
    # gives every instance a dict of its own, and then the interpreter no longer
    # specializes the ``self.x`` reads and method loads of the per-token steps (~10 %
    # more instructions for a parse). Slots are read directly, however many there are.
    __slots__ = ("g", "text", "tokens", "elements", "window", "exhausted", "kinds", "texts",
                 "index", "bol", "base", "offsets", "n", "p", "stack", "leaves", "names",
                 "type_names", "flushed", "file_start", "reach", "depth", "nesting",
                 "newline_sensitive", "fold", "binary", "style", "separators", "shared",
                 "pending_error", "ext", "error_at", "item_start", "open", "open_at",
                 "carry", "layout", "if_entry", "orphan", "orphan_message", "list_mark",
                 "unsure", "end_words", "floor")

    def __init__(self, grammar: Grammar, text: str, tokens: list[Token], base: int = 0,
                 starts_line: bool = True, window: bool = False,
                 file_start: bool = True) -> None:
        """``base``: where the tokens begin in ``text``; ``starts_line``: a line break
        comes before them; ``window``: they stop before the text does (a look past them
        sets ``exhausted``); ``file_start``: their first significant token is the file's
        (a program header can only be there)."""
        self.g = grammar
        self.text = text
        self.tokens = tokens
        # The same list, seen as plain objects: moving a token from here to the stack
        # is then a reference copy. (Compiled, an item read as a Token is unpacked to
        # a C struct and packed into a new tuple when it goes into a list.)
        self.elements = cast("list[object]", tokens)
        self.window = window
        self.exhausted = False
        kinds: list[str] = []
        texts: list[str] = []
        index: list[int] = []
        bol: list[bool] = []
        newline_seen = starts_line
        for i, (kind, value) in enumerate(tokens):
            if kind in TRIVIA:
                if kind == NEWLINE or (kind == "comment" and "\n" in value):
                    newline_seen = True
            else:
                kinds.append(kind)
                texts.append(value)
                index.append(i)
                bol.append(newline_seen)
                newline_seen = False
        self.kinds, self.texts, self.index, self.bol = kinds, texts, index, bol
        self.base = base
        self.offsets: list[int] | None = None  # of the significant tokens; see offset()
        self.n = len(kinds)
        self.p = 0
        self.stack: list[object] = []  # green nodes and tokens
        self.leaves: dict[object, GreenNode] = {}  # token -> its shared leaf node
        # the same for a declared name and a one-word type name (``finish_shared``)
        self.names: dict[object, GreenNode] = {}
        self.type_names: dict[object, GreenNode] = {}
        self.flushed = 0
        self.file_start = file_start
        # the furthest significant token looked at since the current step began (looks
        # at the current token need no note: the step ends on or after it)
        self.reach = -1
        self.depth = 0  # recursion guard: deeply nested input must not overflow the stack
        self.nesting = 0  # bracket depth: newlines do not end statements inside brackets
        # grammar facts read on every token, copied here (a property call each time is slow)
        self.newline_sensitive: bool = grammar.newline_sensitive
        self.fold: bool = grammar.fold
        self.binary: dict[str, tuple[int, bool]] = grammar.binary
        self.style: BlockStyle = grammar.style
        self.separators: frozenset[str] = grammar.separators
        self.shared: dict[str, frozenset[str]] = grammar.shared
        self.pending_error: str | None = None
        # the significant token an error of the current item was reported at: a second
        # error there, before a token is taken, is the same mistake seen again (one
        # error per mistake); -1 at each item's start (``parse_item``)
        self.error_at = -1
        # where the current item begins: a token is not taken for a repeat of one before
        # it (``drop_doubled``), which an item parsed again alone would not see
        self.item_start = 0
        # the constructs open around the current token whose closer a statement list
        # may meet, innermost last: "begin" and "{" (a block), "repeat", "case", and in
        # keyword-terminated languages "if", "while", "for", "function", "procedure",
        # "class", "try". A closer none of them takes is an orphan (its opener deleted):
        # one error, and the list goes on; one that an outer one takes ends the inner
        # ones, each reporting its closer missing there. An item parsed again alone gets
        # the same from its ancestors (``incremental.open_constructs``).
        self.open: list[str] = []
        # where each of them opened: its opener's significant token (the line of it is
        # what its closer lines up with, ``layout_verdict``), or for one an item parsed
        # again alone gets from its ancestors, -1 - the indentation of that line
        self.open_at: list[int] = []
        # a reach a step's parse is to begin with (``begin_step``): what the look that
        # made a closer the step looked at (``layout_verdict``)
        self.carry = -1
        # what the layout said of the closer the last statement list stopped at
        # (``layout_verdict``): _ALIGNED, or _OUTER where the list's construct was closed
        # without it (its closer missing; reported by the construct)
        self.layout = 0
        # what an IF is open as: "if" where it ends with its closer (keyword-terminated
        # blocks), "then" where its parts are statements (BEGIN..END and braces: it takes
        # an ELSE that ends a block of its part, whose closer is then missing); nothing in
        # indented blocks (an ELSE there is read by its column)
        self.if_entry = "if" if self.style is _KEYWORD_TERMINATED else (
            "" if self.style is _INDENTATION else "then")
        # the words a closer may be left of (``end_word_alone``): none outside
        # keyword-terminated blocks, so a list's step asks nothing more there
        self.end_words = _END_WORDS if self.style is _KEYWORD_TERMINATED else frozenset()
        # the orphan closer ``parse_orphan`` met last (its significant token; -1: none)
        # and its error, which ``wrap_orphan`` moves to where its opener was deleted
        self.orphan = -1
        self.orphan_message = ""
        # where the current statement list's steps begin on the stack; -1: at 0, but
        # the list began before them (a run of ``incremental`` from a step in the middle)
        self.list_mark = 0
        # a ``wrap_orphan`` look went back past the first step of such a run: what it
        # makes depends on steps the run does not hold (``incremental`` parses more)
        self.unsure = False
        # inside lines indented deeper than their block (one error, ``parse_indented_body``):
        # that block's column, which a header's body there need only pass (-1: none)
        self.floor = -1
        # a grammar extension's forms (``grammar.extends``), asked at a statement's start,
        # where an operand starts and after an operand; None for most languages
        self.ext: ExtensionRunner | None = None
        if grammar.definition.grammar_extension is not None:
            from .extension import runner_for
            self.ext = runner_for(grammar.definition, MAX_DEPTH, self.n)

    # ------------------------------------------------------------ token access

    def kind(self, ahead: int = 0) -> str:
        i = self.p + ahead
        if ahead and i > self.reach:
            self.reach = i
        if i < self.n:
            return self.kinds[i]
        if self.window:
            self.exhausted = True
        return EOF

    def tok_text(self, ahead: int = 0) -> str:
        i = self.p + ahead
        if ahead:
            self.note(i)
        return self.texts[i] if i < self.n else ""

    def note(self, i: int) -> None:
        """Significant token ``i`` (``n``: the end) was looked at."""
        if i > self.reach:
            self.reach = i
        if i >= self.n and self.window:
            self.exhausted = True

    def at_punct(self, symbol: str) -> bool:
        p = self.p
        if p < self.n:
            return self.texts[p] == symbol and self.kinds[p] == PUNCT
        if self.window:
            self.exhausted = True
        return False

    def at_kw(self, concept: str) -> bool:
        p = self.p
        if p < self.n:
            if self.kinds[p] == KEYWORD_PREFIX + concept:
                return True
            shared = self.shared.get(concept) if self.shared else None
            if shared is None:
                return False
            text = self.texts[p]
            return (text.lower() if self.fold else text) in shared
        if self.window:
            self.exhausted = True
        return False

    def at_separator(self) -> bool:
        """At a statement separator: ';' or one the language adds (BASIC's ':')."""
        p = self.p
        if p < self.n:
            return self.kinds[p] == PUNCT and self.texts[p] in self.separators
        if self.window:
            self.exhausted = True
        return False

    def at_symbol(self, symbol: str) -> bool:
        """A structural symbol from the definition: punctuation, or a word (AS)."""
        if not symbol:
            return False
        kind = self.kind()
        if kind == EOF:
            return False
        text = self.texts[self.p]
        if kind == PUNCT or not symbol[:1].isalpha():
            return kind == PUNCT and text == symbol
        return (text.lower() == symbol.lower()) if self.g.fold else text == symbol

    def at_closer(self) -> bool:
        kind = self.kind()
        return kind in self.g.closers or (kind == PUNCT and self.texts[self.p] in self.g.closers)

    def on_new_line(self, ahead: int = 0) -> bool:
        i = self.p + ahead
        if i >= self.n:
            self.kind(ahead)
            return True
        if ahead and i > self.reach:
            self.reach = i
        return self.bol[i]

    def offset(self, i: int) -> int:
        """Where significant token ``i`` starts; only columns need it (indentation
        blocks), so the table is made on first use, not for every parse."""
        offsets = self.offsets
        if offsets is None:
            offsets = []
            offset = self.base
            for kind, value in self.tokens:
                if kind not in TRIVIA:
                    offsets.append(offset)
                offset += len(value)
            self.offsets = offsets
        return offsets[i]

    def column(self, i: int | None = None) -> int:
        offset = self.offset(self.p if i is None else i)
        start = self.text.rfind("\n", 0, offset) + 1
        prefix = self.text[start:offset]
        return len(prefix.expandtabs(8)) if "\t" in prefix else len(prefix)

    def line_indent(self, i: int) -> int:
        offset = self.offset(i)
        start = self.text.rfind("\n", 0, offset) + 1
        end = start
        while end < len(self.text) and self.text[end] in " \t":
            end += 1
        return len(self.text[start:end].expandtabs(8))

    def statement_ends_here(self) -> bool:
        """In newline-separated languages, does the statement stop before this token?"""
        return (self.newline_sensitive and self.nesting == 0 and self.on_new_line()) \
            or self.kind() == EOF

    # ------------------------------------------------------------ tree building

    def _flush(self, upto: int) -> None:
        if self.flushed < upto:
            self.stack.extend(self.elements[self.flushed:upto])
            self.flushed = upto

    def start(self) -> int:
        stack = self.stack
        if self.p < self.n:
            upto = self.index[self.p]
            if self.flushed < upto:
                stack.extend(self.elements[self.flushed:upto])
                self.flushed = upto
        return len(stack)

    def finish(self, mark: int, kind: str, error: str | None = None) -> None:
        stack = self.stack
        # (no ``typing.cast`` in the parser's per-node steps: uncompiled, it is a call)
        children: tuple[GreenNode | Token, ...] = tuple(stack[mark:])  # type: ignore[arg-type]
        del stack[mark:]
        stack.append(GreenNode(kind, children, error, None, True))  # with its entries

    def finish_shared(self, mark: int, kind: str, shared: dict[object, GreenNode]) -> None:
        """``finish``, but a node of one token is shared, as ``leaf`` shares names and
        literals: ``shared`` holds the nodes of ``kind`` made so far, by token (a file
        declares and writes the same few names and types over and over)."""
        stack = self.stack
        if len(stack) != mark + 1:
            self.finish(mark, kind)
            return
        token = stack[mark]
        node = shared.get(token)
        if node is None:
            node = shared[token] = GreenNode(kind, (token,))  # type: ignore[arg-type]
        stack[mark] = node

    def bump(self) -> None:
        p = self.p
        if p >= self.n:
            return
        i = self.index[p]
        flushed = self.flushed
        if flushed < i:
            self.stack.extend(self.elements[flushed:i + 1])
        else:
            self.stack.append(self.elements[i])
        self.flushed = i + 1
        self.p = p + 1

    def error_here(self, message: str) -> None:
        """A zero-width error right after the last token (trailing trivia stay outside);
        none where this item already reported one and no token was taken since."""
        if self.p == self.error_at:
            return
        self.error_at = self.p
        self.stack.append(GreenNode(K.ERROR, (), message))

    def expect_punct(self, symbol: str, message: str | None = None,
                     commas: bool = False) -> bool:
        if self.at_punct(symbol):
            self.bump()
            return True
        wanted = message or f"expected '{symbol}'"
        if self.skip_to_expected(symbol, "", wanted, commas=commas):
            return True
        self.error_here(wanted)
        return False

    def expect_kw(self, concept: str) -> bool:
        """Expect a keyword if the language has it; a language without it needs nothing."""
        if not self.g.has(concept):
            return True
        if self.at_kw(concept):
            self.bump()
            if concept != "end":  # (END END closes two blocks)
                self.drop_doubled()
            return True
        wanted = f"expected '{self.word(concept)}'"
        if self.skip_to_expected("", concept, wanted):
            return True
        self.error_here(wanted)
        return False

    # ------------------------------------------------------------ recovery

    def kw_ahead(self, ahead: int, concept: str) -> bool:
        """``at_kw`` for the significant token ``ahead`` of the current one (noted)."""
        kind = self.kind(ahead)
        if kind == KEYWORD_PREFIX + concept:
            return True
        shared = self.shared.get(concept) if self.shared else None
        if shared is None or kind == EOF:
            return False
        text = self.texts[self.p + ahead]
        return (text.lower() if self.fold else text) in shared

    def ends_skip(self, ahead: int, depth: int, headers: bool = True) -> bool:
        """Does a skip over a mistake stop before the token ``ahead``: a new line
        (outside brackets; in a language whose statements are not ended by new lines,
        one that does not go on from a ',' or an opening bracket), a separator, a closer,
        a keyword that starts a statement, a closing bracket without its opener, or
        (``headers``) a word that ends a statement's header (THEN, DO)?"""
        kind = self.kind(ahead)
        if kind == EOF:
            return True
        i = self.p + ahead
        if self.nesting == 0 and depth == 0 and self.bol[i] and (
                self.newline_sensitive or i == 0 or self.kinds[i - 1] != PUNCT
                or (self.texts[i - 1] != "," and self.texts[i - 1] not in _OPENERS)):
            return True
        if kind == PUNCT:
            text = self.texts[i]
            return depth == 0 and (text in self.separators or text in _CLOSERS) \
                or (text == "{" and self.style is _BRACES)  # a block
        if kind.startswith(KEYWORD_PREFIX):
            concept = kind[len(KEYWORD_PREFIX):]
            return kind in self.g.closers or concept in STATEMENT_STARTS \
                or (headers and depth == 0 and concept in _HEADER_ENDS)
        return False

    def skip_to_expected(self, symbol: str, concept: str, wanted: str, take: bool = True,
                         commas: bool = False) -> bool:
        """What was expected (``symbol``, or the keyword ``concept``) comes a few tokens
        later in the same statement, brackets balanced: the tokens before it are the
        mistake (``IF B B = 0 THEN``, ``f(a b)``, ``when x 1:``), skipped as one error
        naming what was expected, and it is taken (``take``). A token written twice is
        dropped first. False, having done at most that, when it does not come before the
        statement ends (it is missing then). ``commas``: the skip may pass a ',' (in an
        argument list; a ')' missing in ``((a, b)`` is the likelier mistake elsewhere)."""
        if self.p == self.error_at or self.kind() == EOF:
            return False
        if self.drop_doubled() and (self.kw_ahead(0, concept) if concept
                                    else self.at_punct(symbol)):
            if take:
                self.bump()
            return True
        depth = 0
        ahead = 0
        while ahead < _SKIP_LIMIT:
            kind = self.kind(ahead)
            if ahead:
                if depth == 0 and (self.kw_ahead(ahead, concept) if concept else (
                        kind == PUNCT and self.texts[self.p + ahead] == symbol)):
                    break
                if self.ends_skip(ahead, depth) and not (
                        concept and kind == PUNCT and self.texts[self.p + ahead] in ")]"):
                    return False
            elif self.at_closer() or self.at_separator() or self.on_new_line() or (
                    not concept and (self.at_punct(")") or self.at_punct("]"))) or (
                    kind.startswith(KEYWORD_PREFIX)
                    and kind[len(KEYWORD_PREFIX):] in STATEMENT_STARTS):
                return False
            if kind == PUNCT:
                text = self.texts[self.p + ahead]
                if text in _OPENERS:
                    depth += 1
                elif text in _CLOSERS:
                    depth = depth - 1 if depth else 0  # (a stray one before a keyword)
                elif text == "," and depth == 0 and not commas:
                    return False
            ahead += 1
        else:
            return False
        self.skip_tokens(ahead, f"{wanted}, found {self.describe()}")
        if take:
            self.bump()
        return True

    def skip_tokens(self, count: int, message: str) -> None:
        """The next ``count`` tokens as one ERROR node (``message``)."""
        mark = self.start()
        for _ in range(count):
            self.bump()
        self.finish(mark, K.ERROR, message)
        self.error_at = self.p

    def drop_doubled(self) -> bool:
        """The current token repeats the one before it on the same line (``IF IF``,
        ``:= :=``, ``Balance Balance``): written twice by mistake, it becomes an ERROR
        node of its own and the parse goes on as if it were not there."""
        p = self.p
        if p <= self.item_start or p >= self.n or self.bol[p] \
                or self.texts[p] != self.texts[p - 1] or self.kinds[p] != self.kinds[p - 1]:
            if p >= self.n:
                self.kind()
            return False
        run = 1  # the same token again and again: one mistake
        while self.kind(run) == self.kinds[p] and self.texts[p + run] == self.texts[p] \
                and not self.bol[p + run]:
            run += 1
        error_at = self.error_at
        self.skip_tokens(run, f"{self.describe()} written twice")
        self.error_at = error_at  # the parse goes on: what fails after it is reported
        return True

    def closer_targets(self, ahead: int = 0) -> tuple[str, ...] | None:
        """The entries of ``open`` the closer here (or ``ahead``) may end; None: any
        (END alone)."""
        kind = self.kind(ahead)
        if kind == PUNCT:
            return _BRACE_ENTRIES
        concept = kind[len(KEYWORD_PREFIX):]
        if concept == "end":
            after = self.kind(ahead + 1)
            if after.startswith(KEYWORD_PREFIX) and after[len(KEYWORD_PREFIX):] in _NAMED_BY_END \
                    and not self.on_new_line(ahead + 1):
                named = after[len(KEYWORD_PREFIX):]
                return (named, IF_ELSE) if named == "if" else (named,)
            return None
        return _CLOSES.get(concept)

    def taken(self, targets: tuple[str, ...] | None, entries: list[str]) -> bool:
        """Does one of ``entries`` (open constructs) take a closer of ``targets``?"""
        for entry in entries:
            if targets is None:
                if entry != "{" and entry != "repeat" and entry != "then" \
                        and entry != _BODILESS_BRACES:
                    return True
            elif entry in targets:
                return True
        return False

    def closer_taken(self) -> bool:
        """At a closer: does an open construct take it (the list ends here), or is it an
        orphan, whose opener was deleted (an item of the list: ``parse_orphan``)?"""
        if not self.open or self.p >= self.n:
            return self.kind() == EOF
        return self.taken(self.closer_targets(), self.open)

    def closed_outside(self, construct: str, header: int, body: int, wanted: str) -> bool:
        """At the end of the construct that opened at ``header`` (the innermost open
        one; its body began at ``body``), where its closer was expected: a closer an
        enclosing construct takes (its own missing: ``END FUNCTION`` after an IF without
        ``END IF``)? Then that is one error here, quoting the construct's header, and
        the closer is left to its construct."""
        if self.kind() == EOF or not self.at_closer() or len(self.open) < 2:
            return False
        targets = self.closer_targets()
        if self.taken(targets, self.open[-1:]) or not self.taken(targets, self.open[:-1]):
            return False
        found = self.texts[self.p]
        if targets is not None and self.at_kw("end"):
            found += " " + self.texts[self.p + 1]  # END FUNCTION
        quoted = self.quote_header(header, body)
        if wanted == self.word("end"):
            wanted += " " + self.word(construct)  # END IF, fin si
        self._flush(self.index[self.p])  # the error at the closer, not after the body
        self.error_here(f"expected '{wanted}' to close '{quoted}', found '{found}'")
        return True

    def quote_header(self, header: int, body: int) -> str:
        """A construct's header as written, on its line (not the line count up to it: a
        reparse of the body alone would keep a stale one)."""
        last = header
        while last + 1 < body and last + 1 < self.n and not self.bol[last + 1]:
            last += 1
        return _shortened(
            self.text[self.offset(header):self.offset(last) + len(self.texts[last])])

    # ------------------------------------------------------------ layout

    def pop_open(self) -> None:
        self.open.pop()
        self.open_at.pop()

    def line_before(self, i: int) -> str:
        """The text of significant token ``i``'s line before it (from the tokens: no
        table of offsets is made for it)."""
        tokens = self.tokens
        j = self.index[i] - 1 if i < self.n else len(tokens) - 1
        parts = []
        while j >= 0:
            value = tokens[j][1]
            if "\n" in value:
                parts.append(value[value.rfind("\n") + 1:])
                break
            parts.append(value)
            j -= 1
        else:  # the line began before the tokens did
            parts.append(self.text[self.text.rfind("\n", 0, self.base) + 1:self.base])
        parts.reverse()
        return "".join(parts)

    def line_column(self, i: int) -> int:
        """The column of significant token ``i`` (tabs every 8)."""
        before = self.line_before(i)
        return len(before.expandtabs(8)) if "\t" in before else len(before)

    def entry_indent(self, k: int) -> int:
        """The indentation of the line where ``open[k]`` opened."""
        at = self.open_at[k]
        if at < 0:
            return -1 - at
        before = self.line_before(at)
        blanks = before[:len(before) - len(before.lstrip(" \t"))]
        return len(blanks.expandtabs(8)) if "\t" in blanks else len(blanks)

    def layout_verdict(self) -> int:
        """At a closer an open construct takes that names no construct (END alone, '}';
        in keyword-terminated blocks also one that names it, ``fin para``), first on its
        line: how it lines up (_ALIGNED, _OUTER, _ORPHAN, _MISALIGNED, above; one that
        names an enclosing construct and not the innermost: _NAMED_OUTER). The way editors read a file whose closers stand at their
        openers' line indentation: one at an enclosing opener's (and not at the
        innermost's) is the enclosing one's, unless the next line back at its column
        holds a closer too (then it is the innermost's, written shallower); one deeper
        than the innermost's is an orphan only where every open construct's closer
        follows at its opener's line indentation, in order. Files laid out otherwise
        keep the closers as written. What is looked at is noted in ``reach``."""
        p = self.p
        open_ = self.open
        if p >= self.n or not self.bol[p] or not open_ or self.style is _INDENTATION:
            return _ALIGNED
        targets = self.closer_targets()
        named = targets is not None and targets[0] != "{"
        if named and self.style is not _KEYWORD_TERMINATED:
            return _ALIGNED  # a closer that names its construct: matched by the name
        inner = len(open_) - 1
        if not self.taken(targets, open_[inner:]):
            return _NAMED_OUTER if named else _ALIGNED
        if named and self.kind()[len(KEYWORD_PREFIX):] in _CLAUSE_OF:
            # in keyword-terminated blocks, where one name closes many, by the layout
            # among them; not a clause word, which an IF or TRY takes at any column
            return _ALIGNED
        column = self.line_column(p)
        indent = self.entry_indent(inner)
        if column == indent:
            return _ALIGNED
        if column < indent:
            for k in range(inner - 1, -1, -1):
                outer = self.entry_indent(k)
                if outer < column:
                    break
                if outer == column and self.taken(targets, open_[k:k + 1]):
                    return _MISALIGNED if self.closer_follows(column) else _OUTER
            return _MISALIGNED
        levels = [k for k in range(inner, -1, -1) if self.taken(targets, open_[k:k + 1])]
        return _ORPHAN if self.closers_in_order(levels) else _MISALIGNED

    def next_line_at(self, i: int, column: int) -> int:
        """The first significant token after ``i`` that starts a line at ``column`` or
        less; -1 at the end (or past ``_LAYOUT_SCAN`` tokens: -2)."""
        bol = self.bol
        end = min(self.n, i + _LAYOUT_SCAN)
        j = i + 1
        while j < end:
            if bol[j] and self.line_column(j) <= column:
                self.note(j)
                return j
            j += 1
        self.note(j)
        return -1 if j == self.n else -2

    def closer_at(self, j: int) -> bool:
        kind = self.kinds[j]
        return kind in self.g.closers or (kind == PUNCT and self.texts[j] in self.g.closers)

    def closer_follows(self, column: int) -> bool:
        """Does the next line back at ``column`` (or shallower) begin with a closer at
        that column (or is it too far to tell)?"""
        j = self.next_line_at(self.p, column)
        return j == -2 or (j >= 0 and self.closer_at(j) and self.line_column(j) == column)

    def closers_in_order(self, levels: list[int]) -> bool:
        """After the closer here, does each of ``open[k]`` for ``k`` in ``levels``
        (innermost first, indentations decreasing) get a closer it takes at its opener
        line's indentation, first at that column or less on its line, in order? The
        constructs opened after it (``} else {``) are skipped with their closers."""
        indents = [self.entry_indent(k) for k in levels]
        if any(indents[i] <= indents[i + 1] for i in range(len(indents) - 1)):
            return False
        kinds, bol = self.kinds, self.bol
        braces = self.style is _BRACES
        openers = _END_OPENERS if self.style is _BEGIN_END else frozenset() if braces \
            else _TERMINATED_OPENERS
        anywhere = self.style is _BEGIN_END
        level = 0
        indent = indents[0]
        depth = 0
        p = self.p
        end = min(self.n, p + _LAYOUT_SCAN)
        for j in range(p + 1, end):
            kind = kinds[j]
            if kind == PUNCT:
                if not braces or self.texts[j] != "{" and self.texts[j] != "}":
                    continue
                if self.texts[j] == "{":
                    depth += 1
                    continue
            elif not kind.startswith(KEYWORD_PREFIX):
                if bol[j] and depth == 0 and self.line_column(j) <= indent:
                    self.note(j)
                    return False
                continue
            else:
                concept = kind[len(KEYWORD_PREFIX):]
                if concept in openers and (anywhere or bol[j]):
                    depth += 1
                    continue
                if kind not in self.g.closers or concept in _CLAUSE_OF:
                    if bol[j] and depth == 0 and self.line_column(j) <= indent:
                        self.note(j)
                        return False
                    continue
            # a closer
            if depth:
                depth -= 1
                continue
            if not bol[j] or self.line_column(j) > indent:
                if bol[j]:
                    continue
                self.note(j)
                return False
            self.note(j)
            if self.line_column(j) != indent \
                    or not self.taken(self.closer_targets(j - p), self.open[levels[level]:
                                                                           levels[level] + 1]):
                return False
            level += 1
            if level == len(levels):
                return True
            indent = indents[level]
        self.note(end)
        return False

    def word(self, concept: str) -> str:
        """How the language spells a concept, for messages (the concept's name when the
        language has no spelling for it: never a Python value such as None)."""
        spelling = self.g.definition.spelling(concept)
        return spelling if spelling is not None else concept.upper()

    def describe(self) -> str:
        kind = self.kind()
        return "end of file" if kind == EOF else repr(self.texts[self.p])

    # ------------------------------------------------------------ entry points

    def parse_file(self) -> GreenNode:
        mark = 0  # leading trivia belong to the file node too
        while self.file_step():
            pass
        self._flush(len(self.tokens))
        self.finish(mark, K.SOURCE_FILE)
        return cast(GreenNode, self.stack.pop())

    def file_step(self) -> bool:
        """One step of the file's list: an item, a program header or end, or a stray
        closer (or a line number before one). False at the end of the file."""
        if self.kind() == EOF:
            return False
        self.skip_line_number()
        if self.kind() == EOF:
            return False
        if self.at_kw("program") and self.p == 0 and self.file_start:
            outer = self.begin_step()
            self.parse_program_header()
            self.end_step(outer)
        elif self.g.program_terminator and self.at_punct(self.g.program_terminator):
            outer = self.begin_step()
            end = self.start()
            self.bump()
            self.finish(end, K.PROGRAM_END)
            self.end_step(outer)
        elif self.at_kw("end") and self.g.line_numbers:
            # BASIC: END at the top level ends the program (a PROGRAM_END, which
            # only a whole parse makes: parse_item alone cannot tell the top level)
            outer = self.begin_step()
            end = self.start()
            self.bump()
            self.end_statement(K.PROGRAM_END)
            self.finish(end, K.PROGRAM_END)
            self.end_step(outer)
        else:
            at = self.p
            self.orphan = -1
            self.parse_item()  # (a closer here has nothing open: ``parse_orphan``)
            if self.orphan == at:
                self.wrap_orphan(at)
        return True

    def begin_step(self) -> int:
        """Start counting a step's looks; returns the enclosing step's reach."""
        outer = self.reach
        self.reach = self.carry
        self.carry = -1
        return outer

    def end_step(self, outer: int) -> None:
        """Record on the node just made how many characters past its end its parse
        looked: through the furthest token it examined (it always examines the token
        after it; past the last token, the end of the text, plus one)."""
        p = self.p
        reach = self.reach if self.reach > p else p
        node: GreenNode = self.stack[-1]  # type: ignore[assignment]
        elements = self.tokens
        index = self.index
        first = index[p - 1] + 1 if p > 0 else 0
        last = index[reach] + 1 if reach < self.n else len(elements)
        width = 0
        for j in range(first, last):
            width += len(elements[j][1])
        node.lookahead = width if reach < self.n else width + 1
        self.reach = reach if reach > outer else outer

    def parse_program_header(self) -> None:
        mark = self.start()
        self.bump()
        self.parse_name()
        if self.at_punct("("):  # PROGRAM Name(input, output);
            self.skip_balanced()
        self.end_statement(K.PROGRAM_HEADER)
        self.finish(mark, K.PROGRAM_HEADER)

    def parse_orphan(self) -> str:
        """An item at a closer no open construct takes: its construct's opener was
        deleted. A clause word (ELSE, ELSEIF, EXCEPT) starts the rest of its construct,
        parsed as such up to its own closer; any other closer (END IF, WEND, '}') is the
        item. One error either way, naming the construct it closes."""
        concept = self.kind()[len(KEYWORD_PREFIX):]
        construct = _CLAUSE_OF.get(concept, "")
        at = self.p
        if construct and self.g.has(construct) and self.kind() != PUNCT:
            message = f"'{self.texts[self.p]}' without '{self.word(construct)}'"
            self.error_here(message)
            self.error_at = -1  # what fails in the rest is a mistake of its own
            return self.parse_orphan_clauses(construct, at, message)
        targets = self.closer_targets()
        first = self.texts[self.p]
        words = first
        self.bump()
        if targets is not None and concept == "end" and self.kind().startswith(KEYWORD_PREFIX) \
                and not self.on_new_line():
            words += " " + self.texts[self.p]  # END IF
            self.bump()
        if concept == "until" and self.can_start_expression() and not self.on_new_line():
            self.parse_expression()  # UNTIL's condition
        elif concept == "next" and self.kind() == IDENT and not self.on_new_line():
            self.bump()  # NEXT i
        if targets is None:
            message = f"unexpected '{first}'"
        elif targets[0] == "{":
            message = f"'{first}' without '{{'"
        else:
            message = f"'{words}' without '{self.word(targets[0])}'"
        kind = self.kind()
        clause = _CLAUSE_OF.get(kind[len(KEYWORD_PREFIX):], "") \
            if kind.startswith(KEYWORD_PREFIX) and not self.on_new_line() else ""
        if clause and self.g.has(clause) and not self.closer_taken():
            # ``} else {`` with the IF's line deleted: one mistake, and the ELSE starts
            # the rest of its construct
            self.error_here(message)
            self.error_at = -1
            return self.parse_orphan_clauses(clause, at, message)
        self.orphan, self.orphan_message = at, message
        self.pending_error = message
        return K.ERROR  # (``END;``: its separator goes with it, ``end_statement``)

    def parse_orphan_clauses(self, construct: str, at: int, message: str) -> str:
        """The rest of an IF or TRY from its orphan clause word on (``parse_orphan``),
        whose error is ``message``."""
        if construct == "if":
            kind = self.parse_if_clauses(self.p, self.p + 1, False, True)
        else:
            kind = self.parse_try_clauses(self.p, self.p + 1, True)
        self.orphan, self.orphan_message = at, message  # (after the items inside it)
        return kind

    def parse_item(self) -> None:
        """One declaration or statement, with its separator. Caller-independent."""
        mark = self.start()
        outer = self.begin_step()
        # an item's errors depend on its own tokens only (an item parses again alone)
        error_at, item_start = self.error_at, self.item_start
        self.error_at, self.item_start = -1, self.p
        self.depth += 1
        before = self.p
        kind = self.dispatch() if self.depth < MAX_DEPTH else self.recover()
        if self.p == before and self.kind() != EOF:
            kind = self.recover()  # whatever happened, every item consumes a token
        self.depth -= 1
        self.end_statement(kind)
        self.finish(mark, kind, self.pending_error)
        self.pending_error = None
        self.error_at, self.item_start = error_at, item_start
        self.end_step(outer)

    def dispatch(self) -> str:
        kind = self.kind()
        if kind == IDENT and self.ext is None and self.style is not _INDENTATION:
            p = self.p
            if p + 1 < self.n and self.texts[p + 1] == "(" and not self.open and self.bol[p]:
                routine = self.headless_routine()
                if routine:
                    return self.parse_headless_routine(routine)
            return self.parse_expression_statement()  # the commonest: what the end does
        if kind == NUMBER and self.g.line_numbers and self.on_new_line() \
                and not self.on_new_line(1):
            self.bump()  # a line number (GW-BASIC) labels the statement after it
            kind = self.kind()
        if self.ext is not None:
            form = self.ext.statement(self)
            if form:
                return form
        if kind.startswith(KEYWORD_PREFIX):
            if kind in self.g.closers:
                return self.parse_orphan()
            concept = kind[len(KEYWORD_PREFIX):]
            if concept in KEYWORD_HANDLERS and self.g.has(concept) \
                    and (concept != "class" or self.style is not _BEGIN_END):
                if self.kind(1) == kind and concept not in _NESTING_HANDLERS \
                        and not self.on_new_line(1):
                    # ``IF IF x``: the first is the mistake, the second starts it
                    self.skip_tokens(1, f"{self.describe()} written twice")
                return self.parse_keyword(concept)
            if concept == "lambda":
                return self.parse_expression_statement()
            if concept == "type":
                return self.parse_section(concept)
            if concept == "array":  # DIM spelled as the array keyword: declares arrays
                return self.parse_let()
            if concept in DECLARATION_CONCEPTS:
                declarations = self.g.definition.structure.declarations
                if declarations == "sections" and concept != "let":
                    return self.parse_section(concept)
                if declarations == "assignment" and concept == "let" \
                        and self.kind(1) == IDENT:
                    self.bump()  # LET x = 1, remember x = 1: an assignment like x = 1
                    return self.parse_expression_statement()
                return self.parse_let()
            if concept in JUMP_CONCEPTS:
                self.bump()
                return K.JUMP_STMT
            if concept not in STRUCTURAL_CONCEPTS:
                return self.parse_command()
        elif kind == PUNCT and self.texts[self.p] == "{" and self.style is _BRACES:
            return self.parse_block_statement()
        elif kind == PUNCT and self.texts[self.p] == "}" and self.style is _BRACES:
            return self.parse_orphan()
        elif kind == IDENT and self.style is _INDENTATION:
            if self.at_keywordless_function():
                return self.parse_function(keyword=False)
            routine = self.headless_routine() if self.bol[self.p] and self.tok_text(1) == "(" \
                else ""
            if routine:
                return self.parse_headless_routine(routine)
        if self.can_start_expression():
            return self.parse_expression_statement()
        return self.recover()

    def recover(self) -> str:
        """Skip to a place where a statement can start; always consumes a token."""
        self.pending_error = f"unexpected {self.describe()}"
        if self.at_separator():  # a stray ';' is the whole mistake
            self.bump()
            return K.ERROR
        self.bump()
        while self.kind() != EOF and not self.at_closer():
            if self.at_separator():
                break
            if self.on_new_line() and (self.newline_sensitive or (
                    self.kind() == IDENT
                    and not self.kinds[self.p - 1].startswith(KEYWORD_PREFIX))):
                break  # (not after THEN or DO: the line goes with it)
            kind = self.kind()
            if kind.startswith(KEYWORD_PREFIX) and kind[3:] in STATEMENT_STARTS:
                break
            self.bump()
        return K.ERROR

    def end_statement(self, kind: str) -> None:
        if self.at_separator():
            self.bump()
            return
        if self.p > 0 and self.texts[self.p - 1] in self.separators \
                and self.kinds[self.p - 1] == PUNCT:
            return  # the statement's last part already ended with one
        sep = self.g.separation
        if self.kind() == EOF or self.at_closer() or kind == K.ERROR:
            return
        if self.g.program_terminator and self.at_punct(self.g.program_terminator):
            # ``END.`` ends the program even where text follows it (compilers ignore
            # that text; a program's routines after it were served as before)
            return
        if sep is _TERMINATOR:
            if kind not in _BLOCK_ENDING:
                self.expect_end("expected ';'")
        elif sep is _SEPARATOR:
            self.expect_end("expected ';'")
        elif not self.on_new_line():
            self.expect_end("expected a new line or ';' after the statement")

    def expect_end(self, wanted: str) -> None:
        """The statement should end here and does not. A token written twice is dropped;
        the rest of the statement's line is one mistake (``skip_rest``); a statement on
        a line of its own after it only lacks the separator."""
        if self.drop_doubled() and (self.kind() == EOF or self.at_closer()
                                    or self.on_new_line()):
            return
        if self.at_separator():
            self.bump()
            return
        if self.on_new_line():
            if not self.ends_with_error():
                self.error_here(wanted)
            return
        self.skip_rest(wanted)

    def closer_missing(self, message: str) -> None:
        """The innermost construct ends without its closer (``layout``: _OUTER): one
        error after its last statement, unless that statement's missing separator is
        reported there already (the closer's line deleted with its ';')."""
        self.layout = _ALIGNED
        node = self.stack[-1] if self.stack else None
        while type(node) is GreenNode and node.kind != K.ERROR and node.children:
            node = node.children[-1]
        if not (type(node) is GreenNode and node.kind == K.ERROR and node.width == 0
                and node.error is not None and node.error.startswith("expected ';'")):
            self.error_here(message)

    def ends_with_error(self) -> bool:
        """Does the node just made end with an error (an IF whose last statement lacks
        its ';': the IF's own ';' is the same one)? Read from the node, so an item
        parsed again alone gives the same answer."""
        node = self.stack[-1] if self.stack else None
        while type(node) is GreenNode:
            if node.kind == K.ERROR:
                return True  # (of any width: an edit may turn one kind into the other)
            children = node.children
            if not children:
                return False
            node = children[-1]
        return False

    def skip_rest(self, wanted: str) -> None:
        """The rest of the line, up to its separator (taken), a closer or a statement's
        keyword, as one error (``wanted``, and what was found); no message where this
        item already reported one here (the same mistake: ``[1 2, 3]`` is one error, at
        the missing ']')."""
        if self.at_punct("{") and self.style is _BRACES or (
                self.kind().startswith(KEYWORD_PREFIX)
                and self.kind()[len(KEYWORD_PREFIX):] in STATEMENT_STARTS) \
                or self.at_closer() or self.on_new_line():
            self.error_here(wanted)  # a statement follows on the same line
            return
        ahead = 0
        depth = 0
        while ahead < _SKIP_LIMIT * 4:
            kind = self.kind(ahead)
            if kind == PUNCT:
                text = self.texts[self.p + ahead]
                if text in _OPENERS:
                    depth += 1
                elif text == ")" or text == "]":  # unbalanced: part of the mistake
                    depth = depth - 1 if depth else 0
                elif ahead and self.ends_skip(ahead, depth, headers=False):
                    break
            elif ahead and self.ends_skip(ahead, depth, headers=False):
                break
            ahead += 1
        message = None if self.p == self.error_at or self.ends_with_error() \
            else f"{wanted}, found {self.describe()}"
        mark = self.start()
        for _ in range(ahead):
            self.bump()
        self.finish(mark, K.ERROR, message)
        self.error_at = self.p
        if self.at_separator():
            self.bump()

    # ------------------------------------------------------------ declarations

    def parse_name(self, doubled: bool = True) -> None:
        """``doubled``: the same name again after it is a mistake (``remember sum sum = 0``;
        not after a lambda's parameter, where ``lambda n n * 2`` lacks its ':')."""
        if self.kind() == IDENT:
            mark = self.start()
            self.bump()
            self.finish_shared(mark, K.NAME, self.names)
            if doubled and self.kind() == IDENT:
                self.drop_doubled()
        elif self.drop_doubled():  # PROCEDURE PROCEDURE P
            self.parse_name()
        else:
            self.error_here(f"expected a name, found {self.describe()}")

    def parse_name_list(self) -> None:
        """``a, b, c`` as declared names."""
        self.parse_name()
        while self.at_punct(","):
            self.bump()
            self.parse_name()

    def parse_section(self, concept: str) -> str:
        section = {"var": K.VAR_SECTION, "const": K.CONST_SECTION, "type": K.TYPE_SECTION,
                   "dim": K.VAR_SECTION}[concept]
        self.bump()
        self.drop_doubled()  # VAR VAR
        count = 0
        while self.kind() == IDENT or (count and self.drop_doubled()):  # ``x : REAL; ;``
            if self.kind() != IDENT:
                continue
            if count and self.statement_follows():
                break  # the section ended (a BEGIN after it deleted: one error there)
            count += 1
            self.parse_section_entry(section)
        if count == 0:
            self.error_here("expected a declaration")
        return section

    def statement_follows(self) -> bool:
        """At a name in a declaration section: is it a statement's first word instead
        (``x := 1``, ``WriteLn(x)``, ``a[i] := 0``, ``r.f := 0``), which no declaration
        continues with?"""
        after = self.kind(1)
        if after != PUNCT:
            return False
        text = self.texts[self.p + 1]
        return text in ("(", "[", ".") or text == self.g.assignment

    def parse_section_entry(self, section: str) -> None:
        mark = self.start()
        self.parse_name()
        if section == K.TYPE_SECTION:
            self.expect_assign_or_equals()
            self.parse_type()
            kind = K.TYPE_DECL
        else:
            while self.at_punct(","):
                self.bump()
                self.parse_name()
            if self.at_symbol(self.g.type_annotation):
                self.bump()
                self.parse_type()
            elif section == K.VAR_SECTION:
                self.error_here(f"expected '{self.g.type_annotation}' and a type")
                self.type_after_missing_annotation()
            if self.at_punct("=") or self.at_symbol(self.g.assignment):
                self.bump()
                self.parse_expression()
            elif section == K.CONST_SECTION:
                self.error_here("expected '=' and a value")
            kind = K.VAR_DECL if section == K.VAR_SECTION else K.CONST_DECL
        if self.at_punct(";"):
            self.bump()
        elif self.g.separation is not _NEWLINE_SEPARATED and self.kind() != EOF:
            if not self.on_new_line():
                self.skip_rest("expected ';'")  # the section goes on on the next line
            elif self.kind() == IDENT:
                self.error_here("expected ';'")
        self.finish(mark, kind)

    def type_after_missing_annotation(self) -> None:
        """``Count INTEGER;``: a name on the declaration's line where its annotation was
        expected is the type (the one mistake is the missing ':')."""
        if (self.kind() == IDENT or self.at_kw("array") or self.at_kw("record")) \
                and not self.on_new_line():
            self.parse_type()

    def expect_assign_or_equals(self) -> None:
        if self.at_punct("=") or self.at_symbol(self.g.assignment):
            self.bump()
        else:
            self.error_here("expected '='")

    def parse_let(self) -> str:
        self.bump()
        self.parse_name()
        while True:
            if self.at_punct("("):  # DIM marks(10): an array's bounds
                self.parse_argument_list(")", allow_empty=False)
            if not self.at_punct(","):
                break
            self.bump()
            self.parse_name()
        if self.at_symbol(self.g.type_annotation):
            self.bump()
            self.parse_type()
        if self.at_symbol(self.g.assignment) or self.at_punct("="):
            self.bump()
            self.parse_expression()
        return K.LET_STMT

    def parse_import(self) -> str:
        self.bump()
        while True:
            if self.kind() == IDENT:
                mark = self.start()
                self.bump()
                while self.at_punct(".") and self.kind(1) == IDENT:
                    self.bump()
                    self.bump()
                self.finish(mark, K.NAME_REF)
            else:
                self.error_here("expected a module name")
                break
            if not self.at_punct(","):
                break
            self.bump()
        return K.IMPORT_STMT

    def at_keywordless_function(self) -> bool:
        """``NAME(PARAMS):`` ending its line, in a language whose functions need no
        keyword (``function_keyword_required: false``): a function declaration."""
        if self.g.definition.structure.function_keyword_required \
                or self.kind(1) != PUNCT or self.tok_text(1) != "(":
            return False
        depth, i = 0, self.p + 1
        while i < self.n and (i == self.p + 1 or not self.bol[i]):  # the header's line only
            if self.kinds[i] == PUNCT and self.texts[i] == "(":
                depth += 1
            elif self.kinds[i] == PUNCT and self.texts[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        self.note(i)
        if i >= self.n or self.bol[i] and i != self.p + 1:
            return False  # no ')' on the header's line
        opener = i + 1
        self.note(opener)
        if not (opener < self.n and not self.bol[opener] and self.kinds[opener] == PUNCT
                and self.texts[opener] == self.g.block_open):
            return False
        self.note(opener + 1)
        return opener + 1 >= self.n or self.bol[opener + 1]

    def skip_heading_rest(self, header: int) -> bool:
        """A routine heading's line that ends with its body's '{' after a mistake the
        skips stop at (``f index: int) -> int {``, ``main) {``): the rest of the line
        before the '{' is that one mistake (no message where the heading reported it)."""
        last = self.p
        while last + 1 < self.n and not self.bol[last + 1]:
            last += 1
        self.note(last + 1)
        if last == self.p or self.bol[self.p] or self.kinds[last] != PUNCT \
                or self.texts[last] != "{" \
                or any(self.texts[i] in self.separators for i in range(self.p, last)):
            return False
        message = None if self.error_at >= header else \
            f"expected '{{', found {self.describe()}"
        mark = self.start()
        while self.p < last:
            self.bump()
        self.finish(mark, K.ERROR, message)
        self.error_at = self.p
        return True

    def headless_routine(self) -> str:
        """At ``NAME(`` first on its line outside any construct: is it a routine's
        heading whose keyword was deleted? Its parentheses hold a parameter with a type
        (``a : INTEGER``, ``qty AS DOUBLE``), which no call has, and its line ends as a
        heading does (a result type, '{', ';' before a BEGIN or declaration, or the line's
        end). The concept (``function`` with a result type) or ''."""
        annotation = self.g.type_annotation.lower()
        if not annotation:
            return ""
        kinds, texts, bol, n = self.kinds, self.texts, self.bol, self.n
        typed, depth, i = False, 0, self.p + 1
        while i < n and (i == self.p + 1 or not bol[i]):
            text = texts[i]
            if kinds[i] == PUNCT and (text == "(" or text == "["):
                depth += 1
            elif kinds[i] == PUNCT and (text == ")" or text == "]"):
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1 and kinds[i] == IDENT and i + 2 < n and not bol[i + 2] \
                    and texts[i + 1].lower() == annotation and kinds[i + 2] != NUMBER \
                    and (texts[i - 1] in ("(", ",", ";") or kinds[i - 1] == KEYWORD_PREFIX + "var"):
                typed = True
            i += 1
        after = i + 1
        self.note(after + 1)
        if not typed or i >= n or depth:
            return ""
        if after < n and not bol[after] and self.g.result_type \
                and texts[after].lower() == self.g.result_type.lower():
            return "function"
        concept = "procedure" if self.g.has("procedure") else "function"
        if after >= n or bol[after] or texts[after] == "{" or texts[after] == self.g.block_open:
            return concept
        if texts[after] == ";" and after + 1 < n and bol[after + 1] \
                and kinds[after + 1][len(KEYWORD_PREFIX):] in _ROUTINE_FOLLOWERS:
            return concept
        return ""

    def parse_headless_routine(self, concept: str) -> str:
        """A routine's heading without its keyword (``headless_routine``): one error
        where the keyword was, and the routine as written."""
        self.start()
        self.stack.append(GreenNode(K.ERROR, (), f"expected '{self.word(concept)}' before "
                                                 f"'{self.texts[self.p]}'"))
        return self.parse_function(keyword=False, concept=concept)

    def parse_function(self, keyword: bool = True, concept: str = "function") -> str:
        header_line = self.p
        if keyword:
            concept = self.kind()[len(KEYWORD_PREFIX):]
        if keyword:
            self.bump()
        self.parse_name()
        if self.at_punct("("):
            self.parse_params()
        if self.g.result_type and self.at_symbol(self.g.result_type):
            mark = self.start()
            self.bump()
            self.parse_type()
            self.finish(mark, K.RESULT_TYPE)
        style = self.style
        if style is _BEGIN_END:
            self.expect_punct(";") if not self.at_kw("begin") else None
            while self.kind()[3:] in ("var", "const", "type", "function", "procedure",
                                      "import") and self.kind().startswith(KEYWORD_PREFIX):
                self.parse_item()
            if self.at_kw("begin") or self.skip_to_expected(
                    "", "begin", f"expected '{self.word('begin')}'", take=False):
                self.parse_block_item()
            else:
                self.error_here(f"expected '{self.word('begin')}'")
                self.parse_body_without_opener(True, header_line)
        elif style is _BRACES:
            if self.at_punct("{") or self.skip_to_expected("{", "", "expected '{'", take=False) \
                    or self.skip_heading_rest(header_line):
                self.parse_block_item()
            else:
                self.error_here("expected '{'")
                self.parse_body_without_opener(False, header_line)
        elif style is _INDENTATION:
            self.parse_indented_body(header_line)
        else:
            self.open.append(concept)
            self.open_at.append(header_line)
            body = self.p
            self.parse_terminated_list(header_line)
            self.expect_terminator(("end" + concept, "endfunction", "endprocedure"), concept,
                                   header_line, body)
            self.pop_open()
        return K.FUNCTION_DECL

    def parse_class(self) -> str:
        """class NAME [(BASE, ...)] BODY, the body in the block style (a Python-family
        config's class, Ruby's ``class ... end``); its functions are the class's methods.
        BEGIN..END languages declare classes as types (``TYPE T = CLASS``), not here."""
        header = self.p
        self.bump()
        self.parse_name()
        if self.at_punct("("):
            mark = self.start()
            self.bump()
            self.nesting += 1
            while not self.at_punct(")") and self.kind() != EOF and self.can_start_expression():
                self.parse_expression()
                if not self.at_punct(","):
                    break
                self.bump()
            self.nesting -= 1
            self.expect_punct(")")
            self.finish(mark, K.BASE_LIST)
        if self.style is _BRACES:
            if self.at_punct("{"):
                self.parse_block_item()
            else:
                self.error_here("expected '{'")
        elif self.style is _KEYWORD_TERMINATED:
            self.open.append("class")
            self.open_at.append(header)
            body = self.p
            self.parse_body(header, "class")
            self.expect_terminator(("endclass",), "class", header, body)
            self.pop_open()
        else:
            self.parse_body(header, "class")
        return K.CLASS_DECL

    def parse_lambda(self, mark: int) -> None:
        """lambda [PARAM, ...] ':' EXPRESSION (the ':' is the block-opening symbol); the
        lambda keyword is the current token."""
        self.bump()
        params = self.start()
        while self.kind() == IDENT:
            group = self.start()
            self.parse_name(doubled=False)
            if self.at_punct("="):
                self.bump()
                self.parse_expression()
            self.finish(group, K.PARAM_GROUP)
            if not self.at_punct(","):
                break
            self.bump()
        self.finish(params, K.PARAM_LIST)
        opener = self.g.block_open or ":"
        opened = self.at_symbol(opener)
        if opened:
            self.bump()
        else:
            self.error_here(f"expected '{opener}'")
        if self.can_start_expression() and not self.statement_ends_here():
            self.parse_expression()  # the body, even after a missing ':' (one error)
        elif opened:
            self.error_here("expected the lambda's body")
        self.finish(mark, K.LAMBDA_EXPR)

    def parse_params(self) -> None:
        mark = self.start()
        self.bump()
        self.nesting += 1
        while not self.at_punct(")") and self.kind() != EOF:
            group = self.start()
            if self.kind() in ("kw_var", "kw_const"):
                self.bump()
            if self.kind() != IDENT:
                self.nesting -= 1
                if self.heading_goes_on():  # ``f( {``: only its ')' is missing
                    self.error_here("expected ')'")
                    self.finish(group, K.PARAM_GROUP)
                    self.finish(mark, K.PARAM_LIST)
                    return
                self.error_here("expected a parameter name")
                self.finish(group, K.PARAM_GROUP)
                self.skip_to_close(")")
                self.finish(mark, K.PARAM_LIST)
                return
            self.parse_name()
            while self.at_punct(",") and self.kind(1) == IDENT:
                self.bump()
                self.parse_name()
            if self.at_symbol(self.g.type_annotation):
                self.bump()
                self.parse_type()
            elif self.g.type_annotation and self.kind() == IDENT:
                self.error_here(f"expected '{self.g.type_annotation}' and a type")
                self.parse_type()  # ``(qty INTEGER)``: the type, its annotation left out
            if self.at_punct("="):
                self.bump()
                self.parse_expression()
            self.finish(group, K.PARAM_GROUP)
            if self.at_punct(";") or self.at_punct(","):
                self.bump()
            elif not self.at_punct(")"):
                break
        self.nesting -= 1
        self.expect_punct(")", commas=True)
        self.drop_doubled()  # nothing a parameter list ends with comes twice
        self.finish(mark, K.PARAM_LIST)

    def heading_goes_on(self) -> bool:
        """After a parameter list's '(' or ',': does what a heading has after its ')'
        come here (a new line, the body's '{')? (Not a result type's symbol: a name
        deleted before its type's AS or ':' reads the same.)"""
        return self.on_new_line() or (self.style is _BRACES and self.at_punct("{"))

    def skip_to_close(self, symbol: str) -> None:
        while self.kind() != EOF and not self.at_punct(symbol) and not self.at_closer():
            self.bump()
        if self.at_punct(symbol):
            self.bump()

    def skip_balanced(self) -> None:
        depth = 0
        while self.kind() != EOF:
            if self.at_punct("("):
                depth += 1
            elif self.at_punct(")"):
                depth -= 1
                if depth <= 0:
                    self.bump()
                    return
            self.bump()

    # ------------------------------------------------------------ types

    def parse_type(self) -> None:
        mark = self.start()
        if self.at_kw("array"):
            self.bump()
            self.drop_doubled()
            if self.at_punct("["):
                self.bump()
                self.nesting += 1
                self.parse_expression()
                while self.at_punct(","):
                    self.bump()
                    self.parse_expression()
                self.nesting -= 1
                self.expect_punct("]")
            self.expect_kw("of")
            self.parse_type()
            self.finish(mark, K.ARRAY_TYPE)
        elif self.at_kw("record"):
            self.bump()
            self.drop_doubled()
            while self.kind() == IDENT or self.drop_doubled():
                if self.kind() != IDENT:
                    continue
                field = self.start()
                self.parse_name_list()
                if self.at_symbol(self.g.type_annotation):
                    self.bump()
                    self.parse_type()
                else:
                    self.error_here(f"expected '{self.g.type_annotation}' and a type")
                    self.type_after_missing_annotation()
                if self.at_punct(";"):
                    self.bump()
                self.finish(field, K.FIELD_DECL)
            self.expect_kw("end")
            self.finish(mark, K.RECORD_TYPE)
        elif self.at_punct("["):
            self.bump()
            self.parse_type()
            self.expect_punct("]")
            self.finish(mark, K.LIST_TYPE)
        elif self.kind() == IDENT or (self.kind().startswith(KEYWORD_PREFIX)
                                      and not self.at_closer()
                                      and self.kind()[3:] not in STATEMENT_STARTS):
            self.bump()
            while self.at_punct(".") and self.kind(1) == IDENT:
                self.bump()
                self.bump()
            self.finish_shared(mark, K.TYPE_REF, self.type_names)
            if self.kind() == IDENT:
                self.drop_doubled()  # ``x: int int = 0``
        elif self.drop_doubled():  # ``Count : : INTEGER``
            self.parse_type()
        else:
            self.error_here(f"expected a type, found {self.describe()}")

    # ------------------------------------------------------------ statements

    def parse_block_item(self) -> str:
        """BEGIN ... END or { ... } as a node of its own (a function body)."""
        mark = self.start()
        self.parse_block_statement()
        self.finish(mark, K.BLOCK)
        return K.BLOCK

    def parse_block_statement(self) -> str:
        """As a dispatch target: the node wrapping is done by parse_item."""
        close_kw = self.at_kw("begin")
        self.open.append("begin" if close_kw else "{")
        self.open_at.append(self.p)
        self.bump()
        self.parse_statement_list()
        if self.layout == _OUTER:  # its closer missing: the one there is an outer one's
            opener = self.open_at[-1]
            quoted = self.line_before(opener).strip() + " " + self.texts[opener]
            self.closer_missing(f"expected '{self.word('end') if close_kw else '}'}' to close "
                                f"'{_shortened(quoted.strip())}'")
        elif close_kw:
            self.expect_kw("end")
        else:
            self.expect_punct("}")
        self.pop_open()
        return K.BLOCK

    def parse_body_without_opener(self, close_kw: bool, header: int) -> None:
        """A routine's body whose BEGIN or '{' is missing (reported): where statements
        follow on the next line, they are its body, up to its END or '}' (taken: the
        one mistake is the missing opener), not statements of the enclosing list with
        an orphan closer after them."""
        if not self.on_new_line() or self.kind() == EOF or self.at_closer() \
                or self.at_kw("function") or self.at_kw("procedure") \
                or _BODILESS in self.open or _BODILESS_BRACES in self.open:
            return  # (not in another one's: each would parse the rest again, 2^depth)
        mark = self.start()
        at, flushed, error_at = self.p, self.flushed, self.error_at
        self.open.append(_BODILESS if close_kw else _BODILESS_BRACES)
        self.open_at.append(header)
        self.parse_statement_list()
        self.pop_open()
        terminator = self.g.program_terminator
        if self.layout == _OUTER:  # the closer there is an outer construct's
            self.layout = _ALIGNED
        elif (self.at_kw("end") if close_kw else self.at_punct("}")) and not (
                terminator and self.kind(1) == PUNCT and self.tok_text(1) == terminator):
            self.bump()
            self.finish(mark, K.BLOCK)
            return
        # no closer of its own (the main program's END, the end of the file): the
        # statements were not its body after all (a declaration section gone wrong)
        del self.stack[mark:]
        self.p, self.flushed, self.error_at = at, flushed, error_at

    def parse_statement_list(self) -> None:
        """The statements of the innermost open construct, up to a closer one takes (or
        the end of the file). Where the layout says that closer is an enclosing one's
        (``layout``: _OUTER), the list ends before its first statement back at its
        construct's line's indentation, if one is: that one and the rest belong to the
        enclosing list (parsed again there), and the missing closer goes after the last
        statement indented deeper."""
        start, mark, flushed, error_at = self.p, len(self.stack), self.flushed, self.error_at
        list_mark = self.list_mark
        self.list_mark = mark
        self.layout = _ALIGNED
        while self.list_step():
            pass
        self.list_mark = list_mark
        if self.layout != _OUTER and self.layout != _NAMED_OUTER:
            return
        indent = self.entry_indent(len(self.open) - 1)
        back = next((i for i in range(start + 1, self.p)
                     if self.bol[i] and self.line_column(i) <= indent), -1)
        if back < 0:
            if self.layout == _NAMED_OUTER:
                self.layout = _ALIGNED  # reported at the closer (``closed_outside``)
            return
        del self.stack[mark:]
        self.p, self.flushed, self.error_at = start, flushed, error_at
        self.list_mark = mark
        while self.p == start or not (back <= self.p < self.n and self.bol[self.p]
                                      and self.line_column(self.p) <= indent):
            if not self.list_step():
                break
        self.list_mark = list_mark
        self.layout = _OUTER

    def end_word_alone(self) -> bool:
        """At a word that names the innermost open construct after END (``FUNCTION``,
        ``función``), alone on its line in a keyword-terminated block: what is left of
        its closer (``END FUNCTION`` with its END deleted), not a new construct."""
        kind = self.kind()
        if self.style is not _KEYWORD_TERMINATED or not self.open or self.p >= self.n \
                or not self.bol[self.p] or not kind.startswith(KEYWORD_PREFIX) \
                or kind[len(KEYWORD_PREFIX):] != self.open[-1].rstrip() \
                or not self.g.has("end") or self.open[-1].rstrip() not in _NAMED_BY_END:
            return False
        return self.on_new_line(1)

    def list_step(self) -> bool:
        """One step of a statement list: an item (after a line number that labels a
        closer). False at the list's end: the end of the file or a closer (``layout``
        says how it lines up)."""
        if self.kind() == EOF:
            return False
        if self.g.line_numbers:  # (asked here: a call per statement otherwise)
            self.skip_line_number()
        if self.kind() == EOF:
            return False
        if self.kinds[self.p] in self.end_words and self.end_word_alone():
            self.layout = _ALIGNED
            return False  # (its construct reports its END missing and takes the word)
        if self.kinds[self.p] in _ROUTINE_KINDS and self.routine_ends_block():
            self.layout = _OUTER  # (the block reports its END missing)
            return False
        if self.at_closer() and self.closer_taken():
            reach = self.reach
            self.reach = -1
            layout = self.layout_verdict()
            looked = self.reach
            self.reach = reach if reach > looked else looked
            if layout != _ORPHAN:
                self.layout = layout
                return False
            self.carry = looked  # the orphan's step looked as far
        at = self.p
        self.orphan = -1
        self.parse_item()
        if self.orphan == at:
            self.wrap_orphan(at)
        return True

    def routine_ends_block(self) -> bool:
        """At a routine's keyword among a BEGIN or '{' block's statements, first on its
        line and no deeper than the block's opening line (a routine declared inside a
        block is indented deeper; in BEGIN..END none is: they come before their BEGIN):
        the block's END or '}' is missing before it."""
        return bool(self.open) and (self.open[-1] == "begin" or self.open[-1] == "{") \
            and self.bol[self.p] \
            and self.line_column(self.p) <= self.entry_indent(len(self.open) - 1)

    def lost_braces(self, step: GreenNode, written: str) -> bool:
        """Is ``step`` (``written``), at the orphan closer's indentation, an IF, WHILE
        or FOR whose body is one statement on the lines after its header (its BEGIN or
        '{' deleted: the statements after that one were the rest of its block)?"""
        if step.kind not in _LOOSE_BODIES or self.style not in (_BRACES, _BEGIN_END) \
                or "\n" not in written.rstrip():
            return False
        body = next((c for c in reversed(step.children) if isinstance(c, GreenNode)), None)
        if body is None or body.kind == K.ELSE_CLAUSE or body.kind == K.ELIF_CLAUSE:
            return False  # (an ELSE IF chain: which of its parts lost it is not known)
        opener = body.children[0] if body.kind == K.BLOCK and body.children else None
        return not (isinstance(opener, tuple) and (
            opener[0] == PUNCT and opener[1] == "{" or opener[0] == KEYWORD_PREFIX + "begin"))

    def wrap_orphan(self, closer: int) -> None:
        """The item just made is the orphan closer ``closer``. Where it is first on its
        line and the steps of the list right before it stand on lines indented deeper,
        those lines were the body of a construct whose opener was deleted (its header
        line, its BEGIN or '{'): the steps and the closer become one block, and the one
        error moves from the closer to where the opener was, before the first of them
        (the layout as evidence, as ``layout_verdict`` reads it). The look goes back no
        further than the list's first step; a run of ``incremental`` that began later
        is ``unsure`` when it gets there."""
        if not self.bol[closer] or self.unsure:
            return
        stack = self.stack
        top = len(stack) - 1
        orphan = stack[top]
        if type(orphan) is not GreenNode:
            return
        column = self.line_column(closer)
        # what a block's opener opens: an END or '}' may have lost it to a statement
        lost = self.kinds[closer] == KEYWORD_PREFIX + "end" or self.kinds[closer] == PUNCT
        text = self.text
        end = self.offset(closer) + orphan.width
        offset = end - orphan.width
        look = end + orphan.lookahead  # the furthest the wrapped steps looked
        first = -1
        i = top - 1
        floor = self.list_mark if self.list_mark >= 0 else 0
        while i >= floor:
            element = stack[i]
            if type(element) is GreenNode:
                if element.lookahead <= 0:
                    break  # not a step (a line number's label, an error)
                offset -= element.width
                line = text.rfind("\n", 0, offset) + 1
                blanks = text[line:offset]
                blanks = blanks[:len(blanks) - len(blanks.lstrip(" \t"))]
                if len(blanks.expandtabs(8)) <= column:
                    if lost and len(blanks.expandtabs(8)) == column and self.lost_braces(
                            element, text[offset:offset + element.width]):
                        first = i
                        look = max(look, offset + element.width + element.lookahead)
                    break
                first = i
                look = max(look, offset + element.width + element.lookahead)
            else:
                token = cast("Token", element)
                if token[0] not in TRIVIA:
                    break
                offset -= len(token[1])
            i -= 1
        else:
            if self.list_mark < 0:
                self.unsure = True
                return
        if first < 0:
            return
        message = self.orphan_message
        if orphan.error == message:
            children = orphan.children
        else:  # an ELSE's: the rest of its IF, the error its first child or after '}'
            at = next((j for j, child in enumerate(orphan.children[:2])
                       if type(child) is GreenNode and child.kind == K.ERROR
                       and child.width == 0 and child.error == message), -1)
            if at < 0:
                return
            children = orphan.children[:at] + orphan.children[at + 1:]
        closing = GreenNode(orphan.kind, children, None, None, True)
        closing.lookahead = orphan.lookahead
        error = GreenNode(K.ERROR, (), f"{message}: the block it closes begins here")
        body: tuple[GreenNode | Token, ...] = (error, *stack[first:top], closing)  # type: ignore[arg-type]
        block = GreenNode(K.BLOCK, body, None, None, True)
        block.lookahead = look - end
        del stack[first:]
        stack.append(block)

    def skip_line_number(self) -> None:
        """A line number (GW-BASIC) labels its line: before a closer (``60 NEXT I``) it
        belongs to the enclosing list; before a statement, to the statement."""
        if self.g.line_numbers and self.kind() == NUMBER and self.on_new_line() \
                and not self.on_new_line(1) and self.at_closer_ahead():
            self.bump()

    def at_closer_ahead(self) -> bool:
        kind = self.kind(1)
        return kind in self.g.closers or (kind == PUNCT and self.tok_text(1) in self.g.closers)

    def parse_terminated_list(self, header: int = -1) -> None:
        """Keyword-terminated style: items until any closer keyword (or, where the closing
        keyword may be left out, a line indented no deeper than the header's)."""
        mark = self.start()
        if header < 0 or self.g.definition.structure.block_end_required:
            self.parse_statement_list()
        else:
            outer = self.line_indent(header)
            while self.kind() != EOF and not (self.at_closer() and self.closer_taken()):
                if self.on_new_line() and self.column() <= outer:
                    break
                self.parse_item()
        self.finish(mark, K.BLOCK)

    def ended_by_dedent(self, header: int) -> bool:
        """A block whose closing keyword may be left out, left out here: its body ended
        at a line indented no deeper than its header."""
        if header < 0 or self.g.definition.structure.block_end_required:
            return False
        return self.kind() == EOF or (self.on_new_line()
                                      and self.column() <= self.line_indent(header)
                                      and not self.at_kw("end"))

    def expect_terminator(self, concepts: tuple[str, ...], construct: str,
                          header: int = -1, body: int = -1) -> None:
        """The closer of a keyword-terminated construct (``header``: its first token;
        ``body``: its body's)."""
        if self.ended_by_dedent(header):
            return
        if self.layout == _OUTER:  # its closer missing: the one there is an outer one's
            wanted = next((self.word(c) for c in concepts if self.g.has(c)), self.word("end"))
            self.closer_missing(f"expected '{wanted}' to close "
                                f"'{self.quote_header(header, body)}'")
            return
        for concept in concepts:
            if self.g.has(concept) and self.at_kw(concept):
                self.bump()
                return
        wanted = next((self.word(c) for c in concepts if self.g.has(c)), self.word("end"))
        if header >= 0 and not (self.at_kw("end") and self.kw_ahead(1, construct)) \
                and self.closed_outside(construct, header, body, wanted):  # (END IF: its own)
            return
        if self.at_kw("end"):
            self.bump()
            if self.at_kw("end") and self.kw_ahead(1, construct) and not self.on_new_line(1):
                self.drop_doubled()  # END END IF
            if self.at_kw(construct) and not self.on_new_line():
                self.bump()
            return
        if self.end_word_alone():
            self._flush(self.index[self.p])  # the error at the word, not before its line
            self.error_here(f"expected '{self.word('end')} {self.texts[self.p]}', "
                            f"found '{self.texts[self.p]}'")
            self.bump()
            return
        self.error_here(f"expected '{wanted}' to close '{self.word(construct)}'")

    def parse_body(self, header: int, construct: str) -> None:
        """The body of a compound statement, in the language's block style."""
        style = self.style
        if style is _INDENTATION:
            self.parse_indented_body(header)
        elif style is _KEYWORD_TERMINATED:
            self.parse_terminated_list(header)
        elif self.kind() == EOF or self.at_closer():
            self.error_here("expected a statement")
        else:
            self.parse_item()

    def parse_indented_body(self, header: int) -> None:
        mark = self.start()
        if self.g.block_open:
            if self.at_symbol(self.g.block_open):
                self.bump()
            elif not self.skip_to_expected(self.g.block_open, "",
                                           f"expected '{self.g.block_open}'"):
                self.error_here(f"expected '{self.g.block_open}'")
        if not self.on_new_line():
            if self.kind() != EOF:
                self.parse_item()
            self.finish(mark, K.BLOCK)
            return
        outer = self.line_indent(header)
        if 0 <= self.floor < outer:
            outer = self.floor  # a header indented too deep: its body need not be deeper
        if self.kind() == EOF or self.column() <= outer:
            self.error_here("expected an indented block")
            self.finish(mark, K.BLOCK)
            return
        indent = self.column()
        while self.kind() != EOF:
            if self.on_new_line():
                col = self.column()
                if col < indent:
                    break
                if col > indent:
                    # the lines indented deeper, one mistake (a header left out)
                    self.pending_error = None
                    unexpected = self.start()
                    floor, self.floor = self.floor, indent
                    self.parse_deeper_item()
                    while self.kind() != EOF and not (
                            self.on_new_line() and self.column() <= indent):
                        self.parse_item()
                    self.floor = floor
                    if self.on_new_line() and self.kind() != EOF and self.column() == indent:
                        # the deeper lines were an IF's first part, its header line
                        # deleted: an ELSE after them is that IF's, the same mistake
                        self.parse_deeper_item(clause_only=True)
                    self.finish(unexpected, K.ERROR, "unexpected indentation")
                    continue
            if self.at_closer() and (self.at_kw("else") or self.at_kw("elif")):
                break
            self.parse_item()
        self.finish(mark, K.BLOCK)

    def parse_deeper_item(self, clause_only: bool = False) -> None:
        """An item of lines indented deeper than their block (one error, reported by
        the caller): an ELSE or ELSEIF there is the rest of an IF whose header line was
        deleted, parsed without an error of its own (the same mistake); else (unless
        ``clause_only``) any item."""
        if self.at_kw("else") or self.at_kw("elif"):
            clauses = self.start()
            self.parse_if_clauses(self.p, self.p + 1, False, True)
            self.finish(clauses, K.IF_STMT)
        elif not clause_only:
            self.parse_item()

    def continues_clause(self, header: int) -> bool:
        """Is an else/elif here part of the statement that started at ``header``?"""
        if self.style is not _INDENTATION or not self.on_new_line():
            return True
        return self.column() == self.line_indent(header)

    def parse_if(self) -> str:
        header = self.p
        self.bump()
        self.parse_condition()
        return self.parse_if_after_condition(header)

    def parse_if_after_condition(self, header: int) -> str:
        single_line = False
        if self.style is _INDENTATION:
            if self.at_kw("then"):  # the ':' opens the block; a THEN before it may stay
                self.bump()
        elif self.g.has("then"):
            self.expect_kw("then")
        terminated = self.style is _KEYWORD_TERMINATED
        entry = self.if_entry
        if entry:
            self.open.append(entry)
            self.open_at.append(header)
        body = self.p
        if terminated and not self.on_new_line():
            single_line = True
            self.parse_item_inline()
        else:
            self.parse_body(header, "if")
        return self.parse_if_clauses(header, body, single_line, False)

    def parse_if_clauses(self, header: int, body: int, single_line: bool, orphan: bool
                         ) -> str:
        """An IF's ELSEIF and ELSE parts and its closer, after its first part; or
        (``orphan``) all of it from an ELSEIF or ELSE whose IF was deleted (``header``:
        that word)."""
        terminated = self.style is _KEYWORD_TERMINATED
        entry = self.if_entry
        if orphan and entry:
            self.open.append(entry)
            self.open_at.append(header)
        while self.at_kw("elif") and (orphan or self.continues_clause(header)):
            orphan = False
            clause = self.start()
            self.bump()
            self.drop_doubled()
            self.parse_expression()
            if self.style is not _INDENTATION or self.at_kw("then"):
                self.expect_kw("then")
            self.parse_body(header, "if")
            self.finish(clause, K.ELIF_CLAUSE)
        if self.at_kw("else") and (orphan or self.continues_clause(header)) \
                and not (single_line and self.on_new_line()):
            clause = self.start()
            self.bump()
            self.drop_doubled()
            if entry == "if" and not single_line:
                self.open[-1] = IF_ELSE  # a second ELSE is no part of it (see IF_ELSE)
            if single_line:
                self.parse_item_inline()
            elif self.at_kw("if") and self.style is not _INDENTATION \
                    and self.style is not _KEYWORD_TERMINATED:
                self.parse_item()
            else:
                self.parse_body(header, "if")
            self.finish(clause, K.ELSE_CLAUSE)
        if terminated and not single_line:
            self.expect_terminator(("endif",), "if", header, body)
        if entry:
            self.pop_open()
        return K.IF_STMT

    def parse_condition(self) -> None:
        """A header's expression; a token written twice after it (``if (a > b)) {``) is
        dropped."""
        mark = self.start()
        self.parse_expression()
        if self.drop_doubled():
            self.continue_binary(mark, 0)  # what the header goes on with after it

    def parse_try(self) -> str:
        """try BODY (except [TYPE [as NAME]] BODY)* [finally BODY], in the block style."""
        header = self.p
        self.bump()
        if self.style is _KEYWORD_TERMINATED:
            self.open.append("try")
            self.open_at.append(header)
        body = self.p
        self.parse_body(header, "try")
        return self.parse_try_clauses(header, body, False)

    def parse_try_clauses(self, header: int, body: int, orphan: bool) -> str:
        """A TRY's EXCEPT and FINALLY parts and its closer; or (``orphan``) all of it
        from an EXCEPT or FINALLY whose TRY was deleted (``header``: that word)."""
        terminated = self.style is _KEYWORD_TERMINATED
        if orphan and terminated:
            self.open.append("try")
            self.open_at.append(header)
        while self.at_kw("except") and (orphan or self.continues_clause(header)):
            orphan = False
            clause = self.start()
            self.bump()
            if self.can_start_expression() and not self.statement_ends_here():
                self.parse_expression()
                if self.at_kw("as"):
                    self.bump()
                    self.parse_name()
            self.parse_body(header, "try")
            self.finish(clause, K.EXCEPT_CLAUSE)
        if self.at_kw("finally") and (orphan or self.continues_clause(header)):
            clause = self.start()
            self.bump()
            self.parse_body(header, "try")
            self.finish(clause, K.FINALLY_CLAUSE)
        if terminated:  # END, or END TRY (no closing word of its own)
            self.expect_terminator((), "try", header, body)
            self.pop_open()
        return K.TRY_STMT

    def parse_item_inline(self) -> None:
        mark = self.start()
        if self.kind() != EOF and not self.at_closer():
            self.parse_item()
        else:
            self.error_here("expected a statement")
        self.finish(mark, K.BLOCK)

    def parse_while(self) -> str:
        header = self.p
        self.bump()
        self.parse_condition()
        return self.parse_while_after_condition(header)

    def parse_while_after_condition(self, header: int) -> str:
        self.expect_kw("do")
        terminated = self.style is _KEYWORD_TERMINATED
        if terminated:
            self.open.append("while")
            self.open_at.append(header)
        body = self.p
        self.parse_body(header, "while")
        if terminated:
            self.expect_terminator(("wend",), "while", header, body)
            self.pop_open()
        return K.WHILE_STMT

    def parse_for(self) -> str:
        header = self.p
        self.bump()
        self.parse_name()
        kind = K.FOR_STMT
        while self.at_punct(",") and self.kind(1) == IDENT:  # for key, value in pairs
            self.bump()
            self.parse_name()
        if self.at_kw("in") or (self.g.has("in") and not self.g.has("to")):
            self.expect_kw("in")  # (a language without TO has for-in loops only)
            self.parse_condition()
            kind = K.FOR_IN_STMT
        else:
            if self.at_symbol(self.g.assignment) or self.at_punct("="):
                self.bump()
            else:
                self.error_here(f"expected '{self.g.assignment}'")
            self.parse_expression()
            if not (self.at_kw("to") or self.at_kw("downto")):
                self.error_here(f"expected '{self.word('to')}'")
            return self.parse_for_after_start(header, kind)
        return self.parse_for_after_limit(header, kind)

    def parse_for_after_start(self, header: int, kind: str) -> str:
        """A counting FOR from its TO (at it or where it is missing) on."""
        if self.at_kw("to") or self.at_kw("downto"):
            self.bump()
            self.parse_expression()
        if self.at_kw("step"):
            self.bump()
            self.parse_expression()
        return self.parse_for_after_limit(header, kind)

    def parse_for_after_limit(self, header: int, kind: str) -> str:
        self.expect_kw("do")
        terminated = self.style is _KEYWORD_TERMINATED
        if terminated:
            self.open.append("for")
            self.open_at.append(header)
        body = self.p
        self.parse_body(header, "for")
        if terminated:
            if self.g.has("next") and self.at_kw("next"):
                self.bump()
                if self.kind() == IDENT and not self.on_new_line():
                    mark = self.start()
                    self.bump()
                    self.finish(mark, K.NAME_REF)
            else:
                self.expect_terminator(("next",), "for", header, body)
            self.pop_open()
        return kind

    def parse_repeat(self) -> str:
        if not self.g.has("until"):
            return self.parse_command()
        self.open.append("repeat")
        self.open_at.append(self.p)
        self.bump()
        mark = self.start()
        self.parse_statement_list()
        self.finish(mark, K.BLOCK)
        if self.expect_kw("until"):
            self.parse_expression()
        self.pop_open()
        return K.REPEAT_STMT

    def parse_case(self) -> str:
        self.open.append("case")
        self.open_at.append(self.p)
        self.bump()
        self.parse_expression()
        return self.parse_case_arms()

    def parse_case_arms(self, header: bool = True) -> str:
        """A CASE from its OF on (its entry in ``open`` made); its arms alone where its
        header is missing (not ``header``)."""
        if header:
            self.expect_kw("of")
        while self.kind() != EOF and not self.at_closer():
            arm = self.start()
            before = self.p
            self.parse_expression()
            while self.at_punct(","):
                self.bump()
                self.parse_expression()
            self.expect_punct(":")
            if self.kind() != EOF and not self.at_closer():
                self.parse_item()
            if self.p == before:
                self.bump()
            self.finish(arm, K.CASE_ARM)
        if self.at_kw("else"):
            clause = self.start()
            self.bump()
            self.drop_doubled()
            self.parse_statement_list()
            self.finish(clause, K.ELSE_CLAUSE)
        else:  # (its arms are no statement list)
            self.layout = self.layout_verdict() if self.at_closer() else _ALIGNED
        if self.layout == _OUTER:
            self.closer_missing(f"expected '{self.word('end')}' to close "
                                f"'{self.quote_header(self.open_at[-1], self.p)}'")
        else:
            self.expect_kw("end")
        self.pop_open()
        return K.CASE_STMT

    def parse_return(self) -> str:
        self.bump()
        if self.can_start_expression() and not self.statement_ends_here() \
                and not self.at_separator():
            self.parse_expression()
        return K.RETURN_STMT

    def parse_command(self) -> str:
        """A keyword used as a command, e.g. SAY "hello", x."""
        self.bump()
        if self.can_start_expression() and not self.statement_ends_here():
            self.parse_arguments_without_parens()
        return K.COMMAND_STMT

    def parse_expression_statement(self) -> str:
        mark = self.start()
        at = self.p
        kind = self.expression_statement(mark)
        p = self.p
        if p < self.n and (self.kinds[p] in _HEADLESS or self.texts[p] in self.g.block_marks) \
                and not self.bol[p]:
            return self.parse_headless(mark, at, kind)
        return kind

    def parse_headless_arms(self, mark: int, at: int) -> str:
        """A line that begins with a literal followed by ':' or ',' (``'d': x := 1``,
        ``1, 2: f``), where a CASE could be: the arms of a CASE whose header line was
        deleted. Parsed again from the line's start as that CASE's arms, one error there
        (a statement never begins with a literal, so nothing valid reads so)."""
        del self.stack[mark:]
        self.p, self.flushed = at, self.index[at]
        self.stack.append(GreenNode(K.ERROR, (), f"expected '{self.word('case')} ... "
                                                 f"{self.word('of')}' before this arm"))
        self.error_at = -1
        self.open.append("case")
        self.open_at.append(at)
        return self.parse_case_arms(header=False)

    def parse_headless(self, mark: int, header: int, kind: str) -> str:
        """An IF, WHILE, FOR or CASE whose keyword was deleted: the statement just parsed
        (``kind``, from ``header``) is the first part of its header, and a word only
        such a header has follows on its line (THEN, DO, OF, a counting FOR's TO; the
        '{' or the ':' that opens a block). One error, where the keyword was, and the
        rest is that construct (its body, its ELSE, its closer: no orphans after it)."""
        token = self.kinds[self.p]
        if token == PUNCT:
            if kind != K.EXPR_STMT or (self.style is _INDENTATION and not self.on_new_line(1)):
                return kind
            construct = "if"  # (a block after a condition: IF and WHILE look alike)
        else:
            construct = _HEADLESS[token]
            if (construct == "for") != (kind == K.ASSIGN_STMT):
                return kind
        if not self.g.has(construct):
            return kind
        self.stack.insert(mark, GreenNode(
            K.ERROR, (), f"{self.describe()} without '{self.word(construct)}' before it"))
        if construct == "if":
            return self.parse_if_after_condition(header)
        if construct == "while":
            if self.g.has("for") and any(self.kinds[i] == KEYWORD_PREFIX + "in"
                                         for i in range(header, self.p)):
                return self.parse_for_after_limit(header, K.FOR_IN_STMT)  # x IN list DO
            return self.parse_while_after_condition(header)
        if construct == "for":
            return self.parse_for_after_start(header, K.FOR_STMT)
        self.open.append("case")
        self.open_at.append(header)
        return self.parse_case_arms()

    def expression_statement(self, mark: int) -> str:
        if self.kind() != IDENT:
            at = self.p
            self.parse_expression()
            if (self.at_punct(":") or self.at_punct(",")) and self.kinds[at] != IDENT \
                    and self.g.has("case") and self.g.has("of") and self.bol[at]:
                return self.parse_headless_arms(mark, at)
            return K.EXPR_STMT
        self.parse_postfix_expression(doubled=not self.newline_sensitive or bool(
            self.g.definition.structure.parentheses_required))
        if self.at_symbol(self.g.assignment) or (
                self.g.assignment == "=" and self.at_punct("=")) or (
                self.kind() == PUNCT and self.texts[self.p] in self.g.compound_assignments):
            self.bump()
            self.parse_expression()
            return K.ASSIGN_STMT
        if self.newline_sensitive and self.is_bare_name(mark) \
                and not self.g.definition.structure.parentheses_required \
                and self.can_start_expression() \
                and not self.on_new_line() and not self.at_operator() \
                and not self.at_punct("(") and not self.at_punct("["):
            self.parse_arguments_without_parens()
            self.finish(mark, K.CALL_EXPR)
            return K.EXPR_STMT
        self.continue_binary(mark, 0)
        return K.EXPR_STMT

    def is_bare_name(self, mark: int) -> bool:
        top = self.stack[-1] if len(self.stack) == mark + 1 else None
        return isinstance(top, GreenNode) and top.kind == K.NAME_REF

    def parse_arguments_without_parens(self) -> None:
        mark = self.start()
        self.parse_expression()
        while self.at_punct(",") or (self.newline_sensitive and self.at_punct(";")):
            self.bump()
            if self.can_start_expression() and not self.statement_ends_here():
                self.parse_expression()
        self.finish(mark, K.ARG_LIST)

    # ------------------------------------------------------------ expressions

    def at_operator(self) -> bool:
        kind = self.kind()
        if kind in _OPERATOR_KINDS or kind in _OPERATOR_KEYWORDS:
            return self.g.key(kind, self.texts[self.p]) in self.g.binary
        return False

    def can_start_expression(self) -> bool:
        kind = self.kind()
        if kind in (IDENT, NUMBER, STRING, UNTERMINATED_STRING):
            return True
        if kind == PUNCT:
            text = self.texts[self.p]
            return text in ("(", "[", "{") or text in self.g.unary
        if kind.startswith(KEYWORD_PREFIX):
            concept = kind[len(KEYWORD_PREFIX):]
            if concept == "lambda" or (self.shared and self.at_kw("lambda")):
                return True
            return concept in LITERAL_CONCEPTS or (
                kind in _OPERATOR_KEYWORDS and self.g.key(kind, self.texts[self.p]) in self.g.unary)
        if kind == WORD_OP:
            return self.g.key(kind, self.texts[self.p]) in self.g.unary
        return False

    def parse_expression(self, min_precedence: int = 0) -> None:
        if self.parse_leaf_operand(min_precedence):
            return
        mark = self.start()
        self.depth += 1
        if self.depth >= MAX_DEPTH:
            # swallow the rest of the statement flat, so the tree stays shallow too
            self.bump()
            while self.kind() != EOF and not self.at_closer() and not self.at_punct(";"):
                self.bump()
            self.finish(mark, K.ERROR, "expression nested too deeply")
        else:
            self.parse_unary(mark)
            self.continue_binary(mark, min_precedence)
        self.depth -= 1

    def push_leaf(self, kind: str) -> int:
        """The current token (of ``kind``) as a name or literal node: ``start``, ``bump``
        and ``finish`` in one step. Returns the node's mark."""
        i = self.index[self.p]
        stack = self.stack
        if self.flushed < i:
            stack.extend(self.elements[self.flushed:i])
        mark = len(stack)
        stack.append(self.leaf(kind, self.elements[i]))
        self.flushed = i + 1
        self.p += 1
        return mark

    def leaf(self, kind: str, token: object) -> GreenNode:
        """The name or literal node of one token. Green nodes are position-free values,
        so the same token gives one shared node per parse (as rowan's node cache does):
        most operands repeat a name or a number seen before."""
        node = self.leaves.get(token)
        if node is None:
            node = GreenNode(K.NAME_REF if kind == IDENT else K.LITERAL,
                             (token,))  # type: ignore[arg-type]
            self.leaves[token] = node
        return node

    def parse_leaf_operand(self, min_precedence: int = 0) -> bool:
        """The commonest operand, a name or literal with no postfix, in one step: what
        ``start``, ``parse_unary``, ``parse_postfix_expression`` and ``parse_primary``
        would do for it (a tenth of the calls). False, having done nothing, otherwise."""
        p = self.p
        n = self.n
        if p >= n or self.depth + 1 >= MAX_DEPTH or self.ext is not None:
            return False
        kind = self.kinds[p]
        if not (kind == IDENT or kind == NUMBER or kind == STRING or kind == UNTERMINATED_STRING):
            return False
        after = p + 1
        if after < n and self.kinds[after] == PUNCT and self.texts[after] in _POSTFIX and not (
                self.newline_sensitive and self.nesting == 0 and self.bol[after]):
            return False
        if after < n and self.kinds[after] == kind and self.texts[after] == self.texts[p]:
            return False  # ``B B = 0``, ``max max(a, b)``: parse_postfix_expression
        mark = self.push_leaf(kind)
        if after < n:
            kind = self.kinds[after]
            if kind in _OPERATOR_KINDS or kind in _OPERATOR_KEYWORDS:
                self.depth += 1
                self.continue_binary(mark, min_precedence)
                self.depth -= 1
        elif self.window:
            self.exhausted = True
        return True

    def continue_binary(self, mark: int, min_precedence: int) -> None:
        while True:
            if self.ext is not None and self.ext.suffix(self, mark, min_precedence):
                continue
            kind = self.kind()
            if not (kind in _OPERATOR_KINDS or kind in _OPERATOR_KEYWORDS):
                return
            if self.newline_sensitive and self.nesting == 0 and self.bol[self.p]:
                return
            text = self.texts[self.p]
            key = text if kind == PUNCT else (text.lower() if self.fold else text)
            entry = self.binary.get(key)
            if entry is None:
                return
            precedence, right = entry
            if precedence < min_precedence:
                return
            self.bump()
            self.parse_expression(precedence if right else precedence + 1)
            self.finish(mark, K.RANGE_EXPR if key == ".." else K.BINARY_EXPR)

    def parse_unary(self, mark: int) -> None:
        """``mark``: the caller's start() at the current token."""
        if self.ext is not None and self.ext.prefix(self):
            return
        kind = self.kind()
        if kind in _OPERATOR_KINDS or kind in _OPERATOR_KEYWORDS:
            key = self.g.key(kind, self.texts[self.p])
            if key in self.g.unary:
                mark = self.start()
                self.bump()
                self.parse_expression(self.g.unary.get(key, self.g.unary_precedence))
                self.finish(mark, K.UNARY_EXPR)
                return
        self.parse_postfix_expression(mark)

    def parse_postfix_expression(self, mark: int = -1, doubled: bool = True) -> None:
        """``doubled``: a name written twice (on the same line) is a mistake, not a call
        without parentheses of the name with itself (``show show``)."""
        if mark < 0:
            mark = self.start()
        if not self.parse_primary():
            return
        while True:
            p = self.p
            if p < self.n and (self.kinds[p] != PUNCT or self.texts[p] not in _POSTFIX
                               or (self.newline_sensitive and self.nesting == 0
                                   and self.bol[p])):
                if doubled and self.kinds[p] == self.kinds[p - 1] \
                        and self.texts[p] == self.texts[p - 1] and (
                            self.kinds[p] != PUNCT
                            or (self.nesting == 0 and self.texts[p] in (")", "]"))) \
                        and self.drop_doubled():
                    continue  # ``Balance Balance < 50``, ``a[i]] := 1`` (no bracket open)
                return
            if self.at_punct("("):
                self.parse_call_args()
                self.finish(mark, K.CALL_EXPR)
            elif self.at_punct("["):
                self.parse_index_args()
                self.finish(mark, K.INDEX_EXPR)
            elif self.at_punct(".") and self.kind(1) == IDENT:
                self.bump()
                name = self.start()
                self.bump()
                self.finish(name, K.NAME_REF)
                self.finish(mark, K.MEMBER_EXPR)
            else:
                return

    def parse_call_args(self) -> None:
        self.parse_argument_list(")", allow_empty=True)

    def parse_index_args(self) -> None:
        self.parse_argument_list("]", allow_empty=False)

    def parse_argument_list(self, close: str, allow_empty: bool) -> None:
        """``(a, b)`` or ``[i, j]``: the opener is the current token."""
        mark = self.start()
        self.bump()
        self.nesting += 1
        if not (allow_empty and self.at_punct(close)):
            self.parse_expression()
            while self.at_punct(","):
                self.bump()
                self.parse_expression()
        self.nesting -= 1
        self.expect_punct(close, commas=True)
        self.finish(mark, K.ARG_LIST)

    def parse_primary(self) -> bool:
        if self.ext is not None and self.ext.operand(self):
            return True
        p = self.p
        if p < self.n:
            kind = self.kinds[p]
            if kind == IDENT or kind == NUMBER or kind == STRING or kind == UNTERMINATED_STRING:
                self.push_leaf(kind)
                return True
        kind = self.kind()
        mark = self.start()
        if kind in (NUMBER, STRING, UNTERMINATED_STRING):
            self.bump()
            self.finish(mark, K.LITERAL)
        elif kind == IDENT:
            self.bump()
            self.finish(mark, K.NAME_REF)
        elif kind.startswith(KEYWORD_PREFIX) and kind[len(KEYWORD_PREFIX):] in LITERAL_CONCEPTS:
            self.bump()
            self.finish(mark, K.LITERAL)
        elif self.at_kw("lambda"):
            self.parse_lambda(mark)
        elif self.at_punct("("):
            self.bump()
            self.nesting += 1
            self.parse_expression()
            self.nesting -= 1
            self.expect_punct(")")
            self.finish(mark, K.PAREN_EXPR)
        elif self.at_punct("["):
            self.bump()
            self.nesting += 1
            if not self.at_punct("]"):
                self.parse_expression()
                while self.at_punct(","):
                    self.bump()
                    if self.at_punct("]"):
                        break
                    self.parse_expression()
            self.nesting -= 1
            self.expect_punct("]")
            self.finish(mark, K.LIST_EXPR)
        elif self.at_punct("{"):
            self.parse_dict(mark)
        elif self.drop_doubled():  # ``x := := 1``, ``a and and not b``: the operand follows
            if not self.can_start_expression():
                self.error_here(f"expected an expression, found {self.describe()}")
                return False
            self.parse_unary(self.start())
        else:
            self.error_here(f"expected an expression, found {self.describe()}")
            return False
        return True

    def parse_dict(self, mark: int) -> None:
        """``{key: value, ...}``: the opener is the current token."""
        self.bump()
        self.nesting += 1
        separator = self.g.definition.structure.key_value
        # a separator that is also an operator (BASIC's "=") ends the key before it
        key_precedence = self.binary[separator][0] + 1 if separator in self.binary else 0
        while not self.at_punct("}") and self.kind() != EOF:
            before = self.p
            self.parse_expression(key_precedence)
            if self.at_symbol(separator):
                self.bump()
            else:
                self.error_here(f"expected '{separator}'")
            self.parse_expression()
            if not self.at_punct(","):
                break
            self.bump()
            if self.p == before:
                break
        self.nesting -= 1
        self.expect_punct("}")
        self.finish(mark, K.DICT_EXPR)

    def parse_keyword(self, concept: str) -> str:
        """The statement a keyword in KEYWORD_HANDLERS starts (a chain, not a table of
        methods: compiled, a direct call beats calling a method object)."""
        if concept == "if":
            return self.parse_if()
        if concept == "begin":
            return self.parse_block_statement()
        if concept == "function" or concept == "procedure":
            return self.parse_function()
        if concept == "for":
            return self.parse_for()
        if concept == "while":
            return self.parse_while()
        if concept == "repeat":
            return self.parse_repeat()
        if concept == "case":
            return self.parse_case()
        if concept == "return":
            return self.parse_return()
        if concept == "import":
            return self.parse_import()
        if concept == "try":
            return self.parse_try()
        if concept == "class":
            return self.parse_class()
        self.bump()  # program
        self.parse_name()
        return K.PROGRAM_HEADER
