"""Channels and groups: the bot made admin of a channel or added to a group by one of its
administrators, linking it to an address, test post, post and caption style, pause, resume,
disconnect, and telling the owner once when the bot loses its rights.

Everything about a group is said to its owner in the private chat; only group administrators
may connect a group (checked with getChatMember when it is added and when it is linked).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    ChatMemberAdministrator,
    ChatMemberRestricted,
    ChatMemberUnion,
    ChatMemberUpdated,
    InlineKeyboardMarkup,
)
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import ChannelAct, Nav
from esvitlo.bot.deps import BotServices
from esvitlo.bot.group_admins import is_group_admin
from esvitlo.bot.no_schedule import lacks_schedule
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show
from esvitlo.domain.accounts import Channel, ChannelStatus, ChatKind
from esvitlo.domain.texts import BotTexts, bot_texts_for
from esvitlo.services.channels import OwnedChannel
from esvitlo.services.current_posts import PostQueued

router = RouterSpec("channels")
logger = logging.getLogger(__name__)


def _can_post(update: ChatMemberUpdated) -> bool:
    member = update.new_chat_member
    return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)


@router.my_chat_member(F.chat.type == "channel")
async def membership_changed(update: ChatMemberUpdated, bot: Bot, svc: BotServices) -> None:
    """The bot's rights in a channel changed: offer to connect it, or stop publishing."""
    chat, title = update.chat, escape(update.chat.title or str(update.chat.id))
    if _can_post(update):
        owner = await svc.channels.bot_added(chat.id, update.chat.title or "", update.from_user.id)
        if owner is None:
            return
        ui = bot_texts_for(owner.language)
        subs = await svc.accounts.addresses(owner.telegram_id)
        markup = keyboards.pick_channel_address(ui, chat.id, subs) if subs else None
        text = ui.channel_found.format(title=title) if subs else ui.menu_no_addresses
        await _tell(bot, owner.telegram_id, text, markup)
        return
    if update.new_chat_member.status == "administrator":
        owner = await svc.accounts.user(update.from_user.id)
        if owner is not None:
            text = bot_texts_for(owner.language).channel_no_rights.format(title=title)
            await _tell(bot, owner.telegram_id, text, None)
    await _lost(bot, svc, chat.id)


GROUP_KINDS = {"group": ChatKind.GROUP, "supergroup": ChatKind.SUPERGROUP}
OUTSIDE = ("left", "kicked")


def _can_write(member: ChatMemberUnion) -> bool:
    """Whether the bot may send messages in a group as this member."""
    if isinstance(member, ChatMemberRestricted):
        return member.is_member and member.can_send_messages
    return member.status not in OUTSIDE


@router.my_chat_member(F.chat.type.in_(GROUP_KINDS))
async def group_membership_changed(update: ChatMemberUpdated, bot: Bot, svc: BotServices) -> None:
    """The bot joined a group (asked privately which address to publish, if an administrator
    of ours added it) or may no longer write there (publishing stops, the owner is told)."""
    chat, title = update.chat, escape(update.chat.title or str(update.chat.id))
    if not _can_write(update.new_chat_member):
        await _lost(bot, svc, chat.id)
        return
    if update.old_chat_member.status not in OUTSIDE:
        return  # promoted, demoted or given rights while inside: nothing to set up
    adder = await svc.accounts.user(update.from_user.id)
    if adder is None:
        return
    ui = bot_texts_for(adder.language)
    if not await is_group_admin(bot, chat.id, adder.telegram_id):
        await _tell(bot, adder.telegram_id, ui.group_not_admin.format(title=title), None)
        return
    kind = GROUP_KINDS[chat.type]
    await svc.channels.bot_added(chat.id, chat.title or "", adder.telegram_id, kind)
    subs = await svc.accounts.addresses(adder.telegram_id)
    markup = keyboards.pick_channel_address(ui, chat.id, subs) if subs else None
    text = ui.group_found.format(title=title) if subs else ui.menu_no_addresses
    await _tell(bot, adder.telegram_id, text, markup)


async def _lost(bot: Bot, svc: BotServices, chat_id: int) -> None:
    lost = await svc.channels.bot_lost(chat_id)
    if lost is not None:
        channel, owner = lost
        ui = bot_texts_for(owner.language)
        await _tell(
            bot, owner.telegram_id, ui.channel_lost.format(title=escape(channel.title)), None
        )


