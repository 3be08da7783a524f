"""End to end: an owner switches on the weekly plan-versus-fact summary of a channel in the
bot; on Monday morning the leader's pass queues it and the service's own sender posts it into
the channel once, however many passes run that day (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from esvitlo.adapters.sql.tables import outbox
from esvitlo.app.plan_fact_weekly import make_weekly_posts
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.domain.plan_fact_weekly import WEEKLY_POST
from esvitlo.testing.chat_user import buttons, content

from bot_user import BotUser, dump, settings_for, start_service
from schedule_server import Reply, shifted_fixture
from step_clock import StepClock

pytest_plugins = ("fake_bot",)

FEED = "outage-data-ua/kyiv/2025-11-09T0633_a256.json"
KYIV = ZoneInfo("Europe/Kyiv")


def next_monday_morning() -> datetime:
    """09:05 Kyiv time on the coming Monday: the week it closes holds today."""
    today = datetime.now(KYIV).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime(monday.year, monday.month, monday.day, 9, 5, tzinfo=KYIV)


async def test_the_owner_opts_in_and_a_due_week_posts_once(fake, feed, database_url, tmp_path):
    today = datetime.now(KYIV).date()
    settings = settings_for(fake, feed, database_url, tmp_path)
    feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(FEED, today))
    service = await start_service(settings)
    olena = BotUser(fake)
    try:
        await olena.send("/start", "Оберіть ваш регіон")
        await olena.press("Київ", "Оберіть вашу чергу")
        await olena.press("Черга 3.1", "Підписатися на графік?")
        await olena.press("Підтвердити", "Готово")
        channel = fake.create_chat("channel", "Світло вдома", owner_id=olena.id, bot_status="left")
        fake.set_bot_member(
            channel.id, "administrator", can_post_messages=True, by_user_id=olena.id
        )
        found = await olena.wait_for("Мене додано в канал «Світло вдома»")
        await olena.press("Дім", "підключено", found)
        await fake.wait_until(lambda: fake.messages_to(channel.id), within=5)  # the first post
        screen = next(m for m in olena.messages() if any("Щотижневий" in t for t, _ in buttons(m)))
        await olena.press("📊 Щотижневий підсумок: ні", "Щопонеділка", screen)  # off by default

        storage = service.storage
        for telegram_id in (olena.id, 9002, 9003):  # three users' monitors in queue 3.1
            user = await storage.users.get_or_create(telegram_id, "uk")
            subs = await storage.subscriptions.list_for_user(user.id)
            sub = subs[0] if subs else await storage.subscriptions.add(user.id, "kyiv", "3.1", "")
            secret = hash_secret(f"{telegram_id:032d}")
            await storage.monitors.add(
                user.id, sub.id, MonitorKind.HEARTBEAT, "", secret, timedelta(minutes=1)
            )
        clock = StepClock(next_monday_morning())
        weekly = make_weekly_posts(settings, storage, service.catalogue, clock)
        assert await weekly.run_once() == 1
        clock.advance(minutes=5)
        assert await weekly.run_once() == 0  # the next pass, or another leader
        async with storage.engine.begin() as conn:  # queued "on Monday": due for the sender now
            await conn.execute(
                update(outbox)
                .where(outbox.c.kind == WEEKLY_POST)
                .values(due_at=service.clock.now())
            )
        summary = "Підсумок тижня"
        await fake.wait_until(
            lambda: any(summary in content(m) for m in fake.messages_to(channel.id)), within=5
        )
    finally:
        await service.stop()
    posts = [m for m in fake.messages_to(channel.id) if summary in content(m)]
    assert len(posts) == 1, dump(fake.messages_to(channel.id))
    assert "Черга 3.1" in content(posts[0])
