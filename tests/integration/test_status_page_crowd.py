"""The crowd on the public queue page: what the homes' monitors say now, shown only with at
least three users' monitors, in both languages, and a failing read never breaks the page."""

from __future__ import annotations

from importlib import resources

from aiohttp.test_utils import TestClient, TestServer
from test_status_pages import NOW, kyiv_check, never_fetched

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.domain.catalogue import parse_catalogue
from esvitlo.domain.crowd import QueueOthers
from esvitlo.services.public_schedules import PublicSchedules
from esvitlo.services.schedule_board import ScheduleBoard
from esvitlo.web import build_public_app
from esvitlo.web.status_pages import StatusPages

from step_clock import StepClock

CROWDS = {
    ("kyiv", "3.1"): QueueOthers(known=4, on=1, off=3),
    ("kyiv", "10.2"): QueueOthers(known=2, on=0, off=2),  # below the floor
}


async def crowd_of(region: str, queue: str) -> QueueOthers:
    return CROWDS[region, queue]


async def broken(region: str, queue: str) -> QueueOthers:
    raise ConnectionError("database gone")


async def pages_with(reader) -> TestClient:
    text = resources.files("esvitlo").joinpath("data/regions.toml").read_text("utf-8")
    clock = StepClock(NOW)
    board = ScheduleBoard(never_fetched, clock=clock)
    await board.region_checked(kyiv_check())
    schedules = PublicSchedules(parse_catalogue(text), board, clock, ScheduleChart())
    pages = StatusPages(schedules, crowd=reader)
    return TestClient(TestServer(build_public_app(status_pages=pages)))


async def test_the_queue_page_shows_the_crowd_above_the_privacy_floor_only():
    async with await pages_with(crowd_of) as client:
        html = await (await client.get("/r/kyiv/3.1")).text()
        assert 'id="crowd"' in html and "Монітори користувачів" in html
        assert "Зараз більшість домів цієї черги без світла." in html
        assert "щонайменше трьох" in html
        english = await (await client.get("/r/kyiv/3.1?lang=en")).text()
        assert "Most homes of this queue are without power now." in english
        few = await (await client.get("/r/kyiv/10.2")).text()
        assert 'id="crowd"' not in few and "Монітори користувачів" not in few


async def test_a_failing_crowd_read_leaves_the_page_without_the_line():
    async with await pages_with(broken) as client:
        response = await client.get("/r/kyiv/3.1")
        assert response.status == 200 and 'id="crowd"' not in await response.text()
