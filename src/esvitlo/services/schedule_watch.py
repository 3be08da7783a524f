"""Watch every region's schedule: fetch, detect changes per queue, store and plan alerts, notify.

Storing the new days and queueing the alerts they cause is one call of the store
(``save_and_plan``), so both happen or neither does.

Each region runs in its own asyncio task, so a slow or failing region never holds up another.
A region's check is single-flight: a ``check_region`` call made while that region's check is
already running does not start a second one but waits for the running one and returns its
result (or raises its error).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from structlog.contextvars import bind_contextvars

from esvitlo.domain.alerts import change_alerts
from esvitlo.domain.catalogue import Region, display_url
from esvitlo.domain.changes import QueueCheck, check_queue
from esvitlo.domain.channel_posts import channel_posts
from esvitlo.domain.model import DaySchedule, RegionSnapshot, local_date
from esvitlo.ports import ChangeSink, Clock, RegionCheck, ScheduleStore
from esvitlo.services.breaker import BreakerState
from esvitlo.services.region_fetcher import (
    FetchResult,
    RegionFetcher,
    RegionUnavailable,
)

logger = logging.getLogger(__name__)

StoredDays = Mapping[str, Mapping[date, DaySchedule]]

CHECK_SECONDS_BUCKETS = (0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0)
"""Upper bounds of the check-duration histogram; one more count holds the longer checks."""


@dataclass(frozen=True, slots=True)
class RegionStats:
    """Counters of one region's checks.

    A run is a finished check; it is a failure when it raised (also counted in ``errors``)
    or when every source failed (the stale last copy was used). ``last_success`` is when a
    check last got a document. ``duration_counts`` counts checks per CHECK_SECONDS_BUCKETS
    bound (not cumulative; the last count is above every bound).
    """

    runs: int = 0
    failures: int = 0
    errors: int = 0
    duration_sum_s: float = 0.0
    duration_counts: tuple[int, ...] = (0,) * (len(CHECK_SECONDS_BUCKETS) + 1)
    last_success: datetime | None = None
    last_duration_s: float | None = None
    last_decision: str | None = None
    last_error: str | None = None


def check_snapshot(
    stored: StoredDays | None, snapshot: RegionSnapshot, today: date, *, fetch_failed: bool
) -> dict[str, QueueCheck]:
    """Each queue's check against what was stored; a queue never stored is a baseline."""
    source_ok = snapshot.source_ok and not fetch_failed
    known = stored or {}
    return {
        queue: check_queue(known.get(queue), schedule, today, source_ok=source_ok)
        for queue, schedule in snapshot.queues.items()
    }


