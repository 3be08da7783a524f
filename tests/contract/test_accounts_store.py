"""Contract: users, subscriptions and notification settings behave alike on every backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sql_backends import START, StepClock
from sqlalchemy import func, insert, select, text

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.subscriptions import subscribers_query
from esvitlo.adapters.sql.tables import metadata, monitors, outbox
from esvitlo.domain.accounts import (
    ChannelStatus,
    DuplicateSubscription,
    NotificationSettings,
    conversation_key,
)


async def row_counts(storage: SqlStorage) -> dict[str, int]:
    """Rows in every table of the schema."""
    async with storage.engine.connect() as conn:
        return {
            table.name: int(await conn.scalar(select(func.count()).select_from(table)) or 0)
            for table in metadata.sorted_tables
        }


async def test_get_or_create_creates_once_and_keeps_the_first_language(storage: SqlStorage):
    first = await storage.users.get_or_create(5_000_000_001, "uk")
    again = await storage.users.get_or_create(5_000_000_001, "en")
    assert again == first
    assert (first.telegram_id, first.language, first.active) == (5_000_000_001, "uk", True)
    assert await storage.users.get_by_telegram_id(5_000_000_001) == first
    assert await storage.users.get(first.id) == first
    assert await storage.users.get_by_telegram_id(42) is None
    assert await storage.users.get(first.id + 1000) is None


async def test_times_come_back_as_aware_utc(storage: SqlStorage, clock: StepClock):
    clock.current = START.astimezone(ZoneInfo("Europe/Kyiv")) + timedelta(microseconds=123456)
    user = await storage.users.get_or_create(1, "uk")
    reread = await storage.users.get_by_telegram_id(1)
    assert reread is not None
    assert reread.created_at == clock.current
    assert reread.created_at.tzinfo is UTC
    subscription = await storage.subscriptions.add(user.id, "kyiv", "3.1", "home")
    listed = await storage.subscriptions.list_for_user(user.id)
    assert subscription.created_at.tzinfo is UTC
    assert listed[0].created_at.utcoffset() == timedelta(0)


async def test_set_language_and_active(storage: SqlStorage):
    user = await storage.users.get_or_create(7, "uk")
    await storage.users.set_language(user.id, "en")
    await storage.users.set_active(7, False)
    changed = await storage.users.get(user.id)
    assert changed is not None
    assert (changed.language, changed.active) == ("en", False)
    await storage.users.set_active(7, True)
    assert await storage.users.get(user.id) == replace(changed, active=True)


async def test_subscriptions_add_list_get_rename_remove(storage: SqlStorage, clock: StepClock):
    owner = await storage.users.get_or_create(10, "uk")
    other = await storage.users.get_or_create(11, "uk")
    home = await storage.subscriptions.add(owner.id, "kyiv", "3.1", "home")
    clock.advance(minutes=1)
    parents = await storage.subscriptions.add(owner.id, "dnipro", "1.2", "parents")
    await storage.subscriptions.add(other.id, "kyiv", "3.1", "home")

    assert await storage.subscriptions.list_for_user(owner.id) == [home, parents]
    assert await storage.subscriptions.count_for_user(owner.id) == 2
    assert await storage.subscriptions.get(home.id, owner.id) == home
    assert await storage.subscriptions.get(home.id, other.id) is None

    assert await storage.subscriptions.rename(home.id, owner.id, "дім") is True
    assert await storage.subscriptions.rename(home.id, other.id, "stolen") is False
    renamed = await storage.subscriptions.get(home.id, owner.id)
    assert renamed is not None and renamed.label == "дім"

    assert await storage.subscriptions.remove(home.id, other.id) is False
    assert await storage.subscriptions.remove(home.id, owner.id) is True
    assert await storage.subscriptions.remove(home.id, owner.id) is False
    assert await storage.subscriptions.list_for_user(owner.id) == [parents]


async def test_same_queue_twice_is_a_duplicate_subscription(storage: SqlStorage):
    user = await storage.users.get_or_create(20, "uk")
    await storage.subscriptions.add(user.id, "kyiv", "3.1", "home")
    with pytest.raises(DuplicateSubscription):
        await storage.subscriptions.add(user.id, "kyiv", "3.1", "work")
    await storage.subscriptions.add(user.id, "kyiv", "3.2", "work")  # another queue is fine
    assert await storage.subscriptions.count_for_user(user.id) == 2


async def test_subscriber_chat_ids_are_active_followers_of_that_queue_only(storage: SqlStorage):
    for telegram_id, region, queue in [
        (9_000_000_003, "kyiv", "3.1"),
        (101, "kyiv", "3.1"),
        (102, "kyiv", "3.2"),
        (103, "dnipro", "3.1"),
        (104, "kyiv", "3.1"),
    ]:
        user = await storage.users.get_or_create(telegram_id, "uk")
        await storage.subscriptions.add(user.id, region, queue, "home")
    await storage.users.set_active(104, False)

    assert await storage.subscriptions.subscriber_chat_ids("kyiv", "3.1") == [101, 9_000_000_003]
    assert await storage.subscriptions.subscriber_chat_ids("kyiv", "9.9") == []


async def test_subscriber_query_uses_the_region_queue_index(storage: SqlStorage):
    statement = subscribers_query("kyiv", "3.1")
    async with storage.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SET LOCAL enable_seqscan = off"))
        compiled = statement.compile(conn.sync_connection, compile_kwargs={"literal_binds": True})
        prefix = "EXPLAIN" if conn.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
        rows = (await conn.execute(text(f"{prefix} {compiled}"))).all()
    plan = " ".join(str(column) for row in rows for column in row)
    assert "ix_subscriptions_region_queue" in plan, plan


async def test_notification_settings_default_then_saved(storage: SqlStorage):
    user = await storage.users.get_or_create(30, "uk")
    assert await storage.notification_prefs.get(user.id) == NotificationSettings(user.id)
    wanted = NotificationSettings(
        user.id,
        schedule_changes=False,
        tomorrow=True,
        reminders=False,
        remind_before_off=(5, 60),
        remind_before_on=(10,),
        quiet_start=time(23, 0),
        quiet_end=time(7, 30),
    )
    await storage.notification_prefs.save(wanted)
    assert await storage.notification_prefs.get(user.id) == wanted
    cleared = NotificationSettings(user.id, remind_before_off=())
    await storage.notification_prefs.save(cleared)
    assert await storage.notification_prefs.get(user.id) == cleared


async def _populate_user(storage: SqlStorage, telegram_id: int, channel_chat: int) -> int:
    user = await storage.users.get_or_create(telegram_id, "uk")
    home = await storage.subscriptions.add(user.id, "kyiv", "3.1", "home")
    await storage.subscriptions.add(user.id, "kyiv", "4.1", "parents")
    await storage.notification_prefs.save(NotificationSettings(user.id, remind_before_on=(30,)))
    await storage.channels.add_pending(channel_chat, user.id, "Світло дім")
    await storage.channels.link(channel_chat, home.id)
    await storage.channels.set_status(channel_chat, ChannelStatus.ACTIVE)
    key = conversation_key(8_000_000_000, telegram_id, telegram_id)
    await storage.conversations.set_state(key, "Wizard:queue")
    await storage.conversations.set_data(key, {"region": "kyiv"})
    async with storage.engine.begin() as conn:
        await conn.execute(
            insert(monitors).values(
                user_id=user.id, subscription_id=home.id, kind="ping", target="h", created_at=START
            )
        )
        for chat in (telegram_id, channel_chat):
            await conn.execute(
                insert(outbox).values(
                    chat_id=chat,
                    kind="alert",
                    topic="schedule:kyiv:3.1",
                    idempotency_key=f"alert:{chat}",
                    payload={"text": "x"},
                    status="pending",
                    priority=0,
                    due_at=START,
                    created_at=START,
                )
            )
    return user.id


async def test_delete_user_removes_everything_about_them(storage: SqlStorage):
    await _populate_user(storage, 1001, -1001)
    await storage.app_flags.set("pause_message", "maintenance")
    before = await row_counts(storage)

    doomed = await _populate_user(storage, 2002, -2002)
    assert await row_counts(storage) != before
    assert await storage.users.delete(doomed) is True

    assert await row_counts(storage) == before
    assert await storage.users.get_by_telegram_id(2002) is None
    assert await storage.channels.get_by_chat_id(-2002) is None
    assert await storage.conversations.get(conversation_key(8_000_000_000, 2002, 2002)) == (
        None,
        {},
    )
    assert await storage.subscriptions.subscriber_chat_ids("kyiv", "3.1") == [1001]
    assert await storage.users.delete(doomed) is False
