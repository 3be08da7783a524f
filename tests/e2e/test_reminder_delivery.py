"""End to end: a user subscribes through the bot, the service's watch stores the day's
schedule, the reminder planner queues a reminder, and the service's sender delivers it at
its time, once (SQLite and PostgreSQL; the service runs on a clock moved to the afternoon).

Until ``app.Service`` runs a planner itself (``Service.reminders``), the test builds one over
the service's storage and feeds it the watch's checks through a relay sink.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from esvitlo.app import Service
from esvitlo.ports import RegionCheck
from esvitlo.services.reminders import ReminderPlanner

from bot_user import BotUser, content, dump, settings_for
from reminder_rig import ShiftedClock, kyiv
from schedule_server import Reply, shifted_fixture

pytest_plugins = ("fake_bot",)

AFTER = "outage-data-ua/kyiv/2025-11-09T0838_a265.json"  # queue 3.1: 15:00–19:00
REMINDER = "🏠 Дім · ⏰ Через 15 хв — відключення: 15:00–19:00 (4 год)\nКиїв · Черга 3.1"


class Relay:
    """A ChangeSink handing the watch's checks to a planner made after the service."""

    def __init__(self) -> None:
        self.target: ReminderPlanner | None = None

    async def region_checked(self, result: RegionCheck) -> None:
        if self.target is not None:
            await self.target.region_checked(result)


async def test_a_subscriber_is_reminded_once_before_the_outage(fake, feed, database_url, tmp_path):
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    settings = settings_for(fake, feed, database_url, tmp_path)
    feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(AFTER, today))
    clock = ShiftedClock(kyiv(today, "14:20"))
    relay = Relay()
    service = Service(settings, clock=clock, sinks=[relay])
    planner: ReminderPlanner | None = getattr(service, "reminders", None)  # once it has one
    if planner is None:
        planner = relay.target = ReminderPlanner(
            service.catalogue.regions, service.storage.schedules, service.storage.reminders, clock
        )
    await service.start()
    olena = BotUser(fake)
    try:
        await olena.send("/start", "Оберіть ваш регіон")
        await olena.press("Київ", "Оберіть вашу чергу")
        await olena.press("Черга 3.1", "Підписатися на графік?")
        await olena.press("Підтвердити", "Готово")
        await service.watch.check_region("kyiv")  # the check replans the region's queues

        clock.set(kyiv(today, "14:44", seconds=59))
        await asyncio.sleep(0.3)
        assert not [m for m in olena.messages() if content(m).startswith("🏠 Дім · ⏰")]
        clock.set(kyiv(today, "14:45"))
        await fake.wait_for_message(
            olena.id, lambda m: content(m).startswith("🏠 Дім · ⏰"), within=5
        )
        await planner.run_once()  # a later run plans nothing again
        await asyncio.sleep(0.3)
    finally:
        await service.stop()

    reminders = [content(m) for m in olena.messages() if content(m).startswith("🏠 Дім · ⏰")]
    assert reminders == [REMINDER], dump(olena.messages())
