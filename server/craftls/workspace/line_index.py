"""Offsets <-> (line, column) for one text version, in any LSP position encoding.

Offsets are code-point indexes into the Python string. Columns are counted in
UTF-16 code units, UTF-8 bytes or code points depending on the encoding; only
lines that contain non-ASCII characters pay for the conversion.
"""

from __future__ import annotations

import bisect

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


class LineIndex:
    __slots__ = ("text", "line_starts")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts

    def edited(self, text: str, start: int, end: int, inserted: str) -> LineIndex:
        """The index of ``text``: this text with [start, end) replaced by ``inserted``.
        Only the line starts after the edit move, so a keystroke does not rescan the file."""
        starts = self.line_starts
        kept = bisect.bisect_right(starts, start)  # starts <= start: the newline is before
        moved = bisect.bisect_right(starts, end)   # starts > end: the newline is after
        delta = len(inserted) - (end - start)
        new = starts[:kept]
        i = inserted.find("\n")
        while i >= 0:
            new.append(start + i + 1)
            i = inserted.find("\n", i + 1)
        new.extend([s + delta for s in starts[moved:]])
        index = LineIndex.__new__(LineIndex)
        index.text, index.line_starts = text, new
        return index

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def line_text(self, line: int) -> str:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def position(self, offset: int, encoding: str = UTF32) -> tuple[int, int]:
        """(line, column) of ``offset``, both 0-based."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.line_starts[line]
        prefix = self.text[start:offset]
        if encoding == UTF32 or prefix.isascii():
            return line, len(prefix)
        if encoding == UTF16:
            return line, len(prefix.encode("utf-16-le")) // 2
        return line, len(prefix.encode("utf-8"))

    def offset(self, line: int, column: int, encoding: str = UTF32) -> int:
        """The offset of a (line, column); past-the-end values are clamped (as LSP asks)."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.text)
        start = self.line_starts[line]
        line_text = self.line_text(line)
        if encoding == UTF32 or line_text.isascii():
            return start + min(max(column, 0), len(line_text))
        units = 0
        for i, ch in enumerate(line_text):
            if units >= column:
                return start + i
            code = ord(ch)
            if encoding == UTF16:
                units += 2 if code > 0xFFFF else 1
            else:
                units += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
        return start + len(line_text)
