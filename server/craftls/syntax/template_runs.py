"""The ``run:`` annotations and the ``grammar.refactoring`` section of a block style's
grammar template (``block_templates``), written from the definition's data: its
operators (each level's canonical meanings, as the keyword level's lowering reads them),
its keywords (the words a part follows) and its structure (the assignment, type
annotation and result symbols, how a function returns its value, how declarations are
written). With them the grammar's type walk (``types/grammar_infer.py``) types a
template's tree as the keyword level types its own, and the grammar refactorings write
what the keyword level's write. Pure: no I/O."""

from __future__ import annotations

import re
from typing import Any

from ..language.model import BlockStyle, LanguageDefinition, StatementSeparation
from ..language.run_spec import ARITHMETIC, COMPARISONS, WORD_OPERATORS
from .grammar import grammar_for

Rule = str | dict[str, Any]
_UNARY = {"-": "neg", "+": "pos", "!": "not"}


def _tokens(*texts: str) -> str:
    """A part selector: the nodes after any of these direct tokens (``'AS'|':'``)."""
    return "|".join("'" + t.replace("'", "\\'") + "'" for t in dict.fromkeys(texts) if t)


class _Runs:
    def __init__(self, definition: LanguageDefinition, rules: dict[str, Rule]) -> None:
        self.definition = definition
        self.rules = rules
        self.structure = definition.structure
        self.grammar = grammar_for(definition)

    def spellings(self, concept: str) -> tuple[str, ...]:
        d = self.definition
        return tuple(d.keywords.get(concept) or d.shared_spellings.get(concept) or ())

    def word(self, concept: str) -> str:
        """The selector of the tokens of a keyword (any of its spellings)."""
        return _tokens(*self.spellings(concept))

    def concept_of(self, symbol: str) -> str | None:
        """The keyword concept a word operator is a spelling of."""
        for concept, spellings in self.definition.keywords.items():
            if symbol.lower() in (s.lower() for s in spellings):
                return concept
        return None

    def texts(self, symbol: str) -> tuple[str, ...]:
        """The texts an operator's token may have: a word operator's every spelling."""
        concept = self.concept_of(symbol)
        return self.spellings(concept) if concept is not None else (symbol,)

    def binary(self, symbol: str) -> str | None:
        """An operator's canonical meaning, as ``codegen/lower.py`` runs it."""
        if symbol in COMPARISONS:
            return COMPARISONS[symbol]
        concept = self.concept_of(symbol)
        if concept in WORD_OPERATORS or symbol.lower() in WORD_OPERATORS:
            return WORD_OPERATORS.get(concept or "") or WORD_OPERATORS[symbol.lower()]
        if symbol == "/":
            slash = next((o for o in self.definition.operators if o.symbol == "/"), None)
            if slash is None or slash.result is None:
                return "cdiv"  # whole numbers divide as in C, else reals
            return "idiv" if slash.result == "int" else "fdiv"
        return ARITHMETIC.get(symbol)

    def set(self, name: str, run: Any) -> None:
        """``run`` on the rule ``name`` (when the template wrote it)."""
        rule = self.rules.get(name)
        if rule is None:
            return
        if isinstance(rule, str):
            rule = {"match": rule}
        self.rules[name] = {**rule, "run": run}

    # ------------------------------------------------------------ expressions

    def expressions(self) -> None:
        levels: dict[int, dict[str, str]] = {}
        for symbol, (precedence, _) in self.grammar.binary.items():
            op = self.binary(symbol)
            ops = levels.setdefault(precedence, {})  # `..`: no canonical meaning, typed
            if op is not None:
                for text in self.texts(symbol):
                    ops[text] = op
        for precedence, ops in levels.items():
            self.set(f"level{precedence}", {"is": "binary", "ops": ops})
        unary = {}
        for symbol in self.grammar.unary:
            op = _UNARY.get(symbol) or ("not" if self.concept_of(symbol) == "not" else None)
            if op is not None:
                unary.update(dict.fromkeys(self.texts(symbol), op))
        self.set("operand", {"is": "unary", "ops": unary})
        # a literal word (true, false, null): an operand of one token
        self.set("literal", {"is": "unary", "ops": {}})
        self.set("paren_expr", {"is": "group", "value": "'('"})
        self.set("list_expr", {"is": "list", "items": "*"})
        self.set("call", {"is": "call", "callee": "NAME_REF", "args": "arguments/*"})
        self.set("bare_call", {"is": "call", "callee": "NAME_REF",
                               "args": "command_arguments/*"})
        self.set("postfix", {"is": "index", "base": 1, "index": "index", "field": "member",
                             "args": "arguments"})

    # ------------------------------------------------------------ statements

    def body(self) -> str:
        style = self.structure.block_style
        if style is BlockStyle.KEYWORD_TERMINATED:
            return "body"
        return "suite" if style is BlockStyle.INDENTATION else "block"

    def inner_body(self) -> str | int:
        """The body of a statement: the style's body rule where a closing word (or the
        indentation) ends it, else the statement that comes last (a block or one)."""
        style = self.structure.block_style
        if style in (BlockStyle.KEYWORD_TERMINATED, BlockStyle.INDENTATION):
            return self.body()
        return -1

    def closers(self, name: str) -> list[str]:
        """The children of the rule ``name`` that only close it (``END IF``, the name
        after ``NEXT``): no runtime meaning."""
        rule = self.rules.get(name)
        match = rule if isinstance(rule, str) else (rule or {}).get("match", "")
        words = set(re.findall(r"\w+", re.sub(r"'[^']*'", "", match)))
        found = [r for r in self.rules if r.startswith("end_") and r in words]
        after_next = [self.word("next")] if any(
            f"'{w}'" in match for w in self.spellings("next")) else []
        return found + after_next

    def closed(self, name: str, run: dict[str, Any]) -> None:
        """``run`` on the rule ``name``, its closing children ignored."""
        ignore = self.closers(name)
        self.set(name, {**run, "ignore": ignore} if ignore else run)

    def statements(self) -> None:
        s = self.structure
        compound = list(s.compound_assignments)
        refuse = {"refuse": compound} if compound else {}
        for name in ("name_assignment", "assignment"):
            self.set(name, {"is": "assign", "target": 1, "value": 2, **refuse})
        self.set("return_stmt", {"is": "return", "value": 1})
        self.conditionals()
        body = self.inner_body()
        self.closed("while_stmt", {"is": "while", "condition": 1, "body": body})
        self.set("repeat_stmt", {"is": "repeat", "body": "repeat_body",
                                 "condition": self.word("until")})
        self.loops(body)
        for concept in ("break", "continue", "exit"):
            self.set(f"{concept}_stmt", concept)
        self.set("case_stmt", {"is": "case", "subject": 1, "arms": "case_arm",
                               "else": "case_else/*"})
        self.set("case_arm", {"is": "arm", "labels": "before ':'", "body": "':'"})
        self.set("pass_stmt", "none")
        self.set("program_header", "none")
        self.set("import_stmt", {"is": "import", "modules": "module_name"})
        # the rules that only hold statements (with their separators)
        for name in ("block", "body", "suite", "repeat_body", "main_block", "item"):
            self.set(name, "block")
        # a statement may be any expression, run for its effects (the keyword level's)
        self.set("statement", {"is": "block", "expressions": True})

    def conditionals(self) -> None:
        """IF: its condition, the branch after it (a block IF's or a one-line IF's
        branches: an ``if`` without a condition), the ELSEIF clauses, the ELSE branch."""
        branches = {"elif": "elif_clause", "else": "else_clause/*"}
        self.set("if_stmt", {"is": "if", "condition": 1, "then": 2, **branches})
        self.closed("if_block", {"is": "if", "then": self.body(), **branches})
        self.set("if_line", {"is": "if", "then": 1, "else": self.word("else")})
        self.set("elif_clause", {"is": "if", "condition": 1, "then": 2})

    def loops(self, body: str | int) -> None:
        s = self.structure
        assign = _tokens(s.assignment, "=")
        down = {"down": list(self.spellings("downto"))} if self.spellings("downto") else {}
        self.closed("for_count", {"is": "for", "var": "loop_variable", "start": assign,
                                  "stop": _tokens(*self.spellings("to"),
                                                  *self.spellings("downto")),
                                  "step": self.word("step") or "'STEP'", "body": body,
                                  **down})
        self.closed("for_in", {"is": "for", "vars": "loop_variable",
                               "iterable": self.word("in"), "body": body})

    def declarations(self) -> None:
        s = self.structure
        annotation = _tokens(s.type_annotation)
        value = _tokens(s.assignment, "=")
        if s.declarations != "assignment":
            self.set("let_stmt", {"is": "declare", "names": "variable_name",
                                  "type": annotation, "value": value, "bounds": "arguments"})
        self.set("const_stmt", {"is": "const", "name": "constant_name", "type": annotation,
                                "value": value})
        self.set("var_decl", {"is": "declare", "names": "variable_name", "type": annotation,
                              "value": "'='"})
        self.set("const_decl", {"is": "const", "name": "constant_name", "type": annotation,
                                "value": "'='"})
        self.set("type_decl", {"is": "typedef", "name": "NAME_REF", "type": "'='"})
        self.set("record_type", {"is": "record", "fields": "field_decl"})
        self.set("field_decl", {"is": "declare", "names": "field_name", "type": annotation})
        self.set("array_type", {"is": "array", "bounds": "'['|','", "of": self.word("of")})
        self.set("list_type", {"is": "array", "of": 1})  # [T]: an array without bounds
        for name in ("var_section", "const_section", "type_section"):
            self.set(name, "block")
        self.routines()

    def routines(self) -> None:
        s = self.structure
        # Pascal's VAR (and CONST) before a parameter group: passed by reference
        by_reference = {"by_reference": list(self.spellings("var"))} \
            if s.block_style is BlockStyle.BEGIN_END and self.spellings("var") else {}
        result = {"result": "name"} if s.function_result == "name" else {}
        # BEGIN..END: the local declarations after the heading's ';', then the block
        body = "from ';'" if s.block_style is BlockStyle.BEGIN_END else self.body()
        for concept in ("function", "procedure"):
            run: dict[str, Any] = {"is": concept, "name": "NAME_REF",
                                   "params": "parameters/parameter_group",
                                   "body": body, **by_reference}
            if s.result_type:
                run["type"] = _tokens(s.result_type)
            if concept == "function":
                run.update(result)
            self.closed(f"{concept}_decl", run)


