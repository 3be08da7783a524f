"""Contract: the readiness write check passes on a free database and fails, within its wait
and without SQL in the reason, while another connection holds the write lock."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sql_backends import Database
from sqlalchemy import func, select

from esvitlo.adapters.sql.engine import create_engine, normalize_url
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import app_flags
from esvitlo.adapters.sql.write_check import DatabaseCheckFailed, check_writes

WAIT = 0.3


@asynccontextmanager
async def _writes_locked(database: Database) -> AsyncIterator[None]:
    """Another connection holds the lock a write needs: SQLite's BEGIN EXCLUSIVE, a
    PostgreSQL session's EXCLUSIVE lock on the table the check writes."""
    if database.backend == "sqlite":
        path = normalize_url(database.url).database
        assert path is not None
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(database.url, schema=database.schema)
    try:
        async with engine.connect() as session:
            await session.exec_driver_sql("LOCK TABLE app_flags IN EXCLUSIVE MODE")
            yield
            await session.rollback()
    finally:
        await engine.dispose()


async def _failure(check: Callable[[], Awaitable[None]]) -> tuple[str, float]:
    started = time.monotonic()
    try:
        await asyncio.wait_for(check(), timeout=5)
    except DatabaseCheckFailed as exc:
        return str(exc), time.monotonic() - started
    raise AssertionError("the check passed while writes were locked")


async def test_the_check_writes_nothing_and_fails_while_writes_are_locked(
    storage: SqlStorage, database: Database
) -> None:
    def check() -> Awaitable[None]:
        return check_writes(storage.engine, within=WAIT)

    await check()
    async with _writes_locked(database):
        await storage.ping()  # reads still answer: the old check said "ok" here
        reason, took = await _failure(check)
    expected = {
        "sqlite": "OperationalError: database is locked",
        "postgresql": "LockNotAvailableError: canceling statement due to lock timeout",
    }
    assert reason == expected[database.backend]
    assert WAIT * 0.9 <= took < WAIT + 1.5
    await check()  # free again
    async with storage.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(app_flags)) == 0
