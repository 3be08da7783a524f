"""The public status page as a person sees it, in headless Chromium against ``esvitlo run``:
readable on a 360 px phone and a 1280 px desktop, and a schedule change appearing by the
page's own refresh, without a reload by the reader."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from instance_cluster import Instance
from schedule_server import FixtureServer, Reply, shifted_fixture

pytest_plugins = ("chromium",)

WIDTHS = (360, 1280)
A1227 = "outage-data-ua/kyiv/2025-11-20T1936_a1227.json"  # what the running service starts on


def _one_hour_outage_today() -> bytes:
    """The same document with queue 3.1 today off only from 22:00 to 23:00."""
    document = json.loads(shifted_fixture(A1227, datetime.now(ZoneInfo("Europe/Kyiv")).date()))
    today = str(document["fact"]["today"])
    hours = {str(hour): "yes" for hour in range(1, 25)} | {"23": "no"}
    document["fact"]["data"][today]["GPV3.1"] = hours
    return json.dumps(document).encode()


async def _open(browser: Any, service: Instance, width: int) -> Any:
    page = await browser.new_page(viewport={"width": width, "height": 900})
    await page.goto(f"http://127.0.0.1:{service.port}/r/kyiv/3.1")
    assert "3.1" in await page.locator("h1").inner_text()
    assert await page.locator("svg.chart").is_visible()
    assert await page.locator("[data-countdown]").is_visible()
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow} px wider than a {width} px screen"
    return page


async def test_the_queue_page_on_a_phone_and_a_desktop_follows_a_schedule_change(
    browser: Any, service: Instance, feed: FixtureServer, artefacts: Path
) -> None:
    """One running service for both (a start costs seconds): the page fits 360 px and
    1280 px, then, left open on the phone, shows a changed schedule by its own refresh."""
    for width in reversed(WIDTHS):
        page = await _open(browser, service, width)
        await page.screenshot(
            path=str(artefacts / f"status-kyiv-3.1-{width}px.png"), full_page=True
        )
    assert "03:00" in await page.locator("section.day").first.inner_text()
    await page.evaluate("window.loadedBefore = true")

    feed.replies["kyiv.json"] = Reply(raw=_one_hour_outage_today())
    await page.wait_for_function(
        "document.querySelector('section.day').innerText.includes('22:00')", timeout=15_000
    )
    text = await page.locator("section.day").first.inner_text()
    assert "03:00" not in text, text
    assert await page.evaluate("window.loadedBefore === undefined")  # the page reloaded itself
    await page.screenshot(path=str(artefacts / "status-kyiv-3.1-changed-360px.png"))
