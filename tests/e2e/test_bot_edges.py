"""The bot's edges over the fake Bot API server: deep links, admins, pause, errors,
unknown input, stale buttons, English."""

from __future__ import annotations

import logging

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from esvitlo.testing.chat_user import buttons, content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)


async def test_deep_link_subscribes_directly_and_a_bad_one_opens_the_wizard(
    fake, feed, database_url, tmp_path
):
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        user = BotUser(fake)
        confirm = await user.send("/start kyiv_3-1", "Підписатися на графік?")
        assert "Черга 3.1" in content(confirm) and "Київ" in content(confirm)
        await user.press("Підтвердити", "Готово")
        other = BotUser(fake, "Петро")
        wizard = await other.send("/start atlantis_9-9", "не вдалося розпізнати")
        assert "Київ" in [t for t, _ in buttons(wizard)]
        unknown_queue = await other.send("/start kyiv_99-1", "не вдалося розпізнати")
        assert "Оберіть ваш регіон" in content(unknown_queue)
    finally:
        await service.stop()


async def test_admin_commands_are_for_admins_only(fake, feed, database_url, tmp_path):
    admin, user = BotUser(fake, "Адмін"), BotUser(fake, "Ганна")
    settings = settings_for(fake, feed, database_url, tmp_path, ADMIN_IDS=str(admin.id))
    service = await start_service(settings)
    try:
        await user.send("/start kyiv_3-1", "Підписатися")
        await user.press("Підтвердити", "Готово")
        refused = await user.send("/stats", "Я не зрозумів")
        assert "Статистика" not in content(refused)
        stats = await admin.send("/stats", "Статистика")
        assert "Користувачі: 1 (активні: 1)" in content(stats) and "Київ: 1" in content(stats)
        assert "План і факт: жодна черга ще не має моніторів" in content(stats)
        queued = await admin.send("/broadcast Планові <роботи>", "Розсилку заплановано")
        assert "Розсилку заплановано: 1 повідомлення." in content(queued)
        assert await service.storage.outbox.pending_count() == 1
        await admin.send("/pause Оновлюємося", "Режим паузи увімкнено")
        paused = await user.send("/schedule", "Оновлюємося")
        assert "Графік" not in content(paused)
        await admin.send("/resume", "Режим паузи вимкнено")
        await user.send("/help", "Що я вмію")
    finally:
        await service.stop()


async def test_errors_unknown_text_and_stale_buttons_never_leave_the_user_hanging(
    fake, feed, database_url, tmp_path, caplog, bot
):
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        user = BotUser(fake)
        help_text = await user.send("котик", "Я не зрозумів")
        assert "/schedule" in content(help_text)
        await user.send("/start kyiv_3-1", "Підписатися")
        menu = await user.press("Підтвердити", "Головне меню")
        fake.fail("editMessageText", status=500, description="Internal Server Error", times=1)
        with caplog.at_level(logging.ERROR):
            help_button = next(d for t, d in buttons(menu) if "Допомога" in t)
            fake.press_button(user.id, menu.message_id, help_button)
            await fake.wait_until(lambda: not fake.unanswered_callbacks(), within=10)
        answers = [c.params for c in fake.calls("answerCallbackQuery")]
        assert "Щось пішло не так" in str(answers[-1].get("text"))
        assert any("bot.handler_failed" in r.getMessage() for r in caplog.records)
        old = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="old", callback_data="zz:not-ours")]]
        )
        stale = await bot.send_message(user.id, "a message of an older version", reply_markup=old)
        fake.press_button(user.id, stale.message_id, "zz:not-ours")
        await fake.wait_until(lambda: not fake.unanswered_callbacks(), within=10)
        assert "застаріла" in str(fake.calls("answerCallbackQuery")[-1].params.get("text"))
    finally:
        await service.stop()


async def test_english_speakers_get_english(fake, feed, database_url, tmp_path):
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        user = BotUser(fake, "Ann", language="en")
        await user.send("/start", "Choose your region")
        await user.press("Kyiv", "Choose your outage queue")
        await user.press("Queue 3.1", "Follow this schedule?")
        done = await user.press("Confirm", "Done")
        assert "Home" in content(done)
        photo = await user.press("Schedule", lambda m: bool(m.photo_file_id))
        assert "03:00–10:30 (7 h 30 min)" in content(photo)
        screen = await user.send("/settings", "Notification settings")
        ukrainian = await user.press("Українська", "Налаштування сповіщень", screen)
        assert "English" in [t.split(" ", 1)[-1] for t, _ in buttons(ukrainian)]
        stored = await service.storage.users.get_by_telegram_id(user.id)
        assert stored is not None
        [sub] = await service.storage.subscriptions.list_for_user(stored.id)
        assert sub.label == "Дім"  # the name the bot gave ("Home") follows the language
    finally:
        await service.stop()


async def test_the_address_limit_holds_even_through_deep_links(fake, feed, database_url, tmp_path):
    settings = settings_for(fake, feed, database_url, tmp_path, ESVITLO_MAX_ADDRESSES="1")
    service = await start_service(settings)
    try:
        user = BotUser(fake)
        await user.send("/start kyiv_3-1", "Підписатися")
        menu = await user.press("Підтвердити", "Готово")
        addresses = await user.press("Мої адреси", "Ваші адреси", menu)
        assert not any("Додати адресу" in t for t, _ in buttons(addresses))
        await user.send("/start kyiv_6-2", "Підписатися")
        fake.press_button(
            user.id,
            user.last().message_id,
            next(d for t, d in buttons(user.last()) if "Підтвердити" in t),
        )
        await fake.wait_until(lambda: not fake.unanswered_callbacks(), within=10)
        answer = fake.calls("answerCallbackQuery")[-1].params
        assert "кількість адрес — 1" in str(answer.get("text")) and answer.get("show_alert") in (
            True,
            "true",
        )
        owner = await service.storage.users.get_by_telegram_id(user.id)
        assert owner is not None
        assert len(await service.storage.subscriptions.list_for_user(owner.id)) == 1
    finally:
        await service.stop()
