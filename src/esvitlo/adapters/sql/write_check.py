"""Whether the database takes writes now: one row written in a transaction rolled back.

A database can answer ``SELECT 1`` while no write gets through (SQLite held by another
writer, a PostgreSQL table locked, a read-only replica after a failover). The check waits
for locks at most a given time and reports a failure as the driver's error type and the
first line of its message, never the SQL or its parameters.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.engine import BUSY_TIMEOUT_MS
from esvitlo.adapters.sql.tables import app_flags

REASON_LIMIT = 200  # characters of the driver's message kept


class DatabaseCheckFailed(Exception):
    """The database did not take the write; the message is a short reason without SQL."""


async def check_writes(engine: AsyncEngine, *, within: float) -> None:
    """Insert one ``app_flags`` row and roll it back, waiting at most ``within`` seconds for
    locks (on PostgreSQL, twice that for the statement); raise DatabaseCheckFailed when the
    database does not take it."""
    wait_ms = max(1, int(within * 1000))
    row = {"name": f"write-check:{secrets.token_hex(8)}", "value": "", "updated_at": _now()}
    try:
        async with engine.connect() as conn:
            await _limit_waits(conn, wait_ms)
            try:
                await conn.execute(insert(app_flags).values(**row))
            finally:
                await conn.rollback()
                await _restore_waits(conn)
    except (SQLAlchemyError, OSError) as exc:
        raise DatabaseCheckFailed(short_reason(exc)) from None


def _now() -> datetime:
    return datetime.now(UTC)  # the row is never kept: no clock to inject


async def _limit_waits(conn: AsyncConnection, wait_ms: int) -> None:
    if conn.dialect.name == "postgresql":  # for this transaction only
        await conn.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")
        await conn.exec_driver_sql(f"SET LOCAL statement_timeout = {2 * wait_ms}")
    else:  # SQLite: per connection, restored after the check
        await conn.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")


async def _restore_waits(conn: AsyncConnection) -> None:
    if conn.dialect.name != "postgresql":
        await conn.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def short_reason(exc: BaseException) -> str:
    """``Type: first line`` of the driver's error (SQLAlchemy's own text adds the SQL)."""
    cause: BaseException = exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        cause = exc.orig
        # asyncpg's errors reach SQLAlchemy wrapped; the original says what happened
        if cause.__cause__ is not None:
            cause = cause.__cause__
    lines = str(cause).strip().splitlines()
    reason = f"{type(cause).__name__}: {lines[0]}" if lines else type(cause).__name__
    return reason[:REASON_LIMIT]
