"""A channel owner's caption: a template typed in a conversation, refused when it cannot work,
previewed, used by the next post; the picture-only style switched on; back to the default."""

from __future__ import annotations

from esvitlo.domain.accounts import CaptionStyle
from esvitlo.testing.chat_user import content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)


async def test_a_template_is_refused_saved_previewed_and_posted_and_picture_only_switched_on(
    fake, feed, tmp_path
):
    database_url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        olena = BotUser(fake)
        await olena.send("/start kyiv_3-1", "Підписатися")
        await olena.press("Підтвердити", "Готово")
        channel = fake.create_chat("channel", "Світло", owner_id=olena.id, bot_status="left")
        fake.set_bot_member(channel.id, "administrator", by_user_id=olena.id)
        found = await olena.wait_for("Мене додано в канал «Світло»")
        await olena.press("Дім", "підключено", found)
        await fake.wait_until(lambda: len(fake.messages_to(channel.id)) == 1, 10)

        await olena.press("Шаблон підпису", "{schedule}")
        await olena.send("{queue} {weather}", "Невідома вставка {weather}")
        await olena.send("{queue} {", "незакрита фігурна дужка")
        refused = await olena.send("x" * 1000 + "{schedule}", "Підпис задовгий")
        assert "1024" in content(refused)
        saved = await olena.send("Світло <дім> {{так}}: {queue}\n{schedule}", "Шаблон збережено")
        assert "Світло <дім> {так}: Черга 3.1" in content(saved)
        assert "Світло &lt;дім&gt; {так}" in (saved.source or "")
        stored = await service.storage.channels.get_by_chat_id(channel.id)
        assert stored is not None and stored.caption_template is not None

        await olena.press("Назад", "Ваші канали")
        await olena.press("Тестовий пост", "Тестовий пост із поточним графіком")
        await fake.wait_until(lambda: len(fake.messages_to(channel.id)) == 2, 10)
        post = fake.messages_to(channel.id)[-1]
        assert content(post).startswith("Світло <дім> {так}: Черга 3.1\n")
        assert "Тестовий пост eSvitlo" not in content(post)  # {changes} is not in the template

        # the picture-only style (its posts: tests/integration/test_channel_post_styles.py)
        await olena.press("Повний підпис", "підпис до поста: 🖼 Лише картинка")
        stored = await service.storage.channels.get_by_chat_id(channel.id)
        assert stored is not None and stored.caption_style is CaptionStyle.PICTURE

        await olena.press("Лише картинка", "Повний підпис")
        await olena.press("Шаблон підпису", "Зараз: Світло <дім>")
        await olena.press("Назад", "Ваші канали")  # leaving the prompt stops listening
        await olena.send("{queue}", "Я не зрозумів повідомлення")
        await olena.press("Меню", "Головне меню")
        await olena.press("Канали", "Ваші канали")
        await olena.press("Шаблон підпису", "Зараз: Світло <дім>")
        await olena.press("Типовий підпис", "Повернено типовий підпис")
        stored = await service.storage.channels.get_by_chat_id(channel.id)
        assert stored is not None and stored.caption_template is None
    finally:
        await service.stop()
