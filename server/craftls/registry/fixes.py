"""What to offer for an import that nothing installed provides: the decision behind the
editor's package quick fixes, as plain data (the protocol layer turns each into code
actions).

Answers from the caches only, never waiting on the network: a package not in any cache
is fetched in the background (``RegistryService.prefetch``), so the next request offers
its fixes. A fix built from the last-known-good index (registry not reachable) says so
(``stale``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import RegistryError
from .service import PackageLookup, RegistryService, lookup_names


@dataclass(frozen=True)
class PackageFix:
    """For the import ``module``: install ``package``, and, when ``requirement`` is set
    (the package is not declared yet), first add it to ``craft.toml`` with it."""

    module: str
    package: str
    requirement: str | None = None
    stale: bool = False  # from the last-known-good index, not confirmed this session


def package_fixes(service: RegistryService, root: Path, modules: Iterable[str]
                  ) -> list[PackageFix]:
    """The fixes for the unresolved imports ``modules`` of a file in the workspace
    ``root`` (the folder of its ``craft.toml``), one per module that some package is
    known to provide or that craft.toml already declares."""
    try:
        urls = service.registry_urls(root)
        declared = service.dependencies(root)
    except RegistryError:
        return []
    fixes = []
    for module in modules:
        names = lookup_names(module, service, urls)
        found = _cached(service, names, urls)
        name = found.name if found is not None else next((n for n in names if n in declared),
                                                         None)
        if name is None:
            continue
        requirement = found.requirement() if found is not None else None
        fixes.append(PackageFix(module, name,
                                requirement if name not in declared else None,
                                found is not None and found.stale))
    return fixes


def _cached(service: RegistryService, names: list[str], urls: list[str]
            ) -> PackageLookup | None:
    for name in names:
        found = service.cached_lookup(name, urls)
        if found is not None:
            return found
        if not service.recently_absent(name, urls):
            service.prefetch(name, urls)  # the next request knows
    return None
