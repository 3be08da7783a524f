"""Groups and supergroups: the bot's personal features live in private chats only.

A command meant for the bot in a group gets a short note with a button that opens the
private chat; nothing personal (addresses, labels, schedules of someone's queue) is ever
shown there. Other group messages and buttons are left alone. This router comes first.
"""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot.registry import RouterSpec
from esvitlo.domain.texts import BotTexts

GROUPS = {"group", "supergroup"}

router = RouterSpec("group_chats")
router.filter("message", F.chat.type.in_(GROUPS))
router.filter("callback_query", F.message.chat.type.in_(GROUPS))


def addressed_to(text: str, username: str | None) -> bool:
    """Whether ``text`` is a command for this bot: ``/cmd`` or ``/cmd@this_bot``."""
    if not text.startswith("/"):
        return False
    _, _, mention = text.split(maxsplit=1)[0].partition("@")
    return not mention or (username is not None and mention.casefold() == username.casefold())


@router.message(F.text)
async def command_in_group(message: Message, bot: Bot, ui: BotTexts) -> None:
    """A command for the bot: point to the private chat, show nothing personal."""
    me = await bot.me()
    if not addressed_to(message.text or "", me.username):
        return
    markup = None
    if me.username:
        link = InlineKeyboardButton(text=ui.btn_open_private, url=f"https://t.me/{me.username}")
        markup = InlineKeyboardMarkup(inline_keyboard=[[link]])
    await message.reply(ui.group_private_only, reply_markup=markup)


@router.message()
async def other_group_message(message: Message) -> None:
    """Group talk is not for the bot: nothing is answered."""


@router.callback_query()
async def button_in_group(
    query: CallbackQuery, callback_answer: CallbackAnswer, ui: BotTexts
) -> None:
    """A button on a message in a group: point to the private chat."""
    callback_answer.text = ui.group_private_only
