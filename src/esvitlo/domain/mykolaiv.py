"""Parser for the Mykolaiv operator's API (Миколаївобленерго), read as one bundle.

The API has three documents, fetched together and handed over as one object::

    {"queues": [...], "time_series": [...], "active": [...]}

``queues`` (``outage-queue/by-type/3``) lists the sub-queues ``1.1`` … ``6.2`` with their
ids; ``time_series`` (``schedule/time-series``) the day's half-hour slots
``{id, start: "HH:MM:SS", end}``; ``active`` (``v2/schedule/active``) one period per day,
``{from, to, series: [{time_series_id, outage_queue_id, type}]}``, ``from`` being the
day's Kyiv midnight as an ISO time. A slot with no entry has power; ``OFF`` and
``SURE_OFF`` are outages, ``SURE_OFF`` marking the day an emergency; ``PROBABLY_OFF`` is a
possible outage. Out of season ``active`` is empty: the queues exist and no day is
published. Entries for the city and district queues (types 1 and 2) share the periods;
their ids are not in the sub-queue list and are skipped. A type we do not know keeps its
day: the slot is unreadable (``DaySchedule.unreadable``) and a warning names the queue and
the value. Two periods of one date are merged, each slot keeping its strongest type.

Slots are wall-clock times, as DTEK's hours are: on the 23-hour day the slots of the
skipped hour describe wall times that do not exist, on the 25-hour day 48 slots cover
25 hours; ``model.wall_instant`` resolves both at the edges.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from esvitlo.domain.model import (
    MINUTES_PER_DAY,
    DaySchedule,
    DayState,
    QueueSchedule,
    RegionSnapshot,
    ScheduleFormatError,
    Span,
    UnreadableValue,
    merge_spans,
    normalize_queue,
    parse_stamp,
    queue_sort_key,
)

BUNDLE_KEYS = ("queues", "time_series", "active")
OUTAGE = "OFF"
EMERGENCY_OUTAGE = "SURE_OFF"
POSSIBLE_OUTAGE = "PROBABLY_OFF"
_KNOWN_TYPES = frozenset({OUTAGE, EMERGENCY_OUTAGE, POSSIBLE_OUTAGE})
# Two periods of one date keep each slot's stronger type.
_STRENGTH = {EMERGENCY_OUTAGE: 3, OUTAGE: 2, POSSIBLE_OUTAGE: 1}
_VALUE_SHOWN = 40  # characters of an unknown type kept for the logs


def is_bundle(doc: object) -> bool:
    """Whether a decoded document has the shape of a Mykolaiv bundle."""
    return isinstance(doc, Mapping) and all(key in doc for key in BUNDLE_KEYS)


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _whole(value: object) -> int | None:
    """An integer id (never a bool), or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _list(doc: Mapping[str, object], key: str) -> Sequence[object]:
    value = doc.get(key)
    if not isinstance(value, list):
        raise ScheduleFormatError(f"{key}: expected a list, got {_kind(value)}")
    return value


def _queues(raw: Sequence[object]) -> dict[int, str]:
    """Queue id -> queue name for the sub-queues in use (deleted or disabled ones left out)."""
    queues: dict[int, str] = {}
    for index, item in enumerate(raw):
        where = f"queues[{index}]"
        if not isinstance(item, Mapping):
            raise ScheduleFormatError(f"{where}: expected an object, got {_kind(item)}")
        queue_id, name = _whole(item.get("id")), item.get("name")
        if queue_id is None or not isinstance(name, str) or not name.strip():
            raise ScheduleFormatError(f"{where}: needs a whole 'id' and a 'name'")
        if item.get("deleted") in (1, True) or item.get("enabled") in (0, False):
            continue
        queue = normalize_queue(name)
        if not queue or queue in queues.values():
            raise ScheduleFormatError(f"{where}: queue name {name!r} is empty or repeated")
        queues[queue_id] = queue
    return queues


def _clock_minute(text: object, where: str) -> int:
    """Minutes since midnight of ``HH:MM`` or ``HH:MM:SS``, seconds rounding up."""
    parts = text.split(":") if isinstance(text, str) else []
    if len(parts) not in (2, 3) or not all(
        p.isascii() and p.isdigit() and len(p) <= 2 for p in parts
    ):
        raise ScheduleFormatError(f"{where}: {text!r} is not HH:MM:SS")
    hours, minutes = int(parts[0]), int(parts[1])
    seconds = int(parts[2]) if len(parts) == 3 else 0
    if hours > 24 or minutes > 59 or seconds > 59:
        raise ScheduleFormatError(f"{where}: {text!r} is not a time of day")
    return hours * 60 + minutes + (1 if seconds else 0)


def _slots(raw: Sequence[object]) -> dict[int, Span]:
    """Slot id -> its wall-clock span; an end at or before the start is the next midnight."""
    slots: dict[int, Span] = {}
    for index, item in enumerate(raw):
        where = f"time_series[{index}]"
        if not isinstance(item, Mapping):
            raise ScheduleFormatError(f"{where}: expected an object, got {_kind(item)}")
        slot_id = _whole(item.get("id"))
        if slot_id is None:
            raise ScheduleFormatError(f"{where}: needs a whole 'id'")
        start = _clock_minute(item.get("start"), f"{where}.start")
        end = _clock_minute(item.get("end"), f"{where}.end")
        if end <= start and end == 0:
            end = MINUTES_PER_DAY
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise ScheduleFormatError(f"{where}: {item.get('start')}..{item.get('end')} is empty")
        slots[slot_id] = Span(start, end)
    return slots


