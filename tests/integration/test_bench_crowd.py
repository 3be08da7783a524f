"""``esvitlo bench crowd`` in a tiny size on both backends: the figures the issue names, one
aggregation seeing every queue, and the off-wave queues the schedule says are on alerted once.

Timings are never asserted (shared machines); the full-size figures live in BENCHMARKS.md.
"""

from __future__ import annotations

import json
import os

import pytest

from esvitlo.cli import main

KEYS = {"monitors", "queues", "pass_s", "cpu_core_fraction"}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tiny_bench_reports_its_figures(backend, capsys):
    args = ["bench", "crowd", "--monitors", "2000", "--json"]
    if backend == "postgresql":
        url = os.environ.get("ESVITLO_TEST_POSTGRES_URL")
        if not url:
            pytest.skip("ESVITLO_TEST_POSTGRES_URL is not set")
        args += ["--database-url", url]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert result.keys() >= KEYS and result["database"] == backend
    assert (result["monitors"], result["queues"], result["visible_queues"]) == (2000, 40, 40)
    assert result["pass_s"] > 0
    assert result["cpu_core_fraction"] == pytest.approx(result["pass_s"] / 30, abs=1e-3)
    # the off-waves: unscheduled ones confirmed once and still ongoing, the others planned
    assert result["episodes"] == 4 and 1 <= result["alerts"] <= 4
