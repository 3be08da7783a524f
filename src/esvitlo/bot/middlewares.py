"""Update middlewares: the user's language, pause mode, and errors turned into apologies."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.domain.admin_messages import pause_notice
from esvitlo.domain.texts import bot_texts_for, language_code, texts_for
from esvitlo.services.accounts import AccountService
from esvitlo.services.admin import AdminService

logger = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class LanguageCache:
    """Remembers each user's interface language so no update needs a database read."""

    def __init__(self, accounts: AccountService, size: int = 50_000) -> None:
        self._accounts = accounts
        self._size = size
        self._langs: OrderedDict[int, str] = OrderedDict()

    async def get(self, user: User) -> str:
        """The stored language, else Telegram's language of the user, else Ukrainian."""
        if user.id in self._langs:
            self._langs.move_to_end(user.id)
            return self._langs[user.id]
        stored = await self._accounts.user(user.id)
        lang = language_code(stored.language if stored else user.language_code)
        self.remember(user.id, lang)
        return lang

    def remember(self, telegram_id: int, lang: str) -> None:
        """Record a language (also after the user changes it)."""
        self._langs[telegram_id] = lang
        self._langs.move_to_end(telegram_id)
        while len(self._langs) > self._size:
            self._langs.popitem(last=False)

    def forget(self, telegram_id: int) -> None:
        """Drop a user's entry (after they deleted their data)."""
        self._langs.pop(telegram_id, None)


class LanguageMiddleware(BaseMiddleware):
    """Injects ``lang``, ``texts`` (schedule texts) and ``ui`` (bot texts) into handlers."""

    def __init__(self, cache: LanguageCache) -> None:
        self._cache = cache

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        lang = await self._cache.get(user) if user else "uk"
        data.update(lang=lang, texts=texts_for(lang), ui=bot_texts_for(lang))
        return await handler(event, data)


class PauseMiddleware(BaseMiddleware):
    """While the bot is paused, everyone but admins gets the pause message instead."""

    def __init__(self, admin: AdminService, cache_seconds: float = 15.0) -> None:
        self._admin = admin
        self._cache_seconds = cache_seconds
        self._checked = 0.0
        self._message: str | None = None

    async def _pause_message(self) -> str | None:
        if time.monotonic() - self._checked > self._cache_seconds:
            self._message = await self._admin.pause_message()
            self._checked = time.monotonic()
        return self._message

    def invalidate(self) -> None:
        """Re-read the flag on the next update (after an admin changed it)."""
        self._checked = 0.0

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None or self._admin.is_admin(user.id):
            return await handler(event, data)
        flag = await self._pause_message()
        if flag is None:
            return await handler(event, data)
        message = pause_notice(flag, data.get("ui") or bot_texts_for(user.language_code))
        if isinstance(event, Message) and event.chat.type == "private":
            await event.answer(message)
        elif isinstance(event, CallbackQuery):
            await event.answer(message[:200], show_alert=True)
        return None


class CallbackAnswers(BaseMiddleware):
    """Answers every callback query after its handler, with what the handler put into
    ``callback_answer``; a failing handler is left to the error handler, which answers
    with an apology (so a query is never answered twice)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        answer = data["callback_answer"] = CallbackAnswer(answered=False)
        result = await handler(event, data)
        if not answer.disabled and not answer.answered:
            await event.answer(text=answer.text, show_alert=answer.show_alert)
        return result
