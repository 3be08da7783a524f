"""Calendar events from stored schedule days and measured outages (pure; the ICS text is
written in ``web/ics.py``).

Every value is derived from what storage holds, never from the moment of the request, so any
instance builds the same calendar byte for byte (and the same ETag):

- one event per merged outage interval (outages touching across midnight are one event);
- UID stable per (region, queue, kind, start): a refresh never duplicates an event, a moved
  start is a new event (the old one disappears);
- SEQUENCE is the sum of the revisions of the stored days the event touches: a day's
  revision is bumped on every change of its content, so an event that changed has a higher
  SEQUENCE on every instance;
- DTSTAMP and LAST-MODIFIED are the newest ``updated_at`` of those days (for a calendar with
  no METHOD, RFC 5545 defines DTSTAMP as the time the information was last revised);
- times are UTC instants (``span_instants`` resolves DST gaps and overlaps).

Kinds: ``planned`` (a published day's outages), ``emergency`` (an emergency day's outage
times, or the whole day when it has none: the schedule does not apply) and ``possible`` (the
weekly template's outages of a day not published yet; once the day is out, the fact is
authoritative, as in the bot).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from esvitlo.domain.model import DaySchedule, DayState, Span, span_instants
from esvitlo.domain.texts.feeds import FeedTexts

UID_DOMAIN = "esvitlo"


class EventKind(StrEnum):
    """What an event says: outages by the published schedule, possible or emergency ones."""

    PLANNED = "planned"
    POSSIBLE = "possible"
    EMERGENCY = "emergency"


ALL_KINDS = frozenset(EventKind)


def parse_kinds(text: str | None) -> frozenset[EventKind] | None:
    """Kinds from a URL parameter such as ``planned,emergency`` (None or empty: all); None
    when a name is unknown."""
    if not text:
        return ALL_KINDS
    kinds: set[EventKind] = set()
    for name in text.split(","):
        try:
            kinds.add(EventKind(name.strip().lower()))
        except ValueError:
            return None
    return frozenset(kinds)


@dataclass(frozen=True, slots=True)
class StoredDay:
    """A stored day with its revision and the time it was last written."""

    day: DaySchedule
    revision: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One event; ``start``/``end`` are UTC datetimes, or dates for a whole-day event."""

    uid: str
    start: datetime | date
    end: datetime | date
    summary: str
    description: str
    sequence: int
    stamp: datetime
    categories: tuple[str, ...]
    tentative: bool = False


@dataclass(frozen=True, slots=True)
class CalendarFeed:
    """A calendar's name, description and events (sorted by start, then UID)."""

    name: str
    description: str
    events: tuple[CalendarEvent, ...]

    @property
    def last_modified(self) -> datetime | None:
        return max((event.stamp for event in self.events), default=None)


@dataclass(frozen=True, slots=True)
class QueueLabels:
    """How events of one queue are named: its title and, in a private feed, the user's
    names for the addresses on it."""

    region_name: str
    queue_title: str
    address_labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeasuredOutage:
    """An outage a monitor measured, closed (``end`` known)."""

    monitor_id: int
    label: str
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class FeedAddress:
    """One of the user's addresses: a (region, queue) and the user's name for it."""

    region: str
    queue: str
    label: str


@dataclass(frozen=True, slots=True)
class PrivateFeedData:
    """What a private calendar shows: its owner's language, addresses and measured outages."""

    user_id: int
    language: str
    addresses: tuple[FeedAddress, ...]
    outages: tuple[MeasuredOutage, ...]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _kind_days(days: Sequence[StoredDay], kind: EventKind) -> list[StoredDay]:
    state = {
        EventKind.PLANNED: DayState.PUBLISHED,
        EventKind.POSSIBLE: DayState.PENDING,
        EventKind.EMERGENCY: DayState.EMERGENCY,
    }[kind]
    return [stored for stored in days if stored.day.state is state]


def _spans(day: DaySchedule, kind: EventKind) -> tuple[Span, ...]:
    return day.possible if kind is EventKind.POSSIBLE else day.outages


@dataclass(slots=True)
class _Interval:
    start: datetime
    end: datetime
    days: dict[date, StoredDay]


def merged_intervals(days: Sequence[StoredDay], kind: EventKind, zone: ZoneInfo) -> list[_Interval]:
    """The kind's outages of the days as UTC intervals, touching ones merged (across midnight
    too), each with the stored days it came from."""
    pieces = sorted(
        (instants, stored)
        for stored in _kind_days(days, kind)
        for span in _spans(stored.day, kind)
        if (instants := span_instants(stored.day.date, span, zone)) is not None
    )
    merged: list[_Interval] = []
    for (start, end), stored in pieces:
        if merged and start <= merged[-1].end:
            merged[-1].end = max(merged[-1].end, end)
            merged[-1].days[stored.day.date] = stored
        else:
            merged.append(_Interval(start, end, {stored.day.date: stored}))
    return merged


