"""``craftls parse FILE`` and ``craftls check PATH...``."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from ..features.analysis import analyze_with_types
from ..features.caches import DEFAULT_CACHES
from ..language.catalog import all_bundled, resolve_definition
from ..language.model import LanguageDefinition
from ..language.problems import DefinitionError
from ..ops.settings import globals_of, unknown_languages
from ..semantics.diagnostics import Diagnostic, FileAnalysis
from ..semantics.resolve import resolve_names
from ..syntax.lexer import for_file, mode_names
from ..syntax.parse import GC_PAUSE, ParsedFile, parse
from ..syntax.tree import dump
from ..workspace.imports import ModuleResolver
from ..workspace.line_index import LineIndex
from ..workspace.manifest import ManifestError, definition_for_file, find_manifest, load_manifest
from ..workspace.shared_globals import (
    SharedGlobals,
    by_folder,
    file_globals,
    file_package,
    shares_names,
)
from ..workspace.source_bytes import SourceText, decode_source

# the text of the files whose first-pass parse ``check`` keeps for the check itself
# (``_shared_globals``): about 100-240 MB of trees and names at most (49-119 bytes a
# character, measured on real Lua repositories in session 31; 32 on lua7's small
# files); the rest is parsed again
KEPT_PARSES = 2_000_000


class UsageError(Exception):
    pass


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("parse", help="print the syntax tree and errors of a file")
    p.add_argument("file")
    p.add_argument("--language", metavar="DEF", help="definition file or bundled language id")
    p.add_argument("--trivia", action="store_true", help="show whitespace and comment tokens")
    p.set_defaults(func=run_parse)
    c = sub.add_parser("check", help="report diagnostics for files or folders")
    c.add_argument("paths", nargs="+", metavar="PATH")
    c.add_argument("--language", metavar="DEF", help="definition file or bundled language id")
    c.add_argument("--global", dest="globals", action="append", default=[], metavar="NAMES",
                   help="names every file may use undeclared, e.g. a host's (love,vim); "
                        "repeatable, comma-separated; added to craft.toml's [settings] "
                        "globals")
    c.add_argument("--mode", metavar="NAME",
                   help="the lexical mode of files without a mode directive (the definition's "
                        "default_mode otherwise), e.g. fpc or delphi for turbopascal")
    c.add_argument("--define", dest="defines", action="append", default=[], metavar="NAMES",
                   help="the build's defines for {$IFDEF}-like conditionals (-NAME "
                        "undefines), e.g. MSWINDOWS,-LINUX; repeatable, comma-separated")
    c.set_defaults(func=run_check)


def _read(path: Path) -> str:
    """The text as it is on disk: line breaks are not translated (``read_text`` would
    turn CRLF into LF, and ``format`` would write the file back with LF); UTF-8, or the
    encoding a byte-order mark names."""
    return read_source_file(path).text


def read_source_file(path: Path) -> SourceText:
    return decode_source(path.read_bytes())


def _definition(path: Path, explicit: str | None) -> LanguageDefinition | None:
    try:
        definition = definition_for_file(path, explicit)
    except DefinitionError as exc:
        problems = "\n".join(p.format(exc.source) for p in exc.problems)
        raise UsageError(f"invalid language definition:\n{problems}") from exc
    except KeyError as exc:
        raise UsageError(f"unknown language {exc.args[0]!r}; bundled: "
                         f"{', '.join(d.id for d in all_bundled())}") from exc
    except ManifestError as exc:
        raise UsageError(str(exc)) from exc
    return definition


def run_parse(args: argparse.Namespace) -> int:
    loaded = load_program(args)
    if isinstance(loaded, int):
        return loaded
    definition, text, path = loaded
    parsed = parse(definition, text)
    print(dump(parsed.root, trivia=args.trivia))
    index = LineIndex(text)
    for error in parsed.errors:
        line, col = index.position(error.start)
        print(f"{path}:{line + 1}:{col + 1}: error: {error.message} [syntax]")
    return 1 if parsed.errors else 0


def _files(paths: list[str], explicit: str | None) -> Iterator[Path]:
    extensions: set[str] = set()
    for name in paths:
        path = Path(name)
        if path.is_dir():
            if not extensions:  # only for folders: it loads every bundled definition
                extensions = {e for d in all_bundled() for e in d.extensions}
            for candidate in sorted(path.rglob("*")):
                if candidate.is_file() and (explicit or candidate.suffix.lower() in extensions
                                            or _bound_by_manifest(candidate)):
                    yield candidate
        elif path.is_file():
            yield path
        else:
            raise UsageError(f"{name}: no such file or folder")


def _bound_by_manifest(path: Path) -> bool:
    try:
        return path.suffix not in (".toml", ".yaml", ".yml", ".md", ".json", ".lock") and \
            definition_for_file(path) is not None
    except (DefinitionError, ManifestError, KeyError):
        return False


class _Globals:
    """The names each file may use undeclared: ``--global``'s, and the ``globals`` of
    the nearest craft.toml's ``[settings]`` for the file's language (each craft.toml
    read once, its problems printed once)."""

    def __init__(self, flag: list[str]) -> None:
        self.flag = {n.strip() for words in flag for n in words.split(",") if n.strip()}
        self.tables: dict[Path, dict[str, tuple[str, ...]]] = {}

    def names(self, path: Path, definition: LanguageDefinition) -> set[str]:
        manifest = find_manifest(path.resolve())
        table = self._table(manifest) if manifest is not None else {}
        return self.flag | set(table.get(definition.id, ()))

    def _table(self, manifest: Path) -> dict[str, tuple[str, ...]]:
        if manifest not in self.tables:
            try:
                loaded = load_manifest(manifest)
            except ManifestError:  # reported by the file's definition look-up
                loaded = None
            table, problems = globals_of(loaded.settings if loaded is not None else {})
            known = {d.id for d in all_bundled()}
            for b in loaded.languages if loaded is not None else ():
                with contextlib.suppress(KeyError, DefinitionError):
                    known.add(resolve_definition(b.definition, manifest.parent).id)
            for problem in problems + unknown_languages(table, known):
                print(f"craftls: warning: {manifest} [settings]: {problem}", file=sys.stderr)
            self.tables[manifest] = table
        return self.tables[manifest]


def run_check(args: argparse.Namespace) -> int:
    errors = warnings = files = 0
    imports = ModuleResolver()  # a module imported by many files is read once per run
    extra = _Globals(args.globals)
    try:
        sources = _for_files([(path, definition) for path in _files(args.paths, args.language)
                              if (definition := _definition(path, args.language)) is not None],
                             args.mode, _names(args.defines))
        shared, kept = _shared_globals(sources)
        with DEFAULT_CACHES.keeping_nothing():  # each file is analysed once: nothing to reuse
            for path, definition in sources:
                files += 1
                found = _check_file(path, definition, imports, extra.names(path, definition),
                                    shared.seen_from(definition.id, path), kept.pop(path, None))
                errors += found[0]
                warnings += found[1]
    except UsageError as exc:
        print(f"craftls: {exc}", file=sys.stderr)
        return 2
    print(f"checked {files} file{'s' if files != 1 else ''}: {errors} error"
          f"{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}",
          file=sys.stderr)
    return 1 if errors else 0


def _names(values: list[str]) -> tuple[str, ...]:
    return tuple(n.strip() for v in values for n in v.split(",") if n.strip())


def _for_files(sources: list[tuple[Path, LanguageDefinition]], mode: str | None,
               defines: tuple[str, ...]) -> list[tuple[Path, LanguageDefinition]]:
    """Each file's definition in the mode its extension names (``lexer.for_file``), or
    ``--mode`` where its definition has a lexical mode of that name (a warning for
    each definition that has none: its files are read as they are), with the
    ``--define`` names."""
    chosen: list[tuple[Path, LanguageDefinition]] = []
    warned: set[str] = set()
    for path, definition in sources:
        try:
            definition = for_file(definition, path.suffix, mode or "", defines)
        except KeyError:
            definition = for_file(definition, path.suffix, "", defines)
            if definition.id not in warned:
                warned.add(definition.id)
                names = ", ".join(mode_names(definition)) or "none"
                print(f"craftls: warning: {definition.id} has no mode {mode!r} (modes: {names})",
                      file=sys.stderr)
        chosen.append((path, definition))
    return chosen


def _shared_globals(sources: list[tuple[Path, LanguageDefinition]]
                    ) -> tuple[SharedGlobals, dict[Path, ParsedFile]]:
    """The globals each checked file assigns, for the languages whose definition shares
    them (``structure.workspace_globals``): the files checked together are the
    workspace. A first pass (parse and names only) when there is more than one file;
    its parses are kept for the check, up to ``KEPT_PARSES`` characters of text (a
    parse is 50-120 bytes per character), the rest parsed again there."""
    shared = SharedGlobals()
    kept: dict[Path, ParsedFile] = {}
    room = KEPT_PARSES
    if len(sources) > 1:
        for path, definition in sources:
            if shares_names(definition):
                with GC_PAUSE:
                    parsed = parse(definition, _read(path))
                    model = resolve_names(parsed)
                    shared.add(definition.id, path, file_globals(parsed, model),
                               file_package(model) if by_folder(definition) else None)
                if len(parsed.text) <= room:
                    room -= len(parsed.text)
                    kept[path] = parsed
                promote_survivors()
    return shared, kept


def _check_file(path: Path, definition: LanguageDefinition, imports: ModuleResolver,
                extra_globals: Collection[str] = (),
                shared_globals: Mapping[str, str] | None = None,
                parsed: ParsedFile | None = None) -> tuple[int, int]:
    """Print the diagnostics of one file (``parsed``: its parse, made already); its
    numbers of errors and warnings."""
    text = parsed.text if parsed is not None else _read(path)
    # a whole file's tree and model are hundreds of thousands of objects and no reference
    # cycles: collections during the check would only walk them (a quarter of its time);
    # the analysis is freed by reference counting when the next file's is made
    with GC_PAUSE:
        _LAST.clear()
        analysis = analyze_with_types(parsed or parse(definition, text), path, resolver=imports,
                                      extra_globals=extra_globals,
                                      shared_globals=shared_globals or {})
        found = report(path, text, analysis.diagnostics)
        _LAST.append(analysis)
        promote_survivors()
    return found


def promote_survivors() -> None:
    """Put every object the collector tracks into its oldest generation, as the young
    collections would once they had walked them. Paused, the collector still counts
    the check's allocations: the first allocation after the pause started a young
    collection that walked every object of the check to find no garbage (~20 ms, a
    tenth of the check of a 10,000-line file). ``gc.freeze`` then ``gc.unfreeze``
    moves the young generations to the oldest one without a walk (two list splices)
    and starts the count again; nothing stays out of later collections. Skipped when
    something else froze objects (the server's idle collection): unfreezing would
    let go of them too."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


# The last file's analysis, left for the process's end: `craftls check` ends with a quick
# exit (``cli.main.run``: ``os._exit``), which frees nothing, so freeing it object by
# object first would be wasted work (~5 % of the check of a 10,000-line file).
_LAST: list[FileAnalysis] = []


def report(path: Path, text: str, diagnostics: list[Diagnostic]) -> tuple[int, int]:
    """Print ``check``'s line for each diagnostic; the numbers of errors and warnings."""
    errors = warnings = 0
    index = LineIndex(text)
    for d in diagnostics:
        line, col = index.position(d.start)
        print(f"{path}:{line + 1}:{col + 1}: {d.severity}: {d.message} [{d.code}]")
        errors += d.severity == "error"
        warnings += d.severity == "warning"
    return errors, warnings


def load_program(args: argparse.Namespace) -> tuple[LanguageDefinition, str, str] | int:
    """The definition, text and path, or the exit code after an error was printed."""
    path = Path(args.file)
    try:
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        definition = _definition(path, args.language)
        if definition is None:
            raise UsageError(f"{path}: no language for this file (use --language)")
    except UsageError as exc:
        print(f"craftls: {exc}", file=sys.stderr)
        return 2
    return definition, _read(path), str(path)
