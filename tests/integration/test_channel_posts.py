"""Channel posts against the fake Bot API server with the real aiogram client: one photo post
per change, edited or replaced as the channel prefers, the picture uploaded once, paused and
lost channels, and the owner of a lost channel told once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from sqlalchemy import select

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus, NotificationSettings, PostMode
from esvitlo.testing.fake_telegram import FakeTelegram
from esvitlo.testing.fake_telegram.state import Message

from delivery_rig import day, deliver_all, make_sender, open_storage, plan

pytest_plugins = ("fake_bot",)

TODAY = datetime.now(ZoneInfo("Europe/Kyiv")).date()
TOMORROW = TODAY + timedelta(days=1)
LOST_UK = "Я більше не можу публікувати в каналі"


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqlStorage]:
    repositories = await open_storage(tmp_path)
    yield repositories
    await repositories.close()


class Owner:
    """A person known to the fake and the bot, publishing Kyiv 3.1 in channels (they get no
    alerts themselves, so that only channel traffic is counted)."""

    def __init__(self, fake: FakeTelegram, storage: SqlStorage) -> None:
        self.fake, self.storage = fake, storage
        self.telegram_id = fake.create_user("Olena").id

    async def start(self) -> Owner:
        user = await self.storage.users.get_or_create(self.telegram_id, "uk")
        self.user_id = user.id
        self.sub = await self.storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
        quiet = NotificationSettings(user.id, schedule_changes=False, tomorrow=False)
        await self.storage.notification_prefs.save(quiet)
        return self

    async def channel(
        self,
        title: str,
        mode: PostMode = PostMode.NEW,
        delete: bool = False,
        status: ChannelStatus = ChannelStatus.ACTIVE,
    ) -> int:
        chat = self.fake.create_chat("channel", title, owner_id=self.telegram_id)
        await self.storage.channels.add_pending(chat.id, self.user_id, title)
        await self.storage.channels.link(chat.id, self.sub.id)
        await self.storage.channels.set_status(chat.id, status)
        await self.storage.channels.set_post_style(chat.id, mode, delete)
        return chat.id

    def dms(self, text: str) -> list[Message]:
        return [m for m in self.fake.messages_to(self.telegram_id) if text in (m.text or "")]


@pytest.fixture
async def owner(fake: FakeTelegram, storage: SqlStorage) -> Owner:
    return await Owner(fake, storage).start()


async def change(storage: SqlStorage, *spans: tuple[int, int], on: date = TODAY) -> None:
    """The stored 3.1 schedule becomes today's ``spans`` (a baseline the first time)."""
    await plan(storage, TODAY, day(on, *spans))


def uploads(fake: FakeTelegram, method: str = "sendPhoto") -> list[bool]:
    """For each successful call of ``method``: whether it uploaded the picture."""
    flags = []
    for call in fake.calls(method):
        if call.ok:
            photo = call.params.get("photo") or call.params.get("media", {}).get("media")
            flags.append(str(photo).startswith("attach://"))
    return flags


async def test_a_change_gives_every_active_channel_one_photo_post_uploaded_once(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage, owner: Owner
):
    home = await owner.channel("Світло вдома")
    street = await owner.channel("Вулиця")
    paused = await owner.channel("Пауза", status=ChannelStatus.PAUSED)
    await change(storage, (600, 720))
    await plan(storage, TODAY, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))  # both days
    sender = make_sender(storage, make_bot(fake))
    await deliver_all(sender, storage)

    for chat_id in (home, street):
        [post] = fake.messages_to(chat_id)
        assert post.photo_file_id is not None and post.text is None
        caption = post.caption or ""
        assert caption.startswith("🔄 Оновлено графік на сьогодні й завтра\n🗓 Київ · Черга 3.1")
        assert "10:00–13:00 (3 год)" in caption and "01:00–02:00 (1 год)" in caption
        stored = await storage.channels.get_by_chat_id(chat_id)
        assert stored is not None and stored.last_post_message_id == post.message_id
    assert fake.messages_to(paused) == []
    assert uploads(fake) == [True, False]  # drawn and uploaded once, then its file_id
    assert fake.messages_to(home)[0].photo_file_id == fake.messages_to(street)[0].photo_file_id
    assert (sender.stats.sent, sender.stats.dead) == (2, 0)


