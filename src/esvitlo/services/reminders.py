"""Reminders before planned outages: each followed queue's waiting reminders kept in line
with its stored schedule, every ``interval`` seconds and right after each check of a region.

A full pass asks the store which queues to plan (followed by an active user, or with
reminders waiting), loads each region's stored days, and hands the store every queue's plan
(:func:`domain.reminder_alerts.queue_reminders`: all lead times, both edges, the reminders
standing within ``window``); the store matches them with each follower's lead times. The
planner runs one at start and every ``full_every``; the runs between plan only the queues
whose reminders may need a change at that minute (:mod:`domain.reminder_agenda`, kept in a
:class:`ReminderBook`): a wanted reminder entering the window, expiring or coming due, or
days that changed. So a minute costs what its due reminders cost, not a read of every user.

A plan computed from days that changed meanwhile is refused by the store; the region is
loaded again and those queues planned anew. Planning is serialized per region, so a periodic
run and the replanning after a check never interleave. It is also a ChangeSink: the schedule
store withdraws a changed queue's waiting reminders as it saves the change, and the check
that follows reloads the region and replans the queues whose days changed at once,
restoring the reminders the new schedule still has.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from esvitlo.domain.catalogue import Region
from esvitlo.ports import Clock, RegionCheck, ReminderOutcome, ReminderStore, ScheduleStore
from esvitlo.services.reminder_book import ReminderBook

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReminderStats:
    """What the planner did since it was made; a run plans every queue due (all, in a full
    pass); ``last_planned``: the queues the last run planned."""

    runs: int = 0
    failures: int = 0
    queued: int = 0
    withdrawn: int = 0
    stale: int = 0  # queues given up on after ``attempts`` stale plans
    last_run: datetime | None = None
    last_duration_s: float | None = None
    last_error: str | None = None
    full_passes: int = 0
    last_planned: int = 0


def _added(total: ReminderOutcome, outcome: ReminderOutcome) -> ReminderOutcome:
    return ReminderOutcome(
        queued=total.queued + outcome.queued,
        withdrawn=total.withdrawn + outcome.withdrawn,
        stale=total.stale + outcome.stale,
        wanted=total.wanted + outcome.wanted,
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
        full_every: timedelta = timedelta(minutes=15),
    ) -> None:
        if interval <= 0 or window <= timedelta(0) or attempts < 1:
            raise ValueError("interval and window must be positive, attempts at least 1")
        if full_every <= timedelta(0):
            raise ValueError("full_every must be positive")
        self._regions = {region.id: region for region in regions}
        self._schedules = schedules
        self._store = store
        self._clock = clock
        self._interval = interval
        self._window = window
        self._attempts = attempts
        self._full_every = full_every
        self._last_full: datetime | None = None
        self._book = ReminderBook(window)
        self._planned = 0
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
        """Run at once (a full pass: another leader may have planned meanwhile), then every
        ``interval`` seconds; no-op when running."""
        if self._task is None:
            self._last_full = None
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
        """Plan the queues due now (every queue the store names in a full pass); one region
        failing does not stop the others."""
        started = time.monotonic()
        now = self._clock.now()
        full = (
            self._last_full is None
            or now < self._last_full
            or now - self._last_full >= self._full_every
        )
        total, error, self._planned = ReminderOutcome(), None, 0
        named: dict[str, Sequence[str] | None] = {}
        try:
            if full:
                named = dict(await self._store.reminder_queues())
                self._last_full = now
            else:
                named = {region: None for region in self._regions if self._book.knows(region)}
            for region_id, queues in named.items():
                try:
                    if queues is None:
                        outcome = await self._plan_due(region_id)
                    else:
                        outcome = await self._plan_named(region_id, queues)
                    total = _added(total, outcome)
                except Exception as exc:
                    logger.exception("reminders.region_failed region=%s", region_id)
                    error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:
            logger.exception("reminders.run_failed")
            error = f"{type(exc).__name__}: {exc}"
        self._record(total, error, time.monotonic() - started, full)
        return total

    async def plan_region(
        self, region_id: str, queues: Iterable[str] | None = None
    ) -> ReminderOutcome:
        """Plan the given queues of a region (default: those the store names) now from
        freshly loaded days; plans refused as stale are made again, up to ``attempts`` times."""
        if region_id not in self._regions:
            logger.debug("reminders.unknown_region region=%s", region_id)
            return ReminderOutcome()
        if queues is None:
            named = (await self._store.reminder_queues()).get(region_id, ())
            return await self._plan_named(region_id, named)
        todo = list(queues)
        self._book.followed(region_id, todo)
        return await self._apply(region_id, todo, reload=True)

    async def _plan_named(self, region_id: str, named: Sequence[str]) -> ReminderOutcome:
        """Plan every queue the store named for a region; the region's other stored queues
        (nobody follows them, nothing waits on them) are noted as needing nothing now."""
        outcome = await self.plan_region(region_id, named)
        if region_id in self._regions:
            self._book.settle_others(region_id, named, self._clock.now())
        return outcome

    async def region_checked(self, result: RegionCheck) -> None:
        """Reload a checked region's days and replan the queues whose days changed (a
        changed queue's reminders were withdrawn as the change was stored; those the new
        schedule still has come back); a region not planned yet is planned whole."""
        try:
            if result.region not in self._regions:
                return
            if not self._book.knows(result.region):
                await self.plan_region(result.region)
                return
            await self._load(result.region)
            await self._plan_due(result.region)
        except Exception:
            logger.exception("reminders.replan_failed region=%s", result.region)

    async def _plan_due(self, region_id: str) -> ReminderOutcome:
        """Plan the queues of a known region whose reminders may need a change now."""
        due = self._book.due(
            self._regions[region_id], self._clock.now(), timedelta(seconds=self._interval)
        )
        return await self._apply(region_id, due, reload=False) if due else ReminderOutcome()

    async def _load(self, region_id: str) -> None:
        self._book.loaded(region_id, await self._schedules.load(region_id) or {})

    async def _apply(self, region_id: str, queues: list[str], *, reload: bool) -> ReminderOutcome:
        """Apply the queues' plans, loading the days first when asked (or when they were
        refused as stale)."""
        region = self._regions[region_id]
        todo, total = queues, ReminderOutcome()
        async with self._locks[region_id]:
            for attempt in range(self._attempts):
                if not todo:
                    break
                if reload or attempt or not self._book.knows(region_id):
                    await self._load(region_id)
                plans = self._book.plans(region, todo, self._clock.now())
                self._planned += len(plans)
                outcome = await self._store.apply_reminders(plans)
                wanted = {(r, q): leads for r, q, leads in outcome.wanted}
                self._book.planned(region, plans, wanted, outcome.stale)
                total = _added(total, replace(outcome, stale=(), wanted=()))
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

    async def _loop(self) -> None:
        while True:
            started = time.monotonic()
            await self.run_once()
            await self._clock.sleep(max(0.0, self._interval - (time.monotonic() - started)))

    def _record(
        self, total: ReminderOutcome, error: str | None, duration: float, full: bool
    ) -> None:
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
            full_passes=stats.full_passes + int(full),
            last_planned=self._planned,
        )
