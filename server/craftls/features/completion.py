"""Completion: keywords, builtins and symbols in scope, filtered and ranked."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..language import grammar_spec as G
from ..language.model import LanguageDefinition
from ..semantics.diagnostics import FileAnalysis
from ..semantics.grammar_members import constructed_members, members_after_dot, value_members
from ..semantics.imported_names import imported_library_members
from ..semantics.model import SemanticModel, Symbol, SymbolKind
from ..syntax import kinds as K
from ..syntax.grammar import LITERAL_CONCEPTS
from ..syntax.parse import ParsedFile, form_words_expected_at
from ..syntax.peg import words_expected_at
from ..syntax.tokens import IDENT, KEYWORD_PREFIX, PUNCT, WORD_OP
from ..syntax.tree import SyntaxNode
from ..types.check import TypeReport
from ..types.model import Type
from .completion_methods import (
    loaded_members,
    method_names,
    parameter_owner,
    shared_global,
    text_methods,
)
from .completion_names import BUILTIN, KEYWORD, comment_start, inside_comment_or_string, rank
from .doc_classes import field_type, type_members
from .documents import StaleAnalysis
from .host_members import the_global, written_path
from .hover import tokens_before
from .module_tables import declared_functions
from .navigation import member_context


@dataclass(frozen=True)
class CompletionCandidate:
    label: str
    kind: str  # keyword | function | variable | constant | type | module | parameter | snippet
    detail: str = ""
    documentation: str = ""
    sort_group: int = 5  # lower first
    snippet: str | None = None


def prefix_at(text: str, offset: int) -> tuple[int, str]:
    start = offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return start, text[start:offset]


def _same(offset: int) -> int:
    return offset


def complete(analysis: FileAnalysis, offset: int, snippets: bool = False,
             limit: int = 100, parsed: ParsedFile | None = None,
             analysed: Callable[[int], int] = _same) -> tuple[list[CompletionCandidate], bool]:
    """Candidates at ``offset`` and whether the list was cut (isIncomplete).

    ``parsed``: the current text when ``analysis`` is of an earlier one, and
    ``analysed`` maps an offset of it into the analysed text (``complete_from``)."""
    parsed = parsed if parsed is not None else analysis.parsed
    metacommands = metacommand_words(parsed, offset)
    if metacommands is not None:
        return metacommands, False
    if inside_comment_or_string(parsed.green, offset, parsed.text, parsed.definition):
        return [], False
    start, prefix = prefix_at(parsed.text, offset)
    members = _after_a_member(analysis, parsed, start, prefix, analysed)
    if members is not None:
        return members, False
    # Rank on names first; build candidates (signatures, docs) only for the entries that
    # make the cut: a big file has thousands of visible symbols.
    types_only = _at_type(analysis, parsed, start, offset)
    # (where only types go, all of them: a few among the names, none cut)
    ranked, total = rank(analysis.model, parsed.definition, analysed(offset), prefix,
                         ALL if types_only else limit)
    if types_only:
        # `VAR n : |`, `DIM n AS |`: a type's name, or a word a type starts with
        ranked = [r for r in ranked if isinstance(r[2], str) and r[2] in TYPE_KEYWORDS
                  or isinstance(r[2], Symbol) and r[2].kind == SymbolKind.TYPE]
        total = 0
    elif parsed.definition.grammar is None and _at_operand(parsed, start):
        # `x = |`, `total > |`: a statement keyword would not parse there
        kept = [r for r in ranked if not isinstance(r[2], str) or r[2] in OPERAND_KEYWORDS]
        total -= len(ranked) - len(kept)
        ranked = kept
    out = [_candidate(analysis, group, label, item, snippets) for group, label, item in ranked]
    if types_only:
        out = _with_builtin_types(out, parsed.definition, prefix)
    extra: list[CompletionCandidate] = []
    if not types_only:  # (settings' globals and imported names are no types)
        offered = {label.lower() for _, label, _ in ranked}
        extra = _setting_globals(analysis, prefix, offered)
        extra += _hosted(analysis, prefix, offered | {c.label.lower() for c in extra})
        extra += _imported(analysis, prefix, offered | {c.label.lower() for c in extra})
        extra += _shared(analysis, prefix, offered | {c.label.lower() for c in extra}, limit)
    out, total = _with_builtins(out, extra), total + len(extra)
    if parsed.definition.grammar is not None:
        # the grammar's words first; but where a type goes in a block style served through
        # its template, after the types' names, as the keyword level offers them
        types_first = types_only and parsed.definition.structure.engine == "template"
        words = _grammar_words(parsed, start, prefix, words_expected_at,
                               KEYWORD if types_first else 0)
        spelled = {w.label.lower() for w in words}  # a builtin spelled as a grammar word
        names = [c for c in out if c.kind != "keyword" and c.label.lower() not in spelled]
        out = names + words if types_first else words + names
    elif parsed.definition.grammar_extension is not None:
        # the words a form goes on with, first; the language's own keywords still parse
        words = _grammar_words(parsed, start, prefix, form_words_expected_at)
        spelled = {w.label.lower() for w in words}
        out = words + [c for c in out if c.label.lower() not in spelled]
    return out, total > limit


def _after_a_member(analysis: FileAnalysis, parsed: ParsedFile, start: int, prefix: str,
                    analysed: Callable[[int], int]) -> list[CompletionCandidate] | None:
    """After ``obj:`` (``method_separator``): obj's methods when any is known; after a
    member symbol (``.``, a grammar's ``member`` rules' first symbols: Fortran's ``%``):
    its members. None elsewhere, and after a grammar's other member symbol with no member
    known: the names in scope, as anywhere."""
    separator = parsed.definition.structure.method_separator
    if separator and parsed.text.endswith(separator, 0, start) \
            and not parsed.text.endswith(separator * 2, 0, start):  # (Lua's ::label::)
        return _methods(analysis, analysed(start - len(separator)), separator, prefix) or None
    opener = _member_opener(parsed.definition, parsed.text, start)
    if not opener:
        return None
    members = _members(analysis, analysed(start - len(opener)), prefix)
    return members if members or opener == "." else None


def _member_opener(definition: LanguageDefinition, text: str, start: int) -> str:
    """The member access symbol right before ``start`` (``.``; a grammar's ``member``
    rules' first symbols: Fortran's ``%`` of `c%radius`), or ''."""
    for opener in member_openers(definition):
        if text.endswith(opener, 0, start):
            return opener
    return ""


@lru_cache(maxsize=32)  # a few definitions, asked at every completion
def member_openers(definition: LanguageDefinition) -> tuple[str, ...]:
    """``.`` and the symbols that begin a grammar's ``member`` rules, longest first."""
    found = {"."}
    grammar = definition.grammar
    for production in grammar.rules if grammar is not None else ():
        if not production.meaning.member:
            continue
        todo = [production.expr]
        while todo:
            expr = todo.pop()
            if expr.op in (G.CHOICE, G.OPT):
                todo.extend(expr.items)
            elif expr.op == G.SEQ and expr.items:
                todo.append(expr.items[0])
            elif expr.op == G.LIT and expr.text and not expr.text[0].isalnum() \
                    and expr.text[0] != "_":
                found.add(expr.text)
    return tuple(sorted(found, key=len, reverse=True))


def metacommand_words(parsed: ParsedFile, offset: int) -> list[CompletionCandidate] | None:
    """The definition's metacommand words (``structure.metacommands``) that start with
    the word before ``offset`` when that word follows the marker right after a
    comment's opening (`'$DYN`, `REM $INC`, `{$MO`: ``in_comments``) or with only blanks
    before it on its line (QB64's `$CON`: ``at_line_start``); None anywhere else."""
    spec = parsed.definition.structure.metacommands
    if spec is None:
        return None
    text = parsed.text
    start, prefix = prefix_at(text, offset)
    marker = start - len(spec.marker)
    if marker < 0 or not text.startswith(spec.marker, marker):
        return None
    line = text.rfind("\n", 0, marker) + 1
    opened = comment_start(parsed.green, marker)
    if opened is not None:
        words = spec.in_comments if _a_comment_opening(parsed.definition,
                                                      text[opened:marker]) else ()
    elif text[line:marker].strip() == "":
        words = spec.at_line_start
    else:
        return None
    wanted = prefix.upper()
    return [CompletionCandidate(word, "keyword", "metacommand", description, 0)
            for word, description in words if word.upper().startswith(wanted)]


def _a_comment_opening(definition: LanguageDefinition, before: str) -> bool:
    """Is ``before`` (a comment's text up to the marker) only its opening and blanks?"""
    opening = before.rstrip()
    lexical = definition.lexical
    openers = [*lexical.line_comments, *(c.open for c in lexical.block_comments)]
    if not lexical.case_sensitive:
        return opening.lower() in {o.lower() for o in openers}
    return opening in openers
ALL = 1 << 30  # no limit to ``rank``
# the keyword concepts a type written in a keyword-level language may start with
# (``Parser.parse_type``: an array or record type, else a type's name)
TYPE_KEYWORDS = frozenset({"array", "record"})
# an identifier no definition makes a keyword, put at the cursor to see where it lands
_PLACEHOLDER = "zqxPlaceholder"


def _at_type(analysis: FileAnalysis, parsed: ParsedFile, start: int, offset: int) -> bool:
    """Does a type's name go at the cursor (the name there, or one typed there, is a type
    reference: after a declaration's type annotation)? In a grammar-defined language, a
    name in a node annotated ``type``."""
    if parsed.definition.grammar_extension is not None:
        return False  # (its forms may read a name otherwise)
    root = parsed.root
    if start == offset:
        # only after the type annotation or a keyword (`ARRAY [1..3] OF |`) may one go:
        # elsewhere no parse with a name put there is needed
        before = next((t for t in reversed(tokens_before(parsed, start)) if not t.is_trivia),
                      None)
        if before is None or not (before.kind.startswith(KEYWORD_PREFIX) or before.text.lower()
                                  == parsed.definition.structure.type_annotation.lower()):
            return False
        root = _with_text(parsed, offset, _PLACEHOLDER)
    token = root.token_at(start)
    name = token.parent if token is not None and token.kind == IDENT else None
    if name is None:
        return False
    if parsed.definition.grammar is None:
        return name.kind == K.TYPE_REF
    typed = _PLACEHOLDER if start == offset else ""
    if any(n.kind == K.ERROR for n in name.ancestors()):
        # the statement is not finished (`let n: |` before its `;`): the parse with what
        # the grammar expects after the name put there too
        for word in words_expected_at(parsed.definition, root, offset + len(typed))[:_TRIES]:
            finished = _with_text(parsed, offset, f"{typed} {word}")
            token = finished.token_at(start)
            if token is not None and token.kind == IDENT and token.parent is not None \
                    and not any(n.kind == K.ERROR for n in token.parent.ancestors()):
                name = token.parent
                break
    context = member_context(analysis)
    part = name.parent if name.kind == K.NAME_REF else None
    meaning = context.meanings.get(part.kind) if context is not None and part else None
    return meaning is not None and meaning.type


_TRIES = 4  # the words expected after a name put at the cursor that are tried


def _with_text(parsed: ParsedFile, offset: int, text: str) -> SyntaxNode:
    """The tree of ``parsed`` with ``text`` put at ``offset``."""
    from ..syntax.incremental import TextEdit, apply_edit
    return apply_edit(parsed, TextEdit(offset, offset, text))[0].root


def _with_builtin_types(out: list[CompletionCandidate], definition: LanguageDefinition,
                        prefix: str) -> list[CompletionCandidate]:
    """The definition's own types (``types``) that start with ``prefix``, after the
    file's types and before the keywords."""
    fold = prefix.lower()
    offered = {c.label.lower() for c in out}
    builtin = [CompletionCandidate(name, "type", f"type ({canonical})", "", BUILTIN)
               for name, canonical in definition.types.items()
               if name.lower().startswith(fold) and name.lower() not in offered]
    at = next((i for i, c in enumerate(out) if c.kind == "keyword"), len(out))
    return out[:at] + builtin + out[at:]


def _setting_globals(analysis: FileAnalysis, prefix: str, offered: set[str]
                     ) -> list[CompletionCandidate]:
    """The ``globals`` setting's names that start with ``prefix``, not offered already
    (a name the file declares is its own)."""
    fold = prefix.lower()
    return [CompletionCandidate(name, "variable", "global (globals setting)", "", BUILTIN)
            for name in sorted(analysis.extra_globals)
            if name.lower().startswith(fold) and name.lower() not in offered]


def _hosted(analysis: FileAnalysis, prefix: str, offered: set[str]
            ) -> list[CompletionCandidate]:
    """The globals the file's hosts give it (``structure.host_globals``: LÖVE's `love`,
    OpenResty's `ngx` in a module that writes one of its marks) that start with
    ``prefix``, not offered already (a local of the name is the file's own)."""
    fold = prefix.lower()
    tables = {owner for host in analysis.parsed.definition.structure.host_globals
              for owner, _ in host.members}
    return [CompletionCandidate(name, "module" if name in tables else "variable", what, "",
                                BUILTIN)
            for name, what in sorted(analysis.host_globals.items())
            if name.lower().startswith(fold) and name.lower() not in offered]


def _shared(analysis: FileAnalysis, prefix: str, offered: set[str], limit: int
            ) -> list[CompletionCandidate]:
    """The names other files of the workspace share with this one (``workspace_globals``,
    ``package_scope: folder``) that start with ``prefix``, not offered already: the
    first ``limit``, by name."""
    fold = prefix.lower()
    names = sorted(name for name in analysis.shared_globals
                   if name.lower().startswith(fold) and name.lower() not in offered)
    return [CompletionCandidate(name, "variable",
                                f"from {Path(analysis.shared_globals[name]).name}", "", BUILTIN)
            for name in names[:limit]]


def _imported(analysis: FileAnalysis, prefix: str, offered: set[str]
              ) -> list[CompletionCandidate]:
    """The names the file's imports make known that start with ``prefix``, not offered
    already: those an imported module file exports (Pascal's `uses MathLib`, Modula-2's
    `FROM Stacks IMPORT Push`), then the library functions imported alone (`FROM InOut
    IMPORT WriteString`)."""
    fold = prefix.lower()
    found: dict[str, CompletionCandidate] = {}
    for exports in analysis.modules.values():
        for name, text in exports.names.items():
            key = name.lower()
            if key.startswith(fold) and key not in offered and key not in found:
                routine = exports.routines.get(name)
                found[key] = CompletionCandidate(
                    name, "function" if routine else "variable",
                    routine[0] if routine else text, f"from {exports.path.name}", BUILTIN)
    definition = analysis.parsed.definition
    for qualified in imported_library_members(analysis.parsed).values():
        name = qualified.rpartition(".")[2]
        key = name.lower()
        builtin = definition.builtin(qualified)
        if builtin is not None and key.startswith(fold) and key not in offered \
                and key not in found:
            found[key] = CompletionCandidate(name, "function",
                                             f"{qualified.rpartition('.')[0]}."
                                             f"{builtin.signature()}", builtin.description,
                                             BUILTIN)
    return sorted(found.values(), key=lambda c: c.label.lower())


def _with_builtins(out: list[CompletionCandidate], extra: list[CompletionCandidate]
                   ) -> list[CompletionCandidate]:
    """``extra`` (of the builtins' group) after the candidates ranked before or with the
    builtins: the list stays in rank order."""
    at = next((i for i, c in enumerate(out) if c.sort_group > BUILTIN), len(out))
    return out[:at] + extra + out[at:]


# the keyword concepts an operand of the keyword-level parser may start with, and those
# an operand follows (besides an operator, `(`, `[`, `,` and the assignment symbol)
OPERAND_KEYWORDS = frozenset(LITERAL_CONCEPTS) | {"lambda", "not"}
_BEFORE_OPERAND = frozenset({"if", "elif", "while", "until", "return", "to", "step", "in",
                             "and", "or", "not", "xor", "div", "mod"})


def _at_operand(parsed: ParsedFile, start: int) -> bool:
    """Does an operand start at ``start`` in a keyword-level language: is the token
    before it an operator, an opening bracket, a comma, the assignment symbol or a
    keyword an expression follows (``if``, ``return``, ``and``)?"""
    token = next((t for t in reversed(tokens_before(parsed, start)) if not t.is_trivia), None)
    if token is None:
        return False
    if token.kind.startswith(KEYWORD_PREFIX):
        return token.kind[len(KEYWORD_PREFIX):] in _BEFORE_OPERAND
    definition = parsed.definition
    return token.kind == WORD_OP or token.kind == PUNCT and (
        token.text in ("(", "[", ",", definition.structure.assignment)
        or any(op.symbol == token.text for op in definition.operators))


def complete_from(stale: StaleAnalysis, parsed: ParsedFile, offset: int,
                  snippets: bool = False, limit: int = 100
                  ) -> tuple[list[CompletionCandidate], bool]:
    """Completion in ``parsed`` (the current text) from the last finished analysis of an
    earlier snapshot, while the current one is being analysed: the text around the cursor
    (prefix, comment or string, grammar words) is the current text's, the names in scope
    are the analysed text's at the mapped offset. The list is always marked incomplete,
    so the client asks again as typing goes on (and then gets the newer analysis)."""
    candidates, _ = complete(stale.analysis, offset, snippets, limit, parsed, stale.offset)
    return candidates, True


def _grammar_words(parsed: ParsedFile, start: int, prefix: str,
                   expected: Callable[[LanguageDefinition, SyntaxNode, int], list[str]],
                   group: int = 0) -> list[CompletionCandidate]:
    """The words a grammar (or a grammar extension's forms) accepts at the cursor, first
    (in a grammar-defined language, the other keywords would not parse there)."""
    definition = parsed.definition
    fold = not definition.lexical.case_sensitive
    wanted = prefix.lower() if fold else prefix
    words = expected(definition, parsed.root, start)
    # a word the grammar matches by its text that is a builtin's name and no keyword
    # (Lua's `_G` and `rawset` in `rawset(_G, "x", v)`) is completed as the builtin
    keywords = {(w.lower() if fold else w) for spellings in definition.keywords.values()
                for w in spellings}
    return [CompletionCandidate(word, "keyword", sort_group=group) for word in words
            if (word[:1].isalpha() or word[:1] == "_")
            and (word.lower() if fold else word).startswith(wanted)
            and ((word.lower() if fold else word) in keywords
                 or definition.builtin(word) is None)]


def _candidate(analysis: FileAnalysis, group: int, label: str, item: object,
               snippets: bool) -> CompletionCandidate:
    definition = analysis.parsed.definition
    if isinstance(item, str):  # a keyword concept
        snippet = _snippet(analysis, item) if snippets else None
        return CompletionCandidate(label, "keyword", f"keyword ({item})",
                                   definition.keyword_docs.get(item, ""), group, snippet)
    if group == BUILTIN:
        builtin = item
        return CompletionCandidate(label, "function", builtin.signature(),  # type: ignore[attr-defined]
                                   builtin.description, group)  # type: ignore[attr-defined]
    symbol = item
    return CompletionCandidate(label, _kind(symbol.kind), symbol.signature(),  # type: ignore[attr-defined]
                               symbol.doc, group)  # type: ignore[attr-defined]


_KINDS = {SymbolKind.FUNCTION: "function", SymbolKind.PROCEDURE: "function",
          SymbolKind.CONSTANT: "constant", SymbolKind.TYPE: "type",
          SymbolKind.MODULE: "module", SymbolKind.PARAMETER: "variable",
          SymbolKind.FIELD: "field"}


def _kind(symbol_kind: str) -> str:
    return _KINDS.get(symbol_kind, "variable")


def _members(analysis: FileAnalysis, dot: int, prefix: str) -> list[CompletionCandidate]:
    """After ``name.``: an imported module's names, a builtin library's functions, or the
    fields of a record-typed value, when the type is known."""
    wanted = prefix.lower()
    hosted = _host_members(analysis, dot)
    if hosted is not None:  # `vim.api.`: the host's list, then what the file writes
        listed = {c.label for c in hosted}
        hosted += [c for c in _used_members(analysis, dot) or [] if c.label not in listed]
        return [c for c in hosted if c.label.lower().startswith(wanted)]
    for finder in (_module_members, _library_members, _grammar_members, _typed_members,
                   _used_members):
        found = finder(analysis, dot)
        if found is not None:
            return [c for c in found if c.label.lower().startswith(wanted)]
    return []


def _host_members(analysis: FileAnalysis, dot: int) -> list[CompletionCandidate] | None:
    """After a host's global or a path of its members (``vim.``, ``vim.api.``, ``ngx.req.``:
    ``structure.host_globals``' ``members``), the members the definition lists for it;
    the global may be a local the file copies it to (``local ngx = ngx``). None when the
    name is no host global of the file or the definition lists nothing for the path."""
    if not analysis.host_globals:
        return None
    definition = analysis.parsed.definition
    path = written_path(analysis, dot)
    if path is None:
        return None
    head = path.split(".")[0]
    if head not in analysis.host_globals or not the_global(analysis, head, dot):
        return None
    for host in definition.structure.host_globals:
        listed = dict(host.members).get(path)
        if listed is not None and head in host.names:
            paths = {owner for owner, _ in host.members}
            return [CompletionCandidate(m, "module" if f"{path}.{m}" in paths else "field",
                                        f"{path}.{m} ({host.host})") for m in listed]
    return None


def _module_members(analysis: FileAnalysis, dot: int) -> list[CompletionCandidate] | None:
    receiver = analysis.model.symbol_at(dot - 1)
    if receiver is None or receiver.kind != "module":
        return None
    exports = analysis.modules.get(receiver.name.lower())
    if exports is None:
        return None
    return [CompletionCandidate(name, "function" if "function" in doc or
                                "procedure" in doc else "variable", doc)
            for name, doc in sorted(exports.names.items())]


def _library_members(analysis: FileAnalysis, dot: int) -> list[CompletionCandidate] | None:
    """A builtin library table (Lua's ``math.``, Oberon's ``Out.``) that no symbol hides
    but the import of a standard module (``IMPORT Out``) naming it."""
    receiver = analysis.model.symbol_at(dot - 1)
    if receiver is not None and receiver.kind != "module":
        return None
    _, name = prefix_at(analysis.parsed.text, dot)
    library = analysis.parsed.definition.builtin(name) if name else None
    if library is None or not library.members:
        return None
    return [CompletionCandidate(m.name, "function", m.signature(), m.description)
            for m in library.members]


def _grammar_members(analysis: FileAnalysis, dot: int) -> list[CompletionCandidate] | None:
    """A grammar's member parts: the members of the receiver's declared type (the reading
    that definition and hover give ``corner`` in ``box.corner``)."""
    context = member_context(analysis)
    if context is None:
        return None
    members = members_after_dot(context, dot, analysis.model.scope_at)
    if not members:
        return None
    return [CompletionCandidate(m.name, _kind(m.kind), m.signature(), m.doc)
            for m in sorted(members.values(), key=lambda m: m.start)]


def _typed_members(analysis: FileAnalysis, dot: int) -> list[CompletionCandidate] | None:
    """The type checker's members of the receiver's type, else a record type's fields."""
    model, report = analysis.model, analysis.types
    # the receiver is what ends at the dot (`g(p).`: g's result, not p's nor p)
    item = model.at(dot - 1)
    symbol = model.symbol_at(dot - 1) if item is not None and item.end == dot else None
    if report is not None:
        found = _receiver_type(report, analysis.parsed.text, dot, symbol)
        members = report.members_of(found) if found is not None else None
        if members:
            return [CompletionCandidate(m.name, "field" if m.kind != "method" else "function",
                                        f"{m.name}: {report.display(m.type)}")
                    for m in members]
    if symbol is None or not symbol.type_text:
        return None
    type_symbol = model.scope_at(dot).lookup(model.key(symbol.type_text.strip()))
    if type_symbol is None or not type_symbol.params:  # (a Lua class's table: no record)
        return None
    return [CompletionCandidate(f.name, "field", f"{f.name}: {f.type_text or '?'}")
            for f in type_symbol.params]


def _receiver_type(report: TypeReport, text: str, dot: int, symbol: Symbol | None
                   ) -> Type | None:
    """The type of the expression or name that ends at the dot; else, after a postfix
    the checker folds into its operand (Pascal's ``p^.``, not a closing bracket), the
    operand's."""
    found = report.type_ending_at(dot, 0, symbol)
    if found is None and symbol is None and text[dot - 1:dot] not in ")]}":
        found = report.type_ending_at(dot - 1)
    return found


def _used_members(analysis: FileAnalysis, dot: int) -> list[CompletionCandidate] | None:
    """A variable of no declared type (a Lua table): the member names its declaration's
    value gives it (``local t = {alpha = 1}``), then those written after it elsewhere in
    the file (``t.beta = 2``), in the order they come."""
    model, text = analysis.model, analysis.parsed.text
    start, name = prefix_at(text, dot)
    if _after_a_field(analysis, start):
        # `M.cache.`: not the variable `cache` (`"a" .. cache.`: that one)
        return _chain_members(analysis, dot)
    symbol = model.scope_at(dot).lookup(model.key(name)) if name else None
    if symbol is None or symbol.kind not in (SymbolKind.VARIABLE, SymbolKind.PARAMETER,
                                             SymbolKind.LOOP_VARIABLE):
        return None
    context = member_context(analysis)
    names = constructed_members(context, symbol) if context is not None else []
    member = re.compile(r"\s*\.\s*(" + analysis.parsed.definition.lexical.identifier + ")")
    for ref in model.references_to(symbol):
        found = member.match(text, ref.end)
        if found is not None and not found.start() <= dot < found.end():  # not the one typed
            names.append(found.group(1))
    out = _unique(model, names, "field", f"field of {symbol.name}")
    known = {model.key(c.label) for c in out}
    out += _unique(model, [n for _, n in declared_functions(analysis, symbol.name)
                           if model.key(n) not in known], "function", f"function of {symbol.name}")
    known |= {model.key(c.label) for c in out}
    out += _unique(model, [n for n in loaded_members(analysis, symbol) if model.key(n) not in known],
                   "function", f"member of {symbol.name}'s module")
    return _with_annotated(analysis, symbol, out) or None


def _after_a_field(analysis: FileAnalysis, start: int) -> bool:
    """Is the name at ``start`` a field, after a ``.`` token on its line (not `..`, not
    a comment's full stop)?"""
    text = analysis.parsed.text
    found = re.search(r"(?<!\.)\.[ \t]*$", text[max(0, start - 80):start])
    if found is None:
        return False
    token = analysis.parsed.root.token_at(start - len(found.group(0)))
    return token is not None and token.text == "."


def _chain_at(analysis: FileAnalysis, dot: int) -> tuple[Symbol, list[str]] | None:
    """The variable and field names before ``dot`` (``M.cache`` of ``M.cache.``), when
    the variable is declared."""
    model, text = analysis.model, analysis.parsed.text
    ident = analysis.parsed.definition.lexical.identifier
    found = re.search(r"(?<![\w.:])(" + ident + r")((?:\s*\.\s*" + ident + r")+)\s*$",
                      text[max(0, dot - 200):dot])
    head = model.scope_at(dot).lookup(model.key(found.group(1)), dot) if found else None
    if found is None or head is None:
        return None
    return head, [found.group(1)] + [p.strip() for p in found.group(2).split(".")[1:]]


def _chain_members(analysis: FileAnalysis, dot: int) -> list[CompletionCandidate] | None:
    """After a variable and its fields (``M.cache.``, ``self.items.``): the members of
    the last field's annotated type (``---@field items Item``); else the members
    written after the same chain elsewhere in the file (``M.cache.size = 0``), the keys
    of a table constructor assigned to it (``M.cache = {size = 0}``), the functions
    declared on it (``function M.cache.get()``)."""
    model, text = analysis.model, analysis.parsed.text
    ident = analysis.parsed.definition.lexical.identifier
    found = _chain_at(analysis, dot)
    if found is None:
        return None
    head, parts = found
    typed = _chain_type(analysis, head, parts[1:])
    if typed is not None:
        return _unique(model, [n for n, _, _ in type_members(analysis, typed)], "field",
                       f"member of {typed}") or None
    chain = r"(?<![\w.:])" + r"\s*\.\s*".join(map(re.escape, parts))
    names = [m.group(1) for m in re.finditer(chain + r"\s*\.\s*(" + ident + ")", text)
             if not m.start(1) <= dot + 1 <= m.end(1) + 1]
    context = member_context(analysis)
    for m in re.finditer(chain + r"\s*" + re.escape(analysis.parsed.definition.structure
                                                     .assignment) + r"(?!=)\s*", text):
        token = analysis.parsed.root.token_at(m.end())
        value = token.parent if token is not None else None
        if context is not None and value is not None and value.start == m.end():
            names += value_members(context, value)
    out = _unique(model, names, "field", f"field of {'.'.join(parts)}")
    known = {model.key(c.label) for c in out}
    out += _unique(model, [n for _, n in declared_functions(analysis, ".".join(parts))
                           if model.key(n) not in known], "function",
                   f"function of {'.'.join(parts)}")
    return out


def _chain_type(analysis: FileAnalysis, head: Symbol, fields: list[str]) -> str | None:
    """The annotated type of ``head.f1.f2...`` (each field's ``---@field`` type); the
    head's own, or its method's object's (``self`` of a table annotated as a class)."""
    typed = head.type_text
    if typed is None and head.kind == SymbolKind.PARAMETER:
        owner = parameter_owner(analysis, head)
        table = analysis.model.scope_at(head.start).lookup(analysis.model.key(owner)) \
            if owner is not None else None
        typed = table.type_text if table is not None else None
    for name in fields:
        typed = field_type(analysis, typed, name) if typed else None
    return typed


def _with_annotated(analysis: FileAnalysis, symbol: Symbol, out: list[CompletionCandidate],
                    methods: bool = False) -> list[CompletionCandidate]:
    """``out`` and the members the annotated type of ``symbol`` gives it (``---@type
    Item``: its ``---@field``s and its table's functions); after the method separator,
    its functions and the fields of a function type."""
    known = {analysis.model.key(c.label) for c in out}
    typed = _chain_type(analysis, symbol, [])
    for name, kind, detail in type_members(analysis, typed) if typed else []:
        if analysis.model.key(name) in known or methods and not _callable(kind, detail):
            continue
        known.add(analysis.model.key(name))
        out.append(CompletionCandidate(name, kind, detail))
    return out


def _unique(model: SemanticModel, names: list[str], kind: str, detail: str
            ) -> list[CompletionCandidate]:
    seen: set[str] = set()
    out = []
    for label in names:
        if model.key(label) not in seen:
            seen.add(model.key(label))
            out.append(CompletionCandidate(label, kind, detail))
    return out


def _methods(analysis: FileAnalysis, at: int, separator: str, prefix: str
             ) -> list[CompletionCandidate]:
    """After ``obj:`` (the definition's ``method_separator``): obj's methods
    (``completion_methods``), in the order written. Inside a method, its implicit
    parameter (Lua's ``self``) is the method's object."""
    model, text = analysis.model, analysis.parsed.text
    start, name = prefix_at(text, at)
    if _after_a_field(analysis, start):
        return _chain_methods(analysis, at, prefix)  # `self.view:`
    symbol = model.scope_at(at).lookup(model.key(name)) if name else None
    if symbol is None:
        # a global another file of the program assigns (`Object:` where object.lua
        # says `Object = {}`): the methods that file gives it
        shared = shared_global(analysis, name) if name else None
        return [CompletionCandidate(n, "function", f"method of {name}")
                for n in dict.fromkeys(method_names(*shared, -1)) if n.lower().startswith(prefix.lower())] \
            if shared is not None else []
    receiver = symbol.name
    if symbol.kind == SymbolKind.PARAMETER:
        receiver = parameter_owner(analysis, symbol) or receiver
    wanted = prefix.lower()
    found = _unique(model, method_names(analysis, symbol, at), "function",
                    f"method of {receiver}")
    known = {model.key(c.label) for c in found}
    found += [CompletionCandidate(f.name, "function", f.signature(), f.description)
              for f in text_methods(analysis, symbol, at - len(name), at, separator)
              if model.key(f.name) not in known]
    found = _with_annotated(analysis, symbol, found, methods=True)
    return [c for c in found if c.label.lower().startswith(wanted)]


def _chain_methods(analysis: FileAnalysis, at: int, prefix: str) -> list[CompletionCandidate]:
    """After ``a.b:``: the functions of the annotated type of the field (``---@field
    view View``)."""
    found = _chain_at(analysis, at)
    typed = _chain_type(analysis, found[0], found[1][1:]) if found is not None else None
    if typed is None:
        return []
    return [CompletionCandidate(n, kind, detail) for n, kind, detail in type_members(analysis, typed)
            if _callable(kind, detail) and n.lower().startswith(prefix.lower())]


def _callable(kind: str, detail: str) -> bool:
    """A function, or a field of a function type (``run: fun()``)."""
    return kind != "field" or detail.partition(": ")[2].startswith("fun")


# concept -> (keyword after the condition in BEGIN..END style, the same in keyword-
# terminated style, the concepts that may close the construct there)
_SNIPPET_SHAPES = {"if": ("then", "then", ("endif", "end")),
                   "while": ("do", None, ("wend", "end"))}


def _snippet(analysis: FileAnalysis, concept: str) -> str | None:
    """A block snippet in the language's own block style."""
    shape = _SNIPPET_SHAPES.get(concept)
    if shape is None:
        return None
    glue, terminated_glue, closers = shape
    d = analysis.parsed.definition
    kw = d.spelling
    head = f"{kw(concept)} ${{1:condition}}"
    style = d.structure.block_style.value
    if style == "begin_end":
        return f"{head} {kw(glue) or ''}\n{kw('begin')}\n\t$0\n{kw('end')};"
    if style == "braces":
        return f"{kw(concept)} (${{1:condition}}) {{\n\t$0\n}}"
    if style == "indentation":
        return f"{head}{d.structure.block_open}\n\t$0"
    end = next((kw(c) for c in closers if kw(c)), None)
    middle = f" {kw(terminated_glue) or ''}" if terminated_glue else ""
    return f"{head}{middle}\n\t$0\n{end}"
