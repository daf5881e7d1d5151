"""Parse a whole text: the entry point of the syntax layer."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field

from ..language.model import LanguageDefinition, StatementSeparation
from .grammar import grammar_for
from .lexer import lex
from .parser import Parser
from .peg_closer_recovery import found_where_written
from .tree import GreenNode, SyntaxError_, SyntaxNode, collect_errors


@dataclass(frozen=True)
class ParsedFile:
    """An immutable parse result: the text, its definition and its green tree.

    ``lookahead`` (grammar-defined languages): for each child node of the file node, in
    order, how many characters past its end the parse looked while it built the node
    (``peg.StepRun``); an incremental reparse keeps every node whose extent an edit
    misses. None: not known (the keyword-level parser, or steps that are not one node
    each), and an edit parses the file again."""

    definition: LanguageDefinition
    text: str
    green: GreenNode
    _errors: list[SyntaxError_] = field(default_factory=list, compare=False, repr=False)
    lookahead: tuple[int, ...] | None = field(default=None, compare=False, repr=False)
    # at least the longest of ``lookahead`` (an edit bisects for the first node whose
    # extent it touches from that far back); None: not known, worked out when needed.
    # Carried from edit to edit, so an edit needs no walk over every node.
    lookahead_bound: int | None = field(default=None, compare=False, repr=False)
    # for each child node of the file node (with ``lookahead``), whether an edit inside
    # it may parse only the items of one of its lists around the edit
    # (``peg.StepRun.clean``); None: none may
    clean: tuple[bool, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def root(self) -> SyntaxNode:
        return SyntaxNode(self.green)

    @property
    def errors(self) -> list[SyntaxError_]:
        if not self._errors:
            self._errors.extend(collect_errors(self.root))
            if self.definition.structure.engine == "template" and self._errors:
                self._errors[:] = found_where_written(self.text, self._errors)
            if not self._errors:
                self._errors.append(_NO_ERRORS)
        return [e for e in self._errors if e is not _NO_ERRORS]


_NO_ERRORS = SyntaxError_("", -1, -1)


class GcPause:
    """Keep the cyclic garbage collector out of a parse (and out of a whole-file check,
    ``craftls check``: trees and semantic models hold no reference cycles either).

    A parse allocates hundreds of thousands of tuples and nodes and no reference
    cycles, yet every allocation counts toward a collection: the young collections
    walk objects that cannot be garbage, and the old ones walk the whole heap, which
    made parsing time grow faster than the file. Nested and concurrent parses (the
    event loop and worker threads) share one count; the collector is enabled again,
    if it was enabled, when the last one ends; what the paused stretch made, when it is
    more than a young collection's worth, then skips the young generations
    (``promote_young``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._active == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._active += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0 and self._was_enabled:
                if gc.get_count()[0] > gc.get_threshold()[0]:
                    promote_young()
                gc.enable()


def promote_young() -> None:
    """Move every object the collector tracks out of the young generations without a
    walk (O(1)): what a parse made (the tree, its child tuples and tokens) outlives it, and
    the young collection due right after it would walk all of it (~10 ms for a 10,000-line
    file, more than the lexer) only to find no garbage and hand it to the next generation,
    to be walked again there. Where the server froze its long-lived objects
    (``ops.idle_gc``), they join those, whose idle collection reclaims any garbage among
    them; else the oldest generation, whose next full collection does (``gc.unfreeze``
    right after ``gc.freeze`` moves nothing else: nothing was frozen)."""
    if gc.get_freeze_count():
        gc.freeze()
    else:
        gc.freeze()
        gc.unfreeze()


GC_PAUSE = GcPause()


def parse_green(definition: LanguageDefinition, text: str) -> GreenNode:
    with GC_PAUSE:
        tokens, _ = lex(definition, text)
        if definition.grammar is not None:
            # the grammar engine (and PyYAML, through the grammar spec) is imported only
            # for a language that has a grammar: `craftls check` starts sooner
            from .peg import parse_grammar_green
            return parse_grammar_green(definition, tokens)
        return Parser(grammar_for(definition), text, tokens).parse_file()


def parser_built(definition: LanguageDefinition) -> bool:
    """Whether a parse with ``definition`` finds its parser built: a keyword-level one is
    (its tables take a millisecond), a grammar's once ``peg_tables.tables_for`` ran."""
    if definition.grammar is None:
        return True
    from .peg_tables import tables_built
    return tables_built(definition)


def parse(definition: LanguageDefinition, text: str) -> ParsedFile:
    """Parse ``text``; never raises, whatever the input."""
    if definition.grammar is None:
        return ParsedFile(definition, text, parse_green(definition, text))
    from .peg import parse_grammar_file
    with GC_PAUSE:
        tokens, _ = lex(definition, text)
        green, lookahead, clean = parse_grammar_file(definition, tokens)
    bound = max(lookahead, default=0) if lookahead is not None else None
    return ParsedFile(definition, text, green, lookahead=lookahead, lookahead_bound=bound,
                      clean=clean)


def form_words_expected_at(definition: LanguageDefinition, root: SyntaxNode, offset: int
                           ) -> list[str]:
    """A keyword-level language with grammar extension forms: the words a form can go
    on with at ``offset``, from the top-level item the cursor is in or continues, parsed
    up to it (``extension.expected_words``)."""
    if definition.grammar_extension is None:
        return []
    from .extension import expected_words
    from .peg import _item_tokens_before

    newline = definition.structure.statements is StatementSeparation.NEWLINE
    tokens = _item_tokens_before(root, offset, newline)
    if not tokens:
        return []
    return expected_words(Parser(grammar_for(definition), "".join(t[1] for t in tokens),
                                 tokens))
