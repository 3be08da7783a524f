"""Contract: retention deletes only what is old and settled, in small batches; the channel
health store lists channels and recovers only lost ones; db stats count every table; on
every backend."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sql_backends import START, StepClock
from sqlalchemy import event, func, insert, select

from esvitlo.adapters.sql.channel_health import SqlChannelHealth
from esvitlo.adapters.sql.db_stats import database_stats
from esvitlo.adapters.sql.retention import SqlRetention
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox, schedule_days, schedule_queues
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.channel_health import CheckedChannel
from esvitlo.domain.delivery import OutboxStatus

OLD = START - timedelta(days=8)
RECENT = START - timedelta(days=1)
CUTOFF = START - timedelta(days=7)
SETTLED = {OutboxStatus.SENT, OutboxStatus.DEAD, OutboxStatus.SUPERSEDED, OutboxStatus.DROPPED}


async def _add_messages(storage: SqlStorage, rows: list[tuple[OutboxStatus, Any]]) -> None:
    values = [
        {
            "chat_id": 100 + n,
            "kind": "broadcast",
            "topic": f"t:{n}",
            "idempotency_key": f"k:{n}",
            "payload": {"text": "x"},
            "status": status.value,
            "priority": 9,
            "due_at": created,
            "attempts": 0,
            "created_at": created,
            "sent_at": created if status is OutboxStatus.SENT else None,
        }
        for n, (status, created) in enumerate(rows)
    ]
    async with storage.engine.begin() as conn:
        await conn.execute(insert(outbox), values)


async def _left(storage: SqlStorage) -> list[tuple[str, bool]]:
    """(status, created before the cutoff) of every outbox row, in id order."""
    query = select(outbox.c.status, outbox.c.created_at).order_by(outbox.c.id)
    async with storage.engine.connect() as conn:
        return [(row.status, row.created_at < CUTOFF) for row in await conn.execute(query)]


class DeleteSizes:
    """The rows each DELETE statement on an engine removed."""

    def __init__(self, storage: SqlStorage) -> None:
        self.sizes: list[int] = []
        event.listen(storage.engine.sync_engine, "after_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("DELETE"):
            self.sizes.append(cursor.rowcount)


async def test_outbox_pruning_takes_old_settled_rows_of_every_status_and_nothing_else(
    storage: SqlStorage,
):
    rows = [(status, when) for when in (OLD, RECENT) for status in OutboxStatus]
    await _add_messages(storage, rows)
    deleted = await SqlRetention(storage.engine).prune_outbox(CUTOFF, batch_size=3)
    assert deleted == len(SETTLED)
    assert await _left(storage) == [
        ("pending", True),
        ("sending", True),
        *((status.value, False) for status in OutboxStatus),
    ]


async def test_outbox_pruning_goes_in_small_batches_past_waiting_messages(storage: SqlStorage):
    statuses = [OutboxStatus.SENT, OutboxStatus.DEAD, OutboxStatus.PENDING, OutboxStatus.DROPPED]
    rows = [(statuses[n % 4], OLD + timedelta(minutes=n)) for n in range(40)]
    rows += [(OutboxStatus.SENT, RECENT + timedelta(minutes=n)) for n in range(12)]
    await _add_messages(storage, rows)
    deletes = DeleteSizes(storage)
    deleted = await SqlRetention(storage.engine).prune_outbox(CUTOFF, batch_size=5)
    assert deleted == 30
    assert deletes.sizes and max(deletes.sizes) <= 5
    left = await _left(storage)
    assert left == [("pending", True)] * 10 + [("sent", False)] * 12
    assert await SqlRetention(storage.engine).prune_outbox(CUTOFF, batch_size=5) == 0


async def test_outbox_pruning_never_touches_waiting_messages_however_old(storage: SqlStorage):
    ancient = START - timedelta(days=400)
    await _add_messages(storage, [(OutboxStatus.PENDING, ancient), (OutboxStatus.SENDING, ancient)])
    assert await SqlRetention(storage.engine).prune_outbox(START, batch_size=1) == 0
    assert [status for status, _ in await _left(storage)] == ["pending", "sending"]


async def test_schedule_days_before_the_cutoff_go_in_batches(storage: SqlStorage):
    async with storage.engine.begin() as conn:
        await conn.execute(
            insert(schedule_queues),
            [{"region": "kyiv", "queue": q, "updated_at": START} for q in ("1.1", "3.1")],
        )
        await conn.execute(
            insert(schedule_days),
            [
                {
                    "region": "kyiv",
                    "queue": queue,
                    "day": date(2025, 11, 9) - timedelta(days=age),
                    "state": "published",
                    "outages": [],
                    "possible": [],
                    "fingerprint": "f",
                    "updated_at": START,
                }
                for queue in ("1.1", "3.1")
                for age in range(0, 60, 5)
            ],
        )
    deletes = DeleteSizes(storage)
    deleted = await SqlRetention(storage.engine).prune_schedule_days(date(2025, 10, 10), 3)
    assert deleted == 10  # ages 35..55 in both queues; age 30 is the cutoff day itself
    assert max(deletes.sizes) <= 3
    async with storage.engine.connect() as conn:
        oldest = await conn.scalar(select(func.min(schedule_days.c.day)))
        left = await conn.scalar(select(func.count()).select_from(schedule_days))
    assert oldest == date(2025, 10, 10) and left == 14
    assert await storage.schedules.load("kyiv") is not None


async def test_conversations_untouched_since_the_cutoff_go(storage: SqlStorage, clock: StepClock):
    for n in range(7):
        await storage.conversations.set_state(f"1:{n}:{n}::default", "Wizard:queue")
    clock.advance(hours=25)
    await storage.conversations.set_state("1:9:9::default", "Wizard:label")
    await storage.conversations.set_state("1:0:0::default", "Wizard:label")  # touched again
    cutoff = clock.now() - timedelta(hours=24)
    assert await SqlRetention(storage.engine).prune_conversations(cutoff, batch_size=2) == 6
    assert await storage.conversations.get("1:9:9::default") == ("Wizard:label", {})
    assert await storage.conversations.get("1:0:0::default") == ("Wizard:label", {})
    assert await storage.conversations.get("1:3:3::default") == (None, {})


async def test_health_store_lists_channels_and_recovers_only_lost_ones(storage: SqlStorage):
    owner = await storage.users.get_or_create(10, "uk")
    home = await storage.subscriptions.add(owner.id, "kyiv", "3.1", "home")
    for chat in (-3, -2, -1):
        await storage.channels.add_pending(chat, owner.id, "c")
    await storage.channels.link(-3, home.id)
    await storage.channels.set_status(-3, ChannelStatus.LOST)
    await storage.channels.set_status(-2, ChannelStatus.LOST)
    await storage.channels.link(-1, home.id)
    await storage.channels.set_status(-1, ChannelStatus.PAUSED)
    health = SqlChannelHealth(storage.engine)
    assert await health.channels_to_check() == [
        CheckedChannel(-3, ChannelStatus.LOST, True),
        CheckedChannel(-2, ChannelStatus.LOST, False),
        CheckedChannel(-1, ChannelStatus.PAUSED, True),
    ]
    assert [await health.mark_recovered(chat) for chat in (-3, -2, -1, -4)] == [
        True,
        True,
        False,
        False,
    ]
    statuses = [c.status for c in await storage.channels.list_for_owner(owner.id)]
    assert statuses == [ChannelStatus.ACTIVE, ChannelStatus.PENDING, ChannelStatus.PAUSED]


async def test_db_stats_counts_rows_and_finds_the_oldest(storage: SqlStorage, database):
    await storage.users.get_or_create(10, "uk")
    await _add_messages(
        storage,
        [(OutboxStatus.SENT, OLD), (OutboxStatus.SENT, RECENT), (OutboxStatus.PENDING, RECENT)],
    )
    stats = await database_stats(storage.engine)
    assert stats.backend == database.backend
    rows = {table.name: table.rows for table in stats.tables}
    assert rows["outbox"] == 3 and rows["users"] == 1 and rows["channels"] == 0
    assert stats.total_bytes is not None and stats.total_bytes > 0
    sizes = {table.name: table.size_bytes for table in stats.tables}
    assert sizes["outbox"] is not None and sizes["outbox"] > 0
    oldest = {row.group: (row.rows, row.oldest) for row in stats.oldest}
    assert oldest["outbox sent"] == (2, OLD)
    assert oldest["outbox pending"] == (1, RECENT)
    assert oldest["users"] == (1, START)
    assert oldest["schedule_days"] == (0, None)


@pytest.mark.parametrize("batch_size", [1, 1000])
async def test_outbox_pruning_of_an_empty_table_deletes_nothing(storage: SqlStorage, batch_size):
    assert await SqlRetention(storage.engine).prune_outbox(START, batch_size) == 0
