"""Block styles as grammar templates (issue 13: "the built-in block styles should become
grammar templates"): a keyword-level definition (a ``block_style`` with its keywords,
operators, statement separation, declarations) written out as the equivalent
grammar-defined one, in the grammar notation of ``grammar_spec`` and with its meaning
annotations, so that the PEG engine and the grammar meaning walk serve it.

One template per block style, filled from the definition's data: each construct is in
the grammar only when the definition has the keywords it starts with, each literal is the
keyword's first spelling (a keyword literal matches all of its spellings), and the
expression levels are the keyword-level parser's own operator table
(``syntax.grammar.grammar_for``), so both parsers agree on precedence by construction.

``craftls language grammar DEF`` prints the result (``eject``): the definition an author
takes over when a language outgrows the keyword level. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..language.model import BlockStyle, LanguageDefinition, StatementSeparation
from .grammar import DECLARATION_CONCEPTS, JUMP_CONCEPTS, STRUCTURAL_CONCEPTS, grammar_for
from .template_runs import annotate, refactoring

Rule = str | dict[str, Any]

# the keywords the templates give a construct that the keyword level's table of
# structural concepts leaves out (they would be commands otherwise)
CONSTRUCT_WORDS = frozenset({"class", "lambda", "except", "finally"})
# a declaration section's annotations: its declarations recover as a list (a wrong one
# is one error, the ones after it stay the section's) and are lines one deeper than its
# keyword, so that a record in one closes at its declaration's depth (the keyword level's
# layout)
SECTION = {"block": True, "lines": True}


class TemplateRefused(ValueError):
    """The definition cannot be written as a grammar yet (the message says why)."""


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass
class Template:
    """The rules of one definition's grammar, built construct by construct."""

    definition: LanguageDefinition
    rules: dict[str, Rule] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    end_words: dict[str, str] = field(default_factory=dict)  # construct -> word after END

    # ------------------------------------------------------------ helpers

    @property
    def style(self) -> BlockStyle:
        return self.definition.structure.block_style

    @property
    def newline(self) -> bool:
        return self.definition.structure.statements is StatementSeparation.NEWLINE

    def has(self, concept: str) -> bool:
        return self.definition.has(concept)

    def kw(self, concept: str) -> str:
        """The literal of a keyword (its first spelling, or the spelling it shares with
        another concept's keyword: ``lambda`` spelled as ``fn``)."""
        return _quote(self.definition.spelling(concept) or concept)

    def kws(self, *concepts: str) -> str:
        """A choice of the keywords among ``concepts`` the definition has ('' if none)."""
        found = [self.kw(c) for c in concepts if self.has(c)]
        if len(found) > 1:
            return "(" + " / ".join(found) + ")"
        return found[0] if found else ""

    def same_line(self, element: str) -> str:
        """``element`` only on the current line in a newline-separated language (a
        statement there ends at the line's end, as the keyword-level parser has it)."""
        return f"!NEWLINE {element}" if self.newline else element

    def add(self, name: str, rule: Rule) -> str:
        self.rules[name] = rule
        return name

    def folded(self, match: str, **meaning: Any) -> dict[str, Any]:
        """A construct that folds as the keyword-level one does (from its first line to
        its last); the body it holds is the block its lines indent in."""
        return {"match": match, "fold": True, **meaning}

    def either(self, *symbols: str) -> str:
        """A choice of punctuation literals, each once (``:=`` or ``=``)."""
        return self.op_choice([_quote(s) for s in dict.fromkeys(symbols)])

    def or_semicolon(self, element: str) -> str:
        """``element`` or a ``;``, unless ``;`` begins a line comment (a Lisp's or an
        assembly's config): the lexer makes no ``;`` token there."""
        comments = self.definition.lexical.line_comments
        if any(";".startswith(c) for c in comments):
            return element
        return f"({element} / ';')"

    def choice(self, names: list[str]) -> str:
        return " / ".join(n for n in names if n)

    # ------------------------------------------------------------ the whole grammar

    def build(self) -> dict[str, Any]:
        structure = self.definition.structure
        if structure.line_numbers:
            raise TemplateRefused("line_numbers has no template yet")
        if structure.separators:
            self.notes.append("structure.separators is not in the template yet: only ';' "
                              "separates statements")
        if not structure.block_end_required:
            self.notes.append("block_end_required: false is not in the template yet: "
                              "every block needs its closer")
        self.expressions()
        self.types()
        if self.style is BlockStyle.INDENTATION:
            self.suite()
        statement = self.statements()
        # the file is a list of items; each block marks its list of statements `lines`,
        # so that a bad line is one error there and the list goes on (measured with
        # benchmarks.recovery: fewer cascades than a block loop repeating the file's item)
        if self.definition.structure.statements is StatementSeparation.SEPARATOR:
            statement = "statement ';'?"  # between the file's statements (a stray one)
        self.add("item", self.choice(self.top_level_items() + [statement]))
        self.end_rules()
        rules = {"file": "item*", **self.rules}
        annotate(self.definition, rules)  # what its nodes mean to types and runs
        return {"start": "file", "refactoring": refactoring(self.definition),
                "rules": rules}

    def end_rules(self) -> None:
        """One closer per construct that names itself after ``END``: ``END`` followed
        on its line by the construct's word or by none of the other constructs' words
        (``END IF`` never closes a WHILE)."""
        end = self.kw("end") if self.has("end") else ""
        for construct, word in self.end_words.items():
            others = " / ".join(w for c, w in self.end_words.items() if c != construct)
            wrong = f"!({end} {self.same_line(f'({others})')}) " if others else ""
            named = f"{end[:-1]} {word[1:]}"
            self.add(f"end_{construct}", {"match": f"{wrong}{end} ({self.same_line(word)})?",
                                          "display": named})

    # ------------------------------------------------------------ expressions

    def expressions(self) -> None:
        """One rule per precedence level of the keyword-level parser's operator table,
        loosest first; unary operators where an operand starts, a word operator's operand
        at its own level (``NOT a = b`` is ``(NOT a) = b`` when ``=`` binds looser)."""
        tables = grammar_for(self.definition)
        levels: dict[int, list[tuple[str, bool]]] = {}
        for symbol, (precedence, right) in tables.binary.items():
            levels.setdefault(precedence, []).append((self.operator(symbol), right))
        order = sorted(levels)
        names = [f"level{p}" for p in order]
        for i, precedence in enumerate(order):
            below = names[i + 1] if i + 1 < len(order) else "operand"
            # a right-associative level (``^``) is a loop too, as a left one: the tree of
            # a level is flat either way (``a ^ b ^ c`` one node), and only a loop over
            # the level below runs in the engine's one-loop climb (``peg_tables._level``);
            # ``a ^ (b ^ c)`` as a rule calling itself cost a rule call per operand
            ops = self.op_choice([op for op, _ in levels[precedence]])
            # named as the keyword-level parser names a missing operand
            self.add(names[i], {"match": f"{below} ({self.same_line(f'{ops} {below}')})*",
                                "display": "an expression"})
        # the levels are one loop in the engine (an operator level, ``!NEWLINE`` before
        # its operator or not): an operand that no operator follows costs a rule call,
        # not one per level
        # named as the levels are: an operand missing where an expression is wanted as a
        # whole (``a := ;``) is "expected an expression", as at the keyword level
        self.add("expr", {"match": names[0] if names else "operand",
                          "display": "an expression"})
        unary = []
        for symbol, precedence in sorted(tables.unary.items()):
            level = next((names[i] for i, p in enumerate(order) if p >= precedence), "operand")
            unary.append(f"{self.operator(symbol)} {level}")
        # named as the keyword-level parser names a missing operand (``-;``), as the
        # levels are
        self.add("operand", {"match": self.choice(unary + ["postfix"]),
                             "display": "an expression"})
        self.postfix(names, order)

    def operator(self, symbol: str) -> str:
        """A binary or unary operator's literal: a keyword's spelling for a word."""
        for concept, spellings in self.definition.keywords.items():
            folded = [s.lower() for s in spellings]
            if symbol in spellings or symbol in folded:
                return self.kw(concept)
        return _quote(symbol)

    def op_choice(self, ops: list[str]) -> str:
        return ops[0] if len(ops) == 1 else "(" + " / ".join(ops) + ")"

    def postfix(self, names: list[str], order: list[int]) -> None:
        literals = [self.kw(c) for c in ("true", "false", "null") if self.has(c)]
        # a number or a string is its own leaf node, a literal word gets the rule's: the
        # operand's choice names them directly (a rule call less per operand)
        primary = ["call", "IDENT", "NUMBER", "STRING"]
        if literals:
            primary.append(self.add("literal", self.choice(literals)))
        if self.has("lambda"):
            primary.append(self.lambda_expr())
        self.add("list_expr", "'[' (expr % ',')? ','? ']'")
        primary.append(self.dict_expr(names, order))
        self.add("paren_expr", "'(' expr ')'")
        self.add("arguments", "'(' (expr % ',')? ')'")
        self.add("call", {"match": f"IDENT {self.same_line('arguments')}", "call": True})
        self.add("index", "'[' expr % ',' ']'")
        self.add("member", {"match": "'.' IDENT", "member": True})
        suffix = self.same_line("(arguments / index / member)")
        self.add("postfix", f"({self.choice(primary + ['paren_expr', 'list_expr'])}) "
                            f"({suffix})*")

    def dict_expr(self, names: list[str], order: list[int]) -> str:
        """``{key: value, ...}``; a key ends before a separator that is also an operator
        (BASIC's ``=``): it is an expression of the levels that bind tighter."""
        separator = self.definition.structure.key_value
        key = "expr"
        binary = grammar_for(self.definition).binary
        if separator in binary:
            precedence = binary[separator][0]
            key = next((n for n, p in zip(names, order, strict=True)
                        if p > precedence), "operand")
        self.add("dict_entry", f"{key} {_quote(separator)} expr")
        return self.add("dict_expr", "'{' (dict_entry % ',')? ','? '}'")

    # ------------------------------------------------------------ types

    def types(self) -> None:
        forms = ["type_name"]
        self.add("type_name", {"match": "IDENT ('.' IDENT)*", "type": True})
        if self.has("array") and self.has("of"):
            self.add("array_type", f"{self.kw('array')} ('[' expr % ',' ']')? "
                                   f"{self.kw('of')} type")
            forms.insert(0, "array_type")
        if self.has("record") and self.has("end"):
            annotation = _quote(self.definition.structure.type_annotation)
            self.add("field_name", {"match": "IDENT", "declares": "field"})
            self.add("field_decl", f"field_name % ',' {annotation} type ';'?")
            # lines: its fields recover as a list (a ';' too many is one error) and are
            # lines one deeper than RECORD, as at the keyword level
            self.add("record_type", {"match": f"{self.kw('record')} field_decl* "
                                              f"{self.kw('end')}", "block": True,
                                     "lines": True})
            forms.insert(0, "record_type")
        # a type of its own, as the keyword level's LIST_TYPE: a routine's result `-> [T]`
        # is the whole `[T]` (its hover's signature), not the element type inside it
        self.add("list_type", {"match": "'[' type ']'", "type": True})
        # named as the keyword level names it: "expected a type, found ')'"
        self.add("type", {"match": self.choice(forms + ["list_type"]), "display": "a type"})

    # ------------------------------------------------------------ statements

    def statements(self) -> str:
        """The ``statement`` rule: the compound statements, then the simple ones, each
        ended as the definition's ``statements`` says."""
        compound = [self.if_stmt(), self.while_stmt(), self.for_stmt(), self.repeat_stmt(),
                    self.case_stmt(), self.routine_stmts(), self.class_stmt(),
                    self.try_stmt(), self.block_stmt()]
        simple = [self.return_stmt(), self.jump_stmt(), self.import_stmt(),
                  self.declaration_stmt(), self.command_stmt(), *self.assignments()]
        # one choice of every form, each led by its own word (or a name): the engine
        # tries only the forms the statement's first token allows, with no rule between
        # (each level of rules cost a call per statement)
        separation = self.definition.structure.statements
        if separation is StatementSeparation.NEWLINE:
            self.add("inline_statement", self.choice(compound + simple))
            self.add("statement", f"inline_statement {self.or_semicolon('NEWLINE')}")
        elif separation is StatementSeparation.TERMINATOR:
            self.add("statement", self.choice(compound + [f"({self.choice(simple)}) ';'"]))
            self.add("inline_statement", {"match": "statement", "display": "a statement"})
        else:
            self.add("statement", self.choice(compound + simple))
            # named as the keyword level names it: ``THEN`` with no statement after it
            # is "expected a statement"
            self.add("inline_statement", {"match": "statement", "display": "a statement"})
        return "statement"

    def statement_list(self) -> str:
        """What a block holds: statements, with ``;`` between them in a separator
        language (Pascal's ``BEGIN a; b END``)."""
        if self.definition.structure.statements is StatementSeparation.SEPARATOR:
            return "statement? (';' statement?)*"
        return "statement*"

    def body(self) -> str:
        """A compound statement's body: one statement (a block is one) or, in a
        keyword-terminated language, the lines up to the construct's closer, or in an
        indentation language the suite."""
        if self.style is BlockStyle.KEYWORD_TERMINATED:
            return "body"
        if self.style is BlockStyle.INDENTATION:
            return "suite"
        return "inline_statement"

    def suite(self) -> None:
        """An indented block: the opener (``:``), then the lines indented deeper than
        the line it stands on (``INDENT``: deeper than where the rule began, the opener's
        line), or one statement on the opener's line."""
        opener = _quote(self.definition.structure.block_open or ":")
        self.add("suite", {"match": f"{opener} ((INDENT statement)+ / inline_statement)",
                           "block": True, "lines": True})

    def aligned(self, clause: str) -> str:
        """A clause that continues its construct (ELSE): not on a line indented less
        than the construct's own (that one is an enclosing construct's)."""
        return f"!DEDENT {clause}" if self.style is BlockStyle.INDENTATION else clause

    def closer(self, construct: str, own: str = "") -> str:
        """How a keyword-terminated construct ends: its own closing word (``ENDIF``,
        ``WEND``) or ``END``, followed on its line by the construct's keyword."""
        forms = [self.kw(own)] if own and self.has(own) else []
        if self.has("end") and self.has(construct):
            # ``END`` alone or followed by this construct's word, never by another's
            # (``build`` writes the rule once all are known): at ``END WHILE`` an IF whose
            # ``END IF`` is missing misses it there, and the WHILE takes its own
            self.end_words[construct] = self.kw(construct)
            forms.append(f"end_{construct}")
        elif self.has("end"):
            forms.append(self.kw("end"))
        return "(" + " / ".join(forms) + ")" if len(forms) > 1 else forms[0]

    def terminated(self) -> bool:
        return self.style is BlockStyle.KEYWORD_TERMINATED

    def terminated_body(self) -> str:
        """A keyword-terminated construct's lines up to its closer."""
        return self.add("body", {"match": "statement*", "block": True, "lines": True})

    def if_stmt(self) -> str:
        if not self.has("if"):
            return ""
        then = f" {self.kw('then')}" if self.has("then") else ""
        if then and self.style is BlockStyle.INDENTATION:
            then += "?"  # the ':' opens the block; a THEN before it may stay
        if self.terminated():
            self.terminated_body()
            elifs = ""
            if self.has("elif"):
                self.add("elif_clause", {"match": f"{self.kw('elif')} expr{then} body",
                                         "fold": True})
                elifs = " elif_clause*"
            otherwise = ""
            if self.has("else"):
                self.add("else_clause", {"match": f"{self.kw('else')} body", "fold": True})
                otherwise = " else_clause?"
            self.add("if_block", f"NEWLINE body{elifs}{otherwise} "
                                 f"{self.closer('if', 'endif')}")
            inline_else = f" ({self.kw('else')} inline_statement)?" if self.has("else") else ""
            # on the line of its THEN: a statement on the next line is the block's, whose
            # END IF is then missing (an error, as at the keyword level), and a parse
            # tries one of the two forms only (nothing is parsed twice at one place)
            self.add("if_line", f"!NEWLINE inline_statement{inline_else}")
            return self.add("if_stmt", self.folded(f"{self.kw('if')} expr{then} "
                                                   "(if_block / if_line)"))
        elifs = ""
        if self.has("elif") and self.style is BlockStyle.INDENTATION:
            self.add("elif_clause", {"match": f"{self.kw('elif')} expr{then} {self.body()}",
                                     "fold": True})
            elifs = f" ({self.aligned('elif_clause')})*"
        otherwise = ""
        if self.has("else"):
            self.add("else_clause", {"match": f"{self.kw('else')} {self.body()}", "fold": True})
            otherwise = f" ({self.aligned('else_clause')})?"
        return self.add("if_stmt", self.folded(f"{self.kw('if')} expr{then} {self.body()}"
                                               f"{elifs}{otherwise}"))

    def loop_end(self, construct: str, own: str) -> str:
        return f" {self.closer(construct, own)}" if self.terminated() else ""

    def while_stmt(self) -> str:
        if not self.has("while"):
            return ""
        do = f" {self.kw('do')}" if self.has("do") else ""
        return self.add("while_stmt", self.folded(f"{self.kw('while')} expr{do} {self.body()}"
                                                  f"{self.loop_end('while', 'wend')}"))

    def for_stmt(self) -> str:
        if not self.has("for"):
            return ""
        do = f" {self.kw('do')}" if self.has("do") else ""
        self.add("loop_variable", {"match": "IDENT", "assigns": "loop_variable"})
        end = self.loop_end("for", "")
        if self.terminated() and self.has("next"):
            end = f" ({self.kw('next')} ({self.same_line('IDENT')})? /{end})"
        # brace languages scope a new loop variable to its loop (the keyword level's too)
        scoped = {"scope": True} if self.style is BlockStyle.BRACES else {}
        forms = []
        if self.has("to"):
            assign = self.either(self.definition.structure.assignment, "=")
            step = f" ({self.kw('step')} expr)?" if self.has("step") else ""
            self.add("for_count", self.folded(
                f"{self.kw('for')} loop_variable {assign} expr "
                f"{self.kws('to', 'downto')} expr{step}{do} {self.body()}{end}", **scoped))
            forms.append("for_count")
        if self.has("in"):
            self.add("for_in", self.folded(f"{self.kw('for')} loop_variable % ',' "
                                           f"{self.kw('in')} expr{do} {self.body()}{end}",
                                           **scoped))
            forms.append("for_in")
        return self.add("for_stmt", self.choice(forms)) if forms else ""

    def repeat_stmt(self) -> str:
        if not (self.has("repeat") and self.has("until")):
            return ""
        self.add("repeat_body", {"match": self.statement_list(), "block": True,
                                 "lines": True})
        return self.add("repeat_stmt", {"match": f"{self.kw('repeat')} repeat_body "
                                                 f"{self.kw('until')} expr", "fold": True})

    def case_stmt(self) -> str:
        if not (self.has("case") and self.has("of") and self.has("end")):
            return ""
        self.add("case_arm", "expr % ',' ':' statement? ';'?")
        otherwise = ""
        if self.has("else"):
            self.add("case_else", {"match": f"{self.kw('else')} {self.statement_list()}",
                                   "fold": True})
            otherwise = " case_else?"
        return self.add("case_stmt", {"match": f"{self.kw('case')} expr {self.kw('of')} "
                                               f"case_arm*{otherwise} {self.kw('end')}",
                                      "fold": True, "recover_lines": True})

    def block_stmt(self) -> str:
        if self.style is BlockStyle.BEGIN_END and self.has("begin") and self.has("end"):
            # lines: its statements recover as a list (a missing ';' is one error), and are
            # reparsed item by item as written, the loop followed by its closer
            # (``peg_tables.list_loop``: no rule of their own, so the tree every feature
            # reads keeps its shape)
            return self.add("block", {"match": f"{self.kw('begin')} {self.statement_list()} "
                                               f"{self.kw('end')}", "block": True,
                                      "lines": True})
        if self.style is BlockStyle.BRACES:
            return self.add("block", {"match": "'{' statement* '}'", "block": True,
                                      "lines": True})
        return ""

    def return_stmt(self) -> str:
        if not self.has("return"):
            return ""
        return self.add("return_stmt", f"{self.kw('return')} ({self.same_line('expr')})?")

    def jump_stmt(self) -> str:
        # a rule each: each jump is a construct of its own to run (template_runs)
        jumps = [self.add(f"{c}_stmt", self.kw(c)) for c in JUMP_CONCEPTS if self.has(c)]
        return self.add("jump_stmt", self.choice(jumps)) if jumps else ""

    def import_stmt(self) -> str:
        if not self.has("import"):
            return ""
        self.add("module_name", {"match": "IDENT ('.' IDENT)*", "declares": "module",
                                 "imports": True})
        return self.add("import_stmt", f"{self.kw('import')} module_name % ','")

    def command_stmt(self) -> str:
        """A keyword no construct gives a meaning to, at a statement's start, is a
        command with arguments (``SAY "hi"``), as the keyword-level parser reads it."""
        commands = [c for c in self.definition.keywords
                    if c not in STRUCTURAL_CONCEPTS and not self.constructs(c)]
        if not commands:
            return ""
        self.command_arguments()
        return self.add("command_stmt", f"{self.kws(*commands)} "
                                        f"({self.same_line('command_arguments')})?")

    def command_arguments(self) -> None:
        separators = self.or_semicolon("','") if self.newline else "','"
        self.add("command_arguments", {
            "match": f"expr ({separators} ({self.same_line('expr')})?)*", "arguments": True})

    # ------------------------------------------------------------ classes, exceptions

    def constructs(self, concept: str) -> bool:
        """Whether a template construct begins with (or continues at) the keyword: a
        class outside BEGIN..END (which declares classes as types, ``TYPE T = CLASS``),
        an EXCEPT or FINALLY of a TRY, a lambda."""
        if concept == "class":
            return self.style is not BlockStyle.BEGIN_END
        if concept in ("except", "finally"):
            return self.has("try")
        return concept in CONSTRUCT_WORDS

    def class_stmt(self) -> str:
        """``class NAME (BASE, ...) BODY``: a type that owns a scope, whose symbols (the
        routines of its body, its methods) are its members."""
        if not (self.has("class") and self.constructs("class")):
            return ""
        self.add("base_list", "'(' (expr % ',')? ')'")
        if self.style is BlockStyle.BRACES:
            body = "block"
        elif self.terminated():
            body = f"{self.terminated_body()} {self.closer('class', 'endclass')}"
        else:
            body = self.body()
        # no fold of its own: its block folds, as at the keyword level
        return self.add("class_decl", {
            "match": f"{self.kw('class')} IDENT ({self.same_line('base_list')})? {body}",
            "declares": "type", "scope": True})

    def try_stmt(self) -> str:
        """``try BODY (except [TYPE [as NAME]] BODY)* [finally BODY]`` in the block style
        (a keyword-terminated one ends with its ``END``); the name after ``as`` is a
        variable of the enclosing scope, declared there when it is not yet."""
        if not self.has("try"):
            return ""
        body = self.terminated_body() if self.terminated() else self.body()
        clauses = ""
        if self.has("except"):
            named = ""
            if self.has("as"):
                self.add("except_name", {"match": "IDENT", "assigns": "variable"})
                named = f" ({self.kw('as')} except_name)?"
            caught = self.same_line(f"expr{named}")
            self.add("except_clause", f"{self.kw('except')} ({caught})? {body}")
            clauses += f" ({self.aligned('except_clause')})*"
        if self.has("finally"):
            self.add("finally_clause", f"{self.kw('finally')} {body}")
            clauses += f" ({self.aligned('finally_clause')})?"
        end = f" {self.closer('try')}" if self.terminated() else ""
        # its blocks fold, it and its clauses not, as at the keyword level
        return self.add("try_stmt", f"{self.kw('try')} {body}{clauses}{end}")

    def lambda_expr(self) -> str:
        """``lambda x, y = 1: x + y``: an operand whose parameters are declared in its
        own scope (a default value is read outside, as at the keyword level)."""
        opener = _quote(self.definition.structure.block_open or ":")
        self.add("lambda_parameter", {"match": "IDENT", "declares": "parameter"})
        self.add("lambda_parameters", "(lambda_parameter ('=' expr)?) % ','")
        return self.add("lambda_expr", {
            "match": f"{self.kw('lambda')} lambda_parameters? {opener} expr", "scope": True})

    # ------------------------------------------------------------ declarations

    def declaration_stmt(self) -> str:
        """``LET x = 1``, ``DIM a(10) AS T``, ``const N = 3``: each name declared (the
        let keyword only assigns with ``declarations: assignment``)."""
        structure = self.definition.structure
        lets = [c for c in DECLARATION_CONCEPTS if self.has(c) and c != "const"]
        if structure.declarations == "sections":
            lets = [c for c in lets if c == "let"]
        forms = []
        if lets and structure.declarations == "assignment":
            # the name written declares (or writes) as an assignment without the word
            forms.append(self.add("let_stmt", f"{self.kws(*lets)} "
                                              "(name_assignment / assignment)"))
        elif lets:
            forms.append(self.declaring("let_stmt", "variable", self.kws(*lets)))
        if self.has("const") and structure.declarations != "sections":
            forms.append(self.declaring("const_stmt", "constant", self.kw("const")))
        return self.choice(forms)

    def declaring(self, name: str, kind: str, words: str) -> str:
        structure = self.definition.structure
        target = self.add(f"{kind}_name", {"match": "IDENT", "declares": kind})
        bounds = f" ({self.same_line('arguments')})?"
        annotation = f" ({_quote(structure.type_annotation)} type)?"
        value = self.same_line(f"{self.either(structure.assignment, '=')} expr")
        return self.add(name, f"{words} {target}{bounds} (',' {target}{bounds})*{annotation}"
                              f" ({value})?")

    def assignments(self) -> list[str]:
        """``x = 1``: a write of a declared name, or its declaration where assignments
        declare (``declarations: assignment``, or no declaring keyword at all); the
        statement forms a name or an expression leads, in the order they are tried."""
        structure = self.definition.structure
        declaring = structure.declarations == "assignment" or not any(
            self.has(c) for c in DECLARATION_CONCEPTS)
        meaning = {"assigns": "variable"} if declaring else {"writes": True}
        symbols = [structure.assignment, *structure.compound_assignments]
        if structure.assignment != "=" and "=" not in symbols \
                and "==" in grammar_for(self.definition).binary:
            symbols.append("=")
        assign = self.op_choice([_quote(s) for s in symbols])
        self.add("name_assignment", {"match": f"IDENT {assign} expr", **meaning})
        self.add("assignment", f"postfix {assign} expr")
        self.add("expr_stmt", "expr")
        if not self.newline_calls():
            return ["name_assignment", "assignment", "expr_stmt"]
        self.add("binary_operator", self.choice(self.binary_literals()))
        self.command_arguments()
        self.add("bare_call", {"match": "IDENT !'(' !'[' " + self.same_line(
            "!binary_operator command_arguments"), "call": True})
        # ``PRINT x`` is tried before ``a(i) = 1`` parses its target in vain: no name
        # with arguments can be an assignment too, unless an assignment's symbol or the
        # member dot can start an operand (a unary operator), nor ``x = 1`` a bare call
        unary = grammar_for(self.definition).unary
        if any(s in unary for s in (*symbols, ".")):
            return ["name_assignment", "assignment", "bare_call", "expr_stmt"]
        return ["name_assignment", "bare_call", "assignment", "expr_stmt"]

    def newline_calls(self) -> bool:
        """A name with arguments and no parentheses is a call (``PRINT a; b``)."""
        return self.newline and not self.definition.structure.parentheses_required

    def binary_literals(self) -> list[str]:
        return [self.operator(s) for s in grammar_for(self.definition).binary]

    # ------------------------------------------------------------ routines and items

    def parameters(self) -> str:
        annotation = _quote(self.definition.structure.type_annotation)
        modes = self.kws("var", "const")
        mode = f"{modes}? " if modes and self.style is BlockStyle.BEGIN_END else ""
        self.add("parameter_name", {"match": "IDENT", "declares": "parameter"})
        self.add("parameter_group", f"{mode}parameter_name (',' parameter_name)* "
                                    f"({annotation} type)? ('=' expr)?")
        between = self.or_semicolon("','")
        return self.add("parameters", f"'(' (parameter_group % {between})? ')'")

    def routine_heading(self, concept: str) -> str:
        structure = self.definition.structure
        self.parameters()
        result = f" ({_quote(structure.result_type)} type)?" if structure.result_type else ""
        return f"{self.kw(concept)} IDENT parameters?{result}"

    def routine_stmts(self) -> str:
        """``FUNCTION f(a) ... END FUNCTION``, ``fn f(a) { ... }``: in the statements of
        a language whose routines are statements (not Pascal's declaration part)."""
        forms = []
        for concept in ("function", "procedure"):
            if self.has(concept):
                forms.append(self.add(f"{concept}_decl", {
                    "match": f"{self.routine_heading(concept)} {self.routine_body(concept)}",
                    "declares": concept, "scope": True,
                    "fold": True}))
        return self.add("routine", self.choice(forms)) if forms else ""

    def routine_body(self, concept: str) -> str:
        if self.style is BlockStyle.BRACES:
            return "block"
        if self.terminated():
            own = "end" + concept
            return f"body {self.closer(concept, own)}"
        if self.style is BlockStyle.INDENTATION:
            return "suite"
        # BEGIN..END: ';' after the heading, local declarations, the body, ';'
        return "';' local_declaration* block ';'"

    def top_level_items(self) -> list[str]:
        """What only the file (and a BEGIN..END routine's declaration part) holds: a
        program heading, declaration sections, the main block with its terminator."""
        if self.style is not BlockStyle.BEGIN_END:
            return []
        items = []
        if self.has("program"):
            self.add("program_name", {"match": "IDENT", "declares": "program"})
            self.add("program_header", f"{self.kw('program')} program_name ';'")
            items.append("program_header")
        if self.has("import"):
            items.append("import_stmt ';'")
        sections = self.sections()
        self.add("local_declaration", self.choice(sections + ["routine"]))
        items += sections
        terminator = self.definition.structure.program_terminator
        if terminator:
            self.add("main_block", f"block {_quote(terminator)}")
            items.append("main_block")
        return items

    def sections(self) -> list[str]:
        structure = self.definition.structure
        if structure.declarations != "sections":
            return []
        annotation = _quote(structure.type_annotation)
        found = []
        if self.has("var"):
            self.add("variable_name", {"match": "IDENT", "declares": "variable"})
            self.add("var_decl", f"variable_name % ',' {annotation} type ('=' expr)? ';'")
            found.append(self.add("var_section", {"match": f"{self.kw('var')} var_decl+",
                                                  **SECTION}))
        if self.has("const"):
            self.add("constant_name", {"match": "IDENT", "declares": "constant"})
            self.add("const_decl", f"constant_name ({annotation} type)? '=' expr ';'")
            found.append(self.add("const_section", {"match": f"{self.kw('const')} const_decl+",
                                                    **SECTION}))
        if self.has("type"):
            # the type owns a scope: its record's fields (its outline children)
            self.add("type_decl", {"match": "IDENT '=' type ';'", "declares": "type",
                                   "scope": True})
            found.append(self.add("type_section", {"match": f"{self.kw('type')} type_decl+",
                                                   **SECTION}))
        return found


