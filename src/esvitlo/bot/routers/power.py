"""Power at home: the monitor list, one monitor's state, a new heartbeat link (the old one
stops working; a link is shown only when made), who is told, removal, and the statistics
with the weekly chart."""

from __future__ import annotations

import logging
from html import escape

from aiogram import F
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import power_keyboards as kb
from esvitlo.bot.callbacks import Nav, PowerAct
from esvitlo.bot.deps import BotServices
from esvitlo.bot.power_views import monitor_label, screen_texts, show_monitor, show_monitors
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show
from esvitlo.domain.message_text import CAPTION_LIMIT, text_length
from esvitlo.domain.monitors import MonitorKind
from esvitlo.domain.power_screens import heartbeat_text, stats_text, who_text
from esvitlo.domain.texts import BotTexts, power_texts_for
from esvitlo.services.monitors import OwnedMonitor

router = RouterSpec("power")
logger = logging.getLogger(__name__)


@router.callback_query(Nav.filter(F.to == "power"))
async def power_home(
    query: CallbackQuery, state: FSMContext, svc: BotServices, ui: BotTexts, lang: str
) -> None:
    """Menu -> Power at home (also leaves a pending address input)."""
    await state.clear()
    await show_monitors(query, svc, ui, lang)


async def _owned_or_expired(
    query: CallbackQuery, answer: CallbackAnswer, svc: BotServices, ui: BotTexts, mon: int
) -> OwnedMonitor | None:
    owned = await svc.monitors.owned(query.from_user.id, mon)
    if owned is None:
        answer.text = ui.expired
    return owned


@router.callback_query(PowerAct.filter(F.action == "open"))
async def open_monitor(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PowerAct,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """One monitor's state and actions."""
    if owned := await _owned_or_expired(query, callback_answer, svc, ui, callback_data.mon):
        await show_monitor(query, owned, svc, ui, lang)


@router.callback_query(PowerAct.filter(F.action.in_({"relink", "guide"})))
async def ask_new_link(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PowerAct,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Ask to confirm a new heartbeat link ("guide": the old instructions button)."""
    owned = await _owned_or_expired(query, callback_answer, svc, ui, callback_data.mon)
    if owned is None or owned.monitor.kind is not MonitorKind.HEARTBEAT:
        return
    t = power_texts_for(lang)
    text = t.new_link_confirm.format(label=escape(monitor_label(owned)))
    await show(query, text, kb.confirm_new_link(ui, t, owned.monitor.id))


@router.callback_query(PowerAct.filter(F.action == "relink_yes"))
async def new_link(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PowerAct,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """A new secret: show the new URL and snippets this once."""
    setup = await svc.monitors.new_heartbeat_link(query.from_user.id, callback_data.mon)
    owned = await _owned_or_expired(query, callback_answer, svc, ui, callback_data.mon)
    if setup is None or owned is None:
        callback_answer.text = ui.expired
        return
    t = power_texts_for(lang)
    local = svc.monitors.public_url if setup.local_base else None
    text = heartbeat_text(
        monitor_label(owned), setup.url, setup.monitor.beat_every, t,
        local_base=local, renewed=True,
    )  # fmt: skip
    await show(query, text, kb.back_to_monitor(ui, owned.monitor.id))


@router.callback_query(PowerAct.filter(F.action == "notify"))
async def notify(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PowerAct,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Choose who is told: me (1), my channel (2), both (3)."""
    user, channel = bool(callback_data.n & 1), bool(callback_data.n & 2)
    if not await svc.monitors.set_notify(
        query.from_user.id, callback_data.mon, user=user, channel=channel
    ):
        callback_answer.text = ui.expired
        return
    if owned := await _owned_or_expired(query, callback_answer, svc, ui, callback_data.mon):
        t = power_texts_for(lang)
        prefix = t.notify_set.format(who=who_text(owned.monitor, t))
        await show_monitor(query, owned, svc, ui, lang, prefix)


@router.callback_query(PowerAct.filter(F.action == "remove"))
async def ask_remove(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PowerAct,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Ask to confirm removing a monitor."""
    if owned := await _owned_or_expired(query, callback_answer, svc, ui, callback_data.mon):
        t = power_texts_for(lang)
        text = t.remove_confirm.format(label=escape(monitor_label(owned)))
        await show(query, text, kb.confirm_remove(ui, t, owned.monitor.id))


@router.callback_query(PowerAct.filter(F.action == "remove_yes"))
async def remove(
    query: CallbackQuery, callback_data: PowerAct, svc: BotServices, ui: BotTexts, lang: str
) -> None:
    """Remove the monitor and show the list again."""
    removed = await svc.monitors.remove(query.from_user.id, callback_data.mon)
    prefix = power_texts_for(lang).removed if removed else ""
    await show_monitors(query, svc, ui, lang, prefix)


@router.callback_query(PowerAct.filter(F.action == "stats"))
async def stats(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PowerAct,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """The weekly chart with the statistics for 7 and 30 days as its caption: one message
    (the text follows on its own only when it is too long for a caption)."""
    report = await svc.power_reports.report(query.from_user.id, callback_data.mon, lang)
    message = query.message
    if report is None or not isinstance(message, Message):
        callback_answer.text = ui.expired
        return
    t = screen_texts(svc, lang, report.owned.address)
    label = monitor_label(report.owned)
    text = stats_text(label, report.windows, svc.clock.now(), t)
    back = kb.back_to_monitor(ui, callback_data.mon)
    fits = text_length(text) <= CAPTION_LIMIT
    try:
        png = await svc.power_reports.chart_png(report.week)
        photo = BufferedInputFile(png, "power-week.png")
        if fits:
            await message.answer_photo(photo, caption=text, reply_markup=back)
            return
        caption = t.power.chart_caption.format(label=escape(label))
        await message.answer_photo(photo, caption=caption)
    except TelegramBadRequest as exc:
        logger.warning("bot.power_chart_failed monitor=%s error=%s", callback_data.mon, exc.message)
    await message.answer(text, reply_markup=back)
