"""ParserCraft's config dialects mapped onto the native definition format.

ParserCraft has a canonical dialect (``metadata``, ``keywords`` as
``{original, custom, category, description}`` objects, ``functions``,
``operators`` as a map, ``syntax_options``, ``parsing_config``, ``runtime``),
a simplified one (``keywords`` as plain strings, ``operators`` as a list,
``parsing`` and ``syntax`` sections), legacy variants (``builtin_functions``,
``operators: []``, ``new_name``) and TeachScript's keyword map keyed by
Python's keywords. ParserCraft runs every config as Python with renamed words;
the family (Python, Pascal, BASIC, keyword-terminated) is inferred from the
keywords as ``families`` documents. We translate to native data, remember where
each native value came from so problems point at the original YAML, and return
a note for every key we cannot honour (``parsercraft_keys`` lists them all).
"""

from __future__ import annotations

import re
from typing import Any

from . import families
from .defaults import COMPARISON_SYMBOLS, CONCEPT_ALIASES, PYTHON_OPERATOR_PRECEDENCE
from .parsercraft_keys import HONOURED_DELIMITERS, SYNTAX_FLAGS, review
from .python_builtins import PYTHON_OPERATIONS, python_builtins
from .yamlsource import Path

PARSERCRAFT_KEYS = {"metadata", "functions", "builtin_functions", "syntax_options",
                    "parsing_config", "parsing", "syntax", "runtime", "grammar"}

Note = tuple[Path, str, bool]  # (ParserCraft path, warning, points at the key)


def is_parsercraft(data: dict[str, Any]) -> bool:
    if "lexical" in data or "structure" in data:
        return False
    if PARSERCRAFT_KEYS & set(data):
        return True
    keywords = data.get("keywords")
    # TeachScript's shape: only name/version/keywords, the keys Python's keywords
    return isinstance(keywords, dict) and bool(families.PYTHON_ONLY_CONCEPTS & set(keywords))


def to_native(data: dict[str, Any]) -> tuple[dict[str, Any], dict[Path, Path], list[Note]]:
    origin: dict[Path, Path] = {}
    notes: list[Note] = []
    review(data, lambda path, message, key: notes.append((path, message, key)))
    meta = _mapping(data.get("metadata"))
    sections = _Sections(data)
    native: dict[str, Any] = {}
    name = meta.get("name") or data.get("name") or "Unnamed language"
    native["name"] = str(name)
    native["id"] = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-") or "language"
    native["version"] = str(meta.get("version", data.get("version", "1.0")))
    native["description"] = str(meta.get("description") or data.get("description") or "").strip()
    ext = meta.get("file_extension") or meta.get("file_extensions") or data.get("extensions")
    if isinstance(ext, str) or (isinstance(ext, list) and all(isinstance(e, str) for e in ext)):
        native["extensions"] = ext if isinstance(ext, list) else [ext]
    origin[("name",)] = ("metadata", "name") if "metadata" in data else ("name",)

    keywords, comment_words, word_operators = _keywords(data.get("keywords"), origin, notes)
    operators = _operators(data.get("operators"), sections.syntax.get("operators"), origin,
                           notes)
    operators += word_operators
    family = families.infer(keywords, sections)
    families.complete_keywords(family, keywords)
    native["keywords"] = keywords
    native["lexical"] = _lexical(family, sections, comment_words, notes)
    native["operators"] = operators
    native["builtins"] = _functions(data, origin)
    if family == families.PYTHON:
        native["builtins"] += _python_builtins(native["builtins"], keywords)
    sigils = "".join(sorted({b["name"][-1] for b in native["builtins"]
                             if re.fullmatch(r"[^\W\d]\w*[$%&!#]", b["name"])}))
    if sigils and "identifier" not in native["lexical"]:  # STR$ in a non-BASIC config
        native["lexical"]["identifier"] = rf"[^\W\d]\w*[{re.escape(sigils)}]?"
    native["structure"] = _structure(family, keywords, operators, sections, notes)
    # the `grammar` block is read by grammar_spec.attach_grammar, from the author's YAML
    return native, origin, notes


