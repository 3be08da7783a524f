"""Find my queue by address: type the street, pick it, type or pick the house, confirm.

In a region whose source serves many towns (a DTEK site for a whole oblast) the town comes
first: type it, pick it from up to eight, then the street of that town.

Offered from a region's queue list (the wizard's and "add an address"'s) when the region has
a lookup source. The street and house offered wait in the conversation's state and buttons
carry their index. A source that refuses or fails, or knows no queue for the house, leads to
the manual choice of queue, never to an error; so does a queue the schedule does not list.
"""

from __future__ import annotations

from html import escape

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from esvitlo.bot import lookup_keyboards as kb
from esvitlo.bot.deps import BotServices
from esvitlo.bot.lookup_keyboards import LookupAct
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.routers.start import subscribe_told
from esvitlo.bot.views import queue_name, region_name, show, show_menu
from esvitlo.domain.address_lookup import default_label, house_key
from esvitlo.domain.texts import BotTexts, Texts
from esvitlo.domain.texts.lookup import lookup_texts_for
from esvitlo.ports import Candidate, LookupFailed, LookupNotFound
from esvitlo.services.address_lookup import AddressFinder

router = RouterSpec("address_lookup")
TYPED = F.text & ~F.text.startswith("/")  # a command typed meanwhile goes to its router


class LookupSteps(StatesGroup):
    """Waiting for the town's name (many-town regions), the street's, then the house number."""

    town = State()
    street = State()
    house = State()


def _pair(candidate: Candidate) -> list[str]:
    return [candidate.id, candidate.name]


def _candidate(raw: object) -> Candidate | None:
    if isinstance(raw, list) and len(raw) == 2 and all(isinstance(x, str) for x in raw):
        return Candidate(raw[0], raw[1])
    return None


def _place(data: dict[str, object], street: Candidate) -> str:
    """The street as shown and saved: "town, street" when a town was chosen first."""
    town = _candidate(data.get("lk_town"))
    return f"{town.name}, {street.name}" if town is not None else street.name


def _finder(svc: BotServices, region: str) -> AddressFinder | None:
    return svc.lookup if svc.lookup is not None and svc.lookup.has_lookup(region) else None


async def _manual(
    event: Message | CallbackQuery, state: FSMContext, text: str, ui: BotTexts, lang: str
) -> None:
    """Give up the lookup: say why and offer the manual choice of queue."""
    region = str((await state.get_data()).get("lk_region", ""))
    await state.clear()
    await show(event, text, kb.manual(ui, lookup_texts_for(lang), region))


@router.callback_query(LookupAct.filter(F.action == "start"))
async def start_lookup(
    query: CallbackQuery,
    callback_data: LookupAct,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
) -> None:
    """Ask for the town or the street (a region without a lookup source gets the manual
    choice)."""
    region, t = callback_data.region, lookup_texts_for(lang)
    await state.clear()
    finder = _finder(svc, region)
    if finder is None or svc.catalogue.get(region) is None:
        await show(query, t.unavailable, kb.manual(ui, t, region))
        return
    by_town = finder.asks_town(region)
    await state.set_state(LookupSteps.town if by_town else LookupSteps.street)
    await state.update_data(lk_region=region)
    name = region_name(svc.catalogue, region, lang)
    prompt = t.town_prompt if by_town else t.street_prompt
    await show(query, prompt.format(region=name), kb.manual(ui, t, region))


@router.message(LookupSteps.town, TYPED)
async def town_typed(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts, lang: str
) -> None:
    """Offer the towns close to what was typed (up to eight buttons)."""
    assert message.text is not None
    t, typed = lookup_texts_for(lang), message.text.strip()[:100]
    region = str((await state.get_data()).get("lk_region", ""))
    finder = _finder(svc, region)
    try:
        if finder is None:
            raise LookupFailed(region)
        towns = await finder.towns(region, typed)
    except LookupFailed:
        await _manual(message, state, t.unavailable, ui, lang)
        return
    if not towns.found:
        await show(message, t.town_none.format(typed=escape(typed)), kb.manual(ui, t, region))
        return
    await state.update_data(lk_source=towns.source, lk_towns=[_pair(c) for c in towns.found])
    names = [c.name for c in towns.found]
    text = t.town_choose.format(typed=escape(typed))
    await show(message, text, kb.choices(ui, t, region, "town", names))


@router.callback_query(LookupAct.filter(F.action == "town"))
async def town_pick(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: LookupAct,
    state: FSMContext,
    ui: BotTexts,
    lang: str,
) -> None:
    """A town was picked: ask for its street."""
    town = await _offered(state, "lk_towns", callback_data)
    if town is None:
        callback_answer.text = ui.expired
        return
    t = lookup_texts_for(lang)
    await state.update_data(lk_town=_pair(town))
    await state.set_state(LookupSteps.street)
    text = t.street_prompt.format(region=escape(town.name))
    await show(query, text, kb.manual(ui, t, callback_data.region))


@router.message(LookupSteps.street, TYPED)
async def street_typed(
    message: Message, state: FSMContext, svc: BotServices, ui: BotTexts, lang: str
) -> None:
    """Offer the streets close to what was typed (up to eight buttons)."""
    assert message.text is not None
    t, typed = lookup_texts_for(lang), message.text.strip()[:100]
    data = await state.get_data()
    region, town = str(data.get("lk_region", "")), _candidate(data.get("lk_town"))
    finder = _finder(svc, region)
    if finder is None:
        await _manual(message, state, t.unavailable, ui, lang)
        return
    try:
        streets = await finder.streets(region, typed, town, int(data.get("lk_source", 0)))
    except LookupFailed:
        await _manual(message, state, t.unavailable, ui, lang)
        return
    if not streets.found:
        await show(message, t.street_none.format(typed=escape(typed)), kb.manual(ui, t, region))
        return
    await state.update_data(lk_source=streets.source, lk_streets=[_pair(s) for s in streets.found])
    names = [s.name for s in streets.found]
    text = t.street_choose.format(typed=escape(typed))
    await show(message, text, kb.choices(ui, t, region, "street", names))


