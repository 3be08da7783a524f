"""Parser for the YASNO planned-outages JSON (slots in minutes from local midnight).

A day in ``WaitingForSchedule`` is not published yet: the slots it already carries are kept
as possible outages, never as definite ones. ``EmergencyShutdowns`` means the schedule is
suspended by emergency cuts: the slots it still carries are the suspended plan, kept as
possible outages too, so that they neither show as definite times nor alert when they move.
A slot type we do not know keeps its day, the slot marked unreadable
(``DaySchedule.unreadable``, ``RegionSnapshot.unreadable``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

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

_STATES = {
    "ScheduleApplies": DayState.PUBLISHED,
    "NoOutages": DayState.PUBLISHED,
    "WaitingForSchedule": DayState.PENDING,
    "EmergencyShutdowns": DayState.EMERGENCY,
}
_OUTAGE_TYPES = frozenset({"Definite"})
_POSSIBLE_TYPES = frozenset({"Possible", "Maybe", "Probable"})
_ON_TYPES = frozenset({"NotPlanned"})
_VALUE_SHOWN = 40  # characters of an unknown type kept for the logs


def _slot_span(slot: object, where: str) -> tuple[Span, object]:
    if not isinstance(slot, Mapping):
        raise ScheduleFormatError(f"{where}: expected a slot object")
    start, end, kind = slot.get("start"), slot.get("end"), slot.get("type")
    if not (isinstance(start, int) and isinstance(end, int)) or bool in (type(start), type(end)):
        raise ScheduleFormatError(f"{where}: start and end must be whole minutes")
    if not 0 <= start < end <= MINUTES_PER_DAY:
        raise ScheduleFormatError(f"{where}: slot {start}..{end} is outside the day")
    return Span(start, end), kind


def _parse_day(
    raw: object, where: str, warnings: list[str], unknown: list[UnreadableValue], queue: str
) -> DaySchedule | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise ScheduleFormatError(f"{where}: expected an object")
    try:
        day = datetime.fromisoformat(str(raw.get("date"))).date()
    except ValueError as exc:
        raise ScheduleFormatError(f"{where}.date: {raw.get('date')!r} is not ISO-8601") from exc
    slots = raw.get("slots") or []
    if not isinstance(slots, list):
        raise ScheduleFormatError(f"{where}.slots: expected a list")
    status = str(raw.get("status"))
    state = _STATES.get(status)
    if state is None:
        warnings.append(f"{where}: unknown status {status!r}; treated as not yet published")
        state = DayState.PENDING
    outages: list[Span] = []
    possible: list[Span] = []
    unreadable: list[Span] = []
    for index, slot in enumerate(slots):
        span, kind = _slot_span(slot, f"{where}.slots[{index}]")
        name = kind if isinstance(kind, str) else ""  # lists / objects are unhashable
        if name in _OUTAGE_TYPES:
            (outages if state is DayState.PUBLISHED else possible).append(span)
        elif name in _POSSIBLE_TYPES:
            possible.append(span)
        elif name not in _ON_TYPES:
            unreadable.append(span)
            unknown.append(UnreadableValue("slot_type", queue, day, repr(kind)[:_VALUE_SHOWN]))
    return DaySchedule(
        day, state, merge_spans(outages), merge_spans(possible), merge_spans(unreadable)
    )


def parse_yasno(doc: object, *, region: str, tz: str = "Europe/Kyiv") -> RegionSnapshot:
    """Normalize one YASNO planned-outages response; raise ScheduleFormatError on bad shape."""
    if not isinstance(doc, Mapping) or not doc:
        raise ScheduleFormatError("expected a non-empty JSON object of groups")
    warnings: list[str] = []
    unknown: list[UnreadableValue] = []
    queues: dict[str, QueueSchedule] = {}
    updated = []
    today: date | None = None
    for group, body in doc.items():
        if not isinstance(body, Mapping):
            raise ScheduleFormatError(f"{group}: expected an object with today / tomorrow")
        queue = normalize_queue(str(group))
        days = []
        for key in ("today", "tomorrow"):
            day = _parse_day(body.get(key), f"{group}.{key}", warnings, unknown, queue)
            if day is not None:
                days.append(day)
                if key == "today":
                    today = day.date if today is None else min(today, day.date)
        stamp = parse_stamp(body.get("updatedOn"))
        if stamp is not None:
            updated.append(stamp)
        queues[queue] = QueueSchedule(queue, None, tuple(sorted(days, key=lambda d: d.date)))
    return RegionSnapshot(
        region=region,
        tz=tz,
        queues={q: queues[q] for q in sorted(queues, key=queue_sort_key)},
        data_updated_at=max(updated) if updated else None,
        today=today,
        warnings=tuple(warnings),
        unreadable=tuple(unknown),
    )
