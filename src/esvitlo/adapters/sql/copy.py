"""Copy every table of one database into another: moving an embedded SQLite install onto
PostgreSQL.

Both databases are first migrated to the newest schema; then every table of the metadata is
copied in foreign-key order, in batches, inside one transaction on the target (a failure
leaves it as it was). PostgreSQL's id sequences are moved past the copied ids, so new rows
get fresh ones. A target that already holds data is refused: the copy never merges.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.tables import metadata

BATCH_SIZE = 1000


class TargetNotEmpty(Exception):
    """The target database already has rows; copying would mix two installs."""


def _order(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns) or list(table.columns)


async def _row_counts(conn: AsyncConnection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in metadata.sorted_tables:
        counts[table.name] = int(await conn.scalar(select(func.count()).select_from(table)) or 0)
    return counts


async def _copy_table(
    source: AsyncConnection, target: AsyncConnection, table: Table, batch_size: int
) -> int:
    copied = 0
    rows = await source.stream(select(table).order_by(*_order(table)))
    async for batch in rows.partitions(batch_size):
        await target.execute(insert(table), [dict(row._mapping) for row in batch])
        copied += len(batch)
    return copied


async def _reset_sequences(target: AsyncConnection) -> None:
    """Move each id sequence past the largest copied id (PostgreSQL only)."""
    if target.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        # names from our own metadata, never from input
        largest = f'SELECT MAX("{column.name}") FROM "{table.name}"'  # noqa: S608
        await target.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE(({largest}), 0) + 1, false)"
            ),
            {"table": f'"{table.name}"', "column": column.name},
        )


async def copy_database(
    source: AsyncEngine,
    target: AsyncEngine,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Migrate both databases to the newest schema and copy every row of ``source`` into the
    empty ``target``; the rows copied per table, in copy order.

    Raise TargetNotEmpty (before writing anything) when ``target`` has rows in any table.
    ``progress`` is called with each table's name and row count once it is copied.
    """
    await upgrade_engine(source)
    await upgrade_engine(target)
    copied: dict[str, int] = {}
    async with source.connect() as src, target.begin() as dst:
        found = {name: n for name, n in (await _row_counts(dst)).items() if n}
        if found:
            listed = ", ".join(f"{name}: {n}" for name, n in found.items())
            raise TargetNotEmpty(f"the target database already has rows ({listed})")
        for table in metadata.sorted_tables:
            copied[table.name] = await _copy_table(src, dst, table, batch_size)
            if progress is not None:
                progress(table.name, copied[table.name])
        await _reset_sequences(dst)
    return copied
