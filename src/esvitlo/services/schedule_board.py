"""The latest known schedule of every region, for the bot to show and to build menus from.

It is a ChangeSink: the schedule watch feeds it after every check. A region not checked
yet is checked on demand (single-flight through the watch), so the first user of a
freshly started service still gets an answer. With ``max_age``, a region whose latest check
is older is checked again on demand: an instance that is not the leader runs no watch, and
its board would otherwise keep its first answer forever.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from esvitlo.domain.freshness import FreshnessPolicy, StaleReason, judge
from esvitlo.domain.model import DataStatus, QueueSchedule, RegionSnapshot, normalize_queue
from esvitlo.ports import ChangeSink, Clock, RegionCheck

logger = logging.getLogger(__name__)

Refresh = Callable[[str], Awaitable[RegionCheck]]


@dataclass(frozen=True, slots=True)
class QueueView:
    """What is known about one queue right now (``stale_reason``: why it is stale)."""

    snapshot: RegionSnapshot
    schedule: QueueSchedule | None
    status: DataStatus
    stale_reason: StaleReason | None = None


class ScheduleBoard:
    """Keeps the latest check of each region; refreshes a region that was never checked."""

    def __init__(
        self,
        refresh: Refresh,
        policy: FreshnessPolicy | None = None,
        *,
        clock: Clock | None = None,
        max_age: timedelta | None = None,
    ) -> None:
        self._refresh = refresh
        self._policy = policy or FreshnessPolicy()
        self._clock = clock
        self._max_age = max_age
        self._latest: dict[str, tuple[RegionCheck, datetime | None]] = {}

    @property
    def max_age(self) -> timedelta | None:
        """Age after which a copy is refreshed on demand."""
        return self._max_age

    def set_max_age(self, max_age: timedelta | None) -> None:
        """Refresh on demand copies older than ``max_age`` from now on (None: never)."""
        self._max_age = max_age

    async def region_checked(self, result: RegionCheck) -> None:
        """Remember the newest check of a region."""
        self._latest[result.region] = (result, self._now())

    async def latest(self, region: str) -> RegionCheck | None:
        """The newest check of a region, checking it now if it was never checked (or, with
        ``max_age``, if its check is older; the older one is kept when that fails)."""
        known = self._latest.get(region)
        if known is None or self._too_old(known[1]):
            try:
                await self._refresh(region)
            except Exception as exc:  # a source outage must not break a menu
                logger.warning("board.refresh_failed region=%s error=%s", region, exc)
        known = self._latest.get(region)
        return known[0] if known else None

    def _now(self) -> datetime | None:
        return self._clock.now() if self._clock is not None else None

    def _too_old(self, checked_at: datetime | None) -> bool:
        now = self._now()
        if self._max_age is None or checked_at is None or now is None:
            return False
        return now - checked_at > self._max_age

    async def queues(self, region: str) -> list[tuple[str, str | None]] | None:
        """(queue id, display name) of a region in order, or None when nothing is known."""
        check = await self.latest(region)
        if check is None:
            return None
        return [(q.queue, q.name) for q in check.snapshot.queues.values()]

    async def view(self, region: str, queue: str, now: datetime) -> QueueView | None:
        """A queue's schedule with its trust level, or None when the region is unknown."""
        check = await self.latest(region)
        if check is None:
            return None
        snapshot = check.snapshot
        trust = judge(snapshot, now, self._policy, fetch_failed=check.fetch_failed)
        schedule = snapshot.queues.get(normalize_queue(queue))
        return QueueView(snapshot, schedule, trust.status, trust.reason)


class FanoutSink:
    """Hands every check result to several sinks in order."""

    def __init__(self, sinks: Iterable[ChangeSink]) -> None:
        self._sinks = tuple(sinks)

    async def region_checked(self, result: RegionCheck) -> None:
        """Forward to each sink; one failing sink does not stop the others."""
        for sink in self._sinks:
            try:
                await sink.region_checked(result)
            except Exception:
                logger.exception(
                    "sink.failed sink=%s region=%s", type(sink).__name__, result.region
                )
