"""``esvitlo bench reminders``: the per-minute reminder planning run at 100,000 users.

Users follow 2,000 queues (50 each) with the default lead times; every queue has two days of
real Kyiv hour patterns (shifted per queue, so edges fall on every hour and half-hour). The
real planner (services.reminders over the SQL stores) runs once per virtual minute; between
runs, reminders that came due are marked sent, as the sender would. The first run after a
start is a full pass (every followed queue), timed apart (``first_run_s``).

The planner also makes a full pass (every followed queue, as at start) every 15 minutes;
``run_s`` is the median of every run, those included; they are also reported apart
(``full_pass_*``), and ``minute_run_s`` and the row counts are those of the other runs.
``rows_read`` counts the rows the database returned to the runs (every SELECT and RETURNING,
counted at the driver's cursor), not rows the database looked at; ``full_scans`` names the
tables that any statement of a timed run reads whole, from the query plans (EXPLAIN QUERY
PLAN on SQLite, EXPLAIN on PostgreSQL) of those statements.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import String, cast, event, insert, literal, select, true, update
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.column_types import UtcDateTime
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox, subscriptions, users
from esvitlo.cli.bench import build_region_file
from esvitlo.cli.bench_fanout_setup import FIRST_CHAT, bench_database
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.delivery import OutboxStatus
from esvitlo.domain.documents import SourceKind, decode_json, parse_document
from esvitlo.domain.model import DaySchedule
from esvitlo.services.reminders import ReminderPlanner

USERS = 100_000
QUEUES = 2_000
MINUTES = 60
TARGET_S = 0.2
REGION = Region(
    "kyiv", "Київ", "Kyiv", "Europe/Kyiv", (Source(SourceKind.DTEK, "http://127.0.0.1/"),)
)
START = datetime(2025, 11, 20, 4, 0, tzinfo=UTC)  # 06:00 in Kyiv on the seed's first day


class VirtualClock:
    """ports.Clock at a chosen moment, moved by the bench; sleeps return at once."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)


