"""Small helpers shared by routers: titles, the menu screen, editing or answering."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from esvitlo.bot import keyboards
from esvitlo.domain.accounts import Subscription
from esvitlo.domain.catalogue import NO_QUEUE, Catalogue
from esvitlo.domain.texts import BotTexts, Texts, queue_title


def region_name(catalogue: Catalogue, region_id: str, lang: str) -> str:
    """The region's display name (escaped), or its id when unknown."""
    region = catalogue.get(region_id)
    return escape(region.name(lang) if region else region_id)


def queue_name(texts: Texts, queue: str, name: str | None = None) -> str:
    """The queue's display title (escaped)."""
    return escape(queue_title(texts, queue, name))


def address_queue(ui: BotTexts, texts: Texts, sub: Subscription) -> str:
    """The address's queue title (escaped), or "no schedule" for an address in a region
    whose operator publishes none."""
    if sub.queue == NO_QUEUE:
        return escape(ui.no_schedule_queue)
    return queue_name(texts, sub.queue)


def menu_text(
    ui: BotTexts, texts: Texts, catalogue: Catalogue, lang: str, subs: Sequence[Subscription]
) -> str:
    """The main menu: a title and one line per address."""
    lines = [ui.menu_title, ""]
    if not subs:
        lines.append(ui.menu_no_addresses)
    for sub in subs:
        lines.append(
            ui.menu_address.format(
                label=escape(sub.label),
                region=region_name(catalogue, sub.region, lang),
                queue=address_queue(ui, texts, sub),
            )
        )
    return "\n".join(lines)


async def show(
    event: Message | CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the pressed message in place, or answer a command with a new message."""
    if isinstance(event, CallbackQuery):
        message = event.message
        if isinstance(message, Message) and message.text is not None:
            try:
                await message.edit_text(text, reply_markup=reply_markup)
                return
            except TelegramBadRequest as exc:
                if "message is not modified" in exc.message:
                    return
        if isinstance(message, Message):
            await message.answer(text, reply_markup=reply_markup)
        return
    await event.answer(text, reply_markup=reply_markup)


async def show_menu(
    event: Message | CallbackQuery,
    ui: BotTexts,
    texts: Texts,
    catalogue: Catalogue,
    lang: str,
    subs: Sequence[Subscription],
    *,
    prefix: str | None = None,
) -> None:
    """The main menu screen, optionally under a line such as "subscribed"."""
    text = menu_text(ui, texts, catalogue, lang, subs)
    await show(event, f"{prefix}\n\n{text}" if prefix else text, keyboards.main_menu(ui))
