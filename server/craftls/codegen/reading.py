"""Pascal's ``Read`` and ``ReadLn`` at run time: stdin as a stream of words and lines.

The lowering (``lower_reading``) turns ``ReadLn(n, x, s)`` into one operation per
variable: ``read_token`` (skip blanks and line breaks, then take the characters up to the
next blank or line break: what an integer or a real is read from, converted by the
``int``/``float`` operations), ``read_rest`` (the rest of the current line, without its
line break: what a string is read from), then ``skip_line`` (past the next line break)
for ``ReadLn``. ``read_line`` (BASIC's INPUT, TeachLang's ask) reads whole lines and is
not mixed with these in one language.

Input that is not there is a runtime error (``no more input``), where Free Pascal gives
0 or an empty string: a program that reads input it does not get fails clearly. The
interpreter and the WebAssembly host share this class; ``c_reading`` is the same in C."""

from __future__ import annotations

from typing import IO

from .errors import RunError

READ_OPS = ("read_token", "read_rest", "skip_line")
BLANKS = " \t\r\n"


class StreamReader:
    """The part of the current line not read yet (with its line break, if it has one);
    None when the next read starts a new line."""

    def __init__(self, inp: IO[str]) -> None:
        self.inp = inp
        self.pending: str | None = None

    def run(self, op: str, name: str, pos: int) -> str | None:
        if op == "read_token":
            return self.token(name, pos)
        if op == "read_rest":
            return self.rest(name, pos)
        self.skip_line(name, pos)
        return None

    def fetch(self, name: str, pos: int) -> str:
        if self.pending is None:
            line = self.inp.readline()
            if not line:
                raise RunError(f"{name}: no more input (stdin has ended)", pos)
            self.pending = line
        return self.pending

    def token(self, name: str, pos: int) -> str:
        while True:
            text = self.fetch(name, pos).lstrip(BLANKS)
            if text:
                break
            self.pending = None  # the line held only blanks: on to the next one
        end = 0
        while end < len(text) and text[end] not in BLANKS:
            end += 1
        self.pending = text[end:]
        return text[:end]

    def rest(self, name: str, pos: int) -> str:
        text = self.fetch(name, pos)
        end = text.find("\n")
        end = len(text) if end < 0 else end
        self.pending = text[end:]
        return text[:end]

    def skip_line(self, name: str, pos: int) -> None:
        self.fetch(name, pos)
        self.pending = None
