"""The lookup pacer across instances through the real shared backend (Redis)."""

from __future__ import annotations

import asyncio

from esvitlo.adapters.redis_client import connect
from esvitlo.adapters.redis_coordinator import RedisCoordinator
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.services.lookup_pacing import SharedPacer
from redis_service import drop_namespace, new_namespace, require_redis


async def test_two_instances_over_redis_keep_one_request_per_interval() -> None:
    """The same rule through the real shared backend: two pacers, one Redis, real time."""
    url, namespace, clock = await require_redis(), new_namespace(), SystemClock()
    nodes = [RedisCoordinator(connect(url), name, namespace=namespace) for name in ("a", "b")]
    pacers = [SharedPacer(node, clock, interval=0.2, poll=0.02) for node in nodes]
    loop = asyncio.get_running_loop()
    moments: list[float] = []

    async def take(pacer: SharedPacer) -> None:
        for _ in range(3):
            await pacer.wait_turn("yasno")
            moments.append(loop.time())

    try:
        await asyncio.gather(*(take(p) for p in pacers))
    finally:
        for node in nodes:
            await node.close()
        await drop_namespace(url, namespace)
    moments.sort()
    # six turns are five intervals apart at least (less a little for measuring after the fact)
    assert len(moments) == 6 and moments[-1] - moments[0] >= 0.8, moments
    assert sum(p.waits for p in pacers) > 0  # the instances did wait for each other
