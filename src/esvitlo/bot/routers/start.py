"""Onboarding: /start, deep links and the region -> queue -> confirm wizard.

The wizard keeps no state of its own: every button carries the region and queue chosen so
far, so it can be restarted at any moment (/start again, Back) and never gets stuck.
"""

from __future__ import annotations

from html import escape

from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import Confirm, QueuePage, QueuePick, RegionPage, RegionPick
from esvitlo.bot.deps import BotServices
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.routers.schedule import show_queue
from esvitlo.bot.views import queue_name, region_name, show, show_menu
from esvitlo.domain.model import normalize_queue
from esvitlo.domain.texts import BotTexts, Texts, queue_title
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
    name = region_name(svc.catalogue, region, lang)
    items = await svc.board.queues(region) if svc.catalogue.get(region) else None
    if not items:
        await show(
            query, ui.wizard_no_queues.format(region=name), keyboards.retry_queues(ui, region)
        )
        return
    titled = [(q, queue_title(texts, q, n)) for q, n in items]
    await show(
        query, ui.wizard_queue.format(region=name), keyboards.queues(ui, region, titled, page)
    )


@router.callback_query(RegionPick.filter())
async def region_pick(
    query: CallbackQuery,
    callback_data: RegionPick,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """A region was chosen: list its queues from the data."""
    await _queues(query, callback_data.region, 0, svc, ui, texts, lang)


@router.callback_query(QueuePage.filter())
async def queue_page(
    query: CallbackQuery,
    callback_data: QueuePage,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """Another page of queues, or Back from the confirmation."""
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
    """Subscribe, then show the main menu."""
    region, queue = callback_data.region, callback_data.queue
    if svc.catalogue.get(region) is None:
        callback_answer.text = ui.expired
        return
    user = query.from_user
    count = len(await svc.accounts.addresses(user.id))
    label = ui.default_label_first if count == 0 else ui.default_label_next.format(n=count + 1)
    names = {"region": region_name(svc.catalogue, region, lang), "queue": queue_name(texts, queue)}
    try:
        await svc.accounts.subscribe(user.id, lang, region, queue, label)
    except LimitReached:
        callback_answer.text = ui.limit_reached.format(limit=svc.accounts.max_subscriptions)
        callback_answer.show_alert = True
        return
    except AlreadySubscribed:
        done = ui.already_subscribed.format(**names)
    else:
        done = ui.subscribed.format(label=escape(label), **names)
    subs = await svc.accounts.addresses(user.id)
    await show_menu(query, ui, texts, svc.catalogue, lang, subs, prefix=done)


__all__ = ["router"]
