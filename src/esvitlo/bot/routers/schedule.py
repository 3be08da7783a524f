"""The schedule (photo with the text as caption) and the timer, per address; for an address
in a region without a schedule, that said plainly and power detection offered instead.

The photo marks the half-hour now on today's bar and says when the data may be outdated;
it is drawn once per half-hour and status and re-sent by file_id meanwhile."""

from __future__ import annotations

import logging

from aiogram import F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import Address, Nav, QueueView, RegionPage
from esvitlo.bot.deps import BotServices
from esvitlo.bot.no_schedule import address_screen, lacks_schedule
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import queue_name, region_name, show
from esvitlo.domain.accounts import Subscription
from esvitlo.domain.model import local_date, normalize_queue
from esvitlo.domain.render import CAPTION_LIMIT, render_schedule, render_timer
from esvitlo.domain.texts import BotTexts, Texts
from esvitlo.domain.timeline import build_timeline
from esvitlo.services.schedule_photos import now_slot

router = RouterSpec("schedule")
logger = logging.getLogger(__name__)

Picked = tuple[Subscription, list[Subscription]]


async def _pick(
    event: Message | CallbackQuery, svc: BotServices, ui: BotTexts, sub_id: int | None
) -> Picked | None:
    """The chosen (or first) address and the others; a hint to add one when there are none."""
    assert event.from_user is not None
    subs = await svc.accounts.addresses(event.from_user.id)
    if not subs:
        add = keyboards.markup([[keyboards.button(ui.btn_add_address, RegionPage(page=0))]])
        await show(event, ui.menu_no_addresses, add)
        return None
    chosen = next((s for s in subs if s.id == sub_id), subs[0])
    return chosen, [s for s in subs if s.id != chosen.id]


async def _schedule(
    event: Message | CallbackQuery,
    picked: Picked,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
    buttons: InlineKeyboardMarkup | None = None,
) -> None:
    """The schedule of an address (``buttons``: other than the address's own)."""
    sub, others = picked
    if lacks_schedule(svc.catalogue, sub.region):
        await show(event, *address_screen(ui, svc.catalogue, sub, others, lang))
        return
    now = svc.clock.now()
    region = region_name(svc.catalogue, sub.region, lang)
    view = await svc.board.view(sub.region, sub.queue, now)
    message = event.message if isinstance(event, CallbackQuery) else event
    if view is None or not isinstance(message, Message):
        await show(event, ui.schedule_unavailable.format(region=region), keyboards.back_to_menu(ui))
        return
    snapshot = view.snapshot
    caption = render_schedule(
        texts, view.schedule, queue=sub.queue, region=region, zone=snapshot.zone, now=now,
        status=view.status, updated_at=snapshot.data_updated_at, stale_since=snapshot.fetched_at,
        stale_reason=view.stale_reason, limit=CAPTION_LIMIT,
    )  # fmt: skip
    markup = buttons or keyboards.schedule_actions(ui, sub, others)
    if view.schedule is None:
        await message.answer(caption, reply_markup=markup)
        return
    today = local_date(now, snapshot.zone)
    slot = now_slot(now, snapshot.zone)
    key = svc.photos.key(sub.region, view.schedule, today, lang, now=slot, status=view.status)
    try:
        file_id = svc.photos.file_id(key)
        if file_id is not None:
            await message.answer_photo(file_id, caption=caption, reply_markup=markup)
            return
        title = queue_name(texts, sub.queue, view.schedule.name)
        png = await svc.photos.render(
            view.schedule, today, snapshot.tz, texts, region, title, now=slot, status=view.status
        )
        photo = BufferedInputFile(png, "schedule.png")
        sent = await message.answer_photo(photo, caption=caption, reply_markup=markup)
        if sent.photo:
            svc.photos.remember(key, sent.photo[-1].file_id)
    except TelegramBadRequest as exc:
        logger.warning(
            "bot.photo_failed region=%s queue=%s error=%s", sub.region, sub.queue, exc.message
        )
        await message.answer(caption, reply_markup=markup)


