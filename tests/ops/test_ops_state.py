from __future__ import annotations

import json
from pathlib import Path

import pytest

from craftls.ops.state import default_state_path, load_state, save_state


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "warm.json"
    save_state(path, {"definitions": ["pascal"], "indexVersion": 3})
    assert load_state(path) == {"definitions": ["pascal"], "indexVersion": 3}
    assert [p.name for p in path.parent.iterdir()] == ["warm.json"]  # no temp left behind


def test_missing_corrupt_or_other_version_is_cold(tmp_path: Path) -> None:
    path = tmp_path / "warm.json"
    assert load_state(path) is None
    path.write_text("{not json")
    assert load_state(path) is None
    path.write_text(json.dumps({"version": 99, "data": {}}))
    assert load_state(path) is None


def test_failed_write_keeps_previous_state(tmp_path: Path) -> None:
    path = tmp_path / "warm.json"
    save_state(path, {"a": 1})
    with pytest.raises(TypeError):
        save_state(path, {"a": object()})  # not serialisable
    assert load_state(path) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["warm.json"]


def test_default_path_honours_env(tmp_path: Path) -> None:
    assert default_state_path() == tmp_path / "env-cache" / "warm-state.json"
