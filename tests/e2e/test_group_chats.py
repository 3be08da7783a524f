"""Groups: a command typed in a group never shows anyone's addresses or schedule there."""

from __future__ import annotations

import asyncio

import pytest

from esvitlo.bot.routers.group_chats import addressed_to
from esvitlo.domain.accounts import ChatKind
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


def _posts(fake, chat_id: int) -> list:
    return [m for m in fake.messages_to(chat_id) if m.photo_file_id is not None]


async def _subscribed(fake) -> BotUser:
    user = BotUser(fake)
    await user.send("/start kyiv_3-1", "Підписатися")
    await user.press("Підтвердити", "Готово")
    return user


async def test_a_forum_group_is_linked_by_its_admin_and_posts_go_to_the_topic_chosen_there(
    fake, feed, tmp_path
):
    database_url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        olena, petro = await _subscribed(fake), await _subscribed(fake)
        group = fake.create_chat(
            "supergroup", "Будинок 5", owner_id=olena.id, bot_status="left", is_forum=True
        )
        topic = fake.create_forum_topic(group.id, "Світло")
        fake.set_member(group.id, petro.id, "member")

        # a member who is no admin adds the bot: told privately, nothing is connected
        fake.set_bot_member(group.id, "member", by_user_id=petro.id)
        await petro.wait_for("може лише адміністратор групи")
        assert await service.storage.channels.get_by_chat_id(group.id) is None

        # the group's admin adds it: asked privately, links an address, a first post in General
        fake.set_bot_member(group.id, "left", by_user_id=olena.id)
        fake.set_bot_member(group.id, "member", by_user_id=olena.id)
        found = await olena.wait_for("Мене додано до групи «Будинок 5»")
        linked = await olena.press("Дім", "підключено", found)
        assert "/here" in content(linked)
        await fake.wait_until(lambda: len(_posts(fake, group.id)) == 1, 10)
        assert _posts(fake, group.id)[0].thread_id is None

        # /here from a member who is no admin is refused; the admin's picks the topic
        fake.send_user_message(petro.id, "/here", chat_id=group.id, thread_id=topic)
        await fake.wait_until(
            lambda: any("лише адміністратор" in content(m) for m in fake.messages_to(group.id)),
            10,
        )
        fake.send_user_message(olena.id, "/here", chat_id=group.id, thread_id=topic)
        await fake.wait_until(
            lambda: any("в цій темі" in content(m) for m in fake.messages_to(group.id)), 10
        )
        [chosen] = [m for m in fake.messages_to(group.id) if "в цій темі" in content(m)]
        assert chosen.thread_id == topic
        stored = await service.storage.channels.get_by_chat_id(group.id)
        assert stored is not None and stored.thread_id == topic

        # the next post goes into that topic
        await olena.press("Тестовий пост", "Тестовий пост із поточним графіком")
        await fake.wait_until(lambda: len(_posts(fake, group.id)) == 2, 10)
        post = _posts(fake, group.id)[-1]
        assert post.thread_id == topic and "Черга 3.1" in content(post)

        # nothing personal is ever shown in the group
        assert all("Дім" not in content(m) for m in fake.messages_to(group.id))
    finally:
        await service.stop()


async def test_a_group_that_becomes_a_supergroup_keeps_its_posts(fake, feed, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        olena = await _subscribed(fake)
        group = fake.create_chat("group", "Дача", owner_id=olena.id, bot_status="left")
        fake.set_bot_member(group.id, "member", by_user_id=olena.id)
        found = await olena.wait_for("Мене додано до групи «Дача»")
        linked = await olena.press("Дім", "підключено", found)
        assert "/here" not in content(linked)  # no topics in a plain group
        await fake.wait_until(lambda: len(_posts(fake, group.id)) == 1, 10)

        supergroup = fake.set_chat_state(group.id, "migrated")

        async def moved() -> bool:
            return await service.storage.channels.get_by_chat_id(supergroup.id) is not None

        for _ in range(100):
            if await moved():
                break
            await asyncio.sleep(0.05)
        stored = await service.storage.channels.get_by_chat_id(supergroup.id)
        assert stored is not None and stored.kind is ChatKind.SUPERGROUP
        await olena.press("Меню", "Головне меню")  # the old screen's buttons name the old id
        await olena.press("Канали", "Ваші канали")
        await olena.press("Тестовий пост", "Тестовий пост із поточним графіком")
        await fake.wait_until(lambda: len(_posts(fake, supergroup.id)) == 1, 10)
    finally:
        await service.stop()
