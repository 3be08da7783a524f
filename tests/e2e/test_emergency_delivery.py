"""End to end: a YASNO feed turns a queue's today emergency; the subscriber and the channel
linked to the queue are told, then told again when the schedule applies once more, while a
follower who switched emergency alerts off hears neither (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from esvitlo.testing.chat_user import buttons, content
from esvitlo.testing.fake_telegram.state import Message

from bot_user import BotUser, dump, settings_for, start_service
from schedule_server import Reply

pytest_plugins = ("fake_bot",)

KYIV = ZoneInfo("Europe/Kyiv")
STARTED = "Аварійні відключення, "
ENDED = "Аварійні відключення скасовано, знову діє графік"


def yasno(today: date, status: str) -> bytes:
    """A YASNO document of queue 3.1: today in ``status`` (10:00–12:00 off when the schedule
    applies), tomorrow not yet published."""
    slots = [
        {"start": 0, "end": 600, "type": "NotPlanned"},
        {"start": 600, "end": 720, "type": "Definite"},
        {"start": 720, "end": 1440, "type": "NotPlanned"},
    ]

    def day(on: date, state: str, with_slots: bool) -> dict[str, Any]:
        midnight = datetime(on.year, on.month, on.day, tzinfo=KYIV).isoformat()
        return {"date": midnight, "status": state, "slots": slots if with_slots else []}

    tomorrow = date.fromordinal(today.toordinal() + 1)
    body = {
        "today": day(today, status, status == "ScheduleApplies"),
        "tomorrow": day(tomorrow, "WaitingForSchedule", False),
        "updatedOn": datetime.now(KYIV).isoformat(),
    }
    return json.dumps({"3.1": body}).encode()


def yasno_kyiv(folder: Path, url: str) -> Path:
    regions = folder / "yasno-regions.toml"
    regions.write_text(
        '[[regions]]\nid = "kyiv"\nname_uk = "Київ"\nname_en = "Kyiv"\n'
        f'[[regions.sources]]\nkind = "yasno"\nurl = "{url}"\n',
        encoding="utf-8",
    )
    return regions


def alerts(messages: list[Message]) -> list[Message]:
    return [m for m in messages if "🔔" in content(m)]


async def test_emergency_start_and_end_reach_the_subscriber_and_the_channel(
    fake, feed, database_url, tmp_path
):
    today = datetime.now(KYIV).date()
    regions = yasno_kyiv(tmp_path, feed.url("yasno.json"))
    settings = settings_for(fake, feed, database_url, tmp_path, ESVITLO_REGIONS_FILE=str(regions))
    feed.replies["yasno.json"] = Reply(raw=yasno(today, "ScheduleApplies"))
    service = await start_service(settings)
    olena, petro = BotUser(fake), BotUser(fake, "Петро")
    try:
        assert service.delivery is not None
        await service.watch.check_region("kyiv")  # the baseline
        for person in (olena, petro):
            await person.send("/start", "Оберіть ваш регіон")
            await person.press("Київ", "Оберіть вашу чергу")
            await person.press("Черга 3.1", "Підписатися на графік?")
            await person.press("Підтвердити", "Готово")
        screen = await petro.send("/settings", "Налаштування сповіщень")
        assert ("✅ Аварійні відключення", "st:emergency") in buttons(screen)
        assert any(text == "✅ Опубліковано новий графік" for text, _ in buttons(screen))
        await petro.press(
            "Аварійні відключення",
            lambda m: any(t == "▫️ Аварійні відключення" for t, _ in buttons(m)),
            screen,
        )
        channel = fake.create_chat("channel", "Світло вдома", owner_id=olena.id, bot_status="left")
        fake.set_bot_member(
            channel.id, "administrator", can_post_messages=True, by_user_id=olena.id
        )
        found = await olena.wait_for("Мене додано в канал «Світло вдома»")
        await olena.press("Дім", "підключено", found)
        await fake.wait_until(lambda: len(fake.messages_to(channel.id)) == 1, within=5)

        feed.replies["yasno.json"] = Reply(raw=yasno(today, "EmergencyShutdowns"))
        await service.watch.check_region("kyiv")
        started = await olena.wait_for(STARTED)
        assert "Діють аварійні відключення" in content(started), content(started)
        assert "10:00–12:00" not in content(started)
        await fake.wait_until(lambda: len(fake.messages_to(channel.id)) == 2, within=5)
        post = fake.messages_to(channel.id)[-1]
        assert STARTED in content(post) and "10:00" not in content(post), content(post)

        await service.watch.check_region("kyiv")  # the same again: nothing more to say
        feed.replies["yasno.json"] = Reply(raw=yasno(today, "ScheduleApplies"))
        await service.watch.check_region("kyiv")
        ended = await olena.wait_for(ENDED)
        assert "10:00–12:00" in content(ended), content(ended)
        await fake.wait_until(lambda: len(fake.messages_to(channel.id)) == 3, within=5)
        post = fake.messages_to(channel.id)[-1]
        assert ENDED in content(post) and "10:00–12:00" in content(post), content(post)
        await asyncio.sleep(0.3)  # anything else planned would be sent by now
    finally:
        await service.stop()

    assert len(alerts(olena.messages())) == 2, dump(alerts(olena.messages()))
    assert alerts(petro.messages()) == [], dump(alerts(petro.messages()))
    assert len(fake.messages_to(channel.id)) == 3
