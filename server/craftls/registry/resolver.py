"""Dependency resolution with resolvelib.

resolvelib is synchronous, so metadata is gathered asynchronously first
(:func:`gather_indexes`) and :func:`resolve` then runs without I/O (in a worker
thread when called from the event loop). Conflicts are explained in words.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import Version
from resolvelib import AbstractProvider, BaseReporter, Resolver
from resolvelib.resolvers import ResolutionImpossible, ResolutionTooDeep

from .client import RegistryClient
from .errors import NotFound, RegistryError, ResolutionConflict
from .format import PackageIndex, VersionEntry, parse_specifier


@dataclass(frozen=True)
class Requirement:
    """``name`` constrained by ``spec``; ``parent`` names who asked (None: the workspace)."""

    name: str
    spec: SpecifierSet
    parent: str | None = None

    def __str__(self) -> str:
        return f"{self.name}{self.spec}" if str(self.spec) else f"{self.name} (any version)"


@dataclass(frozen=True)
class Candidate:
    """A concrete published version and the registry it comes from."""

    name: str
    version: Version
    entry: VersionEntry
    source: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class SourcedIndex:
    """A package index plus the URL of the registry that served it."""

    source: str
    index: PackageIndex


async def gather_indexes(client: RegistryClient, registry_urls: Sequence[str],
                         names: Iterable[str]) -> dict[str, SourcedIndex | None]:
    """Fetch the transitive closure of package indexes (None: no registry has it).

    Registries are asked in order and the first one with the package wins (no mixing,
    which prevents dependency confusion between registries).
    """
    found: dict[str, SourcedIndex | None] = {}
    pending = set(names)
    while pending:
        results = await _fetch_first(client, registry_urls, sorted(pending))
        found.update(results)
        pending = set()
        for item in results.values():
            for entry in item.index.versions if item else ():
                pending.update(d for d in entry.dependencies if d not in found)
    return found


async def _fetch_first(client: RegistryClient, urls: Sequence[str], names: list[str]
                       ) -> dict[str, SourcedIndex | None]:
    out: dict[str, SourcedIndex | None] = {n: None for n in names}
    missing = list(names)
    for url in urls:
        if not missing:
            break
        fetched = await client.package_indexes(url, missing)
        for name, result in fetched.items():
            if isinstance(result, PackageIndex):
                out[name] = SourcedIndex(url, result)
            elif not isinstance(result, NotFound):
                raise result
        missing = [n for n in missing if out[n] is None]
    return out


class RegistryProvider(AbstractProvider):  # type: ignore[type-arg]
    """Tells resolvelib what exists; newest first, preferring previously locked versions."""

    def __init__(self, indexes: Mapping[str, SourcedIndex | None],
                 preferred: Mapping[str, str] | None = None) -> None:
        self.indexes = indexes
        self.preferred = {k: Version(v) for k, v in (preferred or {}).items()}
        # resolvelib asks is_satisfied_by tens of thousands of times for a 100-package
        # graph; requirements and index versions live as long as the provider (dependency
        # lists are interned), so (id, id) is a safe memo key
        self._candidates: dict[tuple[str, Version], Candidate] = {}
        self._dependencies: dict[int, list[Requirement]] = {}
        self._satisfied: dict[tuple[int, int], bool] = {}

    def identify(self, requirement_or_candidate: Requirement | Candidate) -> str:
        return requirement_or_candidate.name

    def get_preference(self, identifier: str, resolutions: Mapping[str, Candidate],
                       candidates: Mapping[str, Iterator[Candidate]],
                       information: Mapping[str, Iterator[Any]],
                       backtrack_causes: Sequence[Any]) -> Any:
        in_conflict = any(c.requirement.name == identifier for c in backtrack_causes)
        return (not in_conflict, identifier)

    def find_matches(self, identifier: str, requirements: Mapping[str, Iterator[Requirement]],
                     incompatibilities: Mapping[str, Iterator[Candidate]]) -> list[Candidate]:
        sourced = self.indexes.get(identifier)
        if sourced is None:
            return []
        reqs = list(requirements[identifier])
        pinned = {s.version for r in reqs for s in r.spec if s.operator in ("==", "===")}
        bad = {c.version for c in incompatibilities[identifier]}
        entries = {e.version: e for e in sourced.index.versions
                   if e.version not in bad and (not e.yanked or str(e.version) in pinned)
                   and _installable_alone(e)}
        matching = [v for v in entries if all(self._allows(r, v) for r in reqs)]
        # PEP 440 default (what SpecifierSet.filter does): pre-releases only when a
        # specifier names one, or when nothing else matches
        if not any(r.spec.prereleases for r in reqs):
            finals = [v for v in matching if not v.is_prerelease]
            matching = finals or matching
        matching.sort(reverse=True)
        favourite = self.preferred.get(identifier)
        matching.sort(key=lambda v: v != favourite)  # stable: keeps newest-first otherwise
        return [self._candidate(identifier, v, entries[v], sourced.source) for v in matching]

    def _allows(self, requirement: Requirement, version: Version) -> bool:
        """Memoised ``contains`` ignoring the pre-release policy (applied by the caller)."""
        key = (id(requirement), id(version))
        answer = self._satisfied.get(key)
        if answer is None:
            answer = requirement.spec.contains(version, prereleases=True)
            self._satisfied[key] = answer
        return answer

    def _candidate(self, name: str, version: Version, entry: VersionEntry, source: str
                   ) -> Candidate:
        key = (name, version)
        found = self._candidates.get(key)
        if found is None:
            found = self._candidates[key] = Candidate(name, version, entry, source)
        return found

    def is_satisfied_by(self, requirement: Requirement, candidate: Candidate) -> bool:
        answer = self._satisfied.get((id(requirement), id(candidate.version)))  # hot path
        return self._allows(requirement, candidate.version) if answer is None else answer

    def get_dependencies(self, candidate: Candidate) -> list[Requirement]:
        deps = self._dependencies.get(id(candidate))
        if deps is None:
            # a requirement on itself is met (find_matches dropped the versions that do
            # not meet theirs); resolvelib recurses without end on such a cycle
            deps = [Requirement(name, parse_specifier(req), str(candidate))
                    for name, req in sorted(candidate.entry.dependencies.items())
                    if name != candidate.name]
            self._dependencies[id(candidate)] = deps
        return deps


def resolve(requirements: Mapping[str, str], indexes: Mapping[str, SourcedIndex | None],
            label: str = "the workspace", preferred: Mapping[str, str] | None = None,
            max_rounds: int = 10_000, first_choices: bool = True) -> dict[str, Candidate]:
    """Pick one version per package satisfying everything, or raise ResolutionConflict.
    ``first_choices=False`` always runs resolvelib's full loop (tests compare the two)."""
    roots = [Requirement(n, parse_specifier(r)) for n, r in sorted(requirements.items())]
    provider = RegistryProvider(indexes, preferred)
    if first_choices:
        chosen = resolvelib_first_choices(provider, roots)
        if chosen is not None:
            return dict(sorted(chosen.items()))
    resolver: Resolver[Requirement, Candidate, str] = Resolver(
        provider, BaseReporter())
    try:
        result = resolver.resolve(roots, max_rounds=max_rounds)
    except ResolutionImpossible as exc:
        raise ResolutionConflict(explain_conflict(exc.causes, indexes, label)) from exc
    except RecursionError as exc:  # resolvelib walks dependency chains recursively
        raise ResolutionConflict("dependency resolution gave up: the dependency graph is "
                                 "too deep or cyclic to explain; pin some versions in "
                                 "craft.toml") from exc
    except ResolutionTooDeep as exc:
        raise ResolutionConflict(f"dependency resolution gave up after {max_rounds} rounds; "
                                 "pin some versions in craft.toml") from exc
    return dict(sorted(result.mapping.items()))


