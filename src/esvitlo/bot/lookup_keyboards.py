"""Callback data and keyboards of "find my queue by address".

Street and house names can be long (DTEK's have no ids, and Cyrillic takes two bytes a
letter in Telegram's 64-byte callback data), so a button carries only the index of what was
offered; the offered names wait in the conversation's state.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from esvitlo.bot.callbacks import QueuePage, RegionPage, Small
from esvitlo.bot.keyboards import Row, button, markup
from esvitlo.domain.texts import BotTexts
from esvitlo.domain.texts.lookup import LookupTexts


class LookupAct(CallbackData, prefix="lk"):
    """An address lookup step: ``start`` (ask the town or street), ``town`` / ``street`` /
    ``house`` (the ``n``-th one offered was picked), ``confirm`` (subscribe to the queue
    found)."""

    action: str
    region: str
    n: Small = 0


def entry_row(t: LookupTexts, region: str) -> Row:
    """The button that starts a lookup, put above a region's queue list."""
    return [button(t.btn_find, LookupAct(action="start", region=region))]


def with_entry(t: LookupTexts, region: str, queues: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """A region's queue list with the lookup button on top."""
    return InlineKeyboardMarkup(inline_keyboard=[entry_row(t, region), *queues.inline_keyboard])


def _manual(ui: BotTexts, t: LookupTexts, region: str) -> list[Row]:
    return [
        [button(t.btn_manual, QueuePage(region=region, page=0))],
        [button(ui.btn_back, RegionPage(page=0))],
    ]


def manual(ui: BotTexts, t: LookupTexts, region: str) -> InlineKeyboardMarkup:
    """Choose the queue by hand, or go back to the regions."""
    return markup(_manual(ui, t, region))


def choices(
    ui: BotTexts, t: LookupTexts, region: str, action: str, names: Sequence[str]
) -> InlineKeyboardMarkup:
    """One button per street or house offered (at most eight), then the manual choice."""
    picks = [
        [button(name, LookupAct(action=action, region=region, n=i))] for i, name in enumerate(names)
    ]
    return markup([*picks, *_manual(ui, t, region)])


def confirm(ui: BotTexts, t: LookupTexts, region: str) -> InlineKeyboardMarkup:
    """Subscribe to the queue found, or choose another by hand."""
    return markup(
        [
            [button(t.btn_confirm, LookupAct(action="confirm", region=region))],
            *_manual(ui, t, region),
        ]
    )
