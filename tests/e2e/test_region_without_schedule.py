"""A user in a region whose operator publishes no schedule we can read (Sumy): the bot says
so plainly wherever a schedule would be, shows no queue picker, and offers power detection at
home, which saves the address and opens the power set-up. Nothing polls the region."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from esvitlo.testing.chat_user import buttons, content

from bot_user import BotUser, calls_of, dump, settings_for, start_service

pytest_plugins = ("fake_bot",)

PLAINLY = "не публікує графік відключень, який ми можемо прочитати"


def _catalogue(feed, tmp_path) -> str:
    path = tmp_path / "regions-with-sumy.toml"
    path.write_text(
        '[[regions]]\nid = "kyiv"\nname_uk = "Київ"\nname_en = "Kyiv"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed.url("kyiv.json")}"\n'
        '[[regions]]\nid = "sumy"\nname_uk = "Сумська область"\nname_en = "Sumy region"\n',
        encoding="utf-8",
    )
    return str(path)


async def test_a_user_in_sumy_is_told_plainly_and_offered_power_detection(
    fake, feed, database_url, tmp_path
):
    regions = _catalogue(feed, tmp_path)
    settings = settings_for(fake, feed, database_url, tmp_path, ESVITLO_REGIONS_FILE=regions)
    service = await start_service(settings)
    mykola = BotUser(fake)
    try:
        # choosing the region: said plainly, no queues to pick, power detection offered
        await mykola.send("/start", "Оберіть ваш регіон")
        told = await mykola.press("Сумська область", PLAINLY)
        assert "вигадувати їх ми не будемо" in content(told)
        assert "визначення світла вдома" in content(told)
        assert [t for t, _ in buttons(told)] == ["💡 Визначати світло вдома", "⬅️ Назад"], dump(
            [told]
        )

        await mykola.press("Назад", "Оберіть ваш регіон", told)
        await mykola.press("Сумська область", PLAINLY)

        # the button saves the address and opens the power set-up for it
        kinds = await mykola.press("Визначати світло вдома", "Як дізнаватися про світло")
        assert "Адресу <b>Дім</b> збережено: Сумська область, без графіка" in (kinds.source or "")
        assert {"🌐 Перевіряти адресу", "📡 Сигнал від пристрою"} <= {t for t, _ in buttons(kinds)}
        user = await service.storage.users.get_by_telegram_id(mykola.id)
        assert user is not None
        (sub,) = await service.storage.subscriptions.list_for_user(user.id)
        assert (sub.region, sub.queue, sub.label) == ("sumy", "", "Дім")

        # the menu names the address without a queue; schedule and timer say it plainly
        menu = await mykola.send("/menu", "Головне меню")
        assert "Сумська область, без графіка" in content(menu)
        for screen in ("Графік", "Таймер"):
            shown = await mykola.press(screen, PLAINLY, menu)
            assert buttons(shown)[0][0] == "💡 Визначати світло вдома", dump([shown])
            menu = await mykola.press("Меню", "Головне меню", shown)
        shown = await mykola.send("/schedule", PLAINLY)
        again = await mykola.press("Визначати світло вдома", "Як дізнаватися про світло", shown)
        assert "збережено" not in content(again)  # the same address, not a second one
        assert len(await service.storage.subscriptions.list_for_user(user.id)) == 1

        # a link naming a queue of the region gets the same answer, and subscribes nothing
        await mykola.send("/start sumy_1-1", PLAINLY)
        assert len(await service.storage.subscriptions.list_for_user(user.id)) == 1

        # a channel linked to the address is told it gets power posts only, and gets no post
        channel = fake.create_chat("channel", "Світло Суми", owner_id=mykola.id, bot_status="left")
        fake.set_bot_member(
            channel.id, "administrator", can_post_messages=True, by_user_id=mykola.id
        )
        found = await mykola.wait_for("Мене додано в канал «Світло Суми»")
        linked = await mykola.press("Дім", "підключено", found)
        assert "немає графіка, який ми можемо прочитати" in content(linked)
        assert "зʼявиться" not in content(linked)
        await mykola.press("Тестовий пост", "пости про світло")
        assert fake.messages_to(channel.id) == []

        # no picture, no invented schedule; the region was never fetched
        assert not calls_of(fake, "sendPhoto")
        assert set(service.watch.stats) == {"kyiv"}
        assert "sumy" not in str(feed.hits)
    finally:
        await service.stop()


async def test_made_up_buttons_never_store_a_queue_that_is_not_there(
    fake, feed, database_url, tmp_path, bot
):
    regions = _catalogue(feed, tmp_path)
    settings = settings_for(fake, feed, database_url, tmp_path, ESVITLO_REGIONS_FILE=regions)
    service = await start_service(settings)
    user = BotUser(fake)

    async def press(data: str) -> str:
        button = InlineKeyboardButton(text="forged", callback_data=data)
        markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
        forged = await bot.send_message(user.id, data, reply_markup=markup)
        before = len(fake.calls("answerCallbackQuery"))
        fake.press_button(user.id, forged.message_id, data)
        await fake.wait_until(lambda: not fake.unanswered_callbacks(), within=10)
        [answer] = [c.params for c in fake.calls("answerCallbackQuery")[before:]]
        return str(answer.get("text"))

    try:
        await user.send("/start", "Оберіть ваш регіон")
        # a region with a schedule is never followed without a queue
        assert "застаріла" in await press("cf:kyiv:")
        stored = await service.storage.users.get_by_telegram_id(user.id)
        assert stored is None or not await service.storage.subscriptions.list_for_user(stored.id)
        # a queue named for a region without a schedule: the plain answer, then no queue kept
        await press("qu:sumy:3.1")
        assert PLAINLY in content(user.last())
        await press("cf:sumy:3.1")
        assert "Як дізнаватися про світло" in content(user.last())
        stored = await service.storage.users.get_by_telegram_id(user.id)
        assert stored is not None
        [sub] = await service.storage.subscriptions.list_for_user(stored.id)
        assert (sub.region, sub.queue) == ("sumy", "")
    finally:
        await service.stop()
