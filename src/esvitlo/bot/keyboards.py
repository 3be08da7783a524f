"""Inline keyboards for every screen, built as plain rows of buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from esvitlo.bot.callbacks import (
    Address,
    ChannelAct,
    Confirm,
    Forget,
    Lead,
    LeadMenu,
    Nav,
    QueuePage,
    QueuePick,
    QueueView,
    Quiet,
    RegionPage,
    RegionPick,
    Toggle,
)
from esvitlo.domain.accounts import (
    LEAD_TIMES,
    CaptionStyle,
    Channel,
    ChannelStatus,
    NotificationSettings,
    PostMode,
    Subscription,
)
from esvitlo.domain.catalogue import Region
from esvitlo.domain.texts import BotTexts
from esvitlo.domain.texts.feeds import feed_texts_for

REGIONS_PER_PAGE = 8
QUEUES_PER_PAGE = 24

Row = list[InlineKeyboardButton]


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    """One callback button."""
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def markup(rows: Sequence[Row]) -> InlineKeyboardMarkup:
    """A keyboard from rows, dropping empty ones."""
    return InlineKeyboardMarkup(inline_keyboard=[list(r) for r in rows if r])


def _chunks(buttons: Sequence[InlineKeyboardButton], size: int) -> list[Row]:
    return [list(buttons[i : i + size]) for i in range(0, len(buttons), size)]


def _pager(ui: BotTexts, page: int, pages: int, make: Callable[[int], CallbackData]) -> Row:
    row = []
    if page > 0:
        row.append(button(ui.btn_prev, make(page - 1)))
    if page < pages - 1:
        row.append(button(ui.btn_next, make(page + 1)))
    return row


def main_menu(ui: BotTexts) -> InlineKeyboardMarkup:
    """Schedule, timer, addresses, settings, channels, help, power at home, calendar."""
    return markup(
        [
            [button(ui.btn_schedule, Nav(to="schedule")), button(ui.btn_timer, Nav(to="timer"))],
            [
                button(ui.btn_addresses, Nav(to="addresses")),
                button(ui.btn_settings, Nav(to="settings")),
            ],
            [button(ui.btn_channels, Nav(to="channels")), button(ui.btn_help, Nav(to="help"))],
            [
                button(ui.btn_power, Nav(to="power")),
                button(feed_texts_for(ui.lang).button_calendar, Nav(to="calendar")),
            ],
        ]
    )


def back_to_menu(ui: BotTexts) -> InlineKeyboardMarkup:
    """A single Menu button."""
    return markup([[button(ui.btn_menu, Nav(to="menu"))]])


def help_actions(ui: BotTexts, *, feedback: bool) -> InlineKeyboardMarkup:
    """Write to us (when somebody reads it) and Menu."""
    write = [button(ui.btn_feedback, Nav(to="feedback"))] if feedback else []
    return markup([write, [button(ui.btn_menu, Nav(to="menu"))]])


def regions(
    ui: BotTexts, all_regions: Sequence[Region], lang: str, page: int
) -> InlineKeyboardMarkup:
    """A page of regions, two per row, with paging."""
    pages = max(1, -(-len(all_regions) // REGIONS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = all_regions[page * REGIONS_PER_PAGE : (page + 1) * REGIONS_PER_PAGE]
    rows = _chunks([button(r.name(lang), RegionPick(region=r.id)) for r in shown], 2)
    rows.append(_pager(ui, page, pages, lambda p: RegionPage(page=p)))
    return markup(rows)


def queues(
    ui: BotTexts, region: str, items: Sequence[tuple[str, str]], page: int
) -> InlineKeyboardMarkup:
    """A page of a region's queues, four per row, with paging and Back."""
    pages = max(1, -(-len(items) // QUEUES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = items[page * QUEUES_PER_PAGE : (page + 1) * QUEUES_PER_PAGE]
    rows = _chunks([button(title, QueuePick(region=region, queue=q)) for q, title in shown], 4)
    rows.append(_pager(ui, page, pages, lambda p: QueuePage(region=region, page=p)))
    rows.append([button(ui.btn_back, RegionPage(page=0))])
    return markup(rows)


def confirm(ui: BotTexts, region: str, queue: str) -> InlineKeyboardMarkup:
    """Confirm or go back to the queue list."""
    return markup(
        [
            [button(ui.btn_confirm, Confirm(region=region, queue=queue))],
            [button(ui.btn_back, QueuePage(region=region, page=0))],
        ]
    )


def queue_view(ui: BotTexts, region: str, queue: str, *, timer: bool) -> InlineKeyboardMarkup:
    """A queue seen without following it: subscribe, the schedule (or timer), and Menu."""
    other = QueueView(action="schedule" if timer else "timer", region=region, queue=queue)
    return markup(
        [
            [button(ui.btn_subscribe_queue, Confirm(region=region, queue=queue))],
            [button(ui.btn_schedule if timer else ui.btn_timer, other)],
            [button(ui.btn_menu, Nav(to="menu"))],
        ]
    )


def retry_queues(ui: BotTexts, region: str) -> InlineKeyboardMarkup:
    """Try loading the queues again, or go back."""
    return markup(
        [
            [button(ui.btn_retry, RegionPick(region=region))],
            [button(ui.btn_back, RegionPage(page=0))],
        ]
    )


def schedule_actions(
    ui: BotTexts, current: Subscription, others: Sequence[Subscription], timer: bool = False
) -> InlineKeyboardMarkup:
    """Timer (or schedule), switches to the user's other addresses, and Menu."""
    action = "schedule" if timer else "timer"
    first = ui.btn_schedule if timer else ui.btn_timer
    switch = [
        button(s.label, Address(action="timer" if timer else "schedule", sub=s.id)) for s in others
    ]
    return markup(
        [
            [button(first, Address(action=action, sub=current.id))],
            *_chunks(switch, 3),
            [button(ui.btn_menu, Nav(to="menu"))],
        ]
    )


def addresses(ui: BotTexts, subs: Sequence[Subscription], can_add: bool) -> InlineKeyboardMarkup:
    """Rename / remove per address, Add, Menu."""
    rows = [
        [
            button(ui.btn_rename.format(label=s.label), Address(action="rename", sub=s.id)),
            button(ui.btn_remove.format(label=s.label), Address(action="remove", sub=s.id)),
        ]
        for s in subs
    ]
    if can_add:
        rows.append([button(ui.btn_add_address, RegionPage(page=0))])
    rows.append([button(ui.btn_menu, Nav(to="menu"))])
    return markup(rows)


def confirm_remove(ui: BotTexts, sub: Subscription) -> InlineKeyboardMarkup:
    """Yes, remove / Back."""
    return markup(
        [
            [button(ui.btn_yes_remove, Address(action="remove_yes", sub=sub.id))],
            [button(ui.btn_back, Nav(to="addresses"))],
        ]
    )


def _crowd_label(ui: BotTexts, crowd: bool | None) -> str:
    """The crowd alerts' button: on, off, or the default (auto)."""
    if crowd is None:
        return ui.opt_crowd_auto
    return f"{ui.on_mark if crowd else ui.off_mark} {ui.opt_crowd}"


def settings(ui: BotTexts, prefs: NotificationSettings) -> InlineKeyboardMarkup:
    """Alert toggles, one row per kind of reminder, quiet hours, language, delete, Menu."""

    def mark(on: bool) -> str:
        return ui.on_mark if on else ui.off_mark

    return markup(
        [
            [button(f"{mark(prefs.schedule_changes)} {ui.opt_changes}", Toggle(what="changes"))],
            [button(f"{mark(prefs.tomorrow)} {ui.opt_tomorrow}", Toggle(what="tomorrow"))],
            [button(f"{mark(prefs.emergency)} {ui.opt_emergency}", Toggle(what="emergency"))],
            [button(f"{mark(prefs.reminders)} {ui.opt_reminders}", Toggle(what="reminders"))],
            [button(_crowd_label(ui, prefs.crowd), Toggle(what="crowd"))],
            [button(f"{mark(prefs.crowd_plan)} {ui.opt_crowd_plan}", Toggle(what="crowd_plan"))],
            [button(ui.btn_leads_off, LeadMenu(edge="off"))],
            [button(ui.btn_leads_on, LeadMenu(edge="on"))],
            [button(ui.btn_quiet, Quiet(step="ask"))],
            [button(ui.btn_language, Toggle(what="lang"))],
            [button(ui.btn_delete, Forget(step=1))],
            [button(ui.btn_menu, Nav(to="menu"))],
        ]
    )


def lead_times(ui: BotTexts, edge: str, chosen: Sequence[int]) -> InlineKeyboardMarkup:
    """Every lead time, marked when chosen, three to a row; Back to the settings."""
    choices = [
        button(
            f"{ui.on_mark if m in chosen else ui.off_mark} "
            + (ui.btn_lead_now if m == 0 else ui.minutes_short.format(n=m)),
            Lead(edge=edge, minutes=m),
        )
        for m in LEAD_TIMES
    ]
    return markup([*_chunks(choices, 3), [button(ui.btn_back, Nav(to="settings"))]])


def quiet_hours(ui: BotTexts, *, start: int | None, on: bool) -> InlineKeyboardMarkup:
    """Hours to start the quiet hours at (``start`` None), or to end them at; Off and Back."""
    hours = [h for h in range(24) if h != start]
    choices = [
        button(
            f"{h:02d}:00",
            Quiet(step="start", start=h)
            if start is None
            else Quiet(step="end", start=start, end=h),
        )
        for h in hours
    ]
    off = [button(ui.btn_quiet_off, Quiet(step="off"))] if on else []
    return markup([*_chunks(choices, 6), off, [button(ui.btn_back, Nav(to="settings"))]])


def quiet_label(ui: BotTexts, prefs: NotificationSettings) -> str:
    """``22:00–07:00`` or the word for off."""
    if prefs.quiet_start is None or prefs.quiet_end is None:
        return ui.quiet_off
    return f"{prefs.quiet_start:%H:%M}–{prefs.quiet_end:%H:%M}"


def lead_label(ui: BotTexts, chosen: Sequence[int]) -> str:
    """``за 15 хв, за 30 хв`` / ``у момент`` / the word for none."""
    if not chosen:
        return ui.leads_none
    return ", ".join(ui.lead_now if m == 0 else ui.lead_before.format(n=m) for m in chosen)


def forget(ui: BotTexts, step: int) -> InlineKeyboardMarkup:
    """The two confirmation steps of deleting one's data."""
    yes = ui.btn_delete_yes if step == 1 else ui.btn_delete_final
    return markup(
        [[button(yes, Forget(step=step + 1))], [button(ui.btn_cancel, Nav(to="settings"))]]
    )


def pick_channel_address(
    ui: BotTexts, chat_id: int, subs: Sequence[Subscription]
) -> InlineKeyboardMarkup:
    """Which of the user's addresses a new channel publishes."""
    rows = [[button(s.label, ChannelAct(action="link", chat=chat_id, sub=s.id))] for s in subs]
    return markup(rows)


def channel_actions(ui: BotTexts, chat_id: int, status: ChannelStatus) -> Row:
    """Test post and pause or resume (a publishing channel), disconnect (any channel)."""
    row = []
    if status in (ChannelStatus.ACTIVE, ChannelStatus.PAUSED):
        row.append(button(ui.btn_test_post, ChannelAct(action="test", chat=chat_id)))
    if status is ChannelStatus.ACTIVE:
        row.append(button(ui.btn_pause, ChannelAct(action="pause", chat=chat_id)))
    elif status is ChannelStatus.PAUSED:
        row.append(button(ui.btn_resume, ChannelAct(action="resume", chat=chat_id)))
    row.append(button(ui.btn_disconnect, ChannelAct(action="disconnect", chat=chat_id)))
    return row


CHANNEL_RIGHTS = "post_messages+edit_messages+delete_messages"
"""The admin rights the bot asks for in a channel: post, edit (edit mode), delete (old posts)."""


def add_to_channel(ui: BotTexts, bot_username: str) -> InlineKeyboardButton:
    """Telegram's own "add this bot to a channel as admin" link, with the rights it needs."""
    url = f"https://t.me/{bot_username}?startchannel&admin={CHANNEL_RIGHTS}"
    return InlineKeyboardButton(text=ui.btn_add_to_channel, url=url)


def post_style_label(ui: BotTexts, channel: Channel) -> str:
    """The name of a channel's post style: new post, new post deleting the old, edit."""
    if channel.post_mode is PostMode.EDIT:
        return ui.btn_post_edit
    return ui.btn_post_new_delete if channel.delete_previous else ui.btn_post_new


def channel_style(ui: BotTexts, channel: Channel) -> Row:
    """The channel's post style; pressing it switches to the next one."""
    style = ChannelAct(action="style", chat=channel.chat_id)
    return [button(post_style_label(ui, channel), style)]


GROUP_RIGHTS = "delete_messages"
"""The admin right the bot asks for in a group: delete its old posts (posting needs none)."""


def add_to_group(ui: BotTexts, bot_username: str) -> InlineKeyboardButton:
    """Telegram's own "add this bot to a group" link."""
    url = f"https://t.me/{bot_username}?startgroup&admin={GROUP_RIGHTS}"
    return InlineKeyboardButton(text=ui.btn_add_to_group, url=url)


def caption_style_label(ui: BotTexts, channel: Channel) -> str:
    """The name of a channel's caption style: the full caption, or the picture only."""
    picture = channel.caption_style is CaptionStyle.PICTURE
    return ui.btn_caption_picture if picture else ui.btn_caption_full


def channel_caption(ui: BotTexts, channel: Channel) -> Row:
    """The caption style (pressed to switch it) and the caption template."""
    chat = channel.chat_id
    buttons_label = ui.btn_post_buttons_on if channel.post_buttons else ui.btn_post_buttons_off
    return [
        button(caption_style_label(ui, channel), ChannelAct(action="caption", chat=chat)),
        button(ui.btn_caption_template, ChannelAct(action="template", chat=chat)),
        button(buttons_label, ChannelAct(action="buttons", chat=chat)),
    ]


def channel_weekly(ui: BotTexts, chat_id: int, on: bool) -> Row:
    """The weekly plan-versus-fact post, on or off; pressing it switches."""
    label = ui.btn_weekly_on if on else ui.btn_weekly_off
    return [button(label, ChannelAct(action="weekly", chat=chat_id))]


def template_prompt(ui: BotTexts, chat_id: int) -> InlineKeyboardMarkup:
    """Back to the default caption, or back to the channels."""
    reset = ChannelAct(action="template_reset", chat=chat_id)
    back = Nav(to="channels")
    return markup([[button(ui.btn_template_reset, reset)], [button(ui.btn_back, back)]])
