"""How a change post looks and where it goes, per destination: the owner's caption template
(escaped, its schedule filled in), the picture-only style, and a forum group's topic."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.domain.accounts import CaptionStyle, ChannelStatus, ChatKind
from esvitlo.testing.fake_telegram import FakeTelegram
from esvitlo.testing.fake_telegram.errors import ApiError

from delivery_rig import day, deliver_all, make_sender, open_storage, plan

pytest_plugins = ("fake_bot",)

TODAY = datetime.now(ZoneInfo("Europe/Kyiv")).date()
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqlStorage]:
    repositories = await open_storage(tmp_path)
    yield repositories
    await repositories.close()


async def test_each_destination_gets_the_change_post_in_its_own_style_and_place(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    owner_id = fake.create_user("Olena").id
    user = await storage.users.get_or_create(owner_id, "uk")
    sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
    forum = fake.create_chat("supergroup", "Будинок", owner_id=owner_id, is_forum=True)
    topic = fake.create_forum_topic(forum.id, "Світло")
    templated = fake.create_chat("channel", "Шаблон", owner_id=owner_id)
    picture = fake.create_chat("channel", "Картинка", owner_id=owner_id)
    for chat, kind in ((forum, ChatKind.SUPERGROUP), (templated, ChatKind.CHANNEL),
                       (picture, ChatKind.CHANNEL)):  # fmt: skip
        await storage.channels.add_pending(chat.id, user.id, chat.title or "", kind)
        await storage.channels.link(chat.id, sub.id)
        await storage.channels.set_status(chat.id, ChannelStatus.ACTIVE)
    await storage.channels.set_thread(forum.id, topic)
    template = "Світло <вдома> & {queue} ({region})\n{changes}\n{schedule}"
    await storage.channels.set_caption(templated.id, CaptionStyle.FULL, template)
    await storage.channels.set_caption(picture.id, CaptionStyle.PICTURE, None)

    await plan(storage, TODAY, day(TODAY, (600, 720)))  # the baseline posts nothing
    await plan(storage, TODAY, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))
    await deliver_all(make_sender(storage, make_bot(fake)), storage)

    [in_topic] = fake.messages_to(forum.id)
    assert in_topic.thread_id == topic and in_topic.photo_file_id is not None
    assert (in_topic.caption or "").startswith("🔄 Оновлено графік на сьогодні й завтра\n")
    [styled] = fake.messages_to(templated.id)
    caption = styled.caption or ""
    assert caption.startswith(
        "Світло <вдома> & Черга 3.1 (Київ)\n🔄 Оновлено графік на сьогодні й завтра\n🗓 Київ"
    )
    assert "10:00–13:00 (3 год)" in caption
    assert "Світло &lt;вдома&gt; &amp; Черга 3.1" in (styled.source or "")
    [bare] = fake.messages_to(picture.id)
    assert bare.photo_file_id is not None and bare.caption == "Черга 3.1 · Київ"


async def test_a_topic_the_forum_no_longer_has_is_refused_like_telegram(
    fake: FakeTelegram, make_bot: Callable[..., Bot]
):
    forum = fake.create_chat("supergroup", "Будинок", is_forum=True)
    topic = fake.create_forum_topic(forum.id, "Світло")
    plain = fake.create_chat("supergroup", "Без тем")
    bot = make_bot(fake)
    sent = await bot.send_message(forum.id, "у темі", message_thread_id=topic)
    assert sent.message_thread_id == topic and sent.is_topic_message
    general = await bot.send_message(forum.id, "загальна")
    assert general.message_thread_id is None
    for chat_id in (forum.id, plain.id):
        with pytest.raises(TelegramBadRequest, match="message thread not found"):
            await bot.send_message(chat_id, "x", message_thread_id=topic + 100)
    assert [m.thread_id for m in fake.messages_to(forum.id)] == [topic, None]
    assert (await bot.get_chat(forum.id)).is_forum is True


def test_people_write_in_a_forum_topic_and_only_forums_have_topics(fake: FakeTelegram):
    forum = fake.create_chat("supergroup", "Будинок", is_forum=True)
    topic = fake.create_forum_topic(forum.id, "Світло")
    owner = next(u for u, m in forum.members.items() if m.status == "creator")
    update = fake.send_user_message(owner, "/here", chat_id=forum.id, thread_id=topic)
    assert (update["message_thread_id"], update["is_topic_message"]) == (topic, True)
    assert update["chat"]["is_forum"] is True
    assert "message_thread_id" not in fake.send_user_message(owner, "hi", chat_id=forum.id)
    with pytest.raises(ApiError, match="message thread not found"):
        fake.send_user_message(owner, "x", chat_id=forum.id, thread_id=topic + 1)
    with pytest.raises(ValueError, match="not a forum"):
        fake.create_forum_topic(fake.create_chat("supergroup").id, "x")
    with pytest.raises(ValueError, match="only a supergroup"):
        fake.create_chat("group", is_forum=True)
