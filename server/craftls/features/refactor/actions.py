"""The dispatcher: which refactorings apply to a range, as code actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from ...semantics.diagnostics import Diagnostic, FileAnalysis
from ...syntax.incremental import TextEdit
from .declare import declaration
from .errors import RefactorRefused
from .extract_function import function_plan
from .extract_variable import extract_variable
from .inline import inline_variable
from .names import fresh_name

EXTRACT = "refactor.extract"
INLINE = "refactor.inline"
QUICKFIX = "quickfix"


@dataclass(frozen=True)
class Action:
    title: str
    kind: str  # refactor.extract | refactor.inline | quickfix
    edits: tuple[TextEdit, ...]
    preferred: bool = False
    # a text the user is to replace: [start, end) in the text of the first edit (a type
    # the use did not tell); a client that takes snippet edits gets it as a tab stop
    placeholder: tuple[int, int] | None = None


def refactor_actions(analysis: FileAnalysis, start: int, end: int) -> list[Action]:
    """The refactorings that apply to the range [start, end] (a selection or a cursor)."""
    attempts: list[Callable[[], Action]] = []
    if analysis.parsed.text[start:end].strip():
        attempts += [partial(_extract_variable_action, analysis, start, end),
                     partial(_extract_function_action, analysis, start, end)]
    attempts.append(partial(_inline_action, analysis, start))
    attempts += [partial(_declare_action, analysis, d) for d in analysis.diagnostics
                 if d.code == "undefined-name" and d.start <= end and start <= d.end]
    return [action for action in map(_attempt, attempts) if action is not None]


def _attempt(make: Callable[[], Action]) -> Action | None:
    try:
        return make()
    except RefactorRefused:
        return None


def _extract_variable_action(analysis: FileAnalysis, start: int, end: int) -> Action:
    name = fresh_name(analysis, "value")
    return Action(f"Extract to variable '{name}'", EXTRACT,
                  extract_variable(analysis, start, end, name))


def _extract_function_action(analysis: FileAnalysis, start: int, end: int) -> Action:
    name = fresh_name(analysis, "extracted")
    plan = function_plan(analysis, start, end, name)
    return Action(f"Extract to {plan.routine_kind()} '{name}'", EXTRACT, plan.edits())


def _inline_action(analysis: FileAnalysis, offset: int) -> Action:
    edits = inline_variable(analysis, offset)
    symbol = analysis.model.symbol_at(offset)
    return Action(f"Inline variable '{symbol.name if symbol else ''}'", INLINE, edits)


def _declare_action(analysis: FileAnalysis, diagnostic: Diagnostic) -> Action:
    declared = declaration(analysis, diagnostic)
    title = f"Declare variable '{diagnostic.data.get('name', '')}'"
    if declared.placeholder is not None:
        title += f" (type {declared.placeholder}: replace it with the right one)"
    return Action(title, QUICKFIX, declared.edits, placeholder=declared.placeholder_at)
