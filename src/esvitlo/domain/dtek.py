"""Parser for DTEK ``fact`` / ``preset`` documents (outage-data-ua and OE_OUTAGE_DATA).

Hour key ``h`` is the local wall-clock hour ``[h-1:00, h:00)``; ``first`` / ``second`` are
its halves. Days are keyed by the Unix time of local midnight and identified here by their
local date, never by their position in the document.
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
    normalize_queue,
    parse_iso_utc,
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


class _Masks:
    """Half-hour outage and possible-outage cells of one (queue, day)."""

    __slots__ = ("outage", "possible", "unknown")

    def __init__(self) -> None:
        self.outage = [False] * 48
        self.possible = [False] * 48
        self.unknown = False


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
            masks.unknown = True
            warnings.append(f"{where} hour {key}: unknown code {code!r} ignored")
            continue
        layer[first] = layer[first] or halves[0]
        layer[first + 1] = layer[first + 1] or halves[1]
    return masks


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _day_date(key: object, zone: ZoneInfo) -> date:
    try:
        stamp = int(str(key))
        return datetime.fromtimestamp(stamp, zone).date()
    except (ValueError, OverflowError, OSError) as exc:
        raise ScheduleFormatError(f"fact.data: day key {key!r} is not a Unix time") from exc


def _parse_update(text: object, zone: ZoneInfo, warnings: list[str]) -> datetime | None:
    if text is None or text == "":
        return None
    try:
        local = datetime.strptime(str(text), "%d.%m.%Y %H:%M")
        return local.replace(tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        warnings.append(f"fact.update {text!r} is not dd.mm.yyyy HH:MM; ignored")
        return None


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

    masks: dict[str, dict[date, _Masks]] = {}
    for day, groups in days.items():
        if not isinstance(groups, Mapping):
            raise ScheduleFormatError(f"fact.data[{day}]: expected an object of groups")
        for group, hours in groups.items():
            where = f"fact.data[{day}].{group}"
            masks.setdefault(normalize_queue(str(group)), {})[day] = _read_hours(
                hours, where, warnings
            )
    pending = {
        day
        for day in days
        if today is not None
        and day > today
        and all(not any(m[day].outage) and not m[day].unknown for m in masks.values() if day in m)
    }
    possible = _possible_layers(weeks, days, warnings)
    names = _names(preset)
    queues: dict[str, QueueSchedule] = {}
    known = set(masks) | {normalize_queue(str(group)) for group in weeks}
    for queue in sorted(known, key=queue_sort_key):
        by_day = masks.get(queue, {})
        schedule_days = []
        for day, cell in by_day.items():
            weekly = possible.get(queue, {}).get(day)
            possible_mask = [
                a or b for a, b in zip(cell.possible, weekly or cell.possible, strict=True)
            ]
            schedule_days.append(
                DaySchedule(
                    date=day,
                    state=DayState.PENDING if day in pending else DayState.PUBLISHED,
                    outages=spans_from_mask(cell.outage, HALF_HOUR),
                    possible=spans_from_mask(possible_mask, HALF_HOUR),
                )
            )
        queues[queue] = QueueSchedule(queue, names.get(queue), tuple(schedule_days))

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
        fetched_at=parse_iso_utc(doc.get("lastUpdated")),
        checked_at=parse_iso_utc(status.get("at")) if isinstance(status, Mapping) else None,
        today=today,
        warnings=tuple(warnings),
    )


def _possible_layers(
    weeks: Mapping[str, object], days: Mapping[date, object], warnings: list[str]
) -> dict[str, dict[date, list[bool]]]:
    """Possible-outage masks from the weekly preset for each day present in ``fact``."""
    layers: dict[str, dict[date, list[bool]]] = {}
    for group, week in weeks.items():
        if not isinstance(week, Mapping):
            warnings.append(f"preset.data.{group}: not an object; ignored")
            continue
        queue = normalize_queue(str(group))
        for day in days:
            hours = week.get(str(day.isoweekday()))
            if hours is None:
                continue
            try:
                cell = _read_hours(hours, f"preset.data.{group}[{day.isoweekday()}]", warnings)
            except ScheduleFormatError as exc:
                warnings.append(f"{exc}; ignored")
                continue
            layers.setdefault(queue, {})[day] = cell.possible
    return layers
