"""A channel's caption template: the owner types it (a conversation), sees a preview with the
current schedule, or goes back to the default caption."""

from __future__ import annotations

from html import escape

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import ChannelAct, Nav
from esvitlo.bot.deps import BotServices
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show
from esvitlo.domain.channel_captions import (
    MAX_TEMPLATE,
    PLACEHOLDERS,
    CaptionParts,
    TemplateProblem,
    TemplateRefusal,
    sample_parts,
)
from esvitlo.domain.channel_posts import POST_LANGUAGE
from esvitlo.domain.message_text import CAPTION_LIMIT
from esvitlo.domain.texts import BotTexts, texts_for

router = RouterSpec("channel_captions")


class CaptionTemplate(StatesGroup):
    """Waiting for the template text of the channel in the conversation's data."""

    text = State()


async def _parts(svc: BotServices, owner: int, chat_id: int) -> CaptionParts:
    """The current schedule's parts, or an example when the channel has none to show."""
    parts = await svc.current_posts.caption_parts(owner, chat_id)
    return parts or sample_parts(texts_for(POST_LANGUAGE))


def _refusal(ui: BotTexts, problem: TemplateProblem) -> str:
    if problem.refusal is TemplateRefusal.EMPTY:
        return ui.template_empty
    if problem.refusal is TemplateRefusal.UNKNOWN:
        names = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        return ui.template_unknown.format(name=escape(problem.detail), names=names)
    if problem.refusal is TemplateRefusal.TOO_LONG:
        return ui.template_too_long.format(length=problem.detail, limit=CAPTION_LIMIT)
    return ui.template_malformed


@router.callback_query(ChannelAct.filter(F.action == "template"))
async def ask_template(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Channels -> Caption template: show the placeholders and the template in use."""
    owned = await svc.channels.owned(query.from_user.id, callback_data.chat)
    if owned is None:
        callback_answer.text = ui.expired
        return
    await state.set_state(CaptionTemplate.text)
    await state.update_data(chat=callback_data.chat)
    template = owned.channel.caption_template
    current = f"<code>{escape(template)}</code>" if template else ui.template_default
    text = ui.template_prompt.format(
        title=escape(owned.channel.title), current=current, limit=MAX_TEMPLATE
    )
    await show(query, text, keyboards.template_prompt(ui, callback_data.chat))


@router.callback_query(ChannelAct.filter(F.action == "template_reset"))
async def reset_template(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: ChannelAct,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
) -> None:
    """Back to the default caption; its preview is shown."""
    owner, chat = query.from_user.id, callback_data.chat
    parts = await _parts(svc, owner, chat)
    result = await svc.channels.set_caption_template(owner, chat, None, parts)
    await state.clear()
    if not isinstance(result, str):
        callback_answer.text = ui.expired
        return
    text = ui.template_reset_done.format(preview=result)
    await show(query, text, keyboards.markup([[keyboards.button(ui.btn_back, Nav(to="channels"))]]))


@router.message(CaptionTemplate.text, F.text, ~F.text.startswith("/"))
async def template_text(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts
) -> None:
    """Check the typed template: refused (say why, wait for another) or saved (a preview)."""
    assert message.from_user is not None and message.text is not None
    chat = (await state.get_data()).get("chat")
    owner = message.from_user.id
    back = keyboards.markup([[keyboards.button(ui.btn_back, Nav(to="channels"))]])
    if not isinstance(chat, int):
        await state.clear()
        await message.answer(ui.expired, reply_markup=back)
        return
    parts = await _parts(svc, owner, chat)
    result = await svc.channels.set_caption_template(owner, chat, message.text, parts)
    if result is None:
        await state.clear()
        await message.answer(ui.expired, reply_markup=back)
        return
    if isinstance(result, TemplateProblem):
        await message.answer(_refusal(ui, result), reply_markup=keyboards.template_prompt(ui, chat))
        return
    await state.clear()
    await message.answer(ui.template_saved.format(preview=result), reply_markup=back)
