"""``esvitlo bench crowd``: the crowd watch's pass over 100,000 monitors in 2,000 queues.

Users follow 2,000 queues (50 each) and each has one heartbeat monitor on that address; every
queue has two days of real Kyiv hour patterns. Most monitors are on, one in twenty unknown;
in a tenth of the queues most went off a minute ago (an off-wave), so those passes read the
schedule, move episodes (unscheduled ones, or planned ones where the schedule has an outage)
and, once confirmed, plan alerts. The real ``CrowdWatch`` over the SQL
store runs one pass per virtual 30 seconds (``--passes``, 6 by default: the confirmation
window of 2 minutes ends in the fifth). ``pass_s`` is the median wall time of a pass;
``cpu_core_fraction`` is ``pass_s`` over the interval: a pass is one sequential chain of
work (ours, then the database's), so wall time bounds the cores it keeps busy, wherever the
database runs. ``process_cpu_s`` is this process's own CPU per pass (on PostgreSQL the
aggregation itself runs in the server, not here).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import case, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.column_types import UtcDateTime
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import monitors, subscriptions
from esvitlo.cli.bench_fanout_setup import bench_database
from esvitlo.cli.bench_reminders import (
    QUEUES,
    REGION,
    START,
    USERS,
    VirtualClock,
    bench_schedules,
    seed_followers,
)
from esvitlo.services.crowd_watch import CrowdWatch

INTERVAL_S = 30.0
TARGET_PASS_S = 1.0
TARGET_CORE_FRACTION = 0.2
OFF_WAVE_EVERY = 10  # one queue in ten has most of its monitors off


async def seed_monitors(engine: AsyncEngine, queues: int) -> None:
    """One heartbeat monitor per subscription, in one bulk statement: on, unknown for one in
    twenty, and off since a minute ago for 30 of 50 in every tenth queue."""
    place = (subscriptions.c.id - 1) // queues  # the subscriber's place in its queue, 0..49
    wave = subscriptions.c.queue.in_([f"B{i}" for i in range(0, queues, OFF_WAVE_EVERY)])
    off = wave & (place % 5 < 3)
    unknown = place % 20 == 19
    power = case((unknown, "unknown"), (off, "off"), else_="on")
    since = case(
        (unknown, None),
        (off, literal(START - timedelta(minutes=1), UtcDateTime())),
        else_=literal(START - timedelta(days=1), UtcDateTime()),
    )
    stamp = literal(START, UtcDateTime())
    rows = select(
        subscriptions.c.user_id,
        subscriptions.c.id,
        literal("heartbeat"),
        literal(""),
        stamp,
        power,
        since,
    )
    columns = ["user_id", "subscription_id", "kind", "target", "created_at", "power", "since"]
    async with engine.begin() as conn:
        await conn.execute(insert(monitors).from_select(columns, rows))


async def run_crowd(url: str | None, users: int, queues: int, passes: int) -> dict[str, Any]:
    """Seed, then time ``passes`` crowd passes 30 virtual seconds apart."""
    clock = VirtualClock(START)
    async with bench_database(url) as database:
        engine = database.engine
        storage = SqlStorage.from_engine(engine, clock)
        started = time.perf_counter()
        await seed_followers(engine, users, queues)
        await seed_monitors(engine, queues)
        await storage.schedules.save(REGION.id, bench_schedules(queues))
        seed_s = time.perf_counter() - started
        watch = CrowdWatch(storage.crowd, storage.schedules, [REGION], clock)
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(passes):
            wall, cpu = time.perf_counter(), time.process_time()
            await watch.run_once()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            clock.at += timedelta(seconds=INTERVAL_S)
        dialect = engine.dialect.name
        episodes = len(await storage.crowd.episodes())
    pass_s = statistics.median(walls)
    return {
        "benchmark": "crowd",
        "database": dialect,
        "monitors": users,
        "queues": queues,
        "passes": passes,
        "pass_s": round(pass_s, 4),
        "max_pass_s": round(max(walls), 4),
        "process_cpu_s": round(statistics.median(cpus), 4),
        "interval_s": INTERVAL_S,
        "cpu_core_fraction": round(pass_s / INTERVAL_S, 4),
        "visible_queues": watch.stats.visible_queues,
        "episodes": episodes,
        "alerts": sum(watch.stats.alerts.values()),
        "seed_s": round(seed_s, 2),
        "target_pass_s": TARGET_PASS_S,
        "target_core_fraction": TARGET_CORE_FRACTION,
    }


def run_crowd_bench(args: argparse.Namespace) -> int:
    """Run ``bench crowd`` and print its figures."""
    users = args.monitors
    queues = max(1, min(QUEUES, users // 50)) if users < USERS else QUEUES
    result = asyncio.run(run_crowd(args.database_url, users, queues, args.passes))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<20} {value}")
    return 0
