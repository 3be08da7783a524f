"""Parser for DTEK ``fact`` / ``preset`` documents (outage-data-ua and OE_OUTAGE_DATA).

Hour key ``h`` is the local wall-clock hour ``[h-1:00, h:00)``; ``first`` / ``second`` are
its halves. Days are keyed by the Unix time of local midnight and identified here by their
local date, never by their position in the document. An hour value we do not know keeps its
day, the hour marked unreadable (``DaySchedule.unreadable``, ``RegionSnapshot.unreadable``).
A queue only the weekly template (``preset``) knows gets, for each day of ``fact``, a day not
yet published whose possible outages are the template's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from esvitlo.domain.model import (
    DaySchedule,
    DayState,
    QueueSchedule,
    RegionSnapshot,
    ScheduleFormatError,
    Span,
    UnreadableValue,
    normalize_queue,
    parse_stamp,
    queue_sort_key,
    spans_from_mask,
)

HALF_HOUR = 30
_HOURS = tuple(str(h) for h in range(1, 25))

# code -> (first half, second half) for the fact layer and for the possible layer
_FACT_CODES: dict[str, tuple[bool, bool]] = {
    "yes": (False, False),
    "no": (True, True),
    "first": (True, False),
    "second": (False, True),
}
_POSSIBLE_CODES: dict[str, tuple[bool, bool]] = {
    "maybe": (True, True),
    "mfirst": (True, False),
    "msecond": (False, True),
}


_VALUE_SHOWN = 40  # characters of an unknown value kept for the logs


class _Masks:
    """Half-hour outage, possible-outage and unreadable cells of one (queue, day), and the
    unknown values that made the unreadable ones."""

    __slots__ = ("outage", "possible", "unknown", "unreadable")

    def __init__(self) -> None:
        self.outage = [False] * 48
        self.possible = [False] * 48
        self.unreadable = [False] * 48
        self.unknown: list[str] = []


def _read_hours(hours: object, where: str, warnings: list[str]) -> _Masks:
    if not isinstance(hours, Mapping):
        raise ScheduleFormatError(f"{where}: expected an object of hours, got {_kind(hours)}")
    masks = _Masks()
    for key, code in hours.items():
        if key not in _HOURS:
            warnings.append(f"{where}: unexpected hour key {key!r} ignored")
            continue
        first = (int(key) - 1) * 2
        name = code if isinstance(code, str) else ""  # lists / objects are unhashable
        if name in _FACT_CODES:
            layer, halves = masks.outage, _FACT_CODES[name]
        elif name in _POSSIBLE_CODES:
            layer, halves = masks.possible, _POSSIBLE_CODES[name]
        else:
            layer, halves = masks.unreadable, (True, True)
            masks.unknown.append(repr(code)[:_VALUE_SHOWN])
        layer[first] = layer[first] or halves[0]
        layer[first + 1] = layer[first + 1] or halves[1]
    return masks


def _unreadable(queue: str, day: date | None, cell: _Masks) -> list[UnreadableValue]:
    return [UnreadableValue("hour_value", queue, day, value) for value in cell.unknown]


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _day_date(key: object, zone: ZoneInfo) -> date:
    try:
        stamp = int(str(key))
        return datetime.fromtimestamp(stamp, zone).date()
    except (ValueError, OverflowError, OSError) as exc:
        raise ScheduleFormatError(f"fact.data: day key {key!r} is not a Unix time") from exc


def _parse_update(text: object, zone: ZoneInfo, warnings: list[str]) -> datetime | None:
    """``fact.update``: local ``dd.mm.yyyy HH:MM``, or a Unix time as other stamps may be."""
    if text is None or text == "":
        return None
    try:
        local = datetime.strptime(str(text), "%d.%m.%Y %H:%M")
        return local.replace(tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        stamp = parse_stamp(text)
        if stamp is None:
            warnings.append(f"fact.update {text!r} is not dd.mm.yyyy HH:MM; ignored")
        return stamp


def _fact_days(fact: Mapping[str, object], zone: ZoneInfo) -> dict[date, object]:
    data = fact.get("data")
    if isinstance(data, list):
        if data:
            raise ScheduleFormatError("fact.data: expected an object of days or []")
        return {}
    if not isinstance(data, Mapping):
        raise ScheduleFormatError(f"fact.data: expected an object of days, got {_kind(data)}")
    days: dict[date, object] = {}
    for key, groups in data.items():
        days[_day_date(key, zone)] = groups
    return dict(sorted(days.items()))


def _preset_weeks(preset: object, warnings: list[str]) -> Mapping[str, object]:
    if not isinstance(preset, Mapping):
        return {}
    weeks = preset.get("data")
    if weeks is None:
        return {}
    if not isinstance(weeks, Mapping):
        warnings.append("preset.data is not an object; possible outages ignored")
        return {}
    return weeks


def _names(preset: object) -> dict[str, str]:
    if not isinstance(preset, Mapping):
        return {}
    names = preset.get("sch_names")
    if not isinstance(names, Mapping):
        return {}
    return {normalize_queue(str(k)): str(v) for k, v in names.items() if isinstance(v, str)}


def _today(fact: Mapping[str, object], days: Mapping[date, object], zone: ZoneInfo) -> date | None:
    stamp = fact.get("today")
    if isinstance(stamp, int | str) and not isinstance(stamp, bool):
        try:
            return _day_date(stamp, zone)
        except ScheduleFormatError:
            pass
    return min(days) if days else None


def parse_dtek(doc: object, *, region: str, tz: str = "Europe/Kyiv") -> RegionSnapshot:
    """Normalize one DTEK-format document; raise ScheduleFormatError on a wrong shape."""
    if not isinstance(doc, Mapping):
        raise ScheduleFormatError(f"expected a JSON object, got {_kind(doc)}")
    fact = doc.get("fact")
    if not isinstance(fact, Mapping):
        raise ScheduleFormatError(f"fact: expected an object, got {_kind(fact)}")
    zone = ZoneInfo(tz)
    warnings: list[str] = []
    days = _fact_days(fact, zone)
    preset = doc.get("preset")
    weeks = _preset_weeks(preset, warnings)
    today = _today(fact, days, zone)
    masks = _fact_masks(days, warnings)
    pending = {
        day
        for day in days
        if today is not None
        and day > today
        and all(not any(m[day].outage) and not m[day].unknown for m in masks.values() if day in m)
    }
    templates, unreadable = _template_cells(weeks, days, warnings)
    names = _names(preset)
    queues: dict[str, QueueSchedule] = {}
    known = set(masks) | {normalize_queue(str(group)) for group in weeks}
    for queue in sorted(known, key=queue_sort_key):
        template = templates.get(queue, {})
        if queue in masks:
            cells = masks[queue]
            schedule_days = tuple(
                _fact_day(day, cell, template.get(day), pending=day in pending)
                for day, cell in cells.items()
            )
            unreadable += [v for day, cell in cells.items() for v in _unreadable(queue, day, cell)]
        else:  # only the weekly template knows this queue
            schedule_days = tuple(_template_day(day, cell) for day, cell in template.items())
        queues[queue] = QueueSchedule(queue, names.get(queue), schedule_days)

    status = doc.get("lastUpdateStatus")
    source_ok, message = True, None
    if isinstance(status, Mapping) and status.get("status") == "error":
        source_ok = False
        message = str(status.get("message") or f"source error {status.get('code')}")
    return RegionSnapshot(
        region=region,
        tz=tz,
        queues=queues,
        source_ok=source_ok,
        source_message=message,
        data_updated_at=_parse_update(fact.get("update"), zone, warnings),
        fetched_at=parse_stamp(doc.get("lastUpdated")),
        checked_at=parse_stamp(status.get("at")) if isinstance(status, Mapping) else None,
        today=today,
        warnings=tuple(warnings),
        unreadable=tuple(unreadable),
    )


def _fact_masks(days: Mapping[date, object], warnings: list[str]) -> dict[str, dict[date, _Masks]]:
    """Each queue's cells per day of ``fact``."""
    masks: dict[str, dict[date, _Masks]] = {}
    for day, groups in days.items():
        if not isinstance(groups, Mapping):
            raise ScheduleFormatError(f"fact.data[{day}]: expected an object of groups")
        for group, hours in groups.items():
            where = f"fact.data[{day}].{group}"
            masks.setdefault(normalize_queue(str(group)), {})[day] = _read_hours(
                hours, where, warnings
            )
    return masks


