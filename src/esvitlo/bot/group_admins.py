"""Whether a person is an administrator of a group: only they may connect it or choose its
topic."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

logger = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({"creator", "administrator"})


async def is_group_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    """getChatMember says the user is the group's creator or an administrator (an error: no)."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramAPIError as exc:
        logger.info("group.admin_check_failed chat=%s user=%s error=%s", chat_id, user_id, exc)
        return False
    return member.status in ADMIN_STATUSES
