"""What ``bench fanout`` sets up: a migrated database of its own, 100,000 subscribers in it, and
the schedule change that fans out to all of them.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, time
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import case, func, insert, literal, select, text, true
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.column_types import UtcDateTime
from esvitlo.adapters.sql.engine import POSTGRES_DRIVER, create_engine, normalize_url
from esvitlo.adapters.sql.migrate import upgrade_engine
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


@asynccontextmanager
async def bench_engine(url: str | None) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty migrated database: a temporary SQLite file when ``url`` is None,
    a fresh schema (dropped afterwards) on PostgreSQL, or a SQLite file with no users yet."""
    if url is None:
        with TemporaryDirectory(prefix="esvitlo-bench-") as directory:
            async with _migrated(f"sqlite:///{Path(directory) / 'fanout.db'}") as engine:
                yield engine
        return
    if normalize_url(url).drivername != POSTGRES_DRIVER:
        async with _migrated(url) as engine:
            async with engine.connect() as conn:
                if await conn.scalar(select(func.count()).select_from(users)):
                    raise CliError(f"{url} already holds users: give an empty database")
            yield engine
        return
    schema = f"esvitlo_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            async with _migrated(url, schema) as engine:
                yield engine
        finally:
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await admin.dispose()


@asynccontextmanager
async def _migrated(url: str, schema: str | None = None) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(url, schema=schema)
    try:
        await upgrade_engine(engine)
        yield engine
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
