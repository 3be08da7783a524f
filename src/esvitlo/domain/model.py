"""Normalized schedule model shared by every source format.

A day's schedule is kept as wall-clock minute spans ``[start, end)`` inside that day
(0..1440), because every feed publishes wall-clock times. Absolute instants are derived
on demand with :func:`wall_instant`, which resolves daylight-saving gaps and overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 1440


class ScheduleFormatError(ValueError):
    """The input is not a schedule document of the expected shape."""


class DayState(StrEnum):
    """What the source says about one day."""

    PUBLISHED = "published"
    PENDING = "pending"
    EMERGENCY = "emergency"


class DataStatus(StrEnum):
    """How far the stored data can be trusted right now."""

    FRESH = "fresh"
    STALE = "stale"
    SOURCE_ERROR = "source_error"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Wall-clock minutes ``[start, end)`` within one day, 0 <= start < end <= 1440."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_DAY:
            raise ValueError(f"span out of range: {self.start}..{self.end}")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def label(self) -> str:
        """``HH:MM–HH:MM`` with ``24:00`` for the end of the day."""
        return f"{format_minute(self.start)}–{format_minute(self.end)}"


def format_minute(minute: int) -> str:
    """``HH:MM`` for a minute of the day; 1440 is ``24:00``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sort spans and merge the ones that overlap or touch."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end))
        else:
            merged.append(span)
    return tuple(merged)


def spans_from_mask(mask: Iterable[bool], step: int) -> tuple[Span, ...]:
    """Maximal spans of consecutive true cells, each cell ``step`` minutes long."""
    spans: list[Span] = []
    start: int | None = None
    index = 0
    for index, on in enumerate(mask):
        if on and start is None:
            start = index
        elif not on and start is not None:
            spans.append(Span(start * step, index * step))
            start = None
    if start is not None:
        spans.append(Span(start * step, (index + 1) * step))
    return tuple(spans)


@dataclass(frozen=True, slots=True)
class DaySchedule:
    """One queue's outages on one local date: the fact layer and the possible layer."""

    date: date
    state: DayState
    outages: tuple[Span, ...] = ()
    possible: tuple[Span, ...] = ()
    # parts whose value the parser did not know: shown as "could not be read"; left out of
    # canonical() (see there)
    unreadable: tuple[Span, ...] = ()

    @property
    def published(self) -> bool:
        return self.state is not DayState.PENDING

    @property
    def outage_minutes(self) -> int:
        return sum(span.minutes for span in self.outages)

    def canonical(self) -> str:
        """Stable text of what the fact layer says; the basis of the fingerprint.

        ``unreadable`` is not part of it: it says nothing about outages, storage does not keep
        it, and a feed's glitch appearing or going away must not alert as a schedule change.
        """
        spans = ",".join(f"{s.start}-{s.end}" for s in self.outages)
        return f"{self.date.isoformat()}|{self.state.value}|{spans}"


@dataclass(frozen=True, slots=True)
class QueueSchedule:
    """All known days of one queue, sorted by date."""

    queue: str
    name: str | None
    days: tuple[DaySchedule, ...]

    def day(self, on: date) -> DaySchedule | None:
        for day in self.days:
            if day.date == on:
                return day
        return None


@dataclass(frozen=True, slots=True)
class UnreadableValue:
    """A value of a feed the parser does not know; its day is kept with that part unreadable.

    ``kind`` names what it is (``hour_value``: a DTEK hour, ``slot_type``: a YASNO slot);
    ``value`` is the value as written, cut short.
    """

    kind: str
    queue: str
    day: date | None
    value: str


@dataclass(frozen=True, slots=True)
class RegionSnapshot:
    """Everything one source document says about one region."""

    region: str
    tz: str
    queues: Mapping[str, QueueSchedule]
    source_ok: bool = True
    source_message: str | None = None
    # data_updated_at: the upstream's own "updated at"; fetched_at: the feed's last good
    # scrape; checked_at: the feed's last attempt, good or not.
    data_updated_at: datetime | None = None
    fetched_at: datetime | None = None
    checked_at: datetime | None = None
    today: date | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    unreadable: tuple[UnreadableValue, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def observed_at(self) -> datetime | None:
        """When the source last looked at its upstream, successful or not."""
        return self.checked_at or self.fetched_at or self.data_updated_at


def normalize_queue(text: str) -> str:
    """Bare queue id from user or feed text: ``GPV3.1``, ``3-1``, `` 3.1 `` -> ``3.1``."""
    value = text.strip()
    if value[:3].upper() == "GPV":
        value = value[3:]
    return value.replace("-", ".").replace("_", ".")


def queue_sort_key(queue: str) -> tuple[tuple[int, ...], str]:
    """Sort ``1.2`` before ``10.1``; non-numeric ids after the numeric ones."""
    try:
        return tuple(int(part) for part in queue.split(".")), ""
    except ValueError:
        return (1 << 30,), queue


def wall_instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The aware UTC instant of a wall-clock minute of a local day.

    Minute 1440 is the next midnight. A wall time skipped by a DST jump is moved forward to
    the first wall time that exists; a repeated wall time resolves to its first occurrence.
    """
    local = datetime.combine(day, time(), zone) + timedelta(minutes=minute)
    for _ in range(4):
        instant = local.astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
            return instant
        local += timedelta(minutes=30)
    return local.astimezone(UTC)


def parse_iso_utc(text: object) -> datetime | None:
    """An ISO-8601 time as an aware UTC datetime, or None when absent or unreadable."""
    if not isinstance(text, str) or not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: year 1 with a positive offset
        return None


# Unix times a feed's update stamp may plausibly hold: from 2000 up to the year 10000
_EARLIEST_STAMP = 946_684_800
_STAMPS_END = 253_402_300_800
_MILLISECONDS_FROM = 100_000_000_000  # as seconds: year 5138; as milliseconds: 1973


def parse_stamp(value: object) -> datetime | None:
    """An update time as an aware UTC datetime, or None when absent, unreadable or implausible.

    Feeds write it as ISO-8601 text or as a Unix time in seconds or milliseconds (a number
    or numeric text); the magnitude tells which. Booleans, negative, non-finite and
    far-out numbers are None: a stamp that cannot be a date must not make data look fresh.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        digits = text.replace(".", "", 1)
        if not (digits.isascii() and digits.isdigit()):
            return parse_iso_utc(text)
        value = float(text)
    if not isinstance(value, int | float) or not 0 < value < _STAMPS_END * 1000:
        return None  # NaN fails every comparison; a huge int would overflow a float below
    seconds = value / 1000 if value >= _MILLISECONDS_FROM else value
    if not _EARLIEST_STAMP <= seconds < _STAMPS_END:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """The local calendar date of an instant."""
    return instant.astimezone(zone).date()


def span_instants(day: date, span: Span, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The UTC instants of a span of a local day; None if a DST jump swallows it whole."""
    start, end = wall_instant(day, span.start, zone), wall_instant(day, span.end, zone)
    return (start, end) if end > start else None


def real_minutes(day: date, spans: Iterable[Span], zone: ZoneInfo) -> int:
    """Elapsed minutes covered by spans of a local day (differs from wall minutes on DST days)."""
    total = 0
    for span in spans:
        instants = span_instants(day, span, zone)
        if instants:
            total += int((instants[1] - instants[0]).total_seconds()) // 60
    return total
