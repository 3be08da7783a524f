"""Helpers of the SQL contract suite: the backends, a settable clock, migrate and empty."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.tables import metadata

from step_clock import START, StepClock

__all__ = ["START", "StepClock"]  # the contract tests import them from here

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", "postgresql"]


@dataclass(frozen=True)
class Database:
    """A migrated database of one backend: its URL and (PostgreSQL) schema."""

    backend: str
    url: str
    schema: str | None = None


async def migrate(url: str, schema: str | None = None) -> None:
    """Create ``schema`` (PostgreSQL) and migrate the database to head."""
    engine = create_engine(url, schema=schema)
    try:
        if schema is not None:
            async with engine.begin() as conn:
                await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await upgrade_engine(engine)
    finally:
        await engine.dispose()


async def drop_schema(url: str, schema: str) -> None:
    """Drop a PostgreSQL schema and everything in it."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await engine.dispose()


async def unreachable(url: str) -> str | None:
    """Why the database at ``url`` cannot be used, or None when it answers."""
    engine = create_engine(url)
    try:
        async with asyncio.timeout(5), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        await engine.dispose()
    return None


async def empty_tables(engine: AsyncEngine) -> None:
    """Delete every row of every table (TRUNCATE … RESTART IDENTITY on PostgreSQL)."""
    names = [table.name for table in metadata.sorted_tables]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            joined = ", ".join(f'"{name}"' for name in names)
            await conn.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(names):
                await conn.execute(text(f'DELETE FROM "{name}"'))
