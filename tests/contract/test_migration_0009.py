"""Contract: migration 0009 adds address_lookups (gone with its subscription) and goes back,
on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sql_backends import Database
from sqlalchemy import Connection, inspect, text
from test_migrations import USER_ROW, _downgrade_on, _schema_diff, fresh_database

from esvitlo.adapters.sql.migrate import upgrade_engine

SUBSCRIPTION_ROW = (
    "INSERT INTO subscriptions (user_id, region, queue, label, created_at) "
    "SELECT id, 'kyiv', '3.2', 'вул. Хрещатик, 12а', CURRENT_TIMESTAMP FROM users"
)
ADDRESS_ROW = (
    "INSERT INTO address_lookups (subscription_id, street, house, queue, checked_at, "
    "next_check_at) SELECT id, 'вул. Хрещатик', '12а', '3.2', CURRENT_TIMESTAMP, "
    "CURRENT_TIMESTAMP FROM subscriptions"
)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_0009_adds_address_lookups_and_goes_back(database: Database, tmp_path: Path):
    async with fresh_database(database, tmp_path, at="0008") as engine:
        async with engine.begin() as conn:
            await conn.execute(text(USER_ROW))
            await conn.execute(text(SUBSCRIPTION_ROW))
        await upgrade_engine(engine, "0009")
        async with engine.begin() as conn:
            await conn.execute(text(ADDRESS_ROW))
            assert await conn.scalar(text("SELECT queue FROM address_lookups")) == "3.2"
            await conn.execute(text("DELETE FROM subscriptions"))
            assert await conn.scalar(text("SELECT count(*) FROM address_lookups")) == 0
            await conn.execute(text(SUBSCRIPTION_ROW))
            await conn.execute(text(ADDRESS_ROW))
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade_on, "0008")
            assert "address_lookups" not in await conn.run_sync(_tables)
            assert await conn.scalar(text("SELECT count(*) FROM subscriptions")) == 1
        await upgrade_engine(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []
