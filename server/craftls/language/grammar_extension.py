"""``grammar.extends: keywords``: productions that add forms to a keyword-level language.

The keyword-level parser (``syntax/parser.py``) still parses the file in the language's
block style; the extension's rules are consulted where a form can begin
(``syntax/extension.py``):

* ``statement``: rules tried at a statement's start, before the built-in statements;
* ``operand``: rules tried where an operand starts (literal forms, constructors);
* ``prefix``: an operator rule, then an operand at the form's precedence;
* ``infix``: after an operand, an operator rule, then the right operand;
* ``postfix``: after an operand, an operator rule.

Precedences are on the scale of the definition's ``operators``. Inside the rules,
``statement`` and ``expression`` are the keyword-level language's own: one statement
(with its terminator) and one whole expression. The rules carry the same meaning
annotations as a grammar-defined language's, and have the same checks, with their YAML
line and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import grammar_spec as G
from .defaults import COMMON_TYPE_NAMES
from .problems import DefinitionProblem

if TYPE_CHECKING:
    from .model import LanguageDefinition
    from .yamlsource import Path, YamlDocument

EXTENDS_KEYWORDS = "keywords"  # the only language an extension extends: the definition's own
BUILTIN_RULES = ("statement", "expression")  # the keyword-level parser's, callable from rules
FORM_KINDS = ("statement", "operand", "prefix", "infix", "postfix")
OPERATOR_FORMS = ("prefix", "infix", "postfix")  # these take a precedence
EXTENSION_KEYS = frozenset({"extends", "forms", "rules"})
RESULT_KEY = "result_type"  # a rule's key in an extension: the value type of its form
_FORMS_START = "<forms>"  # the synthetic start rule the checks walk from
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Form:
    """One place a rule plugs into the keyword-level language."""

    rule: str
    kind: str  # one of FORM_KINDS
    precedence: int = 0  # operator forms: on the scale of the definition's operators
    right: bool = False  # infix: right-associative
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class GrammarExtension:
    """The extension's rules (``spec.rules``; ``spec.start`` is unused) and its forms."""

    spec: G.GrammarSpec
    forms: tuple[Form, ...]
    # an expression form's value type (``result_type``): (rule, a type as the language
    # writes one, or ``operand N``: the type of its N-th operand); others are unknown
    results: tuple[tuple[str, str], ...] = ()

    def of(self, kind: str) -> tuple[Form, ...]:
        return tuple(f for f in self.forms if f.kind == kind)

    def result_of(self, rule: str) -> str:
        """The form's ``result_type`` ('' when it has none: its value is unknown)."""
        return next((text for name, text in self.results if name == rule), "")

    def statement_kinds(self) -> frozenset[str]:
        """The node kinds the statement forms make (a form's rule names its node)."""
        return frozenset(f.rule for f in self.forms if f.kind == "statement")

    def expression_kinds(self) -> frozenset[str]:
        """The node kinds the operand and operator forms make: where the keyword-level
        language takes an expression, these are one."""
        return frozenset(f.rule for f in self.forms if f.kind != "statement")


def extends(doc: YamlDocument) -> bool:
    """Does the definition's grammar extend the keyword-level language?"""
    raw = doc.data.get("grammar") if isinstance(doc.data, dict) else None
    return isinstance(raw, dict) and "extends" in raw


def attach_extension(definition: LanguageDefinition, doc: YamlDocument, source: str,
                     problems: list[DefinitionProblem]) -> LanguageDefinition:
    """The loader's hook: ``definition`` with its grammar extension, problems appended."""
    def report(message: str, line: int, column: int, severity: str) -> None:
        problems.append(DefinitionProblem(message, line, column, severity, "grammar"))

    extension = read_extension(doc, source, definition, report)
    return definition if extension is None else replace(definition,
                                                        grammar_extension=extension)


