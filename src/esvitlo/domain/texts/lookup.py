"""The strings of "find my queue by address" in both languages (kept together, since they
change together). HTML; placeholders are named in the comments and escaped by the caller."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LookupTexts:
    """Address lookup prompts and answers in one language."""

    lang: str
    btn_find: str
    btn_manual: str
    btn_confirm: str
    town_prompt: str  # {region}
    town_choose: str  # {typed}
    town_none: str  # {typed}
    street_prompt: str  # {region}
    street_choose: str  # {typed}
    street_none: str  # {typed}
    house_prompt: str  # {street}
    house_choose: str  # {typed} {street}
    house_none: str  # {typed} {street}
    found: str  # {street} {house} {queue}
    queue_not_in_schedule: str  # {street} {house} {queue}
    no_queue: str  # {street} {house}
    unavailable: str
    searching: str
    group_changed: str  # {label} {old} {new}


UK = LookupTexts(
    lang="uk",
    btn_find="🔎 Знайти чергу за адресою",
    btn_manual="📋 Обрати чергу вручну",
    btn_confirm="✅ Так, підписатися",
    town_prompt=(
        "Регіон: <b>{region}</b>\nНапишіть назву вашого міста чи села, наприклад <i>Бровари</i>."
    ),
    town_choose="Ось що знайшлося за «{typed}». Оберіть ваш населений пункт:",
    town_none=(
        "Не знайшли населений пункт «{typed}». Напишіть назву інакше або оберіть чергу вручну."
    ),
    street_prompt=(
        "Регіон: <b>{region}</b>\nНапишіть назву вашої вулиці, наприклад <i>Хрещатик</i>."
    ),
    street_choose="Ось що знайшлося за «{typed}». Оберіть вашу вулицю:",
    street_none=("Не знайшли вулицю «{typed}». Напишіть назву інакше або оберіть чергу вручну."),
    house_prompt="Вулиця: <b>{street}</b>\nНапишіть номер будинку, наприклад <i>12а</i>.",
    house_choose="На вулиці {street} немає будинку «{typed}» у точності. Можливо, один із цих?",
    house_none=(
        "Не знайшли будинок «{typed}» на вулиці {street}. "
        "Напишіть номер інакше або оберіть чергу вручну."
    ),
    found="📍 <b>{street}, {house}</b>\nВаша черга: <b>{queue}</b>\n\nПідписатися на її графік?",
    queue_not_in_schedule=(
        "Оператор відносить адресу {street}, {house} до черги {queue}, "
        "але в графіку такої черги немає. Оберіть чергу вручну."
    ),
    no_queue="Оператор не називає черги для адреси {street}, {house}. Оберіть чергу вручну.",
    unavailable=(
        "Сайт оператора зараз не відповідає на пошук за адресою. Оберіть чергу вручну "
        "або спробуйте пізніше."
    ),
    searching="Шукаємо…",
    group_changed="🔄 Адреса <b>{label}</b> тепер у черзі <b>{new}</b> (була {old}).",
)

EN = LookupTexts(
    lang="en",
    btn_find="🔎 Find my queue by address",
    btn_manual="📋 Choose the queue myself",
    btn_confirm="✅ Yes, subscribe",
    town_prompt="Region: <b>{region}</b>\nType the name of your town or village, e.g. <i>Brovary</i> (in Ukrainian: <i>Бровари</i>).",
    town_choose="Here is what matches “{typed}”. Choose your town or village:",
    town_none="No town like “{typed}”. Type it another way or choose the queue yourself.",
    street_prompt="Region: <b>{region}</b>\nType the name of your street, e.g. <i>Khreshchatyk</i> (in Ukrainian: <i>Хрещатик</i>).",
    street_choose="Here is what matches “{typed}”. Choose your street:",
    street_none="No street like “{typed}”. Type it another way or choose the queue yourself.",
    house_prompt="Street: <b>{street}</b>\nType the house number, e.g. <i>12a</i>.",
    house_choose="{street} has no house “{typed}” exactly. Is it one of these?",
    house_none=(
        "No house “{typed}” on {street}. Type the number another way or choose the queue yourself."
    ),
    found="📍 <b>{street}, {house}</b>\nYour queue: <b>{queue}</b>\n\nSubscribe to its schedule?",
    queue_not_in_schedule=(
        "The operator puts {street}, {house} in queue {queue}, but the schedule has no such "
        "queue. Please choose the queue yourself."
    ),
    no_queue="The operator names no queue for {street}, {house}. Please choose it yourself.",
    unavailable=(
        "The operator's site is not answering address searches right now. Choose the queue "
        "yourself or try again later."
    ),
    searching="Searching…",
    group_changed="🔄 Your address <b>{label}</b> is now in queue <b>{new}</b> (was {old}).",
)


def lookup_texts_for(lang: str | None) -> LookupTexts:
    """The address lookup strings of a language; Ukrainian when unknown."""
    from esvitlo.domain.texts import language_code

    return EN if language_code(lang) == "en" else UK
