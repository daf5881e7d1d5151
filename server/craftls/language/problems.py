"""A problem found in a language definition, with its place in the YAML."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefinitionProblem:
    """A problem in a language definition, at its YAML line and column."""

    message: str
    line: int
    column: int
    severity: str = "error"  # error | warning
    path: str = ""

    def format(self, file: str) -> str:
        return f"{file}:{self.line}:{self.column}: {self.severity}: {self.message}"


class DefinitionError(Exception):
    """Raised when a definition cannot be used; carries every problem found."""

    def __init__(self, source: str, problems: list[DefinitionProblem]) -> None:
        self.source = source
        self.problems = problems
        first = problems[0] if problems else None
        detail = f"{first.line}:{first.column}: {first.message}" if first else "invalid"
        super().__init__(f"{source}:{detail}")