def _fact_day(day: date, cell: _Masks, weekly: _Masks | None, *, pending: bool) -> DaySchedule:
    """A day of ``fact``, its possible outages joined with the weekly template's."""
    possible = cell.possible
    if weekly is not None:
        possible = [a or b for a, b in zip(cell.possible, weekly.possible, strict=True)]
    return DaySchedule(
        date=day,
        state=DayState.PENDING if pending else DayState.PUBLISHED,
        outages=spans_from_mask(cell.outage, HALF_HOUR),
        possible=spans_from_mask(possible, HALF_HOUR),
        unreadable=_unreadable_spans(cell),
    )


def _template_day(day: date, weekly: _Masks) -> DaySchedule:
    """A day of a queue ``fact`` does not have: not published, the template's possible
    outages (and the template's unknown hours as unreadable)."""
    return DaySchedule(
        date=day,
        state=DayState.PENDING,
        possible=spans_from_mask(weekly.possible, HALF_HOUR),
        unreadable=_unreadable_spans(weekly),
    )


def _unreadable_spans(cell: _Masks) -> tuple[Span, ...]:
    """The unreadable spans (rare: skip the scan when the cell had no unknown value)."""
    return spans_from_mask(cell.unreadable, HALF_HOUR) if cell.unknown else ()


def _template_cells(
    weeks: Mapping[str, object], days: Mapping[date, object], warnings: list[str]
) -> tuple[dict[str, dict[date, _Masks]], list[UnreadableValue]]:
    """The weekly preset's cells for each day present in ``fact``, per queue, and the unknown
    values it holds (each weekday read once, so a value is told once, without a date)."""
    layers: dict[str, dict[date, _Masks]] = {}
    unreadable: list[UnreadableValue] = []
    for group, week in weeks.items():
        if not isinstance(week, Mapping):
            warnings.append(f"preset.data.{group}: not an object; ignored")
            continue
        queue = normalize_queue(str(group))
        read: dict[int, _Masks | None] = {}
        for day in days:
            weekday = day.isoweekday()
            if weekday not in read:
                read[weekday] = _weekday_cell(week, str(group), weekday, warnings)
                unreadable += _unreadable(queue, None, read[weekday] or _Masks())
            cell = read[weekday]
            if cell is not None:
                layers.setdefault(queue, {})[day] = cell
    return layers, unreadable


def _weekday_cell(
    week: Mapping[str, object], group: str, weekday: int, warnings: list[str]
) -> _Masks | None:
    """One weekday of a queue's template; None when absent or not an object of hours."""
    hours = week.get(str(weekday))
    if hours is None:
        return None
    try:
        return _read_hours(hours, f"preset.data.{group}[{weekday}]", warnings)
    except ScheduleFormatError as exc:
        warnings.append(f"{exc}; ignored")
        return None
