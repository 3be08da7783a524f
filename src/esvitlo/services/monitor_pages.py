"""A monitor's read-only page at its secret link: current state, since when, the last
heartbeat and the week chart (the same chart the bot sends under "Статистика").

The link's token is derived (see :mod:`esvitlo.domain.monitor_pages`) under a key kept in
the ``app_flags`` table as ``monitor_pages.key``: made on first use, read on every request,
so every instance derives the same links and deleting the flag retires every page link.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import Subscription
from esvitlo.domain.catalogue import Region
from esvitlo.domain.model import DaySchedule
from esvitlo.domain.monitor_pages import page_path, page_token, token_matches, token_monitor_id
from esvitlo.domain.monitors import Monitor, MonitorKind
from esvitlo.domain.power_screens import ScreenTexts, moment_text, state_text
from esvitlo.domain.power_week import DAYS_IN_WEEK, WeekChart, week_chart
from esvitlo.domain.texts import power_texts_for, texts_for
from esvitlo.ports import (
    AppFlags,
    Clock,
    Monitors,
    PowerChartRenderer,
    ScheduleStore,
    Subscriptions,
)

KEY_FLAG = "monitor_pages.key"
DEFAULT_ZONE = "Europe/Kyiv"


@dataclass(frozen=True, slots=True)
class MonitorPage:
    """What the page shows, as plain text (the template escapes it) and the week's data."""

    label: str
    state: str  # "🟢 Світло є з 14:05"
    last_beat: str | None  # heartbeat monitors only
    week: WeekChart


class MonitorPages:
    """The links to monitors' pages and what those pages show."""

    def __init__(
        self,
        flags: AppFlags,
        monitors: Monitors,
        subscriptions: Subscriptions,
        schedules: ScheduleStore,
        chart: PowerChartRenderer,
        clock: Clock,
        *,
        regions: tuple[Region, ...] = (),
    ) -> None:
        self._flags = flags
        self._monitors = monitors
        self._subscriptions = subscriptions
        self._schedules = schedules
        self._chart = chart
        self._clock = clock
        self._zones = {region.id: region.tz for region in regions}

    async def _key(self) -> bytes:
        """The service-wide key, made on first use. Two instances making it at the same
        moment both re-read the one stored last, so they agree from then on."""
        stored = await self._flags.get(KEY_FLAG)
        if stored is None:
            await self._flags.set(KEY_FLAG, secrets.token_hex(32))
            stored = await self._flags.get(KEY_FLAG)
        return bytes.fromhex(stored or "")

    async def path_of(self, monitor: Monitor) -> str:
        """The path of the monitor's page (``/m/<token>``) on the public listener."""
        return page_path(page_token(await self._key(), monitor.id, monitor.secret_hash))

    async def _find(self, token: str) -> Monitor | None:
        monitor_id = token_monitor_id(token)
        if monitor_id is None:
            return None
        monitor = await self._monitors.by_id(monitor_id)
        if monitor is None or not token_matches(
            await self._key(), token, monitor.id, monitor.secret_hash
        ):
            return None
        return monitor

    async def page(self, token: str, lang: str) -> MonitorPage | None:
        """The page behind ``token``; None for a token that is not a monitor's current one."""
        monitor = await self._find(token)
        if monitor is None:
            return None
        sub = None
        if monitor.subscription_id is not None:
            sub = await self._subscriptions.get(monitor.subscription_id, monitor.user_id)
        zone = ZoneInfo(self._zones.get(sub.region, DEFAULT_ZONE) if sub else DEFAULT_ZONE)
        now = self._clock.now()
        texts = ScreenTexts(power_texts_for(lang), texts_for(lang), zone)
        outages = await self._monitors.outages(monitor.id, now - timedelta(days=DAYS_IN_WEEK), now)
        label = sub.label if sub else "—"  # never a probe's target: the link may be shared
        week = week_chart(
            outages, await self._stored_days(sub), now=now, created_at=monitor.created_at,
            zone=zone, title=label, texts=texts.common, power_texts=texts.power,
        )  # fmt: skip
        beat = None
        if monitor.kind is MonitorKind.HEARTBEAT:
            when = monitor.last_beat_at
            beat = (
                texts.power.last_beat.format(when=moment_text(when, now, texts))
                if when
                else texts.power.no_beat_yet
            )
        return MonitorPage(label, state_text(monitor, now, texts), beat, week)

    async def _stored_days(self, sub: Subscription | None) -> Mapping[date, DaySchedule]:
        if sub is None:
            return {}
        stored = await self._schedules.load(sub.region)
        return (stored or {}).get(sub.queue, {})

    async def week_png(self, page: MonitorPage) -> bytes:
        """The page's week chart as a PNG, drawn off the event loop."""
        return await asyncio.to_thread(self._chart.week_png, page.week)
