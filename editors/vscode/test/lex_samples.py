"""Lexes files with the craftls lexer and prints the tokens the grammar test checks.

Usage: python lex_samples.py DEF FILE [DEF FILE ...]; prints JSON. Columns are UTF-16
code units, as vscode-textmate reports them; tokens spanning lines are split per line.
"""

import json
import sys

from craftls.language.catalog import resolve_definition
from craftls.syntax.lexer import lex


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def main(argv: list[str]) -> None:
    out = []
    for ref, path in zip(argv[0::2], argv[1::2], strict=True):
        definition = resolve_definition(ref)
        text = open(path, encoding="utf-8").read().replace("\r\n", "\n")
        tokens, _ = lex(definition, text)
        line, col = 0, 0
        found = []
        for kind, value in tokens:
            pieces = value.split("\n")
            for i, piece in enumerate(pieces):
                if piece:
                    found.append({"kind": kind, "line": line, "start": col,
                                  "end": col + utf16_len(piece), "text": piece})
                if i < len(pieces) - 1:
                    line, col = line + 1, 0
                else:
                    col += utf16_len(piece)
        literal = sorted(s for c in ("true", "false", "null") for s in definition.keywords.get(c, ()))
        out.append({"definition": ref, "id": definition.id, "file": path, "text": text,
                    "literals": literal, "caseSensitive": definition.lexical.case_sensitive,
                    "tokens": found})
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
