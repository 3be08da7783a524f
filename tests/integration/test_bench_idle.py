"""``esvitlo bench idle`` in a tiny size: the service runs twice (with and without monitors)
and every figure is reported. Timings are never asserted (shared machines); the full-size
figures live in BENCHMARKS.md."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

pytestmark = pytest.mark.slow

KEYS = {"minutes", "cpu_core_fraction", "probe_cpu_core_fraction", "peak_rss_mb"}


async def test_tiny_idle_bench_reports_cpu_and_memory_of_the_service():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", "bench", "idle",
        "--users", "600", "--minutes", "0.05", "--warmup", "1", "--json",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=180)
    assert process.returncode == 0, err.decode()[-3000:]
    result = json.loads(out.decode().splitlines()[-1])
    assert result.keys() >= KEYS
    assert result["minutes"] == 0.05 and result["users"] == 600
    assert result["channels"] == 30 and result["monitors"] == 60
    assert result["regions_polled"] > 10  # every region with a schedule, on the local feed
    assert 0 < result["cpu_core_fraction"] < 2 and result["probe_cpu_core_fraction"] >= 0
    assert 50 < result["peak_rss_mb"] < 2000
