"""Plan versus fact per queue: the crowd's measured outages against the scheduled ones.

The fact comes from the monitors' stored outage history, not from the crowd episodes (those
are kept only while they last). The definition, honest about what the history can say:

- a user *watches* the queue from the creation of their first monitor in it (history has no
  "unknown" periods; a deleted monitor takes its history with it, so it never counted);
- a user is *off* while any of their monitors in the queue records an outage (one home is
  one voice, however many monitors it has);
- the queue is *measured* while at least ``min_users`` users watch it (the privacy floor),
  and *off* while at least ``off_needed(watching)`` of them are off: the crowd watch's rule
  (``CrowdRules.off_needed``), applied to history;
- minutes are compared over the measured part only: the scheduled minutes of a day count
  only where the queue was measured and only when that day's schedule was published.

Starts and ends are *on time* within ``plan_margin`` (15 min) of the planned outage they
overlap (pairing as in ``power_stats.compare_with_plan``); an edge the crowd did not see (the
queue became measured during an outage, or it still lasts) is not judged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.crowd import CrowdRules
from esvitlo.domain.model import DaySchedule, DayState, local_date, wall_instant
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.power_stats import compare_with_plan
from esvitlo.domain.timeline import Outage, outages_of


@dataclass(frozen=True, slots=True)
class MonitorHistory:
    """One monitor of a queue as plan versus fact needs it (stays in the process)."""

    user_id: int
    created_at: datetime
    outages: tuple[PowerOutage, ...] = ()


@dataclass(frozen=True, slots=True)
class QueueHistory:
    """Every monitor of one queue with its outages inside the asked window."""

    region: str
    queue: str
    monitors: tuple[MonitorHistory, ...]


@dataclass(frozen=True, slots=True)
class DayPlanFact:
    """One local day of a queue: measured time, minutes off in fact and by the schedule."""

    day: date
    measured: timedelta
    fact: timedelta
    planned: timedelta | None  # None: no published schedule for the day


@dataclass(frozen=True, slots=True)
class QueuePlanFact:
    """A queue's plan versus fact over a window, by local day."""

    region: str
    queue: str
    days: tuple[DayPlanFact, ...]
    outages: int = 0  # queue-level outages the crowd saw
    starts_seen: int = 0  # starts paired with a planned outage and seen
    starts_on_time: int = 0
    ends_seen: int = 0
    ends_on_time: int = 0
    unplanned: int = 0  # outages on scheduled days that no planned outage overlaps
    kept: int = 0  # planned outages the crowd kept power through

    @property
    def measured(self) -> timedelta:
        return sum((d.measured for d in self.days), timedelta(0))

    @property
    def fact(self) -> timedelta:
        return sum((d.fact for d in self.days), timedelta(0))

    @property
    def compared_fact(self) -> timedelta:
        """The fact on the days that had a published schedule (compare with ``planned``)."""
        return sum((d.fact for d in self.days if d.planned is not None), timedelta(0))

    @property
    def planned(self) -> timedelta | None:
        """Scheduled time off over the measured part of scheduled days; None without any."""
        known = [d.planned for d in self.days if d.planned is not None]
        return sum(known, timedelta(0)) if known else None


Interval = tuple[datetime, datetime]


def user_off_intervals(
    monitors: Sequence[MonitorHistory], since: datetime, until: datetime
) -> dict[int, tuple[datetime, list[Interval]]]:
    """Per user: when they began watching, and the union of their monitors' outages."""
    users: dict[int, tuple[datetime, list[Interval]]] = {}
    for monitor in monitors:
        first, spans = users.get(monitor.user_id, (monitor.created_at, []))
        spans.extend(c for o in monitor.outages if (c := o.clipped(since, until)) is not None)
        users[monitor.user_id] = (min(first, monitor.created_at), spans)
    return {user: (first, _union(spans)) for user, (first, spans) in users.items()}