def _installable_alone(entry: VersionEntry) -> bool:
    """False for a version that requires its own package at another version."""
    own = entry.dependencies.get(entry.name)
    return own is None or parse_specifier(own).contains(entry.version, prereleases=True)


def resolvelib_first_choices(provider: RegistryProvider, roots: list[Requirement]
                             ) -> dict[str, Candidate] | None:
    """What resolvelib picks when it never has to change its mind, without its loop.

    resolvelib re-checks every pin against every requirement in each round (rounds x
    criteria: ~50 ms for a 100-package graph, most of a resolution). When nothing
    conflicts, its answer is simply: take the unsatisfied names in preference order
    (``get_preference``: by name), pin each one's first match, add that pin's
    dependencies. This replays exactly that and gives up (``None``) at the first sign
    that resolvelib would do anything else (a match other than the first, a dependency
    without candidates, a new requirement an earlier pin does not meet); the caller then
    runs resolvelib itself, so every answer, and every conflict explanation, is still
    resolvelib's. A hypothesis test checks the two agree on random graphs."""
    requirements: dict[str, list[Requirement]] = {}
    for root in roots:
        requirements.setdefault(root.name, []).append(root)
    pins: dict[str, Candidate] = {}
    pending = sorted(requirements)
    while pending:
        name = pending.pop(0)
        matches = _matches(provider, name, requirements[name])
        if not matches:
            return None
        candidate = matches[0]
        dependencies = provider.get_dependencies(candidate)
        for dep in dependencies:
            pinned = pins.get(dep.name)
            if pinned is not None and not provider.is_satisfied_by(dep, pinned):
                return None
            if pinned is None and not _matches(
                    provider, dep.name, [*requirements.get(dep.name, ()), dep]):
                return None
        pins[name] = candidate
        for dep in dependencies:
            requirements.setdefault(dep.name, []).append(dep)
            if dep.name not in pins and dep.name not in pending:
                bisect.insort(pending, dep.name)
    return pins


