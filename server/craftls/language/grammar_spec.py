"""The ``grammar`` section of a definition: productions in a PEG notation, their
meaning annotations, and the checks that make a grammar safe to run.

Two spellings load into the same model:

* native: ``grammar: {start, rules}`` where a rule is a string (its expression) or a
  mapping ``{match: EXPR, declares: KIND, assigns: KIND, scope, block, type, call,
  member, arguments, number_names, lines, fold, opens, imports, exports, visible, global,
  global_field, qualified, implicit_parameter, writes, heading}``, and ``grammar.refactoring`` the syntax of the
  refactorings;
* ParserCraft's: ``grammar: {name, start, skip_whitespace, comments, rules}`` with
  every rule a string, loaded as is.

The notation (both): ``'lit'`` or ``"lit"`` a token spelled so (keywords, punctuation,
words); ``IDENT`` ``NUMBER`` ``STRING`` ``KEYWORD`` ``ANY`` token classes; ``name`` a
rule; ``a b`` sequence; ``a / b`` (or ``a | b``) ordered choice; ``e?`` ``e*`` ``e+``;
``e % sep`` one or more ``e`` separated by ``sep``; ``!e`` ``&e`` lookahead; ``( )``.

The checks (unknown rule, unreachable rule, left recursion, a loop whose body can
match empty, a literal the lexer never produces as one token) are definition problems
with the YAML line and column of the offending element. A grammar without errors can
neither loop nor recurse without consuming input, which is what lets the engine
(``syntax/peg.py``) promise to end on any text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .problems import DefinitionProblem
from .run_spec import RunSpec, read_run

if TYPE_CHECKING:  # PyYAML: only when a definition is read, not when a cached one is used
    from .model import LanguageDefinition
    from .yamlsource import Path, YamlDocument

TOKEN_CLASSES = frozenset({"IDENT", "NUMBER", "STRING", "KEYWORD", "ANY", "NEWLINE", "INDENT",
                           "DEDENT"})
LINE_BREAK = "NEWLINE"  # matches no token: a line break comes next (or the end of the file)
# matches no token: a line break comes next, to a line indented deeper than the line where
# the rule's match began (an indented block: `suite: ':' (INDENT statement)+`)
INDENTED = "INDENT"
# matches no token: a line break comes next, to a line indented less than the line where
# the rule's match began (`'if' expr suite (!DEDENT else_clause)?`: an ELSE of an outer IF)
OUTDENTED = "DEDENT"
ZERO_WIDTH_CLASSES = frozenset({LINE_BREAK, INDENTED, OUTDENTED})
SYMBOL_KINDS = frozenset({"variable", "constant", "function", "procedure", "parameter", "type",
                          "field", "label", "module", "loop_variable", "program"})
MEANING_KEYS = frozenset({"declares", "assigns", "scope", "block", "type", "call", "member",
                          "arguments", "number_names", "lines", "recover_lines", "fold",
                          "opens", "opens_types", "imports", "exports", "visible", "global",
                          "global_field", "qualified", "dotted",
                          "implicit_parameter", "writes", "heading", "overload", "external",
                          "by_reference", "default_value", "isolated", "shared", "used_with",
                          "overloading", "typed_later", "plain_names", "name_from_string",
                          "receiver", "branch", "branches_at", "reopens", "arity",
                          "prototype", "variadic"})
# where a declared name is visible: its whole scope (hoisted), or from a point on
VISIBILITY = ("scope", "after_name", "after_statement")
# run: what the node means when it runs; display: how a message names the rule; error:
# the rule is a form the language rejects, its node a syntax error with this message
RULE_KEYS = MEANING_KEYS | {"match", "run", "display", "error"}
GRAMMAR_KEYS = frozenset({"start", "rules", "name", "skip_whitespace", "comments",
                          "refactoring", "preprocessor"})
REFACTORING_KEYS = frozenset({"declare_variable", "inline_variable", "declare_undefined",
                              "declare_assigned", "extract_function", "assign_variable",
                              "wrap"})
# grammar.refactoring.declare_undefined: how the declare-variable quick fix writes one
DECLARE_UNDEFINED_KEYS = ("statement", "marked", "entry", "section", "heading", "placeholder")
# grammar.refactoring.extract_function: the texts the extracted routine is written with
EXTRACT_FUNCTION_TEXTS = ("routine", "parameter", "by_reference", "separator", "list", "call",
                          "local", "return", "assign", "declare", "function", "result",
                          "local_heading", "empty_list", "untyped")
# grammar.refactoring.extract_function: its switches
EXTRACT_FUNCTION_FLAGS = ("pass_read", "one_result", "group_parameters")
EXTRACT_FUNCTION_NEEDS = {"routine": ("{name}", "{body}"), "function": ("{name}", "{body}"),
                          "result": ("{type}",), "parameter": ("{name}",),
                          "by_reference": ("{name}",), "list": ("{list}",),
                          "untyped": ("{name}",),
                          "call": ("{name}",), "local": ("{name}",),
                          "return": ("{results}",), "assign": ("{results}", "{call}"),
                          "declare": ("{results}", "{call}")}
# grammar.preprocessor: each key lists the directive words of one role
PREPROCESSOR_ROLES = ("define", "undefine", "conditional", "alternative", "end_conditional",
                      "macro", "end_macro", "directives", "unset")
_DIRECTIVE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# a condition never true may also be a number (`#if 0`: lines switched off)
_UNSET_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
MAX_NESTING = 40  # parentheses and prefixes inside one rule: the notation parser recurses

# expression operators (strings: the model is plain data, read by the engine's compiler)
LIT = "lit"
CLASS = "class"
RULE = "rule"
SEQ = "seq"
CHOICE = "choice"
OPT = "opt"
STAR = "star"
PLUS = "plus"
SEP = "sep"
NOT = "not"
AND = "and"
LOOPS = frozenset({STAR, PLUS, SEP})


@dataclass(frozen=True)
class Expr:
    """One element of a production, with its place in the YAML (1-based)."""

    op: str
    text: str = ""  # the literal, the token class or the rule name
    items: tuple[Expr, ...] = ()
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Meaning:
    """What a production's node means to name resolution and the editor features."""

    declares: str = ""  # a symbol kind: the node's first name is declared
    assigns: str = ""  # declare-or-assign: declared when not yet known, else written
    scope: bool = False  # the node opens a scope
    block: bool = False  # the node is a block (folding, indentation)
    type: bool = False  # the node is a type annotation (its text is the type)
    call: bool = False  # the first name is called with the node's other child nodes
    member: bool = False  # the node's own names are members (``.x``), not references
    arguments: bool = False  # a call's argument list: always a node, even around one argument
    number_names: bool = False  # its numbers are names (line numbers): declared or referenced
    lines: bool = False  # holds a list of items: each child node is a line of its own
    # its loop recovers as ``lines`` does (a missing separator is one error, the turns
    # after it stay), but its turns are not laid out as lines (Lua's table fields)
    recover_lines: bool = False
    fold: bool = False  # folds like a block, but formatting does not indent its contents
    opens: bool = False  # the members of what it names are in scope for the rest of its parent
    # with ``opens``: only when it names a type the file declares; any other name (QB64's
    # ``SUB Console.Log``, a dotted routine name) opens nothing and is no reference
    opens_types: bool = False
    imports: bool = False  # its name is a module the file imports (USES Crt)
    exports: bool = False  # a module exports what is declared or named inside such nodes
    visible: str = "scope"  # a declaration's visibility: one of VISIBILITY
    global_scope: bool = False  # ``global``: an assignment to an unknown name declares it
    # file-wide
    # with ``assigns``: a field of the globals table written (Lua's `_G.x = 1`,
    # `_G["x"] = 1`): its name, or its string's text, is always the file-scope global;
    # without: one read (`_G.x`), a use of that global and never an undefined name
    global_field: bool = False
    qualified: bool = False  # the declared name is the first name and the members after it
    # the declared name is the word and the members after it, whole (QB64's SUB
    # Console.Log): uses of that whole name refer to it (``semantics/dotted_names``)
    dotted: bool = False
    implicit_parameter: str = ""  # the node declares this parameter in its scope (self)
    writes: bool = False  # the name the node starts with is written (an assignment's target)
    # a routine's heading without its body (FORWARD, a unit's INTERFACE): a body that
    # leaves out the parameter list has this heading's parameters
    heading: bool = False
    # a routine's declaration whose body may be in another module or a library (BASIC's
    # DECLARE SUB in a header): its first name, when nothing in the file declares it, is
    # no undefined name, nor are the other uses of that name
    external: bool = False
    # marks a routine declaration as one of several of the same name (Free Pascal's
    # `overload` directive): the routine declaration around such a node may repeat the
    # name of another so marked, and calls of that name are not argument-counted
    overload: bool = False
    # the routine declaration around the node takes any number of arguments after its
    # parameters (Free Pascal's `varargs` directive of a C function)
    variadic: bool = False
    # with ``scope``: the routines declared directly in the scope it opens may share a
    # name, none of them marked ``overload`` (Free Pascal's class in objfpc mode)
    overloading: bool = False
    # a block whose declarations are its own in some dialect (a CASE clause, a loop): a
    # name declared in it and again outside it or in another one is no duplicate
    # (FreeBASIC, where each block is a scope and an inner one may shadow a name)
    branch: bool = False
    # the node's own tokens with these words (an IF's ELSEIF and ELSE) divide it into
    # branches, each a block as a ``branch`` node is: `VAR x` in the THEN part and again
    # in the ELSE part is no duplicate
    branches_at: tuple[str, ...] = ()
    # with ``declares``: the name may be declared so again, the same thing opened once
    # more (FreeBASIC's NAMESPACE ext ... END NAMESPACE twice): no duplicate
    reopens: bool = False
    # with ``declares``: the name is told apart by its number of type parameters, the
    # node children of its first child of this rule (Delphi's TBox and TBox<T> are two
    # types): a declaration of the name with another count is no duplicate
    arity: str = ""
    # with ``scope``: a routine's heading that never has a body (QB64's DECLARE LIBRARY
    # SUB): its parameters' names are documentation only, two of one name no duplicate
    prototype: bool = False
    # with ``declares``: a later declaration of the name in the same scope gives this
    # one its type instead of declaring it again (Fortran's dummy arguments, typed in
    # the routine's body: `subroutine move(dx)` then `real, intent(in) :: dx`)
    typed_later: bool = False
    # inside a ``type`` node: the node's names are values, not type names (a kind, a
    # length, an array's bound: Fortran's `real(kind=dp)`, Pascal's `array[1..Max]`)
    plain_names: bool = False
    # with ``assigns``: a variable passed by reference (BASIC's CALL Ask(name$)): declared
    # when not yet known, else read (its value is passed), so one only passed is used
    by_reference: bool = False
    # a parameter's default value (Pascal's `B: Integer = 0`): a call of the routine
    # around it may leave that parameter out
    default_value: bool = False
    # with ``scope``: the scope sees, of the variables declared around it, only those a
    # ``shared`` node declares and those a ``global`` assignment in it names (QBasic's SUB)
    isolated: bool = False
    # the names declared inside a node that holds one of these tokens (DIM SHARED) are
    # seen from inside ``isolated`` scopes
    shared: tuple[str, ...] = ()
    # with ``declares``: the name declared by a node that holds one of these tokens (at
    # any depth) is used by being declared (Lua's `local f <close> = ...`, closed when its
    # scope ends): never unused
    used_with: tuple[str, ...] = ()
    # with ``declares``: a node with no name of its own declares the first group of this
    # pattern searched in its first string (Go's `import "net/http"` declares `http`)
    name_from_string: str = ""
    # inside a node that declares a routine: the routine is a method of the type this
    # node's type names (Go's receiver `(r *Rect)`): a member of that type's values
    receiver: bool = False

    @property
    def annotated(self) -> bool:
        return self != Meaning()


