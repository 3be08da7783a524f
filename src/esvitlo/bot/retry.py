"""Interactive replies survive a short flood wait: one retry after Telegram's retry_after."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response

if TYPE_CHECKING:
    from aiogram import Bot

logger = logging.getLogger(__name__)


class RetryAfterOnce(BaseRequestMiddleware):
    """On 429 with a short ``retry_after`` (at most ``max_wait`` s), wait and try once more.

    A user pressing buttons quickly can trip the per-chat limit; waiting a second is better
    than an error. Longer waits are left to the caller (the delivery pipeline owns those).
    """

    def __init__(self, max_wait: float = 5.0) -> None:
        self._max_wait = max_wait

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Response[Any]:
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as exc:
            if exc.retry_after > self._max_wait:
                raise
            logger.info(
                "bot.flood_wait method=%s seconds=%s", type(method).__name__, exc.retry_after
            )
            await asyncio.sleep(exc.retry_after)
            return await make_request(bot, method)