def read_extension(doc: YamlDocument, source: str, definition: LanguageDefinition,
                   report: G.Report) -> GrammarExtension | None:
    """The definition's ``grammar`` section read as an extension (the caller saw its
    ``extends`` key); None, with every problem reported, when it cannot be used."""
    raw = doc.data["grammar"]
    root: Path = ("grammar",)

    def problem(path: Path, message: str, severity: str = "error", key: bool = False,
                at: tuple[int, int] | None = None) -> None:
        line, column = at or doc.position(path, key=key)
        report(message, line, column, severity)

    if raw.get("extends") != EXTENDS_KEYWORDS:
        problem(root + ("extends",), f"'grammar.extends' must be '{EXTENDS_KEYWORDS}' (the "
                "definition's keyword-level language); the grammar is ignored", "warning")
        return None
    for key in raw:
        if key not in EXTENSION_KEYS:
            problem(root + (key,), f"unknown key 'grammar.{key}' in a grammar that extends "
                    f"the keyword-level language (known: {', '.join(sorted(EXTENSION_KEYS))}); "
                    "ignored", "warning", key=True)
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, dict) or not rules_raw:
        problem(root + ("rules",), "'grammar.rules' must be a mapping of rule names to rules")
        return None
    results: dict[str, str] = {}
    productions = _read_rules(rules_raw, doc, source, problem, definition, results)
    names = {p.name for p in productions}
    forms = _read_forms(raw.get("forms"), names, doc, problem)
    _drop_valueless(results, forms, problem)
    if not forms:
        if "forms" in raw or productions:
            problem(root + ("forms",) if "forms" in raw else root,
                    "the extension adds no form: list its rules under 'grammar.forms' "
                    "(statement, operand, prefix, infix, postfix)", "warning")
        return None
    spec = _checked_spec(productions, forms)
    unreachable = f"is unreachable from the start rule '{_FORMS_START}'"

    def checked(message: str, line: int, column: int, severity: str) -> None:
        report(message.replace(unreachable, "is used by no form (grammar.forms) and by no "
                               "rule of one"), line, column, severity)

    ok = G.check_grammar(spec, definition, checked)
    ok = _check_forms(spec, forms, report) and ok
    _check_words(spec, definition, report)
    _check_reentry(spec, forms, report)
    if not ok:
        return None
    own = tuple(p for p in spec.rules if p.name not in BUILTIN_RULES and p.name != _FORMS_START)
    return GrammarExtension(G.GrammarSpec("", own), forms, tuple(sorted(results.items())))


def _read_rules(rules_raw: dict[Any, Any], doc: YamlDocument, source: str,
                problem: Callable[..., None], definition: LanguageDefinition,
                results: dict[str, str]) -> list[G.Production]:
    """The rules, and each rule's ``result_type`` that can be used into ``results``."""
    places = G._Places(doc, source)
    productions: list[G.Production] = []
    for name, body in rules_raw.items():
        path: Path = ("grammar", "rules", name)
        if str(name) in BUILTIN_RULES:
            problem(path, f"rule '{name}' is the keyword-level language's own; choose "
                          "another name", key=True)
            continue
        if isinstance(body, dict) and RESULT_KEY in body:
            text = _read_result(str(name), body[RESULT_KEY], definition)
            if text.startswith("!"):
                problem(path + (RESULT_KEY,), text[1:], "warning")
            else:
                results[str(name)] = text
            body = {k: v for k, v in body.items() if k != RESULT_KEY}
        if isinstance(body, dict) and "error" in body:
            # a rejected form is a node of the grammar engine's own parse
            problem(path + ("error",), f"'error' in rule '{name}' does nothing in a grammar "
                    "that extends a keyword-level language; ignored", "warning")
            body = {k: v for k, v in body.items() if k != "error"}
        production = G._read_rule(str(name), body, path, places, doc, problem)
        if production is not None:
            productions.append(production)
    return productions


def _drop_valueless(results: dict[str, str], forms: tuple[Form, ...],
                    problem: Callable[..., None]) -> None:
    """A ``result_type`` of a rule that makes no expression (a statement form's): warned
    about and taken out."""
    valued = {f.rule for f in forms if f.kind != "statement"}
    for name in [r for r in results if r not in valued]:
        problem(("grammar", "rules", name, RESULT_KEY), f"'{RESULT_KEY}' of rule '{name}': "
                "only an operand, prefix, infix or postfix form has a value; ignored",
                "warning", key=True)
        del results[name]


def _read_result(rule: str, raw: Any, definition: LanguageDefinition) -> str:
    """A rule's ``result_type`` as the type checker reads it, or '!' and why it cannot be
    used: ``operand`` (``operand 1``), ``operand N``, or a type written as the language
    writes annotations whose every name is one of its type names (``types``, the common
    names): a type the program declares has no name yet when the definition loads."""
    text = str(raw).strip() if isinstance(raw, (str, int)) else ""
    words = _WORD.findall(text)
    if words[:1] == ["operand"]:
        number = text[len("operand"):].strip() or "1"
        if number.isdigit() and int(number) >= 1:
            return f"operand {int(number)}"
        return (f"!'{RESULT_KEY}' of rule '{rule}': 'operand' takes the operand's number "
                f"(1 is the first), not {number!r}; the form's value stays of unknown type")
    known = {k.lower() for k in definition.types} | set(COMMON_TYPE_NAMES)
    unknown = [w for w in words if w.lower() not in known]
    if not words or unknown:
        what = f"'{unknown[0]}' is no type name of the language" if unknown \
            else "it names no type"
        return (f"!'{RESULT_KEY}' of rule '{rule}': {what} (its 'types' or a common name "
                f"such as int, string, bool; or 'operand N'); the form's value stays of "
                "unknown type")
    return text


