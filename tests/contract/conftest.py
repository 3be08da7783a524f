"""One contract suite, every backend: SQLite (a temporary file) and a real PostgreSQL.

Each backend is migrated once per session. PostgreSQL gets a fresh schema of its own
(``esvitlo_test_<random>``, dropped at the end), so parallel runs on one server never meet;
every test starts from empty tables (DELETE on SQLite, TRUNCATE … RESTART IDENTITY on
PostgreSQL). PostgreSQL comes from ESVITLO_TEST_POSTGRES_URL; when it is unreachable the
PostgreSQL cases skip, or fail when ESVITLO_REQUIRE_SERVICES=1 (CI).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from sql_backends import (
    BACKENDS,
    DEFAULT_POSTGRES_URL,
    Database,
    StepClock,
    drop_schema,
    empty_tables,
    migrate,
    unreachable,
)

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.storage import SqlStorage


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """A migrated SQLite file for the session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('contract') / 'esvitlo.db'}"
    asyncio.run(migrate(url))
    return Database("sqlite", url)


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[Database]:
    """A migrated schema of its own on the test PostgreSQL, dropped after the session."""
    url = os.environ.get("ESVITLO_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    problem = asyncio.run(unreachable(url))
    if problem is not None:
        message = f"PostgreSQL at {url} is unreachable ({problem})"
        if os.environ.get("ESVITLO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{message}; ESVITLO_REQUIRE_SERVICES=1 requires it", pytrace=False)
        pytest.skip(f"{message}; set ESVITLO_TEST_POSTGRES_URL")
    schema = f"esvitlo_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(migrate(url, schema))
    yield Database("postgresql", url, schema)
    asyncio.run(drop_schema(url, schema))


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest) -> Database:
    """Each migrated backend in turn."""
    migrated: Database = request.getfixturevalue(f"{request.param}_database")
    return migrated


@pytest.fixture
def clock() -> StepClock:
    """The clock every repository of the test reads."""
    return StepClock()


@pytest.fixture
async def storage(database: Database, clock: StepClock) -> AsyncIterator[SqlStorage]:
    """Every repository over empty tables of one backend."""
    engine = create_engine(database.url, schema=database.schema)
    await empty_tables(engine)
    repositories = SqlStorage.from_engine(engine, clock)
    yield repositories
    await repositories.close()
