"""End to end: a user subscribes through the bot, the feed changes, the watch plans the alert
and the outbox sender delivers exactly one message saying what changed, also when one update
changes today and publishes tomorrow (SQLite and PostgreSQL).

Until the service runs a sender itself (``Service.delivery``), the test builds one over the
service's storage with a Bot of its own, as the composition root will.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Bot
from PIL import Image

from esvitlo.adapters import chart
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.adapters.telegram_sender import TelegramSender
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.send_budget import LocalSendBudget
from esvitlo.testing.chat_user import buttons
from esvitlo.testing.fake_telegram.state import Message

from bot_user import BotUser, content, dump, settings_for, start_service
from schedule_server import Reply, shifted_fixture

pytest_plugins = ("fake_bot",)

BEFORE = "outage-data-ua/kyiv/2025-11-09T0633_a256.json"
AFTER = "outage-data-ua/kyiv/2025-11-09T0838_a265.json"  # queue 3.1: 15:00–22:00 -> 15:00–19:00
# queue 3.1 again: today 13:30–20:30 -> 13:30–21:00 while tomorrow appears, in one update
TODAY_EDITED = "outage-data-ua/kyiv/2025-11-20T1526_a1212.json"
TOMORROW_OUT = "outage-data-ua/kyiv/2025-11-20T1936_a1227.json"
CHANGED = "Змінився графік на сьогодні"
APPEARED = "Зʼявився графік на завтра"


async def alerts_after_update(
    fake, feed, database_url, tmp_path, make_bot: Callable[..., Bot], before: str, after: str
) -> tuple[list[Message], OutboxSender]:
    """A subscriber of Kyiv 3.1 while the feed goes from ``before`` to ``after`` (both moved
    to today), checked once more after; the schedule alerts they got, and the sender."""
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    settings = settings_for(fake, feed, database_url, tmp_path)
    feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(before, today))
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

        feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(after, today))
        await service.watch.check_region("kyiv")
        await fake.wait_for_message(olena.id, lambda m: "Київ · Черга 3.1" in content(m), within=5)
        await service.watch.check_region("kyiv")  # nothing new: nothing more to say
        await asyncio.sleep(0.3)  # a second message, if planned, would be sent by now
    finally:
        if own:
            await sender.stop()
        await service.stop()
    alerts = [m for m in olena.messages() if "🔔" in content(m)]
    return alerts, sender


async def test_a_subscriber_is_told_once_what_changed(
    fake, feed, database_url, tmp_path, make_bot: Callable[..., Bot]
):
    alerts, sender = await alerts_after_update(
        fake, feed, database_url, tmp_path, make_bot, BEFORE, AFTER
    )
    assert len(alerts) == 1, dump(alerts)
    text = content(alerts[0])
    assert CHANGED in text and "Київ · Черга 3.1" in text
    assert "Було 15:00–22:00, стало 15:00–19:00" in text, text
    assert "Скасовано" not in text and "19:00–22:00" not in text, text  # told once, as a shift
    assert sender.stats.sent == 1 and sender.stats.dead == 0


async def test_today_edited_while_tomorrow_appears_is_one_message(
    fake, feed, database_url, tmp_path, make_bot: Callable[..., Bot]
):
    alerts, sender = await alerts_after_update(
        fake, feed, database_url, tmp_path, make_bot, TODAY_EDITED, TOMORROW_OUT
    )
    assert len(alerts) == 1, dump(alerts)
    text = content(alerts[0])
    assert text.index(CHANGED) < text.index(APPEARED), text
    assert "Було 13:30–20:30, стало 13:30–21:00" in text, text
    assert "Додано" not in text and "20:30–21:00" not in text, text
    assert sender.stats.sent == 1 and sender.stats.dead == 0


def _colour_at(png: bytes, minute: int) -> tuple[int, int, int]:
    """The colour just inside the top edge of today's bar at a wall-clock minute."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    x = chart.BAR_X + round(minute * chart.HOUR_PX / 60) + 1
    pixel = image.getpixel((x + 20, chart.ROW_TOP[0] + chart.BAR_OFFSET + 1))
    assert isinstance(pixel, tuple)
    return (pixel[0], pixel[1], pixel[2])


async def test_an_alert_is_the_picture_with_buttons_uploaded_once_for_every_follower(
    fake, feed, database_url, tmp_path
):
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    settings = settings_for(fake, feed, database_url, tmp_path)
    feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(BEFORE, today))
    service = await start_service(settings)
    olena, petro = BotUser(fake), BotUser(fake, "Петро")
    try:
        await service.watch.check_region("kyiv")  # the baseline
        subs = {}
        for person in (olena, petro):
            user = await service.storage.users.get_or_create(person.id, "uk")
            sub = await service.storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
            subs[person.id] = sub.id
        feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(AFTER, today))
        await service.watch.check_region("kyiv")
        first = await olena.wait_for(CHANGED)
        second = await petro.wait_for(CHANGED)
        assert first.photo_file_id is not None and first.photo_file_id == second.photo_file_id
        assert "Було 15:00–22:00, стало 15:00–19:00" in content(first)
        sent = [call for call in fake.calls("sendPhoto") if call.ok]
        assert (
            len(sent) == 2
            and sum(call.params["photo"] == first.photo_file_id for call in sent) == 1
        )
        assert buttons(first) == [
            ("⏱ Таймер", f"ad:timer:{subs[olena.id]}"),
            ("📅 Графік", f"ad:schedule:{subs[olena.id]}"),
            ("⚙️ Налаштування", "n:settings"),
        ]
        assert buttons(second)[0] == ("⏱ Таймер", f"ad:timer:{subs[petro.id]}")
        png = fake.world.files[first.photo_file_id].data
        assert _colour_at(png, 15 * 60) == chart.HIGHLIGHT  # 15:00–19:00 moved: outlined
        await olena.press("Таймер", "Дім", first)  # the address's own timer
    finally:
        await service.stop()
