"""Row counts, sizes and the oldest rows of every table, for ``esvitlo db stats``.

Sizes: PostgreSQL's ``pg_total_relation_size`` (table, indexes and TOAST); SQLite's ``dbstat``
virtual table when the library has it (indexes counted with their table), otherwise only the
file's total (``page_count * page_size``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.tables import conversations, metadata, outbox, schedule_days, users


@dataclass(frozen=True, slots=True)
class TableStats:
    """One table: its rows and its size in bytes (None when the database cannot tell)."""

    name: str
    rows: int
    size_bytes: int | None


@dataclass(frozen=True, slots=True)
class OldestRow:
    """The oldest row of a group of rows (such as the outbox's sent messages): its time."""

    group: str
    rows: int
    oldest: datetime | None


@dataclass(frozen=True, slots=True)
class DatabaseStats:
    """The whole database: its backend, tables, total size and oldest rows where growth shows."""

    backend: str
    tables: list[TableStats]
    total_bytes: int | None
    oldest: list[OldestRow]


async def database_stats(engine: AsyncEngine) -> DatabaseStats:
    """Read the figures of every table of the schema that exists in the database."""
    async with engine.connect() as conn:
        present = set(await conn.run_sync(_table_names))
        names = sorted(name for name in metadata.tables if name in present)
        sizes, total = await _sizes(conn, names)
        tables = [
            TableStats(name, await _count(conn, name), sizes.get(name) if sizes else None)
            for name in names
        ]
        oldest = await _oldest_rows(conn, present)
    return DatabaseStats(conn.dialect.name, tables, total, oldest)


def _table_names(connection: Connection) -> list[str]:
    return list(inspect(connection).get_table_names())


async def _count(conn: AsyncConnection, name: str) -> int:
    return int(await conn.scalar(select(func.count()).select_from(metadata.tables[name])) or 0)


async def _sizes(conn: AsyncConnection, names: list[str]) -> tuple[dict[str, int] | None, int]:
    """Bytes per table (None when unknown) and the database's total."""
    if conn.dialect.name == "postgresql":
        total = await conn.scalar(text("SELECT pg_database_size(current_database())"))
        query = text("SELECT pg_total_relation_size(CAST(:name AS regclass))")
        sizes = {name: int(await conn.scalar(query, {"name": f'"{name}"'}) or 0) for name in names}
        return sizes, int(total or 0)
    pages = await conn.scalar(text("PRAGMA page_count"))
    page_size = await conn.scalar(text("PRAGMA page_size"))
    total = int(pages or 0) * int(page_size or 0)
    try:
        rows = await conn.execute(
            text(
                "SELECT m.tbl_name, SUM(d.pgsize) FROM dbstat AS d "
                "JOIN sqlite_master AS m ON m.name = d.name GROUP BY m.tbl_name"
            )
        )
    except DBAPIError:  # SQLite built without SQLITE_ENABLE_DBSTAT_VTAB
        await conn.rollback()
        return None, total
    return {str(name): int(size or 0) for name, size in rows}, total


async def _oldest_rows(conn: AsyncConnection, present: set[str]) -> list[OldestRow]:
    """The oldest row per outbox status, stored schedule day, conversation and user."""
    found: list[OldestRow] = []
    if "outbox" in present:
        query = (
            select(outbox.c.status, func.count(), func.min(outbox.c.created_at))
            .group_by(outbox.c.status)
            .order_by(outbox.c.status)
        )
        for status, rows, oldest in await conn.execute(query):
            found.append(OldestRow(f"outbox {status}", int(rows), _aware(oldest)))
    groups: list[tuple[str, Any]] = [
        ("schedule_days", schedule_days.c.day),
        ("conversations", conversations.c.updated_at),
        ("users", users.c.created_at),
    ]
    for name, column in groups:
        if name in present:
            row = (await conn.execute(select(func.count(), func.min(column)))).one()
            found.append(OldestRow(name, int(row[0]), _aware(row[1])))
    return found


def _aware(value: Any) -> datetime | None:
    """An aware UTC datetime from a stored time or date (a day counts from its midnight)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), UTC)
    if isinstance(value, str):  # SQLite's MIN over a column can lose the column type
        return _aware(datetime.fromisoformat(value))
    raise TypeError(f"not a time: {value!r}")
