"""A simulated user goes through the whole bot over the fake Bot API server and the real
polling path, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import time
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import ChannelStatus
from esvitlo.services.schedule_photos import now_slot
from esvitlo.testing.chat_user import buttons, content

from bot_user import BotUser, calls_of, dump, settings_for, start_service

KYIV = ZoneInfo("Europe/Kyiv")

pytest_plugins = ("fake_bot",)


async def test_a_user_lives_through_every_screen(fake, feed, database_url, tmp_path):
    settings = settings_for(fake, feed, database_url, tmp_path)
    service = await start_service(settings)
    olena = BotUser(fake)
    try:
        # onboarding, restarted half-way with /start
        await olena.send("/start", "Оберіть ваш регіон")
        await olena.press("Київ", "Оберіть вашу чергу")
        restarted = await olena.send("/start", "Оберіть ваш регіон")
        assert "Київ" in [t for t, _ in buttons(restarted)]
        await olena.press("Київ", "Оберіть вашу чергу", restarted)
        await olena.press("Черга 3.1", "Підписатися на графік?")
        menu = await olena.press("Підтвердити", "Готово")
        assert "<b>Дім</b>" in (menu.source or "") and "Черга 3.1" in content(menu)

        # the schedule: a photo with the text as its caption, then re-sent by file_id (the
        # picture marks the current half-hour: one that began in between is drawn anew)
        slot = now_slot(service.clock.now(), KYIV)
        photo = await olena.press("Графік", lambda m: bool(m.photo_file_id), menu)
        assert "03:00–10:30 (7 год 30 хв)" in content(photo), dump(olena.messages())
        assert "Загалом без світла" in content(photo)
        again = await olena.press("Меню", "Головне меню", photo)
        second = await olena.press(
            "Графік", lambda m: bool(m.photo_file_id) and m is not photo, again
        )
        if now_slot(service.clock.now(), KYIV) == slot:
            sent = calls_of(fake, "sendPhoto")
            assert len(sent) == 2 and isinstance(sent[1]["photo"], str)
            assert second.photo_file_id == photo.photo_file_id

        # timer
        timer = await olena.press("Таймер", "За графіком зараз", second)
        assert "Черга 3.1" in content(timer)

        # lead times: 15 min before an outage is the default; add 30 and the moment itself,
        # and 5 before power returns; quiet hours from 23:00 to 06:00
        screen = await olena.send("/settings", "Налаштування сповіщень")
        assert "Нагадування перед відключенням: за 15 хв" in content(screen)
        assert "Нагадування перед появою світла: немає" in content(screen)
        leads = await olena.press("Перед відключенням", "Оберіть, коли нагадувати", screen)
        await olena.press("▫️ 30 хв", lambda m: any(t == "✅ 30 хв" for t, _ in buttons(m)), leads)
        await olena.press("▫️ у момент", lambda m: any(t == "✅ у момент" for t, _ in buttons(m)))
        screen = await olena.press("Назад", "Налаштування сповіщень")
        assert "перед відключенням: у момент, за 15 хв, за 30 хв" in content(screen)
        await olena.press("Перед появою світла", "Оберіть, коли нагадувати", screen)
        await olena.press("▫️ 5 хв", lambda m: any(t == "✅ 5 хв" for t, _ in buttons(m)))
        screen = await olena.press("Назад", "Налаштування сповіщень")
        await olena.press("Тихі години", "Оберіть, о котрій вони починаються", screen)
        await olena.press("23:00", "Тихі години з 23:00")
        assert "23:00" not in [t for t, _ in buttons(olena.last())]
        screen = await olena.press("06:00", "Тихі години (без звуку): 23:00–06:00")
        user = await service.storage.users.get_by_telegram_id(olena.id)
        assert user is not None
        prefs = await service.storage.notification_prefs.get(user.id)
        assert (prefs.remind_before_off, prefs.remind_before_on) == ((0, 15, 30), (5,))
        assert (prefs.quiet_start, prefs.quiet_end) == (time(23), time(6))
        await olena.press("Тихі години", "Зараз: 23:00–06:00", screen)
        await olena.press("Вимкнути тихі години", "Тихі години (без звуку): вимкнено")

        # a second address; a region whose feed is down says so and lets the user go back
        await olena.press("Меню", "Головне меню")
        await olena.press("Мої адреси", "Ваші адреси")
        await olena.press("Додати адресу", "Оберіть ваш регіон")
        await olena.press("Дніпро", "Не вдалося отримати перелік черг")
        await olena.press("Назад", "Оберіть ваш регіон")
        await olena.press("Київ", "Оберіть вашу чергу")
        await olena.press("Черга 6.2", "Підписатися на графік?")
        await olena.press("Підтвердити", "Адреса 2")

        # rename, with a restart of the whole service between the prompt and the answer
        await olena.press("Мої адреси", "Ваші адреси")
        await olena.press("✏️ Адреса 2", "Надішліть нову назву")
        await service.stop()
        service = await start_service(settings)
        renamed = await olena.send("Батьки <3", "Назву змінено")
        assert "Батьки &lt;3" in (renamed.source or "")

        # a channel: the bot is made admin, the owner picks the address, test post, pause
        channel = fake.create_chat("channel", "Світло вдома", owner_id=olena.id, bot_status="left")
        fake.set_bot_member(
            channel.id, "administrator", can_post_messages=True, by_user_id=olena.id
        )
        found = await olena_wait(olena, "Мене додано в канал «Світло вдома»")
        linked = await olena.press("Дім", "підключено", found)
        assert "Поточний графік зʼявиться в каналі" in content(linked)
        assert any("startchannel&admin=" in (b.get("url") or "")
                   for row in linked.reply_markup["inline_keyboard"] for b in row)  # fmt: skip
        await fake.wait_until(lambda: len(fake.messages_to(channel.id)) == 1, within=10)
        first = fake.messages_to(channel.id)[0]
        assert first.photo_file_id is not None and "Канал підключено до eSvitlo" in content(first)
        assert "Черга 3.1" in content(first) and "03:00–10:30" in content(first)
        shown = await olena.press("Тестовий пост", "Тестовий пост із поточним графіком")
        await fake.wait_until(lambda: len(fake.messages_to(channel.id)) == 2, within=10)
        test = fake.messages_to(channel.id)[-1]
        assert "Тестовий пост eSvitlo" in content(test) and "Черга 3.1" in content(test)
        await olena.press("Пауза", "призупинено", shown)
        stored = await service.storage.channels.get_by_chat_id(channel.id)
        assert stored is not None and stored.status is ChannelStatus.PAUSED
        await olena.press("Тестовий пост", "Тестовий пост із поточним графіком")
        await fake.wait_until(lambda: len(fake.messages_to(channel.id)) == 3, within=10)
        await olena.press("Відновити", "відновлено")

        # the bot loses its rights: the owner is told once
        fake.set_bot_member(channel.id, "left")
        await olena_wait(olena, "більше не можу публікувати")
        fake.set_bot_member(channel.id, "kicked")
        await fake.wait_until(lambda: not fake.pending_updates(), within=5)
        lost = [m for m in olena.messages() if "більше не можу публікувати" in content(m)]
        assert len(lost) == 1
        stored = await service.storage.channels.get_by_chat_id(channel.id)
        assert stored is not None and stored.status is ChannelStatus.LOST

        # blocking the bot marks the user inactive; writing again makes them active
        fake.set_chat_state(olena.id, "blocked")
        await fake.wait_until(lambda: not fake.pending_updates(), within=5)
        await wait_for_active(service, olena.id, False)
        await olena.send("/settings", "Налаштування сповіщень")
        await wait_for_active(service, olena.id, True)

        # delete my data: two confirmations, then nothing is left
        await olena.press("Видалити мої дані", "Продовжити?")
        await olena.press("Так, продовжити", "Точно видалити?")
        await olena.press("Видалити назавжди", "Ваші дані видалено")
        assert await service.storage.users.get_by_telegram_id(olena.id) is None
        assert await service.storage.channels.get_by_chat_id(channel.id) is None
    finally:
        await service.stop()
    assert not fake.unanswered_callbacks()


async def olena_wait(user: BotUser, text: str):
    """Wait for a message the bot sends on its own (not in answer to an action)."""
    return await user.wait_for(text)


async def wait_for_active(service, telegram_id: int, active: bool) -> None:
    async def check() -> bool:
        user = await service.storage.users.get_by_telegram_id(telegram_id)
        return user is not None and user.active is active

    async with asyncio.timeout(5):
        while not await check():
            await asyncio.sleep(0.02)
