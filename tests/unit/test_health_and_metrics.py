"""Readiness verdicts, the metric families and the HTTP edge's log throttling, from fake
figures (no server, no database)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client.parser import text_string_to_metric_families

from esvitlo.services.delivery import DeliveryStats
from esvitlo.services.schedule_watch import CHECK_SECONDS_BUCKETS, RegionStats
from esvitlo.web.health import (
    CheckResult,
    Readiness,
    outbox_check,
    ping_check,
    schedule_check,
)
from esvitlo.web.listener import ACCEPT_FAILED, Throttle, quiet_accept_errors
from esvitlo.web.metrics import MetricSources, ServiceMetrics

from step_clock import StepClock

START = datetime(2025, 11, 9, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@dataclass
class Watch:
    stats: Mapping[str, RegionStats] = field(default_factory=dict)
    running: bool = True


@dataclass
class Delivery:
    stats: DeliveryStats
    outcomes: Mapping[tuple[str, str], int]


async def _ok() -> CheckResult:
    return CheckResult(True, {"answered": True})


async def _down() -> None:
    raise ConnectionRefusedError("connection refused")


async def _hangs() -> CheckResult:
    await asyncio.sleep(10)
    return CheckResult(True)


async def test_every_check_is_listed_and_a_failed_critical_one_fails_readiness() -> None:
    readiness = Readiness(
        {"database": ping_check(_down), "cache": ping_check(_down), "extra": _ok},
        critical=frozenset({"database"}),
    )
    ready, body = await readiness.report()
    assert not ready
    assert body["status"] == "not_ready"
    assert body["checks"]["database"] == {
        "ok": False,
        "critical": True,
        "error": "ConnectionRefusedError: connection refused",
    }
    assert body["checks"]["cache"]["ok"] is False and body["checks"]["cache"]["critical"] is False
    assert body["checks"]["extra"] == {"ok": True, "critical": False, "answered": True}


async def test_non_critical_failures_leave_the_instance_ready() -> None:
    readiness = Readiness({"database": _ok, "cache": ping_check(_down)}, frozenset({"database"}))
    ready, body = await readiness.report()
    assert ready and body["status"] == "ready"


async def test_a_check_that_never_answers_fails_within_the_timeout() -> None:
    readiness = Readiness({"database": _hangs}, frozenset({"database"}), timeout=0.05)
    ready, body = await asyncio.wait_for(readiness.report(), 2)
    assert not ready
    assert body["checks"]["database"]["error"] == "no answer within 0.05 s"


class StatementError(Exception):
    """Shaped like SQLAlchemy's errors: the SQL and its parameters on the lines after."""


async def _locked() -> None:
    raise StatementError(
        "(sqlite3.OperationalError) database is locked\n"
        "[SQL: INSERT INTO monitors (secret) VALUES (?)]\n[parameters: ('hb-secret',)]"
    )


async def test_a_failed_check_reports_the_error_type_and_first_line_only() -> None:
    readiness = Readiness({"database": ping_check(_locked)}, frozenset({"database"}))
    _, body = await readiness.report()
    error = body["checks"]["database"]["error"]
    assert error == "StatementError: (sqlite3.OperationalError) database is locked"


def test_a_throttle_lets_one_event_through_per_interval_and_counts_the_rest() -> None:
    now = [0.0]
    throttle = Throttle(10.0, now=lambda: now[0])
    seen = []
    for step in range(30):
        now[0] = step * 0.5  # 15 s of events, two a second
        seen.append((now[0], throttle.admit()))
    assert [(at, held) for at, held in seen if held is not None] == [(0.0, 0), (10.0, 19)]


