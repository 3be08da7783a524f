"""``esvitlo bench web`` in a tiny size: a real service (no bot token) serves the status page,
the calendar and the JSON API of every region on the local feed, and each kind is reported.
Timings are never asserted (shared machines); the full-size figures live in BENCHMARKS.md."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

pytestmark = pytest.mark.slow

KEYS = {"requests", "errors", "rps", "p50_ms", "p99_ms", "rps_per_server_core", "meets_targets"}


async def test_tiny_web_bench_reports_every_kind_of_endpoint():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", "bench", "web",
        "--seconds", "0.3", "--clients", "4", "--queues", "1", "--json",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=180)
    assert process.returncode == 0, err.decode()[-3000:]
    result = json.loads(out.decode().splitlines()[-1])
    assert result["benchmark"] == "web" and result["clients"] == 4
    assert result["regions"] > 10 and result["queues"] == result["regions"]
    assert set(result["kinds"]) == {"page", "ics", "json"}
    page = result["kinds"]["page"]  # this part's own: always present
    assert page.keys() >= KEYS and page["requests"] > 0 and page["errors"] == 0
    for kind in ("ics", "json"):  # built beside it: measured once they answer
        figures = result["kinds"][kind]
        assert figures == "absent" or (figures.keys() >= KEYS and figures["errors"] == 0)
