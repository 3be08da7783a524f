"""End to end: a user subscribes through the bot, the feed changes, the watch plans the alert
and the outbox sender delivers exactly one message saying what changed (SQLite and PostgreSQL).

Until the service runs a sender itself (``Service.delivery``), the test builds one over the
service's storage with a Bot of its own, as the composition root will.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Bot

from esvitlo.adapters.system_clock import SystemClock
from esvitlo.adapters.telegram_sender import TelegramSender
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.send_budget import LocalSendBudget

from bot_user import BotUser, content, dump, settings_for, start_service
from schedule_server import Reply, shifted_fixture

pytest_plugins = ("fake_bot",)

BEFORE = "outage-data-ua/kyiv/2025-11-09T0633_a256.json"
AFTER = "outage-data-ua/kyiv/2025-11-09T0838_a265.json"  # queue 3.1: 15:00–22:00 -> 15:00–19:00
CHANGED = "Змінився графік на сьогодні"


async def test_a_subscriber_is_told_once_what_changed(
    fake, feed, database_url, tmp_path, make_bot: Callable[..., Bot]
):
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    settings = settings_for(fake, feed, database_url, tmp_path)
    feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(BEFORE, today))
    service = await start_service(settings)
    sender: OutboxSender | None = getattr(service, "delivery", None)  # once the service runs one
    own = sender is None
    if sender is None:
        clock = SystemClock()
        sender = OutboxSender(
            service.storage.outbox,
            TelegramSender(make_bot(fake)),
            LocalSendBudget(clock),
            clock,
            DeliveryConfig(tick=0.01, idle_poll=0.02),
        )
    olena = BotUser(fake)
    try:
        if own:
            await sender.start()
        await service.watch.check_region("kyiv")  # the baseline is stored before anything else
        await olena.send("/start", "Оберіть ваш регіон")
        await olena.press("Київ", "Оберіть вашу чергу")
        await olena.press("Черга 3.1", "Підписатися на графік?")
        await olena.press("Підтвердити", "Готово")

        feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(AFTER, today))
        await service.watch.check_region("kyiv")
        alert = await fake.wait_for_message(olena.id, lambda m: CHANGED in content(m), within=5)
        await service.watch.check_region("kyiv")  # nothing new: nothing more to say
        await asyncio.sleep(0.2)
    finally:
        if own:
            await sender.stop()
        await service.stop()

    alerts = [m for m in olena.messages() if CHANGED in content(m)]
    assert alerts == [alert], dump(olena.messages())
    text = content(alert)
    assert "Київ · Черга 3.1" in text
    assert "Скасовано відключення: 19:00–22:00 (3 год)" in text, text
    assert "Було 15:00–22:00, стало 15:00–19:00" in text, text
    assert sender.stats.sent == 1 and sender.stats.dead == 0
