"""Contract: migration 0008 gives every user emergency alerts (on), keeps their other settings,
and goes back, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sql_backends import Database, StepClock
from sqlalchemy import Connection, inspect, text
from test_migrations import USER_ROW, _downgrade_on, _schema_diff, fresh_database

from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage

SETTINGS_ROW = (
    "INSERT INTO notification_settings (user_id, schedule_changes, tomorrow, reminders, "
    "remind_before_off, remind_before_on, updated_at) "
    "SELECT id, TRUE, FALSE, TRUE, '15', '', CURRENT_TIMESTAMP FROM users"
)


def _settings_columns(connection: Connection) -> set[str]:
    columns = inspect(connection).get_columns("notification_settings")
    return {str(column["name"]) for column in columns}


async def test_0008_existing_users_get_emergency_alerts_and_it_goes_back(
    database: Database, tmp_path: Path
):
    async with fresh_database(database, tmp_path, at="0007") as engine:
        async with engine.begin() as conn:
            await conn.execute(text(USER_ROW))
            await conn.execute(text(SETTINGS_ROW))
            user_id = await conn.scalar(text("SELECT id FROM users"))
        await upgrade_engine(engine, "0008")
        async with engine.connect() as conn:  # raw SQL: the repository reads the newest schema
            row = (
                await conn.execute(text("SELECT tomorrow, emergency FROM notification_settings"))
            ).one()
        assert (bool(row.tomorrow), bool(row.emergency)) == (False, True)
        await upgrade_engine(engine)  # the repository reads the newest schema (0011 and on)
        prefs = SqlStorage.from_engine(engine, StepClock()).notification_prefs
        settings = await prefs.get(user_id)
        assert (settings.tomorrow, settings.emergency, settings.remind_before_off) == (
            False,
            True,
            (15,),
        )
        await prefs.save(replace(settings, emergency=False))
        assert (await prefs.get(user_id)).emergency is False
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade_on, "0007")
            assert "emergency" not in await conn.run_sync(_settings_columns)
            assert await conn.scalar(text("SELECT count(*) FROM notification_settings")) == 1
        await upgrade_engine(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []


OUTBOX_ROW = (
    "INSERT INTO outbox (chat_id, kind, topic, idempotency_key, payload, status, priority, "
    "due_at, created_at) VALUES (1, :kind, 't', :key, '{}', :status, :priority, "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


async def test_0008_moves_waiting_reminders_behind_emergency_alerts_and_back(
    database: Database, tmp_path: Path
):
    rows = [  # (kind, status, priority at 0007, priority at 0008)
        ("reminder", "pending", 1, 2),
        ("reminder", "sending", 1, 2),
        ("reminder", "sent", 1, 1),  # history keeps what it was sent at
        ("schedule_change", "pending", 3, 3),
        ("power", "pending", 0, 0),
    ]
    async with fresh_database(database, tmp_path, at="0007") as engine:
        async with engine.begin() as conn:
            for index, (kind, status, priority, _) in enumerate(rows):
                values = {"kind": kind, "key": f"k{index}", "status": status, "priority": priority}
                await conn.execute(text(OUTBOX_ROW), values)
        select = text("SELECT priority FROM outbox ORDER BY idempotency_key")
        await upgrade_engine(engine, "0008")
        async with engine.connect() as conn:
            assert list((await conn.execute(select)).scalars()) == [row[3] for row in rows]
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade_on, "0007")
            assert list((await conn.execute(select)).scalars()) == [row[2] for row in rows]