@dataclass(frozen=True)
class Production:
    name: str
    expr: Expr
    meaning: Meaning = field(default_factory=Meaning)
    line: int = 0
    column: int = 0
    run: RunSpec | None = None  # the ``run:`` annotation (language/run_spec.py)
    # how a message names the rule where it is missing ("expected a type"), for a rule
    # whose name is no word a user knows (``type_spec``); '' when its name says it
    display: str = ""
    # a form the language rejects (Lua's `t.x` alone as a statement), recognised so that
    # the mistake is one syntax error with this message over the node, whose names keep
    # their meaning; '' for a rule that matches what the language accepts
    error: str = ""


@dataclass(frozen=True)
class PreprocessorSpec:
    """``grammar.preprocessor``: a line whose first token is ``marker`` followed by one
    of these words is a directive (``syntax/preprocess.py`` applies them before the
    grammar runs). The words are as written; the engine compares them as the language
    compares words (case-folded when it ignores case)."""

    # what a directive line starts with: one or more tokens (FreeBASIC's #, QB64's $)
    marker: tuple[str, ...]
    define: tuple[str, ...] = ()  # NAME body: an object-like macro, parsed as its body
    undefine: tuple[str, ...] = ()  # NAME: the macro ends here
    conditional: tuple[str, ...] = ()  # opens a conditional (#if, #ifdef)
    alternative: tuple[str, ...] = ()  # #else, #elseif: skipped up to the end
    end_conditional: tuple[str, ...] = ()  # #endif
    macro: tuple[str, ...] = ()  # NAME(...) on its line, then body lines: not parsed
    end_macro: tuple[str, ...] = ()  # ends a macro's body
    directives: tuple[str, ...] = ()  # the others (#include, #pragma): kept as written
    # names never set: a conditional on one of them alone ($IF JAVASCRIPT THEN) is false,
    # its first branch skipped and its alternative read
    unset: tuple[str, ...] = ()
    # ``define_scope``: a define made between a line that opens one of these blocks
    # (SUB f, PRIVATE FUNCTION g: an ``open`` word after any ``modifiers``, followed by
    # no '=') and the line that closes it (``close`` then the open word: END SUB) ends there
    scope_open: tuple[str, ...] = ()
    scope_close: tuple[str, ...] = ()
    scope_modifiers: tuple[str, ...] = ()
    # ``line_argument``: a macro whose name is followed by this token (FreeBASIC's
    # ``#macro CATCH ? (x)``) may be used without parentheses, the rest of the line its
    # argument: that text is hidden from the grammar
    line_argument: str = ""


@dataclass(frozen=True)
class DeclareUndefined:
    """``grammar.refactoring.declare_undefined``: how the quick fix declares an undefined
    name. Either a ``statement`` put before the statement that uses the name ("local
    {name} = nil"), or an ``entry`` of a ``section`` (a rule) of the routine or file
    around the use ("{name}: {type};" in a ``var_section``; a new one starts with
    ``heading``). ``marked`` is the statement for a name with a type mark
    (``structure.type_marks``: "DIM {name}"); ``placeholder`` the type written, for the
    user to fill in, when the use does not tell it."""

    statement: str = ""
    marked: str | None = None
    entry: str = ""
    section: str = ""
    heading: str = ""
    placeholder: str | None = None


