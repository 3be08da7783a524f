"""Politeness towards operators' address APIs: one request a second per operator.

Within an instance requests to one operator queue behind a lock and are spaced by
``interval``; across instances each request first takes the lease ``lookup-pace:<operator>``
for ``interval`` seconds (Redis when configured, in-process otherwise), so another instance
waits until it expires. When the coordination backend cannot answer, the local spacing alone
decides (one instance's share is still one a second).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime

from esvitlo.ports import Clock, CoordinationUnavailable, Coordinator, LookupUnavailable

LEASE_PREFIX = "lookup-pace:"


class SharedPacer:
    """ports.RequestPacer over the Coordinator's leases and the injected clock."""

    def __init__(
        self,
        coordinator: Coordinator,
        clock: Clock,
        *,
        interval: float = 1.0,
        poll: float = 0.25,
        give_up_after: float = 15.0,
    ) -> None:
        if interval <= 0 or poll <= 0:
            raise ValueError("interval and poll must be positive")
        self._coordinator = coordinator
        self._clock = clock
        self._interval = interval
        self._poll = poll
        self._give_up_after = give_up_after
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last: dict[str, datetime] = {}
        self.waits = 0
        """Requests that had to wait for another instance's turn (for tests and metrics)."""

    async def wait_turn(self, operator: str) -> None:
        """Return once a request to ``operator`` may go; LookupUnavailable when other
        instances kept the turn for ``give_up_after`` seconds."""
        async with self._locks[operator]:
            last = self._last.get(operator)
            if last is not None:
                gap = self._interval - (self._clock.now() - last).total_seconds()
                if gap > 0:
                    await self._clock.sleep(gap)
            await self._take_lease(operator)
            self._last[operator] = self._clock.now()

    async def _take_lease(self, operator: str) -> None:
        waited = 0.0
        while True:
            try:
                if await self._coordinator.hold(LEASE_PREFIX + operator, self._interval):
                    return
            except CoordinationUnavailable:
                return
            if waited >= self._give_up_after:
                raise LookupUnavailable(f"{operator}: other instances keep the request turn")
            self.waits += 1
            await self._clock.sleep(self._poll)
            waited += self._poll


class NoPacing:
    """A pacer that never waits, for tests of everything but the pacing."""

    async def wait_turn(self, operator: str) -> None:
        del operator
