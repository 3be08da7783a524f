"""``esvitlo bench probes`` in quick mode: every figure is there and every host got its verdict.

Timings are never asserted (shared machines); the full-size figures live in BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

pytestmark = pytest.mark.slow

KEYS = {"hosts", "cycle_s", "cpu_s", "cpu_core_fraction", "errors", "verdicts", "max_in_flight"}


async def test_quick_probe_cycle_reports_every_figure_with_no_errors():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", "bench", "probes",
        "--hosts", "300", "--interval", "2", "--timeout", "1", "--json",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    [line] = out.decode().splitlines()
    result = json.loads(line)
    assert result.keys() >= KEYS
    assert result["hosts"] == 300 and result["errors"] == 0 == result["mismatches"]
    assert result["verdicts"] == {"answered": 200, "silent": 100, "inconclusive": 0}
    assert result["details"] == {
        "answered/connected": 100, "answered/refused": 100, "silent/timeout": 100,
    }  # fmt: skip
    assert result["cycle_s"] >= 2.0 and 0 < result["cpu_core_fraction"] < 2
