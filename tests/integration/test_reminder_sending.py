"""Reminders end to end below the bot: stored days, the planner, the outbox sender and the fake
Bot API server, on a clock moved to the moments that matter (nothing waits for real time).

Each test proves a promise of the feature: once, at its time and not before; never for a
moment already past; right across midnight and on both DST days; withdrawn or replaced
when the schedule changes before it is sent; silent in quiet hours.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from sqlalchemy import func, select

from esvitlo.adapters.sql.tables import outbox
from esvitlo.testing.fake_telegram import FakeTelegram

from delivery_rig import plan, texts_to
from reminder_rig import Rig, day, kyiv, open_rig

pytest_plugins = ("fake_bot",)

D = date(2025, 11, 20)
QUIET = 0.2  # real seconds to wait for a message that must not come


@pytest.fixture
async def rig(
    tmp_path: Path, fake: FakeTelegram, make_bot: Callable[..., Bot]
) -> AsyncIterator[Rig]:
    made = await open_rig(tmp_path, make_bot(fake), kyiv(D, "08:00"))
    await made.sender.start()
    yield made
    await made.sender.stop()
    await made.storage.close()


async def person(fake: FakeTelegram, rig: Rig, **prefs: object) -> int:
    """Someone following Kyiv 3.1 (no schedule change alerts, to keep the chat to reminders)."""
    chat = fake.create_user("Олена").id
    await rig.follower(chat, schedule_changes=False, tomorrow=False, **prefs)
    return chat


async def reminders_to(fake: FakeTelegram, chat: int, count: int) -> list[str]:
    """Wait until ``chat`` has ``count`` reminders (and no more come); their texts."""
    await fake.wait_until(lambda: len(texts_to(fake, chat)) >= count)
    await asyncio.sleep(QUIET)
    return texts_to(fake, chat)


async def at(rig: Rig, moment: datetime) -> None:
    """Move the clock and run the planner, as its periodic run would at that moment."""
    rig.clock.set(moment)
    await rig.planner.run_once()


async def test_a_reminder_arrives_once_at_its_time_and_not_before(fake: FakeTelegram, rig: Rig):
    olena = await person(fake, rig)
    await rig.store(day(D, "14:00-18:00"))
    await at(rig, kyiv(D, "13:40"))
    rig.clock.set(kyiv(D, "13:44", seconds=59))
    await asyncio.sleep(QUIET)
    assert texts_to(fake, olena) == []

    rig.clock.set(kyiv(D, "13:45"))
    [text] = await reminders_to(fake, olena, 1)
    assert text == "🏠 home · ⏰ Через 15 хв — відключення: 14:00–18:00 (4 год)\nКиїв · Черга 3.1"
    [call] = fake.calls("sendMessage")
    assert call.params["parse_mode"] == "HTML" and "disable_notification" not in call.params
    for minute in ("13:46", "13:47"):
        await at(rig, kyiv(D, minute))
    assert await reminders_to(fake, olena, 1) == [text]


async def test_no_reminder_for_a_moment_already_past(fake: FakeTelegram, rig: Rig):
    olena = await person(fake, rig, remind_before_off=(15, 5))
    await rig.store(day(D, "14:00-18:00"))
    await at(rig, kyiv(D, "13:50"))  # 15 minutes before has passed, 5 has not
    rig.clock.set(kyiv(D, "14:30"))
    [text] = await reminders_to(fake, olena, 1)
    assert text.startswith("🏠 home · ⏰ Через 5 хв — відключення")


async def test_reminders_across_midnight(fake: FakeTelegram, rig: Rig):
    olena = await person(fake, rig, remind_before_off=(60,), remind_before_on=(10,))
    night, morning = D, D + timedelta(days=1)
    await rig.store(day(night, "22:00-24:00"), day(morning, "00:00-02:00"))
    await at(rig, kyiv(night, "20:30"))
    rig.clock.set(kyiv(night, "21:00"))
    [off] = await reminders_to(fake, olena, 1)
    assert off.startswith("🏠 home · ⏰ Через 1 год — відключення: 22:00–02:00 (4 год)")

    await at(rig, kyiv(night, "23:30"))  # the restoration reminder enters the window
    rig.clock.set(kyiv(morning, "00:30"))
    await rig.store(day(morning, "00:00-02:00"))  # the watch's rollover drops yesterday
    await rig.planner.plan_region("kyiv")  # as the check that stored it does
    rig.clock.set(kyiv(morning, "01:50"))
    texts = await reminders_to(fake, olena, 2)
    assert texts[1].startswith("🏠 home · ⏰ Через 10 хв має зʼявитися світло (о 02:00)")
    assert len(texts) == 2


@pytest.mark.parametrize(
    ("on", "outage", "fires_utc"),
    [
        # 23-hour day: 03:00-04:00 never happens; an hour before 04:00 is 02:00, not 03:00
        (date(2026, 3, 29), "01:00-04:00", datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),
        # 25-hour day: 03:00 happens twice; an hour before 04:00 is the second 03:00
        (date(2026, 10, 25), "00:00-04:00", datetime(2026, 10, 25, 1, 0, tzinfo=UTC)),
    ],
)
async def test_reminders_on_dst_days_come_an_hour_of_real_time_early(
    fake: FakeTelegram, rig: Rig, on: date, outage: str, fires_utc: datetime
):
    olena = await person(fake, rig, remind_before_off=(), remind_before_on=(60,))
    await rig.store(day(on, outage), day(on + timedelta(days=1)))
    await at(rig, fires_utc - timedelta(hours=2))
    rig.clock.set(fires_utc - timedelta(seconds=1))
    await asyncio.sleep(QUIET)
    assert texts_to(fake, olena) == []
    rig.clock.set(fires_utc)
    [text] = await reminders_to(fake, olena, 1)
    assert text.startswith("🏠 home · ⏰ Через 1 год має зʼявитися світло (о 04:00)")


async def test_a_change_before_the_time_replaces_the_reminder(fake: FakeTelegram, rig: Rig):
    olena = await person(fake, rig)
    await rig.store(day(D, "14:00-18:00"))
    await at(rig, kyiv(D, "13:00"))
    await plan(rig.storage, D, day(D, "15:00-18:00"))  # the watch stores a change...
    await rig.planner.plan_region("kyiv")  # ...and the check that found it replans
    rig.clock.set(kyiv(D, "14:00"))
    await asyncio.sleep(QUIET)
    assert texts_to(fake, olena) == []
    rig.clock.set(kyiv(D, "14:45"))
    [text] = await reminders_to(fake, olena, 1)
    assert text.startswith("🏠 home · ⏰ Через 15 хв — відключення: 15:00–18:00 (3 год)")


async def test_an_outage_removed_before_its_time_is_never_reminded(fake: FakeTelegram, rig: Rig):
    olena = await person(fake, rig)
    await rig.store(day(D, "14:00-18:00"))
    await at(rig, kyiv(D, "13:00"))
    await plan(rig.storage, D, day(D))
    rig.clock.set(kyiv(D, "13:45"))  # due now, and the planner has not run since the change
    await asyncio.sleep(QUIET)
    await at(rig, kyiv(D, "13:46"))
    await asyncio.sleep(QUIET)
    assert texts_to(fake, olena) == []
    async with rig.storage.engine.connect() as conn:
        query = select(outbox.c.status, func.count()).group_by(outbox.c.status)
        statuses = dict((await conn.execute(query)).all())
    assert statuses == {"superseded": 1}


async def test_quiet_hours_make_a_reminder_silent(fake: FakeTelegram, rig: Rig):
    sleeper = await person(fake, rig, quiet_start=time(22), quiet_end=time(7))
    awake = await person(fake, rig)
    await rig.store(day(D, "23:00-24:00"), day(D + timedelta(days=1)))
    await at(rig, kyiv(D, "22:30"))
    rig.clock.set(kyiv(D, "22:45"))
    await reminders_to(fake, sleeper, 1)
    await reminders_to(fake, awake, 1)
    params = {int(c.params["chat_id"]): c.params for c in fake.calls("sendMessage")}
    assert params[sleeper].get("disable_notification") == "true"
    assert "disable_notification" not in params[awake]
