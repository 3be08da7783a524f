"""Contract: channels, conversation state, flags, the outbox and admin counts on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sql_backends import START, StepClock
from sqlalchemy import select

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import (
    AdminStats,
    CaptionStyle,
    ChannelStatus,
    ChatKind,
    conversation_key,
)


async def test_channel_lifecycle(storage: SqlStorage, clock: StepClock):
    owner = await storage.users.get_or_create(10, "uk")
    home = await storage.subscriptions.add(owner.id, "kyiv", "3.1", "home")
    pending = await storage.channels.add_pending(-100_123_456_789, owner.id, "Світло")
    assert (pending.status, pending.subscription_id, pending.title) == (
        ChannelStatus.PENDING,
        None,
        "Світло",
    )
    assert pending.created_at == START

    assert await storage.channels.link(-100_123_456_789, home.id) is True
    await storage.channels.set_status(-100_123_456_789, ChannelStatus.ACTIVE)
    await storage.channels.set_last_post(-100_123_456_789, 2_500_000_000)
    active = await storage.channels.get_by_chat_id(-100_123_456_789)
    assert active is not None
    assert (active.status, active.subscription_id, active.last_post_message_id) == (
        ChannelStatus.ACTIVE,
        home.id,
        2_500_000_000,
    )
    clock.advance(hours=1)
    second = await storage.channels.add_pending(-100_2, owner.id, "Батьки")
    assert await storage.channels.list_for_owner(owner.id) == [active, second]

    assert await storage.channels.remove(-100_123_456_789) is True
    assert await storage.channels.remove(-100_123_456_789) is False
    assert await storage.channels.get_by_chat_id(-100_123_456_789) is None


async def test_channel_links_only_its_owners_subscriptions(storage: SqlStorage):
    owner = await storage.users.get_or_create(10, "uk")
    stranger = await storage.users.get_or_create(11, "uk")
    theirs = await storage.subscriptions.add(stranger.id, "kyiv", "3.1", "home")
    mine = await storage.subscriptions.add(owner.id, "kyiv", "3.1", "home")
    await storage.channels.add_pending(-5, owner.id, "c")
    assert await storage.channels.link(-5, theirs.id) is False
    assert await storage.channels.link(-5, mine.id) is True
    assert await storage.channels.link(-6, mine.id) is False  # unknown channel
    await storage.subscriptions.remove(mine.id, owner.id)
    unlinked = await storage.channels.get_by_chat_id(-5)
    assert unlinked is not None and unlinked.subscription_id is None
    assert await storage.channels.link(-5, None) is True


async def test_add_pending_again_resets_status_and_a_new_owner_starts_clean(storage: SqlStorage):
    owner = await storage.users.get_or_create(10, "uk")
    buyer = await storage.users.get_or_create(11, "uk")
    home = await storage.subscriptions.add(owner.id, "kyiv", "3.1", "home")
    first = await storage.channels.add_pending(-7, owner.id, "old")
    await storage.channels.link(-7, home.id)
    await storage.channels.set_status(-7, ChannelStatus.LOST)
    await storage.channels.set_last_post(-7, 99)

    again = await storage.channels.add_pending(-7, owner.id, "new")
    assert (again.id, again.title, again.status) == (first.id, "new", ChannelStatus.PENDING)
    assert (again.subscription_id, again.last_post_message_id) == (home.id, 99)

    moved = await storage.channels.add_pending(-7, buyer.id, "bought")
    assert (moved.owner_user_id, moved.subscription_id, moved.last_post_message_id) == (
        buyer.id,
        None,
        None,
    )
    assert await storage.channels.list_for_owner(owner.id) == []


async def test_a_group_keeps_its_kind_topic_and_caption_and_follows_its_migration(
    storage: SqlStorage,
):
    owner = await storage.users.get_or_create(10, "uk")
    buyer = await storage.users.get_or_create(11, "uk")
    group = await storage.channels.add_pending(-4_001, owner.id, "Під'їзд", ChatKind.GROUP)
    assert (group.kind, group.thread_id, group.caption_style) == (
        ChatKind.GROUP,
        None,
        CaptionStyle.FULL,
    )
    await storage.channels.set_caption(-4_001, CaptionStyle.PICTURE, "{queue} <ok>")
    assert await storage.channels.follow_migration(-4_001, -100_4_001)
    assert await storage.channels.get_by_chat_id(-4_001) is None
    moved = await storage.channels.get_by_chat_id(-100_4_001)
    assert moved is not None and (moved.id, moved.kind) == (group.id, ChatKind.SUPERGROUP)
    assert (moved.caption_style, moved.caption_template) == (CaptionStyle.PICTURE, "{queue} <ok>")
    await storage.channels.set_thread(-100_4_001, 42)
    again = await storage.channels.add_pending(-100_4_001, owner.id, "x", ChatKind.SUPERGROUP)
    assert (again.thread_id, again.caption_template) == (42, "{queue} <ok>")

    # a migration onto a chat id already known moves nothing; a new owner starts clean
    await storage.channels.add_pending(-4_002, owner.id, "other", ChatKind.GROUP)
    assert not await storage.channels.follow_migration(-4_002, -100_4_001)
    assert not await storage.channels.follow_migration(-9, -100_9)
    bought = await storage.channels.add_pending(-100_4_001, buyer.id, "y", ChatKind.SUPERGROUP)
    assert (bought.thread_id, bought.caption_style, bought.caption_template) == (
        None,
        CaptionStyle.FULL,
        None,
    )


async def test_conversation_state_and_data(storage: SqlStorage):
    key = conversation_key(1, 2, 3)
    assert await storage.conversations.get(key) == (None, {})
    await storage.conversations.set_data(key, {"region": "kyiv", "page": 2, "назва": ["дім"]})
    await storage.conversations.set_state(key, "Wizard:queue")
    assert await storage.conversations.get(key) == (
        "Wizard:queue",
        {"region": "kyiv", "page": 2, "назва": ["дім"]},
    )
    await storage.conversations.set_state(key, None)
    await storage.conversations.set_data(key, {})
    assert await storage.conversations.get(key) == (None, {})
    await storage.conversations.set_state(key, "Other:step")
    await storage.conversations.clear(key)
    assert await storage.conversations.get(key) == (None, {})
    await storage.conversations.set_state("free-form key", "x")  # keys need not name a user
    assert await storage.conversations.get("free-form key") == ("x", {})


async def test_conversation_purge_forgets_only_untouched_ones(
    storage: SqlStorage, clock: StepClock
):
    old, fresh, touched = (conversation_key(1, n, n) for n in (1, 2, 3))
    await storage.conversations.set_state(old, "a")
    await storage.conversations.set_state(touched, "c")
    clock.advance(days=2)
    await storage.conversations.set_data(touched, {"n": 1})
    await storage.conversations.set_state(fresh, "b")

    assert await storage.conversations.purge_older_than(clock.now() - timedelta(days=1)) == 1
    assert await storage.conversations.get(old) == (None, {})
    assert await storage.conversations.get(fresh) == ("b", {})
    assert await storage.conversations.get(touched) == ("c", {"n": 1})
    assert await storage.conversations.purge_older_than(clock.now() - timedelta(days=1)) == 0


async def test_app_flags(storage: SqlStorage):
    assert await storage.app_flags.get("pause_message") is None
    await storage.app_flags.set("pause_message", "Технічна перерва")
    await storage.app_flags.set("pause_message", "Оновлення")
    assert await storage.app_flags.get("pause_message") == "Оновлення"
    await storage.app_flags.set("pause_message", None)
    await storage.app_flags.set("never_set", None)
    assert await storage.app_flags.get("pause_message") is None


async def test_broadcast_queues_one_row_per_active_user_once(storage: SqlStorage):
    for telegram_id in (1, 2, 3, 9_000_000_000):
        await storage.users.get_or_create(telegram_id, "uk")
    await storage.users.set_active(3, False)
    at = datetime(2025, 11, 9, 12, tzinfo=UTC)

    assert await storage.outbox.enqueue_broadcast("Привіт", at, "b1") == 3
    assert await storage.outbox.enqueue_broadcast("Привіт", at, "b1") == 0
    assert await storage.outbox.pending_count() == 3
    async with storage.engine.connect() as conn:
        rows = (await conn.execute(select(outbox).order_by(outbox.c.chat_id))).all()
    assert [row.idempotency_key for row in rows] == [
        "broadcast:b1:1",
        "broadcast:b1:2",
        "broadcast:b1:9000000000",
    ]
    row = rows[0]
    assert (row.kind, row.status, row.payload, row.attempts) == (
        "broadcast",
        "pending",
        {"text": "Привіт"},
        0,
    )
    assert row.due_at == at and row.created_at.tzinfo is UTC and row.sent_at is None

    assert await storage.outbox.enqueue_broadcast("Привіт", at) == 3  # derived id, new
    assert await storage.outbox.enqueue_broadcast("Привіт", at) == 0  # same id: a retry
    assert await storage.outbox.pending_count() == 6


async def test_admin_stats(storage: SqlStorage):
    assert await storage.admin.stats() == AdminStats(0, 0, {}, 0, 0)
    users = [await storage.users.get_or_create(n, "uk") for n in (1, 2, 3)]
    await storage.users.set_active(3, False)
    await storage.subscriptions.add(users[0].id, "kyiv", "3.1", "home")
    await storage.subscriptions.add(users[0].id, "dnipro", "1.1", "parents")
    await storage.subscriptions.add(users[1].id, "kyiv", "3.1", "home")
    await storage.channels.add_pending(-1, users[0].id, "c")
    await storage.outbox.enqueue_broadcast("hi", START)
    assert await storage.admin.stats() == AdminStats(
        users=3,
        active_users=2,
        subscriptions_by_region={"dnipro": 1, "kyiv": 2},
        channels=1,
        pending_outbox=2,
    )
