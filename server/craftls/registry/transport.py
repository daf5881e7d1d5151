"""One HTTP (or file) GET, no policy: the bottom layer under retry, breaker and cache.

Bodies are exposed as raw bytes (``aiter_raw``): a ``.tar.gz`` labelled
``Content-Encoding: gzip`` must be hashed as sent, not transparently decompressed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

import httpx

from .urls import file_path, is_file_url

CHUNK = 64 * 1024
T = TypeVar("T")


@dataclass
class Reply:
    """Status, headers and a raw body stream, whatever the scheme."""

    status: int
    headers: Mapping[str, str]
    chunks: AsyncIterator[bytes]

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self.chunks])


async def _file_chunks(path: str) -> AsyncIterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk
            await asyncio.sleep(0)


async def _no_chunks() -> AsyncIterator[bytes]:
    return
    yield b""  # pragma: no cover - makes this an async generator


def _file_reply(url: str, headers: Mapping[str, str]) -> Reply:
    """Serve a ``file://`` URL like a tiny HTTP server, including ETag/304."""
    path = file_path(url)
    try:
        st = path.stat()
    except FileNotFoundError:
        return Reply(404, {}, _no_chunks())
    if not path.is_file():
        return Reply(404, {}, _no_chunks())
    etag = f'W/"{st.st_size:x}-{st.st_mtime_ns:x}"'
    if headers.get("If-None-Match") == etag:
        return Reply(304, {"ETag": etag}, _no_chunks())
    return Reply(200, {"ETag": etag, "Content-Length": str(st.st_size)},
                 _file_chunks(str(path)))


async def _http_chunks(resp: httpx.Response) -> AsyncIterator[bytes]:
    async for chunk in resp.aiter_raw():
        yield chunk


class Transport:
    """Performs a single GET and hands the reply to ``consume`` while the stream is open."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    @asynccontextmanager
    async def _open(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[Reply]:
        if is_file_url(url):
            yield _file_reply(url, headers)
            return
        async with self.http.stream("GET", url, headers=dict(headers)) as resp:
            yield Reply(resp.status_code, resp.headers, _http_chunks(resp))

    async def get(self, url: str, headers: Mapping[str, str],
                  consume: Callable[[Reply], Awaitable[T]]) -> T:
        """GET ``url`` and return ``consume(reply)``; transport errors propagate as httpx's."""
        async with self._open(url, headers) as reply:
            return await consume(reply)


def make_http_client(connect_timeout: float, read_timeout: float,
                     max_connections: int = 100) -> httpx.AsyncClient:
    """An AsyncClient with explicit timeouts; TLS verification stays on (httpx default)."""
    timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
    limits = httpx.Limits(max_connections=max_connections,
                          max_keepalive_connections=max_connections)
    return httpx.AsyncClient(timeout=timeout, limits=limits, follow_redirects=True,
                             headers={"User-Agent": "craftls-registry/1"})