@dataclass(frozen=True)
class ExtractFunction:
    """``grammar.refactoring.extract_function``: how an extracted routine and its call
    are written (docs/language-definition.md, *Refactorings*)."""

    routine: str  # {name}, {parameters}, {locals} and {body}
    parameter: str  # {name} (and {type}): a parameter read by the routine
    call: str  # {name}, {arguments}: the statement that replaces the selection
    separator: str = ", "  # between two parameters
    list: str = ""  # {list}: around a non-empty parameter or argument list; none when empty
    # with ``list``: an empty list ("()"), unless the file declares a routine without one
    # (``SUB Banner``: a routine's name followed by no opening of ``list``)
    empty_list: str = ""
    # a parameter whose type is not known ("{name}"); without it, such a parameter
    # refuses the extraction where ``parameter`` needs a {type}
    untyped: str = ""
    by_reference: str = ""  # a variable the routine sets, passed by reference (var x: T)
    local: str = ""  # a variable only the routine uses
    # without by_reference: the values the routine sets, returned ("return {results}"),
    # and the call that takes them ("{results} = {call}", "local {results} = {call}")
    returns: str = ""
    assign: str = ""
    declare: str = ""
    leaves: tuple[str, ...] = ()  # routines that leave the selection (Exit, Break)
    # the routine written when a value comes back (a FUNCTION beside a SUB); {result}
    # in it is ``result`` (" -> {type}") when the value's type is known, else nothing
    function: str = ""
    result: str = ""
    local_heading: str = ""  # a line above the locals, when there are any (VAR)
    # a variable visible where the routine goes that the selection only reads is passed
    # as a parameter all the same (one it sets stays shared), as the keyword level does
    pass_read: bool = False
    one_result: bool = False  # a routine returns one value: two are refused
    # parameters of one type next to each other share it: {name} is their names joined
    # by ", " (Pascal's ``N, K: INTEGER``)
    group_parameters: bool = False


@dataclass(frozen=True)
class GrammarSpec:
    start: str
    rules: tuple[Production, ...]
    notation: str = "native"  # native | parsercraft
    inferred: bool = False  # meanings came from the defaults, not annotations
    # refactorings the definition offers (``grammar.refactoring``): the statement that
    # declares a new variable with a value ("local {name} = {value}"; extract variable),
    # and whether a variable's uses may be replaced by its value (inline variable)
    declare_variable: str = ""
    inline_variable: bool = False
    # ``declare_variable`` given as a list: every form, the first of them above; the one
    # the file's own declarations follow most is written (``{type}``: a typed one)
    declare_forms: tuple[str, ...] = ()
    # the quick fix turns an undefined name's first assignment into its declaration,
    # written as ``declare_variable`` (``x = 1`` -> ``let x = 1``), as the keyword level
    declare_assigned: bool = False
    # where declarations carry no value (a VAR section): the statement that gives a new
    # variable its value ("{name} := {value}"), declared as ``declare_undefined``'s entry
    assign_variable: str = ""
    # a lone statement that is a body (Pascal's `IF c THEN x := v`) as a block of several
    # ("BEGIN\n{body}\nEND"): extract variable puts its statement before it in there
    wrap: str = ""
    # how the declare-variable quick fix declares an undefined name; None: not offered
    declare_undefined: DeclareUndefined | None = None
    # how extract function writes a routine and its call; None: not offered from data
    extract_function: ExtractFunction | None = None
    preprocessor: PreprocessorSpec | None = None

    def rule(self, name: str) -> Production | None:
        for production in self.rules:
            if production.name == name:
                return production
        return None

    # made once: every analysis asks for them, and comparing each rule's meaning with an
    # empty one costs as much as a small file's walk (read only: shared by the callers)
    _meanings: dict[str, Meaning] | None = field(default=None, init=False, repr=False,
                                                 compare=False, hash=False)

    def meanings(self) -> dict[str, Meaning]:
        cached = self._meanings
        if cached is None:
            cached = {p.name: p.meaning for p in self.rules if p.meaning.annotated}
            object.__setattr__(self, "_meanings", cached)  # frozen: a cache, not a value
        return cached


Report = Callable[[str, int, int, str], None]  # message, line, column, severity


# ---------------------------------------------------------------- the notation

_LEXEME = re.compile(r"""\s+|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*|[/|*+?!&%()]|.""")


class NotationError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class _Reader:
    """Recursive descent over one rule string; ``place`` turns an offset into a position."""

    def __init__(self, text: str, place: Callable[[int], tuple[int, int]]) -> None:
        self.items = [(m.group(), m.start()) for m in _LEXEME.finditer(text)
                      if not m.group().isspace()]
        self.i = 0
        self.place = place
        self.depth = 0
        self.end = len(text)

    def peek(self) -> str:
        return self.items[self.i][0] if self.i < len(self.items) else ""

    def offset(self) -> int:
        return self.items[self.i][1] if self.i < len(self.items) else self.end

    def make(self, op: str, offset: int, text: str = "", items: tuple[Expr, ...] = ()) -> Expr:
        line, column = self.place(offset)
        return Expr(op, text, items, line, column)

    def expression(self) -> Expr:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise NotationError("the expression is nested too deeply", self.offset())
        start = self.offset()
        alternatives = [self.sequence()]
        while self.peek() in ("/", "|"):
            self.i += 1
            alternatives.append(self.sequence())
        self.depth -= 1
        if len(alternatives) == 1:
            return alternatives[0]
        return self.make(CHOICE, start, items=tuple(alternatives))

    def sequence(self) -> Expr:
        start = self.offset()
        elements = []
        while self.peek() not in ("", "/", "|", ")"):
            elements.append(self.prefixed())
        if not elements:
            raise NotationError("an empty alternative (nothing between '/' or parentheses)",
                                start)
        return elements[0] if len(elements) == 1 else self.make(SEQ, start, items=tuple(elements))

    def prefixed(self) -> Expr:
        start = self.offset()
        if self.peek() in ("!", "&"):
            op = NOT if self.peek() == "!" else AND
            self.i += 1
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise NotationError("the expression is nested too deeply", start)
            inner = self.prefixed()
            self.depth -= 1
            return self.make(op, start, items=(inner,))
        return self.postfixed()

    def postfixed(self) -> Expr:
        start = self.offset()
        expr = self.primary()
        while self.peek() in ("?", "*", "+", "%"):
            symbol = self.peek()
            self.i += 1
            if symbol == "%":
                separator = self.primary()
                expr = self.make(SEP, start, items=(expr, separator))
            else:
                op = {"?": OPT, "*": STAR, "+": PLUS}[symbol]
                expr = self.make(op, start, items=(expr,))
        return expr

    def primary(self) -> Expr:
        token, start = self.peek(), self.offset()
        if not token:
            raise NotationError("the rule ends where an element was expected", start)
        self.i += 1
        if token == "(":
            inner = self.expression()
            if self.peek() != ")":
                raise NotationError("expected ')'", self.offset())
            self.i += 1
            return inner
        if token[0] in "'\"":
            text = re.sub(r"\\(.)", r"\1", token[1:-1])
            if not text:
                raise NotationError("an empty literal", start)
            return self.make(LIT, start, text)
        if token[0].isalpha() or token[0] == "_":
            return self.make(CLASS if token in TOKEN_CLASSES else RULE, start, token)
        raise NotationError(f"unexpected {token!r} in the rule", start)


