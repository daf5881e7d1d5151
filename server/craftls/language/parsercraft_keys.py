"""Every key a ParserCraft config may hold, and what craftls does with it.

ParserCraft writes many keys that only its own IDE or runtime reads (colours,
themes, debug flags, author); those are accepted quietly and listed in the docs
as ignored by design. Every other key is either honoured by ``dialects`` or
reported as a warning with its YAML position, so nothing is ignored silently.
This table is the single source for both the warnings and the docs section.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from .yamlsource import Path

Warn = Callable[[Path, str, bool], None]

TOP_LEVEL: frozenset[str] = frozenset({
    "name", "version", "description", "metadata", "keywords", "functions",
    "builtin_functions", "operators", "parsing", "parsing_config", "syntax", "syntax_options",
    "runtime", "grammar", "extensions",
})
# only ParserCraft's IDE or runtime reads these: accepted quietly (documented)
TOP_LEVEL_IGNORED: frozenset[str] = frozenset({
    "color_palette", "ide_theme", "debug_mode", "strict_mode", "compatibility_mode", "author",
    "target_interpreter", "icon",
})

SECTION_KEYS: dict[str, frozenset[str]] = {
    "metadata": frozenset({"name", "version", "description", "file_extension",
                           "file_extensions"}),
    "parsing": frozenset({"comment_style", "alt_comment_prefix", "multiline_comment_start",
                          "multiline_comment_end", "string_delimiters", "statement_separator",
                          "line_continuation", "case_sensitive"}),
    "syntax": frozenset({"line_comment", "block_comment_start", "block_comment_end",
                         "array_index_base", "array_index_one_based", "operators",
                         "statement_separator", "semicolons", "indentation_style",
                         "block_end_required", "parentheses_required",
                         "function_keyword_required"}),
    "syntax_options": frozenset({"array_start_index", "single_line_comment",
                                 "multi_line_comment_start", "multi_line_comment_end",
                                 "require_semicolons", "statement_terminator"}),
    "parsing_config": frozenset({"block_start", "block_end", "statement_separator",
                                 "string_delimiters", "escape_character", "if_then_separator",
                                 "else_keyword", "elif_keyword", "as_keyword", "function_arrow",
                                 "return_type_separator", "key_value_separator",
                                 "list_start", "list_end", "tuple_start", "tuple_end",
                                 "dict_start", "dict_end", "parameter_separator",
                                 "member_access", "index_access_start", "index_access_end",
                                 "function_call_start", "function_call_end",
                                 "function_param_start", "function_param_end",
                                 "import_separator", "from_keyword", "class_body_start",
                                 "class_body_end", "class_inheritance_separator",
                                 "allow_raw_strings", "raw_string_prefix"}),
    "runtime": frozenset(),
}
SECTION_IGNORED: dict[str, frozenset[str]] = {
    "metadata": frozenset({"author", "icon", "year", "target_interpreter"}),
    "parsing": frozenset(),
    "syntax": frozenset(),
    # ParserCraft's runtime features: they change what a program does, not what it may say
    "syntax_options": frozenset({"allow_fractional_indexing", "flexible_quoting",
                                 "string_interpolation", "interpolation_symbol",
                                 "three_valued_logic", "probabilistic_variables",
                                 "temporal_variables", "enable_satirical_keywords",
                                 "enable_quantum_features", "enable_time_travel",
                                 "enable_gaslighting"}),
    "parsing_config": frozenset({"allow_custom_operators", "allow_operator_overloading"}),
    "runtime": frozenset({"debug_mode", "strict_mode", "compatibility_mode"}),
}
ENTRY_KEYS: dict[str, frozenset[str]] = {
    "keywords": frozenset({"original", "custom", "new_name", "category", "description",
                           "associativity"}),
    "functions": frozenset({"name", "new_name", "arity", "min_args", "max_args", "description",
                            "enabled", "implementation", "alias"}),
    "operators": frozenset({"symbol", "precedence", "associativity", "description",
                            "enabled"}),
}
# syntax flags and the native structure keys that honour them (see dialects._flags)
SYNTAX_FLAGS: dict[str, str] = {
    "block_end_required": "block_end_required",
    "parentheses_required": "parentheses_required",
    "function_keyword_required": "function_keyword_required",
}

# parsing_config keys whose value craftls's syntax has fixed: honoured when they agree
FIXED_DELIMITERS: dict[str, str] = {
    "list_start": "[", "list_end": "]", "tuple_start": "(", "tuple_end": ")",
    "dict_start": "{", "dict_end": "}", "parameter_separator": ",", "member_access": ".",
    "index_access_start": "[", "index_access_end": "]", "function_call_start": "(",
    "function_call_end": ")", "function_param_start": "(", "function_param_end": ")",
    "import_separator": ".", "key_value_separator": ":", "block_end": "}",
    "class_body_end": "}", "class_inheritance_separator": ":",
}
# other values these keys may take, honoured by dialects._structure
HONOURED_DELIMITERS: dict[str, frozenset[str]] = {
    "index_access_start": frozenset({"("}), "index_access_end": frozenset({")"}),
    "key_value_separator": frozenset({"=", ":=", "=>", "->"}),
}


def did_you_mean(word: str, options: set[str] | frozenset[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def review(data: dict[str, Any], warn: Warn) -> None:
    """Warn about every key craftls neither honours nor ignores by design."""
    for key in data:
        if key not in TOP_LEVEL and key not in TOP_LEVEL_IGNORED:
            warn((key,), f"unknown key '{key}' ignored"
                         f"{did_you_mean(key, TOP_LEVEL | TOP_LEVEL_IGNORED)}", True)
    for section, known in SECTION_KEYS.items():
        value = data.get(section)
        if value is None:
            continue
        if not isinstance(value, dict):
            warn((section,), f"'{section}' must be a mapping; ignored", False)
            continue
        allowed = known | SECTION_IGNORED[section]
        for key in value:
            if key not in allowed:
                warn((section, key), f"unknown key '{section}.{key}' ignored"
                                     f"{did_you_mean(key, allowed)}", True)
    _review_entries(data, warn)
    _review_values(data, warn)


def _review_entries(data: dict[str, Any], warn: Warn) -> None:
    for section, allowed_key in (("keywords", "keywords"), ("functions", "functions"),
                                 ("builtin_functions", "functions"),
                                 ("operators", "operators")):
        raw = data.get(section)
        entries = raw.items() if isinstance(raw, dict) else enumerate(raw) \
            if isinstance(raw, list) else ()
        allowed = ENTRY_KEYS[allowed_key]
        for name, entry in entries:
            if not isinstance(entry, dict):
                continue
            for key in entry:
                if key not in allowed:
                    warn((section, name, key), f"unknown key '{key}' in {section} entry "
                                               f"'{name}' ignored{did_you_mean(key, allowed)}",
                         True)


def _review_values(data: dict[str, Any], warn: Warn) -> None:
    config = data.get("parsing_config")
    if isinstance(config, dict):
        for key, fixed in FIXED_DELIMITERS.items():
            value = config.get(key)
            if isinstance(value, str) and value and value != fixed \
                    and value not in HONOURED_DELIMITERS.get(key, ()):
                warn(("parsing_config", key),
                     f"ignored: craftls does not support '{value}' as {key.replace('_', ' ')}"
                     f" yet; it uses '{fixed}'", False)
    syntax = data.get("syntax")
    if isinstance(syntax, dict):
        for key in SYNTAX_FLAGS:
            if key in syntax and not isinstance(syntax[key], bool):
                warn(("syntax", key), f"ignored: '{key}' must be true or false, not "
                                      f"{syntax[key]!r}", False)
