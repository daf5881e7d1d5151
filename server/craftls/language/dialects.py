"""ParserCraft's config dialects mapped onto the native definition format.

ParserCraft has a canonical dialect (``metadata``, ``keywords`` as
``{original, custom, category, description}`` objects, ``functions``,
``operators`` as a map, ``syntax_options``, ``parsing_config``, ``runtime``),
a simplified one (``keywords`` as plain strings, ``operators`` as a list,
``parsing`` and ``syntax`` sections) and legacy variants (``builtin_functions``,
``operators: []``, ``new_name``). We translate to native data and remember
where each native value came from so problems point at the original YAML.
"""

from __future__ import annotations

import re
from typing import Any

from .defaults import CONCEPT_ALIASES
from .yamlsource import Path

PARSERCRAFT_KEYS = {"metadata", "functions", "builtin_functions", "syntax_options",
                    "parsing_config", "parsing", "syntax", "runtime", "grammar"}


def is_parsercraft(data: dict[str, Any]) -> bool:
    return bool(PARSERCRAFT_KEYS & set(data)) and "lexical" not in data


def to_native(data: dict[str, Any]) -> tuple[dict[str, Any], dict[Path, Path]]:
    origin: dict[Path, Path] = {}
    meta: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
    syntax_options = _mapping(data.get("syntax_options"))
    parsing_config = _mapping(data.get("parsing_config"))
    parsing = _mapping(data.get("parsing"))
    syntax = _mapping(data.get("syntax"))
    native: dict[str, Any] = {}
    name = meta.get("name") or data.get("name") or "Unnamed language"
    native["name"] = str(name)
    native["id"] = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-") or "language"
    native["version"] = str(meta.get("version", data.get("version", "1.0")))
    native["description"] = str(meta.get("description") or "").strip()
    ext = meta.get("file_extension") or meta.get("file_extensions") or data.get("extensions")
    if ext:
        native["extensions"] = ext if isinstance(ext, list) else [ext]
    origin[("name",)] = ("metadata", "name") if "metadata" in data else ("name",)

    keywords, line_comment_words = _keywords(data.get("keywords"), origin)
    native["keywords"] = keywords
    native["lexical"] = _lexical(syntax_options, parsing_config, parsing, line_comment_words)
    native["operators"] = _operators(data.get("operators"), origin)
    native["builtins"] = _functions(data, origin)
    native["structure"] = _structure(keywords, native["operators"], syntax_options,
                                     parsing_config, parsing, syntax)
    return native, origin


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _keywords(raw: Any, origin: dict[Path, Path]) -> tuple[dict[str, Any], list[str]]:
    keywords: dict[str, Any] = {}
    comment_words: list[str] = []
    if not isinstance(raw, dict):
        return keywords, comment_words
    for concept, value in raw.items():
        if isinstance(value, dict):
            spelling = value.get("custom") or value.get("new_name") or value.get("original")
            entry: dict[str, Any] = {"spelling": spelling if spelling is not None else ""}
            if value.get("category"):
                entry["category"] = value["category"]
            if value.get("description"):
                entry["description"] = value["description"]
            original = str(value.get("original") or "")
        else:
            entry = {"spelling": value}
            original = ""
        canonical = str(CONCEPT_ALIASES.get(concept) or concept)
        if concept in ("rem", "comment") or original == "comment":
            if isinstance(entry["spelling"], str):
                comment_words.append(entry["spelling"])
            continue
        if canonical in keywords:
            canonical = concept
        keywords[canonical] = entry
        origin[("keywords", canonical)] = ("keywords", concept)
    return keywords, comment_words


def _lexical(opts: dict[str, Any], config: dict[str, Any], parsing: dict[str, Any],
             comment_words: list[str]) -> dict[str, Any]:
    lexical: dict[str, Any] = {}
    if "case_sensitive" in parsing:
        lexical["case_sensitive"] = bool(parsing["case_sensitive"])
    line = [c for c in (opts.get("single_line_comment"), parsing.get("comment_style"),
                        parsing.get("alt_comment_prefix")) if isinstance(c, str) and c]
    line += [w for w in comment_words if w not in line]
    lexical["line_comments"] = line or ["#"]
    start, end = opts.get("multi_line_comment_start"), opts.get("multi_line_comment_end")
    if start and end:
        lexical["block_comments"] = [{"open": start, "close": end}]
    delimiters = config.get("string_delimiters") or parsing.get("string_delimiters") or ['"']
    escape = "backslash" if config.get("escape_character", "\\") else "none"
    lexical["strings"] = [{"delimiter": d, "escape": escape, "multiline": len(d) == 3}
                          for d in sorted({d for d in delimiters if isinstance(d, str) and d},
                                          key=lambda d: -len(d))]
    return lexical


