"""What no other router took: blocked / unblocked, unknown text, stale buttons."""

from __future__ import annotations

from aiogram import F
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import keyboards
from esvitlo.bot.deps import BotServices
from esvitlo.bot.registry import RouterSpec
from esvitlo.domain.texts import BotTexts

router = RouterSpec("fallback")


@router.my_chat_member(F.chat.type == "private")
async def blocked_or_unblocked(update: ChatMemberUpdated, svc: BotServices) -> None:
    """A user who blocks the bot is marked inactive; unblocking makes them active again."""
    active = update.new_chat_member.status not in {"kicked", "left"}
    await svc.accounts.set_active(update.chat.id, active)


@router.message(F.chat.type == "private")
async def unknown_message(message: Message, ui: BotTexts) -> None:
    """Anything else in a private chat gets help, never silence."""
    await message.answer(f"{ui.unknown}\n\n{ui.help}", reply_markup=keyboards.back_to_menu(ui))


@router.callback_query()
async def stale_button(query: CallbackQuery, callback_answer: CallbackAnswer, ui: BotTexts) -> None:
    """A button from an old message, an older version of the bot, or data a client made up
    (callback data that fails to unpack, e.g. an id out of range, lands here)."""
    callback_answer.text = ui.expired
