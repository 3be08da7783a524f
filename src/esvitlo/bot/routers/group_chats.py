"""Groups and supergroups: the bot's personal features live in private chats only.

A command meant for the bot in a group gets a short note with a button that opens the
private chat; nothing personal (addresses, labels, schedules of someone's queue) is ever
shown there. Other group messages and buttons are left alone. This router comes first.

Two things are done in the group itself, both answered with nothing personal: ``/here``,
sent by the administrator who connected the group, picks the forum topic schedule posts go
to (sent in the General topic, or in a group without topics: no topic); and a group that
becomes a supergroup is followed to its new chat id.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot.deps import BotServices
from esvitlo.bot.group_admins import is_group_admin
from esvitlo.bot.registry import RouterSpec
from esvitlo.domain.texts import BotTexts

GROUPS = {"group", "supergroup"}

logger = logging.getLogger(__name__)
router = RouterSpec("group_chats")
router.filter("message", F.chat.type.in_(GROUPS))
router.filter("callback_query", F.message.chat.type.in_(GROUPS))


def addressed_to(text: str, username: str | None) -> bool:
    """Whether ``text`` is a command for this bot: ``/cmd`` or ``/cmd@this_bot``."""
    if not text.startswith("/"):
        return False
    _, _, mention = text.split(maxsplit=1)[0].partition("@")
    return not mention or (username is not None and mention.casefold() == username.casefold())


@router.message(F.migrate_to_chat_id)
async def group_migrated(message: Message, svc: BotServices) -> None:
    """The group became a supergroup: its posts follow it to the new chat id."""
    new_id = message.migrate_to_chat_id
    assert new_id is not None
    if await svc.channels.follow_migration(message.chat.id, new_id):
        logger.info("group.migrated chat=%s new_chat=%s", message.chat.id, new_id)


@router.message(Command("here"))
async def here(message: Message, bot: Bot, svc: BotServices, ui: BotTexts) -> None:
    """The connecting administrator picks this topic (or General) for schedule posts."""
    sender = message.from_user
    chat_id = message.chat.id
    if not await svc.channels.is_known(chat_id):
        await message.reply(ui.group_here_unlinked)
        return
    if sender is None or not await is_group_admin(bot, chat_id, sender.id):
        await message.reply(ui.group_here_refused)
        return
    thread = message.message_thread_id if message.is_topic_message else None
    if await svc.channels.set_thread(sender.id, chat_id, thread) is None:
        await message.reply(ui.group_here_refused)
        return
    logger.info("group.topic_set chat=%s thread=%s", chat_id, thread)
    await message.reply(ui.group_here_topic if thread is not None else ui.group_here_general)


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