def _operators(raw: Any, origin: dict[Path, Path]) -> list[dict[str, Any]]:
    items: list[tuple[Any, dict[str, Any]]] = []
    if isinstance(raw, dict):
        items = [(key, value if isinstance(value, dict) else {}) for key, value in raw.items()]
    elif isinstance(raw, list):
        items = [(i, value if isinstance(value, dict) else {}) for i, value in enumerate(raw)]
    result: list[dict[str, Any]] = []
    for key, value in items:
        if value.get("enabled") is False:
            continue
        symbol = value.get("symbol", key if isinstance(key, str) else None)
        if not isinstance(symbol, str):
            continue
        op = {"symbol": symbol, "precedence": value.get("precedence", 5),
              "associativity": value.get("associativity", "left")}
        if value.get("description"):
            op["description"] = value["description"]
        origin[("operators", len(result))] = ("operators", key)
        result.append(op)
    return result


# A ParserCraft config names Python builtins; the runtime operation each one is.
PYTHON_OPERATIONS = {
    "print": "print_line", "input": "read_line", "len": "length", "abs": "abs",
    "round": "round", "chr": "chr", "ord": "ord", "str": "str", "int": "int",
    "float": "float", "range": "range", "min": "min", "max": "max", "upper": "upper",
    "lower": "lower", "append": "append",
}


def _functions(data: dict[str, Any], origin: dict[Path, Path]) -> list[dict[str, Any]]:
    key = "functions" if "functions" in data else "builtin_functions"
    raw = data.get(key)
    entries = list(raw.items()) if isinstance(raw, dict) else list(enumerate(raw or []))
    result: list[dict[str, Any]] = []
    for k, value in entries:
        if not isinstance(value, dict) or value.get("enabled") is False:
            continue
        name = value.get("new_name") or value.get("name") or (k if isinstance(k, str) else None)
        if not isinstance(name, str):
            continue
        arity = value.get("arity", -1)
        min_args, max_args = value.get("min_args", -1), value.get("max_args", -1)
        if not isinstance(min_args, int) or min_args < 0:
            min_args = arity if isinstance(arity, int) and arity >= 0 else 0
        if not isinstance(max_args, int) or max_args < 0:
            max_args = arity if isinstance(arity, int) and arity >= 0 else None
        origin[("builtins", len(result))] = (key, k)
        entry = {"name": name, "min_args": min_args, "max_args": max_args,
                 "description": str(value.get("description") or "")}
        # the configs rename Python's builtins (TeachScript's `say` is `print`): the
        # original name says what the builtin does
        for original in (value.get("original"), k, value.get("name")):
            if isinstance(original, str) and original.lower() in PYTHON_OPERATIONS:
                entry["implements"] = PYTHON_OPERATIONS[original.lower()]
                break
        result.append(entry)
    return result


def _structure(keywords: dict[str, Any], operators: list[dict[str, Any]], opts: dict[str, Any],
               config: dict[str, Any], parsing: dict[str, Any],
               syntax: dict[str, Any]) -> dict[str, Any]:
    symbols = {o["symbol"] for o in operators}
    structure: dict[str, Any] = {}
    if ":=" in symbols:
        structure["assignment"] = ":="
    if "begin" in keywords and "end" in keywords:
        structure["block_style"] = "begin_end"
        structure["declarations"] = "sections" if "var" in keywords else "statement"
    elif any(k in keywords for k in ("endif", "wend", "next")):
        structure["block_style"] = "keyword_terminated"
    elif str(syntax.get("indentation_style", "")).lower() in ("indent", "indentation", "python",
                                                              "significant"):
        structure["block_style"] = "indentation"
    elif config.get("block_start") == "{" or "{" in str(config.get("class_body_start", "")):
        structure["block_style"] = "braces"
    if opts.get("require_semicolons") or syntax.get("semicolons") in ("required", "terminator"):
        structure["statements"] = "terminator"
    elif structure.get("block_style") == "begin_end":
        structure["statements"] = "separator"
    else:
        structure["statements"] = "newline"
    base = syntax.get("array_index_base", opts.get("array_start_index"))
    if isinstance(base, int) and not isinstance(base, bool) and base in (0, 1):
        structure["index_base"] = base
    return structure
