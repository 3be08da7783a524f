"""Regions whose operator publishes no schedule we can read: what the bot shows in place of a
queue list, a schedule or a timer, and the way from there to power detection at home.

Nothing is invented for such a region: no queues, no "no outages". Its address is stored
with the queue ``NO_QUEUE`` so that a power monitor can be attached to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from esvitlo.bot.callbacks import Address, Confirm, Nav, PowerAct, RegionPage
from esvitlo.bot.keyboards import button, markup
from esvitlo.bot.views import region_name
from esvitlo.domain.accounts import Subscription
from esvitlo.domain.catalogue import NO_QUEUE, Catalogue
from esvitlo.domain.texts import BotTexts


def lacks_schedule(catalogue: Catalogue, region_id: str) -> bool:
    """Whether the region is in the catalogue and has no source to read its schedule from."""
    region = catalogue.get(region_id)
    return region is not None and not region.has_schedule


def region_screen(
    ui: BotTexts, catalogue: Catalogue, region_id: str, lang: str
) -> tuple[str, InlineKeyboardMarkup]:
    """The answer to choosing such a region: said plainly, power detection offered (the
    button saves the address first), and Back to the region list."""
    text = ui.no_schedule_region.format(region=region_name(catalogue, region_id, lang))
    keyboard = markup(
        [
            [button(ui.btn_home_power, Confirm(region=region_id, queue=NO_QUEUE))],
            [button(ui.btn_back, RegionPage(page=0))],
        ]
    )
    return text, keyboard


def address_screen(
    ui: BotTexts,
    catalogue: Catalogue,
    sub: Subscription,
    others: Sequence[Subscription],
    lang: str,
) -> tuple[str, InlineKeyboardMarkup]:
    """In place of the schedule or timer of an address in such a region: the same words,
    power detection for this address (saving it first when it is not the user's own), the
    user's other addresses, and Menu."""
    text = ui.no_schedule_region.format(region=region_name(catalogue, sub.region, lang))
    power = (
        PowerAct(action="for", sub=sub.id) if sub.id else Confirm(region=sub.region, queue=NO_QUEUE)
    )
    switch = [button(s.label, Address(action="schedule", sub=s.id)) for s in others]
    rows = [[button(ui.btn_home_power, power)]]
    rows += [switch[i : i + 3] for i in range(0, len(switch), 3)]
    rows.append([button(ui.btn_menu, Nav(to="menu"))])
    return text, markup(rows)
