"""The latest known schedule of every region, for the bot to show and to build menus from.

It is a ChangeSink: the schedule watch feeds it after every check. A region not checked
yet is checked on demand (single-flight through the watch), so the first user of a
freshly started service still gets an answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from esvitlo.domain.freshness import FreshnessPolicy, assess
from esvitlo.domain.model import DataStatus, QueueSchedule, RegionSnapshot, normalize_queue
from esvitlo.ports import ChangeSink, RegionCheck

logger = logging.getLogger(__name__)

Refresh = Callable[[str], Awaitable[RegionCheck]]


@dataclass(frozen=True, slots=True)
class QueueView:
    """What is known about one queue right now."""

    snapshot: RegionSnapshot
    schedule: QueueSchedule | None
    status: DataStatus


class ScheduleBoard:
    """Keeps the latest check of each region; refreshes a region that was never checked."""

    def __init__(self, refresh: Refresh, policy: FreshnessPolicy | None = None) -> None:
        self._refresh = refresh
        self._policy = policy or FreshnessPolicy()
        self._latest: dict[str, RegionCheck] = {}

    async def region_checked(self, result: RegionCheck) -> None:
        """Remember the newest check of a region."""
        self._latest[result.region] = result

    async def latest(self, region: str) -> RegionCheck | None:
        """The newest check of a region, checking it now if it was never checked."""
        if region not in self._latest:
            try:
                await self._refresh(region)
            except Exception as exc:  # a source outage must not break a menu
                logger.warning("board.refresh_failed region=%s error=%s", region, exc)
                return None
        return self._latest.get(region)

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
        status = assess(snapshot, now, self._policy, fetch_failed=check.fetch_failed)
        return QueueView(snapshot, snapshot.queues.get(normalize_queue(queue)), status)


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