def parse_expression(text: str, place: Callable[[int], tuple[int, int]]) -> Expr:
    """The expression of one rule string; raises NotationError with an offset."""
    reader = _Reader(text, place)
    expr = reader.expression()
    if reader.peek():
        raise NotationError(f"unexpected {reader.peek()!r} in the rule", reader.offset())
    return expr


# ---------------------------------------------------------------- reading the YAML

class _Places:
    """Where an offset inside a YAML string scalar is in the file (quoted scalars on one
    line: the mark is the opening quote)."""

    def __init__(self, doc: YamlDocument, source: str) -> None:
        self.doc = doc
        self.lines = source.splitlines()

    def at(self, path: Path) -> Callable[[int], tuple[int, int]]:
        line, column = self.doc.position(path)
        row = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        quoted = column - 1 < len(row) and row[column - 1:column] in ("'", '"')

        def place(offset: int) -> tuple[int, int]:
            return line, column + offset + (1 if quoted else 0)

        return place


def read_grammar(doc: YamlDocument, source: str, definition: LanguageDefinition,
                 report: Report) -> GrammarSpec | None:
    """The definition's grammar (None when it has none or the grammar cannot be read),
    reporting every problem; the loader calls this once the rest is built."""
    raw = doc.data.get("grammar") if isinstance(doc.data, dict) else None
    if raw is None:
        return None
    root: Path = ("grammar",)

    def problem(path: Path, message: str, severity: str = "error", key: bool = False,
                at: tuple[int, int] | None = None) -> None:
        line, column = at or doc.position(path, key=key)
        report(message, line, column, severity)

    if not isinstance(raw, dict):
        problem(root, "'grammar' must be a mapping with 'start' and 'rules'")
        return None
    parsercraft = "lexical" not in doc.data
    for key in raw:
        if key not in GRAMMAR_KEYS:
            problem(root + (key,), f"unknown key 'grammar.{key}'", "warning", key=True)
    _check_lexing_options(raw, doc, definition, problem)
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, dict) or not rules_raw:
        problem(root + ("rules",), "'grammar.rules' must be a mapping of rule names to rules")
        return None
    places = _Places(doc, source)
    productions: list[Production] = []
    for name, body in rules_raw.items():
        production = _read_rule(str(name), body, root + ("rules", name), places, doc, problem)
        if production is not None:
            productions.append(production)
    start = raw.get("start")
    if not isinstance(start, str) or not start:
        start = productions[0].name if productions else ""
        if "start" in raw:
            problem(root + ("start",), "'grammar.start' must be a rule name")
    spec = GrammarSpec(start, tuple(productions), "parsercraft" if parsercraft else "native",
                       **_read_refactoring(raw.get("refactoring"), root, problem))
    if not productions:
        return None
    if spec.rule(start) is None:
        problem(root + ("start",), f"the start rule '{start}' is not defined")
        return None
    _check_start_annotations(rules_raw.get(start), root + ("rules", start), problem)
    declare = spec.declare_undefined
    if declare is not None and declare.section and spec.rule(declare.section) is None:
        problem(root + ("refactoring", "declare_undefined", "section"),
                f"'section' names no rule of the grammar: '{declare.section}'")
        spec = replace(spec, declare_undefined=None)
    if "preprocessor" in raw:
        spec = replace(spec, preprocessor=read_preprocessor(raw["preprocessor"], definition,
                                                            problem))
    ok = check_grammar(spec, definition, report)
    if not any(p.meaning.annotated for p in productions):
        spec = infer_meanings(spec, definition)
    return spec if ok else None


def _check_start_annotations(body: Any, path: Path, problem: Callable[..., None]) -> None:
    """The start rule's node is the file itself (``SOURCE_FILE``), which no annotation
    is looked up for: each one written on it is a warning at its key."""
    if not isinstance(body, dict):
        return
    for key in body:
        if key in MEANING_KEYS or key == "run":
            problem(path + (key,), f"'{key}' on the start rule '{path[-1]}' is ignored: its "
                    "node is the whole file, which is always a scope and whose items are "
                    "always lines; annotate the rule it repeats (its items) instead",
                    "warning", key=True)


def _read_refactoring(raw: Any, root: Path, problem: Callable[..., None]) -> dict[str, Any]:
    """``grammar.refactoring``: the syntax the grammar-defined refactorings write."""
    if raw is None:
        return {}
    path = root + ("refactoring",)
    if not isinstance(raw, dict):
        problem(path, "'grammar.refactoring' must be a mapping")
        return {}
    values: dict[str, Any] = {}
    for key in raw:
        if key not in REFACTORING_KEYS:
            problem(path + (key,), f"unknown key 'grammar.refactoring.{key}'", "warning",
                    key=True)
    template = raw.get("declare_variable")
    if template is not None:
        forms = template if isinstance(template, list) else [template]
        if not forms or not all(isinstance(f, str) and "{name}" in f and "{value}" in f
                                for f in forms):
            problem(path + ("declare_variable",), "'declare_variable' must be a statement "
                    "with {name} and {value} in it (\"local {name} = {value}\"), or a "
                    "list of such statements")
        else:
            values["declare_variable"] = forms[0]
            if isinstance(template, list):
                values["declare_forms"] = tuple(forms)
    for key in ("inline_variable", "declare_assigned"):
        flag = raw.get(key)
        if flag is not None:
            if not isinstance(flag, bool):
                problem(path + (key,), f"'{key}' must be true or false")
            else:
                values[key] = flag
    assign = raw.get("assign_variable")
    if assign is not None:
        if not isinstance(assign, str) or "{name}" not in assign or "{value}" not in assign:
            problem(path + ("assign_variable",), "'assign_variable' must be a statement with "
                    "{name} and {value} in it (\"{name} := {value}\")")
        else:
            values["assign_variable"] = assign
    wrap = raw.get("wrap")
    if wrap is not None:
        if not isinstance(wrap, str) or "{body}" not in wrap:
            problem(path + ("wrap",), "'wrap' must be a block with {body} in it "
                    "(\"BEGIN\\n{body}\\nEND\")")
        else:
            values["wrap"] = wrap
    if raw.get("declare_assigned") and "declare_variable" not in values:
        problem(path + ("declare_assigned",), "'declare_assigned' needs 'declare_variable' "
                "(the declaration an assignment becomes)")
    if "declare_undefined" in raw:
        declare = _read_declare_undefined(raw["declare_undefined"], path + ("declare_undefined",),
                                          problem)
        if declare is not None:
            values["declare_undefined"] = declare
    if "extract_function" in raw:
        extract = _read_extract_function(raw["extract_function"], path + ("extract_function",),
                                         problem)
        if extract is not None:
            values["extract_function"] = extract
    return values


