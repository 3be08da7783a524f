"""My addresses: list, rename (a text input kept in FSM state), remove, add."""

from __future__ import annotations

from html import escape

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import Address, Nav
from esvitlo.bot.deps import BotServices
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import address_queue, region_name, show
from esvitlo.domain.texts import BotTexts, Texts
from esvitlo.services.accounts import clean_label

router = RouterSpec("addresses")


class Rename(StatesGroup):
    """Waiting for the new name of an address."""

    label = State()


async def _list_text(
    user_id: int, svc: BotServices, ui: BotTexts, texts: Texts, lang: str
) -> tuple[str, InlineKeyboardMarkup]:
    subs = await svc.accounts.addresses(user_id)
    lines = [ui.addresses_title, ""]
    for n, sub in enumerate(subs, start=1):
        region = region_name(svc.catalogue, sub.region, lang)
        lines.append(
            ui.address_line.format(
                n=n, label=escape(sub.label), region=region, queue=address_queue(ui, texts, sub)
            )
        )
    if not subs:
        lines.append(ui.menu_no_addresses)
    can_add = len(subs) < svc.accounts.max_subscriptions
    return "\n".join(lines), keyboards.addresses(ui, subs, can_add)


@router.callback_query(Nav.filter(F.to == "addresses"))
async def addresses(
    query: CallbackQuery, svc: BotServices, ui: BotTexts, texts: Texts, lang: str
) -> None:
    """The list of the user's addresses with their actions."""
    text, markup = await _list_text(query.from_user.id, svc, ui, texts, lang)
    await show(query, text, markup)


@router.callback_query(Address.filter(F.action == "rename"))
async def ask_rename(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: Address,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Ask for a new name and wait for it."""
    sub = await svc.accounts.address(query.from_user.id, callback_data.sub)
    if sub is None:
        callback_answer.text = ui.expired
        return
    await state.set_state(Rename.label)
    await state.update_data(sub=sub.id)
    await show(query, ui.rename_prompt.format(label=escape(sub.label)), keyboards.back_to_menu(ui))


@router.message(Rename.label, F.text)
async def rename(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts, texts: Texts, lang: str
) -> None:
    """Apply the new name, or ask again when it does not fit."""
    assert message.from_user is not None and message.text is not None
    label = clean_label(message.text)
    if label is None or message.text.startswith("/"):
        await message.answer(ui.rename_bad, reply_markup=keyboards.back_to_menu(ui))
        return
    data = await state.get_data()
    await state.clear()
    await svc.accounts.rename(message.from_user.id, int(data.get("sub", 0)), label)
    text, markup = await _list_text(message.from_user.id, svc, ui, texts, lang)
    await message.answer(f"{ui.renamed.format(label=escape(label))}\n\n{text}", reply_markup=markup)


@router.callback_query(Address.filter(F.action == "remove"))
async def ask_remove(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: Address,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """Ask to confirm removing an address."""
    sub = await svc.accounts.address(query.from_user.id, callback_data.sub)
    if sub is None:
        callback_answer.text = ui.expired
        return
    text = ui.remove_confirm.format(
        label=escape(sub.label),
        region=region_name(svc.catalogue, sub.region, lang),
        queue=address_queue(ui, texts, sub),
    )
    await show(query, text, keyboards.confirm_remove(ui, sub))


@router.callback_query(Address.filter(F.action == "remove_yes"))
async def remove(
    query: CallbackQuery,
    callback_data: Address,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """Remove the address and show the list again."""
    removed = await svc.accounts.remove(query.from_user.id, callback_data.sub)
    text, markup = await _list_text(query.from_user.id, svc, ui, texts, lang)
    await show(query, f"{ui.removed}\n\n{text}" if removed else text, markup)
