"""Hardening through the real bot (polling handles updates as concurrent tasks) and the fake
Bot API server, on SQLite and PostgreSQL: many buttons pressed at once never pass a
per-user limit, and a label with a control character is refused, not an error."""

from __future__ import annotations

from esvitlo.testing.chat_user import buttons

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)

KYIV_QUEUES = [f"{group}-{half}" for group in range(1, 7) for half in (1, 2)]


def press_all_at_once(user: BotUser, presses: list[tuple[int, str]]) -> None:
    """Queue every (message id, callback data) press before the bot sees any of them."""
    for message_id, data in presses:
        user.fake.press_button(user.id, message_id, data)


async def test_presses_at_once_never_pass_the_address_or_monitor_limit(
    fake, feed, database_url, tmp_path
):
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    user = BotUser(fake)
    try:
        confirms = []
        for queue in KYIV_QUEUES[:11]:  # limit 5: eleven confirm screens open at once
            screen = await user.send(f"/start kyiv_{queue}", "Підписатися на графік?")
            data = next(d for t, d in buttons(screen) if "Підтвердити" in t)
            confirms.append((screen.message_id, data))
        press_all_at_once(user, confirms)
        await fake.wait_until(lambda: not fake.unanswered_callbacks(), within=20)
        owner = await service.storage.users.get_by_telegram_id(user.id)
        assert owner is not None
        assert len(await service.storage.subscriptions.list_for_user(owner.id)) == 5

        # six presses of a heartbeat period at once (limit 3)
        menu = next(m for m in user.messages() if any("Світло" in t for t, _ in buttons(m)))
        power = await user.press("Світло вдома", "Моніторів ще немає", menu)
        picked = await user.press("Додати монітор", "До якої адреси", power)
        kinds = await user.press(buttons(picked)[0][0], "Як дізнаватися про світло", picked)
        periods = await user.press("Сигнал від пристрою", "Як часто пристрій", kinds)
        minute = next(d for t, d in buttons(periods) if t == "1 хв")
        press_all_at_once(user, [(periods.message_id, minute)] * 6)
        await fake.wait_until(lambda: not fake.unanswered_callbacks(), within=20)
        assert len(await service.storage.monitors.list_for_user(owner.id)) == 3
    finally:
        await service.stop()


async def test_a_label_with_a_control_character_is_refused(fake, feed, database_url, tmp_path):
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    user = BotUser(fake)
    try:
        await user.send("/start kyiv_3-1", "Підписатися на графік?")
        await user.press("Підтвердити", "Готово")
        await user.press("Мої адреси", "Ваші адреси")
        await user.press("✏️ Дім", "Надішліть нову назву")
        await user.send("Дім\x00мами", "від 1 до 32 символів")
        await user.send("Дзвінок\x07", "від 1 до 32 символів")
        await user.send("Дім мами", "Назву змінено")
        owner = await service.storage.users.get_by_telegram_id(user.id)
        assert owner is not None
        [sub] = await service.storage.subscriptions.list_for_user(owner.id)
        assert sub.label == "Дім мами"
    finally:
        await service.stop()
