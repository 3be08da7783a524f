"""The Telegram edge: aiogram's errors become the SendFailed the delivery pipeline acts on."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import SendPhoto

from esvitlo.adapters.telegram_sender import inline_keyboard, keyboard_json, translate
from esvitlo.domain.buttons import Button, keyboard_from_json, keyboard_to_json
from esvitlo.ports import MessageRejected, RecipientGone, SendFailed, TargetMessageGone

METHOD = SendPhoto(chat_id=1, photo="x")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            TelegramForbiddenError(METHOD, "Forbidden: bot was kicked from the channel chat"),
            RecipientGone,
        ),
        (
            TelegramBadRequest(
                METHOD, "Bad Request: need administrator rights in the channel chat"
            ),
            RecipientGone,
        ),
        (TelegramBadRequest(METHOD, "Bad Request: chat not found"), RecipientGone),
        (TelegramBadRequest(METHOD, "Bad Request: message to edit not found"), TargetMessageGone),
        (TelegramBadRequest(METHOD, "Bad Request: message can't be edited"), TargetMessageGone),
        (TelegramBadRequest(METHOD, "Bad Request: message to delete not found"), TargetMessageGone),
        (TelegramBadRequest(METHOD, "Bad Request: message is not modified"), MessageRejected),
        (TelegramBadRequest(METHOD, "Bad Request: message caption is too long"), MessageRejected),
    ],
)
def test_translate(error: Exception, expected: type[SendFailed]) -> None:
    assert isinstance(error, TelegramBadRequest | TelegramForbiddenError)
    translated = translate(error)
    assert type(translated) is expected


def test_keyboards_go_through_json_unchanged_and_bad_ones_are_refused() -> None:
    keyboard = (
        (Button("⏰ Таймер", url="https://t.me/bot?start=t_kyiv_3-1"),),
        (Button("Налаштування", data="n:settings"), Button("x", data="y")),
    )
    assert keyboard_from_json(keyboard_to_json(keyboard)) == keyboard
    assert keyboard_from_json(None) == ()
    for bad in ("rows", [[{"url": "https://x"}]], [[{"text": "no target"}]], [3]):
        with pytest.raises(ValueError):
            keyboard_from_json(bad)
    with pytest.raises(ValueError):
        Button("both", url="https://x", data="y")


def test_a_keyboard_becomes_telegrams_inline_keyboard() -> None:
    assert inline_keyboard(()) is None
    markup = inline_keyboard(((Button("a", url="https://t.me/x"), Button("b", data="n:menu")),))
    assert markup is not None
    [[first, second]] = markup.inline_keyboard
    assert (first.text, first.url, first.callback_data) == ("a", "https://t.me/x", None)
    assert (second.text, second.url, second.callback_data) == ("b", None, "n:menu")


def test_the_buttons_of_a_send_are_the_json_aiogram_writes_for_its_own_models() -> None:
    keyboard = (
        (Button("⏱ Таймер", data="ad:timer:7"), Button("📅 Графік", data="ad:schedule:7")),
        (Button("Канал", url="https://t.me/x?start=a&b=<c>"),),
    )
    session = AiohttpSession()
    bot = Bot("42:TEST", session=session)
    written = session.prepare_value(inline_keyboard(keyboard), bot=bot, files={})
    assert keyboard_json(keyboard) == written
    assert keyboard_json(()) is None
