"""A user writes to the admins: "Write to us" (or /feedback), then one message."""

from __future__ import annotations

import math

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import Nav
from esvitlo.bot.deps import BotServices
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show
from esvitlo.domain.texts import BotTexts
from esvitlo.services.admin import Feedback

router = RouterSpec("feedback")


class FeedbackInput(StatesGroup):
    """Waiting for the one message to pass on."""

    text = State()


async def _ask(event: Message | CallbackQuery, state: FSMContext, ui: BotTexts) -> None:
    await state.set_state(FeedbackInput.text)
    await show(event, ui.feedback_prompt, keyboards.back_to_menu(ui))


@router.message(Command("feedback"))
async def feedback_command(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts
) -> None:
    """/feedback: ask for the message (help instead when nobody reads feedback)."""
    if not svc.admin.has_admins:
        await message.answer(ui.help, reply_markup=keyboards.back_to_menu(ui))
        return
    await _ask(message, state, ui)


@router.callback_query(Nav.filter(F.to == "feedback"))
async def feedback_button(query: CallbackQuery, state: FSMContext, ui: BotTexts) -> None:
    """Help -> Write to us."""
    await _ask(query, state, ui)


@router.message(FeedbackInput.text, F.text, ~F.text.startswith("/"))
async def feedback_text(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts
) -> None:
    """Pass the message on to every admin (a few an hour at most)."""
    assert message.from_user is not None and message.text is not None
    sender = message.from_user
    name = sender.full_name + (f" @{sender.username}" if sender.username else "")
    result = await svc.admin.send_feedback(sender.id, name, message.text, svc.clock.now())
    if result.outcome is Feedback.EMPTY:
        await message.answer(ui.feedback_empty, reply_markup=keyboards.back_to_menu(ui))
        return
    await state.clear()
    if result.outcome is Feedback.TOO_MANY:
        minutes = max(1, math.ceil(result.wait.total_seconds() / 60))
        text = ui.feedback_too_many.format(minutes=minutes)
    else:
        text = ui.feedback_sent
    await message.answer(text, reply_markup=keyboards.back_to_menu(ui))


@router.message(FeedbackInput.text, ~F.text)
async def feedback_not_text(message: Message, ui: BotTexts) -> None:
    """A sticker, a photo or a voice message: ask for text."""
    await message.answer(ui.feedback_empty, reply_markup=keyboards.back_to_menu(ui))
