"""Outage statistics of one monitor over a window, and how the real outages met the schedule.

Only the watched part of a window counts: from the monitor's creation (or the window's
start, whichever is later) to the window's end. Outages are clipped to it; an outage still
going on runs to the window's end. Durations are elapsed time, so DST days are no different.

Plan against fact pairs every real outage with the planned outages it overlaps: the start is
compared with the first of them and the end with the last (an outage across two merged
planned ones compares with both edges). Offsets are minutes, positive when the real edge came
later than planned. An edge we did not see (the monitor started during the outage, or it is
still going on) has no offset. A real outage on a day without a published schedule is
neither planned nor unplanned; a planned outage that ended inside the watched part without
any real outage overlapping it is one where the power was kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

from esvitlo.domain.model import DaySchedule, DayState, local_date
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.timeline import Outage, outages_of


@dataclass(frozen=True, slots=True)
class PlanMatch:
    """A real outage and the planned outages it overlaps, with the offsets of its edges."""

    real: PowerOutage
    planned: tuple[Outage, ...]
    start_offset: int | None  # minutes, positive = later than planned
    end_offset: int | None


@dataclass(frozen=True, slots=True)
class PlanComparison:
    """How the window's real outages compared with the schedule."""

    known: bool  # some day of the watched part had a published schedule
    matched: tuple[PlanMatch, ...] = ()
    unplanned: int = 0  # real outages on scheduled days that no planned outage overlaps
    kept: int = 0  # planned outages that ended with the power on throughout

    @property
    def average_start_offset(self) -> float | None:
        """The mean offset of the starts seen, in minutes; None without any."""
        values = [m.start_offset for m in self.matched if m.start_offset is not None]
        return fmean(values) if values else None

    @property
    def average_end_offset(self) -> float | None:
        """The mean offset of the ends seen, in minutes; None without any."""
        values = [m.end_offset for m in self.matched if m.end_offset is not None]
        return fmean(values) if values else None


@dataclass(frozen=True, slots=True)
class PowerStats:
    """A monitor's outages over ``[since, until)``, counted over the watched part only."""

    since: datetime
    until: datetime
    watched_since: datetime | None  # None: the monitor did not exist yet
    count: int
    total: timedelta
    longest: timedelta
    ongoing: bool
    plan: PlanComparison

    @property
    def watched(self) -> timedelta:
        """How long the monitor watched inside the window."""
        if self.watched_since is None:
            return timedelta(0)
        return self.until - self.watched_since

    @property
    def average(self) -> timedelta | None:
        """The mean outage length; None without outages."""
        return self.total / self.count if self.count else None

    @property
    def power_share(self) -> float | None:
        """The share of the watched time with power, 0..1; None when nothing was watched."""
        watched = self.watched
        if watched <= timedelta(0):
            return None
        return max(0.0, 1 - self.total / watched)


def schedule_days(
    stored: Mapping[date, DaySchedule], since: datetime, until: datetime, zone: ZoneInfo
) -> list[DaySchedule]:
    """The published days covering ``[since, until)`` in the zone (one day of margin before)."""
    first = local_date(since, zone) - timedelta(days=1)
    last = local_date(until, zone)
    return [
        day
        for on, day in sorted(stored.items())
        if first <= on <= last and day.state is DayState.PUBLISHED
    ]


def power_stats(
    outages: Sequence[PowerOutage],
    *,
    since: datetime,
    until: datetime,
    created_at: datetime,
    days: Sequence[DaySchedule] = (),
    zone: ZoneInfo | None = None,
) -> PowerStats:
    """The statistics of ``[since, until)`` for a monitor watching since ``created_at``.

    ``days`` are the address's stored schedule days (any state; only published ones count)
    and ``zone`` their region's time zone; without them there is no plan to compare with.
    """
    start = max(since, created_at)
    if start >= until:
        return PowerStats(since, until, None, 0, timedelta(0), timedelta(0), False, _NO_PLAN)
    seen = [o for o in outages if o.clipped(start, until) is not None]
    lengths = [_length(o, start, until) for o in seen]
    plan = compare_with_plan(seen, days, zone, start, until) if zone else _NO_PLAN
    return PowerStats(
        since=since,
        until=until,
        watched_since=start,
        count=len(seen),
        total=sum(lengths, timedelta(0)),
        longest=max(lengths, default=timedelta(0)),
        ongoing=any(o.end is None for o in seen),
        plan=plan,
    )


_NO_PLAN = PlanComparison(known=False)


def _length(outage: PowerOutage, since: datetime, until: datetime) -> timedelta:
    clipped = outage.clipped(since, until)
    return clipped[1] - clipped[0] if clipped else timedelta(0)


def compare_with_plan(
    outages: Sequence[PowerOutage],
    days: Sequence[DaySchedule],
    zone: ZoneInfo,
    since: datetime,
    until: datetime,
) -> PlanComparison:
    """Pair real outages (already inside ``[since, until)``) with the planned ones."""
    published = [day for day in days if day.state is DayState.PUBLISHED]
    scheduled_dates = {day.date for day in published}
    watched_dates = _dates(since, until, zone)
    if not scheduled_dates & watched_dates:
        return _NO_PLAN
    planned = [p for p in outages_of(published, zone) if p.start < until and p.end > since]
    matched: list[PlanMatch] = []
    unplanned = 0
    for outage in outages:
        end = outage.end or until
        overlapping = tuple(p for p in planned if p.start < end and outage.start < p.end)
        if overlapping:
            matched.append(_match(outage, overlapping))
        elif local_date(max(outage.start, since), zone) in scheduled_dates:
            unplanned += 1
    hit = {p for m in matched for p in m.planned}
    kept = sum(1 for p in planned if p not in hit and p.end <= until and p.start >= since)
    return PlanComparison(known=True, matched=tuple(matched), unplanned=unplanned, kept=kept)


def _match(outage: PowerOutage, planned: tuple[Outage, ...]) -> PlanMatch:
    start = _minutes(outage.start - planned[0].start) if outage.start_exact else None
    end = _minutes(outage.end - planned[-1].end) if outage.end is not None else None
    return PlanMatch(outage, planned, start, end)


def _minutes(delta: timedelta) -> int:
    """Whole minutes, rounded half away from zero."""
    seconds = delta.total_seconds()
    return int(seconds / 60 + (0.5 if seconds >= 0 else -0.5))


def _dates(since: datetime, until: datetime, zone: ZoneInfo) -> set[date]:
    """The local dates that ``[since, until)`` touches."""
    first, last = local_date(since, zone), local_date(until - timedelta(microseconds=1), zone)
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}
