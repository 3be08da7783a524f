"""A sliding-window rate limiter: at most ``limit`` events per key in any ``window``.

No I/O and no clock: the caller passes the time of each event, so tests
and services drive it with their own clock. Keys nobody used for a whole window are swept
from time to time, so memory stays bounded by the keys active in the last window.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from datetime import datetime, timedelta

_FIRST_SWEEP = 1024  # keys held before the first sweep of idle ones


class SlidingWindowLimiter:
    """Counts events per key and refuses the one beyond ``limit`` within ``window``."""

    def __init__(self, limit: int, window: timedelta) -> None:
        if limit < 1 or window <= timedelta(0):
            raise ValueError("a limiter needs a positive limit and window")
        self.limit = limit
        self.window = window
        self._events: dict[Hashable, deque[datetime]] = {}
        self._sweep_above = _FIRST_SWEEP

    def take(self, key: Hashable, now: datetime) -> timedelta | None:
        """Count an event for ``key`` at ``now`` and return None; or, when ``key`` already
        had ``limit`` events within the window, count nothing and return how long until the
        oldest of them leaves it."""
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self._sweep_above:
                self._sweep(now)
            events = self._events[key] = deque()
        self._drop_old(events, now)
        if len(events) >= self.limit:
            return events[0] + self.window - now
        events.append(now)
        return None

    def _drop_old(self, events: deque[datetime], now: datetime) -> None:
        while events and events[0] <= now - self.window:
            events.popleft()

    def _sweep(self, now: datetime) -> None:
        """Forget keys with no event left in the window; sweep again at twice the rest."""
        for key in list(self._events):
            events = self._events[key]
            self._drop_old(events, now)
            if not events:
                del self._events[key]
        self._sweep_above = max(_FIRST_SWEEP, 2 * len(self._events))

    def __len__(self) -> int:
        """How many keys are held (for tests and stats)."""
        return len(self._events)