def _instant(value: object, where: str, zone: ZoneInfo) -> datetime:
    """An ISO time (one without offset is Kyiv's wall clock) or a Unix time (s or ms)."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ScheduleFormatError(f"{where}: {value!r} is not an ISO time") from None
        return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment
    if _whole(value) is not None:
        stamp = parse_stamp(value)  # seconds or milliseconds
        if stamp is None:
            raise ScheduleFormatError(f"{where}: {value!r} is not a plausible Unix time")
        return stamp
    raise ScheduleFormatError(f"{where}: expected a time, got {_kind(value)}")


def _period_date(period: Mapping[str, object], where: str, zone: ZoneInfo) -> date:
    """The Kyiv date a period covers: the local date of its ``from``."""
    start = _instant(period.get("from"), f"{where}.from", zone)
    end = _instant(period.get("to"), f"{where}.to", zone)
    try:
        ordered, day = start < end, start.astimezone(zone).date()
    except (OverflowError, ValueError) as exc:  # year 1 with a positive offset, and the like
        raise ScheduleFormatError(f"{where}: {exc}") from None
    if not ordered:
        raise ScheduleFormatError(f"{where}: 'to' is not after 'from'")
    return day


class _Day:
    """The strongest type seen per queue id and slot id of one date."""

    __slots__ = ("types",)

    def __init__(self) -> None:
        self.types: dict[int, dict[int, str]] = {}

    def add(self, queue_id: int, slot_id: int, kind: str) -> None:
        slots = self.types.setdefault(queue_id, {})
        old = slots.get(slot_id)
        if old is None or _STRENGTH.get(kind, 0) > _STRENGTH.get(old, 0):
            slots[slot_id] = kind


def _read_series(series: object, where: str, day: _Day, queues: Mapping[int, str]) -> None:
    if not isinstance(series, list):
        raise ScheduleFormatError(f"{where}.series: expected a list, got {_kind(series)}")
    for index, entry in enumerate(series):
        if not isinstance(entry, Mapping):
            raise ScheduleFormatError(f"{where}.series[{index}]: expected an object")
        queue_id = _whole(entry.get("outage_queue_id"))
        slot_id = _whole(entry.get("time_series_id"))
        if queue_id is None or slot_id is None:
            raise ScheduleFormatError(
                f"{where}.series[{index}]: needs whole 'outage_queue_id' and 'time_series_id'"
            )
        if queue_id not in queues:  # a city or district queue, not a sub-queue
            continue
        kind = entry.get("type")
        day.add(queue_id, slot_id, kind if kind in _KNOWN_TYPES else repr(kind)[:_VALUE_SHOWN])


def _day_schedule(
    on: date, types: Mapping[int, str], slots: Mapping[int, Span], problems: Counter[str]
) -> DaySchedule:
    """One queue's day from its slots' types. A slot of an unknown type is unreadable (the
    day is kept); it and an unknown slot id are counted in ``problems``."""
    outages: list[Span] = []
    possible: list[Span] = []
    unreadable: list[Span] = []
    emergency = False
    for slot_id, kind in types.items():
        span = slots.get(slot_id)
        if span is None:
            problems[f"slot id {slot_id}"] += 1
        elif kind == POSSIBLE_OUTAGE:
            possible.append(span)
        elif kind in (OUTAGE, EMERGENCY_OUTAGE):
            outages.append(span)
            emergency = emergency or kind == EMERGENCY_OUTAGE
        else:
            unreadable.append(span)
            problems[f"type {kind}"] += 1
    return DaySchedule(
        on,
        DayState.EMERGENCY if emergency else DayState.PUBLISHED,
        merge_spans(outages),
        merge_spans(possible),
        unreadable=merge_spans(unreadable),
    )


def parse_mykolaiv(doc: object, *, region: str, tz: str = "Europe/Kyiv") -> RegionSnapshot:
    """Normalize one Mykolaiv bundle; raise ScheduleFormatError on a wrong shape."""
    if not isinstance(doc, Mapping):
        raise ScheduleFormatError(f"expected a JSON object, got {_kind(doc)}")
    zone = ZoneInfo(tz)
    queues = _queues(_list(doc, "queues"))
    slots = _slots(_list(doc, "time_series"))
    warnings: list[str] = []
    days: dict[date, _Day] = {}
    for index, period in enumerate(_list(doc, "active")):
        where = f"active[{index}]"
        if not isinstance(period, Mapping):
            raise ScheduleFormatError(f"{where}: expected an object, got {_kind(period)}")
        on = _period_date(period, where, zone)
        if on in days:
            warnings.append(f"{where}: a second period for {on.isoformat()}; slots merged")
        _read_series(period.get("series"), where, days.setdefault(on, _Day()), queues)

    by_queue: dict[str, QueueSchedule] = {}
    unknown: list[UnreadableValue] = []
    for queue_id, queue in sorted(queues.items(), key=lambda item: queue_sort_key(item[1])):
        schedule = []
        for on in sorted(days):
            problems: Counter[str] = Counter()
            schedule.append(_day_schedule(on, days[on].types.get(queue_id, {}), slots, problems))
            for what, count in problems.items():
                warnings.append(f"queue {queue} {on}: unknown {what} in {count} slot(s)")
                if what.startswith("type "):
                    unknown.append(UnreadableValue("slot_type", queue, on, what[5:]))
        by_queue[queue] = QueueSchedule(queue, None, tuple(schedule))
    return RegionSnapshot(
        region=region,
        tz=tz,
        queues=by_queue,
        today=min(days) if days else None,
        warnings=tuple(warnings),
        unreadable=tuple(unknown),
    )
