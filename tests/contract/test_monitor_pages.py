"""A monitor's read-only page over HTTP on SQLite and PostgreSQL: found by its own secret
link (made once per database, so every instance gives the same link), never by the
heartbeat secret, its link useless for heartbeats, and retired with a new heartbeat link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sql_backends import StepClock

from esvitlo.adapters.power_chart import PowerWeekChart
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.domain.catalogue import Region
from esvitlo.domain.monitors import Monitor, MonitorKind, hash_secret
from esvitlo.domain.power import Power, PowerState
from esvitlo.services.monitor_pages import KEY_FLAG, MonitorPages
from esvitlo.web import build_public_app

REGIONS = (Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ()),)
HEARTBEAT = "h" * 32


def _pages(storage: SqlStorage, clock: StepClock) -> MonitorPages:
    return MonitorPages(
        storage.app_flags, storage.monitors, storage.subscriptions, storage.schedules,
        PowerWeekChart(), clock, regions=REGIONS,
    )  # fmt: skip


async def _heartbeat_monitor(storage: SqlStorage) -> Monitor:
    user = await storage.users.get_or_create(6001, "uk")
    home = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім <b>")
    monitor = await storage.monitors.add(
        user.id, home.id, MonitorKind.HEARTBEAT, "", hash_secret(HEARTBEAT), timedelta(seconds=60)
    )
    assert await storage.monitors.by_id(monitor.id) == monitor
    assert await storage.monitors.by_id(monitor.id + 1000) is None
    return monitor


@pytest.fixture
async def client(storage: SqlStorage, clock: StepClock) -> AsyncIterator[TestClient]:
    beats: list[str] = []

    async def beat(secret: str) -> bool:
        beats.append(secret)
        return secret == HEARTBEAT

    app = build_public_app(heartbeat=beat, monitor_pages=_pages(storage, clock))
    test_client = TestClient(TestServer(app))
    await test_client.start_server()
    yield test_client
    await test_client.close()


async def test_the_page_by_its_own_link_shows_the_state_and_the_week(
    storage: SqlStorage, clock: StepClock, client: TestClient
) -> None:
    monitor = await _heartbeat_monitor(storage)
    on = PowerState(Power.ON, since=clock.now() - timedelta(hours=2), since_exact=True)
    assert await storage.power.save(monitor.id, 0, on)
    path = await _pages(storage, clock).path_of(monitor)
    assert await _pages(storage, clock).path_of(monitor) == path  # one key per database
    assert await storage.app_flags.get(KEY_FLAG) is not None

    page = await client.get(path)
    html = await page.text()
    assert page.status == 200, html
    assert page.headers["Cache-Control"] == "private, no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Світло є з" in html and "Дім &lt;b&gt;" in html and "Дім <b>" not in html
    chart = await client.get(f"{path}.png")
    assert chart.status == 200 and chart.content_type == "image/png"
    assert (await chart.read()).startswith(b"\x89PNG")
    assert "Power on since" in await (await client.get(f"{path}?lang=en")).text()


async def test_neither_secret_opens_the_other_door(
    storage: SqlStorage, clock: StepClock, client: TestClient
) -> None:
    monitor = await _heartbeat_monitor(storage)
    path = await _pages(storage, clock).path_of(monitor)
    token = path.removeprefix("/m/")
    assert (await client.get(f"/hb/{token}")).status == 404  # a reader cannot beat
    assert (await client.get(f"/m/{HEARTBEAT}")).status == 404
    assert (await client.get(f"/m/{monitor.id}.{'A' * 22}")).status == 404

    await storage.monitors.replace_secret(monitor.id, monitor.user_id, hash_secret("n" * 32))
    assert (await client.get(path)).status == 404  # a new heartbeat link retires the page's
    renewed = await storage.monitors.by_id(monitor.id)
    assert renewed is not None
    assert (await client.get(await _pages(storage, clock).path_of(renewed))).status == 200