def annotate(definition: LanguageDefinition, rules: dict[str, Rule]) -> None:
    """Add the ``run:`` annotations to the template's ``rules`` (in place)."""
    runs = _Runs(definition, rules)
    runs.expressions()
    runs.statements()
    runs.declarations()


def refactoring(definition: LanguageDefinition) -> dict[str, Any]:
    """The template's ``grammar.refactoring``, as the keyword level writes a declaration
    (``features/refactor/syntax.py``): with each of its declaring keywords (let, var,
    dim; a declaration section's entry where declarations are sections), the name alone
    or with its type after the type annotation symbol (a space before it for a word or a
    longer symbol), the statement's terminator."""
    s = definition.structure
    terminator = ";" if s.statements is StatementSeparation.TERMINATOR else ""
    symbol = s.type_annotation
    space = " " if symbol[:1].isalnum() or len(symbol) > 1 else ""
    typed = f"{{name}}{space}{symbol} {{type}}" if symbol else "{name}"
    found: dict[str, Any] = {"inline_variable": True}
    words = [definition.spelling(c) for c in ("let", "var", "dim") if definition.has(c)
             and (c == "let" or s.declarations != "sections")]
    if s.declarations == "sections" and definition.has("var"):
        entry = typed + ("" if s.statements is StatementSeparation.NEWLINE else ";")
        found["declare_undefined"] = {"entry": entry, "section": "var_section",
                                      "heading": definition.spelling("var")}
        found["assign_variable"] = f"{{name}} {s.assignment} {{value}}{terminator}"
    elif words:
        # each declaring word, untyped then typed: the file's favourite form is written
        # (``refactor.grammar_forms.declaration_form``), and an undefined name's first
        # assignment becomes its declaration
        value = f" {s.assignment} {{value}}{terminator}"
        found["declare_variable"] = [f"{word} {form}{value}" for word in words
                                     for form in dict.fromkeys(("{name}", typed))]
        found["declare_assigned"] = True
    elif s.declarations != "sections":  # no declaring word: an assignment declares
        found["declare_variable"] = f"{{name}} {s.assignment} {{value}}{terminator}"
    if s.block_style is BlockStyle.BEGIN_END:  # a lone body becomes a block of several
        found["wrap"] = f"{definition.spelling('begin') or 'BEGIN'}\n{{body}}\n" \
            f"{definition.spelling('end') or 'END'}"
    elif s.block_style is BlockStyle.BRACES:
        found["wrap"] = "{\n{body}\n}"
    extract = extract_function(definition, typed, words[0] if words else None)
    if extract is not None:
        found["extract_function"] = extract
    return found


