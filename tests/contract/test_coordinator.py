"""One contract for ports.Coordinator and ports.SourceCache: in-process and over Redis.

A ``Cluster`` makes coordinators of several instances sharing one backend, and lets time
pass: the in-process one moves its clock, the Redis one (timed by Redis) really waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Protocol

import pytest
from sql_backends import StepClock

from esvitlo.adapters.memory_coordinator import (
    MemoryCoordinationHub,
    MemoryCoordinator,
    MemorySourceCache,
)
from esvitlo.adapters.redis_client import connect
from esvitlo.adapters.redis_coordinator import RedisCoordinator, RedisSourceCache
from esvitlo.ports import CachedDocument, CoordinationEvent, Coordinator, SourceCache
from redis_service import drop_namespace, new_namespace, require_redis

TTL = 0.3  # seconds; the Redis cases really wait this long


class Cluster(Protocol):
    def coordinator(self, instance_id: str) -> Coordinator: ...
    def source_cache(self) -> SourceCache: ...
    async def expire(self, seconds: float) -> None: ...


class MemoryCluster:
    def __init__(self) -> None:
        self.clock = StepClock()
        self.hub = MemoryCoordinationHub(self.clock)
        self.cache = MemorySourceCache(self.clock)

    def coordinator(self, instance_id: str) -> Coordinator:
        return MemoryCoordinator(self.clock, instance_id, hub=self.hub)

    def source_cache(self) -> SourceCache:
        return self.cache

    async def expire(self, seconds: float) -> None:
        self.clock.advance(seconds=seconds)

    async def close(self) -> None:
        return None


class RedisCluster:
    def __init__(self, url: str) -> None:
        self.url = url
        self.namespace = new_namespace()
        self.opened: list[RedisCoordinator] = []
        self.clients = [connect(url)]

    def coordinator(self, instance_id: str) -> Coordinator:
        coordinator = RedisCoordinator(connect(self.url), instance_id, namespace=self.namespace)
        self.opened.append(coordinator)
        return coordinator

    def source_cache(self) -> SourceCache:
        return RedisSourceCache(self.clients[0], namespace=self.namespace)

    async def expire(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def close(self) -> None:
        for coordinator in self.opened:
            await coordinator.close()
        for client in self.clients:
            await client.aclose()
        await drop_namespace(self.url, self.namespace)


@pytest.fixture(params=["memory", "redis"])
async def cluster(request: pytest.FixtureRequest) -> AsyncIterator[Cluster]:
    made: MemoryCluster | RedisCluster
    made = MemoryCluster() if request.param == "memory" else RedisCluster(await require_redis())
    yield made
    await made.close()


async def test_one_instance_among_many_holds_a_lease(cluster):
    nodes = [cluster.coordinator(f"n{i}") for i in range(5)]
    held = [await node.hold("leader", TTL) for node in nodes]
    assert held == [True, False, False, False, False]
    assert await nodes[0].hold("leader", TTL), "the holder extends its own lease"
    assert not await nodes[3].hold("leader", TTL)


async def test_concurrent_attempts_elect_exactly_one(cluster):
    nodes = [cluster.coordinator(f"n{i}") for i in range(8)]
    held = await asyncio.gather(*(node.hold("leader", TTL) for node in nodes))
    assert sum(held) == 1


async def test_an_expired_lease_goes_to_another_instance(cluster):
    first, second = cluster.coordinator("a"), cluster.coordinator("b")
    assert await first.hold("leader", TTL)
    assert not await second.hold("leader", TTL)
    await cluster.expire(TTL + 0.1)
    assert await second.hold("leader", TTL)
    assert not await first.hold("leader", TTL), "the old holder does not get it back"


async def test_extending_keeps_the_lease_past_its_first_ttl(cluster):
    first, second = cluster.coordinator("a"), cluster.coordinator("b")
    assert await first.hold("leader", TTL)
    for _ in range(3):
        await cluster.expire(TTL / 2)
        assert await first.hold("leader", TTL)
    assert not await second.hold("leader", TTL)


async def test_only_the_holder_releases(cluster):
    first, second = cluster.coordinator("a"), cluster.coordinator("b")
    assert await first.hold("reminders", 30)
    await second.release("reminders")
    assert not await second.hold("reminders", 30)
    await first.release("reminders")
    assert await second.hold("reminders", 30)


async def test_leases_are_independent_by_name(cluster):
    first, second = cluster.coordinator("a"), cluster.coordinator("b")
    assert await first.hold("task:reminders", 30)
    assert await second.hold("task:digest", 30)
    assert not await first.hold("task:digest", 30)


async def test_live_instances_appear_and_expire(cluster):
    first, second, third = (cluster.coordinator(n) for n in ("c", "a", "b"))
    await first.announce(TTL)
    await second.announce(30)
    await third.announce(30)
    assert await first.live_instances() == ["a", "b", "c"]
    await cluster.expire(TTL + 0.1)
    assert await second.live_instances() == ["a", "b"]
    await first.announce(30)
    await third.leave()
    assert await third.live_instances() == ["a", "c"]


async def test_events_reach_every_subscriber_of_the_channel(cluster):
    listener, bystander, sender = (cluster.coordinator(n) for n in ("a", "b", "c"))
    got: dict[str, list[CoordinationEvent]] = {"a": [], "b": [], "c": []}
    arrived = asyncio.Event()

    def recorder(name: str):
        async def record(event: CoordinationEvent) -> None:
            got[name].append(event)
            if got["a"] and got["c"]:
                arrived.set()

        return record

    await listener.subscribe("settings", recorder("a"))
    await bystander.subscribe("monitors", recorder("b"))
    await sender.subscribe("settings", recorder("c"))
    await sender.publish("settings", '{"user": 7}')
    await asyncio.wait_for(arrived.wait(), timeout=3)
    expected = CoordinationEvent("settings", '{"user": 7}', "c")
    assert got["a"] == [expected] and got["c"] == [expected]
    assert got["b"] == []


async def test_a_failing_handler_does_not_stop_the_others(cluster):
    listener, sender = cluster.coordinator("a"), cluster.coordinator("b")
    arrived = asyncio.Event()

    async def broken(event: CoordinationEvent) -> None:
        raise RuntimeError("handler bug")

    async def working(event: CoordinationEvent) -> None:
        arrived.set()

    await listener.subscribe("monitors", broken)
    await listener.subscribe("monitors", working)
    await sender.publish("monitors", "added")
    await asyncio.wait_for(arrived.wait(), timeout=3)


async def test_source_cache_keeps_documents_for_their_ttl(cluster):
    cache = cluster.source_cache()
    url = "https://example.org/kyiv.json"
    assert await cache.get(url) is None
    await cache.put(url, CachedDocument(b'{"a": 1}', '"v1"'), TTL)
    await cache.put("https://example.org/other", CachedDocument(b"x"), 30)
    assert await cache.get(url) == CachedDocument(b'{"a": 1}', '"v1"')
    assert await cache.get("https://example.org/other") == CachedDocument(b"x", None)
    await cluster.expire(TTL + 0.1)
    assert await cache.get(url) is None
