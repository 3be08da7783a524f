"""The Telegram edge: aiogram's errors become the SendFailed the delivery pipeline acts on."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import SendPhoto

from esvitlo.adapters.telegram_sender import translate
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
