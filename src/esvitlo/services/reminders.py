"""Reminders before planned outages: each followed queue's waiting reminders kept in line
with its stored schedule, every ``interval`` seconds and right after each check of a region.

A run asks the store which queues to plan (followed by an active user, or with reminders
waiting), loads each region's stored days once, and hands the store every queue's plan
(:func:`domain.reminder_alerts.queue_reminders`: all lead times, both edges, the reminders
standing within ``window``); the store matches them with each follower's lead times. A plan
computed from days that changed meanwhile is refused by the store; the region is loaded
again and those queues planned anew. Planning is serialized per region, so a periodic run and the
replanning after a check never interleave. It is also a ChangeSink: the schedule store
withdraws a changed queue's waiting reminders as it saves the change, and the check that
follows replans the region at once, restoring the reminders the new schedule still has.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from esvitlo.domain.catalogue import Region
from esvitlo.domain.model import DaySchedule
from esvitlo.domain.reminder_alerts import queue_reminders
from esvitlo.ports import Clock, RegionCheck, ReminderOutcome, ReminderStore, ScheduleStore

logger = logging.getLogger(__name__)

StoredDays = Mapping[str, Mapping[date, DaySchedule]]


@dataclass(frozen=True, slots=True)
class ReminderStats:
    """What the planner did since it was made; a run is a pass over every planned queue."""

    runs: int = 0
    failures: int = 0
    queued: int = 0
    withdrawn: int = 0
    stale: int = 0  # queues given up on after ``attempts`` stale plans
    last_run: datetime | None = None
    last_duration_s: float | None = None
    last_error: str | None = None


def _added(total: ReminderOutcome, outcome: ReminderOutcome) -> ReminderOutcome:
    return ReminderOutcome(
        queued=total.queued + outcome.queued,
        withdrawn=total.withdrawn + outcome.withdrawn,
        stale=total.stale + outcome.stale,
    )


class ReminderPlanner:
    """Plans every followed queue's reminders; ``start`` and ``stop`` it, or call ``run_once``."""

    def __init__(
        self,
        regions: Iterable[Region],
        schedules: ScheduleStore,
        store: ReminderStore,
        clock: Clock,
        *,
        interval: float = 60.0,
        window: timedelta = timedelta(hours=3),
        attempts: int = 3,
    ) -> None:
        if interval <= 0 or window <= timedelta(0) or attempts < 1:
            raise ValueError("interval and window must be positive, attempts at least 1")
        self._regions = {region.id: region for region in regions}
        self._schedules = schedules
        self._store = store
        self._clock = clock
        self._interval = interval
        self._window = window
        self._attempts = attempts
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._stats = ReminderStats()
        self._task: asyncio.Task[None] | None = None

    @property
    def stats(self) -> ReminderStats:
        """Counters so far."""
        return self._stats

    @property
    def running(self) -> bool:
        """Whether the periodic runs are on."""
        return self._task is not None

    @property
    def interval(self) -> float:
        """Seconds between planning runs."""
        return self._interval

    def set_interval(self, interval: float) -> None:
        """Plan every ``interval`` seconds from the next wait on."""
        if interval <= 0:
            raise ValueError("interval must be positive")
        self._interval = interval

    async def start(self) -> None:
        """Run at once, then every ``interval`` seconds; no-op when running."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="reminder-planner")
            logger.info(
                "reminders.started interval_s=%s window_s=%s",
                self._interval,
                self._window.total_seconds(),
            )

    async def stop(self) -> None:
        """Cancel the periodic runs (and a run in progress) and wait; idempotent."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            logger.info("reminders.stopped runs=%d", self._stats.runs)

    async def run_once(self) -> ReminderOutcome:
        """Plan every queue the store names; one region failing does not stop the others."""
        started = time.monotonic()
        total, error = ReminderOutcome(), None
        try:
            for region_id, queues in (await self._store.reminder_queues()).items():
                try:
                    total = _added(total, await self.plan_region(region_id, queues))
                except Exception as exc:
                    logger.exception("reminders.region_failed region=%s", region_id)
                    error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            logger.exception("reminders.run_failed")
            error = f"{type(exc).__name__}: {exc}"
        self._record(total, error, time.monotonic() - started)
        return total

    async def plan_region(
        self, region_id: str, queues: Iterable[str] | None = None
    ) -> ReminderOutcome:
        """Plan the given queues of a region (default: those the store names) now; plans
        refused as stale are made again from freshly loaded days, up to ``attempts`` times."""
        region = self._regions.get(region_id)
        if region is None:
            logger.debug("reminders.unknown_region region=%s", region_id)
            return ReminderOutcome()
        if queues is None:
            queues = (await self._store.reminder_queues()).get(region_id, ())
        todo, total = list(queues), ReminderOutcome()
        async with self._locks[region_id]:
            for _ in range(self._attempts):
                if not todo:
                    break
                stored: StoredDays = await self._schedules.load(region_id) or {}
                now = self._clock.now()
                plans = [
                    queue_reminders(
                        region, queue, (stored.get(queue) or {}).values(), now, self._window
                    )
                    for queue in todo
                ]
                outcome = await self._store.apply_reminders(plans)
                total = _added(total, replace(outcome, stale=()))
                todo = [queue for _, queue in outcome.stale]
        if todo:
            logger.warning("reminders.stale region=%s queues=%s", region_id, ",".join(todo))
            total = replace(total, stale=tuple((region_id, queue) for queue in todo))
        if total.queued or total.withdrawn:
            logger.info(
                "reminders.planned region=%s queued=%d withdrawn=%d",
                region_id,
                total.queued,
                total.withdrawn,
            )
        return total

    async def region_checked(self, result: RegionCheck) -> None:
        """Replan the region's queues after a check (a changed queue's reminders were
        withdrawn as the change was stored; those the new schedule still has come back)."""
        try:
            await self.plan_region(result.region)
        except Exception:
            logger.exception("reminders.replan_failed region=%s", result.region)

    async def _loop(self) -> None:
        while True:
            started = time.monotonic()
            await self.run_once()
            await self._clock.sleep(max(0.0, self._interval - (time.monotonic() - started)))

    def _record(self, total: ReminderOutcome, error: str | None, duration: float) -> None:
        stats = self._stats
        self._stats = replace(
            stats,
            runs=stats.runs + 1,
            failures=stats.failures + int(error is not None),
            queued=stats.queued + total.queued,
            withdrawn=stats.withdrawn + total.withdrawn,
            stale=stats.stale + len(total.stale),
            last_run=self._clock.now(),
            last_duration_s=duration,
            last_error=error,
        )
