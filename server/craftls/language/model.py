"""The language definition model: what the lexer, parser, semantics and
formatter know about a language. Immutable; built by ``loader`` from YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .grammar_extension import GrammarExtension
    from .grammar_spec import GrammarSpec

# punctuation every language's lexer knows, whatever its operators
BASE_PUNCTUATION = ("(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "..")


class BlockStyle(StrEnum):
    BRACES = "braces"
    BEGIN_END = "begin_end"
    KEYWORD_TERMINATED = "keyword_terminated"
    INDENTATION = "indentation"


class StatementSeparation(StrEnum):
    NEWLINE = "newline"
    SEPARATOR = "separator"
    TERMINATOR = "terminator"


class Associativity(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    NONE = "none"


@dataclass(frozen=True)
class StringRule:
    """A kind of string literal: its delimiter, escapes, prefix and whether it spans lines."""

    delimiter: str
    escape: str = "backslash"  # backslash | doubled | none
    multiline: bool = False
    # a letter that, after the escape character, also skips the whitespace that follows,
    # line breaks included (Lua's \z); only with backslash escapes
    whitespace_escape: str = ""
    prefix: str = ""  # written before the delimiter, in any case (a raw string's r)
    # the line's end closes the string too: QBasic's PRINT "Hello is PRINT "Hello"
    line_end_closes: bool = False
    # a quoted word: no closing delimiter, the string ends before a blank, a line break or
    # one of these characters (Logo's "count, ending at a bracket); None: a closed string
    ends_at: str | None = None
    # what may follow the backslash (a regular expression, matched at the character after
    # it): any other escape is an error at its place (Lua 5.4's "invalid escape
    # sequence"); empty: every escape is taken
    escapes: str = ""


@dataclass(frozen=True)
class BlockComment:
    """A comment between ``open`` and ``close``, nested or not; ``close_pattern``, when
    given, is the regular expression that ends it instead of ``close`` (Pascal's
    skipped ``{$ELSE`` branch ends at ``{$ENDIF}``, ``{$ENDIF NAME}`` or Delphi's
    ``{$IFEND}``); ``close`` stays its closer for editors and messages."""

    open: str
    close: str
    nested: bool = False
    close_pattern: str = ""
    # the opener of an inner pair the comment skips whole (a regular expression): the
    # closer ends the comment only outside such pairs, up to ``INNER_DEPTH`` deep
    # (a skipped ``{$ELSE`` branch holding ``{$IFDEF} ... {$ENDIF}``)
    inner_open_pattern: str = ""


@dataclass(frozen=True)
class LexicalMode:
    """Lexical changes a text chooses by a directive in it (Free Pascal's ``{$mode
    objfpc}`` nests ``{ }`` comments): a text in which ``directive`` matches is lexed
    with the block comments opened by ``nested_comments`` nesting. A ``name`` lets
    ``lexical.default_mode`` (or a user's setting) choose the mode of a text in which no
    directive matches."""

    directive: str
    nested_comments: tuple[str, ...] = ()
    # the identifier pattern in such a text (FreeBASIC's `name_` at a line's end is a
    # name, where QB64 reads the '_' as a line continuation); empty: the usual one
    identifier: str = ""
    name: str = ""
    # files of these extensions (".lpr") with no directive are in this mode, unless the
    # user chose a mode (``syntax.lexer.for_file``)
    extensions: tuple[str, ...] = ()
    # routines of one name in one scope need no ``overload`` node in a text of this
    # mode (Free Pascal's fpc and objfpc modes; Delphi's and Turbo Pascal's do)
    overloading: bool = False
    # a routine written with an empty argument list as a whole argument of another call
    # (`Subscribe(OnEnter())`) may be passed itself, a procedural value, not called
    # (Free Pascal's delphi mode): its argument count is not checked there
    empty_call_value: bool = False


@dataclass(frozen=True)
class Conditionals:
    """``lexical.conditionals``: conditional compilation the lexer decides (Pascal's
    ``{$IFDEF FPC}``). A first branch whose condition is known false (``if_defined`` on
    a name of ``undefined``, ``if_undefined`` on one of ``defined``) is one comment up to
    and with the ``branch_end`` that ends it outside inner conditionals (``inner_open``
    ... ``inner_close``), so the branch after it is read; any other first branch is
    read. The directive patterns hold ``{name}`` where the name stands. ``define`` and
    ``undefine`` are the directives that define and undefine a name in the text
    (``{$DEFINE X}``): a name they give one known value at every conditional that tests
    it counts as defined or undefined there (``syntax.conditionals``); ``branch_else``
    is the ``branch_end`` that reads the rest when the condition is false (``{$ELSE}``,
    not ``{$ELSEIF}``)."""

    defined: tuple[str, ...] = ()
    undefined: tuple[str, ...] = ()
    if_defined: tuple[str, ...] = ()
    if_undefined: tuple[str, ...] = ()
    branch_end: str = ""
    inner_open: str = ""
    inner_close: str = ""
    define: tuple[str, ...] = ()
    undefine: tuple[str, ...] = ()
    branch_else: str = ""


@dataclass(frozen=True)
class LongBrackets:
    """Levelled brackets (Lua's ``[[...]]``, ``[==[...]==]``): ``open``, any number of
    ``level`` characters, ``open`` again; closed by ``close``, as many ``level``
    characters, ``close``. A string with no escapes that may span lines; after the
    ``comment`` marker, a block comment."""

    open: str = "["
    close: str = "]"
    level: str = "="
    comment: str = ""


# what a tag of an annotation comment says (``lexical.doc_comments``): the type of a
# parameter, a function's result, a class (its name and base), a field of the class
# named last, the type of the declared variable, a type alias
DOC_MEANINGS = ("parameter", "result", "class", "field", "type", "alias")


@dataclass(frozen=True)
class DocTag:
    """One tag of annotation comments: ``pattern`` (a regex matched at the start of the
    comment's text after the marker, with the groups ``name``, ``type``, ``base`` as
    ``means`` needs them) and what a line it matches means (``DOC_MEANINGS``)."""

    pattern: str
    means: str


@dataclass(frozen=True)
class DocComments:
    """Annotation comments (LuaLS/EmmyLua's ``---@param x string``): line comments that
    begin with ``marker``; a run of them describes the declaration right after it. A line
    no tag matches is description (or an unknown tag: never an error)."""

    marker: str
    tags: tuple[DocTag, ...] = ()


@dataclass(frozen=True)
class Lexical:
    """How the text is cut into tokens: case, identifiers, numbers, strings, comments."""

    case_sensitive: bool = True
    identifier: str = r"[^\W\d]\w*"
    numbers: tuple[str, ...] = (r"\d+\.\d+(?:[eE][+-]?\d+)?", r"\d+")
    strings: tuple[StringRule, ...] = (StringRule('"'),)
    line_comments: tuple[str, ...] = ("#",)
    block_comments: tuple[BlockComment, ...] = ()
    # text between ``open`` and ``close`` on one line that is a string, not a comment,
    # though a block comment's opener starts it (Free Pascal's {$I %DATE%}): tried first
    directive_strings: tuple[BlockComment, ...] = ()
    line_continuation: str = ""  # a marker at the end of a line joins it to the next (BASIC _)
    # a marker that may begin the line a continuation joins, after its blanks (Fortran's
    # `&` at both ends: `"abc&` then `&def"`); part of the line break, as the first one
    continuation_resume: str = ""
    # a line break inside ( ) [ ] { } is no line break for a grammar's NEWLINE, INDENT
    # and DEDENT (Python's implicit line joining)
    brackets_join_lines: bool = False
    long_brackets: LongBrackets | None = None  # levelled long strings and comments (Lua)
    first_line_comment: str = ""  # a file's first line opened by it is a comment (#! lines)
    # a keyword written right before this marker and a name is the first part of one
    # name token with them (QB64's String.concat$): '' for none
    keyword_name_joiner: str = ""
    # changes a directive in the text switches on, the first mode whose directive
    # matches (``syntax.lexer.lexical_mode``)
    modes: tuple[LexicalMode, ...] = ()
    # the name of the mode a text in which no mode's directive matches is lexed in
    # ('' for the definition's own lexical rules): Free Pascal's default mode nests { }
    default_mode: str = ""
    # annotation comments that give declarations types (``semantics.doc_comments``)
    doc_comments: DocComments | None = None
    # conditional compilation decided by predefined names (``Conditionals``)
    conditionals: Conditionals | None = None
    # a prefix that makes a reserved word a name and is no part of it (Delphi's &Type
    # is the name Type); the identifier pattern takes it
    name_escape: str = ""


@dataclass(frozen=True)
class Operator:
    """An operator's symbol, precedence, associativity, arity and result type."""

    symbol: str
    precedence: int
    associativity: Associativity = Associativity.LEFT
    binary: bool = True
    unary: bool = False
    result: str | None = None  # canonical result type name, for the type checker
    description: str = ""

    @property
    def is_word(self) -> bool:
        return self.symbol[:1].isalpha() or self.symbol[:1] == "_"


@dataclass(frozen=True)
class Parameter:
    """A parameter of a builtin or a protocol member."""

    name: str
    type: str = "any"
    optional: bool = False


@dataclass(frozen=True)
class Builtin:
    """A function the language provides: its parameters, arity, result and runtime operation."""

    name: str
    params: tuple[Parameter, ...] = ()
    min_args: int = 0
    max_args: int | None = None  # None: variadic
    returns: str = "any"
    description: str = ""
    implements: str | None = None  # a runtime library operation (operations.py); None: not runnable
    # the functions of a library table, called `name.member(...)` (Lua's table.concat)
    members: tuple[Builtin, ...] = ()

    def member(self, name: str) -> Builtin | None:
        return next((m for m in self.members if m.name == name), None)

    def signature(self) -> str:
        params = ", ".join(
            f"{p.name}: {p.type}" + ("?" if p.optional else "") for p in self.params
        )
        if self.max_args is None and self.params:
            params += ", ..."
        elif self.max_args is None:
            params = "..."
        return f"{self.name}({params}) -> {self.returns}"


@dataclass(frozen=True)
class ProtocolMember:
    """A method or property that a protocol asks of a type."""

    name: str
    kind: str  # method | property
    params: tuple[Parameter, ...] = ()
    returns: str = "none"
    type: str = "any"
    readonly: bool = False
    optional: bool = False
    implements: str | None = None  # a method's runtime operation; the receiver comes first


@dataclass(frozen=True)
class Protocol:
    """A named set of members a type can conform to (with the protocols it extends)."""

    name: str
    members: tuple[ProtocolMember, ...] = ()
    extends: tuple[str, ...] = ()
    type_params: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Structure:
    """How programs are built: blocks, statements, declarations, assignment and calls."""

    block_style: BlockStyle = BlockStyle.BRACES
    # which engine parses a keyword-level definition: "keywords", the keyword-level
    # parser; "template", the grammar engine through the block style's grammar template
    # (``syntax.block_templates``: the loader attaches it as the definition's grammar)
    engine: str = "keywords"
    statements: StatementSeparation = StatementSeparation.NEWLINE
    assignment: str = "="
    # statement (let x = 1 declares x) | sections (VAR x : T;) | assignment (the let
    # keyword only assigns, as BASIC's LET and TeachScript's remember: x may be set again)
    declarations: str = "statement"
    type_annotation: str = ":"  # token between a name and its type
    result_type: str = ":"  # token between a parameter list and a result type
    function_result: str = "return"  # return | name (Pascal: assign to the function's name)
    # the name a function's body calls its result by (Free Pascal's Result); "": none
    result_variable: str = ""
    block_open: str = ":"  # indentation style: token ending a block header
    program_terminator: str = ""  # e.g. "." after the final END of a Pascal program
    index_base: int = 0
    # significant digits a program writes a real with: 0, the shortest text that reads
    # back as the same number (0.30000000000000004); N, C's %.Ng and then ".0" after a
    # whole number (Lua: 14, so 0.1 + 0.2 is written 0.3 and 2^10 1024.0)
    real_digits: int = 0
    environment_complete: bool = False  # undefined names are errors, not warnings
    # a condition (if, while, until) must be a boolean: one of another known type is a
    # type error (Pascal's `if n then`), not a truth test (C's, BASIC's)
    boolean_conditions: bool = False
    # a real may be stored where an integer is declared (rounded, QBasic's I% = 2.5): the
    # numbers convert both ways; otherwise only an integer widens to a real (Pascal)
    numbers_convert: bool = False
    # an argument for a parameter passed by reference must be a variable (Pascal's var);
    # false: an expression there is passed in a temporary (QBasic, FreeBASIC's BYREF)
    by_reference_variables: bool = True
    separators: tuple[str, ...] = ()  # statement separators besides ';' (BASIC's ':')
    compound_assignments: tuple[str, ...] = ()  # +=, -= ... where the language has them
    line_numbers: bool = False  # a number starting a line labels it (GW-BASIC)
    # exact: a call of the program's own function passes exactly its parameters;
    # builtins: only builtins' counts are checked (Lua: missing arguments are nil)
    argument_counts: str = "exact"
    # error: more arguments than a routine takes is an error; warning: a warning, where
    # the language drops them when it runs (Lua: `error(msg, 2, extra)` runs)
    surplus_arguments: str = "error"
    # a type name nothing declares (and no builtin, `types` entry or module names) is
    # an undefined name as a value's is; false: type names are never reported
    undefined_types: bool = False
    # error: a name declared twice in one scope is reported; allowed: it is not (Lua's
    # `local`), and the first declaration keeps the name's uses
    redeclaration: str = "error"
    # a name ending in one of these is the same name without it where the declaration
    # fixes the type (BASIC's s$ after DIM s AS STRING, Menu for FUNCTION Menu%)
    type_marks: tuple[str, ...] = ()
    # the type of a name ending in a mark, where no declaration gives it one (QBasic's
    # a$ holds a string, n% an integer): (mark, type) pairs
    mark_types: tuple[tuple[str, str], ...] = ()
    # names that take a value on purpose left unread (Lua's and Go's `_`): never reported
    # unused
    placeholders: tuple[str, ...] = ()
    # names of ``types`` shown by their own name (as written here), not by the first name
    # of their type: Pascal's Char, a text to the checks, shown as Char
    shown_types: tuple[str, ...] = ()
    # type names the language's compiler knows that a program writes where a type goes
    # (QB64's _BYTE, FreeBASIC's Object): no undefined-name with ``undefined_types``;
    # neither typed nor shown (a value of one is of an unknown type here)
    known_types: tuple[str, ...] = ()
    # separate: labels are names of their own (a label d and a variable d are two names;
    # GOTO d finds the label); shared: one namespace with the other names
    labels: str = "shared"
    # separate: a type and a variable of one name are two names (QBasic's DIM node AS
    # Node): a type position names the type, every other the variable
    type_names: str = "shared"
    # separate: an array and a variable of one name are two (BASIC's DIM a(9) and a); a
    # declaration followed by '(' declares an array, and two declarations of one name
    # are no duplicate when one is an array and the other not; shared: one name
    arrays: str = "shared"
    # the globals a file assigns (`global: true` rules) are known in every file of the
    # workspace (Lua's `Foo = {}` in one file, `Foo.bar()` in another)
    workspace_globals: bool = False
    # folder: the top-level names a file declares are known in the other files of its
    # folder that name the same package (Go's package spans its folder)
    package_scope: str = "file"
    # between a value and the name of its method in a call (Lua's obj:m()): completion
    # after it offers the methods known for the value
    method_separator: str | None = None
    # a variable of this name the file declares (Lua's `local _ENV = M`, a parameter
    # `_ENV`) holds the names no declaration binds where it is visible: no undefined name
    environment_variable: str | None = None
    # the name of the table holding the globals (Lua's `_G`): a function of a file called
    # with it as an argument (`populate(_G)`) makes globals of the fields it assigns to
    # that parameter (`ns.class = ...`), known in the workspace's other files
    globals_table: str | None = None
    # a call `f(obj, mt)` that gives obj the metatable mt (Lua's setmetatable): after
    # `obj:` completion offers mt's methods, or those of mt's ``metatable_index`` field
    # (`setmetatable(o, {__index = Class})`)
    metatable_call: str | None = None
    metatable_index: str | None = None
    # a call `f("a.b")` that loads a module file (Lua's require): a variable it
    # initialises has the methods and fields of the table the module file returns; the
    # file is looked for by ``module_paths`` ("?" the name, its dots folders) in the
    # importing file's folder and each folder above it
    module_call: str | None = None
    module_paths: tuple[str, ...] = ()
    # the names of a class library's functions and methods whose call makes a class
    # (`class("C", Base)`, `Base:extend()`): the value has the methods of the call's
    # receiver (called as a method) and of its arguments that are names
    class_calls: tuple[str, ...] = ()
    # the names of a class library's methods whose call gives a class the functions of
    # other tables, its arguments that are names (`C:implement(Polygon)`, `C:include(M)`)
    mixin_calls: tuple[str, ...] = ()
    key_value: str = ":"  # between a key and its value in a map literal ({k: v})
    index_open: str = "["  # "(": a(i) indexes a (BASIC) when a holds an array, text or map
    # a newline-separated statement may call a function without parentheses (puts "hi")
    parentheses_required: bool = False
    # False: an indentation language declares a function by NAME(PARAMS): BODY too
    function_keyword_required: bool = True
    # False: a keyword-terminated block whose closing keyword is left out ends at the
    # first line indented no deeper than its header
    block_end_required: bool = True
    # modules the language's runtime provides (Pascal's System, Crt, Dos): importing one
    # needs no file in the workspace
    standard_modules: tuple[str, ...] = ()
    # the standard modules every file uses without naming them (Pascal's System): the
    # first part of a qualified type name that is another standard module's name names
    # a module only where the file imports it (``undefined_types``)
    implicit_modules: tuple[str, ...] = ()
    # patterns (one per line at most, anchored with ^ in MULTILINE mode) whose first group
    # names a file this one includes (QB64's '$INCLUDE: 'lib.bi''): the names that file
    # declares in its file scope are known here
    includes: tuple[str, ...] = ()
    # files the compiler ships (FreeBASIC's fbgfx.bi, crt/string.bi; shell patterns, in any
    # case, `\\` read as `/`): an include of one is not looked for and warns of nothing
    shipped_includes: tuple[str, ...] = ()
    # the library headers the compiler ships (FreeBASIC's windows.bi, crt/*, sdl2/*), whose
    # names craftls does not know: an include of one is no warning either, but any name may
    # come from it, so none is reported undefined in the file (a hint at the include says so)
    library_includes: tuple[str, ...] = ()
    # patterns (as ``includes``) whose first group names a library the compiler's
    # installation ships and a metacommand pulls in (QB64-PE's $USELIBRARY:'a740g/QBDS'):
    # no file is looked for; as for ``library_includes``, no name is reported undefined
    library_uses: tuple[str, ...] = ()
    # words written right after a marker that completion offers there (QB64's $CONSOLE at
    # a line's start, QuickBASIC's '$DYNAMIC in a comment, Pascal's {$MODE})
    metacommands: Metacommands | None = None
    # the mark an unmarked name that no declaration types has, by its first letter
    # (QBasic's DEFINT A-Z): see ``ImplicitTypes``
    implicit_types: ImplicitTypes | None = None
    # the globals a host program provides (LÖVE's love, a test runner's describe/it): known
    # in every file, or only in the files whose path matches one of ``files``
    host_globals: tuple[HostGlobals, ...] = ()


@dataclass(frozen=True)
class HostGlobals:
    """One entry of ``structure.host_globals``: the host's name, the globals it provides
    and (shell patterns on a file's path, ``*`` crossing folders) the files it runs; no
    patterns: every file; ``marks``: names only the host gives (RGP Lua's ``finenv``), one of
    which a file writes for the host's names to be known in it; ``members``: what
    completion offers after one of its names (``vim.``) or a member path (``vim.api.``);
    ``descriptions``: what hover shows for a name or a listed member."""

    host: str
    names: tuple[str, ...]
    files: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()
    # the members of a name, or of a member of one, that completion offers after it:
    # (`vim`, (api, fn, ...)), (`vim.api`, (nvim_buf_get_lines, ...))
    members: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # what hover says of a name or a listed member: (`love.graphics.print`, "Draws text")
    descriptions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Metacommands:
    """``structure.metacommands``: (word, description) pairs offered after ``marker``
    right after a comment's opening (``in_comments``: `'$`, `REM $`, `{$`) or with only
    blanks before it on its line (``at_line_start``: QB64's `$NOPREFIX`)."""

    marker: str = "$"
    in_comments: tuple[tuple[str, str], ...] = ()
    at_line_start: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ImplicitTypes:
    """``structure.implicit_types``: the ``type_marks`` mark an unmarked name has where no
    declaration gives it a type (QBasic: ``default`` SINGLE, so `x` and `x!` are one
    variable), and the statements that set it for names by their first letter
    (``statements``: DEFINT A-Z -> "%"; ``define``: QB64's _DEFINE A-Z AS LONG, the type
    after AS one of ``define_types``)."""

    default: str = ""
    statements: tuple[tuple[str, str], ...] = ()
    define: tuple[str, ...] = ()
    define_types: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FormatStyle:
    """The formatter's defaults: indentation, keyword case, spacing, blank lines."""

    indent_width: int = 4
    keyword_case: str = "preserve"  # upper | lower | preserve
    spaces_around_operators: bool = True
    max_blank_lines: int = 1
    space_after_comma: bool = True


@dataclass(frozen=True)
class LanguageDefinition:
    """A whole language: what the lexer, parser, semantics, types and formatter read."""

    id: str
    name: str
    version: str = "1.0"
    description: str = ""
    extensions: tuple[str, ...] = ()
    lexical: Lexical = field(default_factory=Lexical)
    # canonical concept -> surface spellings (first is the preferred one)
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keyword_categories: dict[str, str] = field(default_factory=dict)
    keyword_docs: dict[str, str] = field(default_factory=dict)
    operators: tuple[Operator, ...] = ()
    structure: Structure = field(default_factory=Structure)
    builtins: tuple[Builtin, ...] = ()
    types: dict[str, str] = field(default_factory=dict)  # surface type name -> canonical
    protocols: tuple[Protocol, ...] = ()
    formatting: FormatStyle = field(default_factory=FormatStyle)
    source_path: str | None = None
    grammar: GrammarSpec | None = None  # productions that define the language's syntax
    # productions that add forms to the keyword-level language (``grammar.extends``)
    grammar_extension: GrammarExtension | None = None
    # a spelling two concepts share lexes as the first concept's keyword; here are the
    # spellings that also mean another concept where the parser expects that one
    shared_spellings: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __hash__(self) -> int:  # definitions are compared by identity of their content id
        return hash((self.id, self.version, self.source_path))

    @property
    def keyword_level(self) -> bool:
        """Defined at the keyword level (its block style, no grammar of its own), whichever
        engine serves it: ``structure.engine: template`` gives it its block style's grammar
        template, which still only spells what the keyword level knows."""
        return self.grammar is None or self.structure.engine == "template"

    def spelling(self, concept: str) -> str | None:
        """The preferred surface spelling of a keyword concept, if the language has it."""
        spellings = self.keywords.get(concept) or self.shared_spellings.get(concept)
        return spellings[0] if spellings else None

    def has(self, concept: str) -> bool:
        return concept in self.keywords or concept in self.shared_spellings

    def punctuation(self) -> frozenset[str]:
        """Every symbol the lexer makes a punctuation token of: the base set, the
        structure's symbols, the symbolic operators and symbolic keyword spellings."""
        punct = set(BASE_PUNCTUATION)
        structure = self.structure
        for symbol in (structure.assignment, structure.type_annotation, structure.result_type,
                       structure.block_open, structure.program_terminator):
            if symbol and not symbol[:1].isalpha():
                punct.add(symbol)
        for op in self.operators:
            if not op.is_word:
                punct.add(op.symbol)
        punct.update(s for s in structure.separators + structure.compound_assignments
                     if s and not s[:1].isalpha())
        for spellings in self.keywords.values():
            for s in spellings:
                if not (s[:1].isalpha() or s[:1] == "_"):
                    punct.add(s)  # symbolic keywords lex as punctuation, then map to keywords
        return frozenset(punct)

    def builtin(self, name: str) -> Builtin | None:
        key = name if self.lexical.case_sensitive else name.lower()
        return self._builtin_index.get(key)

    @cached_property
    def _builtin_index(self) -> dict[str, Builtin]:
        """Builtins by (folded) name, the first of a name winning: asked for every name
        that is not declared, and a Python-family config has some 150 builtins."""
        index: dict[str, Builtin] = {}
        fold = not self.lexical.case_sensitive
        for b in self.builtins:
            index.setdefault(b.name.lower() if fold else b.name, b)
        # a library's function by its qualified name (`InOut.WriteString`): what a name
        # imported alone from the library refers to (``semantics.imported_names``)
        for b in self.builtins:
            for m in b.members:
                qualified = f"{b.name}.{m.name}"
                index.setdefault(qualified.lower() if fold else qualified, m)
        return index
