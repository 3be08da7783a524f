"""The channel health check against the fake Bot API server with the real aiogram client: a
channel losing the bot's posting rights is marked lost and its owner told once, recovers by
itself when the rights come back, and a channel removed or deleted is caught too."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiogram import Bot
from sqlalchemy import select

from esvitlo.adapters.sql.channel_health import SqlChannelHealth
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.adapters.telegram_chats import TelegramChatInspector
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.channel_health import BotMembership, ChannelHealth, ChatLookup
from esvitlo.ports import RetryAfter, TemporaryFailure
from esvitlo.services.channel_health import ChannelHealthCheck
from esvitlo.services.send_budget import LocalSendBudget
from esvitlo.testing.fake_telegram import FakeTelegram

from delivery_rig import deliver_all, make_sender, open_storage

pytest_plugins = ("fake_bot",)

LOST_UK = "Я більше не можу публікувати в каналі"


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqlStorage]:
    repositories = await open_storage(tmp_path)
    yield repositories
    await repositories.close()


class Rig:
    """An owner with channels in the fake and in storage, and a health check over both."""

    def __init__(self, fake: FakeTelegram, storage: SqlStorage, bot: Bot) -> None:
        self.fake, self.storage = fake, storage
        self.owner = fake.create_user("Olena")
        self.budget = LocalSendBudget(SystemClock(), rate=500, group_interval=0)
        self.check = ChannelHealthCheck(
            SqlChannelHealth(storage.engine),
            TelegramChatInspector(bot),
            self.budget,
            storage.outbox,
            SystemClock(),
            interval=0.05,
        )

    async def channel(self, title: str) -> int:
        user = await self.storage.users.get_or_create(self.owner.id, "uk")
        subs = await self.storage.subscriptions.list_for_user(user.id)
        sub = subs[0] if subs else await self.storage.subscriptions.add(user.id, "kyiv", "3.1", "h")
        chat = self.fake.create_chat("channel", title, owner_id=self.owner.id)
        await self.storage.channels.add_pending(chat.id, user.id, title)
        await self.storage.channels.link(chat.id, sub.id)
        await self.storage.channels.set_status(chat.id, ChannelStatus.ACTIVE)
        return chat.id

    async def status(self, chat_id: int) -> ChannelStatus:
        channel = await self.storage.channels.get_by_chat_id(chat_id)
        assert channel is not None
        return channel.status

    async def notice_keys(self) -> list[str]:
        query = select(outbox.c.idempotency_key).where(outbox.c.kind == "channel_lost")
        async with self.storage.engine.connect() as conn:
            return sorted((await conn.execute(query)).scalars())


@pytest.fixture
def rig(fake: FakeTelegram, storage: SqlStorage, bot: Bot) -> Rig:
    return Rig(fake, storage, bot)


async def test_a_channel_losing_and_regaining_rights(
    rig: Rig, fake: FakeTelegram, storage: SqlStorage, make_bot: Callable[..., Bot]
):
    chat = await rig.channel("Світло Троєщина")
    first = await rig.check.run_once()
    assert (first.checks, first.healthy, await rig.status(chat)) == (1, 1, ChannelStatus.ACTIVE)
    assert [c.method for c in fake.calls() if c.method in ("getChat", "getChatMember")] == [
        "getChat",
        "getChatMember",
    ]

    fake.set_bot_member(chat, "administrator", can_post_messages=False)
    for _ in range(2):
        await rig.check.run_once()
    assert await rig.status(chat) is ChannelStatus.LOST
    assert await rig.notice_keys() == [f"channel_lost:{chat}:1"]
    await deliver_all(make_sender(storage, make_bot(fake)), storage)
    told = [m for m in fake.messages_to(rig.owner.id) if LOST_UK in (m.text or "")]
    assert len(told) == 1 and "Світло Троєщина" in (told[0].text or "")

    fake.set_bot_member(chat, "administrator", can_post_messages=True)
    back = await rig.check.run_once()
    assert (back.recovered, await rig.status(chat)) == (1, ChannelStatus.ACTIVE)
    assert await rig.notice_keys() == [f"channel_lost:{chat}:1"]  # recovery is silent

    fake.set_bot_member(chat, "kicked")
    await rig.check.run_once()
    assert await rig.status(chat) is ChannelStatus.LOST
    assert await rig.notice_keys() == [f"channel_lost:{chat}:1", f"channel_lost:{chat}:2"]


async def test_removed_and_deleted_channels_are_lost_and_their_posts_dropped(
    rig: Rig, fake: FakeTelegram, storage: SqlStorage
):
    left, deleted, fine = [await rig.channel(t) for t in ("Left", "Deleted", "Fine")]
    fake.set_bot_member(left, "left")
    fake.set_chat_state(deleted, "not_found")
    stats = await rig.check.run_once()
    assert (stats.checks, stats.lost, stats.healthy) == (3, 2, 1)
    assert [await rig.status(c) for c in (left, deleted, fine)] == [
        ChannelStatus.LOST,
        ChannelStatus.LOST,
        ChannelStatus.ACTIVE,
    ]
    assert await rig.notice_keys() == sorted(
        [f"channel_lost:{left}:1", f"channel_lost:{deleted}:1"]
    )


async def test_the_inspector_turns_answers_into_facts_and_failures_into_send_errors(
    fake: FakeTelegram, bot: Bot
):
    owner = fake.create_user("Owner")
    chat = fake.create_chat("channel", "C", owner_id=owner.id).id
    group = fake.create_chat("supergroup", "G", owner_id=owner.id).id
    inspector = TelegramChatInspector(bot)
    assert await inspector.lookup_chat(chat) == ChatLookup(found=True, kind="channel")
    assert await inspector.bot_membership(chat) == BotMembership(
        "administrator", can_post_messages=True
    )
    assert await inspector.bot_membership(group) == BotMembership("member")
    fake.set_bot_member(chat, "kicked")
    assert await inspector.lookup_chat(chat) == ChatLookup(found=True, bot_shut_out=True)
    fake.set_chat_state(group, "not_found")
    assert (await inspector.lookup_chat(group)).found is False
    fake.fail("getChat", 429, retry_after=3)
    with pytest.raises(RetryAfter):
        await inspector.lookup_chat(chat)
    fake.fail("getChatMember", 502, "Bad Gateway")
    with pytest.raises(TemporaryFailure):
        await inspector.bot_membership(chat)


async def test_a_flood_wait_pauses_the_budget_and_changes_nothing(rig: Rig, fake: FakeTelegram):
    chat = await rig.channel("C")
    fake.set_bot_member(chat, "left")
    fake.fail("getChat", 429, retry_after=1)
    assert await rig.check.check(await _checked(rig, chat)) is None
    assert rig.budget.paused_for() > 0.5
    assert await rig.status(chat) is ChannelStatus.ACTIVE
    assert await rig.check.check(await _checked(rig, chat)) is ChannelHealth.REMOVED


async def _checked(rig: Rig, chat: int):
    channels = await SqlChannelHealth(rig.storage.engine).channels_to_check()
    return next(c for c in channels if c.chat_id == chat)
