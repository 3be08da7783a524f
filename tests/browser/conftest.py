"""Browser test fixtures: a running ``esvitlo run`` without a bot token, fed by a local
schedule server. The browser itself comes from the ``chromium`` plugin (tests/chromium.py)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from instance_cluster import Instance
from schedule_server import FixtureServer, Reply, kyiv_catalogue, shifted_fixture

A1227 = "outage-data-ua/kyiv/2025-11-20T1936_a1227.json"


@pytest.fixture
async def feed() -> AsyncIterator[FixtureServer]:
    """A local DTEK feed serving the Kyiv fixture with its days moved to today."""
    server = FixtureServer()
    await server.test_server.start_server()
    server.replies["kyiv.json"] = Reply(raw=shifted_fixture(A1227, kyiv_today()))
    yield server
    server.release.set()
    await server.test_server.close()


def kyiv_today() -> Any:
    return datetime.now(ZoneInfo("Europe/Kyiv")).date()


@pytest.fixture
async def service(feed: FixtureServer, tmp_path: Path) -> AsyncIterator[Instance]:
    """``esvitlo run`` with no bot token on SQLite, checking the feed every 0.3 s and its
    pages asking for changes every 0.5 s; running once the queue page answers 200."""
    env = {
        **os.environ,
        "ESVITLO_REGIONS_FILE": str(kyiv_catalogue(tmp_path, feed.url("kyiv.json"))),
        "ESVITLO_FETCH_ATTEMPTS": "1",
        "ESVITLO_FETCH_TIMEOUT": "2",
        "ESVITLO_POLL_INTERVAL": "0.3",
        "ESVITLO_PAGE_REFRESH": "0.5",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": "0",
        "METRICS_PORT": "0",
        "ESVITLO_LOG_FORMAT": "console",
    }
    env.pop("BOT_TOKEN", None)
    instance = Instance("browser", env)
    await instance.start()
    try:
        await _until_served(instance, "/r/kyiv/3.1")
        yield instance
    finally:
        await instance.stop()


async def _until_served(instance: Instance, path: str) -> None:
    async with asyncio.timeout(30), aiohttp.ClientSession() as session:
        while instance.port is None:
            assert instance.alive, "\n".join(instance.lines)
            await asyncio.sleep(0.05)
        while True:
            async with session.get(f"http://127.0.0.1:{instance.port}{path}") as answer:
                if answer.status == 200 and "data-countdown" in await answer.text():
                    return
            await asyncio.sleep(0.1)
