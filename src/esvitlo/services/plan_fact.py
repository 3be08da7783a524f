"""Plan versus fact per queue over the last week, from the monitors' stored history.

One report reads every queue with enough users' monitors (``ports.CrowdHistory``) and each
region's stored schedule days, and computes ``domain.plan_fact`` per queue. The week is the
seven local days ending with today (today so far). Reports are kept for ``max_age``: the
admins' ``/stats`` may be asked often and the history does not change much in minutes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.catalogue import Region
from esvitlo.domain.crowd import CrowdRules
from esvitlo.domain.model import DaySchedule, local_date, wall_instant
from esvitlo.domain.plan_fact import QueuePlanFact, plan_fact
from esvitlo.ports import Clock, CrowdHistory, ScheduleStore

DEFAULT_ZONE = "Europe/Kyiv"
WEEK_DAYS = 7


@dataclass(frozen=True, slots=True)
class PlanFactReport:
    """Every measured queue's plan versus fact over ``[since, until)``."""

    since: datetime
    until: datetime
    queues: tuple[QueuePlanFact, ...]


class PlanFactReports:
    """Builds (and briefly keeps) the weekly plan-versus-fact report."""

    def __init__(
        self,
        history: CrowdHistory,
        schedules: ScheduleStore,
        regions: Sequence[Region],
        clock: Clock,
        *,
        rules: CrowdRules | None = None,
        max_age: timedelta = timedelta(minutes=10),
    ) -> None:
        self._history = history
        self._schedules = schedules
        self._zones = {region.id: ZoneInfo(region.tz) for region in regions}
        self._clock = clock
        self._rules = rules or CrowdRules()
        self._max_age = max_age
        self._kept: PlanFactReport | None = None
        self._building = asyncio.Lock()  # two admins asking at once share one report

    async def week(self) -> PlanFactReport:
        """The last seven local days (today so far), every queue above the privacy floor."""
        async with self._building:
            now = self._clock.now()
            kept = self._kept
            if kept is not None and now - kept.until <= self._max_age:
                return kept
            zone = ZoneInfo(DEFAULT_ZONE)
            since = wall_instant(local_date(now, zone) - timedelta(days=WEEK_DAYS - 1), 0, zone)
            self._kept = await self.report(since, now)
            return self._kept

    async def report(self, since: datetime, until: datetime) -> PlanFactReport:
        """Every queue's plan versus fact over ``[since, until)``, sorted by region, queue."""
        histories = self._history.histories(since, until, self._rules.min_users)
        days_by_region: dict[str, Mapping[str, Mapping[date, DaySchedule]]] = {}
        found: list[QueuePlanFact] = []
        async for history in histories:
            if history.region not in days_by_region:
                stored = await self._schedules.load(history.region) or {}
                days_by_region[history.region] = stored
            days = days_by_region[history.region].get(history.queue, {})
            zone = self._zones.get(history.region, ZoneInfo(DEFAULT_ZONE))
            result = plan_fact(history, days, zone, since, until, self._rules)
            if result is not None:
                found.append(result)
            await asyncio.sleep(0)  # one queue at a time: other tasks run in between
        return PlanFactReport(since, until, tuple(found))
