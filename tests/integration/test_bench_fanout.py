"""``esvitlo bench fanout --quick``: the figures are all there and nothing is lost or repeated;
with ``--load`` it says so, and the CPU figures are sane (positive, the ratio their quotient).

Timings are never asserted (shared machines); the full-size figures live in BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from esvitlo.cli.bench_fanout_cpu import BURN

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
    "load",
    "cpu_per_1000_s",
    "bare_cpu_per_1000_s",
    "overhead_ratio",
}


async def _quick_fanout(*options: str) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", "bench", "fanout", "--quick", "--json", *options,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    [line] = out.decode().splitlines()
    result: dict[str, Any] = json.loads(line)
    return result


def _assert_sane(result: dict[str, Any]) -> None:
    assert result.keys() >= KEYS
    assert result["database"] == "sqlite"
    assert result["subscribers"] == result["delivered"] == 2_000
    assert (result["lost"], result["duplicates"], result["not_sent"]) == (0, 0, 0)
    assert result["raw_messages"] > 0  # the unlimited run had messages left to send
    cpu, bare = result["cpu_per_1000_s"], result["bare_cpu_per_1000_s"]
    assert cpu > 0 and bare > 0
    assert result["overhead_ratio"] == pytest.approx(cpu / bare, abs=0.01)
    assert result["bare_requests"] == 1_000 and result["bare_failed"] == 0


async def test_quick_fanout_reports_every_figure_and_delivers_each_message_once():
    result = await _quick_fanout()
    _assert_sane(result)
    assert result["load"] is False


async def test_quick_fanout_beside_a_cpu_burner_says_so_and_leaves_none_running():
    before = _burners()
    result = await _quick_fanout("--load")
    _assert_sane(result)
    assert result["load"] is True
    assert _burners() == before  # killed at the end


def _burners() -> int:
    """CPU burners of ``--load`` running now (Linux: their command lines in /proc)."""
    count = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if BURN.encode() in cmdline.read_bytes():
                count += 1
        except OSError:
            continue
    return count
