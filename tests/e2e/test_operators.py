"""Operators over the fake Bot API: a user writes to the admins and gets a reply, /system and
/user for admins only, and a failing handler reported to the admins once."""

from __future__ import annotations

from sqlalchemy import func, select

from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.admin_messages import ERROR_REPORT
from esvitlo.testing.chat_user import buttons, content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)


async def test_feedback_reaches_the_admins_and_their_reply_reaches_the_user(fake, feed, tmp_path):
    admin, olena = BotUser(fake, "Адмін"), BotUser(fake, "Олена")
    url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, url, tmp_path, ADMIN_IDS=str(admin.id)))
    try:
        await olena.send("/start kyiv_3-1", "Підписатися")
        await olena.press("Підтвердити", "Готово")
        help_screen = await olena.send("/help", "Що я вмію")
        await olena.press("Написати нам", "Напишіть одним повідомленням", help_screen)
        sent = await olena.send("Графік <b>не</b> оновився", "Дякуємо")
        assert "передано адміністраторам" in content(sent)
        received = await admin.wait_for("Відгук")
        assert f"id {olena.id}" in content(received)
        assert "Графік <b>не</b> оновився" in content(received)  # shown as typed, not as HTML
        assert "Графік &lt;b&gt;не&lt;/b&gt; оновився" in (received.source or "")
        await admin.send(f"/reply {olena.id} Дякуємо, <виправили>", "поставлено в чергу")
        answer = await olena.wait_for("Відповідь від адміністраторів")
        assert "Дякуємо, <виправили>" in content(answer)
        unknown = await admin.send("/reply 999999 привіт", "немає серед користувачів")
        assert "999999" in content(unknown)
        for _ in range(2):  # three an hour at most
            await olena.send("/feedback", "Напишіть одним повідомленням")
            await olena.send("ще одне", "Дякуємо")
        await olena.send("/feedback", "Напишіть одним повідомленням")
        refused = await olena.send("і ще", "Спробуйте через")
        assert "60 хв" in content(refused)
    finally:
        await service.stop()


async def test_system_and_user_cards_are_for_admins_and_show_no_labels(fake, feed, tmp_path):
    admin, olena = BotUser(fake, "Адмін"), BotUser(fake, "Олена")
    url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, url, tmp_path, ADMIN_IDS=str(admin.id)))
    try:
        await olena.send("/start kyiv_3-1", "Підписатися")
        await olena.press("Підтвердити", "Готово")
        system = await admin.send("/system", "Система")
        assert service.settings.instance_id in content(system)
        assert "Лідер: так" in content(system) and "База даних: sqlite" in content(system)
        card = await admin.send(f"/user {olena.id}", "Користувач")
        assert "Київ Черга 3.1" in content(card) and "активний" in content(card)
        assert "Дім" not in content(card)  # the user's own labels stay theirs
        await admin.send("/user nobody", "Використання: /user")
        refused = await olena.send("/system", "Я не зрозумів")
        assert "Система" not in content(refused)
    finally:
        await service.stop()


async def test_a_failing_handler_is_reported_to_the_admins_once(fake, feed, tmp_path):
    admin, olena = BotUser(fake, "Адмін"), BotUser(fake, "Олена")
    url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, url, tmp_path, ADMIN_IDS=str(admin.id)))
    try:
        await olena.send("/start kyiv_3-1", "Підписатися")
        menu = await olena.press("Підтвердити", "Головне меню")
        help_button = next(d for t, d in buttons(menu) if "Допомога" in t)
        for _ in range(2):
            fake.fail("editMessageText", status=500, description="Internal Server Error", times=1)
            fake.press_button(olena.id, menu.message_id, help_button)
            await fake.wait_until(lambda: not fake.unanswered_callbacks(), within=10)
        report = await admin.wait_for("Помилка в боті")
        assert "callback_query" in content(report) and "Internal Server Error" in content(report)
        assert str(olena.id) not in content(report)
        async with service.storage.engine.connect() as conn:
            queued = await conn.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.kind == ERROR_REPORT)
            )
        assert queued == 1  # the same error again within 10 minutes is not reported
    finally:
        await service.stop()
