from __future__ import annotations

import pytest

from craftls.lsp.operations import Operations
from craftls.ops.health import HealthStatus, overall_status


def test_the_types_probe_is_healthy_and_reports_the_cache() -> None:
    ops = Operations(cache_stats=lambda: {"types": {"size": 3, "maxsize": 10, "hits": 5,
                                                    "misses": 3}})
    outcome = ops._types_check()
    assert outcome.status is HealthStatus.HEALTHY
    assert outcome.details["cache"]["size"] == 3


def test_a_broken_type_rule_makes_types_unhealthy_and_the_server_degraded(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import craftls.types.assignability as assignability
    monkeypatch.setattr(assignability, "assignable", lambda src, dst: None)  # accepts anything
    outcome = Operations()._types_check()
    assert outcome.status is HealthStatus.UNHEALTHY
    assert "str is accepted" in outcome.message
    statuses = {"syntax": HealthStatus.HEALTHY, "lsp": HealthStatus.HEALTHY,
                "types": outcome.status}
    assert overall_status(statuses) is HealthStatus.DEGRADED
