"""``esvitlo bench fanout --quick``: the figures are all there and nothing is lost or repeated.

Timings are never asserted (shared machines); the full-size figures live in BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

pytestmark = pytest.mark.slow

KEYS = {
    "enqueue_s",
    "ratio_at_30",
    "errors_429",
    "ratio_at_1000",
    "raw_per_s",
    "peak_rss_mb",
    "lost",
    "duplicates",
}


async def test_quick_fanout_reports_every_figure_and_delivers_each_message_once():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", "bench", "fanout", "--quick", "--json",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    [line] = out.decode().splitlines()
    result = json.loads(line)
    assert result.keys() >= KEYS
    assert result["database"] == "sqlite"
    assert result["subscribers"] == result["delivered"] == 2_000
    assert (result["lost"], result["duplicates"], result["not_sent"]) == (0, 0, 0)
    assert result["raw_messages"] > 0  # the unlimited run had messages left to send
