"""Groups: a command typed in a group never shows anyone's addresses or schedule there."""

from __future__ import annotations

import asyncio

import pytest

from esvitlo.bot.routers.group_chats import addressed_to
from esvitlo.testing.chat_user import content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)


@pytest.mark.parametrize(
    ("text", "addressed"),
    [
        ("/schedule", True),
        ("/schedule@esvitlo_bot", True),
        ("/schedule@ESVITLO_BOT extra words", True),
        ("/schedule@other_bot", False),
        ("schedule", False),
        ("hello /schedule", False),
    ],
)
def test_a_group_command_is_ours_without_a_mention_or_with_our_name(text, addressed):
    assert addressed_to(text, "esvitlo_bot") is addressed


async def test_schedule_in_a_group_points_to_the_private_chat_and_shows_nothing_personal(
    fake, feed, tmp_path
):
    database_url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        olena = BotUser(fake)
        await olena.send("/start kyiv_3-1", "Підписатися")
        await olena.press("Підтвердити", "Готово")
        group = fake.create_chat("supergroup", "Під'їзд 3", owner_id=olena.id)
        for text in ("/schedule", "/start", "/timer@" + (await service.bot.me()).username):
            fake.send_user_message(olena.id, text, chat_id=group.id)
        await fake.wait_until(lambda: len(fake.messages_to(group.id)) == 3, 10)
        fake.send_user_message(olena.id, "/schedule@other_bot", chat_id=group.id)
        fake.send_user_message(olena.id, "коли дадуть світло?", chat_id=group.id)
        await asyncio.sleep(0.5)  # the bot answers neither: nothing may arrive
        replies = fake.messages_to(group.id)
        assert len(replies) == 3
        for reply in replies:
            assert "лише в особистому чаті" in content(reply)
            assert "Дім" not in content(reply) and "3.1" not in content(reply)
            assert reply.photo_file_id is None
            rows = (reply.reply_markup or {})["inline_keyboard"]
            assert [b.get("url") for row in rows for b in row] == [
                f"https://t.me/{(await service.bot.me()).username}"
            ]
        assert all("Дім" not in content(m) for m in fake.messages_to(group.id))
    finally:
        await service.stop()
