"""``esvitlo migrate-data``: an SQLite install filled through the real repositories is copied
into a fresh PostgreSQL schema row for row, and new rows there get fresh ids."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import AsyncIterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from sql_backends import DEFAULT_POSTGRES_URL, StepClock, drop_schema, unreachable
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import metadata, users
from esvitlo.cli import main
from esvitlo.cli.errors import CliError
from esvitlo.cli.migrate_data import migrate_data
from esvitlo.domain.accounts import ChannelStatus, NotificationSettings

from delivery_rig import day, plan


@pytest.fixture
async def postgres_schema() -> AsyncIterator[tuple[str, str]]:
    """A new, empty schema on the test PostgreSQL (URL and name), dropped afterwards."""
    url = os.environ.get("ESVITLO_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    problem = await unreachable(url)
    if problem is not None:
        message = f"PostgreSQL at {url} is unreachable ({problem})"
        if os.environ.get("ESVITLO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{message}; ESVITLO_REQUIRE_SERVICES=1 requires it", pytrace=False)
        pytest.skip(message)
    schema = f"esvitlo_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await engine.dispose()
    yield url, schema
    await drop_schema(url, schema)


async def _fill(storage: SqlStorage, clock: StepClock) -> None:
    """A small install: users (one deleted, leaving a gap in ids), addresses, settings,
    channels, conversation state, flags, stored schedules with their alerts, a broadcast."""
    owner = await storage.users.get_or_create(1001, "uk")
    other = await storage.users.get_or_create(1002, "en")
    gone = await storage.users.get_or_create(1003, "uk")
    last = await storage.users.get_or_create(1004, "uk")
    await storage.users.set_active(1004, False)
    home = await storage.subscriptions.add(owner.id, "kyiv", "3.1", "Дім")
    await storage.subscriptions.add(other.id, "kyiv", "3.1", "home")
    await storage.subscriptions.add(last.id, "kyiv", "4.2", "дача")
    await storage.notification_prefs.save(
        NotificationSettings(
            owner.id, tomorrow=False, remind_before_off=(15, 30), remind_before_on=(5,),
            quiet_start=time(23), quiet_end=time(7),
        )
    )  # fmt: skip
    await storage.channels.add_pending(-100_123, owner.id, "Світло <b>")
    await storage.channels.link(-100_123, home.id)
    await storage.channels.set_status(-100_123, ChannelStatus.ACTIVE)
    await storage.conversations.set_state("1:1001:1001", "rename")
    await storage.conversations.set_data("1:1001:1001", {"address": home.id, "name": "Дім"})
    await storage.app_flags.set("paused", "1")
    await storage.users.delete(gone.id)
    clock.advance(minutes=5)
    today = date(2025, 11, 9)
    await plan(storage, today, day(today, (600, 720)))
    await plan(storage, today, day(today, (600, 780)))  # a change: alerts in the outbox
    await storage.outbox.enqueue_broadcast("Привіт & <всім>", clock.now(), broadcast_id="b1")


async def _rows(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    async with engine.connect() as conn:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            result = await conn.execute(select(table).order_by(*order))
            rows[table.name] = [dict(row._mapping) for row in result]
    return rows


async def test_sqlite_install_is_copied_row_for_row(tmp_path: Path, postgres_schema):
    url, schema = postgres_schema
    sqlite_url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    clock = StepClock()
    source = SqlStorage.from_engine(create_engine(sqlite_url), clock)
    await upgrade_engine(source.engine)
    await _fill(source, clock)

    out = io.StringIO()
    assert await migrate_data(sqlite_url, url, target_schema=schema, out=out) == 0
    target = SqlStorage.from_engine(create_engine(url, schema=schema), clock)
    try:
        before, after = await _rows(source.engine), await _rows(target.engine)
        assert after == before
        assert len(before["users"]) == 3 and len(before["outbox"]) >= 4
        assert all(before[name] for name in ("subscriptions", "channels", "schedule_days"))
        lines = dict(line.split() for line in out.getvalue().splitlines())
        assert lines == {name: str(len(r)) for name, r in before.items()} | {
            "total": str(sum(len(r) for r in before.values()))
        }

        # the id sequences moved past the copied ids
        newest = max(row["id"] for row in before["users"])
        fresh = await target.users.get_or_create(2001, "uk")
        assert fresh.id == newest + 1
        assert await target.outbox.enqueue_broadcast("ще", clock.now(), broadcast_id="b2") == 3
        subscription = await target.subscriptions.add(fresh.id, "kyiv", "1.1", "new")
        assert subscription.id == max(row["id"] for row in before["subscriptions"]) + 1
    finally:
        await source.close()
        await target.close()


async def test_a_target_with_users_is_refused_and_left_alone(tmp_path: Path, postgres_schema):
    url, schema = postgres_schema
    sqlite_url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    clock = StepClock()
    source = SqlStorage.from_engine(create_engine(sqlite_url), clock)
    await upgrade_engine(source.engine)
    await source.users.get_or_create(1001, "uk")
    await source.close()
    target = SqlStorage.from_engine(create_engine(url, schema=schema), clock)
    try:
        await upgrade_engine(target.engine)
        await target.users.get_or_create(77, "en")
        with pytest.raises(CliError) as refused:
            await migrate_data(sqlite_url, url, target_schema=schema, out=io.StringIO())
        assert refused.value.exit_code == 2
        assert "already has rows (users: 1)" in str(refused.value)
        async with target.engine.connect() as conn:
            ids = (await conn.execute(select(users.c.telegram_id))).scalars().all()
        assert ids == [77]
    finally:
        await target.close()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["postgresql://u@h/db", "postgresql://u@h/db"], "the source must be an SQLite file"),
        (
            ["sqlite:///{tmp}/esvitlo.db", "sqlite:///{tmp}/other.db"],
            "target must be a PostgreSQL URL",
        ),
        (["sqlite:///{tmp}/missing.db", "postgresql://u@h/db"], "no SQLite database at"),
        (["mysql://u@h/db", "postgresql://u@h/db"], "unsupported database URL scheme"),
    ],
)
def test_bad_urls_are_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
):
    (tmp_path / "esvitlo.db").touch()
    code = main(["migrate-data", *(arg.format(tmp=tmp_path) for arg in argv)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err
    assert not (tmp_path / "missing.db").exists()
