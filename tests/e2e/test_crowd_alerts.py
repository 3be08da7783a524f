"""End to end on a virtual clock (issue 13): 50 homes in one queue beat through the
Svitlobot-compatible ``/channelPing``; 30 go silent while the schedule says power is on, so
each subscriber who wants crowd alerts gets exactly one "unscheduled outage likely", then
one "power is back" when they beat again; an owner among the silent ones is told the whole
queue is off, and a subscriber who said no, or has a monitor and left the default, hears
nothing (SQLite and PostgreSQL; real web app, power and crowd watches, outbox sender and
aiogram client against the fake Bot API)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import aiohttp
from test_power_heartbeat_periods import PacedClock

from esvitlo.app import Service
from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.services.heartbeats import new_secret

from bot_user import settings_for
from delivery_rig import texts_to

pytest_plugins = ("fake_bot",)

KYIV = ZoneInfo("Europe/Kyiv")
EVERY = timedelta(minutes=1)
HOMES, SILENT = 50, 30
STEP = 10.0


async def test_thirty_of_fifty_going_silent_alert_once_then_back_once(
    fake, feed, database_url, tmp_path
):
    # the fixture's queue 3.1 has power today from 10:30 to 13:30
    today = datetime.now(KYIV).date()
    clock = PacedClock(datetime.combine(today, time(10, 45), KYIV))
    service = Service(settings_for(fake, feed, database_url, tmp_path), clock=clock)
    await service.start()
    try:
        storage = service.storage
        wants = [fake.create_user(f"Subscriber {n}").id for n in range(2)]
        declined = fake.create_user("Declined").id
        owner = fake.create_user("Owner").id
        for chat in (*wants, declined):
            user = await storage.users.get_or_create(chat, "uk")
            await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
        declined_user = await storage.users.get_or_create(declined, "uk")
        await storage.notification_prefs.save(NotificationSettings(declined_user.id, crowd=False))
        keys = []
        for n in range(HOMES):  # the first home is the owner's, who opted in
            chat = owner if n == 0 else 10_000 + n
            user = await storage.users.get_or_create(chat, "uk")
            sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дача")
            keys.append(new_secret())
            await storage.monitors.add(
                user.id, sub.id, MonitorKind.HEARTBEAT, "", hash_secret(keys[-1]), EVERY
            )
            if n == 0:
                await storage.notification_prefs.save(NotificationSettings(user.id, crowd=True))
            else:  # the other homes' owners are not chats in the fake Telegram
                monitor = (await storage.monitors.list_for_user(user.id))[0]
                await storage.monitors.set_notify(
                    monitor.id, user.id, notify_user=False, notify_channel=False
                )
        ping = f"http://127.0.0.1:{service.http_port}/channelPing"

        async with aiohttp.ClientSession() as http:

            async def beat(homes: list[str]) -> None:
                async def one(key: str) -> None:
                    async with http.get(ping, params={"channel_key": key}) as reply:
                        assert reply.status == 200

                await asyncio.gather(*(one(key) for key in homes))

            async def run(minutes: int, beating: list[str], done: Callable[[], bool]) -> bool:
                """Beat every minute for ``minutes``; whether ``done`` came true."""
                for _ in range(minutes):
                    await beat(beating)
                    for _ in range(int(EVERY.total_seconds() / STEP)):
                        await clock.advance(STEP, settle_within=0.25)
                        if done():
                            return True
                return done()

            async def delivered(done: Callable[[], bool]) -> None:
                """Let the sender work: its send budget waits on the virtual clock too."""
                for _ in range(200):
                    if done():
                        return
                    await clock.advance(0.5, settle_within=0.25)
                    await asyncio.sleep(0.01)
                raise AssertionError("not delivered")

            def alerts(edge: str) -> Callable[[], bool]:
                return lambda: service.crowd.stats.alerts.get(edge, 0) >= 1

            assert not await run(2, keys, alerts("outage"))  # all on: a cold start, silent
            assert await run(10, keys[SILENT:], alerts("outage"))
            await delivered(lambda: all(texts_to(fake, c) for c in wants))
            assert await run(10, keys, alerts("back"))
            await delivered(lambda: all(len(texts_to(fake, c)) == 2 for c in wants))
            await run(3, keys, lambda: False)  # nothing more may come
        await asyncio.sleep(0.5)
    finally:
        await service.stop()
    assert service.crowd.stats.alerts == {"outage": 1, "back": 1}
    for chat in wants:
        outage, back = texts_to(fake, chat)
        assert outage.startswith("⚠️ Схоже, позапланове відключення · Черга 3.1, Київ")
        assert back.startswith("🟢 Світло повертається · Черга 3.1, Київ")
    assert texts_to(fake, declined) == []
    own_off, *crowd_and_back = texts_to(fake, owner)
    assert own_off.startswith("🔴 Світло зникло") and "відключення всієї черги" in own_off
    crowd = [text.split(" · ")[0] for text in crowd_and_back if "Черга 3.1, Київ" in text]
    assert crowd == ["⚠️ Схоже, позапланове відключення", "🟢 Світло повертається"]
