"""Schedule store kept in process memory; it records planned alerts instead of queueing them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from esvitlo.domain.alerts import ChangeAlert
from esvitlo.domain.channel_posts import ChannelPost
from esvitlo.domain.model import DaySchedule


class MemoryScheduleStore:
    """Keeps the last known days of every (region, queue) in a dict; lost on restart."""

    def __init__(self) -> None:
        self._regions: dict[str, dict[str, dict[date, DaySchedule]]] = {}
        self.planned: list[ChangeAlert] = []
        self.posts: list[ChannelPost] = []

    async def load(self, region: str) -> Mapping[str, Mapping[date, DaySchedule]] | None:
        """A copy of all stored queues of a region, or None when the region was never stored."""
        queues = self._regions.get(region)
        if queues is None:
            return None
        return {queue: dict(days) for queue, days in queues.items()}

    async def save(self, region: str, queues: Mapping[str, Mapping[date, DaySchedule]]) -> None:
        """Replace the stored days of the given queues; other queues of the region stay."""
        stored = self._regions.setdefault(region, {})
        for queue, days in queues.items():
            stored[queue] = dict(days)

    async def save_and_plan(
        self,
        region: str,
        queues: Mapping[str, Mapping[date, DaySchedule]],
        alerts: Sequence[ChangeAlert],
        posts: Sequence[ChannelPost] = (),
    ) -> int:
        """Save, and remember the alerts in ``planned`` and the channel posts in ``posts``
        (there is no one to send them to)."""
        if queues:
            await self.save(region, queues)
        self.planned.extend(alerts)
        self.posts.extend(posts)
        return 0
