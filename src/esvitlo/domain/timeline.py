"""Where a queue stands at a given moment: power by schedule, current and next outage.

Only published (or emergency) days count; a pending day is never used. Outages are real
instants built with :func:`model.span_instants`, so durations are elapsed time on DST days,
and an outage that runs to midnight joins the next published day's outage from 00:00.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.model import (
    MINUTES_PER_DAY,
    DaySchedule,
    DayState,
    QueueSchedule,
    local_date,
    span_instants,
    wall_instant,
)


@dataclass(frozen=True, slots=True, order=True)
class Outage:
    """One continuous outage ``[start, end)`` as aware UTC instants."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def minutes(self) -> int:
        """Elapsed whole minutes of the outage."""
        return int(self.duration.total_seconds()) // 60

    def contains(self, instant: datetime) -> bool:
        """True when ``instant`` falls inside; the start is inclusive, the end exclusive."""
        return self.start <= instant < self.end


@dataclass(frozen=True, slots=True)
class Timeline:
    """A queue's schedule as seen at one instant.

    ``outages_left_today`` holds today's outages that start after now (the current outage is
    not in it; the next outage is its first item when it starts today). ``known_until`` is
    the end of the last consecutive published day: nothing is claimed beyond it, so an
    outage that runs up to ``known_until`` restores there "by the known schedule". A day
    in emergency makes the timeline ``emergency`` with no outages claimed.
    """

    known: bool
    power_on: bool | None = None
    current_outage: Outage | None = None
    next_outage: Outage | None = None
    next_restoration: datetime | None = None
    outages_left_today: tuple[Outage, ...] = ()
    emergency: bool = False
    known_until: datetime | None = None


UNKNOWN = Timeline(known=False)


def _usable(days: QueueSchedule | Sequence[DaySchedule]) -> dict[date, DaySchedule]:
    source = days.days if isinstance(days, QueueSchedule) else days
    return {day.date: day for day in source if day.state is not DayState.PENDING}


def _chain(usable: dict[date, DaySchedule], today: date) -> list[DaySchedule]:
    """Yesterday (when published) and the consecutive published, non-emergency days from today."""
    chain: list[DaySchedule] = []
    yesterday = usable.get(today - timedelta(days=1))
    if yesterday is not None and yesterday.state is DayState.PUBLISHED:
        chain.append(yesterday)
    day = today
    while (schedule := usable.get(day)) is not None and schedule.state is DayState.PUBLISHED:
        chain.append(schedule)
        day += timedelta(days=1)
    return chain


def outages_of(days: Sequence[DaySchedule], zone: ZoneInfo) -> tuple[Outage, ...]:
    """Outages of the given days as instants, sorted, with touching ones merged into one."""
    instants = sorted(
        pair
        for day in days
        for span in day.outages
        if (pair := span_instants(day.date, span, zone)) is not None
    )
    merged: list[Outage] = []
    for start, end in instants:
        if merged and start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Outage(last.start, max(last.end, end))
        else:
            merged.append(Outage(start, end))
    return tuple(merged)


def build_timeline(
    days: QueueSchedule | Sequence[DaySchedule], zone: ZoneInfo, now: datetime
) -> Timeline:
    """The timeline at ``now``; unknown when no published day covers ``now``'s local date."""
    usable = _usable(days)
    today = local_date(now, zone)
    current_day = usable.get(today)
    if current_day is None:
        return UNKNOWN
    if current_day.state is DayState.EMERGENCY:
        return Timeline(known=True, emergency=True)
    chain = _chain(usable, today)
    outages = outages_of(chain, zone)
    current = next((o for o in outages if o.contains(now)), None)
    ahead = [o for o in outages if o.start > now]
    return Timeline(
        known=True,
        power_on=current is None,
        current_outage=current,
        next_outage=ahead[0] if ahead else None,
        next_restoration=current.end if current else None,
        outages_left_today=tuple(o for o in ahead if local_date(o.start, zone) == today),
        known_until=wall_instant(chain[-1].date, MINUTES_PER_DAY, zone),
    )