async def _timer(
    event: Message | CallbackQuery,
    picked: Picked,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
    buttons: InlineKeyboardMarkup | None = None,
) -> None:
    """The timer of an address (``buttons``: other than the address's own)."""
    sub, others = picked
    if lacks_schedule(svc.catalogue, sub.region):
        await show(event, *address_screen(ui, svc.catalogue, sub, others, lang))
        return
    now = svc.clock.now()
    region = region_name(svc.catalogue, sub.region, lang)
    view = await svc.board.view(sub.region, sub.queue, now)
    if view is None:
        await show(event, ui.schedule_unavailable.format(region=region), keyboards.back_to_menu(ui))
        return
    zone = view.snapshot.zone
    days = view.schedule.days if view.schedule else ()
    name = view.schedule.name if view.schedule else None
    text = render_timer(
        texts,
        build_timeline(days, zone, now),
        zone=zone,
        now=now,
        queue=sub.queue,
        region=region,
        name=name,
        label=sub.label,
    )
    await show(event, text, buttons or keyboards.schedule_actions(ui, sub, others, timer=True))


async def show_queue(
    event: Message | CallbackQuery,
    region: str,
    queue: str,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
    *,
    timer: bool,
) -> None:
    """A queue's schedule or timer opened by a link: the follower's own address screen, or
    for anyone else the queue with a button to subscribe (nothing is stored)."""
    assert event.from_user is not None
    subs = await svc.accounts.addresses(event.from_user.id)
    own = next((s for s in subs if (s.region, s.queue) == (region, queue)), None)
    if own is not None:
        picked = (own, [s for s in subs if s.id != own.id])
        buttons = None
    else:
        picked = (Subscription(0, 0, region, queue, "", svc.clock.now()), [])
        buttons = keyboards.queue_view(ui, region, queue, timer=timer)
    show_view = _timer if timer else _schedule
    await show_view(event, picked, svc, ui, texts, lang, buttons)


def _chosen(callback_data: Nav | Address) -> int | None:
    return callback_data.sub if isinstance(callback_data, Address) else None


@router.callback_query(QueueView.filter())
async def queue_view_button(
    query: CallbackQuery,
    callback_data: QueueView,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """The timer or schedule of a queue seen through a link, switched by its button."""
    region, queue = callback_data.region, normalize_queue(callback_data.queue)
    if svc.catalogue.get(region) is None:
        await show(query, ui.expired, keyboards.back_to_menu(ui))
        return
    timer = callback_data.action == "timer"
    await show_queue(query, region, queue, svc, ui, texts, lang, timer=timer)


@router.message(Command("schedule"))
async def schedule_command(
    message: Message, svc: BotServices, ui: BotTexts, texts: Texts, lang: str
) -> None:
    """/schedule: the first address's schedule."""
    if picked := await _pick(message, svc, ui, None):
        await _schedule(message, picked, svc, ui, texts, lang)


@router.callback_query(Nav.filter(F.to == "schedule"))
@router.callback_query(Address.filter(F.action == "schedule"))
async def schedule_button(
    query: CallbackQuery,
    callback_data: Nav | Address,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """Menu -> Schedule (the first address), or the schedule of a chosen address."""
    if picked := await _pick(query, svc, ui, _chosen(callback_data)):
        await _schedule(query, picked, svc, ui, texts, lang)


@router.message(Command("timer", "next"))
async def timer_command(
    message: Message, svc: BotServices, ui: BotTexts, texts: Texts, lang: str
) -> None:
    """/timer: time to the next outage or restoration at the first address."""
    if picked := await _pick(message, svc, ui, None):
        await _timer(message, picked, svc, ui, texts, lang)


@router.callback_query(Nav.filter(F.to == "timer"))
@router.callback_query(Address.filter(F.action == "timer"))
async def timer_button(
    query: CallbackQuery,
    callback_data: Nav | Address,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """Menu -> Timer (the first address), or the timer of a chosen address."""
    if picked := await _pick(query, svc, ui, _chosen(callback_data)):
        await _timer(query, picked, svc, ui, texts, lang)
