"""Disk fallback, offline mode, ETag revalidation, corrupt cache entries, breaker wiring."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from craftls.registry.breaker import State
from craftls.registry.errors import CircuitOpen, NotCached, RegistryUnavailable

from .conftest import Fault

PKG = "/packages/mathlib.json"


async def test_offline_with_cache_serves_stale_copy(server, make_client):
    async with make_client() as online:
        doc = await online.package_document(server.url, "mathlib")
        assert not doc.from_cache and not doc.stale
        entry = doc.value.get("2.0.0")
        await online.fetch_archive(server.url, entry)
    hits = dict(server.hits)
    async with make_client(offline=True) as offline:
        doc = await offline.package_document(server.url, "mathlib")
        path = await offline.fetch_archive(server.url, entry)
    assert doc.from_cache and doc.stale
    assert [str(v.version) for v in doc.value.versions] == ["1.0.0", "2.0.0"]
    assert path.exists()
    assert dict(server.hits) == hits  # no request at all


async def test_offline_without_cache_fails_clearly(server, make_client):
    async with make_client(offline=True) as client:
        with pytest.raises(NotCached, match="run once online"):
            await client.package_index(server.url, "mathlib")
    assert server.hits[PKG] == 0


async def test_offline_archive_not_cached(server, make_client):
    async with make_client() as online:
        entry = (await online.package_index(server.url, "mathlib")).get("1.0.0")
    async with make_client(offline=True) as client:
        with pytest.raises(NotCached):
            await client.fetch_archive(server.url, entry)


async def test_outage_serves_last_known_good(server, make_client):
    async with make_client() as client:
        await client.package_index(server.url, "mathlib")
    server.add(PKG, *[Fault("status", 503)] * 10)
    async with make_client(max_attempts=2) as client:
        doc = await client.package_document(server.url, "mathlib")
        assert doc.stale and doc.from_cache
        # stale data is not kept in memory: the next call asks the registry again
        await client.package_document(server.url, "mathlib")
    assert server.hits[PKG] == 1 + 2 + 2


async def test_open_breaker_serves_cache_and_recovers(server, make_client, fake):
    events: list[Any] = []
    async with make_client() as warm:
        await warm.package_index(server.url, "strutils")
    client = make_client(max_attempts=1, breaker_failures=3, breaker_reset=60,
                         listener=lambda name, old, new, snap: events.append(new))
    host = server.base[len("http://"):]
    async with client:
        for name in ("a", "b", "c"):
            server.add(f"/packages/{name}.json", Fault("status", 503))
            with pytest.raises(RegistryUnavailable):
                await client.package_index(server.url, name)
        assert client.stats()["breakers"][host]["state"] == "open"
        before = server.hits["/packages/strutils.json"]
        doc = await client.package_document(server.url, "strutils")  # cached fallback
        assert doc.stale and server.hits["/packages/strutils.json"] == before
        with pytest.raises(CircuitOpen):
            await client.package_index(server.url, "mathlib")  # no cache: rejected
        assert server.hits[PKG] == 0
        fake.advance(61)
        server.add(PKG, Fault("sleep", seconds=0.3))
        probe = asyncio.create_task(client.package_index(server.url, "mathlib"))
        await asyncio.sleep(0.1)
        with pytest.raises(CircuitOpen):
            await client.package_index(server.url, "nosuch")
        assert (await probe).name == "mathlib"
        assert client.breakers.for_host(host).state().state is State.CLOSED
    assert events == [State.OPEN, State.HALF_OPEN, State.CLOSED]
    assert server.hits["/packages/nosuch.json"] == 0


async def test_etag_revalidation_304(server, make_client, fake):
    async with make_client(index_ttl=10) as client:
        first = await client.package_document(server.url, "mathlib")
        assert first.etag
        await client.package_document(server.url, "mathlib")  # memory hit
        assert server.hits[PKG] == 1
        fake.advance(11)  # TTL passed: revalidate
        again = await client.package_document(server.url, "mathlib")
    assert server.statuses(PKG) == [200, 304]
    sent = [h for p, h, _s in server.log if p == PKG][1]
    assert sent["If-None-Match"] == first.etag
    assert again.from_cache and not again.stale
    assert again.value == first.value


async def test_changed_document_replaces_cached_copy(server, make_client, fake, registry_dir):
    async with make_client(index_ttl=10) as client:
        await client.package_index(server.url, "mathlib")
        path = registry_dir / "packages/mathlib.json"
        path.write_text(path.read_text().replace('"description": "mathlib test package"',
                                                 '"description": "changed"'))
        fake.advance(11)
        index = await client.package_index(server.url, "mathlib")
    assert index.description == "changed"
    assert server.statuses(PKG) == [200, 200]


async def test_corrupt_cached_document_is_dropped(server, make_client, tmp_path):
    async with make_client() as client:
        await client.package_index(server.url, "mathlib")
    files = list((tmp_path / "cache/index").rglob("*.json"))
    assert len(files) == 1
    files[0].write_text(files[0].read_text().replace("2.0.0", "9.9.9"))
    async with make_client(offline=True) as client:
        with pytest.raises(NotCached):
            await client.package_index(server.url, "mathlib")
        assert client.stats()["cache"]["disk_documents"]["corrupt_dropped"] == 1
    assert not files[0].exists()


async def test_corrupt_cached_archive_is_downloaded_again(server, make_client):
    async with make_client() as client:
        entry = (await client.package_index(server.url, "mathlib")).get("2.0.0")
        path = await client.fetch_archive(server.url, entry)
    path.write_bytes(b"garbage")
    async with make_client() as client:
        again = await client.fetch_archive(server.url, entry)
    assert again == path and path.read_bytes() != b"garbage"
    assert server.hits["/" + entry.url] == 2


async def test_file_registry_revalidates_with_etag(registry_dir, make_client, fake):
    url = (registry_dir / "index.json").as_uri()
    async with make_client(index_ttl=1) as client:
        first = await client.package_document(url, "mathlib")
        fake.advance(2)
        second = await client.package_document(url, "mathlib")
    assert not first.from_cache and second.from_cache and not second.stale
