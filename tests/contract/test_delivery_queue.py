"""Contract: the outbox as the senders' work queue (claim, settle, deactivate, move)."""

from __future__ import annotations

import asyncio
import itertools
from datetime import time, timedelta

from sql_backends import START, Database, StepClock
from sqlalchemy import select

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus, NotificationSettings
from esvitlo.domain.delivery import PRIORITY_BROADCAST, PRIORITY_TODAY, PRIORITY_TOMORROW

LEASE = timedelta(minutes=5)
_keys = itertools.count()


async def put(
    storage: SqlStorage,
    chat_id: int,
    *,
    priority: int = PRIORITY_TODAY,
    due: timedelta = timedelta(0),
    topic: str = "t",
    text: str = "hello",
) -> int:
    """Insert one pending outbox row; its id."""
    values = {
        "chat_id": chat_id,
        "kind": "test",
        "topic": topic,
        "idempotency_key": f"key:{next(_keys)}",
        "payload": {"text": text},
        "status": "pending",
        "priority": priority,
        "due_at": START + due,
        "attempts": 0,
        "created_at": START,
    }
    async with storage.engine.begin() as conn:
        return (
            await conn.execute(outbox.insert().values(values).returning(outbox.c.id))
        ).scalar_one()


async def rows(storage: SqlStorage) -> dict[int, dict[str, object]]:
    """Every outbox row by id, as a dict of its columns."""
    async with storage.engine.connect() as conn:
        return {r.id: dict(r._mapping) for r in await conn.execute(select(outbox))}


async def test_claim_takes_due_rows_most_urgent_first_and_only_once(storage: SqlStorage):
    broadcast = await put(storage, 1, priority=PRIORITY_BROADCAST)
    tomorrow = await put(storage, 2, priority=PRIORITY_TOMORROW)
    today_late = await put(storage, 3, priority=PRIORITY_TODAY, due=timedelta(seconds=-1))
    today_early = await put(storage, 4, priority=PRIORITY_TODAY, due=timedelta(seconds=-5))
    await put(storage, 5, due=timedelta(minutes=1))  # not due yet

    first = await storage.outbox.claim(3, START, LEASE)
    assert [m.id for m in first] == [today_early, today_late, tomorrow]
    assert first[0].text == "hello" and first[0].chat_id == 4 and first[0].attempts == 0
    second = await storage.outbox.claim(10, START, LEASE)
    assert [m.id for m in second] == [broadcast]
    assert await storage.outbox.claim(10, START, LEASE) == []
    assert {r["status"] for r in (await rows(storage)).values()} == {"sending", "pending"}
    assert await storage.outbox.claim(0, START, LEASE) == []


async def test_expired_claims_are_due_again(storage: SqlStorage):
    message = await put(storage, 1)
    [claimed] = await storage.outbox.claim(5, START, LEASE)
    assert await storage.outbox.claim(5, START + LEASE - timedelta(seconds=1), LEASE) == []
    [again] = await storage.outbox.claim(5, START + LEASE + timedelta(seconds=1), LEASE)
    assert claimed.id == again.id == message


async def test_expired_claims_are_looked_for_at_most_once_a_second(storage: SqlStorage):
    await put(storage, 1)
    await storage.outbox.claim(5, START, LEASE)
    looked = START + LEASE - timedelta(seconds=0.5)
    assert await storage.outbox.claim(5, looked, LEASE) == []  # not expired yet
    assert await storage.outbox.claim(5, looked + timedelta(seconds=0.6), LEASE) == []
    assert len(await storage.outbox.claim(5, looked + timedelta(seconds=1), LEASE)) == 1


async def test_outcomes_are_recorded(storage: SqlStorage):
    sent, retried, limited, dead, released = [await put(storage, n) for n in range(1, 6)]
    await storage.outbox.claim(10, START, LEASE)
    later = START + timedelta(seconds=30)
    await storage.outbox.mark_sent([sent], START)
    await storage.outbox.retry_later(retried, later, "TemporaryFailure: Bad Gateway")
    await storage.outbox.retry_later(limited, later, "RetryAfter: 429", count_attempt=False)
    await storage.outbox.dead_letter(dead, "MessageRejected: too long")
    await storage.outbox.release([released])
    table = await rows(storage)
    assert (table[sent]["status"], table[sent]["sent_at"]) == ("sent", START)
    assert (table[retried]["status"], table[retried]["attempts"]) == ("pending", 1)
    assert table[retried]["due_at"] == later and table[retried]["last_error"].startswith("Temp")
    assert (table[limited]["status"], table[limited]["attempts"]) == ("pending", 0)
    assert (table[dead]["status"], table[dead]["attempts"]) == ("dead", 1)
    assert (table[released]["status"], table[released]["due_at"]) == ("pending", START)
    assert [m.id for m in await storage.outbox.claim(10, START, LEASE)] == [released]
    assert await storage.outbox.pending_count() == 2


