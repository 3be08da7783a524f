"""ports.ChatInspector over an aiogram Bot: getChat and the bot's own getChatMember as facts.

Answers that describe the chat (not found, the bot shut out or outside it) become facts for
domain.channel_health; everything else (flood waits, server and network errors, a migrated
group) is raised as the ports.SendFailed the delivery pipeline already knows. Give it a Bot
without the retry-on-429 middleware, so that flood waits reach the send budget.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import ChatMemberAdministrator, ChatMemberRestricted

from esvitlo.adapters.telegram_sender import translate
from esvitlo.domain.channel_health import CHAT_NOT_FOUND, SHUT_OUT, BotMembership, ChatLookup
from esvitlo.ports import TemporaryFailure

NOT_FOUND_REASONS = ("chat not found", "peer_id_invalid", "channel_invalid")
"""Lower-case parts of 400 descriptions that mean the chat no longer exists for the bot."""
OUTSIDE_REASONS = ("member list is inaccessible", "user not found", "participant_id_invalid")
"""Lower-case parts of 400 descriptions of getChatMember that mean the bot is not inside."""


def _mentions(error: TelegramAPIError, reasons: tuple[str, ...]) -> bool:
    return any(reason in error.message.lower() for reason in reasons)


class TelegramChatInspector:
    """Looks chats up for the channel health check; one Bot API call per method."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def lookup_chat(self, chat_id: int) -> ChatLookup:
        """getChat: the chat's type, CHAT_NOT_FOUND, or SHUT_OUT after a 403."""
        try:
            chat = await self._bot.get_chat(chat_id)
        except TelegramForbiddenError:
            return SHUT_OUT
        except TelegramBadRequest as exc:
            if _mentions(exc, NOT_FOUND_REASONS):
                return CHAT_NOT_FOUND
            raise translate(exc) from exc
        except TelegramAPIError as exc:
            raise translate(exc) from exc
        except TimeoutError as exc:
            raise TemporaryFailure("timeout") from exc
        return ChatLookup(found=True, kind=chat.type)

    async def bot_membership(self, chat_id: int) -> BotMembership:
        """getChatMember for the bot itself; a chat that shuts it out counts as "left"."""
        try:
            member = await self._bot.get_chat_member(chat_id, self._bot.id)
        except TelegramForbiddenError:
            return BotMembership("left")
        except TelegramBadRequest as exc:
            if _mentions(exc, NOT_FOUND_REASONS + OUTSIDE_REASONS):
                return BotMembership("left")
            raise translate(exc) from exc
        except TelegramAPIError as exc:
            raise translate(exc) from exc
        except TimeoutError as exc:
            raise TemporaryFailure("timeout") from exc
        if isinstance(member, ChatMemberAdministrator):
            return BotMembership(member.status, can_post_messages=bool(member.can_post_messages))
        if isinstance(member, ChatMemberRestricted):
            return BotMembership(member.status, can_send_messages=member.can_send_messages)
        return BotMembership(member.status)