def _categories(kind: EventKind, texts: FeedTexts) -> tuple[str, ...]:
    local = {
        EventKind.PLANNED: texts.category_planned,
        EventKind.POSSIBLE: texts.category_possible,
        EventKind.EMERGENCY: texts.category_emergency,
    }[kind]
    return (kind.value, local)


def _summary(kind: EventKind, texts: FeedTexts, title: str, whole_day: bool) -> str:
    if kind is EventKind.EMERGENCY:
        template = texts.emergency_day_summary if whole_day else texts.emergency_summary
    elif kind is EventKind.POSSIBLE:
        template = texts.possible_summary
    else:
        template = texts.planned_summary
    return template.format(queue=title)


def _description(kind: EventKind, texts: FeedTexts, region_name: str) -> str:
    template = {
        EventKind.PLANNED: texts.planned_description,
        EventKind.POSSIBLE: texts.possible_description,
        EventKind.EMERGENCY: texts.emergency_description,
    }[kind]
    return template.format(region=region_name)


def _title(labels: QueueLabels, texts: FeedTexts) -> str:
    if not labels.address_labels:
        return labels.queue_title
    return texts.labelled_queue.format(
        label=", ".join(labels.address_labels), queue=labels.queue_title
    )


def queue_events(
    region: str,
    queue: str,
    days: Sequence[StoredDay],
    zone: ZoneInfo,
    kinds: frozenset[EventKind],
    texts: FeedTexts,
    labels: QueueLabels,
) -> list[CalendarEvent]:
    """The events of one queue's stored days, of the wanted kinds."""
    title = _title(labels, texts)
    events: list[CalendarEvent] = []
    for kind in sorted(kinds):
        for interval in merged_intervals(days, kind, zone):
            touched = interval.days.values()
            events.append(
                CalendarEvent(
                    uid=f"{kind.value}-{region}-{queue}-{_stamp(interval.start)}@{UID_DOMAIN}",
                    start=interval.start,
                    end=interval.end,
                    summary=_summary(kind, texts, title, whole_day=False),
                    description=_description(kind, texts, labels.region_name),
                    sequence=sum(stored.revision for stored in touched),
                    stamp=max(stored.updated_at for stored in touched),
                    categories=_categories(kind, texts),
                    tentative=kind is EventKind.POSSIBLE,
                )
            )
    if EventKind.EMERGENCY in kinds:
        events.extend(_whole_emergency_days(region, queue, days, texts, labels, title))
    return events


def _whole_emergency_days(
    region: str,
    queue: str,
    days: Sequence[StoredDay],
    texts: FeedTexts,
    labels: QueueLabels,
    title: str,
) -> Iterable[CalendarEvent]:
    """A whole-day event for each emergency day without outage times."""
    for stored in _kind_days(days, EventKind.EMERGENCY):
        if stored.day.outages:
            continue
        on = stored.day.date
        yield CalendarEvent(
            uid=f"emergency-{region}-{queue}-{on:%Y%m%d}@{UID_DOMAIN}",
            start=on,
            end=on + timedelta(days=1),
            summary=_summary(EventKind.EMERGENCY, texts, title, whole_day=True),
            description=_description(EventKind.EMERGENCY, texts, labels.region_name),
            sequence=stored.revision,
            stamp=stored.updated_at,
            categories=_categories(EventKind.EMERGENCY, texts),
        )


def measured_events(outages: Iterable[MeasuredOutage], texts: FeedTexts) -> list[CalendarEvent]:
    """Past outages measured by the user's monitors (closed ones only: an open one has no
    end yet, and an end moving with every request would change the calendar each time)."""
    return [
        CalendarEvent(
            uid=f"power-{outage.monitor_id}-{_stamp(outage.start)}@{UID_DOMAIN}",
            start=outage.start.astimezone(UTC),
            end=outage.end.astimezone(UTC),
            summary=texts.measured_summary.format(label=outage.label),
            description=texts.measured_description,
            sequence=0,
            stamp=outage.end.astimezone(UTC),
            categories=("measured", texts.category_measured),
        )
        for outage in outages
        if outage.end > outage.start
    ]


def _order(event: CalendarEvent) -> tuple[datetime, str]:
    start = event.start
    if not isinstance(start, datetime):
        start = datetime(start.year, start.month, start.day, tzinfo=UTC)
    return start, event.uid


def calendar(name: str, description: str, events: Iterable[CalendarEvent]) -> CalendarFeed:
    """A feed with its events in a stable order (so the same data gives the same bytes)."""
    return CalendarFeed(name, description, tuple(sorted(events, key=_order)))
