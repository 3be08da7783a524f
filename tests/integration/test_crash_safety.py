"""Crash safety: a sender process SIGKILLed in the middle of a 5,000-recipient fan-out.

The fan-out is planned by the real path into SQLite (and PostgreSQL when reachable); a sender
process (tests/crash_worker.py) sends it to the fake Bot API server in this process, is killed
with SIGKILL once some but not all messages arrived, and is started again with a short lease.
Every recipient must get the message, and no more than one claim (what the dead sender held)
may arrive twice. Both numbers are printed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.cli.bench_fanout_setup import FIRST_CHAT, BenchDatabase, bench_database, plan_fanout
from esvitlo.services.delivery import DeliveryConfig
from esvitlo.testing.fake_telegram import FakeTelegram, Limits

pytestmark = pytest.mark.slow

RECIPIENTS = 5_000
KILL_AFTER = 1_500  # messages delivered before the SIGKILL
WORKER = Path(__file__).resolve().parents[1] / "crash_worker.py"
POSTGRES_URL = os.environ.get(
    "ESVITLO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


async def _postgres_problem() -> str | None:
    engine = create_engine(POSTGRES_URL)
    try:
        async with asyncio.timeout(5), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        await engine.dispose()
    return None


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BenchDatabase]:
    """An empty migrated database of each backend (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'crash.db'}"
    else:
        url = POSTGRES_URL
        problem = await _postgres_problem()
        if problem is not None:
            message = f"PostgreSQL at {url} is unreachable ({problem})"
            if os.environ.get("ESVITLO_REQUIRE_SERVICES") == "1":
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
    async with bench_database(url) as migrated:
        yield migrated


async def _start_worker(database: BenchDatabase, api: str) -> asyncio.subprocess.Process:
    schema = ["--schema", database.schema] if database.schema else []
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), database.url, api, "--lease", "1", *schema,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    assert await asyncio.wait_for(process.stdout.readline(), timeout=30) == b"sending\n"
    return process


def _delivered(fake: FakeTelegram) -> int:
    sends = ("sendMessage", "sendPhoto")  # an alert is a photo
    return sum(1 for call in fake.world.calls if call.method in sends and call.ok)


async def test_a_killed_sender_loses_nothing_and_repeats_at_most_one_claim(
    database: BenchDatabase,
):
    storage = SqlStorage.from_engine(database.engine, SystemClock())
    queued, _ = await plan_fanout(storage, RECIPIENTS)
    assert queued == RECIPIENTS
    async with FakeTelegram(limits=Limits(enabled=False)) as fake:
        for user_id in range(FIRST_CHAT, FIRST_CHAT + RECIPIENTS):
            fake.create_user(f"User {user_id}", user_id=user_id)
        first = await _start_worker(database, fake.base_url)
        try:
            await fake.wait_until(lambda: _delivered(fake) >= KILL_AFTER, within=30)
        finally:
            first.send_signal(signal.SIGKILL)
            await first.wait()
        at_kill = _delivered(fake)
        second = await _start_worker(database, fake.base_url)
        assert await asyncio.wait_for(second.wait(), timeout=40) == 0
        received = Counter(
            {u: len(fake.messages_to(u)) for u in range(FIRST_CHAT, FIRST_CHAT + RECIPIENTS)}
        )

    async with database.engine.connect() as conn:
        statuses = Counter((await conn.execute(select(outbox.c.status))).scalars())
    reached = sum(1 for n in received.values() if n > 0)
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    bound = DeliveryConfig().batch_size
    print(
        f"\ncrash safety on {database.engine.dialect.name}: killed after {at_kill} messages; "
        f"{reached} of {RECIPIENTS} recipients got the message, {duplicates} duplicates "
        f"(at most one claim: {bound})"
    )
    assert KILL_AFTER <= at_kill < RECIPIENTS  # killed in the middle
    assert first.returncode == -signal.SIGKILL
    assert reached == RECIPIENTS
    assert duplicates <= bound
    assert statuses == {"sent": RECIPIENTS}
