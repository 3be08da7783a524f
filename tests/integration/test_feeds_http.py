"""Calendars and the JSON API over HTTP against a real SQLite database: ICS headers, ETag and
304, a changed day's event keeping its UID with a higher SEQUENCE, 503 (never an empty
calendar) before a region is stored, the private link and its revocation; the API's
documents, errors, CORS, 304 and its rate limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar

from esvitlo.adapters.sql.calendar_feeds import (
    SqlCalendarLinks,
    SqlMonitorStates,
    SqlScheduleArchive,
)
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.services.public_feeds import (
    CalendarFeeds,
    FeedSchedules,
    MonitorLookup,
    StoredSchedules,
)
from esvitlo.web import build_public_app
from esvitlo.web.api import ApiDeps

from step_clock import START, StepClock

TODAY = date(2025, 11, 9)
REGIONS = (
    Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", (Source("dtek", "http://127.0.0.1:9/k"),)),
    Region("dnipro", "Дніпро", "Dnipro", "Europe/Kyiv", (Source("dtek", "http://127.0.0.1:9/d"),)),
    Region("lviv", "Львів", "Lviv", "Europe/Kyiv", ()),  # no public schedule
)


@dataclass
class Rig:
    client: TestClient
    storage: SqlStorage
    clock: StepClock
    calendars: CalendarFeeds


async def _rig(tmp_path: Path, rate_limit: int) -> AsyncIterator[Rig]:
    clock = StepClock(START)
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'feeds.db'}", clock)
    await upgrade_engine(storage.engine)
    stored = StoredSchedules(SqlScheduleArchive(storage.engine), clock)
    schedules = FeedSchedules(REGIONS, stored, clock)
    calendars = CalendarFeeds(schedules, SqlCalendarLinks(storage.engine, clock))
    api = ApiDeps(schedules, MonitorLookup(SqlMonitorStates(storage.engine)), clock, rate_limit)
    app: web.Application = build_public_app(calendars=calendars, api=api)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield Rig(client, storage, clock, calendars)
    finally:
        await client.close()
        await storage.close()


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    async for item in _rig(tmp_path, rate_limit=1000):
        yield item


async def store(rig: Rig, *spans: tuple[int, int]) -> None:
    day = DaySchedule(TODAY, DayState.PUBLISHED, tuple(Span(a, b) for a, b in spans))
    await rig.storage.schedules.save("kyiv", {"3.1": {TODAY: day}})
    rig.clock.advance(seconds=11)  # past the feeds' read-through copy


async def test_public_calendar_headers_etag_and_a_changed_event(rig: Rig):
    await store(rig, (600, 720))
    first = await rig.client.get("/calendar/kyiv/GPV3.1.ics?lang=en")
    assert first.status == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert "Last-Modified" in first.headers
    etag = first.headers["ETag"]
    [event] = Calendar.from_ical(await first.read()).walk("VEVENT")
    assert event.get("summary") == "Outage · queue 3.1"
    again = await rig.client.get("/calendar/kyiv/3.1.ics?lang=en", headers={"If-None-Match": etag})
    assert again.status == 304 and again.headers["ETag"] == etag
    await store(rig, (600, 780))
    changed = await rig.client.get(
        "/calendar/kyiv/3.1.ics?lang=en", headers={"If-None-Match": etag}
    )
    assert changed.status == 200 and changed.headers["ETag"] != etag
    [moved] = Calendar.from_ical(await changed.read()).walk("VEVENT")
    assert moved.get("uid") == event.get("uid") and moved.get("sequence") > event.get("sequence")


async def test_nothing_stored_is_503_never_an_empty_calendar_and_unknowns_are_404(rig: Rig):
    await store(rig, (600, 720))
    waiting = await rig.client.get("/calendar/dnipro/1.1.ics")
    assert waiting.status == 503 and waiting.headers["Retry-After"] == "60"
    for path in ("/calendar/kyiv/9.9.ics", "/calendar/nowhere/1.1.ics", "/calendar/kyiv/3.1"):
        assert (await rig.client.get(path)).status == 404, path
    assert (await rig.client.get("/calendar/kyiv/3.1.ics?kinds=bogus")).status == 400


async def test_private_calendar_by_its_link_until_revoked(rig: Rig):
    await store(rig, (600, 720))
    user = await rig.storage.users.get_or_create(5001, "uk")
    await rig.storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім <b>")
    await rig.storage.subscriptions.add(user.id, "kyiv", "3.1.", "Дача")  # not a stored queue
    secret = await rig.calendars.new_link(user.id)
    answer = await rig.client.get(f"/calendar/u/{secret}.ics")
    assert answer.status == 200 and answer.headers["Cache-Control"].startswith("private")
    cal = Calendar.from_ical(await answer.read())
    assert cal.get("x-wr-calname") == "Світло: мої адреси"
    [event] = cal.walk("VEVENT")
    assert event.get("summary") == "Відключення · Дім <b> (черга 3.1)"
    await rig.calendars.new_link(user.id)  # a new link: the old one stops working
    assert (await rig.client.get(f"/calendar/u/{secret}.ics")).status == 404
    assert await rig.calendars.revoke(user.id)


async def test_api_documents_cors_304_and_errors(rig: Rig):
    await store(rig, (600, 720))
    regions = await rig.client.get("/api/v1/regions?lang=en")
    assert regions.status == 200 and regions.headers["Access-Control-Allow-Origin"] == "*"
    assert [r["name"] for r in (await regions.json())["regions"]] == ["Kyiv", "Dnipro", "Lviv"]
    queues = await (await rig.client.get("/api/v1/regions/kyiv/queues")).json()
    assert queues == {"region": "kyiv", "queues": [{"id": "3.1", "name": None}]}
    schedule = await rig.client.get("/api/v1/regions/kyiv/queues/3.1/schedule")
    doc = await schedule.json()
    assert doc["days"][0]["intervals"][0]["start"] == "2025-11-09T10:00:00+02:00"
    assert doc["stale"] is True and doc["status"] == "unknown"  # no check on this instance yet
    tag = schedule.headers["ETag"]
    cached = await rig.client.get(
        "/api/v1/regions/kyiv/queues/3.1/schedule", headers={"If-None-Match": tag}
    )
    assert cached.status == 304
    missing = await rig.client.get("/api/v1/regions/kyiv/queues/9.9/schedule")
    assert missing.status == 404
    assert (await missing.json())["error"]["code"] == "not_found"
    nowhere = await rig.client.get("/api/v1/nothing")
    assert nowhere.status == 404 and set((await nowhere.json())["error"]) == {"code", "message"}
    assert (await (await rig.client.get("/api/v1/regions/lviv/queues")).json())["queues"] == []
    waiting = await rig.client.get("/api/v1/regions/dnipro/queues")
    assert waiting.status == 503 and waiting.headers["Retry-After"] == "60"
    preflight = await rig.client.options("/api/v1/regions")
    assert preflight.status == 204
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
    spec = await (await rig.client.get("/api/v1/openapi.json")).json()
    assert "/regions/{region}/queues/{queue}/schedule" in spec["paths"]


async def test_api_monitor_by_its_heartbeat_secret(rig: Rig):
    user = await rig.storage.users.get_or_create(5002, "uk")
    home = await rig.storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
    secret = "h" * 32
    await rig.storage.monitors.add(
        user.id, home.id, MonitorKind.HEARTBEAT, "", hash_secret(secret), timedelta(seconds=60)
    )
    found = await rig.client.get(f"/api/v1/monitors/{secret}")
    assert found.status == 200 and found.headers["Cache-Control"].startswith("private")
    assert (await found.json())["power"] == "unknown"
    assert (await rig.client.get(f"/api/v1/monitors/{'x' * 32}")).status == 404


async def test_api_rate_limit_answers_429_with_retry_after(tmp_path: Path):
    async for rig in _rig(tmp_path, rate_limit=3):
        for _ in range(3):
            assert (await rig.client.get("/api/v1/regions")).status == 200
        limited = await rig.client.get("/api/v1/regions")
        assert limited.status == 429 and int(limited.headers["Retry-After"]) == 60
        assert (await limited.json())["error"]["code"] == "rate_limited"
        rig.clock.advance(seconds=61)
        assert (await rig.client.get("/api/v1/regions")).status == 200


async def test_another_instance_serves_a_link_made_on_this_one(rig: Rig, tmp_path: Path):
    """Nothing lives in one process: a second app over the same database serves the link."""
    await store(rig, (600, 720))
    user = await rig.storage.users.get_or_create(5003, "en")
    await rig.storage.subscriptions.add(user.id, "kyiv", "3.1", "Home")
    secret = await rig.calendars.new_link(user.id)
    async for other in _rig(tmp_path, rate_limit=1000):
        answer = await other.client.get(f"/calendar/u/{secret}.ics")
        assert answer.status == 200
        [event] = Calendar.from_ical(await answer.read()).walk("VEVENT")
        assert event.get("summary") == "Outage · Home (queue 3.1)"


class CountingSchedules(FeedSchedules):
    """The real feed schedules, counting the documents asked for."""

    asked = 0

    async def queue(self, region_id: str, queue: str):  # type: ignore[no-untyped-def]
        self.asked += 1
        return await super().queue(region_id, queue)


async def test_a_poll_storm_of_one_queue_builds_its_schedule_document_once_a_while(
    tmp_path: Path,
):
    clock = StepClock(START)
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'storm.db'}", clock)
    await upgrade_engine(storage.engine)
    day = DaySchedule(TODAY, DayState.PUBLISHED, (Span(600, 720),))
    await storage.schedules.save("kyiv", {"3.1": {TODAY: day}})
    schedules = CountingSchedules(
        REGIONS, StoredSchedules(SqlScheduleArchive(storage.engine), clock), clock
    )
    api = ApiDeps(schedules, MonitorLookup(SqlMonitorStates(storage.engine)), clock, 0)
    client = TestClient(TestServer(build_public_app(api=api)))
    await client.start_server()
    try:
        path = "/api/v1/regions/kyiv/queues/3.1/schedule"
        bodies = [await (await client.get(path)).read() for _ in range(5)]
        assert schedules.asked == 1 and len(set(bodies)) == 1
        clock.advance(seconds=api.schedule_cache + 1)
        assert (await client.get(path)).status == 200 and schedules.asked == 2
    finally:
        await client.close()
        await storage.close()
