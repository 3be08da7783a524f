"""A power monitor's statistics for the last 7 and 30 days and its weekly chart, beside the
schedule its address had: what the user sees under "Статистика"."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import Subscription
from esvitlo.domain.catalogue import Region
from esvitlo.domain.model import DaySchedule
from esvitlo.domain.power_stats import PowerStats, power_stats, schedule_days
from esvitlo.domain.power_week import WeekChart, week_chart
from esvitlo.domain.texts import power_texts_for, texts_for
from esvitlo.ports import Clock, Monitors, PowerChartRenderer, ScheduleStore
from esvitlo.services.monitors import MonitorService, OwnedMonitor

STATS_WINDOWS = (7, 30)
"""The windows of the statistics, in days."""
DEFAULT_ZONE = "Europe/Kyiv"


@dataclass(frozen=True, slots=True)
class PowerReport:
    """A monitor's statistics for each window (days -> stats) and its weekly chart."""

    owned: OwnedMonitor
    windows: Mapping[int, PowerStats]
    week: WeekChart
    zone: ZoneInfo


class PowerReports:
    """Statistics and the weekly chart of the user's monitors."""

    def __init__(
        self,
        owners: MonitorService,
        monitors: Monitors,
        schedules: ScheduleStore,
        chart: PowerChartRenderer,
        clock: Clock,
        *,
        regions: tuple[Region, ...] = (),
    ) -> None:
        self._owners = owners
        self._monitors = monitors
        self._schedules = schedules
        self._chart = chart
        self._clock = clock
        self._zones = {region.id: region.tz for region in regions}

    async def report(self, telegram_id: int, monitor_id: int, lang: str) -> PowerReport | None:
        """Statistics for the last 7 and 30 days and the weekly chart's data; None when the
        monitor is not the user's."""
        owned = await self._owners.owned(telegram_id, monitor_id)
        if owned is None:
            return None
        now = self._clock.now()
        monitor, sub = owned.monitor, owned.address
        zone = ZoneInfo(self._zones.get(sub.region, DEFAULT_ZONE) if sub else DEFAULT_ZONE)
        longest = max(STATS_WINDOWS)
        outages = await self._monitors.outages(monitor.id, now - timedelta(days=longest), now)
        stored = await self._stored_days(sub)
        windows = {}
        for days in STATS_WINDOWS:
            since = now - timedelta(days=days)
            window = [o for o in outages if o.clipped(since, now) is not None]
            planned = schedule_days(stored, since, now, zone)
            windows[days] = power_stats(
                window, since=since, until=now, created_at=monitor.created_at,
                days=planned, zone=zone,
            )  # fmt: skip
        week = week_chart(
            outages, stored, now=now, created_at=monitor.created_at, zone=zone,
            title=sub.label if sub else monitor.target, texts=texts_for(lang),
            power_texts=power_texts_for(lang),
        )  # fmt: skip
        return PowerReport(owned, windows, week, zone)

    async def _stored_days(self, sub: Subscription | None) -> Mapping[date, DaySchedule]:
        if sub is None:
            return {}
        stored = await self._schedules.load(sub.region)
        return (stored or {}).get(sub.queue, {})

    async def chart_png(self, week: WeekChart) -> bytes:
        """The weekly chart as a PNG, drawn off the event loop."""
        return await asyncio.to_thread(self._chart.week_png, week)
