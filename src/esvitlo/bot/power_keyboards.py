"""Inline keyboards of the power-at-home screens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from aiogram.types import InlineKeyboardMarkup

from esvitlo.bot.callbacks import Nav, PowerAct, RegionPage
from esvitlo.bot.keyboards import button, markup
from esvitlo.domain.accounts import Subscription
from esvitlo.domain.monitors import Monitor, MonitorKind
from esvitlo.domain.power_screens import monitor_button, period_text
from esvitlo.domain.texts import BotTexts, PowerTexts
from esvitlo.services.monitors import BEAT_PERIODS


def monitors(
    ui: BotTexts, t: PowerTexts, items: Sequence[tuple[str, Monitor]], can_add: bool
) -> InlineKeyboardMarkup:
    """One button per monitor, Add, Menu."""
    rows = [
        [button(monitor_button(label, m, t), PowerAct(action="open", mon=m.id))]
        for label, m in items
    ]
    if can_add:
        rows.append([button(t.btn_add, PowerAct(action="add"))])
    rows.append([button(ui.btn_menu, Nav(to="menu"))])
    return markup(rows)


def add_address(ui: BotTexts) -> InlineKeyboardMarkup:
    """Add an address first, or go back to the menu."""
    return markup(
        [[button(ui.btn_add_address, RegionPage(page=0))], [button(ui.btn_menu, Nav(to="menu"))]]
    )


def back_to_power(ui: BotTexts) -> InlineKeyboardMarkup:
    """A single Back button to the monitor list."""
    return markup([[button(ui.btn_back, Nav(to="power"))]])


def pick_address(ui: BotTexts, subs: Sequence[Subscription]) -> InlineKeyboardMarkup:
    """Which address the new monitor is for."""
    rows = [[button(s.label, PowerAct(action="for", sub=s.id))] for s in subs]
    rows.append([button(ui.btn_back, Nav(to="power"))])
    return markup(rows)


def pick_kind(ui: BotTexts, t: PowerTexts, sub_id: int) -> InlineKeyboardMarkup:
    """Probe an address, or heartbeats from a device."""
    return markup(
        [
            [button(t.btn_probe, PowerAct(action="probe", sub=sub_id))],
            [button(t.btn_heartbeat, PowerAct(action="beat", sub=sub_id))],
            [button(ui.btn_back, Nav(to="power"))],
        ]
    )


def typing_target(ui: BotTexts, t: PowerTexts, sub_id: int) -> InlineKeyboardMarkup:
    """While an address is awaited: a heartbeat instead, or cancel."""
    return markup(
        [
            [button(t.btn_heartbeat, PowerAct(action="beat", sub=sub_id))],
            [button(ui.btn_cancel, Nav(to="power"))],
        ]
    )


def save_anyway(ui: BotTexts, t: PowerTexts, sub_id: int) -> InlineKeyboardMarkup:
    """Keep a probe monitor that did not answer, switch to a heartbeat, or cancel."""
    return markup(
        [
            [button(t.btn_save_anyway, PowerAct(action="save", sub=sub_id))],
            [button(t.btn_heartbeat, PowerAct(action="beat", sub=sub_id))],
            [button(ui.btn_cancel, Nav(to="power"))],
        ]
    )


def periods(ui: BotTexts, t: PowerTexts, sub_id: int) -> InlineKeyboardMarkup:
    """How often the device calls: 30 s, 1 min, 5 min."""
    row = [
        button(period_text(timedelta(seconds=n), t), PowerAct(action="beat", sub=sub_id, n=n))
        for n in BEAT_PERIODS
    ]
    return markup([row, [button(ui.btn_back, PowerAct(action="for", sub=sub_id))]])


def monitor_actions(ui: BotTexts, t: PowerTexts, monitor: Monitor) -> InlineKeyboardMarkup:
    """Statistics, a new link (heartbeats), who is told, remove, back."""
    current = (
        3 if monitor.notify_user and monitor.notify_channel else 2 if monitor.notify_channel else 1
    )
    choices = ((1, t.btn_notify_me), (2, t.btn_notify_channel), (3, t.btn_notify_both))
    notify = [
        button(
            f"{'✅ ' if n == current else ''}{label}",
            PowerAct(action="notify", mon=monitor.id, n=n),
        )
        for n, label in choices
    ]
    rows = [[button(t.btn_stats, PowerAct(action="stats", mon=monitor.id))]]
    if monitor.kind is MonitorKind.HEARTBEAT:
        rows.append([button(t.btn_new_link, PowerAct(action="relink", mon=monitor.id))])
    rows += [
        notify,
        [button(t.btn_remove, PowerAct(action="remove", mon=monitor.id))],
        [button(ui.btn_back, Nav(to="power"))],
    ]
    return markup(rows)


def back_to_monitor(ui: BotTexts, monitor_id: int) -> InlineKeyboardMarkup:
    """Back to one monitor's screen."""
    return markup([[button(ui.btn_back, PowerAct(action="open", mon=monitor_id))]])


def confirm_new_link(ui: BotTexts, t: PowerTexts, monitor_id: int) -> InlineKeyboardMarkup:
    """Yes, a new link / Back."""
    return markup(
        [
            [button(t.btn_yes_new_link, PowerAct(action="relink_yes", mon=monitor_id))],
            [button(ui.btn_back, PowerAct(action="open", mon=monitor_id))],
        ]
    )


def confirm_remove(ui: BotTexts, t: PowerTexts, monitor_id: int) -> InlineKeyboardMarkup:
    """Yes, remove / Back."""
    return markup(
        [
            [button(t.btn_yes_remove, PowerAct(action="remove_yes", mon=monitor_id))],
            [button(ui.btn_back, PowerAct(action="open", mon=monitor_id))],
        ]
    )
