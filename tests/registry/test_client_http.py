"""The layered client against a real loopback server that injects faults."""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import logging
from pathlib import Path

import pytest

from craftls.registry.config import Secret
from craftls.registry.errors import (
    IntegrityError,
    NotFound,
    RateLimited,
    RegistryUnavailable,
)
from craftls.registry.format import PackageIndex

from .conftest import Fault

PKG = "/packages/mathlib.json"


async def test_package_index_roundtrip(server, make_client):
    async with make_client() as client:
        index = await client.package_index(server.url, "mathlib")
    assert [str(v.version) for v in index.versions] == ["1.0.0", "2.0.0"]
    assert server.hits[PKG] == 1


async def test_503_then_success_is_retried(server, make_client, fake):
    server.add(PKG, Fault("status", 503))
    async with make_client() as client:
        index = await client.package_index(server.url, "mathlib")
    assert isinstance(index, PackageIndex)
    assert server.statuses(PKG) == [503, 200]
    assert len(fake.slept) == 1 and 0 < fake.slept[0] <= 10


async def test_persistent_503_gives_retryable_unavailable(server, make_client):
    server.add(PKG, *[Fault("status", 503)] * 10)
    async with make_client(max_attempts=3) as client:
        with pytest.raises(RegistryUnavailable) as info:
            await client.package_index(server.url, "mathlib")
    assert info.value.retryable
    assert server.hits[PKG] == 3


async def test_500_is_not_retried(server, make_client):
    server.add(PKG, Fault("status", 500))
    async with make_client() as client:
        with pytest.raises(RegistryUnavailable):
            await client.package_index(server.url, "mathlib")
        assert client.breakers.for_host(server.base[7:]).state().failure_count == 1
    assert server.hits[PKG] == 1


async def test_429_retry_after_seconds(server, make_client, fake):
    server.add(PKG, Fault("status", 429, {"Retry-After": "7"}))
    async with make_client() as client:
        await client.package_index(server.url, "mathlib")
        assert client.stats()["limiters"]  # the host shows up with its window
    assert fake.slept == [7.0]
    assert server.hits[PKG] == 2


async def test_429_retry_after_http_date(server, make_client, fake):
    when = email.utils.formatdate(fake.wall + 30, usegmt=True)
    server.add(PKG, Fault("status", 429, {"Retry-After": when}))
    async with make_client() as client:
        await client.package_index(server.url, "mathlib")
    assert fake.slept == [pytest.approx(30.0, abs=1.0)]


async def test_retry_after_beyond_the_cap_fails_fast_with_the_hint(server, make_client,
                                                                   fake):
    server.add(PKG, Fault("status", 503, {"Retry-After": "100000"}))
    async with make_client(retry_after_cap=5.0) as client:
        with pytest.raises(RegistryUnavailable, match="retry in 100000 s"):
            await client.package_index(server.url, "mathlib")
    assert fake.slept == [] and server.hits[PKG] == 1


async def test_persistent_429_raises_rate_limited(server, make_client):
    server.add(PKG, *[Fault("status", 429, {"Retry-After": "1"})] * 5)
    async with make_client(max_attempts=2) as client:
        with pytest.raises(RateLimited) as info:
            await client.package_index(server.url, "mathlib")
        # 429 shows the host is alive: no breaker failure counted
        assert client.breakers.for_host(server.base[7:]).state().failure_count == 0
    assert info.value.retry_after == 1.0


async def test_404_is_not_retried(server, make_client, fake):
    async with make_client() as client:
        with pytest.raises(NotFound):
            await client.package_index(server.url, "nosuch")
    assert server.hits["/packages/nosuch.json"] == 1
    assert fake.slept == []


async def test_read_timeout_is_retried(server, make_client):
    server.add(PKG, Fault("sleep", seconds=0.6))
    async with make_client(read_timeout=0.2) as client:
        index = await client.package_index(server.url, "mathlib")
    assert index.name == "mathlib"
    assert server.hits[PKG] == 2


async def test_truncated_body_is_retried(server, make_client):
    server.add(PKG, Fault("truncate"))
    async with make_client() as client:
        index = await client.package_index(server.url, "mathlib")
    assert len(index.versions) == 2
    assert server.hits[PKG] == 2


async def _entry(client, server, version="2.0.0"):
    index = await client.package_index(server.url, "mathlib")
    return index.get(version)


async def test_archive_download_is_content_addressed(server, make_client, tmp_path):
    async with make_client() as client:
        entry = await _entry(client, server)
        path = await client.fetch_archive(server.url, entry)
    assert path == tmp_path / "cache/archives/sha256" / entry.sha256[:2] / f"{entry.sha256}.tar.gz"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256


