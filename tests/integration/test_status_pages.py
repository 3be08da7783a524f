"""The public status pages over HTTP: the region list, a region's queues, a queue's page with
its chart, Open Graph tags and image, escaping of feed text, ETag/304, 404s, English."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from importlib import resources
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.domain.catalogue import parse_catalogue
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot, Span
from esvitlo.ports import RegionCheck
from esvitlo.services.public_schedules import PublicSchedules
from esvitlo.services.schedule_board import ScheduleBoard
from esvitlo.web import build_public_app
from esvitlo.web.status_pages import StatusPages

from step_clock import StepClock

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 12, 6, 8, 30, tzinfo=UTC)  # 10:30 in Kyiv
TODAY = date(2026, 12, 6)
FEED_NAME = '<script>alert("x")</script> Черга'


def kyiv_check() -> RegionCheck:
    days = (
        DaySchedule(TODAY, DayState.PUBLISHED, (Span(720, 900), Span(1260, 1440))),
        DaySchedule(date(2026, 12, 7), DayState.PUBLISHED, (Span(0, 120),)),
    )
    queues = {
        "3.1": QueueSchedule("3.1", FEED_NAME, days),
        "10.2": QueueSchedule("10.2", None, (DaySchedule(TODAY, DayState.EMERGENCY),)),
    }
    snapshot = RegionSnapshot(
        "kyiv", "Europe/Kyiv", queues, data_updated_at=NOW, fetched_at=NOW, checked_at=NOW
    )
    return RegionCheck("kyiv", snapshot, {}, fetch_failed=False, source_url="")


async def never_fetched(region: str) -> RegionCheck:
    raise RuntimeError("no source in this test")


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    text = resources.files("esvitlo").joinpath("data/regions.toml").read_text("utf-8")
    clock = StepClock(NOW)
    board = ScheduleBoard(never_fetched, clock=clock)
    await board.region_checked(kyiv_check())
    schedules = PublicSchedules(parse_catalogue(text), board, clock, ScheduleChart())
    pages = StatusPages(schedules, base_url="https://svitlo.example/")
    async with TestClient(TestServer(build_public_app(status_pages=pages))) as test_client:
        yield test_client


def meta(html: str, prop: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    assert found, prop
    return found.group(1)


async def test_the_region_list_names_every_region_and_those_without_a_schedule(client):
    response = await client.get("/")
    html = await response.text()
    assert response.status == 200 and response.content_type == "text/html"
    assert '<html lang="uk">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert html.count("<li>") == 25
    assert '<a href="/r/kyiv">Київ</a>' in html
    assert "Волинська область <span" in html and "не публікує графік" in html
    assert response.headers["Cache-Control"].startswith("public")

    english = await (await client.get("/?lang=en")).text()
    assert '<html lang="en">' in english and '<a href="/r/kyiv?lang=en">' in english
    assert "Volyn region <span" in english and "publishes no schedule" in english


async def test_a_region_page_lists_its_queues_in_order_with_escaped_names(client):
    html = await (await client.get("/r/kyiv")).text()
    assert html.index('href="/r/kyiv/3.1"') < html.index('href="/r/kyiv/10.2"')
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html

    volyn = await (await client.get("/r/volyn")).text()
    assert "не публікує графік відключень" in volyn and 'href="/r/volyn/' not in volyn


async def test_a_queue_page_works_without_javascript_and_escapes_feed_text(client):
    response = await client.get("/r/kyiv/3.1")
    html = await response.text()
    assert response.status == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Черга" in html
    no_js = re.sub(r"<script>.*?</script>", "", html, flags=re.S)
    assert "Зараз світло є (за графіком)" in no_js
    assert "Наступне відключення: 12:00" in no_js and "через 1 год 30 хв" in no_js
    assert 'datetime="2026-12-06T10:00:00+00:00"' in no_js
    assert "12:00–15:00 (3 год)" in no_js and "21:00–24:00 (3 год)" in no_js
    assert "триває після півночі" in no_js and "Загалом без світла: 6 год" in no_js
    assert "Дані актуальні" in no_js
    assert no_js.count("<svg") == 1 and 'class="outage"' in no_js
    assert response.headers["X-Schedule-Version"] in html


async def test_a_queue_page_has_open_graph_tags_with_the_schedule_image(client):
    html = await (await client.get("/r/kyiv/3.1?lang=en")).text()
    assert meta(html, "og:url") == "https://svitlo.example/r/kyiv/3.1?lang=en"
    image = meta(html, "og:image")
    assert image == "https://svitlo.example/r/kyiv/3.1.png?lang=en"
    assert meta(html, "og:title").startswith("Kyiv · ")
    assert "the outage schedule for today and tomorrow" in meta(html, "og:description")

    response = await client.get("/r/kyiv/3.1.png?lang=en")
    body = await response.read()
    assert response.status == 200 and response.content_type == "image/png"
    assert body.startswith(b"\x89PNG")
    assert "max-age" in response.headers["Cache-Control"]
    again = await client.get(
        "/r/kyiv/3.1.png?lang=en", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status == 304


async def test_a_queue_written_as_the_feed_writes_it_links_to_its_canonical_page(client):
    html = await (await client.get("/r/kyiv/GPV3-1")).text()
    assert meta(html, "og:url") == "https://svitlo.example/r/kyiv/3.1"
    assert meta(html, "og:image") == "https://svitlo.example/r/kyiv/3.1.png"


async def test_an_unchanged_page_is_answered_304(client):
    first = await client.get("/r/kyiv/3.1")
    etag = first.headers["ETag"]
    second = await client.get("/r/kyiv/3.1", headers={"If-None-Match": etag})
    assert second.status == 304 and await second.read() == b""
    assert second.headers["ETag"] == etag


async def test_an_emergency_queue_says_so(client):
    html = await (await client.get("/r/kyiv/10.2?lang=en")).text()
    assert "Emergency outages are in force: the schedule does not apply" in html
    assert 'data-state="emergency"' in html


@pytest.mark.parametrize(
    "path",
    ["/r/atlantis", "/r/kyiv/99.9", "/r/volyn/1.1", "/r/atlantis/1.1.png", "/r/kyiv/99.9.png"],
)
async def test_unknown_regions_and_queues_are_404(client, path):
    response = await client.get(path)
    assert response.status == 404
    assert "Сторінку не знайдено" in await response.text()


async def test_the_pages_do_not_shadow_the_other_public_routes(client):
    assert (await client.get("/health")).status == 200
    assert (await client.get("/metrics")).status == 404
