"""Leadership over a private redis-server that the tests stop and start again (empty): a lone
leader keeps leading (its work keeps running) while Redis is down and takes the lease back
when it returns; two instances never lead together and nobody promotes without Redis; the
outage is logged once, not every second."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from esvitlo.adapters.redis_client import connect
from esvitlo.adapters.redis_coordinator import RedisCoordinator
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.ports import CoordinationEvent, CoordinationUnavailable
from esvitlo.services.coordination import LeaderElection
from redis_service import private_redis

from instance_cluster import PrivateRedis

TTL = 0.9  # beats every 0.3 s
TIMEOUT = 0.2  # each Redis call gives up after this long
OUTAGE = 3.0  # seconds Redis stays stopped


@pytest.fixture
async def redis(tmp_path: Path) -> AsyncIterator[PrivateRedis]:
    async with private_redis(tmp_path) as server:
        yield server


class Member:
    """One instance: a coordinator, its election and the leader's work (a counter ticking
    every 50 ms from election to demotion)."""

    def __init__(self, url: str, name: str) -> None:
        self.coordinator = RedisCoordinator(connect(url, timeout=TIMEOUT), name, timeout=TIMEOUT)
        self.history: list[str] = []
        self.ticks = 0
        self._work: asyncio.Task[None] | None = None
        self.election = LeaderElection(
            self.coordinator,
            SystemClock(),
            ttl=TTL,
            on_elected=self._lead,
            on_demoted=self._follow,
            solo_fallback=True,
        )

    @property
    def leads(self) -> bool:
        return self.election.is_leader

    async def _lead(self) -> None:
        self.history.append("elected")
        self._work = asyncio.create_task(self._tick())

    async def _follow(self) -> None:
        self.history.append("demoted")
        if self._work is not None:
            self._work.cancel()
            self._work = None

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(0.05)
            self.ticks += 1

    async def start(self) -> None:
        async def ignore(event: CoordinationEvent) -> None:
            return None

        await self.coordinator.subscribe("settings", ignore)  # starts the event listener
        await self.election.start()

    async def stop(self) -> None:
        await self.election.stop()
        await self.coordinator.close()


async def watch(members: list[Member], seconds: float) -> set[str]:
    """Look every 10 ms for ``seconds``, failing at any moment with two leaders; the names of
    the members that led at some moment."""
    led: set[str] = set()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        leading = [m.coordinator.instance_id for m in members if m.leads]
        assert len(leading) <= 1, f"two leaders: {leading}"
        led.update(leading)
        await asyncio.sleep(0.01)
    return led


async def until(condition, within: float) -> None:
    end = time.monotonic() + within
    while not condition():
        assert time.monotonic() < end, "not in time"
        await asyncio.sleep(0.01)


async def lease_holder(url: str) -> str | None:
    client = Redis.from_url(url)
    try:
        value = await client.get("esvitlo:lease:leader")
    finally:
        await client.aclose()
    return value.decode() if value else None


def count(caplog: pytest.LogCaptureFixture, event: str) -> int:
    return sum(event in record.getMessage() for record in caplog.records)


async def test_a_lone_leader_keeps_leading_while_redis_is_down_and_takes_the_lease_back(
    redis: PrivateRedis, caplog: pytest.LogCaptureFixture
):
    caplog.set_level(logging.INFO)
    solo = Member(redis.url, "solo")
    try:
        await solo.start()
        await until(lambda: solo.leads, within=2 * TTL)
        await redis.stop()
        ticks = solo.ticks
        assert await watch([solo], OUTAGE) == {"solo"}
        assert solo.election.on_local_lease and solo.history == ["elected"]
        assert solo.ticks - ticks >= OUTAGE / 0.05 / 2, "its work stopped"
        with pytest.raises(CoordinationUnavailable):
            await solo.coordinator.hold("leader", TTL)
        await redis.start()  # an empty Redis: the lease is free
        for _ in range(int(2 * TTL / 0.05)):
            if await lease_holder(redis.url) == "solo":
                break
            await asyncio.sleep(0.05)
        assert await lease_holder(redis.url) == "solo"
        assert not solo.election.on_local_lease and solo.history == ["elected"]
        await until(lambda: count(caplog, "coordination.events_resumed") > 0, within=3.0)
    finally:
        await solo.stop()
    for event in ("coordination.events_lost", "coordination.unreachable"):
        assert count(caplog, event) == 1, f"{event} logged {count(caplog, event)} times"
    assert count(caplog, "coordination.events_resumed") == 1


async def test_two_instances_never_lead_together_and_nobody_leads_while_redis_is_down(
    redis: PrivateRedis,
):
    members = [Member(redis.url, "a"), Member(redis.url, "b")]
    try:
        for member in members:
            await member.start()
        [leader] = await watch(members, 3 * TTL)
        await redis.stop()
        assert await watch(members, TTL) <= {leader}, "a follower promoted without Redis"
        assert not any(m.leads for m in members), "the leader saw the other and stepped down"
        assert await watch(members, OUTAGE) == set(), "someone leads without Redis"
        await redis.start()
        assert len(await watch(members, 3 * TTL)) == 1
        assert sum(m.leads for m in members) == 1
        [was_leading] = [m for m in members if m.coordinator.instance_id == leader]
        assert was_leading.history[:2] == ["elected", "demoted"]
    finally:
        for member in members:
            await member.stop()
