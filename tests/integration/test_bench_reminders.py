"""``esvitlo bench reminders`` in a tiny size, and the planner's minute runs against the old
way (every queue every minute): the same reminders reach the same people, once.

Timings are never asserted (shared machines); the full-size figures live in BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.cli.bench_fanout_setup import FIRST_CHAT, bench_database
from esvitlo.cli.bench_reminders import (
    REGION,
    START,
    VirtualClock,
    bench_schedules,
    mark_sent,
    seed_followers,
)
from esvitlo.domain.accounts import NotificationSettings
from esvitlo.services.reminders import ReminderPlanner

pytestmark = pytest.mark.slow

KEYS = {"users", "run_s", "rows_read", "max_rows_read", "full_scans", "full_pass_s", "queued"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_tiny_bench_reports_its_figures_and_no_minute_run_reads_a_table_whole(backend):
    args = ["--users", "2000", "--minutes", "20", "--json"]
    if backend == "postgresql":
        url = os.environ.get("ESVITLO_TEST_POSTGRES_URL")
        if not url:
            pytest.skip("ESVITLO_TEST_POSTGRES_URL is not set")
        args += ["--database-url", url]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", "bench", "reminders", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    result = json.loads(out)
    assert result.keys() >= KEYS and result["database"] == backend
    assert result["users"] == 2000 and result["queues"] == 40 and result["minutes"] == 20
    assert result["full_scans"] == []  # the 15-minute full pass is reported apart
    assert result["full_passes"] == 1 and "subscriptions" in result["full_pass_scans"]
    assert result["queued"] > 0 and result["sent"] > 0
    assert 0 <= result["rows_read"] <= result["max_rows_read"] < result["full_pass_rows_read"]


async def _sent_keys(full_every: timedelta) -> set[str]:
    """Two hours of minute runs over 1,000 followers of 20 queues, as the sender would send;
    at 06:31 (between full passes) one follower leaves, one arrives and one asks for 60 and
    5 minutes before, lead times nobody else in the queue wants."""
    clock = VirtualClock(START)
    async with bench_database(None) as database:
        storage = SqlStorage.from_engine(database.engine, clock)
        await seed_followers(database.engine, 1000, 20)
        await storage.schedules.save(REGION.id, bench_schedules(20))
        planner = ReminderPlanner(
            [REGION], storage.schedules, storage.reminders, clock, full_every=full_every
        )
        await planner.run_once()
        for minute in range(1, 121):
            clock.at = START + timedelta(minutes=minute)
            if minute == 31:
                # all in B10, whose next outage starts at 08:00
                [leaving] = await storage.subscriptions.list_for_user(31)
                await storage.subscriptions.remove(leaving.id, 31)
                newcomer = await storage.users.get_or_create(FIRST_CHAT + 5000, "en")
                await storage.subscriptions.add(newcomer.id, REGION.id, "B10", "")
                eager = NotificationSettings(11, remind_before_off=(60, 5))
                await storage.notification_prefs.save(eager)
            await mark_sent(database.engine, clock.at)
            await planner.run_once()
        async with database.engine.connect() as conn:
            query = select(outbox.c.idempotency_key).where(outbox.c.status == "sent")
            return set((await conn.execute(query)).scalars())


async def test_minute_runs_send_what_planning_every_queue_every_minute_sends():
    every_minute = await _sent_keys(timedelta(minutes=1))  # a full pass each run: the old way
    incremental = await _sent_keys(timedelta(minutes=15))
    assert len(every_minute) > 100
    assert incremental == every_minute
    assert any(key.endswith(f":{FIRST_CHAT + 5000}") for key in incremental)  # the newcomer
    assert not any(key.endswith(f":{FIRST_CHAT + 30}") for key in incremental)  # who left
    eager = {key for key in incremental if key.endswith(f":{FIRST_CHAT + 10}")}
    assert {key.split(":")[4] for key in eager} == {"5", "60"}  # not 15 any more
