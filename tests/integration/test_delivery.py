"""The outbox sender against the fake Bot API server with the real aiogram client.

Flood waits, server errors, blocked and vanished chats, migrated groups, quiet hours and
priorities, each with the outcome in the database and in what the fake received.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from sqlalchemy import select

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus, NotificationSettings
from esvitlo.testing.fake_telegram import FakeTelegram, Limits

from delivery_rig import deliver_all, make_sender, open_storage, texts_to

pytest_plugins = ("fake_bot",)

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqlStorage]:
    repositories = await open_storage(tmp_path)
    yield repositories
    await repositories.close()


async def people(fake: FakeTelegram, storage: SqlStorage, count: int) -> list[int]:
    """``count`` people known to the fake and to the bot; their chat ids."""
    ids = [fake.create_user(f"User {n}").id for n in range(count)]
    for telegram_id in ids:
        await storage.users.get_or_create(telegram_id, "uk")
    return ids


async def broadcast(storage: SqlStorage, text: str) -> int:
    return await storage.outbox.enqueue_broadcast(text, datetime.now(UTC), broadcast_id=text)


async def statuses(storage: SqlStorage) -> Counter[str]:
    async with storage.engine.connect() as conn:
        return Counter((await conn.execute(select(outbox.c.status))).scalars())


async def test_a_429_storm_pauses_everyone_and_everything_arrives_once(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    users = await people(fake, storage, 20)
    await broadcast(storage, "Світло є")
    fake.set_latency(0.03, "sendMessage")  # several requests in flight when the storm hits
    fake.fail("sendMessage", status=429, retry_after=1, times=3)
    sender = make_sender(storage, make_bot(fake), rate=200)
    await deliver_all(sender, storage)

    assert all(texts_to(fake, u) == ["Світло є"] for u in users)
    assert (sender.stats.sent, sender.stats.rate_limited) == (20, 3)
    # the pause: after the first 429 (and the requests already on their way), a silence of
    # about retry_after, then the rest, the three rate-limited messages among them
    calls = fake.calls("sendMessage")
    first_429 = min(c.at for c in calls if c.status == 429)
    times = sorted(c.at for c in calls if c.at >= first_429)
    gap, resume = max((b - a, b) for a, b in itertools.pairwise(times))
    timeline = [(round(c.at - first_429, 3), c.status) for c in calls]
    assert gap >= 0.9, timeline
    assert [c.status for c in calls if c.at >= resume] == [200] * sum(c.at >= resume for c in calls)
    assert sum(c.ok for c in calls if c.at >= resume) >= 3
    assert await statuses(storage) == {"sent": 20}


async def test_the_real_limits_are_never_exceeded(
    make_bot: Callable[..., Bot], storage: SqlStorage
):
    async with FakeTelegram(limits=Limits(enabled=True)) as fake:
        users = await people(fake, storage, 25)
        await broadcast(storage, "перше")
        await broadcast(storage, "друге")
        sender = make_sender(storage, make_bot(fake), rate=30, private=1.0, max_in_flight=60)
        await deliver_all(sender, storage, within=8)
        calls = fake.calls("sendMessage")
    assert [c for c in calls if not c.ok] == []
    assert all(sorted(texts_to(fake, u)) == ["друге", "перше"] for u in users)
    assert sender.stats.sent == 50


async def test_server_errors_and_dropped_connections_are_retried(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    [user] = await people(fake, storage, 1)
    await broadcast(storage, "hello")
    fake.fail("sendMessage", status=502, times=2)
    fake.drop_connection("sendMessage", times=1)
    sender = make_sender(storage, make_bot(fake), max_attempts=5)
    await deliver_all(sender, storage)
    assert texts_to(fake, user) == ["hello"]
    assert (sender.stats.retried, sender.stats.sent, sender.stats.dead) == (3, 1, 0)
    async with storage.engine.connect() as conn:
        row = (await conn.execute(select(outbox))).one()
    assert (row.status, row.attempts) == ("sent", 3)


async def test_a_permanent_server_error_is_dead_lettered_after_the_last_attempt(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    [user] = await people(fake, storage, 1)
    await broadcast(storage, "hello")
    fake.fail("sendMessage", status=500, times=None)
    sender = make_sender(storage, make_bot(fake), max_attempts=3)
    await deliver_all(sender, storage)
    assert len(fake.calls("sendMessage")) == 3
    assert texts_to(fake, user) == []
    assert (sender.stats.retried, sender.stats.dead) == (2, 1)
    async with storage.engine.connect() as conn:
        row = (await conn.execute(select(outbox))).one()
    assert (row.status, row.attempts) == ("dead", 3)
    assert "Internal Server Error" in row.last_error


async def test_a_blocked_user_is_deactivated_and_their_waiting_messages_dropped(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    blocked, other = await people(fake, storage, 2)
    fake.set_chat_state(blocked, "blocked")
    for text in ("one", "two", "three"):
        await broadcast(storage, text)
    sender = make_sender(storage, make_bot(fake), private=0.05)
    await deliver_all(sender, storage)
    assert sorted(texts_to(fake, other)) == ["one", "three", "two"]
    to_blocked = [c for c in fake.calls("sendMessage") if c.params["chat_id"] == str(blocked)]
    assert [c.status for c in to_blocked] == [403]
    user = await storage.users.get_by_telegram_id(blocked)
    assert user is not None and not user.active
    assert await statuses(storage) == {"sent": 3, "dropped": 3}
    assert (sender.stats.deactivated, sender.stats.dropped) == (1, 3)


async def test_chats_that_no_longer_exist_are_deactivated(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    [vanished] = await people(fake, storage, 1)
    owner = await storage.users.get_or_create(vanished, "uk")
    chat = fake.create_chat("channel", "Світло", owner_id=vanished)
    await storage.channels.add_pending(chat.id, owner.id, "Світло")
    await storage.channels.set_status(chat.id, ChannelStatus.ACTIVE)
    fake.set_chat_state(vanished, "not_found")
    fake.set_chat_state(chat.id, "not_found")
    await broadcast(storage, "hello")
    async with storage.engine.begin() as conn:
        await conn.execute(
            outbox.insert().values(
                chat_id=chat.id,
                kind="test",
                topic="t",
                idempotency_key="k",
                payload={"text": "x"},
                status="pending",
                priority=3,
                due_at=datetime.now(UTC),
                attempts=0,
                created_at=datetime.now(UTC),
            )
        )
    sender = make_sender(storage, make_bot(fake))
    await deliver_all(sender, storage)
    user = await storage.users.get_by_telegram_id(vanished)
    channel = await storage.channels.get_by_chat_id(chat.id)
    assert user is not None and not user.active
    assert channel is not None and channel.status is ChannelStatus.LOST
    # and the owner's notice of the lost channel, queued unless the owner was already found
    # gone, is dropped too: they cannot be reached either
    assert await statuses(storage) in ({"dropped": 2}, {"dropped": 3})


async def test_quiet_hours_make_the_message_silent(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    sleeper, awake = await people(fake, storage, 2)
    now = datetime.now(KYIV)
    start, end = (now - timedelta(hours=1)).time(), (now + timedelta(hours=1)).time()
    user = await storage.users.get_by_telegram_id(sleeper)
    assert user is not None
    await storage.notification_prefs.save(
        NotificationSettings(user.id, quiet_start=start.replace(microsecond=0), quiet_end=end)
    )
    await broadcast(storage, "вночі")
    await deliver_all(make_sender(storage, make_bot(fake)), storage)
    params = {int(c.params["chat_id"]): c.params for c in fake.calls("sendMessage")}
    assert params[sleeper].get("disable_notification") == "true"
    assert "disable_notification" not in params[awake]


async def test_priorities_today_then_tomorrow_then_broadcasts(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    users = await people(fake, storage, 3)
    await broadcast(storage, "broadcast")
    now = datetime.now(UTC)
    async with storage.engine.begin() as conn:
        for kind, priority in (("tomorrow", 5), ("today", 3)):
            await conn.execute(
                outbox.insert(),
                [
                    {
                        "chat_id": u,
                        "kind": kind,
                        "topic": kind,
                        "idempotency_key": f"{kind}{u}",
                        "payload": {"text": kind},
                        "status": "pending",
                        "priority": priority,
                        "due_at": now,
                        "attempts": 0,
                        "created_at": now,
                    }
                    for u in users
                ],
            )
    sender = make_sender(storage, make_bot(fake), batch_size=3, max_in_flight=3)
    await deliver_all(sender, storage)
    order = [c.params["text"] for c in fake.calls("sendMessage")]
    assert order == ["today"] * 3 + ["tomorrow"] * 3 + ["broadcast"] * 3


async def test_stop_hands_back_what_was_not_sent(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    await people(fake, storage, 6)
    await broadcast(storage, "slow")
    fake.set_latency(0.2, "sendMessage")
    sender = make_sender(storage, make_bot(fake), rate=5, stop_timeout=0.1)
    await sender.start()
    await fake.wait_until(lambda: len(fake.calls("sendMessage")) >= 1, within=3)
    await sender.stop()
    counts = await statuses(storage)
    assert counts["sending"] == 0
    assert counts["pending"] + counts["sent"] == 6 and counts["pending"] >= 3
    assert not sender.running and sender.in_flight == 0
