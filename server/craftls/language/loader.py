"""Turn YAML (native or a ParserCraft dialect) into a LanguageDefinition.

Every problem is collected with its YAML line and column; nothing here raises
a Python traceback for bad input: ``load_definition_text`` returns problems,
``load_definition`` raises DefinitionError carrying them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path as FsPath
from typing import Any

from . import dialects
from .defaults import (
    COMMON_TYPE_NAMES,
    COMPARISON_SYMBOLS,
    DEFAULT_OPERATORS,
    WORD_OPERATOR_CONCEPTS,
)
from .grammar_extension import attach_extension, extends
from .grammar_spec import attach_grammar
from .model import (
    DOC_MEANINGS,
    Associativity,
    BlockComment,
    BlockStyle,
    Builtin,
    Conditionals,
    DocComments,
    DocTag,
    FormatStyle,
    HostGlobals,
    ImplicitTypes,
    LanguageDefinition,
    Lexical,
    LexicalMode,
    LongBrackets,
    Metacommands,
    Operator,
    Parameter,
    Protocol,
    ProtocolMember,
    StatementSeparation,
    StringRule,
    Structure,
)
from .operations import OPERATIONS
from .parsercraft_keys import did_you_mean
from .problems import DefinitionError, DefinitionProblem
from .spellings import resolve_spellings
from .yamlsource import Path, YamlDocument, YamlSyntaxError, load_yaml

TOP_LEVEL_KEYS = {
    "name", "id", "version", "description", "extensions", "lexical", "keywords", "operators",
    "structure", "builtins", "types", "protocols", "formatting", "grammar",
}
# the keys of one `lexical.strings` rule (model.StringRule)
STRING_RULE_KEYS = ("delimiter", "escape", "multiline", "whitespace_escape", "prefix",
                    "line_end_closes", "ends_at", "escapes")
SECTION_KEYS: dict[str, set[str]] = {
    "lexical": {"case_sensitive", "identifier", "numbers", "strings", "line_comments",
                "block_comments", "directive_strings", "line_continuation", "long_brackets",
                "first_line_comment", "keyword_name_joiner", "continuation_resume", "modes",
                "default_mode", "doc_comments", "brackets_join_lines", "conditionals",
                "name_escape"},
    "structure": {"block_style", "engine", "statements", "assignment", "declarations", "type_annotation",
                  "result_type", "function_result", "result_variable", "block_open", "program_terminator",
                  "index_base", "environment_complete", "boolean_conditions", "numbers_convert",
                  "by_reference_variables", "separators", "compound_assignments", "line_numbers",
                  "argument_counts", "surplus_arguments", "undefined_types", "redeclaration", "key_value",
                  "index_open", "parentheses_required", "function_keyword_required",
                  "block_end_required", "standard_modules", "implicit_modules", "includes", "shipped_includes", "library_includes", "library_uses", "metacommands", "implicit_types", "real_digits", "type_marks", "mark_types",
                  "placeholders", "labels", "type_names", "arrays", "workspace_globals", "package_scope", "shown_types", "known_types",
                  "method_separator", "environment_variable", "globals_table", "metatable_call",
                  "metatable_index", "module_call", "module_paths", "class_calls", "mixin_calls",
                  "host_globals"},
    "formatting": {"indent_width", "keyword_case", "spaces_around_operators", "max_blank_lines",
                   "space_after_comma"},
}


class _Collector:
    """Problems found while reading one document, positioned via its marks."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.problems: list[DefinitionProblem] = []

    def error(self, path: Path, message: str, key: bool = False, severity: str = "error") -> None:
        line, col = self.doc.position(path, key=key)
        dotted = ".".join(str(p) for p in path)
        self.problems.append(DefinitionProblem(message, line, col, severity, dotted))

    def warn(self, path: Path, message: str, key: bool = False) -> None:
        self.error(path, message, key=key, severity="warning")


def load_definition_text(text: str, source: str = "<definition>") -> tuple[
    LanguageDefinition | None, list[DefinitionProblem]
]:
    """Parse a definition; return it (None when unusable) and every problem found."""
    try:
        doc = load_yaml(text)
    except YamlSyntaxError as exc:
        return None, [DefinitionProblem(exc.message, exc.line, exc.column)]
    if not isinstance(doc.data, dict):
        return None, [DefinitionProblem("a language definition must be a YAML mapping", 1, 1)]
    out = _Collector(doc)
    data = doc.data
    source_doc = doc  # the grammar block is read where the author wrote it
    if dialects.is_parsercraft(data):
        data = {**data, "keywords": _restore_words(doc, data.get("keywords"))}
        data, origin, notes = dialects.to_native(data)
        for path, message, key in notes:
            out.warn(path, message, key=key)
        doc = _remap_marks(doc, origin)
        out.doc = doc
    else:
        _check_unknown_keys(out, data)
    definition = _build(out, data, source)
    _check_consistency(out, definition)
    if definition.structure.engine == "template":
        definition = _attach_template(out, data, definition)
    elif extends(source_doc):  # forms added to the keyword-level language
        definition = attach_extension(definition, source_doc, text, out.problems)
    else:
        definition = attach_grammar(definition, source_doc, text, out.problems)
    _check_shown_types(out, definition)
    errors = [p for p in out.problems if p.severity == "error"]
    return (None if errors else definition), out.problems


def _check_shown_types(out: _Collector, d: LanguageDefinition) -> None:
    """``structure.shown_types``: each a name of ``types:`` or a type word of a grammar's
    ``type_name`` rule (QBasic's DOUBLE; read once the grammar is attached)."""
    # the types' names are case-insensitive (``TypeNames``)
    listed = {surface.lower() for surface in d.types}
    listed.update(w.lower() for rule in (d.grammar.rules if d.grammar is not None else ())
                  if rule.run is not None and rule.run.construct == "type_name"
                  for w, _ in rule.run.types)
    for i, shown in enumerate(d.structure.shown_types):
        if shown.lower() not in listed:
            out.warn(("structure", "shown_types", i),
                     f"shown type {shown!r} is no name of 'types' nor a type word of a "
                     "'type_name' rule: it is shown by nothing")


ENGINES = ("keywords", "template")


def _attach_template(out: _Collector, data: Mapping[str, Any], definition: LanguageDefinition
                     ) -> LanguageDefinition:
    """``structure.engine: template``: ``definition`` with its block style's grammar
    template (``syntax.block_templates``) as its grammar, read and checked as an author's
    grammar is; what goes wrong is reported at the ``engine`` key (the grammar's text is
    not the author's)."""
    where: Path = ("structure", "engine")
    if "grammar" in data:
        out.error(where, "engine 'template' writes the grammar from the block style: the "
                         "definition has its own 'grammar' section (drop one of them)")
        return definition
    if any(p.severity == "error" for p in out.problems):
        return definition  # no template for a definition that does not load
    # the templates are written with the keyword-level parser's operator table
    # (``syntax.grammar``): the syntax layer, imported only for this key
    from ..syntax.block_templates import TemplateRefused, dump_yaml, template_grammar
    try:
        grammar, notes = template_grammar(definition)
    except TemplateRefused as exc:
        out.error(where, f"engine 'template': {exc}")
        return definition
    for note in notes:
        out.warn(where, f"engine 'template': {note}")
    # "lexical" present: the grammar is in the native notation, not ParserCraft's
    text = dump_yaml({"lexical": {}, "grammar": grammar})
    problems: list[DefinitionProblem] = []
    found = attach_grammar(definition, load_yaml(text), text, problems)
    for problem in problems:
        out.error(where, f"engine 'template': the template grammar: {problem.message}",
                  severity=problem.severity)
    return found


