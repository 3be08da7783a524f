"""Image renderers for schedules and power weeks (CPU-bound: call them off the event loop)."""

from __future__ import annotations

from datetime import date
from typing import Protocol
from zoneinfo import ZoneInfo

from esvitlo.domain.model import QueueSchedule
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
    ) -> bytes:
        """A PNG of a queue's today and tomorrow with plain-text titles."""
        ...


class PowerChartRenderer(Protocol):
    """Draws a monitor's weekly power chart (CPU-bound: call it off the event loop)."""

    def week_png(self, chart: WeekChart) -> bytes:
        """A PNG of seven days: real outages over the planned ones, today marked."""
        ...