def _read_extract_function(raw: Any, path: Path, problem: Callable[..., None]
                           ) -> ExtractFunction | None:
    """``grammar.refactoring.extract_function``; left out whole when it cannot be used."""
    if not isinstance(raw, dict):
        problem(path, "'extract_function' must be a mapping (routine:, parameter:, call: ...)")
        return None
    values: dict[str, Any] = {}
    ok = True
    for key, value in raw.items():
        if key in EXTRACT_FUNCTION_FLAGS:
            if not isinstance(value, bool):
                problem(path + (key,), f"'{key}' must be true or false")
                ok = False
            else:
                values[key] = value
        elif key == "leaves":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(path + (key,), "'leaves' must be a list of routine names")
                ok = False
            else:
                values[key] = tuple(value)
        elif key not in EXTRACT_FUNCTION_TEXTS:
            problem(path + (key,), f"unknown key 'grammar.refactoring.extract_function.{key}'",
                    "warning", key=True)
        elif not isinstance(value, str):
            problem(path + (key,), f"'{key}' must be a text")
            ok = False
        elif missing := [p for p in EXTRACT_FUNCTION_NEEDS.get(key, ()) if p not in value]:
            problem(path + (key,), f"'{key}' must have {' and '.join(missing)} in it")
            ok = False
        else:
            values["returns" if key == "return" else key] = value
    for key in ("routine", "parameter", "call"):
        if key not in raw:
            problem(path, f"'extract_function' needs '{key}'")
            ok = False
    if "empty_list" in raw and "list" not in raw:
        problem(path + ("empty_list",), "'empty_list' needs 'list' (the non-empty list it "
                "stands for when empty)", "warning")
    return ExtractFunction(**values) if ok else None


def _read_declare_undefined(raw: Any, path: Path, problem: Callable[..., None]
                            ) -> DeclareUndefined | None:
    """``grammar.refactoring.declare_undefined``; left out whole when it cannot be used
    (the section's rule is checked against the rules in ``check_grammar``)."""
    if not isinstance(raw, dict):
        problem(path, "'declare_undefined' must be a mapping (statement: \"local {name} = "
                "nil\", or entry:, section: and heading:)")
        return None
    values: dict[str, str] = {}
    for key, value in raw.items():
        if key not in DECLARE_UNDEFINED_KEYS:
            problem(path + (key,), f"unknown key 'grammar.refactoring.declare_undefined.{key}'",
                    "warning", key=True)
        elif not isinstance(value, str) or not value.strip():
            problem(path + (key,), f"'{key}' must be a text")
        else:
            values[key] = value
    ok = True
    for key in ("statement", "marked", "entry"):
        if key in values and "{name}" not in values[key]:
            problem(path + (key,), f"'{key}' must have {{name}} in it")
            ok = False
    if ("statement" in values) == ("entry" in values):
        problem(path, "'declare_undefined' needs one of 'statement' (put before the "
                "statement) or 'entry' (put in a 'section')")
        ok = False
    if "entry" in values and not ("section" in values and "heading" in values):
        problem(path, "'declare_undefined' with an 'entry' needs 'section' (the rule of a "
                "section of entries) and 'heading' (what starts a new section)")
        ok = False
    return DeclareUndefined(**values) if ok else None
def read_preprocessor(raw: Any, definition: LanguageDefinition,
                      problem: Callable[..., None]) -> PreprocessorSpec | None:
    """``grammar.preprocessor``; anything not understood is a warning at its place and
    is left out (a section without a usable ``marker`` is left out whole)."""
    root: Path = ("grammar", "preprocessor")
    if not isinstance(raw, dict):
        problem(root, "'grammar.preprocessor' must be a mapping with 'marker' and lists of "
                      "directive words; ignored", "warning")
        return None
    for key in raw:
        if key not in _PREPROCESSOR_OTHER and key not in PREPROCESSOR_ROLES:
            problem(root + (key,), f"unknown key 'grammar.preprocessor.{key}' (known: marker, "
                    f"{', '.join(PREPROCESSOR_ROLES)}, define_scope, line_argument); ignored",
                    "warning", key=True)
    marker = raw.get("marker")
    markers = marker if isinstance(marker, list) and marker else [marker]
    if not all(isinstance(m, str) and m.strip() and producible(definition, m) for m in markers):
        problem(root + ("marker",) if "marker" in raw else root,
                "'grammar.preprocessor.marker' must be text the lexer reads as one token "
                "(such as '#'), or a list of such; the preprocessor section is ignored",
                "warning")
        return None
    fold = not definition.lexical.case_sensitive
    seen: dict[str, str] = {}
    roles: dict[str, tuple[str, ...]] = {}
    for role in PREPROCESSOR_ROLES:
        value = raw.get(role)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            problem(root + (role,), f"'grammar.preprocessor.{role}' must be a list of "
                                    "directive words; ignored", "warning")
            continue
        words: list[str] = []
        for i, word in enumerate(value):
            key = str(word).lower() if fold else str(word)
            pattern = _UNSET_WORD if role == "unset" else _DIRECTIVE_WORD
            if not isinstance(word, str) or not pattern.fullmatch(word):
                problem(root + (role, i), f"{word!r} in 'grammar.preprocessor.{role}' is not "
                                          "a word; ignored", "warning")
            elif key in seen:
                problem(root + (role, i), f"directive word {word!r} is already listed under "
                                          f"'{seen[key]}'; ignored", "warning")
            else:
                seen[key] = role
                words.append(word)
        roles[role] = tuple(words)
    for needs, needed in (("alternative", "end_conditional"), ("macro", "end_macro")):
        if roles.get(needs) and not roles.get(needed):
            problem(root + (needs,), f"'grammar.preprocessor.{needs}' needs "
                                     f"'{needed}' (where the skipped lines end); ignored",
                    "warning")
            roles.pop(needs)
    return PreprocessorSpec(tuple(str(m) for m in markers), **roles,
                            **_define_scope(raw.get("define_scope"), root, problem),
                            line_argument=_line_argument(raw.get("line_argument"), root,
                                                         definition, problem))


_PREPROCESSOR_OTHER = ("marker", "define_scope", "line_argument")
_SCOPE_KEYS = {"open": "scope_open", "close": "scope_close", "modifiers": "scope_modifiers"}


def _define_scope(raw: Any, root: Path, problem: Callable[..., None]
                  ) -> dict[str, tuple[str, ...]]:
    """``define_scope: {open: [SUB], close: [END], modifiers: [PRIVATE]}``: lists of words;
    without ``open`` and ``close`` it is left out."""
    if raw is None:
        return {}
    path = root + ("define_scope",)
    if not isinstance(raw, dict):
        problem(path, "'grammar.preprocessor.define_scope' must be a mapping with 'open', "
                      "'close' and 'modifiers' lists of words; ignored", "warning")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        if key not in _SCOPE_KEYS:
            problem(path + (key,), f"unknown key 'define_scope.{key}' (known: open, close, "
                    "modifiers); ignored", "warning", key=True)
        elif not isinstance(value, list) or not all(
                isinstance(w, str) and _DIRECTIVE_WORD.fullmatch(w) for w in value):
            problem(path + (key,), f"'define_scope.{key}' must be a list of words; ignored",
                    "warning")
        else:
            out[_SCOPE_KEYS[key]] = tuple(value)
    if not (out.get("scope_open") and out.get("scope_close")):
        problem(path, "'define_scope' needs 'open' and 'close' words; ignored", "warning")
        return {}
    return out


def _line_argument(raw: Any, root: Path, definition: LanguageDefinition,
                   problem: Callable[..., None]) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str) or not raw.strip() or not producible(definition, raw):
        problem(root + ("line_argument",), "'grammar.preprocessor.line_argument' must be "
                "text the lexer reads as one token (such as '?'); ignored", "warning")
        return ""
    return raw


