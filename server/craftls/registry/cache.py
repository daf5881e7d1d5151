"""Caches: an in-memory TTL cache that merges concurrent misses, and an on-disk
last-known-good copy of every index document (with its ETag / Last-Modified).

cachetools' ``@cached`` would cache the coroutine object, so the TTLCache is used by
hand around the ``await`` and a dict of in-flight tasks shares one fetch among
identical concurrent requests. Neither structure is thread-safe: use from one loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from cachetools import TTLCache

from .atomic import write_bytes_atomic
from .timing import Clock

log = logging.getLogger(__name__)
T = TypeVar("T")
_MISSING = object()


class MemoryCache(Generic[T]):
    """TTL cache + in-flight task map; counts hits, misses and merged requests."""

    def __init__(self, maxsize: int, ttl: float, timer: Clock = time.monotonic) -> None:
        self._cache: TTLCache[Hashable, T] = TTLCache(maxsize=maxsize, ttl=ttl, timer=timer)
        self._inflight: dict[Hashable, asyncio.Task[T]] = {}
        self.hits = self.misses = self.merged = 0

    def get(self, key: Hashable) -> T | None:
        """A fresh cached value or None (counts a hit when found)."""
        value = self._cache.get(key, _MISSING)
        if value is _MISSING:
            return None
        self.hits += 1
        return value  # type: ignore[return-value]

    def put(self, key: Hashable, value: T) -> None:
        self._cache[key] = value

    def discard(self, key: Hashable) -> None:
        self._cache.pop(key, None)

    async def get_or_load(self, key: Hashable, loader: Callable[[], Awaitable[T]],
                          to_cache: Callable[[T], T | None] = lambda v: v) -> T:
        """Return the cached value, join a running load, or start one.

        ``to_cache`` picks what to keep (None: keep nothing, e.g. for stale data).
        Waiters are shielded: one caller cancelling does not cancel the shared fetch.
        """
        value = self.get(key)
        if value is not None:
            return value
        task = self._inflight.get(key)
        if task is None:
            self.misses += 1
            task = asyncio.ensure_future(self._load(key, loader, to_cache))
            self._inflight[key] = task
            task.add_done_callback(lambda t: self._finished(key, t))
        else:
            self.merged += 1
        return await asyncio.shield(task)

    async def _load(self, key: Hashable, loader: Callable[[], Awaitable[T]],
                    to_cache: Callable[[T], T | None]) -> T:
        value = await loader()
        cached = to_cache(value)
        if cached is not None:
            self._cache[key] = cached
        return value

    def _finished(self, key: Hashable, task: asyncio.Task[T]) -> None:
        if self._inflight.get(key) is task:
            del self._inflight[key]
        if not task.cancelled():
            task.exception()  # mark retrieved even if every waiter was cancelled

    def stats(self) -> dict[str, Any]:
        return {"size": len(self._cache), "maxsize": self._cache.maxsize,
                "ttl": self._cache.ttl, "hits": self.hits, "misses": self.misses,
                "merged": self.merged, "in_flight": len(self._inflight)}


@dataclass(frozen=True)
class StoredDocument:
    """A last-known-good document body with the validators needed to revalidate it."""

    url: str
    body: bytes
    etag: str | None
    last_modified: str | None
    fetched_at: float


class DiskDocumentCache:
    """``<cache>/index/<hh>/<sha256(url)>.json``; a checksum guards against corruption."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.corrupt = 0

    def _path(self, url: str) -> Path:
        digest = hashlib.sha256(url.encode()).hexdigest()
        return self.root / digest[:2] / f"{digest}.json"

    def load(self, url: str) -> StoredDocument | None:
        """The stored copy, or None if absent or corrupt (a corrupt one is deleted)."""
        path = self._path(url)
        try:
            raw = json.loads(path.read_bytes())
            body = raw["body"].encode("utf-8")
            if hashlib.sha256(body).hexdigest() != raw["sha256"] or raw["url"] != url:
                raise ValueError("checksum mismatch")
            return StoredDocument(url, body, raw.get("etag"), raw.get("last_modified"),
                                  float(raw.get("fetched_at", 0.0)))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, UnicodeError, OSError) as exc:
            self.corrupt += 1
            log.warning("dropping corrupt cached document for %s: %s", url, exc)
            path.unlink(missing_ok=True)
            return None

    def save(self, doc: StoredDocument) -> None:
        text = doc.body.decode("utf-8")
        record = {"url": doc.url, "etag": doc.etag, "last_modified": doc.last_modified,
                  "fetched_at": doc.fetched_at, "sha256": hashlib.sha256(doc.body).hexdigest(),
                  "body": text}
        write_bytes_atomic(self._path(doc.url), json.dumps(record).encode("utf-8"))

    def stats(self) -> dict[str, Any]:
        files = list(self.root.rglob("*.json")) if self.root.exists() else []
        return {"documents": len(files), "bytes": sum(f.stat().st_size for f in files),
                "corrupt_dropped": self.corrupt}