class _Sections:
    """The four places ParserCraft configs keep syntax settings."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.options = _mapping(data.get("syntax_options"))
        self.config = _mapping(data.get("parsing_config"))
        self.parsing = _mapping(data.get("parsing"))
        self.syntax = _mapping(data.get("syntax"))

    def first(self, *places: tuple[str, str]) -> tuple[Path, Any]:
        """The first place that sets a value (not null, not empty): its path and value."""
        for section, key in places:
            value = getattr(self, _ATTRIBUTE[section]).get(key)
            if value is not None and value != "":
                return (section, key), value
        return (), None


_ATTRIBUTE = {"syntax_options": "options", "parsing_config": "config", "parsing": "parsing",
              "syntax": "syntax"}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def concept_of(key: str, original: str) -> str:
    """The craftls concept a ParserCraft keyword entry means (``original`` is what
    ParserCraft translates the word back to; capitalised True/False/None too)."""
    if key in ("dim", "let", "var", "const"):
        return key  # a declaring word is what its key says (TempleCode's dim: array)
    word = original or key
    lowered = word.lower() if word.lower() in ("true", "false", "none", "null") else word
    return str(CONCEPT_ALIASES.get(lowered) or CONCEPT_ALIASES.get(key) or lowered)


def _keywords(raw: Any, origin: dict[Path, Path], notes: list[Note]) -> tuple[
    dict[str, Any], list[str], list[dict[str, Any]]
]:
    """Concept -> {spelling: [...]} (several keys may spell one concept: ``def`` and
    ``function``), comment words (REM) and operators spelled as words (``"==": equals``)."""
    keywords: dict[str, Any] = {}
    comment_words: list[str] = []
    word_operators: list[dict[str, Any]] = []
    if raw is None:
        return keywords, comment_words, word_operators
    if not isinstance(raw, dict):
        notes.append((("keywords",), "'keywords' must be a mapping; ignored", False))
        return keywords, comment_words, word_operators
    for key, value in raw.items():
        entry: dict[str, Any] = {}
        if isinstance(value, dict):
            spelling = value.get("custom") or value.get("new_name") or value.get("original")
            original = str(value.get("original") or "")
            if value.get("category"):
                entry["category"] = str(value["category"])
            if value.get("description"):
                entry["description"] = str(value["description"])
        else:
            spelling, original = value, ""
        if not isinstance(spelling, str) or not spelling.strip():
            notes.append((("keywords", key), f"ignored: keyword '{key}' has no spelling", False))
            continue
        if key in ("rem", "comment") or original == "comment":
            comment_words.append(spelling)
            continue
        if not (key[:1].isalpha() or key[:1] == "_") and not original:
            word_operators.append(_word_operator(key, spelling))
            continue
        concept = concept_of(key, original)
        current = keywords.setdefault(concept, {"spelling": []})
        if spelling not in current["spelling"]:
            current["spelling"].append(spelling)
        for field in ("category", "description"):
            if field in entry:
                current.setdefault(field, entry[field])
        origin.setdefault(("keywords", concept), ("keywords", key))
    return keywords, comment_words, word_operators


def _word_operator(symbol: str, word: str) -> dict[str, Any]:
    precedence, associativity = PYTHON_OPERATOR_PRECEDENCE.get(symbol, (5, "left"))
    operator = {"symbol": word, "precedence": precedence, "associativity": associativity,
                "description": f"means '{symbol}'"}
    if symbol in COMPARISON_SYMBOLS:
        operator["result"] = "bool"
    return operator


def _lexical(family: str, s: _Sections, comment_words: list[str],
             notes: list[Note]) -> dict[str, Any]:
    lexical: dict[str, Any] = {}
    if "case_sensitive" in s.parsing:
        lexical["case_sensitive"] = bool(s.parsing["case_sensitive"])
    elif family == families.BASIC:
        lexical["case_sensitive"] = False
    line = [c for c in (s.syntax.get("line_comment"), s.parsing.get("comment_style"),
                        s.parsing.get("alt_comment_prefix"), s.options.get("single_line_comment"))
            if isinstance(c, str) and c.strip()]
    line += [w for w in comment_words if w not in line]
    lexical["line_comments"] = _unique(line) or list(families.DEFAULT_LINE_COMMENTS[family])
    blocks = []
    for start_key, end_key in ((("syntax", "block_comment_start"), ("syntax", "block_comment_end")),
                               (("parsing", "multiline_comment_start"),
                                ("parsing", "multiline_comment_end")),
                               (("syntax_options", "multi_line_comment_start"),
                                ("syntax_options", "multi_line_comment_end"))):
        _, start = s.first(start_key)
        _, end = s.first(end_key)
        if isinstance(start, str) and isinstance(end, str) and start and end:
            blocks.append({"open": start, "close": end})
        elif start or end:
            notes.append((start_key if start else end_key,
                          "ignored: a block comment needs both its start and its end", False))
    if blocks:
        lexical["block_comments"] = _unique_dicts(blocks)
    _, delimiters = s.first(("parsing_config", "string_delimiters"),
                                ("parsing", "string_delimiters"))
    if not isinstance(delimiters, list):
        delimiters = ['"', "'", '"""'] if family == families.PYTHON else ['"']
    escape_set = s.config.get("escape_character", "\\")
    escape = "backslash" if escape_set == "\\" else "none"
    if escape_set not in ("\\", None, ""):
        notes.append((("parsing_config", "escape_character"),
                      f"ignored: craftls supports only '\\' as escape character, not "
                      f"{escape_set!r}", False))
    rules = []
    for d in sorted({d for d in delimiters if isinstance(d, str) and d}, key=lambda d: -len(d)):
        rules.append({"delimiter": d, "escape": escape,
                      "multiline": len(d) == 3 and len(set(d)) == 1})
    if s.config.get("allow_raw_strings") is True:
        # ParserCraft runs the program as Python, where r"..." keeps its backslashes
        prefix = s.config.get("raw_string_prefix") or "r"
        if isinstance(prefix, str) and prefix.isalpha():
            rules += [{**rule, "escape": "none", "prefix": prefix} for rule in list(rules)]
        else:
            notes.append((("parsing_config", "raw_string_prefix"),
                          f"ignored: a raw string prefix must be letters, not {prefix!r}",
                          False))
    lexical["strings"] = rules
    _, continuation = s.first(("parsing", "line_continuation"))
    if isinstance(continuation, str) and continuation:
        lexical["line_continuation"] = continuation
    elif family == families.BASIC:
        lexical["line_continuation"] = "_"
    if family == families.BASIC:
        lexical["identifier"] = families.BASIC_IDENTIFIER
    return lexical


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _unique_dicts(items: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: list[dict[str, str]] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _operators(raw: Any, symbol_map: Any, origin: dict[Path, Path],
               notes: list[Note]) -> list[dict[str, Any]]:
    items: list[tuple[Any, dict[str, Any]]] = []
    if isinstance(raw, dict):
        items = [(key, value if isinstance(value, dict) else {}) for key, value in raw.items()]
    elif isinstance(raw, list):
        items = [(i, value if isinstance(value, dict) else {}) for i, value in enumerate(raw)]
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    for key, value in items:
        if value.get("enabled") is False:
            continue
        symbol = value.get("symbol", key if isinstance(key, str) else None)
        if not isinstance(symbol, str) or not symbol or symbol in seen:
            continue
        seen.add(symbol)
        default_prec, default_assoc = PYTHON_OPERATOR_PRECEDENCE.get(symbol, (5, "left"))
        precedence = value.get("precedence", default_prec)
        if not isinstance(precedence, int) or isinstance(precedence, bool):
            precedence = default_prec
        op = {"symbol": symbol, "precedence": precedence,
              "associativity": str(value.get("associativity", default_assoc)).lower()}
        if value.get("description"):
            op["description"] = str(value["description"])
        origin[("operators", len(result))] = ("operators", key)
        result.append(op)
    if isinstance(symbol_map, dict):  # syntax.operators: name -> symbol
        for name, symbol in symbol_map.items():
            if not isinstance(symbol, str) or not symbol or symbol in seen:
                continue
            if name == "assignment" or name.endswith("_assign"):
                continue  # assignments, read by _structure
            seen.add(symbol)
            precedence, associativity = PYTHON_OPERATOR_PRECEDENCE.get(symbol, (5, "left"))
            origin[("operators", len(result))] = ("syntax", "operators", name)
            result.append({"symbol": symbol, "precedence": precedence,
                           "associativity": associativity, "description": name.replace("_", " ")})
    elif symbol_map is not None:
        notes.append((("syntax", "operators"), "'syntax.operators' must be a mapping of "
                                               "name: symbol; ignored", False))
    return result


def _functions(data: dict[str, Any], origin: dict[Path, Path]) -> list[dict[str, Any]]:
    key = "functions" if "functions" in data else "builtin_functions"
    raw = data.get(key)
    entries = list(raw.items()) if isinstance(raw, dict) else \
        list(enumerate(raw)) if isinstance(raw, list) else []
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
        if max_args is not None and max_args < min_args:
            max_args = min_args
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


def _python_builtins(listed: list[dict[str, Any]], keywords: dict[str, Any]) -> list[
    dict[str, Any]
]:
    """Python's builtins the config does not name (nor spell as a keyword): ParserCraft
    runs the program as Python, so they are there (``python_builtins``)."""
    taken = {b["name"] for b in listed} | _spellings(keywords)
    return [dict(entry) for entry in python_builtins() if entry["name"] not in taken]


def _structure(family: str, keywords: dict[str, Any], operators: list[dict[str, Any]],
               s: _Sections, notes: list[Note]) -> dict[str, Any]:
    symbols = {o["symbol"] for o in operators}
    structure: dict[str, Any] = dict(families.STRUCTURE[family])
    if family == families.PASCAL:
        structure["declarations"] = "sections" if "var" in keywords else "statement"
        if "program" in keywords:
            structure["program_terminator"] = "."
        if "function" in keywords:
            structure["function_result"] = "name"
    symbol_map: dict[str, Any] = _mapping(s.syntax.get("operators"))
    assignment = symbol_map.get("assignment")
    if isinstance(assignment, str) and assignment:
        structure["assignment"] = assignment
    elif ":=" in symbols:
        structure["assignment"] = ":="
    compound = [v for k, v in symbol_map.items()
                if isinstance(k, str) and k.endswith("_assign") and isinstance(v, str) and v]
    compound += [o for o in ("+=", "-=", "*=", "/=") if o in symbols and o not in compound]
    if compound:
        structure["compound_assignments"] = compound
    if s.options.get("require_semicolons") is True \
            or s.syntax.get("semicolons") in ("required", "terminator"):
        structure["statements"] = "terminator"
    separators: list[str] = []
    for path in (("parsing", "statement_separator"), ("parsing_config", "statement_separator"),
                 ("syntax", "statement_separator"), ("syntax_options", "statement_terminator")):
        _, value = s.first(path)
        if isinstance(value, str) and value.strip() and value != ";" and value not in separators:
            if value[:1].isalnum():
                notes.append((path, f"ignored: craftls does not support the word {value!r} "
                                    "as a statement separator", False))
                continue
            separators.append(value)
    separators += [sep for sep in families.SEPARATORS[family] if sep not in separators]
    if separators:
        structure["separators"] = separators
    if family == families.BASIC:
        structure["line_numbers"] = True
    _, then = s.first(("parsing_config", "if_then_separator"))
    if isinstance(then, str) and then.strip() and "then" not in keywords:
        keywords["then"] = {"spelling": [then]}
    for concept, key in (("else", "else_keyword"), ("elif", "elif_keyword"),
                         ("as", "as_keyword")):
        value = s.config.get(key)
        if isinstance(value, str) and value.strip() and concept not in keywords \
                and value not in _spellings(keywords):
            keywords[concept] = {"spelling": [value]}
    _, arrow = s.first(("parsing_config", "function_arrow"),
                       ("parsing_config", "return_type_separator"))
    if isinstance(arrow, str) and arrow.strip():
        structure["result_type"] = arrow
    base_path, base = s.first(("syntax", "array_index_base"),
                              ("syntax_options", "array_start_index"))
    one_based = s.syntax.get("array_index_one_based")
    if isinstance(base, int) and not isinstance(base, bool):
        structure["index_base"] = base  # ParserCraft's -1 too: the first element is a[-1]
    elif base is not None:
        notes.append((base_path, f"ignored: an array start index must be a whole number, not "
                                 f"{base!r}; indexes start at "
                                 f"{1 if one_based is True else 0}", False))
        if one_based is True:
            structure["index_base"] = 1
    elif isinstance(one_based, bool):
        structure["index_base"] = int(one_based)
    _delimiters(structure, s, notes)
    for key, native in SYNTAX_FLAGS.items():
        if isinstance(s.syntax.get(key), bool):
            structure[native] = s.syntax[key]
    if structure.get("function_keyword_required") is False \
            and structure["block_style"] != "indentation":
        notes.append((("syntax", "function_keyword_required"),
                      "ignored: craftls declares a function without its keyword only in an "
                      "indentation language (NAME(PARAMS): BODY)", False))
        structure.pop("function_keyword_required")
    style = s.syntax.get("indentation_style")
    if isinstance(style, str) and style.lower() in ("indent", "indentation", "python",
                                                    "significant"):
        structure["block_style"] = "indentation"
    return structure


def _delimiters(structure: dict[str, Any], s: _Sections, notes: list[Note]) -> None:
    """``index_access_start: "("`` (BASIC's ``a(i)``) and a key-value separator other
    than ``:``; the other values are warned by ``parsercraft_keys``."""
    start, end = s.config.get("index_access_start"), s.config.get("index_access_end")
    if start == "(":
        structure["index_open"] = "("
        if end not in (None, "", ")"):
            notes.append((("parsing_config", "index_access_end"),
                          f"ignored: an index opened by '(' closes with ')', not {end!r}",
                          False))
    separator = s.config.get("key_value_separator")
    if isinstance(separator, str) and separator in HONOURED_DELIMITERS["key_value_separator"]:
        structure["key_value"] = separator


def _spellings(keywords: dict[str, Any]) -> set[str]:
    return {s for entry in keywords.values() for s in entry["spelling"]}
