"""RedisSendBudget on a real Redis: instances share the rate, each chat's spacing and pauses,
and a budget cut off from Redis falls back to its local one."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import AsyncIterator

import pytest

from esvitlo.adapters.redis_client import connect
from esvitlo.adapters.redis_send_budget import RedisSendBudget
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.services.send_budget import shared_margin
from redis_service import drop_namespace, new_namespace, require_redis


class CountingBudget:
    """A fallback SendBudget that lets everything through and counts it."""

    def __init__(self) -> None:
        self.acquired: list[int] = []
        self.paused: list[float] = []

    async def acquire(self, chat_id: int) -> None:
        self.acquired.append(chat_id)

    async def pause(self, seconds: float) -> None:
        self.paused.append(seconds)


class Instances:
    """Budgets of several instances sharing one namespace, each with its own client."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.namespace = new_namespace()
        self.clients = []

    def budget(self, **options: float) -> RedisSendBudget:
        client = connect(self.url)
        self.clients.append(client)
        return RedisSendBudget(
            client, SystemClock(), CountingBudget(), namespace=self.namespace, **options
        )

    async def close(self) -> None:
        for client in self.clients:
            await client.aclose()
        await drop_namespace(self.url, self.namespace)


@pytest.fixture
async def instances() -> AsyncIterator[Instances]:
    made = Instances(await require_redis())
    yield made
    await made.close()


async def pass_times(budget: RedisSendBudget, chats: list[int]) -> list[float]:
    """Acquire for every chat at once; the monotonic time each got through."""

    async def one(chat_id: int) -> float:
        await budget.acquire(chat_id)
        return time.monotonic()

    return list(await asyncio.gather(*(one(chat) for chat in chats)))


def most_in_any_second(times: list[float]) -> int:
    ordered = sorted(times)
    return max(sum(1 for u in ordered if t <= u < t + 1.0) for t in ordered)


async def test_two_instances_together_stay_within_the_rate(instances):
    margin = shared_margin(50)  # what the service runs with (app.assembly.make_send_budget)
    first = instances.budget(rate=50, margin=margin)
    second = instances.budget(rate=50, margin=margin)
    times = await asyncio.gather(
        pass_times(first, list(range(1, 61))), pass_times(second, list(range(101, 161)))
    )
    together = times[0] + times[1]
    assert len(together) == 120
    assert most_in_any_second(together) <= 50
    assert first._fallback.acquired == [] and second._fallback.acquired == []


async def test_a_chat_keeps_its_spacing_across_instances(instances):
    options = {"rate": 100, "margin": 0, "private_interval": 0.25}
    first, second = instances.budget(**options), instances.budget(**options)
    each = await asyncio.gather(pass_times(first, [7, 7, 7]), pass_times(second, [7, 7, 7]))
    times = sorted(each[0] + each[1])
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(times) == 6
    assert min(gaps) >= 0.23, gaps


async def test_a_pause_on_one_instance_holds_the_others(instances):
    first, second = instances.budget(rate=100), instances.budget(rate=100)
    await first.pause(0.5)
    started = time.monotonic()
    await second.acquire(42)
    assert time.monotonic() - started >= 0.45


async def test_a_pause_that_begins_while_a_message_waits_sends_it_back(instances):
    first, second = instances.budget(rate=2, margin=0), instances.budget(rate=2, margin=0)
    started = time.monotonic()
    await first.acquire(1)  # the slot after it is 0.5 s away
    waiting = asyncio.create_task(first.acquire(2))
    await asyncio.sleep(0.1)
    await second.pause(1.0)
    await waiting
    assert time.monotonic() - started >= 1.05


async def test_without_redis_the_local_budget_decides_and_the_outage_is_logged_once(caplog):
    fallback = CountingBudget()
    budget = RedisSendBudget(
        connect("redis://127.0.0.1:1/15", timeout=0.2), SystemClock(), fallback, timeout=0.2
    )
    with caplog.at_level(logging.WARNING):
        for chat in (1, 2, 3):
            await budget.acquire(chat)
        await budget.pause(2.0)
    assert fallback.acquired == [1, 2, 3]
    assert fallback.paused == [2.0]
    assert caplog.text.count("send_budget.redis_unavailable") == 1