async def test_archive_requested_with_identity_encoding(server, make_client):
    async with make_client() as client:
        entry = await _entry(client, server)
        await client.fetch_archive(server.url, entry)
    headers = [h for p, h, _s in server.log if p.endswith(".tar.gz")][0]
    assert headers.get("Accept-Encoding") == "identity"


async def test_archive_labelled_gzip_is_hashed_raw(server, make_client):
    async with make_client() as client:
        entry = await _entry(client, server)
        server.add("/" + entry.url, Fault("gzip"))
        path = await client.fetch_archive(server.url, entry)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256


async def test_wrong_hash_is_rejected_and_not_cached(server, make_client, tmp_path):
    async with make_client() as client:
        entry = await _entry(client, server)
        server.add("/" + entry.url, Fault("body", body=b"not the archive"))
        with pytest.raises(IntegrityError):
            await client.fetch_archive(server.url, entry)
        assert not client.store.archive_path(entry.sha256).exists()
        assert list((tmp_path / "cache/tmp").iterdir()) == []
        # the next attempt downloads the real file
        path = await client.fetch_archive(server.url, entry)
        assert path.exists()


async def test_concurrent_identical_requests_share_one_fetch(server, make_client):
    server.add(PKG, Fault("sleep", seconds=0.2))
    async with make_client() as client:
        results = await asyncio.gather(
            *(client.package_index(server.url, "mathlib") for _ in range(50)))
        assert all(r is results[0] for r in results)
        entry = results[0].get("2.0.0")
        archive_path = "/" + entry.url
        server.add(archive_path, Fault("sleep", seconds=0.2))
        paths = await asyncio.gather(*(client.fetch_archive(server.url, entry)
                                       for _ in range(20)))
        stats = client.stats()["cache"]
    assert server.hits[PKG] == 1
    assert server.hits[archive_path] == 1
    assert len(set(paths)) == 1
    assert stats["documents"]["merged"] == 49 and stats["archives"]["merged"] == 19


async def test_cancelled_waiter_does_not_cancel_shared_fetch(server, make_client):
    server.add(PKG, Fault("sleep", seconds=0.3))
    async with make_client() as client:
        first = asyncio.create_task(client.package_index(server.url, "mathlib"))
        await asyncio.sleep(0.05)
        second = asyncio.create_task(client.package_index(server.url, "mathlib"))
        await asyncio.sleep(0.05)
        first.cancel()
        index = await second
    assert index.name == "mathlib"
    assert server.hits[PKG] == 1


async def test_batch_fetch_reports_errors_per_name(server, make_client):
    async with make_client() as client:
        results = await client.package_indexes(server.url, ["mathlib", "strutils", "nosuch"],
                                               batch_size=2)
    assert isinstance(results["mathlib"], PackageIndex)
    assert isinstance(results["strutils"], PackageIndex)
    assert isinstance(results["nosuch"], NotFound)


async def test_search_filters_names_and_descriptions(server, make_client):
    async with make_client() as client:
        hits = await client.search([server.url], "STRUTILS")
    assert [h.name for h in hits] == ["strutils"]
    assert hits[0].latest == "1.1.0"


async def test_token_sent_to_registry_host_but_never_logged(server, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "s3cr3t-token-value"
    async with make_client(token=Secret(secret)) as client:
        await client.package_index(server.url, "mathlib")
        assert secret not in repr(client.config)
    sent = [h for p, h, _s in server.log if p == PKG][0]
    assert sent.get("Authorization") == f"Bearer {secret}"
    assert secret not in caplog.text


async def test_stats_expose_breakers_limiters_and_caches(server, make_client):
    async with make_client() as client:
        await client.package_index(server.url, "mathlib")
        await client.package_index(server.url, "mathlib")
        stats = client.stats()
    host = server.base[len("http://"):]
    assert stats["breakers"][host]["state"] == "closed"
    assert stats["limiters"][host]["requests_in_window"] == 1
    assert stats["limiters"][host]["available_capacity"] == 4999
    assert stats["cache"]["documents"]["hits"] == 1
    assert stats["cache"]["documents"]["misses"] == 1


def test_file_url_registry(registry_dir: Path, make_client):
    async def main() -> None:
        url = (registry_dir / "index.json").as_uri()
        async with make_client() as client:
            entry = (await client.package_index(url, "strutils")).get("1.1.0")
            path = await client.fetch_archive(url, entry)
            assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    asyncio.run(main())
