"""The admin dashboard in headless Chromium, as an admin uses it: ``/dashboard`` in the bot
(the fake Bot API), the link opened in the browser, the login button, then a dead letter
retried from its row, which the sender then delivers to the admin's chat."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import insert

from esvitlo.adapters.sql.tables import outbox
from esvitlo.app import Service
from esvitlo.testing.fake_telegram import FakeTelegram

from bot_user import BotUser, settings_for, start_service
from schedule_server import FixtureServer

pytest_plugins = ("fake_bot", "chromium")

LOGIN_LINK = re.compile(r'href="([^"]*/admin/login/[^"]+)"')
RETRIED_TEXT = "Повідомлення, яке не дійшло з першого разу"


async def _dead_letter(service: Service, chat_id: int) -> int:
    """A message the sender gave up on, as it stays in the outbox."""
    now = service.clock.now()
    row = {
        "chat_id": chat_id, "kind": "text", "topic": "browser-test",
        "idempotency_key": "browser-test-dead", "payload": {"text": RETRIED_TEXT},
        "status": "dead", "priority": 5, "due_at": now, "attempts": 5,
        "last_error": "Bad Request: test", "created_at": now,
    }  # fmt: skip
    async with service.storage.engine.begin() as conn:
        return int((await conn.execute(insert(outbox).values(row).returning(outbox.c.id))).scalar())


async def test_an_admin_logs_in_from_the_bot_and_retries_a_dead_letter(
    fake: FakeTelegram, feed: FixtureServer, tmp_path: Path, browser: Any, artefacts: Path
) -> None:
    admin = BotUser(fake, "Адмін")
    url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, url, tmp_path, ADMIN_IDS=str(admin.id)))
    try:
        reply = await admin.send("/dashboard", "Вхід до панелі")
        link = LOGIN_LINK.search(reply.source or "")
        assert link is not None, reply.source
        letter = await _dead_letter(service, admin.id)

        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        base = f"http://127.0.0.1:{service.http_port}"
        await page.goto(base + urlsplit(link[1]).path)
        await page.click("button#login")
        await page.wait_for_url(f"{base}/admin*")
        row = page.locator(f"tr#dead-{letter}")
        assert "Bad Request: test" in await row.inner_text()
        await page.screenshot(path=str(artefacts / "admin-dashboard.png"), full_page=True)

        await row.locator(f"form[action='/admin/dead/{letter}/retry'] button").click()
        await page.wait_for_load_state()
        assert await page.locator(f"tr#dead-{letter}").count() == 0
        await admin.wait_for(RETRIED_TEXT)  # retried: the sender delivered it
    finally:
        await service.stop()
