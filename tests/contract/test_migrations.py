"""Contract: the migrations build exactly tables.py on every backend, and rerunning is harmless."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sql_backends import Database, StepClock, drop_schema
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import (
    alembic_config,
    current,
    current_revision,
    head_revision,
    upgrade,
    upgrade_engine,
)
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import metadata
from esvitlo.domain.accounts import CaptionStyle, ChatKind, PostMode


def _schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return compare_metadata(context, metadata)


def _indexes(connection: Connection) -> dict[str, list[str]]:
    inspector = inspect(connection)
    return {
        table: sorted(str(index["name"]) for index in inspector.get_indexes(table))
        for table in inspector.get_table_names()
    }


async def test_migrated_schema_matches_the_metadata(storage: SqlStorage):
    async with storage.engine.connect() as conn:
        diff = await conn.run_sync(_schema_diff)
        indexes = await conn.run_sync(_indexes)
    assert diff == []
    assert "ix_subscriptions_region_queue" in indexes["subscriptions"]
    assert "ix_users_telegram_id" in indexes["users"]
    assert "ix_channels_chat_id" in indexes["channels"]


async def test_upgrade_twice_is_a_no_op(storage: SqlStorage, database: Database):
    await storage.users.get_or_create(1, "uk")
    assert await current_revision(storage.engine) == head_revision()
    await upgrade_engine(storage.engine)
    assert await current_revision(storage.engine) == head_revision()
    async with storage.engine.connect() as conn:
        assert await conn.run_sync(_schema_diff) == []
    assert await storage.users.get_by_telegram_id(1) is not None


def test_upgrade_by_url_creates_the_file_and_reports_the_revision(tmp_path: Path):
    path = tmp_path / "nested" / "dir" / "esvitlo.db"
    url = f"sqlite:///{path}"
    assert current(url) is None
    upgrade(url)
    upgrade(url)
    assert path.exists()
    assert current(f"sqlite+aiosqlite:///{path}") == head_revision()


async def test_sqlite_connections_use_wal_and_enforce_foreign_keys(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        async with engine.connect() as conn:
            pragmas = [
                (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            ]
    finally:
        await engine.dispose()
    assert pragmas == ["wal", 1, 5000]


USER_ROW = (
    "INSERT INTO users (telegram_id, language, created_at) VALUES (10, 'uk', CURRENT_TIMESTAMP)"
)
CHANNEL_ROW = (
    "INSERT INTO channels (chat_id, owner_user_id, title, status, created_at) "
    "SELECT -1001, id, 'c', 'active', CURRENT_TIMESTAMP FROM users"
)


@asynccontextmanager
async def fresh_database(
    database: Database, tmp_path: Path, *, at: str
) -> AsyncIterator[AsyncEngine]:
    """An empty database of the backend (a new PostgreSQL schema, or a new SQLite file)
    migrated up to revision ``at``; dropped afterwards."""
    schema = f"esvitlo_m_{uuid.uuid4().hex[:10]}" if database.backend == "postgresql" else None
    url = database.url if schema else f"sqlite:///{tmp_path / f'm{at}.db'}"
    if schema is not None:
        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await engine.dispose()
    engine = create_engine(url, schema=schema)
    try:
        await upgrade_engine(engine, at)
        yield engine
    finally:
        await engine.dispose()
        if schema is not None:
            await drop_schema(url, schema)


def _downgrade_on(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _channel_columns(connection: Connection) -> set[str]:
    return {str(column["name"]) for column in inspect(connection).get_columns("channels")}


async def test_0003_gives_existing_channels_the_default_post_style_and_goes_back(
    database: Database, tmp_path: Path
):
    async with fresh_database(database, tmp_path, at="0002") as engine:
        async with engine.begin() as conn:
            await conn.execute(text(USER_ROW))
            await conn.execute(text(CHANNEL_ROW))
        await upgrade_engine(engine, "0003")
        async with engine.connect() as conn:  # raw SQL: the repository reads the newest schema
            row = (
                await conn.execute(
                    text("SELECT post_mode, delete_previous, lost_count FROM channels")
                )
            ).one()
        assert (PostMode(row.post_mode), bool(row.delete_previous), row.lost_count) == (
            PostMode.NEW,
            False,
            0,
        )

        async with engine.begin() as conn:
            await conn.run_sync(_downgrade_on, "0002")
            assert not {"post_mode", "delete_previous", "lost_count"} & await conn.run_sync(
                _channel_columns
            )
        await upgrade_engine(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []


async def test_0006_existing_channels_stay_channels_with_the_full_caption_and_it_goes_back(
    database: Database, tmp_path: Path
):
    async with fresh_database(database, tmp_path, at="0005") as engine:
        async with engine.begin() as conn:
            await conn.execute(text(USER_ROW))
            await conn.execute(text(CHANNEL_ROW))
        await upgrade_engine(engine, "0006")
        async with engine.begin() as conn:  # raw SQL: the repository reads the newest schema
            row = (
                await conn.execute(
                    text(
                        "SELECT chat_kind, thread_id, caption_style, caption_template FROM channels"
                    )
                )
            ).one()
            assert (ChatKind(row.chat_kind), row.thread_id) == (ChatKind.CHANNEL, None)
            assert (CaptionStyle(row.caption_style), row.caption_template) == (
                CaptionStyle.FULL,
                None,
            )
            await conn.execute(
                text(
                    "UPDATE channels SET thread_id = 7, caption_style = 'picture', "
                    "caption_template = '{queue}'"
                )
            )

        async with engine.begin() as conn:
            await conn.run_sync(_downgrade_on, "0005")
            assert not {
                "chat_kind",
                "thread_id",
                "caption_style",
                "caption_template",
            } & await conn.run_sync(_channel_columns)
            assert await conn.scalar(text("SELECT count(*) FROM channels")) == 1
        await upgrade_engine(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []


async def test_0007_existing_channels_keep_their_post_buttons_and_it_goes_back(
    database: Database, tmp_path: Path
):
    async with fresh_database(database, tmp_path, at="0006") as engine:
        async with engine.begin() as conn:
            await conn.execute(text(USER_ROW))
            await conn.execute(text(CHANNEL_ROW))
        await upgrade_engine(engine, "0007")
        storage = SqlStorage.from_engine(engine, StepClock())
        channel = await storage.channels.get_by_chat_id(-1001)
        assert channel is not None and channel.post_buttons is True
        await storage.channels.set_post_buttons(-1001, False)
        switched = await storage.channels.get_by_chat_id(-1001)
        assert switched is not None and switched.post_buttons is False
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade_on, "0006")
            assert "post_buttons" not in await conn.run_sync(_channel_columns)
        await upgrade_engine(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_diff) == []
