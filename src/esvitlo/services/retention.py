"""Retention: what is old enough is deleted periodically, in small batches.

Settled outbox rows (sent, dead, superseded, dropped) go after ``outbox`` (a week), stored
schedule days after ``snapshots`` (a month: enough to compare plan against fact), and
conversation state untouched for ``conversations`` (a day). Pending and sending messages
are never touched. Raw probe results are not stored anywhere (the power watch keeps only
each monitor's state and its outage intervals), so there is nothing to aggregate or drop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial

from esvitlo.ports import Clock, RetentionStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long each kind of row is kept, and how many rows one delete takes at most."""

    outbox: timedelta = timedelta(days=7)
    snapshots: timedelta = timedelta(days=30)
    conversations: timedelta = timedelta(hours=24)
    batch_size: int = 1000

    def __post_init__(self) -> None:
        periods = (self.outbox, self.snapshots, self.conversations)
        if any(period <= timedelta(0) for period in periods) or self.batch_size < 1:
            raise ValueError("retention periods must be positive and batch_size at least 1")


@dataclass(frozen=True, slots=True)
class PruneReport:
    """Rows deleted by one run, per table."""

    outbox: int = 0
    schedule_days: int = 0
    conversations: int = 0


@dataclass(frozen=True, slots=True)
class RetentionStats:
    """Counters since start, for /metrics: runs, failures and rows deleted per table."""

    runs: int = 0
    failures: int = 0
    outbox_rows: int = 0
    schedule_day_rows: int = 0
    conversation_rows: int = 0
    last_run_at: datetime | None = None
    last_duration_s: float = 0.0
    last_error: str | None = None


class RetentionTask:
    """Prunes every table once per ``interval`` seconds; ``run_once`` does one pass now."""

    def __init__(
        self,
        store: RetentionStore,
        clock: Clock,
        policy: RetentionPolicy | None = None,
        *,
        interval: float = 3600.0,
    ) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self._store = store
        self._clock = clock
        self._policy = policy or RetentionPolicy()
        self._interval = interval
        self._stats = RetentionStats()
        self._task: asyncio.Task[None] | None = None

    @property
    def stats(self) -> RetentionStats:
        """Counters since start."""
        return self._stats

    async def start(self) -> None:
        """Run at once, then every interval; no-op when running."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="retention")
            logger.info("housekeeping.started interval_s=%s", self._interval)

    async def stop(self) -> None:
        """Cancel the periodic runs (a batch in progress rolls back) and wait; idempotent."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            logger.info("housekeeping.stopped runs=%d", self._stats.runs)

    async def run_once(self) -> PruneReport:
        """Prune each table past its period; a table failing does not stop the others."""
        started = self._clock.now()
        policy, batch = self._policy, self._policy.batch_size
        store = self._store
        steps: list[tuple[str, Callable[[], Awaitable[int]]]] = [
            ("outbox", partial(store.prune_outbox, started - policy.outbox, batch)),
            (
                "schedule_days",
                partial(store.prune_schedule_days, (started - policy.snapshots).date(), batch),
            ),
            (
                "conversations",
                partial(store.prune_conversations, started - policy.conversations, batch),
            ),
        ]
        deleted: dict[str, int] = {}
        error = None
        for table, prune in steps:
            try:
                deleted[table] = await prune()
            except Exception as exc:
                logger.exception("housekeeping.prune_failed table=%s", table)
                error = f"{table}: {type(exc).__name__}: {exc}"
                continue
            logger.info("housekeeping.pruned table=%s rows=%d", table, deleted[table])
        report = PruneReport(**deleted)
        self._record(report, started, error)
        return report

    async def _loop(self) -> None:
        while True:
            started = self._clock.now()
            await self.run_once()
            elapsed = (self._clock.now() - started).total_seconds()
            await self._clock.sleep(max(0.0, self._interval - elapsed))

    def _record(self, report: PruneReport, started: datetime, error: str | None) -> None:
        stats = self._stats
        self._stats = replace(
            stats,
            runs=stats.runs + 1,
            failures=stats.failures + int(error is not None),
            outbox_rows=stats.outbox_rows + report.outbox,
            schedule_day_rows=stats.schedule_day_rows + report.schedule_days,
            conversation_rows=stats.conversation_rows + report.conversations,
            last_run_at=started,
            last_duration_s=(self._clock.now() - started).total_seconds(),
            last_error=error,
        )
