"""The registry as a long-lived service of the language server.

The command line makes one :class:`RegistryClient` per command; the language server
keeps one :class:`RegistryService` for its whole life. It adds what a long-running
process needs on top of the client:

* package lookups that answer synchronously from the caches (memory, then the
  last-known-good index copies on disk) and refresh in the background, or wait for the
  registry at most a short deadline;
* installs with progress, counted and audited;
* probing: when a breaker opens, one request is sent when its reset timeout has
  passed (that is what closes it again), so the service recovers without user action;
* a snapshot for the ``registry`` health check and warm state for the next start.

Pure asyncio: never imports pygls. The audit sink and the transition callback are
plain callables (``AuditLog.record`` and a function of the adapter).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.version import Version

from .breaker import BreakerState, State
from .client import RegistryClient
from .config import RegistryConfig, default_cache_dir
from .errors import FormatError, NotFound, RateLimited, RegistryError, RegistryUnavailable
from .format import PackageIndex, caret_requirement, newest_version, normalize_name
from .installer import InstallReport, install_workspace, missing_installation, registry_urls_for
from .progress import Progress
from .urls import host_of, is_file_url, package_index_url
from .workspace import CONFIG_NAME, add_dependency, load_workspace

log = logging.getLogger(__name__)
# how long ``aclose`` waits for its cancelled tasks (a task that does not end by then is
# left behind with a warning: closing is bounded)
CLOSE_WAIT = 5.0

#: ``callback(host, old_state, new_state)`` after every breaker transition.
TransitionCallback = Callable[[str, State, State], None]


@dataclass(frozen=True)
class PackageLookup:
    """What a registry says about one package, and whether that came from the cache.

    ``stale``: read from the last-known-good copy on disk (or remembered from an earlier
    start), not confirmed by the registry in this session.
    """

    name: str
    source: str
    index: PackageIndex
    stale: bool = False

    def newest(self) -> Version | None:
        return newest_version(self.index)

    def requirement(self) -> str | None:
        """The caret requirement of the newest version (what "add dependency" writes)."""
        newest = self.newest()
        return caret_requirement(newest) if newest is not None else None

    def exports(self, module: str) -> bool:
        wanted = module.casefold()
        return any(wanted == e.casefold() for v in self.index.versions for e in v.exports)


def package_candidates(module: str) -> list[str]:
    """Package names that may provide ``module`` (``MathLib`` -> ``mathlib``)."""
    try:
        return [normalize_name(module)]
    except FormatError:
        return []


class RegistryService:
    """One live client plus lookups, installs, probes, counters and warm state."""

    def __init__(self, config: RegistryConfig, *, audit: Callable[..., Any] | None = None,
                 on_transition: TransitionCallback | None = None,
                 wall: Callable[[], float] = time.time, negative_ttl: float | None = None
                 ) -> None:
        self.client = RegistryClient(config, breaker_listener=self._transition)
        self._audit = audit
        self._on_transition = on_transition
        self._wall = wall
        self._negative_ttl = config.index_ttl if negative_ttl is None else negative_ttl
        self.counters: dict[str, int] = {"fetches": 0, "fetchFailures": 0, "installs": 0,
                                         "installFailures": 0, "probes": 0, "probeFailures": 0}
        self.last_success: float | None = None
        self.last_failure: float | None = None
        self.last_error: str | None = None
        self.last_throttled: float | None = None
        self.previous_session: dict[str, Any] = {}
        self._latency: deque[float] = deque(maxlen=100)
        self._known: dict[str, PackageLookup] = {}
        self._absent: dict[tuple[str, tuple[str, ...]], float] = {}
        self._lookups: dict[tuple[str, tuple[str, ...]], asyncio.Task[PackageLookup | None]] = {}
        self._registry_urls: dict[str, None] = {}  # ordered set, for probing by host
        self._wake = asyncio.Event()
        self._prober: asyncio.Task[None] | None = None
        self._closed = False

    @classmethod
    def for_workspace(cls, root: Path | None, **kwargs: Any) -> RegistryService:
        """A service configured from ``root/craft.toml`` (cache folder, token) plus
        ``config`` overrides in ``kwargs['config_overrides']``."""
        overrides: dict[str, Any] = dict(kwargs.pop("config_overrides", {}) or {})
        settings: dict[str, Any] = {}
        if root is not None:
            try:
                ws = load_workspace(root)
            except RegistryError as exc:
                log.warning("craft.toml: %s; using the default registry settings", exc)
            else:
                settings["cache_dir"] = default_cache_dir(ws.cache_dir)
                if ws.token is not None:
                    settings["token"] = ws.token
        settings.update(overrides)
        return cls(RegistryConfig(**settings), **kwargs)

    # ------------------------------------------------------------ workspace
    def registry_urls(self, root: Path) -> list[str]:
        """craft.toml's registries (or the bundled one), remembered for probing."""
        urls = registry_urls_for(load_workspace(root), self.client.config.cache_dir)
        for url in urls:
            self._registry_urls[url] = None
        return urls

    def missing_installation(self, root: Path) -> str | None:
        return missing_installation(root, self.client.config.cache_dir)

    def dependencies(self, root: Path) -> dict[str, str]:
        return dict(load_workspace(root).dependencies)

    # ------------------------------------------------------------ lookups
    def cached_lookup(self, name: str, urls: Sequence[str]) -> PackageLookup | None:
        """Synchronous: memory cache, then what this process remembers, then the disk's
        last-known-good copy. Never touches the network."""
        for url in urls:
            index = self.client.cached_package_index(url, name)
            if index is not None:
                return self._remember(PackageLookup(name, url, index, stale=False))
        known = self._known.get(name)
        if known is not None and known.source in urls:
            return known
        for url in urls:
            found = self._from_disk(url, name)
            if found is not None:
                return self._remember(found)
        return None

    def known_exporter(self, module: str, urls: Sequence[str]) -> PackageLookup | None:
        """A remembered package (from ``urls``) whose versions export ``module``."""
        return next((k for k in self._known.values()
                     if k.source in urls and k.exports(module)), None)

    def recently_absent(self, name: str, urls: Sequence[str]) -> bool:
        """The registries said "no such package" less than ``index_ttl`` ago."""
        when = self._absent.get((name, tuple(urls)))
        return when is not None and self.client.timing.clock() - when < self._negative_ttl

    async def lookup(self, name: str, urls: Sequence[str], deadline: float | None = None
                     ) -> PackageLookup | None:
        """Ask the registries (first one with the package wins). With a ``deadline``
        answer from the cache when the registry is slower; the fetch goes on in the
        background and updates the cache. None: unknown (or no registry has it)."""
        task = self.prefetch(name, urls)
        if task is None:
            return self.cached_lookup(name, urls)
        if deadline is None:
            return await asyncio.shield(task)
        try:
            return await asyncio.wait_for(asyncio.shield(task), deadline)
        except TimeoutError:
            cached = self.cached_lookup(name, urls)
            return PackageLookup(cached.name, cached.source, cached.index, True) \
                if cached is not None else None

    def prefetch(self, name: str, urls: Sequence[str]
                 ) -> asyncio.Task[PackageLookup | None] | None:
        """Start (or join) a background fetch of ``name``'s index; None once closed."""
        if self._closed:
            return None
        key = (name, tuple(urls))
        task = self._lookups.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fetch(name, list(urls)))
            self._lookups[key] = task
            task.add_done_callback(lambda t: self._lookup_done(key, t))
        return task

    def _lookup_done(self, key: tuple[str, tuple[str, ...]],
                     task: asyncio.Task[PackageLookup | None]) -> None:
        if self._lookups.get(key) is task:
            del self._lookups[key]
        if not task.cancelled() and task.exception() is not None:
            log.warning("package lookup %s failed: %s", key[0], task.exception())

    async def _fetch(self, name: str, urls: list[str]) -> PackageLookup | None:
        for url in urls:
            self._registry_urls[url] = None
        started = time.perf_counter()
        errors: list[RegistryError] = []
        for url in urls:
            try:
                doc = await self.client.package_document(url, name)
            except NotFound:
                continue
            except RegistryError as exc:
                self._failed(exc, url)
                errors.append(exc)
                continue
            found = PackageLookup(name, url, doc.value, stale=doc.stale)
            elapsed = (time.perf_counter() - started) * 1000
            self.counters["fetches"] += 1
            if doc.stale:
                self._failed(RegistryUnavailable(f"{host_or_path(url)} did not answer; "
                                                 "used the cached index"), url)
            else:
                self._succeeded(elapsed)
            self._record("package", "fetch", target=name, duration_ms=elapsed,
                         details={"source": url, "stale": doc.stale,
                                  "newest": str(found.newest())})
            self._absent.pop((name, tuple(urls)), None)
            return self._remember(found)
        elapsed = (time.perf_counter() - started) * 1000
        if errors:
            self.counters["fetchFailures"] += 1
            self._record("package", "fetch", "failure", target=name, duration_ms=elapsed,
                         error=errors[0])
            return self.cached_lookup(name, urls)
        self._absent[(name, tuple(urls))] = self.client.timing.clock()
        self._record("package", "fetch", target=name, duration_ms=elapsed,
                     details={"found": False, "registries": len(urls)})
        return None

    def _from_disk(self, url: str, name: str) -> PackageLookup | None:
        stored = self.client.disk.load(package_index_url(url, name))
        if stored is None:
            return None
        try:
            index = PackageIndex.from_json(json.loads(stored.body))
        except (ValueError, RegistryError):
            return None
        return PackageLookup(name, url, index, stale=True)

    def _remember(self, found: PackageLookup) -> PackageLookup:
        self._known[found.name] = found
        return found

    # ------------------------------------------------------------ installs
    async def install(self, root: Path, progress: Progress | None = None,
                      reason: str = "request") -> InstallReport:
        """Install ``root``'s dependencies (re-locking if needed); counted and audited."""
        self.registry_urls(root)
        started = time.perf_counter()
        try:
            async with self.client.operation(f"installing {root.name or root}",
                                             progress.note if progress else None):
                report = await install_workspace(root, self.client, progress)
        except asyncio.CancelledError:
            self.counters["installFailures"] += 1
            self._record("package", "install", "failure", target=str(root),
                         duration_ms=(time.perf_counter() - started) * 1000,
                         details={"reason": reason, "error": "cancelled (shutdown or newer "
                                                             "request)"})
            raise
        except (RegistryError, OSError) as exc:
            self.counters["installFailures"] += 1
            if isinstance(exc, RegistryError):
                self._failed(exc, None)
            self._record("package", "install", "failure", target=str(root),
                         duration_ms=(time.perf_counter() - started) * 1000, error=exc,
                         details={"reason": reason})
            raise
        elapsed = (time.perf_counter() - started) * 1000
        self.counters["installs"] += 1
        self._succeeded(elapsed)
        self._record("package", "install", target=str(root), duration_ms=elapsed,
                     details={"reason": reason, "relocked": report.relocked,
                              "packages": {p.name: p.version for p in report.lock.packages}})
        return report

    async def add_and_install(self, root: Path, name: str, progress: Progress | None = None
                              ) -> InstallReport:
        """Add ``name`` (caret requirement of its newest version) to craft.toml and install;
        craft.toml is restored if that fails (like ``craftls add``)."""
        name = normalize_name(name)
        if name in self.dependencies(root):
            return await self.install(root, progress, reason=f"install {name}")
        found = await self.lookup(name, self.registry_urls(root))
        requirement = found.requirement() if found is not None else None
        if found is None or requirement is None:
            raise NotFound(f"no configured registry has a package named {name!r}")
        path = root / CONFIG_NAME
        before = path.read_text(encoding="utf-8") if path.exists() else None
        add_dependency(root, name, requirement)
        self._record("package", "add", target=name, details={"requirement": requirement,
                                                            "workspace": str(root)})
        try:
            return await self.install(root, progress, reason=f"install {name}")
        except BaseException:
            if before is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(before, encoding="utf-8")
            raise

    # ------------------------------------------------------------ breakers and probes
    def start(self) -> None:
        """Start the prober on the running loop (idempotent)."""
        if self._closed:
            return
        if self._prober is None or self._prober.done():
            self._prober = asyncio.get_running_loop().create_task(
                self._probe_loop(), name="craftls-registry-probe")

    def configure(self, *, breaker_failures: int, breaker_reset: float, rate_limit: float,
                  rate_period: float, batch_size: int) -> None:
        """Apply new settings to the live client; the prober re-plans at once."""
        self.client.configure(breaker_failures=breaker_failures, breaker_reset=breaker_reset,
                              rate_limit=rate_limit, rate_period=rate_period,
                              batch_size=batch_size)
        self._wake.set()

    def _transition(self, host: str, old: State, new: State, snap: BreakerState) -> None:
        self._record("circuit_breaker", new.value, "success" if new is State.CLOSED
                     else "failure", target=host,
                     details={"from": old.value, "to": new.value,
                              "failures": snap.failure_count,
                              "serving": "registry" if new is State.CLOSED else "cache"})
        self._wake.set()
        if self._on_transition is not None:
            self._on_transition(host, old, new)

    def _due_probe(self) -> float | None:
        """When the next probe is due (clock time), or None if every breaker is closed."""
        due = None
        for host in self.client.breakers.hosts():
            snap = self.client.breakers.for_host(host).state()
            when = (snap.next_probe_time if snap.state is State.OPEN
                    else self.client.timing.clock() if snap.state is State.HALF_OPEN else None)
            if when is not None:
                due = when if due is None else min(due, when)
        return due

    async def _probe_loop(self) -> None:
        # ends once closed, not only when cancelled: Python 3.11's ``asyncio.wait_for``
        # can swallow a cancellation that arrives just as the wait it guards completes
        # (gh-86296); the loop would then wait on ``_wake`` for ever and ``aclose`` with it
        while not self._closed:
            self._wake.clear()
            due = self._due_probe()
            if due is None:
                await self._wake.wait()
                continue
            delay = due - self.client.timing.clock()
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay)
                continue
            await self.probe_open_hosts()
            # The outcome (a transition) wakes the loop; an ignored outcome (throttled,
            # another request is the probe) is retried after one reset period.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.client.config.breaker_reset)

    async def probe_open_hosts(self) -> None:
        """Probe every host whose breaker is half-open (or open past its timeout)."""
        for host in self.client.breakers.hosts():
            if self.client.breakers.for_host(host).state().state is not State.HALF_OPEN:
                continue
            url = next((u for u in self._registry_urls
                        if not is_file_url(u) and host_of(u) == host), None)
            if url is None:
                continue
            started = time.perf_counter()
            self.counters["probes"] += 1
            try:
                await self.client.probe(url)
            except RateLimited as exc:
                self._throttled(url, exc)
            except RegistryError as exc:
                self.counters["probeFailures"] += 1
                self._failed(exc, url)
            else:
                self._succeeded((time.perf_counter() - started) * 1000)

    # ------------------------------------------------------------ bookkeeping
    def _succeeded(self, elapsed_ms: float) -> None:
        self.last_success = self._wall()
        self._latency.append(elapsed_ms)

    def _failed(self, exc: RegistryError, url: str | None) -> None:
        if isinstance(exc, RateLimited):
            self._throttled(url, exc)
            return
        self.last_failure = self._wall()
        self.last_error = f"{type(exc).__name__}: {exc}"
        log.warning("registry request failed (serving from the cache): %s", exc)

    def _throttled(self, url: str | None, exc: RateLimited) -> None:
        self.last_throttled = self._wall()
        self._record("rate_limit", "throttled", "denied",
                     target=host_or_path(url) if url else None,
                     details={"retryAfter": exc.retry_after, "message": str(exc)})

    def _record(self, event_type: str, action: str, outcome: str = "success",
                **fields: Any) -> None:
        if self._audit is None:
            return
        try:
            self._audit(event_type, action, outcome, **fields)
        except Exception:  # auditing must never break fetching
            log.exception("audit record failed")

    def client_stats(self) -> dict[str, Any]:
        return self.client.stats()

    def health_snapshot(self) -> dict[str, Any]:
        """Plain data for :func:`craftls.ops.checks.registry_check`."""
        latency = sorted(self._latency)  # no disk statistics: this runs on every check
        return {
            "breakers": self.client.breakers.stats(), "limiters": self.client.limiter.stats(),
            "lastSuccess": self.last_success, "lastFailure": self.last_failure,
            "lastError": self.last_error, "lastThrottled": self.last_throttled,
            "latencyMs": {"last": self._latency[-1] if self._latency else None,
                          "p95": latency[min(len(latency) - 1, int(len(latency) * 0.95))]
                          if latency else None},
            "offline": self.client.config.offline, "now": self._wall(),
            "counters": dict(self.counters),
        }

    # ------------------------------------------------------------ warm state
    def warm_state(self) -> dict[str, Any]:
        """What the next start reloads: which package indexes were known (their bodies
        are already on disk as last-known-good copies), counters and the last outcomes."""
        packages: dict[str, list[str]] = {}
        for found in self._known.values():
            packages.setdefault(found.source, []).append(found.name)
        return {"packages": {url: sorted(names) for url, names in sorted(packages.items())},
                "counters": dict(self.counters), "lastSuccess": self.last_success,
                "lastFailure": self.last_failure, "lastError": self.last_error}

    def restore(self, data: Mapping[str, Any] | None) -> int:
        """Reload a previous :meth:`warm_state`: remembered indexes come back from the
        disk cache (marked stale until the registry confirms them). Returns how many."""
        if not isinstance(data, Mapping):
            return 0
        counters = data.get("counters")
        if isinstance(counters, Mapping):
            for key, value in counters.items():
                if key in self.counters and isinstance(value, int):
                    self.counters[key] += value
        self.previous_session = {k: data.get(k) for k in ("lastSuccess", "lastFailure",
                                                           "lastError")}
        restored = 0
        packages = data.get("packages")
        for url, names in packages.items() if isinstance(packages, Mapping) else ():
            for name in names if isinstance(names, list) else ():
                if not isinstance(name, str) or name in self._known:
                    continue
                found = self._from_disk(str(url), name)
                if found is not None:
                    self._remember(found)
                    restored += 1
        return restored

    def known_packages(self) -> list[str]:
        return sorted(self._known)

    # ------------------------------------------------------------ shutdown
    async def aclose(self) -> None:
        """Stop probing and lookups, then close the HTTP connections."""
        self._closed = True
        tasks = [t for t in [self._prober, *self._lookups.values()] if t is not None]
        for task in tasks:
            task.cancel()
        self._wake.set()  # (the probe loop sees ``_closed`` if its cancellation was lost)
        if tasks:
            done, pending = await asyncio.wait(tasks, timeout=CLOSE_WAIT)
            for task in done:  # retrieved, so no "exception was never retrieved"
                if not task.cancelled():
                    task.exception()
            if pending:
                log.warning("registry service closed with %d task(s) still running",
                            len(pending))
        await self.client.aclose()


def host_or_path(url: str) -> str:
    return url if is_file_url(url) else host_of(url)


def lookup_names(module: str, service: RegistryService, urls: Iterable[str]) -> list[str]:
    """Candidate package names for ``module``: its own name, then remembered packages
    that export it."""
    urls = list(urls)
    names = package_candidates(module)
    exporter = service.known_exporter(module, urls)
    if exporter is not None and exporter.name not in names:
        names.append(exporter.name)
    return names
