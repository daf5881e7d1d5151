from __future__ import annotations

from pathlib import Path

import pytest

from craftls.language.catalog import bundled, bundled_ids

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
