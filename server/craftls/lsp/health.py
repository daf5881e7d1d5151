"""The ``craftls/health`` payload, computed from what the server measured."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from ..syntax.parse import parse


def _percentile(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def health_payload(server: Any) -> dict[str, Any]:
    services: dict[str, Any] = {}
    started = time.perf_counter()
    definitions = server.session.all_definitions()
    canary_ok = True
    for definition in definitions[:1]:
        canary_ok = parse(definition, "x").root.text == "x"
    parse_ms = (time.perf_counter() - started) * 1000
    services["syntax"] = {"status": "healthy" if canary_ok else "unhealthy",
                          "responseTimeMs": round(parse_ms, 3),
                          "message": "canary parse ok" if canary_ok else "canary parse failed",
                          "details": {"languages": len(definitions)}}
    methods = {}
    worst = "healthy"
    total = errors = 0
    for method, samples in server.latencies.items():
        p95 = _percentile(samples, 0.95)
        failed = server.error_counts.get(method, 0)
        total += len(samples)
        errors += failed
        methods[method] = {"p50": round(_percentile(samples, 0.5), 3), "p95": round(p95, 3),
                           "count": len(samples), "errors": failed}
    if total and errors:
        worst = "degraded"
    services["lsp"] = {"status": worst, "responseTimeMs": 0,
                       "message": f"{errors} failed of {total} requests",
                       "details": {"methods": methods}}
    overall = "healthy"
    if any(s["status"] == "unhealthy" for s in services.values()):
        overall = "unhealthy"
    elif any(s["status"] != "healthy" for s in services.values()):
        overall = "degraded"
    return {"status": overall, "services": services,
            "time": datetime.now(UTC).isoformat().replace("+00:00", "Z")}
