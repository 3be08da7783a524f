"""``esvitlo backup`` while messages go out through the fake Bot API and heartbeats arrive, then
``esvitlo restore`` into a fresh database: nothing lost up to the backup's moment (table by
table, with ``esvitlo db stats``' figures), and the outbox resumes there, sending again only
what the backup could not know was sent (the documented bound)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from sql_backends import DEFAULT_POSTGRES_URL, unreachable
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from esvitlo.adapters.sql.db_stats import database_stats
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import monitors, outbox
from esvitlo.cli import main
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.testing.fake_telegram import FakeTelegram

from delivery_rig import day, make_sender, open_storage, plan, until

pytest_plugins = ("fake_bot",)

PEOPLE = 120
SECRET_HASH = hash_secret("backup-heartbeat-secret-0123456789")
MAX_IN_FLIGHT = 20


@dataclass(frozen=True)
class Snapshot:
    """Rows per table (as ``esvitlo db stats`` counts them), sent outbox ids, the last beat."""

    rows: dict[str, int]
    sent: frozenset[int]
    last_beat: datetime | None


async def snapshot(url: str) -> Snapshot:
    engine = create_engine(url)
    try:
        stats = await database_stats(engine)
        async with engine.connect() as conn:
            sent = (await conn.execute(select(outbox.c.id).where(outbox.c.status == "sent"))).all()
            beat = await conn.scalar(select(func.max(monitors.c.last_beat_at)))
    finally:
        await engine.dispose()
    rows = {table.name: table.rows for table in stats.tables}
    return Snapshot(rows, frozenset(row.id for row in sent), beat)


async def _create_databases(url: str, names: list[str], *, drop: bool = False) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for name in names:
                verb = (
                    f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                    if drop
                    else f'CREATE DATABASE "{name}"'
                )
                await conn.execute(text(verb))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def databases(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[str, str]]:
    """The service's database URL and a fresh one to restore into."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'restored.db'}"
        return
    url = os.environ.get("ESVITLO_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    problem = await unreachable(url)
    if problem is None and shutil.which("pg_dump") is None:
        problem = "pg_dump is not installed (Debian: postgresql-client)"
    if problem is not None:
        message = f"PostgreSQL backup needs {url} and pg_dump ({problem})"
        if os.environ.get("ESVITLO_REQUIRE_SERVICES") == "1" or os.environ.get("CI") == "true":
            pytest.fail(f"{message}; ESVITLO_REQUIRE_SERVICES=1 or CI requires it", pytrace=False)
        pytest.skip(message)
    names = [f"esvitlo_bk_{uuid.uuid4().hex[:10]}", f"esvitlo_rs_{uuid.uuid4().hex[:10]}"]
    await _create_databases(url, names)
    base = make_url(url)
    urls = [base.set(database=name).render_as_string(hide_password=False) for name in names]
    yield urls[0], urls[1]
    await _create_databases(url, names, drop=True)


async def fill(storage: SqlStorage, fake: FakeTelegram) -> list[int]:
    """PEOPLE subscribers of Kyiv 3.1 (one with a heartbeat monitor) and a schedule change
    planned for all of them; their chat ids."""
    chats = [fake.create_user(f"User {n}").id for n in range(PEOPLE)]
    for chat in chats:
        user = await storage.users.get_or_create(chat, "uk")
        subscription = await storage.subscriptions.add(user.id, "kyiv", "3.1", "home")
    await storage.monitors.add(
        user.id, subscription.id, MonitorKind.HEARTBEAT, "", SECRET_HASH, timedelta(seconds=30)
    )
    today = date.today()
    await plan(storage, today, day(today, (600, 720)))
    await plan(storage, today, day(today, (600, 780)))  # the change: one alert per person
    return chats


async def heartbeats(storage: SqlStorage, beats: list[datetime]) -> None:
    """A device calling its heartbeat URL every 10 ms."""
    while True:
        now = datetime.now(UTC)
        assert await storage.power.record_beat(SECRET_HASH, now)
        beats.append(now)
        await asyncio.sleep(0.01)


async def test_backup_under_load_restores_everything_and_the_outbox_resumes(
    databases: tuple[str, str],
    tmp_path: Path,
    fake: FakeTelegram,
    make_bot: Callable[..., Bot],
):
    live_url, restored_url = databases
    storage = await open_storage(tmp_path, live_url)
    chats = await fill(storage, fake)
    fake.set_latency(0.005)
    sender = make_sender(storage, make_bot(fake), rate=100, max_in_flight=MAX_IN_FLIGHT)
    beats: list[datetime] = []
    beating = asyncio.create_task(heartbeats(storage, beats))
    await sender.start()
    try:
        await until(lambda: sender.stats.sent >= PEOPLE // 4)
        before, beats_before = await snapshot(live_url), len(beats)
        backup = tmp_path / "esvitlo.backup"
        code = await asyncio.to_thread(main, ["backup", str(backup), "--database-url", live_url])
        after, beats_during = await snapshot(live_url), len(beats) - beats_before
    finally:
        beating.cancel()
        await sender.stop()
        await storage.close()
    assert code == 0
    assert beats_during >= 1, "heartbeats were held up by the backup"
    assert len(before.sent) > 0 and len(after.sent) < PEOPLE, "the backup ran while sending"
    old = await snapshot(live_url)

    code = await asyncio.to_thread(main, ["restore", str(backup), "--database-url", restored_url])
    assert code == 0
    restored = await snapshot(restored_url)
    # nothing lost up to the backup's moment, table by table; nothing from after the copy
    assert restored.rows.keys() == before.rows.keys()
    for name, rows in restored.rows.items():
        assert before.rows[name] <= rows <= after.rows[name], name
    assert before.sent <= restored.sent <= after.sent
    assert before.last_beat is not None and restored.last_beat is not None
    assert before.last_beat <= restored.last_beat

    # the outbox resumes on the restored database; messages claimed at the backup's moment
    # come back after the lease
    again = await open_storage(tmp_path, restored_url)
    resumed = make_sender(again, make_bot(fake), rate=200, max_in_flight=MAX_IN_FLIGHT, lease=1)
    await resumed.start()
    try:
        await until(lambda: all(fake.messages_to(chat) for chat in chats), within=15)
        await until(lambda: _all_sent(again), within=15)
    finally:
        await resumed.stop()
        await again.close()
    received = Counter({chat: len(fake.messages_to(chat)) for chat in chats})
    duplicates = sum(count - 1 for count in received.values())
    assert min(received.values()) >= 1  # nobody missed
    # sent again: exactly what the old service sent that the backup did not record as sent,
    # within the bound: sent after the backup began plus one sender's claim in flight
    assert duplicates == len(old.sent - restored.sent)
    assert duplicates <= len(old.sent - before.sent) + MAX_IN_FLIGHT


async def _all_sent(storage: SqlStorage) -> bool:
    async with storage.engine.connect() as conn:
        waiting = await conn.scalar(
            select(func.count()).where(outbox.c.status.in_(["pending", "sending"]))
        )
    return waiting == 0


async def test_restore_refuses_a_database_with_rows_and_a_wrong_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    live = f"sqlite:///{tmp_path / 'live.db'}"
    storage = await open_storage(tmp_path, live)
    await storage.users.get_or_create(1, "uk")
    await storage.close()
    backup = tmp_path / "copy.db"
    assert await asyncio.to_thread(main, ["backup", str(backup), "--database-url", live]) == 0
    assert await asyncio.to_thread(main, ["backup", str(backup), "--database-url", live]) == 2
    assert "already exists" in capsys.readouterr().err

    assert await asyncio.to_thread(main, ["restore", str(backup), "--database-url", live]) == 2
    assert "not empty (1 rows)" in capsys.readouterr().err
    assert main(["restore", str(backup), "--database-url", f"sqlite:///{tmp_path / 'new.db'}"]) == 0
    elsewhere = f"sqlite:///{tmp_path / 'other.db'}"
    (tmp_path / "notes.txt").write_text("not a backup")
    assert main(["restore", str(tmp_path / "notes.txt"), "--database-url", elsewhere]) == 2
    assert "is not an SQLite backup" in capsys.readouterr().err
    assert await snapshot(f"sqlite:///{tmp_path / 'new.db'}") == await snapshot(live)


def test_backup_without_pg_dump_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump there
    url = "postgresql://esvitlo:secret@127.0.0.1:1/esvitlo"
    assert main(["backup", str(tmp_path / "x.dump"), "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("esvitlo: error: pg_dump not found") and err.count("\n") == 1
    assert "secret" not in err