def _read_rule(name: str, body: Any, path: Path, places: _Places, doc: YamlDocument,
               problem: Callable[..., None]) -> Production | None:
    meaning = Meaning()
    text_path = path
    run: RunSpec | None = None
    display = error = ""
    if isinstance(body, dict):
        for key in body:
            if key not in RULE_KEYS:
                problem(path + (key,), f"unknown key '{key}' in rule '{name}'", "warning", key=True)
        meaning = _read_meaning(name, body, path, problem)
        if "run" in body:
            run = read_run(name, body["run"], path + ("run",), problem,
                           doc.position(path + ("run",)))
        display, error = (_rule_text(name, body, key, path, problem)
                          for key in ("display", "error"))
        text_path = path + ("match",)
        body = body.get("match")
        if body is None:
            problem(path, f"rule '{name}' needs 'match': its expression")
            return None
    if not isinstance(body, str):
        problem(text_path, f"rule '{name}' must be a string expression")
        return None
    place = places.at(text_path)
    try:
        expr = parse_expression(body, place)
    except NotationError as exc:
        line, column = place(exc.offset)
        problem(text_path, f"rule '{name}': {exc.message}", at=(line, column))
        return None
    line, column = doc.position(path, key=True)
    return Production(name, expr, meaning, line, column, run, display, error)


def _rule_text(name: str, body: dict[str, Any], key: str, path: Path,
               problem: Callable[..., None]) -> str:
    """A rule's ``display`` or ``error``: a non-empty text ('' where it has none)."""
    shown = body.get(key)
    if shown is None:
        return ""
    if isinstance(shown, str) and shown.strip():
        return shown.strip()
    problem(path + (key,), f"'{key}' in rule '{name}' must be a non-empty text")
    return ""


def _read_meaning(name: str, body: dict[str, Any], path: Path,
                  problem: Callable[..., None]) -> Meaning:
    values: dict[str, Any] = {}
    for key in ("declares", "assigns"):
        kind = body.get(key)
        if kind is None:
            continue
        if not isinstance(kind, str) or kind not in SYMBOL_KINDS:
            problem(path + (key,), f"'{key}' in rule '{name}' must be one of "
                                   f"{', '.join(sorted(SYMBOL_KINDS))}")
            continue
        values[key] = kind
    for key in ("scope", "block", "type", "call", "member", "arguments", "number_names",
                "lines", "recover_lines", "fold", "opens", "opens_types", "imports", "exports",
                "global",
                "global_field", "qualified", "dotted", "writes", "heading", "overload",
                "external", "by_reference", "default_value", "isolated", "overloading",
                "typed_later", "plain_names", "receiver", "branch", "reopens", "prototype",
                "variadic"):
        flag = body.get(key)
        if flag is None:
            continue
        if not isinstance(flag, bool):
            problem(path + (key,), f"'{key}' in rule '{name}' must be true or false")
            continue
        values["global_scope" if key == "global" else key] = flag
    visible = body.get("visible")
    if visible is not None:
        if visible not in VISIBILITY:
            problem(path + ("visible",), f"'visible' in rule '{name}' must be one of "
                                         f"{', '.join(VISIBILITY)}")
        else:
            values["visible"] = visible
    for key in ("shared", "used_with", "branches_at"):
        tokens = body.get(key)
        if tokens is None:
            continue
        if not isinstance(tokens, list) or not tokens \
                or not all(isinstance(t, str) and t for t in tokens):
            problem(path + (key,), f"'{key}' in rule '{name}' must be a list of tokens")
        else:
            values[key] = tuple(tokens)
    arity = body.get("arity")
    if arity is not None:
        if not isinstance(arity, str) or not arity.isidentifier() \
                or not (body.get("declares") or body.get("opens")):
            problem(path + ("arity",), f"'arity' in rule '{name}' must name a rule, "
                                       "next to 'declares' or 'opens'")
        else:
            values["arity"] = arity
    implicit = body.get("implicit_parameter")
    if implicit is not None:
        if not isinstance(implicit, str) or not implicit.isidentifier():
            problem(path + ("implicit_parameter",),
                    f"'implicit_parameter' in rule '{name}' must be a name")
        else:
            values["implicit_parameter"] = implicit
    pattern = body.get("name_from_string")
    if pattern is not None:
        _read_name_pattern(name, pattern, path, problem, values)
    _check_needs(name, values, path, problem)
    if values.get("writes") and (values.get("declares") or values.get("assigns")):
        problem(path + ("writes",), f"'writes' in rule '{name}' does nothing next to "
                "'declares' or 'assigns' (its name is declared there, or written when "
                "already known)", "warning")
    return Meaning(**values)


def _read_name_pattern(name: str, pattern: Any, path: Path, problem: Callable[..., None],
                       values: dict[str, Any]) -> None:
    """``name_from_string``: a regular expression with a group (the declared name)."""
    where = path + ("name_from_string",)
    try:
        compiled = re.compile(pattern) if isinstance(pattern, str) and pattern else None
    except re.error as error:
        problem(where, f"'name_from_string' in rule '{name}' is no regular expression: {error}")
        return
    if compiled is None or compiled.groups < 1:
        problem(where, f"'name_from_string' in rule '{name}' must be a regular expression "
                       "with a group (the name)")
        return
    values["name_from_string"] = pattern


# an annotation that means something only next to another one
_NEEDS = {"visible": ("declares", "assigns"), "global_scope": ("assigns",),
          "used_with": ("declares",),
          "by_reference": ("assigns",),
          "qualified": ("declares",), "dotted": ("declares",), "imports": ("declares",), "heading": ("scope",),
          "isolated": ("scope",), "typed_later": ("declares",),
          "name_from_string": ("declares",)}
# what the annotation then does instead, when that is not simply nothing
_WITHOUT = {"imports": "the module is found, but its name is an undefined name: add "
                       "'declares: module'"}


def _check_receivers(spec: GrammarSpec, error: Callable[..., None]) -> None:
    """``receiver`` means something only as a part of a routine's declaring rule."""
    routines = [p for p in spec.rules if p.meaning.declares in ("function", "procedure")]
    for production in spec.rules:
        if production.meaning.receiver and not any(
                e.op == RULE and e.text == production.name
                for p in routines for e in walk(p.expr)):
            error(f"'receiver' in rule '{production.name}' does nothing: no rule that "
                  "declares a function or procedure names it", production, "warning")


def _check_needs(name: str, values: dict[str, Any], path: Path,
                 problem: Callable[..., None]) -> None:
    for key, needed in _NEEDS.items():
        if key in values and not any(values.get(n) for n in needed):
            shown = "global" if key == "global_scope" else key
            wanted = " or ".join(repr(n) for n in needed)
            message = f"'{shown}' in rule '{name}' needs {wanted}: {_WITHOUT[key]}" \
                if key in _WITHOUT else f"'{shown}' in rule '{name}' does nothing without {wanted}"
            problem(path + (shown,), message, "warning")


def _check_lexing_options(raw: dict[str, Any], doc: YamlDocument,
                          definition: LanguageDefinition, problem: Callable[..., None]) -> None:
    """ParserCraft's ``comments`` and ``skip_whitespace``: the tokens come from the
    definition's lexer, so a comment pattern it does not know is a warning."""
    root: Path = ("grammar",)
    if raw.get("skip_whitespace") is False:
        problem(root + ("skip_whitespace",), "whitespace and newlines are always skipped "
                "between tokens; 'skip_whitespace: false' has no effect", "warning")
    comments = raw.get("comments")
    if comments is None:
        return
    if not isinstance(comments, list):
        problem(root + ("comments",), "'grammar.comments' must be a list of patterns")
        return
    fold = not definition.lexical.case_sensitive
    known = {m.lower() if fold else m for m in definition.lexical.line_comments}
    for i, pattern in enumerate(comments):
        marker = _comment_marker(pattern) if isinstance(pattern, str) else None
        if marker is None or (marker.lower() if fold else marker) not in known:
            problem(root + ("comments", i), f"comment pattern {pattern!r} is not one of the "
                    "definition's line comment markers; add it to the lexical comments "
                    "to have it skipped", "warning")


