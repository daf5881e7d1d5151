from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from craftls.language.catalog import BUNDLED_DIR, bundled, bundled_ids
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def samples() -> list[tuple[str, Path]]:
    found = []
    for language_id in bundled_ids():
        definition = bundled(language_id)
        for ext in definition.extensions:
            for path in sorted((EXAMPLES / language_id).glob(f"*{ext}")):
                found.append((language_id, path))
    return found


SAMPLES = samples()


@pytest.fixture(params=bundled_ids())
def language_id(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def with_engine(language_id: str, engine: str | None) -> str:
    """The bundled definition's text with ``structure.engine`` set (None: without the key,
    whichever engine the bundled file chooses)."""
    text = (BUNDLED_DIR / f"{language_id}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  engine: .*\n", "", text)
    if engine is None:
        return text
    return re.sub(r"(?m)^structure:\n", f"structure:\n  engine: {engine}\n", text, count=1)


@cache
def served_by(language_id: str, engine: str) -> LanguageDefinition:
    """A bundled keyword-level definition served by ``engine`` whichever its file chooses:
    the keyword-level parser still serves every definition without the key, so what tests
    it asks for it by name rather than through a bundled language's current choice."""
    definition, problems = load_definition_text(with_engine(language_id, engine), language_id)
    assert definition is not None and problems == [], problems
    return definition

