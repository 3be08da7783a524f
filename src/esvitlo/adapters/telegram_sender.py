"""ports.MessageSender over an aiogram Bot: the one place aiogram's errors become ours.

Give it a Bot of its own, without request middlewares that retry on 429 (the bot's
interactive session has one): the delivery pipeline must see every flood wait so that it
can pause the whole send budget.
"""

from __future__ import annotations

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
from aiogram.types import LinkPreviewOptions

from esvitlo.ports import (
    ChatMigrated,
    MessageRejected,
    RecipientGone,
    RetryAfter,
    SendFailed,
    TemporaryFailure,
)

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
        return MessageRejected(description)
    if isinstance(error, TelegramServerError | TelegramNetworkError):
        return TemporaryFailure(description)
    return TemporaryFailure(f"{type(error).__name__}: {description}")


class TelegramSender:
    """Sends HTML messages with link previews off; raises only ports.SendFailed subclasses."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._no_preview = LinkPreviewOptions(is_disabled=True)

    async def send_text(
        self, chat_id: int, text: str, *, silent: bool = False, paid: bool = False
    ) -> int:
        """Send ``text`` to ``chat_id``; the new message's id."""
        try:
            message = await self._bot.send_message(
                chat_id,
                text,
                parse_mode="HTML",
                link_preview_options=self._no_preview,
                disable_notification=True if silent else None,
                allow_paid_broadcast=True if paid else None,
            )
        except TelegramAPIError as exc:
            raise translate(exc) from exc
        except TimeoutError as exc:
            raise TemporaryFailure("timeout") from exc
        return message.message_id