def _comment_marker(pattern: str) -> str | None:
    """``'.*`` -> ``'`` and ``REM\\b.*`` -> ``REM``: a line comment's opening marker."""
    match = re.fullmatch(r"(.+?)(?:\\b)?\.\*", pattern)
    if match is None:
        return None
    marker = re.sub(r"\\(.)", r"\1", match.group(1))
    return None if any(c in marker for c in "[](){}|*+?") else marker


# ---------------------------------------------------------------- analysis

def walk(expr: Expr) -> list[Expr]:
    """Every element of ``expr``, itself first."""
    out = [expr]
    for item in expr.items:
        out.extend(walk(item))
    return out


def nullable_rules(spec: GrammarSpec) -> dict[str, bool]:
    """Which rules can match without consuming a token (a fixed point)."""
    table = {p.name: False for p in spec.rules}
    changed = True
    while changed:
        changed = False
        for production in spec.rules:
            if not table[production.name] and nullable(production.expr, table):
                table[production.name] = True
                changed = True
    return table


def nullable(expr: Expr, rules: dict[str, bool]) -> bool:
    op = expr.op
    if op in (LIT, CLASS):
        return expr.text in ZERO_WIDTH_CLASSES and op == CLASS
    if op == RULE:
        return rules.get(expr.text, False)
    if op == SEQ:
        return all(nullable(e, rules) for e in expr.items)
    if op == CHOICE:
        return any(nullable(e, rules) for e in expr.items)
    if op in (OPT, STAR, NOT, AND):
        return True
    return nullable(expr.items[0], rules)  # PLUS, SEP


def left_calls(expr: Expr, rules: dict[str, bool]) -> set[str]:
    """Rules that ``expr`` may call at the position where it starts."""
    op = expr.op
    if op == RULE:
        return {expr.text}
    if op == SEQ:
        found: set[str] = set()
        for element in expr.items:
            found |= left_calls(element, rules)
            if not nullable(element, rules):
                break
        return found
    if op == SEP:
        return left_calls(expr.items[0], rules)
    found = set()
    for element in expr.items:
        found |= left_calls(element, rules)
    return found


def argument_rules(spec: GrammarSpec) -> frozenset[str]:
    """The rules whose node is a call's argument list: those annotated ``arguments``, and
    the rules a ``call`` rule ends with (its last child node is what name resolution
    reads the arguments from). Signature help finds the argument list of a call the
    grammar does not annotate (``string.rep(`` after a member part) by these."""
    found = {p.name for p in spec.rules if p.meaning.arguments}
    for production in spec.rules:
        if production.meaning.call:
            found |= _tail_rules(production.expr)
    return frozenset(found)


def member_separators(spec: GrammarSpec) -> frozenset[str]:
    """The literals a member part starts with (``.`` of ``'.' IDENT``, ``:`` of
    ``':' IDENT arguments``): what stands between a receiver and its member's name."""
    return frozenset().union(*(_head_literals(p.expr) for p in spec.rules
                               if p.meaning.member))


def method_libraries(spec: GrammarSpec) -> dict[str, str]:
    """The literal a method call's member part starts with -> the builtin library whose
    function it calls with the receiver first: the ``method`` part and ``methods`` of an
    ``index`` construct (Lua's ``s:rep(2)``, ``string.rep(s, 2)``)."""
    rules = {p.name: p for p in spec.rules}
    found: dict[str, str] = {}
    for production in spec.rules:
        run = production.run
        if run is None or run.construct != "index" or not run.methods:
            continue
        for selector in run.part("method"):
            for step in selector:
                method = rules.get(step.rule) if step.kind == "rule" else None
                for literal in _head_literals(method.expr) if method is not None else ():
                    found[literal] = run.methods
    return found


def _head_literals(expr: Expr) -> set[str]:
    if expr.op == LIT:
        return {expr.text}
    if expr.op == SEQ and expr.items:
        return _head_literals(expr.items[0])
    if expr.op == CHOICE:
        return set().union(*(_head_literals(e) for e in expr.items))
    return set()


def _tail_rules(expr: Expr) -> set[str]:
    """The rules ``expr`` can end with as its last element (through choices and
    optional parts, not into other rules)."""
    if expr.op == RULE:
        return {expr.text}
    if expr.op == SEQ and expr.items:
        return _tail_rules(expr.items[-1])
    if expr.op in (CHOICE, OPT):
        return set().union(*(_tail_rules(e) for e in expr.items))
    return set()


def check_grammar(spec: GrammarSpec, definition: LanguageDefinition, report: Report) -> bool:
    """Report the grammar's problems; True when none is an error."""
    errors = 0

    def error(message: str, where: Expr | Production, severity: str = "error") -> None:
        nonlocal errors
        errors += severity == "error"
        report(message, where.line, where.column, severity)

    names = {p.name for p in spec.rules}
    seen: set[str] = set()
    for production in spec.rules:
        if production.name in seen:
            error(f"rule '{production.name}' is defined twice", production)
        seen.add(production.name)
    rules = nullable_rules(spec)
    for production in spec.rules:
        for element in walk(production.expr):
            if element.op == RULE and element.text not in names:
                error(f"unknown rule '{element.text}' in rule '{production.name}'", element)
            elif element.op in LOOPS and _loop_body_nullable(element, rules):
                error(f"the loop in rule '{production.name}' can repeat without consuming "
                      "input (its body can match empty)", element)
            elif element.op == LIT and not producible(definition, element.text):
                error(f"the lexer never produces {element.text!r} as one token, so this "
                      f"literal in rule '{production.name}' can never match"
                      + _why_unproducible(definition, element.text), element)
    for production in spec.rules:
        meaning = production.meaning
        if meaning.writes and not (meaning.declares or meaning.assigns) \
                and "IDENT" not in _leading_classes(spec, production, rules):
            error(f"'writes' in rule '{production.name}' marks the name its node starts "
                  "with, but the rule never starts with a name (IDENT): annotate the rule "
                  "of the target instead", production, "warning")
    _check_receivers(spec, error)
    reachable = _reachable(spec)
    for production in spec.rules:
        if production.name not in reachable:
            error(f"rule '{production.name}' is unreachable from the start rule "
                  f"'{spec.start}'", production, "warning")
    for cycle in _left_recursion(spec, rules):
        first = spec.rule(cycle[0])
        assert first is not None
        error("left recursion: " + " -> ".join(cycle + [cycle[0]])
              + " (rewrite it as a repetition: a (op a)*)", first)
    return errors == 0


def _leading_classes(spec: GrammarSpec, production: Production, rules: dict[str, bool]
                     ) -> set[str]:
    """The token classes a rule's node can start with (through the rules it starts
    with)."""
    found: set[str] = set()
    seen: set[str] = set()
    todo = [production.expr]
    while todo:
        expr = todo.pop()
        for element in _at_start(expr, rules):
            if element.op == CLASS:
                found.add(element.text)
            elif element.op == RULE and element.text not in seen:
                seen.add(element.text)
                called = spec.rule(element.text)
                if called is not None:
                    todo.append(called.expr)
    return found


