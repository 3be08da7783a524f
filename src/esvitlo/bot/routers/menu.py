"""Main menu and help."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import Nav
from esvitlo.bot.deps import BotServices
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show, show_menu
from esvitlo.domain.texts import BotTexts, Texts

router = RouterSpec("menu")


@router.callback_query(Nav.filter(F.to == "menu"))
async def menu(
    query: CallbackQuery, state: FSMContext, svc: BotServices, ui: BotTexts, texts: Texts, lang: str
) -> None:
    """Back to the main menu from anywhere (also leaves any pending text input)."""
    await state.clear()
    subs = await svc.accounts.addresses(query.from_user.id)
    await show_menu(query, ui, texts, svc.catalogue, lang, subs)


@router.message(Command("menu"))
async def menu_command(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts, texts: Texts, lang: str
) -> None:
    """/menu: the main menu."""
    await state.clear()
    assert message.from_user is not None
    subs = await svc.accounts.addresses(message.from_user.id)
    await show_menu(message, ui, texts, svc.catalogue, lang, subs)


@router.message(Command("help"))
async def help_command(message: Message, svc: BotServices, ui: BotTexts) -> None:
    """/help: what the bot can do, and a way to write to the admins."""
    markup = keyboards.help_actions(ui, feedback=svc.admin.has_admins)
    await message.answer(ui.help, reply_markup=markup)


@router.callback_query(Nav.filter(F.to == "help"))
async def help_button(query: CallbackQuery, svc: BotServices, ui: BotTexts) -> None:
    """Menu -> Help."""
    await show(query, ui.help, keyboards.help_actions(ui, feedback=svc.admin.has_admins))
