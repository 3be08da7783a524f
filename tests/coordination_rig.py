"""Coordination tests' rig: a manual clock, a coordinator that can be cut off, and a
recorder of election callbacks (fixtures over them: coordination_fixtures.py)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta

from esvitlo.ports import (
    CoordinationUnavailable,
    Coordinator,
    EventHandler,
)
from esvitlo.services.coordination import LeaderElection

START = datetime(2025, 11, 9, 8, 0, tzinfo=UTC)
TTL = 3.0


class ManualClock:
    """A ports.Clock whose sleepers wake only when the test advances time past them."""

    def __init__(self) -> None:
        self.t = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def now(self) -> datetime:
        return START + timedelta(seconds=self.t)

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.t + max(0.0, seconds), next(self._order), future))
        await future

    async def advance(self, seconds: float, step: float = 0.1) -> None:
        """Move time forward in small steps, waking every sleeper due on the way."""
        await settle()  # tasks just created get to their first sleep
        end = self.t + seconds
        while self.t < end - 1e-9:
            self.t = min(end, self.t + step)
            while self._sleepers and self._sleepers[0][0] <= self.t + 1e-9:
                _, _, future = heapq.heappop(self._sleepers)
                if not future.done():
                    future.set_result(None)
            await settle()


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


class Unreachable:
    """Wraps a coordinator; while ``cut`` every call fails as an unreachable backend does."""

    def __init__(self, inner: Coordinator) -> None:
        self.inner = inner
        self.cut = False
        self.hang = False

    @property
    def instance_id(self) -> str:
        return self.inner.instance_id

    async def hold(self, name: str, ttl: float) -> bool:
        if self.hang:
            await asyncio.Event().wait()
        if self.cut:
            raise CoordinationUnavailable("cut off")
        return await self.inner.hold(name, ttl)

    async def release(self, name: str) -> None:
        if not self.cut:
            await self.inner.release(name)

    async def announce(self, ttl: float) -> None:
        if not self.cut:
            await self.inner.announce(ttl)

    async def leave(self) -> None:
        await self.inner.leave()

    async def live_instances(self) -> list[str]:
        if self.cut:
            raise CoordinationUnavailable("cut off")
        return await self.inner.live_instances()

    async def publish(self, channel: str, payload: str) -> None:
        await self.inner.publish(channel, payload)

    async def subscribe(self, channel: str, handler: EventHandler) -> None:
        await self.inner.subscribe(channel, handler)

    async def close(self) -> None:
        await self.inner.close()


class Recorder:
    """on_elected / on_demoted callbacks that write down what happened."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def elected(self) -> None:
        self.calls.append("elected")

    async def demoted(self) -> None:
        self.calls.append("demoted")


def election(
    coordinator: Coordinator, clock: ManualClock, recorder: Recorder, *, solo_fallback: bool = False
) -> LeaderElection:
    return LeaderElection(
        coordinator,
        clock,
        ttl=TTL,
        on_elected=recorder.elected,
        on_demoted=recorder.demoted,
        solo_fallback=solo_fallback,
    )
