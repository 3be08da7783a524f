"""The retention task with a fake store: the cutoffs it asks for, one table failing without
stopping the others, the counters and the log line per table."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from esvitlo.services.retention import PruneReport, RetentionPolicy, RetentionTask

from virtual_clock import VirtualClock

NOW = datetime(2025, 11, 9, 8, 0, tzinfo=UTC)


class FakeRetentionStore:
    """Records each call and deletes a set number of rows (or fails) per table."""

    def __init__(self, outbox: int = 0, days: int = 0, conversations: int = 0) -> None:
        self.rows = {"outbox": outbox, "schedule_days": days, "conversations": conversations}
        self.failing: set[str] = set()
        self.calls: list[tuple[str, object, int]] = []

    async def _prune(self, table: str, cutoff: object, batch_size: int) -> int:
        self.calls.append((table, cutoff, batch_size))
        if table in self.failing:
            raise ConnectionError("database went away")
        return self.rows[table]

    async def prune_outbox(self, created_before: datetime, batch_size: int) -> int:
        return await self._prune("outbox", created_before, batch_size)

    async def prune_schedule_days(self, before: date, batch_size: int) -> int:
        return await self._prune("schedule_days", before, batch_size)

    async def prune_conversations(self, updated_before: datetime, batch_size: int) -> int:
        return await self._prune("conversations", updated_before, batch_size)


async def test_each_table_is_pruned_at_its_own_cutoff_and_logged(caplog):
    store = FakeRetentionStore(outbox=1234, days=5, conversations=2)
    policy = RetentionPolicy(outbox=timedelta(days=7), batch_size=500)
    task = RetentionTask(store, VirtualClock(NOW), policy)
    with caplog.at_level(logging.INFO, logger="esvitlo.services.retention"):
        report = await task.run_once()
    assert report == PruneReport(outbox=1234, schedule_days=5, conversations=2)
    assert store.calls == [
        ("outbox", NOW - timedelta(days=7), 500),
        ("schedule_days", date(2025, 10, 10), 500),
        ("conversations", NOW - timedelta(hours=24), 500),
    ]
    assert "housekeeping.pruned table=outbox rows=1234" in caplog.messages
    assert task.stats.outbox_rows == 1234 and task.stats.last_run_at == NOW


async def test_a_failing_table_stops_neither_the_others_nor_the_next_run():
    store = FakeRetentionStore(outbox=10, days=3, conversations=1)
    store.failing.add("outbox")
    task = RetentionTask(store, VirtualClock(NOW))
    assert await task.run_once() == PruneReport(schedule_days=3, conversations=1)
    assert task.stats.failures == 1 and "ConnectionError" in (task.stats.last_error or "")
    store.failing.clear()
    await task.run_once()
    stats = task.stats
    assert (stats.runs, stats.failures, stats.last_error) == (2, 1, None)
    assert (stats.outbox_rows, stats.schedule_day_rows, stats.conversation_rows) == (10, 6, 2)


async def test_the_loop_prunes_once_per_interval_until_stopped():
    clock = VirtualClock(NOW)
    store = FakeRetentionStore()
    task = RetentionTask(store, clock, interval=900)

    async def an_hour() -> None:
        await task.start()
        await clock.sleep(3599)
        await task.stop()

    await clock.run(an_hour())
    assert task.stats.runs == 4  # at 0, 900, 1800 and 2700 s


@pytest.mark.parametrize(
    "bad",
    [{"outbox": timedelta(0)}, {"conversations": timedelta(hours=-1)}, {"batch_size": 0}],
)
def test_a_policy_needs_positive_periods_and_batches(bad):
    with pytest.raises(ValueError, match="retention"):
        RetentionPolicy(**bad)
