"""The weekly power chart as data: seven local days, each with its real and planned outages
as wall-clock spans, the part of it the monitor watched, and plain-text labels.

The renderer (a ``PowerChartRenderer``) only draws what this describes. Real outages are
instants turned into wall-clock minutes of each local day they touch, so an outage across
midnight shows on both days; on a DST day the axis stays 24 wall-clock hours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.model import (
    MINUTES_PER_DAY,
    DaySchedule,
    DayState,
    Span,
    merge_spans,
    wall_instant,
)
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.texts import PowerTexts, Texts, format_date

DAYS_IN_WEEK = 7


@dataclass(frozen=True, slots=True)
class ChartDay:
    """One row of the chart: a local day and what to draw on its 24-hour bar."""

    day: date
    label: str  # plain text, e.g. "Пн 17.11"
    real: tuple[Span, ...]
    planned: tuple[Span, ...]
    watched: Span | None  # the part of the day the monitor watched (None: none of it)
    is_today: bool = False
    now_minute: int | None = None  # today's "now" marker


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The chart's plain-text title and legend."""

    title: str
    real: str
    planned: str
    power: str
    unwatched: str


@dataclass(frozen=True, slots=True)
class WeekChart:
    """Everything the weekly chart shows, oldest day first."""

    days: tuple[ChartDay, ...]
    labels: ChartLabels


def _wall_minute(instant: datetime, day: date, zone: ZoneInfo) -> int:
    """The wall-clock minute of ``day`` at ``instant`` (1440 for the next midnight)."""
    local = instant.astimezone(zone)
    if local.date() > day:
        return MINUTES_PER_DAY
    return local.hour * 60 + local.minute


def wall_span(start: datetime, end: datetime, day: date, zone: ZoneInfo) -> Span | None:
    """The part of ``[start, end)`` inside the local ``day`` as wall-clock minutes, or None."""
    day_start, day_end = wall_instant(day, 0, zone), wall_instant(day, MINUTES_PER_DAY, zone)
    lo, hi = max(start, day_start), min(end, day_end)
    if lo >= hi:
        return None
    first, last = _wall_minute(lo, day, zone), _wall_minute(hi, day, zone)
    if hi == day_end:
        last = MINUTES_PER_DAY
    return Span(first, last) if first < last else None


def _day_label(day: date, power_texts: PowerTexts) -> str:
    """``Пн 17.11``."""
    names = power_texts.chart_weekdays.split()
    name = names[day.weekday()] if len(names) == DAYS_IN_WEEK else ""
    return f"{name} {day:%d.%m}".strip()


def week_chart(
    outages: Sequence[PowerOutage],
    schedule: Mapping[date, DaySchedule],
    *,
    now: datetime,
    created_at: datetime,
    zone: ZoneInfo,
    title: str,
    texts: Texts,
    power_texts: PowerTexts,
) -> WeekChart:
    """The seven local days ending today: real outages, the schedule, the watched part."""
    today = now.astimezone(zone).date()
    rows = []
    for back in range(DAYS_IN_WEEK - 1, -1, -1):
        day = today - timedelta(days=back)
        real = [
            span
            for o in outages
            if (span := wall_span(max(o.start, created_at), min(o.end or now, now), day, zone))
        ]
        stored = schedule.get(day)
        planned = stored.outages if stored and stored.state is DayState.PUBLISHED else ()
        rows.append(
            ChartDay(
                day=day,
                label=_day_label(day, power_texts),
                real=merge_spans(real),
                planned=planned,
                watched=wall_span(created_at, now, day, zone),
                is_today=day == today,
                now_minute=_wall_minute(now, day, zone) if day == today else None,
            )
        )
    first = today - timedelta(days=DAYS_IN_WEEK - 1)
    period = f"{format_date(first, texts)} – {format_date(today, texts)}"
    labels = ChartLabels(
        title=power_texts.chart_title.format(label=title, period=period),
        real=power_texts.chart_real,
        planned=power_texts.chart_planned,
        power=power_texts.chart_power,
        unwatched=power_texts.chart_unwatched,
    )
    return WeekChart(tuple(rows), labels)