class ScheduleWatch:
    """Checks each watched region every ``interval`` seconds (+/- ``jitter`` of it).

    A region without sources (its operator publishes nothing we can read) is not watched:
    nothing polls it, its checks are not counted, and ``check_region`` does not know it.
    """

    def __init__(
        self,
        regions: Iterable[Region],
        fetchers: Mapping[str, RegionFetcher] | Callable[[Region], RegionFetcher],
        store: ScheduleStore,
        sink: ChangeSink,
        clock: Clock,
        *,
        interval: float = 300.0,
        jitter: float = 0.1,
        rng: random.Random | None = None,
    ) -> None:
        if interval <= 0 or not 0 <= jitter < 1:
            raise ValueError("interval must be positive and 0 <= jitter < 1")
        self._regions = {region.id: region for region in regions if region.has_schedule}
        if isinstance(fetchers, Mapping):
            missing = sorted(set(self._regions) - set(fetchers))
            if missing:
                raise ValueError(f"no fetcher for regions: {', '.join(missing)}")
            self._fetchers = {rid: fetchers[rid] for rid in self._regions}
        else:
            self._fetchers = {rid: fetchers(region) for rid, region in self._regions.items()}
        self._store = store
        self._sink = sink
        self._clock = clock
        self._interval = interval
        self._jitter = jitter
        self._rng = rng or random.Random()  # noqa: S311 - spreading polls, not security
        self._stats = {rid: RegionStats() for rid in self._regions}
        self._inflight: dict[str, asyncio.Task[RegionCheck]] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}

    @property
    def stats(self) -> Mapping[str, RegionStats]:
        """Current counters per region, read-only."""
        return MappingProxyType(self._stats)

    @property
    def breaker_states(self) -> Mapping[str, Mapping[str, BreakerState]]:
        """Each region's sources' breaker states, by source URL."""
        return {rid: fetcher.breaker_states() for rid, fetcher in self._fetchers.items()}

    @property
    def parse_warnings(self) -> Mapping[tuple[str, str], int]:
        """Warnings of the parsed documents per (region, kind); see RegionFetcher."""
        return {
            (rid, kind): count
            for rid, fetcher in self._fetchers.items()
            for kind, count in fetcher.parse_warnings.items()
        }

    @property
    def running(self) -> bool:
        """Whether the region tasks are running."""
        return bool(self._tasks)

    async def start(self) -> None:
        """Start one task per region; the first check of each runs at once. No-op if started."""
        if self._tasks:
            return
        for rid in self._regions:
            self._tasks[rid] = asyncio.create_task(self._loop(rid), name=f"schedule-watch:{rid}")
        logger.info(
            "schedule.watch_started regions=%d interval_s=%s", len(self._tasks), self._interval
        )

    async def stop(self) -> None:
        """Cancel the region tasks and any check in flight, and wait for them; idempotent."""
        tasks = [*self._tasks.values(), *self._inflight.values()]
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if tasks:
            logger.info("schedule.watch_stopped")

    async def check_region(self, region_id: str) -> RegionCheck:
        """Check one region now, or join its check already in flight; raise KeyError if unknown."""
        if region_id not in self._regions:
            raise KeyError(region_id)
        task = self._inflight.get(region_id)
        if task is None:
            task = asyncio.create_task(
                self._run_check(region_id), name=f"schedule-check:{region_id}"
            )
            self._inflight[region_id] = task
            task.add_done_callback(lambda done: self._forget(region_id, done))
        return await asyncio.shield(task)

    @property
    def interval(self) -> float:
        """Seconds between a region's checks (before jitter)."""
        return self._interval

    def set_interval(self, interval: float) -> None:
        """Check every ``interval`` seconds from the next wait of each region on."""
        if interval <= 0:
            raise ValueError("interval must be positive")
        self._interval = interval

    def next_delay(self, elapsed: float = 0.0) -> float:
        """Seconds until the next check: the jittered interval less the time the check took."""
        spread = self._interval * self._jitter
        return max(0.0, self._interval + self._rng.uniform(-spread, spread) - elapsed)

    def _forget(self, region_id: str, task: asyncio.Task[RegionCheck]) -> None:
        if self._inflight.get(region_id) is task:
            del self._inflight[region_id]
        if not task.cancelled():
            task.exception()  # mark retrieved; callers and the loop handle it

    async def _loop(self, region_id: str) -> None:
        while True:
            started = time.monotonic()
            try:
                await self.check_region(region_id)
            except RegionUnavailable as exc:
                logger.warning("schedule.check_failed region=%s error=%s", region_id, exc)
            except Exception:
                logger.exception("schedule.check_crashed region=%s", region_id)
            await self._clock.sleep(self.next_delay(time.monotonic() - started))

    async def _run_check(self, region_id: str) -> RegionCheck:
        bind_contextvars(region=region_id)  # this check's own task: its logs name the region
        started = time.monotonic()
        try:
            result = await self._check(region_id)
        except Exception as exc:
            self._record(region_id, started, None, exc)
            raise
        self._record(region_id, started, result, None)
        return result

    async def _check(self, region_id: str) -> RegionCheck:
        fetched: FetchResult = await self._fetchers[region_id].fetch()
        zone = ZoneInfo(self._regions[region_id].tz)
        now = self._clock.now()
        today = local_date(now, zone)
        stored = await self._store.load(region_id)
        checks = check_snapshot(stored, fetched.snapshot, today, fetch_failed=fetched.fetch_failed)
        keep = {queue: c.keep for queue, c in checks.items() if c.keep is not None}
        region = self._regions[region_id]
        alerts = change_alerts(region, fetched.snapshot, checks, today)
        posts = channel_posts(region, fetched.snapshot, checks, now)
        if keep or alerts:
            await self._store.save_and_plan(region_id, keep, alerts, posts)
        result = RegionCheck(
            region_id,
            fetched.snapshot,
            checks,
            fetched.fetch_failed,
            fetched.source_url,
            fetched.errors,
        )
        await self._sink.region_checked(result)
        self._log_check(result)
        return result

    def _log_check(self, result: RegionCheck) -> None:
        for queue, check in result.checks.items():
            for change in check.changes:
                logger.info(
                    "schedule.changed region=%s queue=%s kind=%s date=%s diff=%s",
                    result.region,
                    queue,
                    change.kind,
                    change.date.isoformat(),
                    change.diff.describe(),
                )
        logger.info(
            "schedule.checked region=%s source=%s decisions=%s",
            result.region,
            display_url(result.source_url),
            result.summary().replace(" ", ","),
        )

    def _record(
        self,
        region_id: str,
        started: float,
        result: RegionCheck | None,
        error: BaseException | None,
    ) -> None:
        stats = self._stats[region_id]
        failed = result is None or result.fetch_failed
        duration = time.monotonic() - started
        self._stats[region_id] = replace(
            stats,
            runs=stats.runs + 1,
            failures=stats.failures + int(failed),
            errors=stats.errors + int(result is None),
            duration_sum_s=stats.duration_sum_s + duration,
            duration_counts=_counted(stats.duration_counts, duration),
            last_success=stats.last_success if failed else self._clock.now(),
            last_duration_s=duration,
            last_decision=result.summary() if result is not None else stats.last_decision,
            last_error=_error_text(result, error),
        )


def _counted(counts: tuple[int, ...], seconds: float) -> tuple[int, ...]:
    """``counts`` with one more check in the bucket of ``seconds``."""
    index = bisect_left(CHECK_SECONDS_BUCKETS, seconds)
    return (*counts[:index], counts[index] + 1, *counts[index + 1 :])


def _error_text(result: RegionCheck | None, error: BaseException | None) -> str | None:
    if error is not None:
        return f"{type(error).__name__}: {error}"
    if result is not None and result.fetch_failed:
        return "; ".join(result.errors) or "fetch failed"
    return None
