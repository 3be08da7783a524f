"""Async engines for SQLite (aiosqlite, WAL, foreign keys on) and PostgreSQL (asyncpg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

SQLITE_DRIVER = "sqlite+aiosqlite"
POSTGRES_DRIVER = "postgresql+asyncpg"
BUSY_TIMEOUT_MS = 5000

_DRIVERS = {
    "sqlite": SQLITE_DRIVER,
    SQLITE_DRIVER: SQLITE_DRIVER,
    "postgres": POSTGRES_DRIVER,
    "postgresql": POSTGRES_DRIVER,
    POSTGRES_DRIVER: POSTGRES_DRIVER,
}


class UnsupportedDatabaseUrl(ValueError):
    """The URL names neither SQLite nor PostgreSQL, or a driver we do not ship."""


def normalize_url(url: str) -> URL:
    """The async-driver form of a SQLite or PostgreSQL URL (``postgres://`` included)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UnsupportedDatabaseUrl(f"not a database URL: {url!r}") from exc
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        raise UnsupportedDatabaseUrl(
            f"unsupported database URL scheme {parsed.drivername!r}: use sqlite:///PATH "
            "or postgresql://USER@HOST/DB"
        )
    parsed = parsed.set(drivername=driver)
    sslmode = parsed.query.get("sslmode")
    if driver == POSTGRES_DRIVER and isinstance(sslmode, str):
        # libpq's sslmode, as most DATABASE_URLs spell it, is asyncpg's ssl (same values).
        parsed = parsed.difference_update_query(["sslmode"]).update_query_dict({"ssl": sslmode})
    return parsed


def is_memory_sqlite(url: URL) -> bool:
    """Whether a normalized URL is an in-memory SQLite database."""
    return url.drivername == SQLITE_DRIVER and url.database in (None, "", ":memory:")


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_engine(url: URL) -> AsyncEngine:
    if is_memory_sqlite(url):
        engine = create_async_engine(url, poolclass=StaticPool)
    else:
        assert url.database is not None
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url)
    event.listen(engine.sync_engine, "connect", _set_sqlite_pragmas)
    return engine


def create_engine(url: str, *, schema: str | None = None) -> AsyncEngine:
    """An async engine for ``url``; ``schema`` puts PostgreSQL's search path on that schema.

    SQLite: the file's directory is created, and every connection runs in WAL mode with
    foreign keys enforced and a busy timeout. Raise UnsupportedDatabaseUrl for other URLs.
    """
    parsed = normalize_url(url)
    if parsed.drivername == SQLITE_DRIVER:
        if schema is not None:
            raise UnsupportedDatabaseUrl("a schema can be chosen on PostgreSQL only")
        return _sqlite_engine(parsed)
    connect_args: dict[str, Any] = {}
    if schema is not None:
        connect_args["server_settings"] = {"search_path": schema}
    return create_async_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
