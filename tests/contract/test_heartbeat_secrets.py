"""Contract: heartbeat secrets are stored as hashes only, on every backend; migration 0005
hashes the secrets stored before it; a DEBUG log of a beat never shows the secret."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import structlog
from alembic import command
from sql_backends import Database, StepClock, drop_schema
from sqlalchemy import Connection, select, text
from sqlalchemy.ext.asyncio import AsyncEngine
from test_limits import monitor_service

from esvitlo.adapters.logs import SQL_LOGGERS, configure_logging
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import alembic_config, upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import monitors
from esvitlo.domain.monitors import hash_secret
from esvitlo.services.heartbeats import HeartbeatReceiver, new_secret

OLD_SECRET = "old-style-secret-0123456789abcdef"
TELEGRAM_ID = 7001


async def heartbeat_url(storage: SqlStorage, clock: StepClock) -> str:
    user = await storage.users.get_or_create(TELEGRAM_ID, "uk")
    sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "home")
    setup = await monitor_service(storage, clock, limit=3).add_heartbeat(TELEGRAM_ID, sub.id, 60)
    return setup.url


async def stored_rows(engine: AsyncEngine) -> list[dict[str, object]]:
    async with engine.connect() as conn:
        return [dict(row._mapping) for row in await conn.execute(select(monitors))]


async def test_the_database_keeps_the_hash_and_never_the_secret(
    storage: SqlStorage, clock: StepClock
):
    url = await heartbeat_url(storage, clock)
    secret = url.rsplit("/hb/", 1)[1]
    [row] = await stored_rows(storage.engine)
    assert row["secret_hash"] == hash_secret(secret)
    assert not any(secret in str(value) for value in row.values()), row
    receiver = HeartbeatReceiver(storage.power, clock)
    assert await receiver.beat(secret)
    assert not await receiver.beat(str(row["secret_hash"])[:64])  # the hash is no URL


@pytest.fixture
async def old_database(database: Database, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A database of the backend migrated to 0004 only, in a schema or file of its own."""
    schema = f"esvitlo_m5_{uuid.uuid4().hex[:10]}" if database.backend == "postgresql" else None
    url = database.url if schema else f"sqlite:///{tmp_path / 'm5.db'}"
    if schema is not None:
        admin = create_engine(url)
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await admin.dispose()
    engine = create_engine(url, schema=schema)
    await upgrade_engine(engine, "0004")
    try:
        yield engine
    finally:
        await engine.dispose()
        if schema is not None:
            await drop_schema(url, schema)


def _downgrade_to_0004(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, "0004")


async def test_0005_hashes_stored_secrets_and_their_urls_keep_working(old_database: AsyncEngine):
    engine = old_database
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO users (telegram_id, language, created_at) "
                "VALUES (10, 'uk', CURRENT_TIMESTAMP)"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO monitors (user_id, kind, target, created_at, secret) "
                "SELECT id, 'heartbeat', '', CURRENT_TIMESTAMP, :secret FROM users"
            ),
            {"secret": OLD_SECRET},
        )
        await conn.execute(
            text(
                "INSERT INTO monitors (user_id, kind, target, created_at) "
                "SELECT id, 'probe', '93.184.216.34', CURRENT_TIMESTAMP FROM users"
            )
        )
    await upgrade_engine(engine)
    beat, probe = sorted(await stored_rows(engine), key=lambda row: str(row["kind"]))
    assert beat["secret_hash"] == hash_secret(OLD_SECRET) and probe["secret_hash"] is None
    storage = SqlStorage.from_engine(engine, StepClock())
    assert await HeartbeatReceiver(storage.power, StepClock()).beat(OLD_SECRET)

    # back to 0004: the hashes go (a secret cannot be recovered), and up again cleanly
    async with engine.begin() as conn:
        await conn.run_sync(_downgrade_to_0004)
        assert (await conn.execute(text("SELECT secret FROM monitors"))).scalars().all() == [
            None,
            None,
        ]
    await upgrade_engine(engine)
    assert not await HeartbeatReceiver(storage.power, StepClock()).beat(OLD_SECRET)


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Every log line of the process at DEBUG, collected; the logging set-up restored after."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    sql_levels = {name: logging.getLogger(name).level for name in SQL_LOGGERS}
    stream = io.StringIO()
    yield stream
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)
    for name, sql_level in sql_levels.items():
        logging.getLogger(name).setLevel(sql_level)
    structlog.contextvars.clear_contextvars()


@pytest.mark.parametrize("log_sql", [False, True])
async def test_a_debug_log_of_a_beat_never_shows_the_secret(
    storage: SqlStorage, clock: StepClock, debug_log: io.StringIO, log_sql: bool
):
    url = await heartbeat_url(storage, clock)
    secret = url.rsplit("/hb/", 1)[1]
    configure_logging("DEBUG", fmt="json", stream=debug_log, log_sql=log_sql)
    assert await HeartbeatReceiver(storage.power, clock).beat(secret)
    logging.getLogger("aiohttp.access").info('127.0.0.1 "GET /hb/%s HTTP/1.1" 200', secret)
    logging.getLogger("esvitlo.test").debug("heartbeat.seen url=%s", url)
    lines = debug_log.getvalue()
    assert secret not in lines and new_secret() not in lines
    assert lines.count("/hb/[REDACTED]") == 2
    # the statements are logged (with their parameters) only when asked for
    assert ("UPDATE monitors" in lines) is log_sql
    assert (hash_secret(secret) in lines) is log_sql
