"""End-to-end fixtures: a database per backend, the fake Telegram, a local schedule feed."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from schedule_server import FixtureServer

POSTGRES_URL = os.environ.get(
    "ESVITLO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def _async_url(url: str, database: str | None = None) -> str:
    base = url.replace("postgresql://", "postgresql+asyncpg://", 1)
    return base.rsplit("/", 1)[0] + f"/{database}" if database else base


async def _postgres_database() -> AsyncIterator[str]:
    """A new empty PostgreSQL database for one test, dropped afterwards."""
    name = f"esvitlo_e2e_{secrets.token_hex(4)}"
    admin = create_async_engine(_async_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        await admin.dispose()
        reason = f"PostgreSQL at {POSTGRES_URL} is unreachable: {exc}"
        if os.environ.get("ESVITLO_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[str]:
    """The URL of an empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'esvitlo.db'}"
        return
    async for url in _postgres_database():
        yield url


@pytest.fixture
async def feed() -> AsyncIterator[FixtureServer]:
    """A local schedule feed; tests choose what it serves."""
    srv = FixtureServer()
    await srv.test_server.start_server()
    yield srv
    srv.release.set()
    await srv.test_server.close()