def test_accept_failures_are_logged_once_a_minute_and_other_errors_passed_on(caplog) -> None:
    loop = asyncio.new_event_loop()
    passed: list[str] = []
    loop.set_exception_handler(lambda _loop, context: passed.append(context["message"]))
    now = [0.0]
    quiet_accept_errors(loop, now=lambda: now[0])
    failure = {"message": ACCEPT_FAILED, "exception": OSError(24, "Too many open files")}
    try:
        with caplog.at_level(logging.ERROR, logger="esvitlo"):
            for step in range(5000):  # 5,000 tries in 50 s, then one more a minute later
                now[0] = step / 100
                loop.call_exception_handler(failure)
            now[0] = 110.0
            loop.call_exception_handler(failure)
            loop.call_exception_handler({"message": "Task exception was never retrieved"})
    finally:
        loop.close()
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "http.accept_failed error=OSError(24, 'Too many open files') suppressed=0",
        "http.accept_failed error=OSError(24, 'Too many open files') suppressed=4999",
    ]
    assert passed == ["Task exception was never retrieved"]


def _stats(last_success: datetime | None, **more: object) -> RegionStats:
    return RegionStats(runs=3, failures=1, last_success=last_success, **more)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("since_start", "successes", "running", "ok"),
    [
        (timedelta(minutes=5), {"kyiv": None}, True, True),  # starting: no check done yet
        (2 * HOUR, {"kyiv": None}, True, False),  # never succeeded, long after start
        (2 * HOUR, {"kyiv": -30 * 60, "dnipro": None}, True, True),  # one region is fresh
        (3 * HOUR, {"kyiv": -90 * 60, "dnipro": -61 * 60}, True, False),  # all too old
        (3 * HOUR, {"kyiv": -10}, False, False),  # the watch is stopped
        (3 * HOUR, {}, True, True),  # no regions configured
    ],
)
async def test_schedule_readiness(
    since_start: timedelta, successes: dict[str, int | None], running: bool, ok: bool
) -> None:
    clock = StepClock(START)
    clock.current = START + since_start
    stats = {
        region: _stats(None if age is None else clock.current + timedelta(seconds=age))
        for region, age in successes.items()
    }
    check = schedule_check(Watch(stats, running), clock, max_age=HOUR, since=START)
    result = await check()
    assert result.ok is ok
    assert set(result.detail["regions"]) == set(successes)
    for region, age in successes.items():
        assert result.detail["regions"][region]["age_s"] == (None if age is None else -age)


async def test_schedule_readiness_lists_the_last_error() -> None:
    clock = StepClock(START)
    stats = {"kyiv": _stats(START - HOUR / 2, last_error="TimeoutError: ")}
    result = await schedule_check(Watch(stats), clock, max_age=HOUR, since=START)()
    assert result.detail["regions"]["kyiv"] == {
        "last_success": "2025-11-09T07:30:00+00:00",
        "age_s": 1800.0,
        "runs": 3,
        "failures": 1,
        "last_error": "TimeoutError: ",
    }


