"""End to end: an owner connects a channel through the bot and picks "edit the post"; the
feed changes and the service's own sender publishes the schedule picture there; the next
change edits that post (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import PostMode
from esvitlo.testing.chat_user import buttons, content
from esvitlo.testing.fake_telegram.state import Message

from bot_user import BotUser, dump, settings_for, start_service
from schedule_server import Reply, shifted_fixture

pytest_plugins = ("fake_bot",)

BEFORE = "outage-data-ua/kyiv/2025-11-09T0633_a256.json"
AFTER = "outage-data-ua/kyiv/2025-11-09T0838_a265.json"  # queue 3.1: 15:00–22:00 -> 15:00–19:00
BOT_LINK = "https://t.me/esvitlo_test_bot?start="  # the fake's bot username, from getMe
QUEUE_LINKS = [("⏰ Таймер", f"{BOT_LINK}t_kyiv_3-1"), ("📊 Сьогодні", f"{BOT_LINK}s_kyiv_3-1")]


def links(message: Message) -> list[tuple[str, str]]:
    """(text, url) of every link button under a message."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [(b["text"], b.get("url", "")) for row in rows for b in row]


async def test_a_channel_gets_the_picture_and_then_the_post_edited(
    fake, feed, database_url, tmp_path
):
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    settings = settings_for(fake, feed, database_url, tmp_path)
    feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(BEFORE, today))
    service = await start_service(settings)
    olena = BotUser(fake)
    try:
        assert service.delivery is not None
        await service.watch.check_region("kyiv")  # the baseline
        await olena.send("/start", "Оберіть ваш регіон")
        await olena.press("Київ", "Оберіть вашу чергу")
        await olena.press("Черга 3.1", "Підписатися на графік?")
        await olena.press("Підтвердити", "Готово")
        channel = fake.create_chat("channel", "Світло вдома", owner_id=olena.id, bot_status="left")
        fake.set_bot_member(
            channel.id, "administrator", can_post_messages=True, by_user_id=olena.id
        )
        found = await olena.wait_for("Мене додано в канал «Світло вдома»")
        await olena.press("Дім", "підключено", found)
        await fake.wait_until(lambda: fake.messages_to(channel.id), within=5)
        [first] = fake.messages_to(channel.id)  # the current schedule, right after linking
        assert first.photo_file_id is not None and "Канал підключено" in content(first)
        assert links(first) == QUEUE_LINKS  # the queue's timer and schedule in the bot
        await olena.press("🆕 Новий пост", "нові графіки: 🗑 Новий пост, старий видалити")
        await olena.press("🗑 Новий пост", "нові графіки: ✏️ Редагувати пост")
        stored = await service.storage.channels.get_by_chat_id(channel.id)
        assert stored is not None and stored.post_mode is PostMode.EDIT

        feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(AFTER, today))
        await service.watch.check_region("kyiv")
        await fake.wait_until(lambda: fake.messages_to(channel.id)[0].edits == 1, within=5)
        [post] = fake.messages_to(channel.id)  # the first post, edited
        assert post.message_id == first.message_id and post.photo_file_id is not None
        assert "Змінився графік на сьогодні" in content(post) and "15:00–19:00" in content(post)
        assert links(post) == QUEUE_LINKS  # kept by the edit

        screen = next(m for m in olena.messages() if any("Кнопки" in t for t, _ in buttons(m)))
        await olena.press("Кнопки: так", "виходитимуть без кнопок", screen)  # the owner's choice
        feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(BEFORE, today))  # and back
        await service.watch.check_region("kyiv")
        await fake.wait_until(lambda: fake.messages_to(channel.id)[0].edits == 2, within=5)
    finally:
        await service.stop()

    [edited] = fake.messages_to(channel.id, include_deleted=True)
    assert "15:00–22:00" in content(edited), dump([edited])
    assert edited.message_id == post.message_id
    assert links(edited) == []  # the buttons were switched off before this edit
