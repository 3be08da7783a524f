"""ports.MessageSender over an aiogram Bot: the one place aiogram's errors become ours.

Texts go out as HTML with link previews off; photos are uploaded from PNG bytes or re-sent
by file_id, with an HTML caption. Give it a Bot of its own, without request middlewares
that retry on 429 (the bot's interactive session has one): the delivery pipeline must see
every flood wait so that it can pause the whole send budget.

Sending reads only the new message's id (and a photo's sizes) from Telegram's answer, so the
answer to a send is validated as a :class:`SentMessage`, not as a whole aiogram ``Message``
with its chat, sender, photo sizes, caption entities and buttons (~0.07 ms of the ~0.57 ms of
CPU an alert took). Its ``Response`` type is pinned here: pydantic keeps parameterized
generics only weakly, and rebuilt this one (~10 ms) after garbage collections, some fifty
times in 5,000 sends. The buttons of a send go out as the JSON aiogram would write for them
(:func:`keyboard_json`), made straight from ours, rather than as aiogram models that aiogram
then dumps field by field, each button with its dozen unset fields.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage, SendPhoto
from aiogram.methods.base import Response
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    LinkPreviewOptions,
    Message,
)
from aiogram.types.base import TelegramObject

from esvitlo.domain.buttons import NO_BUTTONS, Button, Keyboard
from esvitlo.ports import (
    ChatMigrated,
    MessageRejected,
    RecipientGone,
    RetryAfter,
    SendFailed,
    SentPhoto,
    TargetMessageGone,
    TemporaryFailure,
)

_T = TypeVar("_T")

GONE_REASONS = (
    "chat not found",
    "user not found",
    "need administrator rights",
    "not enough rights to send",
    "have no rights to send",
    "chat_write_forbidden",
    "bot is not a member",
    "peer_id_invalid",
)
"""Lower-case parts of 400 descriptions that mean the chat is out of reach for good."""

TARGET_GONE_REASONS = (
    "message to edit not found",
    "message to delete not found",
    "message can't be edited",
    "message can't be deleted",
    "message_id_invalid",
    "there is no media in the message to edit",
)
"""Lower-case parts of 400 descriptions that mean the message to change is gone."""
NOT_MODIFIED = "message is not modified"


class SentMessage(TelegramObject):
    """What a send reads of Telegram's answer: the message id, and a photo's sizes as plain
    JSON (only an upload's largest file_id is read). The other fields stay plain JSON too
    (aiogram's objects allow extra fields) and are never read."""

    message_id: int
    photo: list[dict[str, Any]] | None = None

    def largest_file_id(self) -> str | None:
        """The file_id of the photo's largest size, if this is a photo."""
        file_id = self.photo[-1].get("file_id") if self.photo else None
        return file_id if isinstance(file_id, str) else None


if TYPE_CHECKING:  # aiogram's arguments; the answer's type and the buttons' form differ
    _SendMessage = SendMessage
    _SendPhoto = SendPhoto
else:

    class _SendMessage(SendMessage):
        __returning__ = SentMessage
        reply_markup: str | None = None  # keyboard_json

    class _SendPhoto(SendPhoto):
        __returning__ = SentMessage
        reply_markup: str | None = None  # keyboard_json


_PINNED: tuple[Any, ...] = (Response[SentMessage], Response[Message])
"""Strong references to the answer types: see the module docstring."""


def translate(error: TelegramAPIError) -> SendFailed:
    """The SendFailed that says what to do about an aiogram error."""
    description = error.message
    if isinstance(error, TelegramRetryAfter):
        return RetryAfter(float(error.retry_after), description)
    if isinstance(error, TelegramMigrateToChat):
        return ChatMigrated(error.migrate_to_chat_id, description)
    if isinstance(error, TelegramForbiddenError):
        return RecipientGone(description)
    if isinstance(error, TelegramBadRequest):
        lowered = description.lower()
        if any(reason in lowered for reason in GONE_REASONS):
            return RecipientGone(description)
        if any(reason in lowered for reason in TARGET_GONE_REASONS):
            return TargetMessageGone(description)
        return MessageRejected(description)
    if isinstance(error, TelegramServerError | TelegramNetworkError):
        return TemporaryFailure(description)
    return TemporaryFailure(f"{type(error).__name__}: {description}")


class TelegramSender:
    """Sends and edits messages; raises only ports.SendFailed subclasses."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._no_preview = LinkPreviewOptions(is_disabled=True)

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        silent: bool = False,
        paid: bool = False,
        keyboard: Keyboard = NO_BUTTONS,
        thread_id: int | None = None,
    ) -> int:
        """Send ``text`` to ``chat_id``; the new message's id."""
        method = _SendMessage(
            chat_id=chat_id,
            text=text,
            parse_mode="HTML",
            link_preview_options=self._no_preview,
            disable_notification=True if silent else None,
            allow_paid_broadcast=True if paid else None,
            reply_markup=cast(Any, keyboard_json(keyboard)),
            message_thread_id=thread_id,
        )
        sent = cast(SentMessage, await _call(self._bot(method)))
        return sent.message_id

    async def send_photo(
        self,
        chat_id: int,
        photo: bytes | str,
        caption: str,
        *,
        silent: bool = False,
        paid: bool = False,
        keyboard: Keyboard = NO_BUTTONS,
        thread_id: int | None = None,
    ) -> SentPhoto:
        """Send a photo (PNG bytes are uploaded, a string is a file_id) with an HTML caption."""
        method = _SendPhoto(
            chat_id=chat_id,
            photo=_input(photo),
            caption=caption,
            parse_mode="HTML",
            disable_notification=True if silent else None,
            allow_paid_broadcast=True if paid else None,
            reply_markup=cast(Any, keyboard_json(keyboard)),
            message_thread_id=thread_id,
        )
        sent = cast(SentMessage, await _call(self._bot(method)))
        return _sent(sent, sent.message_id)

    async def edit_photo(
        self,
        chat_id: int,
        message_id: int,
        photo: bytes | str,
        caption: str,
        *,
        keyboard: Keyboard = NO_BUTTONS,
    ) -> SentPhoto:
        """Replace the picture, caption and buttons of a photo message; unchanged is no error."""
        media = InputMediaPhoto(media=_input(photo), caption=caption, parse_mode="HTML")
        try:
            edited = await _call(
                self._bot.edit_message_media(
                    media=media,
                    chat_id=chat_id,
                    message_id=message_id,
                    reply_markup=inline_keyboard(keyboard),
                )
            )
        except MessageRejected as exc:
            if NOT_MODIFIED in str(exc).lower():
                return SentPhoto(message_id, None)
            raise
        return _sent(edited, message_id)

    async def delete_message(self, chat_id: int, message_id: int) -> None:
        """Delete a message; TargetMessageGone when it is gone or may not be deleted."""
        await _call(self._bot.delete_message(chat_id, message_id))


def inline_keyboard(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """Telegram's inline keyboard for ``keyboard`` (None: no buttons)."""
    if not keyboard:
        return None
    rows = [
        [InlineKeyboardButton(text=b.text, url=b.url, callback_data=b.data) for b in row]
        for row in keyboard
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def keyboard_json(keyboard: Keyboard) -> str | None:
    """The ``reply_markup`` aiogram sends for :func:`inline_keyboard` (None: no buttons)."""
    if not keyboard:
        return None
    rows = [[_button_json(button) for button in row] for row in keyboard]
    return json.dumps({"inline_keyboard": rows})


def _button_json(button: Button) -> dict[str, str]:
    if button.url is not None:
        return {"text": button.text, "url": button.url}
    return {"text": button.text, "callback_data": button.data or ""}


def _input(photo: bytes | str) -> BufferedInputFile | str:
    return BufferedInputFile(photo, "schedule.png") if isinstance(photo, bytes) else photo


def _sent(message: Message | SentMessage | bool, message_id: int) -> SentPhoto:
    """The id and the largest size's file_id of a sent or edited photo message."""
    if isinstance(message, SentMessage):
        return SentPhoto(message.message_id, message.largest_file_id())
    if not isinstance(message, Message):
        return SentPhoto(message_id, None)
    file_id = message.photo[-1].file_id if message.photo else None
    return SentPhoto(message.message_id, file_id)


async def _call(request: Awaitable[_T]) -> _T:
    """Await a Bot API call, turning every failure into a SendFailed."""
    try:
        return await request
    except TelegramAPIError as exc:
        raise translate(exc) from exc
    except TimeoutError as exc:
        raise TemporaryFailure("timeout") from exc
