"""The JSON API's documents: offsets right on DST days, kinds per day state, power by
schedule now, one error shape, and an OpenAPI document that names exactly the routes and
whose required keys the documents have."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from esvitlo.domain.api_views import (
    MonitorStatus,
    SourceState,
    error_body,
    monitor_document,
    queues_document,
    regions_document,
    schedule_document,
)
from esvitlo.domain.calendar_feed import StoredDay
from esvitlo.domain.catalogue import Region
from esvitlo.domain.freshness import StaleReason
from esvitlo.domain.model import DataStatus, DaySchedule, DayState, Span
from esvitlo.web.api import ROUTES
from esvitlo.web.api_openapi import SCHEMAS, openapi_document

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", sources=())
WRITTEN = datetime(2026, 3, 28, 18, 0, tzinfo=UTC)


def day(on: date, *spans: tuple[int, int], state=DayState.PUBLISHED, possible=()) -> StoredDay:
    schedule = DaySchedule(
        on, state, tuple(Span(*s) for s in spans), tuple(Span(*s) for s in possible)
    )
    return StoredDay(schedule, 2, WRITTEN)


def spring_document(now: datetime) -> dict[str, Any]:
    days = [
        day(date(2026, 3, 29), (120, 300), (1200, 1320)),
        day(date(2026, 3, 30), state=DayState.PENDING, possible=((60, 120),)),
    ]
    source = SourceState(DataStatus.STALE, StaleReason.FETCH, WRITTEN, WRITTEN)
    return schedule_document(KYIV, "3.1", days, source, now)


def test_intervals_carry_the_offset_of_their_instant_on_the_spring_forward_day():
    doc = spring_document(datetime(2026, 3, 29, 12, 0, tzinfo=UTC))
    first, second = doc["days"][0]["intervals"]
    assert first == {
        "kind": "planned",
        "start": "2026-03-29T02:00:00+02:00",
        "end": "2026-03-29T05:00:00+03:00",
        "start_minute": 120,
        "end_minute": 300,
        "minutes": 120,
    }
    assert second["start"] == "2026-03-29T20:00:00+03:00"
    assert doc["days"][1]["intervals"][0]["kind"] == "possible"
    assert (doc["stale"], doc["stale_reason"], doc["status"]) == (True, "fetch", "stale")


def test_now_tells_power_by_schedule_and_the_next_change():
    off = spring_document(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))["now"]
    assert off["power"] == "off" and off["next_change"] == "2026-03-29T05:00:00+03:00"
    on = spring_document(datetime(2026, 3, 29, 12, 0, tzinfo=UTC))["now"]
    assert on["power"] == "on" and on["next_outage"]["start"] == "2026-03-29T20:00:00+03:00"


def test_emergency_day_intervals_and_power():
    emergency = day(date(2026, 5, 4), (600, 660), state=DayState.EMERGENCY)
    doc = schedule_document(
        KYIV, "3.1", [emergency], SourceState(), datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    )
    assert doc["days"][0]["intervals"][0]["kind"] == "emergency"
    assert doc["now"]["power"] == "emergency" and doc["status"] == "unknown" and doc["stale"]


def test_error_shape():
    assert error_body("not_found", "no") == {"error": {"code": "not_found", "message": "no"}}


def _required(schema: dict[str, Any], doc: Any) -> None:
    """Every required key of the schema is in the document, recursively through arrays."""
    if "$ref" in schema:
        _required(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]], doc)
        return
    if isinstance(doc, dict):
        assert set(schema.get("required", ())) <= doc.keys(), (schema.get("required"), doc)
        for key, sub in schema.get("properties", {}).items():
            if doc.get(key) is not None:
                _required(sub, doc[key])
    elif isinstance(doc, list) and "items" in schema:
        for item in doc:
            _required(schema["items"], item)


def test_openapi_names_exactly_the_routes_and_documents_have_the_required_keys():
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {path for path, _ in ROUTES}
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path
        assert "200" in item["get"]["responses"], path
    _required(SCHEMAS["Schedule"], spring_document(datetime(2026, 3, 29, 12, tzinfo=UTC)))
    _required(SCHEMAS["Regions"], regions_document([KYIV], "en"))
    _required(SCHEMAS["Queues"], queues_document(KYIV, [("3.1", None)]))
    status = MonitorStatus("heartbeat", "on", WRITTEN, "Дім", "kyiv", "3.1", WRITTEN)
    monitor = monitor_document(status, ZoneInfo("Europe/Kyiv"))
    _required(SCHEMAS["Monitor"], monitor)
    assert monitor["since"] == "2026-03-28T20:00:00+02:00"
