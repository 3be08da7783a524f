"""Alembic environment: migrates through a connection from migrate.py, or its own engine."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.tables import metadata

config = context.config


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on ``connection`` (batch mode on SQLite for ALTERs)."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_with_url(url: str) -> None:
    """Open an engine for ``url`` and migrate through it."""
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(run_migrations)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported")
handed_in = config.attributes.get("connection")
if handed_in is not None:
    run_migrations(handed_in)
else:
    asyncio.run(run_with_url(config.get_main_option("sqlalchemy.url") or ""))
