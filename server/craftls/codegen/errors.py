"""Build and runtime errors of ``craftls run`` / ``craftls build``, with their places."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=8)
def _line_starts(text: str) -> tuple[int, ...]:
    return (0,) + tuple(i + 1 for i, ch in enumerate(text) if ch == "\n")


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column (in code points) of offset ``pos``."""
    pos = max(0, min(pos, len(text)))
    starts = _line_starts(text)
    line = bisect_right(starts, pos)
    return line, pos - starts[line - 1] + 1


def line_lookup(text: str) -> Callable[[int], tuple[int, int]]:
    """``line_col`` for many offsets of one text (the emitters ask for thousands): the
    line starts are found once, not looked up in the cache on every call."""
    starts = _line_starts(text)
    size = len(text)

    def lookup(pos: int) -> tuple[int, int]:
        pos = 0 if pos < 0 else size if pos > size else pos
        line = bisect_right(starts, pos)
        return line, pos - starts[line - 1] + 1
    return lookup


Sources = tuple[tuple[str, str, int], ...]  # imported modules: (path, text, base)


def source_of(path: str, text: str, pos: int, sources: Sources = ()) -> tuple[int, str, str, int]:
    """(index, path, text, offset in that text) of a position: 0 is the program's own
    file, k the k-th imported module (whose positions start at its base)."""
    for index in range(len(sources), 0, -1):
        mpath, mtext, base = sources[index - 1]
        if pos >= base:
            return index, mpath, mtext, pos - base
    return 0, path, text, pos


def place(path: str, text: str, pos: int, sources: Sources = ()) -> str:
    """``FILE:LINE:COL`` of a position, in whichever file it lies."""
    _, file, body, offset = source_of(path, text, pos, sources)
    line, col = line_col(body, offset)
    return f"{file}:{line}:{col}"


def locator(path: str, text: str, sources: Sources = ()
            ) -> Callable[[int], tuple[int, int, int]]:
    """(file index, line, column) of many positions of a program and its modules (file 0
    is the program's own, k the k-th module: ``source_of``)."""
    lookups = [line_lookup(text)] + [line_lookup(body) for _, body, _ in sources]

    def locate(pos: int) -> tuple[int, int, int]:
        index, _, _, offset = source_of(path, text, pos, sources)
        line, col = lookups[index](offset)
        return index, line, col
    return locate


@dataclass(frozen=True)
class Problem:
    pos: int
    message: str

    def format(self, path: str, text: str, label: str = "error", sources: Sources = ()) -> str:
        return f"{place(path, text, self.pos, sources)}: {label}: {self.message}"


class BuildError(Exception):
    """The program cannot be run or compiled; every reason, each at its place
    (``sources``: the imported modules' files, for problems found in them)."""

    def __init__(self, problems: list[Problem], sources: Sources = ()) -> None:
        super().__init__(problems[0].message if problems else "cannot build")
        self.problems = problems
        self.sources = sources

    def format(self, path: str, text: str) -> str:
        return "\n".join(p.format(path, text, sources=self.sources) for p in self.problems)


class RunError(Exception):
    """A runtime error: where it happened and the calls that led there.

    ``trace`` lists (function name, offset of the call in its caller), outermost first;
    it is filled in by the call that the error leaves."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.trace: list[tuple[str, int]] | None = None

    def format(self, path: str, text: str, main_name: str = "the main program",
               sources: Sources = ()) -> str:
        return format_runtime_error(path, text, self.message, self.pos, self.trace or [],
                                    main_name, sources)


def format_runtime_error(path: str, text: str, message: str, pos: int,
                         trace: list[tuple[str, int]], main_name: str,
                         sources: Sources = ()) -> str:
    """``FILE:LINE:COL: runtime error: ...`` and the traceback, innermost call last,
    in the program's own names."""
    lines = [f"{place(path, text, pos, sources)}: runtime error: {message}",
             "traceback (most recent call last):"]
    names = [main_name] + [name for name, _ in trace]
    places = [call for _, call in trace] + [pos]
    for name, at in zip(names, places, strict=True):
        lines.append(f"  {place(path, text, at, sources)}: in {name}")
    return "\n".join(lines)


class Halt(Exception):
    """The program asked to stop with an exit code (the language's halt/exit builtin)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code
