"""``esvitlo bench web``: requests per second and latency of the public pages, the calendars
and the JSON API of one instance with the whole catalogue, warm caches, 100 clients.

The service runs as a child process (the Service and run loop of ``esvitlo run``, through
``bench_idle_service``, without a bot token) over a temporary SQLite database; every region
of the catalogue that has a schedule is read from a local feed serving a real Kyiv file moved
to today (as ``bench idle`` does). Once every queue's page, calendar and schedule answer 200,
each URL is fetched once (warm caches), then for each kind of endpoint ``clients`` aiohttp
clients on loopback ask for the catalogue's queues in turn for ``seconds``, as fast as they
can: the requests per second (wall clock), the p50 / p99 latency, and the service's own CPU
time from /proc, so ``rps_per_server_core`` says what one core of the service serves whatever
the clients cost (they share the machine, and in one Python process they saturate before the
service does, so their own queueing shows in that p99). Then the same clients pace their
requests at the target rate for ``seconds``: ``paced_p99_ms`` is the latency readers arriving
at that rate see, counted from when each request was due (the figure the 50 ms target is
about). The JSON API's per-IP rate limit would answer 429 to
one address: each request says it comes from its own address through ``X-Forwarded-For``,
which the API believes from a loopback peer (a reverse proxy's place).

``ENDPOINTS`` is the hook: one URL maker per kind; a kind whose first URL still answers 404
after ten seconds (not built yet) is reported ``absent`` and skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import aiohttp

from esvitlo.cli.bench_idle import _cpu_s, _fixture, regions_file
from esvitlo.cli.errors import CliError
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.testing.feed import FeedServer

CLIENTS = 100
TARGETS = {
    "page": {"rps": 500.0, "p99_ms": 50.0},
    "ics": {"rps": 1000.0, "p99_ms": 50.0},
    "json": {"rps": 1000.0, "p99_ms": 50.0},
}
ENDPOINTS: dict[str, Callable[[str, str], str]] = {
    "page": lambda region, queue: f"/r/{region}/{queue}",
    "ics": lambda region, queue: f"/calendar/{region}/{queue}.ics",
    "json": lambda region, queue: f"/api/v1/regions/{region}/queues/{queue}/schedule",
}
READY_TIMEOUT_S = 120.0
ABSENT_S = 10.0  # a kind whose first URL still answers 404 then is not built


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(directory: Path, port: int) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    return keep | {
        "DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'web.db'}",
        "ESVITLO_REGIONS_FILE": str(directory / "regions.toml"),
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "METRICS_PORT": "0",
        "LOG_LEVEL": "WARNING",
        "ESVITLO_INSTANCE_ID": "bench-web",
    }


_addresses = count(1)


def _headers() -> dict[str, str]:
    """A distinct client address per request (see the module's docstring)."""
    n = next(_addresses) % (1 << 24)
    return {"X-Forwarded-For": f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"}


async def _status(session: aiohttp.ClientSession, url: str) -> int:
    try:
        async with session.get(url, headers=_headers()) as response:
            await response.read()
            return response.status
    except aiohttp.ClientError:
        return 0


async def _until_ready(session: aiohttp.ClientSession, base: str, urls: list[str]) -> bool:
    """Wait until every URL answers 200 (False when the first one answers 404: absent)."""
    started = time.monotonic()
    deadline = started + READY_TIMEOUT_S
    pending = list(urls)
    while pending:
        status = await _status(session, base + pending[0])
        if status == 404 and pending[0] == urls[0] and time.monotonic() > started + ABSENT_S:
            return False
        if status == 200:
            pending.pop(0)
            continue
        if time.monotonic() > deadline:
            raise CliError(f"{pending[0]} still answers {status} after {READY_TIMEOUT_S:.0f} s")
        await asyncio.sleep(0.2)
    return True


async def _load(
    session: aiohttp.ClientSession,
    base: str,
    urls: list[str],
    clients: int,
    seconds: float,
    rate: float | None = None,
) -> tuple[list[float], int]:
    """``clients`` workers asking for the URLs in turn; latencies (s) and non-200 answers.

    With ``rate``, request k is due at ``k / rate`` s and its latency counts from then (a
    request kept waiting for a free client counts that wait), as readers arriving at that
    rate would see it; without, each worker asks again as soon as it has its answer.
    """
    latencies: list[float] = []
    errors = 0
    turn = count()
    begin = time.perf_counter()
    stop_at = begin + seconds

    async def worker() -> None:
        nonlocal errors
        while (now := time.perf_counter()) < stop_at:
            k = next(turn)
            url = base + urls[k % len(urls)]
            started = now
            if rate is not None:
                started = begin + k / rate
                if started >= stop_at:
                    return
                await asyncio.sleep(max(0.0, started - now))
            status = await _status(session, url)
            latencies.append(time.perf_counter() - started)
            errors += status != 200

    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


async def _measure_kind(
    session: aiohttp.ClientSession,
    base: str,
    urls: list[str],
    pid: int,
    clients: int,
    seconds: float,
    rate: float,
) -> dict[str, Any]:
    """As many requests as the clients can make (``rps``, and per core of the service's CPU
    time), then the same clients paced at the target ``rate`` (``paced_p99_ms``)."""
    cpu0, wall0 = _cpu_s(pid), time.perf_counter()
    latencies, errors = await _load(session, base, urls, clients, seconds)
    cpu, wall = _cpu_s(pid) - cpu0, time.perf_counter() - wall0
    paced, paced_errors = await _load(session, base, urls, clients, seconds, rate=rate)
    return {
        "requests": len(latencies),
        "errors": errors + paced_errors,
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": _ms(statistics.median(latencies) if latencies else 0.0),
        "p99_ms": _ms(_percentile(latencies, 0.99)),
        "server_cpu_core_fraction": round(cpu / wall, 3),
        "rps_per_server_core": round(len(latencies) / cpu, 1) if cpu > 0 else None,
        "paced_rps": round(len(paced) / seconds, 1) if seconds > 0 else 0.0,
        "paced_p50_ms": _ms(statistics.median(paced) if paced else 0.0),
        "paced_p99_ms": _ms(_percentile(paced, 0.99)),
    }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


async def _start_service(env: dict[str, str], directory: Path) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "esvitlo.cli.bench_idle_service",
        env=env,
        cwd=directory,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=READY_TIMEOUT_S)
    if line.strip() != b"started":
        process.kill()
        await process.wait()
        raise CliError("the service did not start (see its log above)")
    return process


async def run_web(seconds: float, clients: int, queues_per_region: int | None) -> dict[str, Any]:
    """Serve the feed, start the service, wait for every page, warm up and measure."""
    fixture = _fixture()
    queues = sorted(parse_document(decode_json(fixture), region="kyiv").queues)
    queues = queues[:queues_per_region] if queues_per_region else queues
    feed = FeedServer()
    await feed.start()
    try:
        with TemporaryDirectory(prefix="esvitlo-web-") as name:
            directory = Path(name)
            served = regions_file(directory / "regions.toml", feed.base_url.rstrip("/"))
            for region in served:
                feed.documents[f"{region}.json"] = fixture
            port = _free_port()
            process = await _start_service(_env(directory, port), directory)
            try:
                kinds = await _measure_all(
                    f"http://127.0.0.1:{port}", served, queues, process.pid, clients, seconds
                )
            finally:
                process.terminate()
                await asyncio.wait_for(process.wait(), timeout=60)
    finally:
        await feed.stop()
    return {
        "benchmark": "web",
        "seconds": seconds,
        "clients": clients,
        "regions": len(served),
        "queues": len(served) * len(queues),
        "kinds": kinds,
        "targets": TARGETS,
    }


async def _measure_all(
    base: str, regions: list[str], queues: list[str], pid: int, clients: int, seconds: float
) -> dict[str, Any]:
    connector = aiohttp.TCPConnector(limit=clients, limit_per_host=clients)
    timeout = aiohttp.ClientTimeout(total=30)
    results: dict[str, Any] = {}
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        for kind, url_of in ENDPOINTS.items():
            urls = [url_of(region, queue) for region in regions for queue in queues]
            if not await _until_ready(session, base, urls):
                results[kind] = "absent"
                continue
            for start in range(0, len(urls), clients):  # warm: every URL once
                batch = urls[start : start + clients]
                await asyncio.gather(*(_status(session, base + url) for url in batch))
            target = TARGETS[kind]
            figures = await _measure_kind(session, base, urls, pid, clients, seconds, target["rps"])
            figures["meets_targets"] = (
                figures["errors"] == 0
                and figures["rps"] >= target["rps"]
                and figures["paced_p99_ms"] <= target["p99_ms"]
            )
            results[kind] = figures
    return results


def run_web_bench(args: argparse.Namespace) -> int:
    """Run ``bench web`` and print its figures."""
    result = asyncio.run(run_web(args.seconds, args.clients, args.queues))
    if args.json:
        print(json.dumps(result))
        return 0
    for key, value in result.items():
        if key != "kinds":
            print(f"{key:<26} {value}")
    for kind, figures in result["kinds"].items():
        shown = (
            figures
            if isinstance(figures, str)
            else " ".join(f"{k}={v}" for k, v in figures.items())
        )
        print(f"{kind:<26} {shown}")
    return 0
