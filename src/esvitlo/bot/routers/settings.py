"""Notification settings, language, and deleting one's data (two steps)."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import Forget, Lead, LeadMenu, Nav, Quiet, Toggle
from esvitlo.bot.deps import BotServices
from esvitlo.bot.middlewares import LanguageCache
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show
from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.texts import BotTexts, bot_texts_for
from esvitlo.services.preferences import AlertKind, Edge

router = RouterSpec("settings")


def _screen(ui: BotTexts, prefs: NotificationSettings) -> tuple[str, InlineKeyboardMarkup]:
    """The title, what is chosen for each kind of reminder and quiet hours, and the keyboard."""
    lines = [
        ui.settings_title,
        "",
        ui.leads_off_line.format(value=keyboards.lead_label(ui, prefs.remind_before_off)),
        ui.leads_on_line.format(value=keyboards.lead_label(ui, prefs.remind_before_on)),
        ui.quiet_hours.format(value=keyboards.quiet_label(ui, prefs)),
    ]
    return "\n".join(lines), keyboards.settings(ui, prefs)


async def _show_settings(event: Message | CallbackQuery, svc: BotServices, ui: BotTexts) -> None:
    assert event.from_user is not None
    prefs = await svc.prefs.get(event.from_user.id)
    if prefs is None:
        await show(event, ui.menu_no_addresses, keyboards.back_to_menu(ui))
        return
    await show(event, *_screen(ui, prefs))


@router.message(Command("settings"))
async def settings_command(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts
) -> None:
    """/settings: the settings screen."""
    await state.clear()
    await _show_settings(message, svc, ui)


@router.callback_query(Nav.filter(F.to == "settings"))
async def settings_button(query: CallbackQuery, svc: BotServices, ui: BotTexts) -> None:
    """Menu -> Settings (also Cancel from deleting data)."""
    await _show_settings(query, svc, ui)


@router.callback_query(Toggle.filter())
async def toggle(
    query: CallbackQuery,
    callback_data: Toggle,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
    languages: LanguageCache,
) -> None:
    """Flip an alert kind, or switch the language."""
    user_id = query.from_user.id
    if callback_data.what == "lang":
        lang = "en" if lang == "uk" else "uk"
        await svc.accounts.set_language(user_id, lang)
        languages.remember(user_id, lang)
        ui = bot_texts_for(lang)
    elif callback_data.what in {k.value for k in AlertKind}:
        await svc.prefs.toggle(user_id, AlertKind(callback_data.what))
    await _show_settings(query, svc, ui)


async def _show_leads(query: CallbackQuery, svc: BotServices, ui: BotTexts, edge: Edge) -> None:
    prefs = await svc.prefs.get(query.from_user.id)
    if prefs is None:
        await show(query, ui.menu_no_addresses, keyboards.back_to_menu(ui))
        return
    chosen = prefs.remind_before_off if edge is Edge.OFF else prefs.remind_before_on
    title = ui.leads_off_title if edge is Edge.OFF else ui.leads_on_title
    await show(query, title, keyboards.lead_times(ui, edge.value, chosen))


@router.callback_query(LeadMenu.filter(F.edge.in_({e.value for e in Edge})))
async def lead_menu(
    query: CallbackQuery, callback_data: LeadMenu, svc: BotServices, ui: BotTexts
) -> None:
    """The lead times of one kind of reminder."""
    await _show_leads(query, svc, ui, Edge(callback_data.edge))


@router.callback_query(Lead.filter(F.edge.in_({e.value for e in Edge})))
async def lead(query: CallbackQuery, callback_data: Lead, svc: BotServices, ui: BotTexts) -> None:
    """Add or remove one reminder lead time."""
    edge = Edge(callback_data.edge)
    await svc.prefs.toggle_lead(query.from_user.id, edge, callback_data.minutes)
    await _show_leads(query, svc, ui, edge)


@router.callback_query(Quiet.filter())
async def quiet(query: CallbackQuery, callback_data: Quiet, svc: BotServices, ui: BotTexts) -> None:
    """Quiet hours in two taps: the hour they start, then the hour they end; or off."""
    user_id = query.from_user.id
    step = callback_data.step
    if step in ("end", "off"):
        hours = (callback_data.start, callback_data.end) if step == "end" else None
        await svc.prefs.set_quiet_hours(user_id, hours)
        await _show_settings(query, svc, ui)
        return
    prefs = await svc.prefs.get(user_id)
    if prefs is None:
        await show(query, ui.menu_no_addresses, keyboards.back_to_menu(ui))
        return
    on = prefs.quiet_start is not None
    if step == "start":
        text = ui.quiet_end_prompt.format(start=f"{callback_data.start:02d}:00")
        await show(query, text, keyboards.quiet_hours(ui, start=callback_data.start, on=on))
        return
    text = ui.quiet_start_prompt.format(value=keyboards.quiet_label(ui, prefs))
    await show(query, text, keyboards.quiet_hours(ui, start=None, on=on))


@router.callback_query(Forget.filter())
async def forget(
    query: CallbackQuery,
    callback_data: Forget,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    languages: LanguageCache,
) -> None:
    """Step 1 and 2 ask; step 3 deletes everything about the user."""
    if callback_data.step == 1:
        await show(query, ui.delete_confirm, keyboards.forget(ui, 1))
    elif callback_data.step == 2:
        await show(query, ui.delete_confirm_again, keyboards.forget(ui, 2))
    else:
        await state.clear()
        await svc.accounts.forget(query.from_user.id)
        languages.forget(query.from_user.id)
        await show(query, ui.deleted)
