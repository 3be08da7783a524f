"""Dialect-aware statements: ``INSERT … ON CONFLICT`` for SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import Insert as PostgresInsert
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection


def upsert_insert(conn: AsyncConnection, table: Table) -> PostgresInsert | SqliteInsert:
    """An INSERT for ``table`` that supports ``on_conflict_do_update`` / ``_do_nothing``."""
    if conn.dialect.name == "postgresql":
        return postgres_insert(table)
    return sqlite_insert(table)