def _at_start(expr: Expr, rules: dict[str, bool]) -> list[Expr]:
    """The rule references and token elements ``expr`` may match first (``left_calls``
    for tokens too)."""
    if expr.op in (RULE, CLASS, LIT):
        return [expr]
    if expr.op in (NOT, AND):
        return []
    if expr.op == SEQ:
        found: list[Expr] = []
        for element in expr.items:
            found += _at_start(element, rules)
            if not nullable(element, rules):
                break
        return found
    if expr.op == SEP:
        return _at_start(expr.items[0], rules)
    return [e for item in expr.items for e in _at_start(item, rules)]


def _loop_body_nullable(expr: Expr, rules: dict[str, bool]) -> bool:
    if expr.op == SEP:
        return nullable(expr.items[0], rules) and nullable(expr.items[1], rules)
    return nullable(expr.items[0], rules)


def _reachable(spec: GrammarSpec) -> set[str]:
    found: set[str] = set()
    todo = [spec.start]
    while todo:
        name = todo.pop()
        production = spec.rule(name)
        if name in found or production is None:
            continue
        found.add(name)
        todo.extend(e.text for e in walk(production.expr) if e.op == RULE)
    return found


def _left_recursion(spec: GrammarSpec, rules: dict[str, bool]) -> list[list[str]]:
    """Each cycle of rules that call each other without consuming a token, once."""
    graph = {p.name: sorted(left_calls(p.expr, rules) & set(rules)) for p in spec.rules}
    cycles: list[list[str]] = []
    reported: set[str] = set()
    for name in graph:
        if name in reported:
            continue
        path = _cycle_from(name, graph)
        if path is not None:
            cycles.append(path)
            reported.update(path)
    return cycles


def _cycle_from(start: str, graph: dict[str, list[str]]) -> list[str] | None:
    """A path start -> ... -> start in ``graph`` (iterative depth-first search)."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    visited: set[str] = set()
    while stack:
        node, path = stack.pop()
        for target in graph.get(node, []):
            if target == start:
                return path
            if target not in visited:
                visited.add(target)
                stack.append((target, path + [target]))
    return None


def _why_unproducible(definition: LanguageDefinition, text: str) -> str:
    """What to do about a literal ``producible`` refuses, for the error's end."""
    from .model import BASE_PUNCTUATION  # the model imports this module's types
    lexical = definition.lexical
    fold = not lexical.case_sensitive
    folded = text.lower() if fold else text
    marker = next((c for c in lexical.line_comments
                   if folded.startswith(c.lower() if fold else c)), None)
    if marker is not None:
        return (f": {marker!r} starts a line comment (lexical.line_comments is "
                f"{list(lexical.line_comments)}; ['#'] when the lexical section does not "
                "list any: write 'line_comments: []' for none)")
    if not text[:1].isalnum() and text[:1] != "_":
        return (": a symbol is one token only when it is an operator, a keyword's "
                "spelling, one of the structure's symbols (assignment, separators) or "
                f"fixed punctuation ({' '.join(BASE_PUNCTUATION)}): list it under "
                "'operators'")
    return ""


def producible(definition: LanguageDefinition, text: str) -> bool:
    """Can the definition's lexer produce ``text`` as one whole token?"""
    lexical = definition.lexical
    fold = not lexical.case_sensitive
    folded = text.lower() if fold else text
    if any((c.lower() if fold else c) == folded for c in lexical.line_comments):
        return False  # a comment marker starts a comment, never a token
    if re.fullmatch(lexical.identifier, text):
        return True
    if any(re.fullmatch(n, text) for n in lexical.numbers):
        return True
    if text in definition.punctuation():
        return True
    return any(text == s for spellings in definition.keywords.values() for s in spellings)


# ---------------------------------------------------------------- default meanings

def infer_meanings(spec: GrammarSpec, definition: LanguageDefinition) -> GrammarSpec:
    """Meanings for a grammar without annotations, from the shape of each rule and the
    definition's keyword concepts: ``LET x =``, ``x =`` and an input statement's name
    declare-or-assign a variable, ``CONST x`` declares a constant, ``FOR x`` a loop
    variable, ``name ':'`` a label, ``FUNCTION name`` a function with its own scope,
    ``PROGRAM name`` the program, ``IMPORT name`` a module; a rule holding a list of the
    start rule's items is a block."""
    concept = _concept_of(definition)
    assignment = {definition.structure.assignment, "="}
    item = _item_rule(spec)
    out = []
    for production in spec.rules:
        elements = production.expr.items if production.expr.op == SEQ else (production.expr,)
        meaning = _shape_meaning(elements, concept, assignment)
        if item and any(e.op in LOOPS and e.items[0].op == RULE and e.items[0].text == item
                        for e in walk(production.expr)) and production.name != spec.start:
            meaning = replace(meaning, block=True)
        out.append(replace(production, meaning=meaning))
    return replace(spec, rules=tuple(out), inferred=True)


def _shape_meaning(elements: tuple[Expr, ...], concept: Callable[[str], str],
                   assignment: set[str]) -> Meaning:
    first = elements[0]
    second = elements[1] if len(elements) > 1 else None
    name_follows = second is not None and second.op == CLASS and second.text == "IDENT"
    if first.op == LIT and name_follows:
        word = concept(first.text)
        if word in ("let", "var", "dim"):
            return Meaning(assigns="variable")
        if word == "const":
            return Meaning(declares="constant")
        if word == "for":
            return Meaning(assigns="loop_variable")
        if word in ("function", "procedure"):
            return Meaning(declares=word, scope=True)
        if word == "program":
            return Meaning(declares="program")
        if word == "import":
            return Meaning(declares="module")
    if first.op == LIT and concept(first.text) == "input" and any(
            e.op == CLASS and e.text == "IDENT" for e in elements):
        return Meaning(assigns="variable")  # ASK "prompt", name: reads into a variable
    if first.op == CLASS and first.text == "IDENT" and second is not None \
            and second.op == LIT:
        if second.text in assignment:
            return Meaning(assigns="variable")
        if second.text == ":" and len(elements) == 2:
            return Meaning(declares="label")
    return Meaning()


def _concept_of(definition: LanguageDefinition) -> Callable[[str], str]:
    fold = not definition.lexical.case_sensitive
    table: dict[str, str] = {}
    for name, spellings in definition.keywords.items():
        for spelling in spellings:
            table.setdefault(spelling.lower() if fold else spelling, name)
    return lambda text: table.get(text.lower() if fold else text, "")


def _item_rule(spec: GrammarSpec) -> str:
    """The rule the start rule repeats (a file's items), or ''."""
    start = spec.rule(spec.start)
    if start is None:
        return ""
    elements = start.expr.items if start.expr.op == SEQ else (start.expr,)
    for element in elements:
        if element.op in LOOPS and element.items[0].op == RULE:
            return element.items[0].text
    return ""


def attach_grammar(definition: LanguageDefinition, doc: YamlDocument, source: str,
                   problems: list[DefinitionProblem]) -> LanguageDefinition:
    """The loader's hook: ``definition`` with its grammar, problems appended."""
    def report(message: str, line: int, column: int, severity: str) -> None:
        problems.append(DefinitionProblem(message, line, column, severity, "grammar"))

    spec = read_grammar(doc, source, definition, report)
    return definition if spec is None else replace(definition, grammar=spec)