def _union(spans: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def crowd_fact(
    monitors: Sequence[MonitorHistory], since: datetime, until: datetime, rules: CrowdRules
) -> tuple[datetime | None, list[Interval]]:
    """When the queue became measured inside ``[since, until)`` (None: never) and the
    intervals the crowd was off, by a sweep over every user's watch and outage edges."""
    users = user_off_intervals(monitors, since, until)
    edges: list[tuple[datetime, int, int]] = []  # (instant, d_watching, d_off)
    for first, spans in users.values():
        edges.append((max(first, since), 1, 0))
        for start, end in spans:
            edges.append((max(start, first), 0, 1))
            edges.append((max(end, first), 0, -1))
    edges.sort(key=lambda e: e[0])
    measured_since: datetime | None = None
    off: list[Interval] = []
    watching = off_users = 0
    off_from: datetime | None = None
    for i, (at, d_watch, d_off) in enumerate(edges):
        watching += d_watch
        off_users += d_off
        if i + 1 < len(edges) and edges[i + 1][0] == at:
            continue  # settle every edge of one instant first
        if at >= until:
            break
        measured = rules.visible(watching)
        if measured and measured_since is None:
            measured_since = at
        is_off = measured and off_users >= rules.off_needed(watching)
        if is_off and off_from is None:
            off_from = at
        elif not is_off and off_from is not None:
            off.append((off_from, at))
            off_from = None
    if off_from is not None:
        off.append((off_from, until))
    return measured_since, [(s, e) for s, e in off if s < e]


def plan_fact(
    history: QueueHistory,
    days: Mapping[date, DaySchedule],
    zone: ZoneInfo,
    since: datetime,
    until: datetime,
    rules: CrowdRules,
) -> QueuePlanFact | None:
    """The queue's plan versus fact over ``[since, until)``; None when it was never measured
    (fewer than ``min_users`` users watching at any time)."""
    measured_since, off = crowd_fact(history.monitors, since, until, rules)
    if measured_since is None:
        return None
    published = [d for d in days.values() if d.state is DayState.PUBLISHED]
    planned = outages_of(published, zone)
    per_day = tuple(
        _day(day, zone, measured_since, until, off, planned, {d.date for d in published})
        for day in _local_days(measured_since, until, zone)
    )
    seen = [
        PowerOutage(start, None if end >= until else end, start_exact=start > measured_since)
        for start, end in off
    ]
    comparison = compare_with_plan(seen, published, zone, measured_since, until)
    margin = rules.plan_margin.total_seconds() / 60
    starts = [m.start_offset for m in comparison.matched if m.start_offset is not None]
    ends = [m.end_offset for m in comparison.matched if m.end_offset is not None]
    return QueuePlanFact(
        history.region,
        history.queue,
        per_day,
        outages=len(off),
        starts_seen=len(starts),
        starts_on_time=sum(abs(offset) <= margin for offset in starts),
        ends_seen=len(ends),
        ends_on_time=sum(abs(offset) <= margin for offset in ends),
        unplanned=comparison.unplanned,
        kept=comparison.kept,
    )


def _local_days(since: datetime, until: datetime, zone: ZoneInfo) -> list[date]:
    first, last = local_date(since, zone), local_date(until - timedelta(microseconds=1), zone)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _overlap(spans: Sequence[Interval], start: datetime, end: datetime) -> timedelta:
    return sum(
        (min(e, end) - max(s, start) for s, e in spans if s < end and e > start), timedelta(0)
    )


def _day(
    day: date,
    zone: ZoneInfo,
    measured_since: datetime,
    until: datetime,
    off: Sequence[Interval],
    planned: Sequence[Outage],
    scheduled: set[date],
) -> DayPlanFact:
    start = max(wall_instant(day, 0, zone), measured_since)
    end = min(wall_instant(day + timedelta(days=1), 0, zone), until)
    planned_spans = [(p.start, p.end) for p in planned]
    return DayPlanFact(
        day,
        end - start,
        _overlap(off, start, end),
        _overlap(planned_spans, start, end) if day in scheduled else None,
    )