async def _tell(bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """A direct message to a channel owner; a blocked owner is logged, not raised."""
    try:
        await bot.send_message(chat_id, text, reply_markup=markup)
    except (TelegramForbiddenError, TelegramBadRequest) as exc:
        logger.info("bot.owner_unreachable chat=%s error=%s", chat_id, exc.message)


def _line(ui: BotTexts, owned: OwnedChannel) -> str:
    marks = {
        ChannelStatus.ACTIVE: ui.channel_active,
        ChannelStatus.PAUSED: ui.channel_paused_mark,
        ChannelStatus.LOST: ui.channel_lost_mark,
        ChannelStatus.PENDING: ui.channel_pending_mark,
    }
    label = escape(owned.subscription.label) if owned.subscription else "—"
    return ui.channel_line.format(
        mark=marks[owned.channel.status], title=escape(owned.channel.title), label=label
    )


async def _list(
    query: CallbackQuery, svc: BotServices, ui: BotTexts, prefix: str | None = None
) -> None:
    owned = await svc.channels.list(query.from_user.id)
    lines = [prefix, ""] if prefix else []
    lines.append(ui.channels_title)
    rows = []
    for item in owned:
        lines.append(_line(ui, item))
        rows.append(keyboards.channel_actions(ui, item.channel.chat_id, item.channel.status))
        rows.append(keyboards.channel_style(ui, item.channel))
        rows.append(keyboards.channel_caption(ui, item.channel))
        if svc.weekly_posts is not None:
            on = await svc.weekly_posts.is_on(item.channel.chat_id)
            rows.append(keyboards.channel_weekly(ui, item.channel.chat_id, on))
    if not owned:
        lines.append(ui.channels_none)
    me = await query.bot.me() if query.bot is not None else None
    if me is not None and me.username:
        rows.append([keyboards.add_to_channel(ui, me.username)])
        rows.append([keyboards.add_to_group(ui, me.username)])
    rows.append([keyboards.button(ui.btn_menu, Nav(to="menu"))])
    await show(query, "\n".join(lines), keyboards.markup(rows))


@router.callback_query(Nav.filter(F.to == "channels"))
async def channels(query: CallbackQuery, state: FSMContext, svc: BotServices, ui: BotTexts) -> None:
    """Menu -> Channels (also leaves a caption template being typed)."""
    await state.clear()
    await _list(query, svc, ui)


@router.callback_query(ChannelAct.filter(F.action == "link"))
async def link(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    bot: Bot,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """The owner chose which address the channel (or group: only while they administer it)
    publishes: its current schedule goes out."""
    owner, chat = query.from_user.id, callback_data.chat
    before = await svc.channels.owned(owner, chat)
    group = before is not None and before.channel.kind.is_group
    if before is not None and group and not await is_group_admin(bot, chat, owner):
        callback_answer.text = ui.group_not_admin.format(title=before.channel.title)
        return
    if not await svc.channels.link(owner, chat, callback_data.sub):
        callback_answer.text = ui.expired
        return
    owned = await svc.channels.owned(owner, chat)
    assert owned is not None and owned.subscription is not None
    done = ui.channel_linked.format(
        title=escape(owned.channel.title), label=escape(owned.subscription.label)
    )
    queued = await svc.current_posts.post(owner, chat, test=False)
    after = ui.channel_first_post if queued is PostQueued.QUEUED else _why_no_post(svc, ui, owned)
    if owned.channel.kind is ChatKind.SUPERGROUP and await _is_forum(bot, chat):
        after += "\n" + ui.group_topic_hint
    await _list(query, svc, ui, prefix=f"{done}\n{after}")


def _why_no_post(svc: BotServices, ui: BotTexts, owned: OwnedChannel) -> str:
    """No schedule to post: none right now, or none ever (a region without a schedule)."""
    sub = owned.subscription
    if sub is not None and lacks_schedule(svc.catalogue, sub.region):
        return ui.channel_region_no_schedule
    return ui.channel_no_schedule


async def _is_forum(bot: Bot, chat_id: int) -> bool:
    try:
        return bool((await bot.get_chat(chat_id)).is_forum)
    except (TelegramForbiddenError, TelegramBadRequest):
        return False


@router.callback_query(ChannelAct.filter(F.action == "test"))
async def test_post(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Queue a test post with the current schedule (a paused channel gets it too)."""
    owned = await svc.channels.owned(query.from_user.id, callback_data.chat)
    publishing = (ChannelStatus.ACTIVE, ChannelStatus.PAUSED)
    if owned is None or owned.subscription is None or owned.channel.status not in publishing:
        callback_answer.text = ui.expired
        return
    queued = await svc.current_posts.post(query.from_user.id, callback_data.chat, test=True)
    if queued is PostQueued.NO_SCHEDULE:
        await _list(query, svc, ui, prefix=_why_no_post(svc, ui, owned))
        return
    title = escape(owned.channel.title)
    await _list(query, svc, ui, prefix=ui.channel_test_sent.format(title=title))


@router.callback_query(ChannelAct.filter(F.action == "style"))
async def post_style(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Switch how new schedules reach the channel: new post, new post deleting the old, edit."""
    channel = await svc.channels.next_post_style(query.from_user.id, callback_data.chat)
    await _switched(query, callback_answer, svc, ui, channel, _post_style_set)


@router.callback_query(ChannelAct.filter(F.action == "caption"))
async def caption_style(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Switch between the full caption and the picture with a one-line title."""
    channel = await svc.channels.next_caption_style(query.from_user.id, callback_data.chat)
    await _switched(query, callback_answer, svc, ui, channel, _caption_style_set)


@router.callback_query(ChannelAct.filter(F.action == "buttons"))
async def post_buttons(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Switch the ⏰ timer and 📊 today links under the posts on or off."""
    channel = await svc.channels.toggle_post_buttons(query.from_user.id, callback_data.chat)
    await _switched(query, callback_answer, svc, ui, channel, _buttons_set)


@router.callback_query(ChannelAct.filter(F.action == "weekly"))
async def weekly_summary(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Switch the Monday plan-versus-fact post on or off (off by default)."""
    weekly = svc.weekly_posts
    switched = None
    if weekly is not None:
        switched = await weekly.toggle(query.from_user.id, callback_data.chat)
    if switched is None:
        callback_answer.text = ui.expired
        return
    owned, on = switched
    template = ui.channel_weekly_on if on else ui.channel_weekly_off
    await _list(query, svc, ui, prefix=template.format(title=escape(owned.channel.title)))


def _post_style_set(ui: BotTexts, channel: Channel) -> str:
    style = keyboards.post_style_label(ui, channel)
    return ui.channel_style_set.format(title=escape(channel.title), style=style)


def _caption_style_set(ui: BotTexts, channel: Channel) -> str:
    style = keyboards.caption_style_label(ui, channel)
    return ui.channel_caption_set.format(title=escape(channel.title), style=style)


def _buttons_set(ui: BotTexts, channel: Channel) -> str:
    template = ui.channel_buttons_on if channel.post_buttons else ui.channel_buttons_off
    return template.format(title=escape(channel.title))


async def _switched(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    svc: BotServices,
    ui: BotTexts,
    channel: Channel | None,
    say: Callable[[BotTexts, Channel], str],
) -> None:
    """The channel list headed by what a switch set, or "out of date" when the channel is
    not the caller's any more."""
    if channel is None:
        callback_answer.text = ui.expired
        return
    await _list(query, svc, ui, prefix=say(ui, channel))


@router.callback_query(ChannelAct.filter(F.action.in_({"pause", "resume"})))
async def pause(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Pause or resume publishing."""
    paused = callback_data.action == "pause"
    owned = await svc.channels.owned(query.from_user.id, callback_data.chat)
    if owned is None or not await svc.channels.set_paused(
        query.from_user.id, callback_data.chat, paused
    ):
        callback_answer.text = ui.expired
        return
    template = ui.channel_paused if paused else ui.channel_resumed
    await _list(query, svc, ui, prefix=template.format(title=escape(owned.channel.title)))


@router.callback_query(ChannelAct.filter(F.action == "disconnect"))
async def disconnect(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Forget the channel."""
    owned = await svc.channels.owned(query.from_user.id, callback_data.chat)
    if owned is None or not await svc.channels.disconnect(query.from_user.id, callback_data.chat):
        callback_answer.text = ui.expired
        return
    await _list(
        query, svc, ui, prefix=ui.channel_disconnected.format(title=escape(owned.channel.title))
    )