def dump_yaml(data: Mapping[str, Any]) -> str:
    """``data`` as YAML, a rule that begins with a quoted literal in double quotes
    (``"'if' expr ..."``, as the documentation writes rules) rather than escaped."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = '"' if value[:1] in ("'", "(") and '"' not in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(dict(data), Dumper=Dumper, sort_keys=False, allow_unicode=True,
                     width=1000)


def template_grammar(definition: LanguageDefinition) -> tuple[dict[str, Any], list[str]]:
    """The ``grammar`` section equivalent to a keyword-level definition's block style, and
    notes on what the template leaves out. Raises ``TemplateRefused``."""
    if definition.structure.engine == "template":  # its grammar is this template
        definition = replace(definition, grammar=None)
    if definition.grammar is not None:
        raise TemplateRefused("the definition already has a grammar")
    template = Template(definition)
    grammar = template.build()
    return grammar, template.notes


def eject(source: Mapping[str, Any], definition: LanguageDefinition
          ) -> tuple[dict[str, Any], list[str]]:
    """The definition ``source`` (its YAML mapping, as the author wrote it) with the
    grammar of its block style added: a grammar-defined definition of the same language."""
    if "grammar" in source:
        raise TemplateRefused("the definition has a grammar section already "
                              "(an extension's forms are not written into a template)")
    grammar, notes = template_grammar(definition)
    structure = source.get("structure")
    if isinstance(structure, Mapping) and "engine" in structure:
        # the grammar is written out: the definition is grammar-defined, no template's
        source = {**source, "structure": {k: v for k, v in structure.items() if k != "engine"}}
    return {**source, "grammar": grammar}, notes