def _read_forms(raw: Any, names: set[str], doc: YamlDocument, problem: Callable[..., None]
                ) -> tuple[Form, ...]:
    root: Path = ("grammar", "forms")
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        problem(root, "'grammar.forms' must be a mapping of statement, operand, prefix, "
                      "infix, postfix to rules; ignored", "warning")
        return ()
    forms: list[Form] = []
    seen: set[tuple[str, str]] = set()
    for kind, entries in raw.items():
        path = root + (kind,)
        if kind not in FORM_KINDS:
            problem(path, f"unknown form 'grammar.forms.{kind}' (known: "
                          f"{', '.join(FORM_KINDS)}); ignored", "warning", key=True)
            continue
        for form in _read_entries(str(kind), entries, path, doc, problem):
            if form.rule not in names:
                problem(path, f"form {kind} names rule '{form.rule}', which is not defined; "
                              "ignored", "warning", at=(form.line, form.column))
            elif (kind, form.rule) in seen:
                problem(path, f"rule '{form.rule}' is listed twice as a {kind} form; the "
                              "second is ignored", "warning", at=(form.line, form.column))
            else:
                seen.add((kind, form.rule))
                forms.append(form)
    return tuple(forms)


def _read_entries(kind: str, entries: Any, path: Path, doc: YamlDocument,
                  problem: Callable[..., None]) -> list[Form]:
    """``statement: [a, b]`` and ``operand: [c]``; ``infix: {op: 4}`` or ``infix: {op:
    {precedence: 4, associativity: right}}``."""
    if kind in OPERATOR_FORMS:
        if not isinstance(entries, dict):
            problem(path, f"'grammar.forms.{kind}' must map each rule to its precedence "
                          f"({{rule: 4}}); ignored", "warning")
            return []
        found = (_operator_form(kind, str(rule), value, path + (rule,), doc, problem)
                 for rule, value in entries.items())
        return [form for form in found if form is not None]
    if isinstance(entries, str):
        entries = [entries]
    if not isinstance(entries, list):
        problem(path, f"'grammar.forms.{kind}' must be a list of rule names; ignored",
                "warning")
        return []
    out: list[Form] = []
    for i, rule in enumerate(entries):
        if not isinstance(rule, str):
            problem(path + (i,), f"{rule!r} in 'grammar.forms.{kind}' is not a rule name; "
                                 "ignored", "warning")
            continue
        line, column = doc.position(path + (i,))
        out.append(Form(rule, kind, line=line, column=column))
    return out


def _operator_form(kind: str, rule: str, value: Any, here: Path, doc: YamlDocument,
                   problem: Callable[..., None]) -> Form | None:
    right = False
    if isinstance(value, dict):
        for key in value:
            if key not in ("precedence", "associativity"):
                problem(here + (key,), f"unknown key '{key}' in {kind} form '{rule}'; "
                                       "ignored", "warning", key=True)
        associativity = value.get("associativity", "left")
        if associativity not in ("left", "right") or (associativity == "right"
                                                      and kind != "infix"):
            problem(here + ("associativity",), f"'associativity' of {kind} form '{rule}' "
                    "must be left or right (right only for infix); ignored", "warning")
        else:
            right = associativity == "right"
        value = value.get("precedence")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problem(here, f"{kind} form '{rule}' needs a precedence: a whole number >= 0 on "
                      "the scale of the definition's operators; ignored", "warning")
        return None
    line, column = doc.position(here, key=True)
    return Form(rule, kind, value, right, line, column)


def _checked_spec(productions: list[G.Production], forms: tuple[Form, ...]) -> G.GrammarSpec:
    """The rules as the grammar checks read them: a start rule that reaches every form,
    and the built-in ``statement`` and ``expression`` as rules that take one token or
    more (what the checks need to know of them)."""
    choice = G.Expr(G.CHOICE, items=tuple(G.Expr(G.RULE, f.rule) for f in forms))
    start = G.Production(_FORMS_START, choice if len(forms) > 1 else choice.items[0])
    used = {e.text for p in productions for e in G.walk(p.expr) if e.op == G.RULE}
    builtins = tuple(G.Production(name, G.Expr(G.CLASS, "ANY")) for name in BUILTIN_RULES
                     if name in used)
    return G.GrammarSpec(_FORMS_START, (start, *productions, *builtins))


