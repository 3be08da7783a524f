"""Notification settings, language, and deleting one's data (two steps)."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import Forget, Lead, Nav, Toggle
from esvitlo.bot.deps import BotServices
from esvitlo.bot.middlewares import LanguageCache
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show
from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.texts import BotTexts, bot_texts_for
from esvitlo.services.preferences import AlertKind, Edge

router = RouterSpec("settings")


def _screen(ui: BotTexts, prefs: NotificationSettings) -> tuple[str, InlineKeyboardMarkup]:
    """The title with a legend of the two rows of lead-time buttons, and the keyboard."""
    text = f"{ui.settings_title}\n\n① {ui.remind_off_title}\n② {ui.remind_on_title}"
    return text, keyboards.settings(ui, prefs)


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
    """Flip an alert kind, cycle quiet hours, or switch the language."""
    user_id = query.from_user.id
    if callback_data.what == "lang":
        lang = "en" if lang == "uk" else "uk"
        await svc.accounts.set_language(user_id, lang)
        languages.remember(user_id, lang)
        ui = bot_texts_for(lang)
    elif callback_data.what == "quiet":
        await svc.prefs.cycle_quiet_hours(user_id)
    elif callback_data.what in {k.value for k in AlertKind}:
        await svc.prefs.toggle(user_id, AlertKind(callback_data.what))
    await _show_settings(query, svc, ui)


@router.callback_query(Lead.filter())
async def lead(query: CallbackQuery, callback_data: Lead, svc: BotServices, ui: BotTexts) -> None:
    """Add or remove one reminder lead time."""
    if callback_data.edge in {e.value for e in Edge}:
        await svc.prefs.toggle_lead(
            query.from_user.id, Edge(callback_data.edge), callback_data.minutes
        )
    await _show_settings(query, svc, ui)


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
