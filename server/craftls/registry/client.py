"""The registry client: cache -> circuit breaker -> retries -> rate limiter -> transport.

Each layer lives in its own module and is testable alone; this module only wires
them and maps HTTP answers onto :mod:`craftls.registry.errors`.
"""

from __future__ import annotations

import asyncio
import codecs
import dataclasses
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx

from .breaker import BreakerRegistry, Listener
from .cache import DiskDocumentCache, MemoryCache, StoredDocument
from .config import RegistryConfig
from .errors import (
    AccessDenied,
    CircuitOpen,
    FormatError,
    NotCached,
    NotFound,
    RateLimited,
    RegistryError,
    RegistryUnavailable,
)
from .format import PackageIndex, PackageSummary, RootIndex, VersionEntry, parse_package_list
from .operation import Notice, Operation, current_operation, operation_scope
from .ratelimit import HostRateLimiter, parse_retry_after
from .retry import RETRY_STATUSES, TransientError, make_retrying
from .store import ArchiveStore
from .timing import Timing
from .transport import Reply, Transport, make_http_client
from .urls import (
    check_fetch_url,
    check_request_url,
    host_of,
    is_file_url,
    origin_of,
    package_index_url,
    resolve,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Documents may come compressed (decoded by Reply.read_document); archives never do.
_DOCUMENT_HEADERS = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


@dataclass(frozen=True)
class RegistryDocument(Generic[T]):
    """A parsed registry document and where it came from.

    ``from_cache``: not read from a fresh 200 body in this call (memory, disk or 304).
    ``stale``: served from the last-known-good copy because the registry could not be
    asked (offline) or did not answer (outage, open breaker, rate limit).
    """

    url: str
    value: T
    etag: str | None = None
    last_modified: str | None = None
    from_cache: bool = False
    stale: bool = False


class RegistryClient:
    """Async client for one or more static registries; use as ``async with``."""

    def __init__(self, config: RegistryConfig | None = None, *, timing: Timing | None = None,
                 http: httpx.AsyncClient | None = None,
                 breaker_listener: Listener | None = None) -> None:
        self.config = config or RegistryConfig()
        self.timing = timing or Timing()
        cfg = self.config
        self._own_http = http is None
        self._http = http or make_http_client(cfg.connect_timeout, cfg.read_timeout,
                                              max(cfg.batch_size, 10))
        self._transport = Transport(self._http)
        self.breakers = BreakerRegistry(cfg.breaker_failures, cfg.breaker_reset,
                                        self.timing.clock, breaker_listener)
        self.limiter = HostRateLimiter(cfg.rate_limit, cfg.rate_period, cfg.max_rate_wait,
                                       self.timing)
        self.documents: MemoryCache[RegistryDocument[Any]] = MemoryCache(
            cfg.cache_size, cfg.index_ttl, self.timing.clock)
        self.archive_paths: MemoryCache[Path] = MemoryCache(
            cfg.cache_size, cfg.registry_cache_ttl, self.timing.clock)
        self.disk = DiskDocumentCache(cfg.cache_dir / "index")
        self.store = ArchiveStore(cfg.cache_dir, cfg.limits)
        try:  # leftovers of a killed run; anything younger may still be in use
            self.store.clean_stale_tmp(cfg.operation_timeout + cfg.request_timeout)
        except OSError as exc:
            log.warning("could not clean %s: %s", cfg.cache_dir / "tmp", exc)
        self._auth_origins: set[tuple[str, str, int | None]] = set()
        self._failed_hosts: dict[str, str] = {}

    async def __aenter__(self) -> RegistryClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    def configure(self, *, breaker_failures: int | None = None,
                  breaker_reset: float | None = None, rate_limit: float | None = None,
                  rate_period: float | None = None, batch_size: int | None = None) -> None:
        """Apply new breaker, rate-limit and batch settings to the live client.

        Cache TTLs and sizes are fixed when the client is made."""
        cfg = self.config
        cfg = dataclasses.replace(
            cfg,
            breaker_failures=cfg.breaker_failures if breaker_failures is None
            else breaker_failures,
            breaker_reset=cfg.breaker_reset if breaker_reset is None else breaker_reset,
            rate_limit=cfg.rate_limit if rate_limit is None else rate_limit,
            rate_period=cfg.rate_period if rate_period is None else rate_period,
            batch_size=cfg.batch_size if batch_size is None else batch_size)
        self.config = cfg
        self.breakers.configure(cfg.breaker_failures, cfg.breaker_reset)
        self.limiter.configure(cfg.rate_limit, cfg.rate_period)

    async def probe(self, registry_url: str) -> None:
        """One uncached GET of ``registry_url`` through breaker, retries and limiter.

        This is how an open breaker is tested again: once it is half-open exactly this
        request goes through and its outcome closes or re-opens it. Raises RegistryError.
        """
        if not is_file_url(registry_url):
            self._remember_auth_host(registry_url)
        await self._request(registry_url, dict(_DOCUMENT_HEADERS),
                            self._read_document(registry_url))

    # ----------------------------------------------------------------- documents
    async def root_index(self, registry_url: str) -> RootIndex:
        doc = await self.fetch_document(registry_url, RootIndex.from_json)
        return doc.value

    async def package_list(self, registry_url: str) -> list[PackageSummary]:
        root = await self.root_index(registry_url)
        url = check_fetch_url(resolve(registry_url, root.packages), registry_url,
                              "package list")
        doc = await self.fetch_document(url, parse_package_list)
        return doc.value

    async def package_index(self, registry_url: str, name: str) -> PackageIndex:
        """Every version of ``name`` (cached; revalidated with ETag after ``index_ttl``)."""
        return (await self.package_document(registry_url, name)).value

    async def package_document(self, registry_url: str, name: str) -> RegistryDocument[PackageIndex]:
        self._remember_auth_host(registry_url)
        return await self.fetch_document(package_index_url(registry_url, name),
                                         PackageIndex.from_json)

    def cached_package_index(self, registry_url: str, name: str) -> PackageIndex | None:
        """Synchronous memory-only lookup (the hot path the resolver and LSP use)."""
        doc = self.documents.get(package_index_url(registry_url, name))
        return doc.value if doc is not None else None

    async def package_indexes(self, registry_url: str, names: Iterable[str],
                              batch_size: int | None = None
                              ) -> dict[str, PackageIndex | RegistryError]:
        """Fetch many package indexes, at most ``batch_size`` at once; errors per name."""
        limit = asyncio.Semaphore(batch_size or self.config.batch_size)

        async def one(name: str) -> PackageIndex | RegistryError:
            async with limit:
                try:
                    return await self.package_index(registry_url, name)
                except RegistryError as exc:
                    return exc

        unique = sorted(set(names))
        results = await asyncio.gather(*(one(n) for n in unique))
        return dict(zip(unique, results, strict=True))

    async def search(self, registry_urls: Iterable[str], term: str) -> list[PackageSummary]:
        """Packages whose name or description contains ``term`` (case-insensitive)."""
        term = term.lower()
        found: dict[str, PackageSummary] = {}
        for url in registry_urls:
            for item in await self.package_list(url):
                if term in item.name or term in item.description.lower():
                    found.setdefault(item.name, item)
        return [found[name] for name in sorted(found)]

    async def fetch_document(self, url: str, parse: Callable[[Any, str], T]) -> RegistryDocument[T]:
        """A JSON document through memory cache, in-flight merging and disk fallback."""
        return await self.documents.get_or_load(
            url, lambda: self._load_document(url, parse), to_cache=_as_cached)

    async def _load_document(self, url: str, parse: Callable[[Any, str], T]) -> RegistryDocument[T]:
        stored = self.disk.load(url)
        if self._offline_for(url):
            if stored is None:
                raise NotCached(f"offline and {url} was never fetched; run once online")
            return self._from_stored(stored, parse, stale=True)
        headers = dict(_DOCUMENT_HEADERS)
        if stored is not None and stored.etag:
            headers["If-None-Match"] = stored.etag
        if stored is not None and stored.last_modified:
            headers["If-Modified-Since"] = stored.last_modified
        try:
            status, reply_headers, body = await self._request(url, headers,
                                                              self._read_document(url))
        except RegistryUnavailable as exc:
            if stored is None:
                raise
            log.warning("registry unavailable (%s); using cached %s", exc, url)
            return self._from_stored(stored, parse, stale=True)
        if status == 304:
            if stored is None:
                raise RegistryError(f"{url}: 304 Not Modified without a cached copy")
            return self._from_stored(stored, parse, stale=False)
        doc = self._parse(url, body, parse, reply_headers)
        self.disk.save(StoredDocument(url, body, doc.etag, doc.last_modified,
                                      self.timing.wall_clock()))
        return doc

    def _parse(self, url: str, body: bytes, parse: Callable[[Any, str], T],
               headers: Any, from_cache: bool = False, stale: bool = False) -> RegistryDocument[T]:
        try:
            value = parse(json.loads(_utf8_text(url, body)), url)
        except json.JSONDecodeError as exc:
            raise FormatError(f"{url} is not valid JSON: {exc}") from exc
        for problem in getattr(value, "skipped", ()):
            self.notice(problem)
        return RegistryDocument(url, value, headers.get("ETag"), headers.get("Last-Modified"),
                        from_cache, stale)

    def _from_stored(self, stored: StoredDocument, parse: Callable[[Any, str], T],
                     stale: bool) -> RegistryDocument[T]:
        headers = {"ETag": stored.etag, "Last-Modified": stored.last_modified}
        return self._parse(stored.url, stored.body, parse, headers, True, stale)

    def _read_document(self, url: str) -> Callable[[Reply], Awaitable[bytes]]:
        async def read(reply: Reply) -> bytes:
            return await reply.read_document(url, self.config.limits.max_document_bytes)
        return read

    # ------------------------------------------------------------------ archives
    async def fetch_archive(self, registry_url: str, entry: VersionEntry) -> Path:
        """A verified archive in the content-addressed store (downloaded at most once)."""
        return await self.fetch_archive_url(resolve(registry_url, entry.url), entry.sha256,
                                            registry_url=registry_url)

    async def fetch_archive_url(self, url: str, sha256: str,
                                registry_url: str | None = None) -> Path:
        """Like :meth:`fetch_archive` for an absolute URL (as recorded in craft.lock).

        ``registry_url`` is the registry the caller took the URL from; the URL itself
        never earns credentials (only the registry's own scheme, host and port do)."""
        check_fetch_url(url, registry_url, "archive")
        return await self.archive_paths.get_or_load(
            sha256, lambda: self._load_archive(url, sha256))

    async def _load_archive(self, url: str, sha: str) -> Path:
        if self.store.has_valid(sha):
            return self.store.archive_path(sha)
        if self._offline_for(url):
            raise NotCached(f"offline and archive {url} is not in the cache")

        async def save(reply: Reply) -> Path:
            return await self.store.put_stream(sha, reply.chunks)

        _status, _headers, path = await self._request(
            url, {"Accept-Encoding": "identity"}, save)
        return path

    # ------------------------------------------------------------------- request
    async def _request(self, url: str, headers: dict[str, str],
                       consume: Callable[[Reply], Awaitable[T]]
                       ) -> tuple[int, Any, T]:
        """One logical GET: one breaker count, several attempts, each rate limited."""
        check_request_url(url)
        headers = {**headers, **self._auth_header(url)}
        if is_file_url(url):
            return await self._attempt(url, headers, consume, "file")
        host = host_of(url)
        failed = self._failed_hosts.get(host)
        if failed is not None:
            raise RegistryUnavailable(f"{url}: {host} already failed in this run ({failed}); "
                                      "not asking it again")
        breaker = self.breakers.for_host(host)

        async def with_retries() -> tuple[int, Any, T]:
            cfg = self.config
            retrying = make_retrying("GET", attempts=cfg.max_attempts, base=cfg.backoff_base,
                                     maximum=cfg.backoff_max, jitter=cfg.backoff_jitter,
                                     sleep=self._retry_sleep(url))
            try:
                async for attempt in retrying:
                    with attempt:
                        await self.limiter.acquire(host, self.remaining())
                        return await self._attempt(url, headers, consume, host)
            except TransientError as exc:
                if exc.status == 429:
                    raise RateLimited(f"{host} keeps answering 429 Too Many Requests",
                                      retry_after=exc.retry_after) from exc
                raise RegistryUnavailable(f"{url}: {exc} (after {cfg.max_attempts} "
                                          "attempts)") from exc
            raise AssertionError("unreachable: tenacity reraises")

        try:
            return await breaker.call(with_retries)
        except RegistryUnavailable as exc:
            if self.config.remember_failures and not isinstance(exc, RateLimited | CircuitOpen):
                self._failed_hosts[host] = _short(exc)
            raise

    def _retry_sleep(self, url: str) -> Callable[[float], Awaitable[None]]:
        """Tenacity's sleep: never past the operation's deadline."""
        async def sleep(seconds: float) -> None:
            left = self.remaining()
            if seconds > left:
                raise RegistryUnavailable(f"{url}: no answer, and the next attempt would "
                                          f"come after the operation deadline "
                                          f"({max(left, 0):.0f} s left)")
            await self.timing.sleep(seconds)
        return sleep

    async def _attempt(self, url: str, headers: dict[str, str],
                       consume: Callable[[Reply], Awaitable[T]], host: str
                       ) -> tuple[int, Any, T]:
        async def handle(reply: Reply) -> tuple[int, Any, T]:
            self._check_status(url, host, reply)
            if reply.status == 304:
                return 304, reply.headers, None  # type: ignore[return-value]
            return reply.status, reply.headers, await consume(reply)

        limit = max(min(self.config.request_timeout, self.remaining()), 0.001)
        try:
            async with asyncio.timeout(limit):
                return await self._transport.get(url, headers, handle)
        except TimeoutError:
            raise TransientError(f"no complete answer within {limit:g} s "
                                 "(setting registryRequestTimeout)") from None
        except httpx.TooManyRedirects as exc:
            raise RegistryError(f"{url}: too many redirects ({exc})") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"{type(exc).__name__}: {exc or 'transport error'}") from exc

    def _check_status(self, url: str, host: str, reply: Reply) -> None:
        status = reply.status
        if status in (200, 304):
            return
        if status in (404, 410):
            raise NotFound(f"{url} not found ({status})")
        if status in (401, 403):
            raise AccessDenied(f"{url}: access denied ({status}); set CRAFTLS_REGISTRY_TOKEN")
        if status in RETRY_STATUSES:
            hint = parse_retry_after(reply.headers.get("Retry-After"),
                                     self.timing.wall_clock())
            started = status == 429 and self.limiter.pause(host, hint or 1.0)
            self._check_hint(url, host, status, hint)
            if started and hint:
                self.notice(f"registry {host} asked us to wait {hint:.0f} s (429); waiting")
            elif status != 429 and hint is not None and hint >= 1:
                self.notice(f"registry {host} asked us to wait {hint:.0f} s ({status}); "
                            "waiting")
            raise TransientError(f"HTTP {status}", status=status, retry_after=hint)
        if status >= 500:
            raise RegistryUnavailable(f"{url}: server error {status}")
        raise RegistryError(f"{url}: unexpected HTTP status {status}")

    def _check_hint(self, url: str, host: str, status: int, hint: float | None) -> None:
        """A ``Retry-After`` longer than we would wait fails now, with the server's hint,
        instead of sleeping in silence."""
        limit = min(self.config.retry_after_cap, self.remaining())
        if hint is None or hint <= limit:
            return
        message = (f"{url}: registry {host} asks us to retry in {hint:.0f} s (HTTP "
                   f"{status}); we wait at most {max(limit, 0):.0f} s "
                   "(setting registryRetryAfterCap, or the operation deadline)")
        if status == 429:
            raise RateLimited(message, retry_after=hint)
        raise RegistryUnavailable(message)

    # ----------------------------------------------------------------- operations
    def remaining(self) -> float:
        """Seconds left in the current operation (a whole ``operation_timeout`` outside one)."""
        op = current_operation()
        if op is None:
            return self.config.operation_timeout
        return op.deadline - self.timing.clock()

    def notice(self, message: str) -> None:
        """Tell the user what we are waiting for (the operation's notice, else the log)."""
        op = current_operation()
        if op is not None and op.notice is not None:
            op.notice(message)
        else:
            log.warning("%s", message)

    @asynccontextmanager
    async def operation(self, what: str, notice: Notice | None = None,
                        seconds: float | None = None) -> AsyncIterator[Operation]:
        """One lock/install/search: a deadline for every request and wait inside it."""
        seconds = self.config.operation_timeout if seconds is None else seconds
        op = Operation(self.timing.clock() + seconds, notice)
        with operation_scope(op):
            try:
                async with asyncio.timeout(seconds) as scope:
                    yield op
            except TimeoutError:
                if not scope.expired():
                    raise
                raise RegistryUnavailable(f"{what} did not finish within {seconds:g} s "
                                          "(setting registryOperationTimeout)") from None

    def _offline_for(self, url: str) -> bool:
        """Offline means "no network": ``file://`` registries stay readable."""
        return self.config.offline and not is_file_url(url)

    def _remember_auth_host(self, registry_url: str) -> None:
        """``registry_url`` is a registry the user configured: its origin may get the
        token. Only documents asked for *as a registry* come here, never a URL read
        from a lock file or an index (cargo's rule)."""
        if not is_file_url(registry_url):
            check_request_url(registry_url)  # a bad port is one clear error
            self._auth_origins.add(origin_of(registry_url))

    def _auth_header(self, url: str) -> dict[str, str]:
        """The token goes only to a configured registry's exact scheme, host and port,
        over HTTPS (or loopback); never to another host, port or scheme."""
        token = self.config.token
        if token is None or is_file_url(url):
            return {}
        origin = origin_of(url)
        secure = origin[0] == "https" or (origin[0] == "http" and origin[1] in _LOOPBACK)
        if origin in self._auth_origins and secure:
            return {"Authorization": f"Bearer {token.reveal()}"}
        return {}

    # --------------------------------------------------------------------- stats
    def stats(self) -> dict[str, Any]:
        """Plain data for the health monitor: breakers, limiters, caches, store."""
        return {
            "breakers": self.breakers.stats(),
            "limiters": self.limiter.stats(),
            "cache": {"documents": self.documents.stats(),
                      "archives": self.archive_paths.stats(),
                      "disk_documents": self.disk.stats(),
                      "store": self.store.stats()},
            "offline": self.config.offline,
        }




def _as_cached(doc: RegistryDocument[T]) -> RegistryDocument[T] | None:
    """What the memory cache keeps: fresh data, marked as cached; never stale data."""
    if doc.stale:
        return None
    return RegistryDocument(doc.url, doc.value, doc.etag, doc.last_modified, True, False)


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:197] + "..."


_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF8, "UTF-8 with a byte-order mark"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def _utf8_text(url: str, body: bytes) -> str:
    """Registry documents are UTF-8 without a byte-order mark; say so plainly when a
    document is not (json.loads would guess UTF-16 and the disk cache could not keep it)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            raise FormatError(f"{url} is encoded as {name}; registry documents must be "
                              "UTF-8 without a byte-order mark (ask the registry's maintainer)")
    if b"\x00" in body[:4]:
        raise FormatError(f"{url} looks like UTF-16 or UTF-32 text; registry documents "
                          "must be UTF-8 (ask the registry's maintainer)")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"{url} is not UTF-8 (byte {body[exc.start]:#04x} at offset "
                          f"{exc.start}); registry documents must be UTF-8") from exc
