"""Helpers of the delivery tests: a migrated database, a sender wired to a fake Telegram, and
the watch's store-and-plan step for one queue."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from sqlalchemy import func, select

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.adapters.telegram_sender import TelegramSender
from esvitlo.domain.alerts import change_alerts
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.changes import check_queue
from esvitlo.domain.channel_posts import channel_posts
from esvitlo.domain.documents import SourceKind
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot, Span
from esvitlo.ports import Clock
from esvitlo.services.alert_delivery import AlertSender
from esvitlo.services.channel_posts import ChannelPublisher
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.schedule_photos import SchedulePhotos
from esvitlo.services.send_budget import LocalSendBudget

FEED = Source(SourceKind.DTEK, "http://127.0.0.1/kyiv.json")  # a region with a schedule
KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", (FEED,))
FAST = {"tick": 0.01, "idle_poll": 0.02, "backoff_base": 0.02, "stop_timeout": 2.0}


async def open_storage(tmp_path: Path, url: str | None = None) -> SqlStorage:
    """Repositories over a new migrated SQLite file (or the database at ``url``)."""
    engine = create_engine(url or f"sqlite:///{tmp_path / 'delivery.db'}")
    await upgrade_engine(engine)
    return SqlStorage.from_engine(engine, SystemClock())


def make_sender(
    storage: SqlStorage,
    bot: Bot,
    *,
    rate: float = 500.0,
    private: float = 0.0,
    group: float = 0.0,
    clock: Clock | None = None,
    **config: Any,
) -> OutboxSender:
    """An OutboxSender over ``storage`` and ``bot`` with short timings unless overridden, and
    a ChannelPublisher drawing real schedule pictures."""
    clock = clock or SystemClock()
    budget = LocalSendBudget(clock, rate=rate, private_interval=private, group_interval=group)
    settings = DeliveryConfig(**{**FAST, **config})
    sender = TelegramSender(bot)
    photos = SchedulePhotos(ScheduleChart())
    publisher = ChannelPublisher(storage.channels, sender, photos)
    alerts = AlertSender(sender, photos)
    return OutboxSender(storage.outbox, sender, budget, clock, settings, publisher, alerts)


async def waiting(storage: SqlStorage) -> int:
    """Rows still to be sent (pending, or claimed and not settled)."""
    query = select(func.count()).where(outbox.c.status.in_(["pending", "sending"]))
    async with storage.engine.connect() as conn:
        return int(await conn.scalar(query) or 0)


async def until(condition: Callable[[], Any], within: float = 5.0) -> None:
    """Wait until ``condition()`` (sync or async) is true; TimeoutError after ``within`` s."""
    async with asyncio.timeout(within):
        while True:
            result = condition()
            if asyncio.iscoroutine(result):
                result = await result
            if result:
                return
            await asyncio.sleep(0.01)


async def deliver_all(sender: OutboxSender, storage: SqlStorage, within: float = 5.0) -> None:
    """Run the sender until nothing waits, then stop it."""
    await sender.start()
    try:
        await until(lambda: _settled(sender, storage), within)
    finally:
        await sender.stop()


async def _settled(sender: OutboxSender, storage: SqlStorage) -> bool:
    return sender.in_flight == 0 and await waiting(storage) == 0


def day(on: date, *spans: tuple[int, int]) -> DaySchedule:
    """A published day with the given outages (wall-clock minutes)."""
    return DaySchedule(on, DayState.PUBLISHED, tuple(Span(a, b) for a, b in spans))


async def plan(storage: SqlStorage, today: date, *days: DaySchedule, queue: str = "3.1") -> int:
    """What the schedule watch does for one Kyiv queue: check, then store and plan at once
    (alerts for subscribers, a post for linked channels), as of noon ``today``."""
    stored = await storage.schedules.load("kyiv")
    schedule = QueueSchedule(queue, None, days)
    check = check_queue(None if stored is None else stored.get(queue), schedule, today)
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {queue: schedule})
    assert check.keep is not None
    alerts = change_alerts(KYIV, snapshot, {queue: check}, today)
    noon = datetime.combine(today, time(12), ZoneInfo(KYIV.tz))
    posts = channel_posts(KYIV, snapshot, {queue: check}, noon)
    return await storage.schedules.save_and_plan("kyiv", {queue: check.keep}, alerts, posts)


def texts_to(fake: Any, chat_id: int) -> list[str]:
    """The texts (or photo captions) of the bot's messages in a chat."""
    return [m.text or m.caption or "" for m in fake.messages_to(chat_id)]
