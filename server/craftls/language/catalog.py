"""The bundled languages, and finding a definition by id, file or extension."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .model import LanguageDefinition

BUNDLED_DIR = Path(__file__).parent / "bundled"
# Where loaded bundled definitions are kept between runs (``definition_cache``); set by
# the command line, which knows the cache folder. None: read the YAML each time.
_CACHE_FOLDER: list[Path] = []


def use_definition_cache(folder: Path | None) -> None:
    """Keep loaded bundled definitions in ``folder`` (None: do not)."""
    _CACHE_FOLDER[:] = [folder] if folder is not None else []


def bundled_ids() -> list[str]:
    # os.listdir, not Path.glob, which compiles a pattern: every command asks this
    return sorted(name[:-5] for name in os.listdir(BUNDLED_DIR) if name.endswith(".yaml"))


@lru_cache(maxsize=32)
def bundled(language_id: str) -> LanguageDefinition:
    path = BUNDLED_DIR / f"{language_id}.yaml"
    if not path.is_file():
        raise KeyError(language_id)
    if _CACHE_FOLDER:
        from .definition_cache import load_cached
        return load_cached(path, _CACHE_FOLDER[0])
    from .loader import load_definition  # imports PyYAML
    return load_definition(path)


def all_bundled() -> list[LanguageDefinition]:
    return [bundled(i) for i in bundled_ids()]


def metacommand_triggers(definitions: Iterable[LanguageDefinition]) -> list[str]:
    """The characters that end a metacommand marker of ``definitions``
    (``structure.metacommands``: QBasic's `$`, after which `'$DYN` is completed), in
    order: what completion is triggered by besides the member access."""
    found = {d.structure.metacommands.marker[-1] for d in definitions
             if d.structure.metacommands is not None}
    return sorted(found)


def resolve_definition(reference: str, base: Path | None = None) -> LanguageDefinition:
    """A definition from a file path (relative to ``base``) or a bundled language id."""
    candidate = Path(reference)
    if base is not None and not candidate.is_absolute():
        candidate = base / candidate
    if reference.endswith((".yaml", ".yml", ".json")) or candidate.is_file():
        from .loader import load_definition
        return load_definition(candidate)
    return bundled(reference)


def by_extension(path: str | Path, definitions: list[LanguageDefinition] | None = None
                 ) -> LanguageDefinition | None:
    """The definition that serves files of ``path``'s extension: the first of
    ``extension_order(definitions)`` (by default the bundled ones) that lists it."""
    suffix = Path(path).suffix.lower()
    if not suffix:
        return None
    # a bundled definition whose YAML text does not even mention the suffix is not
    # loaded at all
    candidates = definitions if definitions is not None else \
        [bundled(i) for i in bundled_ids() if _mentions(i, suffix)]
    for definition in extension_order(candidates):
        if suffix in (e.lower() for e in definition.extensions):
            return definition
    return None


def extension_order(definitions: Iterable[LanguageDefinition]) -> list[LanguageDefinition]:
    """Who takes an extension two definitions list: one whose grammar defines the whole
    language before a keyword-level one (a `.pas` or `.bas` file met in the wild is far
    likelier a program of the real language than of one shaped like a block style, whose
    files a workspace binds by name: craft.toml's ``[[languages]]``), then the order
    given (the bundled ones by id, a workspace's in its configuration's order). The server, the
    command line and the generated editor files all ask this, so they agree. A definition
    served through its block style's template (``structure.engine: template``) has a grammar
    but is still shaped like its block style: it counts as keyword-level here, so which
    engine serves it does not move an extension."""
    return sorted(definitions, key=lambda d: d.keyword_level)


def _mentions(language_id: str, suffix: str) -> bool:
    """Does the bundled YAML of ``language_id`` hold ``suffix`` (any case)? A definition
    that claims an extension spells it in its ``extensions`` list, so a file without it
    cannot claim it (the bundled files spell extensions plainly, without YAML escapes:
    ``test_startup.py`` checks it)."""
    try:
        text = (BUNDLED_DIR / f"{language_id}.yaml").read_bytes().lower()
    except OSError:
        return True  # let loading report it
    return suffix.encode() in text
