"""What an instance reports about itself: the /health/ready checks and the /metrics sources."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
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
        "schedules": schedule_check(
            service.watch,
            clock,
            max_age=max_age,
            since=clock.now(),
            leading=lambda: service.election.is_leader,  # followers leave the watch to it
        ),
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
    from esvitlo.web.crowd_metrics import CrowdCollector
    from esvitlo.web.metrics import MetricSources, ServiceMetrics

    metrics = ServiceMetrics(
        MetricSources(
            regions=lambda: service.watch.stats,
            delivery=lambda: service.delivery,
            outbox_pending=service.storage.outbox.pending_count,
            probe_results=lambda: {str(k): v for k, v in service.power.stats.probes.items()},
            pruned_rows=lambda: _pruned_rows(service),
            channel_checks=lambda: _channel_checks(service),
            parse_warnings=lambda: service.watch.parse_warnings,
            leader=lambda: service.election.is_leader,
            outbox_oldest_age=lambda: _oldest_pending_age(service),
            readiness=readiness_of(service).report,
            memory_limit=cgroup_memory_limit,
        )
    )
    metrics.register(CrowdCollector(lambda: service.crowd.stats))
    return metrics


async def _oldest_pending_age(service: Service) -> float | None:
    now = service.clock.now()
    oldest = await service.storage.outbox.oldest_pending_due(now)
    return None if oldest is None else max(0.0, (now - oldest).total_seconds())


# cgroup v2, then v1; "max" (v2) or a huge number (v1) means no limit
_MEMORY_LIMIT_FILES = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
_NO_LIMIT_ABOVE = 1 << 60


def cgroup_memory_limit(files: tuple[str, ...] = _MEMORY_LIMIT_FILES) -> float | None:
    """The container's memory limit in bytes, or None without one: the memory alert compares
    the resident size with it, as the kernel's OOM killer will."""
    for path in files:
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < _NO_LIMIT_ABOVE:
            return float(text)
        return None
    return None


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
