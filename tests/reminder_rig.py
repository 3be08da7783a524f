"""Helpers of the reminder tests: a clock moved to any moment, and a planner plus a sender over
one storage and a fake Telegram."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from aiogram import Bot

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.telegram_sender import TelegramSender
from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.reminders import ReminderPlanner
from esvitlo.services.send_budget import LocalSendBudget

from delivery_rig import FAST, KYIV

ZONE = ZoneInfo("Europe/Kyiv")


class ShiftedClock:
    """ports.Clock: real time moved to a chosen moment, ticking on from there; sleeps are real,
    so loops that sleep (the send budget, the planner) behave as in production."""

    def __init__(self, at: datetime) -> None:
        self._offset = at - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def set(self, at: datetime) -> None:
        """Jump to ``at`` (forwards or back)."""
        self._offset = at - datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def kyiv(on: date, clock: str, seconds: int = 0) -> datetime:
    """A Kyiv wall-clock moment as aware UTC (the first one when it happens twice)."""
    h, m = (int(part) for part in clock.split(":"))
    local = datetime(on.year, on.month, on.day, h, m, seconds, tzinfo=ZONE)
    return local.astimezone(UTC)


def day(on: date, *spans: str, state: DayState = DayState.PUBLISHED) -> DaySchedule:
    """A day with outages written ``"14:00-18:00"`` (``24:00`` for midnight)."""

    def minute(text: str) -> int:
        return int(text[:2]) * 60 + int(text[3:])

    return DaySchedule(on, state, tuple(Span(minute(s[:5]), minute(s[6:])) for s in spans))


@dataclass
class Rig:
    """Storage, a reminder planner and an outbox sender sharing one shifted clock."""

    clock: ShiftedClock
    storage: SqlStorage
    planner: ReminderPlanner
    sender: OutboxSender

    async def store(self, *days: DaySchedule, queue: str = "3.1") -> None:
        """Store a queue's days as the watch would (the change withdraws waiting reminders)."""
        await self.storage.schedules.save("kyiv", {queue: {d.date: d for d in days}})

    async def follower(
        self, telegram_id: int, language: str = "uk", queue: str = "3.1", **prefs: object
    ) -> None:
        """A user following ``queue`` with the given notification settings."""
        user = await self.storage.users.get_or_create(telegram_id, language)
        await self.storage.subscriptions.add(user.id, "kyiv", queue, "home")
        if prefs:
            settings = NotificationSettings(user.id, **prefs)  # type: ignore[arg-type]
            await self.storage.notification_prefs.save(settings)


async def open_rig(tmp_path: Path, bot: Bot, at: datetime) -> Rig:
    """A rig over a new migrated SQLite file, its clock at ``at``; the sender is not started."""
    clock = ShiftedClock(at)
    engine = create_engine(f"sqlite:///{tmp_path / 'reminders.db'}")
    await upgrade_engine(engine)
    storage = SqlStorage.from_engine(engine, clock)
    planner = ReminderPlanner(
        [KYIV], storage.schedules, storage.reminders, clock, window=timedelta(hours=3)
    )
    budget = LocalSendBudget(clock, rate=500, private_interval=0, group_interval=0)
    sender = OutboxSender(
        storage.outbox, TelegramSender(bot), budget, clock, DeliveryConfig(**FAST)
    )
    return Rig(clock, storage, planner, sender)
