"""Adding a power monitor: the address it is for, probe or heartbeat, the router's address
typed in FSM state (refusals explained, a silent router saved on the user's word), the
heartbeat period and its set-up instructions."""

from __future__ import annotations

from html import escape

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import power_keyboards as kb
from esvitlo.bot.callbacks import PowerAct
from esvitlo.bot.deps import BotServices
from esvitlo.bot.power_views import show_monitor
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show
from esvitlo.domain.accounts import Subscription
from esvitlo.domain.monitors import MonitorLimitReached
from esvitlo.domain.power_screens import (
    answered_text,
    confirm_text,
    heartbeat_text,
    period_text,
    problem_text,
    too_many_text,
)
from esvitlo.domain.texts import BotTexts, power_texts_for
from esvitlo.services.monitors import AddStatus, ProbeAttempt

router = RouterSpec("power_setup")


class MonitorInput(StatesGroup):
    """Waiting for the address of a probe monitor, then for "save anyway"."""

    target = State()
    confirm = State()


@router.callback_query(PowerAct.filter(F.action == "add"))
async def add(query: CallbackQuery, svc: BotServices, ui: BotTexts, lang: str) -> None:
    """Pick the address a new monitor is for (skipped when there is only one)."""
    t = power_texts_for(lang)
    subs = await svc.accounts.addresses(query.from_user.id)
    if not subs:
        await show(query, t.need_address, kb.add_address(ui))
    elif not await svc.monitors.can_add(query.from_user.id):
        limit = t.limit_reached.format(limit=svc.monitors.max_monitors)
        await show(query, limit, kb.back_to_power(ui))
    elif len(subs) == 1:
        await show_kind_choice(query, subs[0], svc, ui, lang)
    else:
        await show(query, t.pick_address, kb.pick_address(ui, subs))


async def show_kind_choice(
    query: CallbackQuery,
    sub: Subscription,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
    *,
    prefix: str | None = None,
) -> None:
    """Probe or heartbeat for this address (``prefix``: a line above, such as "saved")."""
    t = power_texts_for(lang)
    every = period_text(svc.monitors.probe_every, t)
    text = t.pick_kind.format(label=escape(sub.label), every=every)
    await show(query, f"{prefix}\n\n{text}" if prefix else text, kb.pick_kind(ui, t, sub.id))


@router.callback_query(PowerAct.filter(F.action == "for"))
async def for_address(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PowerAct,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """The address was chosen: probe or heartbeat?"""
    await state.clear()
    sub = await svc.accounts.address(query.from_user.id, callback_data.sub)
    if sub is None:
        callback_answer.text = ui.expired
        return
    await show_kind_choice(query, sub, svc, ui, lang)


@router.callback_query(PowerAct.filter(F.action == "probe"))
async def ask_target(
    query: CallbackQuery,
    callback_data: PowerAct,
    state: FSMContext,
    ui: BotTexts,
    lang: str,
) -> None:
    """Ask for the router's address and wait for it."""
    t = power_texts_for(lang)
    await state.set_state(MonitorInput.target)
    await state.set_data({"sub": callback_data.sub})
    await show(query, t.ask_target, kb.typing_target(ui, t, callback_data.sub))


@router.message(MonitorInput.target, F.text)
@router.message(MonitorInput.confirm, F.text)
async def target_typed(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts, lang: str
) -> None:
    """Check the typed address (also one typed instead of "save anyway"): explain a refusal
    or "too many checks", save a reachable router, or ask about one that is not."""
    assert message.from_user is not None and message.text is not None
    t = power_texts_for(lang)
    sub_id = int((await state.get_data()).get("sub", 0))
    attempt = await svc.monitors.try_probe(message.from_user.id, sub_id, message.text)
    if attempt.status is AddStatus.INVALID and attempt.problem is not None:
        await message.answer(
            problem_text(attempt.problem, t), reply_markup=kb.typing_target(ui, t, sub_id)
        )
        return
    if attempt.status is AddStatus.TOO_MANY and attempt.retry_after is not None:
        text = too_many_text(attempt.retry_after, t)
        await message.answer(text, reply_markup=kb.typing_target(ui, t, sub_id))
        return
    if attempt.status is AddStatus.CONFIRM and attempt.target:
        await state.set_state(MonitorInput.confirm)
        await state.set_data({"sub": sub_id, "target": attempt.target.as_text()})
        text = confirm_text(attempt.target, t)
        await message.answer(text, reply_markup=kb.save_anyway(ui, t, sub_id))
        return
    await state.clear()
    await _after_probe_saved(message, attempt, svc, ui, lang)


async def _after_probe_saved(
    event: Message | CallbackQuery,
    attempt: ProbeAttempt,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Show the new monitor, or why it could not be added (limit, address gone)."""
    assert event.from_user is not None
    t = power_texts_for(lang)
    if attempt.status is AddStatus.LIMIT:
        limit = t.limit_reached.format(limit=svc.monitors.max_monitors)
        await show(event, limit, kb.back_to_power(ui))
        return
    if attempt.monitor is None or attempt.target is None:
        await show(event, ui.expired, kb.back_to_power(ui))
        return
    owned = await svc.monitors.owned(event.from_user.id, attempt.monitor.id)
    if owned is None:
        await show(event, ui.expired, kb.back_to_power(ui))
        return
    prefix = answered_text(attempt.target, t) if attempt.probe else ""
    await show_monitor(event, owned, svc, ui, lang, prefix)


@router.callback_query(PowerAct.filter(F.action == "save"))
async def save_anyway(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Keep a probe monitor that did not answer."""
    data = await state.get_data()
    target = data.get("target")
    if not isinstance(target, str):
        callback_answer.text = ui.expired
        return
    await state.clear()
    attempt = await svc.monitors.confirm_probe(query.from_user.id, int(data.get("sub", 0)), target)
    await _after_probe_saved(query, attempt, svc, ui, lang)


@router.callback_query(PowerAct.filter(F.action == "beat"))
async def heartbeat(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: PowerAct,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Ask how often the device calls, then save the monitor and show its instructions."""
    await state.clear()
    t = power_texts_for(lang)
    if callback_data.n == 0:
        await show(query, t.ask_period, kb.periods(ui, t, callback_data.sub))
        return
    try:
        setup = await svc.monitors.add_heartbeat(
            query.from_user.id, callback_data.sub, callback_data.n
        )
    except MonitorLimitReached:
        limit = t.limit_reached.format(limit=svc.monitors.max_monitors)
        await show(query, limit, kb.back_to_power(ui))
        return
    except (LookupError, ValueError):
        callback_answer.text = ui.expired
        return
    sub = await svc.accounts.address(query.from_user.id, callback_data.sub)
    label = sub.label if sub else ""
    local = svc.monitors.public_url if setup.local_base else None
    text = heartbeat_text(label, setup.url, setup.monitor.beat_every, t, local_base=local)
    await show(query, text, kb.monitor_actions(ui, t, setup.monitor))
