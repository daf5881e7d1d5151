"""Operations wired into the server: settings, health checks and their
notifications, error and latency statistics, the audit log and graceful
shutdown. The logic lives in ``craftls.ops``; this module only connects it to
the protocol (``craftls/health``, ``craftls/stats``, ``craftls/auditLog``,
``craftls/audit``, ``experimental/serverStatus``)."""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from ..language.model import LanguageDefinition
from ..ops.audit import AuditLog
from ..ops.checks import (
    LatencyThresholds,
    cache_check,
    errors_check,
    latency_check,
    memory_check,
    registry_check,
)
from ..ops.errors import ErrorStats
from ..ops.health import CheckOutcome, HealthChange, HealthMonitor, HealthStatus
from ..ops.latency import LatencyTracker
from ..ops.settings import Settings, apply_settings
from ..ops.shutdown import ShutdownCoordinator
from ..syntax.parse import parse, parser_built

log = logging.getLogger("craftls.ops")
RUST_ANALYZER_HEALTH = {HealthStatus.HEALTHY: "ok", HealthStatus.DEGRADED: "warning",
                        HealthStatus.UNHEALTHY: "error"}


CacheStats = Callable[[], Mapping[str, Mapping[str, Any]]]


class PackageService(Protocol):
    """What operations read of the package service (``lsp/packages.PackageManager``)."""

    def snapshot(self) -> dict[str, Any] | None: ...
    def client_stats(self) -> dict[str, Any]: ...


def _nothing() -> dict[str, Any]:
    return {}


def _no_definitions() -> list[LanguageDefinition]:
    return []


