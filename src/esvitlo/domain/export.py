"""Plain JSON view of a queue's schedule (what ``esvitlo schedule --json`` prints)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from esvitlo.domain.model import DataStatus, QueueSchedule, Span, span_instants


def _intervals(day: date, spans: Iterable[Span], zone: ZoneInfo) -> list[dict[str, str]]:
    out = []
    for span in spans:
        instants = span_instants(day, span, zone)
        if instants:
            start, end = (i.astimezone(zone).isoformat() for i in instants)
            out.append({"start": start, "end": end})
    return out


def queue_document(
    region: str, schedule: QueueSchedule, status: DataStatus, zone: ZoneInfo
) -> dict[str, Any]:
    """``{"region", "queue", "status", "days": [{date, published, outages, possible}]}``."""
    return {
        "region": region,
        "queue": schedule.queue,
        "status": status.value,
        "days": [
            {
                "date": day.date.isoformat(),
                "published": day.published,
                "outages": _intervals(day.date, day.outages, zone),
                "possible": _intervals(day.date, day.possible, zone),
            }
            for day in schedule.days
        ],
    }
