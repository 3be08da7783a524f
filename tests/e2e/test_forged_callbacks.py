"""Callback data a client made up (the Bot API passes any string along): ids too big for the
database, negative or not numbers at all get "this button is out of date", never the apology."""

from __future__ import annotations

import logging

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)

FORGED = [
    "pw:open:99999999999999999999:0:0",  # beyond 64 bits: the database cannot hold it
    "pw:stats:9223372036854775808:0:0",  # 2**63: one past the largest BIGINT
    "pw:for:0:18446744073709551616:0",
    "ad:schedule:99999999999999999999",
    "ch:test:-99999999999999999999:0",
    "pw:open:-1:0:0",
    "ad:rename:-7",
    "pw:open:abc:0:0",
    "dd:9",  # no such step (3 deletes everything)
]


async def test_forged_callback_data_gets_the_out_of_date_answer(
    fake, feed, database_url, tmp_path, caplog, bot
):
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        user = BotUser(fake)
        await user.send("/start", "Оберіть ваш регіон")
        await service.storage.users.get_or_create(user.id, "uk")  # ids are looked up for them
        answers: list[tuple[str, str]] = []
        with caplog.at_level(logging.ERROR):
            for data in FORGED:
                button = InlineKeyboardButton(text="forged", callback_data=data)
                markup = InlineKeyboardMarkup(inline_keyboard=[[button]])
                forged = await bot.send_message(user.id, data, reply_markup=markup)
                before = len(fake.calls("answerCallbackQuery"))
                fake.press_button(user.id, forged.message_id, data)
                await fake.wait_until(lambda: not fake.unanswered_callbacks(), within=10)
                [answer] = [c.params for c in fake.calls("answerCallbackQuery")[before:]]
                answers.append((data, str(answer.get("text"))))
        assert all("застаріла" in text for _, text in answers), answers
        assert not any("bot.handler_failed" in r.getMessage() for r in caplog.records)
        assert await service.storage.users.get_by_telegram_id(user.id) is not None  # "dd:9"
    finally:
        await service.stop()
