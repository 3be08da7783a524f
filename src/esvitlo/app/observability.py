"""What an instance reports about itself: the /health/ready checks and the /metrics sources."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from esvitlo.adapters.sql.write_check import DatabaseCheckFailed, check_writes
from esvitlo.app.assembly import ping_redis

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from esvitlo.app.service import Service
    from esvitlo.web.health import Check, Readiness
    from esvitlo.web.metrics import ServiceMetrics

# seconds the readiness write waits for locks: well within the readiness time limit (3 s)
WRITE_WAIT = 1.0


def readiness_of(service: Service) -> Readiness:
    """The checks of /health/ready: the database takes writes, Redis answers, schedules are
    fresh."""
    from esvitlo.web.health import Readiness, outbox_check, ping_check, schedule_check

    settings, clock = service.settings, service.clock
    max_age = timedelta(seconds=settings.ready_max_check_age)
    checks = {
        "database": writes_check(service.storage.engine),
        "schedules": schedule_check(service.watch, clock, max_age=max_age, since=clock.now()),
        "outbox": outbox_check(service.storage.outbox.oldest_pending_due, clock),
    }
    redis_url = settings.redis_url
    if redis_url:
        checks["redis"] = ping_check(lambda: ping_redis(redis_url))
    # Redis is reported, not critical: a lone instance keeps leading without it
    # (docs/scaling.md), and failing readiness would have it restarted for nothing.
    return Readiness(checks, critical=frozenset({"database", "schedules"}))


def writes_check(engine: AsyncEngine) -> Check:
    """Passes when a write gets through within ``WRITE_WAIT`` seconds (see write_check.py);
    a failure reports the error's type and first line, never SQL."""
    from esvitlo.web.health import CheckResult

    async def check() -> CheckResult:
        try:
            await check_writes(engine, within=WRITE_WAIT)
        except DatabaseCheckFailed as exc:
            return CheckResult(False, {"error": str(exc)})
        return CheckResult(True)

    return check


def metrics_of(service: Service) -> ServiceMetrics:
    """The /metrics registry over the instance's counters, read at scrape time."""
    from esvitlo.web.metrics import MetricSources, ServiceMetrics

    return ServiceMetrics(
        MetricSources(
            regions=lambda: service.watch.stats,
            delivery=lambda: service.delivery,
            outbox_pending=service.storage.outbox.pending_count,
            probe_results=lambda: {str(k): v for k, v in service.power.stats.probes.items()},
            pruned_rows=lambda: _pruned_rows(service),
            channel_checks=lambda: _channel_checks(service),
            parse_warnings=lambda: service.watch.parse_warnings,
            leader=lambda: service.election.is_leader,
        )
    )


def _pruned_rows(service: Service) -> dict[str, int]:
    stats = service.retention.stats
    return {
        "outbox": stats.outbox_rows,
        "schedule_days": stats.schedule_day_rows,
        "conversations": stats.conversation_rows,
    }


def _channel_checks(service: Service) -> dict[str, int]:
    if service.channel_health is None:
        return {}
    stats = service.channel_health.stats
    return {"healthy": stats.healthy, "unhealthy": stats.unhealthy, "error": stats.errors}