@dataclass
class RowCounter:
    """Rows the driver returned and the statements that returned them, while ``on``."""

    on: bool = False
    rows: int = 0
    statements: int = 0
    seen: dict[str, Any] = field(default_factory=dict)  # statement -> one set of parameters

    def attach(self, engine: AsyncEngine) -> None:
        event.listen(engine.sync_engine, "after_cursor_execute", self._count)

    def _count(self, conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if not self.on:
            return
        # SQLAlchemy's async adapters buffer a result's rows on the cursor (``_rows``)
        # before this event; the count is exact for both aiosqlite and asyncpg.
        buffered = getattr(cursor, "_rows", None)
        self.rows += len(buffered) if buffered is not None else 0
        self.statements += 1
        if statement.lstrip().upper().startswith("SELECT"):
            self.seen.setdefault(statement, params)


async def seed_followers(engine: AsyncEngine, count: int, queues: int) -> None:
    """``count`` active users, user i following queue ``B{i % queues}`` with no settings row
    (the default lead times), in two bulk statements."""
    n = select(literal(0).label("i")).cte("n", recursive=True)
    n = n.union_all(select(n.c.i + 1).where(n.c.i + 1 < count))
    stamp = literal(START, UtcDateTime())
    people = select(literal(FIRST_CHAT) + n.c.i, literal("uk"), true(), stamp)
    queue = literal("B") + cast((users.c.telegram_id - FIRST_CHAT) % queues, String)
    followed = select(users.c.id, literal(REGION.id), queue, literal(""), stamp)
    async with engine.begin() as conn:
        await conn.execute(
            insert(users).from_select(["telegram_id", "language", "active", "created_at"], people)
        )
        await conn.execute(
            insert(subscriptions).from_select(
                ["user_id", "region", "queue", "label", "created_at"], followed
            )
        )


def bench_schedules(queues: int) -> dict[str, dict[date, DaySchedule]]:
    """Two published days for each of ``queues`` queues, from real Kyiv hour patterns."""
    raw = resources.files("esvitlo").joinpath("data/bench_seed.json").read_bytes()
    seed: Any = decode_json(raw)
    snapshot = parse_document(decode_json(build_region_file(seed, groups=queues)), region=REGION.id)
    return {
        f"B{i}": {day.date: day for day in schedule.days}
        for i, schedule in enumerate(snapshot.queues.values())
    }


async def mark_sent(engine: AsyncEngine, now: datetime) -> int:
    """What the sender would have done by ``now``: every due reminder sent."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(outbox)
            .where(outbox.c.status == OutboxStatus.PENDING.value, outbox.c.due_at <= now)
            .values(status=OutboxStatus.SENT.value)
        )
    return max(result.rowcount, 0)


_SQLITE_SCAN = re.compile(r"\bSCAN (\w+)")
_POSTGRES_SCAN = re.compile(r"Seq Scan on (\w+)")


async def full_scans(engine: AsyncEngine, statements: Mapping[str, Any]) -> list[str]:
    """The tables some statement reads whole, by its query plan."""
    found: set[str] = set()
    async with engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        for statement, params in statements.items():
            prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            plan = await conn.exec_driver_sql(prefix + statement, params)
            text = "\n".join(str(row[-1]) for row in plan)
            found.update((_POSTGRES_SCAN if postgres else _SQLITE_SCAN).findall(text))
    return sorted(found - {"n"})  # a recursive CTE is not a table


async def run_reminders(
    url: str | None, users_count: int, queues: int, minutes: int
) -> dict[str, Any]:
    """Seed, store the schedules, then time one planning run per virtual minute."""
    clock = VirtualClock(START)
    async with bench_database(url) as database:
        engine = database.engine
        storage = SqlStorage.from_engine(engine, clock)
        started = time.perf_counter()
        await seed_followers(engine, users_count, queues)
        await storage.schedules.save(REGION.id, bench_schedules(queues))
        seed_s = time.perf_counter() - started
        planner = ReminderPlanner([REGION], storage.schedules, storage.reminders, clock)
        counter = RowCounter()
        counter.attach(engine)
        started = time.perf_counter()
        first = await planner.run_once()
        first_s = time.perf_counter() - started
        runs: list[float] = []
        rows: list[int] = []
        full: list[float] = []
        full_rows: list[int] = []
        seen: dict[str, dict[str, Any]] = {"minute": {}, "full": {}}
        queued = first.queued
        sent = 0
        for _ in range(minutes):
            clock.at += timedelta(minutes=1)
            sent += await mark_sent(engine, clock.at)
            counter.on, counter.rows, counter.seen = True, 0, {}
            passes = planner.stats.full_passes
            started = time.perf_counter()
            outcome = await planner.run_once()
            took = time.perf_counter() - started
            counter.on = False
            kind = "full" if planner.stats.full_passes > passes else "minute"
            (full if kind == "full" else runs).append(took)
            (full_rows if kind == "full" else rows).append(counter.rows)
            for statement, params in counter.seen.items():
                seen[kind].setdefault(statement, params)
            queued += outcome.queued
        scans = await full_scans(engine, seen["minute"])
        full_pass_scans = await full_scans(engine, seen["full"])
        dialect = engine.dialect.name
    median = statistics.median(runs + full)  # every run, the full passes among them
    return {
        "benchmark": "reminders",
        "database": dialect,
        "users": users_count,
        "queues": queues,
        "minutes": minutes,
        "run_s": round(median, 4),
        "minute_run_s": round(statistics.median(runs), 4),
        "max_minute_run_s": round(max(runs), 4),
        "first_run_s": round(first_s, 3),
        "rows_read": int(statistics.median(rows)),
        "max_rows_read": max(rows),
        "rows_read_mean": round(sum(rows) / len(rows), 1) if rows else 0,
        "rows_read_total": sum(rows),
        "rows_read_counts": "rows returned to the runs (SELECT and RETURNING), median per run",
        "full_scans": scans,
        "full_passes": len(full),
        "full_pass_s": round(statistics.median(full), 3) if full else None,
        "full_pass_rows_read": int(statistics.median(full_rows)) if full_rows else None,
        "full_pass_scans": full_pass_scans,
        "queued": queued,
        "sent": sent,
        "seed_s": round(seed_s, 2),
        "target_run_s": TARGET_S,
        "ratio_to_target": round(median / TARGET_S, 3),
    }


def run_reminders_bench(args: argparse.Namespace) -> int:
    """Run ``bench reminders`` and print its figures."""
    users_count = args.users
    queues = max(1, min(QUEUES, users_count // 50)) if users_count < USERS else QUEUES
    result = asyncio.run(run_reminders(args.database_url, users_count, queues, args.minutes))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<18} {value}")
    return 0