async def test_edit_mode_edits_the_previous_post(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage, owner: Owner
):
    chat_id = await owner.channel("Редагувати", PostMode.EDIT)
    await change(storage, (600, 720))
    await change(storage, (600, 780))
    await deliver_all(make_sender(storage, make_bot(fake)), storage)
    [first] = fake.messages_to(chat_id)
    picture = first.photo_file_id
    await change(storage, (600, 840))
    await deliver_all(make_sender(storage, make_bot(fake)), storage)

    [post] = fake.messages_to(chat_id, include_deleted=True)
    assert post.message_id == first.message_id and post.edits == 1
    assert "10:00–14:00 (4 год)" in (post.caption or "")
    assert "Змінився графік на сьогодні" in (post.caption or "")
    assert post.photo_file_id != picture  # the new picture
    assert [c.ok for c in fake.calls("editMessageMedia")] == [True]
    assert uploads(fake, "editMessageMedia") == [True]


@pytest.mark.parametrize(("delete", "kept"), [(True, 1), (False, 2)])
async def test_new_mode_posts_again_and_deletes_the_old_post_when_asked(
    fake: FakeTelegram,
    make_bot: Callable[..., Bot],
    storage: SqlStorage,
    owner: Owner,
    delete: bool,
    kept: int,
):
    chat_id = await owner.channel("Нові", PostMode.NEW, delete)
    await change(storage, (600, 720))
    for end in (780, 840):
        await change(storage, (600, end))
        await deliver_all(make_sender(storage, make_bot(fake)), storage)

    everything = fake.messages_to(chat_id, include_deleted=True)
    assert len(everything) == 2
    assert [m.deleted for m in everything] == [delete, False]
    assert len(fake.messages_to(chat_id)) == kept
    assert "10:00–14:00" in (fake.messages_to(chat_id)[-1].caption or "")
    assert len(fake.calls("deleteMessage")) == int(delete)
    stored = await storage.channels.get_by_chat_id(chat_id)
    assert stored is not None and stored.last_post_message_id == everything[-1].message_id


async def test_edit_falls_back_to_a_new_post_when_the_old_one_was_deleted(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage, owner: Owner
):
    chat_id = await owner.channel("Редагувати", PostMode.EDIT)
    bot = make_bot(fake)
    await change(storage, (600, 720))
    await change(storage, (600, 780))
    await deliver_all(make_sender(storage, bot), storage)
    [first] = fake.messages_to(chat_id)
    await bot.delete_message(chat_id, first.message_id)  # the owner removed it
    await change(storage, (600, 840))
    sender = make_sender(storage, bot)
    await deliver_all(sender, storage)

    [post] = fake.messages_to(chat_id)
    assert post.message_id != first.message_id and post.edits == 0
    assert "10:00–14:00" in (post.caption or "")
    assert [c.description for c in fake.calls("editMessageMedia")] == [
        "Bad Request: message to edit not found"
    ]
    stored = await storage.channels.get_by_chat_id(chat_id)
    assert stored is not None and stored.last_post_message_id == post.message_id
    assert (sender.stats.sent, sender.stats.dead) == (1, 0)


async def test_a_channel_paused_after_planning_gets_nothing(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage, owner: Owner
):
    chat_id = await owner.channel("Пауза")
    await change(storage, (600, 720))
    await change(storage, (600, 780))
    await storage.channels.set_status(chat_id, ChannelStatus.PAUSED)
    sender = make_sender(storage, make_bot(fake))
    await deliver_all(sender, storage)

    assert fake.messages_to(chat_id) == [] and fake.calls("sendPhoto") == []
    async with storage.engine.connect() as conn:
        [row] = (await conn.execute(select(outbox).where(outbox.c.chat_id == chat_id))).all()
    assert (row.status, row.last_error) == ("dropped", "channel paused")
    assert (sender.stats.skipped, sender.stats.sent) == (1, 0)


async def test_a_channel_the_bot_may_no_longer_post_in_is_lost_and_its_owner_told_once(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage, owner: Owner
):
    chat_id = await owner.channel("Без прав")
    other = await owner.channel("Інший")
    fake.set_bot_member(chat_id, "administrator", can_post_messages=False)
    await change(storage, (600, 720))
    await change(storage, (600, 780))
    sender = make_sender(storage, make_bot(fake))
    await deliver_all(sender, storage)

    lost = await storage.channels.get_by_chat_id(chat_id)
    assert lost is not None and lost.status is ChannelStatus.LOST
    [notice] = owner.dms(LOST_UK)
    assert "«Без прав»" in (notice.text or "")
    assert len(fake.messages_to(other)) == 1  # the other channel is not affected
    assert sender.stats.deactivated == 1

    await change(storage, (600, 840))  # the next change: no post planned, no second notice
    sender = make_sender(storage, make_bot(fake))
    await deliver_all(sender, storage)
    assert len(owner.dms(LOST_UK)) == 1
    assert len(fake.messages_to(other)) == 2
    failed = [c for c in fake.calls("sendPhoto") if not c.ok]
    assert [int(c.params["chat_id"]) for c in failed] == [chat_id]
