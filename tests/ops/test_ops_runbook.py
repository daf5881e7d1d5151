"""The settings table of docs/runbook.md must list every setting with its real default."""

from __future__ import annotations

from pathlib import Path

from craftls.ops.settings import describe_settings

RUNBOOK = Path(__file__).resolve().parents[2] / "docs" / "runbook.md"


def test_runbook_table_matches_settings() -> None:
    rows = {line.split("|")[1].strip(" `"): [c.strip(" `") for c in line.split("|")[1:-1]]
            for line in RUNBOOK.read_text(encoding="utf-8").splitlines()
            if line.startswith("| `")}
    for info in describe_settings():
        assert info.camel_name in rows, f"{info.camel_name} missing from runbook"
        _, snake, type_name, default, *_ = rows[info.camel_name]
        expected = str(info.default).lower() if isinstance(info.default, bool) else str(info.default)
        assert (snake, type_name, default) == (info.name, info.type_name, expected)