def load_definition(path: str | FsPath) -> LanguageDefinition:
    """Load a definition file or raise DefinitionError with every problem."""
    file = FsPath(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(str(file), [DefinitionProblem(f"cannot read: {exc}", 1, 1)]) from exc
    definition, problems = load_definition_text(text, str(file))
    if definition is None:
        raise DefinitionError(str(file), [p for p in problems if p.severity == "error"])
    return definition


def _remap_marks(doc: YamlDocument, origin: dict[Path, Path]) -> YamlDocument:
    """Positions for native paths produced from ParserCraft paths."""
    remapped = YamlDocument(doc.data, dict(doc.marks), dict(doc.key_marks))
    for native, original in origin.items():
        remapped.marks[native] = doc.position(original)
        remapped.key_marks[native] = doc.position(original, key=True)
    return remapped


def _did_you_mean(word: str, options: set[str]) -> str:
    return did_you_mean(word, options)


def _check_unknown_keys(out: _Collector, data: Mapping[str, Any]) -> None:
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            out.error((key,), f"unknown key '{key}'{_did_you_mean(key, TOP_LEVEL_KEYS)}", key=True)
    for section, allowed in SECTION_KEYS.items():
        value = data.get(section)
        if isinstance(value, dict):
            for key in value:
                if key not in allowed:
                    out.error((section, key),
                              f"unknown key '{section}.{key}'{_did_you_mean(key, allowed)}",
                              key=True)


# ---------------------------------------------------------------- typed readers

def _get(out: _Collector, data: Mapping[str, Any], path: Path, kind: type | tuple[type, ...],
         default: Any) -> Any:
    value = data.get(str(path[-1]), default)
    if value is default or value is None:
        return default
    if kind is int and isinstance(value, bool):
        out.error(path, f"'{path[-1]}' must be a whole number, not {value!r}")
        return default
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        out.error(path, f"'{path[-1]}' must be a {_friendly(names)}, not {value!r}")
        return default
    return value


def _friendly(names: str) -> str:
    return (names.replace("str", "string").replace("int", "whole number")
            .replace("bool", "boolean (true/false)").replace("dict", "mapping")
            .replace("list", "list"))


def _enum(out: _Collector, data: Mapping[str, Any], path: Path, enum: Any, default: Any) -> Any:
    raw = _get(out, data, path, str, None)
    if raw is None:
        return default
    try:
        return enum(raw)
    except ValueError:
        options = {e.value for e in enum}
        out.error(path, f"'{raw}' is not a valid {path[-1]}; expected one of "
                        f"{', '.join(sorted(options))}{_did_you_mean(raw, options)}")
        return default


def _string_list(out: _Collector, value: Any, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    out.error(path, f"'{path[-1]}' must be a string or a list of strings")
    return ()


def _implicit_modules(out: _Collector, raw: Any, path: Path) -> tuple[str, ...]:
    """``structure.implicit_modules``: each one of the ``standard_modules`` (another is
    warned about and left out)."""
    listed = raw.get("standard_modules")
    standard = {m.lower() for m in ([listed] if isinstance(listed, str) else listed or ())
                if isinstance(m, str)}
    found = []
    for i, name in enumerate(_string_list(out, raw.get("implicit_modules"),
                                          path + ("implicit_modules",))):
        if name.lower() not in standard:
            out.warn(path + ("implicit_modules", i), f"'{name}' is not one of "
                     "'standard_modules' (ignored)")
            continue
        found.append(name)
    return tuple(found)


def _include_patterns(out: _Collector, value: Any, path: Path) -> tuple[str, ...]:
    """``structure.includes``: patterns whose first group is an included file's name."""
    found = []
    for i, pattern in enumerate(_string_list(out, value, path)):
        if _regex(out, pattern, path + (i,)) is None:
            continue
        if re.compile(pattern).groups < 1:
            out.error(path + (i,), f"pattern {pattern!r} has no group: its first group "
                      "must match the included file's name")
            continue
        found.append(pattern)
    return tuple(found)


def _mixin_calls(out: _Collector, raw: Mapping[str, Any], path: Path) -> tuple[str, ...]:
    """``structure.mixin_calls``: method names; a mixin's call is a method call, so
    without ``method_separator`` they do nothing (a warning says so)."""
    names = tuple(_string_list(out, raw.get("mixin_calls"), path + ("mixin_calls",)))
    if names and not raw.get("method_separator"):
        out.warn(path + ("mixin_calls",), "'mixin_calls' does nothing without "
                 "'method_separator' (a mixin is called as a method: C:implement(M))", key=True)
    return names


def _globals_table(out: _Collector, raw: Mapping[str, Any], path: Path) -> str | None:
    """``structure.globals_table``: a name; what it gives is shared with other files, so
    without ``workspace_globals`` it does nothing (a warning says so)."""
    name = _get(out, raw, path + ("globals_table",), str, None) or None
    if name is not None and not raw.get("workspace_globals"):
        out.warn(path + ("globals_table",), "'globals_table' does nothing without "
                 "'workspace_globals: true' (the globals it finds are shared with other files)",
                 key=True)
    return name


def _host_globals(out: _Collector, value: Any, path: Path) -> tuple[HostGlobals, ...]:
    """``structure.host_globals``: a list of mappings ``host``, ``names``, ``files``,
    ``marks``."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        out.error(path, "'host_globals' must be a list of mappings with 'host', 'names', "
                  "'files' and 'marks'")
        return ()
    found = []
    for i, entry in enumerate(value):
        for key in entry:
            if key not in ("host", "names", "files", "marks", "members", "descriptions"):
                out.warn(path + (i, key), f"unknown key '{key}' in 'host_globals' (ignored)",
                         key=True)
        names = _string_list(out, entry.get("names"), path + (i, "names"))
        if not names:
            out.error(path + (i,), "a host needs 'names': the globals it provides")
            continue
        marks = _string_list(out, entry.get("marks"), path + (i, "marks"))  # names too
        names += tuple(m for m in marks if m not in names)
        members = _host_members(out, entry.get("members"), path + (i, "members"), names)
        found.append(HostGlobals(str(entry.get("host") or "the host"), names,
                                 _string_list(out, entry.get("files"), path + (i, "files")),
                                 marks, members,
                                 _host_descriptions(out, entry.get("descriptions"),
                                                    path + (i, "descriptions"), names,
                                                    members)))
    return tuple(found)


def _host_descriptions(out: _Collector, value: Any, path: Path, names: tuple[str, ...],
                       members: tuple[tuple[str, tuple[str, ...]], ...]
                       ) -> tuple[tuple[str, str], ...]:
    """A host's ``descriptions``: a mapping from one of its names or a member its
    ``members`` list (``love.graphics.print``) to what hover says of it."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        out.error(path, "'descriptions' must be a mapping from a name of the host (or a "
                  "member its 'members' list: 'love.graphics.print') to a text")
        return ()
    listed = dict(members)
    found = []
    for named, text in value.items():
        owner, _, member = str(named).rpartition(".")
        if named not in names and member not in listed.get(owner, ()):
            out.warn(path + (str(named),), f"'descriptions' of '{named}', which is neither "
                     "one of the host's names nor a member its 'members' list (ignored)",
                     key=True)
        elif not isinstance(text, str) or not text.strip():
            out.warn(path + (str(named),), f"the description of '{named}' must be a text "
                     "(ignored)")
        else:
            found.append((str(named), text.strip()))
    return tuple(found)


def _host_members(out: _Collector, value: Any, path: Path, names: tuple[str, ...]
                  ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A host's ``members``: a mapping from one of its names, or a dotted path from one
    (``vim.api``), to the member names completion offers after it."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        out.error(path, "'members' must be a mapping from a name of the host (or a dotted "
                  "path from one: 'vim.api') to a list of member names")
        return ()
    found = []
    for owner, members in value.items():
        if not isinstance(owner, str) or owner.split(".")[0] not in names:
            out.warn(path + (str(owner),), f"'members' of '{owner}', which is not one of "
                     "the host's names nor a dotted path from one (ignored)", key=True)
            continue
        listed = _string_list(out, members, path + (owner,))
        if listed:
            found.append((owner, listed))
    return tuple(found)


def _metacommands(out: _Collector, value: Any, path: Path) -> Metacommands | None:
    """``structure.metacommands``: a marker and the words offered after it, each list a
    mapping word -> description (or a list of words)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        out.error(path, "'metacommands' must be a mapping with 'marker', 'in_comments' "
                  "and 'at_line_start'")
        return None
    for key in value:
        if key not in ("marker", "in_comments", "at_line_start"):
            out.warn(path + (key,), f"unknown key '{key}' in 'metacommands' (ignored)",
                     key=True)
    marker = _marker(out, value, path + ("marker",)) or "$"
    lists = []
    for key in ("in_comments", "at_line_start"):
        raw = value.get(key) or {}
        words: dict[str, str] = {}
        if isinstance(raw, list) and all(isinstance(w, str) for w in raw):
            words = dict.fromkeys(raw, "")
        elif isinstance(raw, dict) and all(isinstance(w, str) and isinstance(d, (str, type(None)))
                                           for w, d in raw.items()):
            words = {w: d or "" for w, d in raw.items()}
        else:
            out.error(path + (key,), f"'{key}' must map each word to its description "
                      "(or list the words)")
        for word in [w for w in words if not w.strip()]:
            out.error(path + (key,), f"'{key}' holds an empty word")
            del words[word]
        lists.append(tuple(words.items()))
    return Metacommands(marker, lists[0], lists[1])


def _regex(out: _Collector, pattern: Any, path: Path) -> str | None:
    if not isinstance(pattern, str):
        out.error(path, "a pattern must be a string")
        return None
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        out.error(path, f"invalid pattern {pattern!r}: {exc}")
        return None
    if compiled.match(""):
        out.error(path, f"pattern {pattern!r} matches the empty string")
        return None
    return pattern


# ---------------------------------------------------------------- sections

def _build(out: _Collector, data: Mapping[str, Any], source: str) -> LanguageDefinition:
    name = _get(out, data, ("name",), str, "") or ""
    if not name:
        out.error(("name",), "a definition needs a 'name'")
    lang_id = _get(out, data, ("id",), str, "") or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    version = data.get("version", "1.0")
    lexical = _lexical(out, data.get("lexical") or {})
    keywords, categories, docs = _keywords(out, _restore_words(out.doc, data.get("keywords") or {}))
    structure = _structure(out, data.get("structure") or {}, keywords)
    operators = _operators(out, data.get("operators"), keywords, structure)
    punctuation = _syntax_punctuation(structure)
    keywords, shared = resolve_spellings(out.warn, keywords, operators, structure.assignment,
                                         fold=not lexical.case_sensitive, punctuation=punctuation)
    # an operator spelled as needed punctuation (a keyword's ','): the punctuation wins
    operators = tuple(op for op in operators if op.symbol not in punctuation)
    spelled = set(keywords) | set(shared)  # a concept that lost every spelling is gone
    categories = {c: v for c, v in categories.items() if c in spelled}
    docs = {c: v for c, v in docs.items() if c in spelled}
    return LanguageDefinition(
        id=lang_id,
        name=name or lang_id,
        version=str(version),
        description=str(data.get("description") or ""),
        extensions=tuple(e if e.startswith(".") else "." + e
                         for e in _string_list(out, data.get("extensions"), ("extensions",))),
        lexical=lexical,
        keywords=keywords,
        keyword_categories=categories,
        keyword_docs=docs,
        operators=operators,
        structure=structure,
        builtins=_builtins(out, data.get("builtins") or []),
        types=_types(out, data.get("types") or {}),
        protocols=_protocols(out, data.get("protocols") or {}),
        formatting=_formatting(out, data.get("formatting") or {}),
        source_path=source,
        shared_spellings=shared,
    )


# the keys of one `lexical.block_comments` entry (model.BlockComment)
BLOCK_COMMENT_KEYS = ("open", "close", "nested", "close_pattern", "inner_open_pattern")
# the keys of one `lexical.modes` entry (model.LexicalMode)
MODE_KEYS = ("directive", "nested_comments", "identifier", "name", "extensions", "overloading",
             "empty_call_value")


def _delimited(out: _Collector, raw: Mapping[str, Any], key: str, what: str
               ) -> tuple[BlockComment, ...]:
    """``lexical.<key>``: entries with an ``open`` and a ``close`` (and ``nested``)."""
    found: list[BlockComment] = []
    for i, b in enumerate(raw.get(key) or []):
        if not isinstance(b, dict) or not b.get("open") or not b.get("close"):
            out.error(("lexical", key, i), f"{what} needs 'open' and 'close'")
            continue
        _warn_unknown(out, b, ("lexical", key, i), BLOCK_COMMENT_KEYS)
        patterns = [_unnested_pattern(out, b, ("lexical", key, i), name)
                    for name in ("close_pattern", "inner_open_pattern")]
        found.append(BlockComment(str(b["open"]), str(b["close"]), bool(b.get("nested", False)),
                                  *patterns))
    return tuple(found)


def _unnested_pattern(out: _Collector, b: Mapping[str, Any], path: Path, name: str) -> str:
    """A block comment's ``close_pattern`` or ``inner_open_pattern``: a regular
    expression, for a comment that does not nest."""
    if name not in b:
        return ""
    if b.get("nested"):
        out.error(path + (name,), f"{name} is for a comment that does not nest")
        return ""
    return _regex(out, b[name], path + (name,)) or ""


def _warn_unknown(out: _Collector, entry: Mapping[str, Any], path: Path,
                  known: tuple[str, ...]) -> None:
    for name in entry:
        if name not in known:
            out.warn(path + (name,), f"unknown key '{name}'{_did_you_mean(str(name), set(known))}",
                     key=True)


def _modes(out: _Collector, raw: Any, blocks: tuple[BlockComment, ...]
           ) -> tuple[LexicalMode, ...]:
    """``lexical.modes``: a ``directive`` pattern, an optional ``name`` and the block
    comments (by opener) that nest in a text it matches in."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        out.error(("lexical", "modes"), "modes must be a list of mappings")
        return ()
    openers = {b.open for b in blocks if not b.close_pattern and not b.inner_open_pattern}
    modes: list[LexicalMode] = []
    for i, m in enumerate(raw):
        path: Path = ("lexical", "modes", i)
        if not isinstance(m, dict) or "directive" not in m:
            out.error(path, "a mode needs a 'directive' pattern")
            continue
        _warn_unknown(out, m, path, MODE_KEYS)
        directive = _regex(out, m["directive"], path + ("directive",))
        nested = _string_list(out, m.get("nested_comments"), path + ("nested_comments",))
        for opener in nested:
            if opener not in openers:
                out.error(path + ("nested_comments",),
                          f"{opener!r} opens no block comment that may nest")
        identifier = _regex(out, m["identifier"], path + ("identifier",)) \
            if "identifier" in m else ""
        name = _get(out, m, path + ("name",), str, "")
        if name and any(name.lower() == other.name.lower() for other in modes):
            out.error(path + ("name",), f"two modes are named {name!r}")
        extensions = _mode_extensions(out, m, path, name, modes)
        overloading = _get(out, m, path + ("overloading",), bool, False)
        empty_call_value = _get(out, m, path + ("empty_call_value",), bool, False)
        if directive:
            modes.append(LexicalMode(directive, tuple(o for o in nested if o in openers),
                                     identifier or "", name, extensions, overloading,
                                     empty_call_value))
    return tuple(modes)


def _mode_extensions(out: _Collector, m: Mapping[str, Any], path: Path, name: str,
                     modes: list[LexicalMode]) -> tuple[str, ...]:
    """A mode's ``extensions``: '.lpr'-like, each in one mode only; the mode is chosen
    by its name, so it needs one."""
    found = _string_list(out, m.get("extensions"), path + ("extensions",))
    if found and not name:
        out.error(path + ("extensions",), "a mode with extensions needs a 'name'")
        return ()
    taken = {e.lower() for other in modes for e in other.extensions}
    good: list[str] = []
    for ext in found:
        if not ext.startswith(".") or ext.lower() in taken:
            out.error(path + ("extensions",),
                      f"{ext!r} must be an extension ('.lpr') no other mode names")
            continue
        good.append(ext)
    return tuple(good)


def _default_mode(out: _Collector, raw: dict[str, Any], modes: tuple[LexicalMode, ...]) -> str:
    """``lexical.default_mode``: the name of one of ``modes``."""
    name: str = _get(out, raw, ("lexical", "default_mode"), str, "")
    if name and not any(name.lower() == m.name.lower() for m in modes):
        named = ", ".join(m.name for m in modes if m.name) or "none"
        out.error(("lexical", "default_mode"), f"no mode is named {name!r} (named: {named})")
        return ""
    return name


def _ends_at(out: _Collector, rule: dict[str, Any], path: Path, escape: str,
             other_form: bool) -> str | None:
    """A quoted word's ``ends_at`` (the characters besides blanks that end it), checked:
    a word has no closing delimiter, so no doubled escape, and it is one line long."""
    if "ends_at" not in rule:
        return None
    ends_at = rule["ends_at"]
    if not isinstance(ends_at, str) or escape == "doubled" or other_form:
        out.error(path + ("ends_at",), "ends_at must be a string of characters, on a string "
                  "rule without escape: doubled, multiline, line_end_closes or "
                  "whitespace_escape (a quoted word has no closing delimiter)")
        return None
    return ends_at


def _lexical(out: _Collector, raw: Any) -> Lexical:
    if not isinstance(raw, dict):
        out.error(("lexical",), "'lexical' must be a mapping")
        return Lexical()
    base = Lexical()
    ident = raw.get("identifier", base.identifier)
    ident = _regex(out, ident, ("lexical", "identifier")) or base.identifier
    numbers = tuple(
        p for i, n in enumerate(_string_list(out, raw.get("numbers"), ("lexical", "numbers")))
        if (p := _regex(out, n, ("lexical", "numbers", i)))
    ) or base.numbers
    strings: list[StringRule] = []
    for i, s in enumerate(raw.get("strings") or []):
        path: Path = ("lexical", "strings", i)
        if isinstance(s, str):
            s = {"delimiter": s}
        if not isinstance(s, dict) or not isinstance(s.get("delimiter"), str) or not s["delimiter"]:
            out.error(path, "a string rule needs a non-empty 'delimiter'")
            continue
        for key in s:
            if key not in STRING_RULE_KEYS:
                out.warn(path + (key,), f"unknown key 'lexical.strings.{key}'"
                                        f"{_did_you_mean(str(key), set(STRING_RULE_KEYS))}",
                         key=True)
        escape = s.get("escape", "backslash")
        if escape not in ("backslash", "doubled", "none"):
            out.error(path + ("escape",), f"escape must be backslash, doubled or none, not {escape!r}")
            escape = "backslash"
        skip = s.get("whitespace_escape", "")
        if not isinstance(skip, str) or len(skip) > 1 or (skip and escape != "backslash"):
            out.error(path + ("whitespace_escape",), "whitespace_escape must be one letter, "
                      "with backslash escapes")
            skip = ""
        prefix = s.get("prefix", "")
        if not isinstance(prefix, str) or any(ch.isspace() for ch in prefix):
            out.error(path + ("prefix",), f"a string prefix must be a word, not {prefix!r}")
            prefix = ""
        multiline = bool(s.get("multiline", False))
        line_end_closes = s.get("line_end_closes", False)
        if not isinstance(line_end_closes, bool) or (line_end_closes and multiline):
            out.error(path + ("line_end_closes",), "line_end_closes must be true or false, "
                      "and not true for a multiline string")
            line_end_closes = False
        ends_at = _ends_at(out, s, path, escape, multiline or line_end_closes or bool(skip))
        strings.append(StringRule(s["delimiter"], escape, multiline, whitespace_escape=skip,
                                  prefix=prefix, line_end_closes=line_end_closes,
                                  ends_at=ends_at, escapes=_escapes(out, s, path, escape)))
    blocks = _delimited(out, raw, "block_comments", "a block comment")
    inserts = tuple(BlockComment(b.open, b.close)
                    for b in _delimited(out, raw, "directive_strings", "a directive string"))
    modes = _modes(out, raw.get("modes"), blocks)
    return Lexical(
        case_sensitive=_get(out, raw, ("lexical", "case_sensitive"), bool, True),
        identifier=ident,
        numbers=numbers,
        strings=tuple(strings) if "strings" in raw else base.strings,
        line_comments=_string_list(out, raw.get("line_comments"), ("lexical", "line_comments"))
        if "line_comments" in raw else base.line_comments,
        block_comments=blocks,
        directive_strings=inserts,
        line_continuation=_marker(out, raw, ("lexical", "line_continuation")),
        continuation_resume=_resume_marker(out, raw),
        brackets_join_lines=_get(out, raw, ("lexical", "brackets_join_lines"), bool, False),
        long_brackets=_long_brackets(out, raw.get("long_brackets")),
        first_line_comment=_marker(out, raw, ("lexical", "first_line_comment")),
        keyword_name_joiner=_marker(out, raw, ("lexical", "keyword_name_joiner")),
        modes=modes,
        default_mode=_default_mode(out, raw, modes),
        doc_comments=_doc_comments(out, raw.get("doc_comments")),
        conditionals=_conditionals(out, raw.get("conditionals")),
        name_escape=_name_escape(out, raw, ident),
    )


def _name_escape(out: _Collector, raw: dict[str, Any], identifier: str) -> str:
    """``lexical.name_escape``: a prefix the identifier pattern takes before a word."""
    escape = _marker(out, raw, ("lexical", "name_escape"))
    try:
        taken = bool(re.fullmatch(identifier, escape + "name")) if escape else True
    except re.error:  # the identifier pattern's own problem is reported
        taken = True
    if not taken:
        out.error(("lexical", "name_escape"),
                  f"the identifier pattern does not take {escape!r} before a name")
        return ""
    return escape


CONDITIONAL_KEYS = ("defined", "undefined", "if_defined", "if_undefined", "branch_end",
                    "inner_open", "inner_close", "define", "undefine", "branch_else")
CONDITIONAL_FORMS = ("if_defined", "if_undefined", "define", "undefine")
NAME_PLACEHOLDER = "{name}"


def _conditionals(out: _Collector, raw: Any) -> Conditionals | None:
    """``lexical.conditionals``: predefined names and the directive patterns whose
    known-false first branch the lexer skips (``model.Conditionals``)."""
    if raw is None:
        return None
    root: Path = ("lexical", "conditionals")
    if not isinstance(raw, dict):
        out.error(root, "conditionals must be a mapping")
        return None
    _warn_unknown(out, raw, root, CONDITIONAL_KEYS)
    names = {key: _string_list(out, raw.get(key), root + (key,)) for key in ("defined", "undefined")}
    both = {n.lower() for n in names["defined"]} & {n.lower() for n in names["undefined"]}
    for name in sorted(both):
        out.error(root + ("undefined",), f"{name!r} is listed as defined and as undefined")
    forms = {key: tuple(p for i, p in enumerate(_string_list(out, raw.get(key), root + (key,)))
                        if _directive_form(out, p, root + (key, i)))
             for key in CONDITIONAL_FORMS}
    ends = {key: _regex(out, raw[key], root + (key,)) or "" if key in raw else ""
            for key in ("branch_end", "inner_open", "inner_close", "branch_else")}
    if not ends["branch_end"]:
        out.error(root, "conditionals need a 'branch_end' pattern (the end of a skipped branch)")
        return None
    if bool(ends["inner_open"]) != bool(ends["inner_close"]):
        out.error(root, "'inner_open' and 'inner_close' go together")
        ends["inner_open"] = ends["inner_close"] = ""
    return Conditionals(names["defined"], names["undefined"], forms["if_defined"],
                        forms["if_undefined"], ends["branch_end"], ends["inner_open"],
                        ends["inner_close"], forms["define"], forms["undefine"],
                        ends["branch_else"])


def _directive_form(out: _Collector, pattern: str, path: Path) -> bool:
    """A conditional directive's pattern: a regular expression once ``{name}`` (which
    it must hold) stands for a name."""
    if NAME_PLACEHOLDER not in pattern:
        out.error(path, f"a conditional's pattern must hold {NAME_PLACEHOLDER} where the name stands")
        return False
    return _regex(out, pattern.replace(NAME_PLACEHOLDER, "N"), path) is not None


DOC_COMMENT_KEYS = ("marker", "tags")
DOC_TAG_KEYS = ("pattern", "means")
# the regex groups each meaning reads (``semantics.doc_comments``)
DOC_GROUPS = {"parameter": ("name", "type"), "result": ("type",), "class": ("name",),
              "field": ("name", "type"), "type": ("type",), "alias": ("name", "type")}


def _doc_comments(out: _Collector, raw: Any) -> DocComments | None:
    """``lexical.doc_comments``: a ``marker`` and ``tags``, each a ``pattern`` and what
    it ``means`` (``model.DOC_MEANINGS``)."""
    path: Path = ("lexical", "doc_comments")
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("marker"), str) \
            or not raw["marker"].strip():
        out.error(path, "'doc_comments' must be a mapping with a non-empty 'marker' and 'tags'")
        return None
    _unknown_keys(out, raw, path, DOC_COMMENT_KEYS)
    tags = []
    for i, tag in enumerate(raw.get("tags") or []):
        where = path + ("tags", i)
        if not isinstance(tag, dict):
            out.error(where, "a doc comment tag is a mapping with 'pattern' and 'means'")
            continue
        _unknown_keys(out, tag, where, DOC_TAG_KEYS)
        means = tag.get("means")
        if means not in DOC_MEANINGS:
            out.error(where + ("means",), f"'means' must be one of {', '.join(DOC_MEANINGS)}, "
                                          f"not {means!r}")
            continue
        pattern = _regex(out, tag.get("pattern"), where + ("pattern",))
        if pattern is None:
            continue
        missing = [g for g in DOC_GROUPS[means] if g not in re.compile(pattern).groupindex]
        if missing:
            out.error(where + ("pattern",), f"a '{means}' tag's pattern needs the group(s) "
                      + ", ".join(f"(?P<{g}>...)" for g in missing))
            continue
        tags.append(DocTag(pattern, means))
    return DocComments(raw["marker"], tuple(tags))


def _unknown_keys(out: _Collector, raw: dict[str, Any], path: Path, known: tuple[str, ...]
                  ) -> None:
    for key in raw:
        if key not in known:
            dotted = ".".join(str(p) for p in path if isinstance(p, str))
            out.warn(path + (key,), f"unknown key '{dotted}.{key}'"
                                    f"{_did_you_mean(str(key), set(known))}", key=True)


LONG_BRACKET_KEYS = ("open", "close", "level", "comment")


def _long_brackets(out: _Collector, raw: Any) -> LongBrackets | None:
    """``lexical.long_brackets``: ``true`` (Lua's ``[=[ ]=]``) or a mapping of
    single-character ``open``, ``close``, ``level`` and a ``comment`` marker."""
    path: Path = ("lexical", "long_brackets")
    if raw is None or raw is False:
        return None
    if raw is True:
        return LongBrackets()
    if not isinstance(raw, dict):
        out.error(path, "'long_brackets' must be true or a mapping with 'open', 'close', "
                        "'level' and 'comment'")
        return None
    for key in raw:
        if key not in LONG_BRACKET_KEYS:
            out.warn(path + (key,), f"unknown key 'lexical.long_brackets.{key}'"
                                    f"{_did_you_mean(str(key), set(LONG_BRACKET_KEYS))}", key=True)
    base = LongBrackets()
    values: dict[str, str] = {}
    for key in ("open", "close", "level"):
        value = raw.get(key, getattr(base, key))
        if not isinstance(value, str) or len(value) != 1 or value.isspace():
            out.error(path + (key,), f"'long_brackets.{key}' must be one character, "
                                     f"not {value!r}")
            return None
        values[key] = value
    if len(set(values.values())) != 3:
        out.error(path, "'long_brackets' needs three different characters for 'open', "
                        "'close' and 'level'")
        return None
    comment = raw.get("comment", "")
    if not isinstance(comment, str) or any(ch.isspace() for ch in comment):
        out.error(path + ("comment",), f"'long_brackets.comment' must be a marker without "
                                       f"spaces, not {comment!r}")
        comment = ""
    return LongBrackets(values["open"], values["close"], values["level"], comment)


def _resume_marker(out: _Collector, raw: Mapping[str, Any]) -> str:
    """``lexical.continuation_resume``: only with a ``line_continuation`` to resume."""
    marker = _marker(out, raw, ("lexical", "continuation_resume"))
    if marker and not raw.get("line_continuation"):
        out.warn(("lexical", "continuation_resume"), "'continuation_resume' does "
                 "nothing without 'line_continuation'")
        return ""
    return marker


def _marker(out: _Collector, raw: Mapping[str, Any], path: Path) -> str:
    """A symbol such as a line continuation: not blank, no spaces inside."""
    value = _get(out, raw, path, str, "")
    if value and (value.strip() != value or any(ch.isspace() for ch in value)):
        out.error(path, f"'{path[-1]}' must be a symbol without spaces, not {value!r}")
        return ""
    return str(value)


def _symbols(out: _Collector, raw: Mapping[str, Any], path: Path) -> tuple[str, ...]:
    symbols = _string_list(out, raw.get(str(path[-1])), path)
    bad = [s for s in symbols if not s.strip() or any(ch.isspace() for ch in s)]
    for s in bad:
        out.error(path, f"'{path[-1]}' must hold symbols without spaces, not {s!r}")
    return tuple(s for s in symbols if s not in bad)


def _restore_words(doc: YamlDocument, raw: Any) -> Any:
    """Keyword spellings such as YES, NO or ON are words, not YAML 1.1 booleans."""
    if not isinstance(raw, dict):
        return raw
    restored: dict[str, Any] = {}
    for concept, value in raw.items():
        text = doc.raw_scalars.get(("keywords", concept))
        if isinstance(value, dict):  # ParserCraft's {original, custom} entries
            value = {k: doc.raw_scalars.get(("keywords", concept, k)) or v
                     if v is None or isinstance(v, bool) else v for k, v in value.items()}
        restored[concept] = text if (value is None or isinstance(value, bool)) and text \
            else value
    return restored


def _keywords(out: _Collector, raw: Any) -> tuple[
    dict[str, tuple[str, ...]], dict[str, str], dict[str, str]
]:
    keywords: dict[str, tuple[str, ...]] = {}
    categories: dict[str, str] = {}
    docs: dict[str, str] = {}
    if not isinstance(raw, dict):
        out.error(("keywords",), "'keywords' must be a mapping of concept: spelling")
        return keywords, categories, docs
    for concept, value in raw.items():
        path: Path = ("keywords", concept)
        if isinstance(value, dict):
            spellings = _string_list(out, value.get("spelling"), path + ("spelling",))
            if value.get("category"):
                categories[concept] = str(value["category"])
            if value.get("description"):
                docs[concept] = str(value["description"])
        else:
            spellings = _string_list(out, value, path)
        spellings = tuple(s for s in spellings if s.strip())
        if not spellings:
            out.error(path, f"keyword '{concept}' has no spelling")
            continue
        for s in spellings:
            if any(ch.isspace() for ch in s):
                out.error(path, f"keyword spelling {s!r} must be a single word")
        keywords[concept] = spellings
    return keywords, categories, docs


def _structure(out: _Collector, raw: Any, keywords: dict[str, tuple[str, ...]]) -> Structure:
    if not isinstance(raw, dict):
        out.error(("structure",), "'structure' must be a mapping")
        raw = {}
    p: Path = ("structure",)
    inferred_style = _infer_block_style(keywords)
    style = _enum(out, raw, p + ("block_style",), BlockStyle, inferred_style)
    default_sep = (StatementSeparation.SEPARATOR if style is BlockStyle.BEGIN_END
                   else StatementSeparation.NEWLINE)
    declarations = _get(out, raw, p + ("declarations",), str, "statement")
    if declarations not in ("statement", "sections", "assignment"):
        out.error(p + ("declarations",),
                  "declarations must be 'statement', 'sections' or 'assignment'")
        declarations = "statement"
    function_result = _get(out, raw, p + ("function_result",), str, "return")
    if function_result not in ("return", "name"):
        out.error(p + ("function_result",), "function_result must be 'return' or 'name'")
        function_result = "return"
    argument_counts = _get(out, raw, p + ("argument_counts",), str, "exact")
    if argument_counts not in ("exact", "builtins"):
        out.error(p + ("argument_counts",), "argument_counts must be 'exact' or 'builtins'")
        argument_counts = "exact"
    surplus_arguments = _get(out, raw, p + ("surplus_arguments",), str, "error")
    if surplus_arguments not in ("error", "warning"):
        out.error(p + ("surplus_arguments",), "surplus_arguments must be 'error' or 'warning'")
        surplus_arguments = "error"
    redeclaration = _get(out, raw, p + ("redeclaration",), str, "error")
    if redeclaration not in ("error", "allowed"):
        out.error(p + ("redeclaration",), "redeclaration must be 'error' or 'allowed'")
        redeclaration = "error"
    return Structure(
        block_style=style,
        engine=_choice(out, raw, p + ("engine",), ENGINES, "keywords"),
        statements=_enum(out, raw, p + ("statements",), StatementSeparation, default_sep),
        assignment=_get(out, raw, p + ("assignment",), str, "="),
        declarations=declarations,
        type_annotation=_get(out, raw, p + ("type_annotation",), str, ":"),
        result_type=_get(out, raw, p + ("result_type",), str, ":"),
        function_result=function_result,
        result_variable=_get(out, raw, p + ("result_variable",), str, ""),
        block_open=_get(out, raw, p + ("block_open",), str, ":"),
        program_terminator=_get(out, raw, p + ("program_terminator",), str, ""),
        index_base=_get(out, raw, p + ("index_base",), int, 0),
        real_digits=_real_digits(out, raw, p + ("real_digits",)),
        environment_complete=_get(out, raw, p + ("environment_complete",), bool, False),
        boolean_conditions=_get(out, raw, p + ("boolean_conditions",), bool, False),
        numbers_convert=_get(out, raw, p + ("numbers_convert",), bool, False),
        by_reference_variables=_get(out, raw, p + ("by_reference_variables",), bool, True),
        separators=_symbols(out, raw, p + ("separators",)),
        compound_assignments=_symbols(out, raw, p + ("compound_assignments",)),
        line_numbers=_get(out, raw, p + ("line_numbers",), bool, False),
        argument_counts=argument_counts,
        surplus_arguments=surplus_arguments,
        redeclaration=redeclaration,
        key_value=_marker(out, raw, p + ("key_value",)) or ":",
        index_open=_choice(out, raw, p + ("index_open",), ("[", "("), "["),
        parentheses_required=_get(out, raw, p + ("parentheses_required",), bool, False),
        function_keyword_required=_get(out, raw, p + ("function_keyword_required",), bool,
                                       True),
        block_end_required=_get(out, raw, p + ("block_end_required",), bool, True),
        standard_modules=_string_list(out, raw.get("standard_modules"),
                                      p + ("standard_modules",)),
        implicit_modules=_implicit_modules(out, raw, p),
        includes=_include_patterns(out, raw.get("includes"), p + ("includes",)),
        shipped_includes=_string_list(out, raw.get("shipped_includes"),
                                      p + ("shipped_includes",)),
        library_includes=_string_list(out, raw.get("library_includes"),
                                      p + ("library_includes",)),
        library_uses=_include_patterns(out, raw.get("library_uses"), p + ("library_uses",)),
        metacommands=_metacommands(out, raw.get("metacommands"), p + ("metacommands",)),
        implicit_types=_implicit_types(out, raw, p + ("implicit_types",)),
        type_marks=_type_marks(out, raw, p + ("type_marks",)),
        mark_types=_mark_types(out, raw, p + ("mark_types",)),
        placeholders=_string_list(out, raw.get("placeholders"), p + ("placeholders",)),
        shown_types=_string_list(out, raw.get("shown_types"), p + ("shown_types",)),
        known_types=_string_list(out, raw.get("known_types"), p + ("known_types",)),
        labels=_choice(out, raw, p + ("labels",), ("shared", "separate"), "shared"),
        type_names=_choice(out, raw, p + ("type_names",), ("shared", "separate"), "shared"),
        arrays=_choice(out, raw, p + ("arrays",), ("shared", "separate"), "shared"),
        workspace_globals=_get(out, raw, p + ("workspace_globals",), bool, False),
        undefined_types=_get(out, raw, p + ("undefined_types",), bool, False),
        package_scope=_choice(out, raw, p + ("package_scope",), ("file", "folder"), "file"),
        method_separator=_get(out, raw, p + ("method_separator",), str, None) or None,
        environment_variable=_get(out, raw, p + ("environment_variable",), str, None) or None,
        globals_table=_globals_table(out, raw, p),
        metatable_call=_get(out, raw, p + ("metatable_call",), str, None) or None,
        metatable_index=_get(out, raw, p + ("metatable_index",), str, None) or None,
        module_call=_get(out, raw, p + ("module_call",), str, None) or None,
        module_paths=tuple(_string_list(out, raw.get("module_paths"), p + ("module_paths",))),
        class_calls=tuple(_string_list(out, raw.get("class_calls"), p + ("class_calls",))),
        mixin_calls=_mixin_calls(out, raw, p),
        host_globals=_host_globals(out, raw.get("host_globals"), p + ("host_globals",)),
    )


def _escapes(out: _Collector, s: Mapping[str, Any], path: Path, escape: str) -> str:
    """``escapes``: a regular expression of what may follow a string's backslash."""
    pattern = s.get("escapes", "")
    if not pattern:
        return ""
    if not isinstance(pattern, str) or escape != "backslash":
        out.error(path + ("escapes",), "escapes must be a regular expression, with "
                  "backslash escapes")
        return ""
    try:
        re.compile(pattern)
    except re.error as exc:
        out.error(path + ("escapes",), f"escapes is no regular expression: {exc}")
        return ""
    return pattern


def _type_marks(out: _Collector, raw: Mapping[str, Any], path: Path) -> tuple[str, ...]:
    """``structure.type_marks``: marks (1 to 3 characters, none a letter, digit or '_')
    that may end a name as its type, longest first (a name ends with one mark)."""
    marks = _symbols(out, raw, path)
    good = [m for m in marks if _is_type_mark(m)]
    for mark in marks:
        if not _is_type_mark(mark):
            out.error(path, f"a type mark is 1 to 3 characters, none a letter, digit or '_', "
                      f"not {mark!r}")
    return tuple(sorted(good, key=len, reverse=True))


def _is_type_mark(mark: str) -> bool:
    return 1 <= len(mark) <= 3 and not any(c.isalnum() or c == "_" for c in mark)


def _mark_types(out: _Collector, raw: Mapping[str, Any], path: Path
                ) -> tuple[tuple[str, str], ...]:
    """``structure.mark_types``: the type of a name ending in each of ``type_marks``."""
    found = _get(out, raw, path, dict, {})
    marks = _type_marks(_Collector(out.doc), raw, path[:-1] + ("type_marks",))
    pairs = []
    for mark, type_text in found.items():
        if mark not in marks or not isinstance(type_text, str):
            out.error(path + (mark,), f"'mark_types' gives a type (a text) to a mark of "
                      f"'type_marks', not {mark!r}: {type_text!r}", key=True)
            continue
        pairs.append((str(mark), type_text))
    return tuple(pairs)


def _implicit_types(out: _Collector, raw: Mapping[str, Any], path: Path
                    ) -> ImplicitTypes | None:
    """``structure.implicit_types``: a default mark, the statements that set a mark for
    names by their first letter, and the words that name the type instead (``define``,
    with ``define_types``); each mark one of ``type_marks``."""
    value = raw.get(str(path[-1]))
    if value is None:
        return None
    if not isinstance(value, dict):
        out.error(path, "'implicit_types' must be a mapping with 'default', 'statements', "
                  "'define' and 'define_types'")
        return None
    for key in value:
        if key not in ("default", "statements", "define", "define_types"):
            out.warn(path + (key,), f"unknown key '{key}' in 'implicit_types' (ignored)",
                     key=True)
    marks = _type_marks(_Collector(out.doc), raw, path[:-1] + ("type_marks",))

    def mark_of(where: Path, mark: Any) -> str | None:
        if isinstance(mark, str) and mark in marks:
            return mark
        out.error(where, f"'implicit_types' names a mark of 'type_marks', not {mark!r}")
        return None

    default = value.get("default", "")
    if default != "":
        default = mark_of(path + ("default",), default) or ""
    pairs: list[list[tuple[str, str]]] = [[], []]
    for i, key in enumerate(("statements", "define_types")):
        found = value.get(key) or {}
        if not isinstance(found, dict):
            out.error(path + (key,), f"'{key}' must map each word to a mark")
            continue
        for word, mark in found.items():
            checked = mark_of(path + (key, word), mark)
            if checked is not None:
                pairs[i].append((str(word), checked))
    define = value.get("define") or []
    if isinstance(define, str):
        define = [define]
    if not isinstance(define, list) or not all(isinstance(w, str) for w in define):
        out.error(path + ("define",), "'define' must list words")
        define = []
    return ImplicitTypes(default, tuple(pairs[0]), tuple(define), tuple(pairs[1]))


def _real_digits(out: _Collector, raw: Mapping[str, Any], path: Path) -> int:
    value = _get(out, raw, path, int, 0)
    if not 0 <= value <= 17:
        out.error(path, f"'real_digits' must be from 0 to 17, not {value}")
        return 0
    return int(value)


def _choice(out: _Collector, raw: Mapping[str, Any], path: Path, options: tuple[str, ...],
            default: str) -> str:
    value = _get(out, raw, path, str, default)
    if value not in options:
        out.error(path, f"'{path[-1]}' must be one of {', '.join(options)}, not {value!r}")
        return default
    return str(value)


def _syntax_punctuation(structure: Structure) -> frozenset[str]:
    """Symbols the parser needs as punctuation in this language (see ``spellings``)."""
    symbols = {"(", ")", "[", "]", ",", ";", *structure.separators}
    if structure.block_style is BlockStyle.INDENTATION and structure.block_open:
        symbols.add(structure.block_open)
    if structure.block_style is BlockStyle.BRACES:
        symbols.update(("{", "}"))
    return frozenset(symbols)


def _infer_block_style(keywords: Mapping[str, Any]) -> BlockStyle:
    if "begin" in keywords and "end" in keywords:
        return BlockStyle.BEGIN_END
    if any(k in keywords for k in ("endif", "wend", "next", "endfunction")):
        return BlockStyle.KEYWORD_TERMINATED
    return BlockStyle.BRACES


def _operators(out: _Collector, raw: Any, keywords: dict[str, tuple[str, ...]],
               structure: Structure) -> tuple[Operator, ...]:
    ops: list[Operator] = []
    seen: set[str] = set()
    if raw is None or raw == []:
        ops = list(DEFAULT_OPERATORS)
    elif not isinstance(raw, list):
        out.error(("operators",), "'operators' must be a list")
        ops = list(DEFAULT_OPERATORS)
    else:
        for i, item in enumerate(raw):
            op = _operator(out, item, ("operators", i))
            if op is None:
                continue
            if op.symbol in seen:
                out.error(("operators", i, "symbol"), f"operator {op.symbol!r} is defined twice")
                continue
            seen.add(op.symbol)
            ops.append(op)
    symbols = {o.symbol.lower() for o in ops}
    # the assignment symbol is an operator only when it doubles as equality (BASIC's =)
    ops = [o for o in ops if o.symbol != structure.assignment
           or (o.symbol in COMPARISON_SYMBOLS and "==" not in symbols)]
    for concept, (prec, binary, unary, result) in WORD_OPERATOR_CONCEPTS.items():
        for spelling in keywords.get(concept, ()):
            if spelling.lower() not in symbols:
                ops.append(Operator(spelling, prec, binary=binary, unary=unary, result=result))
    return tuple(ops)


def _operator(out: _Collector, item: Any, path: Path) -> Operator | None:
    if not isinstance(item, dict) or not isinstance(item.get("symbol"), str) or not item["symbol"]:
        out.error(path, "an operator needs a 'symbol'")
        return None
    prec = item.get("precedence", 5)
    if not isinstance(prec, int) or isinstance(prec, bool):
        out.error(path + ("precedence",), f"precedence must be a whole number, not {prec!r}")
        prec = 5
    assoc_raw = str(item.get("associativity", "left")).lower()
    try:
        assoc = Associativity(assoc_raw)
    except ValueError:
        out.error(path + ("associativity",), f"associativity must be left, right or none, "
                                             f"not {assoc_raw!r}")
        assoc = Associativity.LEFT
    symbol = item["symbol"]
    arity = item.get("arity")
    unary = bool(item.get("unary", arity in ("unary", "both") or symbol in ("-", "+") and arity is None))
    binary = bool(item.get("binary", arity != "unary"))
    result = item.get("result")
    if result is None and symbol in COMPARISON_SYMBOLS:
        result = "bool"
    return Operator(symbol, prec, assoc, binary, unary, result, str(item.get("description", "")))


def _builtins(out: _Collector, raw: Any, where: Path = ("builtins",)) -> tuple[Builtin, ...]:
    if not isinstance(raw, list):
        out.error(where, f"'{where[-1]}' must be a list")
        return ()
    result: list[Builtin] = []
    for i, item in enumerate(raw):
        path: Path = where + (i,)
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            out.error(path, "a builtin needs a 'name'")
            continue
        params = tuple(_param(out, p, path + ("params", j)) for j, p in enumerate(item.get("params") or []))
        required = sum(1 for p in params if not p.optional)
        min_args = item.get("min_args", required)
        max_args = item.get("max_args", len(params) if "max_args" not in item and params else None)
        if "max_args" not in item and not params:
            max_args = None if item.get("variadic", True) else 0
        if not isinstance(min_args, int) or min_args < 0:
            out.error(path + ("min_args",), "min_args must be a whole number >= 0")
            min_args = 0
        if max_args is not None and (not isinstance(max_args, int) or max_args < min_args):
            out.error(path + ("max_args",), "max_args must be a whole number >= min_args, or null")
            max_args = None
        result.append(Builtin(item["name"], params, min_args, max_args,
                              str(item.get("returns", "any")), str(item.get("description", "")),
                              _implements(out, item.get("implements"), path),
                              # a library table's functions (Lua's table.concat)
                              _builtins(out, item["members"], path + ("members",))
                              if "members" in item else ()))
    return tuple(result)


def _implements(out: _Collector, raw: Any, path: Path) -> str | None:
    """The runtime operation a builtin names; an unknown one is warned about and dropped
    (the builtin is then not runnable, which ``craftls run`` says at the call)."""
    if raw is None:
        return None
    if not isinstance(raw, str) or raw not in OPERATIONS:
        out.warn(path + ("implements",), f"unknown runtime operation {raw!r}; known: "
                 f"{', '.join(sorted(OPERATIONS))}")
        return None
    return raw


def _param(out: _Collector, raw: Any, path: Path) -> Parameter:
    if isinstance(raw, str):
        name, _, typ = raw.partition(":")
        return Parameter(name.strip(), typ.strip() or "any")
    if not isinstance(raw, dict) or "name" not in raw:
        out.error(path, "a parameter needs a 'name'")
        return Parameter("arg")
    return Parameter(str(raw["name"]), str(raw.get("type", "any")), bool(raw.get("optional", False)))


def _types(out: _Collector, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        out.error(("types",), "'types' must be a mapping of surface name: canonical type")
        return {}
    types: dict[str, str] = {}
    for surface, canonical in raw.items():
        if not isinstance(canonical, str):
            out.error(("types", surface), f"type '{surface}' must map to a type name")
            continue
        types[surface] = canonical
    return types


def _protocols(out: _Collector, raw: Any) -> tuple[Protocol, ...]:
    if not isinstance(raw, dict):
        out.error(("protocols",), "'protocols' must be a mapping of name: protocol")
        return ()
    result: list[Protocol] = []
    for name, body in raw.items():
        path: Path = ("protocols", name)
        if not isinstance(body, dict):
            out.error(path, f"protocol '{name}' must be a mapping")
            continue
        members: list[ProtocolMember] = []
        for m, spec in (body.get("methods") or {}).items():
            spec = spec if isinstance(spec, dict) else {}
            params = tuple(_param(out, p, path + ("methods", m, "params", j))
                           for j, p in enumerate(spec.get("params") or []))
            members.append(ProtocolMember(m, "method", params, str(spec.get("returns", "none")),
                                          optional=bool(spec.get("optional", False)),
                                          implements=_implements(
                                              out, spec.get("implements"),
                                              path + ("methods", m))))
        for prop, spec in (body.get("properties") or {}).items():
            spec = spec if isinstance(spec, dict) else {"type": spec}
            members.append(ProtocolMember(prop, "property", type=str(spec.get("type", "any")),
                                          readonly=bool(spec.get("readonly", False)),
                                          optional=bool(spec.get("optional", False))))
        result.append(Protocol(name, tuple(members),
                               _string_list(out, body.get("extends"), path + ("extends",)),
                               _string_list(out, body.get("type_params"), path + ("type_params",)),
                               str(body.get("description", ""))))
    return tuple(result)


def _formatting(out: _Collector, raw: Any) -> FormatStyle:
    if not isinstance(raw, dict):
        out.error(("formatting",), "'formatting' must be a mapping")
        return FormatStyle()
    p: Path = ("formatting",)
    case = _get(out, raw, p + ("keyword_case",), str, "preserve")
    if case not in ("upper", "lower", "preserve"):
        out.error(p + ("keyword_case",), "keyword_case must be upper, lower or preserve")
        case = "preserve"
    indent = _get(out, raw, p + ("indent_width",), int, 4)
    if not 1 <= indent <= 16:
        out.error(p + ("indent_width",), "indent_width must be between 1 and 16")
        indent = 4
    return FormatStyle(indent, case, _get(out, raw, p + ("spaces_around_operators",), bool, True),
                       _get(out, raw, p + ("max_blank_lines",), int, 1),
                       _get(out, raw, p + ("space_after_comma",), bool, True))


# ---------------------------------------------------------------- cross checks

def _check_writable(out: _Collector, d: LanguageDefinition, identifier: re.Pattern[str]) -> None:
    """A word keyword or a builtin that is not a name of the language can never be written:
    say so instead of dropping it silently (ParserCraft's ``eq?``, ``number->integer``)."""
    for concept, spellings in d.keywords.items():
        for s in spellings:
            if s[:1].isalpha() and not identifier.fullmatch(s):
                out.warn(("keywords", concept), f"keyword spelling {s!r} is not a word of this "
                                                "language's names, so it can never be written")
    for i, b in enumerate(d.builtins):
        if not all(identifier.fullmatch(part) for part in b.name.split(".")):
            out.warn(("builtins", i), f"builtin {b.name!r} is not a name of this language, so "
                                      "it can never be called")


def _check_comment_operators(out: _Collector, d: LanguageDefinition) -> None:
    """An operator that a line comment marker begins is read as a comment, so it can never
    be written (Oberon's ``#`` with the default ``line_comments: ['#']``): say so at the
    operator."""
    fold = (lambda s: s) if d.lexical.case_sensitive else str.lower
    markers = [m for m in d.lexical.line_comments if m]
    raw = out.doc.data.get("operators") if isinstance(out.doc.data, dict) else None
    written = {item.get("symbol"): i for i, item in enumerate(raw)
               if isinstance(item, dict)} if isinstance(raw, list) else {}
    listed = "lexical.line_comments" if "line_comments" in (
        out.doc.data.get("lexical") or {}) else "the default lexical.line_comments"
    defaults = {op.symbol for op in DEFAULT_OPERATORS} if not written else set()
    for op in d.operators:
        marker = next((m for m in markers if fold(op.symbol).startswith(fold(m))), None)
        if marker is None or op.symbol not in written and op.symbol not in defaults:
            continue
        place: Path = ("operators", written[op.symbol], "symbol") if op.symbol in written \
            else ("lexical", "line_comments")
        what = "operator" if op.symbol in written else "default operator"
        out.warn(place, f"{what} {op.symbol!r} can never be written: {marker!r} starts a "
                 f"line comment ({listed} is {list(d.lexical.line_comments)}; write "
                 "'line_comments: []' under lexical for none)")


def _check_consistency(out: _Collector, d: LanguageDefinition) -> None:
    fold = (lambda s: s) if d.lexical.case_sensitive else str.lower
    owner = {fold(s): concept for concept, spellings in d.keywords.items() for s in spellings}
    try:
        identifier = re.compile(d.lexical.identifier)
    except re.error:  # already reported
        identifier = None
    if identifier is not None:
        _check_writable(out, d, identifier)
    _check_comment_operators(out, d)
    for concept in ("true", "false", "null"):
        if concept in d.keywords and not d.keywords[concept]:
            out.error(("keywords", concept), f"keyword '{concept}' has no spelling")
    for surface in d.types:
        if fold(surface) in owner:
            out.warn(("types", surface), f"type name {surface!r} is also a keyword")
    # the types' names are case-insensitive (``TypeNames``)
    listed = {surface.lower() for surface in d.types}
    _check_known_types(out, d, fold, owner, listed)
    _ = COMMON_TYPE_NAMES  # documented default mapping, consumed by the type system


def _check_known_types(out: _Collector, d: LanguageDefinition, fold: Callable[[str], str],
                       owner: Mapping[str, str], listed: set[str]) -> None:
    """``structure.known_types``: names only ``undefined_types`` reads, each one name
    that neither ``types:`` nor the keywords hold already."""
    known = d.structure.known_types
    if known and not d.structure.undefined_types:
        out.warn(("structure", "known_types"), "'known_types' has no effect without "
                 "'undefined_types: true' (no type name is reported undefined)")
    seen: set[str] = set()
    for i, name in enumerate(known):
        where = ("structure", "known_types", i)
        if len(name.split()) != 1:
            out.warn(where, f"known type {name!r} is not one name: no type name matches it")
        elif name.lower() in listed:
            out.warn(where, f"known type {name!r} is a name of 'types' already (known there)")
        elif fold(name) in owner:
            out.warn(where, f"known type {name!r} is a keyword: no type name matches it")
        elif name.lower() in seen:
            out.warn(where, f"known type {name!r} is listed twice")
        seen.add(name.lower())
