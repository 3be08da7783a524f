"""Image renderers for schedules and power weeks (CPU-bound: call them off the event loop)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Protocol
from zoneinfo import ZoneInfo

from esvitlo.domain.model import DataStatus, QueueSchedule, Span
from esvitlo.domain.power_week import WeekChart
from esvitlo.domain.texts import Texts


class ChartRenderer(Protocol):
    """Draws schedule images (CPU-bound: call it off the event loop)."""

    def schedule_png(
        self,
        schedule: QueueSchedule | None,
        *,
        today: date,
        zone: ZoneInfo,
        texts: Texts,
        region: str,
        queue: str,
        highlight: Mapping[date, Collection[Span]] | None = None,
        now_slot: Span | None = None,
        status: DataStatus = DataStatus.FRESH,
    ) -> bytes:
        """A PNG of a queue's today and tomorrow with plain-text titles; ``highlight``: per
        day, outages to outline as new or moved; ``now_slot``: today's part outlined as now;
        ``status`` other than fresh: a warning badge by the title."""
        ...


class PowerChartRenderer(Protocol):
    """Draws a monitor's weekly power chart (CPU-bound: call it off the event loop)."""

    def week_png(self, chart: WeekChart) -> bytes:
        """A PNG of seven days: real outages over the planned ones, today marked."""
        ...
