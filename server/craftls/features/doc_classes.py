"""The members an annotated type gives a value (``lexical.doc_comments``): after ``x.``
or ``x:`` where ``x`` is annotated ``---@param x Item`` or ``---@type Item``, the fields
``---@field`` gives the class ``Item`` and the functions of the table its ``---@class``
annotates (``local Item = {}`` then ``function Item:m()``), then its bases'.

A class is looked for in the file, then in the files of its workspace that declare it:
the workspace is the folder the file is in, or the one above it a module path with a
folder of its own reaches it from (``lua/?.lua``: a plugin's root), or that holds
``.git``; its files are scanned as text for the class tags (a file that declares a
class needed is analysed, once while it is unchanged)."""

from __future__ import annotations

import os
import re
import time
from functools import lru_cache
from pathlib import Path

from ..language.model import DocComments, LanguageDefinition
from ..semantics.diagnostics import FileAnalysis
from ..semantics.doc_comments import DocClass, compiled
from ..semantics.model import Symbol
from ..workspace.module_calls import MAX_FOLDERS_UP
from .module_tables import module_analysis, table_members

MAX_HOPS = 8  # a class's bases, and aliases, followed this far
MAX_FILES = 3000  # a workspace scanned for classes: at most this many files
MAX_SIZE = 400_000
RESCAN_SECONDS = 30  # a workspace's scan is reused this long (files change while typing)


def type_names(type_text: str, aliases: dict[str, str]) -> list[str]:
    """The class names a type expression may be (``Item|nil`` and ``Item?``: Item)."""
    out: list[str] = []
    todo, hops = [type_text], 0
    while todo and hops < MAX_HOPS:
        hops += 1
        for part in todo.pop().split("|"):
            name = part.strip().rstrip("?").strip()
            if name in aliases:
                todo.append(aliases[name])
            elif re.fullmatch(r"[\w.]+", name) and name not in out:
                out.append(name)
    return out


def field_type(analysis: FileAnalysis, type_text: str, field: str) -> str | None:
    """The annotated type of the field ``field`` of a value of type ``type_text`` (its
    class's ``---@field``, or a base's)."""
    todo = type_names(type_text, analysis.doc.aliases)
    seen: set[str] = set()
    while todo and len(seen) < MAX_HOPS:
        name = todo.pop(0)
        seen.add(name)
        for owner, cls in class_declarations(analysis, name):
            if field in cls.fields:
                return cls.fields[field]
            todo += [b for c in cls.bases for b in type_names(c, owner.doc.aliases)
                     if b not in seen]
    return None


def type_members(analysis: FileAnalysis, type_text: str) -> list[tuple[str, str, str]]:
    """(name, kind, detail) of each member a value of the annotated type has."""
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    todo = type_names(type_text, analysis.doc.aliases)
    hops = 0
    while todo and hops < MAX_HOPS:
        hops += 1
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        for owner, cls in class_declarations(analysis, name):
            out += [(f, "field", f"{f}: {t}") for f, t in cls.fields.items()]
            if cls.table is not None:
                out += [(m, "function", f"method of {name}")
                        for m in _table_functions(owner, cls.table)]
            todo += [b for c in cls.bases for b in type_names(c, owner.doc.aliases)]
    return out


def _table_functions(analysis: FileAnalysis, table: Symbol) -> list[str]:
    return table_members(analysis, table)


def class_declarations(analysis: FileAnalysis, name: str) -> list[tuple[FileAnalysis, DocClass]]:
    """Where the class ``name`` is declared: in the file, and in its workspace's files."""
    out = []
    if name in analysis.doc.classes:
        out.append((analysis, analysis.doc.classes[name]))
    definition = analysis.parsed.definition
    spec = definition.lexical.doc_comments
    if analysis.path is None or spec is None:
        return out
    root = workspace_root(analysis.path, definition)
    stamp = int(time.monotonic() // RESCAN_SECONDS)
    for path in declaring_files(root, spec, tuple(definition.extensions), stamp).get(name, ()):
        if path == analysis.path.resolve():
            continue
        loaded = _loaded(path, definition)
        if loaded is not None and name in loaded.doc.classes:
            out.append((loaded, loaded.doc.classes[name]))
    return out


def _loaded(path: Path, definition: LanguageDefinition) -> FileAnalysis | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return module_analysis(path, stat.st_mtime_ns, stat.st_size, definition)


def workspace_root(path: Path, definition: LanguageDefinition) -> Path:
    """The folder whose files may declare the classes a file at ``path`` uses."""
    path = path.resolve()
    prefixes = {t.split("?")[0] for t in definition.structure.module_paths
                if "/" in t.split("?")[0]}
    found = path.parent
    folder = path.parent
    for _ in range(MAX_FOLDERS_UP):
        if (folder / ".git").exists():
            return folder
        rel = path.relative_to(folder).as_posix()
        if any(rel.startswith(p) for p in prefixes):
            found = folder
        if folder.parent == folder:
            break
        folder = folder.parent
    return found


@lru_cache(maxsize=8)
def declaring_files(root: Path, spec: DocComments, extensions: tuple[str, ...], stamp: int
                    ) -> dict[str, tuple[Path, ...]]:
    """Class name -> the files under ``root`` whose annotation comments declare it
    (``stamp``: the scan is made again once it changes)."""
    classes = [p for p, means in compiled(spec) if means == "class"]
    marker = re.compile(r"^[ \t]*" + re.escape(spec.marker) + r"[ \t]*(.*)$", re.M)
    found: dict[str, list[Path]] = {}
    count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(extensions):
                continue
            count += 1
            if count > MAX_FILES:
                return {k: tuple(v) for k, v in found.items()}
            _scan(Path(folder) / name, marker, classes, found)
    return {k: tuple(v) for k, v in found.items()}


def _scan(path: Path, marker: re.Pattern[str], classes: list[re.Pattern[str]],
          found: dict[str, list[Path]]) -> None:
    try:
        if path.stat().st_size > MAX_SIZE:
            return
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    for line in marker.finditer(text):
        for pattern in classes:
            m = pattern.match(line.group(1))
            if m is not None and path.resolve() not in found.setdefault(m.group("name"), []):
                found[m.group("name")].append(path.resolve())
