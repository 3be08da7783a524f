"""Database URLs: which are accepted and the async driver each one gets."""

from __future__ import annotations

import pytest

from esvitlo.adapters.sql.engine import UnsupportedDatabaseUrl, create_engine, normalize_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///./data/esvitlo.db", "sqlite+aiosqlite:///./data/esvitlo.db"),
        ("sqlite+aiosqlite:////var/lib/e.db", "sqlite+aiosqlite:////var/lib/e.db"),
        ("postgresql://u:p@db:5432/esvitlo", "postgresql+asyncpg://u:p@db:5432/esvitlo"),
        ("postgres://u@db/esvitlo", "postgresql+asyncpg://u@db/esvitlo"),
        ("postgresql+asyncpg://u@db/esvitlo", "postgresql+asyncpg://u@db/esvitlo"),
        ("postgres://u@db/e?sslmode=require", "postgresql+asyncpg://u@db/e?ssl=require"),
    ],
)
def test_urls_get_async_drivers(url: str, expected: str):
    assert normalize_url(url).render_as_string(hide_password=False) == expected


@pytest.mark.parametrize(
    "url", ["mysql://u@db/e", "postgresql+psycopg2://u@db/e", "sqlite+pysqlite:///x.db", "junk"]
)
def test_other_urls_are_refused_clearly(url: str):
    with pytest.raises(UnsupportedDatabaseUrl, match="URL"):
        normalize_url(url)


def test_a_schema_is_postgresql_only():
    with pytest.raises(UnsupportedDatabaseUrl, match="PostgreSQL only"):
        create_engine("sqlite:///x.db", schema="s")
