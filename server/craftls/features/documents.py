"""Open documents: text, version, incremental parse and a lazily computed analysis.

Mutation happens only here (didOpen/didChange); features read a ``Document``
snapshot, which is never changed after it is made."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..language.model import LanguageDefinition
from ..semantics.diagnostics import FileAnalysis
from ..syntax.incremental import ReparseStats, TextEdit, apply_edit
from ..syntax.parse import ParsedFile, parse
from ..workspace.imports import ModuleResolver
from ..workspace.line_index import LineIndex
from .analysis import analyze_with_types
from .caches import AnalysisCaches

_serials = itertools.count(1)  # itertools.count is atomic under the GIL

# How many snapshots back an unfinished snapshot may look for the last finished analysis
# (``Document.last_analysis``): each keeps its predecessor alive until it is analysed.
MAX_STALE_STEPS = 64
# One edit as a snapshot applied it: (start, end) in the text before it, the new length
Step = tuple[int, int, int]


@dataclass(frozen=True)
class StaleAnalysis:
    """The last finished analysis of an earlier snapshot and the edits made since, in
    order: what a request may answer from while the current snapshot is analysed."""

    analysis: FileAnalysis
    steps: tuple[Step, ...]

    def offset(self, offset: int) -> int:
        """An offset of the current text in the analysed text: unchanged before an edit,
        shifted after it, and the edit's start inside what it inserted."""
        for start, end, length in reversed(self.steps):
            if offset >= start + length:
                offset += (end - start) - length
            elif offset > start:
                offset = start
        return offset


@dataclass(eq=False)
class Document:
    uri: str
    version: int
    parsed: ParsedFile
    line_index: LineIndex
    _analysis: FileAnalysis | None = field(default=None, repr=False)
    # the diagnostics run (a worker thread) and a request (the event loop) may both ask
    # for a new snapshot's analysis: the second waits for the first instead of redoing it
    _analysing: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # unique per snapshot: a re-parse with a reloaded definition keeps the version but
    # may change every diagnostic, so result ids come from this, not from the version
    serial: int = field(default_factory=lambda: next(_serials), compare=False)
    # the session's module resolver (what the disk holds, kept until it changes); None:
    # the imports are read from disk by each analysis
    imports: ModuleResolver | None = field(default=None, compare=False, repr=False)
    # the session's analysis caches: templates and types (None: the process default,
    # features/caches.py)
    caches: AnalysisCaches | None = field(default=None, compare=False, repr=False)
    # the snapshot this one was edited from while that one had no analysis, and the edits
    # (``Step``) that made this one from it; cut once this one is analysed
    previous: Document | None = field(default=None, compare=False, repr=False)
    steps: tuple[Step, ...] = field(default=(), compare=False, repr=False)
    depth: int = field(default=0, compare=False, repr=False)  # snapshots behind ``previous``
    # ``previous`` once this snapshot is analysed, kept until ``release_retired``: freeing
    # an analysed snapshot of a large file (its model, its type results) takes
    # milliseconds that the diagnostics of this one need not wait for. At most one waits:
    # cutting the next one releases this one's.
    _retired: Document | None = field(default=None, compare=False, repr=False)

    @property
    def result_id(self) -> str:
        """Names this snapshot's diagnostics (pull diagnostics' ``resultId``)."""
        return f"{self.version}.{self.serial}"

    @property
    def text(self) -> str:
        return self.parsed.text

    @property
    def definition(self) -> LanguageDefinition:
        return self.parsed.definition

    def analysis(self) -> FileAnalysis:
        if self._analysis is None:
            with self._analysing:
                if self._analysis is None:
                    self._analysis = analyze_with_types(self.parsed, path_of(self.uri),
                                                        resolver=self.imports,
                                                        caches=self.caches)
                    # nothing needs the snapshots before this one now
                    retired, self.previous = self.previous, None
                    if retired is not None:
                        retired._retired = None
                        self._retired = retired
        return self._analysis

    def release_retired(self) -> None:
        """Free the snapshot this one was edited from (after its diagnostics are out)."""
        self._retired = None

    def last_analysis(self) -> StaleAnalysis | None:
        """This snapshot's analysis if it is done, else the newest finished analysis of
        the snapshots it was edited from, with the edits since (never computes one)."""
        steps: list[tuple[Step, ...]] = []
        doc: Document | None = self
        while doc is not None:
            analysis = doc._analysis
            if analysis is not None:
                return StaleAnalysis(analysis, tuple(s for part in reversed(steps)
                                                     for s in part))
            steps.append(doc.steps)
            doc = doc.previous
        return None

    def analysing(self) -> bool:
        """Is this snapshot's analysis being computed right now (on another thread)?"""
        return self._analysing.locked()

    def cached_analysis(self) -> FileAnalysis | None:
        """The analysis if something already computed it (never computes it)."""
        return self._analysis


def path_of(uri: str) -> Path | None:
    parsed = urlparse(uri)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def open_document(uri: str, version: int, text: str, definition: LanguageDefinition,
                  imports: ModuleResolver | None = None, caches: AnalysisCaches | None = None
                  ) -> Document:
    return Document(uri, version, parse(definition, text), LineIndex(text), imports=imports,
                    caches=caches)


Change = tuple[tuple[int, int, int, int] | None, str]  # ((l1, c1, l2, c2) or None, text)


def change_document(doc: Document, version: int, changes: list[Change], encoding: str
                    ) -> tuple[Document, list[ReparseStats]]:
    """A new snapshot with the LSP content changes applied one after another."""
    parsed, index = doc.parsed, doc.line_index
    stats: list[ReparseStats] = []
    steps: list[Step] | None = []  # None: the whole text was replaced
    for rng, text in changes:
        if rng is None:
            parsed = parse(parsed.definition, text)
            stats.append(ReparseStats("full", parsed.green.node_count, 0, len(text)))
            index = LineIndex(parsed.text)
            steps = None
        else:
            start = index.offset(rng[0], rng[1], encoding)
            end = max(start, index.offset(rng[2], rng[3], encoding))
            parsed, stat = apply_edit(parsed, TextEdit(start, end, text))
            stats.append(stat)
            index = index.edited(parsed.text, start, end, text)
            if steps is not None:
                steps.append((start, end, len(text)))
    new = Document(doc.uri, version, parsed, index, imports=doc.imports, caches=doc.caches)
    # an unfinished snapshot answers from the last finished one (``last_analysis``)
    behind = 0 if doc.cached_analysis() is not None else doc.depth + 1
    if steps is not None and behind < MAX_STALE_STEPS:
        new.previous, new.steps, new.depth = doc, tuple(steps), behind
    return new, stats


def reparse_with(doc: Document, definition: LanguageDefinition) -> Document:
    return Document(doc.uri, doc.version, parse(definition, doc.text), doc.line_index,
                    imports=doc.imports, caches=doc.caches)
