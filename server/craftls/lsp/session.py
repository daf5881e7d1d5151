"""Server state: which definitions serve which files, and the open documents."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..features.caches import new_analysis_caches
from ..features.documents import Document, path_of
from ..features.host import AnalysisHost
from ..language.catalog import all_bundled, by_extension, resolve_definition
from ..language.loader import load_definition_text
from ..language.model import LanguageDefinition
from ..language.problems import DefinitionError, DefinitionProblem
from ..ops.settings import globals_of
from ..syntax.lexer import for_file, mode_names
from ..workspace.imports import ModuleResolver
from ..workspace.index import WorkspaceIndex
from ..workspace.manifest import (
    MANIFEST_NAME,
    LanguageBinding,
    ManifestError,
    load_manifest,
    matches,
    parse_bindings,
)

log = logging.getLogger(__name__)



@dataclass
class Binding:
    root: Path
    reference: str  # definition path (as written) or bundled id
    files: tuple[str, ...]
    path: Path | None  # resolved definition file, when it is a file
    definition: LanguageDefinition | None = None  # last good version
    problems: list[DefinitionProblem] = field(default_factory=list)


@dataclass
class Session:
    roots: list[Path] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    config_errors: list[str] = field(default_factory=list)
    # the ``globals`` setting of the roots' craft.toml files (language id -> names), and
    # what was wrong with it (each names its craft.toml)
    workspace_globals: dict[str, set[str]] = field(default_factory=dict)
    globals_problems: list[str] = field(default_factory=list)
    # the ``modes`` setting: language id -> the lexical mode of its files that have no
    # mode directive (names the definition has; ``syntax.lexer.with_default_mode``)
    modes: dict[str, str] = field(default_factory=dict)
    # the ``defines`` setting: language id -> the build's defines (``-NAME``: undefines)
    defines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the open documents, the workspace index and the module resolver, with the
    # cross-file answers (features/host.py)
    host: AnalysisHost = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.host = AnalysisHost(lambda path: self.definition_for(path.as_uri()),
                                 lambda: self.roots, caches=new_analysis_caches())

    @property
    def documents(self) -> dict[str, Document]:
        """The open documents' current snapshots (the host's)."""
        return self.host.documents

    @property
    def imports(self) -> ModuleResolver:
        """What analyses read from disk about imports, until a file event, save or
        install invalidates it (the host's)."""
        return self.host.imports

    @property
    def index(self) -> WorkspaceIndex:
        return self.host.index

    def configure(self, roots: list[Path], init_languages: object) -> None:
        self.roots = roots
        self.bindings = []
        self.config_errors = []
        self.workspace_globals = {}
        self.globals_problems = []
        try:
            for b in parse_bindings(init_languages, "initializationOptions"):
                self._add(roots[0] if roots else Path.cwd(), b)
        except ManifestError as exc:
            self.config_errors.append(str(exc))
        for root in roots:
            manifest = root / MANIFEST_NAME
            if manifest.is_file():
                try:
                    loaded = load_manifest(manifest)
                except ManifestError as exc:
                    self.config_errors.append(str(exc))
                    continue
                for b in loaded.languages:
                    self._add(root, b)
                self._add_globals(manifest, loaded.settings)

    def _add_globals(self, manifest: Path, table: dict[str, object]) -> None:
        """craft.toml's ``[settings] globals``; its other settings are the ones the
        registry and the client's settings read (``registry.tuning``)."""
        found, problems = globals_of(table)
        self.globals_problems += [f"{manifest} [settings]: {p}" for p in problems]
        for language, names in found.items():
            self.workspace_globals.setdefault(language, set()).update(names)

    def _add(self, root: Path, b: LanguageBinding) -> None:
        candidate = Path(b.definition)
        if not candidate.is_absolute():
            candidate = root / candidate
        path = candidate if (candidate.suffix in (".yaml", ".yml") or candidate.is_file()) else None
        binding = Binding(root, b.definition, b.files, path)
        self.reload_binding(binding)
        self.bindings.append(binding)

    def reload_binding(self, binding: Binding) -> bool:
        """(Re)load a binding's definition; keep the last good one on failure."""
        if binding.path is None:
            try:
                binding.definition = resolve_definition(binding.reference)
                binding.problems = []
            except (KeyError, DefinitionError) as exc:
                binding.problems = [DefinitionProblem(f"unknown language {exc}", 1, 1)]
            return binding.definition is not None
        try:
            text = binding.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            binding.problems = [DefinitionProblem(f"cannot read {binding.path}: {exc}", 1, 1)]
            return False
        definition, problems = load_definition_text(text, str(binding.path))
        binding.problems = problems
        if definition is not None:
            binding.definition = definition
            return True
        return False

    def bindings_for_definition_file(self, path: Path) -> list[Binding]:
        resolved = path.resolve()
        return [b for b in self.bindings if b.path is not None and b.path.resolve() == resolved]

    def definition_for(self, uri: str) -> LanguageDefinition | None:
        """The definition serving ``uri``, in the lexical mode the ``modes`` setting
        chose for its language (else the one its extension names), with the build
        defines the ``defines`` setting names (``lexer.for_file``)."""
        definition = self._bound_definition(uri)
        if definition is None:
            return None
        path = path_of(uri) or Path(uri)
        return for_file(definition, path.suffix, self.modes.get(definition.id, ""),
                        self.defines.get(definition.id, ()))

    def _bound_definition(self, uri: str) -> LanguageDefinition | None:
        path = path_of(uri) or Path(uri)
        for binding in self.bindings:
            if binding.definition is not None and matches(
                    LanguageBinding(binding.reference, binding.files), path, binding.root):
                return binding.definition
        configured = [b.definition for b in self.bindings if b.definition is not None]
        return by_extension(path, configured) or by_extension(path, all_bundled())

    def definitions_in_use(self) -> list[LanguageDefinition]:
        """The definitions of the open documents and of the configured bindings: what the
        ``syntax`` health check probes (a bundled language nobody uses would have its
        tables built by the probe alone, seconds on a loaded machine at start-up)."""
        # a copy first: the check runs in a thread while the loop opens and closes documents
        used = {d.parsed.definition.id: d.parsed.definition for d in list(self.documents.values())}
        for b in self.bindings:
            if b.definition is not None:
                used.setdefault(b.definition.id, b.definition)
        return list(used.values())

    def all_definitions(self) -> list[LanguageDefinition]:
        seen = {d.id: d for d in all_bundled()}
        for b in self.bindings:
            if b.definition is not None:
                seen[b.definition.id] = b.definition
        return list(seen.values())

    def set_modes(self, table: dict[str, str]) -> list[str]:
        """The ``modes`` setting; what is wrong with it (a language no definition has, a
        mode its definition does not name: left out)."""
        known = {d.id: d for d in self.all_definitions()}
        problems: list[str] = []
        chosen: dict[str, str] = {}
        for language, mode in sorted(table.items()):
            definition = known.get(language)
            if definition is None:
                problems.append(f"setting 'modes': no language '{language}' "
                                f"(known: {', '.join(sorted(known))}); its mode is not used")
            elif mode.lower() not in {m.lower() for m in mode_names(definition)}:
                names = ", ".join(mode_names(definition)) or "none"
                problems.append(f"setting 'modes': {language} has no mode '{mode}' "
                                f"(its modes: {names}); its default is used")
            else:
                chosen[language] = mode
        self.modes = chosen
        return problems

    def set_defines(self, table: dict[str, tuple[str, ...]]) -> list[str]:
        """The ``defines`` setting; what is wrong with it (a language no definition has,
        or one without conditionals: left out)."""
        known = {d.id: d for d in self.all_definitions()}
        problems: list[str] = []
        chosen: dict[str, tuple[str, ...]] = {}
        for language, names in sorted(table.items()):
            definition = known.get(language)
            if definition is None or definition.lexical.conditionals is None:
                problems.append(f"setting 'defines': language '{language}' has no "
                                f"conditionals ({', '.join(sorted(self._conditional_ids()))} "
                                f"have); its names are not used")
            else:
                chosen[language] = tuple(names)
        self.defines = chosen
        return problems

    def _conditional_ids(self) -> list[str]:
        return [d.id for d in self.all_definitions() if d.lexical.conditionals is not None]
