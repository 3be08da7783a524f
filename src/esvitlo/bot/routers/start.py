"""Onboarding: /start, deep links and the region -> queue -> confirm wizard.

The wizard keeps no state of its own: every button carries the region and queue chosen so
far, so it can be restarted at any moment (/start again, Back) and never gets stuck.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import keyboards, lookup_keyboards
from esvitlo.bot.callbacks import Confirm, QueuePage, QueuePick, RegionPage, RegionPick
from esvitlo.bot.deps import BotServices
from esvitlo.bot.no_schedule import lacks_schedule, region_screen
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.routers.power_setup import show_kind_choice
from esvitlo.bot.routers.schedule import show_queue
from esvitlo.bot.views import queue_name, region_name, show, show_menu
from esvitlo.domain.accounts import Subscription
from esvitlo.domain.catalogue import NO_QUEUE
from esvitlo.domain.model import normalize_queue
from esvitlo.domain.texts import BotTexts, Texts, queue_title
from esvitlo.domain.texts.lookup import lookup_texts_for
from esvitlo.services.accounts import (
    AlreadySubscribed,
    LimitReached,
    LinkAction,
    parse_deep_link,
)

router = RouterSpec("start")


@router.message(CommandStart(deep_link=True))
async def start_deep_link(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """``/start kyiv_3-1``: subscribe directly when the queue exists, else open the wizard;
    ``t_kyiv_3-1`` / ``s_kyiv_3-1``: that queue's timer / schedule, without subscribing."""
    await state.clear()
    link = parse_deep_link(command.args or "", svc.catalogue)
    if link is not None and lacks_schedule(svc.catalogue, link.region):
        text, markup = region_screen(ui, svc.catalogue, link.region, lang)
        await message.answer(f"{ui.welcome}\n\n{text}", reply_markup=markup)
        return
    known = await svc.board.queues(link.region) if link else None
    if link is None or (known is not None and link.queue not in {q for q, _ in known}):
        await message.answer(
            f"{ui.deep_link_bad}\n\n{ui.wizard_region}",
            reply_markup=keyboards.regions(ui, svc.catalogue.regions, lang, 0),
        )
        return
    if link.action is not LinkAction.SUBSCRIBE:
        timer = link.action is LinkAction.TIMER
        await show_queue(message, link.region, link.queue, svc, ui, texts, lang, timer=timer)
        return
    confirm = ui.wizard_confirm.format(
        region=region_name(svc.catalogue, link.region, lang), queue=queue_name(texts, link.queue)
    )
    await message.answer(
        f"{ui.welcome}\n\n{confirm}", reply_markup=keyboards.confirm(ui, link.region, link.queue)
    )


