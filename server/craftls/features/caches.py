"""The caches of the analysis, in one object (``AnalysisCaches``) that a session owns.

It gathers the type cache (inferred units), the name-resolution templates and the
bounded memo tables (``functools.lru_cache``) of the layers below: ``configure``
applies the tuning settings, ``stats`` is what ``craftls/stats`` and the ``cache``
health check report, ``reset`` empties everything (tests, and a process that wants its
memory back). The type cache and the templates are the session's own
(``new_analysis_caches``: the server's session makes them and hands them to the
analysis host, which gives them to the documents it opens, and the analysis to the
resolver and the type checker), so one session's settings or ``reset`` never resize or
empty another's. The session's module resolver (what analyses read from disk about
imports: folder listings, manifests, installed packages, module exports) is reported
and emptied with them. The memo tables are computed in layers that know no session (keyed by
the definition object, so sharing them is safe), stay where they are computed and are
only known here: they are the process's, and ``reset`` empties them for every session.
Callers without a session (the CLI, scripts, tests) share ``DEFAULT_CACHES``, whose
templates are ``item_walks.ITEM_WALKS``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from ..language.catalog import bundled
from ..semantics.item_walks import ITEM_WALKS, TemplateCache
from ..syntax.grammar import grammar_for
from ..syntax.lexer import tables_for
from ..types import TypeCache
from ..types.assignability import assignable, conformance
from ..types.names import _protocol_type, type_names
from ..types.protocols import _builtin_members
from ..workspace.imports import ModuleResolver


class Memo(Protocol):
    """A ``functools.lru_cache`` wrapper, as far as the caches use it."""

    def cache_info(self) -> Any: ...
    def cache_clear(self) -> None: ...


class _Unimported:
    """A memo table of a module that a command may never import (the grammar engine's
    tables, for a language without a grammar): statistics import it, clearing does not
    (a table that was never imported is empty)."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def _memo(self) -> Memo:
        return getattr(import_module(self.module), self.name)  # type: ignore[no-any-return]

    def cache_info(self) -> Any:
        return self._memo().cache_info()

    def cache_clear(self) -> None:
        if self.module in sys.modules:
            self._memo().cache_clear()


class AnalysisCaches:
    """The caches the analysis shares across documents (see the module docstring)."""

    def __init__(self, types: TypeCache, names: TemplateCache,
                 memos: Mapping[str, Memo], imports: ModuleResolver | None = None) -> None:
        self.types = types
        self.names = names
        self.memos = dict(memos)
        # what analyses read from disk about imports (None: callers without a session,
        # which make a resolver per run, as nothing tells a lasting one of disk changes)
        self.imports = imports
        # language id -> the names the ``globals`` setting makes known in its files
        self.globals: Mapping[str, frozenset[str]] = {}
        # (language id, file) -> the globals the workspace's other files assign
        # (``structure.workspace_globals``); a session's host reads its index
        self.shared_globals: Callable[[str, Path | None], Mapping[str, str]] | None = None

    def set_globals(self, table: Mapping[str, Iterable[str]]) -> set[str]:
        """The ``globals`` setting's names per language id; the languages whose names
        changed (their open documents' analyses are then out of date)."""
        new = {language: frozenset(names) for language, names in table.items() if names}
        changed = {language for language in new.keys() | self.globals.keys()
                   if new.get(language) != self.globals.get(language)}
        self.globals = new
        return changed

    def configure(self, ast_cache_size: int, type_cache_size: int, type_ttl: float) -> None:
        """Apply the tuning settings (``ast_cache_size``, ``type_cache_size``,
        ``type_inference_cache_ttl``)."""
        self.names.resize(ast_cache_size)
        self.types.resize(type_cache_size, type_ttl)

    @contextmanager
    def keeping_nothing(self) -> Iterator[None]:
        """For one pass over files that are not analysed again (``craftls check``): no
        name-resolution template or inferred unit is recorded (size 0), which saves
        about a tenth of a cold analysis; the sizes are restored after (emptied)."""
        names, types, ttl = self.names.maxsize, self.types.maxsize, self.types.ttl
        self.configure(0, 0, ttl)
        try:
            yield
        finally:
            self.configure(names, types, ttl)

    def stats(self) -> dict[str, Mapping[str, int | float]]:
        """Each cache as ``{size, maxsize, hits, misses}`` (the health check's shape)."""
        types = self.types.stats()
        out: dict[str, Mapping[str, int | float]] = {
            "names": self.names.stats(),
            "types": {"size": types["entries"], "maxsize": types["maxsize"],
                      "ttl": types["ttl"], "hits": types["reused"],
                      "misses": types["inferred"]}}
        for name, memo in self.memos.items():
            info = memo.cache_info()
            out[name] = {"size": info.currsize, "maxsize": info.maxsize or 0,
                         "hits": info.hits, "misses": info.misses}
        if self.imports is not None:
            out.update(self.imports.stats())
        return out

    def reset(self) -> None:
        """Empty every cache (their bounds stay); the module resolver reads the disk
        again."""
        self.names.clear()
        self.types.clear()
        for memo in self.memos.values():
            memo.cache_clear()
        if self.imports is not None:
            self.imports.invalidate()


# the memo tables of the layers below, process-wide (see the module docstring)
MEMOS: Mapping[str, Memo] = {
    "lexer_tables": tables_for, "parser_tables": grammar_for,
    "lexer_modes": _Unimported("craftls.syntax.lexer", "_in_mode"),
    "lexer_default_modes": _Unimported("craftls.syntax.lexer", "with_default_mode"),
    "lexer_mode_directives": _Unimported("craftls.syntax.lexer", "_any_mode_directive"),
    "peg_tables": _Unimported("craftls.syntax.peg_tables", "tables_for"),
    "extension_tables": _Unimported("craftls.syntax.extension", "tables_for"),
    "conditional_scanners": _Unimported("craftls.syntax.conditionals", "_scanner"),
    "conditional_definitions": _Unimported("craftls.syntax.conditionals", "with_names"),
    "define_definitions": _Unimported("craftls.syntax.conditionals", "with_defines"),
    "bundled_definitions": bundled, "type_names": type_names, "assignable": assignable,
    "protocol_types": _protocol_type, "builtin_members": _builtin_members,
    "conformance": conformance,
    # completion is not imported by `craftls check` (start-up, tests/core/test_startup.py)
    "completion_orders": _Unimported("craftls.features.completion_names", "_name_order"),
    "completion_language_names": _Unimported("craftls.features.completion_names",
                                             "_language_names"),
    "completion_member_openers": _Unimported("craftls.features.completion", "member_openers"),
    "completion_module_analyses": _Unimported("craftls.features.module_tables",
                                              "module_analysis"),
    "doc_comment_tags": _Unimported("craftls.semantics.doc_comments", "compiled"),
    "doc_class_files": _Unimported("craftls.features.doc_classes", "declaring_files"),
    "module_call_patterns": _Unimported("craftls.workspace.module_calls", "_call_pattern"),
}


def new_analysis_caches() -> AnalysisCaches:
    """A session's caches: a type cache, name-resolution templates and a module
    resolver of its own (bounded, results keyed by content, shared by every file and
    language of the session), the process-wide memo tables."""
    return AnalysisCaches(TypeCache(), TemplateCache(), MEMOS, ModuleResolver())


# for analyses without a session (the CLI, scripts, tests)
DEFAULT_CACHES = AnalysisCaches(TypeCache(), ITEM_WALKS, MEMOS)