def extract_function(definition: LanguageDefinition, typed: str, word: str | None
                     ) -> dict[str, Any] | None:
    """How extract function writes a routine, as the keyword level's writer
    (``features/refactor/syntax.py``): a procedure when no value comes back (where the
    language has one), else a function with its result's type, the value returned (or
    assigned to the function's name); a local declared as the language declares a
    variable (a VAR section's entry); a variable only read passed as a parameter."""
    s = definition.structure
    concepts = [c for c in ("procedure", "function") if definition.has(c)]
    if not concepts:
        return None
    terminator = ";" if s.statements is StatementSeparation.TERMINATOR else ""
    if s.function_result == "name":
        returned = f"{{name}} {s.assignment} {{results}}"
    elif definition.has("return"):
        returned = f"{definition.spelling('return')} {{results}}{terminator}"
    else:
        return None
    symbol = s.result_type
    space = " " if symbol[:1].isalnum() or len(symbol) > 1 else ""
    found: dict[str, Any] = {
        "routine": _routine(definition, concepts[0], ""),
        "function": _routine(definition, "function", "{result}"),
        "parameter": typed, "untyped": "{name}", "separator": ", ",
        "call": "{name}{arguments}" + terminator, "return": returned,
        "assign": f"{{results}} {s.assignment} {{call}}",
        # no parentheses where the file declares a routine without them (SUB Banner)
        "list": "({list})", "empty_list": "()",
        "pass_read": True, "one_result": True}
    if symbol:
        found["result"] = f"{space}{symbol} {{type}}"
    if s.declarations == "sections" and definition.has("var"):
        found["separator"] = "; "
        found["group_parameters"] = True  # N, K: INTEGER, as the keyword level groups them
        found["local"] = typed + ("" if s.statements is StatementSeparation.NEWLINE else ";")
        found["local_heading"] = definition.spelling("var")
    elif word is not None:
        found["local"] = f"{word} {typed}{terminator}"
    return found


def _routine(definition: LanguageDefinition, concept: str, result: str) -> str:
    """A routine of the block style: its heading, its locals and body one level deeper
    (a section's locals before BEGIN), what closes it."""
    s = definition.structure
    head = f"{definition.spelling(concept)} {{name}}{{parameters}}{result}"
    style = s.block_style
    if style is BlockStyle.BEGIN_END:
        return "\n".join([head + ";", "  {locals}", definition.spelling("begin") or "BEGIN",
                          "  {body}", (definition.spelling("end") or "END") + ";"])
    inner = "  {locals}\n  {body}"
    if style is BlockStyle.BRACES:
        return f"{head} {{{{\n{inner}\n}}}}".replace("{{", "{").replace("}}", "}")
    if style is BlockStyle.INDENTATION:
        return f"{head}{s.block_open}\n{inner}"
    closer = definition.spelling("end" + concept) or \
        f"{definition.spelling('end')} {definition.spelling(concept)}"
    return f"{head}\n{inner}\n{closer}"