def _matches(provider: RegistryProvider, name: str, requirements: list[Requirement]
             ) -> list[Candidate]:
    return provider.find_matches(name, {name: iter(requirements)}, {name: iter(())})


def explain_conflict(causes: Iterable[Any], indexes: Mapping[str, SourcedIndex | None],
                     label: str) -> str:
    """Turn resolvelib's causes into sentences like
    "app needs mathlib>=2, but strutils 1.0.0 needs mathlib<2"."""
    by_name: dict[str, list[str]] = {}
    for cause in causes:
        req: Requirement = cause.requirement
        who = label if cause.parent is None else str(cause.parent)
        phrase = f"{who} needs {req}"
        if phrase not in by_name.setdefault(req.name, []):
            by_name[req.name].append(phrase)
    sentences = []
    for name, phrases in sorted(by_name.items()):
        if len(phrases) > 1:
            sentences.append(f"{phrases[0]}, but " + " and ".join(phrases[1:]))
        else:
            sentences.append(f"{phrases[0]}, but {_available(name, indexes)}")
    return "; ".join(sentences)


def _available(name: str, indexes: Mapping[str, SourcedIndex | None]) -> str:
    sourced = indexes.get(name)
    if sourced is None:
        return f"no configured registry has a package named {name!r}"
    versions = [str(e.version) + (" (yanked)" if e.yanked else "")
                for e in sourced.index.versions]
    if not versions:
        return f"{name} has no published versions"
    return f"the registry only has {name} " + ", ".join(versions)


async def resolve_async(client: RegistryClient, registry_urls: Sequence[str],
                        requirements: Mapping[str, str], label: str = "the workspace",
                        preferred: Mapping[str, str] | None = None) -> dict[str, Candidate]:
    """Gather metadata on the loop, then resolve in a worker thread."""
    if not registry_urls:
        raise RegistryError("no registry configured")
    indexes = await gather_indexes(client, registry_urls, requirements)
    return await asyncio.to_thread(resolve, requirements, indexes, label, preferred)
