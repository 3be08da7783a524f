"""Schema migrations: Alembic run programmatically with the scripts shipped in the package."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.engine import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 0x65_53_76_6C  # "eSvl": one instance migrates at a time
_T = TypeVar("_T")


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged scripts (and at ``url`` when given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision the packaged scripts define."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration scripts"
    return head


def _upgrade_on(connection: Connection, revision: str) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _revision_on(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def upgrade_engine(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database of ``engine`` to ``revision``, in one transaction where possible."""
    async with engine.begin() as conn:
        await conn.run_sync(_upgrade_on, revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database of ``engine`` is at; None before the first migration."""
    async with engine.connect() as conn:
        return await conn.run_sync(_revision_on)


def _run(url: str, work: Callable[[AsyncEngine], Awaitable[_T]]) -> _T:
    async def main() -> _T:
        engine = create_engine(url)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def upgrade(url: str) -> None:
    """Migrate the database at ``url`` to the newest revision (outside a running event loop)."""
    _run(url, upgrade_engine)


def current(url: str) -> str | None:
    """The revision of the database at ``url`` (outside a running event loop)."""
    return _run(url, current_revision)