async def test_outbox_readiness_reports_the_oldest_wait() -> None:
    clock = StepClock(START)

    async def oldest(now: datetime) -> datetime | None:
        return now - timedelta(seconds=42)

    async def none(now: datetime) -> datetime | None:
        return None

    assert (await outbox_check(oldest, clock)()).detail == {"oldest_pending_age_s": 42.0}
    assert (await outbox_check(none, clock)()).detail == {"oldest_pending_age_s": None}


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_read_the_figures_at_scrape_time() -> None:
    counts = [0] * (len(CHECK_SECONDS_BUCKETS) + 1)
    counts[0], counts[2], counts[-1] = 4, 1, 1  # 0.1 s x4, 0.8 s, 120 s
    regions = {
        "kyiv": RegionStats(
            runs=6, failures=2, errors=1, duration_sum_s=121.2, duration_counts=tuple(counts),
            last_success=START,
        ),
        "dnipro": RegionStats(),
    }  # fmt: skip
    delivery = Delivery(
        DeliveryStats(sent=7, rate_limited=3),
        {("broadcast", "sent"): 5, ("schedule_change", "sent"): 2, ("broadcast", "dead"): 1},
    )
    pending = [12]
    leading = [False]

    async def outbox_pending() -> int:
        return pending[0]

    metrics = ServiceMetrics(
        MetricSources(
            regions=lambda: regions,
            delivery=lambda: delivery,
            outbox_pending=outbox_pending,
            probe_results=lambda: {"up": 10, "down": 2},
            pruned_rows=lambda: {"outbox": 1500, "conversations": 3},
            channel_checks=lambda: {"healthy": 40, "unhealthy": 1},
            leader=lambda: leading[0],
        )
    )
    samples = _samples((await metrics.render()).decode())
    assert samples[("schedule_checks_total", (("region", "kyiv"), ("result", "ok")))] == 4
    assert samples[("schedule_checks_total", (("region", "kyiv"), ("result", "stale")))] == 1
    assert samples[("schedule_checks_total", (("region", "kyiv"), ("result", "error")))] == 1
    assert samples[("schedule_checks_total", (("region", "dnipro"), ("result", "ok")))] == 0
    bucket = "fetch_duration_seconds_bucket"
    assert samples[(bucket, (("le", "0.25"), ("region", "kyiv")))] == 4
    assert samples[(bucket, (("le", "1.0"), ("region", "kyiv")))] == 5
    assert samples[(bucket, (("le", "60.0"), ("region", "kyiv")))] == 5
    assert samples[(bucket, (("le", "+Inf"), ("region", "kyiv")))] == 6
    assert samples[("fetch_duration_seconds_count", (("region", "kyiv"),))] == 6
    assert samples[("fetch_duration_seconds_sum", (("region", "kyiv"),))] == pytest.approx(121.2)
    last = ("schedule_last_success_timestamp_seconds", (("region", "kyiv"),))
    assert samples[last] == START.timestamp()
    sent = "notifications_sent_total"
    assert samples[(sent, (("kind", "broadcast"), ("result", "sent")))] == 5
    assert samples[(sent, (("kind", "broadcast"), ("result", "dead")))] == 1
    assert samples[(sent, (("kind", "schedule_change"), ("result", "sent")))] == 2
    assert samples[("telegram_429_total", ())] == 3
    assert samples[("outbox_pending", ())] == 12
    assert samples[("probe_results_total", (("result", "up"),))] == 10
    assert samples[("housekeeping_pruned_rows_total", (("table", "outbox"),))] == 1500
    assert samples[("channel_checks_total", (("result", "unhealthy"),))] == 1
    assert samples[("leader", ())] == 0

    pending[0], leading[0] = 0, True
    regions["kyiv"] = RegionStats(runs=7, failures=2, errors=1, last_success=START)
    samples = _samples((await metrics.render()).decode())
    assert samples[("outbox_pending", ())] == 0
    assert samples[("leader", ())] == 1
    assert samples[("schedule_checks_total", (("region", "kyiv"), ("result", "ok")))] == 5


async def test_metrics_without_a_bot_or_providers() -> None:
    metrics = ServiceMetrics(MetricSources(regions=dict))
    text = (await metrics.render()).decode()
    samples = _samples(text)
    assert samples[("telegram_429_total", ())] == 0
    assert samples[("leader", ())] == 1  # embedded: this instance is the leader
    for name in ("notifications_sent", "probe_results", "outbox_pending", "schedule_checks"):
        assert f"# TYPE {name}" in text


async def test_a_follower_is_ready_without_running_the_schedule_watch() -> None:
    """Only the leader runs the watch; a follower must still pass readiness, or a blue-green
    switch could never send traffic to it (deploy/nginx/esvitlo-switch asks /health/ready)."""
    clock = StepClock(START)
    clock.current = START + 3 * HOUR
    stats = {"kyiv": _stats(None)}
    follower = schedule_check(
        Watch(stats, False), clock, max_age=HOUR, since=START, leading=lambda: False
    )
    leader = schedule_check(Watch(stats, False), clock, max_age=HOUR, since=START)
    assert (await follower()).ok and (await follower()).detail["following"]
    assert not (await leader()).ok
