"""Reminders N minutes before a planned outage starts or ends, from the stored schedule.

Computed on absolute instants (correct across midnight and on DST days), only from
published days, never for a moment already past. Each reminder's key holds the edge, the
lead time and the outage interval, so it is sent once, and a schedule change that moves or
removes the outage yields different keys (the old reminder is withdrawn, not sent).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from esvitlo.domain.model import MINUTES_PER_DAY, DaySchedule, DayState, wall_instant
from esvitlo.domain.timeline import Outage, outages_of


class Edge(StrEnum):
    """Which end of an outage a reminder precedes."""

    OFF = "off"  # power goes off
    ON = "on"  # power comes back


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder: ``lead`` minutes before ``outage`` starts (OFF) or ends (ON)."""

    edge: Edge
    lead: int
    outage: Outage
    fire_at: datetime

    @property
    def edge_at(self) -> datetime:
        """The moment of the edge itself: the outage's start (OFF) or end (ON)."""
        return self.outage.start if self.edge is Edge.OFF else self.outage.end

    @property
    def key(self) -> str:
        """Stable identity: edge, lead and the outage's UTC interval."""
        start = f"{self.outage.start:%Y%m%dT%H%MZ}"
        end = f"{self.outage.end:%Y%m%dT%H%MZ}"
        return f"{self.edge.value}:{self.lead}:{start}-{end}"


def _published_run(days: Sequence[DaySchedule]) -> list[DaySchedule]:
    """Consecutive published days in date order (an unpublished or emergency day ends it)."""
    run: list[DaySchedule] = []
    for day in sorted(days, key=lambda d: d.date):
        if day.state is not DayState.PUBLISHED:
            break
        if run and (day.date - run[-1].date).days != 1:
            break
        run.append(day)
    return run


def _current(days: Sequence[DaySchedule], today: date) -> list[DaySchedule]:
    """Today and later, with yesterday in front when it is published."""
    yesterday = today - timedelta(days=1)
    return [
        d
        for d in days
        if d.date >= today or (d.date == yesterday and d.state is DayState.PUBLISHED)
    ]


def plan_reminders(
    days: Sequence[DaySchedule],
    zone: ZoneInfo,
    now: datetime,
    *,
    before_off: Iterable[int],
    before_on: Iterable[int],
    horizon: timedelta = timedelta(days=2),
) -> list[Reminder]:
    """Reminders that fire after ``now`` and within ``horizon``, sorted by time.

    Yesterday counts when it is published, so an outage running on past midnight keeps its
    start (and its reminders their keys) until yesterday is dropped from the store. An
    outage that runs to the end of the last published day has no known restoration, so it
    gets no "before power returns" reminder.
    """
    run = _published_run(_current(days, now.astimezone(zone).date()))
    if not run:
        return []
    last_day_end = wall_instant(run[-1].date, MINUTES_PER_DAY, zone)
    planned: list[Reminder] = []
    for outage in outages_of(run, zone):
        for lead in sorted(set(before_off)):
            planned.append(Reminder(Edge.OFF, lead, outage, outage.start - timedelta(minutes=lead)))
        if outage.end < last_day_end:
            for lead in sorted(set(before_on)):
                planned.append(
                    Reminder(Edge.ON, lead, outage, outage.end - timedelta(minutes=lead))
                )
    until = now + horizon
    due = [r for r in planned if now < r.fire_at <= until and _edge_ahead(r, now)]
    return sorted(due, key=lambda r: (r.fire_at, r.edge.value, r.lead))


def _edge_ahead(reminder: Reminder, now: datetime) -> bool:
    """The edge itself is still ahead (a 60-minute reminder inside a 30-minute outage is not)."""
    return reminder.edge_at > now
