"""The full analysis of one file: syntax, names, imports and types, in one pass.

This is what diagnostics, hover, inlay hints and completion read. It lives above
``semantics`` and ``types`` so neither needs the other's diagnostics."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from fnmatch import fnmatch
from pathlib import Path

from ..language.model import LanguageDefinition
from ..semantics.diagnostics import Diagnostic, FileAnalysis, analyze_file
from ..syntax.parse import ParsedFile
from ..syntax.tokens import IDENT
from ..types import TypeChecker
from ..workspace.imports import (
    Included,
    IncluderContext,
    ModuleExports,
    ModuleResolver,
    resolve_imports,
    resolve_includes,
)
from ..workspace.shared_globals import describe, shares_names
from .caches import DEFAULT_CACHES, AnalysisCaches

# what an externally known name is, for a name of the ``globals`` setting
SETTING_GLOBAL = "a global of the globals setting"


def analyze_with_types(parsed: ParsedFile, path: Path | None = None,
            externals: Mapping[str, str] | None = None,
            resolver: ModuleResolver | None = None,
            caches: AnalysisCaches | None = None,
            extra_globals: Collection[str] | None = None,
            shared_globals: Mapping[str, str] | None = None) -> FileAnalysis:
    """``resolver``: the session's, which keeps what it read from disk between analyses
    (without one, imports are read from disk for this analysis only); ``caches``: the
    session's name-resolution templates and type cache (without one, ``DEFAULT_CACHES``);
    ``extra_globals``: names the file may use without declaring them (without it, the
    ``globals`` setting's names for the file's language, from ``caches``);
    ``shared_globals``: the globals other files of the workspace assign, name -> a
    file's path (without it, ``caches``' provider's, when it has one)."""
    caches = caches if caches is not None else DEFAULT_CACHES
    missing: list[str] = []
    resolver = resolver if resolver is not None else ModuleResolver()
    modules = resolve_imports(parsed, path, resolver)
    included = resolve_includes(parsed, path, resolver)
    context = resolver.includer_context(path, parsed.definition)
    if externals is None:
        externals = _external_names(modules, included, context, missing)
    if extra_globals is None:
        extra_globals = caches.globals.get(parsed.definition.id, ())
    if extra_globals:
        externals = {**dict.fromkeys(extra_globals, SETTING_GLOBAL), **externals}
    hosted = host_globals(parsed.definition, path, parsed)
    if hosted:
        externals = {**hosted, **externals}
    if shared_globals is None:
        shared_globals = caches.shared_globals(parsed.definition.id, path) \
            if caches.shared_globals is not None and shares_names(parsed.definition) \
            else {}
    if shared_globals:
        externals = {**describe(shared_globals), **externals}
    unread = _unread_includes(included) + _includer_unread(context, path)
    analysis = analyze_file(parsed, externals, missing, caches.names, bool(unread),
                            _included_defaults(included),
                            context is not None and bool(context.includers))
    analysis.diagnostics.extend(unread)
    analysis.shared_globals = shared_globals
    analysis.modules = {name.lower(): exports for name, exports in modules.items() if exports}
    analysis.extra_globals = frozenset(extra_globals)
    analysis.host_globals = hosted
    analysis.path = path
    analysis.inputs = _inputs(modules, included, context)
    if parsed.definition.lexical.doc_comments is not None:
        # imported here: it brings the grammar modules, which a keyword-level `check`
        # never loads (tests/core/test_startup.py)
        from .module_results import type_call_results
        type_call_results(analysis)
    try:
        report = TypeChecker(parsed.definition, cache=caches.types).check(parsed, analysis.model)
    except RecursionError:  # pathological nesting: keep the other results, and say so
        analysis.diagnostics.append(Diagnostic(
            0, 0, "warning", "types were not checked in this file: its nesting is too deep "
            "for the type checker; names and syntax were checked", "types-not-checked"))
        return analysis
    analysis.types = report
    analysis.diagnostics.extend(
        Diagnostic(d.start, d.end, d.severity, d.message, d.code, data=d.data)
        for d in report.diagnostics)
    analysis.diagnostics.sort(key=lambda d: (d.start, d.end, d.code))
    return analysis


def host_globals(definition: LanguageDefinition, path: Path | None,
                 parsed: ParsedFile | None = None) -> dict[str, str]:
    """The globals the hosts of ``structure.host_globals`` provide in the file at ``path``
    (name -> what it is): a host without file patterns runs every file; one with them,
    the files whose name (a pattern without ``/``) or path (one with) matches; one with
    ``marks``, only a file that writes one of them as a name (``parsed``)."""
    found: dict[str, str] = {}
    for host in definition.structure.host_globals:
        if host.files and not (path is not None and _runs(host.files, path)):
            continue
        if host.marks and not (parsed is not None and _writes_a_name(parsed, host.marks)):
            continue
        for name in host.names:
            found.setdefault(name, f"a global the host {host.host} provides")
    return found