class Operations:
    """The server's operations state. What it reports about the rest of the server
    comes in at construction: ``cache_stats`` (the caches, as the ``cache`` check reads
    them), ``gc_stats`` (the idle collector) and ``definitions`` (the languages the
    ``syntax`` check parses a canary with: those in use)."""

    def __init__(self, cache_stats: CacheStats = _nothing,
                 gc_stats: Callable[[], dict[str, Any]] = _nothing,
                 definitions: Callable[[], list[LanguageDefinition]] = _no_definitions
                 ) -> None:
        self.settings = Settings()
        self.audit = AuditLog(retention_days=self.settings.audit_log_retention)
        self.errors = ErrorStats()
        self.latency = LatencyTracker()
        self.monitor = HealthMonitor(interval_s=self.settings.health_check_interval)
        self.shutdown = ShutdownCoordinator()
        self.notify_health = False
        self.notify_audit = False
        self.server_status = False
        self.unhealthy_shown = False
        # to the client, set once it is initialized (``connect``)
        self.send: Callable[[str, Any], None] | None = None
        self.log_message: Callable[[str], None] | None = None
        self.show_message: Callable[[str], None] | None = None
        self.cache_stats = cache_stats
        self.gc_stats = gc_stats
        self.definitions = definitions
        # the package registry service (lsp/packages.py) once `initialized` created it
        self.registry: PackageService | None = None
        self.settings_listeners: list[Callable[[Settings], None]] = []
        self.refusals: Counter[str] = Counter()  # method -> requests answered RequestFailed
        # background work under way (index, install, definitions): not quiescent meanwhile
        self.work: Counter[str] = Counter()
        self.reported = False  # the first health report went out (after `initialized`)
        self.status_sent: dict[str, Any] | None = None  # the last experimental/serverStatus

    # ------------------------------------------------------------ configuration

    def connect(self, send: Callable[[str, Any], None], log_message: Callable[[str], None],
                show_message: Callable[[str], None]) -> None:
        """The client is initialized: notifications, log and shown messages go to it."""
        self.send, self.log_message, self.show_message = send, log_message, show_message

    def configure(self, init_options: dict[str, Any], experimental: Any) -> list[str]:
        notifications = init_options.get("notifications") or {}
        if isinstance(notifications, dict):
            self.notify_health = bool(notifications.get("health", False))
            self.notify_audit = bool(notifications.get("audit", False))
        self.server_status = bool(isinstance(experimental, dict)
                                  and experimental.get("serverStatusNotification"))
        return self.update_settings(init_options.get("settings"))

    def update_settings(self, raw: Any) -> list[str]:
        """Apply new values; invalid ones are rejected with a message, the old value kept."""
        if not isinstance(raw, dict):
            return []
        self.settings, problems = apply_settings(self.settings, raw)
        self.monitor.set_interval(self.settings.health_check_interval)
        self.audit.set_retention(self.settings.audit_log_retention)
        for listener in list(self.settings_listeners):
            try:
                listener(self.settings)
            except Exception:  # one broken consumer must not stop the others
                log.exception("settings listener failed")
        return problems

    # ------------------------------------------------------------ health

    def register_checks(self) -> None:
        s = self.settings
        # in a thread: the first canary parse of a language builds its lexer and grammar
        # tables (~200 ms for the bundled languages), which stalled requests at start-up
        self.monitor.register("syntax", self._syntax_check, in_thread=True)
        self.monitor.register("types", self._types_check)
        self.monitor.register("lsp", latency_check(
            self.latency, lambda: LatencyThresholds.from_settings(self.settings)))
        self.monitor.register("memory", memory_check(s.memory_budget_mb, s.memory_warning,
                                                     s.memory_critical))
        self.monitor.register("cache", cache_check(lambda: self.cache_stats()))
        # every service the runbook names is always there; without a registry service
        # (before it starts, or no craft.toml) the check says "no registry configured"
        self.monitor.register("registry", registry_check(self._registry_snapshot))
        self.monitor.register("errors", errors_check(self.errors))
        self.monitor.add_listener(self._on_health_change)

    def _registry_snapshot(self) -> Any:
        return self.registry.snapshot() if self.registry is not None else None

    def _syntax_check(self) -> CheckOutcome:
        started = time.perf_counter()
        used = self.definitions()
        # a grammar whose tables its first document is still building is left to the next
        # run: the canary is a parse, and a first build (seconds on a loaded machine) in
        # this thread beside the document's would be reported as a stuck parser
        definitions = [d for d in used if parser_built(d)]
        for definition in definitions:
            sample = "x"
            if parse(definition, sample).root.text != sample:
                return CheckOutcome(HealthStatus.UNHEALTHY, f"canary parse failed for "
                                                            f"{definition.id}")
        elapsed = (time.perf_counter() - started) * 1000
        message = "canary parses ok" if definitions else \
            "no language parsed yet" if used else "no language in use yet"
        return CheckOutcome(HealthStatus.HEALTHY, message,
                            {"languages": len(definitions), "parseMs": round(elapsed, 3),
                             "building": len(used) - len(definitions)})

    def _types_check(self) -> CheckOutcome:
        """A probe of the type rules every check relies on, and the type cache's state."""
        from ..types.assignability import assignable
        from ..types.model import FLOAT, INT, STR
        started = time.perf_counter()
        problems = []
        if assignable(INT, FLOAT) is not None:
            problems.append("an int is no longer accepted where a float is expected")
        if assignable(STR, INT) is None:
            problems.append("a str is accepted where an int is expected")
        elapsed = (time.perf_counter() - started) * 1000
        details = {"probeMs": round(elapsed, 3), "cache": self.cache_stats().get("types", {})}
        if problems:
            return CheckOutcome(HealthStatus.UNHEALTHY, "; ".join(problems), details)
        return CheckOutcome(HealthStatus.HEALTHY, "type probe ok", details)

    def _on_health_change(self, change: HealthChange) -> None:
        """The first report (a status line's first value) and every level change go to
        the clients that asked; what is not healthy is also logged and audited."""
        if self.send is None:
            return  # nothing is sent before `initialized`
        current = change.overall[1] if change.overall is not None else self.monitor.status
        if self.notify_health:
            self.send("craftls/health", change.payload)
        self.reported = True
        self.send_server_status()
        if change.initial and change.overall is None and not change.services:
            return  # a healthy start: nothing to log or audit
        if current is not HealthStatus.HEALTHY and self.log_message is not None:
            degraded = ", ".join(f"{name} {new.value}" for name, (_, new) in
                                 change.services.items() if new is not HealthStatus.HEALTHY)
            self.log_message(f"craftls health is {current.value} ({degraded}): {change.reason}")
        if current is HealthStatus.UNHEALTHY and not self.unhealthy_shown \
                and self.show_message is not None:
            self.unhealthy_shown = True  # one message per episode, never a stream
            self.show_message("craftls is unhealthy; run the 'show health' command for details")
        elif current is not HealthStatus.UNHEALTHY:
            self.unhealthy_shown = False
        self.audit.record("health", "level_changed", details={"status": current.value,
                                                               "reason": change.reason})

    def server_status_payload(self) -> dict[str, Any]:
        status = self.monitor.status
        busy = f" ({', '.join(sorted(self.work))})" if self.work else ""
        return {"health": RUST_ANALYZER_HEALTH[status], "quiescent": not self.work,
                "message": f"craftls: {status.value}{busy}"}

    def send_server_status(self) -> None:
        """``experimental/serverStatus`` when it differs from the last one sent, from the
        first health report on, to clients that declared ``serverStatusNotification``."""
        if not self.server_status or self.send is None or not self.reported:
            return
        payload = self.server_status_payload()
        if payload != self.status_sent:
            self.status_sent = payload
            self.send("experimental/serverStatus", payload)

    @contextlib.contextmanager
    def working(self, name: str) -> Iterator[None]:
        """Around background work (the workspace index, an install, re-parsing after a
        definition changed): the server is not quiescent until it ends."""
        self.work[name] += 1
        self.send_server_status()
        try:
            yield
        finally:
            self.work[name] -= 1
            if self.work[name] <= 0:
                del self.work[name]
            self.send_server_status()

    async def health(self, params: Any) -> dict[str, Any]:
        await self.monitor.run_checks("request")
        payload = self.monitor.to_payload()
        service = _get(params, "service")
        if service:
            limit = _get(params, "historyLimit") or 20
            payload["history"] = self.monitor.history_payload(str(service), int(limit))
        return payload

    def stats(self) -> dict[str, Any]:
        registry = self.registry.client_stats() if self.registry is not None else {}
        caches = dict(self.cache_stats())
        for name, value in (registry.get("cache") or {}).items():
            caches[f"registry_{name}"] = value
        return {"errors": self.errors.to_payload(), "latency": self.latency.to_payload(),
                "circuitBreakers": registry.get("breakers", {}),
                "rateLimiters": registry.get("limiters", {}), "caches": caches,
                "refusals": dict(self.refusals),
                "gc": self.gc_stats(), "settings": self.settings.to_dict()}

    def audit_log(self, params: Any) -> list[dict[str, Any]]:
        limit = int(_get(params, "limit") or 100)
        records = self.audit.query(limit=limit, event_type=_get(params, "eventType"),
                                   since=_get(params, "since"))
        return [r.to_dict() if hasattr(r, "to_dict") else r for r in records]

    # ------------------------------------------------------------ requests

    def request_refused(self, method: str, refusal: BaseException) -> None:
        """A user's request that cannot be done here (rename of a keyword ...): counted
        per method in ``craftls/stats``; not an error, so health does not hear of it."""
        self.refusals[method] += 1
        log.debug("%s refused: %s", method, refusal)

    def request_finished(self, method: str, seconds: float, error: BaseException | None) -> None:
        self.latency.record(method, seconds * 1000, ok=error is None)
        if error is not None:
            self.errors.record(error, source=method)
            self.audit.record("error", method, error=error)
            try:
                self.monitor.trigger(f"{method} failed")
            except RuntimeError:  # no running loop (a unit test calling directly)
                pass

    def start(self) -> None:
        self.register_checks()
        self.monitor.start()
        self.shutdown.register("flush audit log", lambda: self.audit.close(), order=90)
        self.shutdown.register("stop health checks", self.monitor.stop, order=10,
                               on_loop=True)
        self.audit.record("server", "start")

    async def stop(self, reason: str) -> None:
        self.audit.record("server", "stop", details={"reason": reason})
        report = await self.shutdown.run(reason)
        if not report.ok:
            log.warning("shutdown steps failed: %s", report.to_dict())


def _get(params: Any, key: str) -> Any:
    if params is None:
        return None
    if isinstance(params, dict):
        return params.get(key)
    return getattr(params, key, None)


