"""How much real code a language definition parses: files clean / total, syntax errors,
the most frequent error causes, and the undefined-name warnings (how many, which names)
over a corpus folder.

    python -m benchmarks.coverage CORPUS --language DEF [--top N] [--json FILE]

``DEF`` is a bundled language id or a definition file. Every file under ``CORPUS`` with
one of the definition's extensions is parsed with craftls's core (as ``craftls check``
does, no protocol). A ``MANIFEST.json`` in the corpus folder (written by the step that
collected the corpus) says per file where it came from and whether the language's real
compiler accepts it::

    {"compiler": "luac5.4 -p", "files": {"a.lua": {"compiler": "accepted", ...},
                                          "b.lua": {"compiler": "rejected", "detail": "..."}}}

so that our errors on files the real compiler rejects are told apart from our own.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from craftls.features.analysis import analyze_with_types
from craftls.language.catalog import resolve_definition
from craftls.language.model import LanguageDefinition
from craftls.language.problems import DefinitionError
from craftls.syntax.lexer import for_file, mode_names
from craftls.syntax.parse import parse
from craftls.workspace.line_index import LineIndex
from craftls.workspace.source_bytes import decode_source

MANIFEST = "MANIFEST.json"
# the token an error message names or stands at: a word, or one other character
_TOKEN = re.compile(r"\w+|\S")
# "found 'x'" and "unexpected 'x'": the token the parser names itself
_NAMED = re.compile(r"\b(found|unexpected) (?:'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\")")
_NUMBER = re.compile(r"[$&#%]?[0-9][\w.]*|\.[0-9]\w*")
_MAX_FILE_BYTES = 2_000_000
_VERDICTS = ("accepted", "rejected", "not-checked")  # a corpus file larger than this is skipped and named


@dataclass
class Cause:
    """One normalized error message, how often it occurred and where first."""

    cause: str
    count: int = 0
    files: set[str] = field(default_factory=set)
    example: str = ""  # file:line of the first occurrence


@dataclass
class FileResult:
    name: str
    errors: int
    compiler: str  # accepted | rejected | not-checked (no manifest entry or no compiler)
    undefined: int = 0  # undefined-name warnings (names no declaration or builtin gives)


@dataclass
class CoverageReport:
    language: str
    corpus: str
    compiler: str
    files: list[FileResult]
    causes: list[Cause]
    skipped: list[str]
    missing: list[str] = field(default_factory=list)  # in the manifest, not in the corpus
    undefined_names: dict[str, int] = field(default_factory=dict)  # name -> warnings

    @property
    def clean(self) -> int:
        return sum(1 for f in self.files if f.errors == 0)

    @property
    def syntax_errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def undefined(self) -> int:
        return sum(f.undefined for f in self.files)

    @property
    def rejected(self) -> list[str]:
        return [f.name for f in self.files if f.compiler == "rejected"]

    def clean_where_accepted(self) -> tuple[int, int]:
        """Clean files / files the real compiler does not reject."""
        kept = [f for f in self.files if f.compiler != "rejected"]
        return sum(1 for f in kept if f.errors == 0), len(kept)


def load_manifest(corpus: Path) -> dict[str, Any]:
    path = corpus / MANIFEST
    if not path.is_file():
        return {"compiler": "none recorded", "files": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("files", {}), dict):
        raise ValueError(f"{path}: expected an object with a 'files' object")
    for name, entry in data.get("files", {}).items():
        status = entry.get("compiler") if isinstance(entry, dict) else None
        if status not in _VERDICTS:
            raise ValueError(f"{path}: file {name!r}: 'compiler' must be one of "
                             f"{', '.join(_VERDICTS)}, not {status!r}")
    return data


def corpus_files(corpus: Path, definition: LanguageDefinition) -> list[Path]:
    suffixes = {e.lower() for e in definition.extensions}
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def _read(path: Path) -> str:
    # as ``craftls check`` reads: UTF-8 or the encoding a byte-order mark names, else
    # undecodable bytes replaced (old DOS code pages)
    return decode_source(path.read_bytes()).text


class _Normalizer:
    """Error messages with the program's own words taken out, so that equal causes count
    together: a name becomes <name>, a number <number>, a string <string>; keywords and
    punctuation stay as written (they are what tells the causes apart)."""

    def __init__(self, definition: LanguageDefinition) -> None:
        fold = str.lower if not definition.lexical.case_sensitive else (lambda s: s)
        self._fold = fold
        self._keywords = {fold(s) for spellings in definition.keywords.values() for s in spellings}
        self._identifier = re.compile(definition.lexical.identifier)
        self._quotes = tuple(rule.delimiter for rule in definition.lexical.strings)

    def token(self, text: str) -> str:
        if not text:
            return "end of file"
        if self._fold(text) in self._keywords:
            return f"'{text.upper() if self._fold is str.lower else text}'"
        if _NUMBER.fullmatch(text):
            return "<number>"
        if text.startswith(self._quotes):
            return "<string>"
        if self._identifier.fullmatch(text):
            return "<name>"
        return f"'{text}'"

    def cause(self, message: str, text: str, start: int) -> str:
        named = _NAMED.search(message)
        if named:
            word = named.group(2) if named.group(2) is not None else named.group(3)
            return (message[:named.start()] + f"{named.group(1)} {self.token(word)}"
                    + message[named.end():])
        at = _TOKEN.match(text, start) if start < len(text) else None
        if at is None:
            # a message at the end of the text or on whitespace: the next token
            following = _TOKEN.search(text, start)
            at_text = following.group() if following else ""
        else:
            at_text = at.group()
        return f"{message} (at {self.token(at_text)})"


def measure(corpus: Path, definition: LanguageDefinition, mode: str = "",
            defines: tuple[str, ...] = ()) -> CoverageReport:
    """Each file read as the session reads it: in ``mode`` (a user's choice), else the
    mode its extension names, with the build's ``defines`` (``lexer.for_file``)."""
    manifest = load_manifest(corpus)
    entries = manifest.get("files", {})
    normalizer = _Normalizer(definition)
    causes: dict[str, Cause] = {}
    results: list[FileResult] = []
    skipped: list[str] = []
    names: dict[str, int] = {}
    for path in corpus_files(corpus, definition):
        name = path.relative_to(corpus).as_posix()
        if path.stat().st_size > _MAX_FILE_BYTES:
            skipped.append(name)
            continue
        text = _read(path)
        parsed = parse(for_file(definition, path.suffix, mode, defines), text)
        errors = parsed.errors
        # the warnings an editor shows: not the names of routines another module defines
        # (an `external` declaration's), nor types and externals the language knows; with
        # the file's path, as `craftls check` gives it (host globals for test files only)
        undefined = [d.data["name"] for d in analyze_with_types(parsed, path).diagnostics
                     if d.code == "undefined-name" and d.data]
        for undefined_name in undefined:
            names[undefined_name] = names.get(undefined_name, 0) + 1
        index = LineIndex(text)
        for error in errors:
            key = normalizer.cause(error.message, text, error.start)
            entry = causes.setdefault(key, Cause(key))
            entry.count += 1
            entry.files.add(name)
            if not entry.example:
                entry.example = f"{name}:{index.position(error.start)[0] + 1}"
        status = entries.get(name, {}).get("compiler", "not-checked")
        results.append(FileResult(name, len(errors), status, len(undefined)))
    ranked = sorted(causes.values(), key=lambda c: (-c.count, -len(c.files), c.cause))
    present = {r.name for r in results} | set(skipped)
    missing = sorted(name for name in entries if name not in present)
    return CoverageReport(definition.id, str(corpus), str(manifest.get("compiler", "")),
                          results, ranked, skipped, missing,
                          dict(sorted(names.items(), key=lambda n: (-n[1], n[0]))))


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def format_report(report: CoverageReport, top: int = 10) -> str:
    total = len(report.files)
    clean_ok, accepted = report.clean_where_accepted()
    lines = [
        f"language {report.language}, corpus {report.corpus}",
        f"  files clean: {report.clean}/{total} ({_percent(report.clean, total)})",
        f"  syntax errors: {report.syntax_errors}",
        f"  undefined-name warnings: {report.undefined} in "
        f"{sum(1 for f in report.files if f.undefined)} files; most frequent: "
        + (", ".join(f"{n} {c}" for n, c in list(report.undefined_names.items())[:top])
           or "none"),
        f"  real compiler: {report.compiler}",
        f"  clean where the real compiler does not reject the file: {clean_ok}/{accepted} "
        f"({_percent(clean_ok, accepted)})",
        f"  files the real compiler rejects: {len(report.rejected)}",
    ]
    lines += [f"    {name}" for name in report.rejected]
    lines += [f"  skipped (larger than {_MAX_FILE_BYTES} bytes): {name}" for name in report.skipped]
    lines += [f"  in the manifest but not in the corpus (or not of this language): {name}"
              for name in report.missing]
    lines.append(f"  top {min(top, len(report.causes))} error causes (count, files, cause, first at):")
    for cause in report.causes[:top]:
        lines.append(f"    {cause.count:5} {len(cause.files):4}  {cause.cause}  [{cause.example}]")
    return "\n".join(lines)


def report_json(report: CoverageReport, top: int) -> dict[str, Any]:
    clean_ok, accepted = report.clean_where_accepted()
    return {
        "language": report.language, "corpus": report.corpus, "compiler": report.compiler,
        "files_total": len(report.files), "files_clean": report.clean,
        "syntax_errors": report.syntax_errors, "undefined_names": report.undefined,
        "clean_where_accepted": [clean_ok, accepted], "rejected_by_compiler": report.rejected,
        "skipped": report.skipped, "missing": report.missing,
        "files": [asdict(f) for f in report.files],
        "causes": [{"cause": c.cause, "count": c.count, "files": len(c.files),
                    "example": c.example} for c in report.causes[:top]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.coverage", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder of real programs (searched recursively)")
    parser.add_argument("--language", required=True, metavar="DEF",
                        help="bundled language id or definition file")
    parser.add_argument("--top", type=int, default=10, help="how many error causes to list")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--mode", metavar="NAME",
                        help="the lexical mode of files without a mode directive (craftls check --mode)")
    parser.add_argument("--define", dest="defines", action="append", default=[], metavar="NAMES",
                        help="the build's defines, -NAME undefines (craftls check --define)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"coverage: {args.corpus}: no such folder", file=sys.stderr)
        return 2
    try:
        definition = resolve_definition(args.language, Path.cwd())
        if args.mode and args.mode.lower() not in {m.lower() for m in mode_names(definition)}:
            print(f"coverage: {definition.id} has no mode {args.mode!r} "
                  f"(modes: {', '.join(mode_names(definition)) or 'none'})", file=sys.stderr)
            return 2
        defines = tuple(n for v in args.defines for n in v.split(",") if n)
        report = measure(args.corpus, definition, args.mode or "", defines)
    except DefinitionError as exc:
        print(f"coverage: invalid definition {args.language}:", file=sys.stderr)
        for problem in exc.problems:
            print(problem.format(exc.source), file=sys.stderr)
        return 2
    except KeyError:
        print(f"coverage: unknown language {args.language!r}", file=sys.stderr)
        return 2
    except (ValueError, OSError) as exc:
        print(f"coverage: {exc}", file=sys.stderr)
        return 2
    if not report.files:
        print(f"coverage: no files with extensions {', '.join(definition.extensions)} "
              f"under {args.corpus}", file=sys.stderr)
        return 2
    print(format_report(report, args.top))
    if args.json:
        args.json.write_text(json.dumps(report_json(report, args.top), indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
