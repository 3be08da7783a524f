"""Typed callback data with short prefixes; every button carries its whole context.

Clients may send any callback data (the Bot API passes it along), so every number is
bounded here: data that does not fit fails to unpack, which aiogram's filter treats as
"not this button" and the fallback router answers "this button is out of date". No id the
database cannot hold (or no negative one) ever reaches a handler.
"""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

MAX_ID = 2**63 - 1
"""The largest id a BIGINT column holds."""

RowId = Annotated[int, Field(ge=0, le=MAX_ID)]
"""A database row id (0: none)."""
ChatId = Annotated[int, Field(ge=-MAX_ID - 1, le=MAX_ID)]
"""A Telegram chat id (negative for groups and channels)."""
Small = Annotated[int, Field(ge=0, le=100_000)]
"""A page number, minutes, seconds or a choice."""


class Nav(CallbackData, prefix="n"):
    """Go to a top-level screen: menu, schedule, timer, addresses, settings, channels, help."""

    to: str


class RegionPage(CallbackData, prefix="rp"):
    """Show a page of the region list."""

    page: Small


class RegionPick(CallbackData, prefix="rg"):
    """A region was chosen in the wizard."""

    region: str


class QueuePage(CallbackData, prefix="qp"):
    """Show a page of a region's queues."""

    region: str
    page: Small


class QueuePick(CallbackData, prefix="qu"):
    """A queue was chosen in the wizard."""

    region: str
    queue: str


class Confirm(CallbackData, prefix="cf"):
    """Subscribe to this (region, queue)."""

    region: str
    queue: str


class QueueView(CallbackData, prefix="qv"):
    """A queue's schedule or timer (``action``) for someone who may not follow it (opened by
    a channel post's link)."""

    action: str  # schedule, timer
    region: str
    queue: str


class Address(CallbackData, prefix="ad"):
    """An action on one of the user's addresses."""

    action: str  # schedule, timer, rename, remove, remove_yes
    sub: RowId


class Toggle(CallbackData, prefix="st"):
    """Flip a setting: changes, tomorrow (a schedule published), emergency, reminders, crowd,
    crowd_plan, lang."""

    what: str


class LeadMenu(CallbackData, prefix="lm"):
    """Show the lead times before an outage (off) or before restoration (on)."""

    edge: str


class Lead(CallbackData, prefix="ld"):
    """Flip one reminder lead time before an outage (off) or before restoration (on)."""

    edge: str
    minutes: Small


Hour = Annotated[int, Field(ge=0, le=23)]
"""An hour of the day."""


class Quiet(CallbackData, prefix="qh"):
    """Quiet hours: ``ask`` the start, ``start`` chosen (ask the end), ``end`` chosen (save
    ``start``–``end``), or ``off``."""

    step: str
    start: Hour = 0
    end: Hour = 0


class Forget(CallbackData, prefix="dd"):
    """Delete-my-data confirmation steps: 1 asks again, 2 deletes."""

    step: Annotated[int, Field(ge=1, le=3)]


class ChannelAct(CallbackData, prefix="ch"):
    """An action on one of the user's channels or groups: link, test, style, caption (style),
    template, template_reset, buttons, weekly (the summary post), pause, resume, disconnect."""

    action: str
    chat: ChatId
    sub: RowId = 0


class PowerAct(CallbackData, prefix="pw"):
    """An action on power monitors: add, for (address chosen), probe, beat (n: period in
    seconds, 0 asks), save (a silent probe), open, guide, stats, notify (n: 1 me, 2 channel,
    3 both), remove, remove_yes."""

    action: str
    mon: RowId = 0
    sub: RowId = 0
    n: Small = 0
