"""The JSON API's documents, built from catalogue, stored days and state (pure).

Times are ISO-8601 with the region's UTC offset of that instant (``+02:00`` in winter,
``+03:00`` in summer), so a client needs no zone database; wall-clock minutes of the day are
given too. The shapes are described in ``web/api_openapi.py`` (a test keeps them together).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from esvitlo.domain.calendar_feed import StoredDay
from esvitlo.domain.catalogue import Region
from esvitlo.domain.freshness import StaleReason
from esvitlo.domain.model import DataStatus, DaySchedule, DayState, Span, span_instants
from esvitlo.domain.timeline import Outage, build_timeline


@dataclass(frozen=True, slots=True)
class SourceState:
    """How fresh a region's data is, as far as this instance knows (``status`` None: no
    check of the region yet, since this instance started)."""

    status: DataStatus | None = None
    reason: StaleReason | None = None
    data_updated_at: datetime | None = None
    checked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MonitorStatus:
    """A monitor's state for its owner's scripts: kind, power, since when, address."""

    kind: str
    power: str  # on / off / unknown
    since: datetime | None
    label: str | None
    region: str | None
    queue: str | None
    last_beat_at: datetime | None = None


def error_body(code: str, message: str) -> dict[str, Any]:
    """The one shape of every API error: ``{"error": {"code", "message"}}``."""
    return {"error": {"code": code, "message": message}}


def _iso(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat() if moment is not None else None


def regions_document(regions: Iterable[Region], lang: str) -> dict[str, Any]:
    """``{"regions": [{id, name, name_uk, name_en, timezone, has_schedule}]}``."""
    return {
        "regions": [
            {
                "id": region.id,
                "name": region.name(lang),
                "name_uk": region.name_uk,
                "name_en": region.name_en,
                "timezone": region.tz,
                "has_schedule": region.has_schedule,
            }
            for region in regions
        ]
    }


def queues_document(region: Region, queues: Sequence[tuple[str, str | None]]) -> dict[str, Any]:
    """``{"region", "queues": [{id, name}]}`` in the feed's order."""
    return {
        "region": region.id,
        "queues": [{"id": queue, "name": name} for queue, name in queues],
    }


def _interval(day: DaySchedule, span: Span, kind: str, zone: ZoneInfo) -> dict[str, Any] | None:
    instants = span_instants(day.date, span, zone)
    if instants is None:
        return None
    start, end = instants
    return {
        "kind": kind,
        "start": _iso(start, zone),
        "end": _iso(end, zone),
        "start_minute": span.start,
        "end_minute": span.end,
        "minutes": int((end - start).total_seconds()) // 60,
    }


def _day_intervals(day: DaySchedule, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Outages as ``planned`` (or ``emergency`` on an emergency day); the weekly template's
    ``possible`` ones only while the day is not published."""
    if day.state is DayState.PENDING:
        pairs = [(span, "possible") for span in day.possible]
    else:
        kind = "emergency" if day.state is DayState.EMERGENCY else "planned"
        pairs = [(span, kind) for span in day.outages]
    return [item for span, kind in pairs if (item := _interval(day, span, kind, zone))]


def _outage(outage: Outage | None, zone: ZoneInfo) -> dict[str, Any] | None:
    if outage is None:
        return None
    return {
        "start": _iso(outage.start, zone),
        "end": _iso(outage.end, zone),
        "minutes": outage.minutes,
    }


def _now_part(days: Sequence[DaySchedule], zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    """Power by the schedule at ``now`` and the next change (what a Home Assistant sensor
    wants)."""
    timeline = build_timeline(days, zone, now)
    if not timeline.known:
        power = "unknown"
    elif timeline.emergency:
        power = "emergency"
    else:
        power = "on" if timeline.power_on else "off"
    upcoming = timeline.next_restoration or (
        timeline.next_outage.start if timeline.next_outage else None
    )
    return {  # no "now" in it: the document, and so its ETag, changes only when a value does
        "power": power,
        "current_outage": _outage(timeline.current_outage, zone),
        "next_outage": _outage(timeline.next_outage, zone),
        "next_change": _iso(upcoming, zone),
    }


def schedule_document(
    region: Region,
    queue: str,
    days: Sequence[StoredDay],
    source: SourceState,
    now: datetime,
) -> dict[str, Any]:
    """A queue's stored days with intervals, freshness and where it stands at ``now``."""
    zone = ZoneInfo(region.tz)
    status = source.status.value if source.status is not None else "unknown"
    return {
        "region": region.id,
        "queue": queue,
        "timezone": region.tz,
        "status": status,
        "stale": source.status is not DataStatus.FRESH,
        "stale_reason": source.reason.value if source.reason is not None else None,
        "source_updated_at": _iso(source.data_updated_at, zone),
        "checked_at": _iso(source.checked_at, zone),
        "now": _now_part([stored.day for stored in days], zone, now),
        "days": [
            {
                "date": stored.day.date.isoformat(),
                "state": stored.day.state.value,
                "revision": stored.revision,
                "updated_at": _iso(stored.updated_at, zone),
                "intervals": _day_intervals(stored.day, zone),
            }
            for stored in days
        ],
    }


def monitor_document(status: MonitorStatus, zone: ZoneInfo) -> dict[str, Any]:
    """``{"kind", "power", "since", "label", "region", "queue", "last_beat_at"}``."""
    return {
        "kind": status.kind,
        "power": status.power,
        "since": _iso(status.since, zone),
        "label": status.label,
        "region": status.region,
        "queue": status.queue,
        "last_beat_at": _iso(status.last_beat_at, zone),
    }