def _writes_a_name(parsed: ParsedFile, names: tuple[str, ...]) -> bool:
    """Whether one of ``names`` is an identifier token of the file (not a word of a
    string or comment); the text is searched first, the tree only where it has one."""
    if not any(name in parsed.text for name in names):
        return False
    wanted = frozenset(names)
    return any(t.kind == IDENT and t.text in wanted for t in parsed.root.significant_leaves())


def _runs(patterns: tuple[str, ...], path: Path) -> bool:
    posix = path.as_posix()
    return any(fnmatch(path.name, p) if "/" not in p
               else fnmatch(posix, p) or fnmatch(posix, "*/" + p) for p in patterns)


def _external_names(modules: Mapping[str, ModuleExports | None], included: list[Included],
                    context: IncluderContext | None, missing: list[str]) -> dict[str, str]:
    """The names the imports declare (``missing``: the modules not found), then those of
    the included files, then, in a file another includes, what its includer sees."""
    externals: dict[str, str] = {}
    for name, exports in modules.items():
        if exports is None:
            missing.append(name)
        else:
            externals.update(exports.names)
    _add_included(externals, included)
    if context is not None:
        for key, text in context.names.items():
            externals.setdefault(key, text)
    return externals


def _add_included(externals: dict[str, str], included: list[Included]) -> None:
    """The names the included files declare (the file's own imports first)."""
    for include in included:
        if include.exports is not None:
            for key, text in include.exports.names.items():
                externals.setdefault(key, text)


def _included_defaults(included: list[Included]) -> dict[str, int]:
    """Routine key -> parameters with defaults, as the included files declare them."""
    found: dict[str, int] = {}
    for include in included:
        for key, count in (include.exports.defaults if include.exports else {}).items():
            found[key] = max(found.get(key, 0), count)
    return found


def _inputs(modules: Mapping[str, ModuleExports | None], included: list[Included],
            context: IncluderContext | None) -> frozenset[Path]:
    """The files the analysis read besides the file itself."""
    found = {exports.path for exports in modules.values() if exports is not None}
    for include in included:
        found.update(include.nested)
        if include.path is not None:
            found.add(include.path)
    if context is not None:
        found.update(context.inputs)
    return frozenset(found)


def _unread_includes(included: list[Included]) -> list[Diagnostic]:
    """A warning at the name of each included file that is not found or not read, and a
    hint at each that is, or includes, a library header the compiler ships (FreeBASIC's
    windows.bi, ``structure.library_includes``) craftls does not read: the names they
    declare are not known here, so no name is reported undefined."""
    out = []
    for include in included:
        found = _unread(include)
        if found is not None:
            severity, message, code = found
            out.append(Diagnostic(include.start, include.end, severity, message, code,
                                  data={"include": include.name}))
    return out


def _includer_unread(context: IncluderContext | None, path: Path | None) -> list[Diagnostic]:
    """A hint at the start of a file another includes when its includer (or a file that
    one includes) includes a file craftls does not read: the file sees that file's names
    where it is included (a header calling the SDL routines the program included before
    it), so, as in the includer, no name is reported undefined in it."""
    if context is None or context.unread is None:
        return []
    includer, name, library = context.unread
    where = includer.name if path is None else os.path.relpath(includer, path.parent)
    where = where.replace(os.sep, "/")
    if library:
        what = ("a library header the compiler ships, which craftls does not read: no name "
                "is reported undefined in this file", "library-include")
    else:
        what = ("which is not found: the names it declares are not known here, and no name "
                "is reported undefined in this file", "unresolved-include")
    return [Diagnostic(0, 0, "hint", f"this file is included by '{where}', whose includes "
                       f"reach '{name}', {what[0]}", what[1], data={"include": name})]


def _unread(include: Included) -> tuple[str, str, str] | None:
    """The severity, message and code of ``include``'s diagnostic, if it is due one."""
    libraries = include.exports.libraries if include.exports is not None else ()
    if include.library or libraries:
        what = f"'{include.name}' is" if include.library else \
            f"'{include.name}' includes '{libraries[0]}', which is"
        return ("hint", f"{what} a library header the compiler ships, which craftls does "
                "not read: no name is reported undefined in this file", "library-include")
    if include.exports is not None:
        return None
    why = "is not found next to this file" if include.path is None \
        else "cannot be read in a language craftls knows"
    return ("warning", f"included file '{include.name}' {why}: the names it declares are "
            "not known here, and no name is reported undefined in this file",
            "unresolved-include")
