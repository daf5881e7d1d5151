"""The short form of `make loadtest`, run in CI."""

from __future__ import annotations

from pathlib import Path

from benchmarks.loadtest import run


def test_short_load_run_has_no_errors_and_exact_diagnostics(tmp_path: Path) -> None:
    # at least 100 edits and 3 bursts whatever the machine's load (a wall-time window
    # alone gave 6 edits on a loaded machine); every request of every burst is answered
    result = run(seconds=5, documents=10, edits_per_second=60, concurrent=150, folder=tmp_path,
                 min_edits=100, min_bursts=3)
    assert result["requests"] == 150 * result["bursts"]
    assert result["error_responses"] == 0
    assert result["diagnostic_mismatches"] == 0
    assert result["memory_stopped_growing"], result
