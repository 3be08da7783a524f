"""Operators over the fake Bot API: a user writes to the admins and gets a reply, /system,
/user and /users for admins only, run-time settings changed by an admin and applied by every
subscriber, and a failing handler reported to the admins once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from esvitlo.adapters.sql.tables import outbox
from esvitlo.app import Service
from esvitlo.app.assembly import runtime_defaults
from esvitlo.domain.admin_messages import ERROR_REPORT
from esvitlo.domain.runtime_settings import RuntimeValues
from esvitlo.services.cluster_events import ClusterEvents
from esvitlo.services.runtime_settings import RuntimeSettings
from esvitlo.testing.chat_user import buttons, content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)


@pytest.fixture
async def operators(fake, feed, tmp_path) -> AsyncIterator[tuple[Service, BotUser, BotUser]]:
    """A running service whose admin is "Адмін", and a user "Олена"."""
    admin, olena = BotUser(fake, "Адмін"), BotUser(fake, "Олена")
    url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, url, tmp_path, ADMIN_IDS=str(admin.id)))
    try:
        yield service, admin, olena
    finally:
        await service.stop()


async def test_feedback_reaches_the_admins_and_their_reply_reaches_the_user(operators):
    _, admin, olena = operators
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


async def test_system_and_user_cards_are_for_admins_and_show_no_labels(operators):
    service, admin, olena = operators
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


async def test_a_failing_handler_is_reported_to_the_admins_once(operators, fake):
    service, admin, olena = operators
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


async def test_an_admin_changes_intervals_at_run_time_for_every_instance(operators):
    service, admin, olena = operators
    applied: list[RuntimeValues] = []  # a second instance: the same table, the same events
    other = RuntimeSettings(
        service.storage.app_flags,
        runtime_defaults(service.settings),
        service.clock,
        apply=applied.append,
        events=ClusterEvents(service.coordinator),
        resync=0,
    )
    await other.start()
    try:
        shown = await admin.send("/settings_show", "Налаштування під час роботи")
        assert "poll_interval = 3600 с (із середовища; межі: > 0)" in content(shown)
        await admin.send("/set poll_interval 120", "Збережено й застосовано")
        assert service.watch.interval == 120 and service.board.max_age == timedelta(minutes=3)
        assert applied[-1].poll_interval == 120
        await admin.send("/set probe_interval 20", "Збережено")
        await admin.send("/set reminder_interval 90", "Збережено")
        await admin.send("/set power_off_after 4", "Збережено")
        assert service.power.interval == 20 and service.reminders.interval == 90
        assert service.power.debounce.off_after == 4 and applied[-1].power_off_after == 4
        refused = await admin.send("/set power_off_after 99", "поза межами")
        assert "1…20" in content(refused) and "Нічого не змінено" in content(refused)
        await admin.send("/set probe_interval 0.5", "поза межами (≥ 1)")
        await admin.send("/set poll_interval soon", "не число")
        await admin.send("/set leader_ttl 5", "Невідоме налаштування")
        await admin.send("/set poll_interval", "Використання: /set")
        assert service.power.debounce.off_after == 4 and service.power.interval == 20
        shown = await admin.send("/settings_show", "Налаштування під час роботи")
        assert "power_off_after = 4 спостереження (задано адміністратором" in content(shown)
        await admin.send("/set poll_interval default", "знову із середовища: 3600")
        assert service.watch.interval == 3600 and applied[-1].poll_interval == 3600
        ignored = await olena.send("/set power_off_after 1", "Я не зрозумів")
        assert "Збережено" not in content(ignored)
        assert service.power.debounce.off_after == 4
    finally:
        await other.stop()


async def test_admins_list_the_newest_users_by_region_or_id_without_labels(fake, feed, tmp_path):
    admin, olena, petro = BotUser(fake, "Адмін"), BotUser(fake, "Олена"), BotUser(fake, "Петро")
    url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, url, tmp_path, ADMIN_IDS=str(admin.id)))
    try:
        await olena.send("/start kyiv_3-1", "Підписатися")
        await olena.press("Підтвердити", "Готово")
        await petro.send("/start kyiv_4-1", "Підписатися")
        await petro.press("Підтвердити", "Готово")
        everyone = await admin.send("/users", "Користувачі")
        lines = content(everyone).splitlines()
        assert "найновіші 2 з 2" in lines[0]
        assert lines[1].startswith(str(petro.id))  # the newest first
        olena_line = next(line for line in lines if line.startswith(str(olena.id)))
        assert "uk" in olena_line and "адрес: 1" in olena_line and "kyiv" in olena_line
        assert "Дім" not in content(everyone)  # the user's own labels stay theirs
        in_kyiv = await admin.send("/users kyiv", "Користувачі")
        assert str(olena.id) in content(in_kyiv) and str(petro.id) in content(in_kyiv)
        by_id = await admin.send(f"/users {petro.id}", "Користувачі")
        assert str(petro.id) in content(by_id) and str(olena.id) not in content(by_id)
        assert "найновіші 1 з 1" in content(by_id)
        await admin.send("/users dnipro", "не знайдено")
        refused = await olena.send("/users", "Я не зрозумів")
        assert str(petro.id) not in content(refused)
    finally:
        await service.stop()
