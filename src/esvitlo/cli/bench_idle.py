"""``esvitlo bench idle``: the CPU and memory of the service at 100,000 users with nothing new.

The service runs as a child process (``esvitlo.cli.bench_idle_service``: the Service and run
loop of ``esvitlo run``, its prober allowed onto loopback) over a temporary SQLite database
holding 100,000 users following queues of every region with a schedule, 5,000 channels
and 10,000 probe monitors, each already "on", whose routers (``bench_probe_hosts``) all
answer. Every region of the catalogue that has a schedule is read from a local feed
(``testing.feed``, one DTEK source each) serving a real Kyiv file from the shared fixtures
(/work/shared/fixtures), moved to today; Telegram is the counting fake (``bench_fake``).
Nothing changes while it runs.

After a warm-up (start, first checks, the reminder planner's first full pass, the first
probe cycles), the service's CPU time (user + system, from /proc) over ``minutes`` gives
``cpu_core_fraction``; its peak RSS (VmHWM) ``peak_rss_mb``. The probes' share is measured
by a second run of the same length on the same database with the monitors deleted:
``probe_cpu_core_fraction`` is the difference, ``cpu_core_fraction_without_probes`` the
second run's share (the figure the 0.1-core target is about).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import tomllib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from ipaddress import IPv4Address
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.tables import channels, monitors, subscriptions, users
from esvitlo.cli.bench_fanout_fake import fake_process
from esvitlo.cli.errors import CliError
from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.domain.monitors import MonitorKind
from esvitlo.testing.fake_telegram import DEFAULT_TOKEN
from esvitlo.testing.feed import KYIV, FeedServer, shift_days

USERS, CHANNELS, MONITORS = 100_000, 5_000, 10_000
FIXTURES = Path("/work/shared/fixtures/outage-data-ua/kyiv")
FIRST_CHAT = 800_000_001
FIRST_HOST = IPv4Address("127.1.0.0")
TARGETS = {"cpu_core_fraction_without_probes": 0.1, "peak_rss_mb": 300.0}
TICKS = os.sysconf("SC_CLK_TCK")
SUFFIX = ".bench.invalid"


def bench_name(address: str) -> str:
    """The name a bench monitor stores for a loopback ``address`` (``bench_idle_service``
    reads it back; ``.invalid`` resolves nowhere else)."""
    return "r-" + address.replace(".", "-") + SUFFIX


@dataclass(frozen=True, slots=True)
class Size:
    users: int
    channels: int
    monitors: int


def _fixture() -> bytes:
    """The newest Kyiv file of the shared fixtures (the packaged bench seed, a Kyiv file
    too, where they are missing), moved to today."""
    files = sorted(FIXTURES.glob("*.json")) if FIXTURES.is_dir() else []
    if files:
        raw = files[-1].read_bytes()
    else:
        raw = resources.files("esvitlo").joinpath("data/bench_seed.json").read_bytes()
    now = datetime.now(UTC)
    return shift_days(raw, now.astimezone(KYIV).date(), now)


def regions_file(path: Path, feed_url: str) -> list[str]:
    """The catalogue with every region that has a schedule read from the local feed (one
    DTEK source each); the ids of those regions."""
    raw = resources.files("esvitlo").joinpath("data/regions.toml").read_text()
    catalogue = tomllib.loads(raw)
    lines, served = [], []
    for region in catalogue["regions"]:
        lines += ["[[regions]]"]
        lines += [
            f"{key} = {json.dumps(region[key])}" for key in ("id", "name_uk", "name_en", "tz")
        ]
        if region.get("aliases"):
            lines.append(f"aliases = {json.dumps(region['aliases'], ensure_ascii=False)}")
        if region.get("sources"):
            served.append(region["id"])
            lines += ["", "[[regions.sources]]", 'kind = "dtek"']
            lines.append(f'url = "{feed_url}/{region["id"]}.json"')
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return served


async def seed(
    engine: AsyncEngine, size: Size, regions: list[str], queues: list[str], port: int
) -> None:
    """Users following queues of every served region, channels of the first owners, probe
    monitors of the first users on addresses 127.1.x.y, stored as bench names (see
    ``bench_idle_service``), all answering and all known "on"."""
    now = datetime.now(UTC)
    people = [
        {"telegram_id": FIRST_CHAT + i, "language": "uk", "active": True, "created_at": now}
        for i in range(size.users)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(users), people)
        follows = [
            {
                "user_id": i + 1,
                "region": regions[i % len(regions)],
                "queue": queues[(i // len(regions)) % len(queues)],
                "label": "Дім",
                "created_at": now,
            }
            for i in range(size.users)
        ]
        await conn.execute(insert(subscriptions), follows)
        await conn.execute(
            insert(channels),
            [
                {
                    "chat_id": -1_000_000_000_000 - i,
                    "owner_user_id": i + 1,
                    "subscription_id": i + 1,
                    "title": f"Канал {i}",
                    "status": "active",
                    "created_at": now,
                }
                for i in range(size.channels)
            ],
        )
        await conn.execute(
            insert(monitors),
            [
                {
                    "user_id": i + 1,
                    "subscription_id": i + 1,
                    "kind": MonitorKind.PROBE.value,
                    "target": MonitorTarget(bench_name(str(FIRST_HOST + i)), port).as_text(),
                    "created_at": now,
                    "power": "on",
                    "since": now,
                }
                for i in range(size.monitors)
            ],
        )


@asynccontextmanager
async def probe_hosts() -> AsyncIterator[int]:
    """The simulated routers in a child process; the port that answers."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "esvitlo.cli.bench_probe_hosts",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
    try:
        yield int(json.loads(line)["answer"])
    finally:
        process.stdin.close()
        await process.wait()


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def measure(
    env: dict[str, str], directory: Path, warmup: float, seconds: float
) -> dict[str, float]:
    """Start the service, let it warm up, then its CPU share over ``seconds`` and peak RSS."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "esvitlo.cli.bench_idle_service",
        env=env,
        cwd=directory,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), timeout=120)
        if line.strip() != b"started":
            raise CliError("the service did not start (see its log above)")
        await asyncio.sleep(warmup)
        cpu0, t0 = _cpu_s(process.pid), time.monotonic()
        await asyncio.sleep(seconds)
        cpu, wall = _cpu_s(process.pid) - cpu0, time.monotonic() - t0
        if process.returncode is not None:
            raise CliError("the service stopped while measured")
        return {"cpu": cpu / wall, "rss": _peak_rss_mb(process.pid)}
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), timeout=60)


async def run_idle(minutes: float, size: Size, warmup: float) -> dict[str, Any]:
    """Seed, serve the feed, start the fake Telegram and the routers, measure twice."""
    fixture = _fixture()
    queues = sorted(parse_document(decode_json(fixture), region="kyiv").queues)
    feed = FeedServer()
    await feed.start()
    try:
        with TemporaryDirectory(prefix="esvitlo-idle-") as name:
            directory = Path(name)
            served = regions_file(directory / "regions.toml", feed.base_url.rstrip("/"))
            for region in served:
                feed.documents[f"{region}.json"] = fixture
            url = f"sqlite+aiosqlite:///{directory / 'idle.db'}"
            engine = create_engine(url)
            async with probe_hosts() as port, fake_process() as fake:
                try:
                    await upgrade_engine(engine)
                    started = time.perf_counter()
                    await seed(engine, size, served, queues, port)
                    seed_s = time.perf_counter() - started
                    env = _service_env(directory, url, fake.base_url)
                    with_probes = await measure(env, directory, warmup, minutes * 60)
                    async with engine.begin() as conn:
                        await conn.execute(delete(monitors))
                    without = await measure(env, directory, warmup, minutes * 60)
                finally:
                    await engine.dispose()
    finally:
        await feed.stop()
    return _figures(minutes, size, served, seed_s, with_probes, without)


def _service_env(directory: Path, url: str, telegram: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    return keep | {
        "DATABASE_URL": url,
        "BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_URL": telegram,
        "ESVITLO_REGIONS_FILE": str(directory / "regions.toml"),
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": "0",
        "METRICS_PORT": "0",
        "LOG_LEVEL": "WARNING",
        "ESVITLO_INSTANCE_ID": "bench-idle",
    }


def _figures(
    minutes: float,
    size: Size,
    served: list[str],
    seed_s: float,
    with_probes: dict[str, float],
    without: dict[str, float],
) -> dict[str, Any]:
    probes = max(with_probes["cpu"] - without["cpu"], 0.0)
    return {
        "benchmark": "idle",
        "minutes": minutes,
        "users": size.users,
        "channels": size.channels,
        "monitors": size.monitors,
        "regions_polled": len(served),
        "cpu_core_fraction": round(with_probes["cpu"], 4),
        "probe_cpu_core_fraction": round(probes, 4),
        "cpu_core_fraction_without_probes": round(without["cpu"], 4),
        "peak_rss_mb": with_probes["rss"],
        "peak_rss_mb_without_probes": without["rss"],
        "probe_method": "the same run with the monitors deleted; the difference",
        "seed_s": round(seed_s, 1),
        "targets": TARGETS,
        "ratio_to_target": round(without["cpu"] / TARGETS["cpu_core_fraction_without_probes"], 3),
    }


def run_idle_bench(args: argparse.Namespace) -> int:
    """Run ``bench idle`` and print its figures."""
    scale = min(args.users / USERS, 1.0)
    size = Size(args.users, int(CHANNELS * scale), int(MONITORS * scale))
    warmup = args.warmup if args.warmup is not None else 30.0
    result = asyncio.run(run_idle(args.minutes, size, warmup))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<34} {value}")
    return 0
