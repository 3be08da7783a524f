"""End to end: a feed whose ``lastUpdated`` is Unix milliseconds and whose operator last
updated the schedule three days ago; the schedule screen names the operator's time, never
"data is up to date" (SQLite and PostgreSQL, through the fake Bot API)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.texts import uk
from esvitlo.testing.chat_user import content

from bot_user import KYIV_TODAY, BotUser, settings_for, start_service
from schedule_server import Reply, shifted_fixture

pytest_plugins = ("fake_bot",)

KYIV = ZoneInfo("Europe/Kyiv")


def operator_idle_document() -> bytes:
    """Today's Kyiv fixture, fetched just now (as Unix milliseconds), updated 3 days ago."""
    now = datetime.now(UTC)
    doc = json.loads(shifted_fixture(KYIV_TODAY, now.astimezone(KYIV).date()))
    doc["lastUpdated"] = int(now.timestamp() * 1000)
    doc.pop("lastUpdateStatus", None)
    updated = (now - timedelta(days=3)).astimezone(KYIV)
    doc["fact"]["update"] = updated.strftime("%d.%m.%Y %H:%M")
    return json.dumps(doc, ensure_ascii=False).encode()


async def test_the_schedule_screen_names_the_operators_old_update(
    fake, feed, database_url, tmp_path
):
    settings = settings_for(fake, feed, database_url, tmp_path)
    feed.replies["kyiv.json"] = Reply(raw=operator_idle_document())
    service = await start_service(settings)
    try:
        await service.watch.check_region("kyiv")
        screen = await BotUser(fake).send("/start s_kyiv_3-1", "Київ · Черга 3.1")
        caption = content(screen)
        assert uk.TEXTS.stale_operator.split("{")[0] in caption
        assert uk.TEXTS.stale_since.split("{")[0] not in caption
        assert uk.TEXTS.fresh not in caption
    finally:
        await service.stop()