def _check_forms(spec: G.GrammarSpec, forms: tuple[Form, ...], report: G.Report) -> bool:
    """A form must consume a token, and an operand (or statement) form must not begin
    with the expression (statement) it is part of: that would recurse for ever."""
    nullable = G.nullable_rules(spec)
    ok = True
    for form in forms:
        production = spec.rule(form.rule)
        assert production is not None
        if nullable.get(form.rule):
            report(f"{form.kind} form '{form.rule}' can match without consuming a token",
                   form.line, form.column, "error")
            ok = False
            continue
        own = {"operand": "expression", "prefix": "expression",
               "statement": "statement"}.get(form.kind)
        if own and own in _left_closure(spec, form.rule, nullable):
            report(f"{form.kind} form '{form.rule}' begins with '{own}', which would try "
                   f"the form again before consuming a token (left recursion); begin it "
                   f"with a token" + (", or make it an infix or postfix form"
                                      if own == "expression" else ""),
                   form.line, form.column, "error")
            ok = False
    return ok


def _left_closure(spec: G.GrammarSpec, rule: str, nullable: dict[str, bool]) -> set[str]:
    found: set[str] = set()
    todo = [rule]
    while todo:
        production = spec.rule(todo.pop())
        if production is None:
            continue
        for name in G.left_calls(production.expr, nullable):
            if name not in found:
                found.add(name)
                todo.append(name)
    return found


def _check_reentry(spec: G.GrammarSpec, forms: tuple[Form, ...], report: G.Report) -> None:
    """An infix or postfix form that begins with ``expression`` parses, after an operand,
    another expression there, which ends in an operand that tries the form again: one
    nested attempt per operand. With an operand or prefix form that can begin with any
    token (``ANY``), an expression starts at every token, so the nesting runs on to the
    end of the text, and each level is tried as written and again in recovery mode: a
    parse can take time exponential in the length of the text until the per-parse budget
    stops it (the file then gets errors). Said once per such form, at its place."""
    nullable = G.nullable_rules(spec)
    catch_alls = ((f, _catch_all(spec, f.rule, nullable)) for f in forms
                  if f.kind in ("operand", "prefix"))
    found = next(((f, e) for f, e in catch_alls if e is not None), None)
    if found is None:
        return
    anywhere, element = found
    for form in forms:
        if form.kind not in ("infix", "postfix") \
                or "expression" not in _left_closure(spec, form.rule, nullable):
            continue
        report(f"{form.kind} form '{form.rule}' begins with 'expression', and {anywhere.kind} "
               f"form '{anywhere.rule}' can begin with any token (ANY at line {element.line}, "
               f"column {element.column}): after every operand the parser tries "
               f"'{form.rule}' again on the rest of the text, nesting once per token, and a "
               "parse can take time exponential in its length (the per-parse budget then "
               "stops it with errors); begin the form with a token, or match named tokens "
               "instead of ANY", form.line, form.column, "warning")


def _catch_all(spec: G.GrammarSpec, rule: str, nullable: dict[str, bool]) -> G.Expr | None:
    """The ``ANY`` that ``rule`` may match as its first token, through the rules it calls
    there (not the built-in ``statement`` and ``expression``, which the checks model as
    ``ANY``); None when it has none."""
    seen: set[str] = set()
    todo = [rule]
    while todo:
        name = todo.pop()
        production = spec.rule(name)
        if name in seen or name in BUILTIN_RULES or production is None:
            continue
        seen.add(name)
        for element in _leading(production.expr, nullable):
            if element.op == G.CLASS and element.text == "ANY":
                return element
            if element.op == G.RULE:
                todo.append(element.text)
    return None


def _leading(expr: G.Expr, nullable: dict[str, bool]) -> list[G.Expr]:
    """The rule calls and token classes ``expr`` may match at the position it starts."""
    op = expr.op
    if op in (G.RULE, G.CLASS):
        return [expr]
    if op in (G.NOT, G.AND, G.LIT):  # a lookahead consumes nothing; a literal is named
        return []
    if op == G.SEQ:
        found: list[G.Expr] = []
        for element in expr.items:
            found += _leading(element, nullable)
            if not G.nullable(element, nullable):
                break
        return found
    if op == G.SEP:
        return _leading(expr.items[0], nullable)
    return [e for item in expr.items for e in _leading(item, nullable)]


def _check_words(spec: G.GrammarSpec, definition: LanguageDefinition,
                 report: G.Report) -> None:
    """A word literal that is no keyword still matches (by its text), but it lexes as a
    name: it is neither highlighted nor completed as a keyword, and stays usable as a
    variable. Said once per word."""
    fold = not definition.lexical.case_sensitive
    spelled = {s.lower() if fold else s for spellings in definition.keywords.values()
               for s in spellings}
    said: set[str] = set()
    for production in spec.rules:
        for element in G.walk(production.expr):
            if element.op != G.LIT or not _WORD.fullmatch(element.text):
                continue
            word = element.text.lower() if fold else element.text
            if word in spelled or word in said:
                continue
            said.add(word)
            report(f"'{element.text}' in rule '{production.name}' is not a keyword of the "
                   "language: it matches by its text but lexes as a name (not highlighted "
                   "or completed as a keyword); add it under 'keywords'", element.line,
                   element.column, "warning")
