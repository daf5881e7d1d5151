"""Text helpers shared by the refactorings: lines, indentation, trimming, removal."""

from __future__ import annotations

import re

from ...syntax.incremental import TextEdit


def mostly_spaced(text: str, symbol: str, before: str = r"\w") -> bool:
    """Does the file mostly write a space before the one-character ``symbol`` where it
    follows ``before`` (a word: ``Width : INTEGER``) and a space follows it? Read from
    the text, whatever the tree's node kinds."""
    escaped = re.escape(symbol)
    spaced = len(re.findall(rf"{before}[ \t]+{escaped}[ \t]", text))
    tight = len(re.findall(rf"{before}{escaped}[ \t]", text))
    return spaced > tight


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def indent_of(text: str, offset: int) -> str:
    start = line_start(text, offset)
    line = text[start:line_end(text, start)]
    return line[:len(line) - len(line.lstrip(" \t"))]


def starts_line(text: str, offset: int) -> bool:
    return not text[line_start(text, offset):offset].strip()


def shift(text: str, unit: str) -> str:
    """Indent every line but the first by ``unit`` (the first is placed by the caller)."""
    return "\n".join([text.split("\n")[0]] + [unit + line if line.strip() else line
                                               for line in text.split("\n")[1:]])


def dedent(text: str, start: int, end: int) -> str:
    """The text of [start, end) with its continuation lines moved left by the
    indentation of the line it starts on."""
    base = indent_of(text, start)
    lines = text[start:end].split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        out.append(line[len(base):] if line.startswith(base) else line.lstrip(" \t"))
    return "\n".join(out)


def remove_lines(text: str, start: int, end: int) -> TextEdit:
    """Remove [start, end), with its line when nothing else (but a ';') is on it."""
    start_of_line = line_start(text, start)
    end_of_line = line_end(text, end)
    rest = text[end:end_of_line].strip()
    if not text[start_of_line:start].strip() and rest in ("", ";"):
        return TextEdit(start_of_line, min(end_of_line + 1, len(text)), "")
    while end < len(text) and text[end] in " \t":
        end += 1
    return TextEdit(start, end, "")
