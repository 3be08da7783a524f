"""The strings of the calendar feeds, the JSON API's errors and the bot's calendar screen, in
both languages (kept together here, since they change together; the bot's are HTML).

Placeholders are named in the comments; values are escaped by the caller where HTML.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FeedTexts:
    """Calendar and API strings in one language."""

    lang: str
    # calendar names and descriptions
    calendar_name: str  # {region} {queue}
    calendar_description: str  # {region} {queue}
    private_calendar_name: str
    private_calendar_description: str
    # event summaries; {queue} is the queue's title, {label} the user's name for the address
    planned_summary: str  # {queue}
    possible_summary: str  # {queue}
    emergency_summary: str  # {queue}
    emergency_day_summary: str  # {queue}
    planned_description: str  # {region}
    possible_description: str  # {region}
    emergency_description: str  # {region}
    labelled_queue: str  # {label} {queue}
    queue_title: str  # {queue}
    measured_summary: str  # {label}
    measured_description: str
    # CATEGORIES, shown by calendar clients (the English kind names are always added too)
    category_planned: str
    category_possible: str
    category_emergency: str
    category_measured: str
    # the bot's calendar screen (HTML)
    calendar_screen: str  # {https} {webcal}
    calendar_link_active: str
    calendar_no_link: str
    calendar_public_links: str  # {queue} {https} {webcal}
    calendar_no_addresses: str
    calendar_not_configured: str
    calendar_revoked: str
    calendar_confirm_new: str
    button_new_link: str
    button_confirm_new_link: str
    button_revoke: str
    button_create_link: str
    button_calendar: str


UK = FeedTexts(
    lang="uk",
    calendar_name="Світло: {region}, {queue}",
    calendar_description="Відключення світла за графіком: {region}, {queue}",
    private_calendar_name="Світло: мої адреси",
    private_calendar_description="Відключення світла за графіком на моїх адресах і виміряні вдома",
    planned_summary="Відключення · {queue}",
    possible_summary="Можливе відключення · {queue}",
    emergency_summary="Екстрене відключення · {queue}",
    emergency_day_summary="Екстрені відключення, графік не діє · {queue}",
    planned_description="Планове відключення за графіком ({region}).",
    possible_description="Можливе відключення: графік на цей день ще не опубліковано ({region}).",
    emergency_description="Екстрені відключення ({region}).",
    labelled_queue="{label} ({queue})",
    queue_title="черга {queue}",
    measured_summary="Не було світла · {label}",
    measured_description="Виміряно вдома.",
    category_planned="Планове",
    category_possible="Можливе",
    category_emergency="Екстрене",
    category_measured="Виміряне",
    calendar_screen=(
        "📅 <b>Календар відключень</b>\n"
        "Усі ваші адреси в одному календарі, разом із виміряними вдома відключеннями.\n\n"
        "Підписатися (Apple, Outlook): {webcal}\n"
        "Google Календар (додати за URL): {https}\n\n"
        "Посилання особисте: не діліться ним. Його можна замінити новим або вимкнути."
    ),
    calendar_link_active=(
        "📅 <b>Календар відключень</b>\n"
        "Ваше особисте посилання на календар діє. Показати його ще раз не можна "
        "(ми зберігаємо лише його відбиток): створіть нове, і старе перестане працювати."
    ),
    calendar_no_link=(
        "📅 <b>Календар відключень</b>\n"
        "Графік ваших адрес у вашому календарі (Google, Apple, Outlook): особисте "
        "посилання, яке можна будь-коли вимкнути."
    ),
    calendar_public_links="Спільний календар для {queue}:\n{webcal}\n{https}",
    calendar_no_addresses="Спершу додайте адресу: календар показує графік ваших адрес.",
    calendar_not_configured=(
        "Календарі ще не налаштовані: адміністратор сервісу має вказати його публічну адресу "
        "(ESVITLO_PUBLIC_URL)."
    ),
    calendar_revoked="Посилання на календар вимкнено. Нове можна створити будь-коли.",
    calendar_confirm_new=(
        "Створити нове посилання? Старе одразу перестане працювати, і календар, "
        "підписаний за ним, більше не оновлюватиметься."
    ),
    button_new_link="🔑 Нове посилання",
    button_confirm_new_link="✅ Так, нове посилання",
    button_revoke="🚫 Вимкнути посилання",
    button_create_link="📅 Створити посилання",
    button_calendar="📅 Календар",
)

EN = FeedTexts(
    lang="en",
    calendar_name="Power: {region}, {queue}",
    calendar_description="Scheduled power outages: {region}, {queue}",
    private_calendar_name="Power: my addresses",
    private_calendar_description="Scheduled power outages at my addresses and those measured at home",
    planned_summary="Outage · {queue}",
    possible_summary="Possible outage · {queue}",
    emergency_summary="Emergency outage · {queue}",
    emergency_day_summary="Emergency outages, schedule suspended · {queue}",
    planned_description="Planned outage by the schedule ({region}).",
    possible_description="Possible outage: this day's schedule is not published yet ({region}).",
    emergency_description="Emergency outages ({region}).",
    labelled_queue="{label} ({queue})",
    queue_title="queue {queue}",
    measured_summary="No power · {label}",
    measured_description="Measured at home.",
    category_planned="Planned",
    category_possible="Possible",
    category_emergency="Emergency",
    category_measured="Measured",
    calendar_screen=(
        "📅 <b>Outage calendar</b>\n"
        "All your addresses in one calendar, with the outages measured at home.\n\n"
        "Subscribe (Apple, Outlook): {webcal}\n"
        "Google Calendar (add by URL): {https}\n\n"
        "The link is personal: do not share it. You can replace it or turn it off."
    ),
    calendar_link_active=(
        "📅 <b>Outage calendar</b>\n"
        "Your personal calendar link is on. It cannot be shown again (we keep only its "
        "fingerprint): make a new one, and the old one stops working."
    ),
    calendar_no_link=(
        "📅 <b>Outage calendar</b>\n"
        "Your addresses' schedule in your calendar (Google, Apple, Outlook): a personal "
        "link you can turn off at any time."
    ),
    calendar_public_links="Shared calendar for {queue}:\n{webcal}\n{https}",
    calendar_no_addresses="Add an address first: the calendar shows your addresses' schedule.",
    calendar_not_configured=(
        "Calendars are not set up yet: the service's administrator has to set its public "
        "address (ESVITLO_PUBLIC_URL)."
    ),
    calendar_revoked="The calendar link is turned off. You can make a new one at any time.",
    calendar_confirm_new=(
        "Make a new link? The old one stops working at once, and a calendar subscribed "
        "with it will no longer update."
    ),
    button_new_link="🔑 New link",
    button_confirm_new_link="✅ Yes, a new link",
    button_revoke="🚫 Turn the link off",
    button_create_link="📅 Make a link",
    button_calendar="📅 Calendar",
)


def feed_texts_for(lang: str | None) -> FeedTexts:
    """The feed strings of a language code (``en``, ``en-GB``…); Ukrainian when unknown."""
    from esvitlo.domain.texts import language_code

    return EN if language_code(lang) == "en" else UK