async def test_claims_carry_quiet_hours_of_users_who_set_them(storage: SqlStorage):
    quiet = await storage.users.get_or_create(10, "uk")
    await storage.users.get_or_create(11, "uk")
    night = NotificationSettings(quiet.id, quiet_start=time(22), quiet_end=time(7))
    await storage.notification_prefs.save(night)
    for chat_id in (10, 11, -100_5):
        await put(storage, chat_id)
    claimed = {m.chat_id: m for m in await storage.outbox.claim(10, START, LEASE)}
    assert (claimed[10].quiet_start, claimed[10].quiet_end) == (time(22), time(7))
    assert claimed[10].silent_at(time(23, 30)) and not claimed[10].silent_at(time(12))
    assert claimed[11].quiet_start is None and not claimed[11].silent_at(time(23, 30))
    assert claimed[-100_5].quiet_start is None


async def test_deactivating_a_user_drops_their_waiting_messages(storage: SqlStorage):
    await storage.users.get_or_create(10, "uk")
    await storage.users.get_or_create(11, "uk")
    first, second = await put(storage, 10), await put(storage, 10, due=timedelta(hours=1))
    other = await put(storage, 11)
    await storage.outbox.claim(1, START, LEASE)
    assert await storage.outbox.deactivate_recipient(10, "RecipientGone: blocked") == 2
    table = await rows(storage)
    assert {table[first]["status"], table[second]["status"]} == {"dropped"}
    assert table[other]["status"] == "pending"
    user = await storage.users.get_by_telegram_id(10)
    assert user is not None and user.active is False
    still = await storage.users.get_by_telegram_id(11)
    assert still is not None and still.active is True


async def test_deactivating_a_channel_marks_it_lost(storage: SqlStorage):
    owner = await storage.users.get_or_create(10, "uk")
    await storage.channels.add_pending(-100_7, owner.id, "c")
    await storage.channels.set_status(-100_7, ChannelStatus.ACTIVE)
    await put(storage, -100_7)
    assert await storage.outbox.deactivate_recipient(-100_7, "RecipientGone: kicked") == 1
    channel = await storage.channels.get_by_chat_id(-100_7)
    assert channel is not None and channel.status is ChannelStatus.LOST
    owner_now = await storage.users.get(owner.id)
    assert owner_now is not None and owner_now.active is True


async def test_move_chat_follows_a_migrated_group(storage: SqlStorage):
    owner = await storage.users.get_or_create(10, "uk")
    await storage.channels.add_pending(-4_001, owner.id, "group")
    waiting = [await put(storage, -4_001), await put(storage, -4_001)]
    await storage.outbox.mark_sent([waiting[0]], START)
    other = await put(storage, -4_002)
    assert await storage.outbox.move_chat(-4_001, -100_4_001) == 1
    assert await storage.channels.get_by_chat_id(-4_001) is None
    assert await storage.channels.get_by_chat_id(-100_4_001) is not None
    table = await rows(storage)
    assert [table[i]["chat_id"] for i in (*waiting, other)] == [-4_001, -100_4_001, -4_002]


async def test_two_senders_never_claim_the_same_row(
    storage: SqlStorage, database: Database, clock: StepClock
):
    ids = {await put(storage, n) for n in range(1, 41)}
    other = SqlStorage.from_engine(create_engine(database.url, schema=database.schema), clock)
    try:
        batches = await asyncio.gather(
            *(repo.outbox.claim(7, START, LEASE) for _ in range(4) for repo in (storage, other))
        )
    finally:
        await other.close()
    claimed = [m.id for batch in batches for m in batch]
    assert len(claimed) == len(set(claimed)) == 40
    assert set(claimed) == ids
