"""A ports.Clock in virtual time for tests of periodic work: sleeps end in time order as soon
as every task is waiting, so an hour of spaced checks runs in a moment."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

T = TypeVar("T")
START = datetime(2025, 11, 9, 8, 0, tzinfo=UTC)


class VirtualClock:
    """Seconds since START in ``t``; ``run`` drives a coroutine to its end."""

    def __init__(self, start: datetime = START) -> None:
        self.start = start
        self.t = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.t)

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.t + max(0.0, seconds), next(self._order), future))
        await future

    async def run(self, work: Awaitable[T]) -> T:
        """Run ``work``, jumping to the next wake-up whenever nothing else can run."""
        task = asyncio.ensure_future(work)
        while not task.done():
            for _ in range(50):
                await asyncio.sleep(0)
            if self._sleepers and not task.done():
                moment, _, future = heapq.heappop(self._sleepers)
                self.t = max(self.t, moment)
                if not future.done():
                    future.set_result(None)
        return task.result()