async def _offered(state: FSMContext, key: str, callback_data: LookupAct) -> Candidate | None:
    """The ``n``-th street or house offered in this conversation, if the button is current."""
    data = await state.get_data()
    offered = data.get(key)
    if data.get("lk_region") != callback_data.region or not isinstance(offered, list):
        return None
    return _candidate(offered[callback_data.n]) if callback_data.n < len(offered) else None


@router.callback_query(LookupAct.filter(F.action == "street"))
async def street_pick(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: LookupAct,
    state: FSMContext,
    ui: BotTexts,
    lang: str,
) -> None:
    """A street was picked: ask for the house number."""
    street = await _offered(state, "lk_streets", callback_data)
    if street is None:
        callback_answer.text = ui.expired
        return
    t = lookup_texts_for(lang)
    await state.update_data(lk_street=_pair(street))
    await state.set_state(LookupSteps.house)
    text = t.house_prompt.format(street=escape(_place(await state.get_data(), street)))
    await show(query, text, kb.manual(ui, t, callback_data.region))


@router.message(LookupSteps.house, TYPED)
async def house_typed(
    message: Message,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """The house matched exactly: its queue; else the close numbers to pick from."""
    assert message.text is not None
    t, typed = lookup_texts_for(lang), message.text.strip()[:40]
    data = await state.get_data()
    region, street = str(data.get("lk_region", "")), _candidate(data.get("lk_street"))
    finder = _finder(svc, region)
    if finder is None or street is None:
        await _manual(message, state, t.unavailable, ui, lang)
        return
    try:
        houses = await finder.houses(region, int(data.get("lk_source", 0)), street, typed)
    except LookupNotFound:  # the street's id was renumbered since it was offered
        houses = []
    except LookupFailed:
        await _manual(message, state, t.unavailable, ui, lang)
        return
    same = next((h for h in houses if house_key(h.name) == house_key(typed)), None)
    if same is not None:
        await _found(message, state, svc, ui, texts, lang, street, same)
        return
    names = {"typed": escape(typed), "street": escape(_place(data, street))}
    if not houses:
        await show(message, t.house_none.format(**names), kb.manual(ui, t, region))
        return
    await state.update_data(lk_houses=[_pair(h) for h in houses])
    markup = kb.choices(ui, t, region, "house", [h.name for h in houses])
    await show(message, t.house_choose.format(**names), markup)


@router.callback_query(LookupAct.filter(F.action == "house"))
async def house_pick(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: LookupAct,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """A house was picked from the close numbers: its queue."""
    house = await _offered(state, "lk_houses", callback_data)
    street = _candidate((await state.get_data()).get("lk_street"))
    if house is None or street is None:
        callback_answer.text = ui.expired
        return
    await _found(query, state, svc, ui, texts, lang, street, house)


async def _found(
    event: Message | CallbackQuery,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
    street: Candidate,
    house: Candidate,
) -> None:
    """Ask the house's queue; offer it to confirm when the schedule knows that queue."""
    t, data = lookup_texts_for(lang), await state.get_data()
    region = str(data.get("lk_region", ""))
    names = {"street": escape(_place(data, street)), "house": escape(house.name)}
    finder = _finder(svc, region)
    try:
        if finder is None:
            raise LookupFailed(region)
        queue = await finder.queue(region, int(data.get("lk_source", 0)), street, house)
    except LookupNotFound:
        await _manual(event, state, t.no_queue.format(**names), ui, lang)
        return
    except LookupFailed:
        await _manual(event, state, t.unavailable, ui, lang)
        return
    known = await svc.board.queues(region)
    if known and queue not in {q for q, _ in known}:
        text = t.queue_not_in_schedule.format(queue=escape(queue), **names)
        await _manual(event, state, text, ui, lang)
        return
    await state.set_state(None)
    await state.update_data(lk_house=_pair(house), lk_queue=queue)
    text = t.found.format(queue=queue_name(texts, queue), **names)
    await show(event, text, kb.confirm(ui, t, region))


@router.callback_query(LookupAct.filter(F.action == "confirm"))
async def confirm(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    callback_data: LookupAct,
    state: FSMContext,
    svc: BotServices,
    ui: BotTexts,
    texts: Texts,
    lang: str,
) -> None:
    """Subscribe to the queue found, labelled with the street and house, then the menu."""
    data = await state.get_data()
    street, house = _candidate(data.get("lk_street")), _candidate(data.get("lk_house"))
    queue, region = str(data.get("lk_queue", "")), callback_data.region
    if street is None or house is None or not queue or data.get("lk_region") != region:
        callback_answer.text = ui.expired
        return
    place = _place(data, street)  # "town, street" in a many-town region: re-resolvable
    label = default_label(place, house.name)
    user = query.from_user
    done = await subscribe_told(
        user.id, callback_answer, svc, ui, texts, lang, region, queue, label
    )
    if done is None:
        return
    await state.clear()
    subs = await svc.accounts.addresses(user.id)
    saved = next((s for s in subs if (s.region, s.queue) == (region, queue)), None)
    if saved is not None and svc.address_recheck is not None:  # looked up again daily
        await svc.address_recheck.remember(saved.id, place, house.name, queue)
    await show_menu(query, ui, texts, svc.catalogue, lang, subs, prefix=done)


__all__ = ["router"]
