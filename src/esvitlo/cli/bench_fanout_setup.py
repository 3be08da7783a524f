"""What ``bench fanout`` (and the crash-safety test) sets up: a migrated database of its own,
subscribers in it, and the schedule change that fans out to all of them.
"""

from __future__ import annotations

import time as timer
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from tempfile import TemporaryDirectory
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, insert, literal, select, text, true
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.column_types import UtcDateTime
from esvitlo.adapters.sql.engine import POSTGRES_DRIVER, create_engine, normalize_url
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import notification_settings, subscriptions, users
from esvitlo.cli.errors import CliError
from esvitlo.domain.alerts import ChangeAlert, change_alerts
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import check_queue
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot, Span

REGION = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
QUEUE = "3.1"
FIRST_CHAT = 700_000_001
"""The chat id of the first subscriber; the others follow it."""


@dataclass(frozen=True, slots=True)
class BenchDatabase:
    """An empty migrated database: its URL, its PostgreSQL schema if any, and an engine on it."""

    url: str
    schema: str | None
    engine: AsyncEngine


@asynccontextmanager
async def bench_database(url: str | None) -> AsyncIterator[BenchDatabase]:
    """An empty migrated database: a temporary SQLite file when ``url`` is None, a fresh schema
    (dropped afterwards) on PostgreSQL, or a SQLite file with no users yet."""
    if url is None:
        with TemporaryDirectory(prefix="esvitlo-bench-") as directory:
            async with _migrated(f"sqlite:///{Path(directory) / 'fanout.db'}") as database:
                yield database
        return
    if normalize_url(url).drivername != POSTGRES_DRIVER:
        async with _migrated(url) as database:
            async with database.engine.connect() as conn:
                if await conn.scalar(select(func.count()).select_from(users)):
                    raise CliError(f"{url} already holds users: give an empty database")
            yield database
        return
    schema = f"esvitlo_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            async with _migrated(url, schema) as database:
                yield database
        finally:
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await admin.dispose()


@asynccontextmanager
async def _migrated(url: str, schema: str | None = None) -> AsyncIterator[BenchDatabase]:
    engine = create_engine(url, schema=schema)
    try:
        await upgrade_engine(engine)
        yield BenchDatabase(url, schema, engine)
    finally:
        await engine.dispose()


async def seed_subscribers(engine: AsyncEngine, count: int, now: datetime) -> None:
    """``count`` active users following the bench queue, in bulk: one in ten reads English
    and one in ten has quiet hours (23:00-07:00)."""
    n = select(literal(0).label("i")).cte("n", recursive=True)
    n = n.union_all(select(n.c.i + 1).where(n.c.i + 1 < count))
    stamp = literal(now, UtcDateTime())
    people = select(
        literal(FIRST_CHAT) + n.c.i, case((n.c.i % 10 == 1, "en"), else_="uk"), true(), stamp
    )
    followed = select(users.c.id, literal(REGION.id), literal(QUEUE), literal("Дім"), stamp)
    quiet = select(
        users.c.id,
        *(true(), true(), true()),
        *(literal("15"), literal("15")),
        *(literal(time(23, 0)), literal(time(7, 0)), stamp),
    ).where(users.c.telegram_id % 10 == 3)
    async with engine.begin() as conn:
        await conn.execute(
            insert(users).from_select(["telegram_id", "language", "active", "created_at"], people)
        )
        await conn.execute(
            insert(subscriptions).from_select(
                ["user_id", "region", "queue", "label", "created_at"], followed
            )
        )
        await conn.execute(insert(notification_settings).from_select(_SETTINGS, quiet))


_SETTINGS = [
    "user_id",
    "schedule_changes",
    "tomorrow",
    "reminders",
    "remind_before_off",
    "remind_before_on",
    "quiet_start",
    "quiet_end",
    "updated_at",
]


async def plan_fanout(storage: SqlStorage, count: int) -> tuple[int, float]:
    """Seed ``count`` subscribers and their stored schedule, then plan one change to all of
    them by the real path (``save_and_plan``); (messages queued, seconds the planning took)."""
    now = datetime.now(ZoneInfo(REGION.tz))
    await seed_subscribers(storage.engine, count, now)
    stored = baseline(now.date())
    await storage.schedules.save(REGION.id, stored)
    keep, alerts = the_change(stored, now.date())
    started = timer.perf_counter()
    queued = await storage.schedules.save_and_plan(REGION.id, keep, alerts)
    return queued, timer.perf_counter() - started


def _day(on: date, *hours: tuple[int, int]) -> DaySchedule:
    return DaySchedule(on, DayState.PUBLISHED, tuple(Span(a * 60, b * 60) for a, b in hours))


def baseline(today: date) -> dict[str, dict[date, DaySchedule]]:
    """The stored schedule before the change: today, two outages."""
    return {QUEUE: {today: _day(today, (8, 12), (18, 21))}}


def the_change(
    stored: dict[str, dict[date, DaySchedule]], today: date
) -> tuple[dict[str, dict[date, DaySchedule]], list[ChangeAlert]]:
    """Today's schedule gets a third outage: what to store, and the alert it causes."""
    schedule = QueueSchedule(QUEUE, None, (_day(today, (8, 12), (14, 16), (18, 21)),))
    check = check_queue(stored[QUEUE], schedule, today)
    assert check.keep is not None
    snapshot = RegionSnapshot(REGION.id, REGION.tz, {QUEUE: schedule})
    alerts = change_alerts(REGION, snapshot, {QUEUE: check}, today)
    return {QUEUE: dict(check.keep)}, alerts
