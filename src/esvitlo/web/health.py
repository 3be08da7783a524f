"""Readiness: named checks run together, each within a time limit, reported as one JSON body.

The composition root passes the checks in as async callables (database ping, Redis ping,
the schedule watch's figures, the outbox's oldest due message), so this module never touches
storage itself. A failed *critical* check makes the instance not ready (HTTP 503).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from esvitlo.ports import Clock
from esvitlo.services.schedule_watch import RegionStats


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's verdict and what it found (JSON-ready values)."""

    ok: bool
    detail: Mapping[str, Any] = field(default_factory=dict)


Check = Callable[[], Awaitable[CheckResult]]


class WatchedRegions(Protocol):
    """What readiness reads from the schedule watch."""

    @property
    def stats(self) -> Mapping[str, RegionStats]: ...

    @property
    def running(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Readiness:
    """The checks of ``/health/ready``; ``critical`` names those that make it fail."""

    checks: Mapping[str, Check]
    critical: frozenset[str]
    timeout: float = 3.0

    async def report(self) -> tuple[bool, dict[str, Any]]:
        """Run every check at once; whether the instance is ready, and the JSON body."""
        names = list(self.checks)
        results = await asyncio.gather(*(self._run(self.checks[name]) for name in names))
        body: dict[str, dict[str, Any]] = {}
        ready = True
        for name, result in zip(names, results, strict=True):
            critical = name in self.critical
            ready = ready and (result.ok or not critical)
            body[name] = {"ok": result.ok, "critical": critical, **result.detail}
        return ready, {"status": "ready" if ready else "not_ready", "checks": body}

    async def _run(self, check: Check) -> CheckResult:
        try:
            async with asyncio.timeout(self.timeout):
                return await check()
        except TimeoutError:
            return CheckResult(False, {"error": f"no answer within {self.timeout:g} s"})
        except Exception as exc:
            return CheckResult(False, {"error": _error(exc)})


def _error(exc: BaseException) -> str:
    """The error's type and the first line of its message: database errors put their SQL
    and parameters on the lines after it."""
    lines = str(exc).strip().splitlines()
    return (f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__)[:200]


def ping_check(ping: Callable[[], Awaitable[object]]) -> Check:
    """A check that passes when ``ping`` returns and fails with its error when it raises."""

    async def check() -> CheckResult:
        await ping()
        return CheckResult(True)

    return check


def _age_s(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else round((now - then).total_seconds(), 3)


def schedule_check(
    watch: WatchedRegions,
    clock: Clock,
    *,
    max_age: timedelta,
    since: datetime,
    leading: Callable[[], bool] = lambda: True,
) -> Check:
    """Passes while some region's check succeeded within ``max_age`` (or the instance started
    less than ``max_age`` ago); lists every region's last success, runs and last error.

    A follower (``leading()`` false) passes: only the leader runs the watch, and a follower
    that failed readiness could never take traffic in a blue-green switch (deploy/nginx)."""

    async def check() -> CheckResult:
        now = clock.now()
        regions: dict[str, dict[str, Any]] = {}
        fresh = False
        for region, stats in watch.stats.items():
            age = _age_s(now, stats.last_success)
            fresh = fresh or (age is not None and age <= max_age.total_seconds())
            regions[region] = {
                "last_success": stats.last_success.isoformat() if stats.last_success else None,
                "age_s": age,
                "runs": stats.runs,
                "failures": stats.failures,
                "last_error": stats.last_error,
            }
        starting = now - since <= max_age
        follower = not leading()
        ok = follower or (watch.running and (fresh or starting or not regions))
        detail = {
            "running": watch.running,
            "following": follower,
            "starting": starting and not fresh,
            "max_age_s": max_age.total_seconds(),
            "regions": regions,
        }
        return CheckResult(ok, detail)

    return check


def outbox_check(
    oldest_due: Callable[[datetime], Awaitable[datetime | None]], clock: Clock
) -> Check:
    """Reports how long the oldest due message has waited (``oldest_pending_age_s``)."""

    async def check() -> CheckResult:
        now = clock.now()
        return CheckResult(True, {"oldest_pending_age_s": _age_s(now, await oldest_due(now))})

    return check
