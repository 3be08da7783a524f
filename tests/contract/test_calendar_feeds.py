"""Contract: what the calendars and the API read, on every backend: stored days with their
revisions, private links kept as hashes only (replaced, revoked, gone with their user), a
monitor's state by its secret; and migration 0010 up and back."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sql_backends import START, Database, StepClock
from sqlalchemy import Connection, insert, inspect, select, text
from test_migrations import _downgrade_on, _schema_diff, fresh_database

from esvitlo.adapters.sql.calendar_feeds import (
    SqlCalendarLinks,
    SqlMonitorStates,
    SqlScheduleArchive,
)
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import calendar_links, power_outages
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import MonitorKind, hash_secret

DAY = date(2025, 11, 9)


async def test_stored_days_come_with_revision_and_write_time(storage: SqlStorage, clock: StepClock):
    archive = SqlScheduleArchive(storage.engine)
    assert await archive.region_days("kyiv") is None
    first = DaySchedule(DAY, DayState.PUBLISHED, (Span(600, 720),))
    await storage.schedules.save("kyiv", {"3.1": {DAY: first}, "3.2": {}})
    clock.advance(minutes=5)
    moved = DaySchedule(DAY, DayState.PUBLISHED, (Span(600, 780),))
    await storage.schedules.save("kyiv", {"3.1": {DAY: moved}})
    days = await archive.region_days("kyiv")
    assert days is not None and set(days) == {"3.1", "3.2"} and days["3.2"] == []
    [stored] = days["3.1"]
    assert stored.day == moved and stored.revision == 2
    assert stored.updated_at == START + timedelta(minutes=5)


async def test_a_link_is_a_hash_replaced_revoked_and_gone_with_its_user(
    storage: SqlStorage, clock: StepClock
):
    links = SqlCalendarLinks(storage.engine, clock)
    user = await storage.users.get_or_create(7001, "en")
    home = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Home")
    await storage.subscriptions.add(user.id, "dnipro", "1.1", "Work")
    monitor = await storage.monitors.add(
        user.id, home.id, MonitorKind.HEARTBEAT, "", hash_secret("m" * 32), timedelta(60)
    )
    async with storage.engine.begin() as conn:
        await conn.execute(
            insert(power_outages),
            [
                {"monitor_id": monitor.id, "started_at": START - timedelta(hours=3),
                 "ended_at": START - timedelta(hours=2)},
                {"monitor_id": monitor.id, "started_at": START - timedelta(days=40),
                 "ended_at": START - timedelta(days=40) + timedelta(hours=1)},
                {"monitor_id": monitor.id, "started_at": START - timedelta(minutes=5),
                 "ended_at": None},
            ],
        )  # fmt: skip
    assert not await links.has_link(user.id)
    await links.replace(user.id, hash_secret("first"))
    await links.replace(user.id, hash_secret("second"))
    assert await links.feed_data(hash_secret("first"), 30) is None
    data = await links.feed_data(hash_secret("second"), 30)
    assert data is not None and data.language == "en"
    assert [(a.region, a.queue, a.label) for a in data.addresses] == [
        ("kyiv", "3.1", "Home"),
        ("dnipro", "1.1", "Work"),
    ]
    [outage] = data.outages  # the closed one of the last 30 days only
    assert (outage.label, outage.start) == ("Home", START - timedelta(hours=3))
    async with storage.engine.connect() as conn:
        [row] = (await conn.execute(select(calendar_links))).all()
    assert row.secret_hash == hash_secret("second") and "second" not in str(tuple(row))
    assert await links.revoke(user.id) and not await links.revoke(user.id)
    assert await links.feed_data(hash_secret("second"), 30) is None
    await links.replace(user.id, hash_secret("third"))
    assert await storage.users.delete(user.id)
    assert await links.feed_data(hash_secret("third"), 30) is None


async def test_a_monitor_state_by_its_secret(storage: SqlStorage, clock: StepClock):
    states = SqlMonitorStates(storage.engine)
    user = await storage.users.get_or_create(7002, "uk")
    home = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
    await storage.monitors.add(
        user.id, home.id, MonitorKind.HEARTBEAT, "", hash_secret("s" * 32), timedelta(60)
    )
    status = await states.by_secret(hash_secret("s" * 32))
    assert status is not None
    assert (status.kind, status.power, status.label, status.region, status.queue) == (
        "heartbeat",
        "unknown",
        "Дім",
        "kyiv",
        "3.1",
    )
    assert await states.by_secret(hash_secret("x" * 32)) is None


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_0010_adds_calendar_links_and_goes_back(database: Database, tmp_path: Path):
    async with fresh_database(database, tmp_path, at="0009") as engine:
        await upgrade_engine(engine, "0010")
        async with engine.begin() as conn:
            assert "calendar_links" in await conn.run_sync(_tables)
            await conn.run_sync(_downgrade_on, "0009")
            assert "calendar_links" not in await conn.run_sync(_tables)
            assert await conn.scalar(text("SELECT count(*) FROM users")) == 0
        await upgrade_engine(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []
