"""Typed callback data with short prefixes; every button carries its whole context."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class Nav(CallbackData, prefix="n"):
    """Go to a top-level screen: menu, schedule, timer, addresses, settings, channels, help."""

    to: str


class RegionPage(CallbackData, prefix="rp"):
    """Show a page of the region list."""

    page: int


class RegionPick(CallbackData, prefix="rg"):
    """A region was chosen in the wizard."""

    region: str


class QueuePage(CallbackData, prefix="qp"):
    """Show a page of a region's queues."""

    region: str
    page: int


class QueuePick(CallbackData, prefix="qu"):
    """A queue was chosen in the wizard."""

    region: str
    queue: str


class Confirm(CallbackData, prefix="cf"):
    """Subscribe to this (region, queue)."""

    region: str
    queue: str


class Address(CallbackData, prefix="ad"):
    """An action on one of the user's addresses."""

    action: str  # schedule, timer, rename, remove, remove_yes
    sub: int


class Toggle(CallbackData, prefix="st"):
    """Flip a setting: changes, tomorrow, reminders, quiet, lang."""

    what: str


class Lead(CallbackData, prefix="ld"):
    """Flip one reminder lead time before an outage (off) or before restoration (on)."""

    edge: str
    minutes: int


class Forget(CallbackData, prefix="dd"):
    """Delete-my-data confirmation steps: 1 asks again, 2 deletes."""

    step: int


class ChannelAct(CallbackData, prefix="ch"):
    """An action on one of the user's channels: link, test, style, pause, resume, disconnect."""

    action: str
    chat: int
    sub: int = 0


class PowerAct(CallbackData, prefix="pw"):
    """An action on power monitors: add, for (address chosen), probe, beat (n: period in
    seconds, 0 asks), save (a silent probe), open, guide, stats, notify (n: 1 me, 2 channel,
    3 both), remove, remove_yes."""

    action: str
    mon: int = 0
    sub: int = 0
    n: int = 0
