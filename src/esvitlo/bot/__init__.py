"""The Telegram bot: aiogram routers, keyboards, callback data and middlewares (thin).

:func:`get_routers` composes the feature routers in order; :func:`build_dispatcher` wires
the middlewares and the dependencies every handler receives.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import BotCommand, ErrorEvent

from esvitlo.bot.deps import BotServices
from esvitlo.bot.middlewares import (
    CallbackAnswers,
    LanguageCache,
    LanguageMiddleware,
    PauseMiddleware,
)
from esvitlo.bot.routers import (
    address_lookup,
    addresses,
    admin,
    calendar,
    channel_captions,
    channels,
    fallback,
    feedback,
    group_chats,
    menu,
    power,
    power_setup,
    schedule,
    settings,
    start,
)
from esvitlo.domain.texts import bot_texts_for

logger = logging.getLogger(__name__)


def get_routers() -> list[Router]:
    """Feature routers in the order they are tried; the fallback comes last."""
    features = (
        schedule, addresses, settings, channels, channel_captions, power_setup, power, calendar,
    )  # fmt: skip
    modules = (group_chats, start, address_lookup, admin, menu, feedback, *features, fallback)
    return [module.router.build() for module in modules]


async def _on_error(event: ErrorEvent, svc: BotServices | None = None, **_: Any) -> bool:
    """Log a handler error with its context, tell the user something went wrong, and report
    it to the admins (rate-limited; no user data in the report)."""
    update = event.update
    user = update.event.from_user if update.event and hasattr(update.event, "from_user") else None
    logger.error(
        "bot.handler_failed update=%s type=%s user=%s error=%r",
        update.update_id,
        update.event_type,
        getattr(user, "id", None),
        event.exception,
        exc_info=event.exception,
    )
    if svc is not None:
        await _report(svc, event)
    ui = bot_texts_for(getattr(user, "language_code", None))
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(ui.error, show_alert=True)
        elif update.message is not None and update.message.chat.type == "private":
            await update.message.answer(ui.error)
    except Exception:  # the apology itself failed (blocked, network): already logged above
        logger.warning("bot.apology_failed update=%s", update.update_id)
    return True


async def _report(svc: BotServices, event: ErrorEvent) -> None:
    """Queue an error report for the admins; a failure to queue it is only logged."""
    error = event.exception
    where = event.update.event_type
    try:
        await svc.admin.report_error(
            where, f"{type(error).__name__}: {error}"[:300], str(event.update.update_id),
            svc.clock.now(),
        )  # fmt: skip
    except Exception:
        logger.warning("bot.error_report_failed update=%s", event.update.update_id)


def build_dispatcher(svc: BotServices, storage: BaseStorage) -> Dispatcher:
    """A Dispatcher with every router, middleware and dependency in place."""
    languages = LanguageCache(svc.accounts)
    pause_gate = PauseMiddleware(svc.admin)
    dp = Dispatcher(storage=storage, svc=svc, languages=languages, pause_gate=pause_gate)
    for observer in (dp.message, dp.callback_query, dp.my_chat_member):
        observer.outer_middleware(LanguageMiddleware(languages))
    dp.message.outer_middleware(pause_gate)
    dp.callback_query.outer_middleware(pause_gate)
    dp.callback_query.middleware(CallbackAnswers())
    dp.include_routers(*get_routers())
    dp.errors.register(_on_error)
    return dp


async def set_commands(bot: Bot) -> None:
    """Publish the command menu in Ukrainian (default) and English."""
    for lang in ("uk", "en"):
        ui = bot_texts_for(lang)
        commands = [
            BotCommand(command="start", description=ui.cmd_start),
            BotCommand(command="schedule", description=ui.cmd_schedule),
            BotCommand(command="timer", description=ui.cmd_timer),
            BotCommand(command="settings", description=ui.cmd_settings),
            BotCommand(command="help", description=ui.cmd_help),
        ]
        await bot.set_my_commands(commands, language_code=None if lang == "uk" else lang)
