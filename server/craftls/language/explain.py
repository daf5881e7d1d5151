"""A definition written back as native YAML: what a ParserCraft config became.

``craftls language check --explain CONFIG`` prints it, so a config's author sees the
inferred block style, comments, separators, literals and terminators. The output is
a complete native definition: loading it gives the same language (a test round-trips
every ParserCraft config), its grammar included. Spellings two concepts share are
listed under both; the loader gives them the same meanings again (``spellings``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from . import grammar_spec as G
from .grammar_spec import GrammarSpec
from .model import Builtin, LanguageDefinition, Operator, Protocol


def explain(definition: LanguageDefinition) -> str:
    """The native YAML for ``definition``."""
    text = yaml.safe_dump(native_data(definition), sort_keys=False, allow_unicode=True,
                          default_flow_style=None, width=100)
    if definition.grammar is not None:  # a rule a line, in the notation as written
        text += yaml.dump({"grammar": grammar_data(definition.grammar)}, Dumper=_RuleDumper,
                          sort_keys=False, allow_unicode=True, default_flow_style=False,
                          width=100)
    return text


class _RuleDumper(yaml.SafeDumper):
    """Rules full of quoted literals read best in double quotes (not doubled quotes)."""


def _rule_string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value,
                                   style='"' if "'" in value else None)


_RuleDumper.add_representer(str, _rule_string)


def grammar_data(spec: GrammarSpec) -> dict[str, Any]:
    """The native ``grammar`` section: each rule's expression in the notation, with its
    meaning annotations. Meanings the loader inferred (a grammar written without any,
    as ParserCraft's) are left out, so loading infers the same ones again; ParserCraft's
    ``comments`` and ``skip_whitespace`` are the lexical section's business."""
    rules: dict[str, Any] = {}
    for production in spec.rules:
        text = _notation(production.expr)
        meaning = {k: v for k, v in dataclasses.asdict(production.meaning).items() if v}
        rules[production.name] = {"match": text, **meaning} \
            if meaning and not spec.inferred else text
    return {"start": spec.start, "rules": rules}


# how tightly each operator binds in the notation: a child binding looser than its
# place allows is put in parentheses
_CHOICE, _SEQUENCE, _PREFIX, _POSTFIX, _PRIMARY = range(5)
_POSTFIX_SIGNS = {G.OPT: "?", G.STAR: "*", G.PLUS: "+"}


def _notation(expr: G.Expr) -> str:
    return _render(expr)[0]


def _render(expr: G.Expr) -> tuple[str, int]:
    op = expr.op
    if op == G.LIT:
        escaped = expr.text.replace("\\", "\\\\").replace("'", "\\'")
        return f"'{escaped}'", _PRIMARY
    if op in (G.CLASS, G.RULE):
        return expr.text, _PRIMARY
    if op == G.CHOICE:
        return " / ".join(_at(item, _SEQUENCE) for item in expr.items), _CHOICE
    if op == G.SEQ:
        return " ".join(_at(item, _PREFIX) for item in expr.items), _SEQUENCE
    if op in (G.NOT, G.AND):
        sign = "!" if op == G.NOT else "&"
        return sign + _at(expr.items[0], _PREFIX), _PREFIX
    if op == G.SEP:
        return f"{_at(expr.items[0], _POSTFIX)} % {_at(expr.items[1], _PRIMARY)}", _POSTFIX
    return _at(expr.items[0], _POSTFIX) + _POSTFIX_SIGNS[op], _POSTFIX


def _at(expr: G.Expr, level: int) -> str:
    text, own = _render(expr)
    return text if own >= level else f"({text})"


def native_data(d: LanguageDefinition) -> dict[str, Any]:
    lex, st, fmt = d.lexical, d.structure, d.formatting
    data: dict[str, Any] = {
        "name": d.name, "id": d.id, "version": d.version, "description": d.description,
        "extensions": list(d.extensions),
        "lexical": {
            "case_sensitive": lex.case_sensitive, "identifier": lex.identifier,
            "numbers": list(lex.numbers),
            "strings": [{"delimiter": s.delimiter, "escape": s.escape, "multiline": s.multiline,
                         **({"whitespace_escape": s.whitespace_escape}
                            if s.whitespace_escape else {}),
                         **({"line_end_closes": True} if s.line_end_closes else {}),
                         **({"ends_at": s.ends_at} if s.ends_at is not None else {}),
                         **({"escapes": s.escapes} if s.escapes else {}),
                         **({"prefix": s.prefix} if s.prefix else {})}
                        for s in lex.strings],
            "line_comments": list(lex.line_comments),
            "block_comments": [{"open": b.open, "close": b.close, "nested": b.nested,
                                **({"close_pattern": b.close_pattern}
                                   if b.close_pattern else {}),
                                **({"inner_open_pattern": b.inner_open_pattern}
                                   if b.inner_open_pattern else {})}
                               for b in lex.block_comments],
            **({"modes": [{"directive": m.directive, "nested_comments": list(m.nested_comments),
                           **({"name": m.name} if m.name else {}),
                           **({"overloading": True} if m.overloading else {}),
                           **({"empty_call_value": True} if m.empty_call_value else {})}
                          for m in lex.modes]} if lex.modes else {}),
            **({"default_mode": lex.default_mode} if lex.default_mode else {}),
            "line_continuation": lex.line_continuation,
            **({"continuation_resume": lex.continuation_resume}
               if lex.continuation_resume else {}),
            "first_line_comment": lex.first_line_comment,
            **({"brackets_join_lines": True} if lex.brackets_join_lines else {}),
            **({"keyword_name_joiner": lex.keyword_name_joiner}
               if lex.keyword_name_joiner else {}),
        },
        "keywords": _keywords(d),
        "operators": [_operator(op) for op in d.operators],
        "structure": {
            "block_style": st.block_style.value, "statements": st.statements.value,
            "assignment": st.assignment, "declarations": st.declarations,
            "type_annotation": st.type_annotation, "result_type": st.result_type,
            "function_result": st.function_result, "result_variable": st.result_variable,
            "block_open": st.block_open,
            "program_terminator": st.program_terminator, "index_base": st.index_base,
            "environment_complete": st.environment_complete,
            "boolean_conditions": st.boolean_conditions,
            "numbers_convert": st.numbers_convert,
            "by_reference_variables": st.by_reference_variables,
            "mark_types": dict(st.mark_types),
            "separators": list(st.separators),
            "compound_assignments": list(st.compound_assignments),
            "line_numbers": st.line_numbers,
            "argument_counts": st.argument_counts,
            "surplus_arguments": st.surplus_arguments,
            **({"undefined_types": True} if st.undefined_types else {}),
            "redeclaration": st.redeclaration, "key_value": st.key_value,
            "index_open": st.index_open, "parentheses_required": st.parentheses_required,
            "function_keyword_required": st.function_keyword_required,
            "standard_modules": list(st.standard_modules),
            **({"implicit_modules": list(st.implicit_modules)} if st.implicit_modules else {}),
            "includes": list(st.includes),
            **({} if st.metacommands is None else {"metacommands": {
                "marker": st.metacommands.marker,
                "in_comments": dict(st.metacommands.in_comments),
                "at_line_start": dict(st.metacommands.at_line_start)}}),
            "placeholders": list(st.placeholders),
            "shown_types": list(st.shown_types),
            **({"known_types": list(st.known_types)} if st.known_types else {}),
            "workspace_globals": st.workspace_globals,
            "package_scope": st.package_scope,
            "method_separator": st.method_separator,
            "environment_variable": st.environment_variable,
            "globals_table": st.globals_table,
            "metatable_call": st.metatable_call,
            "metatable_index": st.metatable_index,
            "module_call": st.module_call,
            "module_paths": list(st.module_paths),
            "class_calls": list(st.class_calls),
            "mixin_calls": list(st.mixin_calls),
            "block_end_required": st.block_end_required,
        },
        "builtins": [_builtin(b) for b in d.builtins],
        "types": dict(d.types),
        "protocols": {p.name: _protocol(p) for p in d.protocols},
        "formatting": {
            "indent_width": fmt.indent_width, "keyword_case": fmt.keyword_case,
            "spaces_around_operators": fmt.spaces_around_operators,
            "max_blank_lines": fmt.max_blank_lines, "space_after_comma": fmt.space_after_comma,
        },
    }
    if lex.long_brackets is not None:
        lb = lex.long_brackets
        data["lexical"]["long_brackets"] = {"open": lb.open, "close": lb.close,
                                            "level": lb.level, "comment": lb.comment}
    return data


def _keywords(d: LanguageDefinition) -> dict[str, Any]:
    concepts = list(d.keywords) + [c for c in d.shared_spellings if c not in d.keywords]
    result: dict[str, Any] = {}
    for concept in concepts:
        spellings = list(d.keywords.get(concept, ())) + list(d.shared_spellings.get(concept, ()))
        entry: dict[str, Any] = {"spelling": spellings}
        if concept in d.keyword_categories:
            entry["category"] = d.keyword_categories[concept]
        if concept in d.keyword_docs:
            entry["description"] = d.keyword_docs[concept]
        result[concept] = entry if len(entry) > 1 else spellings
    return result


def _operator(op: Operator) -> dict[str, Any]:
    data: dict[str, Any] = {"symbol": op.symbol, "precedence": op.precedence,
                            "associativity": op.associativity.value, "binary": op.binary,
                            "unary": op.unary, "description": op.description}
    if op.result is not None:
        data["result"] = op.result
    return data


def _builtin(b: Builtin) -> dict[str, Any]:
    return {"name": b.name,
            "params": [{"name": p.name, "type": p.type, "optional": p.optional}
                       for p in b.params],
            "min_args": b.min_args, "max_args": b.max_args, "returns": b.returns,
            "description": b.description, **_implements(b.implements)}


def _implements(operation: str | None) -> dict[str, str]:
    """The ``implements`` key, present only where the definition names an operation."""
    return {} if operation is None else {"implements": operation}


def _protocol(p: Protocol) -> dict[str, Any]:
    methods = {m.name: {"params": [{"name": q.name, "type": q.type, "optional": q.optional}
                                   for q in m.params],
                        "returns": m.returns, "optional": m.optional,
                        **_implements(m.implements)}
               for m in p.members if m.kind == "method"}
    properties = {m.name: {"type": m.type, "readonly": m.readonly, "optional": m.optional}
                  for m in p.members if m.kind == "property"}
    return {"methods": methods, "properties": properties, "extends": list(p.extends),
            "type_params": list(p.type_params), "description": p.description}