@router.message(CommandStart())
async def start(
    message: Message,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """A fresh start: the menu for a known user, the wizard for a new one."""
    await state.clear()
    assert message.from_user is not None
    subs = await svc.accounts.addresses(message.from_user.id)
    if subs:
        await show_menu(message, ui, texts, svc.catalogue, lang, subs)
        return
    await message.answer(
        f"{ui.welcome}\n\n{ui.wizard_region}",
        reply_markup=keyboards.regions(ui, svc.catalogue.regions, lang, 0),
    )


@router.callback_query(RegionPage.filter())
async def region_page(
    query: CallbackQuery,
    callback_data: RegionPage,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Show a page of regions (also the wizard's first step and every Back to it)."""
    await state.clear()
    await show(
        query,
        ui.wizard_region,
        keyboards.regions(ui, svc.catalogue.regions, lang, callback_data.page),
    )


async def _queues(
    query: CallbackQuery,
    region: str,
    page: int,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    if lacks_schedule(svc.catalogue, region):  # no queues to pick: say why, offer power
        await show(query, *region_screen(ui, svc.catalogue, region, lang))
        return
    name = region_name(svc.catalogue, region, lang)
    items = await svc.board.queues(region) if svc.catalogue.get(region) else None
    if not items:
        await show(
            query, ui.wizard_no_queues.format(region=name), keyboards.retry_queues(ui, region)
        )
        return
    titled = [(q, queue_title(texts, q, n)) for q, n in items]
    markup = keyboards.queues(ui, region, titled, page)
    if svc.lookup is not None and svc.lookup.has_lookup(region):  # find it by address
        markup = lookup_keyboards.with_entry(lookup_texts_for(lang), region, markup)
    await show(query, ui.wizard_queue.format(region=name), markup)


@router.callback_query(RegionPick.filter())
async def region_pick(
    query: CallbackQuery,
    callback_data: RegionPick,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """A region was chosen: list its queues from the data (or say it has no schedule)."""
    await _queues(query, callback_data.region, 0, svc, ui, texts, lang)


@router.callback_query(QueuePage.filter())
async def queue_page(
    query: CallbackQuery,
    callback_data: QueuePage,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """Another page of queues, Back from the confirmation, or the manual choice instead of
    an address lookup (which stops waiting for a street or house)."""
    await state.clear()
    await _queues(query, callback_data.region, callback_data.page, svc, ui, texts, lang)


@router.callback_query(QueuePick.filter())
async def queue_pick(
    query: CallbackQuery,
    callback_data: QueuePick,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """A queue was chosen: ask to confirm."""
    region, queue = callback_data.region, normalize_queue(callback_data.queue)
    if lacks_schedule(svc.catalogue, region):  # a button of ours never names such a queue
        await show(query, *region_screen(ui, svc.catalogue, region, lang))
        return
    text = ui.wizard_confirm.format(
        region=region_name(svc.catalogue, region, lang), queue=queue_name(texts, queue)
    )
    await show(query, text, keyboards.confirm(ui, region, queue))


@router.callback_query(Confirm.filter())
async def confirm(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: Confirm,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """Subscribe, then show the main menu (for a region without a schedule: save the
    address, then set up power detection for it)."""
    region, queue = callback_data.region, callback_data.queue
    known = svc.catalogue.get(region)
    if known is None or (known.has_schedule and queue == NO_QUEUE):
        callback_answer.text = ui.expired
        return
    if not known.has_schedule:
        await _save_for_power(query, callback_answer, region, svc, ui, lang)
        return
    user = query.from_user
    count = len(await svc.accounts.addresses(user.id))
    label = ui.default_label_first if count == 0 else ui.default_label_next.format(n=count + 1)
    done = await subscribe_told(
        user.id, callback_answer, svc, ui, texts, lang, region, queue, label
    )
    if done is None:
        return
    subs = await svc.accounts.addresses(user.id)
    await show_menu(query, ui, texts, svc.catalogue, lang, subs, prefix=done)


async def subscribe_told(
    user_id: int,
    callback_answer: CallbackAnswer,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
    region: str,
    queue: str,
    label: str,
) -> str | None:
    """Subscribe; the line telling how it went, or None when the limit is reached (said in
    an alert on the button)."""
    names = {"region": region_name(svc.catalogue, region, lang), "queue": queue_name(texts, queue)}
    try:
        await svc.accounts.subscribe(user_id, lang, region, queue, label)
    except LimitReached:
        callback_answer.text = ui.limit_reached.format(limit=svc.accounts.max_subscriptions)
        callback_answer.show_alert = True
        return None
    except AlreadySubscribed:
        return ui.already_subscribed.format(**names)
    return ui.subscribed.format(label=escape(label), **names)


async def _save_for_power(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    region: str,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Save an address in a region without a schedule (once), then ask how to detect power
    there: probing the router or a heartbeat."""
    user = query.from_user
    subs = await svc.accounts.addresses(user.id)
    sub, prefix = _region_address(subs, region), None
    if sub is None:
        label = ui.default_label_next.format(n=len(subs) + 1) if subs else ui.default_label_first
        try:
            sub = await svc.accounts.subscribe(user.id, lang, region, NO_QUEUE, label)
        except LimitReached:
            callback_answer.text = ui.limit_reached.format(limit=svc.accounts.max_subscriptions)
            callback_answer.show_alert = True
            return
        except AlreadySubscribed:  # saved by a parallel press meanwhile
            sub = _region_address(await svc.accounts.addresses(user.id), region)
        else:
            name = region_name(svc.catalogue, region, lang)
            prefix = ui.home_power_saved.format(label=escape(sub.label), region=name)
    if sub is None:
        callback_answer.text = ui.expired
        return
    await show_kind_choice(query, sub, svc, ui, lang, prefix=prefix)


def _region_address(subs: Sequence[Subscription], region: str) -> Subscription | None:
    """The user's address in a region without a schedule, if they saved one."""
    return next((s for s in subs if (s.region, s.queue) == (region, NO_QUEUE)), None)


__all__ = ["router"]
