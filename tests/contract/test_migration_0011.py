"""Contract: migration 0011 leaves every user's crowd setting at "the default" (NULL), keeps
their other settings, adds the episodes table, and goes back, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sql_backends import Database, StepClock
from sqlalchemy import Connection, inspect, text
from test_migration_0008 import SETTINGS_ROW
from test_migrations import USER_ROW, _downgrade_on, _schema_diff, fresh_database

from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage

COLUMNS = "tomorrow, crowd, crowd_plan"


def _tables_and_settings(connection: Connection) -> tuple[set[str], set[str]]:
    inspector = inspect(connection)
    columns = {str(c["name"]) for c in inspector.get_columns("notification_settings")}
    return set(inspector.get_table_names()), columns


async def test_0011_keeps_settings_with_the_crowd_default_and_goes_back(
    database: Database, tmp_path: Path
):
    async with fresh_database(database, tmp_path, at="0010") as engine:
        async with engine.begin() as conn:
            await conn.execute(text(USER_ROW))
            await conn.execute(text(SETTINGS_ROW))
            user_id = await conn.scalar(text("SELECT id FROM users"))
        await upgrade_engine(engine, "0011")
        async with engine.connect() as conn:
            row = (await conn.execute(text(f"SELECT {COLUMNS} FROM notification_settings"))).one()
        assert (bool(row.tomorrow), row.crowd, bool(row.crowd_plan)) == (False, None, False)
        prefs = SqlStorage.from_engine(engine, StepClock()).notification_prefs
        settings = await prefs.get(user_id)
        assert (settings.tomorrow, settings.crowd) == (False, None)
        await prefs.save(replace(settings, crowd=False))
        assert (await prefs.get(user_id)).crowd is False
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade_on, "0010")
            tables, columns = await conn.run_sync(_tables_and_settings)
            assert not {"crowd", "crowd_plan"} & columns and "crowd_episodes" not in tables
            assert await conn.scalar(text("SELECT count(*) FROM notification_settings")) == 1
        await upgrade_engine(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []
